// The shared media tick: absolute deadlines (no drift), one timer for any number of streams,
// skipped (not bunched) ticks after a stall, lateness percentiles, stop when nobody listens.
import { describe, expect, it } from 'vitest';
import { VirtualClock, type Clock } from '../../src/core/clock.js';
import { MediaClock } from '../../src/media/media-clock.js';

describe('MediaClock', () => {
  it('ticks every 20 ms on absolute deadlines and shares one timer among subscribers', () => {
    const clock = new VirtualClock({ startMs: 5 });
    const mc = new MediaClock(clock);
    const a: number[] = [];
    const b: number[] = [];
    mc.subscribe((now) => a.push(now));
    mc.subscribe((now, tick) => b.push(tick));
    expect(clock.pendingTimers().filter((t) => t.label === 'media-tick')).toHaveLength(1);
    clock.advance(100);
    expect(a).toEqual([25, 45, 65, 85, 105]);
    expect(b).toEqual([0, 1, 2, 3, 4]);
    expect(mc.latenessPercentile(99)).toBe(0);
  });

  it('a slow tick is measured as lateness of the next deadline, and missed deadlines are skipped', () => {
    // A clock whose time jumps forward while a handler runs (a 50 ms stall at the 2nd tick).
    const vc = new VirtualClock();
    let extra = 0;
    const clock: Clock = {
      now: () => vc.now() + extra,
      wallTime: () => vc.wallTime(),
      setTimer: (ms, fn, label) => vc.setTimer(ms, fn, label),
      setPeriodic: (ms, fn, label) => vc.setPeriodic(ms, fn, label),
    };
    const mc = new MediaClock(clock);
    const at: number[] = [];
    mc.subscribe((now, tick) => {
      at.push(now);
      if (tick === 1) extra += 50;
    });
    vc.advance(200);
    // Ticks at 20, 40; the stall ends at 90: deadlines 60 and 80 are skipped, next is 100.
    expect(at.slice(0, 3)).toEqual([20, 40, 100]);
    expect(mc.skipped).toBe(2);
    expect(mc.maxWorkMs).toBe(50); // the handler's stall is measured as tick work
    expect(mc.maxLatenessMs).toBe(0); // the stall delayed the next tick's deadline, not its firing
  });

  it('lateness percentiles from a real clock-like source', () => {
    const vc = new VirtualClock();
    let n = 0;
    const clock: Clock = {
      now: () => vc.now(),
      wallTime: () => vc.wallTime(),
      // Every 10th timer fires 3 ms late.
      setTimer: (ms, fn, label) => vc.setTimer(ms + (++n % 10 === 0 ? 3 : 0), fn, label),
      setPeriodic: (ms, fn, label) => vc.setPeriodic(ms, fn, label),
    };
    const mc = new MediaClock(clock);
    mc.subscribe(() => {});
    vc.advance(20 * 1000 + 10);
    expect(mc.ticks).toBe(1000);
    expect(mc.latenessPercentile(50)).toBe(0);
    expect(mc.latenessPercentile(89)).toBe(0);
    expect(mc.latenessPercentile(95)).toBeCloseTo(3, 5);
    expect(mc.maxLatenessMs).toBe(3);
    mc.resetLateness();
    expect(mc.latenessPercentile(99)).toBe(0);
  });

  it('on a wall-clock phase, media clocks started at different instants tick at that phase', () => {
    // Two threads' clocks: different monotonic origins, one wall clock (here 7 ms past a 20 ms edge).
    const wallTicks = (startMs: number, startAfterMs: number, phaseMs: number): number[] => {
      const clock = new VirtualClock({ startMs, wallTime: '2026-01-01T00:00:00.007Z' });
      clock.advance(startAfterMs);
      const mc = new MediaClock(clock, 20, phaseMs);
      const seen: number[] = [];
      mc.subscribe(() => seen.push(clock.wallTime().getTime() % 1000));
      clock.advance(70);
      return seen;
    };
    expect(wallTicks(1000, 3, 0)).toEqual([20, 40, 60, 80]); // subscribed at wall .010: first tick at .020
    expect(wallTicks(50, 11, 0)).toEqual([20, 40, 60, 80]); // subscribed at wall .018
    // Worker 1 of 2 ticks half a period later.
    expect(wallTicks(50, 11, 10)).toEqual([30, 50, 70]);
    expect(wallTicks(50, 1, 10)).toEqual([10, 30, 50, 70]); // subscribed at .008: first tick at .010
    // Without a phase (the default), the ticks follow the subscription instant.
    const c = new VirtualClock({ wallTime: '2026-01-01T00:00:00.007Z' });
    const mc = new MediaClock(c, 20);
    const seen: number[] = [];
    mc.subscribe(() => seen.push(c.wallTime().getTime() % 1000));
    c.advance(45);
    expect(seen).toEqual([27, 47]);
  });

  it('stops when the last subscriber leaves and restarts on the next one', () => {
    const clock = new VirtualClock();
    const mc = new MediaClock(clock);
    const s = mc.subscribe(() => {});
    clock.advance(50);
    s.cancel();
    expect(mc.subscribers).toBe(0);
    expect(clock.pendingTimers()).toHaveLength(0);
    const at: number[] = [];
    mc.subscribe((now) => at.push(now));
    clock.advance(45);
    expect(at).toEqual([70, 90]);
    expect(() => new MediaClock(clock, 0)).toThrow(RangeError);
  });

  it('a handler that unsubscribes during a tick does not stop the others', () => {
    const clock = new VirtualClock();
    const mc = new MediaClock(clock);
    let count = 0;
    const s = mc.subscribe(() => s.cancel());
    mc.subscribe(() => count++);
    clock.advance(100);
    expect(count).toBe(5);
  });

  it('cadence: a fixed offset inside a long tick is no jitter; a late tick is, once each way', () => {
    // Time moves 2 ms while the first handler runs (a long tick), and the 4th timer fires 3 ms late.
    const vc = new VirtualClock();
    let extra = 0;
    let n = 0;
    const clock: Clock = {
      now: () => vc.now() + extra,
      wallTime: () => vc.wallTime(),
      // Re-armed from inside the tick (now = real + extra): aimed at the real deadline again.
      setTimer: (ms, fn, label) =>
        vc.setTimer(
          ms + extra + (++n === 4 ? 3 : 0),
          () => {
            extra = 0;
            fn();
          },
          label,
        ),
      setPeriodic: (ms, fn, label) => vc.setPeriodic(ms, fn, label),
    };
    const mc = new MediaClock(clock);
    const second: number[] = [];
    mc.subscribe(() => (extra = 2));
    mc.subscribe(() => second.push(clock.now()));
    vc.advance(20 * 10 + 5);
    // The second handler always starts 2 ms after its tick: a phase, and 0 in the histogram…
    expect(second.slice(0, 3).map((t, i) => t - 20 * (i + 1))).toEqual([2, 2, 2]);
    // …except around the late tick: 3 ms later than its cadence, then 3 ms early back onto it.
    expect(mc.maxCadenceMs).toBe(3);
    expect(mc.cadencePercentile(75)).toBe(0); // 14 of the 18 starts on cadence, 4 off (2 handlers × 2)
    expect(mc.cadencePercentile(95)).toBeCloseTo(3, 5);
    mc.resetLateness();
    expect(mc.maxCadenceMs).toBe(0);
  });
});
