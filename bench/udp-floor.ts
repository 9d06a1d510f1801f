// The floor under the registrations benchmark: the same datagram pattern with no SIP at all.
// N raw node:dgram sockets each send one REGISTER-sized datagram per cycle — phases spread as
// the lines' refreshes are, due on the same whole-second grid (src/core/coalesce.ts) — to an
// echo process on loopback, which answers with a 200-OK-sized datagram. The process's CPU over
// one cycle is what Node, libuv and the kernel cost for that traffic; the SIP figure beside it
// shows what the SIP stack adds. It runs in a process of its own (runUdpFloor spawns this file
// with the same Node flags), so the SIP run's heap and closed sockets do not weigh on it.
// Run alone: npx tsx bench/udp-floor.ts LINES CYCLE_S REQUEST_BYTES RESPONSE_BYTES
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { earlyOnGrid } from '../src/core/coalesce.js';
import { SystemClock } from '../src/core/system-clock.js';

const ECHO = `
const s = require('node:dgram').createSocket('udp4');
const reply = Buffer.alloc(Number(process.argv[1]), 0x41);
s.on('message', (m, r) => s.send(reply, r.port, r.address));
s.bind(0, '127.0.0.1', () => {
  try { s.setRecvBufferSize(8 << 20); } catch {}
  console.log(s.address().port);
});
`;

export interface UdpFloor {
  percent: number;
  cpuMs: number;
  /** Requests sent and answers received in the measured cycle. */
  sent: number;
  received: number;
}

const delay = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function measureUdpFloor(o: { lines: number; cycleS: number; requestBytes: number; responseBytes: number }): Promise<UdpFloor> {
  const echo = spawn(process.execPath, ['-e', ECHO, String(o.responseBytes)], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const [first] = (await once(echo.stdout, 'data')) as [Buffer];
    const port = Number(first.toString().trim());
    const clock = new SystemClock();
    const request = Buffer.alloc(o.requestBytes, 0x52);
    const sockets: Socket[] = [];
    let received = 0;
    let sent = 0;
    for (let i = 0; i < o.lines; i++) {
      const s = createSocket('udp4');
      s.on('message', () => received++);
      await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
      sockets.push(s);
    }
    const cycleMs = o.cycleS * 1000;
    // Each socket sends at its phase, then every cycle, each time on the whole-second grid.
    const arm = (s: Socket, delayMs: number): void => {
      clock.setTimer(earlyOnGrid(clock.now(), delayMs), () => {
        s.send(request, port, '127.0.0.1');
        sent++;
        arm(s, cycleMs);
      });
    };
    sockets.forEach((s, i) => arm(s, (i * cycleMs) / o.lines));
    await delay(cycleMs); // one cycle to settle (every socket has sent once)
    const before = received;
    const sentBefore = sent;
    const cpu0 = process.cpuUsage();
    const t0 = clock.now();
    await delay(cycleMs);
    const usage = process.cpuUsage(cpu0);
    const elapsed = clock.now() - t0;
    clock.stop();
    await Promise.all(sockets.map((s) => new Promise<void>((r) => s.close(() => r()))));
    const cpuMs = (usage.user + usage.system) / 1000;
    return { percent: (100 * cpuMs) / elapsed, cpuMs, sent: sent - sentBefore, received: received - before };
  } finally {
    echo.kill();
  }
}

/** measureUdpFloor in a child process with this process's Node flags (tsx loader, heap sizes). */
export function runUdpFloor(o: { lines: number; cycleS: number; requestBytes: number; responseBytes: number }): Promise<UdpFloor> {
  const args = [...process.execArgv, fileURLToPath(import.meta.url), String(o.lines), String(o.cycleS), String(o.requestBytes), String(o.responseBytes)];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { timeout: (4 * o.cycleS + 120) * 1000 }, (error, stdout) => {
      if (error) return reject(error);
      resolve(JSON.parse(stdout.trim().split('\n').at(-1)!) as UdpFloor);
    });
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [lines, cycleS, requestBytes, responseBytes] = process.argv.slice(2).map(Number);
  const floor = await measureUdpFloor({ lines: lines ?? 6000, cycleS: cycleS ?? 54, requestBytes: requestBytes ?? 620, responseBytes: responseBytes ?? 420 });
  console.log(JSON.stringify(floor));
}
