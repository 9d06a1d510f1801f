// Shared call (KX-UT670 SHARED_CALL_ENABLE_n) against SIPp as the BroadWorks shared-call server
// (uas_shared_line.xml) over real UDP on loopback: the registered line watches its appearances
// (call-info), dialling on it first seizes an appearance (line-seize SUBSCRIBE → 200 + NOTIFY
// active appearance-index=1), the INVITE names it in Call-Info, and the seizure is released once
// the call is answered or fails (here 486). A refused seizure (uas_shared_line_refuse.xml: 403)
// fails the dial with CALL_LINE_SEIZE_REFUSED and sends no INVITE.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LineStatus } from '../../src/phone/phone-line.js';
import type { Device } from '../../firmware-sim/device.js';
import { messageFlow, SCENARIO_DIR, sippUnavailable, startSipp, waitFor, type SippInstance, type SippOptions } from '../peers/index.js';
import { bootWith, ofType, type Cleanups } from './presence-devices.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function sipp(name: string, options: Omit<SippOptions, 'scenario'> = {}): Promise<SippInstance> {
  const s = await startSipp({ scenario: { file: join(SCENARIO_DIR, 'events', `${name}.xml`) }, timeoutMs: 15_000, ...options });
  cleanups.push(() => s.stop());
  return s;
}

const line1 = (d: Device): LineStatus => d.telephony()!.lineStatuses()[0]!;

async function bootShared(ip: string, registrar: SippInstance, sca: SippInstance) {
  return bootWith(cleanups, 'kx-ut670', ip, {
    SIP_RGSTR_ADDR_1: registrar.address,
    SIP_RGSTR_PORT_1: String(registrar.port),
    SIP_PRXY_ADDR_1: sca.address,
    SIP_PRXY_PORT_1: String(sca.port),
    PHONE_NUMBER_1: '1001',
    SHARED_CALL_ENABLE_1: 'Y',
  });
}

describe.skipIf(sippUnavailable() !== undefined)('shared call line seize against SIPp (UDP loopback)', () => {
  it('seizes an appearance before dialling; the INVITE carries Call-Info appearance-index; released after the call fails', async () => {
    const registrar = await sipp('uas_register');
    const sca = await sipp('uas_shared_line', { calls: 3 });
    const { device, events } = await bootShared('127.0.0.61', registrar, sca);
    await waitFor('line 1 registered', () => (line1(device).registration.state === 'registered' ? true : undefined), 5000);
    await waitFor('shared line watched', () => (ofType(events, 'shared-line').length >= 1 ? true : undefined), 5000);

    const placed = await device.telephony()!.dial('200');
    expect(placed.ok, JSON.stringify(placed)).toBe(true);
    const ended = await waitFor('call ended', () => device.telephony()!.listCalls().find((c) => c.state === 'ended'), 5000);
    expect(ended.endStatus).toBe(486);
    const invite = sca.messages().find((m) => m.startLine.startsWith('INVITE'))!;
    expect(invite.headers.get('call-info')).toEqual([`<sip:1001@${registrar.address}>;appearance-index=1`]);
    const seize = sca.messages().find((m) => m.startLine.startsWith('SUBSCRIBE') && m.headers.get('event')?.[0] === 'line-seize')!;
    expect(seize.headers.get('expires')).toEqual(['15']);
    // The line-seize SUBSCRIBE came before the INVITE.
    const flow = sca.messages().map((m) => `${m.startLine.split(' ')[0]} ${m.headers.get('event')?.[0] ?? ''}`);
    expect(flow.indexOf('SUBSCRIBE line-seize')).toBeLessThan(flow.indexOf('INVITE '));
    await waitFor('seizure released', () => (sca.messages().filter((m) => m.startLine.startsWith('SUBSCRIBE')).length >= 3 ? true : undefined), 5000);

    await device.shutdown('test');
    const result = await sca.done;
    expect(result.exitCode, `${messageFlow(result.messages).join(' ')}\n${result.errors}`).toBe(0);
  }, 30_000);

  it('a refused seizure fails the dial with CALL_LINE_SEIZE_REFUSED and sends no INVITE', async () => {
    const registrar = await sipp('uas_register');
    const sca = await sipp('uas_shared_line_refuse', { calls: 2 });
    const { device, events } = await bootShared('127.0.0.62', registrar, sca);
    await waitFor('line 1 registered', () => (line1(device).registration.state === 'registered' ? true : undefined), 5000);
    await waitFor('shared line watched', () => (ofType(events, 'shared-line').length >= 1 ? true : undefined), 5000);
    const placed = await device.telephony()!.dial('200');
    expect(placed.ok ? 'ok' : placed.error.code).toBe('CALL_LINE_SEIZE_REFUSED');
    expect(ofType(events, 'dial-failed').at(-1)).toMatchObject({ code: 'CALL_LINE_SEIZE_REFUSED', to: '200' });
    expect(device.telephony()!.listCalls()).toEqual([]);
    expect(sca.messages().some((m) => m.startLine.startsWith('INVITE'))).toBe(false);
    await device.shutdown('test');
    const result = await sca.done;
    expect(result.exitCode, `${messageFlow(result.messages).join(' ')}\n${result.errors}`).toBe(0);
  }, 30_000);
});
