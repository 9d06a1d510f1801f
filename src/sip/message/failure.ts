// Failures of the SIP message layer. Every malformed input comes back as a SipFailure with a
// stable `code`, a `reason` fit for the Reason-Phrase of the response that rejects it (RFC 3261
// §21.4.1 400 Bad Request: "the reason phrase SHOULD identify the syntax problem in more detail"),
// and the `status` such a response carries.
import type { Failure } from '../../core/result.js';

export type SipErrorCode =
  /** Only CR/LF bytes (or nothing): a keep-alive, not a message. Ignore silently. */
  | 'SIP_EMPTY'
  | 'SIP_BAD_START_LINE'
  /** SIP-Version other than SIP/2.0 (RFC 3261 §21.5.6: 505 Version Not Supported). */
  | 'SIP_BAD_VERSION'
  | 'SIP_BAD_URI'
  | 'SIP_BAD_HEADER'
  | 'SIP_MISSING_HEADER'
  | 'SIP_BAD_CSEQ'
  | 'SIP_BAD_CONTENT_LENGTH'
  | 'SIP_TOO_LARGE';

export interface SipFailure extends Failure {
  readonly code: SipErrorCode;
  /** Short text naming the fault, e.g. "Missing Call-ID"; used as the response's Reason-Phrase. */
  readonly reason: string;
  /** Status of the response that rejects the request: 400, 505 or 513. */
  readonly status: number;
}

export function sipFailure(code: SipErrorCode, reason: string): { readonly ok: false; readonly error: SipFailure } {
  const status = code === 'SIP_BAD_VERSION' ? 505 : code === 'SIP_TOO_LARGE' ? 513 : 400;
  return { ok: false, error: { code, reason, status, message: `sip: ${reason}` } };
}
