// Registration edge cases of issue 3 with whole KX-UT670 devices (system clock) against SIPp
// registrars over real UDP on loopback (scenarios in test/peers/sipp/edges/):
// - 302 to REGISTER (RFC 3261 §8.1.3.4): the line follows the Contact to a second SIPp on
//   another 127.0.0.x address and ends registered there, its status naming the redirect;
// - 503 with Retry-After: 2 (RFC 3261 §21.5.4): the next REGISTER 2 s later, not after
//   REG_RTX_INTVL_n (10 s);
// - fail-back: the primary (SIP_RGSTR_ADDR_n) silent at first, the line registers on the
//   secondary (SIP_2NDRGSTR_ADDR_n); once the primary is up, the refresh due on the secondary goes
//   to the primary, which keeps the line from then on; the secondary gets no Expires 0.
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { EARLY_SLACK_MS, SystemClock } from '../../src/core/system-clock.js';
import type { DeviceEvent } from '../../src/core/device-events.js';
import type { LineStatus } from '../../src/phone/phone-line.js';
import type { Device } from '../../firmware-sim/device.js';
import { bootDevice } from '../helpers/device.js';
import { freePort, loopbackAddress, messageFlow, peerGroup, SCENARIO_DIR, sippUnavailable, waitFor, type SippInstance, type SippMessage, type SippResult } from '../peers/index.js';

/** A scenario of test/peers/sipp/edges/. */
const scenario = (name: string): { file: string } => ({ file: join(SCENARIO_DIR, 'edges', `${name}.xml`) });

/** One system clock for the file's devices; each test's device is shut down after it. */
const clock = new SystemClock();
const booted: Device[] = [];
afterEach(() => Promise.all(booted.splice(0).map((d) => d.shutdown('test'))));
afterAll(() => clock.stop());

/** A KX-UT670 on `ip` with line 1 configured by `settings` (manual parameter names). */
const boot = (ip: string, settings: Record<string, string>): Promise<{ device: Device; events: DeviceEvent[] }> =>
  bootDevice({ model: 'kx-ut670', ip, clock, settings }).then((b) => {
    booted.push(b.device);
    return b;
  });

type TimedStatus = LineStatus & { readonly t: number };
const line1 = (d: Device): LineStatus => d.telephony()!.lineStatuses()[0]!;
const line1Events = (events: readonly DeviceEvent[]): TimedStatus[] => (events.filter((e) => e.type === 'line') as unknown as TimedStatus[]).filter((l) => l.line === 1);
const hostPort = (s: SippInstance): string => `${s.address}:${s.port}`;
const header = (m: SippMessage, name: string): string => m.headers.get(name)?.[0] ?? '';
const cseq = (m: SippMessage): number => Number(/^\d+/.exec(header(m, 'cseq'))?.[0]);
const registers = (messages: readonly SippMessage[]): SippMessage[] => messages.filter((m) => m.direction === 'received' && m.method === 'REGISTER');
const trace = (r: SippResult): string => `${messageFlow(r.messages).join(' ')}\n${r.errors}`;
const registeredAt = (d: Device, s: SippInstance) => (): LineStatus | undefined => {
  const l = line1(d);
  return l.registration.state === 'registered' && l.registration.registrar === hostPort(s) ? l : undefined;
};

