// Refer-To values (RFC 3515 §2.1): the target URI, optionally with URI headers the referee copies
// into its request (RFC 3261 §19.1.1) — above all `?Replaces=` for attended transfer (RFC 3891 §5),
// whose value is %-escaped because `;`, `=` and `@` may not stand in a URI header value.
import { failure, ok, type Result } from '../../core/result.js';
import { CLASS, C_HNV } from '../message/lex.js';
import type { NameAddr} from '../message/index.js';
import { isSipUri, parseReplaces, Params, parseUri, unescapeUri, type Replaces, type SipRequest, type Uri, H } from '../message/index.js';
import { formatReplaces, type ReplacesValue } from './replaces.js';

/** %-escapes everything that is not hnv-unreserved / unreserved (RFC 3261 §25.1 hvalue). */
export function escapeHeaderValue(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    out += byte < 128 && (CLASS[byte]! & C_HNV) !== 0 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** A Refer-To value: `<target?Replaces=...>` when `replaces` is given (attended transfer). */
export function formatReferTo(target: Uri | string, replaces?: ReplacesValue): string {
  const uri = typeof target === 'string' ? parseUri(target) : target;
  if (uri === undefined) throw new Error(`refer: bad Refer-To target '${String(target)}'`);
  if (!replaces) return `<${uri.toString()}>`;
  if (!isSipUri(uri)) throw new Error('refer: Replaces needs a SIP or SIPS target');
  const headers = uri.headers.with('Replaces', escapeHeaderValue(formatReplaces(replaces)));
  return `<${uri.with({ headers }).toString()}>`;
}

export interface ReferTarget {
  /** The URI to send the new request to, without URI headers. */
  readonly uri: Uri;
  readonly display: string | undefined;
  /** The decoded Replaces URI header, for the INVITE's Replaces header field. */
  readonly replaces: Replaces | undefined;
  /** All URI headers, decoded, in order (Replaces included). */
  readonly headers: ReadonlyArray<readonly [string, string]>;
}

/** The target of a REFER: exactly one valid Refer-To (RFC 3515 §2.4.1: else 400). */
export function referTargetOf(request: SipRequest): Result<ReferTarget> {
  const typed = request.typed(H.ReferTo);
  if (typed === undefined) return failure('SIP_BAD_REFER_TO', 'refer: no Refer-To');
  if (!typed.ok) return failure('SIP_BAD_REFER_TO', `refer: ${typed.error.reason}`);
  return referTargetOfNameAddr(typed.value);
}

export function referTargetOfNameAddr(na: NameAddr): Result<ReferTarget> {
  const uri = na.uri;
  if (!isSipUri(uri)) return ok({ uri, display: na.displayName, replaces: undefined, headers: [] });
  const headers = uri.headers.list.map((p) => [p.name, unescapeUri(p.value ?? '')] as const);
  let replaces: Replaces | undefined;
  const raw = headers.find(([name]) => name.toLowerCase() === 'replaces');
  if (raw) {
    replaces = parseReplaces(raw[1]);
    if (!replaces) return failure('SIP_BAD_REFER_TO', `refer: malformed Replaces in Refer-To: '${raw[1]}'`);
  }
  return ok({ uri: uri.with({ headers: Params.EMPTY }), display: na.displayName, replaces, headers });
}
