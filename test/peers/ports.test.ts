// Loopback addresses and free ports: explicit 127.0.0.0/8 binds only, UDP and TCP both checked.
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { assertLoopback, freeEndpoint, freePort, freePortRange, freeRtpPair, isPortFree, loopbackAddress, PORT_RANGE, releasePort } from './ports.js';

describe('ports', () => {
  it('accepts 127.0.0.0/8 only', () => {
    expect(() => assertLoopback('127.0.0.1')).not.toThrow();
    expect(() => assertLoopback('127.255.3.4')).not.toThrow();
    for (const bad of ['0.0.0.0', '192.0.2.1', '10.0.0.1', '::1', 'localhost', '127.0.0.256', '127.0.0']) {
      expect(() => assertLoopback(bad), bad).toThrow(/not an IPv4 loopback address/);
    }
  });

  it('draws addresses from 127.0.0.2-250', () => {
    for (let i = 0; i < 200; i++) {
      const last = Number(loopbackAddress().split('.')[3]);
      expect(last).toBeGreaterThanOrEqual(2);
      expect(last).toBeLessThanOrEqual(250);
    }
  });

  it('finds a port free for UDP and TCP, below the ephemeral range, and never hands it out twice', async () => {
    const address = loopbackAddress();
    const seen = new Set<number>();
    for (let i = 0; i < 20; i++) {
      const port = await freePort(address);
      expect(port).toBeGreaterThanOrEqual(PORT_RANGE.min);
      expect(port).toBeLessThanOrEqual(PORT_RANGE.max);
      expect(seen.has(port)).toBe(false);
      seen.add(port);
      expect(await isPortFree(address, port)).toBe(true);
    }
    for (const port of seen) releasePort(address, port);
  });

  it('sees a port taken by UDP or by TCP as busy, and skips a busy preferred port', async () => {
    const address = loopbackAddress();
    const udp = createSocket('udp4');
    await new Promise<void>((resolve) => udp.bind({ address, port: 0 }, resolve));
    const tcp = createServer();
    await new Promise<void>((resolve) => tcp.listen({ host: address, port: 0 }, resolve));
    try {
      const udpPort = udp.address().port;
      const tcpPort = (tcp.address() as { port: number }).port;
      expect(await isPortFree(address, udpPort)).toBe(false);
      expect(await isPortFree(address, udpPort, ['tcp'])).toBe(true);
      expect(await isPortFree(address, tcpPort)).toBe(false);
      expect(await isPortFree(address, tcpPort, ['udp'])).toBe(true);
      const chosen = await freePort(address, { preferred: [udpPort] });
      expect(chosen).not.toBe(udpPort);
      releasePort(address, chosen);
    } finally {
      udp.close();
      tcp.close();
    }
  });

  it('finds ranges: an even RTP/RTCP pair and consecutive ports', async () => {
    const address = loopbackAddress();
    const rtp = await freeRtpPair(address);
    expect(rtp % 2).toBe(0);
    expect(await isPortFree(address, rtp + 1, ['udp'])).toBe(true);
    const first = await freePortRange(address, 4, { protocols: ['udp'] });
    for (let p = first; p < first + 4; p++) expect(await isPortFree(address, p, ['udp'])).toBe(true);
    releasePort(address, rtp, 2);
    releasePort(address, first, 4);
  });

  it('gives an endpoint on a fresh address or the one asked for', async () => {
    const endpoint = await freeEndpoint('127.0.0.77');
    expect(endpoint.address).toBe('127.0.0.77');
    releasePort(endpoint.address, endpoint.port);
    await expect(freeEndpoint('0.0.0.0')).rejects.toThrow(/not an IPv4 loopback address/);
  });
});
