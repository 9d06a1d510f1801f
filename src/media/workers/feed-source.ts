// An AudioSource fed from another thread (a media worker playing what the main thread's
// AudioSource produces, protocol.ts 'feed'): queued chunks are played in order; when the queue
// runs dry the frame is silence and the source waits for more (it never ends by itself).
import type { AudioSource } from '../../codecs/audio-source.js';

/** At most this much audio is queued (ms); older chunks are dropped if the feeder runs ahead. */
const MAX_QUEUED_MS = 2000;

export class FeedSource implements AudioSource {
  readonly ended = false;
  /** Samples the queue was short of (silence played instead). */
  underrun = 0;
  private readonly chunks: Int16Array[] = [];
  private offset = 0;
  private queued = 0;

  constructor(readonly sampleRate: number) {}

  push(samples: Int16Array): void {
    if (samples.length === 0) return;
    this.chunks.push(samples);
    this.queued += samples.length;
    const max = (MAX_QUEUED_MS * this.sampleRate) / 1000;
    while (this.queued - this.offset > max && this.chunks.length > 1) {
      this.queued -= this.chunks.shift()!.length;
      this.offset = 0;
    }
  }

  /** Samples waiting to be played. */
  get buffered(): number {
    return this.queued - this.offset;
  }

  read(out: Int16Array): number {
    let i = 0;
    while (i < out.length && this.chunks.length > 0) {
      const c = this.chunks[0]!;
      const n = Math.min(out.length - i, c.length - this.offset);
      out.set(c.subarray(this.offset, this.offset + n), i);
      i += n;
      this.offset += n;
      if (this.offset === c.length) {
        this.chunks.shift();
        this.queued -= c.length;
        this.offset = 0;
      }
    }
    if (i < out.length) {
      this.underrun += out.length - i;
      out.fill(0, i);
    }
    return out.length;
  }

  reset(): void {
    this.chunks.length = 0;
    this.offset = 0;
    this.queued = 0;
  }
}
