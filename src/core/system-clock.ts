// The only place that touches real timers and real time (lint: no-restricted-globals).
// One OS timer is armed for the earliest deadline of the shared queue, so a fleet of a thousand
// phones costs one setTimeout, not thousands.
import { QueueClock } from './clock.js';
import type { TimerEntry } from './timer-queue.js';

/** How early a timer may run (see onOsTimer); VirtualClock runs every timer exactly on time. */
export const EARLY_SLACK_MS = 1;

export type TimerErrorHandler = (error: unknown, label: string) => void;

export class SystemClock extends QueueClock {
  private armedFor: number | undefined;
  private osTimer: NodeJS.Timeout | undefined;
  private readonly origin = performance.now();
  private onError: TimerErrorHandler;

  constructor(onError?: TimerErrorHandler) {
    super();
    this.onError =
      onError ??
      ((error, label) => {
        process.emitWarning(`timer '${label}' threw: ${error instanceof Error ? error.stack : String(error)}`);
      });
  }

  setErrorHandler(handler: TimerErrorHandler): void {
    this.onError = handler;
  }

  now(): number {
    return performance.now() - this.origin;
  }

  wallTime(): Date {
    return new Date(Date.now());
  }

  /** Stops the OS timer so the process can exit; pending timers stay queued. */
  stop(): void {
    if (this.osTimer) clearTimeout(this.osTimer);
    this.osTimer = undefined;
    this.armedFor = undefined;
  }

  protected override runCallback(entry: TimerEntry): void {
    // A faulty timer callback must not take the other phones of a fleet down with it.
    try {
      entry.callback();
    } catch (error) {
      this.onError(error, entry.label);
    }
  }

  protected scheduleChanged(): void {
    const due = this.queue.peekDueMs();
    if (due === undefined) {
      this.stop();
      return;
    }
    if (this.armedFor !== undefined && this.armedFor <= due) return;
    if (this.osTimer) clearTimeout(this.osTimer);
    this.armedFor = due;
    this.osTimer = setTimeout(() => this.onOsTimer(), Math.max(0, due - this.now()));
  }

  private onOsTimer(): void {
    const armed = this.armedFor;
    this.osTimer = undefined;
    this.armedFor = undefined;
    // Node runs a timer on whole milliseconds of a loop time cached at the start of the loop
    // iteration, so the OS timer may come a fraction of a millisecond before the deadline it was
    // armed for. The timers of that deadline then run now: re-arming for the fraction would cost
    // a whole extra millisecond (setTimeout's minimum) and made an idle 20 ms media tick late by
    // 1.1 ms at p99 (0.2 ms with this). Only timers due by that deadline run early.
    this.fireDue(fireLimit(this.now(), armed));
    this.scheduleChanged();
  }
}

/** Timers due by this instant run when the OS timer armed for `armedForMs` fires at `nowMs`. */
export function fireLimit(nowMs: number, armedForMs: number | undefined): number {
  return armedForMs !== undefined && armedForMs - nowMs <= EARLY_SLACK_MS ? Math.max(nowMs, armedForMs) : nowMs;
}
