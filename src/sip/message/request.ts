// Requests built by the stack: new requests (RFC 3261 §8.1.1), CANCEL (§9.1) and the ACK a
// client transaction sends for a non-2xx final response (§17.1.1.3). Copied header values are
// reused as text, so building these costs a few small allocations.
import { H } from './headers.js';
import { HeaderList, field, type HeaderField } from './header-list.js';
import { SipRequest, type SipResponse } from './message.js';
import type { NameAddr } from './name-addr.js';
import { parseUri, type Uri } from './uri.js';
import type { Via } from './via.js';

export interface RequestInit {
  readonly method: string;
  readonly uri: Uri | string;
  /** Top Via; the transport layer may add it instead (then leave this out). */
  readonly via?: Via | string;
  readonly from: NameAddr | string;
  readonly to: NameAddr | string;
  readonly callId: string;
  readonly cseq: number;
  /** Default 70 (RFC 3261 §8.1.1.6). */
  readonly maxForwards?: number;
  readonly route?: ReadonlyArray<NameAddr | string>;
  readonly contact?: NameAddr | string;
  /** Extra header fields, in order, after the standard ones. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly body?: string | Uint8Array;
  readonly contentType?: string;
}

/**
 * A new request with its header fields in the customary order: Via, Max-Forwards, Route, From,
 * To, Call-ID, CSeq, Contact, extras, Content-Type. Throws on an unparseable `uri` string (a bug).
 */
export function createRequest(init: RequestInit): SipRequest {
  const uri = typeof init.uri === 'string' ? parseUri(init.uri) : init.uri;
  if (uri === undefined) throw new Error(`sip: bad Request-URI '${String(init.uri)}'`);
  const fields: HeaderField[] = [];
  if (init.via !== undefined) fields.push(field('Via', init.via.toString()));
  fields.push(field('Max-Forwards', String(init.maxForwards ?? 70)));
  for (const r of init.route ?? []) fields.push(field('Route', r.toString()));
  fields.push(field('From', init.from.toString()));
  fields.push(field('To', init.to.toString()));
  fields.push(field('Call-ID', init.callId));
  fields.push(field('CSeq', `${init.cseq} ${init.method}`));
  if (init.contact !== undefined) fields.push(field('Contact', init.contact.toString()));
  for (const [name, value] of init.headers ?? []) fields.push(field(name, value));
  const req = new SipRequest(init.method, uri, new HeaderList(fields));
  if (init.body !== undefined) req.setBody(init.body, init.contentType ?? 'application/sdp');
  return req;
}

function copyRoutes(from: SipRequest, into: HeaderField[]): void {
  for (const f of from.headers) if (f.key === 'route') into.push(f);
}

/**
 * RFC 3261 §9.1: same Request-URI, Call-ID, From, To (incl. tags) and CSeq number as the
 * request being cancelled, method CANCEL, a single Via equal to its top Via, and its Route.
 */
export function buildCancel(req: SipRequest): SipRequest {
  const top = req.topVia;
  if (top === undefined) throw new Error('sip: cannot CANCEL a request without Via');
  const fields: HeaderField[] = [field('Via', top.toString()), field('Max-Forwards', '70')];
  copyRoutes(req, fields);
  for (const f of req.headers) if (f.key === 'from' || f.key === 'to' || f.key === 'call-id') fields.push(f);
  fields.push(field('CSeq', `${req.cseq.seq} CANCEL`));
  const cancel = new SipRequest('CANCEL', req.uri, new HeaderList(fields));
  for (const spec of [H.From, H.To, H.CallId]) cancel.headers.cache[spec.id] = req.headers.cache[spec.id];
  return cancel;
}

/**
 * RFC 3261 §17.1.1.3: the ACK for a non-2xx final response to `invite`: Request-URI, Call-ID,
 * From and top Via of the INVITE, To of the response (with its tag), CSeq number of the INVITE
 * with method ACK, and the INVITE's Route header fields.
 */
export function buildNon2xxAck(invite: SipRequest, response: SipResponse): SipRequest {
  const top = invite.topVia;
  if (top === undefined) throw new Error('sip: cannot ACK an INVITE without Via');
  const fields: HeaderField[] = [field('Via', top.toString()), field('Max-Forwards', '70')];
  copyRoutes(invite, fields);
  for (const f of invite.headers) if (f.key === 'from' || f.key === 'call-id') fields.push(f);
  for (const f of response.headers) if (f.key === 'to') fields.push(f);
  fields.push(field('CSeq', `${invite.cseq.seq} ACK`));
  return new SipRequest('ACK', invite.uri, new HeaderList(fields));
}
