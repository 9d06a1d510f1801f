// The digit collector in virtual time: every example of KX-UT670 6.6, with the exact timers of
// 5.6.1 (FIRSTDIGIT_TIM, INTDIGIT_TIM, MACRODIGIT_TIM) and 5.6.3 (POUND_KEY_DELIMITER_ENABLE).
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { unwrap } from '../../src/core/result.js';
import {
  DigitCollector,
  collectorOptionsFor,
  parseDialPlan,
  type CollectorAction,
  type DigitCollectorOptions,
} from '../../src/phone/dial-plan/index.js';
import { defaultDeviceSettings } from '../../src/settings/canonical.js';

interface Rig {
  clock: VirtualClock;
  collector: DigitCollector;
  /** Actions caused by timers, with the virtual time they came at. */
  fired: Array<[number, CollectorAction]>;
  /** Presses each key `gapMs` after the previous one and returns the last action. */
  dial(keys: string, gapMs?: number): CollectorAction;
}

function rig(plan: string, options: Omit<DigitCollectorOptions, 'clock' | 'plan' | 'onAction'> = {}): Rig {
  const clock = new VirtualClock();
  const fired: Array<[number, CollectorAction]> = [];
  const collector = new DigitCollector({
    clock,
    plan: unwrap(parseDialPlan(plan)),
    onAction: (a) => fired.push([clock.now(), a]),
    ...options,
  });
  collector.start();
  return {
    clock,
    collector,
    fired,
    dial(keys, gapMs = 0) {
      let last: CollectorAction = { kind: 'ignored', reason: 'no keys' };
      for (const [i, key] of [...keys].entries()) {
        if (i > 0 && gapMs > 0) clock.advance(gapMs);
        last = collector.press(key);
      }
      return last;
    },
  };
}

const dial = (number: string, end: string, alternative: number | undefined, digits = number) => ({ kind: 'dial', number, digits, end, alternative });
const reject = (digits: string, end: string, alternative: number | undefined) => ({ kind: 'reject', digits, end, alternative });
const waiting = (digits: string, name: string, ms: number) => ({ kind: 'continue', digits, timer: { name, ms } });

describe('6.6 Available Values: each example', () => {
  it.each([
    ['"123": dialling 123 calls at once', '123', '12', '3', dial('123', 'immediate', 0)],
    ['"12xxxxx": 12 and any 5 digits call at once', '12xxxxx', '123456', '7', dial('1234567', 'immediate', 0)],
    ['"123xxx!": 123 and 3 more digits are not called', '123xxx!', '12345', '6', reject('123456', 'immediate', 0)],
  ])('%s', (_title, plan, first, last, outcome) => {
    const r = rig(plan);
    expect(r.dial(first)).toEqual(waiting(first, 'inter-digit', 5000));
    expect(r.dial(last)).toEqual(outcome);
    expect(r.clock.pendingTimers()).toEqual([]);
  });

  it('"[123]": 1, 2 or 3 call at once', () => {
    for (const d of '123') expect(rig('[123]').dial(d)).toEqual(dial(d, 'immediate', 0));
  });

  it('"[1-5]": 1 to 5 call at once; 6 does not match', () => {
    for (const d of '12345') expect(rig('[1-5]').dial(d)).toEqual(dial(d, 'immediate', 0));
    const r = rig('[1-5]');
    expect(r.dial('6')).toEqual(waiting('6', 'inter-digit', 5000));
    r.clock.advance(5000);
    expect(r.fired).toEqual([[5000, dial('6', 'inter-digit-timer', undefined)]]);
  });

  it('"1.": 1, 11, 111 are called (when the inter-digit timer ends: more 1s could follow)', () => {
    for (const number of ['1', '11', '111']) {
      const r = rig('1.');
      expect(r.dial(number, 1000)).toEqual(waiting(number, 'inter-digit', 5000));
      r.clock.advance(4999);
      expect(r.fired).toEqual([]);
      r.clock.advance(1);
      expect(r.fired).toEqual([[(number.length - 1) * 1000 + 5000, dial(number, 'inter-digit-timer', 0)]]);
    }
  });

  it('"<101:9999>": 101 is replaced by 9999 and called at once', () => {
    expect(rig('<101:9999>').dial('101')).toEqual(dial('9999', 'immediate', 0, '101'));
  });

  it('"1x.S2": a number beginning with 1 is called 2 seconds after the last digit', () => {
    const r = rig('1x.S2');
    expect(r.dial('1')).toEqual(waiting('1', 'plan-timer', 2000));
    r.clock.advance(1500);
    expect(r.dial('2')).toEqual(waiting('12', 'plan-timer', 2000));
    r.clock.advance(1999);
    expect(r.fired).toEqual([]);
    r.clock.advance(1);
    expect(r.fired).toEqual([[3500, dial('12', 'plan-timer', 0)]]);
  });

  it('"1x.T": a number beginning with 1 is called MACRODIGIT_TIM seconds after the last digit', () => {
    const r = rig('1x.T', { macroDigitS: 7, interDigitS: 3 });
    expect(r.dial('1')).toEqual(waiting('1', 'plan-timer', 7000));
    r.clock.advance(6999);
    expect(r.fired).toEqual([]);
    r.clock.advance(1);
    expect(r.fired).toEqual([[7000, dial('1', 'plan-timer', 0)]]);
    // Default MACRODIGIT_TIM is 5 s.
    const d = rig('1x.t');
    expect(d.dial('19')).toEqual(waiting('19', 'plan-timer', 5000));
  });

  it('"1xxxx|2xxx": 1 and 4 digits, or 2 and 3 digits, call at once', () => {
    expect(rig('1xxxx|2xxx').dial('12345')).toEqual(dial('12345', 'immediate', 0));
    expect(rig('1xxxx|2xxx').dial('2345')).toEqual(dial('2345', 'immediate', 1));
  });
});

