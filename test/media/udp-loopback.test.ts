// MediaStreams on real loopback UDP sockets, driven in virtual time (the event loop delivers the
// datagrams between 20 ms steps): identity both ways, connected sockets once media comes from
// the SDP address, RFC 4733, a port taken by another process skipped, BYE flushed on close.
import { createSocket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { PCMA } from '../../src/codecs/g711.js';
import { G722 } from '../../src/codecs/g722.js';
import { MediaStream } from '../../src/media/media-stream.js';
import { PortAllocator } from '../../src/rtp/port-allocator.js';
import { freePortRange, loopbackAddress } from '../peers/ports.js';
import { addPhone, closeAll, connect, dtmfDigits, lab, runFor, settle, type Lab } from './harness.js';

let current: Lab | undefined;
afterEach(() => {
  if (current) closeAll(current);
  current = undefined;
});

function twoAddresses(): [string, string] {
  const a = loopbackAddress();
  let b = loopbackAddress();
  while (b === a) b = loopbackAddress();
  return [a, b];
}

describe('MediaStream on loopback UDP', () => {
  it('PCMA both ways: identities, connected sockets, RFC 4733 digits, RTCP RTT', async () => {
    const [addrA, addrB] = twoAddresses();
    const l = (current = lab(['A', 'B']));
    const rtcp = { enabled: true, intervalS: 5 };
    const a = await addPhone(l, 'A', addrA, PCMA, await freePortRange(addrA, 18, { protocols: ['udp'], even: true }), { rtcp });
    const b = await addPhone(l, 'B', addrB, PCMA, await freePortRange(addrB, 18, { protocols: ['udp'], even: true }), { rtcp });
    connect(a, b);
    await runFor(l, 1000, true);
    expect(a.stream.sendDtmf('42').ok).toBe(true);
    await runFor(l, 9500, true); // RTT needs the second round of reports (at 10 s)
    expect(b.detector.detect().verdict).toBe('A');
    expect(a.detector.detect().verdict).toBe('B');
    expect(dtmfDigits(b)).toBe('42');
    const sb = b.stream.stats();
    expect(sb.rtp.packetsLost).toBe(0);
    expect(sb.rtp.packetsReceived).toBeGreaterThan(480);
    expect(sb.remote).toEqual({ address: addrA, port: a.stream.localPort });
    expect(a.stream.stats().rtp.roundTripMs).toBeDefined();
    expect(a.stream.stats().rtp.roundTripMs!).toBeLessThan(5);
    // Latched to the SDP address: connected.
    expect(a.events.some((e) => e.type === 'latched')).toBe(true);
    expect(a.stream.stats().connected).toBe(true);
    expect(sb.connected).toBe(true);
    a.stream.close('done');
    for (let i = 0; i < 20 && !b.events.some((e) => e.type === 'remote-bye'); i++) await settle();
    expect(b.events).toContainEqual({ type: 'remote-bye', reason: 'done' });
  });

  it('G722 at 16 kHz: B names A', async () => {
    const [addrA, addrB] = twoAddresses();
    const l = (current = lab(['A', 'B']));
    const a = await addPhone(l, 'A', addrA, G722, await freePortRange(addrA, 18, { protocols: ['udp'], even: true }));
    const b = await addPhone(l, 'B', addrB, G722, await freePortRange(addrB, 18, { protocols: ['udp'], even: true }));
    connect(a, b);
    await runFor(l, 3000, true);
    expect(b.detector.detect().verdict).toBe('A');
    expect(b.stream.sampleRate).toBe(16000);
  });

  it('close sends its BYE and frees the port at once: the same pair binds again right away (codec change)', async () => {
    const [addrA, addrB] = twoAddresses();
    const l = (current = lab(['A', 'B']));
    const rtcp = { enabled: true, intervalS: 5 };
    const portA = await freePortRange(addrA, 2, { protocols: ['udp'], even: true });
    const a = await addPhone(l, 'A', addrA, PCMA, portA, { rtcp });
    const b = await addPhone(l, 'B', addrB, PCMA, await freePortRange(addrB, 18, { protocols: ['udp'], even: true }), { rtcp });
    connect(a, b);
    await runFor(l, 500, true);
    a.stream.close('codec change');
    const again = await MediaStream.open({ mediaClock: l.mediaClock, ports: new PortAllocator(portA, portA), localAddress: addrA, codec: G722, payloadType: 9, cname: 'a' });
    expect(again.ok && again.value.localPort).toBe(portA);
    for (let i = 0; i < 20 && !b.events.some((e) => e.type === 'remote-bye'); i++) await settle();
    expect(b.events).toContainEqual({ type: 'remote-bye', reason: 'codec change' });
    if (again.ok) again.value.close();
  });

  it('skips a port pair another process holds', async () => {
    const addr = loopbackAddress();
    const first = await freePortRange(addr, 18, { protocols: ['udp'], even: true });
    const squatter = createSocket('udp4');
    await new Promise<void>((r) => squatter.bind(first + 1, addr, () => r())); // the RTCP port of the first pair
    try {
      const l = (current = lab(['A']));
      const a = await addPhone(l, 'A', addr, PCMA, first);
      expect(a.stream.localPort).toBe(first + 2);
      expect(a.ports.isAllocated(first)).toBe(false);
    } finally {
      squatter.close();
    }
  });
});
