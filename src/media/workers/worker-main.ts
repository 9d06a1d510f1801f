// A media worker thread (media-worker-pool.ts): its own SystemClock, 20 ms MediaClock, codec
// registry (the G.729 addon loads here too when built) and sockets (sockets cannot move between
// threads, so the worker binds the port pair the main thread reserved). The main thread steers
// streams with protocol.ts requests; packets never leave this thread.
import { performance } from 'node:perf_hooks';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { SilenceSource, SamplesSource, ToneSource, type AudioSource } from '../../codecs/audio-source.js';
import type { CodecRegistry } from '../../codecs/codec.js';
import { loadOpus, type OpusSampleRate } from '../../codecs/opus.js';
import { createCodecRegistry } from '../../codecs/registry.js';
import { readWavFile } from '../../codecs/wav.js';
import { SystemClock } from '../../core/system-clock.js';
import type { Result } from '../../core/result.js';
import { PortAllocator } from '../../rtp/port-allocator.js';
import { SrtpTransform, type NegotiatedSrtp } from '../../rtp/srtp.js';
import { MediaClock } from '../media-clock.js';
import { MediaStream, type MediaStreamEvent } from '../media-stream.js';
import { sourceAt } from '../rate-adapter.js';
import { ReceivedAudioMonitor } from '../received-audio.js';
import { FeedSource } from './feed-source.js';
import type { Envelope, OpenedStream, PlaySpec, StreamReport, WorkerClockStats, WorkerCodec, WorkerInit, WorkerMessage, WorkerRequest, WorkerStreamSpec } from './protocol.js';
import { TapSink } from './tap-sink.js';
import { batchUdpCounters } from '../../rtp/batch-udp.js';

interface Entry {
  stream: MediaStream;
  report: boolean;
  monitor: ReceivedAudioMonitor | undefined;
  feed: FeedSource | undefined;
  tap: { sink: TapSink; remove: () => void } | undefined;
}

class CodedError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function must<T>(r: Result<T>): T {
  if (!r.ok) throw new CodedError(r.error.code, r.error.message);
  return r.value;
}

class MediaWorker {
  private readonly clock = new SystemClock();
  private readonly mediaClock: MediaClock;
  /** One registry per Opus rate, as firmware-sim's sharedCodecs (16 kHz is the default one). */
  private readonly registries = new Map<OpusSampleRate, CodecRegistry>([[16000, createCodecRegistry()]]);
  private readonly streams = new Map<number, Entry>();
  private elu = performance.eventLoopUtilization();
  private udp = batchUdpCounters();

  constructor(
    private readonly port: MessagePort,
    private readonly init: WorkerInit,
  ) {
    this.mediaClock = new MediaClock(this.clock, init.periodMs, init.phaseMs);
    if (init.reportIntervalMs > 0) this.clock.setPeriodic(init.reportIntervalMs, () => this.report(), 'media-worker-report');
    port.on('message', (m: Envelope) => void this.onRequest(m));
    this.post({ ev: 'ready', codecs: [...this.registry(16000).names()] });
  }

  private post(m: WorkerMessage, transfer?: ArrayBuffer[]): void {
    this.port.postMessage(m, transfer);
  }

  private async onRequest(m: Envelope): Promise<void> {
    try {
      const value = await this.handle(m);
      this.post({ ev: 'reply', seq: m.seq, ok: true, value });
    } catch (error) {
      const code = error instanceof CodedError ? error.code : 'MEDIA_WORKER';
      this.post({ ev: 'reply', seq: m.seq, ok: false, code, message: error instanceof Error ? error.message : String(error) });
    }
  }

  private entry(id: number): Entry {
    const e = this.streams.get(id);
    if (!e) throw new CodedError('MEDIA_NO_STREAM', `media worker ${this.init.index}: no stream ${id}`);
    return e;
  }

