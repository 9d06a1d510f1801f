// Waits (real time, yielding to I/O) until `probe` returns something other than undefined/false.
// For tests where real sockets deliver while a VirtualClock holds the timers.
export async function until<T>(what: string, probe: () => T | undefined | false, ms = 3000): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}
