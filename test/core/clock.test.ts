import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { EARLY_SLACK_MS, fireLimit, SystemClock } from '../../src/core/system-clock.js';
import { TimerQueue } from '../../src/core/timer-queue.js';

describe('VirtualClock', () => {
  it('fires timers in deadline order with now() at each deadline', () => {
    const clock = new VirtualClock();
    const seen: Array<[string, number]> = [];
    clock.setTimer(500, () => seen.push(['A', clock.now()]), 'A');
    clock.setTimer(100, () => seen.push(['B', clock.now()]), 'B');
    clock.setTimer(100, () => seen.push(['C', clock.now()]), 'C');
    clock.advance(99);
    expect(seen).toEqual([]);
    clock.advance(1);
    expect(seen).toEqual([['B', 100], ['C', 100]]);
    clock.advance(1000);
    expect(seen).toEqual([['B', 100], ['C', 100], ['A', 500]]);
    expect(clock.now()).toBe(1100);
  });

  it('cancels timers, including from inside another callback', () => {
    const clock = new VirtualClock();
    const fired: string[] = [];
    const late = clock.setTimer(200, () => fired.push('late'));
    clock.setTimer(100, () => {
      fired.push('early');
      late.cancel();
    });
    clock.runAll();
    expect(fired).toEqual(['early']);
    expect(clock.pendingTimers()).toEqual([]);
  });

  it('runs timers set by callbacks within the same advance', () => {
    const clock = new VirtualClock();
    const at: number[] = [];
    // RFC 3261 Timer A style doubling chain: 500, 1000, 2000 …
    let interval = 500;
    const fire = (): void => {
      at.push(clock.now());
      interval *= 2;
      if (at.length < 6) clock.setTimer(interval, fire, 'A');
    };
    clock.setTimer(interval, fire, 'A');
    clock.advance(32_000);
    expect(at).toEqual([500, 1500, 3500, 7500, 15500, 31500]);
  });

  it('periodic timers keep absolute deadlines and stop on cancel', () => {
    const clock = new VirtualClock();
    const at: number[] = [];
    const t = clock.setPeriodic(20, () => at.push(clock.now()), 'media-tick');
    clock.advance(100);
    expect(at).toEqual([20, 40, 60, 80, 100]);
    t.cancel();
    clock.advance(100);
    expect(at).toHaveLength(5);
  });

  it('exposes pending timers for schedule assertions', () => {
    const clock = new VirtualClock({ startMs: 1000 });
    clock.setTimer(32_000, () => {}, 'B');
    clock.setTimer(500, () => {}, 'A');
    expect(clock.pendingTimers()).toEqual([
      { label: 'A', dueMs: 1500 },
      { label: 'B', dueMs: 33000 },
    ]);
  });

  it('wall time follows virtual time', () => {
    const clock = new VirtualClock({ wallTime: '2026-11-22T10:00:00Z' });
    clock.advance(90_000);
    expect(clock.wallTime().toISOString()).toBe('2026-11-22T10:01:30.000Z');
  });

  it('rejects going backwards and non-finite delays', () => {
    const clock = new VirtualClock({ startMs: 10 });
    expect(() => clock.advanceTo(5)).toThrow(/past/);
    expect(() => clock.setTimer(Number.NaN, () => {})).toThrow(/finite/);
    expect(() => clock.setPeriodic(0, () => {})).toThrow(/period/);
  });
});

describe('TimerQueue', () => {
  it('orders 1,000 random deadlines like a sort, FIFO on ties', () => {
    const q = new TimerQueue();
    const dues: Array<[number, number]> = [];
    let seed = 12345;
    for (let i = 0; i < 1000; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const due = seed % 100;
      dues.push([due, i]);
      q.push(due, () => {}, String(i));
    }
    const popped: string[] = [];
    for (let e = q.popDue(1000); e; e = q.popDue(1000)) popped.push(e.label);
    const expected = dues.sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, i]) => String(i));
    expect(popped).toEqual(expected);
    expect(q.size).toBe(0);
  });

  it('drops cancelled entries once they outnumber live ones, keeping the order of the rest', () => {
    const q = new TimerQueue();
    const entries = Array.from({ length: 1000 }, (_, i) => q.push(1000 - i, () => {}, String(i)));
    // Cancel nine in ten, as a transaction layer cancels Timer F on every 200.
    for (const [i, e] of entries.entries()) if (i % 10 !== 0) q.cancel(e);
    expect(q.size).toBe(100);
    expect(q.stored).toBeLessThan(300);
    const popped: string[] = [];
    for (let e = q.popDue(2000); e; e = q.popDue(2000)) popped.push(e.label);
    expect(popped).toEqual(Array.from({ length: 100 }, (_, k) => String(990 - 10 * k)));
  });
});

describe('SystemClock', () => {
  it('fires a real timer and isolates a throwing callback', async () => {
    const errors: string[] = [];
    const clock = new SystemClock((_e, label) => errors.push(label));
    const start = clock.now();
    const fired = await new Promise<number>((resolve) => {
      clock.setTimer(5, () => {
        throw new Error('boom');
      }, 'bad');
      clock.setTimer(10, () => resolve(clock.now()), 'good');
    });
    expect(errors).toEqual(['bad']);
    expect(fired - start).toBeGreaterThanOrEqual(9);
    clock.stop();
  });
});

describe('SystemClock early slack', () => {
  it('an OS timer up to 1 ms early runs the timers of the deadline it was armed for, no later ones', () => {
    expect(EARLY_SLACK_MS).toBe(1);
    expect(fireLimit(99.4, 100)).toBe(100); // 0.6 ms early: the deadline's timers run
    expect(fireLimit(99, 100)).toBe(100); // exactly 1 ms early
    expect(fireLimit(98.5, 100)).toBe(98.5); // earlier than that: only what is due (nothing), re-armed
    expect(fireLimit(100.3, 100)).toBe(100.3); // late: everything due by now
    expect(fireLimit(50, undefined)).toBe(50);
  });
});
