// Caller names from the phonebook on real devices (KX-UT670 5.6.3): two KX-UT670s call each
// other directly on 127.0.0.x; the callee has a phonebook entry for the caller's number. Its
// GET /api/v1/calls shows the phonebook name and the contact, the call log keeps the name, and
// with DISPLAY_NAME_REPLACE=N the name the network sent stays. The callee's outgoing call to the
// caller's number is named too. The phonebook survives a reboot (NVRAM phonebook.json).
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import type { CallSnapshot } from '../../src/phone/call.js';
import type { CallLogEntry } from '../../src/phone/call-log.js';
import { isPhonebookEntries } from '../../src/phone/phonebook/phonebook-entry.js';
import type { Device } from '../../firmware-sim/device.js';
import { sipService } from '../../firmware-sim/services/sip-service.js';
import { webService } from '../../firmware-sim/services/web-service.js';
import { bootDevice, deviceApi, tempDir, type Json } from '../helpers/device.js';
import { until } from '../helpers/until.js';
import { recordingFactory } from '../helpers/recording-media.js';

const devices: Device[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.shutdown('test');
});

async function boot(ip: string, clock: VirtualClock, settings: Record<string, string>, dataDir = tempDir()): Promise<Device> {
  const { device } = await bootDevice({ model: 'kx-ut670', ip, clock, settings, dataDir, services: [webService, sipService({ media: () => recordingFactory([]) })] });
  devices.push(device);
  return device;
}

/**
 * The first request after a reboot may go out on a pooled keep-alive connection the old server
 * closed ("other side closed"); fetch then drops that connection and the retry opens a new one.
 */
async function afterRestart<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request();
  } catch {
    return request();
  }
}

const port = (d: Device) => d.telephony()!.lineStatuses()[0]!.local.port;

/** `caller` calls `callee` directly; the callee's ringing call as GET /api/v1/calls shows it; the caller then gives up. */
async function ringOnce(caller: Device, callee: Device): Promise<Json> {
  const placed = await caller.telephony()!.dial(`${callee.ip}:${port(callee)}`);
  expect(placed.ok).toBe(true);
  await until('callee rings', () => callee.telephony()!.listCalls().some((c) => c.state === 'ringing'));
  const calls = (await deviceApi(callee, 'GET', '/calls')).json as Json[];
  const ringing = calls.find((c) => c.state === 'ringing');
  const logged = callee.telephony()!.listCalls().length;
  caller.telephony()!.act(placed.ok ? placed.value.id : '', 'hangup');
  await until('callee call ended', () => callee.telephony()!.listCalls().filter((c) => c.state === 'ended').length === logged);
  return ringing;
}

