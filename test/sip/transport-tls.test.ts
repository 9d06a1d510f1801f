// TlsTransport on loopback with a self-signed certificate made by openssl in a temp dir: a
// round trip through two transaction layers (Via token TLS), connection reuse, and a refused
// certificate reported as send-error.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { createRequest, randomBranch, randomCallId } from '../../src/sip/message/index.js';
import { TlsTransport, type TlsTransportOptions, type TransportEvents } from '../../src/sip/transport/index.js';
import { endpoint, token, transact, until } from './transport-helpers.js';

let dir: string;
let key: string;
let cert: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vphone-tls-'));
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1',
    '-subj', '/CN=vphone-test', '-addext', 'subjectAltName=IP:127.0.0.1',
  ], { stdio: 'ignore' });
  key = readFileSync(join(dir, 'key.pem'), 'utf8');
  cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tls(options: Partial<TlsTransportOptions>, clock: VirtualClock): Promise<TlsTransport> {
  const t = new TlsTransport({ address: '127.0.0.1', port: 0, clock, key, cert, ca: cert, ...options });
  await t.start();
  cleanups.push(() => t.close());
  return t;
}

function options(via: string) {
  return createRequest({ method: 'OPTIONS', uri: 'sips:b@127.0.0.1', via, from: `<sips:a@127.0.0.1>;tag=${token(4)}`, to: '<sips:b@127.0.0.1>', callId: randomCallId(), cseq: 1 });
}

describe('TlsTransport', () => {
  it('carries OPTIONS both ways over one verified TLS connection', async () => {
    const clock = new VirtualClock();
    const a = endpoint(await tls({}, clock), clock);
    const b = endpoint(await tls({}, clock), clock);
    expect((await transact(a.layer, options(a.transport.via(randomBranch())), b.peer)).status).toBe(200);
    expect((await transact(a.layer, options(a.transport.via(randomBranch())), b.peer)).status).toBe(200);
    const via = b.requests[0]!.topVia!;
    expect(`${via.transport} ${via.host}:${via.port}`).toBe(`TLS 127.0.0.1:${a.peer.port}`);
    expect(a.transport.stats).toMatchObject({ transport: 'tls', connectionsOpened: 1, sent: 2, received: 2 });
    expect(b.transport.stats).toMatchObject({ connectionsOpened: 1, sent: 2, received: 2, handshakeFailures: 0 });
  });

  it('an untrusted server certificate fails the handshake: send-error with the message', async () => {
    const clock = new VirtualClock();
    // a trusts only Node's CA bundle, not b's self-signed certificate.
    const a = await tls({ ca: undefined }, clock);
    const b = endpoint(await tls({}, clock), clock);
    const errors: Array<TransportEvents['send-error']> = [];
    a.events.on('send-error', (e) => errors.push(e));
    const msg = options(a.via(randomBranch()));
    expect(a.send(msg, b.peer)).toBe(true);
    await until('send-error', () => errors[0]);
    expect(errors[0]!.message).toBe(msg);
    expect(errors[0]!.error.message).toMatch(/self[- ]signed/i);
    await until('b counts the failed handshake', () => (b.transport.stats.handshakeFailures === 1 ? true : undefined));
    expect(b.requests).toEqual([]);
    expect(a.stats).toMatchObject({ connectionsOpened: 0, openConnections: 0, sendErrors: 1 });
  });
});
