// The receiving half of an RTP session, sans-IO: per-source sequence validation (RFC 3550 A.1),
// loss accounting (A.3), interarrival jitter (A.8), and which remote SSRC is current. Time comes
// in as arguments (arrival in monotonic milliseconds); nothing allocates per packet.
import type { ReceptionReport } from './rtcp-packet.js';

/** RFC 3550 A.1 constants. */
export const RTP_SEQ_MOD = 1 << 16;
export const MAX_DROPOUT = 3000;
export const MAX_MISORDER = 100;
export const MIN_SEQUENTIAL = 2;

/** Cumulative loss is a signed 24-bit field (RFC 3550 §6.4.1). */
const MAX_LOST = 0x7fffff;
const MIN_LOST = -0x800000;

/**
 * Reception state of one source: RFC 3550 A.1 `source` with `init_seq`/`update_seq`, the A.3
 * loss figures and the A.8 jitter estimator, written as in the RFC so the numbers match it.
 */
export class SourceStats {
  readonly ssrc: number;
  readonly clockRate: number;
  /** Highest sequence number seen (A.1 max_seq). */
  maxSeq: number;
  /** Shifted count of sequence number cycles (A.1 cycles, a multiple of 65536). */
  cycles = 0;
  baseSeq = 0;
  /** Last 'bad' sequence number + 1 (A.1 bad_seq). */
  badSeq = RTP_SEQ_MOD + 1;
  /** Sequential packets still needed before the source is valid (A.1 probation). */
  probation: number;
  /** Packets received (A.1 received; duplicates count, so loss can go negative). */
  received = 0;
  expectedPrior = 0;
  receivedPrior = 0;
  /** Interarrival jitter estimate in timestamp units (A.8, floating-point form). */
  jitter = 0;
  /** Previous packet's arrival (timestamp units) and RTP timestamp, for A.8. */
  private lastArrival = Number.NaN;
  private lastTimestamp = 0;

  /** A new source whose first packet carried `seq` (RFC 3550 A.1: probation starts). */
  constructor(ssrc: number, seq: number, clockRate: number, minSequential = MIN_SEQUENTIAL) {
    this.ssrc = ssrc;
    this.clockRate = clockRate;
    this.initSeq(seq);
    this.maxSeq = (seq - 1) & 0xffff;
    this.probation = minSequential;
  }

  /** Whether the source has passed probation. */
  get valid(): boolean {
    return this.probation === 0;
  }

  /** RFC 3550 A.1 init_seq. */
  initSeq(seq: number): void {
    this.baseSeq = seq;
    this.maxSeq = seq;
    this.badSeq = RTP_SEQ_MOD + 1;
    this.cycles = 0;
    this.received = 0;
    this.receivedPrior = 0;
    this.expectedPrior = 0;
  }

  /**
   * RFC 3550 A.1 update_seq: true when the packet is valid (count it, deliver it); false during
   * probation and for a very large jump that is not yet confirmed by a sequential successor.
   */
  updateSeq(seq: number): boolean {
    const udelta = (seq - this.maxSeq) & 0xffff;
    if (this.probation) {
      // Packet is in sequence.
      if (seq === ((this.maxSeq + 1) & 0xffff)) {
        this.probation--;
        this.maxSeq = seq;
        if (this.probation === 0) {
          this.initSeq(seq);
          this.received++;
          return true;
        }
      } else {
        this.probation = MIN_SEQUENTIAL - 1;
        this.maxSeq = seq;
      }
      return false;
    } else if (udelta < MAX_DROPOUT) {
      // In order, with permissible gap.
      if (seq < this.maxSeq) this.cycles += RTP_SEQ_MOD; // wrapped: count another 64K cycle
      this.maxSeq = seq;
    } else if (udelta <= RTP_SEQ_MOD - MAX_MISORDER) {
      // The sequence number made a very large jump.
      if (seq === this.badSeq) {
        // Two sequential packets: assume the other side restarted without telling us; re-sync.
        this.initSeq(seq);
      } else {
        this.badSeq = (seq + 1) & (RTP_SEQ_MOD - 1);
        return false;
      }
    } else {
      // Duplicate or reordered packet.
    }
    this.received++;
    return true;
  }

  /**
   * RFC 3550 A.8: J += (|D| − J) / 16 with D the difference in relative transit time of this
   * packet and the previous one, in timestamp units. The first packet only sets the reference.
   */
  updateJitter(timestamp: number, arrivalMs: number): void {
    const arrival = (arrivalMs * this.clockRate) / 1000;
    if (!Number.isNaN(this.lastArrival)) {
      // transit − previous transit, with the 32-bit timestamp difference taken modulo 2^32.
      let d = arrival - this.lastArrival - ((timestamp - this.lastTimestamp) | 0);
      if (d < 0) d = -d;
      this.jitter += (d - this.jitter) / 16;
    }
    this.lastArrival = arrival;
    this.lastTimestamp = timestamp;
  }

