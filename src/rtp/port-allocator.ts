// RTP/RTCP port pairs from the KX-UT670 range (4.6.3.1 / 5.7.2 RTP_PORT_MIN, RTP_PORT_MAX:
// even numbers, 1024–48750 and 1424–49150, MAX ≥ MIN + 400; defaults 16000–20000). RTP takes
// an even port and RTCP the next odd one (RFC 3550 §11). Ports are handed out round-robin so that
// a port just released (whose late packets may still be in flight) is reused last.
import { failure, ok, type Result } from '../core/result.js';

export interface PortPair {
  rtp: number;
  rtcp: number;
}

export class PortAllocator {
  readonly min: number;
  readonly max: number;
  private readonly inUse = new Set<number>();
  private next: number;

  /**
   * RTP ports are the even numbers in [min, max] (the manual's range is for RTP; RTCP is RTP + 1,
   * so a pair at `max` uses max + 1 for RTCP). Throws RangeError for a range that is not two even
   * numbers with min ≤ max (the settings layer validates user input before it gets here).
   */
  constructor(min: number, max: number) {
    if (!(Number.isInteger(min) && Number.isInteger(max) && min % 2 === 0 && max % 2 === 0 && min > 0 && min <= max && max < 65535)) {
      throw new RangeError(`rtp: port range ${min}–${max} must be even numbers, min ≤ max`);
    }
    this.min = min;
    this.max = max;
    this.next = min;
  }

  /** Number of pairs in the range. */
  get size(): number {
    return (this.max - this.min) / 2 + 1;
  }

  get allocated(): number {
    return this.inUse.size;
  }

  /** The next free pair after the last one handed out, or RTP_NO_PORT when all are in use. */
  allocate(): Result<PortPair> {
    for (let i = 0; i < this.size; i++) {
      const rtp = this.next;
      this.next = rtp + 2 > this.max ? this.min : rtp + 2;
      if (!this.inUse.has(rtp)) {
        this.inUse.add(rtp);
        return ok({ rtp, rtcp: rtp + 1 });
      }
    }
    return failure('RTP_NO_PORT', `rtp: all ${this.size} port pairs in ${this.min}–${this.max} are in use`);
  }

  /** Returns a pair (by its RTP port) to the pool. Releasing a free port is a no-op. */
  release(rtp: number): void {
    this.inUse.delete(rtp);
  }

  isAllocated(rtp: number): boolean {
    return this.inUse.has(rtp);
  }
}
