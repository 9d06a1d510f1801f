// One call's audio (ARCHITECTURE.md "Media as sources and sinks"): an RTP session on a UDP port
// pair from the RTP_PORT_MIN..MAX range, driven by the shared media tick. Per tick it pulls a
// ptime frame from its AudioSource (with the phone's identity mark added), encodes and sends
// it; received packets go through symmetric latching and the RTP session into the jitter buffer,
// and per tick one frame is pulled, decoded (or concealed) and written to the AudioSinks.
// RFC 4733 telephone-events go both ways; RTCP (KX-UT670 RTCP_ENABLE_n, RTCP_INTVL_n) runs on
// port + 1 or multiplexed (RFC 5761). Direction follows RFC 3264 §5.1 / §6.1.
import type { AudioDecoder, AudioEncoder, AudioCodec } from '../codecs/codec.js';
import type { AudioSink } from '../codecs/audio-sink.js';
import { frameSamples, SilenceSource, type AudioSource } from '../codecs/audio-source.js';
import { IdentityMarker, type IdentityMark } from '../codecs/identity-mark.js';
import type { Clock } from '../core/clock.js';
import { failure, ok, type Result } from '../core/result.js';
import { sameAddress, type DatagramEndpoint, type DatagramOpener } from '../rtp/datagram.js';
import { TELEPHONE_EVENT_BYTES, TelephoneEventReceiver, TelephoneEventSender, type TelephoneEventReport } from '../rtp/dtmf-events.js';
import { JitterBuffer, type JitterBufferStats } from '../rtp/jitter-buffer.js';
import type { PortAllocator, PortPair } from '../rtp/port-allocator.js';
import { CODEC_IMPAIRMENT } from '../rtp/rtcp-stats.js';
import { looksLikeRtcp, RTP_HEADER_BYTES, RTP_MAX_PACKET_BYTES, RtpView } from '../rtp/rtp-packet.js';
import { RtpSession, type RtpSessionStats } from '../rtp/rtp-session.js';
import type { PacketProtection, SrtpStats } from '../rtp/srtp.js';
import { SymmetricLatch, type TransportAddress } from '../rtp/symmetric-latch.js';
import { udpOpener } from '../rtp/udp-socket.js';
import type { MediaClock, MediaClockSubscription } from './media-clock.js';

/** RFC 3264 §5.1 directions, as seen from this end. */
export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export interface RemoteMedia {
  /** c= address and m= port of the peer. */
  address: string;
  port: number;
  /** Where RTCP goes: a=rtcp (RFC 3605) or port + 1 (RFC 3550 §11). Ignored with rtcp-mux. */
  rtcpAddress?: string;
  rtcpPort?: number;
}

export interface NegotiatedAudio {
  /** The codec (src/codecs/registry.ts). */
  codec: AudioCodec;
  /** Payload type to send and expect (the peer's number for the codec, RFC 3264 §5.1). */
  payloadType: number;
  /** RFC 4733 telephone-event payload type, when negotiated. */
  telephoneEventPayloadType?: number;
  /** G.729 Annex B (VAD/DTX). */
  vad?: boolean;
}

