// CallMedia on the real media engine (src/media MediaStream). The port pair is reserved from the
// device's RTP range when the call starts (its number goes into the first SDP); the stream is
// opened on that pair once the codec is negotiated, and reopened on the same pair if a
// re-INVITE moves to a codec of another sample rate (G.711 <-> G.722). What the user plays and
// records survives that (sources and sinks are adapted to the stream's rate); SRTP keys from the
// SDP exchange (RFC 4568) protect the stream; a monitor on the received audio reports its level
// and whose identity mark it carries.
import type { Clock } from '../core/clock.js';
import type { CodecRegistry } from '../codecs/codec.js';
import { DtmfSource, SilenceSource, type AudioSource } from '../codecs/audio-source.js';
import type { AudioSink } from '../codecs/audio-sink.js';
import type { IdentityMark } from '../codecs/identity-mark.js';
import type { MediaClock } from '../media/media-clock.js';
import { MediaStream, type MediaStreamEvent, type MediaStreamOptions } from '../media/media-stream.js';
import { sinkAt, sourceAt } from '../media/rate-adapter.js';
import { ReceivedAudioMonitor } from '../media/received-audio.js';
import { PortAllocator } from '../rtp/port-allocator.js';
import { SrtpTransform } from '../rtp/srtp.js';
import { SILENCE_DB } from '../codecs/level.js';
import type { NegotiatedMedia } from '../sip/sdp/index.js';
import { type CallMedia, type CallMediaFactory, type CallMediaStats, type ReceivedAudio, DigitListeners, type DigitListener } from './call-media.js';

/** Per-line media settings (KX-UT670 5.7.2/5.8.2: RTCP_ENABLE_n, RTCP_INTVL_n, MIN/NOM/MAX_DELAY_n, RTP_CLOSE_ENABLE_n). */
export interface LineMediaSettings {
  readonly rtcp: { readonly enabled: boolean; readonly intervalS: number };
  readonly jitter: { readonly minDelayMs: number; readonly nominalDelayMs: number; readonly maxDelayMs: number };
  readonly closeOnHold: boolean;
  /** DTMF_SIGNAL_LEN and DTMF_INTDIGIT_TIM (KX-UT670 5.7.3), ms. */
  readonly dtmf: { readonly durationMs: number; readonly gapMs: number };
  /** A12 9.16 "Enable VAD": silence sent as RFC 3389 CN when CN was negotiated. */
  readonly silenceSuppression?: boolean;
  /** A12 9.16 "RTP keep alive": an RFC 6263 keep-alive this often while no media is sent, ms. */
  readonly rtpKeepAliveMs?: number;
}

export interface RtpCallMediaOptions {
  readonly clock: Clock;
  readonly mediaClock: MediaClock;
  readonly ports: PortAllocator;
  readonly codecs: CodecRegistry;
  /** RTCP SDES CNAME of the phone. */
  readonly cname: string;
  readonly identity?: IdentityMark;
  /** Marks to listen for in received audio (the devices known to this process); none = no detector. */
  candidates?(): readonly IdentityMark[];
  line(line: number): LineMediaSettings;
  onEvent?(callId: string, event: MediaStreamEvent): void;
  /** MediaStreamOptions.coalesceReads: the clock is the system's (not a test's virtual one). */
  readonly coalesceReads?: boolean;
}

export function rtpCallMediaFactory(options: RtpCallMediaOptions): CallMediaFactory {
  return {
    async open(address, callId, line) {
      const pair = options.ports.allocate();
      if (!pair.ok) throw new Error(pair.error.message);
      return new RtpCallMedia(options, options.line(line), address, callId, pair.value.rtp);
    },
  };
}

/** What a user plays into or records from the call, kept across a stream reopen. */
interface AudioEndpoints {
  source: AudioSource | undefined;
  sinks: Array<{ sink: AudioSink; remove: (() => void) | undefined }>;
}

class RtpCallMedia implements CallMedia {
  readonly rtcpPort: number;
  private stream: MediaStream | undefined;
  private opening: Promise<void> = Promise.resolve();
  private muted = false;
  private closed = false;
  private readonly audio: AudioEndpoints = { source: undefined, sinks: [] };
  private lastStats: CallMediaStats | undefined;
  private monitor: ReceivedAudioMonitor | undefined;
  /** The a=crypto keys the stream's SRTP transform was made from ('' = plain RTP). */
  private srtpKeys = '';

