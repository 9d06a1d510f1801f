// Helpers of the presence interop tests: a whole device on the system clock with manual
// parameter names set through the store, and authenticated GETs on its control API.
import { expect } from 'vitest';
import { SystemClock } from '../../src/core/system-clock.js';
import type { DeviceEvent } from '../../src/core/device-events.js';
import type { Device } from '../../firmware-sim/device.js';
import { join } from 'node:path';
import { basicAuth, bootDevice } from '../helpers/device.js';
import { SCENARIO_DIR, startSipp, type SippInstance } from '../peers/index.js';

export type Cleanups = Array<() => Promise<unknown> | void>;

/** Boots a device with `settings` (manual names) in the UI layer; shutdown and clock stop go to `cleanups`. */
export async function bootWith(cleanups: Cleanups, model: 'kx-ut670' | 'fanvil-a12', ip: string, settings: Record<string, string>): Promise<{ device: Device; events: DeviceEvent[] }> {
  const clock = new SystemClock();
  cleanups.push(() => clock.stop());
  const { device, events } = await bootDevice({ model, ip, clock, settings });
  cleanups.push(() => device.shutdown('test'));
  return { device, events };
}

const ADMIN = basicAuth('admin', 'adminpass');

/** A control API request as the administrator; expects `status`, returns the JSON body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are checked by the assertions
export async function api(device: Device, path: string, init: { method?: string; body?: unknown; status?: number } = {}): Promise<any> {
  const res = await fetch(`http://${device.ip}:${device.httpPort}/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: ADMIN, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const body: unknown = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(init.status ?? 200);
  return body;
}

/** Device events of one type as plain records. */
export const ofType = (events: DeviceEvent[], type: string) => events.filter((e) => e.type === type) as unknown as Array<Record<string, unknown>>;

/** A SIPp running one of the event-package scenarios (test/peers/sipp/events/); stopped by `cleanups`. */
export async function eventsSipp(cleanups: Cleanups, name: string): Promise<SippInstance> {
  const s = await startSipp({ scenario: { file: join(SCENARIO_DIR, 'events', `${name}.xml`) }, timeoutMs: 15_000 });
  cleanups.push(() => s.stop());
  return s;
}
