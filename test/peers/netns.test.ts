// The loopback-only network namespace: inside it, documentation addresses (192.0.2.x, RFC 5737)
// and real names are unreachable, loopback works, and even the host's own loopback services are
// out of reach, so RFC 4475 messages naming example.com cannot make anything leave the machine.
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loopbackAddress, netnsUnavailable, runInNetns, runNodeCodeInNetns, runNodeInNetns } from './index.js';

const PROBE = `
import dgram from 'node:dgram';
import net from 'node:net';
import os from 'node:os';
import dns from 'node:dns/promises';
const [hostAddress, hostPort] = process.argv.slice(1);
const out = {};
out.interfaces = Object.keys(os.networkInterfaces());
const udp = dgram.createSocket('udp4');
out.udpToDocumentationAddress = await new Promise((r) => udp.send(Buffer.from('OPTIONS'), 5060, '192.0.2.1', (e) => r(e ? e.code : 'sent')));
udp.close();
out.tcpToDocumentationAddress = await new Promise((r) => {
  const c = net.connect({ host: '192.0.2.1', port: 5060 });
  const t = setTimeout(() => { c.destroy(); r('timeout'); }, 2000);
  c.on('error', (e) => { clearTimeout(t); r(e.code); });
  c.on('connect', () => { clearTimeout(t); c.destroy(); r('connected'); });
});
out.dnsLookup = await dns.lookup('example.com').then(() => 'resolved', (e) => e.code);
out.loopbackEcho = await new Promise((r) => {
  const server = dgram.createSocket('udp4');
  const client = dgram.createSocket('udp4');
  server.on('message', (m, rinfo) => server.send(m, rinfo.port, rinfo.address));
  client.on('message', (m) => { server.close(); client.close(); r(m.toString()); });
  server.bind({ address: '127.0.0.1', port: 0 }, () => client.bind({ address: '127.0.0.1', port: 0 }, () => client.send('ping', server.address().port, '127.0.0.1')));
});
out.hostLoopbackService = await new Promise((r) => {
  const s = dgram.createSocket('udp4');
  const t = setTimeout(() => { s.close(); r('no reply'); }, 300);
  s.on('message', () => { clearTimeout(t); s.close(); r('reply'); });
  s.on('error', (e) => { clearTimeout(t); s.close(); r(e.code); });
  s.bind({ address: '127.0.0.1', port: 0 }, () => s.send('ping', Number(hostPort), hostAddress));
});
console.log(JSON.stringify(out));
`;

describe('loopback-only network namespace', () => {
  it('can be created here', async () => {
    expect(await netnsUnavailable()).toBeUndefined();
  });

  it('has only lo, reaches nothing outside it, and cannot see the host loopback', async () => {
    // A UDP echo on the host's loopback, which must stay out of the namespace's reach.
    const echo = createSocket('udp4');
    echo.on('message', (m, rinfo) => echo.send(m, rinfo.port, rinfo.address));
    const address = loopbackAddress();
    await new Promise<void>((resolve) => echo.bind({ address, port: 0 }, resolve));
    try {
      const result = await runNodeCodeInNetns(PROBE.replace('process.argv.slice(1)', JSON.stringify([address, String(echo.address().port)])), { timeoutMs: 15_000 });
      expect(result.code, result.stderr).toBe(0);
      const out = JSON.parse(result.stdout.trim()) as Record<string, unknown>;
      expect(out).toEqual({
        interfaces: ['lo'],
        udpToDocumentationAddress: 'ENETUNREACH',
        tcpToDocumentationAddress: 'ENETUNREACH',
        dnsLookup: expect.not.stringMatching(/^resolved$/),
        loopbackEcho: 'ping',
        hostLoopbackService: 'no reply',
      });
    } finally {
      echo.close();
    }
  });

  it('passes arguments, stdin and exit codes through', async () => {
    const result = await runInNetns({ command: '/bin/sh', args: ['-c', 'read line; echo "$line $1"; ip -o link | wc -l; exit 3', 'sh', 'arg one'], input: 'hello\n' });
    expect(result.code).toBe(3);
    expect(result.stdout.split('\n')).toEqual(['hello arg one', '1', '']);
  });

  it('runs a TypeScript script that starts a peer (dnsmasq) inside the namespace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vphone-netns-test-'));
    try {
      const harness = fileURLToPath(new URL('./index.js', import.meta.url)).replace(/\.js$/, '.ts');
      const script = join(dir, 'peer-in-netns.mts');
      writeFileSync(script, [
        `import { startDnsmasq } from ${JSON.stringify(harness)};`,
        `const dns = await startDnsmasq({ address: '127.0.0.53', hosts: { 'sip.example.com': '127.0.0.9' } });`,
        `console.log(JSON.stringify(await dns.resolver().resolve4('sip.example.com')));`,
        'await dns.stop();',
      ].join('\n'));
      const result = await runNodeInNetns(script, [], { cwd: fileURLToPath(new URL('../..', import.meta.url)), timeoutMs: 20_000 });
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout.trim()).toBe('["127.0.0.9"]');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