describe('6.6 Dial Plan Example: "[2346789]11|01[2-9]x.[2-9]xxxxxxxx"', () => {
  const plan = '[2346789]11|01[2-9]x.[2-9]xxxxxxxx';

  it('complete match: 211, 911 call at once', () => {
    expect(rig(plan).dial('211', 800)).toEqual(dial('211', 'immediate', 0));
    expect(rig(plan).dial('911', 800)).toEqual(dial('911', 'immediate', 0));
  });

  it('complete match: 2123456789, 5987654321 need a 10-digit alternative the printed plan lacks', () => {
    // As printed, neither number matches: they are sent (filter off) when INTDIGIT_TIM ends...
    const open = rig(plan);
    expect(open.dial('5987654321')).toEqual(waiting('5987654321', 'inter-digit', 5000));
    open.clock.advance(5000);
    expect(open.fired).toEqual([[5000, dial('5987654321', 'inter-digit-timer', undefined)]]);
    // ...or refused at the first digit that leaves every alternative (filter on).
    const filtered = rig(plan, { blockUnmatched: true });
    expect(filtered.dial('21')).toEqual(waiting('21', 'inter-digit', 5000));
    expect(filtered.dial('2')).toEqual(reject('212', 'immediate', undefined));
    // With the North American 10-digit alternative the manual evidently had in mind, both call at once.
    const full = `${plan}|[2-9]xxxxxxxxx`;
    expect(rig(full).dial('2123456789')).toEqual(dial('2123456789', 'immediate', 2));
    expect(rig(full).dial('5987654321')).toEqual(dial('5987654321', 'immediate', 2));
  });

  it('partial match with ".": 01254, 012556 are called when the inter-digit timer expires (filter on or off)', () => {
    for (const blockUnmatched of [false, true]) {
      for (const number of ['01254', '012556']) {
        const r = rig(plan, { blockUnmatched, interDigitS: 4 });
        expect(r.dial(number, 700)).toEqual(waiting(number, 'inter-digit', 4000));
        const last = (number.length - 1) * 700;
        r.clock.advance(3999);
        expect(r.fired).toEqual([]);
        r.clock.advance(1);
        expect(r.fired).toEqual([[last + 4000, dial(number, 'inter-digit-timer', 1)]]);
      }
    }
  });

  it('partial match without ".": 21, 91 are called after the inter-digit timer only with "Call Even If ... Does Not Match" = Yes', () => {
    for (const number of ['21', '91']) {
      const yes = rig(plan, { blockUnmatched: false }); // Web "Yes" = DIAL_PLAN_NOT_MATCH_ENABLE_n = N
      expect(yes.dial(number)).toEqual(waiting(number, 'inter-digit', 5000));
      yes.clock.advance(5000);
      expect(yes.fired).toEqual([[5000, dial(number, 'inter-digit-timer', undefined)]]);
      const no = rig(plan, { blockUnmatched: true }); // Web "No" = DIAL_PLAN_NOT_MATCH_ENABLE_n = Y
      expect(no.dial(number)).toEqual(waiting(number, 'inter-digit', 5000));
      no.clock.advance(5000);
      expect(no.fired).toEqual([[5000, reject(number, 'inter-digit-timer', undefined)]]);
    }
  });
});

