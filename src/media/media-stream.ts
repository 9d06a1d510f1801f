// One call's audio (ARCHITECTURE.md "Media as sources and sinks"): an RTP session on a UDP port
// pair from the RTP_PORT_MIN..MAX range (media-sockets.ts), driven by the shared media tick. Per
// tick it pulls a ptime frame from its AudioSource (with the phone's identity mark added),
// encodes and sends it (media-sender.ts); received packets go through symmetric latching and the
// RTP session into the jitter buffer, and per tick one frame is pulled, decoded (or concealed)
// and written to the AudioSinks (media-receiver.ts).
// RFC 4733 telephone-events go both ways; RTCP (KX-UT670 RTCP_ENABLE_n, RTCP_INTVL_n) runs on
// port + 1 or multiplexed (RFC 5761). Direction follows RFC 3264 §5.1 / §6.1.
import type { AudioCodec } from '../codecs/codec.js';
import type { AudioSink } from '../codecs/audio-sink.js';
import { frameSamples, SilenceSource, type AudioSource } from '../codecs/audio-source.js';
import { IdentityMarker } from '../codecs/identity-mark.js';
import type { Clock } from '../core/clock.js';
import { failure, ok, type Result } from '../core/result.js';
import { JitterBuffer } from '../rtp/jitter-buffer.js';
import type { PortPair } from '../rtp/port-allocator.js';
import { CODEC_IMPAIRMENT } from '../rtp/rtcp-stats.js';
import { RtpSession } from '../rtp/rtp-session.js';
import type { PacketProtection } from '../rtp/srtp.js';
import { SymmetricLatch } from '../rtp/symmetric-latch.js';
import type { MediaClockSubscription } from './media-clock.js';
import { MediaReceiver } from './media-receiver.js';
import { MediaSender } from './media-sender.js';
import { bindPortPair, MediaSockets } from './media-sockets.js';
import { StreamParts } from './stream-parts.js';
import type { MediaDirection, MediaStreamEvent, MediaStreamOptions, MediaStreamStats, NegotiatedAudio, RemoteMedia } from './media-stream-types.js';

