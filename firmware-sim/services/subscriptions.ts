// Presence wiring of a running device: one Presence over the SIP service's lines. Each line's
// subscriptions start when it first registers (the `line` device event); lamp, LED and check-sync
// changes become the device events `blf`, `mwi` and `check-sync`. A check-sync NOTIFY restarts the
// unit (KX-UT670 5.4.5 CFG_RESYNC_FROM_SIP: "the unit will be restarted") unless it says
// `reboot=false`. BLF SUBSCRIBEs go to the line's presence server when one is set
// (SIP_PRSNC_ADDR_n / SIP_PRSNC_PORT_n) and no outbound proxy forces the first hop.
import '../../src/phone/presence/presence-events.js';
import { failure, ok, type Result } from '../../src/core/result.js';
import type { CallTarget } from '../../src/phone/phone-line.js';
import { Presence, type PresenceOptions } from '../../src/phone/presence/presence.js';
import type { PresenceLine, PresencePurpose } from '../../src/phone/presence/presence-line.js';
import { locateTargets, type SipResolver } from '../../src/sip/dns/index.js';
import type { Device } from '../device.js';
import type { SipLine } from '../sip-line.js';

export interface DeviceSubscriptions {
  readonly presence: Presence;
  /** Unsubscribes (waits up to 2 s for the final NOTIFYs). */
  stop(): Promise<void>;
}

export function startSubscriptions(device: Device, lines: readonly SipLine[], resolver: SipResolver, remoteControl?: PresenceOptions['remoteControl']): DeviceSubscriptions {
  const presence = new Presence({ clock: device.clock, settings: () => device.settings, lines: lines.map((l) => presenceLine(device, l, resolver)), ...(remoteControl ? { remoteControl } : {}) });
  let rebooting = false;
  const offs = [
    presence.events.on('mwi', (m) => device.events.emit('mwi', m)),
    presence.events.on('blf', (b) => device.events.emit('blf', b)),
    presence.events.on('blf-list', (l) => device.events.emit('blf-list', l)),
    presence.events.on('shared-line', (l) => device.events.emit('shared-line', l)),
    presence.events.on('check-sync', (c) => {
      device.events.emit('check-sync', c);
      if (c.reboot === false) return;
      // After the 200 went out, outside the NOTIFY handler (the reboot stops this very service).
      if (!rebooting) {
        rebooting = true;
        device.clock.setTimer(0, () => void device.reboot('check-sync').catch((error: unknown) => device.logger.error({ err: error }, 'check-sync reboot failed')), 'check-sync reboot');
      }
    }),
    device.subscribe((e) => {
      if (e.type === 'line' && e.registration.state === 'registered') presence.lineRegistered(e.line);
    }),
  ];
  presence.start();
  // A line may have registered before we listened.
  for (const l of lines) if (l.registration.state === 'registered') presence.lineRegistered(l.number);
  device.attachPresence(presence);
  return {
    presence,
    async stop() {
      device.attachPresence(undefined);
      for (const off of offs) off();
      await presence.stop();
    },
  };
}

function presenceLine(device: Device, line: SipLine, resolver: SipResolver): PresenceLine {
  return {
    number: line.number,
    ua: line.ua,
    from: line.from,
    user: line.user,
    registers: line.registration.state !== 'disabled',
    route: (dialled, purpose) => presenceRoute(device, line, resolver, dialled, purpose),
  };
}

async function presenceRoute(device: Device, line: SipLine, resolver: SipResolver, dialled: string, purpose: PresencePurpose): Promise<Result<CallTarget>> {
  const route = await line.route(dialled);
  const s = device.settings.lines[line.number - 1];
  if (!route.ok || purpose !== 'blf' || !s || s.presence.host === '' || s.outboundProxy.host !== '') return route;
  const srv = { enabled: s.dns.srvEnabled, udpPrefix: s.dns.udpSrvPrefix, tcpPrefix: s.dns.tcpSrvPrefix };
  const hops = await locateTargets({ host: s.presence.host, fallbackPort: s.presence.port, transport: line.transport.protocol, srv }, resolver);
  const peer = hops.ok ? hops.value[0] : undefined;
  if (!peer) return failure('PRESENCE_NO_ROUTE', `presence server ${s.presence.host} cannot be resolved${hops.ok ? '' : `: ${hops.error.message}`}`);
  return ok({ ...route.value, peer });
}
