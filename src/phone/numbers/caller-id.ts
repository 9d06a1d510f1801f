// Caller-ID to phonebook matching (KX-UT670 5.6.3 NUMBER_MATCHING_LOWER_DIGIT / _UPPER_DIGIT,
// Web UI 4.7.4.1): "the minimum / maximum number of digits with which to match a phonebook entry
// with an incoming call's caller ID"; both 0 = "exact matching of entire numbers only".
//
// Reading (the manual gives no example): numbers are compared from their last digit. With k the
// length of the shorter number, at least `lower` digits must be compared, else only the whole
// numbers can match; at most `upper` digits are compared, so two numbers whose last `upper`
// digits agree match whatever comes before. Defaults 7/10: "5551234" matches "0305551234",
// "1234" matches only "1234". `upper` = 0 with `lower` > 0 compares all k digits. A `lower`
// above `upper` (e.g. 10/7) still needs `lower` digits: the minimum wins over the maximum.
// Separators and a "+" are ignored ("+81 3-1234-5678" compares as 81312345678). A caller ID with
// "+" is also compared in its national form when access codes are given (access-codes.ts).
import { callbackNumber, type AccessCodes } from './access-codes.js';
import { dialable } from './digits.js';

export interface NumberMatching {
  /** NUMBER_MATCHING_LOWER_DIGIT, 0–15 (default 7). */
  readonly lowerDigits: number;
  /** NUMBER_MATCHING_UPPER_DIGIT, 0–15 (default 10). */
  readonly upperDigits: number;
}

export const DEFAULT_NUMBER_MATCHING: NumberMatching = { lowerDigits: 7, upperDigits: 10 };

function comparable(number: string): string {
  return dialable(number).replace(/\+/g, '');
}

/** How many trailing digits were compared when `a` and `b` match, else 0. */
export function matchedDigits(a: string, b: string, m: NumberMatching = DEFAULT_NUMBER_MATCHING): number {
  const x = comparable(a);
  const y = comparable(b);
  if (x === '' || y === '') return 0;
  const k = Math.min(x.length, y.length);
  if ((m.lowerDigits === 0 && m.upperDigits === 0) || k < m.lowerDigits) return x === y ? x.length : 0;
  // KX-UT670 5.6.3: at least NUMBER_MATCHING_LOWER_DIGIT digits, at most _UPPER_DIGIT.
  const n = m.upperDigits === 0 ? k : Math.min(k, Math.max(m.upperDigits, m.lowerDigits));
  return x.endsWith(y.slice(y.length - n)) ? n : 0;
}

export function numbersMatch(a: string, b: string, m: NumberMatching = DEFAULT_NUMBER_MATCHING): boolean {
  return matchedDigits(a, b, m) > 0;
}

export interface ContactMatch<T> {
  readonly contact: T;
  readonly index: number;
  /** The contact's number that matched. */
  readonly number: string;
  readonly matchedDigits: number;
  /** The whole numbers are equal (wins a tie on matchedDigits). */
  readonly exact: boolean;
}

/**
 * The phonebook entry for an incoming caller ID: the entry whose number matches on the most
 * digits, an entirely equal number before a suffix match, the first entry on a remaining tie.
 * `numbersOf` lists an entry's numbers.
 */
export function findContact<T>(
  callerId: string,
  contacts: readonly T[],
  numbersOf: (contact: T) => readonly string[],
  m: NumberMatching = DEFAULT_NUMBER_MATCHING,
  codes?: AccessCodes,
): ContactMatch<T> | undefined {
  const forms = [callerId];
  if (codes && callerId.includes('+')) forms.push(callbackNumber(callerId, codes));
  let best: ContactMatch<T> | undefined;
  contacts.forEach((contact, index) => {
    for (const number of numbersOf(contact)) {
      for (const form of forms) {
        const digits = matchedDigits(form, number, m);
        if (digits === 0) continue;
        const exact = comparable(form) === comparable(number);
        if (!best || digits > best.matchedDigits || (digits === best.matchedDigits && exact && !best.exact)) {
          best = { contact, index, number, matchedDigits: digits, exact };
        }
      }
    }
  });
  return best;
}
