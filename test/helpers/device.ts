// Test helpers: a real device on 127.0.0.1 with an ephemeral web port, in a temp data directory.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock } from '../../src/core/clock.js';
import type { Clock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { createDevice } from '../../firmware-sim/create-device.js';
import { getModel } from '../../firmware-sim/models/index.js';
import type { Device, ServiceFactory } from '../../firmware-sim/device.js';
import type { DeviceEvent } from '../../src/core/device-events.js';

export function tempDir(prefix = 'vphone-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function makeDevice(options: { model?: string; dataDir?: string; clock?: Clock; configPaths?: string[]; mac?: string; httpPort?: number } = {}): Device {
  return createDevice({
    model: getModel(options.model ?? 'kx-ut670')!,
    dataDir: options.dataDir ?? tempDir(),
    clock: options.clock ?? new VirtualClock(),
    ip: '127.0.0.1',
    sipPort: 0,
    httpPort: options.httpPort ?? 0,
    mac: options.mac,
    configPaths: options.configPaths,
    logger: silentLogger(),
  });
}

export function basicAuth(id: string, password: string): string {
  return `Basic ${Buffer.from(`${id}:${password}`).toString('base64')}`;
}

/**
 * A whole device on `ip` with every line on an ephemeral SIP port and `settings` (manual
 * parameter names) in the UI layer, booted; its events are collected. The caller shuts it down.
 */
export async function bootDevice(options: {
  model: 'kx-ut670' | 'fanvil-a12';
  ip: string;
  clock: Clock;
  settings?: Record<string, string>;
  services?: readonly ServiceFactory[];
  dataDir?: string;
}): Promise<{ device: Device; events: DeviceEvent[] }> {
  const device = createDevice({
    model: getModel(options.model)!,
    dataDir: options.dataDir ?? tempDir(),
    clock: options.clock,
    ip: options.ip,
    sipPort: 0,
    httpPort: 0,
    logger: silentLogger(),
    ...(options.services ? { services: options.services } : {}),
  });
  for (const [name, value] of Object.entries(options.settings ?? {})) {
    const r = device.store.set(name, value, 'ui', 'api');
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
  }
  const events: DeviceEvent[] = [];
  device.subscribe((e) => events.push(e));
  await device.boot();
  return { device, events };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies of many shapes, checked by the assertions
export type Json = any;

/** A control API request as the device's administrator (its model's default account, Basic). */
export async function deviceApi(d: Device, method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const admin = d.model.defaultAccounts.find((a) => a.role === 'admin')!;
  const request = (): Promise<Response> =>
    fetch(`http://${d.ip}:${d.httpPort}/api/v1${path}`, {
      method,
      headers: { authorization: basicAuth(admin.id, admin.password), 'content-type': 'application/json' },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  // After a reboot the first request may go out on a pooled keep-alive connection the old
  // server closed ("other side closed", no response at all); fetch drops it, a retry reconnects.
  const res = await request().catch(request);
  return { status: res.status, json: await res.json() };
}
