// Whole devices (a KX-UT670 on the system clock) against SIPp on loopback for the edge cases of
// issue 3 that the UA-level test (ua-sipp.test.ts) does not reach: a registrar whose nonce goes
// stale on a refresh and then refuses the credentials, an INVITE challenged 407 then 407
// stale=true, a 302 followed to a second SIPp (Diversion kept) and a 3xx loop that stops, an
// INVITE nobody answers (resent at T1, 2*T1, 4*T1 until the line's Timer B: 408), and INVITE/BYE
// over TCP. Each test checks the wire (SIPp's message log) and the device (line status, call
// snapshots, call log events). Scenarios: test/peers/sipp/edges/.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/system-clock.js';
import type { DeviceEvent } from '../../src/core/device-events.js';
import type { CallSnapshot } from '../../src/phone/call.js';
import type { CallLogEntry } from '../../src/phone/call-log.js';
import type { LineStatus } from '../../src/phone/phone-line.js';
import type { Device } from '../../firmware-sim/device.js';
import { bootDevice } from '../helpers/device.js';
import { messageFlow, peerGroup, SCENARIO_DIR, sippUnavailable, waitFor, type SippMessage, type SippResult } from '../peers/index.js';

const edge = (name: string): { file: string } => ({ file: join(SCENARIO_DIR, 'edges', `${name}.xml`) });

const clocks: SystemClock[] = [];
const devices: Device[] = [];
afterEach(async () => {
  for (const d of devices.splice(0)) await d.shutdown('test');
  for (const c of clocks.splice(0)) c.stop();
});

async function boot(ip: string, settings: Record<string, string>): Promise<{ device: Device; events: DeviceEvent[] }> {
  const clock = new SystemClock();
  clocks.push(clock);
  const booted = await bootDevice({ model: 'kx-ut670', ip, clock, settings });
  devices.push(booted.device);
  return booted;
}

const line1 = (d: Device): LineStatus => d.telephony()!.lineStatuses()[0]!;
const calls = (events: readonly DeviceEvent[]): CallSnapshot[] => events.filter((e) => e.type === 'call') as unknown as CallSnapshot[];
const logEntries = (events: readonly DeviceEvent[]): CallLogEntry[] => events.filter((e) => e.type === 'call-log') as unknown as CallLogEntry[];
const lines = (events: readonly DeviceEvent[]): LineStatus[] => events.filter((e) => e.type === 'line') as unknown as LineStatus[];
const header = (m: SippMessage, name: string): string => m.headers.get(name)?.[0] ?? '';
const param = (value: string, name: string): string | undefined => new RegExp(`[\\s,]${name}="?([^",]*)"?`).exec(` ${value}`)?.[1];
const cseq = (m: SippMessage): number => Number(/^\d+/.exec(header(m, 'cseq'))?.[0]);
const trace = (r: SippResult): string => `${messageFlow(r.messages).join(' ')}\n${r.errors}`;
const received = (r: SippResult, method: string): SippMessage[] => r.messages.filter((m) => m.direction === 'received' && m.method === method);

/** Milliseconds since midnight at which SIPp logged each received `method` request (-trace_msg separators carry the time). */
function receivedTimes(dir: string, method: string): number[] {
  const text = readFileSync(join(dir, 'messages.log'), 'utf8');
  const times: number[] = [];
  for (const m of text.matchAll(/^-{20,} \S+ (\d+):(\d+):(\d+\.\d+)\n(\w+) message received[^\n]*\n\s*(\S+)/gm)) {
    if (m[5] === method) times.push((Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3])) * 1000);
  }
  return times;
}

async function dial(d: Device, uri: string): Promise<CallSnapshot> {
  const placed = await d.telephony()!.dial(uri);
  if (!placed.ok) throw new Error(placed.error.message);
  return placed.value;
}

