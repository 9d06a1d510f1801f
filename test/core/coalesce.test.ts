import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { earlyOnGrid, REFRESH_GRID_MS } from '../../src/core/coalesce.js';

describe('earlyOnGrid', () => {
  it('moves a long deadline down to the last whole grid instant, never later than asked', () => {
    expect(REFRESH_GRID_MS).toBe(1000);
    // Registered at 20 ms, refresh due 54 s later: fires at 54.000 s, 20 ms early.
    expect(earlyOnGrid(20, 54_000)).toBe(53_980);
    // Already on the grid: unchanged.
    expect(earlyOnGrid(1000, 54_000)).toBe(54_000);
    // At most one grid step early.
    expect(earlyOnGrid(999, 54_000)).toBe(53_001);
  });

  it('leaves short timers exact (under ten grid steps), and odd values alone', () => {
    expect(earlyOnGrid(20, 9_999)).toBe(9_999);
    expect(earlyOnGrid(20, 10_000)).toBe(9_980);
    expect(earlyOnGrid(20, 0)).toBe(0);
    expect(earlyOnGrid(20, Number.NaN)).toBeNaN();
    expect(earlyOnGrid(250, 3_000, 100)).toBe(2_950);
  });

  it('makes timers of many lines set at different instants fire in one clock wake-up', () => {
    const clock = new VirtualClock();
    const fired: number[] = [];
    for (let i = 0; i < 100; i++) {
      clock.advance(7); // lines registered 7 ms apart
      clock.setTimer(earlyOnGrid(clock.now(), 54_000), () => fired.push(clock.now()));
    }
    clock.advance(60_000);
    expect(fired).toHaveLength(100);
    expect(new Set(fired)).toEqual(new Set([54_000]));
  });
});
