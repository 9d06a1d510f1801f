// Server conference against SIPp standing in as the conference server (calls/uas_conference_focus.xml,
// real UDP on loopback): the host phone calls two A12s by IP, then joins them. It calls the room
// itself (KX-UT670 CONFERENCE_SERVER_URI; A12 9.12 Conference Type "Server" + number), then
// REFERs each party to the room; each party INVITEs the room with Referred-By, the sipfrag 200
// ends the host's call with it, and the host stays in the room. SIPp's trace shows the three
// INVITEs that reached the server.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import type { Device } from '../../firmware-sim/device.js';
import { sipService } from '../../firmware-sim/services/sip-service.js';
import { recordingFactory } from '../helpers/recording-media.js';
import { bootPhone, until, type TestPhone } from '../phone/in-call-devices.js';
import { messageFlow, SCENARIO_DIR, sippUnavailable, startSipp, type SippInstance } from '../peers/index.js';

const devices: Device[] = [];
const sipps: SippInstance[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.shutdown('test');
  for (const s of sipps.splice(0)) await s.stop();
});

const rec = () => [sipService({ media: () => recordingFactory([]) })];

async function focus(): Promise<SippInstance> {
  const s = await startSipp({ scenario: { file: join(SCENARIO_DIR, 'calls', 'uas_conference_focus.xml') }, calls: 3, limit: 3, timeoutMs: 20_000 });
  sipps.push(s);
  return s;
}

async function connect(from: TestPhone, to: TestPhone): Promise<string> {
  const placed = await from.phone.dial(to.address);
  if (!placed.ok) throw new Error(placed.error.message);
  await until(`${placed.value.id} connected`, () => from.calls().find((c) => c.id === placed.value.id && c.state === 'connected'));
  return placed.value.id;
}

/** Two A12 parties whose line sends SIP URIs of the server's domain to the server (no registration). */
const party = (clock: VirtualClock, ip: string, server: SippInstance) =>
  bootPhone(devices, 'fanvil-a12', ip, clock, { 'SIP1 Proxy Addr': server.address, 'SIP1 Proxy Port': String(server.port) }, rec());

async function runConference(host: TestPhone, a: TestPhone, b: TestPhone, server: SippInstance, roomUri: string): Promise<void> {
  const toA = await connect(host, a);
  const toB = await connect(host, b);
  expect(host.phone.act(toA, 'conference', { call: toB }).ok).toBe(true);
  // The host's own call to the room, then both parties referred there: our calls with them end.
  const room = await until('host in the room', () => host.calls().find((c) => c.conference === 'server' && c.state === 'connected'), 6000);
  expect(room.remote.uri).toBe(roomUri);
  for (const id of [toA, toB]) {
    const gone = await until(`${id} transferred`, () => host.calls().find((c) => c.id === id && c.state === 'ended'), 6000);
    expect(gone.transfer).toMatchObject({ kind: 'blind', state: 'done', status: 200, target: roomUri });
  }
  expect(host.features('conference').map((e) => e.call).sort()).toEqual([toA, toB].sort());
  for (const p of [a, b]) {
    const joined = await until('party in the room', () => p.calls().find((c) => c.state === 'connected' && c.remote.uri === roomUri));
    expect(joined.referredBy).toContain(host.device.ip);
  }
  // Everyone leaves: three BYEs, the scenario's three calls complete.
  for (const p of [host, a, b]) for (const c of p.calls()) if (c.state !== 'ended') p.phone.act(c.id, 'hangup');
  const result = await server.done;
  expect(result.exitCode, `${messageFlow(result.messages).join(' ')}\n${result.errors}`).toBe(0);
  const invites = result.messages.filter((m) => m.direction === 'received' && m.method === 'INVITE');
  expect(invites.map((m) => m.startLine)).toEqual(Array(3).fill(`INVITE ${roomUri} SIP/2.0`));
  // The host's INVITE first, without Referred-By; each party's with the host as referrer.
  const from = (m: (typeof invites)[number]) => m.headers.get('from')![0]!;
  expect(from(invites[0]!)).toContain(host.device.ip);
  expect(invites[0]!.headers.get('referred-by')).toBeUndefined();
  const parties = invites.slice(1);
  expect(parties.map((m) => (from(m).includes(a.device.ip) ? 'a' : from(m).includes(b.device.ip) ? 'b' : '?')).sort()).toEqual(['a', 'b']);
  for (const m of parties) expect(m.headers.get('referred-by')?.[0]).toContain(host.device.ip);
}

describe.skipIf(sippUnavailable() !== undefined)('server conference against SIPp as the conference server', () => {
  it('KX-UT670 CONFERENCE_SERVER_URI: the host joins the room and REFERs both parties to it', async () => {
    const clock = new VirtualClock();
    const server = await focus();
    const kx = await bootPhone(devices, 'kx-ut670', '127.0.0.121', clock, {
      AUTO_CALL_HOLD: 'Y',
      SIP_PRXY_ADDR_1: server.address,
      SIP_PRXY_PORT_1: String(server.port),
      CONFERENCE_SERVER_URI: `sip:conf@${server.address}`,
    }, rec());
    await runConference(kx, await party(clock, '127.0.0.122', server), await party(clock, '127.0.0.123', server), server, `sip:conf@${server.address}`);
  }, 30_000);

  it('A12 Conference Type "Server" with a room name: the room is that user on the line\'s server', async () => {
    const clock = new VirtualClock();
    const server = await focus();
    const door = await bootPhone(devices, 'fanvil-a12', '127.0.0.124', clock, {
      'SIP1 Proxy Addr': server.address,
      'SIP1 Proxy Port': String(server.port),
      'SIP1 Use SRV Mixer': '1',
      'SIP1 SRV Mixer Uri': 'room1',
    }, rec());
    await runConference(door, await party(clock, '127.0.0.125', server), await party(clock, '127.0.0.126', server), server, `sip:room1@${server.address}`);
  }, 30_000);
});
