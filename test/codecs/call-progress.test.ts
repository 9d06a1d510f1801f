import { describe, expect, it } from 'vitest';
import { kxUt670Catalogue } from '../../firmware-sim/models/kx-ut670/catalogue.js';
import { unwrap } from '../../src/core/result.js';
import { CallProgressDetector } from '../../src/codecs/dtmf-detector.js';
import type { CallProgressEvent } from '../../src/codecs/dtmf-detector.js';
import { PCMA } from '../../src/codecs/g711.js';
import { PRESET_TONE_KINDS, TONE_PRESETS, formatToneCadence, parseToneCadence } from '../../src/codecs/tone-cadence.js';
import type { ToneSpec } from '../../src/codecs/tone-generator.js';
import { kxUt670Tone, renderTone } from '../../src/codecs/tone-generator.js';
import { buildDeviceSettings } from '../../src/settings/build-canonical.js';
import { concat, silence, speechLike } from './signals.js';

const kx = buildDeviceSettings(kxUt670Catalogue, { lineCount: 6, buttonCount: 24 }, (n) => kxUt670Catalogue.defaultOf(n)!);
const kxTones: Record<string, ToneSpec> = Object.fromEntries(['dial', 'ringback', 'busy', 'reorder'].map((n) => [n, unwrap(kxUt670Tone(n, kx.tones[n]!))]));

function listen(tones: Record<string, ToneSpec>, x: Int16Array, rate = 8000): { events: CallProgressEvent[]; detector: CallProgressDetector } {
  const events: CallProgressEvent[] = [];
  const detector = new CallProgressDetector(rate, tones, { onChange: (e) => events.push(e) });
  const frame = rate / 50;
  for (let i = 0; i < x.length; i += frame) detector.write(x.subarray(i, i + frame));
  return { events, detector };
}

describe('call-progress detector', () => {
  it('names the KX-UT670 default dial, ringback, busy and reorder tones by frequency and cadence', () => {
    const latest: Record<string, number> = { dial: 1200, ringback: 6200, busy: 2100, reorder: 1100 };
    for (const rate of [8000, 16000]) {
      for (const name of Object.keys(kxTones)) {
        const { events, detector } = listen(kxTones, renderTone(kxTones[name]!, rate, 13000), rate);
        expect(detector.tone, `${name} at ${rate} Hz`).toBe(name);
        expect(events.map((e) => e.tone), name).toEqual([name]); // recognised once, no flapping
        expect(events[0]!.atMs, name).toBeLessThanOrEqual(latest[name]!);
      }
    }
  });

  it('reports the end of a tone and stays quiet for silence and speech', () => {
    const busy = concat([renderTone(kxTones.busy!, 8000, 4000), silence(8000, 2)]);
    const { events } = listen(kxTones, busy);
    expect(events.map((e) => e.tone)).toEqual(['busy', undefined]);
    expect(events[1]!.atMs).toBeGreaterThan(4000);
    expect(events[1]!.atMs).toBeLessThan(4000 + 700);
    expect(listen(kxTones, silence(8000, 5)).events).toEqual([]);
    expect(listen(kxTones, speechLike(8000, 20, 4, 12000)).events).toEqual([]);
  });

  it('follows a change from ringback to busy, also through G.711', () => {
    const x = concat([renderTone(kxTones.ringback!, 8000, 12000), renderTone(kxTones.busy!, 8000, 4000)]);
    const bytes = new Uint8Array(x.length);
    PCMA.encode(x, bytes);
    const y = new Int16Array(x.length);
    PCMA.decode(bytes, y);
    const { events } = listen(kxTones, y);
    expect(events.map((e) => e.tone).filter((t) => t !== undefined)).toEqual(['ringback', 'busy']);
  });

  it('recognises the A12 country sets: each area names its own dial, ringback, busy and congestion tones', () => {
    const failures: string[] = [];
    for (const [area, set] of Object.entries(TONE_PRESETS)) {
      const specs: Record<string, ToneSpec> = Object.fromEntries(PRESET_TONE_KINDS.filter((k) => k !== 'callWaiting').map((k) => [k, unwrap(parseToneCadence(set[k]))]));
      for (const [kind, spec] of Object.entries(specs)) {
        const { detector } = listen(specs, renderTone(spec, 8000, 14000));
        const heard = detector.tone;
        // Where a country uses the same signal for two tones (JP busy = congestion), either name
        // is right. Australia's congestion alternates 425 and 420 Hz with its busy cadence: 5 Hz
        // apart, which 20 ms blocks cannot resolve, so its busy tone may be named congestion.
        const same = heard !== undefined && formatToneCadence(specs[heard]!) === formatToneCadence(spec);
        const ambiguous = area === 'AU' && kind === 'busy' && heard === 'congestion';
        if (!same && !ambiguous) failures.push(`${area} ${kind}: heard ${heard}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
