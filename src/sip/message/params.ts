// Semicolon parameters: header parameters (RFC 3261 §25.1 generic-param, via-params, from-param,
// contact-params, m-parameter ...) and URI parameters (uri-parameter) share this ordered,
// immutable list. Names compare case-insensitively; values are kept in wire form (quoted
// strings keep their quotes, URI parameters keep their %-escapes) so text round-trips exactly.
import { equalsIgnoreCase, rangeEquals, scanClass, scanQuoted, scanToken, skipWs, unquote, C_TOKEN } from './lex.js';

export interface Param {
  readonly name: string;
  /** Wire-form value; null when the parameter has no "=value" part (e.g. `;lr`, `;rport`). */
  readonly value: string | null;
}

export class Params {
  static readonly EMPTY = new Params([]);

  constructor(readonly list: readonly Param[]) {}

  get size(): number {
    return this.list.length;
  }

  /** Wire-form value: undefined when absent, null when present without a value. */
  get(name: string): string | null | undefined {
    const list = this.list;
    for (let i = 0; i < list.length; i++) {
      const p = list[i]!;
      if (p.name === name || equalsIgnoreCase(p.name, name)) return p.value;
    }
    return undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** The value with quotes and quoted-pairs removed; undefined when absent or valueless. */
  getUnquoted(name: string): string | undefined {
    const v = this.get(name);
    if (v === undefined || v === null) return undefined;
    return v.length >= 2 && v.charCodeAt(0) === 34 ? unquote(v) : v;
  }

  /** A copy with `name` set (replacing an existing value in place, or appended). */
  with(name: string, value: string | null): Params {
    const list = this.list.slice();
    for (let i = 0; i < list.length; i++) {
      if (equalsIgnoreCase(list[i]!.name, name)) {
        list[i] = { name, value };
        return new Params(list);
      }
    }
    list.push({ name, value });
    return new Params(list);
  }

  /** A copy without `name`. */
  without(name: string): Params {
    if (!this.has(name)) return this;
    return new Params(this.list.filter((p) => !equalsIgnoreCase(p.name, name)));
  }

  /** `;name=value;flag` (empty string when there are none). */
  toString(): string {
    let s = '';
    for (const p of this.list) s += p.value === null ? `;${p.name}` : `;${p.name}=${p.value}`;
    return s;
  }
}

/** Plain-object convenience: `params({ lr: null, transport: 'tcp' })`. */
export function params(record: Readonly<Record<string, string | null>>): Params {
  return new Params(Object.entries(record).map(([name, value]) => ({ name, value })));
}

/** Characters of a gen-value that is not a quoted string: token / host (incl. IPv6 forms). */
const C_GEN_VALUE = C_TOKEN;

/** Index past a param value (quoted-string or gen-value) starting at `i`; -1 when there is none or it is malformed. */
export function scanParamValue(s: string, i: number, end: number): number {
  if (i < end && s.charCodeAt(i) === 34) return scanQuoted(s, i, end);
  const valueEnd = scanGenValue(s, i, end);
  return valueEnd === i ? -1 : valueEnd;
}

/** Index past a gen-value that is not a quoted string (token characters plus ":", "[" and "]"). */
export function scanGenValue(s: string, i: number, end: number): number {
  // gen-value = token / host / quoted-string. host adds ":" (unbracketed IPv6 in via-received)
  // and "[" "]" (IPv6reference) to the token characters.
  for (;;) {
    i = scanClass(s, i, end, C_GEN_VALUE);
    if (i >= end) return i;
    const c = s.charCodeAt(i);
    if (c === 58 || c === 91 || c === 93) i++;
    else return i;
  }
}

/** Value of the parameter parseHeaderParams was asked to find (`find`), or undefined. */
export let foundParam: string | null | undefined;

/**
 * Parses `*( SEMI generic-param )` (SEMI = SWS ";" SWS, EQUAL = SWS "=" SWS) from s[i..end).
 * Stops at `end`, or at a top-level "," when `stopAtComma`. Returns the index where it stopped
 * (after trailing whitespace), or -1 when a parameter is malformed (e.g. `;;`, `;=x`, `;a=`).
 * With `out` null it only validates. With `find` (a lower-case name) it also leaves the value of
 * the first parameter of that name in `foundParam` (null for a flag, undefined when absent).
 */
export function parseHeaderParams(s: string, i: number, end: number, out: Param[] | null, stopAtComma: boolean, find?: string): number {
  foundParam = undefined;
  let looking = find !== undefined;
  for (;;) {
    i = skipWs(s, i, end);
    if (i >= end) return i;
    const c = s.charCodeAt(i);
    if (c === 44 && stopAtComma) return i;
    if (c !== 59) return -1;
    i = skipWs(s, i + 1, end);
    const nameEnd = scanToken(s, i, end);
    if (nameEnd === i) return -1;
    const nameStart = i;
    i = skipWs(s, nameEnd, end);
    if (i < end && s.charCodeAt(i) === 61) {
      i = skipWs(s, i + 1, end);
      const valueEnd = scanParamValue(s, i, end);
      if (valueEnd < 0) return -1;
      if (out !== null) out.push({ name: s.slice(nameStart, nameEnd), value: s.slice(i, valueEnd) });
      if (looking && rangeEquals(s, nameStart, nameEnd, find!)) {
        foundParam = s.slice(i, valueEnd);
        looking = false;
      }
      i = valueEnd;
    } else {
      if (out !== null) out.push({ name: s.slice(nameStart, nameEnd), value: null });
      if (looking && rangeEquals(s, nameStart, nameEnd, find!)) {
        foundParam = null;
        looking = false;
      }
    }
  }
}

/** Params from text known to be valid `*( SEMI generic-param )` (built lazily by Via, NameAddr). */
export function paramsFromText(text: string): Params {
  if (text.length === 0) return Params.EMPTY;
  const list: Param[] = [];
  parseHeaderParams(text, 0, text.length, list, false);
  return list.length === 0 ? Params.EMPTY : new Params(list);
}
