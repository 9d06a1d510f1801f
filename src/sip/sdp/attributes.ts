// Typed readings of the attributes the phone acts on, and their writers:
//   a=rtpmap (RFC 4566 §6, RFC 3551 static types when absent), a=fmtp (RFC 4566 §6),
//   a=ptime / a=maxptime (RFC 4566 §6), direction (RFC 3264 §5.1; media level overrides session
//   level), a=rtcp (RFC 3605), a=crypto (RFC 4568 §9.1 SDES).
// A value that does not parse is treated like an attribute the phone does not understand and
// ignored (RFC 4566 §5.13), so a peer's odd a= line never fails a call by itself.
import {
  isDirection,
  type Attribute,
  type Connection,
  type Direction,
  type MediaDescription,
  type SessionDescription,
} from './sdp.js';

export interface Rtpmap {
  readonly payloadType: number;
  /** As written (`PCMU`, `opus`, `telephone-event`); compare case-insensitively (RFC 4855 §3). */
  readonly encodingName: string;
  readonly clockRate: number;
  /** Audio channels (the rtpmap encoding parameters); 1 when absent (RFC 4566 §6). */
  readonly channels: number;
}

/** RFC 3551 §6 Tables 4 and 5: static payload types, used when no a=rtpmap names the type. */
export const STATIC_PAYLOAD_TYPES: ReadonlyMap<number, Rtpmap> = new Map(
  (
    [
      [0, 'PCMU', 8000],
      [3, 'GSM', 8000],
      [4, 'G723', 8000],
      [5, 'DVI4', 8000],
      [6, 'DVI4', 16000],
      [7, 'LPC', 8000],
      [8, 'PCMA', 8000],
      // RFC 3551 §4.5.2: G.722's RTP clock is 8000 although it samples at 16 kHz.
      [9, 'G722', 8000],
      [10, 'L16', 44100, 2],
      [11, 'L16', 44100],
      [12, 'QCELP', 8000],
      [13, 'CN', 8000],
      [14, 'MPA', 90000],
      [15, 'G728', 8000],
      [16, 'DVI4', 11025],
      [17, 'DVI4', 22050],
      [18, 'G729', 8000],
      [25, 'CelB', 90000],
      [26, 'JPEG', 90000],
      [28, 'nv', 90000],
      [31, 'H261', 90000],
      [32, 'MPV', 90000],
      [33, 'MP2T', 90000],
      [34, 'H263', 90000],
    ] as Array<[number, string, number, number?]>
  ).map(([payloadType, encodingName, clockRate, channels]) => [payloadType, { payloadType, encodingName, clockRate, channels: channels ?? 1 }]),
);

const DIGITS = /^[0-9]+$/;
const TOKEN = /^[!#$%&'*+\-.0-9A-Z^_`a-z{|}~]+$/;

/** `a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]`. */
export function parseRtpmap(value: string): Rtpmap | undefined {
  const m = /^([0-9]{1,3}) ([^ /]+)\/([0-9]{1,10})(?:\/([0-9]{1,3}))?$/.exec(value);
  if (!m) return undefined;
  const payloadType = Number(m[1]);
  const clockRate = Number(m[3]);
  const channels = m[4] === undefined ? 1 : Number(m[4]);
  if (payloadType > 127 || clockRate === 0 || channels === 0) return undefined;
  return { payloadType, encodingName: m[2]!, clockRate, channels };
}

export function rtpmapAttribute(r: { payloadType: number; encodingName: string; clockRate: number; channels?: number }): Attribute {
  const params = r.channels !== undefined && r.channels !== 1 ? `/${r.channels}` : '';
  return { name: 'rtpmap', value: `${r.payloadType} ${r.encodingName}/${r.clockRate}${params}` };
}

/** `a=fmtp:<format> <format specific parameters>`. */
export function parseFmtp(value: string): { format: string; parameters: string } | undefined {
  const space = value.indexOf(' ');
  const format = space < 0 ? value : value.slice(0, space);
  if (!TOKEN.test(format)) return undefined;
  return { format, parameters: space < 0 ? '' : value.slice(space + 1).trim() };
}

export function fmtpAttribute(payloadType: number, parameters: string): Attribute {
  return { name: 'fmtp', value: `${payloadType} ${parameters}` };
}

/**
 * `key=value; key=value` (RFC 4855 §3 style) → lower-case keys. A part without `=` (the
 * telephone-event list `0-15`) is stored under the key ''.
 */
export function parseFmtpParameters(parameters: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of parameters.split(';')) {
    const p = part.trim();
    if (p === '') continue;
    const eq = p.indexOf('=');
    if (eq < 0) out.set('', p);
    else out.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim());
  }
  return out;
}

/**
 * RFC 4733 §2.4.1 event list (`0-15`, `0-11,16`) → the event codes, or undefined if malformed.
 * An absent fmtp means events 0–15 (RFC 4733 §7.1.1).
 */
