// Incoming call policy through a real PBX on loopback: three devices register on Kamailio (digest;
// INVITEs challenged with 407) and call each other by number. DND answers with the configured code
// (SIP_RESPONSE_CODE_DND); Block Anonymous Call refuses a caller who withholds its identity (433,
// RFC 5079); call forward on busy and on no answer redirect with 302 + Diversion (RFC 5806), the
// caller's phone follows the Contact through the proxy (its new INVITE challenged again) and the
// final callee sees who diverted the call and why. Assertions on what the caller sees (call end
// status, the followed call) and on what the callee logs (missed-call entries and their outcome).
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/system-clock.js';
import type { Device } from '../../firmware-sim/device.js';
import { sipService } from '../../firmware-sim/services/sip-service.js';
import { recordingFactory } from '../helpers/recording-media.js';
import { bootPhone, callIn, type TestPhone } from '../phone/in-call-devices.js';
import { peerGroup, waitFor, type Kamailio } from '../peers/index.js';
import { kxAccount } from './kamailio-accounts.js';

const CALLER = { user: '1001', password: 'caller-secret' };
const CALLEE = { user: '2001', password: 'callee-secret' };
const TARGET = { user: '2002', password: 'target-secret' };

const clocks: SystemClock[] = [];
const devices: Device[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.shutdown('test');
  for (const c of clocks.splice(0)) c.stop();
});

const rec = () => [sipService({ media: () => recordingFactory([]) })];

function kx(kam: Kamailio, u: { user: string; password: string }, extra: Record<string, string> = {}): Record<string, string> {
  return { ...kxAccount(kam, u), ...extra };
}

const registered = (p: TestPhone) => p.phone.lineStatuses()[0]!.registration.state === 'registered';

/** Caller and callee KX-UT670s (the callee answers by hand), the forward target an A12 (it answers by itself). */
async function trio(kam: Kamailio, base: number, callee: Record<string, string> = {}, callerExtra: Record<string, string> = {}): Promise<{ caller: TestPhone; callee: TestPhone; target: TestPhone }> {
  const clock = new SystemClock();
  clocks.push(clock);
  const caller = await bootPhone(devices, 'kx-ut670', `127.0.0.${base}`, clock, kx(kam, CALLER, { AUTO_CALL_HOLD: 'Y', ...callerExtra }), rec());
  const calleePhone = await bootPhone(devices, 'kx-ut670', `127.0.0.${base + 1}`, clock, kx(kam, CALLEE, callee), rec());
  const target = await bootPhone(devices, 'fanvil-a12', `127.0.0.${base + 2}`, clock, {
    'SIP1 Enable Reg': '1',
    'SIP1 Phone Number': TARGET.user,
    'SIP1 Register Addr': kam.address,
    'SIP1 Register Port': String(kam.port),
    'SIP1 Register User': TARGET.user,
    'SIP1 Register Pswd': TARGET.password,
  }, rec());
  await waitFor('all registered', () => (registered(caller) && registered(calleePhone) && registered(target) ? true : undefined), 8000);
  return { caller, callee: calleePhone, target };
}

async function dial(p: TestPhone, to: string): Promise<string> {
  const placed = await p.phone.dial(to);
  if (!placed.ok) throw new Error(placed.error.message);
  return placed.value.id;
}

const ended = (p: TestPhone, id: string) => waitFor(`${id} ended`, () => p.calls().find((c) => c.id === id && c.state === 'ended'), 8000);
/** The callee's missed-call entries, oldest first. */
const missed = (p: TestPhone) => p.phone.callLog.list('missed').slice().sort((a, b) => a.id - b.id);

