// RTP data packets (RFC 3550 §5.1): parse and serialise the fixed header, CSRC list, header
// extension (§5.3.1) and padding. Two ways in:
// - `RtpView.read(bytes)` parses into a reusable view without allocating (the hot path: one view
//   per socket, re-read for every datagram; the payload stays in the datagram, located by
//   `payloadOffset`/`payloadLength`);
// - `parseRtp(bytes)` returns a self-contained `RtpPacket` (tests, tools, rare paths).
// Malformed input (untrusted network bytes) comes back as a Result failure, never a throw.
import type { Failure, Result } from '../core/result.js';

export const RTP_VERSION = 2;
/** Fixed header: V P X CC M PT sequence timestamp SSRC (RFC 3550 §5.1). */
export const RTP_HEADER_BYTES = 12;
/** Largest RTP datagram this code accepts or produces (Ethernet MTU less IPv4 and UDP). */
export const RTP_MAX_PACKET_BYTES = 1472;

export type RtpErrorCode =
  /** Shorter than the 12-byte fixed header, or than the CSRC list / extension it announces. */
  | 'RTP_TRUNCATED'
  /** Version field other than 2 (RFC 3550 §5.1). */
  | 'RTP_BAD_VERSION'
  /** Padding count of 0 or larger than the bytes after the header (RFC 3550 §5.1 P, A.1). */
  | 'RTP_BAD_PADDING';

export interface RtpFailure extends Failure {
  readonly code: RtpErrorCode;
}

function rtpFailure(code: RtpErrorCode, message: string): { readonly ok: false; readonly error: RtpFailure } {
  return { ok: false, error: { code, message: `rtp: ${message}` } };
}

/** A self-contained RTP packet (owns copies of its variable parts). */
export interface RtpPacket {
  /** M bit: for audio the first packet of a talkspurt (RFC 3551 §4.1). */
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  /** Contributing sources (at most 15). */
  csrc: number[];
  /** Header extension (RFC 3550 §5.3.1): 16-bit profile-defined word and the data (a multiple of 4 bytes). */
  extension?: { profile: number; data: Uint8Array };
  payload: Uint8Array;
  /**
   * Padding octets at the end, including the count octet (RFC 3550 §5.1 P bit); 0 for none.
   * Serialising writes zeros followed by the count.
   */
  paddingLength: number;
}

/**
 * Allocation-free parse target. `read` fills the fields from a datagram and keeps a reference to
 * it; the fields stay valid until the next `read` or until the datagram's bytes change.
 */
export class RtpView {
  bytes: Uint8Array = new Uint8Array(0);
  /** Number of bytes of `bytes` that form the packet (a datagram may sit in a larger buffer). */
  length = 0;
  padding = false;
  extension = false;
  csrcCount = 0;
  marker = false;
  payloadType = 0;
  sequenceNumber = 0;
  timestamp = 0;
  ssrc = 0;
  /** Header extension profile word and data location; extensionLength is 0 without X. */
  extensionProfile = 0;
  extensionOffset = 0;
  extensionLength = 0;
  payloadOffset = 0;
  payloadLength = 0;
  paddingLength = 0;

  private readonly okResult: { readonly ok: true; readonly value: RtpView };

  constructor() {
    this.okResult = { ok: true, value: this };
  }

