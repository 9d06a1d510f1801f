// Registered-lines benchmark (issue 3): one process holds N lines (default 6,000), each a real
// line stack as a phone has it — its own UdpTransport socket on 127.0.0.1, TransactionLayer and
// RegistrationDriver — registered with digest auth against Kamailio on loopback and refreshing
// (default expiry 60 s, refresh at 90 % = every 54 s). After a staggered start (phones do not boot
// in the same millisecond) and once every line is registered, the process's CPU time
// (process.cpuUsage, user + system) is measured over windows of one full refresh cycle each
// (from when the first refresh is due, so the ramp is over), as % of one core; the figure is the
// median of the windows. Target: < 5 %.
// Run: npx tsx bench/sip-registrations.ts [--lines 6000] [--expires 60] [--refresh 90] [--ramp 20] [--window 54] [--windows 3]
//   [--no-floor]   (skip the raw-UDP reference, bench/udp-floor.ts)
//   [--profile out.cpuprofile]   (V8 CPU profile of the main thread over the window only)
//   [--coalesce-ms N]   EXPERIMENT, not what the product does: round every timer deadline up to a
//                       multiple of N ms so timers due close together fire in one event-loop
//                       wake-up (the cost per wake-up, not the JavaScript, dominates here).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg } from 'node:os';
import { silentLogger } from '../src/core/logger.js';
import { SystemClock } from '../src/core/system-clock.js';
import { defaultLineSettings } from '../src/settings/canonical.js';
import { createResponse } from '../src/sip/message/index.js';
import { RegistrationDriver, registrationConfigFromLine } from '../src/sip/registration/index.js';
import { TransactionLayer } from '../src/sip/transaction/transaction-layer.js';
import { UdpTransport } from '../src/sip/transport/index.js';
import { startKamailio, type Kamailio } from '../test/peers/kamailio.js';
import { delay } from '../test/peers/process.js';
import { runUdpFloor } from './udp-floor.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const LINES = arg('--lines', 6000);
const EXPIRES_S = arg('--expires', 60);
const REFRESH_PERCENT = arg('--refresh', 90);
const RAMP_S = arg('--ramp', 20);
const REFRESH_S = (EXPIRES_S * REFRESH_PERCENT) / 100;
// Default: exactly one refresh cycle, starting when the first line's first refresh is due (the
// ramp's challenges and their transactions are over by then), so every line refreshes once inside
// it. A shorter --window (e.g. the idle cost with a long expiry) is flagged in the table.
const WINDOW_S = arg('--window', REFRESH_S);
const WINDOWS = Math.max(1, arg('--windows', 3));
const FLOOR = !process.argv.includes('--no-floor');
const TARGET_PERCENT = 5;
const COALESCE_MS = arg('--coalesce-ms', 0);

/** SystemClock whose deadlines are rounded up to a COALESCE_MS grid (see --coalesce-ms). */
class CoalescingClock extends SystemClock {
  override setTimer(delayMs: number, callback: () => void, label?: string): ReturnType<SystemClock['setTimer']> {
    const due = this.now() + Math.max(0, delayMs);
    return super.setTimer(Math.ceil(due / COALESCE_MS) * COALESCE_MS - this.now(), callback, label);
  }
}
const PROFILE = process.argv.includes('--profile') ? process.argv[process.argv.indexOf('--profile') + 1] : undefined;
const USER_AGENT = 'Panasonic_KX-UT670/01.070 (0080f0000001)';

interface Line {
  readonly transport: UdpTransport;
  readonly layer: TransactionLayer;
  readonly driver: RegistrationDriver;
  registered: number;
  refreshed: number;
  failed: number;
}

function fdLimit(): string {
  try {
    return execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
  } catch {
    return '?';
  }
}

/** CPU ms per thread name (main thread, V8 GC/compiler workers, libuv pool) from /proc (Linux). */
function threadCpu(): Map<string, number> {
  const out = new Map<string, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const name = readFileSync(`/proc/self/task/${tid}/comm`, 'utf8').trim().replace(/[0-9]+$/, '');
      const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime (fields 14, 15)
      out.set(name, (out.get(name) ?? 0) + ticks * 10); // USER_HZ = 100 on Linux
    }
  } catch {
    // Not Linux: the row says so.
  }
  return out;
}

function threadCpuDelta(before: Map<string, number>, after: Map<string, number>): string {
  const rows = [...after].map(([name, ms]) => [name, ms - (before.get(name) ?? 0)] as const).filter(([, ms]) => ms > 0);
  if (rows.length === 0) return 'n/a';
  return rows.sort((a, b) => b[1] - a[1]).map(([name, ms]) => `${name} ${ms}`).join(', ');
}

const mb = (bytes: number): string => `${(bytes / 1048576).toFixed(0)} MB`;