export function parseEventList(list: string): number[] | undefined {
  const out = new Set<number>();
  for (const part of list.split(',')) {
    const m = /^\s*([0-9]{1,3})(?:-([0-9]{1,3}))?\s*$/.exec(part);
    if (!m) return undefined;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (from > 255 || to > 255 || to < from) return undefined;
    for (let e = from; e <= to; e++) out.add(e);
  }
  return [...out].sort((a, b) => a - b);
}

/** RFC 3605 `a=rtcp:<port> [<nettype> <addrtype> <connection-address>]`. */
export interface RtcpAttribute {
  readonly port: number;
  readonly connection?: Connection;
}

export function parseRtcp(value: string): RtcpAttribute | undefined {
  const f = value.split(' ');
  if (!DIGITS.test(f[0]!) || f[0]!.length > 5 || Number(f[0]) > 65535) return undefined;
  const port = Number(f[0]);
  if (f.length === 1) return { port };
  if (f.length !== 4 || f.slice(1).some((x) => x === '')) return undefined;
  return { port, connection: { netType: f[1]!, addressType: f[2]!, address: f[3]! } };
}

export function rtcpAttribute(port: number, address?: string, addressType?: string): Attribute {
  return { name: 'rtcp', value: address === undefined ? String(port) : `${port} IN ${addressType ?? 'IP4'} ${address}` };
}

/** RFC 4568 §9.1 key-param: `<key-method>:<key-info>` (`inline:` is the only method defined). */
export interface CryptoKeyParam {
  readonly method: string;
  readonly info: string;
}

/** RFC 4568 §9.1 `a=crypto:<tag> <crypto-suite> <key-params> [<session-params>]`. */
export interface CryptoAttribute {
  readonly tag: number;
  /** `AES_CM_128_HMAC_SHA1_80`, `AES_CM_128_HMAC_SHA1_32`, `AEAD_AES_128_GCM`… */
  readonly suite: string;
  readonly keyParams: readonly CryptoKeyParam[];
  /** `KDR=1`, `UNENCRYPTED_SRTCP`, `FEC_ORDER=FEC_SRTP`… as written. */
  readonly sessionParams: readonly string[];
}

export function parseCrypto(value: string): CryptoAttribute | undefined {
  const f = value.split(' ').filter((x) => x !== '');
  if (f.length < 3) return undefined;
  const [tagText, suite, keyText] = f as [string, string, string];
  if (!DIGITS.test(tagText) || tagText.length > 9) return undefined;
  if (!/^[A-Za-z0-9_]+$/.test(suite)) return undefined;
  const keyParams: CryptoKeyParam[] = [];
  for (const kp of keyText.split(';')) {
    const colon = kp.indexOf(':');
    if (colon <= 0 || colon === kp.length - 1) return undefined;
    keyParams.push({ method: kp.slice(0, colon), info: kp.slice(colon + 1) });
  }
  return { tag: Number(tagText), suite, keyParams, sessionParams: f.slice(3) };
}

export function cryptoAttribute(c: CryptoAttribute): Attribute {
  const keys = c.keyParams.map((k) => `${k.method}:${k.info}`).join(';');
  return { name: 'crypto', value: [String(c.tag), c.suite, keys, ...c.sessionParams].join(' ') };
}

/** RFC 4568 §6.1 inline key-info: `<key||salt base64>[|<lifetime>][|<MKI>:<MKI length>]`. */
export interface InlineKey {
  readonly keySalt: string;
  /** `2^31` or a decimal number, as written. */
  readonly lifetime?: string;
  readonly mki?: { readonly value: number; readonly length: number };
}

export function parseInlineKey(info: string): InlineKey | undefined {
  const parts = info.split('|');
  const keySalt = parts[0]!;
  if (!/^[A-Za-z0-9+/]+=*$/.test(keySalt) || parts.length > 3) return undefined;
  let lifetime: string | undefined;
  let mki: InlineKey['mki'];
  for (const p of parts.slice(1)) {
    const m = /^([0-9]{1,10}):([0-9]{1,3})$/.exec(p);
    if (m) {
      if (mki) return undefined;
      mki = { value: Number(m[1]), length: Number(m[2]) };
    } else if (/^(2\^[0-9]{1,2}|[0-9]{1,20})$/.test(p) && lifetime === undefined && mki === undefined) {
      lifetime = p;
    } else {
      return undefined;
    }
  }
  return { keySalt, ...(lifetime !== undefined ? { lifetime } : {}), ...(mki ? { mki } : {}) };
}

export function formatInlineKey(k: InlineKey): string {
  let s = k.keySalt;
  if (k.lifetime !== undefined) s += `|${k.lifetime}`;
  if (k.mki) s += `|${k.mki.value}:${k.mki.length}`;
  return s;
}

/** One payload format of an RTP media stream, resolved through a=rtpmap or RFC 3551. */
export interface PayloadFormat extends Rtpmap {
  /** The a=fmtp parameters, if any. */
  readonly fmtp?: string;
}