  /**
   * Parses `bytes[0, length)` (length defaults to the whole array). On success returns a Result
   * object owned by the view (no allocation); on failure the view's fields are unspecified.
   * Checks of RFC 3550 A.1 that need no state: version 2, the CSRC list and extension fit, and
   * a valid padding count.
   */
  read(bytes: Uint8Array, length: number = bytes.length): Result<RtpView, RtpFailure> {
    this.bytes = bytes;
    this.length = length;
    if (length < RTP_HEADER_BYTES) return rtpFailure('RTP_TRUNCATED', `${length} bytes is shorter than the 12-byte header`);
    const b0 = bytes[0]!;
    const version = b0 >>> 6;
    if (version !== RTP_VERSION) return rtpFailure('RTP_BAD_VERSION', `version ${version}, expected 2`);
    this.padding = (b0 & 0x20) !== 0;
    this.extension = (b0 & 0x10) !== 0;
    this.csrcCount = b0 & 0x0f;
    const b1 = bytes[1]!;
    this.marker = (b1 & 0x80) !== 0;
    this.payloadType = b1 & 0x7f;
    this.sequenceNumber = (bytes[2]! << 8) | bytes[3]!;
    this.timestamp = readU32(bytes, 4);
    this.ssrc = readU32(bytes, 8);
    let offset = RTP_HEADER_BYTES + 4 * this.csrcCount;
    if (offset > length) return rtpFailure('RTP_TRUNCATED', `${length} bytes cannot hold ${this.csrcCount} CSRC identifiers`);
    if (this.extension) {
      if (offset + 4 > length) return rtpFailure('RTP_TRUNCATED', 'header extension does not fit');
      this.extensionProfile = (bytes[offset]! << 8) | bytes[offset + 1]!;
      const words = (bytes[offset + 2]! << 8) | bytes[offset + 3]!;
      this.extensionOffset = offset + 4;
      this.extensionLength = 4 * words;
      offset += 4 + this.extensionLength;
      if (offset > length) return rtpFailure('RTP_TRUNCATED', `header extension of ${words} words does not fit`);
    } else {
      this.extensionProfile = 0;
      this.extensionOffset = offset;
      this.extensionLength = 0;
    }
    let paddingLength = 0;
    if (this.padding) {
      // RFC 3550 §5.1: the last octet counts the padding octets, itself included.
      paddingLength = bytes[length - 1]!;
      if (paddingLength === 0 || offset + paddingLength > length) {
        return rtpFailure('RTP_BAD_PADDING', `padding count ${paddingLength} with ${length - offset} bytes after the header`);
      }
    }
    this.paddingLength = paddingLength;
    this.payloadOffset = offset;
    this.payloadLength = length - offset - paddingLength;
    return this.okResult;
  }

  /** The i-th CSRC identifier (0 ≤ i < csrcCount). */
  csrc(i: number): number {
    return readU32(this.bytes, RTP_HEADER_BYTES + 4 * i);
  }

  /** The payload as a view on the datagram (allocates a small view object). */
  payload(): Uint8Array {
    return this.bytes.subarray(this.payloadOffset, this.payloadOffset + this.payloadLength);
  }

  /** A self-contained copy of the packet. */
  toPacket(): RtpPacket {
    const csrc: number[] = [];
    for (let i = 0; i < this.csrcCount; i++) csrc.push(this.csrc(i));
    const packet: RtpPacket = {
      marker: this.marker,
      payloadType: this.payloadType,
      sequenceNumber: this.sequenceNumber,
      timestamp: this.timestamp,
      ssrc: this.ssrc,
      csrc,
      payload: this.bytes.slice(this.payloadOffset, this.payloadOffset + this.payloadLength),
      paddingLength: this.paddingLength,
    };
    if (this.extension) {
      packet.extension = {
        profile: this.extensionProfile,
        data: this.bytes.slice(this.extensionOffset, this.extensionOffset + this.extensionLength),
      };
    }
    return packet;
  }
}

/** Parses one RTP packet into a self-contained object. */
export function parseRtp(bytes: Uint8Array): Result<RtpPacket, RtpFailure> {
  const view = new RtpView();
  const r = view.read(bytes);
  if (!r.ok) return r;
  return { ok: true, value: view.toPacket() };
}

/** Bytes `serializeRtpInto` writes for `packet`. */
export function rtpPacketBytes(packet: RtpPacket): number {
  return RTP_HEADER_BYTES + 4 * packet.csrc.length + (packet.extension ? 4 + packet.extension.data.length : 0) + packet.payload.length + packet.paddingLength;
}

/**
 * Writes `packet` at `out[offset]`; returns the bytes written. Throws RangeError for a packet
 * that cannot be encoded (more than 15 CSRCs, extension data not a multiple of 4, padding
 * outside 0–255, fields out of range) or a buffer that is too small: those are caller bugs.
 */
