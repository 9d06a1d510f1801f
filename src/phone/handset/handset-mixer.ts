// Renders what the handset state machine says the user hears into PCM frames, one per media
// tick: the far end's decoded audio (tapped from each heard call's CallMedia sinks), a local
// call-progress tone (tone-generator.ts, from its beginning at `toneSince`), or both mixed (the
// call-waiting tone over the conversation). Taps exist only while their call is heard.
import type { AudioSource } from '../../codecs/audio-source.js';
import { ToneSource } from '../../codecs/audio-source.js';
import type { ToneSpec } from '../../codecs/tone-generator.js';
import type { CallMedia } from '../call-media.js';
import { SharedAudio } from '../in-call/shared-audio.js';
import type { HandsetTone, Heard } from './handset-state.js';

interface Tap {
  readonly reader: AudioSource;
  readonly remove: () => void;
}

/** A tone that started longer ago starts at this phase (only its first second is skipped). */
const MAX_SKIP_MS = 1000;

export interface HandsetMixerOptions {
  readonly sampleRate: number;
  /** The spec of a tone under the current settings (`key` for the side-tone); undefined plays silence instead. */
  tone(name: HandsetTone, key?: string): ToneSpec | undefined;
  /** A live call's media by call id. */
  media(call: string): CallMedia | undefined;
  /** The ringer of ringing call `call` (its ring type); without it the 'ring' tone's spec plays. */
  ring?(call: string | undefined): AudioSource | undefined;
}

export class HandsetMixer {
  private readonly taps = new Map<string, Tap>();
  private tone: { name: HandsetTone; since: number; call: string | undefined; source: AudioSource | undefined } | undefined;
  private scratch = new Int16Array(0);
  private sum = new Float64Array(0);

  constructor(private readonly o: HandsetMixerOptions) {}

  get sampleRate(): number {
    return this.o.sampleRate;
  }

  /**
   * Fills `out` with the frame of what `heard` describes from clock time `now` on. A tone plays
   * at phase `now - toneSince`, so its cadence and length follow the clock, not the tick; a tone
   * starting inside the frame (a late tick learnt of it early) starts there, after silence.
   */
  render(heard: Heard, out: Int16Array, now: number): void {
    if (this.sum.length !== out.length) {
      this.sum = new Float64Array(out.length);
      this.scratch = new Int16Array(out.length);
    }
    const sum = this.sum;
    sum.fill(0);
    const calls = heard.source === 'call' ? (heard.calls ?? (heard.call !== undefined ? [heard.call] : [])) : [];
    this.keepTaps(calls);
    for (const id of calls) this.add(this.taps.get(id)?.reader);
    const lead = heard.toneSince !== undefined ? Math.round(((heard.toneSince - now) * this.o.sampleRate) / 1000) : 0;
    if (lead < out.length) this.add(this.toneFor(heard, now), Math.max(0, lead));
    for (let i = 0; i < out.length; i++) {
      const r = Math.round(sum[i]!);
      out[i] = r > 32767 ? 32767 : r < -32768 ? -32768 : r;
    }
  }

  /** Removes every tap (the recording stopped). */
  close(): void {
    this.keepTaps([]);
    this.tone = undefined;
  }

  /** Adds the next samples of `source` to the frame from sample `from` on. */
  private add(source: AudioSource | undefined, from = 0): void {
    if (!source) return;
    const n = source.read(this.scratch.subarray(from));
    const sum = this.sum;
    for (let i = 0; i < n; i++) sum[from + i] = sum[from + i]! + this.scratch[from + i]!;
  }

  private toneFor(heard: Heard, now: number): AudioSource | undefined {
    if (heard.tone === undefined) {
      this.tone = undefined;
      return undefined;
    }
    const since = heard.toneSince ?? 0;
    // Each ringing call rings with its own ring type: the ringer starts again for another call.
    const call = heard.tone === 'ring' ? heard.call : undefined;
    if (this.tone?.name !== heard.tone || this.tone.since !== since || this.tone.call !== call) {
      let source: AudioSource | undefined;
      try {
        const spec = heard.tone === 'ring' && this.o.ring ? undefined : this.o.tone(heard.tone, heard.key);
        source = heard.tone === 'ring' && this.o.ring ? this.o.ring(call) : spec ? new ToneSource(spec, this.o.sampleRate) : undefined;
      } catch {
        source = undefined; // a frequency the rate cannot carry: the tone is not heard
      }
      this.tone = { name: heard.tone, since, call, source };
      if (source) this.skip(source, now - since);
    }
    return this.tone.source;
  }

  /** Moves a new tone on by what already passed since it started (at most MAX_SKIP_MS). */
  private skip(source: AudioSource, ms: number): void {
    let left = Math.round((Math.min(Math.max(0, ms), MAX_SKIP_MS) * this.o.sampleRate) / 1000);
    while (left > 0 && this.scratch.length > 0) {
      const n = Math.min(left, this.scratch.length);
      source.read(this.scratch.subarray(0, n));
      left -= n;
    }
  }

  private keepTaps(calls: readonly string[]): void {
    for (const [id, tap] of this.taps) {
      if (calls.includes(id)) continue;
      tap.remove();
      this.taps.delete(id);
    }
    for (const id of calls) {
      if (this.taps.has(id)) continue;
      const media = this.o.media(id);
      if (!media) continue;
      const shared = new SharedAudio(this.o.sampleRate);
      this.taps.set(id, { reader: shared.reader(), remove: media.addSink(shared) });
    }
  }
}