export interface MediaStreamOptions extends NegotiatedAudio {
  /** Default: the media clock's. */
  clock?: Clock;
  mediaClock: MediaClock;
  /** Where the pair comes from (KX-UT670 RTP_PORT_MIN..RTP_PORT_MAX); released on close. */
  ports: PortAllocator;
  /** The phone's own 127.x address. */
  localAddress: string;
  /** KX-UT670 RTP_PTIME (20, 30, 40 ms); a multiple of the media clock period. Default 20. */
  ptimeMs?: number;
  remote?: RemoteMedia;
  direction?: MediaDirection;
  /** Canonical name for RTCP SDES (user@host). */
  cname: string;
  rtcp?: {
    /** KX-UT670 RTCP_ENABLE_n (default N). */
    enabled: boolean;
    /** KX-UT670 RTCP_INTVL_n, seconds (5–65535, default 5). */
    intervalS?: number;
    /** RFC 5761 rtcp-mux negotiated: RTCP on the RTP port, no second socket. */
    mux?: boolean;
    /** RFC 3611 VoIP metrics in each report. */
    xr?: boolean;
  };
  /**
   * KX-UT670 RTP_CLOSE_ENABLE_n (5.7.2, default y): "close held RTP sockets". Here: while the
   * direction is 'inactive' the RTP/RTCP sockets are closed (the port pair stays reserved for
   * the call and is bound again on resume). With n the sockets stay open and RTCP continues, as
   * RFC 3264 §5.1 asks of an inactive stream.
   */
  closeOnHold?: boolean;
  /** Symmetric RTP latching (default true); see symmetric-latch.ts. */
  symmetric?: boolean;
  /** Connect the socket once media comes from the SDP address (default true). */
  connectSocket?: boolean;
  /** KX-UT670 MIN/NOM/MAX_DELAY_n × 10 ms (defaults 20/20/200 ms). */
  jitter?: { minDelayMs?: number; nominalDelayMs?: number; maxDelayMs?: number; adaptive?: boolean };
  /** The phone's identity mark, added to everything it sends. */
  identity?: IdentityMark;
  /** What to play at start (default silence). */
  source?: AudioSource;
  /** Event payload volume and timing of RFC 4733 digits. */
  dtmf?: { durationMs?: number; gapMs?: number; volume?: number };
  /** Emit a 'stats' event this often, ms (default 5000; 0 = only at close). */
  statsIntervalMs?: number;
  random?: () => number;
  /** SRTP/SRTCP (RFC 3711) keyed by the SDP exchange (src/rtp/srtp.ts); plain RTP without. */
  protection?: PacketProtection;
  /** Socket factory (default node:dgram; tests and fleets pass a MemoryNetwork). */
  opener?: DatagramOpener;
  receiveBufferBytes?: number;
  onEvent?: (event: MediaStreamEvent) => void;
}

export type MediaStreamEvent =
  | { type: 'dtmf'; phase: 'start' | 'end'; digit: string; durationMs?: number }
  | { type: 'latched'; remote: TransportAddress; relatch: boolean }
  | { type: 'remote-bye'; reason?: string }
  | { type: 'stats'; stats: MediaStreamStats }
  | { type: 'error'; message: string };

export interface MediaStreamStats {
  direction: MediaDirection;
  codec: string;
  local: PortPair;
  remote: TransportAddress | undefined;
  /** The RTP socket is connected to the remote (media comes from its SDP address). */
  connected: boolean;
  rtp: RtpSessionStats;
  jitterBuffer: JitterBufferStats;
  /** Frames pulled that were concealed, percent of frames pulled while receiving. */
  concealmentPercent: number;
  /** Current jitter buffer delay, ms. */
  jitterBufferDelayMs: number;
  audioFramesSent: number;
  dtmfSent: number;
  dtmfReceived: number;
  /** Datagrams dropped: from a foreign source, malformed, or received while not receiving. */
  foreign: number;
  malformed: number;
  ignored: number;
  /** SRTP counters (authentication failures…) while the stream is protected. */
  srtp?: SrtpStats;
}

const MAX_PORT_TRIES = 8;
/** Frames played out at most in one tick after a stall; older ones are left to the jitter buffer. */
const MAX_CATCH_UP_FRAMES = 10;

export class MediaStream {
  readonly sampleRate: number;
  readonly ptimeMs: number;
  readonly session: RtpSession;
  readonly jitterBuffer: JitterBuffer;
  private readonly o: MediaStreamOptions;
  private readonly clock: Clock;
  private codecNow: AudioCodec;
  private payloadType: number;
  private encoder: AudioEncoder;
  private decoder: AudioDecoder;
  private directionNow: MediaDirection;
  private readonly latch: SymmetricLatch;
  private rtcpRemote: TransportAddress | undefined;
  private rtp: DatagramEndpoint | undefined;
  private rtcpEp: DatagramEndpoint | undefined;
  private reopening: Promise<void> | undefined;
  private sub: MediaClockSubscription | undefined;
  private statsTimer: { cancel(): void } | undefined;
  private started = false;
  private closedFlag = false;
  private source: AudioSource;
  private protection: PacketProtection | undefined;
  private mutedNow = false;
  private readonly marker: IdentityMarker | undefined;
  private readonly sinks: AudioSink[] = [];
  private readonly dtmfOut: TelephoneEventSender;
  private readonly dtmfIn: TelephoneEventReceiver;
  private readonly view = new RtpView();
  private readonly packet = new Uint8Array(RTP_MAX_PACKET_BYTES);
  private readonly pcmOut: Int16Array;
  private readonly pcmIn: Int16Array;
  private readonly ticksPerFrame: number;
  private readonly frameTicks: number;
  /** Media clock tick of the last frame handled (undefined before the first). */
  private lastFrameTick: number | undefined;
  private audioFramesSent = 0;
  private dtmfSent = 0;
  private dtmfReceived = 0;
  private malformed = 0;
  private ignored = 0;
  private receivingFrames = 0;
  private concealedFrames = 0;

