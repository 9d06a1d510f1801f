// Sans-IO digit collector of the KX-UT670 (6.6 Dial Plan; 5.6.1 FIRSTDIGIT_TIM, INTDIGIT_TIM,
// MACRODIGIT_TIM; 5.6.3 POUND_KEY_DELIMITER_ENABLE; 5.8.1 DIAL_PLAN_n, DIAL_PLAN_NOT_MATCH_ENABLE_n).
// Keys go in (`press`, `send`), one action comes out: continue (with the timer now running),
// dial(number), reject or timeout. Timers run on the injected Clock; an action caused by a timer
// is handed to `onAction`.
//
// Decision after each digit (the manual's "Dial Plan Example"):
// - a complete match that no alternative can extend and that has no timer: dial (or, for `!`,
//   reject) at once ("the call is made immediately");
// - a complete match with `S<n>`/`T`: wait n s / MACRODIGIT_TIM, then dial ("1x.S2");
// - a complete match that more digits could extend, or a partial match: wait INTDIGIT_TIM;
// - no match: with filtering (DIAL_PLAN_NOT_MATCH_ENABLE_n = Y) reject at once, else keep
//   collecting and send the digits unchanged when dialling ends.
// Dialling ends when the inter-digit timer expires, # is pressed (as the 2nd digit or later,
// POUND_KEY_DELIMITER_ENABLE = y) or the Send key / off-hook after pre-dial. Then: the best
// complete match; else a partial match of an alternative containing "." is dialled (6.6 "Partial
// Match (when the dial plan contains '.')"); else the no-match rule above (6.6 "Partial Match
// (when the dial plan does not contain '.')": sent only when filtering is off).
// An empty plan is "no dial plan": every number is sent when dialling ends, whatever the filter.
import type { Clock, Timer } from '../../core/clock.js';
import { compareSpecificity, matchDialPlan, type AlternativeMatch } from './match.js';
import { symbolIndex, type DialPlan } from './types.js';

/** Why dialling ended. `immediate`: decided by the digit just pressed. */
export type DialEnd = 'immediate' | 'inter-digit-timer' | 'plan-timer' | 'pound-key' | 'send-key';
export type CollectorTimerName = 'first-digit' | 'inter-digit' | 'plan-timer';

export type CollectorAction =
  /** Keep collecting; `timer` is the timer now running (undefined in pre-dial). */
  | { readonly kind: 'continue'; readonly digits: string; readonly timer: { readonly name: CollectorTimerName; readonly ms: number } | undefined }
  /** Call `number` (substitutions applied); `alternative` undefined: sent without a plan match. */
  | { readonly kind: 'dial'; readonly number: string; readonly digits: string; readonly end: DialEnd; readonly alternative: number | undefined }
  /** Do not call: a `!` alternative (`alternative` set) or no match with filtering on. */
  | { readonly kind: 'reject'; readonly digits: string; readonly end: DialEnd; readonly alternative: number | undefined }
  /** FIRSTDIGIT_TIM expired before any digit: "the unit will play a busy tone" (5.6.1). */
  | { readonly kind: 'timeout'; readonly digits: '' }
  /** The key changed nothing (not a dial key, collection over, digit limit reached, ...). */
  | { readonly kind: 'ignored'; readonly reason: string };

export interface DigitCollectorOptions {
  readonly clock: Clock;
  /** Parsed DIAL_PLAN_n; undefined or no alternatives: no dial plan. */
  readonly plan?: DialPlan | undefined;
  /** FIRSTDIGIT_TIM, seconds (1–600, default 30). */
  readonly firstDigitS?: number;
  /** INTDIGIT_TIM, seconds (1–15, default 5). */
  readonly interDigitS?: number;
  /** MACRODIGIT_TIM, the `T` of the dial plan, seconds (1–15, default 5). */
  readonly macroDigitS?: number;
  /** POUND_KEY_DELIMITER_ENABLE (default y): # as the 2nd digit or later ends dialling. */
  readonly poundKeyDelimiter?: boolean;
  /** DIAL_PLAN_NOT_MATCH_ENABLE_n = Y (default N): numbers matching no plan are not sent. */
  readonly blockUnmatched?: boolean;
  /** Pre-dial (digits entered on-hook): no timers; `send()` (going off-hook) ends dialling. */
  readonly preDial?: boolean;
  /** Digits beyond this are ignored (default 32, the longest number the KX-UT670 stores). */
  readonly maxDigits?: number;
  /** Receives the actions that timers cause (timeout, dial/reject at timer expiry). */
  readonly onAction?: (action: CollectorAction) => void;
}

export class DigitCollector {
  private readonly clock: Clock;
  private readonly plan: DialPlan | undefined;
  private readonly firstDigitMs: number;
  private readonly interDigitMs: number;
  private readonly macroDigitMs: number;
  private readonly poundKeyDelimiter: boolean;
  private readonly blockUnmatched: boolean;
  private readonly preDial: boolean;
  private readonly maxDigits: number;
  private readonly onAction: ((action: CollectorAction) => void) | undefined;
  private collected = '';
  private state: 'idle' | 'collecting' | 'done' = 'idle';
  private timer: Timer | undefined;
  private timerName: CollectorTimerName | undefined;
  private result: CollectorAction | undefined;

