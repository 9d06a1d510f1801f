// International and national prefixes of the KX-UT670 (5.6.1 INTERNATIONAL_ACCESS_CODE,
// COUNTRY_CALLING_CODE, NATIONAL_ACCESS_CODE; Web UI 4.7.1.1 "International Call Prefix",
// "Country Calling Code", "National Access Code").
import { dialable } from './digits.js';

export interface AccessCodes {
  /** INTERNATIONAL_ACCESS_CODE: up to 8 of 0-9 * #; empty = the "+" is deleted (e.g. "00", "011"). */
  readonly internationalAccessCode: string;
  /** COUNTRY_CALLING_CODE: up to 8 digits, the phone's own country (e.g. "81", "44"); empty = never "national". */
  readonly countryCallingCode: string;
  /** NATIONAL_ACCESS_CODE: up to 8 of 0-9 * #, the trunk prefix added to a national number (e.g. "0"). */
  readonly nationalAccessCode: string;
}

/**
 * An incoming number as shown: "the number to be shown in the place of the first '+' symbol when
 * the phone number for incoming international calls contains '+'" (5.6.1); with no code set the
 * "+" is deleted (its default, 'Empty string ("+" is deleted)').
 */
export function displayNumber(number: string, codes: Pick<AccessCodes, 'internationalAccessCode'>): string {
  const plus = number.indexOf('+');
  if (plus < 0) return number;
  return number.slice(0, plus) + codes.internationalAccessCode + number.slice(plus + 1);
}

/**
 * The number to dial back from the incoming call log (5.6.1): a number with "+" whose country
 * calling code is the phone's own loses the country code and gets the national access code
 * ("+81312345678" → "0312345678" with 81 and 0); any other "+" number gets the international
 * access code in place of the "+" ("+4930123" → "0104930123" with 010). Visual separators are
 * dropped, since the result is dialled.
 */
export function callbackNumber(number: string, codes: AccessCodes): string {
  const text = dialable(number);
  const plus = text.indexOf('+');
  if (plus < 0) return text;
  const head = text.slice(0, plus);
  const rest = text.slice(plus + 1);
  const cc = codes.countryCallingCode;
  if (cc !== '' && rest.startsWith(cc)) return head + codes.nationalAccessCode + rest.slice(cc.length);
  return head + codes.internationalAccessCode + rest;
}
