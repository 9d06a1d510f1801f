// The offer/answer model (RFC 3264) for a phone with one audio stream, as pure functions:
//   createOffer   §5: our codecs in preference order, telephone-event, ptime, rtcp, crypto,
//                 direction; a re-offer keeps the m-line layout of the session (§8).
//   createAnswer  §6: one m= line per offered stream, the first usable audio stream accepted,
//                 every other stream rejected with port 0; direction mirrored (§6.1); nothing
//                 usable → SDP_NO_COMMON_CODEC (488 Not Acceptable Here).
//   processAnswer §6/§7: the answer checked against our offer, and the negotiated media.
// The per-call state (o= versions, hold, pending offers) is session.ts.
import {
  cryptoAttribute,
  describeFormat,
  describeOffered,
  fmtpAttribute,
  parseEventList,
  parseFmtpParameters,
  parseInlineKey,
  rtcpAttribute,
  rtpmapAttribute,
  viewMedia,
  type CryptoAttribute,
  type MediaView,
  type PayloadFormat,
  type Rtpmap,
} from './attributes.js';
import { comfortNoiseIn, isComfortNoise, offeredComfortNoise, type NegotiatedComfortNoise } from './comfort-noise.js';
import type { SdpCodec, SdpOptions, SdpPolicy, SrtpKey } from './options.js';
import { assignOfferPayloadTypes, isTelephoneEvent, sameCodec, TELEPHONE_EVENT, type OfferedTelephoneEvent } from './payload-types.js';
import {
  addressTypeOf,
  directionReceives,
  directionSends,
  isUnspecifiedAddress,
  makeDirection,
  sdpFailure,
  type Attribute,
  type Direction,
  type MediaDescription,
  type SdpFailure,
  type SdpResult,
  type SessionDescription,
} from './sdp.js';

/** `o=` session id and version, digit strings (RFC 4566 §5.2). */
export interface OriginIds {
  readonly sessionId: string;
  readonly sessionVersion: string;
}

export interface NegotiatedCodec {
  /** Our settings key of the codec (`G722`, `PCMU`…). */
  readonly name: string;
  /** As the peer wrote it. */
  readonly encodingName: string;
  readonly clockRate: number;
  readonly channels: number;
  /** The payload type the peer expects: send with this one (RFC 3264 §5.1, §6.1). */
  readonly payloadType: number;
  /**
   * The payload type the peer sends it with: the number of our own description. Equal to
   * `payloadType` except when the peer's answer renumbered a format of our offer.
   */
  readonly receivePayloadType: number;
  /** The peer's a=fmtp for it. */
  readonly fmtp?: string;
  /**
   * G.729 only: Annex B (VAD/CNG) in use — neither side wrote `annexb=no` (RFC 4856: absent
   * means yes). Feed to EncoderOptions.vad.
   */
  readonly annexB?: boolean;
}

export interface NegotiatedMedia {
  /** Index of the audio m= line in the session. */
  readonly mediaIndex: number;
  /** Our RTP port as written in our description. */
  readonly localPort: number;
  /** Where to send RTP: the peer's c= and m= port. */
  readonly remoteAddress: string;
  readonly remotePort: number;
  /**
   * Where to send RTCP: the peer's a=rtcp when `useRemoteRtcpAttribute` (RFC 3605), else the RTP
   * port + 1 (RFC 3550 §11).
   */
  readonly remoteRtcpAddress: string;
  readonly remoteRtcpPort: number;
  /** The codec we send: the first common one of the answer. */
  readonly codec: NegotiatedCodec;
  /** Every common codec, in the answer's order: the peer may send any of them. */
  readonly codecs: readonly NegotiatedCodec[];
  /** RFC 4733 events the peer accepts: send with `payloadType`, expect `receivePayloadType`. */
  readonly telephoneEvent?: {
    readonly payloadType: number;
    readonly receivePayloadType: number;
    readonly clockRate: number;
    readonly events: readonly number[];
  };
  /** RFC 3389 CN/8000 in both descriptions (offered when the line suppresses silence). */
  readonly comfortNoise?: NegotiatedComfortNoise;
  /** Packetisation of what we send. */
  readonly ptimeMs: number;
  /** What we do: sendrecv, sendonly (we hold or the peer cannot receive), recvonly, inactive. */
  readonly direction: Direction;
  /** The peer does not want to receive: a=sendonly / a=inactive or c=0.0.0.0 (RFC 3264 §8.4, RFC 2543). */
  readonly remoteHold: boolean;
  /** SDES SRTP (RFC 4568): our key (what we send with) and the peer's. */
  readonly srtp?: { readonly suite: string; readonly localCrypto: CryptoAttribute; readonly remoteCrypto: CryptoAttribute };
}

