// The floor under the media fleet (bench/media-fleet.ts): what its sockets alone cost, with no
// media work. N pairs of endpoints on loopback, one side in each of two child processes (as the
// fleet's two workers), each endpoint sending one 172-byte datagram (a G.711 RTP packet) to its
// partner every 20 ms, the two sides staggered by 10 ms; the receive handler only counts. Runs
// the same load through the batched UDP addon (src/rtp/batch-udp.ts) and through node:dgram
// (src/rtp/udp-socket.ts) and reports CPU per frame (one datagram sent and received) and the
// ratio. Run: npx tsx bench/media-udp-floor.ts [--pairs 500] [--seconds 5]
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import type { Timer } from '../src/core/clock.js';
import { SystemClock } from '../src/core/system-clock.js';
import { batchUdpOpener, loadUdpNative } from '../src/rtp/batch-udp.js';
import type { DatagramEndpoint, DatagramOpener } from '../src/rtp/datagram.js';
import { udpOpener } from '../src/rtp/udp-socket.js';

type Kind = 'batch' | 'dgram';

interface SideResult {
  sent: number;
  received: number;
  cpuUs: number;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const ADDRESSES = ['127.0.0.203', '127.0.0.204'] as const;
const BASE_PORT = 34000;

/** One side: `pairs` endpoints, sending for `seconds` at its phase of the 20 ms period. */
async function side(kind: Kind, index: 0 | 1, pairs: number, seconds: number): Promise<SideResult> {
  const opener: DatagramOpener = kind === 'dgram' ? udpOpener : batchUdpOpener(must(loadUdpNative()));
  const me = ADDRESSES[index];
  const peer = ADDRESSES[1 - index]!;
  let received = 0;
  const eps: DatagramEndpoint[] = [];
  for (let k = 0; k < pairs; k++) {
    const r = await opener.open({ address: me, port: BASE_PORT + k, onPacket: () => void received++, receiveBufferBytes: 1 << 20, coalesceReads: true });
    eps.push(must(r));
  }
  const clock = new SystemClock();
  await new Promise<void>((resolve) => clock.setTimer(500, resolve, 'floor-settle')); // the other side binds
  for (let k = 0; k < pairs; k++) eps[k]!.connect({ address: peer, port: BASE_PORT + k });
  await new Promise<void>((resolve) => clock.setTimer(200, resolve, 'floor-connect')); // node:dgram connects asynchronously
  const packet = new Uint8Array(172);
  packet[0] = 0x80;
  let sent = 0;
  const send = (): void => {
    for (const ep of eps) ep.send(packet, packet.length);
    sent += eps.length;
  };
  // Every 20 ms from this side's phase of the wall clock's period (side 1 ten ms after side 0).
  let periodic: Timer | undefined;
  const first = clock.setTimer(20 - (clock.wallTime().getTime() % 20) + index * 10, () => {
    send();
    periodic = clock.setPeriodic(20, send, 'floor-tick');
  }, 'floor-first');
  // A warm-up second, then the measured window.
  await new Promise<void>((resolve) => clock.setTimer(1000, resolve, 'floor-warm'));
  const sent0 = sent;
  const received0 = received;
  const cpu0 = process.cpuUsage();
  await new Promise<void>((resolve) => clock.setTimer(seconds * 1000, resolve, 'floor-window'));
  const cpu = process.cpuUsage(cpu0);
  const result = { sent: sent - sent0, received: received - received0, cpuUs: cpu.user + cpu.system };
  first.cancel();
  periodic?.cancel();
  for (const ep of eps) ep.close();
  clock.stop();
  return result;
}

function must<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** Both sides in child processes at once; their sums. */
async function run(kind: Kind, pairs: number, seconds: number): Promise<SideResult> {
  const self = fileURLToPath(import.meta.url);
  const sides = ([0, 1] as const).map(
    (index) =>
      new Promise<SideResult>((resolve, reject) => {
        const child = fork(self, ['--side', String(index), '--kind', kind, '--pairs', String(pairs), '--seconds', String(seconds)], { execArgv: process.execArgv });
        child.once('message', (m) => resolve(m as SideResult));
        child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`floor side ${index} exited with ${code}`))));
      }),
  );
  const [a, b] = await Promise.all(sides);
  return { sent: a!.sent + b!.sent, received: a!.received + b!.received, cpuUs: a!.cpuUs + b!.cpuUs };
}

async function main(): Promise<void> {
  const pairs = Number(arg('pairs', '500'));
  const seconds = Number(arg('seconds', '5'));
  if (process.argv.includes('--side')) {
    const r = await side(arg('kind', 'batch') as Kind, Number(arg('side', '0')) as 0 | 1, pairs, seconds);
    process.send!(r, () => process.exit(0));
    return;
  }
  console.log(`media socket floor: ${pairs} pairs, 172-byte datagrams every 20 ms both ways, two processes, ${seconds} s measured after 1 s warm-up; load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const kinds: Kind[] = loadUdpNative().ok ? ['batch', 'dgram', 'batch', 'dgram', 'batch', 'dgram'] : ['dgram'];
  const perFrame: Record<Kind, number[]> = { batch: [], dgram: [] };
  for (const kind of kinds) {
    const r = await run(kind, pairs, seconds);
    const us = r.cpuUs / r.sent;
    perFrame[kind].push(us);
    console.log(`  ${kind === 'batch' ? 'batched UDP addon' : 'node:dgram       '}  sent ${r.sent}  received ${r.received}  ${us.toFixed(1)} µs of CPU per frame`);
  }
  const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[xs.length >> 1]!;
  if (perFrame.batch.length === 0) {
    console.log('batched UDP addon not built: node:dgram only');
    return;
  }
  const b = median(perFrame.batch);
  const d = median(perFrame.dgram);
  console.log(`floor (median of ${perFrame.batch.length}): batched UDP addon ${b.toFixed(1)} µs/frame, node:dgram ${d.toFixed(1)} µs/frame: ${(b / d).toFixed(2)}× the CPU`);
}

await main();
