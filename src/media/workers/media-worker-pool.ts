// Media streams across worker threads (ARCHITECTURE.md "Media": issue 4's 500 G.711 calls on 2
// cores). One JavaScript thread tops out near 1,000 streams per core, so a fleet spreads its
// streams over N workers, each with its own media tick and sockets (worker-main.ts). The main
// thread keeps the port ranges and the call logic; it opens a stream in the least loaded worker
// and steers it through a WorkerMediaStream. A worker that dies ends its streams (an 'error'
// event, then closed, ports released) and is replaced; the main process never goes down with it.
import type { Worker } from 'node:worker_threads';
import type { Clock } from '../../core/clock.js';
import { failure, ok, type Result } from '../../core/result.js';
import type { PortAllocator, PortPair } from '../../rtp/port-allocator.js';
import type { MediaStreamEvent } from '../media-stream.js';
import type { Envelope, OpenedStream, WorkerClockStats, WorkerInit, WorkerMessage, WorkerRequest, WorkerStreamSpec } from './protocol.js';
import { spawnModuleWorker } from './spawn.js';
import { WorkerMediaStream, type StreamChannel } from './worker-stream.js';

export interface MediaWorkerPoolOptions {
  /** Worker threads (the machine's cores, or fewer). */
  workers: number;
  /** The main thread's clock (feed pumps, start timeout). */
  clock: Clock;
  /** Media tick, ms (default 20). */
  periodMs?: number;
  /** Reports of streams opened with `report`, ms (default 1000; 0 = none). */
  reportIntervalMs?: number;
  /** A worker died (uncaught error or exit); its streams have ended already. */
  onWorkerLost?(worker: number, message: string): void;
  /** How long a worker may take to load (default 20 s: a loaded machine compiles TypeScript slowly). */
  startTimeoutMs?: number;
}

export interface OpenStreamOptions {
  /** The range the stream's port pair comes from (the device's RTP_PORT_MIN..MAX). */
  ports: PortAllocator;
  /** Run it in this worker (default: the one with the fewest streams). */
  worker?: number;
  onEvent?(event: MediaStreamEvent): void;
}

const MAX_PORT_TRIES = 8;

/** One worker thread and what the main thread knows of it. */
class WorkerLink implements StreamChannel {
  readonly streams = new Map<number, WorkerMediaStream>();
  codecs: readonly string[] = [];
  private readonly pending = new Map<number, (r: Result<unknown>) => void>();
  private seq = 0;
  private deadReason: string | undefined;
  readonly ready: Promise<Result<void>>;

  constructor(
    readonly index: number,
    private readonly worker: Worker,
    readonly clock: Clock,
    startTimeoutMs: number,
    private readonly onLost: (link: WorkerLink, message: string) => void,
  ) {
    let started: (r: Result<void>) => void = () => undefined;
    this.ready = new Promise((resolve) => (started = resolve));
    const timeout = clock.setTimer(startTimeoutMs, () => started(failure('MEDIA_WORKER_START', `media worker ${index}: not ready after ${startTimeoutMs} ms`)), 'media-worker-start');
    worker.on('message', (m: WorkerMessage) => {
      if (m.ev === 'ready') {
        timeout.cancel();
        this.codecs = m.codecs;
        started(ok(undefined));
      } else this.onMessage(m);
    });
    worker.on('error', (e) => {
      this.deadReason ??= `media worker ${index} crashed: ${e.message}`;
    });
    worker.on('exit', (code) => {
      timeout.cancel();
      const reason = this.deadReason ?? `media worker ${index} exited (code ${code})`;
      this.deadReason = reason;
      started(failure('MEDIA_WORKER_START', reason));
      this.fail(reason);
      this.onLost(this, reason);
    });
  }

  get alive(): boolean {
    return this.deadReason === undefined;
  }

  request(req: WorkerRequest, transfer?: ArrayBuffer[]): Promise<Result<unknown>> {
    if (this.deadReason !== undefined) return Promise.resolve(failure('MEDIA_WORKER_GONE', this.deadReason));
    const seq = ++this.seq;
    return new Promise((resolve) => {
      this.pending.set(seq, resolve);
      const envelope: Envelope = { ...req, seq };
      this.worker.postMessage(envelope, transfer);
    });
  }

  terminate(): Promise<number> {
    this.deadReason ??= `media worker ${this.index} stopped`;
    return this.worker.terminate();
  }

  private onMessage(m: WorkerMessage): void {
    switch (m.ev) {
      case 'reply': {
        const resolve = this.pending.get(m.seq);
        this.pending.delete(m.seq);
        resolve?.(m.ok ? ok(m.value) : failure(m.code, m.message));
        return;
      }
      case 'event':
        this.streams.get(m.id)?.deliver(m.event);
        return;
      case 'audio':
        this.streams.get(m.id)?.deliverAudio(m.samples);
        return;
      case 'report':
        for (const item of m.items) {
          const s = this.streams.get(item.id);
          if (s) s.lastReport = item;
        }
        return;
      case 'ready':
        return;
    }
  }

  /** Everything waiting on this worker fails; its streams end. */
  private fail(reason: string): void {
    for (const resolve of this.pending.values()) resolve(failure('MEDIA_WORKER_GONE', reason));
    this.pending.clear();
    for (const s of [...this.streams.values()]) s.lost(reason);
  }
}

