// Who is calling, as the incoming-call policy sees it: the number (user part of the From URI), the
// display name, and whether the caller withheld the identity. Pure.
import type { SipRequest } from '../../sip/message/index.js';
import { isSipUri } from '../../sip/message/index.js';

export interface CallerId {
  /** The From URI's user part, percent-decoded ('' for a tel: or user-less URI without a number). */
  readonly number: string;
  readonly displayName: string;
  readonly uri: string;
  /** The caller withheld the identity (RFC 3323 / RFC 3325 / RFC 3261 §8.1.1.3 anonymous From). */
  readonly anonymous: boolean;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

export function callerIdOf(invite: SipRequest): CallerId {
  const from = invite.from;
  const uri = from.uri;
  const number = isSipUri(uri) ? decode(uri.user ?? '') : uri.toString().replace(/^tel:/i, '').split(';')[0]!;
  const host = isSipUri(uri) ? uri.hostname.toLowerCase() : '';
  const displayName = from.displayName ?? '';
  // RFC 3323 §4.1.1.3: "Anonymous" <sip:anonymous@anonymous.invalid>; RFC 3325 §9.3 / RFC 3323
  // §4.2: Privacy: id / user / header asks to hide the identity.
  const privacy = invite.headers.getAll('Privacy').join(';').toLowerCase().split(/[;,\s]+/);
  const anonymous =
    number.toLowerCase() === 'anonymous' ||
    host === 'anonymous.invalid' ||
    (number === '' && isSipUri(uri)) ||
    privacy.some((p) => p === 'id' || p === 'user' || p === 'header') ||
    displayName.toLowerCase() === 'anonymous';
  return { number, displayName, uri: uri.toString(), anonymous };
}
