// The telephony service of a device: one SipLine per enabled line (KX-UT670 LINE_ENABLE_n and
// PROFILE_ENABLEn; the A12's SIP1/SIP2), the model-agnostic Phone on top, and the device events
// `call` and `line`. Started after the web server so /api/v1/lines answers as soon as lines exist.
import '../../src/phone/phone-events.js';
import { Phone } from '../../src/phone/phone.js';
import type { CallMediaFactory } from '../../src/phone/call-media.js';
import type { Timer } from '../../src/core/clock.js';
import type { Device, DeviceService } from '../device.js';
import { SipLine } from '../sip-line.js';
import { listenError } from './web-service.js';
import { deviceCertificate } from '../device-certificate.js';
import { sdpPolicyFor } from './sdp-policy.js';
import { deviceResolver } from './device-dns.js';
import { startSubscriptions, type DeviceSubscriptions } from './subscriptions.js';
import { CallLog, isCallLogEntries } from '../../src/phone/call-log.js';
import { isFeatureOverrides } from '../../src/phone/policy/line-features.js';
import { Phonebook } from '../../src/phone/phonebook/phonebook.js';
import { isPhonebookEntries } from '../../src/phone/phonebook/phonebook-entry.js';
import { CALL_LOG_FILE, FEATURES_FILE, PHONEBOOK_FILE } from '../user-data.js';
import { remoteControl, remoteControlEvents } from '../../src/phone/remote-control.js';

/** NVRAM files of the call layer: the call history and the user's feature switches. */

export interface SipServiceOptions {
  readonly media: (device: Device) => CallMediaFactory;
}

/** KX-UT670 5.8.2 SIP_USER_AGENT: `{MODEL}`, `{fwver}`, `{mac}`/`{MAC}` are substituted. */
export function userAgentText(template: string, device: Device): string {
  const text = template === '' ? `${device.model.vendor}_{MODEL}/{fwver} ({mac})` : template;
  return text
    .replace(/\{MODEL\}/g, device.model.modelName)
    .replace(/\{fwver\}/g, device.model.firmwareVersion)
    .replace(/\{mac\}/g, device.mac.toLowerCase())
    .replace(/\{MAC\}/g, device.mac.toUpperCase());
}

/** Line n's port: its SIP_SRC_PORT_n moved by the device's --sip-port (line 1 = --sip-port); 0 = ephemeral. */
export function linePort(settingPort: number, line1SettingPort: number, sipPort: number): number {
  if (sipPort === 0) return 0;
  return settingPort - line1SettingPort + sipPort;
}

/** What the running lines were built from: a change of it restarts them (see watchSettings). */
function lineSettingsKey(settings: Device['settings']): string {
  return JSON.stringify([settings.lines, settings.sip, settings.buttons, settings.intercom.lines, settings.call.voiceMailSubscribe, settings.rtp]);
}

/** How long settings must be quiet before the lines restart (a web form saves many at once). */
const RESTART_DEBOUNCE_MS = 500;

