// CallMedia with the stream in a media worker thread (src/media/workers): for fleets, where one
// thread cannot carry every call's RTP (issue 4: 500 G.711 calls on 2 cores). The call layer
// sees the same contract as rtp-call-media.ts: the port pair is reserved from the device's range
// when the call starts, the stream is opened in a worker once the codec is negotiated and opened
// again there on a codec of another sample rate. What differs is where it runs: statistics and
// what is heard come from the worker's periodic reports (at most the pool's report interval
// old), a played AudioSource is fed to the worker ahead of time, sinks get the decoded audio in
// 100 ms batches.
import type { AudioSink } from '../codecs/audio-sink.js';
import { DtmfSource, SilenceSource, type AudioSource } from '../codecs/audio-source.js';
import type { OpusSampleRate } from '../codecs/opus.js';
import { SILENCE_DB } from '../codecs/level.js';
import type { MediaStreamEvent, MediaStreamStats } from '../media/media-stream.js';
import type { MediaWorkerPool } from '../media/workers/media-worker-pool.js';
import type { StreamReport, WorkerCodec, WorkerStreamSpec } from '../media/workers/protocol.js';
import { FEED_LEAD_MS, type WorkerMediaStream } from '../media/workers/worker-stream.js';
import { PortAllocator } from '../rtp/port-allocator.js';
import type { NegotiatedMedia } from '../sip/sdp/index.js';
import { type CallMedia, type CallMediaFactory, type CallMediaStats, type ReceivedAudio, DigitListeners, type DigitListener } from './call-media.js';
import type { LineMediaSettings, RtpCallMediaOptions } from './rtp-call-media.js';

/** The device's media options of rtp-call-media.ts, with the pool in place of the media tick. */
export interface WorkerCallMediaOptions extends Omit<RtpCallMediaOptions, 'mediaClock'> {
  readonly pool: MediaWorkerPool;
  /** A12 9.16 "Opus Sample Rate" of this device (default 16000); `codecs` must be the registry of that rate. */
  readonly opusSampleRate?: OpusSampleRate;
}

export function workerCallMediaFactory(options: WorkerCallMediaOptions): CallMediaFactory {
  const open = async (address: string, callId: string, line: number): Promise<CallMedia> => {
    // The pair is reserved now (its port goes into the first SDP); the stream binds it later.
    const reserved = options.ports.allocate();
    if (!reserved.ok) throw new Error(reserved.error.message);
    return new WorkerCallMedia(options, { address, callId, port: reserved.value.rtp, settings: options.line(line) });
  };
  return { open };
}

const RTP_FIELDS = ['packetsSent', 'packetsReceived', 'packetsLost', 'jitterMs', 'lossPercent', 'mos', 'roundTripMs'] as const;
const STREAM_FIELDS = ['direction', 'concealmentPercent', 'jitterBufferDelayMs', 'dtmfSent', 'dtmfReceived'] as const;

/** The call-layer statistics of a worker's report (the fields rtp-call-media.ts gives). */
export function callStatsOf(report: StreamReport): CallMediaStats {
  const st: MediaStreamStats = report.stats;
  const out: Record<string, unknown> = { codec: st.codec, levelDbfs: report.level?.levelDbfs ?? SILENCE_DB };
  for (const k of RTP_FIELDS) out[k] = st.rtp[k];
  for (const k of STREAM_FIELDS) out[k] = st[k];
  if (st.srtp) out.srtp = st.srtp;
  const h = report.heard;
  if (h) out.heard = { mac: h.mac, score: h.score, reason: h.reason };
  return out as unknown as CallMediaStats;
}

/** The line's media settings as plain data for the worker (KX-UT670 5.7.2/5.8.2). */
function lineSpec(line: LineMediaSettings): Pick<WorkerStreamSpec, 'rtcp' | 'jitter' | 'dtmf' | 'closeOnHold' | 'silenceSuppression' | 'rtpKeepAliveMs'> {
  const { rtcp, jitter, dtmf, closeOnHold } = line;
  return { rtcp: { ...rtcp }, jitter: { ...jitter }, dtmf: { ...dtmf }, closeOnHold, silenceSuppression: line.silenceSuppression ?? false, ...(line.rtpKeepAliveMs ? { rtpKeepAliveMs: line.rtpKeepAliveMs } : {}) };
}