/** The readings of one media description the offer/answer engine works with. */
export interface MediaView {
  readonly index: number;
  readonly media: MediaDescription;
  /** The transport is an RTP profile (`RTP/AVP`, `RTP/SAVP`, `RTP/AVPF`, `UDP/TLS/RTP/SAVPF`…). */
  readonly rtp: boolean;
  /** Secure RTP profile (`RTP/SAVP`, `RTP/SAVPF`). */
  readonly secure: boolean;
  /** Media-level c= (the first), else the session-level one. */
  readonly connection?: Connection;
  /** Formats in m= line order that resolve to a codec; unknown dynamic types are left out. */
  readonly formats: readonly PayloadFormat[];
  /** Payload types with neither an a=rtpmap nor a static assignment. */
  readonly unknownPayloadTypes: readonly number[];
  /** Media-level direction attribute, else session-level, else sendrecv (RFC 3264 §5.1). */
  readonly direction: Direction;
  readonly ptimeMs?: number;
  readonly maxptimeMs?: number;
  readonly rtcp?: RtcpAttribute;
  readonly crypto: readonly CryptoAttribute[];
}

function firstDirection(attributes: readonly Attribute[]): Direction | undefined {
  for (const a of attributes) if (a.value === undefined && isDirection(a.name)) return a.name;
  return undefined;
}

function positiveNumber(value: string | undefined): number | undefined {
  if (value === undefined || !/^[0-9]{1,6}(\.[0-9]{1,3})?$/.test(value.trim())) return undefined;
  const n = Number(value.trim());
  return n > 0 ? n : undefined;
}

export function findAttribute(attributes: readonly Attribute[], name: string): Attribute | undefined {
  return attributes.find((a) => a.name === name);
}

export function isRtpProtocol(protocol: string): boolean {
  return /(^|\/)RTP\//i.test(protocol);
}

export function viewMedia(sd: SessionDescription, index: number): MediaView {
  const media = sd.media[index];
  if (!media) throw new RangeError(`viewMedia: no media description ${index}`);
  const rtp = isRtpProtocol(media.protocol);
  const secure = /(^|\/)RTP\/SAVPF?$/i.test(media.protocol);
  const rtpmaps = new Map<number, Rtpmap>();
  const fmtps = new Map<string, string>();
  let ptimeMs: number | undefined;
  let maxptimeMs: number | undefined;
  let rtcp: RtcpAttribute | undefined;
  const crypto: CryptoAttribute[] = [];
  for (const a of media.attributes) {
    if (a.value === undefined) continue;
    switch (a.name) {
      case 'rtpmap': {
        const r = parseRtpmap(a.value);
        if (r && !rtpmaps.has(r.payloadType)) rtpmaps.set(r.payloadType, r);
        break;
      }
      case 'fmtp': {
        const f = parseFmtp(a.value);
        if (f && !fmtps.has(f.format)) fmtps.set(f.format, f.parameters);
        break;
      }
      case 'ptime':
        ptimeMs ??= positiveNumber(a.value);
        break;
      case 'maxptime':
        maxptimeMs ??= positiveNumber(a.value);
        break;
      case 'rtcp':
        rtcp ??= parseRtcp(a.value);
        break;
      case 'crypto': {
        const c = parseCrypto(a.value);
        if (c) crypto.push(c);
        break;
      }
    }
  }
  const formats: PayloadFormat[] = [];
  const unknownPayloadTypes: number[] = [];
  if (rtp) {
    for (const f of media.formats) {
      const pt = Number(f);
      const map = rtpmaps.get(pt) ?? STATIC_PAYLOAD_TYPES.get(pt);
      if (!map) {
        unknownPayloadTypes.push(pt);
        continue;
      }
      const fmtp = fmtps.get(f);
      formats.push({ ...map, payloadType: pt, ...(fmtp !== undefined ? { fmtp } : {}) });
    }
  }
  const connection = media.connections[0] ?? sd.connection;
  return {
    index,
    media,
    rtp,
    secure,
    ...(connection ? { connection } : {}),
    formats,
    unknownPayloadTypes,
    direction: firstDirection(media.attributes) ?? firstDirection(sd.attributes) ?? 'sendrecv',
    ...(ptimeMs !== undefined ? { ptimeMs } : {}),
    ...(maxptimeMs !== undefined ? { maxptimeMs } : {}),
    ...(rtcp ? { rtcp } : {}),
    crypto,
  };
}

/** `PCMU/8000 (0)`, `opus/48000/2 (111)`: how failures list what a peer offered. */
export function describeFormat(f: Rtpmap): string {
  return `${f.encodingName}/${f.clockRate}${f.channels !== 1 ? `/${f.channels}` : ''} (${f.payloadType})`;
}

/** Everything an m= line offers, for SDP_NO_COMMON_CODEC: resolved formats, unknown types, other media. */
export function describeOffered(view: MediaView): string[] {
  const m = view.media;
  if (!view.rtp) return m.formats.map((f) => `${m.type} ${m.protocol} ${f}`);
  const prefix = m.type === 'audio' && !view.secure ? '' : `${m.type} ${m.protocol} `;
  return [...view.formats.map((f) => prefix + describeFormat(f)), ...view.unknownPayloadTypes.map((pt) => `${prefix}unknown (${pt})`)];
}
