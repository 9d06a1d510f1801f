// RTCP packets (RFC 3550 §6.4–6.7) and the XR VoIP Metrics block (RFC 3611 §4.7): parse and
// serialise compound packets. RTCP is sent every few seconds, so these functions allocate freely;
// malformed input (untrusted network bytes) returns a Result failure, never a throw.
import type { Failure, Result } from '../core/result.js';
import { readU32, writeU32 } from './rtp-packet.js';

/** RTCP packet types (RFC 3550 §12.1, RFC 3611 §5.1). */
export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;
export const RTCP_APP = 204;
export const RTCP_XR = 207;

/** SDES item types (RFC 3550 §6.5). */
export const SDES_END = 0;
export const SDES_CNAME = 1;
export const SDES_NAME = 2;
export const SDES_EMAIL = 3;
export const SDES_PHONE = 4;
export const SDES_LOC = 5;
export const SDES_TOOL = 6;
export const SDES_NOTE = 7;
export const SDES_PRIV = 8;

/** XR block type of the VoIP Metrics Report Block (RFC 3611 §4.7). */
export const XR_VOIP_METRICS = 7;
/** RFC 3611 §4.7: value meaning "unavailable" for signal/noise level, RERL, R factors and MOS. */
export const XR_UNAVAILABLE = 127;

export type RtcpErrorCode =
  | 'RTCP_EMPTY'
  /** Shorter than a header, or than the length field / report count announces. */
  | 'RTCP_TRUNCATED'
  | 'RTCP_BAD_VERSION'
  /** Padding on a packet other than the last of a compound, or a bad padding count (RFC 3550 A.2). */
  | 'RTCP_BAD_PADDING'
  /** A compound packet that does not start with SR or RR (RFC 3550 §6.1, A.2), when required. */
  | 'RTCP_NOT_REPORT_FIRST'
  /** A packet body that does not match its type's layout (SDES items, BYE reason, APP, XR blocks). */
  | 'RTCP_BAD_PACKET';

export interface RtcpFailure extends Failure {
  readonly code: RtcpErrorCode;
}

function rtcpFailure(code: RtcpErrorCode, message: string): { readonly ok: false; readonly error: RtcpFailure } {
  return { ok: false, error: { code, message: `rtcp: ${message}` } };
}

/** A report block (RFC 3550 §6.4.1), about the source `ssrc`. */
export interface ReceptionReport {
  ssrc: number;
  /** Fraction of packets lost since the previous report, × 256 (0–255). */
  fractionLost: number;
  /** Cumulative number of packets lost: signed 24-bit (duplicates can make it negative). */
  cumulativeLost: number;
  /** Cycles × 65536 + highest sequence number received. */
  extendedHighestSequence: number;
  /** Interarrival jitter in timestamp units (RFC 3550 A.8). */
  jitter: number;
  /** Middle 32 bits of the NTP timestamp of the last SR received from `ssrc` (0: none yet). */
  lastSenderReport: number;
  /** Delay since that SR was received, in units of 1/65536 s. */
  delaySinceLastSenderReport: number;
}

export interface SenderInfo {
  /** NTP timestamp (RFC 3550 §4): seconds since 1900 and the binary fraction. */
  ntpSeconds: number;
  ntpFraction: number;
  /** RTP timestamp of the same instant as the NTP timestamp. */
  rtpTimestamp: number;
  /** Packets and payload octets sent since the start of transmission. */
  packetCount: number;
  octetCount: number;
}

export interface SenderReport {
  type: 'SR';
  ssrc: number;
  sender: SenderInfo;
  reports: ReceptionReport[];
  /** Profile-specific extension after the report blocks (RFC 3550 §6.4.1); usually absent. */
  profileExtension?: Uint8Array;
}

export interface ReceiverReport {
  type: 'RR';
  ssrc: number;
  reports: ReceptionReport[];
  profileExtension?: Uint8Array;
}

export interface SdesItem {
  /** SDES item type (1 CNAME … 8 PRIV). */
  type: number;
  /** The item text (UTF-8 on the wire; RFC 3550 §6.5). At most 255 bytes. */
  text: string;
}

export interface SdesChunk {
  ssrc: number;
  items: SdesItem[];
}