export interface NegotiatedSession {
  readonly audio: NegotiatedMedia;
  /** Indexes of the m= lines rejected (port 0) in the answer. */
  readonly rejectedStreams: readonly number[];
  /** Tolerated irregularities of the peer's description, for the log. */
  readonly notes: readonly string[];
}

export interface OfferParams {
  readonly origin: OriginIds;
  /** Direction of the audio stream; sendrecv unless holding. */
  readonly direction?: Direction;
  /** Write c=0.0.0.0 (RFC 2543 hold; KX-UT670 5.7.3 RFC2543_HOLD_ENABLE_n). */
  readonly unspecifiedConnection?: boolean;
  /** Our last description of this session: a re-offer keeps its m= lines (RFC 3264 §8). */
  readonly previous?: SessionDescription;
}

export interface AnswerParams {
  readonly origin: OriginIds;
  /** What we want: sendrecv, or sendonly/inactive while we hold the call. */
  readonly direction?: Direction;
}

export interface AnswerResult {
  readonly answer: SessionDescription;
  readonly negotiated: NegotiatedSession;
}

type Failed = { readonly ok: false; readonly error: SdpFailure };

const PTIME_CHOICES = [10, 20, 30, 40, 50, 60];

function findCodec(f: Rtpmap, codecs: readonly SdpCodec[]): SdpCodec | undefined {
  return isTelephoneEvent(f) ? undefined : codecs.find((c) => sameCodec(f, c));
}

/**
 * a=ptime of a description listing these codecs. KX-UT670 5.7.2 RTP_PTIME: "30 (not available
 * with the G.722 codec)" — a description that lists G.722 says 20 instead of 30, because one
 * a=ptime covers every format of the m= line.
 */
export function effectivePtime(ptimeMs: number, encodingNames: readonly string[]): number {
  return ptimeMs === 30 && encodingNames.some((n) => n.toUpperCase() === 'G722') ? 20 : ptimeMs;
}

/**
 * Packetisation of what we send: the peer's a=ptime when it is one we can produce (RFC 4566 §6:
 * the receiver's preference), else ours; never above the peer's a=maxptime.
 */
export function sendPtime(localPtimeMs: number, encodingName: string, remotePtimeMs?: number, remoteMaxPtimeMs?: number): number {
  const g722 = encodingName.toUpperCase() === 'G722';
  const usable = (p: number): boolean => PTIME_CHOICES.includes(p) && !(g722 && p === 30);
  let p = remotePtimeMs !== undefined && usable(remotePtimeMs) ? remotePtimeMs : effectivePtime(localPtimeMs, [encodingName]);
  if (remoteMaxPtimeMs !== undefined && p > remoteMaxPtimeMs) {
    const fits = PTIME_CHOICES.filter((c) => usable(c) && c <= remoteMaxPtimeMs);
    p = fits.length > 0 ? fits[fits.length - 1]! : PTIME_CHOICES[0]!;
  }
  return p;
}

function validUsername(u: string): string {
  return u !== '' && !/\s/.test(u) ? u : '-';
}

interface AudioLine {
  readonly port: number;
  readonly protocol: string;
  readonly codecs: readonly { payloadType: number; encodingName: string; clockRate: number; channels?: number; fmtp?: string }[];
  readonly telephoneEvents: readonly OfferedTelephoneEvent[];
  readonly ptimeMs: number;
  readonly rtcpPort?: number;
  readonly crypto: readonly CryptoAttribute[];
  readonly direction: Direction;
}

/** The m=audio section we write, offer or answer: rtpmap for every format (static ones too). */
function audioMedia(line: AudioLine): MediaDescription {
  const attributes: Attribute[] = [];
  for (const c of line.codecs) {
    attributes.push(rtpmapAttribute(c));
    if (c.fmtp !== undefined && c.fmtp !== '') attributes.push(fmtpAttribute(c.payloadType, c.fmtp));
  }
  for (const te of line.telephoneEvents) {
    attributes.push(rtpmapAttribute({ payloadType: te.payloadType, encodingName: TELEPHONE_EVENT, clockRate: te.clockRate }));
    attributes.push(fmtpAttribute(te.payloadType, te.events));
  }
  attributes.push({ name: 'ptime', value: String(line.ptimeMs) });
  if (line.rtcpPort !== undefined) attributes.push(rtcpAttribute(line.rtcpPort));
  for (const c of line.crypto) attributes.push(cryptoAttribute(c));
  attributes.push({ name: line.direction });
  const formats = [...line.codecs, ...line.telephoneEvents].map((f) => String(f.payloadType));
  return { type: 'audio', port: line.port, protocol: line.protocol, formats, connections: [], bandwidths: [], attributes };
}

