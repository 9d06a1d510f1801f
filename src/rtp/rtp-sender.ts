// The sending half of an RTP session (RFC 3550 §5.1, §6.4.1), sans-IO: it numbers packets,
// stamps them and counts what was sent; the caller owns the buffers and the socket. Nothing here
// allocates per packet: the codec encodes straight into the packet buffer after the header.
import { RTP_HEADER_BYTES, writeRtpHeader } from './rtp-packet.js';

export interface RtpSenderOptions {
  /** Payload type of media frames (the negotiated codec). */
  payloadType: number;
  /** RTP timestamp rate of that payload type (8000 for G.711, G.722 and G.729). */
  clockRate: number;
  /**
   * Uniform random numbers in [0, 1): RFC 3550 §5.1 wants the SSRC, the initial sequence number
   * and the initial timestamp random. Inject a seeded generator in tests.
   */
  random: () => number;
  /** Fixed values instead of random ones (tests, golden traces). */
  ssrc?: number;
  initialSequence?: number;
  initialTimestamp?: number;
}

/** A uint32 from a [0, 1) random source. */
export function randomUint32(random: () => number): number {
  return Math.floor(random() * 4_294_967_296) >>> 0;
}

export class RtpSender {
  ssrc: number;
  payloadType: number;
  readonly clockRate: number;
  /** Sequence number of the next packet. */
  sequenceNumber: number;
  /** RTP timestamp of the next media frame. */
  timestamp: number;
  /** RFC 3550 §6.4.1 sender's packet count and octet count (payload octets only). */
  packetCount = 0;
  octetCount = 0;
  /** Packets sent since `takeSentSinceReport` was last called (decides SR vs RR, §6.4). */
  private sentSinceReport = 0;
  /** Next media frame starts a talkspurt: first frame, or first after a skipped one. */
  private talkspurtStart = true;
  /** Anchor relating RTP timestamps to the monotonic clock, for SR timestamps (§6.4.1). */
  private anchorMs = Number.NaN;
  private anchorTimestamp = 0;
  private readonly random: () => number;

  constructor(options: RtpSenderOptions) {
    this.random = options.random;
    this.payloadType = options.payloadType;
    this.clockRate = options.clockRate;
    this.ssrc = options.ssrc ?? randomUint32(this.random);
    this.sequenceNumber = options.initialSequence ?? randomUint32(this.random) & 0xffff;
    this.timestamp = options.initialTimestamp ?? randomUint32(this.random);
  }

  /** Whether any packet has been sent yet. */
  get hasSent(): boolean {
    return this.packetCount > 0;
  }

  /**
   * Writes the header of the next media frame into `out[0..12)`, for a payload of
   * `payloadLength` bytes the caller has put (or will put) at `out[12..)`, and advances the
   * timestamp by `ticks` (the frame's duration in RTP units). The marker bit is set on the first
   * packet of a talkspurt: the first frame sent and the first after `skipFrame`.
   * RFC 3551 §4.1 asks for the marker after silence; treating the stream start as a talkspurt
   * start is what common phones do and lets the far end's jitter buffer resynchronise.
   * @returns the packet length (12 + payloadLength).
   */
  writeFrameHeader(out: Uint8Array, payloadLength: number, ticks: number, nowMs: number): number {
    const marker = this.talkspurtStart;
    this.talkspurtStart = false;
    this.anchorMs = nowMs;
    this.anchorTimestamp = this.timestamp;
    writeRtpHeader(out, 0, marker, this.payloadType, this.sequenceNumber, this.timestamp, this.ssrc);
    this.count(payloadLength);
    this.timestamp = (this.timestamp + ticks) >>> 0;
    return RTP_HEADER_BYTES + payloadLength;
  }

  /** `writeFrameHeader` plus a copy of `payload` (whole array) after the header. */
  writeFrame(out: Uint8Array, payload: Uint8Array, ticks: number, nowMs: number): number {
    out.set(payload, RTP_HEADER_BYTES);
    return this.writeFrameHeader(out, payload.length, ticks, nowMs);
  }

  /**
   * A frame period in which nothing is sent (silence suppression / DTX, or a DTMF event that
   * replaces audio): the timestamp still advances and the next frame starts a talkspurt.
   */
  skipFrame(ticks: number): void {
    this.timestamp = (this.timestamp + ticks) >>> 0;
    this.talkspurtStart = true;
  }

  /**
   * Writes a packet with explicit payload type, marker and timestamp (RFC 4733 telephone-events,
   * comfort noise); the media timestamp is untouched. The payload goes at `out[12..)`.
   * @returns the packet length.
   */
  writePacketHeader(out: Uint8Array, payloadLength: number, payloadType: number, marker: boolean, timestamp: number): number {
    writeRtpHeader(out, 0, marker, payloadType, this.sequenceNumber, timestamp >>> 0, this.ssrc);
    this.count(payloadLength);
    return RTP_HEADER_BYTES + payloadLength;
  }

  /**
   * RTP timestamp corresponding to `nowMs` on the monotonic clock (RFC 3550 §6.4.1: the SR's
   * RTP timestamp matches its NTP timestamp), extrapolated from the last media frame.
   */
  rtpTimestampAt(nowMs: number): number {
    if (Number.isNaN(this.anchorMs)) return this.timestamp;
    return (this.anchorTimestamp + Math.round(((nowMs - this.anchorMs) * this.clockRate) / 1000)) >>> 0;
  }

  /** Packets sent since the previous call (for "sent since the last report", §6.4). */
  takeSentSinceReport(): number {
    const n = this.sentSinceReport;
    this.sentSinceReport = 0;
    return n;
  }

  /**
   * Chooses a new random SSRC (RFC 3550 §8.2: on a collision with another participant's SSRC).
   * Counts restart (§6.4.1: a new SSRC starts its own packet and octet counts).
   * @returns the old SSRC (to send a BYE for).
   */
  changeSsrc(ssrc: number = randomUint32(this.random)): number {
    const old = this.ssrc;
    this.ssrc = ssrc >>> 0;
    this.packetCount = 0;
    this.octetCount = 0;
    this.sentSinceReport = 0;
    this.talkspurtStart = true;
    return old;
  }

  private count(payloadLength: number): void {
    this.sequenceNumber = (this.sequenceNumber + 1) & 0xffff;
    // §6.4.1: the counts wrap modulo 2^32.
    this.packetCount = (this.packetCount + 1) >>> 0;
    this.octetCount = (this.octetCount + payloadLength) >>> 0;
    this.sentSinceReport++;
  }
}
