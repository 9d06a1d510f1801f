// One phonebook entry and its validation. The KX-UT670 Administrator Guide has no phonebook
// chapter (it only refers to "the phonebook" in 5.6.3 DISPLAY_NAME_REPLACE and
// NUMBER_MATCHING_*), so the limits are chosen from what desk phones of its class hold and
// written down here:
//   - 500 entries in all;
//   - a name of 1 to 24 characters (a display line), no control characters (tabs and line breaks
//     would break the TSV/CSV export);
//   - 1 to 3 numbers per entry (office / mobile / home on a desk phone's contact card);
//   - a number of 1 to 32 of 0-9 * # + (32 as the KX-UT670's other number fields, e.g. 4.7.1.2
//     Call Rejection Phone Numbers), "+" only first. Visual separators (blank - . ( ), RFC 3966 §3)
//     are accepted and dropped, so "+49 (30) 555-1234" is kept as "+49305551234".
// Messages carry no prefix: the store adds "phonebook: ", an import adds "line N: ". Pure.
import { failure, ok, type Result } from '../../core/result.js';
import { dialable } from '../numbers/digits.js';

export interface PhonebookLimits {
  readonly maxEntries: number;
  readonly maxNameLength: number;
  readonly maxNumbers: number;
  readonly maxNumberLength: number;
}

export const PHONEBOOK_LIMITS: PhonebookLimits = { maxEntries: 500, maxNameLength: 24, maxNumbers: 3, maxNumberLength: 32 };

export interface PhonebookEntry {
  /** Unique within the phonebook, never reused while the phonebook lives. */
  readonly id: number;
  readonly name: string;
  /** Dialable form (separators removed), 1 to `maxNumbers`. */
  readonly numbers: readonly string[];
}

export type NewPhonebookEntry = Omit<PhonebookEntry, 'id'>;

/** What a matched call carries (`contact` of a call snapshot). */
export interface ContactRef {
  readonly id: number;
  readonly name: string;
}

// Control characters (C0, DEL, C1) would break a line of the CSV/TSV export.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

export function checkName(value: unknown, limits: PhonebookLimits = PHONEBOOK_LIMITS): Result<string> {
  if (typeof value !== 'string') return failure('PHONEBOOK_BAD_NAME', 'name must be a string');
  const name = value.trim();
  if (name === '') return failure('PHONEBOOK_BAD_NAME', 'name is empty');
  if (CONTROL.test(name)) return failure('PHONEBOOK_BAD_NAME', `name '${printable(name)}' has control characters (tab, line break...)`);
  const length = [...name].length;
  if (length > limits.maxNameLength) return failure('PHONEBOOK_BAD_NAME', `name '${name}' has ${length} characters; at most ${limits.maxNameLength}`);
  return ok(name);
}

export function checkNumber(value: unknown, limits: PhonebookLimits = PHONEBOOK_LIMITS): Result<string> {
  if (typeof value !== 'string') return failure('PHONEBOOK_BAD_NUMBER', 'a number must be a string');
  const number = dialable(value.trim());
  if (number === '') return failure('PHONEBOOK_BAD_NUMBER', 'number is empty');
  if (!/^[0-9*#+]+$/.test(number)) return failure('PHONEBOOK_BAD_NUMBER', `number '${printable(value)}' has characters other than 0-9 * # +`);
  if (number.lastIndexOf('+') > 0) return failure('PHONEBOOK_BAD_NUMBER', `number '${value}' has a '+' that is not its first character`);
  if (number.length > limits.maxNumberLength) return failure('PHONEBOOK_BAD_NUMBER', `number '${value}' has ${number.length} characters; at most ${limits.maxNumberLength}`);
  return ok(number);
}

/** Validates `{name, numbers}` as it comes from JSON or an import line. */
export function checkEntry(value: unknown, limits: PhonebookLimits = PHONEBOOK_LIMITS): Result<NewPhonebookEntry> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return failure('PHONEBOOK_BAD_ENTRY', 'an entry is an object {"name": "...", "numbers": ["..."]}');
  const v = value as { name?: unknown; numbers?: unknown };
  const name = checkName(v.name, limits);
  if (!name.ok) return name;
  if (!Array.isArray(v.numbers)) return failure('PHONEBOOK_BAD_NUMBER', `numbers must be an array of 1 to ${limits.maxNumbers} strings`);
  if (v.numbers.length === 0) return failure('PHONEBOOK_BAD_NUMBER', `entry '${name.value}' has no number`);
  if (v.numbers.length > limits.maxNumbers) return failure('PHONEBOOK_BAD_NUMBER', `entry '${name.value}' has ${v.numbers.length} numbers; at most ${limits.maxNumbers}`);
  const numbers: string[] = [];
  for (const raw of v.numbers as unknown[]) {
    const number = checkNumber(raw, limits);
    if (!number.ok) return number;
    if (!numbers.includes(number.value)) numbers.push(number.value);
  }
  return ok({ name: name.value, numbers });
}

/** A stored entry read back from NVRAM: a positive integer id and a valid entry. */
export function isPhonebookEntries(value: unknown): value is PhonebookEntry[] {
  if (!Array.isArray(value)) return false;
  const ids = new Set<number>();
  for (const e of value as unknown[]) {
    const id = (e as { id?: unknown } | null)?.id;
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 1 || ids.has(id)) return false;
    ids.add(id);
    if (!checkEntry(e).ok) return false;
  }
  return value.length <= PHONEBOOK_LIMITS.maxEntries;
}

function printable(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}
