// Signal levels of 16-bit linear PCM, in one convention for the whole media engine.
//
// dBFS follows AES17: 0 dBFS is the RMS of a full-scale sine (peak 32767), so a sine's level in
// dBFS is 20·log10(peak / 32767) and a full-scale square wave reads +3.01 dBFS.
// dBm0 (telephony): the full-scale sine of G.711 µ-law is +3.17 dBm0 (A-law +3.14 dBm0; the
// µ-law figure is used), so dBm0 = dBFS + 3.17. Tone and DTMF levels in the
// manuals and in ITU-T Q.23/Q.24 are given in dBm0; meters read dBFS.

/** Peak amplitude of a full-scale sine. */
export const FULL_SCALE = 32767;
/** RMS of a full-scale sine: the 0 dBFS reference. */
export const FULL_SCALE_RMS = FULL_SCALE / Math.SQRT2;
/** dBm0 of the full-scale sine (G.711 µ-law maximum level +3.17 dBm0). */
export const FULL_SCALE_DBM0 = 3.17;
/** Level reported for digital silence (avoids -Infinity in logs and JSON). */
export const SILENCE_DB = -120;

/** Peak amplitude of a sine at `dbfs`. */
export function sineAmplitudeForDbfs(dbfs: number): number {
  return FULL_SCALE * 10 ** (dbfs / 20);
}

/** Peak amplitude of a sine at `dbm0`. */
export function sineAmplitudeForDbm0(dbm0: number): number {
  return sineAmplitudeForDbfs(dbm0 - FULL_SCALE_DBM0);
}

export function dbm0ToDbfs(dbm0: number): number {
  return dbm0 - FULL_SCALE_DBM0;
}

export function dbfsToDbm0(dbfs: number): number {
  return dbfs + FULL_SCALE_DBM0;
}

/** dBFS of a signal with this RMS value (AES17); {@link SILENCE_DB} for zero. */
export function rmsToDbfs(rms: number): number {
  return rms > 0 ? Math.max(SILENCE_DB, 20 * Math.log10(rms / FULL_SCALE_RMS)) : SILENCE_DB;
}

/** RMS value of a signal at `dbfs` (AES17). */
export function dbfsToRms(dbfs: number): number {
  return FULL_SCALE_RMS * 10 ** (dbfs / 20);
}

/** dBFS of a peak sample magnitude, relative to full scale (0 dBFS = 32767); {@link SILENCE_DB} for 0. */
export function peakToDbfs(peak: number): number {
  return peak > 0 ? Math.max(SILENCE_DB, 20 * Math.log10(peak / FULL_SCALE)) : SILENCE_DB;
}

/** Rounds and clamps to the int16 range. */
export function saturate16(x: number): number {
  const v = Math.round(x);
  return v > 32767 ? 32767 : v < -32768 ? -32768 : v;
}

/** RMS level in dBFS of `samples` (AES17), {@link SILENCE_DB} when empty or silent. */
export function measureRmsDbfs(samples: Int16Array): number {
  if (samples.length === 0) return SILENCE_DB;
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i]! * samples[i]!;
  return rmsToDbfs(Math.sqrt(sum / samples.length));
}
