// Incoming-call policy, caller-ID privacy, auto answer, limits and feature codes between real
// devices in one process (KX-UT670s and A12s on 127.0.0.x, real UDP, VirtualClock, recording
// media), checked on the wire (raw UDP INVITEs and a raw UDP callee) and on the devices (calls,
// call log, events).
import { createSocket, type Socket } from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import type { DeviceEvent } from '../../src/core/device-events.js';
import type { CallSnapshot } from '../../src/phone/call.js';
import type { Phone } from '../../src/phone/phone.js';
import type { Device } from '../../firmware-sim/device.js';
import { sipService } from '../../firmware-sim/services/sip-service.js';
import { bootDevice } from '../helpers/device.js';
import { until } from '../helpers/until.js';
import { recordingFactory, type RecordingMedia } from '../helpers/recording-media.js';
import { buildRequest, parseResponse, sendRequest, type SipResponse } from '../peers/sip-client.js';

const devices: Device[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.shutdown('test');
  for (const s of sockets.splice(0)) s.close();
});

type Model = 'kx-ut670' | 'fanvil-a12';
interface Booted {
  device: Device;
  phone: Phone;
  events: DeviceEvent[];
  media: RecordingMedia[];
  port: number;
}

async function boot(model: Model, ip: string, clock: VirtualClock, settings: Record<string, string> = {}): Promise<Booted> {
  const media: RecordingMedia[] = [];
  const { device, events } = await bootDevice({ model: model, ip, clock, settings, services: [sipService({ media: () => recordingFactory(media) })] });
  devices.push(device);
  const phone = device.telephony() as Phone;
  return { device, phone, events, media, port: phone.lineStatuses()[0]!.local.port };
}

const callIn = (b: Booted, state?: string): CallSnapshot | undefined => b.phone.listCalls().find((c) => state === undefined || c.state === state);

/** A raw INVITE from `from` to a device; resolves with its final response (undefined: none within `ms`). */
function rawInvite(to: Booted, from: string, headers: string[] = [], ms = 1500): Promise<SipResponse | undefined> {
  const address = to.device.ip;
  return sendRequest(
    { address, port: to.port },
    'udp',
    (local) => buildRequest({ method: 'INVITE', uri: `sip:x@${address}:${to.port}`, from, to: `<sip:x@${address}>`, transport: 'udp', local, contact: `<sip:raw@${local.address}:${local.port}>`, headers }),
    ms,
  );
}

/** A raw UDP "callee" that records every request it receives (it never answers). */
async function rawCallee(address: string): Promise<{ port: number; requests: string[] }> {
  const socket = createSocket('udp4');
  sockets.push(socket);
  const requests: string[] = [];
  socket.on('message', (m) => requests.push(m.toString('utf8')));
  await new Promise<void>((r) => socket.bind({ address, port: 0 }, r));
  return { port: socket.address().port, requests };
}

