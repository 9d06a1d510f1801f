// The main thread's handle on a MediaStream running in a media worker (media-worker-pool.ts):
// the same verbs as MediaStream, sent as protocol.ts requests. Cheap steering calls (start,
// setRemote, mute, play) are fire-and-forget, their failures come back as 'error' events; those
// whose outcome matters return a Promise of a Result. An AudioSource of the main thread is
// played by feeding its frames ahead of time (FEED_LEAD_MS); sinks get the decoded audio in
// TAP_BATCH_MS batches.
import { frameSamples, type AudioSource } from '../../codecs/audio-source.js';
import type { AudioSink } from '../../codecs/audio-sink.js';
import type { Clock, Timer } from '../../core/clock.js';
import { failure, ok, type Result } from '../../core/result.js';
import type { PortPair } from '../../rtp/port-allocator.js';
import type { NegotiatedSrtp } from '../../rtp/srtp.js';
import type { MediaDirection, MediaStreamEvent, RemoteMedia } from '../media-stream.js';
import { sinkAt } from '../rate-adapter.js';
import type { OpenedStream, PlaySpec, StreamReport, WorkerCodec, WorkerRequest } from './protocol.js';

/** How the handle reaches its worker (the pool's link). */
export interface StreamChannel {
  readonly clock: Clock;
  request(req: WorkerRequest, transfer?: ArrayBuffer[]): Promise<Result<unknown>>;
}

/** Audio of a main-thread source is fed this far ahead of the worker's playout. */
export const FEED_LEAD_MS = 200;
const PUMP_PERIOD_MS = 40;

type Request<K extends WorkerRequest['op']> = Omit<Extract<WorkerRequest, { op: K }>, 'id' | 'op'>;

export class WorkerMediaStream {
  readonly localPort: number;
  readonly sampleRate: number;
  readonly ptimeMs: number;
  /** The last periodic report (streams opened with `report`), or the last stats() answer. */
  lastReport: StreamReport | undefined;
  private closedFlag = false;
  private closing: Promise<void> | undefined;
  private pump: Timer | undefined;
  private readonly sinks = new Set<AudioSink>();

  constructor(
    private readonly channel: StreamChannel,
    readonly id: number,
    /** Index of the worker running the stream. */
    readonly worker: number,
    readonly ports: PortPair,
    opened: OpenedStream,
    private readonly onEvent: ((event: MediaStreamEvent) => void) | undefined,
    private readonly onClosed: () => void,
  ) {
    this.localPort = opened.localPort;
    this.sampleRate = opened.sampleRate;
    this.ptimeMs = opened.ptimeMs;
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  private send<K extends WorkerRequest['op']>(op: K, body: Request<K>, transfer?: ArrayBuffer[]): Promise<Result<unknown>> {
    if (this.closedFlag) return Promise.resolve(failure('MEDIA_CLOSED', `media: stream ${this.id} is closed`));
    return this.channel.request({ op, id: this.id, ...body } as unknown as WorkerRequest, transfer);
  }

  /** Fire-and-forget: a failure is reported as an 'error' event. */
  private tell<K extends WorkerRequest['op']>(op: K, body: Request<K>, transfer?: ArrayBuffer[]): void {
    void this.send(op, body, transfer).then((r) => {
      if (!r.ok && !this.closedFlag) this.onEvent?.({ type: 'error', message: r.error.message });
    });
  }

  start(): void {
    this.tell('start', {});
  }

  setRemote(remote: RemoteMedia): void {
    this.tell('setRemote', { remote });
  }

  async setDirection(direction: MediaDirection): Promise<Result<void>> {
    return done(await this.send('setDirection', { direction }));
  }

  async setCodec(codec: WorkerCodec): Promise<Result<void>> {
    return done(await this.send('setCodec', { codec }));
  }

  async setProtection(srtp: NegotiatedSrtp | undefined): Promise<Result<void>> {
    return done(await this.send('setProtection', { srtp }));
  }

  setMuted(muted: boolean): void {
    this.tell('setMuted', { muted });
  }

  /** Plays a described source (made in the worker) or a main-thread AudioSource (fed ahead). */
  play(what: PlaySpec | AudioSource): void {
    this.pump?.cancel();
    this.pump = undefined;
    if ('kind' in what) return this.tell('play', { play: what });
    const source = what;
    this.tell('play', { play: { kind: 'feed', sampleRate: source.sampleRate } });
    const frame = frameSamples(source.sampleRate, this.ptimeMs);
    const t0 = this.channel.clock.now();
    let fed = 0;
    const feed = (): void => {
      const due = Math.floor(((this.channel.clock.now() - t0 + FEED_LEAD_MS) * source.sampleRate) / 1000 / frame) * frame;
      if (due <= fed || this.closedFlag) return;
      const chunk = new Int16Array(due - fed);
      for (let i = 0; i < chunk.length && !source.ended; i += frame) source.read(chunk.subarray(i, i + frame));
      fed = due;
      this.tell('feed', { samples: chunk }, [chunk.buffer]);
      if (source.ended) {
        this.pump?.cancel();
        this.pump = undefined;
      }
    };
    this.pump = this.channel.clock.setPeriodic(PUMP_PERIOD_MS, feed, 'media-worker-feed');
    feed();
  }

  /** Adds a sink (8 or 16 kHz) for the decoded received audio; returns its remover. */
  addSink(sink: AudioSink): () => void {
    const adapted = sinkAt(sink, this.sampleRate);
    this.sinks.add(adapted);
    if (this.sinks.size === 1) this.tell('tap', { on: true });
    return () => {
      if (!this.sinks.delete(adapted)) return;
      if (this.sinks.size === 0) this.tell('tap', { on: false });
    };
  }

  async sendDtmf(digits: string, options: { durationMs?: number; gapMs?: number } = {}): Promise<Result<void>> {
    return done(await this.send('dtmf', { digits, ...options }));
  }

  /** Fresh statistics from the worker (also kept as `lastReport`). */
  async stats(): Promise<Result<StreamReport>> {
    const r = await this.send('stats', {});
    if (!r.ok) return r;
    this.lastReport = r.value as StreamReport;
    return ok(this.lastReport);
  }

  /** Ends the stream in its worker (RTCP BYE, sockets closed); then the port pair is released. */
  close(reason?: string): Promise<void> {
    this.closing ??= (async () => {
      this.pump?.cancel();
      const r = await this.send('close', reason !== undefined ? { reason } : {});
      void r; // a dead worker closed it already
      this.end();
    })();
    return this.closing;
  }

  // ---- from the pool ---------------------------------------------------------------------

  /** An event from the worker. */
  deliver(event: MediaStreamEvent): void {
    if (event.type === 'stats') this.lastReport = { ...this.lastReport, id: this.id, stats: event.stats };
    this.onEvent?.(event);
  }

  /** Decoded received audio (a tapped stream), split into ptime frames for the sinks. */
  deliverAudio(samples: Int16Array): void {
    const frame = frameSamples(this.sampleRate, this.ptimeMs);
    for (let i = 0; i < samples.length; i += frame) {
      const f = samples.subarray(i, Math.min(samples.length, i + frame));
      for (const s of this.sinks) s.write(f);
    }
  }

  /** The worker died: the stream ends here (no more requests), its ports go back. */
  lost(message: string): void {
    if (this.closedFlag) return;
    this.onEvent?.({ type: 'error', message });
    this.end();
  }

  private end(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.pump?.cancel();
    this.pump = undefined;
    this.sinks.clear();
    this.onClosed();
  }
}

function done(r: Result<unknown>): Result<void> {
  return r.ok ? ok(undefined) : r;
}
