// The handset recorder in virtual time: a Handset on a VirtualClock's media tick, fed call
// snapshots and the hook switch as a device would, records what the user hears. The recording is
// checked with the call-progress detector (the KX-UT670's own configured tones as candidates)
// and Goertzel filters, at 20 ms resolution: dial tone from off hook, silence while calling,
// ringback from the 180 with its configured cadence, the far end's audio once answered, the
// call-waiting tone mixed over it, the disconnect tone for exactly TONE_LEN_DISCONNECT_HANDSET,
// then silence.
import { describe, expect, it } from 'vitest';
import { kxUt670Catalogue } from '../../firmware-sim/models/kx-ut670/catalogue.js';
import { VirtualClock } from '../../src/core/clock.js';
import { unwrap } from '../../src/core/result.js';
import { MediaClock } from '../../src/media/media-clock.js';
import { CallProgressDetector } from '../../src/codecs/dtmf-detector.js';
import { goertzelAmplitude } from '../../src/codecs/goertzel.js';
import { decodeWav } from '../../src/codecs/wav.js';
import { kxUt670Tone, type ToneSpec } from '../../src/codecs/tone-generator.js';
import { buildDeviceSettings } from '../../src/settings/build-canonical.js';
import type { CallSnapshot, CallState } from '../../src/phone/call.js';
import type { TelephonyApi } from '../../src/phone/telephony-api.js';
import { Handset } from '../../src/phone/handset/handset.js';
import { RecordingMedia } from '../helpers/recording-media.js';
import { tempDir } from '../helpers/device.js';

const settings = buildDeviceSettings(kxUt670Catalogue, { lineCount: 6, buttonCount: 24 }, (n) => kxUt670Catalogue.defaultOf(n)!);
settings.call.disconnectToneHandsetS = 3;
// A configured ringback cadence (not the default) the detector must find: off 60, on 1000, off 1940.
settings.tones.ringback = { frequenciesHz: [440, 480], gainDb: 0, timingMs: [60, 1000, 1940] };
// A reorder cadence the 3 s disconnect window cuts inside a burst (3000 mod 860 = 420: on).
settings.tones.reorder = { frequenciesHz: [480, 620], gainDb: 0, timingMs: [60, 700, 100] };
const toneSpecs: Record<string, ToneSpec> = Object.fromEntries(['dial', 'ringback', 'busy', 'reorder', 'callWaiting'].map((n) => [n, unwrap(kxUt670Tone(n, settings.tones[n]!))]));

/** The far end: a 1 kHz sine at about -20 dBFS written to the call's sinks on every tick. */
function farEnd(media: RecordingMedia, mc: MediaClock): void {
  let phase = 0;
  mc.subscribe(() => {
    for (const sink of media.sinks) {
      const frame = new Int16Array(sink.sampleRate / 50);
      for (let i = 0; i < frame.length; i++) frame[i] = Math.round(3300 * Math.sin((phase += (2 * Math.PI * 1000) / sink.sampleRate)));
      sink.write(frame);
    }
  });
}

function rig() {
  const clock = new VirtualClock();
  const mc = new MediaClock(clock, 20);
  const calls = new Map<string, { snap: CallSnapshot; media: RecordingMedia }>();
  let hook: 'on' | 'off' = 'on';
  const telephony = {
    listCalls: () => [...calls.values()].map((c) => c.snap),
    call: (id: string) => {
      const c = calls.get(id);
      return c ? { media: c.media, active: c.snap.state !== 'ended' } : undefined;
    },
    hookState: () => hook,
  } as unknown as TelephonyApi;
  const handset = new Handset({ clock, mediaClock: mc, settings: () => settings, dialect: 'kx-ut670', telephony: () => telephony, files: () => ({ dataDir: tempDir() }) });
  const set = (id: string, state: CallState, extra: Partial<CallSnapshot> = {}) => {
    const prev = calls.get(id);
    const snap: CallSnapshot = {
      ...(prev?.snap ?? { id, line: 1, direction: 'outgoing', remote: { uri: 'sip:a12', displayName: '' }, local: 'sip:kx', callId: id, remoteHold: false, muted: false, codec: 'PCMU', startedAt: clock.now(), answeredAt: undefined, endedAt: undefined, endReason: undefined, endStatus: undefined, rtp: undefined }),
      state,
      ...extra,
    };
    const media = prev?.media ?? new RecordingMedia(4000);
    calls.set(id, { snap, media });
    handset.onCall(snap);
    return media;
  };
  return { clock, mc, handset, set, setHook: (h: 'on' | 'off') => {
      hook = h;
      handset.onHook(h); // the device's `hook` event
    } };
}

