// The shared media tick (ARCHITECTURE.md "One clock": a fleet shares one 20 ms tick that drives
// every RTP session). One timer chain aimed at absolute deadlines start + k × period on the
// injected Clock, so it does not drift; missed ticks are skipped, not bunched (ARCHITECTURE.md
// figures: setInterval drifted +103 ms in 10 s, absolute deadlines had 0.8 ms p99 lateness).
// Lateness of every tick is kept in a histogram for the fleet benchmark.
import type { Clock, Timer } from '../core/clock.js';

/**
 * `tick` numbers the deadlines since the clock (re)started, skipped ones included: a handler
 * seeing a jump of more than one knows how many periods it missed (and keeps its RTP timestamps
 * and playout in step with real time).
 */
export type TickHandler = (nowMs: number, tick: number) => void;

export interface MediaClockSubscription {
  cancel(): void;
}

/** A subscriber and when its handler last started (for the cadence histogram). */
interface Entry {
  readonly handler: TickHandler;
  lastAt: number;
  lastTick: number;
}

/** 0.1 ms bins up to 200 ms; later ticks land in the last bin. */
const BIN_MS = 0.1;
const BINS = 2000;

export class MediaClock {
  /** Ticks fired since creation. */
  ticks = 0;
  /** Deadlines skipped because the previous tick ran past them. */
  skipped = 0;
  private readonly handlers = new Set<Entry>();
  private timer: Timer | undefined;
  private dueMs = 0;
  private dueIndex = 0;
  private readonly lateness = new Histogram();
  /**
   * How far each subscriber's handler started from its own cadence (its previous start plus the
   * periods since): the jitter its packets leave with. A stream late in a long tick starts at
   * the same offset every time, which is a phase, not jitter; this measures what varies.
   */
  private readonly cadence = new Histogram();
  /** How long the handlers of one tick ran, ms (the work that must stay under ~2 ms). */
  private readonly work = new Histogram();

  constructor(
    readonly clock: Clock,
    /** Tick period, ms: every stream's ptime must be a multiple of it (20 ms covers 20/40). */
    readonly periodMs = 20,
    /**
     * Tick at this offset into the wall clock's periods (± its 1 ms resolution) instead of one
     * period after the first subscriber. Media workers tick staggered (worker k of n at
     * k × period / n): the packets one worker sends in its tick reach the others midway between
     * their ticks, where they are read at once, instead of landing on a deadline and making that
     * tick wait for them (2 workers, 100 pairs, ticking together: one worker late by 2.2 ms at
     * p50 while 14 % busy).
     */
    private readonly wallPhaseMs?: number,
  ) {
    if (!(periodMs > 0)) throw new RangeError(`media-clock: period ${periodMs} must be > 0`);
  }

  /** Calls `handler` on every tick until cancelled; the clock runs while anyone listens. */
  subscribe(handler: TickHandler): MediaClockSubscription {
    const entry: Entry = { handler, lastAt: 0, lastTick: -1 };
    this.handlers.add(entry);
    if (this.timer === undefined) {
      // The next instant (within one period) whose wall time is ≡ wallPhaseMs (mod period).
      const into = this.wallPhaseMs === undefined ? 0 : (((this.clock.wallTime().getTime() - this.wallPhaseMs) % this.periodMs) + this.periodMs) % this.periodMs;
      this.dueMs = this.clock.now() + this.periodMs - into;
      this.dueIndex = 0;
      this.arm();
    }
    return {
      cancel: () => {
        this.handlers.delete(entry);
        if (this.handlers.size === 0) {
          this.timer?.cancel();
          this.timer = undefined;
        }
      },
    };
  }

  get subscribers(): number {
    return this.handlers.size;
  }

  /** Tick lateness percentile (0–100) in ms since the last reset (0.1 ms resolution, rounded down). */
  latenessPercentile(p: number): number {
    return this.lateness.percentile(p);
  }

  get maxLatenessMs(): number {
    return this.lateness.max;
  }

  /** Percentile of how far each handler started from its own cadence, ms (see `cadence`). */
  cadencePercentile(p: number): number {
    return this.cadence.percentile(p);
  }

  get maxCadenceMs(): number {
    return this.cadence.max;
  }

  /** Percentile of the time one tick's handlers ran, ms. */
  workPercentile(p: number): number {
    return this.work.percentile(p);
  }

  get maxWorkMs(): number {
    return this.work.max;
  }

  resetLateness(): void {
    this.lateness.reset();
    this.cadence.reset();
    this.work.reset();
    this.skipped = 0;
  }

  private arm(): void {
    this.timer = this.clock.setTimer(this.dueMs - this.clock.now(), () => this.fire(), 'media-tick');
  }

  private fire(): void {
    const now = this.clock.now();
    this.lateness.add(Math.max(0, now - this.dueMs));
    this.ticks++;
    const tick = this.dueIndex;
    // Snapshot: a handler may (un)subscribe during the tick.
    for (const e of [...this.handlers]) {
      const at = this.clock.now();
      if (e.lastTick >= 0) this.cadence.add(Math.abs(at - e.lastAt - (tick - e.lastTick) * this.periodMs));
      e.lastAt = at;
      e.lastTick = tick;
      e.handler(now, tick);
    }
    this.work.add(this.clock.now() - now);
    if (this.handlers.size === 0) {
      this.timer = undefined;
      return;
    }
    this.dueMs += this.periodMs;
    this.dueIndex++;
    const after = this.clock.now();
    if (this.dueMs <= after) {
      const missed = Math.floor((after - this.dueMs) / this.periodMs) + 1;
      this.skipped += missed;
      this.dueMs += missed * this.periodMs;
      this.dueIndex += missed;
    }
    this.arm();
  }
}

/** Milliseconds in BIN_MS bins, for percentiles without keeping samples. */
class Histogram {
  private readonly bins = new Uint32Array(BINS);
  private count = 0;
  max = 0;

  add(ms: number): void {
    this.bins[Math.min(BINS - 1, Math.floor(ms / BIN_MS))]!++;
    this.count++;
    if (ms > this.max) this.max = ms;
  }

  percentile(p: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil((p / 100) * this.count));
    let seen = 0;
    for (let i = 0; i < BINS; i++) {
      seen += this.bins[i]!;
      if (seen >= rank) return i === BINS - 1 ? this.max : i * BIN_MS;
    }
    return this.max;
  }

  reset(): void {
    this.bins.fill(0);
    this.count = 0;
    this.max = 0;
  }
}
