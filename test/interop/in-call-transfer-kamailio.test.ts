// Blind transfer through a real PBX on loopback: three devices register on Kamailio (digest,
// INVITEs challenged with 407); the KX-UT670 calls the first A12 by number, then transfers it to
// the second A12's number. The REFER and its NOTIFYs travel the record-routed dialog, the
// transferee's new INVITE goes through the proxy (its own 407 answered), the target answers, the
// sipfrag 200 ends the transferor's call, and RTP flows between transferee and target.
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/system-clock.js';
import type { Device } from '../../firmware-sim/device.js';
import { bootPhone, callIn } from '../phone/in-call-devices.js';
import { peerGroup, waitFor } from '../peers/index.js';
import { a12Account, kxAccount, registered } from './kamailio-accounts.js';

const KX = { user: '1001', password: 'kx-secret' };
const DOOR1 = { user: '2001', password: 'door1-secret' };
const DOOR2 = { user: '2002', password: 'door2-secret' };

const clocks: SystemClock[] = [];
const devices: Device[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.shutdown('test');
  for (const c of clocks.splice(0)) c.stop();
});


describe('blind transfer through Kamailio', () => {
  const peers = peerGroup();

  it('the KX-UT670 transfers an A12 to another A12 by number; the transferee reaches the target through the proxy', async () => {
    const kam = await peers.kamailio({ users: [KX, DOOR1, DOOR2], authRequests: true });
    const clock = new SystemClock();
    clocks.push(clock);
    const kx = await bootPhone(devices, 'kx-ut670', '127.0.0.111', clock, kxAccount(kam, KX));
    const transferee = await bootPhone(devices, 'fanvil-a12', '127.0.0.112', clock, a12Account(kam, DOOR1));
    const target = await bootPhone(devices, 'fanvil-a12', '127.0.0.113', clock, a12Account(kam, DOOR2));
    await waitFor('all registered', () => (registered(kx) && registered(transferee) && registered(target) ? true : undefined), 8000);

    const placed = await kx.phone.dial(DOOR1.user);
    expect(placed.ok).toBe(true);
    const up = await waitFor('KX connected to 2001', () => callIn(kx, 'connected'), 8000);
    expect(kx.phone.act(up.id, 'transfer', { to: DOOR2.user }).ok).toBe(true);

    const done = await waitFor('transferor call ended', () => callIn(kx, 'ended'), 10000);
    expect(done.transfer).toMatchObject({ kind: 'blind', state: 'done', status: 200, target: `sip:${DOOR2.user}@${kam.address}` });
    expect(kx.features('transfer-progress').map((e) => e.status)).toContain(202);

    const referred = await waitFor('transferee talks to 2002', () => transferee.calls().find((c) => c.state === 'connected' && c.remote.uri.includes(DOOR2.user)), 8000);
    expect(referred.referredBy).toContain(KX.user);
    const there = await waitFor('target connected', () => callIn(target, 'connected'), 8000);
    expect(there.remote.uri).toContain(DOOR1.user);
    await waitFor('RTP between transferee and target', () => {
      const a = transferee.calls().find((c) => c.id === referred.id)?.rtp;
      const b = callIn(target, 'connected')?.rtp;
      return a && b && a.packetsReceived >= 25 && b.packetsReceived >= 25 ? true : undefined;
    }, 5000);
    // The transferee's first call ended with the transferor's BYE.
    expect(transferee.calls().find((c) => c.id !== referred.id)!.state).toBe('ended');
  }, 40000);
});
