// REGISTER requests of a line (RFC 3261 §10.2) with the KX-UT670 5.8.2 switches: Expires in the
// Contact and/or an Expires header (ADD_EXPIRES_HEADER_n), `transport=udp` in the Contact
// (ADD_TRANSPORT_UDP_n), `user=phone` in From/To (ADD_USER_PHONE_n), User-Agent (SIP_USER_AGENT).
import { ok, failure, type Result } from '../../core/result.js';
import { createRequest, H, NameAddr, parseUri, SipUri, uriEquals, type SipRequest, type SipResponse } from '../message/index.js';
import { placeholderVia } from '../transport/outbound-via.js';
import type { TransportName } from '../transaction/transaction-layer.js';
import type { RegistrationConfig } from './types.js';

/** What a REGISTER does: bind our contact, remove it, or remove every binding of the AOR. */
export type RegisterPurpose = 'register' | 'unregister' | 'clear';

/** The parsed, fixed parts of a line's REGISTER requests. */
export interface RegisterTemplate {
  readonly registrarUri: SipUri;
  readonly from: NameAddr;
  readonly to: NameAddr;
  /** Our contact URI as sent (the 200's Contact list is searched for it). */
  readonly contact: SipUri;
  readonly addExpiresHeader: boolean;
  readonly userAgent: string | undefined;
  readonly allowEvents: string | undefined;
}

function sipUri(text: string, what: string): Result<SipUri> {
  const uri = parseUri(text);
  if (!(uri instanceof SipUri)) return failure('REG_BAD_URI', `registration: ${what} '${text}' is not a SIP URI`);
  return ok(uri);
}

/** Checks and parses the URIs of the configuration once. */
export function registerTemplate(config: RegistrationConfig, fromTag: string): Result<RegisterTemplate> {
  const registrar = sipUri(config.registrarUri, 'registrar URI');
  if (!registrar.ok) return registrar;
  const aor = sipUri(config.aor, 'address of record');
  if (!aor.ok) return aor;
  const contact = sipUri(config.contact, 'contact');
  if (!contact.ok) return contact;
  // KX-UT670 5.8.2 ADD_USER_PHONE_n: "sip:1111@tokyo.example.com;user=phone".
  const aorUri = config.addUserPhone ? aor.value.withParam('user', 'phone') : aor.value;
  const transport: TransportName = config.transport ?? 'udp';
  let contactUri = contact.value;
  // KX-UT670 5.8.2 ADD_TRANSPORT_UDP_n; over TCP/TLS the transport parameter is always written
  // so the registrar reaches us over the same transport (RFC 3261 §19.1.1).
  if (contactUri.transport === undefined && (transport !== 'udp' || config.addTransportUdp)) contactUri = contactUri.withParam('transport', transport);
  const displayName = config.displayName === undefined || config.displayName === '' ? undefined : config.displayName;
  const to = new NameAddr({ uri: aorUri, displayName });
  return ok({
    registrarUri: registrar.value,
    from: to.withTag(fromTag),
    to,
    contact: contactUri,
    addExpiresHeader: config.addExpiresHeader ?? true,
    userAgent: config.userAgent,
    allowEvents: config.allowEvents?.join(', '),
  });
}

export interface RegisterInit {
  readonly purpose: RegisterPurpose;
  /** Seconds asked for (`register`); 0 is used for the other purposes. */
  readonly expiresS: number;
  readonly callId: string;
  readonly cseq: number;
  readonly branch: string;
  /** Request-URI other than the registrar's (a 301/302 Contact, RFC 3261 §8.1.3.4). */
  readonly uri?: SipUri | undefined;
}

/**
 * RFC 3261 §10.2.1: Request-URI = registrar domain, To = AOR, From = AOR with tag, Call-ID the same
 * for every REGISTER of the line (§10.2), CSeq incremented. The Via is a placeholder the
 * transport completes (its sent-by, rport). `clear` is §10.2.2's `Contact: *` with `Expires: 0`.
 *
 * KX-UT670 5.8.2 ADD_EXPIRES_HEADER_n ("add an Expires header to REGISTER (adds an expires
 * parameter to the Contact header)") is read as: the Contact always carries `;expires=`, and "Y"
 * adds the Expires header field as well.
 */
export function buildRegister(t: RegisterTemplate, init: RegisterInit): SipRequest {
  const expires = init.purpose === 'register' ? init.expiresS : 0;
  const headers: Array<readonly [string, string]> = [];
  if (init.purpose === 'clear' || t.addExpiresHeader) headers.push(['Expires', String(expires)]);
  if (t.userAgent !== undefined && t.userAgent !== '') headers.push(['User-Agent', t.userAgent]);
  if (t.allowEvents !== undefined) headers.push(['Allow-Events', t.allowEvents]);
  return createRequest({
    method: 'REGISTER',
    uri: init.uri ?? t.registrarUri,
    via: placeholderVia(init.branch),
    from: t.from,
    to: t.to,
    callId: init.callId,
    cseq: init.cseq,
    contact: init.purpose === 'clear' ? '*' : new NameAddr({ uri: t.contact }).withParam('expires', String(expires)),
    headers,
  });
}

/**
 * The expiry the registrar granted our binding (RFC 3261 §10.2.4): the `expires` parameter of our
 * Contact in the 2xx (§19.1.4 URI comparison), else its Expires header, else what we asked for (a
 * registrar behind NAT may list our contact rewritten, so a missing match is not an error).
 */
export function grantedExpires(response: SipResponse, contact: SipUri, requestedS: number): number {
  const contacts = response.contacts;
  if (contacts !== '*') {
    for (const c of contacts) {
      if (!uriEquals(c.uri, contact)) continue;
      const e = c.params.get('expires');
      if (typeof e === 'string' && /^\d+$/.test(e)) return Number(e);
    }
  }
  return response.value(H.Expires) ?? requestedS;
}
