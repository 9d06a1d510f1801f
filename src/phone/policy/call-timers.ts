// Per-call timers of the policies (auto answer, forward on no answer, no-answer hang-up, talk
// limit, hotline), all on the injected Clock, each cancelled by name or with its call.
import type { Clock, Timer } from '../../core/clock.js';

export class CallTimers {
  private readonly timers = new Map<string, Map<string, Timer>>();

  constructor(private readonly clock: Clock) {}

  /** (Re)starts timer `name` of `key` (a call id, or `line:n` for the hotline). */
  set(key: string, name: string, ms: number, fn: () => void): void {
    this.cancel(key, name);
    let byName = this.timers.get(key);
    if (!byName) this.timers.set(key, (byName = new Map()));
    byName.set(
      name,
      this.clock.setTimer(
        ms,
        () => {
          this.timers.get(key)?.delete(name);
          fn();
        },
        `${name} ${key}`,
      ),
    );
  }

  has(key: string, name: string): boolean {
    return this.timers.get(key)?.has(name) ?? false;
  }

  /** Cancels one timer, or every timer of `key`. */
  cancel(key: string, name?: string): void {
    const byName = this.timers.get(key);
    if (!byName) return;
    for (const [n, t] of byName) {
      if (name !== undefined && n !== name) continue;
      t.cancel();
      byName.delete(n);
    }
    if (byName.size === 0) this.timers.delete(key);
  }

  cancelAll(): void {
    for (const key of [...this.timers.keys()]) this.cancel(key);
  }
}
