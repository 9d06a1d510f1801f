// Character classes and small scanners for the RFC 3261 §25.1 grammar. Everything here works on
// JavaScript strings (header values after unfolding, so no CR/LF inside) with index arithmetic:
// no regular expressions and no per-character allocation on the hot path.

export const C_TOKEN = 1; // token: alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~"
export const C_WSP = 2; // SP / HTAB
export const C_USER = 4; // unreserved / user-unreserved (escaped handled separately)
export const C_PASSWORD = 8; // unreserved / "&" / "=" / "+" / "$" / ","
export const C_PARAM = 16; // paramchar: param-unreserved / unreserved
export const C_HNV = 32; // hnv-unreserved / unreserved (URI header names and values)
export const C_WORD = 64; // Call-ID word
export const C_HOST = 128; // hostname characters: alphanum / "-" / "." (and "_", see below)
export const C_URIC = 256; // uric: reserved / unreserved (absoluteURI)
export const C_HEX = 512;
export const C_DIGIT = 1024;
export const C_ALPHA = 2048;
export const C_SCHEME = 4096; // ALPHA / DIGIT / "+" / "-" / "."
export const C_TEL = 8192; // tel URI subscriber characters (RFC 3966 §3, lenient)

/** Class bits for the 128 ASCII code points; anything >= 128 has no class. */
export const CLASS = new Uint16Array(128);

function mark(chars: string, bit: number): void {
  for (let i = 0; i < chars.length; i++) CLASS[chars.charCodeAt(i)]! |= bit;
}

const ALPHA = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const DIGIT = '0123456789';
const ALNUM = ALPHA + DIGIT;
const MARK = "-_.!~*'()"; // RFC 3261 §25.1 mark
const UNRESERVED = ALNUM + MARK;
const RESERVED = ';/?:@&=+$,';

mark(ALPHA, C_ALPHA);
mark(DIGIT, C_DIGIT);
mark(DIGIT + 'abcdefABCDEF', C_HEX);
mark(' \t', C_WSP);
mark(ALNUM + "-.!%*_+`'~", C_TOKEN);
// DEVIATION: "#" is accepted unescaped in the user part: phones put feature codes such as
// sip:*97#@pbx on the wire without escaping it (RFC 3261 requires %23).
mark(UNRESERVED + '&=+$,;?/#', C_USER);
mark(UNRESERVED + '&=+$,', C_PASSWORD);
mark(UNRESERVED + '[]/:&+$', C_PARAM);
mark(UNRESERVED + '[]/?:+$', C_HNV);
mark(ALNUM + "-.!%*_+`'~()<>:\\\"/[]?{}", C_WORD);
// DEVIATION: "_" is accepted in host names (RFC 1123 forbids it, but it occurs in lab DNS and
// container names); it never makes a well-formed message fail.
mark(ALNUM + '-._', C_HOST);
mark(UNRESERVED + RESERVED + '%', C_URIC);
mark(ALNUM + '+-.', C_SCHEME);
mark(DIGIT + 'abcdefABCDEF*#+-.()', C_TEL);

export function isClass(code: number, bits: number): boolean {
  return code < 128 && (CLASS[code]! & bits) !== 0;
}

/** Index of the first non-SP/HTAB character at or after `i` (or `end`). */
export function skipWs(s: string, i: number, end: number): number {
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 9) break;
    i++;
  }
  return i;
}

/** Index just past the run of characters in `bits` starting at `i`. */
export function scanClass(s: string, i: number, end: number, bits: number): number {
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c >= 128 || (CLASS[c]! & bits) === 0) break;
    i++;
  }
  return i;
}

/** Index just past the token starting at `i` (equal to `i` when there is none). */
export function scanToken(s: string, i: number, end: number): number {
  return scanClass(s, i, end, C_TOKEN);
}

/** True when all of s is a non-empty token. */
export function isToken(s: string): boolean {
  return s.length > 0 && scanToken(s, 0, s.length) === s.length;
}

/**
 * Given s[i] === '"', returns the index just past the closing quote, or -1 when the quoted
 * string is unterminated or holds a raw control character (RFC 3261 §25.1 qdtext/quoted-pair).
 */
export function scanQuoted(s: string, i: number, end: number): number {
  i++;
  while (i < end) {
    const c = s.charCodeAt(i);
    if (c === 34) return i + 1;
    if (c === 92) {
      // quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)
      if (i + 1 >= end) return -1;
      const n = s.charCodeAt(i + 1);
      if (n === 10 || n === 13 || n > 127) return -1;
      i += 2;
      continue;
    }
    if ((c < 32 && c !== 9) || c === 127) return -1;
    i++;
  }
  return -1;
}

/** Content of a quoted-string (with its quotes) with quoted-pairs resolved. */
export function unquote(quoted: string): string {
  const inner = quoted.slice(1, -1);
  if (inner.indexOf('\\') < 0) return inner;
  let out = '';
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === '\\' && i + 1 < inner.length) {
      out += inner[i + 1];
      i++;
    } else out += c;
  }
  return out;
}

/** Wraps text in a quoted-string, escaping `"` and `\`. */
export function quote(text: string): string {
  let needsEscape = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 || c === 92) {
      needsEscape = true;
      break;
    }
  }
  if (!needsEscape) return `"${text}"`;
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

/** Value of s[i..end) as an unsigned decimal, or -1 when empty, not all digits, or over `max`. */
export function parseDigits(s: string, i: number, end: number, max: number): number {
  if (i >= end) return -1;
  let n = 0;
  for (; i < end; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
    if (n > max) return -1;
  }
  return n;
}

/** ASCII lower-casing that leaves an already-lower-case string untouched (no allocation). */
export function lower(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) return s.toLowerCase();
  }
  return s;
}

/** Case-insensitive ASCII equality. */
export function equalsIgnoreCase(a: string, b: string): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 65 && x <= 90) x += 32;
    if (y >= 65 && y <= 90) y += 32;
    if (x !== y) return false;
  }
  return true;
}

/** True when every character is ASCII (the string encodes to the same bytes as latin1 and UTF-8). */
export function isAsciiString(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}

/** Case-insensitive ASCII equality of s[start..end) with a lower-case literal, without slicing. */
export function rangeEquals(s: string, start: number, end: number, lowerLiteral: string): boolean {
  if (end - start !== lowerLiteral.length) return false;
  for (let k = 0; k < lowerLiteral.length; k++) {
    let c = s.charCodeAt(start + k);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lowerLiteral.charCodeAt(k)) return false;
  }
  return true;
}
