// Property tests: the parser never throws; the NFA matcher agrees with independent oracles; the
// collector always ends with an outcome and leaves no timer behind.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { unwrap } from '../../src/core/result.js';
import {
  DIAL_SYMBOLS,
  DigitCollector,
  matchAlternative,
  parseDialPlan,
  type DialPlanAlternative,
  type MatchItem,
} from '../../src/phone/dial-plan/index.js';

const PLAN_CHARS = [...'0123456789xX[]-.<:>*#+!SsTt| '];
const KEYS = [...DIAL_SYMBOLS];

/** Structured generator of valid alternatives: digit positions, ranges, repeats, substitutions, markers. */
const position = fc.oneof(
  fc.constantFrom(...KEYS),
  fc.constantFrom('x', 'X'),
  fc.constantFrom('[1-5]', '[*#]', '[0-37-9]', '[2346789]', '[+0]'),
);
const element = fc.tuple(position, fc.boolean()).map(([p, rep]) => (rep ? p + '.' : p));
const substitution = fc
  .tuple(fc.array(element, { maxLength: 3 }), fc.array(fc.constantFrom(...KEYS), { maxLength: 3 }))
  .map(([before, after]) => `<${before.join('')}:${after.join('')}>`);
const alternative = fc
  .tuple(
    fc.array(fc.oneof({ weight: 4, arbitrary: element }, { weight: 1, arbitrary: substitution }), { maxLength: 5 }),
    element,
    fc.nat(),
    fc.constantFrom('', '', 'S0', 's3', 'T', '!', 'T!'),
  )
  .map(([parts, one, at, end]) => {
    const k = at % (parts.length + 1); // at least one digit position outside <...>; never mutate generated values
    return [...parts.slice(0, k), one, ...parts.slice(k)].join('') + end;
  });
const validPlan = fc.array(alternative, { minLength: 1, maxLength: 4 }).map((alts) => alts.join('|'));
const digits = fc.array(fc.constantFrom(...KEYS, '1', '2', '5'), { maxLength: 8 }).map((a) => a.join(''));

function matches(item: MatchItem, d: string): boolean {
  return (item.mask & (1 << DIAL_SYMBOLS.indexOf(d))) !== 0;
}

/** Regular-expression oracle for "complete": a char class per position, `*` for a repeat. */
function completeOracle(alt: DialPlanAlternative, s: string): boolean {
  const body = alt.items
    .filter((it): it is MatchItem => it.kind === 'match')
    .map((it) => `[${[...DIAL_SYMBOLS].filter((_, k) => it.mask & (1 << k)).join('')}]${it.repeat ? '*' : ''}`)
    .join('');
  return new RegExp(`^${body}$`).test(s);
}

/** Backtracking oracle for "some longer number still matches": consume s, then need one more position. */
function extensibleOracle(alt: DialPlanAlternative, s: string): boolean {
  const items = alt.items.filter((it): it is MatchItem => it.kind === 'match');
  const go = (i: number, j: number): boolean => {
    if (j === s.length) return items.slice(i).length > 0; // any remaining position takes a digit
    const it = items[i];
    if (!it) return false;
    if (matches(it, s[j]!) && go(it.repeat ? i : i + 1, j + 1)) return true;
    return it.repeat && go(i + 1, j);
  };
  return go(0, 0);
}

/** Without a repeat every position takes one digit: the number sent is fixed by position. */
function substitutedOracle(alt: DialPlanAlternative, s: string): string {
  let j = 0;
  let out = '';
  for (const it of alt.items) {
    if (it.kind === 'emit') out += it.text;
    else if (it.silent) j++;
    else out += s[j++];
  }
  return out;
}

describe('dial plan properties', () => {
  it('the parser never throws, on any string and on dial-plan characters', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 520 }), fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: fc.constantFrom(...PLAN_CHARS), maxLength: 60 })), (text) => {
        const r = parseDialPlan(text);
        if (!r.ok) {
          expect(r.error.position).toBeGreaterThanOrEqual(0);
          expect(r.error.position).toBeLessThanOrEqual(text.length);
          expect(r.error.message).toMatch(/^dial plan: column \d+: /);
        }
      }),
      { numRuns: 600 },
    );
  });

  it('the generated plans parse', () => {
    fc.assert(
      fc.property(validPlan, (text) => {
        const r = parseDialPlan(text);
        expect(r.ok ? '' : r.error.message).toBe('');
      }),
      { numRuns: 1000 },
    );
  });

  it('the matcher agrees with a regular expression (complete) and a backtracking search (extensible)', () => {
    fc.assert(
      fc.property(validPlan, digits, (text, s) => {
        const plan = parseDialPlan(text);
        if (!plan.ok) throw new Error(plan.error.message);
        for (const alt of plan.value.alternatives) {
          const m = matchAlternative(alt, s);
          const complete = completeOracle(alt, s);
          const extensible = extensibleOracle(alt, s);
          expect([m?.state, m?.extensible ?? false]).toEqual([complete ? 'complete' : extensible ? 'partial' : undefined, extensible]);
          if (complete && !alt.hasRepeat) expect(m!.number).toBe(substitutedOracle(alt, s));
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('the collector always ends with dial, reject or timeout and leaves no timer', () => {
    const step = fc.oneof(fc.constantFrom(...KEYS).map((k) => ({ key: k })), fc.integer({ min: 0, max: 8000 }).map((ms) => ({ ms })), fc.constant({ send: true }));
    fc.assert(
      fc.property(validPlan, fc.array(step, { maxLength: 12 }), fc.boolean(), fc.boolean(), (text, steps, block, pound) => {
        const clock = new VirtualClock();
        const c = new DigitCollector({ clock, plan: unwrap(parseDialPlan(text)), blockUnmatched: block, poundKeyDelimiter: pound });
        c.start();
        for (const s of steps) {
          if ('key' in s) c.press(s.key);
          else if ('ms' in s) clock.advance(s.ms);
          else c.send();
        }
        clock.runAll();
        expect(['dial', 'reject', 'timeout']).toContain(c.outcome?.kind);
        expect(clock.pendingTimers()).toEqual([]);
        if (c.outcome?.kind === 'dial' && c.outcome.alternative === undefined) expect(c.outcome.number).toBe(c.outcome.digits);
        if (c.outcome?.kind === 'dial' || c.outcome?.kind === 'reject') expect(c.outcome.digits).toBe(c.digits);
      }),
      { numRuns: 800 },
    );
  });
});