  constructor(
    private readonly o: RtpCallMediaOptions,
    private readonly line: LineMediaSettings,
    private readonly address: string,
    private readonly callId: string,
    readonly port: number,
  ) {
    this.rtcpPort = port + 1;
  }

  apply(media: NegotiatedMedia): void {
    this.opening = this.opening.then(() => this.applyNow(media)).catch((error: unknown) => this.o.onEvent?.(this.callId, { type: 'error', message: (error as Error).message }));
  }

  /** Resolves when the last apply() has taken effect (tests, audio API). */
  ready(): Promise<void> {
    return this.opening;
  }

  private async applyNow(media: NegotiatedMedia): Promise<void> {
    if (this.closed) return;
    const codec = this.o.codecs.get(media.codec.name);
    if (!codec) throw new Error(`media: codec ${media.codec.name} is not available`);
    const remote = { address: media.remoteAddress, port: media.remotePort, rtcpAddress: media.remoteRtcpAddress, rtcpPort: media.remoteRtcpPort };
    const negotiated = {
      codec,
      payloadType: media.codec.payloadType,
      ...(media.telephoneEvent ? { telephoneEventPayloadType: media.telephoneEvent.payloadType } : {}),
      vad: media.codec.annexB ?? false,
      ...(media.comfortNoise ? { comfortNoisePayloadType: media.comfortNoise.payloadType } : {}),
    };
    // RFC 4568 §6.1: the keys of the exchange; the same keys again keep the running contexts (ROC, indexes).
    const keys = media.srtp ? `${media.srtp.suite} ${media.srtp.localCrypto.keyParams.map((k) => k.info).join()} ${media.srtp.remoteCrypto.keyParams.map((k) => k.info).join()}` : '';
    const srtp = media.srtp;
    const fresh = (): SrtpTransform | undefined => {
      if (!srtp) return undefined;
      const t = SrtpTransform.create(srtp);
      if (!t.ok) throw new Error(t.error.message);
      return t.value;
    };
    const s = this.stream;
    if (s && s.codec.sampleRate === codec.sampleRate && s.ptimeMs === media.ptimeMs && (s.codec.name === codec.name || s.setCodec(negotiated).ok)) {
      if (keys !== this.srtpKeys) s.setProtection(fresh());
      this.srtpKeys = keys;
      s.setRemote(remote);
      await s.setDirection(media.direction);
      return;
    }
    s?.close('codec change');
    const options: MediaStreamOptions = {
      ...negotiated,
      clock: this.o.clock,
      mediaClock: this.o.mediaClock,
      // The pair reserved at open(): a one-pair allocator hands exactly it to the stream.
      ports: new PortAllocator(this.port, this.port),
      localAddress: this.address,
      ptimeMs: media.ptimeMs,
      remote,
      direction: media.direction,
      cname: this.o.cname,
      coalesceReads: this.o.coalesceReads === true,
      rtcp: { enabled: this.line.rtcp.enabled, intervalS: this.line.rtcp.intervalS },
      closeOnHold: this.line.closeOnHold,
      jitter: this.line.jitter,
      dtmf: this.line.dtmf,
      silenceSuppression: this.line.silenceSuppression ?? false,
      ...(this.line.rtpKeepAliveMs ? { rtpKeepAliveMs: this.line.rtpKeepAliveMs } : {}),
      ...(this.o.identity ? { identity: this.o.identity } : {}),
      ...(srtp ? { protection: fresh()! } : {}),
      onEvent: (e) => {
        if (e.type === 'dtmf' && e.phase === 'end') this.digits.emit(e.digit, e.durationMs);
        this.o.onEvent?.(this.callId, e);
      },
    };
    const opened = await MediaStream.open(options);
    if (!opened.ok) throw new Error(opened.error.message);
    if (this.closed) return void opened.value.close('call ended');
    this.stream = opened.value;
    this.srtpKeys = keys;
    this.restoreAudio(opened.value);
    opened.value.start();
  }

