// Validates one value against its catalogue row (KX-UT670 5.2.2 value formats, 5.2.3 characters).
// Returns the normalised value or a message that names the fault; never throws.
import { ok, failure, type Result } from '../core/result.js';
import type { IntRange, ParamDef, ValueRule } from './types.js';

const INTEGER = /^-?[0-9]+$/;

export function describeRanges(ranges: readonly IntRange[]): string {
  return ranges.map((r) => (r.min === r.max ? `${r.min}` : `${r.min}-${r.max}`)).join('|');
}

function inRanges(n: number, ranges: readonly IntRange[]): boolean {
  return ranges.some((r) => n >= r.min && n <= r.max);
}

function checkInteger(text: string, ranges: readonly IntRange[], step: number | undefined, what: string): string | undefined {
  if (text === '') return `${what} is empty; an Integer is required`;
  if (!INTEGER.test(text)) return `${what} "${text}" is not an Integer`;
  const n = Number(text);
  if (!Number.isSafeInteger(n)) return `${what} ${text} is out of range ${describeRanges(ranges)}`;
  if (!inRanges(n, ranges)) return `${what} ${text} is out of range ${describeRanges(ranges)}`;
  if (step !== undefined && step > 1) {
    const base = ranges.find((r) => n >= r.min && n <= r.max)!.min;
    if ((n - base) % step !== 0) return `${what} ${text} is not a multiple of ${step}`;
  }
  return undefined;
}

function checkCharacters(value: string, rule: Extract<ValueRule, { kind: 'string' }>): string | undefined {
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f) return `control character U+${code.toString(16).padStart(4, '0').toUpperCase()} is not allowed`;
    if (code > 0x7e && !rule.unicode) return `non-ASCII character "${ch}" is not allowed (5.2.3)`;
    if (rule.exclude?.includes(ch)) return `character ${ch === ' ' ? 'space' : `"${ch}"`} is not allowed`;
    if (rule.only !== undefined && !rule.only.includes(ch)) return `character "${ch}" is not allowed (only ${rule.only})`;
  }
  return undefined;
}

/** Checks a value against a rule; returns an error message or undefined. */
export function checkRule(rule: ValueRule, value: string): string | undefined {
  switch (rule.kind) {
    case 'bool':
      return value === 'Y' || value === 'N' ? undefined : `"${value}" is not a Boolean (Y or N)`;
    case 'int':
      return checkInteger(value, rule.ranges, rule.step, 'value');
    case 'enum':
      return rule.values.includes(value) ? undefined : `"${value}" is not one of ${rule.values.join('|')}`;
    case 'string': {
      const length = [...value].length;
      // An explicit allowEmpty wins over minLength: "6-16 characters, empty until first login".
      if (value === '' && (rule.allowEmpty === true || (rule.allowEmpty === undefined && (rule.minLength ?? 0) === 0))) return undefined;
      if (value === '') return 'an empty value is not allowed';
      if (rule.minLength !== undefined && length < rule.minLength) return `"${value}" is shorter than ${rule.minLength} characters`;
      if (rule.maxLength !== undefined && length > rule.maxLength) return `value is longer than ${rule.maxLength} characters (${length})`;
      if (rule.maxBytes !== undefined && Buffer.byteLength(value, 'utf8') > rule.maxBytes) return `value is longer than ${rule.maxBytes} bytes`;
      const bad = checkCharacters(value, rule);
      if (bad) return bad;
      if (rule.pattern && !rule.pattern.test(value)) return `"${value}" is not ${rule.patternHint ?? `of the form ${rule.pattern.source}`}`;
      return undefined;
    }
    case 'int-list': {
      if (value === '') return 'an empty value is not allowed; a comma-separated list of Integers is required';
      const items = value.split(',');
      if (items.length < rule.minCount || items.length > rule.maxCount) {
        const want = rule.minCount === rule.maxCount ? `${rule.minCount}` : `${rule.minCount}-${rule.maxCount}`;
        return `${items.length} values given; ${want} expected`;
      }
      for (let i = 0; i < items.length; i++) {
        const bad = checkInteger(items[i]!, rule.ranges, undefined, `value ${i + 1}`);
        if (bad) return bad;
      }
      return undefined;
    }
    case 'string-list': {
      if (value === '') return 'an empty value is not allowed';
      const items = value.split(',');
      if (items.length < rule.minCount || items.length > rule.maxCount) return `${items.length} values given; ${rule.minCount}-${rule.maxCount} expected`;
      for (const item of items) {
        if (rule.values && !rule.values.includes(item)) return `"${item}" is not one of ${rule.values.join('|')}`;
        if (rule.maxLength !== undefined && item.length > rule.maxLength) return `"${item}" is longer than ${rule.maxLength} characters`;
      }
      return undefined;
    }
  }
}

/** Validates `value` for the expanded parameter `name` of row `def`. */
export function validateValue(def: ParamDef, name: string, value: string): Result<string> {
  if (def.readOnly) return failure('SETTING_READ_ONLY', `${name}: is read-only`);
  if (value.length > 500 && [...value].length > 500 && !(def.rule.kind === 'string' && (def.rule.maxLength ?? 0) > 500)) {
    // 5.2.1: a value is at most 500 characters (characters, not bytes, as the parser counts).
    return failure('SETTING_BAD_VALUE', `${name}: value is longer than 500 characters`);
  }
  const problem = checkRule(def.rule, value);
  return problem ? failure('SETTING_BAD_VALUE', `${name}: ${problem}`) : ok(value);
}