  private registry(opusRate: OpusSampleRate): CodecRegistry {
    let r = this.registries.get(opusRate);
    if (!r) {
      const opus = loadOpus({ sampleRate: opusRate });
      this.registries.set(opusRate, (r = createCodecRegistry({ opus: opus.ok ? opus.value : null })));
    }
    return r;
  }

  private codec(c: WorkerCodec): { codec: NonNullable<ReturnType<CodecRegistry['get']>>; payloadType: number; telephoneEventPayloadType?: number; vad: boolean; comfortNoisePayloadType?: number } {
    const codec = this.registry(c.opusSampleRate ?? 16000).get(c.codec);
    if (!codec) throw new CodedError('MEDIA_NO_CODEC', `media worker ${this.init.index}: codec ${c.codec} is not available`);
    return {
      codec,
      payloadType: c.payloadType,
      ...(c.telephoneEventPayloadType !== undefined ? { telephoneEventPayloadType: c.telephoneEventPayloadType } : {}),
      vad: c.vad ?? false,
      ...(c.comfortNoisePayloadType !== undefined ? { comfortNoisePayloadType: c.comfortNoisePayloadType } : {}),
    };
  }

  private async handle(m: WorkerRequest): Promise<unknown> {
    switch (m.op) {
      case 'open':
        return this.open(m.id, m.ports.rtp, m.spec);
      case 'start':
        return this.entry(m.id).stream.start();
      case 'setRemote':
        return this.entry(m.id).stream.setRemote(m.remote);
      case 'setDirection':
        return this.entry(m.id).stream.setDirection(m.direction);
      case 'setCodec':
        return must(this.entry(m.id).stream.setCodec(this.codec(m.codec)));
      case 'setProtection':
        return this.entry(m.id).stream.setProtection(protection(m.srtp));
      case 'setMuted':
        return this.entry(m.id).stream.setMuted(m.muted);
      case 'play':
        return this.play(this.entry(m.id), m.play);
      case 'feed':
        return this.entry(m.id).feed?.push(m.samples);
      case 'tap':
        return this.tap(m.id, m.on);
      case 'dtmf':
        return must(this.entry(m.id).stream.sendDtmf(m.digits, { ...(m.durationMs !== undefined ? { durationMs: m.durationMs } : {}), ...(m.gapMs !== undefined ? { gapMs: m.gapMs } : {}) }));
      case 'stats':
        return this.reportOf(m.id, this.entry(m.id));
      case 'close':
        return this.close(m.id, m.reason);
      case 'clock':
        return this.clockStats(m.reset);
      case 'drill':
        queueMicrotask(() => {
          throw new Error(`media worker ${this.init.index}: crash drill`);
        });
        return undefined;
    }
  }

  private async open(id: number, rtpPort: number, spec: WorkerStreamSpec): Promise<OpenedStream> {
    if (this.streams.has(id)) throw new CodedError('MEDIA_STREAM_EXISTS', `media worker ${this.init.index}: stream ${id} exists`);
    const { candidates, srtp, report, codec: _name, payloadType: _pt, telephoneEventPayloadType: _te, vad: _vad, comfortNoisePayloadType: _cn, opusSampleRate: _rate, ...rest } = spec;
    const opened = must(
      await MediaStream.open({
        ...rest,
        ...this.codec(spec),
        clock: this.clock,
        mediaClock: this.mediaClock,
        // The pair the main thread reserved in the device's range.
        ports: new PortAllocator(rtpPort, rtpPort),
        statsIntervalMs: 0,
        // A worker runs on the system clock: reads may gather (DatagramOpenOptions.coalesceReads).
        coalesceReads: true,
        ...(srtp ? { protection: protection(srtp) } : {}),
        onEvent: (event: MediaStreamEvent) => this.post({ ev: 'event', id, event }),
      }),
    );
    const monitor = candidates ? new ReceivedAudioMonitor(opened.sampleRate, candidates, () => this.clock.now()) : undefined;
    if (monitor) opened.addSink(monitor);
    this.streams.set(id, { stream: opened, report: report ?? false, monitor, feed: undefined, tap: undefined });
    return { localPort: opened.localPort, sampleRate: opened.sampleRate, ptimeMs: opened.ptimeMs };
  }

