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

/** The half-band filter from `rate` to the other one (both have `process(input, out)`). */
function resamplerFrom(rate: number): Upsampler8to16 | Downsampler16to8 {
  return rate === 8000 ? new Upsampler8to16() : new Downsampler16to8();
}

class ResampledSource implements AudioSource {
  private inner = new Int16Array(0);
  private readonly filter: Upsampler8to16 | Downsampler16to8;

  constructor(
    readonly source: AudioSource,
    readonly sampleRate: number,
  ) {
    this.filter = resamplerFrom(source.sampleRate);
  }

  get ended(): boolean {
    return this.source.ended;
  }

  read(out: Int16Array): number {
    // Frames are 20 ms multiples: even at 16 kHz, so both directions divide exactly.
    const up = this.sampleRate === 16000;
    const n = up ? out.length >> 1 : out.length * 2;
    if (this.inner.length !== n) this.inner = new Int16Array(n);
    const got = this.source.read(this.inner);
    this.filter.process(this.inner, out);
    return up ? got * 2 : got >> 1;
  }

  reset(): void {
    this.source.reset();
    this.filter.reset();
  }
}

class ResampledSink implements AudioSink {
  private inner = new Int16Array(0);
  private readonly filter: Upsampler8to16 | Downsampler16to8;

  constructor(
    readonly sink: AudioSink,
    readonly sampleRate: number,
  ) {
    this.filter = resamplerFrom(sampleRate);
  }

  write(frame: Int16Array): void {
    const up = this.sampleRate === 8000;
    const input = up || frame.length % 2 === 0 ? frame : frame.subarray(0, frame.length - 1);
    const n = up ? input.length * 2 : input.length >> 1;
    if (this.inner.length !== n) this.inner = new Int16Array(n);
    this.filter.process(input, this.inner);
    this.sink.write(this.inner);
  }
}