describe('6.6 Note: the end of dialling sends all digits when the plan does not match (filter off)', () => {
  const plan = '911';

  it('the inter-digit timer expires (INTDIGIT_TIM after the last key)', () => {
    const r = rig(plan, { interDigitS: 15 });
    r.dial('5551234', 2000);
    expect(r.collector.pendingTimer).toEqual({ name: 'inter-digit', dueMs: 12000 + 15000 });
    r.clock.advance(14999);
    expect(r.fired).toEqual([]);
    r.clock.advance(1);
    expect(r.fired).toEqual([[27000, dial('5551234', 'inter-digit-timer', undefined)]]);
  });

  it('the # key, as the 2nd digit or later (POUND_KEY_DELIMITER_ENABLE = y)', () => {
    const r = rig(plan);
    r.dial('5551234');
    expect(r.collector.press('#')).toEqual(dial('5551234', 'pound-key', undefined));
    expect(r.clock.pendingTimers()).toEqual([]);
    expect(r.collector.press('1')).toEqual({ kind: 'ignored', reason: 'dialling is over' });
  });

  it('the Send key', () => {
    const r = rig(plan);
    r.dial('555');
    expect(r.collector.send()).toEqual(dial('555', 'send-key', undefined));
    r.clock.runAll();
    expect(r.fired).toEqual([]);
  });

  it('going off-hook after pre-dial: no timers while the number is entered', () => {
    const r = rig(plan, { preDial: true });
    expect(r.dial('5551234', 60_000)).toEqual({ kind: 'continue', digits: '5551234', timer: undefined });
    expect(r.clock.pendingTimers()).toEqual([]);
    expect(r.collector.send()).toEqual(dial('5551234', 'send-key', undefined));
  });

  it('pre-dial applies the dial plan when the number is sent', () => {
    const r = rig('<9:>xxx|123xxx!', { preDial: true });
    r.dial('9555');
    expect(r.collector.send()).toEqual(dial('555', 'send-key', 0, '9555'));
    const rej = rig('<9:>xxx|123xxx!', { preDial: true, blockUnmatched: true });
    rej.dial('123456');
    expect(rej.collector.send()).toEqual(reject('123456', 'send-key', 1));
  });

  it('with filtering on, the end of dialling refuses what does not match', () => {
    const r = rig('9xxx', { blockUnmatched: true });
    r.dial('91');
    expect(r.collector.press('#')).toEqual(reject('91', 'pound-key', undefined));
  });

  it('the end of dialling takes a complete match that more digits could extend', () => {
    const r = rig('1.|12345');
    expect(r.dial('1')).toEqual(waiting('1', 'inter-digit', 5000));
    expect(r.collector.press('#')).toEqual(dial('1', 'pound-key', 0));
  });
});

