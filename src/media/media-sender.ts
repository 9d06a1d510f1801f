// The send path of a MediaStream, once per ptime on the media tick: a frame from the AudioSource
// (or digital silence while muted) with the phone's identity mark, encoded and sent as RTP; RFC
// 4733 telephone-events in its place while digits are sent (KX-UT670 OUTBANDDTMF_n).
import { rtpTimestampTicks, type AudioCodec, type AudioEncoder } from '../codecs/codec.js';
import { CN_CLOCK_RATE, SEND_COMFORT_NOISE, SEND_VOICE, SilenceSuppressor } from '../codecs/comfort-noise.js';
import type { AudioSource } from '../codecs/audio-source.js';
import type { IdentityMarker } from '../codecs/identity-mark.js';
import type { Clock } from '../core/clock.js';
import { failure, ok, type Result } from '../core/result.js';
import type { DatagramEndpoint } from '../rtp/datagram.js';
import { TELEPHONE_EVENT_BYTES, TelephoneEventSender } from '../rtp/dtmf-events.js';
import { RTP_HEADER_BYTES, RTP_MAX_PACKET_BYTES } from '../rtp/rtp-packet.js';
import type { RtpSession } from '../rtp/rtp-session.js';
import type { PacketProtection } from '../rtp/srtp.js';
import type { SymmetricLatch, TransportAddress } from '../rtp/symmetric-latch.js';
import type { MediaSockets } from './media-sockets.js';
import type { MediaStreamOptions } from './media-stream-types.js';

export interface SenderParts {
  readonly clock: Clock;
  readonly session: RtpSession;
  readonly latch: SymmetricLatch;
  readonly sockets: MediaSockets;
  protection(): PacketProtection | undefined;
  /** RTP timestamp ticks per frame. */
  readonly frameTicks: number;
  readonly ptimeMs: number;
}

export class MediaSender {
  source: AudioSource;
  muted = false;
  encoder: AudioEncoder;
  audioFramesSent = 0;
  dtmfSent = 0;
  comfortNoiseSent = 0;
  /** RFC 6263 keep-alive packets sent (rtpKeepAliveMs). */
  keepAlivesSent = 0;
  /** When the last RTP packet went out (media, event, CN or keep-alive), ms; undefined before. */
  private lastSentMs: number | undefined;
  /** A12 "Enable VAD" with CN negotiated: the per-frame voice/CN decision (undefined: always voice). */
  private suppressor: SilenceSuppressor | undefined;
  private cnPayloadType = -1;
  /** RTP ticks of one codec frame (G.729: 10 ms), for leading untransmitted frames. */
  private codecFrameTicks = 0;
  private readonly dtmfOut: TelephoneEventSender;
  private readonly packet = new Uint8Array(RTP_MAX_PACKET_BYTES);
  private readonly pcm: Int16Array;

  constructor(
    private readonly o: MediaStreamOptions,
    private readonly p: SenderParts,
    source: AudioSource,
    private readonly marker: IdentityMarker | undefined,
    samplesPerFrame: number,
  ) {
    this.source = source;
    this.encoder = o.codec.createEncoder({ vad: o.vad ?? false });
    this.pcm = new Int16Array(samplesPerFrame);
    this.codecChanged(o.codec, o.comfortNoisePayloadType);
    // RFC 4733 §2.5.1.2: updates every ptime line up with the media tick.
    this.dtmfOut = new TelephoneEventSender((ms) => this.eventTimestampAt(ms), { clockRate: o.codec.clockRate, intervalMs: p.ptimeMs, volume: o.dtmf?.volume ?? 10 });
  }

  /**
   * The codec sent from now on (the encoder is set by the caller). Silence suppression with RFC
   * 3389 CN when the line has VAD on and CN was negotiated with `payloadType`; only for codecs on
   * an 8 kHz RTP clock without their own DTX.
   */
  codecChanged(codec: AudioCodec, payloadType: number | undefined): void {
    this.codecFrameTicks = rtpTimestampTicks(codec, codec.samplesPerFrame);
    const usable = this.o.silenceSuppression === true && payloadType !== undefined && codec.clockRate === CN_CLOCK_RATE && codec.name.toUpperCase() !== 'G729';
    this.cnPayloadType = usable ? payloadType : -1;
    if (!usable) this.suppressor = undefined;
    else if (this.suppressor?.vad.sampleRate === codec.sampleRate) this.suppressor.reset();
    else this.suppressor = new SilenceSuppressor(codec.sampleRate);
  }

  /** See MediaStream.sendDtmf. */
  sendDtmf(digits: string, options: { durationMs?: number; gapMs?: number }): Result<void> {
    if (this.o.telephoneEventPayloadType === undefined) return failure('MEDIA_NO_TELEPHONE_EVENT', 'media: telephone-event was not negotiated');
    const d = this.o.dtmf ?? {};
    const duration = options.durationMs ?? d.durationMs ?? 180;
    const gap = options.gapMs ?? d.gapMs ?? 90;
    for (const digit of digits) {
      const r = this.dtmfOut.send(digit, duration, this.p.clock.now(), gap);
      if (!r.ok) return r;
      this.dtmfSent++;
    }
    return ok(undefined);
  }

