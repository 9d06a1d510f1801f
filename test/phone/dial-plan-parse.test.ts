// Parser of the KX-UT670 dial plan (6.6 "Available Values for the Dial Plan Field" and notes).
import { describe, expect, it } from 'vitest';
import {
  MAX_DIAL_PLAN_ALTERNATIVES,
  MAX_DIAL_PLAN_CHARS,
  MAX_DIAL_PLAN_DIGITS,
  parseDialPlan,
  type DialPlan,
  type DialPlanItem,
} from '../../src/phone/dial-plan/index.js';

function parsed(text: string): DialPlan {
  const r = parseDialPlan(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** A compact picture of the items: literal digits as themselves, x, [mask], '.' suffix, {emit}. */
function shape(items: readonly DialPlanItem[]): string {
  return items
    .map((it) => {
      if (it.kind === 'emit') return `{${it.text}}`;
      const body = it.specificity === 'wildcard' ? 'x' : it.specificity === 'literal' ? '0123456789*#+'[Math.log2(it.mask)] : `[${it.mask.toString(2)}]`;
      return (it.silent ? '~' : '') + body + (it.repeat ? '.' : '');
    })
    .join(' ');
}

describe('dial plan parser: the elements of 6.6', () => {
  it.each([
    ['123', '1 2 3'],
    ['*#+0', '* # + 0'],
    ['12xxxxx', '1 2 x x x x x'],
    ['12XXXXX', '1 2 x x x x x'],
    ['1.', '1.'],
    ['1x.', '1 x.'],
    ['[123]', '[1110]'],
    ['[1-5]', '[111110]'],
    ['[1-35-7]', '[11101110]'],
    ['[*#]', '[110000000000]'],
    ['[5]', '5'],
    ['<101:9999>', '~1 ~0 ~1 {9999}'],
    ['<:00>x', '{00} x'],
    ['<9:>xxx', '~9 {} x x x'],
    ['<0x.:+>', '~0 ~x. {+}'],
  ])('%s', (text, picture) => {
    const plan = parsed(text);
    expect(plan.alternatives).toHaveLength(1);
    expect(shape(plan.alternatives[0]!.items)).toBe(picture);
  });

  it('reads timers S<n>/s<n> and T/t, and the reject marker, at the end of an alternative', () => {
    const [s2, s0, t, tLower, reject, both] = parsed('1x.S2|9s0|1x.T|2xt|123xxx!|5x.T!').alternatives;
    expect(s2!.timer).toEqual({ kind: 'seconds', seconds: 2 });
    expect(s2!.hasRepeat).toBe(true);
    expect(s0!.timer).toEqual({ kind: 'seconds', seconds: 0 });
    expect(t!.timer).toEqual({ kind: 'macro' });
    expect(tLower!.timer).toEqual({ kind: 'macro' });
    expect(reject!.reject).toBe(true);
    expect(reject!.timer).toBeUndefined();
    expect(reject!.hasRepeat).toBe(false);
    expect(both!.reject && both!.timer?.kind === 'macro').toBe(true);
  });

  it('splits alternatives on "|" and remembers index, source and position', () => {
    const plan = parsed('[2346789]11|01[2-9]x.[2-9]xxxxxxxx');
    expect(plan.alternatives.map((a) => [a.index, a.source, a.position, a.digitPositions, a.hasRepeat])).toEqual([
      [0, '[2346789]11', 0, 3, false],
      [1, '01[2-9]x.[2-9]xxxxxxxx', 12, 13, true],
    ]);
  });

  it('treats an empty plan (the default of DIAL_PLAN_n) as no dial plan', () => {
    expect(parsed('').alternatives).toEqual([]);
    expect(parsed('   ').alternatives).toEqual([]);
  });

  it('ignores blanks around an alternative', () => {
    const plan = parsed(' 123 | 4xx ');
    expect(plan.alternatives.map((a) => [a.source, a.position])).toEqual([
      ['123', 1],
      ['4xx', 7],
    ]);
  });
});

describe('dial plan parser: limits of the 6.6 notes', () => {
  it(`accepts ${MAX_DIAL_PLAN_CHARS} characters and refuses ${MAX_DIAL_PLAN_CHARS + 1}`, () => {
    const alt = '[0123456789]'.repeat(2); // 24 characters, 2 digits
    const text = Array.from({ length: 20 }, () => alt).join('|') + 'x'; // 20*24 + 19 + 1
    expect(text.length).toBe(500);
    expect(parseDialPlan(text).ok).toBe(true);
    const r = parseDialPlan(text + 'x');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('DIALPLAN_TOO_LONG');
      expect(r.error.position).toBe(500);
      expect(r.error.message).toMatch(/501 characters; at most 500/);
    }
  });

  it(`accepts ${MAX_DIAL_PLAN_ALTERNATIVES} alternatives and refuses the 41st`, () => {
    const forty = Array.from({ length: 40 }, (_, i) => String(100 + i)).join('|');
    expect(parsed(forty).alternatives).toHaveLength(40);
    const r = parseDialPlan(forty + '|999');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.code).toBe('DIALPLAN_TOO_MANY');
      expect(r.error.position).toBe(forty.length + 1);
    }
  });

  it(`accepts ${MAX_DIAL_PLAN_DIGITS} digits per alternative and refuses 33`, () => {
    expect(parsed('9' + 'x'.repeat(31)).alternatives[0]!.digitPositions).toBe(32);
    // A range or a repeated element is one digit position.
    expect(parsed('[0-9]x.'.repeat(16)).alternatives[0]!.digitPositions).toBe(32);
    const r = parseDialPlan('1|9' + 'x'.repeat(32));
    expect(r.ok).toBe(false);
    if (!r.ok) expect([r.error.code, r.error.position]).toEqual(['DIALPLAN_TOO_MANY_DIGITS', 34]);
    const sub = parseDialPlan(`<1:${'2'.repeat(33)}>`);
    expect(sub.ok ? '' : sub.error.code).toBe('DIALPLAN_TOO_MANY_DIGITS');
  });
});

