// What a number sent from the API or the dial page becomes before it is called: the line's dial
// plan (KX-UT670 6.6) applied as when the user presses Send after the digits (substitution, `!`
// reject, DIAL_PLAN_NOT_MATCH_ENABLE_n), and on a phone with IP calls the A12's keypad IP
// dialling (9.15: `*` for dots, `#` + the P2P IP prefix). SIP URIs and dotted IP addresses are
// called as written.
import { failure, ok, type Result } from '../core/result.js';
import type { DeviceSettings } from '../settings/canonical.js';
import type { Clock } from '../core/clock.js';
import { collectorOptionsFor, DigitCollector, type CollectorAction } from './dial-plan/index.js';
import { ipCallTarget } from './numbers/index.js';

const KEYPAD = /^[0-9*#]+$/;

export function dialledNumber(text: string, settings: DeviceSettings, line: number, ipCalls: boolean, clock: Clock): Result<string> {
  const dialled = text.trim();
  if (!KEYPAD.test(dialled)) return ok(dialled);
  if (ipCalls) {
    const ip = ipCallTarget(dialled, { allowIpCall: settings.intercom.p2p.allowIpCall, ipPrefix: settings.intercom.p2p.ipPrefix });
    if (ip.kind === 'ip') return ok(ip.address);
  }
  // The digits as pre-dialled (no timers), then Send: exactly the keypad's rules (6.6, 5.6.3).
  const options = collectorOptionsFor(settings, line);
  // A plan the settings accepted always parses; if it does not, the number goes out unchanged.
  if (!options.ok) return ok(dialled);
  const collector = new DigitCollector({ clock, ...options.value, preDial: true });
  collector.start();
  let outcome: CollectorAction = { kind: 'ignored', reason: 'no digits' };
  for (const key of dialled) {
    outcome = collector.press(key);
    if (outcome.kind === 'dial' || outcome.kind === 'reject') break;
  }
  if (outcome.kind !== 'dial' && outcome.kind !== 'reject') outcome = collector.send();
  collector.cancel();
  if (outcome.kind === 'dial') return ok(outcome.number);
  if (outcome.kind === 'reject') {
    return outcome.alternative !== undefined
      ? failure('CALL_DIAL_PLAN_REJECT', `call: ${dialled} is barred by the dial plan of line ${line}`)
      : failure('CALL_DIAL_PLAN_NO_MATCH', `call: ${dialled} does not match the dial plan of line ${line} (DIAL_PLAN_NOT_MATCH_ENABLE)`);
  }
  return ok(dialled);
}
