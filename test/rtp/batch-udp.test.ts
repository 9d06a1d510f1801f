// The batched UDP addon (src/rtp/batch-udp.ts over native/udp): datagrams both ways with their
// source, connected sockets filtering other senders, IPv6 on ::1, bind failures as Results,
// ICMP errors reported, bounded read rounds (timers and immediates run between them), and the
// sockets of a thread that dies closed with it.
import { createSocket, type Socket } from 'node:dgram';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { loadAddon } from '../../src/core/native-addon.js';
import { batchUdpCounters, batchUdpOpener, loadUdpNative } from '../../src/rtp/batch-udp.js';
import type { DatagramEndpoint, DatagramOpener } from '../../src/rtp/datagram.js';
import type { TransportAddress } from '../../src/rtp/symmetric-latch.js';
import { until } from '../helpers/until.js';
import { freePort, freePortRange, loopbackAddress } from '../peers/ports.js';

const udp = loadUdpNative();
const opener: DatagramOpener | undefined = udp.ok ? batchUdpOpener(udp.value) : undefined;
const open: DatagramEndpoint[] = [];
const dgrams: Socket[] = [];

afterEach(() => {
  for (const e of open.splice(0)) e.close();
  for (const s of dgrams.splice(0)) s.close();
});

interface Got {
  bytes: number[];
  from: TransportAddress;
}

async function endpoint(address: string, port = 0, onError?: (m: string) => void, coalesceReads = false): Promise<{ ep: DatagramEndpoint; got: Got[] }> {
  const got: Got[] = [];
  const r = await opener!.open({ address, port, onPacket: (b, from) => got.push({ bytes: [...b], from }), coalesceReads, ...(onError ? { onError } : {}) });
  if (!r.ok) throw new Error(r.error.message);
  open.push(r.value);
  return { ep: r.value, got };
}

async function dgram(address: string): Promise<{ socket: Socket; port: number; got: Buffer[] }> {
  const socket = createSocket('udp4');
  dgrams.push(socket);
  const got: Buffer[] = [];
  socket.on('message', (m) => got.push(m));
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  return { socket, port: socket.address().port, got };
}

