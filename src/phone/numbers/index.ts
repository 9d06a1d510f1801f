// Phone numbers: dialable form, KX-UT670 international/national prefixes, caller-ID matching
// against the phonebook, and A12 IP direct dialling.
export { dialable } from './digits.js';
export { callbackNumber, displayNumber, type AccessCodes } from './access-codes.js';
export { DEFAULT_NUMBER_MATCHING, findContact, matchedDigits, numbersMatch, type ContactMatch, type NumberMatching } from './caller-id.js';
export { ipCallTarget, type IpCallSettings, type IpDial } from './ip-call.js';
