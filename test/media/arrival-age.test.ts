// A datagram's receive time, when the endpoint reads late (batch-udp.ts coalesces reads and
// passes each datagram's age): the RTP arrival is now minus that age, so RFC 3550 A.8 jitter
// reports the network's jitter, not the reader's. Over an in-memory network in virtual time,
// with ages injected: constant ages leave jitter at 0, alternating ages of 0 and 6 ms show up as
// 6 ms of jitter.
import { afterEach, describe, expect, it } from 'vitest';
import { PCMU } from '../../src/codecs/g711.js';
import type { DatagramOpener } from '../../src/rtp/datagram.js';
import { MemoryNetwork } from '../../src/rtp/memory-network.js';
import { addPhone, closeAll, connect, lab, runFor, type Lab } from './harness.js';

let current: Lab | undefined;
afterEach(() => {
  if (current) closeAll(current);
  current = undefined;
});

/** A MemoryNetwork whose endpoints report their k-th datagram as received `age(k)` ms before delivery. */
function agedNetwork(net: MemoryNetwork, age: (k: number) => number): DatagramOpener {
  return {
    open: (o) => {
      let k = 0;
      return net.open({ ...o, onPacket: (bytes, from) => o.onPacket(bytes, from, age(k++)) });
    },
  };
}

async function jitterWithAges(age: (k: number) => number): Promise<number> {
  const l = (current = lab(['A', 'B'], (clock) => agedNetwork(new MemoryNetwork(clock, { path: () => 5 }), age)));
  const a = await addPhone(l, 'A', '127.0.0.11', PCMU, 16000);
  const b = await addPhone(l, 'B', '127.0.0.12', PCMU, 16000);
  connect(a, b);
  await runFor(l, 4000);
  const s = b.stream.stats();
  expect(s.rtp.packetsLost).toBe(0);
  return s.rtp.jitterMs;
}

describe('arrival time from the datagram age', () => {
  it('a constant read delay is no jitter', async () => {
    expect(await jitterWithAges(() => 3)).toBeCloseTo(0, 6);
  });

  it('ages alternating 0 and 6 ms are 6 ms of interarrival jitter (RFC 3550 A.8)', async () => {
    const jitter = await jitterWithAges((k) => (k % 2) * 6);
    expect(jitter).toBeGreaterThan(5.5);
    expect(jitter).toBeLessThan(6.5);
  });
});
