// Two A12s with "RTP Encryption(SRTP)" (A12 9.12, SIP1 Media Crypto) on: the IP call offers
// RTP/SAVP with a fresh SDES key (RFC 4568), both ends protect and authenticate every packet
// (RFC 3711) and each hears the other's identity mark through the encryption. An A12 whose SRTP
// is compulsory cannot reach one that has it disabled: the callee refuses the offer (488).
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/system-clock.js';
import { silentLogger } from '../../src/core/logger.js';
import type { CallSnapshot } from '../../src/phone/call.js';
import { createDevice } from '../../firmware-sim/create-device.js';
import { getModel } from '../../firmware-sim/models/index.js';
import type { Device } from '../../firmware-sim/device.js';
import { tempDir } from '../helpers/device.js';
import { waitFor } from '../peers/index.js';

const clocks: SystemClock[] = [];
const devices: Device[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.shutdown('test');
  for (const c of clocks.splice(0)) c.stop();
});

async function boot(ip: string, mediaCrypto: '0' | '1' | '2'): Promise<Device> {
  const clock = new SystemClock();
  clocks.push(clock);
  const device = createDevice({ model: getModel('fanvil-a12')!, dataDir: tempDir(), clock, ip, sipPort: 0, httpPort: 0, logger: silentLogger() });
  const r = device.store.set('SIP1 Media Crypto', mediaCrypto, 'ui', 'api');
  if (!r.ok) throw new Error(r.error.message);
  await device.boot();
  devices.push(device);
  return device;
}

const callOf = (d: Device, state = 'connected'): CallSnapshot | undefined => d.telephony()!.listCalls().find((c) => c.state === state);
const sipPort = (d: Device): number => d.telephony()!.lineStatuses()[0]!.local.port;
type SrtpStats = { srtp?: { protectedRtp: number; unprotectedRtp: number; protectedRtcp: number; authFailures: number }; heard?: { mac?: string }; packetsReceived: number };

describe('SRTP between two A12s', () => {
  it('compulsory SRTP on both: the call is encrypted and each side hears the other', async () => {
    const a = await boot('127.0.0.131', '2');
    const b = await boot('127.0.0.132', '1');
    expect(a.settings.intercom.lines[0]!.srtp).toBe('compulsory');
    expect((await a.telephony()!.dial(`${b.ip}:${sipPort(b)}`)).ok).toBe(true);
    const [ab, ba] = await Promise.all([waitFor('A connected', () => callOf(a), 8000), waitFor('B connected', () => callOf(b), 8000)]);
    const both = await waitFor(
      'marks through SRTP',
      () => {
        const sa = callOf(a)?.rtp as SrtpStats | undefined;
        const sb = callOf(b)?.rtp as SrtpStats | undefined;
        return sa?.heard?.mac === b.mac && sb?.heard?.mac === a.mac ? { sa, sb } : undefined;
      },
      8000,
    );
    for (const s of [both.sa, both.sb]) {
      expect(s.srtp).toBeDefined();
      expect(s.srtp!.protectedRtp).toBeGreaterThan(25);
      expect(s.srtp!.unprotectedRtp).toBeGreaterThan(25);
      expect(s.srtp!.authFailures).toBe(0);
    }
    expect(ab.codec).toBe(ba.codec);
    expect(a.telephony()!.act(ab.id, 'hangup').ok).toBe(true);
    await waitFor('B ended', () => callOf(b, 'ended'), 5000);
  }, 30000);

  it('compulsory SRTP cannot call an A12 with SRTP disabled (488, no media)', async () => {
    const a = await boot('127.0.0.133', '2');
    const c = await boot('127.0.0.134', '0');
    expect((await a.telephony()!.dial(`${c.ip}:${sipPort(c)}`)).ok).toBe(true);
    const ended = await waitFor('A ended', () => callOf(a, 'ended'), 8000);
    expect(ended.endStatus).toBe(488);
    expect(ended.answeredAt).toBeUndefined();
  }, 30000);
});