export type { MediaDirection, MediaStreamEvent, MediaStreamOptions, MediaStreamStats, NegotiatedAudio, RemoteMedia } from './media-stream-types.js';

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
  private directionNow: MediaDirection;
  private readonly latch: SymmetricLatch;
  private readonly sockets: MediaSockets;
  private readonly sender: MediaSender;
  private readonly receiver: MediaReceiver;
  private reopening: Promise<void> | undefined;
  private sub: MediaClockSubscription | undefined;
  private statsTimer: { cancel(): void } | undefined;
  private started = false;
  private closedFlag = false;
  private protection: PacketProtection | undefined;
  private readonly ticksPerFrame: number;
  private readonly frameTicks: number;
  /** Media clock tick of the last frame handled (undefined before the first). */
  private lastFrameTick: number | undefined;

  private constructor(
    options: MediaStreamOptions,
    readonly ports: PortPair,
  ) {
    this.o = options;
    this.clock = options.clock ?? options.mediaClock.clock;
    this.codecNow = options.codec;
    this.sampleRate = options.codec.sampleRate;
    this.ptimeMs = options.ptimeMs ?? 20;
    this.ticksPerFrame = this.ptimeMs / options.mediaClock.periodMs;
    this.frameTicks = Math.round((this.ptimeMs * options.codec.clockRate) / 1000);
    this.directionNow = options.direction ?? 'sendrecv';
    this.latch = new SymmetricLatch({ enabled: options.symmetric ?? true, ...(options.remote ? { expected: options.remote } : {}) });
    this.protection = options.protection;
    const j = options.jitter ?? {};
    const minDelayMs = j.minDelayMs ?? 20;
    const nominalDelayMs = Math.max(minDelayMs, j.nominalDelayMs ?? 20);
    this.jitterBuffer = new JitterBuffer({
      clockRate: options.codec.clockRate,
      frameMs: this.ptimeMs,
      minDelayMs,
      nominalDelayMs,
      maxDelayMs: Math.max(nominalDelayMs, j.maxDelayMs ?? 200),
      // RFC 3551 §4.2: the far end's packets may last another time than ours.
      packetTicks: (bytes, offset, length, pt) => this.receiver.packetTicks(bytes, offset, length, pt),
      ...(options.comfortNoisePayloadType !== undefined ? { comfortNoisePayloadType: options.comfortNoisePayloadType } : {}),
      isComfortNoise: (bytes, offset, length, pt) => this.receiver.isComfortNoise(bytes, offset, length, pt),
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
      transmitRtcp: (bytes) => this.sockets.sendRtcp(bytes, this.protection, this.latch.destination),
      eventPayloadTypes: eventPts,
      codec: CODEC_IMPAIRMENT[options.codec.name.toUpperCase()] ?? CODEC_IMPAIRMENT.PCMU!,
      jitterBuffer: this.jitterBuffer,
      onEvent: (e) => {
        if (e.type === 'remote-bye') this.emit(e.reason !== undefined ? { type: 'remote-bye', reason: e.reason } : { type: 'remote-bye' });
      },
    });
    this.sockets = new MediaSockets(options, ports, {
      rtp: (b, from, ago) => this.receiver.onRtpDatagram(b, from, ago),
      rtcp: (b, ago) => this.receiver.onRtcpDatagram(b, ago),
      error: (message) => this.emit({ type: 'error', message }),
    });
    const n = frameSamples(this.sampleRate, this.ptimeMs);
    const parts = new StreamParts(this.clock, this.session, this.jitterBuffer, this.latch, this.sockets, this.frameTicks, this.ptimeMs, {
      protection: () => this.protection,
      receives: () => this.receives,
      closed: () => this.closedFlag,
      emit: (e) => this.emit(e),
    });
    this.sender = new MediaSender(
      options,
      parts,
      options.source ?? new SilenceSource(this.sampleRate),
      options.identity ? new IdentityMarker(options.identity, this.sampleRate) : undefined,
      n,
    );
    this.receiver = new MediaReceiver(
      options,
      parts,
      n,
    );
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
    return bindPortPair(options.ports, async (pair) => {
      const stream = new MediaStream(options, pair);
      const bound = await stream.sockets.bind();
      return bound.ok ? ok(stream) : bound;
    });
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
    return this.sockets.open;
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
    this.sockets.close();
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
    this.sockets.setRemote(remote);
  }

  /** re-INVITE direction change (hold/resume). May close or reopen the sockets (closeOnHold). */
  setDirection(direction: MediaDirection): Promise<void> {
    const was = this.directionNow;
    this.directionNow = direction;
    if (was === direction || this.closedFlag) return Promise.resolve();
    if (!this.receives) this.jitterBuffer.reset();
    const closeOnHold = this.o.closeOnHold ?? true;
    if (direction === 'inactive' && closeOnHold) {
      this.sockets.close();
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
    this.session.sender.payloadType = audio.payloadType;
    this.freeCodec();
    this.sender.encoder = audio.codec.createEncoder({ vad: audio.vad ?? false });
    this.sender.codecChanged(audio.codec, audio.comfortNoisePayloadType);
    this.receiver.setCodec(audio.codec, audio.payloadType);
    this.jitterBuffer.reset();
    return ok(undefined);
  }

  /** Frees codec state held outside the JS heap (Opus in wasm). */
  private freeCodec(): void {
    this.sender.encoder.close?.();
    this.receiver.decoder.close?.();
  }

  /** What to send from now on (a tone, a WAV, a mix…); at the stream's sample rate. */
  play(source: AudioSource): void {
    if (source.sampleRate !== this.sampleRate) throw new RangeError(`media: source at ${source.sampleRate} Hz, stream at ${this.sampleRate} Hz`);
    this.sender.source = source;
  }

  get playing(): AudioSource {
    return this.sender.source;
  }

  /**
   * Mute: frames of digital silence, without the identity mark (the mark stands for the
   * user's audio), so the far end hears RTP but nobody (KX-UT670 MUTE, A12 mute key).
   */
  setMuted(muted: boolean): void {
    this.sender.muted = muted;
  }

  get muted(): boolean {
    return this.sender.muted;
  }

  /** New SRTP keys (a re-INVITE with other a=crypto lines), or none (plain RTP). */
  setProtection(protection: PacketProtection | undefined): void {
    this.protection = protection;
  }

  /** Adds a sink for decoded received audio; returns its remover. */
  addSink(sink: AudioSink): () => void {
    if (sink.sampleRate !== this.sampleRate) throw new RangeError(`media: sink at ${sink.sampleRate} Hz, stream at ${this.sampleRate} Hz`);
    const sinks = this.receiver.sinks;
    sinks.push(sink);
    return () => {
      const i = sinks.indexOf(sink);
      if (i >= 0) sinks.splice(i, 1);
    };
  }

  /**
   * Sends digits as RFC 4733 telephone-events (KX-UT670 OUTBANDDTMF_n), one after the other:
   * `durationMs` each (DTMF_SIGNAL_LEN, default 180), `gapMs` apart (DTMF_INTDIGIT_TIM, 90).
   * Audio frames are replaced by the events while they last.
   */
  sendDtmf(digits: string, options: { durationMs?: number; gapMs?: number } = {}): Result<void> {
    return this.sender.sendDtmf(digits, options);
  }

  stats(): MediaStreamStats {
    const jb = this.jitterBuffer.stats();
    const r = this.receiver;
    return {
      direction: this.directionNow,
      codec: this.codec.name,
      local: this.ports,
      remote: this.latch.destination,
      connected: this.sockets.rtp?.peer !== undefined,
      rtp: this.session.stats(),
      jitterBuffer: { ...jb },
      concealmentPercent: r.receivingFrames > 0 ? (100 * r.concealedFrames) / r.receivingFrames : 0,
      concealedFrames: r.concealedFrames,
      decodeErrors: r.decodeErrors,
      jitterBufferDelayMs: jb.currentDelayMs,
      audioFramesSent: this.sender.audioFramesSent,
      comfortNoiseSent: this.sender.comfortNoiseSent,
      ...(this.sender.keepAlivesSent > 0 ? { keepAlivesSent: this.sender.keepAlivesSent } : {}),
      comfortNoiseReceived: r.comfortNoiseReceived,
      dtmfSent: this.sender.dtmfSent,
      dtmfReceived: r.dtmfReceived,
      foreign: this.latch.foreign,
      malformed: r.malformed,
      ignored: r.ignored,
      ...(this.protection ? { srtp: this.protection.stats() } : {}),
    };
  }

  private reopen(): Promise<void> {
    this.reopening ??= this.sockets.bind().then((r) => {
      this.reopening = undefined;
      if (this.closedFlag || this.directionNow === 'inactive') this.sockets.close();
      else if (!r.ok) this.emit({ type: 'error', message: r.error.message });
      // The peer may have moved while we were away: latch again.
      this.latch.reset(this.latch.expected);
    });
    return this.reopening;
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
      if (this.receives) this.receiver.receiveFrame(now);
      else this.receiver.silentFrame();
    }
    this.receiver.pollDtmf(now);
    if (!this.sends) return this.sender.keepAlive(now);
    for (let k = 1; k < due; k++) this.session.skipFrame(this.frameTicks);
    this.sender.sendFrame(now);
  }

  private emit(e: MediaStreamEvent): void {
    this.o.onEvent?.(e);
  }
}