/** A stream refused or disabled: port 0, the formats kept (RFC 3264 §6: at least one). */
function rejectedMedia(m: MediaDescription): MediaDescription {
  return { type: m.type, port: 0, protocol: m.protocol, formats: m.formats.length > 0 ? [...m.formats] : ['0'], connections: [], bandwidths: [], attributes: [] };
}

function description(options: SdpOptions, origin: OriginIds, connectionAddress: string, media: MediaDescription[]): SessionDescription {
  return {
    version: 0,
    origin: {
      username: validUsername(options.username),
      sessionId: origin.sessionId,
      sessionVersion: origin.sessionVersion,
      netType: 'IN',
      addressType: addressTypeOf(options.address),
      address: options.address,
    },
    sessionName: options.sessionName === '' ? '-' : options.sessionName,
    emails: [],
    phones: [],
    connection: { netType: 'IN', addressType: addressTypeOf(connectionAddress), address: connectionAddress },
    bandwidths: [],
    timings: [{ start: '0', stop: '0', repeats: [] }],
    attributes: [],
    media,
  };
}

function rtcpPortOf(options: SdpOptions): number | undefined {
  return options.rtcpAttribute ? (options.rtcpPort ?? options.port + 1) : undefined;
}

function requireKeys(options: SdpOptions): readonly SrtpKey[] {
  const keys = options.srtpKeys ?? [];
  // A policy asking for SRTP with no keys is a bug of the caller, not untrusted input.
  if (options.srtp !== 'off' && keys.length === 0) throw new Error(`sdp: srtp '${options.srtp}' needs options.srtpKeys`);
  return keys;
}

/** Index of the audio stream a description uses: the first audio m= line with a port, else the first audio one. */
export function audioStreamIndex(sd: SessionDescription): number {
  const live = sd.media.findIndex((m) => m.type === 'audio' && m.port !== 0);
  return live >= 0 ? live : sd.media.findIndex((m) => m.type === 'audio');
}

/**
 * RFC 3264 §5: an offer of our codecs, most preferred first, each with an rtpmap (static types
 * too), G.729's fmtp, telephone-event with its events, a=ptime, a=rtcp when configured, a=crypto
 * for SRTP and the direction. A re-offer (`previous`) keeps every m= line of the session in
 * place (§8): the audio stream is renewed, the others stay rejected with port 0.
 */
export function createOffer(options: SdpOptions, params: OfferParams): SdpResult<SessionDescription> {
  if (options.codecs.length === 0) return sdpFailure('SDP_NO_CODEC_ENABLED', 'no codec enabled to offer (every codec disabled and CODEC_G711_REQ=0)');
  const keys = requireKeys(options);
  const previous = params.previous;
  const slot = previous ? audioStreamIndex(previous) : -1;
  const { codecs, telephoneEvents } = assignOfferPayloadTypes(options.codecs, options.telephoneEvent, previous && slot >= 0 ? viewMedia(previous, slot) : undefined);
  const cn = offeredComfortNoise(options.comfortNoise, [...codecs, ...telephoneEvents]);
  const crypto: CryptoAttribute[] =
    options.srtp === 'off'
      ? []
      : keys.map((k, i) => ({ tag: i + 1, suite: k.suite, keyParams: [{ method: 'inline', info: k.keySalt }], sessionParams: [] }));
  const audio = audioMedia({
    port: options.port,
    protocol: options.srtp === 'compulsory' ? 'RTP/SAVP' : 'RTP/AVP',
    codecs: cn ? [...codecs, cn] : codecs,
    telephoneEvents,
    ptimeMs: effectivePtime(options.ptimeMs, codecs.map((c) => c.encodingName)),
    ...(rtcpPortOf(options) !== undefined ? { rtcpPort: rtcpPortOf(options)! } : {}),
    crypto,
    direction: params.direction ?? 'sendrecv',
  });
  const media: MediaDescription[] = [];
  if (previous && slot >= 0) {
    previous.media.forEach((m, i) => media.push(i === slot ? audio : rejectedMedia(m)));
  } else {
    for (const m of previous?.media ?? []) media.push(rejectedMedia(m));
    media.push(audio);
  }
  const address = params.unspecifiedConnection ? (addressTypeOf(options.address) === 'IP6' ? '::' : '0.0.0.0') : options.address;
  return { ok: true, value: description(options, params.origin, address, media) };
}

