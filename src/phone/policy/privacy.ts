// Caller-ID privacy of outgoing calls. Pure.
//  - KX-UT670 5.8.2 SIP_ANM_DISPNAME_n (0 normal, 1 "Anonymous", 2 none), SIP_ANM_USERNAME_n
//    (0 normal, 1 "anonymous", 2 none), SIP_ANM_HOSTNAME_n (Y: anonymous.invalid): the From of an
//    anonymous call (RFC 3323 §4.1.1.3).
//  - SIP_PRIVACY_n: a Privacy header (RFC 3323 §4.2: `id` (RFC 3325 §9.3) on anonymous calls,
//    `none` otherwise).
//  - SIP_P_PREFERRED_ID_n: P-Preferred-Identity with the true identity (RFC 3325 §9.2), so a
//    trusted proxy can still assert it while hiding it from the callee.
//  - A12 9.12 "Anonymous Call Standard" (None / RFC 3323 / RFC 3325): `anonymousIdentity`.
import type { LineSettings } from '../../settings/canonical.js';
import { parseNameAddr, isSipUri } from '../../sip/message/index.js';

export interface OutgoingIdentity {
  /** From header value without tag. */
  readonly from: string;
  readonly headers: Array<[string, string]>;
}

function quoted(name: string): string {
  return `"${name.replace(/["\\]/g, '')}" `;
}

/** `lineFrom` is the line's own From (`"Name" <sip:user@domain>`). */
export function outgoingIdentity(lineFrom: string, s: Pick<LineSettings, 'anonymous' | 'privacyHeader' | 'pPreferredIdentity'>, anonymous: boolean): OutgoingIdentity {
  const headers: Array<[string, string]> = [];
  const parsed = parseNameAddr(lineFrom);
  const uri = parsed && isSipUri(parsed.uri) ? parsed.uri : undefined;
  const trueUri = uri ? `${uri.scheme}:${uri.user ? `${uri.user}@` : ''}${uri.host}` : '';
  if (s.pPreferredIdentity && trueUri !== '') headers.push(['P-Preferred-Identity', `${parsed?.displayName ? quoted(parsed.displayName) : ''}<${trueUri}>`]);
  if (s.privacyHeader) headers.push(['Privacy', anonymous ? 'id' : 'none']);
  if (!anonymous || !uri) return { from: lineFrom, headers };
  const a = s.anonymous;
  const display = a.displayName === 0 ? (parsed?.displayName ? quoted(parsed.displayName) : '') : a.displayName === 1 ? '"Anonymous" ' : '';
  const user = a.userName === 0 ? (uri.user ?? '') : a.userName === 1 ? 'anonymous' : '';
  const host = a.hostName ? 'anonymous.invalid' : uri.host;
  return { from: `${display}<${uri.scheme}:${user === '' ? '' : `${user}@`}${host}>`, headers };
}

export type AnonymousStandard = 'none' | 'rfc3323' | 'rfc3325';

/**
 * The A12's anonymous call under its Anonymous Call Standard. DEVIATION: the manual only names
 * the choices; our reading: every anonymous call has the RFC 3323 §4.1.1.3 From
 * `"Anonymous" <sip:anonymous@anonymous.invalid>`; RFC 3323 adds `Privacy: header` (§4.2: hide
 * the headers that reveal the caller); RFC 3325 adds `Privacy: id` (§9.3) and the true identity
 * in P-Preferred-Identity (§9.2) for the trusted proxy; None adds nothing.
 */
export function anonymousIdentity(lineFrom: string, standard: AnonymousStandard): OutgoingIdentity {
  const parsed = parseNameAddr(lineFrom);
  const uri = parsed && isSipUri(parsed.uri) ? parsed.uri : undefined;
  const from = `"Anonymous" <${uri?.scheme ?? 'sip'}:anonymous@anonymous.invalid>`;
  if (standard === 'rfc3323') return { from, headers: [['Privacy', 'header']] };
  if (standard === 'rfc3325' && uri) {
    const trueUri = `${uri.scheme}:${uri.user ? `${uri.user}@` : ''}${uri.host}`;
    return { from, headers: [['P-Preferred-Identity', `${parsed?.displayName ? quoted(parsed.displayName) : ''}<${trueUri}>`], ['Privacy', 'id']] };
  }
  return { from, headers: [] };
}
