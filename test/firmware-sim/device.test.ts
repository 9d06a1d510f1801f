import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import type { Device } from '../../firmware-sim/device.js';
import { StartupError } from '../../firmware-sim/device.js';
import { makeDevice, tempDir } from '../helpers/device.js';

const running: Device[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((d) => d.shutdown()));
});

async function boot(device: Device): Promise<Device> {
  running.push(device);
  await device.boot();
  return device;
}

const HEADER = '# Panasonic SIP Phone Standard Format File # DO NOT CHANGE THIS LINE!\r\n';

describe('device lifecycle', () => {
  it('boots in order and emits each phase', async () => {
    const device = makeDevice();
    const phases: string[] = [];
    device.subscribe((e) => phases.push(e.type === 'boot' ? `boot:${e.phase}` : e.type));
    await boot(device);
    // The SIP service reports each of the six lines as it binds, before the device is ready.
    expect(phases).toEqual(['boot:loading-nvram', 'boot:applying-settings', 'boot:starting-services', ...Array(6).fill('line'), 'boot:ready']);
    expect(device.status).toBe('running');
    expect(device.info()).toMatchObject({ model: 'KX-UT670', vendor: 'Panasonic', firmware: '01.070', lines: 6, bootCount: 1 });
    expect(device.httpPort).toBeGreaterThan(0);
  });

  it('applies --config files as pre-provisioning and keeps settings across restarts', async () => {
    const dataDir = tempDir();
    const cfg = join(dataDir, '..', `pre-${Date.now()}.cfg`);
    writeFileSync(cfg, `${HEADER}SIP_RGSTR_ADDR_1="pbx.lab"\r\nSIP_RGSTR_PORT_1="99999"\r\nDISPLAY_NAME_1="Desk"\r\n\r\n`);
    const first = await boot(makeDevice({ dataDir, configPaths: [cfg] }));
    expect(first.store.effective('SIP_RGSTR_ADDR_1')).toMatchObject({ value: 'pbx.lab', layer: 'preprovisioning' });
    // The out-of-range value is rejected for that parameter only (issue: "Bad input").
    expect(first.store.effective('SIP_RGSTR_PORT_1')).toMatchObject({ value: '5060', layer: 'factory' });
    expect(first.settings.lines[0]!.registrar.host).toBe('pbx.lab');
    expect(first.store.set('DISPLAY_NAME_2', 'Second', 'ui', 'web').ok).toBe(true);
    const mac = first.mac;
    await first.shutdown();

    const second = await boot(makeDevice({ dataDir }));
    expect(second.mac).toBe(mac);
    expect(second.info().bootCount).toBe(2);
    expect(second.store.effective('SIP_RGSTR_ADDR_1')).toMatchObject({ value: 'pbx.lab', layer: 'preprovisioning' });
    expect(second.store.effective('DISPLAY_NAME_2')).toMatchObject({ value: 'Second', layer: 'ui' });
    expect(second.settings.lines[1]!.displayName).toBe('Second');
  });

  it('factory reset clears every layer and reboots; Reset Web Settings clears only the UI layer', async () => {
    const device = await boot(makeDevice());
    device.store.set('SIP_RGSTR_ADDR_1', 'master.example', 'master');
    device.store.set('SIP_RGSTR_ADDR_1', 'web.example', 'ui', 'web');
    const types: string[] = [];
    device.subscribe((e) => types.push(e.type === 'boot' ? `boot:${e.phase}` : e.type));

    await device.resetWebSettings('test');
    expect(device.store.effective('SIP_RGSTR_ADDR_1')).toMatchObject({ value: 'master.example', layer: 'master' });
    expect(types).toEqual(expect.arrayContaining(['settings-changed', 'web-settings-reset', 'reboot', 'shutdown', 'boot:ready']));
    expect(device.info().bootCount).toBe(2);

    await device.factoryReset('test');
    expect(device.store.effective('SIP_RGSTR_ADDR_1')).toMatchObject({ value: '', layer: 'factory' });
    expect(types).toContain('factory-reset');
    expect(device.status).toBe('running');
  });

  it('settings changes rebuild the canonical settings and emit an event', async () => {
    const device = await boot(makeDevice());
    const changes: string[][] = [];
    device.subscribe((e) => {
      if (e.type === 'settings-changed') changes.push([...e.names]);
    });
    device.store.set('SIP_TRANSPORT_3', '1', 'ui', 'web');
    expect(device.settings.lines[2]!.transport).toBe('tcp');
    expect(changes).toEqual([['SIP_TRANSPORT_3']]);
  });

  it('uptime follows the injected clock', async () => {
    const clock = new VirtualClock();
    const device = await boot(makeDevice({ clock }));
    clock.advance(61_000);
    expect(device.info().uptimeS).toBe(61);
  });

  it('derives a stable MAC from model and address, and validates a given one', () => {
    const a = makeDevice();
    const b = makeDevice();
    expect(a.mac).toMatch(/^0080F0[0-9A-F]{6}$/);
    expect(b.mac).toBe(a.mac);
    expect(makeDevice({ mac: '00:80:f0:12:34:56' }).mac).toBe('0080F0123456');
    expect(() => makeDevice({ mac: 'nonsense' })).toThrow(StartupError);
  });

  it('CFG_FILE_KEY1 is a per-unit factory value', () => {
    const a = makeDevice({ mac: '0080F0000001' });
    const b = makeDevice({ mac: '0080F0000002' });
    const keyA = a.store.effective('CFG_FILE_KEY1')!;
    expect(keyA.layer).toBe('factory');
    expect(keyA.value).toHaveLength(32);
    expect(b.store.get('CFG_FILE_KEY1')).not.toBe(keyA.value);
  });
});

describe('startup errors', () => {
  it('a port in use is a StartupError naming the address', async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', r));
    const port = (blocker.address() as { port: number }).port;
    const device = makeDevice({ httpPort: port });
    await expect(device.boot()).rejects.toMatchObject({ code: 'PORT_IN_USE', message: `web: 127.0.0.1:${port} is already in use` });
    expect(device.status).toBe('off');
    blocker.close();
  });

  it('an unwritable data directory is a StartupError', () => {
    const file = join(tempDir(), 'plain-file');
    writeFileSync(file, 'x');
    expect(() => makeDevice({ dataDir: join(file, 'sub') })).toThrow(/data directory .* is not writable/);
  });

  it('a data directory of another model is refused', () => {
    const dataDir = tempDir();
    makeDevice({ dataDir });
    expect(() => makeDevice({ dataDir, model: 'fanvil-a12' })).toThrow(/belongs to a kx-ut670/);
  });

  it('an unreadable config file is a StartupError', () => {
    expect(() => makeDevice({ configPaths: ['/nonexistent/file.cfg'] })).toThrow(/config file \/nonexistent\/file.cfg cannot be read: ENOENT/);
  });

  it('a corrupt settings file is set aside and the device boots on factory values', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, 'settings.json'), '{"version":1, "ui": {tor');
    const device = await boot(makeDevice({ dataDir }));
    expect(device.store.overriddenNames()).toEqual([]);
    expect(device.status).toBe('running');
  });
});
