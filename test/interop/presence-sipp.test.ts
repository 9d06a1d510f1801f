// Presence of a whole device against SIPp over real UDP on loopback (SystemClock). A KX-UT670
// line registers at one SIPp (registrar), subscribes to message-summary at its proxy (a second
// SIPp, the voice-mail server of uas_subscribe_mwi.xml) and watches extension 201 with a BLF
// button at its presence server (SIP_PRSNC_ADDR_1, a third SIPp, uas_subscribe_dialog.xml).
// The device events `mwi` and `blf` and GET /api/v1/mwi and /api/v1/blf show the state; the
// shutdown unsubscribes and waits for the final NOTIFY. A fourth SIPp pushes an unsolicited
// message-summary and a check-sync NOTIFY, which restarts the unit (KX-UT670 5.4.5).
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LineStatus } from '../../src/phone/phone-line.js';
import type { Device } from '../../firmware-sim/device.js';
import { messageFlow, SCENARIO_DIR, sippUnavailable, startSipp, waitFor, type SippInstance, type SippOptions } from '../peers/index.js';
import { api, bootWith, ofType, type Cleanups } from './presence-devices.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const scenario = (name: string) => ({ file: join(SCENARIO_DIR, 'events', `${name}.xml`) });

async function sipp(name: string, options: Omit<SippOptions, 'scenario'> = {}): Promise<SippInstance> {
  const s = await startSipp({ scenario: scenario(name), timeoutMs: 15_000, ...options });
  cleanups.push(() => s.stop());
  return s;
}

const boot = (ip: string, settings: Record<string, string>) => bootWith(cleanups, 'kx-ut670', ip, settings);
const get = (device: Device, path: string) => api(device, path);
const line1 = (d: Device): LineStatus => d.telephony()!.lineStatuses()[0]!;