export class MediaWorkerPool {
  private readonly links: WorkerLink[] = [];
  private nextId = 0;
  private closing = false;

  private constructor(private readonly o: MediaWorkerPoolOptions) {}

  /** Starts the workers and waits until each has loaded its codecs. */
  static async start(options: MediaWorkerPoolOptions): Promise<Result<MediaWorkerPool>> {
    if (!(Number.isInteger(options.workers) && options.workers >= 1)) return failure('MEDIA_WORKER_COUNT', `media workers: ${options.workers} is not a positive whole number`);
    const pool = new MediaWorkerPool(options);
    for (let i = 0; i < options.workers; i++) pool.links.push(pool.spawn(i));
    const started = await Promise.all(pool.links.map((l) => l.ready));
    const bad = started.find((r) => !r.ok);
    if (bad && !bad.ok) {
      await pool.close();
      return bad;
    }
    return ok(pool);
  }

  private spawn(index: number): WorkerLink {
    const periodMs = this.o.periodMs ?? 20;
    // Staggered ticks (MediaClock wallPhaseMs): each worker reads the others' packets between its own ticks.
    const init: WorkerInit = { index, periodMs, phaseMs: (index * periodMs) / this.o.workers, reportIntervalMs: this.o.reportIntervalMs ?? 1000 };
    const worker = spawnModuleWorker(new URL('./worker-main.js', import.meta.url), import.meta.url, { workerData: init, name: `media-${index}` });
    return new WorkerLink(index, worker, this.o.clock, this.o.startTimeoutMs ?? 20_000, (link, message) => this.lost(link, message));
  }

  /** A worker died: report it and put a fresh one in its place (unless the pool is closing). */
  private lost(link: WorkerLink, message: string): void {
    if (this.closing || this.links[link.index] !== link) return;
    this.o.onWorkerLost?.(link.index, message);
    this.links[link.index] = this.spawn(link.index);
  }

  get size(): number {
    return this.links.length;
  }

  /** Codec names the workers can run. */
  get codecs(): readonly string[] {
    return this.links.find((l) => l.alive)?.codecs ?? [];
  }

  /** Streams open per worker. */
  get load(): number[] {
    return this.links.map((l) => l.streams.size);
  }

  /**
   * Opens a stream in a worker on a pair from `options.ports` (trying further pairs while a port
   * is taken by someone else, as MediaStream.open does). Nothing is sent before `start()`.
   */
  async open(spec: WorkerStreamSpec, options: OpenStreamOptions): Promise<Result<WorkerMediaStream>> {
    if (this.closing) return failure('MEDIA_WORKER_GONE', 'media workers: the pool is closed');
    const link = this.pick(options.worker);
    if (!link) return failure('MEDIA_WORKER_GONE', 'media workers: no worker is running');
    const started = await link.ready;
    if (!started.ok) return started;
    const taken: number[] = [];
    const releaseTaken = (): void => taken.forEach((p) => options.ports.release(p));
    let lastError = 'no port tried';
    for (let i = 0; i < MAX_PORT_TRIES; i++) {
      const pair = options.ports.allocate();
      if (!pair.ok) {
        releaseTaken();
        return taken.length > 0 ? failure('MEDIA_NO_SOCKET', `media: could not bind an RTP port pair: ${lastError}`) : pair;
      }
      const id = ++this.nextId;
      const r = await link.request({ op: 'open', id, ports: pair.value, spec });
      if (r.ok) {
        releaseTaken();
        return ok(this.adopt(link, id, pair.value, r.value as OpenedStream, options));
      }
      taken.push(pair.value.rtp);
      lastError = r.error.message;
      if (!/EADDRINUSE|in use/i.test(r.error.message)) break;
    }
    releaseTaken();
    return failure('MEDIA_NO_SOCKET', `media: could not open a stream in a worker: ${lastError}`);
  }

  private adopt(link: WorkerLink, id: number, pair: PortPair, opened: OpenedStream, options: OpenStreamOptions): WorkerMediaStream {
    const stream = new WorkerMediaStream(link, id, link.index, pair, opened, options.onEvent?.bind(options), () => {
      link.streams.delete(id);
      options.ports.release(pair.rtp);
    });
    link.streams.set(id, stream);
    return stream;
  }

  private pick(index: number | undefined): WorkerLink | undefined {
    if (index !== undefined) return this.links[index % this.links.length];
    let best: WorkerLink | undefined;
    for (const l of this.links) if (l.alive && (!best || l.streams.size < best.streams.size)) best = l;
    return best;
  }

  /** Each worker's media tick lateness and load since the last reset. */
  async clockStats(reset = false): Promise<Array<Result<WorkerClockStats>>> {
    return Promise.all(this.links.map(async (l) => {
      const r = await l.request({ op: 'clock', reset });
      return r.ok ? ok(r.value as WorkerClockStats) : r;
    }));
  }

  /** Crash drill (tests): the worker throws from its event loop. */
  drill(worker: number): void {
    void this.links[worker]?.request({ op: 'drill' });
  }

  /** Closes every stream (RTCP BYE), then stops the workers. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await Promise.all(this.links.flatMap((l) => [...l.streams.values()].map((s) => s.close('pool closed'))));
    await Promise.all(this.links.map((l) => l.terminate()));
  }
}
