// Wake-up sharing for timers that may fire a little early. A process holding thousands of lines
// pays more for each event-loop wake-up (epoll, timer re-arm, context switch) than for the
// JavaScript a refresh runs: 6,000 lines refreshing every 54 s woke the process ~110 times a
// second. Deadlines moved *down* to a whole-grid instant of the shared clock fire together in one
// wake-up, and are never late — a registration refreshed up to one grid step early cannot lapse.

/** Grid for refresh-style timers (registration, subscription): 1 s, the manuals' unit. */
export const REFRESH_GRID_MS = 1000;

/**
 * The delay to pass to `clock.setTimer` so the timer fires at the last grid instant at or before
 * `nowMs + delayMs`. Short timers (under ten grid steps) stay exact, so the early firing never
 * exceeds a tenth of the interval.
 */
export function earlyOnGrid(nowMs: number, delayMs: number, gridMs: number = REFRESH_GRID_MS): number {
  if (!(delayMs >= 10 * gridMs)) return delayMs;
  const dueMs = nowMs + delayMs;
  return Math.floor(dueMs / gridMs) * gridMs - nowMs;
}
