// Sources and sinks at 8 or 16 kHz on a stream of the other rate: a WAV file or a recorder
// keeps its own rate whatever codec the call negotiates (G.711 at 8 kHz, G.722 at 16 kHz),
// through the half-band filters of src/codecs/resample.ts. Same rate: the object itself.
import type { AudioSink } from '../codecs/audio-sink.js';
import type { AudioSource } from '../codecs/audio-source.js';
import { Downsampler16to8, Upsampler8to16 } from '../codecs/resample.js';

function checkRate(rate: number): void {
  if (rate !== 8000 && rate !== 16000) throw new RangeError(`audio: 8000 or 16000 Hz, not ${rate}`);
}

/** `source` as a source at `rate`. */
export function sourceAt(source: AudioSource, rate: number): AudioSource {
  checkRate(rate);
  checkRate(source.sampleRate);
  return source.sampleRate === rate ? source : new ResampledSource(source, rate);
}

/** `sink` as a sink taking frames at `rate`. */
export function sinkAt(sink: AudioSink, rate: number): AudioSink {
  checkRate(rate);
  checkRate(sink.sampleRate);
  return sink.sampleRate === rate ? sink : new ResampledSink(sink, rate);
}

class ResampledSource implements AudioSource {
  private inner = new Int16Array(0);
  private readonly up: Upsampler8to16 | undefined;
  private readonly down: Downsampler16to8 | undefined;

  constructor(
    readonly source: AudioSource,
    readonly sampleRate: number,
  ) {
    if (sampleRate === 16000) this.up = new Upsampler8to16();
    else this.down = new Downsampler16to8();
  }

  get ended(): boolean {
    return this.source.ended;
  }

  read(out: Int16Array): number {
    // Frames are 20 ms multiples: even at 16 kHz, so both directions divide exactly.
    const n = this.up ? out.length >> 1 : out.length * 2;
    if (this.inner.length !== n) this.inner = new Int16Array(n);
    const got = this.source.read(this.inner);
    if (this.up) {
      this.up.process(this.inner, out);
      return got * 2;
    }
    this.down!.process(this.inner, out);
    return got >> 1;
  }

  reset(): void {
    this.source.reset();
    this.up?.reset();
    this.down?.reset();
  }
}

class ResampledSink implements AudioSink {
  private inner = new Int16Array(0);
  private readonly up: Upsampler8to16 | undefined;
  private readonly down: Downsampler16to8 | undefined;

  constructor(
    readonly sink: AudioSink,
    readonly sampleRate: number,
  ) {
    if (sink.sampleRate === 16000) this.up = new Upsampler8to16();
    else this.down = new Downsampler16to8();
  }

  write(frame: Int16Array): void {
    const n = this.up ? frame.length * 2 : frame.length >> 1;
    if (this.inner.length !== n) this.inner = new Int16Array(n);
    if (this.up) this.up.process(frame, this.inner);
    else this.down!.process(frame.length % 2 === 0 ? frame : frame.subarray(0, frame.length - 1), this.inner);
    this.sink.write(this.inner);
  }
}