  private constructor(
    options: MediaStreamOptions,
    readonly ports: PortPair,
  ) {
    this.o = options;
    this.clock = options.clock ?? options.mediaClock.clock;
    this.codecNow = options.codec;
    this.sampleRate = options.codec.sampleRate;
    this.payloadType = options.payloadType;
    this.ptimeMs = options.ptimeMs ?? 20;
    this.ticksPerFrame = this.ptimeMs / options.mediaClock.periodMs;
    this.frameTicks = Math.round((this.ptimeMs * options.codec.clockRate) / 1000);
    this.encoder = options.codec.createEncoder({ vad: options.vad ?? false });
    this.decoder = options.codec.createDecoder();
    this.directionNow = options.direction ?? 'sendrecv';
    this.latch = new SymmetricLatch({ enabled: options.symmetric ?? true, ...(options.remote ? { expected: options.remote } : {}) });
    this.rtcpRemote = rtcpAddressOf(options.remote);
    const n = frameSamples(this.sampleRate, this.ptimeMs);
    this.pcmOut = new Int16Array(n);
    this.pcmIn = new Int16Array(n);
    this.source = options.source ?? new SilenceSource(this.sampleRate);
    this.protection = options.protection;
    this.marker = options.identity ? new IdentityMarker(options.identity, this.sampleRate) : undefined;
    const j = options.jitter ?? {};
    const minDelayMs = j.minDelayMs ?? 20;
    const nominalDelayMs = Math.max(minDelayMs, j.nominalDelayMs ?? 20);
    this.jitterBuffer = new JitterBuffer({
      clockRate: options.codec.clockRate,
      frameMs: this.ptimeMs,
      minDelayMs,
      nominalDelayMs,
      maxDelayMs: Math.max(nominalDelayMs, j.maxDelayMs ?? 200),
      ...(j.adaptive !== undefined ? { adaptive: j.adaptive } : {}),
    });
    const random = options.random ?? Math.random;
    const eventPts = options.telephoneEventPayloadType !== undefined ? [options.telephoneEventPayloadType] : [];
    this.session = new RtpSession({
      clock: this.clock,
      random,
      payloadType: options.payloadType,
      clockRate: options.codec.clockRate,
      frameMs: this.ptimeMs,
      cname: options.cname,
      rtcp: { enabled: options.rtcp?.enabled ?? false, timing: { mode: 'fixed', intervalMs: 1000 * (options.rtcp?.intervalS ?? 5) }, xr: options.rtcp?.xr ?? false },
      transmitRtcp: (bytes) => this.sendRtcp(bytes),
      eventPayloadTypes: eventPts,
      codec: CODEC_IMPAIRMENT[options.codec.name.toUpperCase()] ?? CODEC_IMPAIRMENT.PCMU!,
      jitterBuffer: this.jitterBuffer,
      onEvent: (e) => {
        if (e.type === 'remote-bye') this.emit(e.reason !== undefined ? { type: 'remote-bye', reason: e.reason } : { type: 'remote-bye' });
      },
    });
    // RFC 4733 §2.5.1.2: updates every ptime line up with the media tick.
    const dtmf = options.dtmf ?? {};
    this.dtmfOut = new TelephoneEventSender((ms) => this.eventTimestampAt(ms), { clockRate: options.codec.clockRate, intervalMs: this.ptimeMs, volume: dtmf.volume ?? 10 });
    this.dtmfIn = new TelephoneEventReceiver({ clockRate: options.codec.clockRate });
  }

