// The default lab of `make run`: a KX-UT670 and a Fanvil A12, each on its own loopback address
// with its own web port, so a browser can open both and they can call each other directly.
import { join } from 'node:path';
import type { Clock } from '../src/core/clock.js';
import type { Device } from './device.js';
import { createDevice } from './create-device.js';
import { getModel } from './models/index.js';
import type { ModelId } from './models/model.js';

export interface LabOptions {
  clock: Clock;
  dataRoot: string;
  httpPort: number;
  logLevel: string;
  print: (line: string) => void;
}

export const LAB_PHONES: ReadonlyArray<{ name: string; model: ModelId; ip: string }> = [
  { name: 'desk', model: 'kx-ut670', ip: '127.0.0.11' },
  { name: 'door', model: 'fanvil-a12', ip: '127.0.0.12' },
];

export async function runLab(options: LabOptions): Promise<Device[]> {
  const devices: Device[] = [];
  try {
    for (const phone of LAB_PHONES) {
      const device = createDevice({
        model: getModel(phone.model)!,
        clock: options.clock,
        ip: phone.ip,
        sipPort: 5060,
        httpPort: options.httpPort,
        dataDir: join(options.dataRoot, phone.name),
        logLevel: options.logLevel,
      });
      await device.boot();
      devices.push(device);
    }
  } catch (error) {
    await Promise.allSettled(devices.map((d) => d.shutdown('lab start failed')));
    throw error;
  }
  options.print('vphone lab is running (Ctrl-C stops it):');
  for (const [i, device] of devices.entries()) {
    const info = device.info();
    const accounts = device.accounts().map((a) => `${a.role} ${a.id}/${a.password === '' ? '(blank)' : a.password}`).join(', ');
    options.print(`  ${LAB_PHONES[i]!.name}: ${info.model} ${info.mac}  SIP ${info.address.ip}:${info.address.sipPort}  web http://${info.address.ip}:${info.address.httpPort}/  login ${accounts}`);
  }
  options.print(`  control API: curl --digest -u admin:PASSWORD http://ADDRESS:${options.httpPort}/api/v1/device`);
  return devices;
}
