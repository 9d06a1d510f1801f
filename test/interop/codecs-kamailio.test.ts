// One call per codec between virtual phones registered on one Kamailio, by number through the
// proxy: a KX-UT670 whose lines 1-4 each enable one codec (KX-UT670 5.7.1 CODEC_ENABLEx_n,
// CODEC_G711_REQ = 0 so PCMU is not added) calls an A12 (its default "SIP1 VoiceCodecMap" lists
// them all) in PCMU, PCMA, G.722 and G.729 (when the addon is built); a second A12 with opus
// alone in its codec map (9.12) calls the first in Opus. For each call: the negotiated codec on
// both sides, RTP both ways without loss, and each side hears the other's identity mark.
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/system-clock.js';
import type { CallSnapshot } from '../../src/phone/call.js';
import type { Device } from '../../firmware-sim/device.js';
import { availableCodecNames } from '../../firmware-sim/services/device-media.js';
import { bootDevice } from '../helpers/device.js';
import { peerGroup, waitFor, type Kamailio } from '../peers/index.js';

const figures = process.env.VPHONE_FIGURES ? (line: string) => console.info(line) : () => undefined;
// KX-UT670 5.7.1 codec numbers x of CODEC_ENABLEx_n.
const KX_CODEC_X = { G722: 0, PCMA: 1, G729: 3, PCMU: 4 } as const;
const KX_LINES = (['PCMU', 'PCMA', 'G722', 'G729'] as const).map((codec, i) => ({ codec, line: i + 1, user: `100${i + 1}`, password: `kx-${i + 1}` }));
const DOOR = { user: '2001', password: 'door-1' };
const GATE = { user: '2002', password: 'gate-2' };

const clocks: SystemClock[] = [];
const devices: Device[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.shutdown('test');
  for (const c of clocks.splice(0)) c.stop();
});

async function boot(model: 'kx-ut670' | 'fanvil-a12', ip: string, settings: Record<string, string>): Promise<Device> {
  const clock = new SystemClock();
  clocks.push(clock);
  const { device } = await bootDevice({ model, ip, clock, settings });
  devices.push(device);
  return device;
}

function kxSettings(kam: Kamailio): Record<string, string> {
  const out: Record<string, string> = { CODEC_G711_REQ: '0' };
  for (const l of KX_LINES) {
    const n = l.line;
    Object.assign(out, {
      [`SIP_RGSTR_ADDR_${n}`]: kam.address,
      [`SIP_RGSTR_PORT_${n}`]: String(kam.port),
      [`SIP_PRXY_ADDR_${n}`]: kam.address,
      [`SIP_PRXY_PORT_${n}`]: String(kam.port),
      [`PHONE_NUMBER_${n}`]: l.user,
      [`SIP_AUTHID_${n}`]: l.user,
      [`SIP_PASS_${n}`]: l.password,
    });
    for (const [codec, x] of Object.entries(KX_CODEC_X)) out[`CODEC_ENABLE${x}_${n}`] = codec === l.codec ? 'Y' : 'N';
  }
  return out;
}

function a12Settings(kam: Kamailio, account: { user: string; password: string }, codecs?: string): Record<string, string> {
  return {
    'SIP1 Enable Reg': '1',
    'SIP1 Phone Number': account.user,
    'SIP1 Register Addr': kam.address,
    'SIP1 Register Port': String(kam.port),
    'SIP1 Register User': account.user,
    'SIP1 Register Pswd': account.password,
    ...(codecs ? { 'SIP1 VoiceCodecMap': codecs } : {}),
  };
}

type RtpStats = { codec?: string; packetsSent: number; packetsReceived: number; packetsLost: number; heard?: { mac?: string; score: number } };
const connected = (d: Device): CallSnapshot | undefined => d.telephony()!.listCalls().find((c) => c.state === 'connected');
const rtpOf = (c: CallSnapshot | undefined): RtpStats | undefined => c?.rtp as RtpStats | undefined;
const registered = (d: Device, lines: number): boolean => d.telephony()!.lineStatuses().slice(0, lines).every((l) => l.registration.state === 'registered');

/** `caller` dials `number` on `line`; both sides connected in `codec`, marks heard both ways; hang up. */
async function callIn(codec: string, caller: Device, callee: Device, number: string, line: number): Promise<void> {
  expect((await caller.telephony()!.dial(number, line)).ok).toBe(true);
  const [a, b] = await Promise.all([waitFor(`${codec}: caller connected`, () => connected(caller), 8000), waitFor(`${codec}: callee connected`, () => connected(callee), 8000)]);
  expect([a.codec, b.codec], codec).toEqual([codec, codec]);
  const both = await waitFor(`${codec}: RTP both ways, each hears the other`, () => {
    const x = rtpOf(connected(caller));
    const y = rtpOf(connected(callee));
    const flowing = (s: RtpStats | undefined): boolean => s !== undefined && s.packetsSent >= 40 && s.packetsReceived >= 40;
    return flowing(x) && flowing(y) && x!.heard?.mac === callee.mac && y!.heard?.mac === caller.mac ? ([x!, y!] as const) : undefined;
  }, 8000);
  for (const s of both) {
    expect(s.packetsLost, codec).toBe(0);
    // What the other sent arrives, give or take the packets in flight.
    expect(s.packetsReceived).toBeGreaterThan(0.9 * s.packetsSent - 5);
  }
  figures(`${codec}: caller sent ${both[0].packetsSent} received ${both[0].packetsReceived} lost ${both[0].packetsLost} score ${both[0].heard!.score.toFixed(1)} | callee sent ${both[1].packetsSent} received ${both[1].packetsReceived} lost ${both[1].packetsLost} score ${both[1].heard!.score.toFixed(1)}`);
  expect(caller.telephony()!.act(a.id, 'hangup').ok).toBe(true);
  await waitFor(`${codec}: both idle`, () => (connected(caller) === undefined && connected(callee) === undefined ? true : undefined), 5000);
}

describe('codec matrix through Kamailio', () => {
  const peers = peerGroup();

  it('PCMU, PCMA, G.722, G.729 (KX-UT670 → A12) and Opus (A12 → A12): negotiated on both sides, RTP both ways without loss, each hears the other', async () => {
    const kam = await peers.kamailio({ users: [...KX_LINES.map(({ user, password }) => ({ user, password })), DOOR, GATE] });
    const [kx, door, gate] = await Promise.all([
      boot('kx-ut670', '127.0.0.161', kxSettings(kam)),
      boot('fanvil-a12', '127.0.0.162', a12Settings(kam, DOOR)),
      boot('fanvil-a12', '127.0.0.163', a12Settings(kam, GATE, 'opus')),
    ]);
    await waitFor('all lines registered', () => (registered(kx!, KX_LINES.length) && registered(door!, 1) && registered(gate!, 1) ? true : undefined), 8000);
    const g729 = availableCodecNames().includes('G729');
    if (!g729) console.warn('codecs-kamailio: G.729 addon not built (make build): no G.729 call');
    for (const l of KX_LINES) {
      if (l.codec === 'G729' && !g729) continue;
      await callIn(l.codec, kx!, door!, DOOR.user, l.line);
    }
    await callIn('OPUS', gate!, door!, DOOR.user, 1);
  }, 40_000);
});
