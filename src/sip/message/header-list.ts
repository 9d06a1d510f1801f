// The ordered header fields of a message, exactly as received (after unfolding): unknown headers
// keep their place and spelling, and serialising writes them back in the same order. Typed
// views (headers.ts) are parsed on demand and cached here; any mutation clears the cache.
import { canonicalName, headerKey } from './header-names.js';
import { isAsciiString } from './lex.js';

export interface HeaderField {
  /** Canonical spelling for known headers (compact forms expanded), else as received. */
  readonly name: string;
  /** Lower-case full name, the lookup key. */
  readonly key: string;
  /** Value with folding replaced by single spaces and surrounding whitespace removed. */
  readonly value: string;
  /**
   * The exact wire line `Name: value\r\n` when the parser saw it in canonical form (serialising
   * reuses it); undefined otherwise.
   */
  readonly line: string | undefined;
}

export function field(name: string, value: string): HeaderField {
  return { name: canonicalName(name), key: headerKey(name), value, line: undefined };
}

export class HeaderList implements Iterable<HeaderField> {
  /** Typed-view cache indexed by HeaderSpec.id (see headers.ts). */
  cache: unknown[] = [];
  /** False once any field was added, removed or replaced (see `unchanged`). */
  private pristine = true;

  /**
   * @param ascii whether every name and value is ASCII, when the caller knows (the serialiser
   *   then skips a UTF-8 length pass); computed on demand otherwise.
   */
  constructor(
    private readonly fields: HeaderField[] = [],
    private asciiKnown: boolean | undefined = undefined,
  ) {}

  /** True when every header name and value is ASCII. */
  get ascii(): boolean {
    if (this.asciiKnown === undefined) {
      let a = true;
      for (const f of this.fields) {
        if (!isAsciiString(f.value) || !isAsciiString(f.name)) {
          a = false;
          break;
        }
      }
      this.asciiKnown = a;
    }
    return this.asciiKnown;
  }

  /**
   * True while no field has been added, removed or replaced since construction: a parsed
   * message then still serialises to the bytes it was parsed from (SipMessage.wireBytes).
   */
  get unchanged(): boolean {
    return this.pristine;
  }

  private changed(f?: HeaderField): void {
    this.cache = [];
    this.pristine = false;
    if (f !== undefined && this.asciiKnown === true && (!isAsciiString(f.value) || !isAsciiString(f.name))) this.asciiKnown = false;
  }

  get length(): number {
    return this.fields.length;
  }

  [Symbol.iterator](): Iterator<HeaderField> {
    return this.fields[Symbol.iterator]();
  }

  /** The field at `index` in message order. */
  at(index: number): HeaderField | undefined {
    return this.fields[index];
  }

  /** First value of a header (any case or compact form), or undefined. */
  get(name: string): string | undefined {
    const key = headerKey(name);
    for (const f of this.fields) if (f.key === key) return f.value;
    return undefined;
  }

  /** Every field value of a header, in order (each may hold several comma-separated values). */
  getAll(name: string): string[] {
    return this.valuesOf(headerKey(name));
  }

  /** Values by lookup key (already normalised). */
  valuesOf(key: string): string[] {
    const out: string[] = [];
    for (const f of this.fields) if (f.key === key) out.push(f.value);
    return out;
  }

  /** The value when the header has exactly one field; undefined when none; null when several. */
  onlyValue(key: string): string | null | undefined {
    let found: string | undefined;
    const fields = this.fields;
    for (let i = 0; i < fields.length; i++) {
      const f = fields[i]!;
      if (f.key === key) {
        if (found !== undefined) return null;
        found = f.value;
      }
    }
    return found;
  }

  has(name: string): boolean {
    const key = headerKey(name);
    return this.fields.some((f) => f.key === key);
  }

  count(name: string): number {
    const key = headerKey(name);
    let n = 0;
    for (const f of this.fields) if (f.key === key) n++;
    return n;
  }

  /** Adds a field after all others. */
  append(name: string, value: string): this {
    const f = field(name, value);
    this.fields.push(f);
    this.changed(f);
    return this;
  }

  /** Adds a field before all others (e.g. a new top Via). */
  prepend(name: string, value: string): this {
    const f = field(name, value);
    this.fields.unshift(f);
    this.changed(f);
    return this;
  }

  /**
   * Replaces every field of `name` with one field holding `value`, at the position of the first
   * one (appended when there was none).
   */
  set(name: string, value: string): this {
    const f = field(name, value);
    const i = this.fields.findIndex((x) => x.key === f.key);
    if (i < 0) this.fields.push(f);
    else {
      this.fields[i] = f;
      for (let j = this.fields.length - 1; j > i; j--) if (this.fields[j]!.key === f.key) this.fields.splice(j, 1);
    }
    this.changed(f);
    return this;
  }

  /** Replaces the value of the field at `index`. */
  replaceAt(index: number, value: string): this {
    const f = this.fields[index];
    if (f === undefined) throw new RangeError(`sip: no header at index ${index}`);
    const g: HeaderField = { name: f.name, key: f.key, value, line: undefined };
    this.fields[index] = g;
    this.changed(g);
    return this;
  }

  /** Removes the field at `index`. */
  removeAt(index: number): this {
    this.fields.splice(index, 1);
    this.changed();
    return this;
  }

  /** Removes every field of `name`; returns how many were removed. */
  remove(name: string): number {
    const key = headerKey(name);
    const before = this.fields.length;
    for (let j = this.fields.length - 1; j >= 0; j--) if (this.fields[j]!.key === key) this.fields.splice(j, 1);
    const removed = before - this.fields.length;
    if (removed > 0) this.changed();
    return removed;
  }

  /** Index of the first field of `name`, or -1. */
  indexOf(name: string): number {
    const key = headerKey(name);
    return this.fields.findIndex((f) => f.key === key);
  }

  /** Independent copy (fields are immutable, so they are shared; the cache is too). */
  clone(): HeaderList {
    const copy = new HeaderList(this.fields.slice(), this.asciiKnown);
    copy.cache = this.cache.slice();
    return copy;
  }

  toArray(): readonly HeaderField[] {
    return this.fields.slice();
  }
}