export interface SourceDescription {
  type: 'SDES';
  chunks: SdesChunk[];
}

export interface Goodbye {
  type: 'BYE';
  sources: number[];
  reason?: string;
}

/** APP (RFC 3550 §6.7), carried through unchanged. */
export interface AppPacket {
  type: 'APP';
  /** The 5-bit subtype in the count field. */
  subtype: number;
  ssrc: number;
  /** Four ASCII characters. */
  name: string;
  /** Application-dependent data, a multiple of 4 bytes. */
  data: Uint8Array;
}

/** RFC 3611 §4.7 VoIP Metrics Report Block fields, in the wire units. */
export interface VoipMetrics {
  ssrc: number;
  /** Fractions × 256 (0–255): lost, discarded (late/early at the jitter buffer), in bursts, in gaps. */
  lossRate: number;
  discardRate: number;
  burstDensity: number;
  gapDensity: number;
  /** Mean burst and gap durations, ms. */
  burstDuration: number;
  gapDuration: number;
  /** Round-trip delay (from RTCP LSR/DLSR) and end-system delay, ms. */
  roundTripDelay: number;
  endSystemDelay: number;
  /** dBm0, signed; 127 = unavailable. */
  signalLevel: number;
  noiseLevel: number;
  /** Residual echo return loss, dB; 127 = unavailable. */
  rerl: number;
  /** Gap threshold in packets (RFC 3611 recommends 16). */
  gmin: number;
  /** 0–100; 127 = unavailable. */
  rFactor: number;
  extRFactor: number;
  /** MOS × 10 (10–50); 127 = unavailable. */
  mosLq: number;
  mosCq: number;
  /** Receiver configuration byte: PLC (2 bits), JBA (2 bits), JB rate (4 bits). */
  rxConfig: number;
  /** Jitter buffer nominal, maximum and absolute maximum delay, ms. */
  jbNominal: number;
  jbMaximum: number;
  jbAbsMax: number;
}

export type XrBlock = { blockType: typeof XR_VOIP_METRICS; metrics: VoipMetrics } | { blockType: number; typeSpecific: number; data: Uint8Array };

export interface ExtendedReport {
  type: 'XR';
  ssrc: number;
  blocks: XrBlock[];
}

/** A packet of a type this code does not interpret (e.g. RTPFB/PSFB 205/206), carried through. */
export interface UnknownRtcp {
  type: 'unknown';
  packetType: number;
  /** The 5-bit count/format field. */
  count: number;
  /** Everything after the 4-byte header. */
  body: Uint8Array;
}

export type RtcpPacket = SenderReport | ReceiverReport | SourceDescription | Goodbye | AppPacket | ExtendedReport | UnknownRtcp;

export interface RtcpParseOptions {
  /**
   * RFC 3550 §6.1/A.2: a compound packet starts with SR or RR. Off by default so that
   * reduced-size RTCP (RFC 5506) and lone BYEs from lenient peers are still read.
   */
  requireReportFirst?: boolean;
}

const utf8 = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();

/** Parses a compound RTCP packet (RFC 3550 §6.1) into its packets. */
export function parseRtcp(bytes: Uint8Array, options: RtcpParseOptions = {}): Result<RtcpPacket[], RtcpFailure> {
  if (bytes.length === 0) return rtcpFailure('RTCP_EMPTY', 'empty datagram');
  const packets: RtcpPacket[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (offset + 4 > bytes.length) return rtcpFailure('RTCP_TRUNCATED', `${bytes.length - offset} stray bytes after packet ${packets.length + 1}`);
    const b0 = bytes[offset]!;
    if (b0 >>> 6 !== 2) return rtcpFailure('RTCP_BAD_VERSION', `packet ${packets.length + 1}: version ${b0 >>> 6}, expected 2`);
    const padded = (b0 & 0x20) !== 0;
    const count = b0 & 0x1f;
    const packetType = bytes[offset + 1]!;
    const size = 4 * (((bytes[offset + 2]! << 8) | bytes[offset + 3]!) + 1);
    const end = offset + size;
    if (end > bytes.length) return rtcpFailure('RTCP_TRUNCATED', `packet ${packets.length + 1} (type ${packetType}) announces ${size} bytes, ${bytes.length - offset} left`);
    let bodyEnd = end;
    if (padded) {
      if (end !== bytes.length) return rtcpFailure('RTCP_BAD_PADDING', `padding on packet ${packets.length + 1}, which is not the last`);
      const pad = bytes[end - 1]!;
      if (pad === 0 || pad > size - 4) return rtcpFailure('RTCP_BAD_PADDING', `padding count ${pad} in a ${size}-byte packet`);
      bodyEnd = end - pad;
    }
    if (packets.length === 0 && options.requireReportFirst && packetType !== RTCP_SR && packetType !== RTCP_RR) {
      return rtcpFailure('RTCP_NOT_REPORT_FIRST', `compound packet starts with type ${packetType}, not SR or RR`);
    }
    const body = bytes.subarray(offset + 4, bodyEnd);
    const r = parseOne(packetType, count, body);
    if (!r.ok) return r;
    packets.push(r.value);
    offset = end;
  }
  return { ok: true, value: packets };
}

