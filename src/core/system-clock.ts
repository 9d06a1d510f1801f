// The only place that touches real timers and real time (lint: no-restricted-globals).
// One OS timer is armed for the earliest deadline of the shared queue, so a fleet of a thousand
// phones costs one setTimeout, not thousands.
import { QueueClock } from './clock.js';
import type { TimerEntry } from './timer-queue.js';

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
    this.osTimer = undefined;
    this.armedFor = undefined;
    this.fireDue(this.now());
    this.scheduleChanged();
  }
}
