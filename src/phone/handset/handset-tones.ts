// The tones and tone rules of the handset from the device's canonical settings, in either
// dialect: the KX-UT670's `<TONE>_FRQ/_GAIN/_TIMING` (5.6.2, DeviceSettings.tones) with
// DISCONNECTION_MODE and TONE_LEN_DISCONNECT_* (5.6.1), or the A12's 9.22 cadence strings and
// country areas (IntercomSettings.tones) with its 9.15 tone switches and auto hand-down time;
// and the ringer of each ring type (ring-types.ts, ring-files.ts).
import type { Result } from '../../core/result.js';
import { failure } from '../../core/result.js';
import { a12Tone } from '../../codecs/tone-cadence.js';
import { kxUt670Tone, type ToneSpec } from '../../codecs/tone-generator.js';
import { dtmfFrequencies, dtmfTimingFromSettings } from '../../codecs/dtmf-generator.js';
import type { DeviceSettings } from '../../settings/canonical.js';
import { SamplesSource, ToneSource, type AudioSource } from '../../codecs/audio-source.js';
import type { HandsetConfig, HandsetTone } from './handset-state.js';
import { ringFileSamples } from './ring-files.js';
import { builtInRingType, ringTypeSpec, type RingDialect } from './ring-types.js';

export type ToneDialect = RingDialect;

/** The A12 9.22 tone of each handset tone (the A12 has one "holding" tone for both hold cases). */
const A12_KIND: Readonly<Record<HandsetTone, string>> = {
  dial: 'dial',
  stutter: 'stutter',
  ringback: 'ringback',
  busy: 'busy',
  reorder: 'congestion',
  callWaiting: 'callWaiting',
  holdAlarm: 'holding',
  hold: 'holding',
  ring: 'ring',
  sideTone: 'dtmf',
};

/**
 * The ringer of a call that has no ring type (and what `handsetToneSpec(…, 'ring')` gives): ring
 * type 1, 1000+1200 Hz for 2 s every 6 s. DEVIATION: neither manual describes the ringer's sound
 * (the KX-UT670's "Ringing Tone", 4.7.3.3, is the ringback heard by the caller); each ring type
 * has a sound of the emulator's choosing, documented in ring-types.ts.
 */
export const RINGER: ToneSpec = ringTypeSpec(1)!;

/**
 * What the ringer plays for ring type `ringType` (the call's `ringType`, policy/ring-selection.ts):
 * an uploaded A12 ring file of that name, looped (ring-files.ts); else the built-in type the name
 * stands for (ring-types.ts); else, and without a ring type, type 1.
 */
export function ringerSource(dialect: ToneDialect, ringType: string | undefined, dataDir: string, sampleRate: 8000 | 16000): AudioSource {
  if (dialect === 'a12' && ringType !== undefined) {
    const samples = ringFileSamples(dataDir, ringType.trim(), sampleRate);
    if (samples) return new SamplesSource(samples, sampleRate, true);
  }
  const n = ringType !== undefined ? (builtInRingType(dialect, ringType) ?? 1) : 1;
  return new ToneSource(ringTypeSpec(n) ?? RINGER, sampleRate);
}

/** The side-tone of a dial-pad key: its DTMF pair for `ms` (DTMF_SIGNAL_LEN), then silence. */
export function sideToneSpec(key: string, ms: number): Result<ToneSpec> {
  const f = dtmfFrequencies(key.toUpperCase());
  if (!f) return failure('TONE_UNKNOWN', `tone: '${key}' is not a DTMF key`);
  return {
    ok: true,
    value: {
      segments: [
        { components: [{ freqHz: f.rowHz, levelDb: 0 }, { freqHz: f.colHz, levelDb: 0 }], durationMs: ms, once: true },
        { components: [], durationMs: Infinity, once: false },
      ],
      gainDb: 0,
    },
  };
}

/** The ToneSpec the phone plays for `tone` under its settings. */
export function handsetToneSpec(settings: DeviceSettings, dialect: ToneDialect, tone: HandsetTone, key = '0'): Result<ToneSpec> {
  if (tone === 'ring') return { ok: true, value: RINGER };
  if (tone === 'sideTone') return sideToneSpec(key, dtmfTimingFromSettings(settings).signalMs);
  if (dialect === 'a12') return a12Tone(settings.intercom.tones, A12_KIND[tone]);
  const s = settings.tones[tone];
  if (!s) return failure('TONE_UNKNOWN', `tone: the settings have no ${tone} tone`);
  return kxUt670Tone(tone, s);
}

/** The handset's rules under the settings. */
export function handsetConfig(settings: DeviceSettings, dialect: ToneDialect): HandsetConfig {
  if (dialect === 'a12') {
    const f = settings.intercom.features;
    // A12 9.15 Auto Handdown: the phone returns to idle after the auto hand-down time; without
    // it the tone plays until the user hangs up. DEVIATION: the manual names no disconnect tone;
    // the busy tone is what Fanvil phones play after the far end hangs up, and the congestion
    // tone marks other failures.
    const ms = f.autoHangup.enabled ? f.autoHangup.delayS * 1000 : undefined;
    return {
      disconnectTone: 'busy',
      failureTone: 'reorder',
      disconnectHandsetMs: ms,
      disconnectHandsfreeMs: ms,
      callWaitingTone: f.callWaitingTone,
      // A12 9.15 "Enable Holding Tone: a tone plays when the call is held" (our hold).
      holdAlarmTone: f.holdingTone,
      remoteHoldTone: false,
      sideToneMs: dtmfTimingFromSettings(settings).signalMs,
    };
  }
  const c = settings.call;
  // KX-UT670 5.6.1 DISCONNECTION_MODE "selects the reorder tone (ROT) or busy tone (BT) when a
  // dial operation fails": 1 ROT, 2 BT. DEVIATION: read as the disconnect tone too (the tone
  // TONE_LEN_DISCONNECT_* times); a busy far end (486/600) always gives the busy tone.
  const tone = c.disconnectionMode === 2 ? 'busy' : 'reorder';
  return {
    disconnectTone: tone,
    failureTone: tone,
    disconnectHandsetMs: c.disconnectToneHandsetS * 1000,
    disconnectHandsfreeMs: c.disconnectToneHandsfreeS * 1000,
    callWaitingTone: true,
    holdAlarmTone: true,
    remoteHoldTone: true,
    // KX-UT670 5.7.3 DTMF_SIGNAL_LEN: the side-tone lasts as long as the digit sent.
    sideToneMs: dtmfTimingFromSettings(settings).signalMs,
  };
}
