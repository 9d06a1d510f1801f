// Retry-After on a REGISTER's error response (RFC 3261 §20.33, §21.5.4 503, §21.5.1 500, §21.4.18
// 480): `Retry-After: 18000;duration=3600` or `Retry-After: 120 (I'm in a meeting)`; only the
// delta-seconds matter to a registration.

/** Longest wait a registrar can impose on a line (then REG_RTX_INTVL_n-style retries resume). */
export const MAX_RETRY_AFTER_S = 3600;
/** Shortest: `Retry-After: 0` must not turn into a tight loop against a struggling server. */
export const MIN_RETRY_AFTER_S = 1;

/** The bounded delay in seconds, or undefined when the header is absent or malformed. */
export function retryAfterSeconds(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*(\d{1,10})(?=\s*(?:[;(]|$))/.exec(value);
  if (m === null) return undefined;
  return Math.min(MAX_RETRY_AFTER_S, Math.max(MIN_RETRY_AFTER_S, Number(m[1])));
}
