// Factory reset (KX-UT670 9.1) returns the unit as it left the factory: settings, and also what
// the user stored — phonebook, call log, DND/forward states, uploaded ring files — while the
// unit's identity (MAC) stays. A plain reboot keeps all of it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { encodeWav } from '../../src/codecs/wav.js';
import { callLogOf } from '../../src/phone/call-log.js';
import type { Device } from '../../firmware-sim/device.js';
import { basicAuth, bootDevice, deviceApi, tempDir } from '../helpers/device.js';
import { until } from '../helpers/until.js';

const devices: Device[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.shutdown('test');
});

const clock = new VirtualClock();

async function boot(model: 'kx-ut670' | 'fanvil-a12', ip: string, dataDir: string): Promise<Device> {
  const { device } = await bootDevice({ model, ip, clock, dataDir });
  devices.push(device);
  return device;
}

describe('factory reset clears user data', () => {
  it('KX-UT670: phonebook, call log and settings survive a reboot, not a factory reset; the MAC stays', async () => {
    const dir = tempDir();
    const kx = await boot('kx-ut670', '127.0.0.231', dir);
    const mac = kx.mac;
    expect((await deviceApi(kx, 'POST', '/phonebook', { name: 'Alice', numbers: ['5551234'] })).status).toBe(201);
    expect((await deviceApi(kx, 'PUT', '/settings/SIP_RGSTR_ADDR_1', { value: 'pbx.example.test' })).status).toBe(200);
    // An outgoing call nobody answers (Timer B, RFC 3261 §17.1.1.2) leaves an entry in the call log.
    const placed = await kx.telephony()!.dial('127.0.0.232:5060');
    expect(placed.ok).toBe(true);
    clock.advance(40_000);
    await until('call logged', () => (callLogOf(kx.telephony())?.list().length ?? 0) > 0);
    expect((await deviceApi(kx, 'GET', '/call-log')).json.length).toBeGreaterThan(0);

    await kx.reboot('test');
    expect((await deviceApi(kx, 'GET', '/phonebook')).json).toHaveLength(1);
    expect((await deviceApi(kx, 'GET', '/call-log')).json.length).toBeGreaterThan(0);
    expect(existsSync(join(dir, 'phonebook.json'))).toBe(true);

    await kx.factoryReset('test');
    expect((await deviceApi(kx, 'GET', '/phonebook')).json).toEqual([]);
    expect((await deviceApi(kx, 'GET', '/call-log')).json).toEqual([]);
    expect(kx.store.effective('SIP_RGSTR_ADDR_1')).toMatchObject({ value: '', layer: 'factory' });
    expect(existsSync(join(dir, 'phonebook.json'))).toBe(false);
    expect(kx.mac).toBe(mac);
  });

  it('A12: an uploaded ring file is gone after a factory reset, kept after a reboot', async () => {
    const dir = tempDir();
    const a12 = await boot('fanvil-a12', '127.0.0.233', dir);
    const admin = a12.model.defaultAccounts.find((a) => a.role === 'admin')!;
    const wav = encodeWav(new Int16Array(800).fill(1000), 8000);
    const put = await fetch(`http://${a12.ip}:${a12.httpPort}/api/v1/ringtones/door.wav`, {
      method: 'PUT',
      headers: { authorization: basicAuth(admin.id, admin.password), 'content-type': 'audio/wav' },
      body: wav,
    });
    expect(put.status).toBeLessThan(300);
    const names = async (): Promise<string[]> => JSON.stringify((await deviceApi(a12, 'GET', '/ringtones')).json).match(/door\.wav/g) ?? [];
    await a12.reboot('test');
    expect(await names()).not.toEqual([]);
    await a12.factoryReset('test');
    expect(await names()).toEqual([]);
    expect(existsSync(join(dir, 'ringtones'))).toBe(false);
  });
});
