// Matching a caller's or a dialled number against a configured list. Pure.
//  - KX-UT670 4.7.1.2 Call Rejection Phone Numbers: up to 30 numbers, each matched as a whole
//    ("If the phone number contains characters other than 0–9, *, #, and +, the number may not be
//    rejected correctly": only those characters take part).
//  - A12 9.23 Restricted Incoming / Outgoing: "a specific number ... or a prefix where any numbers
//    matched the prefix will all be blocked": every entry matches as a prefix.

export type ListMatch = 'exact' | 'prefix';

/** What a number is compared on: digits, *, #, + (separators and spaces dropped). */
export function normaliseNumber(text: string): string {
  const t = text.trim().toLowerCase();
  // A name (`alice`, `alice@pbx`) is compared as written; a number on its dial characters only.
  return /[a-z@]/.test(t) ? t : t.replace(/[^0-9*#+]/g, '');
}

/** The first entry of `list` that `number` matches, or undefined. Empty entries never match. */
export function matchNumber(number: string, list: readonly string[], how: ListMatch): string | undefined {
  const wanted = normaliseNumber(number);
  if (wanted === '') return undefined;
  for (const entry of list) {
    const e = normaliseNumber(entry);
    if (e === '') continue;
    if (how === 'exact' ? wanted === e : wanted.startsWith(e)) return entry;
  }
  return undefined;
}