  /** cycles + max_seq (A.3 extended_max), modulo 2^32 as carried in a report block. */
  get extendedMax(): number {
    return (this.cycles + this.maxSeq) >>> 0;
  }

  /** Packets expected since the base (A.3 expected). */
  get expected(): number {
    return this.cycles + this.maxSeq - this.baseSeq + 1;
  }

  /** Cumulative packets lost (A.3), clamped to the signed 24-bit report field. */
  get lost(): number {
    return Math.max(MIN_LOST, Math.min(MAX_LOST, this.expected - this.received));
  }

  /** Jitter in milliseconds. */
  get jitterMs(): number {
    return (this.jitter * 1000) / this.clockRate;
  }

  /**
   * The A.3 interval figures for a report block; advances the "prior" counters, so call it once
   * per report sent. `lastSenderReport`/`delay` are the LSR/DLSR fields (0 when no SR came).
   */
  takeReport(lastSenderReport = 0, delaySinceLastSenderReport = 0): ReceptionReport {
    const expected = this.expected;
    const expectedInterval = expected - this.expectedPrior;
    this.expectedPrior = expected;
    const receivedInterval = this.received - this.receivedPrior;
    this.receivedPrior = this.received;
    const lostInterval = expectedInterval - receivedInterval;
    const fractionLost = expectedInterval === 0 || lostInterval <= 0 ? 0 : Math.floor((lostInterval * 256) / expectedInterval);
    return {
      ssrc: this.ssrc,
      fractionLost: Math.min(255, fractionLost),
      cumulativeLost: this.lost,
      extendedHighestSequence: this.extendedMax,
      jitter: Math.trunc(this.jitter) >>> 0,
      lastSenderReport: lastSenderReport >>> 0,
      delaySinceLastSenderReport: delaySinceLastSenderReport >>> 0,
    };
  }
}

/**
 * What `RtpReceiver.receive` decided about a packet:
 * - `accepted`: valid, deliver it (to the jitter buffer);
 * - `source-changed`: valid, from a new remote SSRC that just replaced the previous one;
 * - `probation`: from a source not yet validated (A.1 MIN_SEQUENTIAL), do not deliver;
 * - `bad-sequence`: a large sequence jump not yet confirmed (A.1), do not deliver.
 */
export type ReceiveVerdict = 'accepted' | 'source-changed' | 'probation' | 'bad-sequence';

export interface RtpReceiverOptions {
  clockRate: number;
  /** A.1 MIN_SEQUENTIAL for new sources (default 2; 1 accepts a source's first packet). */
  minSequential?: number;
}

/**
 * Tracks the current remote source of a unicast session. A packet from another SSRC starts a
 * candidate; when the candidate passes probation it replaces the current source (an SSRC change:
 * re-INVITE to another media server, a PBX that switches streams, a restarted peer).
 */
export class RtpReceiver {
  readonly clockRate: number;
  readonly minSequential: number;
  /** The current (validated or first) remote source. */
  active: SourceStats | undefined;
  /** A different SSRC under probation. */
  private candidate: SourceStats | undefined;
  /** Times the current source was replaced by another SSRC. */
  sourceChanges = 0;
  /** Packets not delivered: probation and unconfirmed jumps. */
  discarded = 0;

  constructor(options: RtpReceiverOptions) {
    this.clockRate = options.clockRate;
    this.minSequential = options.minSequential ?? MIN_SEQUENTIAL;
  }

  /**
   * Accounts one packet. `updateJitter` false leaves the A.8 estimate alone (RFC 4733 events
   * repeat their timestamp, which would read as jitter).
   */
  receive(ssrc: number, seq: number, timestamp: number, arrivalMs: number, updateJitter = true): ReceiveVerdict {
    let source = this.active;
    if (source === undefined || (!source.valid && source.ssrc !== ssrc)) {
      // First source, or another SSRC before the first was validated: start over with it.
      source = this.active = new SourceStats(ssrc, seq, this.clockRate, this.minSequential);
    } else if (source.ssrc !== ssrc) {
      let c = this.candidate;
      if (c === undefined || c.ssrc !== ssrc) c = this.candidate = new SourceStats(ssrc, seq, this.clockRate, this.minSequential);
      if (!c.updateSeq(seq)) {
        this.discarded++;
        return 'probation';
      }
      // The candidate passed probation: it becomes the current source.
      this.active = c;
      this.candidate = undefined;
      this.sourceChanges++;
      if (updateJitter) c.updateJitter(timestamp, arrivalMs);
      return 'source-changed';
    }
    const wasValid = source.valid;
    if (!source.updateSeq(seq)) {
      this.discarded++;
      return wasValid ? 'bad-sequence' : 'probation';
    }
    if (updateJitter) source.updateJitter(timestamp, arrivalMs);
    return 'accepted';
  }

  /** Forgets every source (a new call, or the remote media changed by re-INVITE). */
  reset(): void {
    this.active = undefined;
    this.candidate = undefined;
  }
}