  /**
   * Allocates a port pair, binds the sockets on `localAddress` (trying further pairs when a port
   * is taken by someone else) and returns the stream, ready for its local port to go into SDP.
   * Nothing is sent until `start()`.
   */
  static async open(options: MediaStreamOptions): Promise<Result<MediaStream>> {
    const ptime = options.ptimeMs ?? 20;
    if (!(ptime > 0) || ptime % options.mediaClock.periodMs !== 0) return failure('MEDIA_BAD_PTIME', `media: ptime ${ptime} ms is not a multiple of the ${options.mediaClock.periodMs} ms media tick`);
    if (frameSamples(options.codec.sampleRate, ptime) % options.codec.samplesPerFrame !== 0) return failure('MEDIA_BAD_PTIME', `media: ptime ${ptime} ms does not suit ${options.codec.name}`);
    let lastError = 'no port tried';
    // Pairs taken by another process stay reserved until the search ends, so it moves on.
    const taken: number[] = [];
    const releaseTaken = (): void => taken.forEach((p) => options.ports.release(p));
    for (let i = 0; i < MAX_PORT_TRIES; i++) {
      const pair = options.ports.allocate();
      if (!pair.ok) {
        releaseTaken();
        return taken.length > 0 ? failure('MEDIA_NO_SOCKET', `media: could not bind an RTP port pair: ${lastError}`) : pair;
      }
      const stream = new MediaStream(options, pair.value);
      const bound = await stream.bind();
      if (bound.ok) {
        releaseTaken();
        return ok(stream);
      }
      taken.push(pair.value.rtp);
      lastError = bound.error.message;
      if (bound.error.code !== 'RTP_PORT_IN_USE') break;
    }
    releaseTaken();
    return failure('MEDIA_NO_SOCKET', `media: could not bind an RTP port pair: ${lastError}`);
  }

  /** The codec in use (setCodec may change it). */
  get codec(): AudioCodec {
    return this.codecNow;
  }

  get localPort(): number {
    return this.ports.rtp;
  }