/** The peer's side of a stream: does it send, does it want to receive? */
function remoteIntent(view: MediaView): { sends: boolean; receives: boolean } {
  const unspecified = view.connection !== undefined && isUnspecifiedAddress(view.connection.address);
  return { sends: directionSends(view.direction), receives: directionReceives(view.direction) && !unspecified };
}

function remoteRtcp(view: MediaView, options: SdpPolicy): { address: string; port: number } {
  const address = view.connection?.address ?? '';
  // DEVIATION (KX-UT670 5.7.2 RTCP_SEND_BY_SDP_n = 0): the peer's a=rtcp is ignored unless
  // configured; RFC 3605 expects it to be honoured.
  if (options.useRemoteRtcpAttribute && view.rtcp) return { address: view.rtcp.connection?.address ?? address, port: view.rtcp.port };
  return { address, port: view.media.port + 1 };
}

function negotiatedCodec(f: PayloadFormat, ours: SdpCodec, receivePayloadType: number): NegotiatedCodec {
  const base = {
    name: ours.name,
    encodingName: f.encodingName,
    clockRate: f.clockRate,
    channels: f.channels,
    payloadType: f.payloadType,
    receivePayloadType,
    ...(f.fmtp !== undefined ? { fmtp: f.fmtp } : {}),
  };
  if (ours.name !== 'G729' && ours.encodingName.toUpperCase() !== 'G729') return base;
  const no = (fmtp: string | undefined): boolean => parseFmtpParameters(fmtp ?? '').get('annexb')?.toLowerCase() === 'no';
  return { ...base, annexB: !no(f.fmtp) && !no(ours.fmtp) };
}

/** telephone-event of the peer matching the codec's clock (RFC 4733 §7.1.1), else one at 8000. */
function pickTelephoneEvent(view: MediaView, clockRate: number): PayloadFormat | undefined {
  const all = view.formats.filter(isTelephoneEvent);
  return all.find((f) => f.clockRate === clockRate) ?? all.find((f) => f.clockRate === 8000);
}

function teEvents(f: PayloadFormat): number[] {
  return parseEventList(f.fmtp ?? '0-15') ?? parseEventList('0-15')!;
}

function usableKey(c: CryptoAttribute, keys: readonly SrtpKey[]): SrtpKey | undefined {
  const inline = c.keyParams.length > 0 && c.keyParams.every((k) => k.method === 'inline' && parseInlineKey(k.info) !== undefined);
  return inline ? keys.find((k) => k.suite === c.suite) : undefined;
}

type StreamVerdict =
  | { accepted: true; media: MediaDescription; negotiated: NegotiatedMedia }
  | { accepted: false; reason: string; crypto: boolean; warnCode: number };

