// Whole devices against a real PBX on loopback: a KX-UT670 registers all six lines with six
// Kamailio accounts (digest), shows them at /api/v1/lines and unregisters on shutdown
// (USE_DEL_REG_CLOSE_n); then it calls an A12 registered on the same Kamailio by number, through
// the proxy that challenges the INVITE with 407, and real RTP flows both ways.
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/system-clock.js';
import type { DeviceEvent } from '../../src/core/device-events.js';
import type { CallSnapshot } from '../../src/phone/call.js';
import type { LineStatus } from '../../src/phone/phone-line.js';
import type { Device } from '../../firmware-sim/device.js';
import { bootDevice } from '../helpers/device.js';
import { peerGroup, waitFor, type Kamailio } from '../peers/index.js';

const KX_USERS = [1, 2, 3, 4, 5, 6].map((n) => ({ user: `100${n}`, password: `kx-secret-${n}` }));
const DOOR = { user: '2001', password: 'door-secret' };

const clocks: SystemClock[] = [];
const devices: Device[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.shutdown('test');
  for (const c of clocks.splice(0)) c.stop();
});

function kxSettings(kam: Kamailio, lines: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (let n = 1; n <= lines; n++) {
    const u = KX_USERS[n - 1]!;
    Object.assign(out, {
      [`SIP_RGSTR_ADDR_${n}`]: kam.address,
      [`SIP_RGSTR_PORT_${n}`]: String(kam.port),
      [`SIP_PRXY_ADDR_${n}`]: kam.address,
      [`SIP_PRXY_PORT_${n}`]: String(kam.port),
      [`PHONE_NUMBER_${n}`]: u.user,
      [`SIP_AUTHID_${n}`]: u.user,
      [`SIP_PASS_${n}`]: u.password,
      [`USE_DEL_REG_CLOSE_${n}`]: 'Y',
    });
  }
  return out;
}

async function boot(model: 'kx-ut670' | 'fanvil-a12', ip: string, settings: Record<string, string>): Promise<{ device: Device; events: DeviceEvent[] }> {
  const clock = new SystemClock();
  clocks.push(clock);
  const { device, events } = await bootDevice({ model, ip, clock, settings });
  devices.push(device);
  return { device, events };
}

const lines = (d: Device): LineStatus[] => d.telephony()!.lineStatuses();
const callOf = (d: Device, state: string): CallSnapshot | undefined => d.telephony()!.listCalls().find((c) => c.state === state);

describe('virtual phones through Kamailio', () => {
  const peers = peerGroup();

  it('a KX-UT670 registers six lines with six accounts and unregisters them on shutdown', async () => {
    const kam = await peers.kamailio({ users: KX_USERS });
    const { device: kx, events } = await boot('kx-ut670', '127.0.0.41', kxSettings(kam, 6));
    await waitFor('six registered lines', () => (lines(kx).every((l) => l.registration.state === 'registered') ? true : undefined), 8000);
    const status = lines(kx);
    expect(status.map((l) => l.aor)).toEqual(KX_USERS.map((u) => `sip:${u.user}@${kam.address}`));
    expect(status.every((l) => l.registration.registrar === `${kam.address}:${kam.port}` && (l.registration.expiresS ?? 0) > 0)).toBe(true);
    // Kamailio holds one contact per account, each naming the line's own port and our User-Agent.
    for (const [i, u] of KX_USERS.entries()) {
      const [contact] = await kam.waitForContact(u.user);
      expect(contact!.uri).toContain(`127.0.0.41:${status[i]!.local.port}`);
      expect(contact!.userAgent).toMatch(/^Panasonic_KX-UT670\/01\.070 \([0-9a-f]{12}\)$/);
    }
    // Each line told its story as events.
    const registered = events.filter((e) => e.type === 'line' && (e as unknown as LineStatus).registration.state === 'registered');
    expect(new Set(registered.map((e) => (e as unknown as LineStatus).line))).toEqual(new Set([1, 2, 3, 4, 5, 6]));
    // The password never shows up in the line status.
    expect(JSON.stringify(status)).not.toContain('kx-secret');

    await kx.shutdown('test');
    devices.splice(devices.indexOf(kx), 1);
    expect(await kam.contacts()).toEqual([]);
  }, 20000);

  it('a wrong password leaves the line failed with the reason', async () => {
    const kam = await peers.kamailio({ users: KX_USERS, badPassword: '403' });
    const settings = { ...kxSettings(kam, 1), SIP_PASS_1: 'wrong' };
    const { device: kx } = await boot('kx-ut670', '127.0.0.42', settings);
    const failed = await waitFor('line 1 failed', () => (lines(kx)[0]!.registration.state === 'failed' ? lines(kx)[0] : undefined), 8000);
    expect(failed.registration.status).toBe(403);
    expect(failed.registration.reason).toMatch(/forbidden/);
  }, 20000);

  it('the KX-UT670 calls the A12 by number through the proxy (407 answered); RTP flows both ways', async () => {
    const kam = await peers.kamailio({ users: [...KX_USERS, DOOR], authRequests: true });
    const { device: kx } = await boot('kx-ut670', '127.0.0.43', kxSettings(kam, 1));
    const { device: door, events: doorEvents } = await boot('fanvil-a12', '127.0.0.44', {
      'SIP1 Enable Reg': '1',
      'SIP1 Phone Number': DOOR.user,
      'SIP1 Register Addr': kam.address,
      'SIP1 Register Port': String(kam.port),
      'SIP1 Register User': DOOR.user,
      'SIP1 Register Pswd': DOOR.password,
    });
    await waitFor('both registered', () => (lines(kx)[0]!.registration.state === 'registered' && lines(door)[0]!.registration.state === 'registered' ? true : undefined), 8000);

    const placed = await kx.telephony()!.dial(DOOR.user);
    expect(placed.ok).toBe(true);
    // The A12 answers by itself (7.4: auto answer on by default).
    const up = await waitFor('caller connected', () => callOf(kx, 'connected'), 8000);
    const there = await waitFor('callee connected', () => callOf(door, 'connected'), 8000);
    expect(there.remote.uri).toContain('1001');
    expect(up.codec).toBe(there.codec);
    // A second of real audio: both sides receive about 50 packets per second.
    await waitFor('RTP both ways', () => {
      const a = callOf(kx, 'connected')?.rtp;
      const b = callOf(door, 'connected')?.rtp;
      return a && b && a.packetsReceived >= 25 && b.packetsReceived >= 25 ? true : undefined;
    }, 5000);
    // RFC 4733 digits (OUTBANDDTMF_n on by default) reach the A12 as call-feature events.
    expect(kx.telephony()!.act(up.id, 'dtmf', { digits: '5#' }).ok).toBe(true);
    const digits = () => doorEvents.filter((e) => e.type === 'call-feature' && (e as unknown as { kind: string }).kind === 'dtmf-received').map((e) => (e as unknown as { detail: string }).detail);
    await waitFor('two digits at the A12', () => (digits().length >= 2 ? true : undefined), 5000);
    expect(digits()).toEqual(['5', '#']);
    expect(kx.telephony()!.act(up.id, 'hangup').ok).toBe(true);
    await waitFor('callee ended', () => callOf(door, 'ended'), 5000);
    const ended = await waitFor('caller ended', () => callOf(kx, 'ended'), 5000);
    expect(ended.endReason).toBe('local-bye');
    expect(ended.rtp!.packetsSent).toBeGreaterThanOrEqual(25);
  }, 30000);
});
