// The receive path of a MediaStream: datagrams checked (SRTP, RFC 3711 §3.3/§3.4), latched
// (symmetric RTP), through the RTP session into the jitter buffer, RFC 4733 telephone-events
// reported as digits, RTCP (also multiplexed, RFC 5761 §4) to the RTP session; and per ptime
// one frame pulled, decoded or concealed and written to the AudioSinks.
import type { AudioDecoder } from '../codecs/codec.js';
import type { AudioSink } from '../codecs/audio-sink.js';
import type { Clock } from '../core/clock.js';
import { sameAddress } from '../rtp/datagram.js';
import { TelephoneEventReceiver, type TelephoneEventReport } from '../rtp/dtmf-events.js';
import type { JitterBuffer } from '../rtp/jitter-buffer.js';
import { looksLikeRtcp, RtpView } from '../rtp/rtp-packet.js';
import type { RtpSession } from '../rtp/rtp-session.js';
import type { PacketProtection } from '../rtp/srtp.js';
import type { SymmetricLatch, TransportAddress } from '../rtp/symmetric-latch.js';
import type { MediaSockets } from './media-sockets.js';
import type { MediaStreamEvent, MediaStreamOptions } from './media-stream-types.js';

export interface ReceiverParts {
  readonly clock: Clock;
  readonly session: RtpSession;
  readonly jitterBuffer: JitterBuffer;
  readonly latch: SymmetricLatch;
  readonly sockets: MediaSockets;
  protection(): PacketProtection | undefined;
  /** Whether the direction lets media in (sendrecv, recvonly). */
  receives(): boolean;
  closed(): boolean;
  emit(e: MediaStreamEvent): void;
}

export class MediaReceiver {
  decoder: AudioDecoder;
  /** The audio payload type expected (the codec's). */
  payloadType: number;
  readonly sinks: AudioSink[] = [];
  dtmfReceived = 0;
  malformed = 0;
  ignored = 0;
  receivingFrames = 0;
  concealedFrames = 0;
  private readonly dtmfIn: TelephoneEventReceiver;
  private readonly view = new RtpView();
  private readonly pcm: Int16Array;

  constructor(
    private readonly o: MediaStreamOptions,
    private readonly p: ReceiverParts,
    samplesPerFrame: number,
  ) {
    this.decoder = o.codec.createDecoder();
    this.payloadType = o.payloadType;
    this.pcm = new Int16Array(samplesPerFrame);
    this.dtmfIn = new TelephoneEventReceiver({ clockRate: o.codec.clockRate });
  }

  onRtcpDatagram(datagram: Uint8Array): void {
    // RFC 3711 §3.4: SRTCP is authenticated before anything reads it.
    const protection = this.p.protection();
    const bytes = protection ? protection.unprotectRtcp(datagram) : datagram;
    if (!bytes) return;
    if (this.p.session.receiveRtcp(bytes).ok) return;
    this.malformed++;
  }

  onRtpDatagram(datagram: Uint8Array, from: TransportAddress): void {
    if (this.p.closed()) return;
    // RFC 5761 §4: RTCP packet types 200–204 sit where RTP payload types 72–76 would.
    if (this.o.rtcp?.mux && looksLikeRtcp(datagram)) {
      this.onRtcpDatagram(datagram);
      return;
    }
    // RFC 3711 §3.3: a packet that does not authenticate is dropped before it can move the latch.
    const protection = this.p.protection();
    const bytes = protection ? protection.unprotectRtp(datagram) : datagram;
    if (!bytes) return;
    const v = this.view;
    if (!v.read(bytes).ok) {
      this.malformed++;
      return;
    }
    const { latch } = this.p;
    const verdict = latch.check(from.address, from.port);
    if (verdict === 'foreign') return;
    const rtp = this.p.sockets.rtp;
    if (verdict !== 'accept') {
      this.p.emit({ type: 'latched', remote: { address: from.address, port: from.port }, relatch: verdict === 'relatched' });
      if (verdict === 'relatched') rtp?.disconnect();
    }
    // Connect only when media comes from the SDP address: behind a NAT the latch must stay free
    // to move (a connected socket would never see the new source).
    if ((this.o.connectSocket ?? true) && latch.latchedToExpected && rtp && !sameAddress(rtp.peer, from)) rtp.connect(from);
    if (!this.p.receives()) {
      this.ignored++;
      return;
    }
    const now = this.p.clock.now();
    const accepted = this.p.session.receiveRtp(v, now);
    if (accepted !== 'accepted' && accepted !== 'source-changed') return;
    if (v.payloadType === this.o.telephoneEventPayloadType) {
      this.onTelephoneEvent(v, now);
      return;
    }
    this.p.jitterBuffer.push(v, now);
  }

  /** One frame from the jitter buffer to the sinks. */
  receiveFrame(now: number): void {
    const f = this.p.jitterBuffer.pull(now);
    const out = this.pcm;
    this.receivingFrames++;
    if (f.kind === 'audio' && f.payloadType === this.payloadType) {
      let n = this.decoder.decode(f.payload, out);
      // A payload the codec rejects is a lost frame: concealed where the codec can (Opus, G.729).
      if (n < 0) n = this.decoder.conceal ? this.decoder.conceal(out) : 0;
      if (n < out.length) out.fill(0, n);
    } else if (f.kind === 'conceal') {
      this.concealedFrames++;
      const n = this.decoder.conceal ? this.decoder.conceal(out) : 0;
      if (n < out.length) out.fill(0, n);
    } else out.fill(0); // silence, comfort noise (DEVIATION: CN is played as silence)
    for (const s of this.sinks) s.write(out);
  }

  /** Not receiving (held, sendonly): the sinks hear silence, as the user would. */
  silentFrame(): void {
    this.pcm.fill(0);
    for (const s of this.sinks) s.write(this.pcm);
  }

  /** Digits whose end packets never came end by timeout. */
  pollDtmf(now: number): void {
    for (const e of this.dtmfIn.poll(now)) this.reportEvent(e);
  }

  private onTelephoneEvent(v: RtpView, now: number): void {
    const payload = v.bytes.subarray(v.payloadOffset, v.payloadOffset + v.payloadLength);
    const r = this.dtmfIn.receive({ timestamp: v.timestamp, marker: v.marker, payload, arrivalMs: now });
    if (!r.ok) {
      this.malformed++;
      return;
    }
    for (const e of r.value) this.reportEvent(e);
  }

  private reportEvent(e: TelephoneEventReport): void {
    if (e.type === 'start') {
      this.dtmfReceived++;
      this.p.emit({ type: 'dtmf', phase: 'start', digit: e.digit });
    } else this.p.emit({ type: 'dtmf', phase: 'end', digit: e.digit, durationMs: e.durationMs });
  }
}
