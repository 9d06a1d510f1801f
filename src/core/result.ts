// Untrusted input (SIP, SDP, RTP, config files, HTTP bodies) comes back as a Result with a
// stable code and a prefixed message; only programming errors throw.

export interface Failure {
  /** Stable machine-readable code, e.g. `CFG_BAD_VALUE`, `SIP_BAD_START_LINE`. */
  readonly code: string;
  /** Human-readable, prefixed with the layer: `config: line 12: ...`. */
  readonly message: string;
}

export type Result<T, E extends Failure = Failure> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function err<E extends Failure>(error: E): { readonly ok: false; readonly error: E } {
  return { ok: false, error };
}

export function failure(code: string, message: string): { readonly ok: false; readonly error: Failure } {
  return { ok: false, error: { code, message } };
}

/** Unwraps a Result where failure is a bug (tests, known-good constants). */
export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`unwrap: ${result.error.code}: ${result.error.message}`);
  return result.value;
}
