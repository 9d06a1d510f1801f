// In-call features through a real PBX on loopback: a KX-UT670 and A12s register on one Kamailio
// (digest, out-of-dialog INVITEs challenged with 407, INVITEs record-routed) and run the in-call
// stories of test/phone/in-call-*.test.ts with real RTP (SystemClock):
// - hold/resume: the re-INVITEs follow the record-route through the proxy, the far end sees
//   remote-hold and stops sending RTP (recvonly), resume brings it back;
// - call waiting: a second call rings as waiting on the KX, answering it holds the first
//   (AUTO_CALL_HOLD = Y);
// - attended transfer: the REFER goes through the proxy, the transferee's INVITE with Replaces
//   replaces the consultation call at the target, and it too goes through the proxy (the line's
//   server carries every out-of-dialog request, whatever host the Refer-To names); both KX calls end;
// - local three-party conference: identity marks prove each A12 hears the other through the mix;
// - RFC 4733 DTMF both ways, and the call log on both sides.
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/system-clock.js';
import { IdentityDetector, identityMarkFromMac, type IdentityMark } from '../../src/codecs/identity-mark.js';
import type { CallLogEntry } from '../../src/phone/call-log.js';
import type { CallSnapshot } from '../../src/phone/call.js';
import type { Device } from '../../firmware-sim/device.js';
import { bootPhone, callIn, type TestPhone } from '../phone/in-call-devices.js';
import { peerGroup, waitFor, type Kamailio } from '../peers/index.js';
import { a12Account, kxAccount, registered } from './kamailio-accounts.js';

const KX = { user: '1001', password: 'kx-secret' };
const DOORS = [
  { user: '2001', password: 'door1-secret' },
  { user: '2002', password: 'door2-secret' },
];

const clocks: SystemClock[] = [];
const devices: Device[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.shutdown('test');
  for (const c of clocks.splice(0)) c.stop();
});

const byId = (p: TestPhone, id: string): CallSnapshot | undefined => p.calls().find((c) => c.id === id);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Pbx {
  kam: Kamailio;
  kx: TestPhone;
  doors: TestPhone[];
}

/** Kamailio, a KX-UT670 (1001) on `ip`.1 and `doors` A12s (2001, 2002) on `ip`.2…, all registered. */
async function pbx(peers: ReturnType<typeof peerGroup>, base: number, doorCount: number, kxSettings: Record<string, string> = {}, doorSettings: Record<string, string> = {}): Promise<Pbx> {
  const kam = await peers.kamailio({ users: [KX, ...DOORS], authRequests: true });
  const clock = new SystemClock();
  clocks.push(clock);
  const kx = await bootPhone(devices, 'kx-ut670', `127.0.0.${base}`, clock, { ...kxAccount(kam, KX), ...kxSettings });
  const doors: TestPhone[] = [];
  for (const [i, u] of DOORS.slice(0, doorCount).entries()) {
    doors.push(await bootPhone(devices, 'fanvil-a12', `127.0.0.${base + 1 + i}`, clock, { ...a12Account(kam, u), ...doorSettings }));
  }
  await waitFor('all registered', () => ([kx, ...doors].every(registered) ? true : undefined), 8000);
  return { kam, kx, doors };
}

/** `from` dials `number` through the proxy; resolves with the call id once it is connected. */
async function connect(from: TestPhone, number: string): Promise<string> {
  const placed = await from.phone.dial(number);
  if (!placed.ok) throw new Error(placed.error.message);
  await waitFor(`${number} connected`, () => (byId(from, placed.value.id)?.state === 'connected' ? true : undefined), 8000);
  return placed.value.id;
}

/** The requests Kamailio saw with this method from this IP (its xlog of every request). */
const seen = (kam: Kamailio, method: string, ip: string): string[] => kam.logs().split('\n').filter((l) => l.includes(`vphone: ${method} `) && l.includes(` from ${ip}:`));

