// Lines over TCP and TLS (KX-UT670 SIP_TRANSPORT_n = 1; A12 9.12 Transport TCP/TLS): two
// devices call each other directly over a stream transport, the line status names it, and the
// TLS line presents the device's own certificate (made once, kept in NVRAM).
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import type { CallSnapshot } from '../../src/phone/call.js';
import type { Device } from '../../firmware-sim/device.js';
import { deviceCertificate } from '../../firmware-sim/device-certificate.js';
import { sipService } from '../../firmware-sim/services/sip-service.js';
import { bootDevice, tempDir } from '../helpers/device.js';
import { recordingFactory } from '../helpers/recording-media.js';

const devices: Device[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.shutdown('test');
});

async function boot(model: 'kx-ut670' | 'fanvil-a12', ip: string, clock: VirtualClock, settings: Record<string, string>, dataDir = tempDir()): Promise<Device> {
  const { device } = await bootDevice({ model, ip, clock, settings, dataDir, services: [sipService({ media: () => recordingFactory([]) })] });
  devices.push(device);
  return device;
}

async function until<T>(what: string, probe: () => T | undefined): Promise<T> {
  const end = performance.now() + 5000;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (performance.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
}

const callOf = (d: Device, state: string): CallSnapshot | undefined => d.telephony()!.listCalls().find((c) => c.state === state);

async function callAndHangUp(a: Device, b: Device, targetIp: string): Promise<void> {
  const port = b.telephony()!.lineStatuses()[0]!.local.port;
  expect((await a.telephony()!.dial(`${targetIp}:${port}`)).ok).toBe(true);
  const up = await until('caller connected', () => callOf(a, 'connected'));
  await until('callee connected', () => callOf(b, 'connected'));
  a.telephony()!.act(up.id, 'hangup');
  await until('callee ended', () => callOf(b, 'ended'));
  expect(callOf(b, 'ended')!.endReason).toBe('remote-bye');
}

describe('stream transports on device lines', () => {
  it('two KX-UT670s call over TCP (SIP_TRANSPORT_n = 1)', async () => {
    const clock = new VirtualClock();
    const a = await boot('kx-ut670', '127.0.0.51', clock, { SIP_TRANSPORT_1: '1' });
    const b = await boot('kx-ut670', '127.0.0.52', clock, { SIP_TRANSPORT_1: '1' });
    expect(a.telephony()!.lineStatuses()[0]!.local.transport).toBe('tcp');
    const port = b.telephony()!.lineStatuses()[0]!.local.port;
    expect((await a.telephony()!.dial(`127.0.0.52:${port}`)).ok).toBe(true);
    const ringing = await until('callee rings', () => callOf(b, 'ringing'));
    expect(b.telephony()!.act(ringing.id, 'answer').ok).toBe(true);
    const up = await until('caller connected', () => callOf(a, 'connected'));
    a.telephony()!.act(up.id, 'hangup');
    await until('callee ended', () => callOf(b, 'ended'));
  });

  it('two A12s call over TLS with their own certificates', async () => {
    const clock = new VirtualClock();
    const dir = tempDir();
    const a = await boot('fanvil-a12', '127.0.0.53', clock, { 'SIP1 Transport': '2' }, dir);
    const b = await boot('fanvil-a12', '127.0.0.54', clock, { 'SIP1 Transport': '2' });
    expect(a.telephony()!.lineStatuses()[0]!.local.transport).toBe('tls');
    await callAndHangUp(a, b, '127.0.0.54');
    // The certificate was made once and is kept: the same one on the next read.
    const first = deviceCertificate(a.nvram, a.mac);
    expect(first.cert).toContain('BEGIN CERTIFICATE');
    expect(deviceCertificate(a.nvram, a.mac)).toEqual(first);
  });
});