describe('incoming call policy through Kamailio', () => {
  const peers = peerGroup();

  it('DND answers with SIP_RESPONSE_CODE_DND; Block Anonymous Call refuses a withheld caller with 433', async () => {
    const kam = await peers.kamailio({ users: [CALLER, CALLEE, TARGET], authRequests: true });
    // The caller's anonymous From (RFC 3323 §4.1.1.3): "Anonymous" <sip:anonymous@anonymous.invalid>.
    const { caller, callee } = await trio(kam, 171, { SIP_RESPONSE_CODE_DND: '480' }, { SIP_ANM_DISPNAME_1: '1', SIP_ANM_USERNAME_1: '1', SIP_ANM_HOSTNAME_1: 'Y' });

    expect((await callee.phone.setFeature(1, 'dnd', true)).ok).toBe(true);
    const toDnd = await dial(caller, CALLEE.user);
    const refused = await ended(caller, toDnd);
    expect(refused).toMatchObject({ endStatus: 480, answeredAt: undefined });
    await waitFor('callee logged the missed call', () => missed(callee)[0], 4000);
    expect(missed(callee)[0]).toMatchObject({ kind: 'missed', outcome: 'dnd', status: 480, remote: { number: CALLER.user } });
    expect(callee.calls()).toEqual([]); // refused before it rang
    expect(caller.phone.callLog.list('outgoing')[0]).toMatchObject({ remote: { number: CALLEE.user }, status: 480 });

    expect((await callee.phone.setFeature(1, 'dnd', false)).ok).toBe(true);
    expect((await callee.phone.setFeature(1, 'block-anonymous', true)).ok).toBe(true);
    expect((await caller.phone.setFeature(1, 'anonymous', true)).ok).toBe(true);
    const hidden = await dial(caller, CALLEE.user);
    expect(await ended(caller, hidden)).toMatchObject({ endStatus: 433, answeredAt: undefined });
    await waitFor('callee logged the anonymous call', () => missed(callee)[1], 4000);
    expect(missed(callee)[1]).toMatchObject({ outcome: 'anonymous', status: 433 });
    expect(missed(callee)[1]!.remote).toMatchObject({ uri: 'sip:anonymous@anonymous.invalid', name: 'Anonymous' });
    expect(callee.calls()).toEqual([]);
  }, 40_000);

  it('forward on busy and on no answer: 302 with Diversion, the caller follows it through the proxy, the target sees who diverted', async () => {
    const kam = await peers.kamailio({ users: [CALLER, CALLEE, TARGET], authRequests: true });
    const { caller, callee, target } = await trio(kam, 174);

    // Busy: the callee talks to the caller, which calls it again (its first call held).
    const first = await dial(caller, CALLEE.user);
    const ringing = await waitFor('callee rings', () => callIn(callee, 'ringing'), 8000);
    expect(callee.phone.act(ringing.id, 'answer').ok).toBe(true);
    await waitFor('first call up', () => caller.calls().find((c) => c.id === first && c.state === 'connected'), 8000);
    expect((await callee.phone.setFeature(1, 'forward-busy', true, { number: TARGET.user })).ok).toBe(true);
    const second = await dial(caller, CALLEE.user);
    const redirected = await ended(caller, second);
    expect(redirected.endStatus).toBe(302);
    const followed = await waitFor('caller reaches the target', () => caller.calls().find((c) => c.state === 'connected' && c.remote.uri.includes(TARGET.user)), 8000);
    expect(followed.remote.uri).toBe(`sip:${TARGET.user}@${kam.address}`);
    const atTarget = await waitFor('target answered', () => callIn(target, 'connected'), 8000);
    expect(atTarget.remote.uri).toContain(CALLER.user);
    expect(atTarget.diversion).toEqual({ uri: `sip:${CALLEE.user}@${kam.address}`, reason: 'user-busy' });
    await waitFor('callee logged the forward', () => missed(callee)[0], 4000);
    expect(missed(callee)[0]).toMatchObject({ outcome: 'forwarded', status: 302, remote: { number: CALLER.user } });
    // The redirected attempt is not in the caller's log; the followed call is.
    for (const p of [caller, callee, target]) for (const c of p.calls()) if (c.state !== 'ended') p.phone.act(c.id, 'hangup');
    await waitFor('all calls over', () => [caller, callee, target].every((p) => p.calls().every((c) => c.state === 'ended')) || undefined, 8000);

    // No answer: the callee rings one second, then redirects.
    expect((await callee.phone.setFeature(1, 'forward-no-answer', true, { number: TARGET.user, delayS: 1 })).ok).toBe(true);
    const third = await dial(caller, CALLEE.user);
    await waitFor('callee rings again', () => callIn(callee, 'ringing'), 8000);
    const unanswered = await ended(caller, third);
    expect(unanswered.endStatus).toBe(302);
    const again = await waitFor('target answered again', () => target.calls().find((c) => c.state === 'connected'), 8000);
    expect(again.diversion).toEqual({ uri: `sip:${CALLEE.user}@${kam.address}`, reason: 'no-answer' });
    await waitFor('callee logged the second forward', () => missed(callee)[1], 4000);
    expect(missed(callee)[1]).toMatchObject({ outcome: 'forwarded', remote: { number: CALLER.user } });
    expect(callee.calls().filter((c) => c.state !== 'ended')).toEqual([]);
  }, 40_000);
});