  get direction(): MediaDirection {
    return this.directionNow;
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Whether the sockets are bound now (false while held with closeOnHold). */
  get socketsOpen(): boolean {
    return this.rtp !== undefined && !this.rtp.closed;
  }

  private get sends(): boolean {
    return this.directionNow === 'sendrecv' || this.directionNow === 'sendonly';
  }

  private get receives(): boolean {
    return this.directionNow === 'sendrecv' || this.directionNow === 'recvonly';
  }

  /** Joins the media tick and starts RTCP. Idempotent. */
  start(): void {
    if (this.started || this.closedFlag) return;
    this.started = true;
    this.session.start();
    this.sub = this.o.mediaClock.subscribe((now, tick) => this.tick(now, tick));
    const every = this.o.statsIntervalMs ?? 5000;
    if (every > 0) this.statsTimer = this.clock.setPeriodic(every, () => this.emit({ type: 'stats', stats: this.stats() }), 'media-stats');
  }

  /**
   * Ends the stream: RTCP BYE (when enabled), sockets closed, port pair released; a final
   * 'stats' event. Idempotent.
   */
  close(reason?: string): void {
    if (this.closedFlag) return;
    this.session.stop(reason);
    this.closedFlag = true;
    this.sub?.cancel();
    this.statsTimer?.cancel();
    this.closeSockets();
    this.o.ports.release(this.ports.rtp);
    this.freeCodec();
    this.emit({ type: 'stats', stats: this.stats() });
  }

  /**
   * New remote media (the answer, or a re-INVITE moving the media): forgets the latch and the
   * connected peer. The receive side handles the new SSRC itself (RFC 3550 A.1 probation).
   */
  setRemote(remote: RemoteMedia): void {
    this.latch.reset(remote);
    this.rtcpRemote = rtcpAddressOf(remote);
    this.rtp?.disconnect();
    this.rtcpEp?.disconnect();
  }

  /** re-INVITE direction change (hold/resume). May close or reopen the sockets (closeOnHold). */
  setDirection(direction: MediaDirection): Promise<void> {
    const was = this.directionNow;
    this.directionNow = direction;
    if (was === direction || this.closedFlag) return Promise.resolve();
    if (!this.receives) this.jitterBuffer.reset();
    const closeOnHold = this.o.closeOnHold ?? true;
    if (direction === 'inactive' && closeOnHold) {
      this.closeSockets();
      return Promise.resolve();
    }
    if (!this.socketsOpen) return this.reopen();
    return Promise.resolve();
  }

  /**
   * Another codec on the same stream (re-INVITE). The sample rate must stay (sources and sinks
   * keep theirs); otherwise the call layer opens a new stream.
   */
  setCodec(audio: NegotiatedAudio): Result<void> {
    if (audio.codec.sampleRate !== this.sampleRate || audio.codec.clockRate !== this.codec.clockRate) return failure('MEDIA_CODEC_RATE', `media: ${audio.codec.name} runs at another rate than ${this.codec.name}`);
    if (frameSamples(this.sampleRate, this.ptimeMs) % audio.codec.samplesPerFrame !== 0) return failure('MEDIA_BAD_PTIME', `media: ptime ${this.ptimeMs} ms does not suit ${audio.codec.name}`);
    this.codecNow = audio.codec;
    this.payloadType = audio.payloadType;
    this.session.sender.payloadType = audio.payloadType;
    this.freeCodec();
    this.encoder = audio.codec.createEncoder({ vad: audio.vad ?? false });
    this.decoder = audio.codec.createDecoder();
    this.jitterBuffer.reset();
    return ok(undefined);
  }

  /** Frees codec state held outside the JS heap (Opus in wasm). */
  private freeCodec(): void {
    this.encoder.close?.();
    this.decoder.close?.();
  }

  /** What to send from now on (a tone, a WAV, a mix…); at the stream's sample rate. */
  play(source: AudioSource): void {
    if (source.sampleRate !== this.sampleRate) throw new RangeError(`media: source at ${source.sampleRate} Hz, stream at ${this.sampleRate} Hz`);
    this.source = source;
  }

  get playing(): AudioSource {
    return this.source;
  }

  /**
   * Mute: frames of digital silence, without the identity mark (the mark stands for the
   * user's audio), so the far end hears RTP but nobody (KX-UT670 MUTE, A12 mute key).
   */
  setMuted(muted: boolean): void {
    this.mutedNow = muted;
  }

  get muted(): boolean {
    return this.mutedNow;
  }

  /** New SRTP keys (a re-INVITE with other a=crypto lines), or none (plain RTP). */
  setProtection(protection: PacketProtection | undefined): void {
    this.protection = protection;
  }

  /** Adds a sink for decoded received audio; returns its remover. */
  addSink(sink: AudioSink): () => void {
    if (sink.sampleRate !== this.sampleRate) throw new RangeError(`media: sink at ${sink.sampleRate} Hz, stream at ${this.sampleRate} Hz`);
    this.sinks.push(sink);
    return () => {
      const i = this.sinks.indexOf(sink);
      if (i >= 0) this.sinks.splice(i, 1);
    };
  }

  /**
   * Sends digits as RFC 4733 telephone-events (KX-UT670 OUTBANDDTMF_n), one after the other:
   * `durationMs` each (DTMF_SIGNAL_LEN, default 180), `gapMs` apart (DTMF_INTDIGIT_TIM, 90).
   * Audio frames are replaced by the events while they last.
   */
  sendDtmf(digits: string, options: { durationMs?: number; gapMs?: number } = {}): Result<void> {
    if (this.o.telephoneEventPayloadType === undefined) return failure('MEDIA_NO_TELEPHONE_EVENT', 'media: telephone-event was not negotiated');
    const d = this.o.dtmf ?? {};
    const duration = options.durationMs ?? d.durationMs ?? 180;
    const gap = options.gapMs ?? d.gapMs ?? 90;
    for (const digit of digits) {
      const r = this.dtmfOut.send(digit, duration, this.clock.now(), gap);
      if (!r.ok) return r;
      this.dtmfSent++;
    }
    return ok(undefined);
  }

  stats(): MediaStreamStats {
    const jb = this.jitterBuffer.stats();
    return {
      direction: this.directionNow,
      codec: this.codec.name,
      local: this.ports,
      remote: this.latch.destination,
      connected: this.rtp?.peer !== undefined,
      rtp: this.session.stats(),
      jitterBuffer: { ...jb },
      concealmentPercent: this.receivingFrames > 0 ? (100 * this.concealedFrames) / this.receivingFrames : 0,
      jitterBufferDelayMs: jb.currentDelayMs,
      audioFramesSent: this.audioFramesSent,
      dtmfSent: this.dtmfSent,
      dtmfReceived: this.dtmfReceived,
      foreign: this.latch.foreign,
      malformed: this.malformed,
      ignored: this.ignored,
      ...(this.protection ? { srtp: this.protection.stats() } : {}),
    };
  }

  // ---- sockets ---------------------------------------------------------------------------

  private async bind(): Promise<Result<void>> {
    const opener = this.o.opener ?? udpOpener;
    const common = { address: this.o.localAddress, onError: (message: string) => this.emit({ type: 'error', message }), ...(this.o.receiveBufferBytes !== undefined ? { receiveBufferBytes: this.o.receiveBufferBytes } : {}) };
    const rtp = await opener.open({ ...common, port: this.ports.rtp, onPacket: (b, from) => this.onRtpDatagram(b, from) });
    if (!rtp.ok) return rtp;
    if (!this.o.rtcp?.mux) {
      const rtcp = await opener.open({ ...common, port: this.ports.rtcp, onPacket: (b) => this.onRtcpDatagram(b) });
      if (!rtcp.ok) {
        rtp.value.close();
        return rtcp;
      }
      this.rtcpEp = rtcp.value;
    }
    this.rtp = rtp.value;
    return ok(undefined);
  }

  private closeSockets(): void {
    this.rtp?.close();
    this.rtcpEp?.close();
    this.rtp = undefined;
    this.rtcpEp = undefined;
  }

  private reopen(): Promise<void> {
    this.reopening ??= this.bind().then((r) => {
      this.reopening = undefined;
      if (this.closedFlag || this.directionNow === 'inactive') this.closeSockets();
      else if (!r.ok) this.emit({ type: 'error', message: r.error.message });
      // The peer may have moved while we were away: latch again.
      this.latch.reset(this.latch.expected);
    });
    return this.reopening;
  }

  private sendRtcp(plain: Uint8Array): void {
    const bytes = this.protection ? this.protection.protectRtcp(plain) : plain;
    if (!bytes) return;
    if (this.o.rtcp?.mux) {
      const to = this.latch.destination;
      if (to && this.rtp) this.rtp.send(bytes, bytes.length, this.rtp.peer ? undefined : to);
    } else if (this.rtcpRemote && this.rtcpEp) this.rtcpEp.send(bytes, bytes.length, this.rtcpRemote);
  }

  private onRtcpDatagram(datagram: Uint8Array): void {
    // RFC 3711 §3.4: SRTCP is authenticated before anything reads it.
    const bytes = this.protection ? this.protection.unprotectRtcp(datagram) : datagram;
    if (!bytes) return;
    if (this.session.receiveRtcp(bytes).ok) return;
    this.malformed++;
  }

  private onRtpDatagram(datagram: Uint8Array, from: TransportAddress): void {
    if (this.closedFlag) return;
    // RFC 5761 §4: RTCP packet types 200–204 sit where RTP payload types 72–76 would.
    if (this.o.rtcp?.mux && looksLikeRtcp(datagram)) {
      this.onRtcpDatagram(datagram);
      return;
    }
    // RFC 3711 §3.3: a packet that does not authenticate is dropped before it can move the latch.
    const bytes = this.protection ? this.protection.unprotectRtp(datagram) : datagram;
    if (!bytes) return;
    const v = this.view;
    if (!v.read(bytes).ok) {
      this.malformed++;
      return;
    }
    const verdict = this.latch.check(from.address, from.port);
    if (verdict === 'foreign') return;
    if (verdict !== 'accept') {
      this.emit({ type: 'latched', remote: { address: from.address, port: from.port }, relatch: verdict === 'relatched' });
      if (verdict === 'relatched') this.rtp?.disconnect();
    }
    // Connect only when media comes from the SDP address: behind a NAT the latch must stay free
    // to move (a connected socket would never see the new source).
    if ((this.o.connectSocket ?? true) && this.latch.latchedToExpected && this.rtp && !sameAddress(this.rtp.peer, from)) this.rtp.connect(from);
    if (!this.receives) {
      this.ignored++;
      return;
    }
    const now = this.clock.now();
    const accepted = this.session.receiveRtp(v, now);
    if (accepted !== 'accepted' && accepted !== 'source-changed') return;
    if (v.payloadType === this.o.telephoneEventPayloadType) {
      this.onTelephoneEvent(v, now);
      return;
    }
    this.jitterBuffer.push(v, now);
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
      this.emit({ type: 'dtmf', phase: 'start', digit: e.digit });
    } else this.emit({ type: 'dtmf', phase: 'end', digit: e.digit, durationMs: e.durationMs });
  }

