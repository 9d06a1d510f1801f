// The call log: cap, newest first, kinds, clear, persistence (unit); and on a device: entries of
// real calls (answered incoming with duration, outgoing, missed), the `call-log` event, the control
// API (GET /api/v1/call-log, ?kind=, DELETE, POST /features, PUT reject-numbers, PUT /hook), and
// the log and feature switches surviving a reboot in NVRAM.
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { CallLog, callLogOf, isCallLogEntries, type CallLogEntry, type NewCallLogEntry } from '../../src/phone/call-log.js';
import type { Phone } from '../../src/phone/phone.js';
import { createDevice } from '../../firmware-sim/create-device.js';
import { getModel } from '../../firmware-sim/models/index.js';
import type { Device } from '../../firmware-sim/device.js';
import { sipService } from '../../firmware-sim/services/sip-service.js';
import { webService } from '../../firmware-sim/services/web-service.js';
import { basicAuth, tempDir } from '../helpers/device.js';
import { until } from '../helpers/until.js';
import { recordingFactory } from '../helpers/recording-media.js';

const entry = (n: number, kind: NewCallLogEntry['kind'] = 'incoming'): NewCallLogEntry => ({
  kind,
  line: 1,
  at: new Date(Date.UTC(2024, 0, 1, 0, 0, n)).toISOString(),
  remote: { number: String(n), name: '', uri: `sip:${n}@h` },
  durationS: n,
  outcome: 'answered',
  callId: `c${n}`,
});

describe('CallLog', () => {
  it('keeps the newest entries up to the cap, filters by kind, clears, persists every change', () => {
    const saved: CallLogEntry[][] = [];
    const log = new CallLog(3, [], (e) => saved.push(e.slice()));
    const seen: number[] = [];
    log.events.on('entry', (e) => seen.push(e.id));
    for (let n = 1; n <= 5; n++) log.add(entry(n, n % 2 ? 'missed' : 'outgoing'));
    expect(log.list().map((e) => e.remote.number)).toEqual(['5', '4', '3']);
    expect(log.list('missed').map((e) => e.id)).toEqual([5, 3]);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(saved.at(-1)!.map((e) => e.id)).toEqual([5, 4, 3]);
    expect(log.clear()).toBe(3);
    expect(log.list()).toEqual([]);
    expect(saved.at(-1)).toEqual([]);
    // Ids continue after what was loaded.
    const again = new CallLog(3, [{ id: 7, ...entry(7) }]);
    expect(again.add(entry(8)).id).toBe(8);
    expect(isCallLogEntries([{ id: 1, kind: 'missed', at: 'x', remote: {} }])).toBe(true);
    expect(isCallLogEntries([{ id: 1, kind: 'other', at: 'x', remote: {} }])).toBe(false);
    expect(callLogOf({ callLog: log })).toBe(log);
    expect(callLogOf({})).toBeUndefined();
  });
});

const devices: Device[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.shutdown('test');
});

function make(model: 'kx-ut670' | 'fanvil-a12', ip: string, clock: VirtualClock, dataDir = tempDir()): Device {
  const device = createDevice({ model: getModel(model)!, dataDir, clock, ip, sipPort: 0, httpPort: 0, logger: silentLogger(), services: [webService, sipService({ media: () => recordingFactory([]) })] });
  devices.push(device);
  return device;
}

const ADMIN = basicAuth('admin', 'adminpass');