const NO_STATS: CallMediaStats = { codec: undefined, packetsSent: 0, packetsReceived: 0, packetsLost: 0, jitterMs: 0 };

/** One call's place: its line's settings, local address and reserved pair. */
interface CallSlot {
  readonly callId: string;
  readonly address: string;
  readonly port: number;
  readonly settings: LineMediaSettings;
}

class WorkerCallMedia implements CallMedia {
  readonly port: number;
  readonly rtcpPort: number;
  private readonly line: LineMediaSettings;
  private stream: WorkerMediaStream | undefined;
  /** apply() calls run one after the other (each may open or close a stream in a worker). */
  private queue: Promise<void> = Promise.resolve();
  private state = { muted: false, closed: false, codec: '', srtpKeys: '' };
  private source: AudioSource | undefined;
  private readonly sinks = new Map<AudioSink, (() => void) | undefined>();
  private lastReport: StreamReport | undefined;

  constructor(
    private readonly o: WorkerCallMediaOptions,
    private readonly slot: CallSlot,
  ) {
    this.port = slot.port;
    this.rtcpPort = slot.port + 1;
    this.line = slot.settings;
  }

  private emit(event: MediaStreamEvent): void {
    if (event.type === 'dtmf' && event.phase === 'end') this.digits.emit(event.digit, event.durationMs);
    this.o.onEvent?.(this.slot.callId, event);
  }

