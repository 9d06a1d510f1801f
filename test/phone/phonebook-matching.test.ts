// Caller ID against the phonebook (KX-UT670 5.6.3 NUMBER_MATCHING_LOWER/UPPER_DIGIT) and the
// name a call shows (DISPLAY_NAME_REPLACE): src/phone/phonebook/caller-name.ts over a Phonebook.
import { describe, expect, it } from 'vitest';
import { Phonebook } from '../../src/phone/phonebook/phonebook.js';
import { numberOfTarget, shownName } from '../../src/phone/phonebook/caller-name.js';
import { matchedDigits } from '../../src/phone/numbers/caller-id.js';
import { defaultDeviceSettings, type DeviceSettings } from '../../src/settings/canonical.js';

function settings(patch: { lower?: number; upper?: number; replace?: boolean; cc?: string; nac?: string; iac?: string } = {}): DeviceSettings {
  const s = defaultDeviceSettings(6, 0);
  return {
    ...s,
    call: {
      ...s.call,
      numberMatchLowerDigits: patch.lower ?? 7,
      numberMatchUpperDigits: patch.upper ?? 10,
      countryCallingCode: patch.cc ?? '',
      nationalAccessCode: patch.nac ?? '',
      internationalAccessCode: patch.iac ?? '',
    },
    display: { ...s.display, nameReplace: patch.replace ?? true },
  };
}

function book(): Phonebook {
  const b = new Phonebook();
  for (const e of [
    { name: 'Reception', numbers: ['100'] },
    { name: 'Alice', numbers: ['030 5551234', '+49 170 1111111'] },
    { name: 'Bob', numbers: ['5559876'] },
    { name: 'Carol', numbers: ['0312345678'] },
  ]) {
    if (!b.add(e).ok) throw new Error(e.name);
  }
  return b;
}

const nameFor = (number: string, s = settings(), network = 'Network') => shownName(book(), number, network, s);

describe('phonebook match with the digit rules (5.6.3)', () => {
  it('defaults 7/10: the last 7 to 10 digits decide', () => {
    // Same 10 digits from a national caller ID.
    expect(nameFor('0305551234')).toEqual({ name: 'Alice', contact: { id: 2, name: 'Alice' } });
    // The subscriber number alone: 7 digits agree.
    expect(nameFor('5551234')).toMatchObject({ name: 'Alice' });
    // The caller ID with the country code: 10 digits are compared, 9305551234 ≠ 0305551234.
    expect(nameFor('+49305551234')).toEqual({ name: 'Network' });
    // Bob's 7-digit entry matches any caller ID ending in those 7 digits.
    expect(nameFor('+49 30 5559876')).toMatchObject({ name: 'Bob', contact: { id: 3 } });
    // Fewer than 7 digits: only the entire number matches.
    expect(nameFor('100')).toMatchObject({ name: 'Reception' });
    expect(nameFor('2100')).toEqual({ name: 'Network' });
    // A different last digit never matches.
    expect(nameFor('0305551235')).toEqual({ name: 'Network' });
    // The mobile number is the second number of Alice's entry.
    expect(nameFor('491701111111')).toMatchObject({ name: 'Alice' });
  });

  it('0/0: exact matching of entire numbers only', () => {
    const exact = settings({ lower: 0, upper: 0 });
    expect(nameFor('0305551234', exact)).toMatchObject({ name: 'Alice' });
    expect(nameFor('5551234', exact)).toEqual({ name: 'Network' });
    expect(nameFor('+491701111111', exact)).toMatchObject({ name: 'Alice' });
    expect(nameFor('+49 30 5559876', exact)).toEqual({ name: 'Network' });
  });

  it('a "+" caller ID is also compared in its national form (COUNTRY_CALLING_CODE, NATIONAL_ACCESS_CODE)', () => {
    // +81 3 1234 5678: the last 10 digits 1312345678 differ from Carol's 0312345678...
    expect(nameFor('+81312345678')).toEqual({ name: 'Network' });
    // ...but in Japan (81, trunk prefix 0) the national form is 0312345678.
    expect(nameFor('+81312345678', settings({ cc: '81', nac: '0', iac: '010' }))).toMatchObject({ name: 'Carol' });
    // Also with exact matching.
    expect(nameFor('+81312345678', settings({ lower: 0, upper: 0, cc: '81', nac: '0' }))).toMatchObject({ name: 'Carol' });
    // A German caller ID in Germany: +49 30 5551234 is 0305551234 there.
    expect(nameFor('+49305551234', settings({ cc: '49', nac: '0' }))).toMatchObject({ name: 'Alice' });
  });

  it('lower above upper: the minimum still applies', () => {
    expect(matchedDigits('0305551234', '9995551234', { lowerDigits: 10, upperDigits: 4 })).toBe(0);
    expect(matchedDigits('0305551234', '0305551234', { lowerDigits: 10, upperDigits: 4 })).toBe(10);
    expect(nameFor('9995559876', settings({ lower: 4, upper: 4 }))).toMatchObject({ name: 'Bob' });
  });
});

describe('the name a call shows (DISPLAY_NAME_REPLACE)', () => {
  it('Y: the phonebook name replaces the network name; N: the network name stays', () => {
    expect(nameFor('5559876', settings({ replace: true }), 'PBX Name')).toEqual({ name: 'Bob', contact: { id: 3, name: 'Bob' } });
    expect(nameFor('5559876', settings({ replace: false }), 'PBX Name')).toEqual({ name: 'PBX Name', contact: { id: 3, name: 'Bob' } });
    // N with no network name: the phonebook name rather than nothing.
    expect(nameFor('5559876', settings({ replace: false }), '')).toEqual({ name: 'Bob', contact: { id: 3, name: 'Bob' } });
  });

  it('no phonebook, no match, withheld or non-numeric caller IDs keep the network name', () => {
    expect(shownName(undefined, '5559876', 'Net', settings())).toEqual({ name: 'Net' });
    expect(shownName(book(), '5559876', 'Anonymous', settings(), true)).toEqual({ name: 'Anonymous' });
    expect(nameFor('anonymous')).toEqual({ name: 'Network' });
    expect(nameFor('127.0.0.1:5060')).toEqual({ name: 'Network' });
  });

  it('outgoing targets: a number, or the user part of a SIP/tel URI', () => {
    expect(numberOfTarget('sip:5559876@pbx.example;user=phone')).toBe('5559876');
    expect(numberOfTarget('tel:+49-30-5551234')).toBe('+49-30-5551234');
    expect(nameFor('sip:5559876@pbx.example', settings(), '')).toMatchObject({ name: 'Bob' });
    expect(nameFor('sip:alice@pbx.example', settings(), '')).toEqual({ name: '' });
  });
});
