// The name a call shows (KX-UT670 5.6.3): the remote number is matched against the phonebook
// with NUMBER_MATCHING_LOWER/UPPER_DIGIT; DISPLAY_NAME_REPLACE Y: "the name saved in the
// phonebook is used in place of the name display if a matching entry is found".
// DISPLAY_NAME_REPLACE N: the name the network sent stays. DEVIATION: the manual does not say what
// N shows when the network sent no name; a phone shows the phonebook name rather than nothing.
// Outgoing calls have no network name, so a matching entry always names them. A withheld
// (anonymous) caller ID, a SIP URI user that is not a number or an IP address never match. Pure.
import type { DeviceSettings } from '../../settings/canonical.js';
import { dialable } from '../numbers/digits.js';
import type { ContactRef } from './phonebook-entry.js';
import type { Phonebook } from './phonebook.js';

export interface ShownName {
  /** The name the call shows ('' when neither the network nor the phonebook has one). */
  readonly name: string;
  /** The phonebook entry the number matched. */
  readonly contact?: ContactRef;
}

/** `sip:1001@pbx` / `tel:+4930...` → the number; a plain number as is. */
export function numberOfTarget(target: string): string {
  const uri = /^(?:sips?|tel):([^@;?]*)/i.exec(target.trim());
  return uri ? uri[1]! : target.trim();
}

export function shownName(book: Phonebook | undefined, number: string, networkName: string, settings: DeviceSettings, anonymous = false): ShownName {
  const digits = dialable(numberOfTarget(number));
  if (!book || anonymous || !/^\+?[0-9*#]+$/.test(digits)) return { name: networkName };
  const { call } = settings;
  const match = book.match(
    digits,
    { lowerDigits: call.numberMatchLowerDigits, upperDigits: call.numberMatchUpperDigits },
    // KX-UT670 5.6.1: a "+" caller ID is also compared in its national form.
    { internationalAccessCode: call.internationalAccessCode, countryCallingCode: call.countryCallingCode, nationalAccessCode: call.nationalAccessCode },
  );
  if (!match) return { name: networkName };
  const contact: ContactRef = { id: match.contact.id, name: match.contact.name };
  const name = settings.display.nameReplace || networkName === '' ? contact.name : networkName;
  return { name, contact };
}