function parseOne(packetType: number, count: number, body: Uint8Array): Result<RtcpPacket, RtcpFailure> {
  switch (packetType) {
    case RTCP_SR: {
      const need = 24 + 24 * count;
      if (body.length < need) return rtcpFailure('RTCP_TRUNCATED', `SR with ${count} report blocks needs ${need + 4} bytes, has ${body.length + 4}`);
      const sr: SenderReport = {
        type: 'SR',
        ssrc: readU32(body, 0),
        sender: {
          ntpSeconds: readU32(body, 4),
          ntpFraction: readU32(body, 8),
          rtpTimestamp: readU32(body, 12),
          packetCount: readU32(body, 16),
          octetCount: readU32(body, 20),
        },
        reports: readReports(body, 24, count),
      };
      if (body.length > need) sr.profileExtension = body.slice(need);
      return { ok: true, value: sr };
    }
    case RTCP_RR: {
      const need = 4 + 24 * count;
      if (body.length < need) return rtcpFailure('RTCP_TRUNCATED', `RR with ${count} report blocks needs ${need + 4} bytes, has ${body.length + 4}`);
      const rr: ReceiverReport = { type: 'RR', ssrc: readU32(body, 0), reports: readReports(body, 4, count) };
      if (body.length > need) rr.profileExtension = body.slice(need);
      return { ok: true, value: rr };
    }
    case RTCP_SDES:
      return parseSdes(count, body);
    case RTCP_BYE: {
      if (body.length < 4 * count) return rtcpFailure('RTCP_TRUNCATED', `BYE with ${count} sources needs ${4 * count + 4} bytes`);
      const sources: number[] = [];
      for (let i = 0; i < count; i++) sources.push(readU32(body, 4 * i));
      const bye: Goodbye = { type: 'BYE', sources };
      const at = 4 * count;
      if (body.length > at) {
        const len = body[at]!;
        if (at + 1 + len > body.length) return rtcpFailure('RTCP_BAD_PACKET', `BYE reason of ${len} bytes overruns the packet`);
        bye.reason = utf8.decode(body.subarray(at + 1, at + 1 + len));
      }
      return { ok: true, value: bye };
    }
    case RTCP_APP: {
      if (body.length < 8) return rtcpFailure('RTCP_TRUNCATED', 'APP shorter than 12 bytes');
      const name = String.fromCharCode(body[4]!, body[5]!, body[6]!, body[7]!);
      return { ok: true, value: { type: 'APP', subtype: count, ssrc: readU32(body, 0), name, data: body.slice(8) } };
    }
    case RTCP_XR:
      return parseXr(body);
    default:
      return { ok: true, value: { type: 'unknown', packetType, count, body: body.slice() } };
  }
}

function readReports(body: Uint8Array, at: number, count: number): ReceptionReport[] {
  const reports: ReceptionReport[] = [];
  for (let i = 0; i < count; i++, at += 24) {
    const lost24 = (body[at + 5]! << 16) | (body[at + 6]! << 8) | body[at + 7]!;
    reports.push({
      ssrc: readU32(body, at),
      fractionLost: body[at + 4]!,
      cumulativeLost: lost24 & 0x800000 ? lost24 - 0x1000000 : lost24,
      extendedHighestSequence: readU32(body, at + 8),
      jitter: readU32(body, at + 12),
      lastSenderReport: readU32(body, at + 16),
      delaySinceLastSenderReport: readU32(body, at + 20),
    });
  }
  return reports;
}

