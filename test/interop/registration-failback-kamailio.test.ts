// Fail-back with real registrars: a KX-UT670 line (system clock) registers with digest on a
// primary Kamailio (SIP_RGSTR_ADDR_1) and has a secondary Kamailio (SIP_2NDRGSTR_ADDR_1), both
// serving example.test. The primary is stopped: the refresh times out there (Timer F) and goes to
// the secondary, the line never leaving "registered". The primary is started again on the same
// address and port: the next refresh due on the secondary goes to the primary first (the rule in
// src/sip/registration/registration.ts failBack()), which takes the binding (cause failback);
// the secondary's binding is left to expire, not removed.
import { afterAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/system-clock.js';
import type { DeviceEvent } from '../../src/core/device-events.js';
import type { LineStatus } from '../../src/phone/phone-line.js';
import type { Device } from '../../firmware-sim/device.js';
import { bootDevice } from '../helpers/device.js';
import { freePort, kamailioUnavailable, loopbackAddress, peerGroup, waitFor, type Kamailio, type KamailioOptions } from '../peers/index.js';

const DOMAIN = 'example.test';
const USER = { user: '1001', password: 'secret-1001' };

describe.skipIf(kamailioUnavailable() !== undefined)('fail-back between two Kamailio registrars (device, UDP loopback)', () => {
  const peers = peerGroup();
  const clock = new SystemClock();
  let device: Device | undefined;
  afterAll(async () => {
    await device?.shutdown('test');
    clock.stop();
  });

  it('primary stopped: the refresh moves to the secondary; primary back: the next refresh returns to it', async () => {
    const options = async (): Promise<KamailioOptions> => {
      const address = loopbackAddress();
      return { address, port: await freePort(address), domain: DOMAIN, users: [USER], registrarOnly: true, logLevel: 1 };
    };
    const primaryOptions = await options();
    let secondaryOptions = await options();
    while (secondaryOptions.address === primaryOptions.address) secondaryOptions = await options();
    const [first, secondary] = await Promise.all([peers.kamailio(primaryOptions), peers.kamailio(secondaryOptions)]);
    let primary: Kamailio = first;
    const booted = await bootDevice({
      model: 'kx-ut670',
      ip: '127.0.0.175',
      clock,
      settings: {
        SIP_RGSTR_ADDR_1: primary.address,
        SIP_RGSTR_PORT_1: String(primary.port),
        SIP_2NDRGSTR_ADDR_1: secondary.address,
        SIP_2NDRGSTR_PORT_1: String(secondary.port),
        SIP_SVCDOMAIN_1: DOMAIN,
        PHONE_NUMBER_1: USER.user,
        SIP_AUTHID_1: USER.user,
        SIP_PASS_1: USER.password,
        // 4 s bindings refreshed at 50 %; Timer F 1 s (T1 250 ms).
        REG_EXPIRE_TIME_1: '4',
        REG_INTERVAL_RATE_1: '50',
        SIP_TIMER_T1_1: '250',
        SIP_TIMER_F_1: '1000',
      },
    });
    device = booted.device;
    const events: DeviceEvent[] = booted.events;
    const on = (k: Kamailio) => (): LineStatus | undefined => {
      const l = device!.telephony()!.lineStatuses()[0]!;
      return l.registration.state === 'registered' && l.registration.registrar === `${k.address}:${k.port}` ? l : undefined;
    };

    await waitFor('registered on the primary', on(primary), 5_000);
    expect((await primary.waitForContact(USER.user)).length).toBe(1);

    await primary.stop();
    await waitFor('registered on the secondary', on(secondary), 2_000 + 1_000 + 2_000);
    expect((await secondary.waitForContact(USER.user)).length).toBe(1);

    primary = await peers.kamailio(primaryOptions);
    const back = await waitFor('back on the primary', on(primary), 2 * 2_000 + 1_000 + 2_000);
    expect(back.registration).toMatchObject({ state: 'registered', reason: 'failback', expiresS: 4 });
    const contacts = await primary.waitForContact(USER.user);
    expect(contacts.map((c) => c.uri)).toEqual([`sip:${USER.user}@127.0.0.175:${device.telephony()!.lineStatuses()[0]!.local.port}`]);
    // The secondary still holds its (unexpired) binding: no Expires 0 was sent there.
    expect((await secondary.contacts(USER.user)).length).toBe(1);
    // From the first registration on, the line was never anything but registered.
    const states = (events.filter((e) => e.type === 'line') as unknown as LineStatus[]).filter((l) => l.line === 1).map((l) => l.registration.state);
    expect(states.slice(states.indexOf('registered')).every((s) => s === 'registered'), states.join(' ')).toBe(true);
    // Same Call-ID on both registrars (RFC 3261 §10.2: one per line).
    const [onSecondary] = await secondary.contacts(USER.user);
    expect(onSecondary!.callId).toBe(contacts[0]!.callId);
  });
});