  private play(e: Entry, p: PlaySpec): void {
    e.feed = p.kind === 'feed' ? new FeedSource(p.sampleRate) : undefined;
    e.stream.play(sourceAt(p.kind === 'feed' ? e.feed! : makeSource(p, e.stream.sampleRate), e.stream.sampleRate));
  }

  private tap(id: number, on: boolean): void {
    const e = this.entry(id);
    if (e.tap) {
      e.tap.remove();
      e.tap.sink.flush();
      e.tap = undefined;
    }
    if (!on) return;
    const sampleRate = e.stream.sampleRate;
    const sink = new TapSink(sampleRate, (samples) => this.post({ ev: 'audio', id, sampleRate, samples }, [samples.buffer as ArrayBuffer]));
    e.tap = { sink, remove: e.stream.addSink(sink) };
  }

  private close(id: number, reason: string | undefined): void {
    const e = this.streams.get(id);
    if (!e) return;
    this.streams.delete(id);
    if (e.tap) {
      e.tap.remove();
      e.tap.sink.flush();
    }
    e.stream.close(reason);
  }

  private reportOf(id: number, e: Entry): StreamReport {
    const heard = e.monitor?.heard();
    return { id, stats: e.stream.stats(), ...(e.monitor ? { level: e.monitor.level() } : {}), ...(heard ? { heard } : {}) };
  }

  private report(): void {
    const items: StreamReport[] = [];
    for (const [id, e] of this.streams) if (e.report) items.push(this.reportOf(id, e));
    if (items.length > 0) this.post({ ev: 'report', items });
  }

  private clockStats(reset: boolean): WorkerClockStats {
    const c = this.mediaClock;
    const udp = batchUdpCounters();
    const s: WorkerClockStats = {
      worker: this.init.index,
      streams: this.streams.size,
      ticks: c.ticks,
      skipped: c.skipped,
      latenessP50Ms: c.latenessPercentile(50),
      latenessP99Ms: c.latenessPercentile(99),
      latenessMaxMs: c.maxLatenessMs,
      cadenceP99Ms: c.cadencePercentile(99),
      cadenceMaxMs: c.maxCadenceMs,
      workP50Ms: c.workPercentile(50),
      workP99Ms: c.workPercentile(99),
      udpRounds: udp.rounds - this.udp.rounds,
      udpDatagrams: udp.datagrams - this.udp.datagrams,
      utilisation: performance.eventLoopUtilization(this.elu).utilization,
    };
    if (reset) {
      c.resetLateness();
      this.elu = performance.eventLoopUtilization();
      this.udp = udp;
    }
    return s;
  }
}

function protection(srtp: NegotiatedSrtp | undefined): SrtpTransform | undefined {
  return srtp ? must(SrtpTransform.create(srtp)) : undefined;
}

function makeSource(p: Exclude<PlaySpec, { kind: 'feed' }>, rate: number): AudioSource {
  switch (p.kind) {
    case 'silence':
      return new SilenceSource(rate);
    case 'tone':
      return new ToneSource(p.spec, p.sampleRate);
    case 'samples':
      return new SamplesSource(p.samples, p.sampleRate, p.loop);
    case 'wav': {
      // The main thread confined the path (call-audio.ts confinedPath) before sending it.
      const wav = must(readWavFile(p.path, rate === 16000 ? 16000 : 8000));
      return new SamplesSource(wav.samples, wav.sampleRate, p.loop);
    }
  }
}

if (!parentPort) throw new Error('media worker: not started as a worker thread');
new MediaWorker(parentPort, workerData as WorkerInit);
