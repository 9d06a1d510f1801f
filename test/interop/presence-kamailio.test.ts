// Presence through a real PBX: two KX-UT670s registered on Kamailio watch each other's extension
// with a BLF button (X_PANASONIC_IPTEL_CONTACT). The test Kamailio has no presence module (the
// installed Kamailio ships none: no presence.so / pua.so), so it routes each SUBSCRIBE (407
// answered with the line's credentials) to the other phone, which serves no event package and
// answers 405 (the first SUBSCRIBE, before the other phone registered, gets 404): both lamps
// stay "unknown" and the subscriptions wait to retry (SUB_RTX_INTVL_n). Lamps themselves are
// tested against SIPp as the presence server (presence-sipp.test.ts). Then the voice-mail key
// (VM_NUMBER_1) and a One-touch button dial through the proxy from the control API.
import { afterEach, describe, expect, it } from 'vitest';
import type { CallSnapshot } from '../../src/phone/call.js';
import type { Device } from '../../firmware-sim/device.js';
import { peerGroup, waitFor, type Kamailio } from '../peers/index.js';
import { api, bootWith, type Cleanups } from './presence-devices.js';

const USERS = [
  { user: '1001', password: 'kx-secret-1' },
  { user: '1002', password: 'kx-secret-2' },
];

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function settings(kam: Kamailio, me: { user: string; password: string }, other: string, extra: Record<string, string>): Record<string, string> {
  return {
    SIP_RGSTR_ADDR_1: kam.address,
    SIP_RGSTR_PORT_1: String(kam.port),
    SIP_PRXY_ADDR_1: kam.address,
    SIP_PRXY_PORT_1: String(kam.port),
    PHONE_NUMBER_1: me.user,
    SIP_AUTHID_1: me.user,
    SIP_PASS_1: me.password,
    SUB_RTX_INTVL_1: '60',
    FLEX_BUTTON_FACILITY_ACT1: 'X_PANASONIC_IPTEL_CONTACT',
    FLEX_BUTTON_FACILITY_ARG1: other,
    FLEX_BUTTON_FACILITY_ACT2: 'X_PANASONIC_IPTEL_ONETOUCH',
    FLEX_BUTTON_FACILITY_ARG2: other,
    ...extra,
  };
}

const callOf = (d: Device, state: string): CallSnapshot | undefined => d.telephony()!.listCalls().find((c) => c.state === state);

async function ringThenHangUp(caller: Device, callee: Device, from: string): Promise<void> {
  const ringing = await waitFor('callee rings', () => callOf(callee, 'ringing'), 8000);
  expect(ringing.remote.uri).toContain(`sip:${from}@`);
  const call = caller.telephony()!.listCalls().find((c) => c.state !== 'ended')!;
  expect(caller.telephony()!.act(call.id, 'hangup').ok).toBe(true);
  await waitFor('callee call ended', () => (callee.telephony()!.listCalls().every((c) => c.state === 'ended') ? true : undefined), 5000);
}

describe('presence through Kamailio', () => {
  const peers = peerGroup();

  it('BLF buttons watching each other get 404/405 without a presence server; voice-mail key and One-touch dial through the proxy', async () => {
    const kam = await peers.kamailio({ users: USERS, authRequests: true });
    const refused = (d: Device, status: string) =>
      waitFor(`BLF subscription refused with ${status}`, () => {
        const [blf] = d.presence()!.blf();
        return blf?.subscription === 'waiting' && blf.reason === status ? blf : undefined;
      }, 8000);
    // A registers first: 1002 is not registered yet, Kamailio answers its SUBSCRIBE 404.
    const { device: a } = await bootWith(cleanups, 'kx-ut670', '127.0.0.61', settings(kam, USERS[0]!, '1002', { VM_NUMBER_1: '1002' }));
    await refused(a, '404');
    // B's SUBSCRIBE reaches A, which serves no dialog event: 405 relayed back.
    const { device: b } = await bootWith(cleanups, 'kx-ut670', '127.0.0.62', settings(kam, USERS[1]!, '1001', {}));
    await refused(b, '405');
    expect((await api(a, '/blf'))[0]).toMatchObject({ button: 1, target: '1002', lamp: 'unknown', subscription: 'waiting', reason: '404' });
    expect((await api(b, '/blf'))[0]).toMatchObject({ button: 1, target: '1001', lamp: 'unknown', subscription: 'waiting', reason: '405' });

    // The voice-mail key of A calls VM_NUMBER_1 (here B's extension) through the proxy.
    const vm = await api(a, '/mwi/dial', { method: 'POST', body: {}, status: 201 });
    expect(vm).toMatchObject({ line: 1, direction: 'outgoing' });
    expect(vm.remote.uri).toContain('sip:1002@');
    await ringThenHangUp(a, b, '1001');
    // B has no voice-mail number: 422.
    expect((await api(b, '/mwi/dial', { method: 'POST', body: { line: 1 }, status: 422 })).error.code).toBe('VM_NO_NUMBER');

    // B's One-touch button 2 calls A.
    const touch = await api(b, '/buttons/2/dial', { method: 'POST', status: 201 });
    expect(touch.remote.uri).toContain('sip:1001@');
    await ringThenHangUp(b, a, '1002');
    expect((await api(b, '/buttons/3/dial', { method: 'POST', status: 404 })).error.code).toBe('BUTTON_NOT_FOUND');
  }, 40_000);
});