export function serializeRtpInto(packet: RtpPacket, out: Uint8Array, offset = 0): number {
  const total = rtpPacketBytes(packet);
  if (offset + total > out.length) throw new RangeError(`rtp: buffer of ${out.length - offset} bytes cannot hold ${total}`);
  if (packet.csrc.length > 15) throw new RangeError(`rtp: ${packet.csrc.length} CSRCs, at most 15`);
  if (packet.extension && packet.extension.data.length % 4 !== 0) throw new RangeError('rtp: extension data must be a multiple of 4 bytes');
  if (packet.extension && packet.extension.data.length > 0xffff * 4) throw new RangeError('rtp: extension data too long');
  if (!(packet.paddingLength >= 0 && packet.paddingLength <= 255)) throw new RangeError(`rtp: padding ${packet.paddingLength} outside 0–255`);
  checkField('payload type', packet.payloadType, 0x7f);
  checkField('sequence number', packet.sequenceNumber, 0xffff);
  checkField('timestamp', packet.timestamp, 0xffffffff);
  checkField('SSRC', packet.ssrc, 0xffffffff);
  let p = offset;
  out[p++] = (RTP_VERSION << 6) | (packet.paddingLength > 0 ? 0x20 : 0) | (packet.extension ? 0x10 : 0) | packet.csrc.length;
  out[p++] = (packet.marker ? 0x80 : 0) | packet.payloadType;
  out[p++] = packet.sequenceNumber >>> 8;
  out[p++] = packet.sequenceNumber & 0xff;
  writeU32(out, p, packet.timestamp);
  writeU32(out, p + 4, packet.ssrc);
  p += 8;
  for (const c of packet.csrc) {
    checkField('CSRC', c, 0xffffffff);
    writeU32(out, p, c);
    p += 4;
  }
  if (packet.extension) {
    const { profile, data } = packet.extension;
    checkField('extension profile', profile, 0xffff);
    out[p++] = profile >>> 8;
    out[p++] = profile & 0xff;
    const words = data.length / 4;
    out[p++] = words >>> 8;
    out[p++] = words & 0xff;
    out.set(data, p);
    p += data.length;
  }
  out.set(packet.payload, p);
  p += packet.payload.length;
  if (packet.paddingLength > 0) {
    out.fill(0, p, p + packet.paddingLength - 1);
    p += packet.paddingLength;
    out[p - 1] = packet.paddingLength;
  }
  return p - offset;
}

/** Serialises `packet` into a new array. */
export function serializeRtp(packet: RtpPacket): Uint8Array {
  const out = new Uint8Array(rtpPacketBytes(packet));
  serializeRtpInto(packet, out);
  return out;
}

/**
 * Writes a 12-byte fixed header with no CSRC, extension or padding at `out[offset]` (the send
 * hot path; no checks beyond masking). Returns 12.
 */
export function writeRtpHeader(out: Uint8Array, offset: number, marker: boolean, payloadType: number, sequenceNumber: number, timestamp: number, ssrc: number): number {
  out[offset] = RTP_VERSION << 6;
  out[offset + 1] = (marker ? 0x80 : 0) | (payloadType & 0x7f);
  out[offset + 2] = (sequenceNumber >>> 8) & 0xff;
  out[offset + 3] = sequenceNumber & 0xff;
  writeU32(out, offset + 4, timestamp);
  writeU32(out, offset + 8, ssrc);
  return RTP_HEADER_BYTES;
}

/**
 * RFC 5761 §4: on a port shared by RTP and RTCP, a second octet in 192–223 (RTCP packet types
 * 192–223, i.e. RTP payload types 64–95 with M set) is RTCP. Also true for any version-2 packet
 * of at least 4 bytes whose type falls in that range.
 */
export function looksLikeRtcp(bytes: Uint8Array, length: number = bytes.length): boolean {
  if (length < 4) return false;
  const pt = bytes[1]!;
  return bytes[0]! >>> 6 === RTP_VERSION && pt >= 192 && pt <= 223;
}

export function readU32(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset]! << 24) | (bytes[offset + 1]! << 16) | (bytes[offset + 2]! << 8) | bytes[offset + 3]!) >>> 0;
}

export function writeU32(out: Uint8Array, offset: number, value: number): void {
  out[offset] = (value >>> 24) & 0xff;
  out[offset + 1] = (value >>> 16) & 0xff;
  out[offset + 2] = (value >>> 8) & 0xff;
  out[offset + 3] = value & 0xff;
}

function checkField(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) throw new RangeError(`rtp: ${name} ${value} outside 0–${max}`);
}
