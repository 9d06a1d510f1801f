// A KX-UT670 watching a BLF resource list (RESOURCELIST_URI_1, RFC 4662) at SIPp playing the
// list server over real UDP on loopback (SystemClock; the installed Kamailio has no presence
// module). One SIPp registers the line, another (SIP_PRSNC_ADDR_1) serves the list
// (uas_subscribe_rlmi.xml): full state, partial state, a version gap the device answers with a
// refresh, a full state with a terminated member, then the end of the subscription. The device
// events `blf` / `blf-list` and GET /api/v1/blf show the buttons lit from the list.
import { afterEach, describe, expect, it } from 'vitest';
import type { Device } from '../../firmware-sim/device.js';
import { messageFlow, sippUnavailable, waitFor, type SippInstance } from '../peers/index.js';
import { api, bootWith, eventsSipp, ofType, type Cleanups } from './presence-devices.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const sipp = (name: string): Promise<SippInstance> => eventsSipp(cleanups, name);

const registered = (d: Device) => (d.telephony()!.lineStatuses()[0]!.registration.state === 'registered' ? true : undefined);

describe.skipIf(sippUnavailable() !== undefined)('BLF resource list against SIPp (UDP loopback)', () => {
  it('one list subscription lights three BLF buttons: full, partial, gap refresh, terminated member, end', async () => {
    const registrar = await sipp('uas_register');
    const rls = await sipp('uas_subscribe_rlmi');
    const { device, events } = await bootWith(cleanups, 'kx-ut670', '127.0.0.53', {
      SIP_RGSTR_ADDR_1: registrar.address,
      SIP_RGSTR_PORT_1: String(registrar.port),
      SIP_PRSNC_ADDR_1: rls.address,
      SIP_PRSNC_PORT_1: String(rls.port),
      PHONE_NUMBER_1: '1001',
      RESOURCELIST_URI_1: `sip:blf-list@${rls.address}`,
      FLEX_BUTTON_FACILITY_ACT1: 'X_PANASONIC_IPTEL_CONTACT',
      FLEX_BUTTON_FACILITY_ARG1: '201',
      FLEX_BUTTON_LABEL1: 'Bob',
      FLEX_BUTTON_FACILITY_ACT2: 'X_PANASONIC_IPTEL_CONTACT',
      FLEX_BUTTON_FACILITY_ARG2: '202',
      FLEX_BUTTON_LABEL2: 'Carol',
      FLEX_BUTTON_FACILITY_ACT3: 'X_PANASONIC_IPTEL_CONTACT',
      FLEX_BUTTON_FACILITY_ARG3: '203',
      FLEX_BUTTON_LABEL3: 'Dave',
    });
    await waitFor('line 1 registered', () => registered(device), 5000);
    const result = await rls.done;
    expect(result.exitCode, `${messageFlow(result.messages).join(' ')}\n${result.errors}`).toBe(0);
    // One SUBSCRIBE for the list (no per-button ones), the refresh after the gap in the same dialog.
    const subscribes = result.messages.filter((m) => m.startLine.startsWith('SUBSCRIBE'));
    // The refresh goes to the list server's Contact (the dialog's remote target, RFC 3261 §12.2.1.1).
    expect(subscribes.map((m) => m.startLine)).toEqual([`SUBSCRIBE sip:blf-list@${rls.address} SIP/2.0`, `SUBSCRIBE sip:rls@${rls.address}:${rls.port};transport=UDP SIP/2.0`]);
    expect(subscribes[0]!.headers.get('accept')).toEqual(['application/rlmi+xml, application/dialog-info+xml, multipart/related']);
    expect(subscribes[1]!.headers.get('call-id')).toEqual(subscribes[0]!.headers.get('call-id'));
    expect(messageFlow(result.messages).filter((m) => m.includes('NOTIFY'))).toEqual(Array(5).fill(['> NOTIFY', '< 200 NOTIFY']).flat());

    await waitFor('lamps unknown after the end', () => (ofType(events, 'blf').filter((b) => b['lamp'] === 'unknown').length >= 3 ? true : undefined), 5000);
    const lamps = ofType(events, 'blf').map((b) => `${String(b['button'])} ${String(b['lamp'])}`);
    // Full state: 201 ringing, 202 idle, 203 pending (no lamp); partial: 201 busy; the gap changes
    // nothing; the full state after the refresh: 201 idle, 202 rejected; then the end.
    expect(lamps.slice(0, 5)).toEqual(['1 ringing', '2 idle', '1 busy', '1 idle', '2 unknown']);
    const lists = ofType(events, 'blf-list');
    expect(lists.length).toBeGreaterThanOrEqual(3);
    const afterRefresh = lists.at(-2)!['members'] as Array<Record<string, unknown>>;
    expect(afterRefresh.map((m) => `${String(m['name'])} ${String(m['state'])} ${String(m['lamp'])} ${String(m['reason'] ?? '')}`)).toEqual(['Bob active idle ', 'Carol terminated unknown rejected', 'Dave pending unknown ']);

    const blf = await api(device, '/blf');
    expect(blf.map((b: Record<string, unknown>) => `${String(b['button'])} ${String(b['lamp'])} ${String(b['subscription'])} ${String(b['reason'])} ${String(b['list'])}`)).toEqual([1, 2, 3].map((n) => `${n} unknown terminated noresource sip:blf-list@${rls.address}`));
  }, 30_000);
});
