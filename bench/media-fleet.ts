// Media fleet benchmark (ARCHITECTURE.md figures: 1,000 RTP streams ≈ 76 % of a core; keep the
// media tick under ~2 ms): N pairs of G.711 MediaStreams in one process on loopback UDP, all
// driven by one shared 20 ms MediaClock on the SystemClock, each phone sending silence with its
// identity mark. Reports packet loss, concealment, media tick lateness p50/p99/max, skipped
// ticks and CPU. Run: npx tsx bench/media-fleet.ts [--pairs 100,500] [--seconds 10]
import { cpus, loadavg } from 'node:os';
import { PCMU } from '../src/codecs/g711.js';
import { identityMarkFromSeed } from '../src/codecs/identity-mark.js';
import { SystemClock } from '../src/core/system-clock.js';
import { MediaClock } from '../src/media/media-clock.js';
import { MediaStream } from '../src/media/media-stream.js';
import { PortAllocator } from '../src/rtp/port-allocator.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Row {
  pairs: number;
  streams: number;
  sent: number;
  received: number;
  lossPercent: number;
  concealPercent: number;
  p50: number;
  p99: number;
  max: number;
  work50: number;
  work99: number;
  skipped: number;
  cpuPercent: number;
}

async function runFleet(pairs: number, seconds: number): Promise<Row> {
  const clock = new SystemClock();
  const mediaClock = new MediaClock(clock);
  // Two addresses, one allocator each: 2 ports per stream (RTP + RTCP).
  const addrA = '127.0.0.201';
  const addrB = '127.0.0.202';
  const portsA = new PortAllocator(30000, 30000 + 2 * pairs + 400);
  const portsB = new PortAllocator(30000, 30000 + 2 * pairs + 400);
  const streams: MediaStream[] = [];
  const open = async (addr: string, ports: PortAllocator, id: string): Promise<MediaStream> => {
    const r = await MediaStream.open({ clock, mediaClock, ports, localAddress: addr, codec: PCMU, payloadType: 0, cname: `${id}@${addr}`, identity: identityMarkFromSeed(id), receiveBufferBytes: 1 << 20, statsIntervalMs: 0 });
    if (!r.ok) throw new Error(r.error.message);
    streams.push(r.value);
    return r.value;
  };
  for (let i = 0; i < pairs; i++) {
    const a = await open(addrA, portsA, `a${i}`);
    const b = await open(addrB, portsB, `b${i}`);
    a.setRemote({ address: addrB, port: b.localPort });
    b.setRemote({ address: addrA, port: a.localPort });
  }
  // Start every stream at once so they share the tick from the first one.
  for (const s of streams) s.start();
  await sleep(1000); // warm-up: latching, connect, jitter buffers anchored, JIT
  mediaClock.resetLateness();
  const before = streams.map((s) => s.stats());
  const cpu0 = process.cpuUsage();
  const t0 = clock.now();
  await sleep(seconds * 1000);
  const cpu = process.cpuUsage(cpu0);
  const elapsed = clock.now() - t0;
  const after = streams.map((s) => s.stats());
  let sent = 0;
  let received = 0;
  let expected = 0;
  let concealed = 0;
  let pulled = 0;
  after.forEach((s, i) => {
    const b = before[i]!;
    sent += s.rtp.packetsSent - b.rtp.packetsSent;
    received += s.rtp.packetsReceived - b.rtp.packetsReceived;
    expected += s.rtp.packetsExpected - b.rtp.packetsExpected;
    concealed += s.jitterBuffer.concealed - b.jitterBuffer.concealed;
    pulled += s.jitterBuffer.pulled - b.jitterBuffer.pulled;
  });
  const row: Row = {
    pairs,
    streams: streams.length,
    sent,
    received,
    lossPercent: expected > 0 ? (100 * Math.max(0, expected - received)) / expected : 0,
    concealPercent: pulled > 0 ? (100 * concealed) / pulled : 0,
    p50: mediaClock.latenessPercentile(50),
    p99: mediaClock.latenessPercentile(99),
    max: mediaClock.maxLatenessMs,
    work50: mediaClock.workPercentile(50),
    work99: mediaClock.workPercentile(99),
    skipped: mediaClock.skipped,
    cpuPercent: (100 * (cpu.user + cpu.system)) / 1000 / elapsed,
  };
  for (const s of streams) s.close();
  await sleep(200);
  return row;
}

async function main(): Promise<void> {
  const sizes = arg('pairs', '100,500').split(',').map(Number);
  const seconds = Number(arg('seconds', '10'));
  const rows: Row[] = [];
  for (const n of sizes) rows.push(await runFleet(n, seconds));
  const fmt = (x: number, d = 2): string => x.toFixed(d);
  console.log(`media fleet: G.711 pairs on loopback UDP, one shared 20 ms tick, ${seconds} s measured after 1 s warm-up`);
  console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} on ${cpus().length} cores (the machine is shared: lateness and skipped ticks include other processes' load)`);
  console.log('pairs  streams  pkts sent  pkts recv  loss %  conceal %  tick late p50 ms  p99 ms  max ms  tick work p50 ms  p99 ms  skipped  CPU % of a core');
  for (const r of rows) {
    console.log(
      [String(r.pairs).padStart(5), String(r.streams).padStart(8), String(r.sent).padStart(10), String(r.received).padStart(10), fmt(r.lossPercent, 3).padStart(7), fmt(r.concealPercent, 3).padStart(10), fmt(r.p50, 1).padStart(17), fmt(r.p99, 1).padStart(7), fmt(r.max, 1).padStart(7), fmt(r.work50, 1).padStart(17), fmt(r.work99, 1).padStart(7), String(r.skipped).padStart(8), fmt(r.cpuPercent, 0).padStart(17)].join(' '),
    );
  }
}

await main();