  constructor(options: DigitCollectorOptions) {
    this.clock = options.clock;
    this.plan = options.plan && options.plan.alternatives.length > 0 ? options.plan : undefined;
    this.firstDigitMs = (options.firstDigitS ?? 30) * 1000;
    this.interDigitMs = (options.interDigitS ?? 5) * 1000;
    this.macroDigitMs = (options.macroDigitS ?? 5) * 1000;
    this.poundKeyDelimiter = options.poundKeyDelimiter ?? true;
    this.blockUnmatched = options.blockUnmatched ?? false;
    this.preDial = options.preDial ?? false;
    this.maxDigits = options.maxDigits ?? 32;
    this.onAction = options.onAction;
  }

  /** Digits pressed so far (without a delimiter #). */
  get digits(): string {
    return this.collected;
  }

  /** The final action once collection is over (dial, reject or timeout), else undefined. */
  get outcome(): CollectorAction | undefined {
    return this.result;
  }

  /** The timer now running, for displays and schedule assertions. */
  get pendingTimer(): { name: CollectorTimerName; dueMs: number } | undefined {
    return this.timer && this.timerName ? { name: this.timerName, dueMs: this.timer.dueMs } : undefined;
  }

  /** Dial tone starts: arms FIRSTDIGIT_TIM (no timer in pre-dial). */
  start(): CollectorAction {
    if (this.state !== 'idle') throw new Error('DigitCollector.start: already started');
    this.state = 'collecting';
    if (this.preDial) return this.continueWith(undefined);
    return this.arm('first-digit', this.firstDigitMs, () => this.finish({ kind: 'timeout', digits: '' }));
  }

  /** A key of the dial pad: 0–9, *, # or +. */
  press(key: string): CollectorAction {
    if (this.state === 'idle') throw new Error('DigitCollector.press: call start() first');
    if (this.state === 'done') return { kind: 'ignored', reason: 'dialling is over' };
    if (symbolIndex(key) < 0) return { kind: 'ignored', reason: `'${key}' is not a dial key` };
    // KX-UT670 5.6.3 POUND_KEY_DELIMITER_ENABLE: "# is treated as the end of dialing delimiter"
    // "when dialed as or after the second digit"; as the first digit it is an ordinary digit.
    if (key === '#' && this.poundKeyDelimiter && this.collected.length >= 1) return this.end('pound-key');
    if (this.collected.length >= this.maxDigits) return { kind: 'ignored', reason: `more than ${this.maxDigits} digits` };
    this.collected += key;
    if (this.preDial) return this.continueWith(undefined);
    return this.afterDigit();
  }

  /** The Send key, or going off-hook after pre-dial: dialling ends now. */
  send(): CollectorAction {
    if (this.state === 'idle') throw new Error('DigitCollector.send: call start() first');
    if (this.state === 'done') return { kind: 'ignored', reason: 'dialling is over' };
    if (this.collected === '') return { kind: 'ignored', reason: 'no digits to send' };
    return this.end('send-key');
  }

  /** On-hook or abandon: stops the timers; the collector is over without an outcome. */
  cancel(): void {
    this.stopTimer();
    this.state = 'done';
  }

  private afterDigit(): CollectorAction {
    if (!this.plan) return this.arm('inter-digit', this.interDigitMs, () => this.end('inter-digit-timer'));
    const m = matchDialPlan(this.plan, this.collected);
    if (m.best) {
      const timer = m.best.alternative.timer;
      if (timer) {
        const ms = timer.kind === 'macro' ? this.macroDigitMs : timer.seconds * 1000;
        if (ms === 0) return this.conclude(m.best, 'plan-timer');
        return this.arm('plan-timer', ms, () => this.end('plan-timer'));
      }
      if (!m.canExtend) return this.conclude(m.best, 'immediate');
    } else if (m.status === 'none' && this.blockUnmatched) {
      return this.finish({ kind: 'reject', digits: this.collected, end: 'immediate', alternative: undefined });
    }
    return this.arm('inter-digit', this.interDigitMs, () => this.end('inter-digit-timer'));
  }

  private end(how: DialEnd): CollectorAction {
    if (!this.plan) return this.finish({ kind: 'dial', number: this.collected, digits: this.collected, end: how, alternative: undefined });
    const m = matchDialPlan(this.plan, this.collected);
    if (m.best) return this.conclude(m.best, how);
    const open = m.partial.filter((p) => p.alternative.hasRepeat).sort(compareSpecificity)[0];
    if (open) return this.conclude(open, how);
    if (this.blockUnmatched) return this.finish({ kind: 'reject', digits: this.collected, end: how, alternative: undefined });
    return this.finish({ kind: 'dial', number: this.collected, digits: this.collected, end: how, alternative: undefined });
  }

  private conclude(m: AlternativeMatch, how: DialEnd): CollectorAction {
    const alternative = m.alternative.index;
    if (m.alternative.reject) return this.finish({ kind: 'reject', digits: this.collected, end: how, alternative });
    return this.finish({ kind: 'dial', number: m.number, digits: this.collected, end: how, alternative });
  }

  private finish(action: CollectorAction): CollectorAction {
    this.stopTimer();
    this.state = 'done';
    this.result = action;
    return action;
  }

  private continueWith(timer: { name: CollectorTimerName; ms: number } | undefined): CollectorAction {
    return { kind: 'continue', digits: this.collected, timer };
  }

  private arm(name: CollectorTimerName, ms: number, onExpiry: () => CollectorAction): CollectorAction {
    this.stopTimer();
    this.timerName = name;
    this.timer = this.clock.setTimer(
      ms,
      () => {
        this.timer = undefined;
        this.timerName = undefined;
        const action = onExpiry();
        this.onAction?.(action);
      },
      `dial-plan ${name}`,
    );
    return this.continueWith({ name, ms });
  }

  private stopTimer(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.timerName = undefined;
  }
}