describe.skipIf(sippUnavailable() !== undefined)('presence of a device against SIPp (UDP loopback)', () => {
  it('MWI at the voice-mail server and a BLF lamp at the presence server; shutdown unsubscribes', async () => {
    const registrar = await sipp('uas_register');
    const vm = await sipp('uas_subscribe_mwi');
    const pbx = await sipp('uas_subscribe_dialog');
    const { device, events } = await boot('127.0.0.51', {
      SIP_RGSTR_ADDR_1: registrar.address,
      SIP_RGSTR_PORT_1: String(registrar.port),
      SIP_PRXY_ADDR_1: vm.address,
      SIP_PRXY_PORT_1: String(vm.port),
      SIP_PRSNC_ADDR_1: pbx.address,
      SIP_PRSNC_PORT_1: String(pbx.port),
      PHONE_NUMBER_1: '1001',
      VM_SUBSCRIBE_ENABLE: 'Y',
      VM_NUMBER_1: '*97',
      FLEX_BUTTON_FACILITY_ACT1: 'X_PANASONIC_IPTEL_CONTACT',
      FLEX_BUTTON_FACILITY_ARG1: '201',
      FLEX_BUTTON_LABEL1: 'Bob',
    });
    await waitFor('line 1 registered', () => (line1(device).registration.state === 'registered' ? true : undefined), 5000);
    // uas_subscribe_mwi: NOTIFY yes 2/8 (0/2), then no 0/10.
    await waitFor('two mwi events', () => (ofType(events, 'mwi').length >= 2 ? true : undefined), 5000);
    expect(ofType(events, 'mwi').map((m) => `${m.line} ${m.messagesWaiting} ${m.newMessages}/${m.oldMessages} ${m.source}`)).toEqual(['1 true 2/8 subscription', '1 false 0/10 subscription']);
    // uas_subscribe_dialog: ringing, busy, idle, then terminated;reason=noresource (not retried).
    await waitFor('BLF lamp back to unknown', () => (ofType(events, 'blf').length >= 4 ? true : undefined), 5000);
    expect(ofType(events, 'blf').map((b) => `${b.button} ${b.target} ${b.lamp}`)).toEqual(['1 201 ringing', '1 201 busy', '1 201 idle', '1 201 unknown']);
    const pbxResult = await pbx.done;
    expect(pbxResult.exitCode, `${messageFlow(pbxResult.messages).join(' ')}\n${pbxResult.errors}`).toBe(0);
    const blfSubscribe = pbxResult.messages[0]!;
    expect(blfSubscribe.startLine).toBe(`SUBSCRIBE sip:201@${registrar.address} SIP/2.0`);
    expect(blfSubscribe.headers.get('from')![0]).toContain(`<sip:1001@${registrar.address}>`);

    const mwi = await get(device, '/mwi');
    expect(mwi[0]).toMatchObject({ line: 1, messagesWaiting: false, newMessages: 0, oldMessages: 10, subscription: 'active', account: `sip:*97@${vm.address}` });
    expect(mwi.slice(1).map((m: { subscription: string }) => m.subscription)).toEqual(['off', 'off', 'off', 'off', 'off']);
    expect(await get(device, '/blf')).toEqual([{ button: 1, target: '201', label: 'Bob', line: 1, lamp: 'unknown', subscription: 'terminated', reason: 'noresource', dialogs: [] }]);
    expect(await get(device, '/buttons')).toEqual([{ button: 1, kind: 'blf', target: '201', label: 'Bob', line: 1 }]);

    // The SUBSCRIBE went to the proxy for the line's own AOR.
    const vmSubscribe = vm.messages()[0]!;
    expect(vmSubscribe.startLine).toBe(`SUBSCRIBE sip:1001@${registrar.address} SIP/2.0`);
    expect(vmSubscribe.headers.get('event')).toEqual(['message-summary']);
    // Shutdown: in-dialog SUBSCRIBE Expires: 0, 200, final NOTIFY answered: the scenario passes.
    await device.shutdown('test');
    const vmResult = await vm.done;
    expect(vmResult.exitCode, `${messageFlow(vmResult.messages).join(' ')}\n${vmResult.errors}`).toBe(0);
    expect(messageFlow(vmResult.messages).slice(-4)).toEqual(['< SUBSCRIBE', '> 200 SUBSCRIBE', '> NOTIFY', '< 200 NOTIFY']);
  }, 30_000);

  it('an unsolicited message-summary lights the LED; check-sync;reboot=true restarts the unit', async () => {
    const { device, events } = await boot('127.0.0.52', { PHONE_NUMBER_1: '1001' });
    const port = line1(device).local.port;
    const pbx = await sipp('uac_notify_unsolicited', { target: { address: device.ip, port }, service: '1001', keys: { resync_event: 'check-sync;reboot=true' } });
    const result = await pbx.done;
    expect(result.exitCode, `${messageFlow(result.messages).join(' ')}\n${result.errors}`).toBe(0);
    expect(messageFlow(result.messages)).toEqual(['> NOTIFY', '< 200 NOTIFY', '> NOTIFY', '< 200 NOTIFY']);
    expect(ofType(events, 'mwi')).toMatchObject([{ line: 1, messagesWaiting: true, newMessages: 4, oldMessages: 1, newUrgent: 2, oldUrgent: 0, source: 'unsolicited', subscription: 'off' }]);
    expect(ofType(events, 'check-sync')).toMatchObject([{ line: 1, reboot: true, from: `sip:prov@${device.ip}` }]);
    await waitFor('rebooted', () => (device.status === 'running' && ofType(events, 'boot').some((b) => b.phase === 'ready' && b.bootCount === 2) ? true : undefined), 5000);
    expect(ofType(events, 'reboot')).toMatchObject([{ reason: 'check-sync' }]);
    // A fresh boot: the LED state is gone until the server tells again.
    expect((await get(device, '/mwi'))[0]).toMatchObject({ messagesWaiting: false, subscription: 'off' });
  }, 30_000);
});