/** How many RTP packets `read` counts over `ms` of real time. */
async function growth(read: () => number, ms: number): Promise<number> {
  const before = read();
  await sleep(ms);
  return read() - before;
}

const markOf = (p: TestPhone): IdentityMark => {
  const m = identityMarkFromMac(p.device.mac);
  if (!m.ok) throw new Error(m.error.message);
  return m.value;
};

/** Whose marks are present in what call `id` of `p` receives over the next `ms`. */
async function heard(p: TestPhone, id: string, candidates: IdentityMark[], ms: number): Promise<string[]> {
  const detector = new IdentityDetector(8000, candidates);
  const remove = p.phone.call(id)!.media.addSink(detector);
  await sleep(ms);
  remove();
  return detector.detect().scores.filter((s) => s.present).map((s) => s.id).sort();
}

const digitsAt = (p: TestPhone): string[] => p.features('dtmf-received').map((e) => String(e.detail));
const logOf = (p: TestPhone): CallLogEntry[] => p.events.filter((e) => e.type === 'call-log').map((e) => e as unknown as CallLogEntry);

describe('in-call features through Kamailio', () => {
  const peers = peerGroup();

  it('hold and resume: the re-INVITEs go through the proxy, the A12 sees remote-hold and stops sending RTP until resume', async () => {
    const { kam, kx, doors } = await pbx(peers, 181, 1);
    const [door] = doors as [TestPhone];
    const id = await connect(kx, DOORS[0]!.user);
    const there = await waitFor('A12 connected', () => callIn(door, 'connected'), 5000);
    const doorSent = () => byId(door, there.id)!.rtp!.packetsSent;
    const kxGot = () => byId(kx, id)!.rtp!.packetsReceived;
    await waitFor('RTP both ways', () => (doorSent() >= 25 && kxGot() >= 25 ? true : undefined), 5000);
    const invitesBefore = seen(kam, 'INVITE', kx.device.ip).length;
    expect(invitesBefore).toBe(2); // the first INVITE, and again with credentials after the 407

    expect(kx.phone.act(id, 'hold').ok).toBe(true);
    await waitFor('KX held', () => (byId(kx, id)?.state === 'held' ? true : undefined), 5000);
    await waitFor('A12 sees remote hold', () => (byId(door, there.id)?.remoteHold ? true : undefined), 5000);
    expect(door.features().map((e) => e.kind)).toContain('remote-hold');
    // The re-INVITE is in-dialog: Kamailio relays it along the record-route (to the A12's contact).
    const reinvite = seen(kam, 'INVITE', kx.device.ip).slice(invitesBefore);
    expect(reinvite).toHaveLength(1);
    expect(reinvite[0]).toContain(`sip:${DOORS[0]!.user}@${door.device.ip}:`);
    // recvonly: the held A12 stops sending (a packet or two may still be in flight).
    await sleep(200);
    expect(await growth(doorSent, 800)).toBeLessThanOrEqual(2);
    expect(await growth(kxGot, 400)).toBeLessThanOrEqual(2);

    expect(kx.phone.act(id, 'resume').ok).toBe(true);
    await waitFor('KX resumed', () => (byId(kx, id)?.state === 'connected' ? true : undefined), 5000);
    await waitFor('A12 sees resume', () => (byId(door, there.id)?.remoteHold === false ? true : undefined), 5000);
    expect(seen(kam, 'INVITE', kx.device.ip)).toHaveLength(invitesBefore + 2);
    expect(await growth(doorSent, 600)).toBeGreaterThanOrEqual(15);
    expect(kx.features().map((e) => e.kind)).toEqual(['hold', 'resume']);
    expect(door.features().map((e) => e.kind)).toEqual(['remote-hold', 'remote-resume']);
  }, 30000);

  it('call waiting: the second call rings as waiting on the KX; answering it holds the first (AUTO_CALL_HOLD = Y)', async () => {
    const { kx, doors } = await pbx(peers, 185, 2, { AUTO_CALL_HOLD: 'Y' });
    const [d1, d2] = doors as [TestPhone, TestPhone];
    expect((await d1.phone.dial(KX.user)).ok).toBe(true);
    const first = await waitFor('KX rings', () => callIn(kx, 'ringing'), 8000);
    expect(first.waiting).toBe(false);
    expect(first.remote.uri).toContain(DOORS[0]!.user);
    expect(kx.phone.act(first.id, 'answer').ok).toBe(true);
    await waitFor('first connected', () => callIn(d1, 'connected'), 5000);

    expect((await d2.phone.dial(KX.user)).ok).toBe(true);
    const second = await waitFor('second rings', () => callIn(kx, 'ringing'), 8000);
    expect(second.waiting).toBe(true);
    expect(second.remote.uri).toContain(DOORS[1]!.user);
    expect(kx.features('waiting').map((e) => e.call)).toEqual([second.id]);
    await waitFor('caller hears ringback', () => callIn(d2, 'ringback'), 5000);
    expect(kx.phone.act(second.id, 'answer').ok).toBe(true);
    await waitFor('second connected', () => callIn(d2, 'connected'), 5000);
    await waitFor('first held', () => (byId(kx, first.id)?.state === 'held' ? true : undefined), 5000);
    await waitFor('first caller sees remote hold', () => (callIn(d1, 'connected')?.remoteHold ? true : undefined), 5000);
    expect(byId(kx, second.id)!.state).toBe('connected');
  }, 30000);

  it('attended transfer: REFER through the proxy, the INVITE with Replaces replaces the consultation call; both KX calls end', async () => {
    const { kam, kx, doors } = await pbx(peers, 188, 2, { AUTO_CALL_HOLD: 'Y' });
    const [a, c] = doors as [TestPhone, TestPhone];
    const toA = await connect(kx, DOORS[0]!.user);
    const toC = await connect(kx, DOORS[1]!.user);
    await waitFor('A held', () => (byId(kx, toA)?.state === 'held' ? true : undefined), 5000);
    const consult = await waitFor('C connected', () => callIn(c, 'connected'), 5000);
    expect(kx.phone.act(toA, 'transfer', { call: toC }).ok).toBe(true);

    await waitFor('both KX calls ended', () => (kx.calls().every((x) => x.state === 'ended') ? true : undefined), 10000);
    expect(byId(kx, toA)!.transfer).toMatchObject({ kind: 'attended', state: 'done', status: 200 });
    const aNow = await waitFor('A talks to C', () => a.calls().find((x) => x.state === 'connected' && x.remote.uri.includes(DOORS[1]!.user)), 8000);
    expect(aNow.referredBy).toContain(KX.user);
    const cNow = await waitFor('C talks to A', () => c.calls().find((x) => x.state === 'connected' && x.id !== consult.id), 8000);
    expect(cNow.replaces).toBe(consult.id);
    expect(c.features('replaced')[0]).toMatchObject({ call: cNow.id, other: consult.id });
    expect(byId(c, consult.id)!.state).toBe('ended');
    // The REFER and its sipfrag NOTIFYs followed the record-routed dialog through Kamailio, and
    // C's BYE of the replaced consultation call reached the KX through it too.
    expect(seen(kam, 'REFER', kx.device.ip)).toHaveLength(1);
    expect(seen(kam, 'NOTIFY', a.device.ip).length).toBeGreaterThanOrEqual(1);
    expect(seen(kam, 'BYE', c.device.ip)).toHaveLength(1);
    // The Refer-To is C's Contact (RFC 5589 §7.1); A's INVITE with Replaces still goes to A's
    // SIP server, as a real A12's would (challenged with 407 first, hence at least one).
    expect(seen(kam, 'INVITE', a.device.ip).length).toBeGreaterThanOrEqual(1);
    await waitFor('RTP between A and C', () => {
      const x = byId(a, aNow.id)?.rtp;
      const y = byId(c, cNow.id)?.rtp;
      return x && y && x.packetsReceived >= 25 && y.packetsReceived >= 25 ? true : undefined;
    }, 5000);
  }, 30000);

  it('local three-party conference: each A12 hears the KX and the other A12 through the mix (identity marks)', async () => {
    const { kx, doors } = await pbx(peers, 191, 2, { AUTO_CALL_HOLD: 'Y' });
    const [b, c] = doors as [TestPhone, TestPhone];
    const marks = [markOf(kx), markOf(b), markOf(c)];
    const [kxMark, bMark, cMark] = marks.map((m) => m.id);
    const toB = await connect(kx, DOORS[0]!.user);
    const toC = await connect(kx, DOORS[1]!.user);
    await waitFor('B held', () => (byId(kx, toB)?.state === 'held' ? true : undefined), 5000);
    const atC = await waitFor('C connected', () => callIn(c, 'connected'), 5000);
    // Before: C hears only the host.
    expect(await heard(c, atC.id, marks, 2200)).toEqual([kxMark]);
    expect(kx.phone.act(toC, 'conference', { call: toB }).ok).toBe(true);
    await waitFor('B resumed', () => (byId(kx, toB)?.state === 'connected' ? true : undefined), 5000);
    const atB = await waitFor('B sees resume', () => b.calls().find((x) => x.state === 'connected' && !x.remoteHold), 5000);
    expect(byId(kx, toB)!.conference).toBe(toC);
    const [bHears, cHears] = await Promise.all([heard(b, atB.id, marks, 2600), heard(c, atC.id, marks, 2600)]);
    expect(bHears).toEqual([kxMark, cMark].sort());
    expect(cHears).toEqual([kxMark, bMark].sort());
  }, 30000);

  it('RFC 4733 DTMF both ways through the proxy, and the call log on both sides', async () => {
    const { kx, doors } = await pbx(peers, 194, 1);
    const [door] = doors as [TestPhone];
    const id = await connect(kx, DOORS[0]!.user);
    const there = await waitFor('A12 connected', () => callIn(door, 'connected'), 5000);
    await waitFor('RTP both ways', () => ((byId(kx, id)!.rtp?.packetsReceived ?? 0) >= 10 && (byId(door, there.id)!.rtp?.packetsReceived ?? 0) >= 10 ? true : undefined), 5000);
    expect(kx.phone.act(id, 'dtmf', { digits: '19#' }).ok).toBe(true);
    await waitFor('three digits at the A12', () => (digitsAt(door).length >= 3 ? true : undefined), 5000);
    expect(door.phone.act(there.id, 'dtmf', { digits: '*07' }).ok).toBe(true);
    await waitFor('three digits at the KX', () => (digitsAt(kx).length >= 3 ? true : undefined), 5000);
    await sleep(300); // no duplicates from the event's end retransmissions
    expect(digitsAt(door)).toEqual(['1', '9', '#']);
    expect(digitsAt(kx)).toEqual(['*', '0', '7']);

    await sleep(1000);
    expect(door.phone.act(there.id, 'hangup').ok).toBe(true);
    await waitFor('KX ended', () => (byId(kx, id)?.state === 'ended' ? true : undefined), 5000);
    const [out] = await waitFor('KX log entry', () => (logOf(kx).length ? logOf(kx) : undefined), 3000);
    const [inc] = await waitFor('A12 log entry', () => (logOf(door).length ? logOf(door) : undefined), 3000);
    expect(logOf(kx)).toHaveLength(1);
    expect(logOf(door)).toHaveLength(1);
    expect(out).toMatchObject({ kind: 'outgoing', line: 1, outcome: 'answered', callId: byId(kx, id)!.callId, remote: { number: DOORS[0]!.user } });
    expect(inc).toMatchObject({ kind: 'incoming', line: 1, outcome: 'answered', callId: there.callId, remote: { number: KX.user } });
    expect(out!.callId).toBe(inc!.callId);
    expect(out!.durationS).toBeGreaterThanOrEqual(1);
    expect(inc!.durationS).toBeGreaterThanOrEqual(1);
  }, 30000);
});
