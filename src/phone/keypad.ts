// Dialling from the dial pad off hook (KX-UT670 6.6 Dial Plan, 5.6.1 FIRSTDIGIT_TIM /
// INTDIGIT_TIM): going off hook starts a digit collector on the line; each key feeds it; its
// outcome dials, refuses (dial-plan reject) or times out (no digit within FIRSTDIGIT_TIM: "the
// unit will play a busy tone"). Going on hook or a call arriving abandons it.
import type { Clock } from '../core/clock.js';
import { failure, ok, type Result } from '../core/result.js';
import type { DeviceSettings } from '../settings/canonical.js';
import { collectorOptionsFor, DigitCollector, type CollectorAction } from './dial-plan/index.js';

export interface OffHookDiallingHost {
  readonly clock: Clock;
  settings(): DeviceSettings;
  /** Calls the collected (already plan-substituted) number on `line`. */
  dial(number: string, line: number): void;
  /** Dialling ended without a call: plan reject, no match, or FIRSTDIGIT_TIM expiry. */
  failed(line: number, digits: string, code: string, message: string, tone: 'busy' | undefined): void;
}

export class OffHookDialling {
  private collector: DigitCollector | undefined;
  private line = 0;

  constructor(private readonly host: OffHookDiallingHost) {}

  get collecting(): boolean {
    return this.collector !== undefined;
  }

  get digits(): string {
    return this.collector?.digits ?? '';
  }

  /** Off hook on `line`: the dial tone plays and FIRSTDIGIT_TIM runs. */
  start(line: number): void {
    this.cancel();
    const options = collectorOptionsFor(this.host.settings(), line);
    // A plan the settings accepted always parses; without one the digits go out as dialled.
    const c = new DigitCollector({ clock: this.host.clock, ...(options.ok ? options.value : {}), onAction: (a) => this.outcome(a) });
    this.collector = c;
    this.line = line;
    c.start();
  }

  /** A key of the dial pad while collecting. */
  press(key: string): Result<CollectorAction> {
    const c = this.collector;
    if (!c) return failure('CALL_NOT_DIALLING', 'keypad: the phone is not collecting digits (go off hook first)');
    const action = c.press(key);
    this.outcome(action);
    return ok(action);
  }

  cancel(): void {
    this.collector?.cancel();
    this.collector = undefined;
  }

  private outcome(a: CollectorAction): void {
    if (a.kind !== 'dial' && a.kind !== 'reject' && a.kind !== 'timeout') return;
    this.cancel();
    const line = this.line;
    if (a.kind === 'dial') return this.host.dial(a.number, line);
    // KX-UT670 5.6.1 FIRSTDIGIT_TIM: "If no digits are dialed within this time, the unit will play a busy tone".
    if (a.kind === 'timeout') return this.host.failed(line, '', 'CALL_FIRST_DIGIT_TIMEOUT', `keypad: no digit within FIRSTDIGIT_TIM on line ${line}`, 'busy');
    const code = a.alternative !== undefined ? 'CALL_DIAL_PLAN_REJECT' : 'CALL_DIAL_PLAN_NO_MATCH';
    this.host.failed(line, a.digits, code, `keypad: ${a.digits} is refused by the dial plan of line ${line}`, undefined);
  }
}
