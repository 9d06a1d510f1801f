// One stream of PCM read by several consumers, each at its own pace: the audio a conference leg
// receives goes to the other leg and to the local user, and the local user's source goes to both
// legs — each frame is produced once and read by everyone. Written by a sink (a leg's decoded
// audio) or pulled from a source (the user's microphone, read once per frame however many read it).
import type { AudioSource } from '../../codecs/audio-source.js';
import type { AudioSink } from '../../codecs/audio-sink.js';

/** Held back at most this long per reader: older audio is skipped (latency stays bounded). */
const MAX_LAG_MS = 100;
const CAPACITY_MS = 400;

export class SharedAudio implements AudioSink {
  private readonly ring: Int16Array;
  /** Samples written since the start (absolute index of the next one). */
  private written = 0;
  private scratch = new Int16Array(0);
  private readonly maxLag: number;

  constructor(
    readonly sampleRate: number,
    /** Pulled when a reader finds too little written (the local user's audio). */
    private readonly pull?: AudioSource,
  ) {
    this.ring = new Int16Array(Math.round((sampleRate * CAPACITY_MS) / 1000));
    this.maxLag = Math.round((sampleRate * MAX_LAG_MS) / 1000);
  }

  write(frame: Int16Array): void {
    const cap = this.ring.length;
    for (let i = 0; i < frame.length; i++) this.ring[(this.written + i) % cap] = frame[i]!;
    this.written += frame.length;
  }

  /** A new consumer, starting at what is written next. */
  reader(): AudioSource {
    let cursor = this.written;
    return {
      sampleRate: this.sampleRate,
      ended: false,
      reset: () => {
        cursor = this.written;
      },
      read: (out: Int16Array): number => {
        cursor = this.readAt(cursor, out);
        return out.length;
      },
    };
  }

  /** Fills `out` from `cursor`; returns the reader's next cursor. */
  private readAt(from: number, out: Int16Array): number {
    let cursor = from;
    if (this.pull && this.written - cursor < out.length) this.produce(out.length - (this.written - cursor));
    let available = this.written - cursor;
    if (available > this.maxLag + out.length) {
      cursor = this.written - out.length;
      available = out.length;
    }
    // Less than a frame (the leg's packet of this tick is not in yet): silence now, the whole
    // frame next time; the delay settles at one frame.
    if (available < out.length) {
      out.fill(0);
      return cursor;
    }
    const cap = this.ring.length;
    for (let i = 0; i < out.length; i++) out[i] = this.ring[(cursor + i) % cap]!;
    return cursor + out.length;
  }

  private produce(samples: number): void {
    if (this.scratch.length !== samples) this.scratch = new Int16Array(samples);
    const n = this.pull!.read(this.scratch);
    if (n < samples) this.scratch.fill(0, Math.max(0, n));
    this.write(this.scratch);
  }
}