  /** One frame (or the telephone-events due instead of it). */
  sendFrame(now: number): void {
    const { session, frameTicks } = this.p;
    const to = this.p.latch.destination;
    const ep = this.p.sockets.rtp;
    const pcm = this.pcm;
    if (this.muted) pcm.fill(0);
    else {
      this.source.read(pcm);
      this.marker?.apply(pcm);
    }
    if (!to || !ep) {
      session.skipFrame(frameTicks);
      return;
    }
    const dest = ep.peer ? undefined : to;
    const pt = this.o.telephoneEventPayloadType;
    if (pt !== undefined && !this.dtmfOut.idle) {
      // RFC 4733 §2.5.1.1: the events replace the audio while they last.
      for (const p of this.dtmfOut.poll(now)) {
        this.packet.set(p.payload, RTP_HEADER_BYTES);
        const len = session.sender.writePacketHeader(this.packet, TELEPHONE_EVENT_BYTES, pt, p.marker, p.timestamp);
        this.sendRtp(ep, len, dest);
      }
      session.skipFrame(frameTicks);
      return;
    }
    if (this.suppressor && this.sendSuppressed(now, ep, dest)) return;
    const n = this.encoder.encode(pcm, this.packet.subarray(RTP_HEADER_BYTES));
    if (n === 0) {
      session.skipFrame(frameTicks); // G.729B DTX
      return;
    }
    // RFC 3550 §5.1: the timestamp is the sampling instant of the first octet; a G.729 B talkspurt
    // starting mid-packet starts after the untransmitted frames (and carries the marker).
    const lead = (this.encoder.leadingUntransmittedFrames ?? 0) * this.codecFrameTicks;
    if (lead > 0 && lead < frameTicks) session.skipFrame(lead);
    const len = session.writeFrame(this.packet, n, lead > 0 && lead < frameTicks ? frameTicks - lead : frameTicks);
    this.sendRtp(ep, len, dest);
    this.audioFramesSent++;
  }

  /**
   * Silence suppression: false = send the frame as voice; true = handled (a CN packet stamped
   * with the frame's media time, RFC 3389 §4, or nothing; the timestamp advances either way and
   * the next voice packet carries the marker, RFC 3551 §4.1).
   */
  private sendSuppressed(now: number, ep: DatagramEndpoint, dest: TransportAddress | undefined): boolean {
    const decision = this.suppressor!.decide(this.pcm, now);
    if (decision === SEND_VOICE) return false;
    const { session, frameTicks } = this.p;
    if (decision === SEND_COMFORT_NOISE) {
      const payload = this.suppressor!.payload;
      this.packet.set(payload, RTP_HEADER_BYTES);
      const len = session.sender.writePacketHeader(this.packet, payload.length, this.cnPayloadType, false, session.sender.timestamp);
      this.sendRtp(ep, len, dest);
      this.comfortNoiseSent++;
    }
    session.skipFrame(frameTicks);
    return true;
  }

  /**
   * A12 9.16 "RTP keep alive" while no media is sent (called on each tick the stream does not
   * send): after rtpKeepAliveMs without a packet, an RTP packet without payload of a payload
   * type the session did not negotiate (RFC 6263 §4.6: receivers drop it; same SSRC and
   * sequence numbering, so it also keeps the far end's latch and NAT binding).
   */
  keepAlive(now: number): void {
    const every = this.o.rtpKeepAliveMs;
    if (!every) return;
    if (this.lastSentMs === undefined) this.lastSentMs = now;
    if (now - this.lastSentMs < every) return;
    const to = this.p.latch.destination;
    const ep = this.p.sockets.rtp;
    if (!to || !ep) return;
    const session = this.p.session;
    const len = session.sender.writePacketHeader(this.packet, 0, this.keepAlivePayloadType(), false, session.sender.timestamp);
    this.sendRtp(ep, len, ep.peer ? undefined : to);
    this.keepAlivesSent++;
  }

  /** The highest dynamic payload type (RFC 3551 §6: 96–127) the session does not use. */
  private keepAlivePayloadType(): number {
    const used = [this.p.session.sender.payloadType, this.o.payloadType, this.o.telephoneEventPayloadType, this.cnPayloadType, this.o.comfortNoisePayloadType];
    let pt = 127;
    while (used.includes(pt)) pt--;
    return pt;
  }

  private sendRtp(ep: DatagramEndpoint, length: number, dest: TransportAddress | undefined): void {
    this.lastSentMs = this.p.clock.now();
    const protection = this.p.protection();
    if (!protection) return ep.send(this.packet, length, dest);
    const out = protection.protectRtp(this.packet, length);
    if (out) ep.send(out, out.length, dest);
  }

  /** RFC 4733 §2.5.1.2: an event's timestamp is the media time of its start. */
  private eventTimestampAt(ms: number): number {
    const ahead = Math.max(0, ms - this.p.clock.now());
    // The clock rate stays: MediaStream.setCodec refuses another.
    return (this.p.session.sender.timestamp + Math.round((ahead * this.o.codec.clockRate) / 1000)) >>> 0;
  }
}
