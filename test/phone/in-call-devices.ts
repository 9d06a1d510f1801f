// Devices for the in-call feature stories: real devices in one process on 127.0.0.x with real
// UDP, settings set through the store as the web UI would, and waits that poll the call list.
import type { Clock } from '../../src/core/clock.js';
import type { DeviceEvent } from '../../src/core/device-events.js';
import type { CallSnapshot } from '../../src/phone/call.js';
import type { CallFeatureEvent } from '../../src/phone/in-call/call-feature.js';
import type { Phone } from '../../src/phone/phone.js';
import type { Device, DeviceService } from '../../firmware-sim/device.js';
import { bootDevice } from '../helpers/device.js';

export interface TestPhone {
  readonly device: Device;
  readonly events: DeviceEvent[];
  /** `ip:port` of line 1 (an IP direct call target). */
  readonly address: string;
  readonly phone: Phone;
  calls(): CallSnapshot[];
  features(kind?: string): CallFeatureEvent[];
}

export async function bootPhone(
  devices: Device[],
  model: 'kx-ut670' | 'fanvil-a12',
  ip: string,
  clock: Clock,
  settings: Record<string, string> = {},
  services?: ReadonlyArray<(device: Device) => DeviceService>,
): Promise<TestPhone> {
  const { device, events } = await bootDevice({ model, ip, clock, settings, ...(services ? { services } : {}) });
  devices.push(device);
  const api = device.telephony()!;
  return {
    device,
    events,
    address: `${ip}:${api.lineStatuses()[0]!.local.port}`,
    phone: api as unknown as Phone,
    calls: () => api.listCalls(),
    features: (kind) => events.filter((e) => e.type === 'call-feature').map((e) => e as unknown as CallFeatureEvent).filter((e) => kind === undefined || e.kind === kind),
  };
}

/** Polls `probe` on the event loop (real sockets deliver between polls) until it gives a value. */
export async function until<T>(what: string, probe: () => T | undefined | false, ms = 4000, step?: () => void): Promise<T> {
  const end = performance.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    step?.();
    await new Promise((r) => setTimeout(r, 2));
  }
}

export const callIn = (p: TestPhone, state?: string, not?: string): CallSnapshot | undefined => p.calls().find((c) => (state === undefined || c.state === state) && c.id !== not);
