// /api/v1/lines and /api/v1/calls over HTTP with the admin account: place a call from one
// virtual phone to another, watch it on both, act on it, and get clear errors for bad requests.
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { createDevice } from '../../firmware-sim/create-device.js';
import { getModel } from '../../firmware-sim/models/index.js';
import type { Device } from '../../firmware-sim/device.js';
import { sipService } from '../../firmware-sim/services/sip-service.js';
import { webService } from '../../firmware-sim/services/web-service.js';
import { basicAuth, tempDir } from '../helpers/device.js';
import { recordingFactory } from '../helpers/recording-media.js';

const devices: Device[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.shutdown('test');
});

async function boot(model: 'kx-ut670' | 'fanvil-a12', ip: string, clock: VirtualClock): Promise<{ device: Device; api: (path: string, init?: RequestInit) => Promise<Response> }> {
  const device = createDevice({ model: getModel(model)!, dataDir: tempDir(), clock, ip, sipPort: 0, httpPort: 0, logger: silentLogger(), services: [webService, sipService({ media: () => recordingFactory([]) })] });
  await device.boot();
  devices.push(device);
  const auth = model === 'kx-ut670' ? basicAuth('admin', 'adminpass') : basicAuth('admin', 'admin');
  const api = (path: string, init: RequestInit = {}) =>
    fetch(`http://${ip}:${device.httpPort}/api/v1${path}`, { ...init, headers: { authorization: auth, 'content-type': 'application/json', ...(init.headers ?? {}) } });
  return { device, api };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await probe();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

interface CallJson {
  id: string;
  state: string;
  direction: string;
  codec?: string;
  endReason?: string;
}

describe('control API: lines and calls', () => {
  it('GET /lines lists the lines; POST /calls places a call the other phone answers; hangup ends it', async () => {
    const clock = new VirtualClock();
    const kx = await boot('kx-ut670', '127.0.0.31', clock);
    const door = await boot('fanvil-a12', '127.0.0.32', clock);

    const lines = (await (await kx.api('/lines')).json()) as Array<{ line: number; registration: { state: string }; local: { port: number } }>;
    expect(lines).toHaveLength(6);
    expect(lines[0]!.registration.state).toBe('disabled');
    const doorLines = (await (await door.api('/lines')).json()) as Array<{ local: { port: number } }>;
    expect(doorLines).toHaveLength(2);

    const placed = await kx.api('/calls', { method: 'POST', body: JSON.stringify({ to: `127.0.0.32:${doorLines[0]!.local.port}`, line: 1 }) });
    expect(placed.status).toBe(201);
    const call = (await placed.json()) as CallJson;
    expect(call).toMatchObject({ direction: 'outgoing', state: 'calling' });

    const up = await until('connected', async () => {
      const c = (await (await kx.api(`/calls/${call.id}`)).json()) as CallJson;
      return c.state === 'connected' ? c : undefined;
    });
    expect(up.codec).toBeDefined();
    const remote = (await (await door.api('/calls')).json()) as CallJson[];
    expect(remote).toEqual([expect.objectContaining({ direction: 'incoming', state: 'connected', codec: up.codec })]);

    const dtmf = await kx.api(`/calls/${call.id}/dtmf`, { method: 'POST', body: JSON.stringify({ digits: '12#' }) });
    expect(dtmf.status).toBe(200);
    const hung = await kx.api(`/calls/${call.id}/hangup`, { method: 'POST' });
    expect(hung.status).toBe(200);
    const ended = await until('ended', async () => {
      const c = ((await (await door.api('/calls')).json()) as CallJson[])[0]!;
      return c.state === 'ended' ? c : undefined;
    });
    expect(ended.endReason).toBe('remote-bye');
    // Acting on an ended call: 409 with the reason.
    const late = await kx.api(`/calls/${call.id}/hangup`, { method: 'POST' });
    expect(late.status).toBe(409);
    expect(((await late.json()) as { error: { code: string } }).error.code).toBe('CALL_ENDED');
  });

  it('bad requests get specific errors', async () => {
    const clock = new VirtualClock();
    const kx = await boot('kx-ut670', '127.0.0.31', clock);
    const codeOf = async (r: Response) => [r.status, ((await r.json()) as { error: { code: string } }).error.code];
    expect(await codeOf(await kx.api('/calls', { method: 'POST', body: '{"to": 5}' }))).toEqual([400, 'BAD_REQUEST']);
    expect(await codeOf(await kx.api('/calls', { method: 'POST', body: '{"to": "127.0.0.32", "line": 0}' }))).toEqual([400, 'BAD_REQUEST']);
    expect(await codeOf(await kx.api('/calls', { method: 'POST', body: '{"to": "127.0.0.32", "line": 9}' }))).toEqual([422, 'CALL_NO_LINE']);
    expect(await codeOf(await kx.api('/calls', { method: 'POST', body: '{"to": "1001"}' }))).toEqual([422, 'CALL_NO_ROUTE']);
    expect(await codeOf(await kx.api('/calls', { method: 'POST', body: '{"to": "a b c"}' }))).toEqual([400, 'CALL_BAD_TARGET']);
    expect(await codeOf(await kx.api('/calls/c99/hangup', { method: 'POST' }))).toEqual([404, 'CALL_NOT_FOUND']);
    expect(await codeOf(await kx.api('/calls/c99/explode', { method: 'POST' }))).toEqual([404, 'CALL_UNKNOWN_ACTION']);
    const spec = (await (await kx.api('/openapi.json')).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/v1/lines', '/api/v1/calls', '/api/v1/calls/{id}/{action}']));
  });

  it('POST /keys/{key}: dial-pad keys send DTMF in a call, dial off hook, and are refused on hook', async () => {
    const clock = new VirtualClock();
    const kx = await boot('kx-ut670', '127.0.0.33', clock);
    const door = await boot('fanvil-a12', '127.0.0.34', clock);
    const json = async (r: Response) => [r.status, await r.json()] as const;
    // On hook with no call: nothing to dial.
    const [onHook, refused] = await json(await kx.api('/keys/1', { method: 'POST', body: '{}' }));
    expect([onHook, (refused as { error: { code: string } }).error.code]).toEqual([409, 'CALL_ON_HOOK']);
    // Keys that are not the dial pad belong to the simulated hardware.
    expect((await kx.api('/keys/menu', { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await kx.api('/keys/1', { method: 'POST', body: '{"action":"twist"}' })).status).toBe(400);
    // Off hook, digits collect.
    expect((await kx.api('/hook', { method: 'PUT', body: '{"offHook": true}' })).status).toBe(200);
    const [s1] = await json(await kx.api('/keys/4', { method: 'POST', body: '{}' }));
    const [s2, second] = await json(await kx.api('/keys/7', { method: 'POST', body: '{}' }));
    expect([s1, s2]).toEqual([200, 200]);
    expect((second as { digits: string }).digits).toBe('47');
    expect((await kx.api('/hook', { method: 'PUT', body: '{"offHook": false}' })).status).toBe(200);
    // In a call, a key is DTMF on that call.
    const doorPort = ((await (await door.api('/lines')).json()) as Array<{ local: { port: number } }>)[0]!.local.port;
    const placed = (await (await kx.api('/calls', { method: 'POST', body: JSON.stringify({ to: `127.0.0.34:${doorPort}` }) })).json()) as CallJson;
    await until('connected', async () => {
      const c = (await (await kx.api(`/calls/${placed.id}`)).json()) as CallJson;
      return c.state === 'connected' ? c : undefined;
    });
    const [s3, dtmf] = await json(await kx.api('/keys/%23', { method: 'POST', body: '{}' }));
    expect(s3).toBe(200);
    expect(dtmf).toMatchObject({ key: '#', call: placed.id });
  });
});
