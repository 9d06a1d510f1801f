// The session description model (RFC 4566 §5) and the failures of the SDP layer.
//
// The model keeps every line the parser understood, in the order RFC 4566 §5 fixes, so that
// serializeSdp(parseSdp(x)) gives back x for well-formed input. Attributes stay raw (name and
// value, in order): `a=` lines the phone does not understand are carried through untouched
// (RFC 4566 §5.13), and the typed readings (rtpmap, fmtp, ptime, direction, rtcp, crypto) are
// derived from them by attributes.ts, so there is one source of truth.
import type { Failure } from '../../core/result.js';

/** RFC 4566 §5.7 `c=`. Multicast IPv4 carries `/ttl[/count]`, IPv6 `/count`. */
export interface Connection {
  /** Always `IN` in practice. */
  readonly netType: string;
  /** `IP4`, `IP6` or an extension token. */
  readonly addressType: string;
  /** Unicast or multicast address, or an FQDN; without the `/ttl/count` suffix. */
  readonly address: string;
  /** IPv4 multicast TTL (`224.2.1.1/127`). */
  readonly ttl?: number;
  /** Number of consecutive multicast addresses (`/3`). */
  readonly addressCount?: number;
}

/** RFC 4566 §5.2 `o=`. Session id and version are digit strings (up to 64-bit, leading zeros kept). */
export interface Origin {
  readonly username: string;
  readonly sessionId: string;
  readonly sessionVersion: string;
  readonly netType: string;
  readonly addressType: string;
  readonly address: string;
}

/** RFC 4566 §5.8 `b=<bwtype>:<bandwidth>` (kilobits per second for CT/AS, bits for TIAS). */
export interface Bandwidth {
  readonly type: string;
  readonly value: number;
}

/** RFC 4566 §5.9/§5.10 `t=` with its `r=` lines (kept as written: typed times like `7d`). */
export interface Timing {
  readonly start: string;
  readonly stop: string;
  readonly repeats: readonly string[];
}

/** RFC 4566 §5.13 `a=<name>` (property) or `a=<name>:<value>`. */
export interface Attribute {
  readonly name: string;
  /** Absent for a property attribute (`a=sendrecv`); '' for `a=name:`. */
  readonly value?: string;
}

/** RFC 4566 §5.14 media description: `m=` and its `i= c= b= k= a=` lines. */
export interface MediaDescription {
  /** `audio`, `video`, `text`, `application`, `message`, `image`… */
  readonly type: string;
  /** 0 = stream rejected or disabled (RFC 3264 §5.1, §6). */
  readonly port: number;
  /** `m=video 49170/2 …` */
  readonly portCount?: number;
  /** `RTP/AVP`, `RTP/SAVP`, `UDP/TLS/RTP/SAVPF`, `udptl`… */
  readonly protocol: string;
  /** Formats as written: payload type numbers for RTP profiles. */
  readonly formats: readonly string[];
  /** `i=` */
  readonly title?: string;
  readonly connections: readonly Connection[];
  readonly bandwidths: readonly Bandwidth[];
  /** `k=` (obsolete; kept for round trips). */
  readonly key?: string;
  readonly attributes: readonly Attribute[];
}

export interface SessionDescription {
  /** `v=`: always 0. */
  readonly version: number;
  readonly origin: Origin;
  /** `s=`; `-` when the session has no name. */
  readonly sessionName: string;
  /** `i=` */
  readonly information?: string;
  /** `u=` */
  readonly uri?: string;
  /** `e=` lines. */
  readonly emails: readonly string[];
  /** `p=` lines. */
  readonly phones: readonly string[];
  /** Session-level `c=`; each media may override it. */
  readonly connection?: Connection;
  readonly bandwidths: readonly Bandwidth[];
  readonly timings: readonly Timing[];
  /** `z=` as written. */
  readonly timeZones?: string;
  /** `k=` */
  readonly key?: string;
  readonly attributes: readonly Attribute[];
  readonly media: readonly MediaDescription[];
}

export type SdpErrorCode =
  /** No SDP lines at all. */
  | 'SDP_EMPTY'
  /** More bytes, lines or media than the parser accepts. */
  | 'SDP_TOO_LARGE'
  /** A line that breaks RFC 4566 §5 (syntax, order, duplicate). */
  | 'SDP_BAD_LINE'
  /** A required line (`v= o= s= t=`, or `c=` for a media stream) is missing. */
  | 'SDP_MISSING_LINE'
  /** The phone has no codec to offer (all disabled and CODEC_G711_REQ=0), or bad options. */
  | 'SDP_NO_CODEC_ENABLED'
  /** RFC 3264 §6: no audio stream of the offer can be accepted → 488 Not Acceptable Here. */
  | 'SDP_NO_COMMON_CODEC'
  /** The answer rejected the audio stream (port 0). */
  | 'SDP_MEDIA_REJECTED'
  /** The answer does not fit the offer (RFC 3264 §6: m-line count, media types, streams). */
  | 'SDP_ANSWER_MISMATCH'
  /** SRTP required but the peer's a=crypto lines give no usable suite (RFC 4568 §7.1.2). */
  | 'SDP_CRYPTO_MISMATCH'
  /** An offer arrived while ours is pending (glare, RFC 3261 §14.2) → 491 Request Pending. */
  | 'SDP_OFFER_PENDING'
  /** A description arrived as an answer with no offer of ours outstanding (RFC 3261 §13.2.1). */
  | 'SDP_NO_OFFER';