describe('phonebook names on calls between two KX-UT670s', () => {
  it('the callee shows and logs the phonebook name; DISPLAY_NAME_REPLACE=N keeps the network name; outgoing calls are named; the phonebook survives a reboot', async () => {
    const clock = new VirtualClock();
    const dir = tempDir();
    const callee = await boot('127.0.0.191', clock, {}, dir);
    const caller = await boot('127.0.0.192', clock, { PHONE_NUMBER_1: '0305551234', DISPLAY_NAME_1: 'Net Alice' });
    const seen: CallSnapshot[] = [];
    const changes: unknown[] = [];
    callee.subscribe((e) => {
      if (e.type === 'call') seen.push(e as unknown as CallSnapshot);
      if (e.type === 'phonebook') changes.push(e);
    });

    // The entry has the subscriber number only: the default 7/10 rule matches the last 7 digits.
    const added = await deviceApi(callee, 'POST', '/phonebook', { name: 'Alice (Sales)', numbers: ['555-1234'] });
    expect(added.status).toBe(201);
    expect(added.json).toEqual({ id: 1, name: 'Alice (Sales)', numbers: ['5551234'] });
    expect(changes).toEqual([expect.objectContaining({ type: 'phonebook', action: 'added', id: 1, total: 1 })]);

    // 1. DISPLAY_NAME_REPLACE=Y (default): the phonebook name replaces "Net Alice".
    const named = await ringOnce(caller, callee);
    expect(named.remote.displayName).toBe('Alice (Sales)');
    expect(named.contact).toEqual({ id: 1, name: 'Alice (Sales)' });
    expect(seen[0]).toMatchObject({ state: 'ringing', contact: { id: 1, name: 'Alice (Sales)' }, remote: { displayName: 'Alice (Sales)' } });
    await until('missed call logged', () => (callee.telephony() as unknown as { callLog: { list(): CallLogEntry[] } }).callLog.list().length === 1);
    const log1 = (await deviceApi(callee, 'GET', '/call-log')).json as CallLogEntry[];
    expect(log1[0]).toMatchObject({ kind: 'missed', remote: { number: '0305551234', name: 'Alice (Sales)' } });

    // 2. DISPLAY_NAME_REPLACE=N: the network's name stays; the match is still reported.
    expect((await deviceApi(callee, 'PUT', '/settings/DISPLAY_NAME_REPLACE', { value: 'N' })).status).toBe(200);
    const network = await ringOnce(caller, callee);
    expect(network.remote.displayName).toBe('Net Alice');
    expect(network.contact).toEqual({ id: 1, name: 'Alice (Sales)' });
    await until('second call logged', () => (callee.telephony() as unknown as { callLog: { list(): CallLogEntry[] } }).callLog.list().length === 2);
    const log2 = (await deviceApi(callee, 'GET', '/call-log')).json as CallLogEntry[];
    expect(log2[0]!.remote.name).toBe('Net Alice');

    // 3. Exact matching only (0/0): 0305551234 is not 5551234, no name from the phonebook.
    await deviceApi(callee, 'PUT', '/settings/DISPLAY_NAME_REPLACE', { value: 'Y' });
    await deviceApi(callee, 'PUT', '/settings/NUMBER_MATCHING_LOWER_DIGIT', { value: '0' });
    await deviceApi(callee, 'PUT', '/settings/NUMBER_MATCHING_UPPER_DIGIT', { value: '0' });
    const exact = await ringOnce(caller, callee);
    expect(exact.remote.displayName).toBe('Net Alice');
    expect(exact.contact).toBeUndefined();

    // 4. The callee calls the caller's number (a SIP URI to its address): the outgoing call is named.
    await deviceApi(callee, 'PUT', '/settings/NUMBER_MATCHING_LOWER_DIGIT', { value: '7' });
    await deviceApi(callee, 'PUT', '/settings/NUMBER_MATCHING_UPPER_DIGIT', { value: '10' });
    const out = await callee.telephony()!.dial(`sip:0305551234@127.0.0.192:${port(caller)}`);
    expect(out.ok).toBe(true);
    expect(out.ok && out.value.remote.displayName).toBe('Alice (Sales)');
    expect(out.ok && out.value.contact).toEqual({ id: 1, name: 'Alice (Sales)' });
    await until('caller rings', () => caller.telephony()!.listCalls().some((c) => c.state === 'ringing'));
    callee.telephony()!.act(out.ok ? out.value.id : '', 'hangup');
    await until('outgoing call logged', () => ((callee.telephony() as unknown as { callLog: { list(): CallLogEntry[] } }).callLog.list()[0]?.kind === 'outgoing'));
    const log4 = (await deviceApi(callee, 'GET', '/call-log')).json as CallLogEntry[];
    expect(log4[0]).toMatchObject({ kind: 'outgoing', remote: { name: 'Alice (Sales)' } });

    // 5. Reboot: the phonebook comes back from NVRAM and still names the caller.
    expect(callee.nvram.readJson('phonebook.json', isPhonebookEntries)).toEqual([{ id: 1, name: 'Alice (Sales)', numbers: ['5551234'] }]);
    await callee.reboot('test');
    expect((await afterRestart(() => deviceApi(callee, 'GET', '/phonebook'))).json).toEqual([{ id: 1, name: 'Alice (Sales)', numbers: ['5551234'] }]);
    const after = await ringOnce(caller, callee);
    expect(after.remote.displayName).toBe('Alice (Sales)');
  });
});
