// Phone numbers: KX-UT670 5.6.1 access codes, 5.6.3 caller-ID matching, A12 9.15 IP direct dialling.
import { describe, expect, it } from 'vitest';
import {
  callbackNumber,
  dialable,
  displayNumber,
  findContact,
  ipCallTarget,
  matchedDigits,
  numbersMatch,
  type AccessCodes,
} from '../../src/phone/numbers/index.js';

describe('access codes (KX-UT670 5.6.1)', () => {
  const japan: AccessCodes = { internationalAccessCode: '010', countryCallingCode: '81', nationalAccessCode: '0' };

  it('shows the international access code in place of the first "+" of an incoming number', () => {
    expect(displayNumber('+4930123456', japan)).toBe('0104930123456');
    expect(displayNumber('0312345678', japan)).toBe('0312345678');
    // Default: empty string, "+" is deleted.
    expect(displayNumber('+4930123456', { internationalAccessCode: '' })).toBe('4930123456');
  });

  it('dials a "+" number from the incoming log nationally when the country code is the phone\'s own', () => {
    expect(callbackNumber('+81312345678', japan)).toBe('0312345678');
    expect(callbackNumber('+81 3-1234-5678', japan)).toBe('0312345678');
    expect(callbackNumber('+4930123456', japan)).toBe('0104930123456');
    expect(callbackNumber('0312345678', japan)).toBe('0312345678');
    // No country code set: every "+" number is international.
    expect(callbackNumber('+81312345678', { ...japan, countryCallingCode: '' })).toBe('01081312345678');
    // Codes may hold * and # (PBX access).
    expect(callbackNumber('+4930123', { internationalAccessCode: '9*00', countryCallingCode: '44', nationalAccessCode: '#0' })).toBe('9*004930123');
    expect(callbackNumber('+44201234', { internationalAccessCode: '9*00', countryCallingCode: '44', nationalAccessCode: '#0' })).toBe('#0201234');
  });

  it('drops visual separators when a number is dialled', () => {
    expect(dialable(' +1 (201) 555-0123 ')).toBe('+12015550123');
    expect(dialable('*72#')).toBe('*72#');
  });
});

describe('caller ID against the phonebook (KX-UT670 5.6.3 NUMBER_MATCHING_LOWER/UPPER_DIGIT)', () => {
  it('defaults 7/10: compares the last digits of the shorter number, 7 at least, 10 at most', () => {
    expect(matchedDigits('5551234', '0305551234')).toBe(7);
    expect(matchedDigits('0305551234', '5551234')).toBe(7);
    expect(matchedDigits('12345678', '+44 12 3456 78')).toBe(8);
    expect(numbersMatch('5551235', '0305551234')).toBe(false);
    // Fewer digits than the minimum: only the entire number matches.
    expect(numbersMatch('1234', '5551234')).toBe(false);
    expect(matchedDigits('1234', '1234')).toBe(4);
    // The last 10 digits agree: what comes before is not compared.
    expect(matchedDigits('991234567890', '001234567890')).toBe(10);
    expect(numbersMatch('991234567890', '001234567891')).toBe(false);
  });

  it('0/0: exact matching of entire numbers only', () => {
    const exact = { lowerDigits: 0, upperDigits: 0 };
    expect(numbersMatch('0305551234', '0305551234', exact)).toBe(true);
    expect(numbersMatch('5551234', '0305551234', exact)).toBe(false);
    expect(numbersMatch('+81-3-5551234', '8135551234', exact)).toBe(true);
  });

  it('lower 4, upper 4: four trailing digits decide; upper 0 compares the whole shorter number', () => {
    expect(numbersMatch('1234', '5551234', { lowerDigits: 4, upperDigits: 4 })).toBe(true);
    expect(numbersMatch('7771234', '5551234', { lowerDigits: 4, upperDigits: 4 })).toBe(true);
    expect(numbersMatch('7771234', '5551234', { lowerDigits: 4, upperDigits: 0 })).toBe(false);
    expect(numbersMatch('551234', '0305551234', { lowerDigits: 4, upperDigits: 0 })).toBe(true);
  });

  it('never matches an empty number', () => {
    expect(numbersMatch('', '')).toBe(false);
    expect(numbersMatch('--', '1234567', { lowerDigits: 0, upperDigits: 0 })).toBe(false);
  });

  it('finds the contact that matches on the most digits, the first on a tie', () => {
    const book = [
      { name: 'Front desk', numbers: ['1234'] },
      { name: 'Alice', numbers: ['0305551234', '+49 170 1111111'] },
      { name: 'Alice again', numbers: ['030 555 1234'] },
      { name: 'Bob', numbers: ['5551234'] },
    ];
    const find = (id: string) => findContact(id, book, (c) => c.numbers);
    // 10 digits compared: 9305551234 is not 0305551234, but Bob's 7 digits agree.
    expect(find('+49305551234')).toMatchObject({ index: 3, number: '5551234', matchedDigits: 7, exact: false });
    // With at most 9 digits compared, Alice's national number matches on 9.
    const nine = findContact('+49305551234', book, (c) => c.numbers, { lowerDigits: 7, upperDigits: 9 });
    expect(nine).toMatchObject({ index: 1, number: '0305551234', matchedDigits: 9 });
    // Alice and Bob both match on 7 digits; Bob's number is the whole caller ID.
    expect(find('5551234')).toMatchObject({ index: 3, matchedDigits: 7, exact: true });
    expect(find('0305551234')).toMatchObject({ index: 1, matchedDigits: 10, exact: true });
    expect(find('1234')).toMatchObject({ index: 0, matchedDigits: 4 });
    expect(find('4917011111111')).toBeUndefined();
    expect(find('491701111111')).toMatchObject({ contact: { name: 'Alice' }, number: '+49 170 1111111' });
  });

  it('compares a "+" caller ID in its national form when access codes are given', () => {
    const book = [{ numbers: ['0312345678'] }];
    const codes: AccessCodes = { internationalAccessCode: '010', countryCallingCode: '81', nationalAccessCode: '0' };
    // 81312345678 vs 0312345678: the last 10 digits differ (1 vs 0)...
    expect(findContact('+81312345678', book, (c) => c.numbers)).toBeUndefined();
    // ...the national form 0312345678 is equal.
    expect(findContact('+81312345678', book, (c) => c.numbers, undefined, codes)).toMatchObject({ index: 0, matchedDigits: 10 });
  });
});