function answerAudio(offer: SessionDescription, index: number, options: SdpOptions, keys: readonly SrtpKey[], desired: Direction): StreamVerdict {
  const view = viewMedia(offer, index);
  const proto = view.media.protocol.toUpperCase();
  if (proto !== 'RTP/AVP' && proto !== 'RTP/SAVP') return { accepted: false, reason: `transport ${view.media.protocol} not supported`, crypto: false, warnCode: 302 };

  // SRTP (RFC 4568 §7.1.2): the answerer picks one of the offered a=crypto lines.
  let chosen: { offered: CryptoAttribute; key: SrtpKey } | undefined;
  if (options.srtp !== 'off') {
    for (const c of view.crypto) {
      const key = usableKey(c, keys);
      if (key) {
        chosen = { offered: c, key };
        break;
      }
    }
  }
  if (view.secure && options.srtp === 'off') return { accepted: false, reason: 'RTP/SAVP offered but SRTP is disabled', crypto: true, warnCode: 302 };
  if (view.secure && !chosen) return { accepted: false, reason: 'no offered a=crypto suite is supported', crypto: true, warnCode: 399 };
  if (options.srtp === 'compulsory' && !chosen) return { accepted: false, reason: 'SRTP is compulsory but the offer has no usable a=crypto', crypto: true, warnCode: 302 };

  const common: Array<{ f: PayloadFormat; ours: SdpCodec; rank: number }> = [];
  for (const f of view.formats) {
    const ours = findCodec(f, options.codecs);
    if (ours && !common.some((c) => c.ours === ours)) common.push({ f, ours, rank: options.codecs.indexOf(ours) });
  }
  if (common.length === 0) return { accepted: false, reason: 'no common codec', crypto: false, warnCode: 305 };
  if (options.answerOrder === 'local') common.sort((a, b) => a.rank - b.rank);
  const picked = options.singleCodecAnswer ? common.slice(0, 1) : common;
  const first = picked[0]!;

  const teOffered = options.telephoneEvent ? pickTelephoneEvent(view, first.f.clockRate) : undefined;
  const remote = remoteIntent(view);
  const direction = makeDirection(directionSends(desired) && remote.receives, directionReceives(desired) && remote.sends);
  const answerCodecs = picked.map(({ f, ours }) => {
    let fmtp = ours.fmtp;
    // RFC 4856: annexb=no from either side means no Annex B; say so in the answer too.
    if (ours.encodingName.toUpperCase() === 'G729' && parseFmtpParameters(f.fmtp ?? '').get('annexb')?.toLowerCase() === 'no') fmtp = 'annexb=no';
    return { payloadType: f.payloadType, encodingName: f.encodingName, clockRate: f.clockRate, channels: f.channels, ...(fmtp !== undefined ? { fmtp } : {}) };
  });
  // RFC 3389 §5: CN answered only when offered, and only by a line that sends it.
  const cnOffered = options.comfortNoise ? comfortNoiseIn(view.formats) : undefined;
  if (cnOffered) answerCodecs.push({ payloadType: cnOffered.payloadType, encodingName: cnOffered.encodingName, clockRate: cnOffered.clockRate, channels: 1 });
  const localCrypto: CryptoAttribute | undefined = chosen
    ? { tag: chosen.offered.tag, suite: chosen.offered.suite, keyParams: [{ method: 'inline', info: chosen.key.keySalt }], sessionParams: [] }
    : undefined;
  const rtcpPort = rtcpPortOf(options);
  const media = audioMedia({
    port: options.port,
    protocol: view.media.protocol,
    codecs: answerCodecs,
    telephoneEvents: teOffered && options.telephoneEvent ? [{ payloadType: teOffered.payloadType, clockRate: teOffered.clockRate, events: options.telephoneEvent.events }] : [],
    ptimeMs: effectivePtime(options.ptimeMs, answerCodecs.map((c) => c.encodingName)),
    ...(rtcpPort !== undefined ? { rtcpPort } : {}),
    crypto: localCrypto ? [localCrypto] : [],
    direction,
  });
  const rtcp = remoteRtcp(view, options);
  const codecs = picked.map(({ f, ours }) => negotiatedCodec(f, ours, f.payloadType));
  const negotiated: NegotiatedMedia = {
    mediaIndex: index,
    localPort: options.port,
    remoteAddress: view.connection?.address ?? '',
    remotePort: view.media.port,
    remoteRtcpAddress: rtcp.address,
    remoteRtcpPort: rtcp.port,
    codec: codecs[0]!,
    codecs,
    ...(teOffered && options.telephoneEvent
      ? { telephoneEvent: { payloadType: teOffered.payloadType, receivePayloadType: teOffered.payloadType, clockRate: teOffered.clockRate, events: teEvents(teOffered) } }
      : {}),
    ...(cnOffered ? { comfortNoise: { payloadType: cnOffered.payloadType, receivePayloadType: cnOffered.payloadType } } : {}),
    ptimeMs: sendPtime(options.ptimeMs, first.f.encodingName, view.ptimeMs, view.maxptimeMs),
    direction,
    remoteHold: !remote.receives,
    ...(chosen && localCrypto ? { srtp: { suite: chosen.offered.suite, localCrypto, remoteCrypto: chosen.offered } } : {}),
  };
  return { accepted: true, media, negotiated };
}