  private restoreAudio(stream: MediaStream): void {
    const { source, sinks } = this.audio;
    stream.setMuted(this.muted);
    if (source) stream.play(sourceAt(source, stream.sampleRate));
    for (const entry of sinks) entry.remove = stream.addSink(sinkAt(entry.sink, stream.sampleRate));
    const candidates = this.o.candidates?.() ?? [];
    this.monitor = new ReceivedAudioMonitor(stream.sampleRate, candidates, () => this.o.clock.now());
    stream.addSink(this.monitor);
  }

  /** The sample rate of the running stream, undefined before the codec is known. */
  get sampleRate(): number | undefined {
    return this.stream?.sampleRate;
  }

  get playing(): AudioSource | undefined {
    return this.audio.source;
  }

  /** Plays a source into the call (tone, WAV…; 8 or 16 kHz), or silence for undefined. */
  play(source: AudioSource | undefined): void {
    this.audio.source = source;
    const s = this.stream;
    if (s) s.play(source ? sourceAt(source, s.sampleRate) : new SilenceSource(s.sampleRate));
  }

  addSink(sink: AudioSink): () => void {
    const entry: AudioEndpoints['sinks'][number] = { sink, remove: undefined };
    this.audio.sinks.push(entry);
    const s = this.stream;
    if (s) entry.remove = s.addSink(sinkAt(sink, s.sampleRate));
    return () => {
      entry.remove?.();
      this.audio.sinks = this.audio.sinks.filter((e) => e !== entry);
    };
  }

  received(): ReceivedAudio {
    const m = this.monitor;
    if (!m) return { levelDbfs: SILENCE_DB, peakDbfs: SILENCE_DB, measuredMs: 0, heard: undefined };
    return { ...m.level(), heard: m.heard() };
  }

  sendDtmf(digits: string): void {
    const s = this.stream;
    if (!s) return;
    // RFC 4733 when negotiated (OUTBANDDTMF_n), else in-band tones (KX-UT670 5.7.3 timing).
    if (s.sendDtmf(digits).ok) return;
    const previous = s.playing;
    const tones = new DtmfSource(digits, s.sampleRate, { signalMs: this.line.dtmf.durationMs, interDigitMs: this.line.dtmf.gapMs });
    s.play(tones);
    const restore = this.o.clock.setPeriodic(this.line.dtmf.durationMs, () => {
      if (!tones.ended) return;
      restore.cancel();
      if (s.playing === tones) s.play(previous);
    }, 'in-band dtmf restore');
  }

  setMuted(muted: boolean): void {
    this.muted = muted;
    this.stream?.setMuted(muted);
  }

  private readonly digits = new DigitListeners();

  onDigit(listener: DigitListener): () => void {
    return this.digits.add(listener);
  }

  stats(): CallMediaStats {
    const s = this.stream;
    if (!s) return this.lastStats ?? { codec: undefined, packetsSent: 0, packetsReceived: 0, packetsLost: 0, jitterMs: 0 };
    const st = s.stats();
    return {
      codec: st.codec,
      packetsSent: st.rtp.packetsSent,
      packetsReceived: st.rtp.packetsReceived,
      packetsLost: st.rtp.packetsLost,
      jitterMs: st.rtp.jitterMs,
      lossPercent: st.rtp.lossPercent,
      mos: st.rtp.mos,
      direction: st.direction,
      concealmentPercent: st.concealmentPercent,
      jitterBufferDelayMs: st.jitterBufferDelayMs,
      roundTripMs: st.rtp.roundTripMs,
      dtmfSent: st.dtmfSent,
      dtmfReceived: st.dtmfReceived,
      ...(st.keepAlivesSent ? { keepAlivesSent: st.keepAlivesSent } : {}),
      ...(st.srtp ? { srtp: st.srtp } : {}),
      ...this.hearing(),
    };
  }

  /** The received level and the identity verdict, for the call's statistics. */
  private hearing(): { levelDbfs: number; heard?: { mac: string | undefined; score: number; reason: string } } {
    const r = this.received();
    return { levelDbfs: r.levelDbfs, ...(r.heard ? { heard: { mac: r.heard.mac, score: r.heard.score, reason: r.heard.reason } } : {}) };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.opening;
    if (this.stream) {
      this.lastStats = this.stats();
      this.stream.close('call ended');
    }
    this.o.ports.release(this.port);
  }
}