describe('A12 IP direct dialling (9.15 Allow IP Call, P2P IP Prefix)', () => {
  const a12 = { allowIpCall: true, ipPrefix: '172.16.2.' };

  it('"#160" with prefix "172.16.2." calls 172.16.2.160 (the manual\'s example)', () => {
    expect(ipCallTarget('#160', a12)).toEqual({ kind: 'ip', address: '172.16.2.160', uri: 'sip:172.16.2.160' });
  });

  it('a shorter prefix takes more octets after "#", "*" standing for the dot', () => {
    expect(ipCallTarget('#2*160', { allowIpCall: true, ipPrefix: '172.16.' })).toMatchObject({ address: '172.16.2.160' });
    expect(ipCallTarget('#2*160', { allowIpCall: true, ipPrefix: '172.16' })).toMatchObject({ address: '172.16.2.160' });
    expect(ipCallTarget('#2*160', a12)).toEqual({ kind: 'number', number: '#2*160' });
  });

  it('a whole address dialled with "*" for dots, or written with dots', () => {
    expect(ipCallTarget('192*168*1*20', a12)).toEqual({ kind: 'ip', address: '192.168.1.20', uri: 'sip:192.168.1.20' });
    expect(ipCallTarget('127.0.0.12', a12)).toMatchObject({ address: '127.0.0.12' });
    expect(ipCallTarget('010*000*000*001', a12)).toMatchObject({ address: '10.0.0.1' });
  });

  it('anything else is a number for the line', () => {
    for (const dialled of ['*72', '192*168*1', '192*168*1*256', '1*2*3*4*5', '#160*', '5551234', '1**2*3', '192*168*1*1000']) {
      expect(ipCallTarget(dialled, a12)).toEqual({ kind: 'number', number: dialled });
    }
  });

  it('the default prefix "." adds nothing, so "#160" stays a number', () => {
    expect(ipCallTarget('#160', { allowIpCall: true, ipPrefix: '.' })).toEqual({ kind: 'number', number: '#160' });
  });

  it('with "Allow IP Call" off nothing is an IP call', () => {
    expect(ipCallTarget('192*168*1*20', { allowIpCall: false, ipPrefix: '172.16.2.' })).toEqual({ kind: 'number', number: '192*168*1*20' });
    expect(ipCallTarget('#160', { allowIpCall: false, ipPrefix: '172.16.2.' })).toEqual({ kind: 'number', number: '#160' });
  });
});
