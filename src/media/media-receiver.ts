// The receive path of a MediaStream: datagrams checked (SRTP, RFC 3711 §3.3/§3.4), latched
// (symmetric RTP), through the RTP session into the jitter buffer, RFC 4733 telephone-events
// reported as digits, RTCP (also multiplexed, RFC 5761 §4) to the RTP session; and per ptime
// one frame of audio written to the AudioSinks.
// RFC 3551 §4.2: the far end's packets may last 0–200 ms, whatever our ptime, and change
// mid-call. Packets are decoded (or concealed) into a sample FIFO as it runs low, and each tick
// takes exactly one frame out of it: the jitter buffer is asked for the next packet when that
// packet starts to play (now + what the FIFO still holds) and says how long each one lasts.
import { DECODE_MALFORMED, type AudioCodec, type AudioDecoder } from '../codecs/codec.js';
import type { AudioSink } from '../codecs/audio-sink.js';
import { CN_PAYLOAD_TYPE, ComfortNoiseGenerator, comfortNoiseLevelDbov } from '../codecs/comfort-noise.js';
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
import { payloadTicks } from './packet-duration.js';

type NoiseMode = 0 | 1 | 2;
const NOISE_NONE = 0;
const NOISE_CN = 1;
const NOISE_DECODER = 2;

