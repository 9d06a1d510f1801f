import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { VirtualClock } from '../../src/core/clock.js';
import type { Device } from '../../firmware-sim/device.js';
import { basicAuth, makeDevice } from '../helpers/device.js';

const running: Device[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((d) => d.shutdown()));
});

async function start(clock = new VirtualClock()): Promise<{ device: Device; base: string; clock: VirtualClock }> {
  const device = makeDevice({ clock });
  running.push(device);
  await device.boot();
  return { device, base: `http://127.0.0.1:${device.httpPort}`, clock };
}

const ADMIN = basicAuth('admin', 'adminpass');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked by the assertions
const json = (res: Response): Promise<any> => res.json();

/** An independent RFC 7616 client computation (not the server's code). */
function digestHeader(challenge: string, method: string, uri: string, user: string, password: string, nc = '00000001'): string {
  const get = (k: string) => new RegExp(`${k}="?([^",]+)"?`).exec(challenge)![1]!;
  const algorithm = get('algorithm');
  const h = (s: string) => createHash(algorithm === 'SHA-256' ? 'sha256' : 'md5').update(s).digest('hex');
  const realm = get('realm');
  const nonce = get('nonce');
  const cnonce = 'abcdef0123456789';
  const response = h(`${h(`${user}:${realm}:${password}`)}:${nonce}:${nc}:${cnonce}:auth:${h(`${method}:${uri}`)}`);
  return `Digest username="${user}", realm="${realm}", nonce="${nonce}", uri="${uri}", algorithm=${algorithm}, qop=auth, nc=${nc}, cnonce="${cnonce}", response="${response}", opaque="${get('opaque')}"`;
}

async function challenges(base: string): Promise<string[]> {
  const res = await fetch(`${base}/api/v1/device`);
  expect(res.status).toBe(401);
  return res.headers.get('www-authenticate')!.split(/, (?=Digest|Basic)/);
}

describe('authentication (KX-UT670 4.2.3: Digest or Basic)', () => {
  it('challenges with SHA-256 and MD5 Digest and Basic', async () => {
    const { base } = await start();
    const offered = await challenges(base);
    expect(offered.map((c) => c.split(' ')[0] + (/algorithm=([\w-]+)/.exec(c)?.[1] ?? ''))).toEqual(['DigestSHA-256', 'DigestMD5', 'Basic']);
    expect(offered[0]).toMatch(/qop="auth"/);
  });

  it('issues a distinct nonce per challenge, even within the same millisecond', async () => {
    const { base } = await start();
    const nonce = (c: string) => /nonce="([^"]+)"/.exec(c)![1];
    const digests = async () => (await challenges(base)).filter((c) => c.startsWith('Digest')).map(nonce);
    const all = [...(await digests()), ...(await digests())];
    expect(all).toHaveLength(4);
    expect(new Set(all).size).toBe(4);
  });

  for (const algorithm of ['SHA-256', 'MD5']) {
    it(`accepts Digest ${algorithm} and refuses a replayed nonce count`, async () => {
      const { base } = await start();
      const challenge = (await challenges(base)).find((c) => c.includes(`algorithm=${algorithm}`))!;
      const auth = digestHeader(challenge, 'GET', '/api/v1/device', 'admin', 'adminpass');
      expect((await fetch(`${base}/api/v1/device`, { headers: { authorization: auth } })).status).toBe(200);
      const replay = await fetch(`${base}/api/v1/device`, { headers: { authorization: auth } });
      expect(replay.status).toBe(401);
      const next = digestHeader(challenge, 'GET', '/api/v1/device', 'admin', 'adminpass', '00000002');
      expect((await fetch(`${base}/api/v1/device`, { headers: { authorization: next } })).status).toBe(200);
    });
  }

  it('marks an expired nonce stale (virtual time)', async () => {
    const { base, clock } = await start();
    const challenge = (await challenges(base))[0]!;
    clock.advance(301_000);
    const res = await fetch(`${base}/api/v1/device`, { headers: { authorization: digestHeader(challenge, 'GET', '/api/v1/device', 'admin', 'adminpass') } });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/stale=true/);
  });

  it('refuses wrong passwords, and the user account on the control API', async () => {
    const { base } = await start();
    expect((await fetch(`${base}/api/v1/device`, { headers: { authorization: basicAuth('admin', 'wrong') } })).status).toBe(401);
    const user = await fetch(`${base}/api/v1/device`, { headers: { authorization: basicAuth('user', '') } });
    expect(user.status).toBe(403);
  });

  it('works with curl --digest (a real client)', async () => {
    const { base } = await start();
    // Asynchronously: the server runs in this very event loop.
    const { stdout } = await promisify(execFile)('curl', ['-s', '--digest', '-u', 'admin:adminpass', `${base}/api/v1/device`], { encoding: 'utf8' });
    expect(JSON.parse(stdout)).toMatchObject({ model: 'KX-UT670' });
  });
});