describe.skipIf(sippUnavailable() !== undefined)('a whole device against SIPp: edge cases (UDP and TCP loopback)', () => {
  const peers = peerGroup();

  it('REGISTER: 401, a refresh answered 401 stale=true keeps the line registered; a second refusal fails it', async () => {
    const registrar = await peers.sipp({ scenario: edge('uas_register_stale'), authUser: '1001', password: 'secret', keys: { expires: 2 }, timeoutMs: 15_000 });
    const { device, events } = await boot('127.0.0.161', {
      SIP_RGSTR_ADDR_1: registrar.address,
      SIP_RGSTR_PORT_1: String(registrar.port),
      PHONE_NUMBER_1: '1001',
      SIP_AUTHID_1: '1001',
      SIP_PASS_1: 'secret',
    });
    const failed = await waitFor('line 1 failed', () => (line1(device).registration.state === 'failed' ? line1(device) : undefined), 10_000);
    const r = await registrar.done;
    expect(r.exitCode, trace(r)).toBe(0);
    expect(messageFlow(r.messages)).toEqual([
      '< REGISTER', '> 401 REGISTER', '< REGISTER', '> 200 REGISTER',
      '< REGISTER', '> 401 REGISTER', '< REGISTER', '> 200 REGISTER',
      '< REGISTER', '> 401 REGISTER', '< REGISTER', '> 401 REGISTER',
    ]);
    const regs = received(r, 'REGISTER');
    const nonces = regs.map((m) => param(header(m, 'authorization'), 'nonce') ?? '-');
    const pid = /^(\d+)N1$/.exec(nonces[1]!)?.[1];
    expect(pid, nonces.join(' ')).toBeDefined();
    // The first REGISTER has no credentials; each refresh reuses the nonce it has (nc 2); after a
    // 401 the next REGISTER answers the new nonce with nc 1 (RFC 7616 §3.4, RFC 3261 §22.3).
    expect(nonces).toEqual(['-', `${pid}N1`, `${pid}N1`, `${pid}N2`, `${pid}N2`, `${pid}N3`]);
    expect(regs.map((m) => param(header(m, 'authorization'), 'nc') ?? '-')).toEqual(['-', '00000001', '00000002', '00000001', '00000002', '00000001']);
    expect(regs.map((m) => param(header(m, 'authorization'), 'username') ?? '-').slice(1)).toEqual(Array(5).fill('1001'));
    // One Call-ID, CSeq + 1 per REGISTER (RFC 3261 §10.2).
    expect(new Set(regs.map((m) => header(m, 'call-id'))).size).toBe(1);
    expect(regs.map(cseq)).toEqual(regs.map((_, i) => cseq(regs[0]!) + i));
    // The refresh after 401 stale=true came back to 200 without the line leaving "registered".
    const states = lines(events).filter((l) => l.line === 1).map((l) => l.registration.state);
    const firstRegistered = states.indexOf('registered');
    const firstFailed = states.indexOf('failed');
    expect(firstRegistered).toBeGreaterThanOrEqual(0);
    expect(states.slice(firstRegistered, firstFailed).every((s) => s === 'registered'), states.join(' ')).toBe(true);
    expect(failed.registration).toMatchObject({ state: 'failed', status: 401 });
    expect(failed.registration.reason).toMatch(/auth|refused|credentials/i);
    if (process.env.VPHONE_FIGURES) console.info(`register: states ${states.join(' ')}; failed: ${JSON.stringify(failed.registration)}`);
  });

  it('INVITE: 407, then 407 stale=true: both ACKed, CSeq + 1 each time, the call connects and ends with our BYE', async () => {
    const uas = await peers.sipp({ scenario: edge('uas_challenge_407_stale'), service: 'bob', timeoutMs: 15_000 });
    const { device, events } = await boot('127.0.0.162', { PHONE_NUMBER_1: '1001', SIP_AUTHID_1: '1001', SIP_PASS_1: 'secret' });
    const call = await dial(device, uas.uri('bob'));
    await waitFor('connected', () => (device.telephony()!.listCalls().find((c) => c.id === call.id && c.state === 'connected') ? true : undefined), 8000);
    expect(device.telephony()!.act(call.id, 'hangup').ok).toBe(true);
    const r = await uas.done;
    expect(r.exitCode, trace(r)).toBe(0);
    expect(messageFlow(r.messages)).toEqual([
      '< INVITE', '> 407 INVITE', '< ACK', '< INVITE', '> 407 INVITE', '< ACK', '< INVITE', '> 180 INVITE', '> 200 INVITE', '< ACK', '< BYE', '> 200 BYE',
    ]);
    const invites = received(r, 'INVITE');
    const acks = received(r, 'ACK');
    const pid = /nonce="(\d+)A"/.exec(r.messages[1]!.raw)?.[1];
    expect(invites.map((m) => param(header(m, 'proxy-authorization'), 'nonce') ?? '-')).toEqual(['-', `${pid}A`, `${pid}B`]);
    expect(invites.map((m) => param(header(m, 'proxy-authorization'), 'username') ?? '-')).toEqual(['-', '1001', '1001']);
    // RFC 3261 §8.1.3.5: the same Call-ID and From tag, CSeq + 1; §17.1.1.3: each ACK has the
    // CSeq number of the INVITE it completes.
    const first = cseq(invites[0]!);
    expect(invites.map(cseq)).toEqual([first, first + 1, first + 2]);
    expect(acks.map(cseq)).toEqual([first, first + 1, first + 2]);
    expect(new Set([...invites, ...acks].map((m) => header(m, 'call-id'))).size).toBe(1);
    expect(new Set(invites.map((m) => param(header(m, 'from'), 'tag'))).size).toBe(1);
    // The two ACKs for the 407s belong to their INVITE's transaction (same branch); the last to the dialog.
    const branch = (m: SippMessage): string | undefined => param(header(m, 'via'), 'branch');
    expect(branch(acks[0]!)).toBe(branch(invites[0]!));
    expect(branch(acks[1]!)).toBe(branch(invites[1]!));
    await waitFor('call ended', () => (calls(events).some((c) => c.id === call.id && c.state === 'ended') ? true : undefined), 3000);
    const log = logEntries(events);
    expect(log.map((e) => `${e.kind} ${e.outcome}`)).toEqual(['outgoing answered']);
  });

  it('302 to a second SIPp (Diversion kept) connects there; a redirect loop stops after a bounded number of hops', async () => {
    const target = await peers.sipp({ scenario: 'uas_answer_rtp_echo', service: 'carol', timeoutMs: 15_000 });
    const redirector = await peers.sipp({ scenario: edge('uas_redirect_302_diversion'), service: 'bob', keys: { redirect_contact: `<${target.uri('carol')}>` }, timeoutMs: 15_000 });
    const { device, events } = await boot('127.0.0.163', { PHONE_NUMBER_1: '1001' });
    await dial(device, redirector.uri('bob'));
    const connected = await waitFor('connected at the second UAS', () => device.telephony()!.listCalls().find((c) => c.state === 'connected'), 8000);
    expect(connected.remote.uri).toBe(target.uri('carol'));
    const r1 = await redirector.done;
    expect(messageFlow(r1.messages)).toEqual(['< INVITE', '> 302 INVITE', '< ACK']);
    expect(device.telephony()!.act(connected.id, 'hangup').ok).toBe(true);
    const r2 = await target.done;
    expect(r2.exitCode, trace(r2)).toBe(0);
    expect(messageFlow(r2.messages)).toEqual(['< INVITE', '> 100 INVITE', '> 180 INVITE', '> 200 INVITE', '< ACK', '< BYE', '> 200 BYE']);
    const invite = received(r2, 'INVITE')[0]!;
    expect(invite.startLine).toBe(`INVITE ${target.uri('carol')} SIP/2.0`);
    // RFC 5806 §4: the Diversion of the 302 travels with the new INVITE.
    expect(invite.headers.get('diversion')).toEqual([`<sip:bob@${redirector.address}:${redirector.port}>;reason=unconditional;counter=1`]);
    // A new call (RFC 3261 §8.1.3.4: a new request), not the first INVITE's Call-ID.
    expect(header(invite, 'call-id')).not.toBe(header(received(r1, 'INVITE')[0]!, 'call-id'));
    await waitFor('call ended', () => (logEntries(events).length > 0 ? true : undefined), 3000);
    // Only the followed call is logged (the redirected leg is silent).
    expect(logEntries(events).map((e) => `${e.kind} ${e.outcome} ${e.remote.uri}`)).toEqual([`outgoing answered ${target.uri('carol')}`]);

    // A UAS that redirects to itself: the device follows a bounded number of hops, then gives up.
    const loop = await peers.sipp({ scenario: 'uas_redirect_3xx', service: 'loop', calls: 20, timeoutMs: 15_000 });
    const { device: d2, events: e2 } = await boot('127.0.0.164', { PHONE_NUMBER_1: '1001' });
    const loopStart = Date.now();
    await dial(d2, `sip:loop@${loop.address}:${loop.port}`);
    const entry = await waitFor('loop logged', () => logEntries(e2)[0], 8000);
    await new Promise((r) => setTimeout(r, 500)); // no further INVITE after the entry
    const r3 = await loop.stop();
    const loopInvites = received(r3, 'INVITE');
    expect(loopInvites.length, trace(r3)).toBe(4); // the first INVITE and 3 redirects (MAX_REDIRECTS)
    expect(received(r3, 'ACK').length).toBe(4);
    expect(new Set(loopInvites.map((m) => header(m, 'call-id'))).size).toBe(4);
    expect(entry).toMatchObject({ kind: 'outgoing', outcome: 'redirected', status: 302 });
    expect(d2.telephony()!.listCalls().filter((c) => c.state !== 'ended')).toEqual([]);
    if (process.env.VPHONE_FIGURES) console.info(`3xx loop: ${loopInvites.length} INVITEs, logged '${entry.outcome}' ${entry.status} after ${Date.now() - loopStart} ms`);
  });

  it('no answer: the INVITE is resent at T1 = 250 ms, 2*T1, 4*T1 and the call ends 408 at SIP_TIMER_B_1 = 2 s', async () => {
    const uas = await peers.sipp({ scenario: edge('uas_silent'), service: 'bob', durationMs: 3500, timeoutMs: 15_000 });
    const { device, events } = await boot('127.0.0.165', { PHONE_NUMBER_1: '1001', SIP_TIMER_T1_1: '250', SIP_TIMER_B_1: '2000' });
    const t0 = Date.now();
    const call = await dial(device, uas.uri('bob'));
    const ended = await waitFor('call ended', () => calls(events).find((c) => c.id === call.id && c.state === 'ended'), 6000);
    const tookMs = Date.now() - t0;
    expect(ended.endStatus).toBe(408);
    expect(tookMs).toBeGreaterThanOrEqual(1900);
    expect(tookMs).toBeLessThan(3500);
    const entry = await waitFor('logged', () => logEntries(events)[0], 2000);
    expect(entry).toMatchObject({ kind: 'outgoing', status: 408, durationS: 0 });
    const r = await uas.stop({ keepLogs: true });
    const at = receivedTimes(r.dir, 'INVITE');
    rmSync(r.dir, { recursive: true, force: true });
    // RFC 3261 §17.1.1.2: copies at T1, 2*T1, 4*T1 after the previous one (0, 250, 750, 1750 ms).
    const offsets = at.map((t) => Math.round(t - at[0]!));
    expect(offsets.length).toBe(4);
    ([0, 250, 750, 1750] as const).forEach((want, i) => expect(Math.abs(offsets[i]! - want), `copy ${i} at ${offsets.join(', ')} ms`).toBeLessThan(120));
    // SIPp logs each copy it receives; the copies are one transaction (same branch).
    const invites = received(r, 'INVITE');
    expect(invites.length, trace(r)).toBe(4); // at 0, 250, 750, 1750 ms; Timer B fires at 2000
    expect(new Set(invites.map((m) => param(header(m, 'via'), 'branch'))).size).toBe(1);
    expect(r.messages.filter((m) => m.direction === 'sent')).toEqual([]);
    if (process.env.VPHONE_FIGURES) console.info(`408 after ${tookMs} ms; INVITE copies at ${offsets.join(', ')} ms`);
  });

  it('TCP: INVITE/200/ACK then BYE from SIPp, and a second call ended by our BYE', async () => {
    const byeUas = await peers.sipp({ scenario: 'uas_bye', service: 'bob', transport: 'tcp', durationMs: 300, timeoutMs: 15_000 });
    const { device, events } = await boot('127.0.0.166', { PHONE_NUMBER_1: '1001', SIP_TRANSPORT_1: '1' });
    expect(line1(device).local.transport).toBe('tcp');
    const first = await dial(device, byeUas.uri('bob'));
    const r1 = await byeUas.done;
    expect(r1.exitCode, trace(r1)).toBe(0);
    expect(messageFlow(r1.messages)).toEqual(['< INVITE', '> 100 INVITE', '> 180 INVITE', '> 200 INVITE', '< ACK', '> BYE', '< 200 BYE']);
    expect(r1.messages.every((m) => m.transport.toLowerCase() === 'tcp'), r1.messages.map((m) => m.transport).join(' ')).toBe(true);
    expect(header(received(r1, 'INVITE')[0]!, 'via')).toMatch(/^SIP\/2\.0\/TCP /);
    const ended1 = await waitFor('first call ended', () => calls(events).find((c) => c.id === first.id && c.state === 'ended'), 3000);
    expect(ended1.endReason).toMatch(/remote|bye/i);

    const uas = await peers.sipp({ scenario: 'uas_answer_rtp_echo', service: 'carol', transport: 'tcp', timeoutMs: 15_000 });
    const second = await dial(device, uas.uri('carol'));
    await waitFor('second call connected', () => (device.telephony()!.listCalls().find((c) => c.id === second.id && c.state === 'connected') ? true : undefined), 5000);
    expect(device.telephony()!.act(second.id, 'hangup').ok).toBe(true);
    const r2 = await uas.done;
    expect(r2.exitCode, trace(r2)).toBe(0);
    expect(messageFlow(r2.messages)).toEqual(['< INVITE', '> 100 INVITE', '> 180 INVITE', '> 200 INVITE', '< ACK', '< BYE', '> 200 BYE']);
    expect(header(received(r2, 'BYE')[0]!, 'via')).toMatch(/^SIP\/2\.0\/TCP /);
    await waitFor('both logged', () => (logEntries(events).length >= 2 ? true : undefined), 3000);
    expect(logEntries(events).map((e) => `${e.kind} ${e.outcome}`)).toEqual(['outgoing answered', 'outgoing answered']);
  });
});
