// DND and call forward synchronised with a portal server (KX-UT670 FWD_DND_SYNCHRO_ENABLE_n) against
// SIPp (real UDP on loopback): the line registers at one SIPp, subscribes to as-feature-event at
// its proxy (a second SIPp, events/uas_feature_event.xml); the server's NOTIFYs set the phone's
// switches, and switches changed at the phone go to the server in SUBSCRIBEs with CSTA bodies.
import { afterEach, describe, expect, it } from 'vitest';
import type { Phone } from '../../src/phone/phone.js';
import { messageFlow, sippUnavailable, waitFor, type SippInstance } from '../peers/index.js';
import { bootWith, eventsSipp, type Cleanups } from './presence-devices.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const sipp = (name: string): Promise<SippInstance> => eventsSipp(cleanups, name);

async function bootKx(ip: string, registrar: SippInstance, proxy: SippInstance, sync: 'Y' | 'N'): Promise<Phone> {
  const { device } = await bootWith(cleanups, 'kx-ut670', ip, {
    SIP_RGSTR_ADDR_1: registrar.address,
    SIP_RGSTR_PORT_1: String(registrar.port),
    SIP_PRXY_ADDR_1: proxy.address,
    SIP_PRXY_PORT_1: String(proxy.port),
    PHONE_NUMBER_1: '1001',
    FWD_DND_SYNCHRO_ENABLE_1: sync,
  });
  const phone = device.telephony() as unknown as Phone;
  await waitFor('line 1 registered', () => (phone.lineStatuses()[0]!.registration.state === 'registered' ? true : undefined), 5000);
  return phone;
}

describe.skipIf(sippUnavailable() !== undefined)('FWD_DND_SYNCHRO_ENABLE_n against SIPp (as-feature-event)', () => {
  it('the server state sets the switches; the phone pushes its changes; the server changes DND again', async () => {
    const registrar = await sipp('uas_register');
    const portal = await sipp('uas_feature_event');
    const phone = await bootKx('127.0.0.161', registrar, portal, 'Y');
    // NOTIFY 1 (multipart/mixed): DND on, forward always to 2002.
    await waitFor('server state applied', () => (phone.lineFeatures(1).dnd && phone.lineFeatures(1).forwardAlways.enabled ? true : undefined), 5000);
    expect(phone.lineFeatures(1).forwardAlways).toEqual({ enabled: true, number: '2002' });
    expect(phone.featureSync.status()).toEqual([{ line: 1, state: 'active' }]);

    const dndOff = await phone.setFeature(1, 'dnd', false);
    expect(dndOff.ok && dndOff.value).toMatchObject({ mode: 'local', sync: 'sent', features: { dnd: false } });
    await waitFor('NOTIFY 2 answered', () => (messageFlow(portal.messages()).filter((m) => m === '< 200 NOTIFY').length >= 2 ? true : undefined), 5000);
    expect(phone.lineFeatures(1).dnd).toBe(false);

    const busy = await phone.setFeature(1, 'forward-busy', true, { number: '2003' });
    expect(busy.ok && busy.value.sync).toBe('sent');
    // NOTIFY 4: the server switches DND on by itself.
    await waitFor('server DND on again', () => (phone.lineFeatures(1).dnd ? true : undefined), 5000);
    expect(phone.lineFeatures(1).forwardBusy).toEqual({ enabled: true, number: '2003' });

    const result = await portal.done;
    expect(result.exitCode, `${messageFlow(result.messages).join(' ')}\n${result.errors}`).toBe(0);
    const subscribes = result.messages.filter((m) => m.direction === 'received' && m.method === 'SUBSCRIBE');
    expect(subscribes).toHaveLength(3);
    expect(subscribes[0]!.startLine).toBe(`SUBSCRIBE sip:1001@${registrar.address} SIP/2.0`);
    expect(subscribes[0]!.headers.get('accept')?.[0]).toContain('application/x-as-feature-event+xml');
    // The two changes went in the subscription's dialog (same Call-ID), with the CSTA bodies.
    for (const s of subscribes) {
      expect(s.headers.get('event')).toEqual(['as-feature-event']);
      expect(s.headers.get('call-id')).toEqual(subscribes[0]!.headers.get('call-id'));
    }
    expect(subscribes[1]!.raw).toContain('<SetDoNotDisturb xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3">');
    expect(subscribes[1]!.raw).toContain('<device>1001</device>');
    expect(subscribes[2]!.raw).toContain('<forwardingType>forwardBusy</forwardingType>');
  }, 30_000);

  it('FWD_DND_SYNCHRO_ENABLE = N: no subscription, changes stay local', async () => {
    const registrar = await sipp('uas_register');
    const portal = await sipp('uas_feature_event');
    const phone = await bootKx('127.0.0.162', registrar, portal, 'N');
    const dnd = await phone.setFeature(1, 'dnd', true);
    expect(dnd.ok && dnd.value).toMatchObject({ mode: 'local', features: { dnd: true } });
    expect(dnd.ok && dnd.value.sync).toBeUndefined();
    await new Promise((r) => setTimeout(r, 300));
    expect(portal.messages()).toEqual([]);
    expect(phone.featureSync.status()).toEqual([]);
  }, 30_000);
});