describe('control API', () => {
  it('GET /api/v1/device', async () => {
    const { base, device } = await start();
    const body = await json(await fetch(`${base}/api/v1/device`, { headers: { authorization: ADMIN } }));
    expect(body).toEqual({
      model: 'KX-UT670',
      modelId: 'kx-ut670',
      vendor: 'Panasonic',
      mac: device.mac,
      firmware: '01.070',
      address: { ip: '127.0.0.1', sipPort: 0, httpPort: device.httpPort },
      uptimeS: 0,
      bootCount: 1,
      lines: 6,
      ipDirectCalls: false,
    });
  });

  it('reads and writes settings with their layer', async () => {
    const { base, device } = await start();
    device.store.set('SIP_RGSTR_ADDR_1', 'prov.example', 'standard');
    const get = async (name: string, q = '') => json(await fetch(`${base}/api/v1/settings/${name}${q}`, { headers: { authorization: ADMIN } }));
    expect(await get('SIP_RGSTR_ADDR_1')).toMatchObject({ value: 'prov.example', layer: 'standard', section: '5.8.2', format: 'String' });
    const put = await fetch(`${base}/api/v1/settings/SIP_RGSTR_ADDR_1`, {
      method: 'PUT',
      headers: { authorization: ADMIN, 'content-type': 'application/json' },
      body: JSON.stringify({ value: 'web.example' }),
    });
    expect(put.status).toBe(200);
    expect(await json(put)).toMatchObject({ value: 'web.example', layer: 'ui', via: 'api' });
    expect(device.settings.lines[0]!.registrar.host).toBe('web.example');
    const del = await fetch(`${base}/api/v1/settings/SIP_RGSTR_ADDR_1`, { method: 'DELETE', headers: { authorization: ADMIN } });
    expect(await json(del)).toMatchObject({ value: 'prov.example', layer: 'standard' });
  });

  it('masks secrets unless asked', async () => {
    const { base } = await start();
    const get = async (q: string) => json(await fetch(`${base}/api/v1/settings/ADMIN_PASS${q}`, { headers: { authorization: ADMIN } }));
    expect((await get('')).value).toBe('********');
    expect((await get('?reveal=true')).value).toBe('adminpass');
  });

  it('rejects bad values, unknown names and malformed bodies with clear errors', async () => {
    const { base, device } = await start();
    const put = (name: string, body: string) =>
      fetch(`${base}/api/v1/settings/${name}`, { method: 'PUT', headers: { authorization: ADMIN, 'content-type': 'application/json' }, body });
    const bad = await put('SIP_RGSTR_PORT_1', '{"value":"70000"}');
    expect(bad.status).toBe(400);
    expect(await json(bad)).toEqual({ error: { code: 'SETTING_BAD_VALUE', message: 'SIP_RGSTR_PORT_1: value 70000 is out of range 1-65535' } });
    expect(device.store.get('SIP_RGSTR_PORT_1')).toBe('5060');
    expect((await put('NO_SUCH', '{"value":"1"}')).status).toBe(404);
    const malformed = await put('SIP_RGSTR_PORT_1', '{"value":');
    expect(malformed.status).toBe(400);
    expect((await json(malformed)).error.code).toBe('BAD_REQUEST');
    expect((await put('SIP_RGSTR_PORT_1', '{"nothing":1}')).status).toBe(400);
    const missing = await fetch(`${base}/api/v1/nope`, { headers: { authorization: ADMIN } });
    expect(missing.status).toBe(404);
  });

  it('survives a malformed HTTP request', async () => {
    const { base, device } = await start();
    const net = await import('node:net');
    const reply = await new Promise<string>((resolve) => {
      const s = net.connect(device.httpPort, '127.0.0.1', () => s.write('GARBAGE\x01 / HTTP/9.9\r\n\r\n'));
      let data = '';
      s.on('data', (d) => (data += d.toString()));
      s.on('close', () => resolve(data));
      s.on('error', () => resolve(data));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 400/);
    expect((await fetch(`${base}/api/v1/device`, { headers: { authorization: ADMIN } })).status).toBe(200);
  });

  it('serves an OpenAPI document that lists the routes', async () => {
    const { base } = await start();
    const doc = await json(await fetch(`${base}/api/v1/openapi.json`));
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/device', '/api/v1/settings', '/api/v1/settings/{name}', '/api/v1/events', '/api/v1/device/factory-reset']),
    );
    expect(Object.keys(doc.paths['/api/v1/settings/{name}'])).toEqual(['get', 'put', 'delete']);
  });

  it('streams device events over a WebSocket', async () => {
    const { base, device } = await start();
    const ws = new WebSocket(`${base.replace('http', 'ws')}/api/v1/events?since=0`, { headers: { authorization: ADMIN } });
    const events: Array<{ type: string; [k: string]: unknown }> = [];
    await new Promise<void>((resolve, reject) => {
      ws.on('message', (data) => {
        events.push(JSON.parse(data.toString()));
        if (events.some((e) => e.type === 'settings-changed')) resolve();
      });
      ws.on('open', () => device.store.set('DISPLAY_NAME_1', 'Alice', 'ui', 'web'));
      ws.on('error', reject);
    });
    ws.close();
    expect(events[0]).toMatchObject({ type: 'boot', phase: 'loading-nvram', seq: 1, device: device.mac });
    expect(events.find((e) => e.type === 'settings-changed')).toMatchObject({ names: ['DISPLAY_NAME_1'], layer: 'ui' });
  });

  it('refuses an unauthenticated WebSocket', async () => {
    const { base } = await start();
    const ws = new WebSocket(`${base.replace('http', 'ws')}/api/v1/events`);
    const status = await new Promise<number>((resolve) => ws.on('unexpected-response', (_req, res) => resolve(res.statusCode!)));
    expect(status).toBe(401);
  });
});

describe('status page (KX-UT670 4.3)', () => {
  it('shows version and network status to User and Administrator, escaped', async () => {
    const { base, device } = await start();
    expect((await fetch(`${base}/`)).status).toBe(401);
    for (const auth of [ADMIN, basicAuth('user', '')]) {
      const res = await fetch(`${base}/`, { headers: { authorization: auth } });
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('<tr><th>Model</th><td>Panasonic KX-UT670</td></tr>');
      expect(html).toContain(`<tr><th>MAC Address</th><td>${device.mac.match(/../g)!.join('-')}</td></tr>`);
      expect(html).toContain('<tr><th>Firmware Version</th><td>01.070</td></tr>');
    }
  });
});
