// message/sipfrag bodies of REFER progress NOTIFYs (RFC 3515 §2.4.5, RFC 3420): the body starts
// with the Status-Line of the response the referred request got ("SIP/2.0 100 Trying").
import { failure, ok, type Result } from '../../core/result.js';
import { reasonPhrase } from '../message/index.js';

export const SIPFRAG_TYPE = 'message/sipfrag';

export interface SipfragStatus {
  readonly status: number;
  readonly reason: string;
}

/** `SIP/2.0 <status> <reason>` as a sipfrag body (RFC 3515 §2.4.5). */
export function formatSipfrag(status: number, reason: string = reasonPhrase(status)): string {
  return `SIP/2.0 ${status} ${reason}\r\n`;
}

/** Reads the Status-Line a sipfrag body must begin with. */
export function parseSipfrag(body: string | Uint8Array): Result<SipfragStatus> {
  const text = typeof body === 'string' ? body : Buffer.from(body).toString('utf8');
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  const m = /^SIP\/2\.0 ([1-6]\d\d)(?: (.*))?$/.exec(line.trimEnd());
  if (!m) return failure('SIP_BAD_SIPFRAG', `sipfrag: body does not start with a SIP Status-Line: '${line.slice(0, 40)}'`);
  return ok({ status: Number(m[1]), reason: m[2] ?? '' });
}