describe('call log on devices and in the control API', () => {
  it('logs answered, outgoing and missed calls; serves, filters and clears them over HTTP; survives a reboot with the feature switches', async () => {
    const clock = new VirtualClock();
    const dir = tempDir();
    const kx = make('kx-ut670', '127.0.0.71', clock, dir);
    const door = make('fanvil-a12', '127.0.0.72', clock);
    const events: string[] = [];
    kx.subscribe((e) => {
      if (e.type === 'call-log') events.push(`${e.kind}:${e.outcome}`);
    });
    await kx.boot();
    await door.boot();
    const p = kx.telephony() as Phone;
    const d = door.telephony() as Phone;
    const kxPort = p.lineStatuses()[0]!.local.port;
    const doorPort = d.lineStatuses()[0]!.local.port;

    // 1. KX calls the A12 (auto answer), talks 12 s, hangs up: outgoing answered, 12 s.
    const out = await p.dial(`127.0.0.72:${doorPort}`);
    expect(out.ok).toBe(true);
    await until('connected', () => p.listCalls().find((c) => c.state === 'connected'));
    clock.advance(12_000);
    p.act(out.ok ? out.value.id : '', 'hangup');
    await until('logged', () => p.callLog.list().length === 1);
    // 2. The A12 calls the KX, which answers, talks 5 s; the A12 hangs up: incoming answered.
    await d.dial(`127.0.0.71:${kxPort}`);
    const ringing = await until('KX rings', () => p.listCalls().find((c) => c.state === 'ringing'));
    p.act(ringing.id, 'answer');
    await until('A12 connected', () => d.listCalls().find((c) => c.state === 'connected'));
    clock.advance(5_000);
    d.hangupAll();
    await until('logged', () => p.callLog.list().length === 2);
    // 3. The A12 calls again and gives up while the KX rings: missed, cancelled.
    await d.dial(`127.0.0.71:${kxPort}`);
    await until('KX rings', () => p.listCalls().find((c) => c.state === 'ringing'));
    d.hangupAll();
    await until('logged', () => p.callLog.list().length === 3);

    expect(p.callLog.list().map((e) => [e.kind, e.outcome, e.durationS])).toEqual([
      ['missed', 'cancelled', 0],
      ['incoming', 'answered', 5],
      ['outgoing', 'answered', 12],
    ]);
    expect(p.callLog.list()[1]!.remote.uri).toContain('127.0.0.72');
    expect(events).toEqual(['outgoing:answered', 'incoming:answered', 'missed:cancelled']);

    const base = `http://127.0.0.71:${kx.httpPort}/api/v1`;
    const get = async (path: string) => fetch(`${base}${path}`, { headers: { authorization: ADMIN } });
    const send = async (method: string, path: string, body: unknown) => fetch(`${base}${path}`, { method, headers: { authorization: ADMIN, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const all = (await (await get('/call-log')).json()) as CallLogEntry[];
    expect(all.map((e) => e.kind)).toEqual(['missed', 'incoming', 'outgoing']);
    expect(((await (await get('/call-log?kind=missed')).json()) as CallLogEntry[]).map((e) => e.outcome)).toEqual(['cancelled']);
    expect((await get('/call-log?kind=bogus')).status).toBe(400);

    // Feature switches over HTTP; bad requests are refused with a reason.
    const dnd = await send('POST', '/features', { feature: 'dnd', on: true, line: 1 });
    expect(dnd.status).toBe(200);
    expect(((await dnd.json()) as { mode: string }).mode).toBe('local');
    expect((await send('POST', '/features', { feature: 'forward-always', on: true })).status).toBe(422);
    expect((await send('POST', '/features', { feature: 'nope', on: true })).status).toBe(400);
    expect((await send('PUT', '/features/reject-numbers', ['1002'])).status).toBe(200);
    expect((await send('PUT', '/features/reject-numbers', Array.from({ length: 31 }, (_, i) => String(i)))).status).toBe(400);
    const features = (await (await get('/features')).json()) as { lines: Array<{ line: number; dnd: boolean }>; rejectNumbers: string[] };
    expect(features.lines[0]).toMatchObject({ line: 1, dnd: true });
    expect(features.rejectNumbers).toEqual(['1002']);
    expect(((await (await send('PUT', '/hook', { offHook: true })).json()) as { hook: string }).hook).toBe('off');
    expect((await send('PUT', '/hook', { offHook: 'sideways' })).status).toBe(400);
    expect(((await (await send('PUT', '/hook', { offHook: false })).json()) as { hook: string }).hook).toBe('on');

    // The log is in NVRAM; DELETE clears it there too; the switches come back after a reboot.
    expect(kx.nvram.readJson('call-log.json', isCallLogEntries)).toHaveLength(3);
    const cleared = await fetch(`${base}/call-log`, { method: 'DELETE', headers: { authorization: ADMIN } });
    expect(await cleared.json()).toEqual({ cleared: 3 });
    expect(await (await get('/call-log')).json()).toEqual([]);
    p.callLog.add({ kind: 'missed', line: 1, at: new Date(0).toISOString(), remote: { number: '9', name: '', uri: 'sip:9@h' }, durationS: 0, outcome: 'cancelled', callId: 'x' });
    await kx.reboot('test');
    const after = kx.telephony() as Phone;
    expect(after.callLog.list().map((e) => [e.id, e.remote.number])).toEqual([[4, '9']]);
    expect(after.lineFeatures(1).dnd).toBe(true);
    expect(after.featureOverrides().rejectNumbers).toEqual(['1002']);
  });
});