/** Per 20 ms block of the recording: the Goertzel amplitude at `hz`. */
function blocks(x: Int16Array, rate: number, hz: number): number[] {
  const n = rate / 50;
  const out: number[] = [];
  for (let i = 0; i + n <= x.length; i += n) out.push(goertzelAmplitude(x.subarray(i, i + n), hz, rate));
  return out;
}

function detect(x: Int16Array, rate: number, fromMs: number, toMs: number, tones: Record<string, ToneSpec> = toneSpecs): string | undefined {
  const d = new CallProgressDetector(rate, tones);
  const seg = x.subarray(Math.round((fromMs * rate) / 1000), Math.round((toMs * rate) / 1000));
  for (let i = 0; i < seg.length; i += rate / 50) d.write(seg.subarray(i, i + rate / 50));
  return d.tone;
}

describe('handset recording (virtual time)', () => {
  it('dial tone, silence while calling, the configured ringback, the far end, call waiting over it, the disconnect tone for TONE_LEN_DISCONNECT_HANDSET, silence', () => {
    const { clock, mc, handset, set, setHook } = rig();
    expect(handset.record({ file: undefined, maxSeconds: 60 }).ok).toBe(true);
    expect(handset.record({ file: undefined, maxSeconds: 60 }).ok).toBe(false); // one at a time
    clock.advance(1000); // idle: silence
    setHook('off'); // t = 1000
    expect(handset.status()).toMatchObject({ source: 'tone', tone: 'dial', device: 'handset', hook: 'off' });
    clock.advance(2000);
    set('c1', 'calling'); // t = 3000
    clock.advance(1000);
    set('c1', 'ringback'); // t = 4000
    clock.advance(7000);
    const media = set('c1', 'connected', { answeredAt: clock.now() }); // t = 11000
    media.applied.push({} as never); // the stream runs: sampleRate 8000
    farEnd(media, mc);
    clock.advance(2000);
    set('c2', 'ringing', { direction: 'incoming', waiting: true }); // t = 13000
    clock.advance(1000);
    set('c2', 'ended', { direction: 'incoming', endReason: 'cancelled' }); // t = 14000
    clock.advance(1000);
    set('c1', 'ended', { answeredAt: 11000, endReason: 'remote-bye' }); // t = 15000
    expect(handset.status()).toMatchObject({ source: 'tone', tone: 'reorder', reason: 'disconnect', until: 18000 });
    clock.advance(5000); // t = 20000
    expect(handset.status()).toMatchObject({ source: 'silence', reason: 'after-disconnect' });
    const stopped = unwrap(handset.stop());
    expect(handset.stop()).toEqual({ ok: true, value: undefined });
    const wav = unwrap(decodeWav(Buffer.from(stopped!.wav!, 'base64')));
    expect(wav.sampleRate).toBe(16000);
    // One frame per tick from the first tick (t = 20 ms); the frame of tick t is clock [t, t + 20).
    expect(stopped!.durationMs).toBe(20000);
    const x = wav.samples;
    const rate = 16000;
    const ms = (t: number) => t - 20; // recording time of clock time t (an event at a tick is heard from the next)

    // Tones by frequencies and cadence, each in its own window.
    expect(detect(x, rate, ms(1000), ms(3000))).toBe('dial');
    expect(detect(x, rate, ms(4000), ms(11000))).toBe('ringback');
    expect(detect(x, rate, ms(15000), ms(18000))).toBe('reorder');
    // Block by block (20 ms): what is on when.
    const at350 = blocks(x, rate, 350);
    const at440 = blocks(x, rate, 440);
    const at1k = blocks(x, rate, 1000);
    const at425 = blocks(x, rate, 425);
    const at620 = blocks(x, rate, 620);
    const b = (t: number) => Math.floor(ms(t) / 20);
    const on = (a: number[], from: number, to: number) => a.slice(b(from), b(to)).filter((v) => v > 300).length;
    expect(on(at350, 0, 1000) + on(at620, 0, 1000)).toBe(0); // idle
    expect(on(at350, 1060, 3000)).toBe(b(3000) - b(1060)); // dial: off 60 ms, then steady
    expect(on(at440, 3020, 4000)).toBe(0); // calling: silence (the tick at 3000 came before the call)
    // Ringback from the 180: off 60 ms, on 1000 ms, off 1940 ms, repeating.
    expect(on(at440, 4000, 4060)).toBe(0);
    expect(on(at440, 4060, 5060)).toBe(50);
    expect(on(at440, 5060, 7000)).toBe(0);
    expect(on(at440, 7060, 8060)).toBe(50);
    // The far end's 1 kHz once answered, and no ringback.
    expect(on(at1k, 11040, 15000)).toBe(b(15000) - b(11040));
    expect(on(at440, 11020, 13000)).toBe(0); // (from 13000 the 425 Hz call-waiting tone leaks into a 20 ms 440 Hz bin)
    // Call waiting (CW_TONE1: on 120, off 120, on 120, off 120, on 120, off 14400) over the call,
    // at phase clock - 13000 (the first 20 ms fell before the next tick).
    expect(on(at425, 13000, 13120)).toBe(5);
    expect(on(at425, 13120, 13240)).toBe(0);
    expect(on(at425, 13240, 13360)).toBe(6);
    expect(on(at425, 13600, 14000)).toBe(0);
    // Disconnect: the reorder tone (DISCONNECTION_MODE 1) as configured, cut after exactly 3 s.
    const reorderOn = at620.map((v, i) => (v > 300 ? i : -1)).filter((i) => i >= b(15000));
    expect(reorderOn[0]).toBe(b(15060));
    expect(on(at620, 15060, 15760)).toBe(35);
    expect(on(at620, 15760, 15920)).toBe(0);
    expect(reorderOn.at(-1)).toBe(b(18000) - 1);
    expect(on(at1k, 15020, 20000)).toBe(0);
  });

  it('a busy far end (486) gives the busy tone hands-free for TONE_LEN_DISCONNECT_HANDSFREE; a 404 the reorder tone', () => {
    for (const [status, tone] of [[486, 'busy'], [404, 'reorder']] as const) {
      const { clock, handset, set } = rig();
      set('c1', 'calling');
      handset.record({ file: undefined, maxSeconds: 60 });
      clock.advance(500);
      set('c1', 'ended', { endReason: 'rejected', endStatus: status });
      expect(handset.status()).toMatchObject({ source: 'tone', tone, device: 'handsfree' });
      clock.advance(4000);
      expect(handset.status()).toMatchObject({ source: 'silence', reason: 'idle', device: 'none' });
      const x = unwrap(decodeWav(Buffer.from(unwrap(handset.stop())!.wav!, 'base64'))).samples;
      expect(detect(x, 16000, 480, 3480)).toBe(tone);
      const on = blocks(x, 16000, 620).map((v, i) => (v > 300 ? i : -1)).filter((i) => i >= 0);
      const b = (t: number) => Math.floor((t - 20) / 20);
      expect(on[0]).toBe(b(560)); // off 60 first
      // 3 s (the hands-free default) after the 486: busy (on 500, off 440+60) last sounds from
      // 2560 to 3060 ms after it; the configured reorder is cut inside its burst at 3000 ms.
      expect(on.at(-1)).toBe(tone === 'busy' ? b(500 + 2560) - 1 : b(3500) - 1);
    }
  });
});
