// The handset of a device (src/phone/handset): what its user hears now — a call's audio or a
// call-progress tone in the model's dialect (KX-UT670 5.6.2 tones; A12 9.22 cadences) — fed from
// the device's `call` and `mwi` events, and recordable on the shared media tick
// (GET /api/v1/handset, POST /api/v1/handset/record|stop).
import '../../src/phone/phone-events.js';
import '../../src/phone/presence/presence-events.js';
import { Handset } from '../../src/phone/handset/handset.js';
import { attachHandset } from '../../src/phone/handset/handset-api.js';
import type { ToneDialect } from '../../src/phone/handset/handset-tones.js';
import type { Device, DeviceService } from '../device.js';
import { sharedMediaClock } from './device-media.js';

/** The A12 dialect where the model's catalogue maps the 9.22 tone strings. */
function dialectOf(device: Device): ToneDialect {
  return device.model.catalogue.defs.some((d) => d.canonical?.startsWith('intercom.tones.') === true) ? 'a12' : 'kx-ut670';
}

export function handsetService(device: Device): DeviceService {
  let handset: Handset | undefined;
  let unsubscribe: (() => void) | undefined;
  return {
    name: 'handset',
    async start() {
      const h = new Handset({
        clock: device.clock,
        mediaClock: sharedMediaClock(device.clock),
        settings: () => device.settings,
        dialect: dialectOf(device),
        telephony: () => device.telephony(),
        files: () => device.audioFiles(),
      });
      for (const m of device.presence()?.mwi() ?? []) h.onMwi(m.line, m.messagesWaiting);
      unsubscribe = device.events.subscribe((e) => {
        if (e.type === 'call') h.onCall(e);
        else if (e.type === 'hook') h.onHook(e.state);
        else if (e.type === 'keypad') h.onKeypad(e.key, e.call);
        else if (e.type === 'dial-failed') h.onDialFailed(e.tone);
        else if (e.type === 'mwi') h.onMwi(e.line, e.messagesWaiting);
        else if (e.type === 'settings-changed') h.settingsChanged();
      });
      handset = h;
      attachHandset(device, h);
      return Promise.resolve();
    },
    async stop() {
      unsubscribe?.();
      unsubscribe = undefined;
      attachHandset(device, undefined);
      handset?.close();
      handset = undefined;
      return Promise.resolve();
    },
  };
}