function parseSdes(count: number, body: Uint8Array): Result<RtcpPacket, RtcpFailure> {
  const chunks: SdesChunk[] = [];
  let at = 0;
  for (let c = 0; c < count; c++) {
    if (at + 4 > body.length) return rtcpFailure('RTCP_TRUNCATED', `SDES chunk ${c + 1} of ${count} missing`);
    const chunk: SdesChunk = { ssrc: readU32(body, at), items: [] };
    at += 4;
    // RFC 3550 §6.5: items until a null octet, then null octets up to the next 32-bit boundary.
    for (;;) {
      if (at >= body.length) return rtcpFailure('RTCP_BAD_PACKET', `SDES chunk ${c + 1} has no terminating null octet`);
      const type = body[at]!;
      if (type === SDES_END) {
        at = (at + 4) & ~3;
        break;
      }
      if (at + 2 > body.length) return rtcpFailure('RTCP_BAD_PACKET', `SDES item of type ${type} is truncated`);
      const len = body[at + 1]!;
      if (at + 2 + len > body.length) return rtcpFailure('RTCP_BAD_PACKET', `SDES item of type ${type}, ${len} bytes, overruns the packet`);
      chunk.items.push({ type, text: utf8.decode(body.subarray(at + 2, at + 2 + len)) });
      at += 2 + len;
    }
    if (at > body.length) return rtcpFailure('RTCP_BAD_PACKET', `SDES chunk ${c + 1} padding overruns the packet`);
    chunks.push(chunk);
  }
  return { ok: true, value: { type: 'SDES', chunks } };
}

function parseXr(body: Uint8Array): Result<RtcpPacket, RtcpFailure> {
  if (body.length < 4) return rtcpFailure('RTCP_TRUNCATED', 'XR shorter than 8 bytes');
  const xr: ExtendedReport = { type: 'XR', ssrc: readU32(body, 0), blocks: [] };
  let at = 4;
  while (at < body.length) {
    if (at + 4 > body.length) return rtcpFailure('RTCP_BAD_PACKET', 'XR block header truncated');
    const blockType = body[at]!;
    const typeSpecific = body[at + 1]!;
    const size = 4 * ((body[at + 2]! << 8) | body[at + 3]!);
    const data = body.subarray(at + 4, at + 4 + size);
    if (at + 4 + size > body.length) return rtcpFailure('RTCP_BAD_PACKET', `XR block type ${blockType} of ${size + 4} bytes overruns the packet`);
    if (blockType === XR_VOIP_METRICS && size === 32) {
      xr.blocks.push({ blockType: XR_VOIP_METRICS, metrics: readVoipMetrics(data) });
    } else {
      xr.blocks.push({ blockType, typeSpecific, data: data.slice() });
    }
    at += 4 + size;
  }
  return { ok: true, value: xr };
}

function readVoipMetrics(d: Uint8Array): VoipMetrics {
  const u16 = (i: number): number => (d[i]! << 8) | d[i + 1]!;
  const s8 = (i: number): number => (d[i]! << 24) >> 24;
  return {
    ssrc: readU32(d, 0),
    lossRate: d[4]!,
    discardRate: d[5]!,
    burstDensity: d[6]!,
    gapDensity: d[7]!,
    burstDuration: u16(8),
    gapDuration: u16(10),
    roundTripDelay: u16(12),
    endSystemDelay: u16(14),
    signalLevel: s8(16),
    noiseLevel: s8(17),
    rerl: d[18]!,
    gmin: d[19]!,
    rFactor: d[20]!,
    extRFactor: d[21]!,
    mosLq: d[22]!,
    mosCq: d[23]!,
    rxConfig: d[24]!,
    // d[25] reserved
    jbNominal: u16(26),
    jbMaximum: u16(28),
    jbAbsMax: u16(30),
  };
}

// ---- serialisation -------------------------------------------------------------------------

/**
 * Serialises packets into one compound datagram. Throws RangeError for values that cannot be
 * encoded (more than 31 report blocks or chunks, text over 255 bytes, fields out of range): those
 * are caller bugs, not network input.
 */