/** Concealment views over the scratch buffer kept per length (lengths are few: 10–60 ms steps). */
const MAX_CACHED_VIEWS = 32;

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
  /** Our frames (ticks) played out while receiving. */
  receivingFrames = 0;
  /** Samples concealed (lost packets, late ones, payloads the decoder rejected). */
  concealedSamples = 0;
  /** Payloads the decoder rejected (malformed, or it threw): concealed instead. */
  decodeErrors = 0;
  /** RFC 3389 CN packets played. */
  comfortNoiseReceived = 0;
  private codec: AudioCodec;
  /** CN payload type expected (negotiated, else the static 13). */
  private readonly cnPayloadType: number;
  /** Comfort noise at the last CN level until the next voice packet (RFC 3389 §4). */
  private readonly noise: ComfortNoiseGenerator;
  /** What a silence plays: zeros, our CN generator (after CN), the decoder's (after a G.729 SID). */
  private noiseMode: NoiseMode = NOISE_NONE;
  /** The codec has Annex B SID frames (G.729). */
  private sidCodec: boolean;
  private readonly dtmfIn: TelephoneEventReceiver;
  private readonly view = new RtpView();
  private readonly pcm: Int16Array;
  /** Decoded samples not yet played: fifo[0, fifoLen). */
  private fifo = new Int16Array(0);
  private fifoLen = 0;
  /** Where a packet is decoded or concealed before it joins the FIFO. */
  private scratch = new Int16Array(0);
  private readonly views = new Map<number, Int16Array>();

  constructor(
    private readonly o: MediaStreamOptions,
    private readonly p: ReceiverParts,
    samplesPerFrame: number,
  ) {
    this.codec = o.codec;
    this.decoder = o.codec.createDecoder();
    this.payloadType = o.payloadType;
    this.pcm = new Int16Array(samplesPerFrame);
    this.cnPayloadType = o.comfortNoisePayloadType ?? CN_PAYLOAD_TYPE;
    this.sidCodec = o.codec.name.toUpperCase() === 'G729';
    this.noise = new ComfortNoiseGenerator(o.codec.sampleRate);
    this.size();
    this.dtmfIn = new TelephoneEventReceiver({ clockRate: o.codec.clockRate });
  }

  /** Our frames concealed, in frames (20 ms at the usual ptime), fractional. */
  get concealedFrames(): number {
    return this.concealedSamples / this.pcm.length;
  }

  /** Another codec (re-INVITE): a fresh decoder, the FIFO emptied. */
  setCodec(codec: AudioCodec, payloadType: number): void {
    this.codec = codec;
    this.payloadType = payloadType;
    this.decoder = codec.createDecoder();
    this.sidCodec = codec.name.toUpperCase() === 'G729';
    this.fifoLen = 0;
    this.noiseMode = NOISE_NONE;
    this.size();
  }

  /**
   * For the jitter buffer: a payload of the current codec that ends a talkspurt with the codec's
   * own comfort noise — a G.729 Annex B SID frame (10n + 2 octets, RFC 3551 §4.5.6).
   */
  isComfortNoise(_bytes: Uint8Array, _offset: number, length: number, payloadType: number): boolean {
    return this.sidCodec && payloadType === this.payloadType && length % 10 === 2;
  }

  /** For the jitter buffer: the duration of a payload of the current codec, timestamp units. */
  packetTicks(bytes: Uint8Array, offset: number, length: number, payloadType: number): number {
    return payloadType === this.payloadType ? payloadTicks(this.codec, bytes, offset, length) : 0;
  }

  /** Scratch for the longest payload the jitter buffer keeps (RFC 3551 §4.2: 200 ms and more). */
  private size(): void {
    const c = this.codec;
    const most = Math.max(c.maxDecodedSamples(this.p.jitterBuffer.maxPayloadBytes), (c.sampleRate * 200) / 1000, this.pcm.length);
    if (this.scratch.length >= most) return;
    this.scratch = new Int16Array(most);
    this.fifo = new Int16Array(most + this.pcm.length);
    this.views.clear();
  }

  /** `receivedAgoMs`: how long ago the kernel received it (DatagramHandler), for the RTT. */
  onRtcpDatagram(datagram: Uint8Array, receivedAgoMs = 0): void {
    // RFC 3711 §3.4: SRTCP is authenticated before anything reads it.
    const protection = this.p.protection();
    const bytes = protection ? protection.unprotectRtcp(datagram) : datagram;
    if (!bytes) return;
    if (this.p.session.receiveRtcp(bytes, this.p.clock.now() - receivedAgoMs).ok) return;
    this.malformed++;
  }

  /** `receivedAgoMs`: how long ago the kernel received it (DatagramHandler); arrival is now minus that. */
  onRtpDatagram(datagram: Uint8Array, from: TransportAddress, receivedAgoMs = 0): void {
    if (this.p.closed()) return;
    // RFC 5761 §4: RTCP packet types 200–204 sit where RTP payload types 72–76 would.
    if (this.o.rtcp?.mux && looksLikeRtcp(datagram)) {
      this.onRtcpDatagram(datagram, receivedAgoMs);
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
    const now = this.p.clock.now() - receivedAgoMs;
    const accepted = this.p.session.receiveRtp(v, now);
    if (accepted !== 'accepted' && accepted !== 'source-changed') return;
    // Not receiving (we hold: sendonly, inactive): what still arrives is RTP of the session and
    // counts for its statistics (a far end's RFC 6263 keep-alives must not read as loss later),
    // but nothing is played.
    if (!this.p.receives()) {
      this.ignored++;
      return;
    }
    if (v.payloadType === this.o.telephoneEventPayloadType) {
      this.onTelephoneEvent(v, now);
      return;
    }
    // RFC 3550 §5.1: a payload type we do not understand (an RFC 6263 keep-alive, a codec that
    // was not negotiated) is ignored; it counts for the session's statistics only.
    const pt = v.payloadType;
    if (pt !== this.payloadType && pt !== this.cnPayloadType && pt !== CN_PAYLOAD_TYPE) {
      this.ignored++;
      return;
    }
    this.p.jitterBuffer.push(v, now);
  }

  /** One frame of received audio to the sinks: packets pulled and decoded until it is full. */
  receiveFrame(now: number): void {
    const out = this.pcm;
    const n = out.length;
    const jb = this.p.jitterBuffer;
    const samplesPerTick = this.codec.sampleRate / this.codec.clockRate;
    const msPerSample = 1000 / this.codec.sampleRate;
    this.receivingFrames++;
    while (this.fifoLen < n) {
      const f = jb.pull(now + this.fifoLen * msPerSample);
      const samples = Math.max(1, Math.round(f.durationTicks * samplesPerTick));
      if (f.kind === 'audio' && f.payloadType === this.payloadType) {
        this.noiseMode = this.isComfortNoise(f.payload, 0, f.payload.length, f.payloadType) ? NOISE_DECODER : NOISE_NONE;
        this.decode(f.payload, samples);
      } else if (f.kind === 'audio' && f.payloadType === this.cnPayloadType) this.comfortNoise(f.payload, samples);
      else if (f.kind === 'conceal') this.conceal(samples);
      // A silence after CN or a SID: the noise goes on (DTX, not loss).
      else if (this.noiseMode === NOISE_CN) this.fifoNoise(n - this.fifoLen);
      else if (this.noiseMode === NOISE_DECODER) this.decoderNoise(n - this.fifoLen);
      else this.fifoZeros(n - this.fifoLen);
    }
    const fifo = this.fifo;
    for (let k = 0; k < n; k++) out[k] = fifo[k]!;
    fifo.copyWithin(0, n, this.fifoLen);
    this.fifoLen -= n;
    for (const s of this.sinks) s.write(out);
  }

  /** Not receiving (held, sendonly): the sinks hear silence, as the user would. */
  silentFrame(): void {
    this.fifoLen = 0;
    this.noiseMode = NOISE_NONE;
    this.pcm.fill(0);
    for (const s of this.sinks) s.write(this.pcm);
  }

  /** A packet into the FIFO; one the codec rejects (or throws on) is concealed for `samples`. */
  private decode(payload: Uint8Array, samples: number): void {
    let got: number;
    try {
      got = this.decoder.decode(payload, this.scratch);
    } catch {
      got = DECODE_MALFORMED;
    }
    if (got > 0) {
      this.fifoAppend(got);
      return;
    }
    this.decodeErrors++;
    this.conceal(samples);
  }

  /** `samples` of the codec's packet-loss concealment (Opus, G.729), silence without it. */
  private conceal(samples: number): void {
    let left = Math.min(samples, this.scratch.length);
    this.concealedSamples += left;
    while (left > 0) {
      let m = 0;
      if (this.decoder.conceal) {
        try {
          m = this.decoder.conceal(this.scratchView(left));
        } catch {
          m = 0;
        }
      }
      if (m <= 0) {
        this.fifoZeros(left);
        return;
      }
      this.fifoAppend(Math.min(m, left));
      left -= m;
    }
  }

  /**
   * RFC 3389 §4: a CN packet sets the noise level played from its timestamp until the next voice
   * packet; the silence between CN packets is noise too, not loss. A payload without its level
   * byte counts as malformed and plays silence.
   */
  private comfortNoise(payload: Uint8Array, samples: number): void {
    const level = comfortNoiseLevelDbov(payload);
    if (Number.isNaN(level)) {
      this.malformed++;
      this.fifoZeros(Math.min(samples, this.scratch.length));
      return;
    }
    this.comfortNoiseReceived++;
    // Level and spectrum (RFC 3389 §3.2). Starting after voice: at the level at once (no
    // fade-in); an update glides to the new one.
    this.noise.setParameters(payload, 0, payload.length, this.noiseMode !== NOISE_CN);
    this.noiseMode = NOISE_CN;
    this.fifoNoise(Math.min(samples, this.scratch.length));
  }

  /** G.729 B: untransmitted frames after a SID are the decoder's comfort noise (its conceal path). */
  private decoderNoise(count: number): void {
    const before = this.concealedSamples;
    this.conceal(count);
    this.concealedSamples = before;
  }

  private fifoNoise(count: number): void {
    this.noise.fill(this.fifo, this.fifoLen, count);
    this.fifoLen += count;
  }

  private scratchView(length: number): Int16Array {
    let v = this.views.get(length);
    if (v) return v;
    v = this.scratch.subarray(0, length);
    if (this.views.size < MAX_CACHED_VIEWS) this.views.set(length, v);
    return v;
  }

  private fifoAppend(count: number): void {
    const fifo = this.fifo;
    const src = this.scratch;
    const at = this.fifoLen;
    for (let k = 0; k < count; k++) fifo[at + k] = src[k]!;
    this.fifoLen = at + count;
  }

  private fifoZeros(count: number): void {
    this.fifo.fill(0, this.fifoLen, this.fifoLen + count);
    this.fifoLen += count;
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
