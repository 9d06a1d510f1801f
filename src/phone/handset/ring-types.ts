// The ring types: what the ringer plays for each ring type number, and how each model names a
// ring type. DEVIATION: neither manual describes a ring's sound. The KX-UT670 numbers its
// ringtones 1–32 (5.6.4 FLEX_BUTTON_FACILITY_ARGx: "1–32 (ringtone number)"); the A12 names ring
// files (9.12 Ring Type, 9.16 Default Ring Type "default.wav", 9.5 uploaded ringtones). The
// emulator gives ring type n (1–32) a sound of its own, built from 8 frequency pairs and
// 4 cadences, so every type is told apart by its frequencies and its on/off pattern:
//
//   type n: pair ((n - 1) mod 8) + 1, cadence floor((n - 1) / 8) + 1
//   pairs:    1 1000+1200 Hz  2 660+880  3 1400+1800  4 523+659  5 2000+2400  6 800+1600
//             7 370+1100      8 1500+2900
//   cadences (on/off ms, repeating): 1 2000/4000 (North American ringing)
//             2 400/200/400/2000 (double ring)  3 300/200/300/200/300/2700 (triple ring)
//             4 500/250/1500/2750 (short-long)
//
// Type 1 is the ringer the emulator always played (1000+1200 Hz, 2 s every 6 s). The A12's
// `default.wav` is type 1 and its `N.wav` (N = 1–32) type N; any other name is a file uploaded
// through PUT /api/v1/ringtones/{name} (ring-files.ts). A KX-UT670 ring type is its ringtone number.
import { toneFromTimings, type ToneSpec } from '../../codecs/tone-generator.js';

/** The models whose ring types we know (the same names as handset-tones.ts ToneDialect). */
export type RingDialect = 'kx-ut670' | 'a12';

export const RING_TYPE_COUNT = 32;

/** The frequency pairs, Hz (none is a call-progress tone's: 350/440/480/620). */
export const RING_PAIRS: ReadonlyArray<readonly [number, number]> = [
  [1000, 1200],
  [660, 880],
  [1400, 1800],
  [523, 659],
  [2000, 2400],
  [800, 1600],
  [370, 1100],
  [1500, 2900],
];

/** The cadences: on, off, on, off… ms, repeated. */
export const RING_CADENCES: ReadonlyArray<readonly number[]> = [
  [2000, 4000],
  [400, 200, 400, 2000],
  [300, 200, 300, 200, 300, 2700],
  [500, 250, 1500, 2750],
];

/** The A12's factory ring file (9.16 Default Ring Type). */
export const A12_DEFAULT_RING = 'default.wav';

/** Frequencies and cadence of ring type `n` (1–32); undefined outside. */
export function ringTypeSound(n: number): { readonly frequenciesHz: readonly [number, number]; readonly cadenceMs: readonly number[] } | undefined {
  if (!Number.isInteger(n) || n < 1 || n > RING_TYPE_COUNT) return undefined;
  return { frequenciesHz: RING_PAIRS[(n - 1) % RING_PAIRS.length]!, cadenceMs: RING_CADENCES[Math.floor((n - 1) / RING_PAIRS.length)]! };
}

/** The ToneSpec of ring type `n` (1–32), at nominal level; undefined outside. */
export function ringTypeSpec(n: number): ToneSpec | undefined {
  const sound = ringTypeSound(n);
  if (!sound) return undefined;
  const spec = toneFromTimings(sound.frequenciesHz, 0, sound.cadenceMs, 'on-first');
  return spec.ok ? spec.value : undefined;
}

/**
 * The built-in ring type number a model's ring type name stands for: the KX-UT670's ringtone
 * number ("7"), the A12's `default.wav` (1) or `N.wav`. Undefined: not a built-in ring (an A12
 * uploaded file name, or nothing we know).
 */
export function builtInRingType(dialect: RingDialect, ringType: string): number | undefined {
  const name = ringType.trim().toLowerCase();
  if (dialect === 'a12' && name === A12_DEFAULT_RING) return 1;
  const m = dialect === 'a12' ? /^([0-9]{1,2})\.wav$/.exec(name) : /^([0-9]{1,2})$/.exec(name);
  const n = m ? Number(m[1]) : NaN;
  return n >= 1 && n <= RING_TYPE_COUNT ? n : undefined;
}