/**
 * RFC 3264 §6: the answer to an offer. One m= line per offered stream, in order; the first
 * audio stream we can use is accepted with the common codecs (in our preference order or the
 * offerer's, `answerOrder`; only the first with `singleCodecAnswer`) under the offer's payload
 * type numbers; every other stream gets port 0. The direction mirrors the offer (§6.1): offer
 * sendonly → recvonly, recvonly → sendonly, inactive → inactive, and c=0.0.0.0 (RFC 2543 hold)
 * counts as "does not receive". Nothing usable → SDP_NO_COMMON_CODEC (or SDP_CRYPTO_MISMATCH),
 * status 488, with what was offered.
 */
export function createAnswer(offer: SessionDescription, options: SdpOptions, params: AnswerParams): SdpResult<AnswerResult> {
  const keys = requireKeys(options);
  const desired = params.direction ?? 'sendrecv';
  const media: MediaDescription[] = [];
  const rejectedStreams: number[] = [];
  const reasons: string[] = [];
  let cryptoOnly = true;
  let warnCode: number | undefined;
  let negotiated: NegotiatedMedia | undefined;
  offer.media.forEach((m, i) => {
    if (m.port === 0 || negotiated || m.type !== 'audio') {
      if (m.port !== 0 && m.type !== 'audio') reasons.push(`m=${m.type} not supported`);
      media.push(rejectedMedia(m));
      rejectedStreams.push(i);
      return;
    }
    const verdict = answerAudio(offer, i, options, keys, desired);
    if (verdict.accepted) {
      media.push(verdict.media);
      negotiated = verdict.negotiated;
    } else {
      reasons.push(`stream ${i + 1}: ${verdict.reason}`);
      cryptoOnly &&= verdict.crypto;
      warnCode ??= verdict.warnCode;
      media.push(rejectedMedia(m));
      rejectedStreams.push(i);
    }
  });
  if (!negotiated) {
    const offered = offer.media.flatMap((_, i) => (offer.media[i]!.port === 0 ? [] : describeOffered(viewMedia(offer, i))));
    const audioTried = reasons.some((r) => r.startsWith('stream '));
    const code = audioTried && cryptoOnly ? 'SDP_CRYPTO_MISMATCH' : 'SDP_NO_COMMON_CODEC';
    const supported = options.codecs.map((c) => c.encodingName).join(', ');
    return sdpFailure(code, `no acceptable audio stream (${reasons.join('; ') || 'no audio offered'}); offered ${offered.join(', ') || 'nothing'}; supported ${supported}`, {
      offered,
      // RFC 3261 §20.43: 304 when no audio stream was offered at all.
      warnCode: audioTried ? (warnCode ?? 399) : 304,
    });
  }
  const notes: string[] = [];
  return { ok: true, value: { answer: description(options, params.origin, options.address, media), negotiated: { audio: negotiated, rejectedStreams, notes } } };
}

function mismatch(message: string): Failed {
  return sdpFailure('SDP_ANSWER_MISMATCH', message);
}

/**
 * The answer to our offer (RFC 3264 §6, §7): same number of m= lines, same media types, no
 * stream revived that the offer disabled, the audio stream accepted with at least one codec of
 * the offer. Formats the answer adds that the offer did not list are allowed (§6.1) and left
 * aside. SRTP: the answer's a=crypto must name one of our tags with the same suite (RFC 4568
 * §7.1.3); an RTP/SAVP offer answered without one fails.
 */