  // ---- the media tick ------------------------------------------------------------------------

  private tick(now: number, tick: number): void {
    // Frames due since the last one: normally 1 every ticksPerFrame ticks; more after a stall
    // (the media clock skipped deadlines), then playout catches up and the RTP timestamp jumps
    // so that both stay in step with real time.
    const last = this.lastFrameTick;
    if (last !== undefined && tick - last < this.ticksPerFrame) return;
    const due = last === undefined ? 1 : Math.floor((tick - last) / this.ticksPerFrame);
    this.lastFrameTick = last === undefined ? tick : last + due * this.ticksPerFrame;
    for (let k = Math.min(due, MAX_CATCH_UP_FRAMES); k > 0; k--) {
      if (this.receives) this.receiveFrame(now);
      else {
        // Not receiving (held, sendonly): the sinks hear silence, as the user would.
        this.pcmIn.fill(0);
        for (const s of this.sinks) s.write(this.pcmIn);
      }
    }
    for (const e of this.dtmfIn.poll(now)) this.reportEvent(e);
    if (!this.sends) return;
    for (let k = 1; k < due; k++) this.session.skipFrame(this.frameTicks);
    this.sendFrame(now);
  }

  private receiveFrame(now: number): void {
    const f = this.jitterBuffer.pull(now);
    const out = this.pcmIn;
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

  private sendFrame(now: number): void {
    const to = this.latch.destination;
    const ep = this.rtp;
    const pcm = this.pcmOut;
    if (this.mutedNow) pcm.fill(0);
    else {
      this.source.read(pcm);
      this.marker?.apply(pcm);
    }
    if (!to || !ep) {
      this.session.skipFrame(this.frameTicks);
      return;
    }
    const dest = ep.peer ? undefined : to;
    const pt = this.o.telephoneEventPayloadType;
    if (pt !== undefined && !this.dtmfOut.idle) {
      // RFC 4733 §2.5.1.1: the events replace the audio while they last.
      for (const p of this.dtmfOut.poll(now)) {
        this.packet.set(p.payload, RTP_HEADER_BYTES);
        const len = this.session.sender.writePacketHeader(this.packet, TELEPHONE_EVENT_BYTES, pt, p.marker, p.timestamp);
        this.sendRtp(ep, len, dest);
      }
      this.session.skipFrame(this.frameTicks);
      return;
    }
    const n = this.encoder.encode(pcm, this.packet.subarray(RTP_HEADER_BYTES));
    if (n === 0) {
      this.session.skipFrame(this.frameTicks); // G.729B DTX
      return;
    }
    const len = this.session.writeFrame(this.packet, n, this.frameTicks);
    this.sendRtp(ep, len, dest);
    this.audioFramesSent++;
  }

  private sendRtp(ep: DatagramEndpoint, length: number, dest: TransportAddress | undefined): void {
    if (!this.protection) return ep.send(this.packet, length, dest);
    const out = this.protection.protectRtp(this.packet, length);
    if (out) ep.send(out, out.length, dest);
  }

  /** RFC 4733 §2.5.1.2: an event's timestamp is the media time of its start. */
  private eventTimestampAt(ms: number): number {
    const ahead = Math.max(0, ms - this.clock.now());
    return (this.session.sender.timestamp + Math.round((ahead * this.codec.clockRate) / 1000)) >>> 0;
  }

  private emit(e: MediaStreamEvent): void {
    this.o.onEvent?.(e);
  }
}

function rtcpAddressOf(remote: RemoteMedia | undefined): TransportAddress | undefined {
  if (!remote) return undefined;
  return { address: remote.rtcpAddress ?? remote.address, port: remote.rtcpPort ?? remote.port + 1 };
}