export function sipService(options: SipServiceOptions): (device: Device) => DeviceService {
  return (device) => {
    let lines: SipLine[] = [];
    let phone: Phone | undefined;
    let subscriptions: DeviceSubscriptions | undefined;
    let builtFrom = '';
    let unwatch: (() => void) | undefined;
    let pending: Timer | undefined;
    let restarting: Promise<void> | undefined;

    /**
     * Line settings changed at run time (web form, control API, provisioning): like the phone
     * after Save, the lines re-register with the new values — the SIP part restarts once no call
     * is active (deferred while one is), so a call is never cut by a settings change.
     */
    const watchSettings = (service: DeviceService) => {
      const check = () => {
        pending = undefined;
        if (restarting || lineSettingsKey(device.settings) === builtFrom) return;
        if (phone?.listCalls().some((c) => c.state !== 'ended')) {
          pending = device.clock.setTimer(1000, check, 'sip settings restart (waiting for calls to end)');
          return;
        }
        restarting = (async () => {
          device.logger.info('line settings changed: restarting SIP lines');
          await service.stop();
          await service.start();
        })()
          .catch((error: unknown) => void device.events.emit('service-error', { service: 'sip', message: (error as Error).message }))
          .finally(() => {
            restarting = undefined;
          });
      };
      unwatch = device.events.subscribe((e) => {
        if (e.type !== 'settings-changed') return;
        pending?.cancel();
        pending = device.clock.setTimer(RESTART_DEBOUNCE_MS, check, 'sip settings restart');
      });
    };

    const service: DeviceService = {
      name: 'sip',
      async start() {
        builtFrom = lineSettingsKey(device.settings);
        if (!unwatch) watchSettings(service);
        const settings = device.settings;
        const log = device.logger.child({ service: 'sip' });
        const callLog = new CallLog(100, device.nvram.readJson(CALL_LOG_FILE, isCallLogEntries) ?? [], (entries) => device.nvram.writeJson(CALL_LOG_FILE, entries));
        callLog.events.on('entry', (entry) => device.events.emit('call-log', entry));
        // KX-UT670 5.6.3: a model whose catalogue has DISPLAY_NAME_REPLACE has a phonebook; the A12 has none.
        const phonebook = device.model.catalogue.defs.some((d) => d.canonical === 'display.nameReplace') ? new Phonebook(device.nvram.readJson(PHONEBOOK_FILE, isPhonebookEntries) ?? [], (entries) => device.nvram.writeJson(PHONEBOOK_FILE, entries)) : undefined;
        phonebook?.events.on('changed', (change) => device.events.emit('phonebook', change));
        phone = new Phone({
          clock: device.clock,
          media: options.media(device),
          settings: () => device.settings,
          onCall: (snapshot) => device.events.emit('call', snapshot),
          onFeature: (event) => device.events.emit('call-feature', event),
          onHook: (notice) => device.events.emit('hook', notice),
          onKeypad: (notice) => device.events.emit('keypad', notice),
          onDialFailed: (notice) => device.events.emit('dial-failed', notice),
          onFeatures: (notice) => device.events.emit('features', notice),
          // SHARED_CALL_ENABLE_n: the presence service seizes the appearance (line-seize).
          seizeLine: (line, appearance) => device.presence()?.seizeLine?.(line, appearance),
          callLog,
          ...(phonebook ? { phonebook } : {}),
          features: { load: () => device.nvram.readJson(FEATURES_FILE, isFeatureOverrides), save: (o) => device.nvram.writeJson(FEATURES_FILE, o) },
          // The A12's intercom features apply where the model's catalogue maps them.
          intercomModel: device.model.catalogue.defs.some((d) => d.canonical?.startsWith('intercom.intercom.') === true),
          // KX-UT670 ONHOOK_TRANSFER_ENABLE; the A12 manual has no on-hook transfer.
          onHookTransferModel: device.model.catalogue.defs.some((d) => d.canonical === 'call.onhookTransfer'),
        });
        const resolver = deviceResolver(device);
        const line1Port = settings.lines[0]?.localPort ?? 5060;
        const count = Math.min(device.model.lineCount, settings.lines.length);
        for (let n = 1; n <= count; n++) {
          const s = settings.lines[n - 1]!;
          // KX-UT670 5.8.2: a line works only with LINE_ENABLE_n and PROFILE_ENABLEn. The A12's
          // "Activate" only decides registration: its lines still take IP direct calls (9.14).
          if (!device.model.ipDirectCalls && !(s.enabled && s.profileEnabled)) continue;
          const line = new SipLine({
            number: n,
            settings: s,
            address: device.ip,
            port: linePort(s.localPort, line1Port, device.sipPort),
            clock: device.clock,
            logger: log.child({ line: n }),
            userAgent: userAgentText(settings.sip.userAgent, device),
            allowEvents: remoteControlEvents(settings),
            sdpPolicy: () => sdpPolicyFor(device, n),
            resolver,
            tlsIdentity: () => deviceCertificate(device.nvram, device.mac),
            onStatus: (status) => {
              device.events.emit('line', status);
              // FWD_DND_SYNCHRO_ENABLE_n: the feature subscription starts once the line registered.
              if (status.registration.state === 'registered') phone?.lineRegistered(status.line);
            },
            onInvite: (lineNumber, session, source) => void phone?.incoming(lineNumber, session, source),
          });
          try {
            await line.start();
          } catch (error) {
            await Promise.allSettled(lines.map((l) => l.stop()));
            lines = [];
            throw listenError(`sip line ${n}`, device.ip, s.localPort, error);
          }
          lines.push(line);
          phone.attachLine(line);
          device.events.emit('line', line.status());
        }
        device.attachTelephony(phone);
        // MWI, BLF buttons and unsolicited NOTIFYs (check-sync, Click to Answer/Hold) on the running lines.
        const started = phone; // this start's phone (`phone` is replaced on restart)
        subscriptions = startSubscriptions(device, lines, resolver, (kind, line) => remoteControl(kind, line, device.settings, started));
      },
      async stop() {
        if (!restarting) {
          unwatch?.();
          unwatch = undefined;
          pending?.cancel();
          pending = undefined;
        }
        await subscriptions?.stop();
        subscriptions = undefined;
        device.attachTelephony(undefined);
        // Power off: each call gets its BYE/CANCEL and ends here at once, media closed.
        if (phone) {
          const p = phone;
          p.hangupAll();
          await Promise.allSettled(p.listCalls().map((c) => p.call(c.id)?.powerOff()));
        }
        await Promise.allSettled(lines.map((l) => l.stop()));
        lines = [];
        phone = undefined;
      },
    };
    return service;
  };
}