export function serializeRtcp(packets: readonly RtcpPacket[]): Uint8Array {
  const parts = packets.map(encodeOne);
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function encodeOne(packet: RtcpPacket): Uint8Array {
  switch (packet.type) {
    case 'SR': {
      const ext = packet.profileExtension ?? new Uint8Array(0);
      const w = new Writer(RTCP_SR, checkCount('report blocks', packet.reports.length), 24 + 24 * packet.reports.length + ext.length);
      w.u32(packet.ssrc);
      const s = packet.sender;
      w.u32(s.ntpSeconds).u32(s.ntpFraction).u32(s.rtpTimestamp).u32(s.packetCount).u32(s.octetCount);
      for (const r of packet.reports) writeReport(w, r);
      return w.bytes(ext).finish();
    }
    case 'RR': {
      const ext = packet.profileExtension ?? new Uint8Array(0);
      const w = new Writer(RTCP_RR, checkCount('report blocks', packet.reports.length), 4 + 24 * packet.reports.length + ext.length);
      w.u32(packet.ssrc);
      for (const r of packet.reports) writeReport(w, r);
      return w.bytes(ext).finish();
    }
    case 'SDES': {
      const chunks = packet.chunks.map((c) => ({ ssrc: c.ssrc, items: c.items.map((i) => ({ type: i.type, text: encodeText(i.text) })) }));
      let size = 0;
      for (const c of chunks) {
        let len = 4;
        for (const i of c.items) len += 2 + i.text.length;
        size += (len + 4) & ~3; // at least one null octet, padded to 32 bits
      }
      const w = new Writer(RTCP_SDES, checkCount('SDES chunks', chunks.length), size);
      for (const c of chunks) {
        const start = w.at;
        w.u32(c.ssrc);
        for (const i of c.items) {
          if (!(i.type >= 1 && i.type <= 255)) throw new RangeError(`rtcp: SDES item type ${i.type}`);
          w.u8(i.type).u8(i.text.length).bytes(i.text);
        }
        w.u8(SDES_END);
        while ((w.at - start) % 4 !== 0) w.u8(0);
      }
      return w.finish();
    }
    case 'BYE': {
      const reason = packet.reason === undefined ? undefined : encodeText(packet.reason);
      const size = 4 * packet.sources.length + (reason ? (reason.length + 1 + 3) & ~3 : 0);
      const w = new Writer(RTCP_BYE, checkCount('BYE sources', packet.sources.length), size);
      for (const s of packet.sources) w.u32(s);
      if (reason) {
        w.u8(reason.length).bytes(reason);
        while (w.at % 4 !== 0) w.u8(0);
      }
      return w.finish();
    }
    case 'APP': {
      if (packet.data.length % 4 !== 0) throw new RangeError('rtcp: APP data must be a multiple of 4 bytes');
      if (!/^[\x20-\x7e]{4}$/.test(packet.name)) throw new RangeError(`rtcp: APP name '${packet.name}' must be 4 ASCII characters`);
      const w = new Writer(RTCP_APP, checkCount('APP subtype', packet.subtype), 8 + packet.data.length);
      w.u32(packet.ssrc);
      for (let i = 0; i < 4; i++) w.u8(packet.name.charCodeAt(i));
      return w.bytes(packet.data).finish();
    }
    case 'XR': {
      let size = 4;
      for (const b of packet.blocks) {
        if ('metrics' in b) size += 36;
        else {
          if (b.data.length % 4 !== 0) throw new RangeError(`rtcp: XR block type ${b.blockType} data must be a multiple of 4 bytes`);
          size += 4 + b.data.length;
        }
      }
      const w = new Writer(RTCP_XR, 0, size);
      w.u32(packet.ssrc);
      for (const b of packet.blocks) {
        if ('metrics' in b) writeVoipMetrics(w, b.metrics);
        else w.u8(b.blockType).u8(b.typeSpecific).u16(b.data.length / 4).bytes(b.data);
      }
      return w.finish();
    }
    case 'unknown': {
      if (packet.body.length % 4 !== 0) throw new RangeError('rtcp: packet body must be a multiple of 4 bytes');
      return new Writer(packet.packetType, checkCount('count', packet.count), packet.body.length).bytes(packet.body).finish();
    }
  }
}

function writeReport(w: Writer, r: ReceptionReport): void {
  if (!(r.cumulativeLost >= -0x800000 && r.cumulativeLost <= 0x7fffff)) throw new RangeError(`rtcp: cumulative lost ${r.cumulativeLost} outside 24 bits`);
  w.u32(r.ssrc).u8(r.fractionLost);
  const lost = r.cumulativeLost & 0xffffff;
  w.u8(lost >>> 16).u8((lost >>> 8) & 0xff).u8(lost & 0xff);
  w.u32(r.extendedHighestSequence).u32(r.jitter).u32(r.lastSenderReport).u32(r.delaySinceLastSenderReport);
}

function writeVoipMetrics(w: Writer, m: VoipMetrics): void {
  w.u8(XR_VOIP_METRICS).u8(0).u16(8).u32(m.ssrc);
  w.u8(m.lossRate).u8(m.discardRate).u8(m.burstDensity).u8(m.gapDensity);
  w.u16(m.burstDuration).u16(m.gapDuration).u16(m.roundTripDelay).u16(m.endSystemDelay);
  w.s8(m.signalLevel).s8(m.noiseLevel).u8(m.rerl).u8(m.gmin);
  w.u8(m.rFactor).u8(m.extRFactor).u8(m.mosLq).u8(m.mosCq);
  w.u8(m.rxConfig).u8(0).u16(m.jbNominal).u16(m.jbMaximum).u16(m.jbAbsMax);
}

function encodeText(text: string): Uint8Array {
  const b = utf8Encoder.encode(text);
  if (b.length > 255) throw new RangeError(`rtcp: text of ${b.length} bytes, at most 255`);
  return b;
}

function checkCount(what: string, n: number): number {
  if (!(Number.isInteger(n) && n >= 0 && n <= 31)) throw new RangeError(`rtcp: ${n} ${what}, at most 31`);
  return n;
}

/** Fixed-size packet writer: header with the length field, body of `bodySize` bytes. */
class Writer {
  private readonly out: Uint8Array;
  /** Write position, relative to the start of the body (after the 4-byte header). */
  at = 0;
  private readonly base = 4;

  constructor(packetType: number, count: number, bodySize: number) {
    if (bodySize % 4 !== 0) throw new RangeError(`rtcp: packet body of ${bodySize} bytes is not a multiple of 4`);
    if (bodySize / 4 > 0xffff) throw new RangeError('rtcp: packet too long');
    this.out = new Uint8Array(4 + bodySize);
    // RFC 3550 §6.4.1: V=2, P=0, count; length in 32-bit words minus one.
    this.out[0] = 0x80 | count;
    this.out[1] = packetType;
    this.out[2] = (bodySize / 4) >>> 8;
    this.out[3] = (bodySize / 4) & 0xff;
  }

  u8(v: number): this {
    if (!(Number.isInteger(v) && v >= 0 && v <= 0xff)) throw new RangeError(`rtcp: octet ${v} out of range`);
    this.out[this.base + this.at++] = v;
    return this;
  }

  s8(v: number): this {
    if (!(Number.isInteger(v) && v >= -128 && v <= 127)) throw new RangeError(`rtcp: signed octet ${v} out of range`);
    return this.u8(v & 0xff);
  }

  u16(v: number): this {
    if (!(Number.isInteger(v) && v >= 0 && v <= 0xffff)) throw new RangeError(`rtcp: 16-bit field ${v} out of range`);
    return this.u8(v >>> 8).u8(v & 0xff);
  }

  u32(v: number): this {
    if (!(Number.isInteger(v) && v >= 0 && v <= 0xffffffff)) throw new RangeError(`rtcp: 32-bit field ${v} out of range`);
    writeU32(this.out, this.base + this.at, v);
    this.at += 4;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.out.set(b, this.base + this.at);
    this.at += b.length;
    return this;
  }

  finish(): Uint8Array {
    if (this.base + this.at !== this.out.length) throw new Error(`rtcp: wrote ${this.base + this.at} of ${this.out.length} bytes`);
    return this.out;
  }
}