describe.skipIf(sippUnavailable() !== undefined)('registration edge cases: a whole device against SIPp registrars (UDP loopback)', () => {
  const peers = peerGroup();

  it('302: the REGISTER follows the Contact to a second registrar on another address; the line ends registered there', async () => {
    const second = await peers.sipp({ scenario: scenario('uas_register_accept_all'), keys: { expires: 3600 }, timeoutMs: 20_000 });
    const first = await peers.sipp({ scenario: scenario('uas_register_redirect_302'), keys: { redirect_contact: `<sip:${second.address}:${second.port}>` }, timeoutMs: 20_000 });
    expect(first.address).not.toBe(second.address);
    const { device, events } = await boot('127.0.0.171', { SIP_RGSTR_ADDR_1: first.address, SIP_RGSTR_PORT_1: String(first.port), PHONE_NUMBER_1: '1001' });
    const registered = await waitFor('line 1 registered on the second registrar', registeredAt(device, second), 10_000);
    const r1 = await first.done;
    expect(r1.exitCode, trace(r1)).toBe(0);
    expect(messageFlow(r1.messages)).toEqual(['< REGISTER', '> 302 REGISTER']);
    const r2 = await second.stop();
    expect(messageFlow(r2.messages).slice(0, 2)).toEqual(['< REGISTER', '> 200 REGISTER']);
    const [before] = registers(r1.messages);
    const [after] = registers(r2.messages);
    // RFC 3261 §8.1.3.4 / §10.2.1: the Contact as Request-URI (no user part), same Call-ID, next CSeq.
    expect(after!.startLine).toBe(`REGISTER sip:${second.address}:${second.port} SIP/2.0`);
    expect(header(after!, 'call-id')).toBe(header(before!, 'call-id'));
    expect(cseq(after!)).toBe(cseq(before!) + 1);
    const detail = `302 Moved Temporarily from ${hostPort(first)} to ${hostPort(second)}`;
    expect(registered.registration).toMatchObject({ state: 'registered', registrar: hostPort(second), reason: detail, expiresS: 3600 });
    // While redirected the line said so too.
    expect(line1Events(events).map((l) => [l.registration.state, l.registration.reason])).toContainEqual(['registering', detail]);
    if (process.env.VPHONE_FIGURES) console.info(`302: ${JSON.stringify(registered.registration)}`);
  });

  it('a 302 loop (A -> B -> A) stops at B: the line fails with reason redirect, A sees one REGISTER', async () => {
    const a = { address: loopbackAddress(), port: 0 };
    let bAddress = loopbackAddress();
    while (bAddress === a.address) bAddress = loopbackAddress();
    const b = { address: bAddress, port: await freePort(bAddress) };
    a.port = await freePort(a.address);
    const [ra, rb] = await Promise.all([
      peers.sipp({ scenario: scenario('uas_register_redirect_302'), ...a, keys: { redirect_contact: `<sip:${b.address}:${b.port}>` }, timeoutMs: 20_000 }),
      peers.sipp({ scenario: scenario('uas_register_redirect_302'), ...b, keys: { redirect_contact: `<sip:${a.address}:${a.port}>` }, timeoutMs: 20_000 }),
    ]);
    const { device } = await boot('127.0.0.174', { SIP_RGSTR_ADDR_1: ra.address, SIP_RGSTR_PORT_1: String(ra.port), PHONE_NUMBER_1: '1001' });
    const failed = await waitFor('line 1 failed', () => (line1(device).registration.state === 'failed' ? line1(device) : undefined), 5_000);
    expect(failed.registration).toMatchObject({ state: 'failed', status: 302, reason: `redirect: redirect loop (302 Moved Temporarily back to ${hostPort(ra)}), retry in 10 s` });
    const [da, db] = await Promise.all([ra.done, rb.done]);
    expect(messageFlow(da.messages), trace(da)).toEqual(['< REGISTER', '> 302 REGISTER']);
    expect(messageFlow(db.messages), trace(db)).toEqual(['< REGISTER', '> 302 REGISTER']);
  });

  it('503 with Retry-After: 2: the second REGISTER goes 2 s later (not after REG_RTX_INTVL_n = 10 s) and registers', async () => {
    const registrar = await peers.sipp({ scenario: scenario('uas_register_503_retry_after'), keys: { retry_after: 2, expires: 3600 }, timeoutMs: 20_000 });
    const { device, events } = await boot('127.0.0.172', { SIP_RGSTR_ADDR_1: registrar.address, SIP_RGSTR_PORT_1: String(registrar.port), PHONE_NUMBER_1: '1001' });
    await waitFor('line 1 registered', registeredAt(device, registrar), 10_000);
    const r = await registrar.done;
    expect(r.exitCode, trace(r)).toBe(0);
    expect(messageFlow(r.messages)).toEqual(['< REGISTER', '> 503 REGISTER', '< REGISTER', '> 200 REGISTER']);
    const regs = registers(r.messages);
    expect(header(regs[1]!, 'call-id')).toBe(header(regs[0]!, 'call-id'));
    expect(cseq(regs[1]!)).toBe(cseq(regs[0]!) + 1);
    const states = line1Events(events);
    const failed = states.find((l) => l.registration.state === 'failed')!;
    expect(failed.registration).toMatchObject({ status: 503, reason: 'unavailable: 503 Service Unavailable, retry in 2 s' });
    // The retry's REGISTER is sent as the line enters "registering" (cause retry).
    const retry = states.find((l) => l.t > failed.t && l.registration.state === 'registering')!;
    expect(retry.registration.reason).toBe('retry');
    const waitedMs = retry.t - failed.t;
    // SystemClock runs a timer up to EARLY_SLACK_MS before its due time (when the OS timer comes early).
    expect(waitedMs).toBeGreaterThanOrEqual(2000 - EARLY_SLACK_MS);
    expect(waitedMs).toBeLessThan(3000); // REG_RTX_INTVL_n would be 10 s
    if (process.env.VPHONE_FIGURES) console.info(`503 Retry-After 2: second REGISTER ${waitedMs.toFixed(1)} ms after the 503`);
  });

  it('fail-back: registered on the secondary while the primary is silent; the refresh then goes to the primary, which keeps the line', async () => {
    const secondary = await peers.sipp({ scenario: scenario('uas_register_accept_all'), keys: { expires: 4 }, timeoutMs: 30_000 });
    let primaryAddress = loopbackAddress();
    while (primaryAddress === secondary.address) primaryAddress = loopbackAddress();
    const primaryPort = await freePort(primaryAddress);
    const { device, events } = await boot('127.0.0.173', {
      SIP_RGSTR_ADDR_1: primaryAddress,
      SIP_RGSTR_PORT_1: String(primaryPort),
      SIP_2NDRGSTR_ADDR_1: secondary.address,
      SIP_2NDRGSTR_PORT_1: String(secondary.port),
      PHONE_NUMBER_1: '1001',
      // 4 s bindings refreshed at 50 %; Timer F 1 s (T1 250 ms): the primary's silence costs 1 s.
      REG_EXPIRE_TIME_1: '4',
      REG_INTERVAL_RATE_1: '50',
      SIP_TIMER_T1_1: '250',
      SIP_TIMER_F_1: '1000',
    });
    await waitFor('line 1 registered on the secondary', registeredAt(device, secondary), 5_000);
    const primary = await peers.sipp({ scenario: scenario('uas_register_accept_all'), address: primaryAddress, port: primaryPort, keys: { expires: 4 }, timeoutMs: 30_000 });
    const back = await waitFor('line 1 back on the primary', registeredAt(device, primary), 8_000);
    expect(back.registration).toMatchObject({ reason: 'failback', expiresS: 4 });
    // One more refresh: it stays on the primary (no detour through the secondary).
    await waitFor('a refresh on the primary', () => (line1Events(events).some((l) => l.registration.reason === 'refreshed' && l.registration.registrar === hostPort(primary)) ? true : undefined), 4_000);
    const rp = await primary.stop();
    const rs = await secondary.stop();

    const states = line1Events(events).filter((l) => l.registration.state === 'registered');
    const failback = states.find((l) => l.registration.reason === 'failback')!;
    const lastOnSecondary = states.filter((l) => l.t < failback.t && l.registration.registrar === hostPort(secondary)).at(-1)!;
    // The refresh due on the secondary (50 % of 4 s) went to the primary: one refresh interval.
    const gapMs = failback.t - lastOnSecondary.t;
    expect(gapMs).toBeGreaterThanOrEqual(2000 - EARLY_SLACK_MS);
    expect(gapMs).toBeLessThan(2900); // a detour through a silent primary would add Timer F (1 s)
    // Never unregistered anywhere; the line stayed "registered" from the first 200 on.
    const all = [...registers(rs.messages), ...registers(rp.messages)];
    expect(all.every((m) => /expires=4\b/.test(header(m, 'contact'))), all.map((m) => header(m, 'contact')).join(' | ')).toBe(true);
    const fromFirst = line1Events(events).slice(line1Events(events).findIndex((l) => l.registration.state === 'registered'));
    expect(new Set(fromFirst.map((l) => l.registration.state))).toEqual(new Set(['registered']));
    // One Call-ID across both registrars, CSeq increasing.
    expect(new Set(all.map((m) => header(m, 'call-id'))).size).toBe(1);
    expect(registers(rp.messages).length).toBeGreaterThanOrEqual(2);
    if (process.env.VPHONE_FIGURES) console.info(`fail-back: on the primary ${gapMs.toFixed(1)} ms after the last registration on the secondary`);
  });
});