describe('timers and keys', () => {
  it('FIRSTDIGIT_TIM: no digit within 30 s (default) gives timeout (busy tone)', () => {
    const clock = new VirtualClock();
    const fired: CollectorAction[] = [];
    const c = new DigitCollector({ clock, onAction: (a) => fired.push(a) });
    expect(c.start()).toEqual(waiting('', 'first-digit', 30000));
    expect(clock.pendingTimers()).toEqual([{ label: 'dial-plan first-digit', dueMs: 30000 }]);
    clock.advance(29999);
    expect(fired).toEqual([]);
    clock.advance(1);
    expect(fired).toEqual([{ kind: 'timeout', digits: '' }]);
    expect(c.outcome).toEqual({ kind: 'timeout', digits: '' });
    expect(c.press('1')).toEqual({ kind: 'ignored', reason: 'dialling is over' });
  });

  it('FIRSTDIGIT_TIM is replaced by INTDIGIT_TIM at the first digit', () => {
    const r = rig('', { firstDigitS: 600, interDigitS: 1 });
    r.clock.advance(599_000);
    expect(r.dial('7')).toEqual(waiting('7', 'inter-digit', 1000));
    expect(r.clock.pendingTimers()).toEqual([{ label: 'dial-plan inter-digit', dueMs: 600_000 }]);
    r.clock.advance(1000);
    expect(r.fired).toEqual([[600_000, dial('7', 'inter-digit-timer', undefined)]]);
  });

  it('# as the first digit is an ordinary digit', () => {
    const r = rig('#xx');
    expect(r.dial('#1')).toEqual(waiting('#1', 'inter-digit', 5000));
    expect(r.dial('2')).toEqual(dial('#12', 'immediate', 0));
  });

  it('POUND_KEY_DELIMITER_ENABLE = n: # is a digit the plan can match', () => {
    const r = rig('*21#', { poundKeyDelimiter: false });
    expect(r.dial('*21#')).toEqual(dial('*21#', 'immediate', 0));
    const delim = rig('*21#');
    expect(delim.dial('*21#')).toEqual(dial('*21', 'pound-key', undefined));
  });

  it('an S0 timer dials at once even when more digits could follow', () => {
    expect(rig('0S0|0xxx').dial('0')).toEqual(dial('0', 'plan-timer', 0));
  });

  it('a timed alternative waits its own time while a longer alternative is still open', () => {
    const r = rig('0T|0xxx', { macroDigitS: 3, interDigitS: 10 });
    expect(r.dial('0')).toEqual(waiting('0', 'plan-timer', 3000));
    expect(r.dial('1')).toEqual(waiting('01', 'inter-digit', 10000));
    expect(r.dial('23')).toEqual(dial('0123', 'immediate', 1));
  });

  it('a complete match that another alternative could extend waits INTDIGIT_TIM', () => {
    const r = rig('911|9110');
    expect(r.dial('911')).toEqual(waiting('911', 'inter-digit', 5000));
    r.clock.advance(5000);
    expect(r.fired).toEqual([[5000, dial('911', 'inter-digit-timer', 0)]]);
    expect(rig('911|9110').dial('9110')).toEqual(dial('9110', 'immediate', 1));
  });

  it('an empty plan sends every number when dialling ends, even with filtering on', () => {
    const r = rig('', { blockUnmatched: true });
    expect(r.dial('5')).toEqual(waiting('5', 'inter-digit', 5000));
    r.clock.advance(5000);
    expect(r.fired).toEqual([[5000, dial('5', 'inter-digit-timer', undefined)]]);
  });

  it('ignores keys that are not dial keys, Send without digits, and digits past the limit', () => {
    const r = rig('x.', { maxDigits: 3 });
    expect(r.collector.press('a')).toEqual({ kind: 'ignored', reason: "'a' is not a dial key" });
    expect(r.collector.press('12')).toEqual({ kind: 'ignored', reason: "'12' is not a dial key" });
    expect(r.collector.send()).toEqual({ kind: 'ignored', reason: 'no digits to send' });
    r.dial('123');
    expect(r.collector.press('4')).toEqual({ kind: 'ignored', reason: 'more than 3 digits' });
    expect(r.collector.digits).toBe('123');
  });

  it('cancel (on-hook) stops every timer without an outcome', () => {
    const r = rig('x.');
    r.dial('12');
    r.collector.cancel();
    expect(r.clock.pendingTimers()).toEqual([]);
    r.clock.runAll();
    expect(r.fired).toEqual([]);
    expect(r.collector.outcome).toBeUndefined();
    expect(r.collector.send()).toEqual({ kind: 'ignored', reason: 'dialling is over' });
  });

  it('refuses use before start (a programming error)', () => {
    const c = new DigitCollector({ clock: new VirtualClock() });
    expect(() => c.press('1')).toThrow(/start\(\) first/);
    c.start();
    expect(() => c.start()).toThrow(/already started/);
  });
});

describe('collectorOptionsFor: the canonical settings of one line', () => {
  it('reads the timers, # delimiter and the line dial plan and filter', () => {
    const settings = defaultDeviceSettings(6, 0);
    settings.call.interDigitS = 9;
    settings.lines[2]!.dialPlan = '<9:>xxx|123xxx!';
    settings.lines[2]!.dialPlanBlockUnmatched = true;
    const options = unwrap(collectorOptionsFor(settings, 3));
    expect(options).toMatchObject({ firstDigitS: 30, interDigitS: 9, macroDigitS: 5, poundKeyDelimiter: true, blockUnmatched: true });
    expect(options.plan?.alternatives).toHaveLength(2);
    const clock = new VirtualClock();
    const c = new DigitCollector({ clock, ...options });
    c.start();
    expect(c.press('9')).toEqual(waiting('9', 'inter-digit', 9000));
    expect(unwrap(collectorOptionsFor(settings, 1)).plan?.alternatives).toEqual([]);
  });

  it('reports a bad plan with its position', () => {
    const settings = defaultDeviceSettings(6, 0);
    settings.lines[0]!.dialPlan = '123|[9-4]';
    const r = collectorOptionsFor(settings, 1);
    expect(r.ok ? undefined : [r.error.code, r.error.position]).toEqual(['DIALPLAN_BAD_RANGE', 5]);
  });
});