  apply(media: NegotiatedMedia): void {
    const step = (): Promise<void> => this.applyNow(media);
    this.queue = this.queue.then(step).catch((e: unknown) => this.emit({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
  }

  /** Resolves when the last apply() has taken effect. */
  ready(): Promise<void> {
    return this.queue;
  }

  private async applyNow(media: NegotiatedMedia): Promise<void> {
    if (this.state.closed) return;
    const codec = this.o.codecs.get(media.codec.name);
    if (!codec) throw new Error(`media: codec ${media.codec.name} is not available`);
    const remote = { address: media.remoteAddress, port: media.remotePort, rtcpAddress: media.remoteRtcpAddress, rtcpPort: media.remoteRtcpPort };
    const wanted: WorkerCodec = {
      codec: codec.name,
      payloadType: media.codec.payloadType,
      ...(media.telephoneEvent ? { telephoneEventPayloadType: media.telephoneEvent.payloadType } : {}),
      vad: media.codec.annexB ?? false,
      ...(media.comfortNoise ? { comfortNoisePayloadType: media.comfortNoise.payloadType } : {}),
      ...(this.o.opusSampleRate ? { opusSampleRate: this.o.opusSampleRate } : {}),
    };
    // RFC 4568 §6.1: the same keys again keep the running SRTP contexts.
    // Only the key material crosses to the worker (plain data, structured-cloned).
    const plain = (c: { keyParams: readonly { method: string; info: string }[] }) => ({ keyParams: c.keyParams.map((k) => ({ method: k.method, info: k.info })) });
    const srtp = media.srtp ? { suite: media.srtp.suite, localCrypto: plain(media.srtp.localCrypto), remoteCrypto: plain(media.srtp.remoteCrypto) } : undefined;
    const keys = srtp ? JSON.stringify([srtp.suite, srtp.localCrypto.keyParams, srtp.remoteCrypto.keyParams]) : '';
    const s = this.stream;
    const reuse = s && !s.closed && s.sampleRate === codec.sampleRate && s.ptimeMs === media.ptimeMs && (this.state.codec === codec.name || (await s.setCodec(wanted)).ok);
    if (s && reuse) {
      this.state.codec = codec.name;
      if (keys !== this.state.srtpKeys) {
        const r = await s.setProtection(srtp);
        if (!r.ok) throw new Error(r.error.message);
      }
      this.state.srtpKeys = keys;
      s.setRemote(remote);
      const d = await s.setDirection(media.direction);
      if (!d.ok) throw new Error(d.error.message);
      return;
    }
    if (s) await s.close('codec change');
    const opened = await this.o.pool.open(
      {
        ...wanted,
        ...lineSpec(this.line),
        ...{ localAddress: this.slot.address, cname: this.o.cname, remote, ptimeMs: media.ptimeMs, direction: media.direction },
        ...(this.o.identity ? { identity: this.o.identity } : {}),
        candidates: [...(this.o.candidates?.() ?? [])],
        ...(srtp ? { srtp } : {}),
        report: true,
      },
      // The pair reserved at open(): a one-pair allocator hands exactly it to the stream.
      { ports: new PortAllocator(this.port, this.port), onEvent: (e) => this.emit(e) },
    );
    if (!opened.ok) throw new Error(opened.error.message);
    const stream = opened.value;
    if (this.state.closed) return void (await stream.close('call ended'));
    this.stream = stream;
    this.state.codec = codec.name;
    this.state.srtpKeys = keys;
    stream.setMuted(this.state.muted);
    if (this.source) stream.play(this.source);
    for (const sink of this.sinks.keys()) this.sinks.set(sink, stream.addSink(sink));
    stream.start();
  }

  get sampleRate(): number | undefined {
    return this.stream?.sampleRate;
  }

  get playing(): AudioSource | undefined {
    return this.source;
  }

  play(source: AudioSource | undefined): void {
    this.source = source;
    const s = this.stream;
    if (!s) return;
    s.play(source === undefined || source instanceof SilenceSource ? { kind: 'silence' } : source);
  }

  addSink(sink: AudioSink): () => void {
    this.sinks.set(sink, this.stream?.addSink(sink));
    return () => {
      this.sinks.get(sink)?.();
      this.sinks.delete(sink);
    };
  }

  private report(): StreamReport | undefined {
    const r = this.stream?.lastReport;
    if (r) this.lastReport = r;
    return this.lastReport;
  }

  received(): ReceivedAudio {
    const r = this.report();
    const level = r?.level ?? { levelDbfs: SILENCE_DB, peakDbfs: SILENCE_DB, measuredMs: 0 };
    return { ...level, heard: r?.heard };
  }

  sendDtmf(digits: string): void {
    const s = this.stream;
    if (!s) return;
    // RFC 4733 when negotiated (OUTBANDDTMF_n), else in-band tones (KX-UT670 5.7.3 timing).
    void s.sendDtmf(digits).then((r) => {
      if (r.ok || r.error.code !== 'MEDIA_NO_TELEPHONE_EVENT' || s.closed) return;
      const previous = this.source;
      const { durationMs, gapMs } = this.line.dtmf;
      s.play(new DtmfSource(digits, s.sampleRate, { signalMs: durationMs, interDigitMs: gapMs }));
      // Back to what played before once the digits (fed FEED_LEAD_MS ahead) have played out.
      const lastsMs = digits.length * (durationMs + gapMs) + FEED_LEAD_MS;
      this.o.clock.setTimer(lastsMs, () => {
        if (this.stream === s && this.source === previous) this.play(previous);
      }, 'in-band dtmf restore');
    });
  }

  setMuted(muted: boolean): void {
    this.state.muted = muted;
    this.stream?.setMuted(muted);
  }

  private readonly digits = new DigitListeners();

  onDigit(listener: DigitListener): () => void {
    return this.digits.add(listener);
  }

  stats(): CallMediaStats {
    const r = this.report();
    return r ? callStatsOf(r) : NO_STATS;
  }

  async close(): Promise<void> {
    if (this.state.closed) return;
    this.state.closed = true;
    await this.queue;
    const s = this.stream;
    if (s) {
      const last = await s.stats();
      if (last.ok) this.lastReport = last.value;
      await s.close('call ended');
    }
    this.o.ports.release(this.port);
  }
}
