// Presence in virtual time against a scripted server (shared by the presence-*.test.ts files): a
// Presence over two lines of an in-memory network, every route to one scripted server, and
// helpers to answer its SUBSCRIBEs and send NOTIFYs in their dialogs or out of any dialog.
import { failure, ok } from '../../src/core/result.js';
import { defaultDeviceSettings, type DeviceSettings } from '../../src/settings/canonical.js';
import { createRequest, createResponse, randomCallId, type SipRequest, type SipResponse } from '../../src/sip/message/index.js';
import { Presence } from '../../src/phone/presence/presence.js';
import type { PresenceLine } from '../../src/phone/presence/presence-line.js';
import type { BlfButtonStatus } from '../../src/phone/presence/buttons.js';
import type { MwiStatus } from '../../src/phone/presence/mwi.js';
import type { CheckSyncEvent } from '../../src/phone/presence/presence-events.js';
import { Network, notifyFor, type Scripted } from '../sip/subscription-network.js';

export const flush = () => new Promise((r) => setImmediate(r));

export function setup(configure: (s: DeviceSettings) => void = () => {}, routeFails = 0) {
  const net = new Network();
  const uas = [net.ua('phone'), net.ua('phone2')];
  const server = net.scripted('server');
  const settings = defaultDeviceSettings(2, 24);
  configure(settings);
  let failures = routeFails;
  const routes: string[] = [];
  const line = (number: number): PresenceLine => ({
    number,
    ua: uas[number - 1]!,
    from: `<sip:10${number}@example.test>`,
    user: `10${number}`,
    registers: true,
    route: async (dialled, purpose) => {
      routes.push(`${purpose} ${dialled}`);
      if (failures-- > 0) return failure('DNS_NXDOMAIN', 'dns: example.test does not exist');
      const uri = dialled.startsWith('sip:') ? dialled : `sip:${dialled}@example.test`;
      return ok({ uri, to: `<${uri}>`, peer: server.peer });
    },
  });
  const presence = new Presence({ clock: net.clock, settings: () => settings, lines: [line(1), line(2)] });
  const mwi: MwiStatus[] = [];
  const blf: BlfButtonStatus[] = [];
  const sync: CheckSyncEvent[] = [];
  presence.events.on('mwi', (m) => mwi.push(m));
  presence.events.on('blf', (b) => blf.push(b));
  presence.events.on('check-sync', (c) => sync.push(c));
  presence.start();
  return { net, server, presence, mwi, blf, sync, routes, phone: net.peers.phone! };
}

export function subscribes(server: Scripted): Array<{ request: SipRequest; respond: (status: number, headers?: Array<[string, string]>) => void }> {
  return server.received
    .filter((r) => r.request.method === 'SUBSCRIBE')
    .map((r) => ({ request: r.request, respond: (status, headers = []) => r.tx!.respond(createResponse(r.request, status, { toTag: 'srv1', headers: [['Contact', `<sip:notifier@${server.peer.address}>`], ...headers] })) }));
}

export function notifyIn(t: ReturnType<typeof setup>, subscribe: SipRequest, cseq: number, event: string, state: string, body?: string, type?: string, extra: Array<[string, string]> = []): SipResponse[] {
  const via = subscribe.topVia!;
  const to = { address: via.host, port: via.port ?? 5060, transport: 'udp' as const };
  const r = t.server.send(notifyFor(t.server, subscribe, 'srv1', cseq, [['Event', event], ['Subscription-State', state], ...extra], body, type), to);
  t.net.clock.advance(30);
  return r;
}

/** An out-of-dialog NOTIFY (no To tag), as a PBX pushes it. */
export function unsolicited(t: ReturnType<typeof setup>, event: string, body?: string, type?: string): SipResponse[] {
  const r = t.server.send(
    createRequest({
      method: 'NOTIFY',
      uri: `sip:101@${t.phone.address}:${t.phone.port}`,
      via: t.server.via(),
      from: `<sip:prov@example.test>;tag=p1`,
      to: '<sip:101@example.test>',
      callId: randomCallId(),
      cseq: 1,
      headers: [['Event', event]],
      body,
      contentType: type,
    }),
    t.phone,
  );
  t.net.clock.advance(30);
  return r;
}

