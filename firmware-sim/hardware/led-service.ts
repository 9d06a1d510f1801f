// The LED panel of a running device: starts after the SIP service, reads what the lines, calls
// and message waiting are now, then follows the device's `line`, `call` and `mwi` events. Every
// change of a LED is a `led` device event; GET /api/v1/leds reads the panel (Device.leds()).
// Power off (the service stopping) darkens every lit LED, each with its `led` event.
import '../../src/phone/phone-events.js';
import '../../src/phone/presence/presence-events.js';
import './led-events.js';
import type { Device, DeviceService } from '../device.js';
import { ledRulesFor } from './led-rules.js';
import { emptyInputs, LedPanel, withCall, withLine, withMwi, type LedInputs } from './leds.js';

/** The inputs as the running services know them now. */
function currentInputs(device: Device): LedInputs {
  let inputs = emptyInputs();
  const telephony = device.telephony();
  for (const line of telephony?.lineStatuses() ?? []) inputs = withLine(inputs, line);
  for (const call of telephony?.listCalls() ?? []) inputs = withCall(inputs, call);
  for (const m of device.presence()?.mwi() ?? []) inputs = withMwi(inputs, m);
  return inputs;
}

export function ledService(device: Device): DeviceService {
  let panel: LedPanel | undefined;
  let unsubscribe: (() => void) | undefined;
  const emitAll = (changed: ReturnType<LedPanel['update']>): void => {
    for (const led of changed) device.events.emit('led', led);
  };
  return {
    name: 'leds',
    start() {
      const rules = ledRulesFor(device.model.id);
      if (!rules) return Promise.resolve();
      const p = new LedPanel(rules, device.clock.now());
      emitAll(p.update(currentInputs(device), device.clock.now()));
      unsubscribe = device.events.subscribe((e) => {
        // A LED changes when the event that changed it happened: its `since` is that event's `t`.
        if (e.type === 'line' || e.type === 'call' || e.type === 'mwi') emitAll(p.onEvent(e, e.t));
      });
      panel = p;
      device.attachLeds({ leds: () => p.snapshot() });
      return Promise.resolve();
    },
    stop() {
      unsubscribe?.();
      unsubscribe = undefined;
      device.attachLeds(undefined);
      if (panel) emitAll(panel.powerOff(device.clock.now()));
      panel = undefined;
      return Promise.resolve();
    },
  };
}
