// Parser for the KX-UT670 dial-plan string (DIAL_PLAN_n, KX-UT670 6.6 "Available Values for the
// Dial Plan Field" and its notes). Never throws: every problem comes back as a DialPlanError
// with the 0-based offset and what is wrong.
//
// Choices where the manual's text is thin (written down as the brief asks):
// - `.` repeats the element before it zero or more times, as in RFC 3435 §2.1.5 digit maps. The
//   manual's "1." example ("1" followed by zero or more "1"s) and "1x.T" ("begins with 1, the
//   call is made after T seconds": so "1" alone matches) both read this way; the only
//   difference from "one or more" would be the empty number, which cannot be dialled.
// - `S`, `T` and `!` end an alternative: only these markers may follow one another.
// - The manual's character table lost the "|" (a text-conversion artefact: its Alternation row
//   is blank and its example reads "1xxxx 2xxx"); "|" separates alternatives as the notes say.
//   Blanks around an alternative are ignored; a blank inside one is an error, so that
//   "1xxxx 2xxx" is reported rather than silently read as one 9-digit pattern.
// - An empty string is "no dial plan" (the default of DIAL_PLAN_n): no alternatives.
import { err, ok, type Result } from '../../core/result.js';
import {
  WILDCARD_MASK,
  symbolIndex,
  type DialPlan,
  type DialPlanAlternative,
  type DialPlanError,
  type DialPlanItem,
  type PlanTimer,
} from './types.js';

/** KX-UT670 6.6 Note: "You can enter up to 500 characters in [Dial Plan]." */
export const MAX_DIAL_PLAN_CHARS = 500;
/** KX-UT670 6.6 Note: "up to 40 dial plans separated by '|'". */
export const MAX_DIAL_PLAN_ALTERNATIVES = 40;
/** KX-UT670 6.6 Note: "up to 32 digits per dial plan" (digit positions; also the length of a substitution). */
export const MAX_DIAL_PLAN_DIGITS = 32;

const ALLOWED = "0-9 * # + x X [ ] - . < : > S s T t ! |";

function fail(code: string, position: number, what: string): { ok: false; error: DialPlanError } {
  return err({ code, position, message: `dial plan: column ${position + 1}: ${what}` });
}

function isBlank(c: string): boolean {
  return c === ' ' || c === '\t';
}

