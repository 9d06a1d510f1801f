// The decoded received audio of a stream, collected in a worker and handed to the main thread
// in batches of TAP_BATCH_MS (protocol.ts 'audio'), so a recording costs 10 messages a second,
// not one per frame. The batch buffer is transferred, never copied.
import type { AudioSink } from '../../codecs/audio-sink.js';
import { TAP_BATCH_MS } from './protocol.js';

export class TapSink implements AudioSink {
  private batch: Int16Array;
  private filled = 0;

  constructor(
    readonly sampleRate: number,
    private readonly deliver: (samples: Int16Array) => void,
  ) {
    this.batch = new Int16Array((sampleRate * TAP_BATCH_MS) / 1000);
  }

  write(frame: Int16Array): void {
    let i = 0;
    while (i < frame.length) {
      const n = Math.min(frame.length - i, this.batch.length - this.filled);
      this.batch.set(frame.subarray(i, i + n), this.filled);
      this.filled += n;
      i += n;
      if (this.filled === this.batch.length) this.flush();
    }
  }

  /** Hands over what is collected (also a partial batch, at the end of a tap). */
  flush(): void {
    if (this.filled === 0) return;
    const out = this.filled === this.batch.length ? this.batch : this.batch.slice(0, this.filled);
    this.batch = new Int16Array(this.batch.length);
    this.filled = 0;
    this.deliver(out);
  }
}