export interface SdpFailure extends Failure {
  readonly code: SdpErrorCode;
  /** 1-based line of the SDP body the fault is on, when it is one line. */
  readonly line?: number;
  /**
   * Status of a SIP response that rejects the request carrying this SDP: 400 for a malformed
   * body, 488 Not Acceptable Here for negotiation failures (RFC 3261 §13.3.1.3, §21.4.26).
   */
  readonly status: number;
  /** SDP_NO_COMMON_CODEC: the formats the peer offered, e.g. `PCMU/8000 (0)`, `H264/90000 (99)`. */
  readonly offered?: readonly string[];
  /**
   * RFC 3261 §20.43 warn-code for a Warning header on the 488 (or 400): 304 media type not
   * available, 305 incompatible media format, 302 incompatible transport protocol, 399 otherwise.
   */
  readonly warnCode: number;
}

export type SdpResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: SdpFailure };

const NEGOTIATION_CODES: ReadonlySet<SdpErrorCode> = new Set([
  'SDP_NO_COMMON_CODEC',
  'SDP_MEDIA_REJECTED',
  'SDP_ANSWER_MISMATCH',
  'SDP_CRYPTO_MISMATCH',
  'SDP_NO_CODEC_ENABLED',
]);

export function sdpFailure(
  code: SdpErrorCode,
  message: string,
  extra: { line?: number; offered?: readonly string[]; warnCode?: number } = {},
): { readonly ok: false; readonly error: SdpFailure } {
  const status = code === 'SDP_OFFER_PENDING' ? 491 : NEGOTIATION_CODES.has(code) ? 488 : 400;
  const prefix = extra.line !== undefined ? `sdp: line ${extra.line}: ` : 'sdp: ';
  const warnCode = extra.warnCode ?? (code === 'SDP_NO_COMMON_CODEC' ? 305 : 399);
  const error: SdpFailure = { code, message: prefix + message, status, ...extra, warnCode };
  return { ok: false, error };
}

/**
 * The value of a Warning header (RFC 3261 §20.43) for a response refusing an SDP:
 * `305 vphone "Incompatible media format: …"`. `agent` is the host name or pseudonym of the
 * phone; the text is the failure message with quotes and backslashes escaped (§25.1
 * quoted-string), cut to 200 characters.
 */
export function sdpWarning(failure: SdpFailure, agent: string): string {
  const names: Record<number, string> = {
    302: 'Incompatible transport protocol',
    304: 'Media type not available',
    305: 'Incompatible media format',
  };
  const detail = failure.message.replace(/^sdp: /, '');
  let text = names[failure.warnCode] ? `${names[failure.warnCode]}: ${detail}` : detail;
  if (text.length > 200) text = `${text.slice(0, 197)}...`;
  // eslint-disable-next-line no-control-regex
  text = text.replace(/[\x00-\x1f\x7f]/g, ' ').replace(/[\\"]/g, (c) => `\\${c}`);
  return `${failure.warnCode} ${agent} "${text}"`;
}

/** The direction attributes of RFC 4566 §6 / RFC 3264 §5.1. */
export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export const DIRECTIONS: readonly Direction[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

export function isDirection(name: string): name is Direction {
  return (DIRECTIONS as readonly string[]).includes(name);
}

export function directionSends(d: Direction): boolean {
  return d === 'sendrecv' || d === 'sendonly';
}

export function directionReceives(d: Direction): boolean {
  return d === 'sendrecv' || d === 'recvonly';
}

export function makeDirection(send: boolean, receive: boolean): Direction {
  if (send) return receive ? 'sendrecv' : 'sendonly';
  return receive ? 'recvonly' : 'inactive';
}

/** The direction seen from the other end: sendonly ↔ recvonly (RFC 3264 §6.1). */
export function reverseDirection(d: Direction): Direction {
  return makeDirection(directionReceives(d), directionSends(d));
}

/** `IP6` when the address is an IPv6 literal, else `IP4` (FQDNs are written as IP4). */
export function addressTypeOf(address: string): 'IP4' | 'IP6' {
  return address.includes(':') ? 'IP6' : 'IP4';
}

/** RFC 2543 hold / "no address yet": c=0.0.0.0 (or the IPv6 unspecified address). */
export function isUnspecifiedAddress(address: string): boolean {
  return address === '0.0.0.0' || address === '::' || /^0{0,4}(:0{0,4}){2,7}$/.test(address);
}