const header = (raw: string, name: string): string[] =>
  raw
    .split('\r\n')
    .filter((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
    .map((l) => l.slice(name.length + 1).trim());

const logEvents = (b: Booted) => b.events.filter((e) => e.type === 'call-log');

describe('refusals before ringing', () => {
  it('A12 DND answers with the DND code; the call is a missed call in the log and a call-log event', async () => {
    const clock = new VirtualClock();
    const door = await boot('fanvil-a12', '127.0.0.41', clock, { 'SIP1 Enable DND': '1' });
    const kx = await boot('kx-ut670', '127.0.0.42', clock);
    const raw = await rawInvite(door, '"Bob" <sip:1002@127.0.0.9>');
    expect(raw?.status).toBe(door.device.settings.sip.dndResponseCode);
    // A device calling gets the same code.
    expect((await kx.phone.dial(`127.0.0.41:${door.port}`)).ok).toBe(true);
    const ended = await until('KX call ended', () => callIn(kx, 'ended'));
    expect(ended.endStatus).toBe(door.device.settings.sip.dndResponseCode);
    const log = door.phone.callLog.list();
    expect(log.map((e) => [e.kind, e.outcome])).toEqual([
      ['missed', 'dnd'],
      ['missed', 'dnd'],
    ]);
    expect(log[1]!.remote).toMatchObject({ number: '1002', name: 'Bob' });
    expect(logEvents(door)).toHaveLength(2);
    // The KX logs its own failed outgoing call.
    expect(kx.phone.callLog.list()[0]).toMatchObject({ kind: 'outgoing', outcome: 'failed', status: 480 });
  });

  it('KX rejection list and block anonymous (433), A12 restricted incoming list', async () => {
    const clock = new VirtualClock();
    const kx = await boot('kx-ut670', '127.0.0.43', clock, { SIP_RESPONSE_CODE_CALL_REJECT: '486' });
    expect(kx.phone.setRejectNumbers(['1002', '+4930 123']).ok).toBe(true);
    expect((await rawInvite(kx, '<sip:1002@127.0.0.9>'))?.status).toBe(486);
    expect((await rawInvite(kx, '<sip:+4930123@127.0.0.9>'))?.status).toBe(486);
    expect((await kx.phone.setFeature(1, 'block-anonymous', true)).ok).toBe(true);
    expect((await rawInvite(kx, '"Anonymous" <sip:anonymous@anonymous.invalid>'))?.status).toBe(433);
    expect(kx.phone.callLog.list().map((e) => e.outcome)).toEqual(['anonymous', 'rejection-list', 'rejection-list']);
    const door = await boot('fanvil-a12', '127.0.0.44', clock, { 'Restricted Incoming': '09,1003' });
    expect((await rawInvite(door, '<sip:0900123@127.0.0.9>'))?.status).toBe(603);
    // Anyone else is auto-answered (P2P auto answer, A12 7.4).
    expect((await rawInvite(door, '<sip:1004@127.0.0.9>'))?.status).toBe(200);
  });
});

describe('call forward by 302', () => {
  it('unconditional: the 302 carries Contact and Diversion; a calling device follows it to the third phone', async () => {
    const clock = new VirtualClock();
    const a = await boot('kx-ut670', '127.0.0.45', clock);
    const b = await boot('kx-ut670', '127.0.0.46', clock, { PHONE_NUMBER_1: '200' });
    const c = await boot('fanvil-a12', '127.0.0.47', clock);
    const set = await b.phone.setFeature(1, 'forward-always', true, { number: `sip:300@127.0.0.47:${c.port}` });
    expect(set.ok && set.value.mode).toBe('local');

    const raw = await rawInvite(b, '<sip:1001@127.0.0.9>', ['Diversion: <sip:100@127.0.0.9>;reason=user-busy;counter=1']);
    expect(raw?.status).toBe(302);
    expect(raw!.headers.get('contact')).toEqual([`<sip:300@127.0.0.47:${c.port}>`]);
    // SIP_ADD_DIVERSION_n default 1: own diversion only.
    expect(raw!.headers.get('diversion')).toEqual(['<sip:200@127.0.0.46>;reason=unconditional;counter=1']);

    expect((await a.phone.dial(`127.0.0.46:${b.port}`)).ok).toBe(true);
    const atC = await until('C answered', () => callIn(c, 'connected'));
    expect(atC.remote.uri).toContain('127.0.0.45');
    const connected = await until('A connected', () => callIn(a, 'connected'));
    expect(connected.remote.uri).toBe(`sip:300@127.0.0.47:${c.port}`);
    expect(a.phone.listCalls().find((x) => x.state === 'ended')?.endStatus).toBe(302);
    // One user call: one log entry on A, showing the number A dialled.
    a.phone.act(connected.id, 'hangup');
    await until('A ended', () => a.phone.callLog.list().length === 1);
    expect(a.phone.callLog.list()[0]).toMatchObject({ kind: 'outgoing', outcome: 'answered', remote: { number: `127.0.0.46:${b.port}` } });
    expect(b.phone.callLog.list().map((e) => e.outcome)).toEqual(['forwarded', 'forwarded']);
  });

  it('no answer: the phone rings for the forward delay, then redirects; busy: redirects at once with SIP_ADD_DIVERSION 2', async () => {
    const clock = new VirtualClock();
    const a = await boot('kx-ut670', '127.0.0.48', clock);
    const b = await boot('kx-ut670', '127.0.0.49', clock, { SIP_ADD_DIVERSION_1: '2' });
    const c = await boot('fanvil-a12', '127.0.0.50', clock);
    await b.phone.setFeature(1, 'forward-no-answer', true, { number: `sip:127.0.0.50:${c.port}`, delayS: 4 });
    expect((await a.phone.dial(`127.0.0.49:${b.port}`)).ok).toBe(true);
    await until('B rings', () => callIn(b, 'ringing'));
    clock.advance(3900);
    expect(callIn(b, 'ringing')).toBeDefined();
    clock.advance(100);
    await until('C answered', () => callIn(c, 'connected'));
    expect(b.phone.callLog.list()[0]).toMatchObject({ kind: 'missed', outcome: 'forwarded', status: 302 });

    // B is now idle; make it busy with a second call from A, then a third caller is forwarded on busy.
    await b.phone.setFeature(1, 'forward-no-answer', false);
    await b.phone.setFeature(1, 'forward-busy', true, { number: '555' });
    // (number forward targets need a domain: B's line has none, so it refuses with 480.)
    expect((await a.phone.dial(`127.0.0.49:${b.port}`)).ok).toBe(true);
    const ringing = await until('B rings again', () => callIn(b, 'ringing'));
    expect(b.phone.act(ringing.id, 'answer').ok).toBe(true);
    expect((await rawInvite(b, '<sip:1009@127.0.0.9>'))?.status).toBe(480);
    await b.phone.setFeature(1, 'forward-busy', true, { number: `sip:127.0.0.50:${c.port}` });
    const raw = await rawInvite(b, '<sip:1009@127.0.0.9>', ['Diversion: <sip:100@127.0.0.9>;reason=no-answer;counter=1']);
    expect(raw?.status).toBe(302);
    expect(raw!.headers.get('diversion')).toEqual([`<sip:line1@127.0.0.49>;reason=user-busy;counter=1`, '<sip:100@127.0.0.9>;reason=no-answer;counter=1']);
  });
});

describe('caller-ID privacy on outgoing calls', () => {
  it('an anonymous KX call: From per SIP_ANM_*, Privacy: id, P-Preferred-Identity; an A12 blocking anonymous calls refuses it', async () => {
    const clock = new VirtualClock();
    const kx = await boot('kx-ut670', '127.0.0.51', clock, {
      PHONE_NUMBER_1: '1001',
      DISPLAY_NAME_1: 'Alice',
      SIP_PRIVACY_1: 'Y',
      SIP_P_PREFERRED_ID_1: 'Y',
      SIP_ANM_HOSTNAME_1: 'Y',
    });
    const callee = await rawCallee('127.0.0.52');
    expect((await kx.phone.dial(`127.0.0.52:${callee.port}`)).ok).toBe(true);
    const plain = await until('INVITE', () => callee.requests.find((r) => r.startsWith('INVITE')));
    expect(header(plain, 'From')[0]).toMatch(/^"Alice" <sip:1001@127\.0\.0\.51>;tag=/);
    expect(header(plain, 'Privacy')).toEqual(['none']);
    expect(header(plain, 'P-Preferred-Identity')).toEqual(['"Alice" <sip:1001@127.0.0.51>']);
    kx.phone.hangupAll();

    await kx.phone.setFeature(1, 'anonymous', true);
    callee.requests.length = 0;
    expect((await kx.phone.dial(`127.0.0.52:${callee.port}`)).ok).toBe(true);
    const anon = await until('INVITE', () => callee.requests.find((r) => r.startsWith('INVITE')));
    expect(header(anon, 'From')[0]).toMatch(/^"Anonymous" <sip:1001@anonymous\.invalid>;tag=/);
    expect(header(anon, 'Privacy')).toEqual(['id']);
    expect(header(anon, 'P-Preferred-Identity')).toEqual(['"Alice" <sip:1001@127.0.0.51>']);
    kx.phone.hangupAll();

    const door = await boot('fanvil-a12', '127.0.0.53', clock, { 'SIP1 Ban Anonymous': '1' });
    expect((await kx.phone.dial(`127.0.0.53:${door.port}`)).ok).toBe(true);
    await until('refused', () => kx.phone.listCalls().find((c) => c.endStatus === 433));
    expect(door.phone.callLog.list()[0]).toMatchObject({ kind: 'missed', outcome: 'anonymous', remote: { name: 'Anonymous' } });
  });
});

describe('A12 Anonymous Call Standard (9.12 SIPn CLIR)', () => {
  it('None: the anonymous From alone; RFC 3323: Privacy: header; RFC 3325: Privacy: id and P-Preferred-Identity', async () => {
    const clock = new VirtualClock();
    const callee = await rawCallee('127.0.0.57');
    const door = await boot('fanvil-a12', '127.0.0.56', clock, {});
    const call = async (standard: string) => {
      const set = door.device.store.set('SIP1 CLIR', standard, 'ui', 'api');
      expect(set.ok).toBe(true);
      callee.requests.length = 0;
      expect((await door.phone.dial(`127.0.0.57:${callee.port}`, 1, { anonymous: true })).ok).toBe(true);
      const invite = await until('INVITE', () => callee.requests.find((r) => r.startsWith('INVITE')));
      door.phone.hangupAll();
      return invite;
    };
    const none = await call('0');
    expect(header(none, 'From')[0]).toMatch(/^"Anonymous" <sip:anonymous@anonymous\.invalid>;tag=/);
    expect(header(none, 'Privacy')).toEqual([]);
    const rfc3323 = await call('1');
    expect(header(rfc3323, 'Privacy')).toEqual(['header']);
    expect(header(rfc3323, 'P-Preferred-Identity')).toEqual([]);
    const rfc3325 = await call('2');
    expect(header(rfc3325, 'From')[0]).toMatch(/^"Anonymous" <sip:anonymous@anonymous\.invalid>;tag=/);
    expect(header(rfc3325, 'Privacy')).toEqual(['id']);
    expect(header(rfc3325, 'P-Preferred-Identity')[0]).toMatch(/^<sip:.*@127\.0\.0\.56>$/);
    // Not anonymous: the standard changes nothing.
    callee.requests.length = 0;
    expect((await door.phone.dial(`127.0.0.57:${callee.port}`)).ok).toBe(true);
    const plain = await until('INVITE', () => callee.requests.find((r) => r.startsWith('INVITE')));
    expect(header(plain, 'From')[0]).not.toContain('anonymous');
  });
});

describe('auto answer, intercom and limits (A12)', () => {
  it('a normal call rings; an intercom call (Alert-Info or Call-Info answer-after) is answered, muted with Intercom Mute', async () => {
    const clock = new VirtualClock();
    const door = await boot('fanvil-a12', '127.0.0.54', clock, { 'SIP P2P Enable Auto Answer': '0', 'P1 Intercom Mute': '1' });
    expect(await rawInvite(door, '<sip:1001@127.0.0.9>', [], 400)).toBeUndefined();
    expect(callIn(door, 'ringing')).toBeDefined();
    door.phone.hangupAll();
    const r = await rawInvite(door, '<sip:1001@127.0.0.9>', ['Alert-Info: <http://127.0.0.9/x>;info=alert-autoanswer']);
    expect(r?.status).toBe(200);
    const answered = await until('intercom answered', () => callIn(door, 'connected'));
    expect(answered.muted).toBe(true);
    expect(door.media.at(-1)!.muted).toBe(true);
    door.phone.hangupAll();
    // The raw caller never answers the BYE: Timer F ends it, and the door is idle again.
    clock.advance(40_000);
    await until('idle', () => door.phone.listCalls().every((c) => c.state === 'ended'));
    // Call-Info answer-after=2: rings two seconds first.
    const pending = rawInvite(door, '<sip:1001@127.0.0.9>', ['Call-Info: <sip:127.0.0.9>;answer-after=2'], 3000);
    await until('rings', () => door.phone.listCalls().filter((c) => c.state === 'ringing').length === 1);
    clock.advance(2000);
    expect((await pending)?.status).toBe(200);
  });

  it('a KX without intercom features ignores the intercom header; its auto answer switch rings AUTO_ANS_RING_TIM', async () => {
    const clock = new VirtualClock();
    const kx = await boot('kx-ut670', '127.0.0.55', clock, { AUTO_ANS_RING_TIM: '3' });
    expect(await rawInvite(kx, '<sip:1001@127.0.0.9>', ['Alert-Info: <http://x>;info=alert-autoanswer'], 300)).toBeUndefined();
    kx.phone.hangupAll();
    await kx.phone.setFeature(1, 'auto-answer', true);
    const pending = rawInvite(kx, '<sip:1001@127.0.0.9>', [], 3000);
    await until('rings', () => kx.phone.listCalls().filter((c) => c.state === 'ringing').length === 1);
    clock.advance(2999);
    expect(kx.phone.listCalls().filter((c) => c.state === 'connected')).toHaveLength(0);
    clock.advance(1);
    expect((await pending)?.status).toBe(200);
  });

  it('talk duration limit hangs up; no-answer timeout hangs up an unanswered call with 480', async () => {
    const clock = new VirtualClock();
    const kx = await boot('kx-ut670', '127.0.0.56', clock);
    const door = await boot('fanvil-a12', '127.0.0.57', clock, { 'P1 Limit Talk Duration': '1', 'P1 Talk Duration': '20', 'P1 Call Timeout': '30' });
    await kx.phone.dial(`127.0.0.57:${door.port}`);
    await until('connected', () => callIn(kx, 'connected'));
    clock.advance(19_000);
    expect(callIn(door, 'connected')).toBeDefined();
    clock.advance(1_000);
    const ended = await until('KX ended', () => callIn(kx, 'ended'));
    expect(ended.endReason).toBe('remote-bye');
    expect(door.phone.callLog.list()[0]).toMatchObject({ kind: 'incoming', outcome: 'talk-limit', durationS: 20 });

    door.device.store.set('SIP P2P Enable Auto Answer', '0', 'ui', 'api');
    await kx.phone.dial(`127.0.0.57:${door.port}`);
    await until('rings', () => callIn(door, 'ringing'));
    clock.advance(30_000);
    await until('KX got 480', () => kx.phone.listCalls().find((c) => c.endStatus === 480));
    expect(door.phone.callLog.list()[0]).toMatchObject({ kind: 'missed', outcome: 'no-answer', status: 480 });
  });
});

describe('outgoing restrictions, hotline and feature codes (A12)', () => {
  it('Restricted Outgoing and Ban Outgoing refuse at dial()', async () => {
    const clock = new VirtualClock();
    const door = await boot('fanvil-a12', '127.0.0.58', clock, { 'Restricted Outgoing': '900' });
    const r = await door.phone.dial('9001');
    expect(!r.ok && r.error.code).toBe('CALL_BARRED');
    door.device.store.set('P1 Ban Dial Out', '1', 'ui', 'api');
    const banned = await door.phone.dial('127.0.0.9');
    expect(!banned.ok && banned.error.message).toContain('banned');
  });

  it('hotline: off hook dials the hotline number after its delay; on hook before that dials nothing', async () => {
    const clock = new VirtualClock();
    const kx = await boot('kx-ut670', '127.0.0.59', clock);
    const door = await boot('fanvil-a12', '127.0.0.60', clock, { 'SIP1 Enable Hotline': '1', 'SIP1 WarmLine Time': '2', 'SIP1 Hotline Num': `127.0.0.59:${kx.port}` });
    const off = await door.phone.offHook();
    expect(off.ok && off.value.hotline).toEqual({ number: `127.0.0.59:${kx.port}`, delayS: 2 });
    door.phone.onHook();
    clock.advance(5000);
    expect(door.phone.listCalls()).toHaveLength(0);
    await door.phone.offHook();
    clock.advance(2000);
    await until('KX rings', () => callIn(kx, 'ringing'));
    expect(callIn(door)!.direction).toBe('outgoing');
  });

  it('Use Feature Code: switching DND calls the code to the server instead of acting locally', async () => {
    const clock = new VirtualClock();
    const server = await rawCallee('127.0.0.61');
    const door = await boot('fanvil-a12', '127.0.0.62', clock, {
      'SIP1 Proxy Addr': '127.0.0.61',
      'SIP1 Proxy Port': String(server.port),
      'SIP1 SvcCode Mode': '1',
      'SIP1 DNDOn SvcCode': '*78',
      'SIP1 CFUOn SvcCode': '*72',
    });
    const r = await door.phone.setFeature(1, 'dnd', true);
    expect(r.ok && r.value.mode).toBe('code');
    const invite = await until('code INVITE', () => server.requests.find((x) => x.startsWith('INVITE')));
    expect(invite.split('\r\n')[0]).toBe('INVITE sip:*78@127.0.0.61 SIP/2.0');
    expect(door.phone.lineFeatures(1).dnd).toBe(false);
    door.phone.hangupAll();
    server.requests.length = 0;
    await door.phone.setFeature(1, 'forward-always', true, { number: '300' });
    const fwd = await until('code INVITE', () => server.requests.find((x) => x.startsWith('INVITE')));
    expect(fwd.split('\r\n')[0]).toBe('INVITE sip:*72300@127.0.0.61 SIP/2.0');
    // No code configured for DND off: handled on the phone.
    const local = await door.phone.setFeature(1, 'dnd', false);
    expect(local.ok && local.value.mode).toBe('local');
  });
});

// Keeps the raw response parser honest for the assertions above.
it('parseResponse reads repeated headers in order', () => {
  const r = parseResponse('SIP/2.0 302 Moved\r\nDiversion: a\r\nDiversion: b\r\n\r\n');
  expect(r?.headers.get('diversion')).toEqual(['a', 'b']);
});
