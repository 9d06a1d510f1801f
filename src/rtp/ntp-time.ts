// NTP timestamps as RTCP uses them (RFC 3550 §4): 32-bit seconds since 1900-01-01 and a 32-bit
// binary fraction; the "compact" form is the middle 32 bits (16.16 fixed point), used by LSR and
// DLSR in report blocks (RFC 3550 §6.4.1). Time comes from the caller (clock.wallTime()).

/** Seconds from 1900-01-01 (NTP era 0) to 1970-01-01 (Unix epoch). */
export const NTP_UNIX_OFFSET_S = 2_208_988_800;
const TWO_32 = 4_294_967_296;

export interface NtpTimestamp {
  seconds: number;
  fraction: number;
}

/** NTP timestamp of `unixMs` milliseconds since the Unix epoch (seconds modulo 2^32). */
export function ntpFromUnixMs(unixMs: number): NtpTimestamp {
  const wholeS = Math.floor(unixMs / 1000);
  const fractionMs = unixMs - wholeS * 1000;
  return { seconds: (wholeS + NTP_UNIX_OFFSET_S) % TWO_32 >>> 0, fraction: Math.min(TWO_32 - 1, Math.floor((fractionMs / 1000) * TWO_32)) };
}

/** Middle 32 bits of a 64-bit NTP timestamp (16.16 fixed point seconds). */
export function compactNtp(seconds: number, fraction: number): number {
  return (((seconds & 0xffff) << 16) | (fraction >>> 16)) >>> 0;
}

/** Compact NTP of `unixMs`. */
export function compactNtpFromUnixMs(unixMs: number): number {
  const t = ntpFromUnixMs(unixMs);
  return compactNtp(t.seconds, t.fraction);
}

/** Milliseconds as units of 1/65536 s (DLSR), rounded, saturated to 32 bits. */
export function msToCompact(ms: number): number {
  return Math.min(TWO_32 - 1, Math.max(0, Math.round((ms * 65536) / 1000)));
}

/** Units of 1/65536 s as milliseconds. */
export function compactToMs(units: number): number {
  return (units * 1000) / 65536;
}