describe.skipIf(!udp.ok)('batched UDP sockets (native/udp)', () => {
  it('datagrams both ways with their source; one source object while the source stays', async () => {
    const addr = loopbackAddress();
    const a = await endpoint(addr);
    const b = await endpoint(addr);
    expect(a.ep.local.port).toBeGreaterThan(0);
    a.ep.send(new Uint8Array([1, 2, 3, 99]), 3, b.ep.local);
    a.ep.send(new Uint8Array([4]), 1, b.ep.local);
    b.ep.send(new Uint8Array([5, 6]), 2, a.ep.local);
    await until('delivered', () => b.got.length === 2 && a.got.length === 1);
    expect(b.got.map((g) => g.bytes)).toEqual([[1, 2, 3], [4]]);
    expect(b.got[0]!.from).toEqual({ address: addr, port: a.ep.local.port });
    expect(b.got[1]!.from).toBe(b.got[0]!.from); // cached, not one object per packet
    expect(a.got[0]).toEqual({ bytes: [5, 6], from: { address: addr, port: b.ep.local.port } });
  });

  it('a connected socket sends to its peer and the kernel drops everyone else; disconnect lets them in', async () => {
    const addr = loopbackAddress();
    const a = await endpoint(addr);
    const peer = await dgram(addr);
    const stranger = await dgram(addr);
    a.ep.connect({ address: addr, port: peer.port });
    expect(a.ep.peer).toEqual({ address: addr, port: peer.port });
    a.ep.send(new Uint8Array([7]), 1);
    await until('to the peer', () => peer.got.length === 1);
    stranger.socket.send(Buffer.from([8]), a.ep.local.port, addr);
    peer.socket.send(Buffer.from([9]), a.ep.local.port, addr);
    await until('from the peer', () => a.got.length >= 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(a.got.map((g) => g.bytes)).toEqual([[9]]);
    a.ep.disconnect();
    expect(a.ep.peer).toBeUndefined();
    stranger.socket.send(Buffer.from([10]), a.ep.local.port, addr);
    await until('from the stranger', () => a.got.length === 2);
    expect(a.got[1]).toEqual({ bytes: [10], from: { address: addr, port: stranger.port } });
  });

  it('IPv6 on ::1', async () => {
    const a = await endpoint('::1');
    const b = await endpoint('::1');
    a.ep.send(new Uint8Array([1, 2]), 2, b.ep.local);
    await until('delivered', () => b.got.length === 1);
    expect(b.got[0]).toEqual({ bytes: [1, 2], from: { address: '::1', port: a.ep.local.port } });
  });

  it('a port in use is RTP_PORT_IN_USE; a name is refused; a closed port binds again at once', async () => {
    const addr = loopbackAddress();
    const taken = await dgram(addr);
    const r = await opener!.open({ address: addr, port: taken.port, onPacket: () => {} });
    expect(r.ok ? 'bound' : r.error.code).toBe('RTP_PORT_IN_USE');
    const named = await opener!.open({ address: 'localhost', port: 0, onPacket: () => {} });
    expect(named.ok ? 'bound' : named.error.code).toBe('RTP_SOCKET');
    const port = await freePort(addr, { protocols: ['udp'] });
    const first = await endpoint(addr, port);
    first.ep.close();
    expect(first.ep.closed).toBe(true);
    const again = await endpoint(addr, port);
    expect(again.ep.local).toEqual({ address: addr, port });
  });

  it('an ICMP port unreachable for a connected socket is reported as an error, sends keep working', async () => {
    const addr = loopbackAddress();
    const errors: string[] = [];
    const a = await endpoint(addr, 0, (m) => errors.push(m));
    const gone = await dgram(addr);
    const port = gone.port;
    gone.socket.close();
    dgrams.splice(dgrams.indexOf(gone.socket), 1);
    a.ep.connect({ address: addr, port });
    a.ep.send(new Uint8Array([1]), 1);
    await until('ECONNREFUSED', () => errors.length > 0);
    expect(errors[0]).toBe('recvmsg ECONNREFUSED');
  });

  it('reads in bounded rounds: an immediate queued by the first packet runs before the 300th arrives', async () => {
    const addr = loopbackAddress();
    const base = await freePortRange(addr, 300, { protocols: ['udp'] });
    let delivered = 0;
    let deliveredWhenImmediateRan = -1;
    const eps: DatagramEndpoint[] = [];
    for (let i = 0; i < 300; i++) {
      const r = await opener!.open({
        address: addr,
        port: base + i,
        onPacket: () => {
          if (delivered++ === 0) setImmediate(() => (deliveredWhenImmediateRan = delivered));
        },
      });
      if (!r.ok) throw new Error(r.error.message);
      eps.push(r.value);
      open.push(r.value);
    }
    const sender = await dgram(addr);
    const before = batchUdpCounters();
    // All 300 queued before the loop polls again: node:dgram would hand over every one first.
    for (let i = 0; i < 300; i++) sender.socket.send(Buffer.from([i & 255]), base + i, addr);
    await until('all delivered', () => delivered === 300);
    expect(deliveredWhenImmediateRan).toBeGreaterThan(0);
    expect(deliveredWhenImmediateRan).toBeLessThanOrEqual(64);
    const after = batchUdpCounters();
    expect(after.datagrams - before.datagrams).toBe(300);
    expect(after.rounds - before.rounds).toBeGreaterThanOrEqual(5); // ⌈300 / 64⌉
  });

  it('each datagram comes with how long ago the kernel received it', async () => {
    const addr = loopbackAddress();
    const ages: number[] = [];
    const r = await opener!.open({ address: addr, port: 0, onPacket: (_b, _f, ago) => ages.push(ago ?? -1) });
    if (!r.ok) throw new Error(r.error.message);
    open.push(r.value);
    const sender = await endpoint(addr); // sends at once (node:dgram would look the address up first)
    await timestampsOn();
    sender.ep.send(new Uint8Array([1]), 1, r.value.local);
    const t0 = performance.now();
    while (performance.now() - t0 < 30); // the thread is busy: the datagram waits in the kernel
    await until('delivered', () => ages.length === 1);
    expect(ages[0]).toBeGreaterThanOrEqual(25);
    expect(ages[0]).toBeLessThan(1000);
  });

  /** Two datagrams to one socket, the second sent while the first is handled; when each was read, and the second's age. */
  async function secondAfterFirst(coalesceReads: boolean): Promise<{ gap: number; ago: number }> {
    const addr = loopbackAddress();
    const seen: Array<{ at: number; ago: number }> = [];
    const sender = (await endpoint(addr, 0, undefined, coalesceReads)).ep;
    const r = await opener!.open({
      address: addr,
      port: 0,
      coalesceReads,
      onPacket: (b, _f, ago) => {
        seen.push({ at: performance.now(), ago: ago ?? -1 });
        // The second datagram is in the kernel before this round ends.
        if (b[0] === 1) sender.send(new Uint8Array([2]), 1, r.ok ? r.value.local : undefined);
      },
    });
    if (!r.ok) throw new Error(r.error.message);
    open.push(r.value);
    await timestampsOn();
    sender.send(new Uint8Array([1]), 1, r.value.local);
    await until('both delivered', () => seen.length === 2);
    for (const e of open.splice(0)) e.close();
    return { gap: seen[1]!.at - seen[0]!.at, ago: seen[1]!.ago };
  }

  it('coalesces reads: after a round that emptied the set, the next datagram waits 1–2 ms and says so', async () => {
    const { gap, ago } = await secondAfterFirst(true);
    if (process.env.VPHONE_FIGURES) console.info(`coalesced: second datagram read ${gap.toFixed(2)} ms after the first, received ${ago.toFixed(2)} ms before its read`);
    expect(gap).toBeGreaterThanOrEqual(0.9); // read at the next loop turn (~0.1 ms) without the pause
    expect(ago).toBeGreaterThanOrEqual(0.9);
    expect(Math.abs(ago - gap)).toBeLessThan(0.5); // its age is the wait, not the read
  });

  it('does not coalesce while a socket that did not ask for it is open (virtual-time tests)', async () => {
    const { gap } = await secondAfterFirst(false);
    expect(gap).toBeLessThan(0.9);
  });

  it('the sockets of a worker thread close when it dies', async () => {
    const addr = loopbackAddress();
    const port = await freePort(addr, { protocols: ['udp'] });
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const udp = require(workerData.path);
      const g = udp.groupCreate(new Int32Array(64 * udp.metaStride), new Uint8Array(1 << 18), 64, () => {}, 1);
      const fd = udp.open(g, 0, workerData.addr, workerData.port, 0, true);
      parentPort.postMessage(fd);
      throw new Error('worker dies holding the socket');
    `;
    const path = loadAddonPath();
    const w = new Worker(code, { eval: true, workerData: { path, addr, port } });
    const died = new Promise<Error>((resolve) => w.once('error', resolve));
    const fd = await new Promise<number>((resolve) => w.once('message', resolve));
    expect(fd).toBeGreaterThan(0);
    expect((await died).message).toBe('worker dies holding the socket');
    await new Promise((resolve) => w.once('exit', resolve));
    const again = await endpoint(addr, port);
    expect(again.ep.local.port).toBe(port);
  });
});

describe('loading an optional addon', () => {
  it('a missing addon is a Result naming where it was looked for', () => {
    const r = loadAddon({ code: 'X', what: 'test addon', candidates: ['/nonexistent/x.node'], looksRight: () => true });
    expect(r.ok ? 'loaded' : [r.error.code, r.error.message]).toEqual(['X_MISSING', 'test addon not built (looked for /nonexistent/x.node; run make deps)']);
  });

  it.skipIf(!udp.ok)('a module that is not the expected addon is refused', () => {
    const r = loadAddon({ code: 'X', what: 'test addon', candidates: [loadAddonPath()], looksRight: () => false });
    expect(r.ok ? 'loaded' : r.error.code).toBe('X_LOAD');
  });
});

/**
 * Linux turns receive timestamps on for the whole stack a moment after the first socket asks
 * (a deferred static key); datagrams before that carry none and count as received when read.
 */
function timestampsOn(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 20));
}

function loadAddonPath(): string {
  return new URL('../../native/udp/build/Release/udp.node', import.meta.url).pathname;
}