async function main(): Promise<void> {
  const limit = fdLimit();
  if (limit !== 'unlimited' && Number(limit) < LINES + 200) {
    throw new Error(`ulimit -n is ${limit}: ${LINES} sockets (one per line) need more; raise it or pass --lines`);
  }
  const users = Array.from({ length: LINES }, (_, i) => ({ user: String(100000 + i), password: `pw-${i}` }));
  // Thousands of htable assignments in the config need more private memory than the harness default.
  const kamailio: Kamailio = await startKamailio({ users, minExpires: 1, logLevel: 1, startTimeoutMs: 60_000, privateMemoryMb: 64, sharedMemoryMb: 128 });
  const clock = COALESCE_MS > 0 ? new CoalescingClock() : new SystemClock();
  const lines: Line[] = [];
  // One root logger whose children the transports take, as on a device (createDevice passes its
  // logger down). Without it every transport builds its own silent pino instance: ~6.5 KB of
  // heap per line (~40 MB for 6,000) that the major GC then marks over and over.
  const logger = silentLogger();
  try {
    for (let i = 0; i < LINES; i++) {
      const transport = new UdpTransport({ address: '127.0.0.1', port: 0, clock, logger });
      await transport.start();
      const layer = new TransactionLayer({
        clock,
        send: (message, peer) => transport.send(message, peer),
        tu: { onRequest: (request, tx) => tx?.respond(createResponse(request, 405)) },
      });
      transport.events.on('message', ({ message, source }) => layer.receive(message, source));
      const lineNo = (i % 6) + 1;
      const settings = { ...defaultLineSettings(lineNo), phoneNumber: users[i]!.user, serviceDomain: kamailio.domain, authId: users[i]!.user, password: users[i]!.password };
      settings.registration = { ...settings.registration, expiresS: EXPIRES_S, refreshPercent: REFRESH_PERCENT, unregisterOnShutdown: false };
      const config = registrationConfigFromLine(settings, { host: '127.0.0.1', port: transport.local.port, userAgent: USER_AGENT, line: lineNo });
      if (!config.ok) throw new Error(config.error.message);
      const driver = RegistrationDriver.create({
        layer,
        clock,
        config: config.value,
        targets: () => [{ address: kamailio.address, port: kamailio.port, transport: 'udp' }],
      });
      if (!driver.ok) throw new Error(driver.error.message);
      const line: Line = { transport, layer, driver: driver.value, registered: 0, refreshed: 0, failed: 0 };
      driver.value.events.on('state', (e) => {
        if (e.cause === 'registered') line.registered++;
        else if (e.cause === 'refreshed') line.refreshed++;
        if (e.state.kind === 'failed') line.failed++;
      });
      lines.push(line);
    }
    console.log(`${LINES} lines on ${LINES} UDP sockets (ulimit -n ${limit}); Kamailio ${kamailio.address}:${kamailio.port}`);

    // Staggered start over RAMP_S, as phones booting at different times.
    const rampCpu = process.cpuUsage();
    const rampStart = clock.now();
    lines.forEach((l, i) => clock.setTimer((i * RAMP_S * 1000) / LINES, () => l.driver.start(), 'bench start'));
    for (;;) {
      await delay(250);
      const registered = lines.filter((l) => l.driver.state.kind === 'registered').length;
      if (registered === LINES) break;
      if (clock.now() - rampStart > (RAMP_S + 60) * 1000) throw new Error(`only ${registered}/${LINES} lines registered`);
    }
    const rampMs = clock.now() - rampStart;
    const rampUsage = process.cpuUsage(rampCpu);
    // Steady state: wait for the first refresh to come due (the first line registered at the
    // ramp's start), at most REFRESH_S.
    const settleMs = Math.max(0, Math.min(REFRESH_S * 1000, rampStart + REFRESH_S * 1000 - 500 - clock.now()));
    console.log(`all registered after ${(rampMs / 1000).toFixed(1)} s; settling ${(settleMs / 1000).toFixed(1)} s, then measuring ${WINDOW_S} s (refresh every ${REFRESH_S} s)`);
    await delay(settleMs);

    // The window: steady state, every line refreshing.
    const refreshedBefore = lines.reduce((n, l) => n + l.refreshed, 0);
    const load0 = loadavg()[0]!;
    const session = PROFILE === undefined ? undefined : new Session();
    if (session !== undefined) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    // WINDOWS consecutive windows; the figure is their median (a major GC or a busy neighbour
    // lands in one window, not in all of them).
    const windows: Array<{ percent: number; cpuMs: number; user: number; system: number; windowMs: number; threads: string }> = [];
    const t0 = clock.now();
    for (let w = 0; w < WINDOWS; w++) {
      const threads0 = threadCpu();
      const cpu0 = process.cpuUsage();
      const w0 = clock.now();
      await delay(WINDOW_S * 1000);
      const usage = process.cpuUsage(cpu0);
      const windowMs = clock.now() - w0;
      const cpuMs = (usage.user + usage.system) / 1000;
      windows.push({ percent: (100 * cpuMs) / windowMs, cpuMs, user: usage.user / 1000, system: usage.system / 1000, windowMs, threads: threadCpuDelta(threads0, threadCpu()) });
      if (w === 0 && session !== undefined) {
        const { profile } = await session.post('Profiler.stop');
        writeFileSync(PROFILE!, JSON.stringify(profile));
        session.disconnect();
      }
    }
    const sorted = [...windows].sort((a, b) => a.percent - b.percent);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    const windowMs = clock.now() - t0;
    const load1 = loadavg()[0]!;
    const refreshes = lines.reduce((n, l) => n + l.refreshed, 0) - refreshedBefore;
    const notRegistered = lines.filter((l) => l.driver.state.kind !== 'registered').length;
    const failed = lines.reduce((n, l) => n + l.failed, 0);
    const stats = lines.reduce(
      (s, l) => {
        const t = l.transport.stats;
        return { in: s.in + t.received, out: s.out + t.sent, bytesIn: s.bytesIn + t.bytesReceived, bytesOut: s.bytesOut + t.bytesSent };
      },
      { in: 0, out: 0, bytesIn: 0, bytesOut: 0 },
    );
    const mem = process.memoryUsage();
    // The reference: the same datagrams (average sizes of this run) with no SIP, same sockets count.
    await Promise.all(lines.map((l) => l.transport.close()));
    for (const l of lines) l.layer.clear();
    const floor = FLOOR
      ? await runUdpFloor({ lines: LINES, cycleS: REFRESH_S, requestBytes: Math.round(stats.bytesOut / stats.out), responseBytes: Math.round(stats.bytesIn / stats.in) })
      : undefined;

    const percent = median.percent;
    const rampPercent = (100 * (rampUsage.user + rampUsage.system)) / 1000 / rampMs;
    const rows: Array<[string, string]> = [
      ['lines (one UDP socket, TransactionLayer, RegistrationDriver each)', String(LINES)],
      ['timer deadlines', COALESCE_MS > 0 ? `rounded up to a ${COALESCE_MS} ms grid (EXPERIMENT, not the product default)` : 'product: refresh on the whole second at or before its due time (src/core/coalesce.ts), other timers exact'],
      ['expiry / refresh interval', `${EXPIRES_S} s / ${REFRESH_S} s (${REFRESH_PERCENT} %)`],
      ['measured windows', `${WINDOWS} × ${WINDOW_S} s, ${(windowMs / 1000).toFixed(1)} s from ${((t0 - rampStart) / 1000).toFixed(1)} s after the first start${WINDOW_S < REFRESH_S ? ' (SHORTER than one refresh cycle)' : ''}`],
      ['refreshes in the windows (each: REGISTER with cached nonce + 200)', `${refreshes} (${((refreshes * 1000) / windowMs).toFixed(1)}/s)`],
      ['datagrams sent / received, whole run', `${stats.out} / ${stats.in}`],
      ['lines not registered at the end / failures', `${notRegistered} / ${failed}`],
      ['CPU % of one core, each window', windows.map((w) => `${w.percent.toFixed(2)} %`).join(', ')],
      ['median window: CPU (user + system)', `${median.cpuMs.toFixed(0)} ms (user ${median.user.toFixed(0)}, system ${median.system.toFixed(0)}) in ${(median.windowMs / 1000).toFixed(1)} s`],
      ['median window: CPU ms per thread (/proc, 10 ms ticks)', median.threads],
      ['CPU % of one core (steady state, median)', `${percent.toFixed(2)} %`],
      ['target', `< ${TARGET_PERCENT} %`],
      [
        'reference: raw UDP, same datagrams, no SIP',
        floor === undefined
          ? 'skipped (--no-floor)'
          : `${floor.percent.toFixed(2)} % of one core (own process; ${floor.sent} sent / ${floor.received} answered in ${REFRESH_S} s) -> SIP costs ${(percent / floor.percent).toFixed(2)}× the floor`,
      ],
      ['ratio to target (lower is better)', `${(percent / TARGET_PERCENT).toFixed(2)} -> ${percent < TARGET_PERCENT ? 'met' : 'NOT met'}`],
      ['ramp (initial REGISTER + 401 + REGISTER with credentials)', `${rampPercent.toFixed(1)} % of one core over ${(rampMs / 1000).toFixed(1)} s`],
      ['memory: RSS / heap used', `${mb(mem.rss)} / ${mb(mem.heapUsed)}`],
      ['load average (1 min), window start -> end', `${load0.toFixed(1)} -> ${load1.toFixed(1)}`],
    ];
    const w = Math.max(...rows.map(([k]) => k.length));
    console.log(`\nSIP registrations benchmark, Node ${process.version}`);
    for (const [k, v] of rows) console.log(`${k.padEnd(w)}  ${v}`);
  } finally {
    await Promise.all(lines.map((l) => l.transport.close()));
    for (const l of lines) l.layer.clear();
    clock.stop();
    await kamailio.stop();
  }
}

await main();
