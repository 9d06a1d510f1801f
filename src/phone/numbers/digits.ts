// Dialable form of a phone number: the visual separators of RFC 3966 §3 ("-", ".", "(", ")")
// and blanks removed, the keys 0-9 * # + kept.
const SEPARATORS = /[\s\-.()]/g;

/** `+81 (3) 1234-5678` → `+81312345678`. Other characters are kept, so the caller can refuse them. */
export function dialable(number: string): string {
  return number.replace(SEPARATORS, '');
}