function show(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  return code >= 0x20 && code < 0x7f ? `'${c}'` : `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

export function parseDialPlan(text: string): Result<DialPlan, DialPlanError> {
  if (typeof text !== 'string') return fail('DIALPLAN_NOT_TEXT', 0, 'the dial plan is not a string');
  if (text.length > MAX_DIAL_PLAN_CHARS) {
    return fail('DIALPLAN_TOO_LONG', MAX_DIAL_PLAN_CHARS, `${text.length} characters; at most ${MAX_DIAL_PLAN_CHARS} are allowed (KX-UT670 6.6)`);
  }
  const alternatives: DialPlanAlternative[] = [];
  if (text.trim() === '') return ok({ source: text, alternatives });
  let start = 0;
  for (;;) {
    let end = text.indexOf('|', start);
    if (end < 0) end = text.length;
    if (alternatives.length === MAX_DIAL_PLAN_ALTERNATIVES) {
      return fail('DIALPLAN_TOO_MANY', start, `more than ${MAX_DIAL_PLAN_ALTERNATIVES} dial plans separated by '|' (KX-UT670 6.6)`);
    }
    const alt = parseAlternative(text, start, end, alternatives.length);
    if (!alt.ok) return alt;
    alternatives.push(alt.value);
    if (end === text.length) break;
    start = end + 1;
  }
  return ok({ source: text, alternatives });
}

interface Group {
  readonly position: number;
  /** false while reading "before", true after the ':'. */
  after: boolean;
  text: string;
}

function parseAlternative(text: string, from: number, to: number, index: number): Result<DialPlanAlternative, DialPlanError> {
  let start = from;
  let end = to;
  while (start < end && isBlank(text[start]!)) start++;
  while (end > start && isBlank(text[end - 1]!)) end--;
  if (start === end) return fail('DIALPLAN_EMPTY_ALTERNATIVE', from, "empty dial plan (nothing between '|' separators)");

  const items: DialPlanItem[] = [];
  let timer: PlanTimer | undefined;
  let reject = false;
  let hasRepeat = false;
  let digitPositions = 0;
  let group: Group | undefined;
  // Index in `items` of the element a following '.' may repeat (undefined: none may).
  let repeatable: number | undefined;

  for (let i = start; i < end; i++) {
    const c = text[i]!;
    if (group?.after) {
      if (c === '>') {
        items.push({ kind: 'emit', text: group.text, position: group.position });
        group = undefined;
        repeatable = undefined;
      } else if (symbolIndex(c) >= 0) {
        group.text += c;
        if (group.text.length > MAX_DIAL_PLAN_DIGITS) {
          return fail('DIALPLAN_TOO_MANY_DIGITS', i, `substitution longer than ${MAX_DIAL_PLAN_DIGITS} digits (KX-UT670 6.6)`);
        }
      } else {
        return fail('DIALPLAN_BAD_SUBSTITUTION', i, `${show(c)} in the replacement of <before:after>; only 0-9 * # + may be sent`);
      }
      continue;
    }
    if (timer !== undefined || reject) {
      if (c !== 'S' && c !== 's' && c !== 'T' && c !== 't' && c !== '!') {
        return fail('DIALPLAN_AFTER_END_MARKER', i, `${show(c)} after a timer or '!'; S, T and ! must end a dial plan`);
      }
    }
    const sym = symbolIndex(c);
    if (sym >= 0 || c === 'x' || c === 'X' || c === '[') {
      let mask: number;
      let specificity: 'literal' | 'range' | 'wildcard';
      if (c === '[') {
        const range = parseRange(text, i, end);
        if (!range.ok) return range;
        mask = range.value.mask;
        specificity = range.value.single ? 'literal' : 'range';
        i = range.value.close;
      } else if (sym >= 0) {
        mask = 1 << sym;
        specificity = 'literal';
      } else {
        mask = WILDCARD_MASK;
        specificity = 'wildcard';
      }
      if (++digitPositions > MAX_DIAL_PLAN_DIGITS) {
        return fail('DIALPLAN_TOO_MANY_DIGITS', i, `more than ${MAX_DIAL_PLAN_DIGITS} digits in one dial plan (KX-UT670 6.6)`);
      }
      repeatable = items.length;
      items.push({ kind: 'match', mask, specificity, repeat: false, silent: group !== undefined, position: i });
      continue;
    }
    switch (c) {
      case '.': {
        if (repeatable === undefined) return fail('DIALPLAN_BAD_REPEAT', i, "'.' must follow a digit, 'x' or a [range]");
        const item = items[repeatable]!;
        if (item.kind === 'match') items[repeatable] = { ...item, repeat: true };
        repeatable = undefined;
        hasRepeat = true;
        break;
      }
      case '<':
        if (group) return fail('DIALPLAN_BAD_SUBSTITUTION', i, "'<' inside <before:after>; substitutions do not nest");
        group = { position: i, after: false, text: '' };
        repeatable = undefined;
        break;
      case ':':
        if (!group) return fail('DIALPLAN_BAD_SUBSTITUTION', i, "':' outside <before:after>");
        group.after = true;
        break;
      case '>':
        if (!group) return fail('DIALPLAN_BAD_SUBSTITUTION', i, "'>' without a matching '<'");
        return fail('DIALPLAN_BAD_SUBSTITUTION', i, "missing ':' in <before:after>");
      case 'S':
      case 's': {
        if (group) return fail('DIALPLAN_MARKER_IN_SUBSTITUTION', i, `${show(c)} inside <before:after>`);
        if (timer) return fail('DIALPLAN_TWO_TIMERS', i, 'a second timer in one dial plan');
        const n = i + 1 < end ? text.charCodeAt(i + 1) - 48 : -1;
        if (!(n >= 0 && n <= 9)) return fail('DIALPLAN_BAD_TIMER', i, `${show(c)} must be followed by one digit 0-9, the seconds to wait (e.g. "1x.S2")`);
        timer = { kind: 'seconds', seconds: n };
        i++;
        break;
      }
      case 'T':
      case 't':
        if (group) return fail('DIALPLAN_MARKER_IN_SUBSTITUTION', i, `${show(c)} inside <before:after>`);
        if (timer) return fail('DIALPLAN_TWO_TIMERS', i, 'a second timer in one dial plan');
        timer = { kind: 'macro' };
        break;
      case '!':
        if (group) return fail('DIALPLAN_MARKER_IN_SUBSTITUTION', i, "'!' inside <before:after>");
        if (reject) return fail('DIALPLAN_BAD_REJECT', i, "a second '!'");
        reject = true;
        break;
      case ']':
        return fail('DIALPLAN_BAD_RANGE', i, "']' without a matching '['");
      case '-':
        return fail('DIALPLAN_BAD_RANGE', i, "'-' outside a [range]");
      default:
        if (isBlank(c)) return fail('DIALPLAN_BLANK', i, "blank inside a dial plan; separate dial plans with '|'");
        return fail('DIALPLAN_BAD_CHAR', i, `${show(c)} is not a dial-plan character (allowed: ${ALLOWED})`);
    }
  }
  if (group) return fail('DIALPLAN_BAD_SUBSTITUTION', group.position, group.after ? "'<' is never closed by '>'" : "'<' without ':' and '>'");
  if (digitPositions === 0) return fail('DIALPLAN_NO_DIGITS', start, 'a dial plan needs at least one digit, x or [range]');
  return ok({ index, source: text.slice(start, end), position: start, items, timer, reject, hasRepeat, digitPositions });
}

