// The one injectable clock (ARCHITECTURE.md "One clock"). Every timer in the product — RFC 3261
// T1/T2/T4 and A–K, registration refresh, dial-plan digits, provisioning schedules, relay
// durations — is set through a Clock, so tests run them in virtual time.
import { TimerQueue, type TimerEntry } from './timer-queue.js';

export interface Timer {
  /** Absolute due time on this clock's monotonic scale. */
  readonly dueMs: number;
  readonly label: string;
  cancel(): void;
}

export interface Clock {
  /** Monotonic milliseconds (arbitrary origin); use for durations and deadlines. */
  now(): number;
  /** Wall-clock time (for Date headers, call logs, daily resync at hh:mm). */
  wallTime(): Date;
  /** Runs `callback` once after `delayMs` (clamped to >= 0). The label shows in diagnostics. */
  setTimer(delayMs: number, callback: () => void, label?: string): Timer;
  /** Runs `callback` every `periodMs`, aimed at absolute deadlines so it does not drift. */
  setPeriodic(periodMs: number, callback: () => void, label?: string): Timer;
}

/** Shared machinery: both clocks keep their timers in one TimerQueue. */
export abstract class QueueClock implements Clock {
  protected readonly queue = new TimerQueue();

  abstract now(): number;
  abstract wallTime(): Date;

  /** Called when the earliest deadline may have changed (SystemClock re-arms its OS timer). */
  protected abstract scheduleChanged(): void;

  setTimer(delayMs: number, callback: () => void, label = 'timer'): Timer {
    if (!Number.isFinite(delayMs)) throw new RangeError(`clock: timer '${label}' delay ${delayMs} is not finite`);
    const entry = this.queue.push(this.now() + Math.max(0, delayMs), callback, label);
    this.scheduleChanged();
    return this.handle(entry);
  }

  setPeriodic(periodMs: number, callback: () => void, label = 'periodic'): Timer {
    if (!(periodMs > 0)) throw new RangeError(`clock: periodic '${label}' needs a period > 0, got ${periodMs}`);
    let entry: TimerEntry;
    let stopped = false;
    const arm = (dueMs: number): void => {
      entry = this.queue.push(dueMs, () => {
        if (stopped) return;
        // Next deadline from the scheduled one, not from "now": no drift (ARCHITECTURE.md figures).
        let next = dueMs + periodMs;
        const now = this.now();
        if (next <= now) next = now + periodMs - ((now - dueMs) % periodMs); // skip missed ticks
        arm(next);
        callback();
      }, label);
    };
    arm(this.now() + periodMs);
    this.scheduleChanged();
    const queue = this.queue;
    return {
      get dueMs() {
        return entry.dueMs;
      },
      label,
      cancel() {
        stopped = true;
        queue.cancel(entry);
      },
    };
  }

  /** Timers not yet fired, in firing order: `[{label, dueMs}]`, for schedule assertions. */
  pendingTimers(): Array<{ label: string; dueMs: number }> {
    return this.queue.pending().map((e) => ({ label: e.label, dueMs: e.dueMs }));
  }

  /** Fires every timer due at or before `nowMs`, in order. Returns how many fired. */
  protected fireDue(nowMs: number): number {
    let fired = 0;
    for (let e = this.queue.popDue(nowMs); e; e = this.queue.popDue(nowMs)) {
      fired++;
      this.runCallback(e);
    }
    return fired;
  }

  protected runCallback(entry: TimerEntry): void {
    entry.callback();
  }

  private handle(entry: TimerEntry): Timer {
    const queue = this.queue;
    return {
      dueMs: entry.dueMs,
      label: entry.label,
      cancel: () => queue.cancel(entry),
    };
  }
}

/**
 * Virtual time for tests: nothing happens until `advance` is called; timers fire in deadline
 * order with `now()` equal to each timer's deadline while its callback runs.
 */
export class VirtualClock extends QueueClock {
  private nowMs: number;
  private readonly wallOriginMs: number;

  constructor(options: { startMs?: number; wallTime?: Date | string } = {}) {
    super();
    this.nowMs = options.startMs ?? 0;
    const wall = options.wallTime ?? '2026-01-01T00:00:00Z';
    this.wallOriginMs = new Date(wall).getTime() - this.nowMs;
  }

  now(): number {
    return this.nowMs;
  }

  wallTime(): Date {
    return new Date(this.wallOriginMs + this.nowMs);
  }

  protected scheduleChanged(): void {}

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`VirtualClock.advance: ${ms} is negative`);
    this.advanceTo(this.nowMs + ms);
  }

  advanceTo(targetMs: number): void {
    if (targetMs < this.nowMs) throw new RangeError(`VirtualClock.advanceTo: ${targetMs} is in the past (now ${this.nowMs})`);
    for (;;) {
      const due = this.queue.peekDueMs();
      if (due === undefined || due > targetMs) break;
      this.nowMs = Math.max(this.nowMs, due);
      this.fireDue(this.nowMs);
    }
    this.nowMs = targetMs;
  }

  /** Advances to the next deadline and fires it; false when no timer is pending. */
  step(): boolean {
    const due = this.queue.peekDueMs();
    if (due === undefined) return false;
    this.advanceTo(Math.max(due, this.nowMs));
    return true;
  }

  /** Fires timers until none is left or `limitMs` of virtual time passed (guards periodic timers). */
  runAll(limitMs = 24 * 3600_000): void {
    const end = this.nowMs + limitMs;
    for (;;) {
      const due = this.queue.peekDueMs();
      if (due === undefined || due > end) return;
      this.advanceTo(Math.max(due, this.nowMs));
    }
  }
}
