// Matching digits against a dial plan (KX-UT670 6.6 "Dial Plan Example": complete, partial, none).
import { describe, expect, it } from 'vitest';
import { unwrap } from '../../src/core/result.js';
import { matchDialPlan, parseDialPlan, type DialPlan } from '../../src/phone/dial-plan/index.js';

const unwrapPlan = (text: string): DialPlan => unwrap(parseDialPlan(text));

function status(plan: string, digits: string): string {
  const m = matchDialPlan(unwrapPlan(plan), digits);
  return m.best ? `complete:${m.best.number}${m.canExtend ? '+' : ''}` : m.status;
}

describe('dial plan matcher: the elements of 6.6', () => {
  it.each([
    // Digit
    ['123', '123', 'complete:123'],
    ['123', '12', 'partial'],
    ['123', '124', 'none'],
    ['123', '1234', 'none'],
    ['*#+1', '*#+1', 'complete:*#+1'],
    // Wildcard: any digit 0-9, not * or #
    ['12xxxxx', '1234567', 'complete:1234567'],
    ['12xxxxx', '12345', 'partial'],
    ['12xxxxx', '12345678', 'none'],
    ['1x', '1*', 'none'],
    ['1x', '1#', 'none'],
    // Range and subrange
    ['[123]', '2', 'complete:2'],
    ['[123]', '4', 'none'],
    ['[1-5]', '5', 'complete:5'],
    ['[1-5]', '6', 'none'],
    ['[1-35-7]', '4', 'none'],
    ['[1-35-7]', '6', 'complete:6'],
    ['[*#]1', '#1', 'complete:#1'],
    // Repeat: zero or more of the element before
    ['1.', '1', 'complete:1+'],
    ['1.', '111', 'complete:111+'],
    ['1.', '12', 'none'],
    ['1x.', '1', 'complete:1+'],
    ['1x.', '19876', 'complete:19876+'],
    ['1x.2', '1', 'partial'],
    ['1x.2', '12', 'complete:12+'],
    ['1x.2', '1332', 'complete:1332+'],
    // Substitution
    ['<101:9999>', '101', 'complete:9999'],
    ['<101:9999>', '10', 'partial'],
    ['<9:>xxxxxxx', '95551234', 'complete:5551234'],
    ['<:0>xxxxxxx', '5551234', 'complete:05551234'],
    ['<00:+>x.', '004930123', 'complete:+4930123+'],
    ['<0x.:+>', '0123', 'complete:++'],
    ['1<23:45>6', '1236', 'complete:1456'],
    // Timers and reject do not change what matches
    ['1x.S2', '123', 'complete:123+'],
    ['1x.T', '1', 'complete:1+'],
    ['123xxx!', '123456', 'complete:123456'],
    // Alternation
    ['1xxxx|2xxx', '12345', 'complete:12345'],
    ['1xxxx|2xxx', '2345', 'complete:2345'],
    ['1xxxx|2xxx', '234', 'partial'],
    ['1xxxx|2xxx', '3', 'none'],
  ])('%s with %s -> %s', (plan, digits, expected) => {
    expect(status(plan, digits)).toBe(expected);
  });

  it('keeps the example of 6.6 apart: complete, partial with ".", partial without ".", none', () => {
    const plan = unwrapPlan('[2346789]11|01[2-9]x.[2-9]xxxxxxxx');
    const at = (digits: string) => {
      const m = matchDialPlan(plan, digits);
      return [m.status, m.best?.alternative.index, m.partial.map((p) => [p.alternative.index, p.alternative.hasRepeat]), m.canExtend];
    };
    expect(at('211')).toEqual(['complete', 0, [], false]);
    expect(at('911')).toEqual(['complete', 0, [], false]);
    expect(at('01254')).toEqual(['partial', undefined, [[1, true]], true]);
    expect(at('012556')).toEqual(['partial', undefined, [[1, true]], true]);
    expect(at('21')).toEqual(['partial', undefined, [[0, false]], true]);
    expect(at('91')).toEqual(['partial', undefined, [[0, false]], true]);
    // 01 + [2-9] + x. (zero or more) + [2-9] + 8 x: 12 digits at least.
    expect(at('012312345678')).toEqual(['complete', 1, [], true]);
    expect(at('01231234567')).toEqual(['partial', undefined, [[1, true]], true]);
    // As printed, the plan has no alternative for "2123456789" or "5987654321" (see the collector test).
    expect(at('2123456789')[0]).toBe('none');
    expect(at('5987654321')[0]).toBe('none');
  });

  it('prefers the most specific complete match, then the leftmost', () => {
    const best = (plan: string, digits: string) => {
      const b = matchDialPlan(unwrapPlan(plan), digits).best!;
      return [b.alternative.index, b.alternative.reject, b.number];
    };
    expect(best('1xxxxx|123xxx!', '123456')).toEqual([1, true, '123456']);
    expect(best('123xxx!|1xxxxx', '123456')).toEqual([0, true, '123456']);
    expect(best('1xxxxx|123xxx!', '124456')).toEqual([0, false, '124456']);
    expect(best('9x.|911', '911')).toEqual([1, false, '911']);
    expect(best('1[0-9]x|1xx', '123')).toEqual([0, false, '123']);
    expect(best('<1:7>xx|<1:8>xx', '123')).toEqual([0, false, '723']);
  });

  it('reports the substituted number of a partial match, with an unfinished substitution sent raw', () => {
    const m = matchDialPlan(unwrapPlan('<00:+>xxxxxxxx'), '0049');
    expect(m.partial[0]!.number).toBe('+49');
    const open = matchDialPlan(unwrapPlan('<000:+>xxxxxxxx'), '00');
    expect(open.partial[0]!.number).toBe('00');
  });

  it('lets a greedy "." decide which digits a substitution replaces', () => {
    // x. takes as much as it can, so the final "1" is the one <1:9> replaces.
    expect(status('x.<1:9>', '111')).toBe('complete:119+');
  });

  it('matches nothing for keys outside 0-9 * # +', () => {
    expect(status('x.', '12a')).toBe('none');
    expect(parseDialPlan('x.').ok).toBe(true);
  });
});