/**
 * `[...]` starting at `open`: digits, *, #, + and single-digit subranges `a-b` (KX-UT670 6.6
 * "Subrange": "[4-9]" is valid, "[12-21]" is not; a subrange touching another plain digit is
 * read as such a multi-digit range and refused).
 */
function parseRange(text: string, open: number, end: number): Result<{ mask: number; single: boolean; close: number }, DialPlanError> {
  let close = open + 1;
  while (close < end && text[close] !== ']') {
    if (text[close] === '[') return fail('DIALPLAN_BAD_RANGE', close, "'[' inside a [range]");
    close++;
  }
  if (close >= end) return fail('DIALPLAN_BAD_RANGE', open, "'[' is never closed by ']'");
  if (close === open + 1) return fail('DIALPLAN_BAD_RANGE', open, 'empty [range]');
  let mask = 0;
  const isDigit = (k: number): boolean => k > open && k < close && text.charCodeAt(k) >= 48 && text.charCodeAt(k) <= 57;
  for (let k = open + 1; k < close; k++) {
    const c = text[k]!;
    if (c === '-') {
      if (!isDigit(k - 1) || !isDigit(k + 1) || (k + 2 < close && text[k + 2] === '-')) {
        return fail('DIALPLAN_BAD_RANGE', k, "a subrange is two single digits around '-', e.g. [4-9]");
      }
      const lo = text.charCodeAt(k - 1) - 48;
      const hi = text.charCodeAt(k + 1) - 48;
      if (lo > hi) return fail('DIALPLAN_BAD_RANGE', k - 1, `subrange ${lo}-${hi} runs backwards`);
      const plainBefore = isDigit(k - 2) && text[k - 3] !== '-';
      const plainAfter = isDigit(k + 2) && text[k + 3] !== '-';
      if (plainBefore || plainAfter) {
        return fail('DIALPLAN_BAD_RANGE', k - 1, `subrange touches another digit; a subrange is only valid for single digits ("[4-9]" is valid, "[12-21]" is not)`);
      }
      for (let d = lo; d <= hi; d++) mask |= 1 << d;
      continue;
    }
    const sym = symbolIndex(c);
    if (sym < 0) return fail('DIALPLAN_BAD_RANGE', k, `${show(c)} inside a [range]; only 0-9 * # + and subranges like 4-9`);
    mask |= 1 << sym;
  }
  return ok({ mask, single: (mask & (mask - 1)) === 0, close });
}