describe('dial plan parser: errors say where and what', () => {
  it.each([
    ['[12-21]', 'DIALPLAN_BAD_RANGE', 2, /only valid for single digits/],
    ['[1-10]', 'DIALPLAN_BAD_RANGE', 1, /only valid for single digits/],
    ['[9-4]', 'DIALPLAN_BAD_RANGE', 1, /runs backwards/],
    ['[1-2-3]', 'DIALPLAN_BAD_RANGE', 2, /two single digits/],
    ['[-5]', 'DIALPLAN_BAD_RANGE', 1, /two single digits/],
    ['[*-#]', 'DIALPLAN_BAD_RANGE', 2, /two single digits/],
    ['[]', 'DIALPLAN_BAD_RANGE', 0, /empty \[range\]/],
    ['12[34', 'DIALPLAN_BAD_RANGE', 2, /never closed/],
    ['1[2[3]]', 'DIALPLAN_BAD_RANGE', 3, /inside a \[range\]/],
    ['1[x]', 'DIALPLAN_BAD_RANGE', 2, /'x' inside a \[range\]/],
    ['12]', 'DIALPLAN_BAD_RANGE', 2, /without a matching '\['/],
    ['1-2', 'DIALPLAN_BAD_RANGE', 1, /outside a \[range\]/],
    ['.1', 'DIALPLAN_BAD_REPEAT', 0, /must follow a digit/],
    ['1..', 'DIALPLAN_BAD_REPEAT', 2, /must follow a digit/],
    ['<1:2>.', 'DIALPLAN_BAD_REPEAT', 5, /must follow a digit/],
    ['<101:9999', 'DIALPLAN_BAD_SUBSTITUTION', 0, /never closed/],
    ['<101', 'DIALPLAN_BAD_SUBSTITUTION', 0, /without ':'/],
    ['<101>', 'DIALPLAN_BAD_SUBSTITUTION', 4, /missing ':'/],
    ['<1<2:3>:4>', 'DIALPLAN_BAD_SUBSTITUTION', 2, /do not nest/],
    ['<1:2x>', 'DIALPLAN_BAD_SUBSTITUTION', 4, /'x' in the replacement/],
    ['12:3', 'DIALPLAN_BAD_SUBSTITUTION', 2, /outside <before:after>/],
    ['1>', 'DIALPLAN_BAD_SUBSTITUTION', 1, /without a matching '<'/],
    ['1x.S', 'DIALPLAN_BAD_TIMER', 3, /followed by one digit/],
    ['1x.Sa', 'DIALPLAN_BAD_TIMER', 3, /followed by one digit/],
    ['1x.S2T', 'DIALPLAN_TWO_TIMERS', 5, /second timer/],
    ['1S22', 'DIALPLAN_AFTER_END_MARKER', 3, /must end a dial plan/],
    ['1T2', 'DIALPLAN_AFTER_END_MARKER', 2, /must end a dial plan/],
    ['12!3', 'DIALPLAN_AFTER_END_MARKER', 3, /'3' after a timer or '!'/],
    ['12!!', 'DIALPLAN_BAD_REJECT', 3, /second '!'/],
    ['<1!:2>', 'DIALPLAN_MARKER_IN_SUBSTITUTION', 2, /inside <before:after>/],
    ['!', 'DIALPLAN_NO_DIGITS', 0, /at least one digit/],
    ['<:123>', 'DIALPLAN_NO_DIGITS', 0, /at least one digit/],
    ['123|', 'DIALPLAN_EMPTY_ALTERNATIVE', 4, /empty dial plan/],
    ['1||2', 'DIALPLAN_EMPTY_ALTERNATIVE', 2, /empty dial plan/],
    ['1xxxx 2xxx', 'DIALPLAN_BLANK', 5, /separate dial plans with '\|'/],
    ['(1xx)', 'DIALPLAN_BAD_CHAR', 0, /'\(' is not a dial-plan character/],
    ['12a', 'DIALPLAN_BAD_CHAR', 2, /'a' is not/],
    ['12\u0000', 'DIALPLAN_BAD_CHAR', 2, /U\+0000 is not/],
  ])('%j -> %s at %i', (text, code, position, message) => {
    const r = parseDialPlan(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe(code);
    expect(r.error.position).toBe(position);
    expect(r.error.message).toMatch(message);
    expect(r.error.message.startsWith(`dial plan: column ${position + 1}: `)).toBe(true);
  });
});