export function processAnswer(offer: SessionDescription, answer: SessionDescription, options: SdpPolicy): SdpResult<NegotiatedSession> {
  if (answer.media.length !== offer.media.length) {
    return mismatch(`answer has ${answer.media.length} m= lines, the offer had ${offer.media.length} (RFC 3264 §6)`);
  }
  const rejectedStreams: number[] = [];
  for (let i = 0; i < offer.media.length; i++) {
    const o = offer.media[i]!;
    const a = answer.media[i]!;
    if (a.type !== o.type) return mismatch(`m= line ${i + 1} is ${a.type} in the answer but ${o.type} in the offer`);
    if (o.port === 0 && a.port !== 0) return mismatch(`m= line ${i + 1} was disabled in the offer but the answer accepts it`);
    if (a.port === 0) rejectedStreams.push(i);
  }
  const index = offer.media.findIndex((m) => m.type === 'audio' && m.port !== 0);
  if (index < 0) return mismatch('the offer has no audio stream');
  const ov = viewMedia(offer, index);
  const av = viewMedia(answer, index);
  if (av.media.port === 0) return sdpFailure('SDP_MEDIA_REJECTED', `the answer rejected the audio stream (m= line ${index + 1}, port 0)`);
  if (av.media.protocol.toUpperCase() !== ov.media.protocol.toUpperCase()) {
    return mismatch(`the answer's audio transport ${av.media.protocol} differs from the offer's ${ov.media.protocol}`);
  }
  if (!av.connection) return mismatch('the answer has no c= line for the audio stream');

  const notes: string[] = [];
  const codecs: NegotiatedCodec[] = [];
  for (const f of av.formats) {
    if (isTelephoneEvent(f) || isComfortNoise(f)) continue;
    const ours = findCodec(f, options.codecs);
    const offered = ours ? ov.formats.find((of) => findCodec(of, options.codecs) === ours) : undefined;
    if (!ours || !offered) {
      notes.push(`answer format ${describeFormat(f)} was not offered; ignored`);
      continue;
    }
    if (offered.payloadType !== f.payloadType) notes.push(`answer renumbers ${f.encodingName} from ${offered.payloadType} to ${f.payloadType}`);
    if (!codecs.some((c) => c.name === ours.name)) codecs.push(negotiatedCodec(f, ours, offered.payloadType));
  }
  if (codecs.length === 0) {
    const offered = describeOffered(av);
    return sdpFailure('SDP_NO_COMMON_CODEC', `the answer lists no codec of the offer: answered ${offered.join(', ') || 'nothing'}`, { offered });
  }
  const codec = codecs[0]!;

  let srtp: NegotiatedMedia['srtp'];
  if (ov.crypto.length > 0 && av.crypto.length > 0) {
    const remoteCrypto = av.crypto[0]!;
    const localCrypto = ov.crypto.find((c) => c.tag === remoteCrypto.tag && c.suite === remoteCrypto.suite);
    if (!localCrypto || !remoteCrypto.keyParams.every((k) => k.method === 'inline' && parseInlineKey(k.info))) {
      return sdpFailure('SDP_CRYPTO_MISMATCH', `the answer's a=crypto (tag ${remoteCrypto.tag}, ${remoteCrypto.suite}) matches no offered one`);
    }
    srtp = { suite: remoteCrypto.suite, localCrypto, remoteCrypto };
  } else if (ov.secure) {
    return sdpFailure('SDP_CRYPTO_MISMATCH', 'RTP/SAVP offered but the answer has no a=crypto');
  }

  const offered = ov.direction;
  const remote = remoteIntent(av);
  const direction = makeDirection(directionSends(offered) && remote.receives, directionReceives(offered) && remote.sends);
  const allowed: Record<Direction, readonly Direction[]> = {
    sendrecv: ['sendrecv', 'sendonly', 'recvonly', 'inactive'],
    sendonly: ['recvonly', 'inactive'],
    recvonly: ['sendonly', 'inactive'],
    inactive: ['inactive'],
  };
  if (!allowed[offered].includes(av.direction)) notes.push(`answer direction ${av.direction} does not fit the offered ${offered} (RFC 3264 §6.1); using ${direction}`);

  const te = options.telephoneEvent ? pickTelephoneEvent(av, codec.clockRate) : undefined;
  const teOffered = te ? ov.formats.find((f) => isTelephoneEvent(f) && f.clockRate === te.clockRate) : undefined;
  const rtcp = remoteRtcp(av, options);
  const cnAnswered = comfortNoiseIn(av.formats);
  const cnOffered = cnAnswered ? comfortNoiseIn(ov.formats) : undefined;
  return {
    ok: true,
    value: {
      audio: {
        mediaIndex: index,
        localPort: ov.media.port,
        remoteAddress: av.connection.address,
        remotePort: av.media.port,
        remoteRtcpAddress: rtcp.address,
        remoteRtcpPort: rtcp.port,
        codec,
        codecs,
        ...(te && teOffered ? { telephoneEvent: { payloadType: te.payloadType, receivePayloadType: teOffered.payloadType, clockRate: te.clockRate, events: teEvents(te) } } : {}),
        ...(cnAnswered && cnOffered ? { comfortNoise: { payloadType: cnAnswered.payloadType, receivePayloadType: cnOffered.payloadType } } : {}),
        ptimeMs: sendPtime(options.ptimeMs, codec.encodingName, av.ptimeMs, av.maxptimeMs),
        direction,
        remoteHold: !remote.receives,
        ...(srtp ? { srtp } : {}),
      },
      rejectedStreams,
      notes,
    },
  };
}
