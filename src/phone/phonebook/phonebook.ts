// The phone's phonebook (KX-UT670: the phonebook that 5.6.3 DISPLAY_NAME_REPLACE and
// NUMBER_MATCHING_LOWER/UPPER_DIGIT match caller IDs against; limits in phonebook-entry.ts).
// Kept in memory in id order; the device persists every change through `persist` (NVRAM, one
// atomic write per change). Every change is an event `changed`. Input is checked and answers
// with a Result; nothing here throws on bad input.
import { Emitter } from '../../core/events.js';
import { failure, ok, type Result } from '../../core/result.js';
import type { AccessCodes } from '../numbers/access-codes.js';
import { findContact, type ContactMatch, type NumberMatching } from '../numbers/caller-id.js';
import { checkEntry, PHONEBOOK_LIMITS, type NewPhonebookEntry, type PhonebookEntry, type PhonebookLimits } from './phonebook-entry.js';

export interface PhonebookChange {
  readonly action: 'added' | 'updated' | 'removed' | 'imported' | 'cleared';
  /** The entry concerned (added/updated/removed). */
  readonly id?: number;
  /** Entries in the phonebook after the change. */
  readonly total: number;
}

export interface PhonebookEvents extends Record<string, unknown> {
  changed: PhonebookChange;
}

declare module '../../core/device-events.js' {
  interface DeviceEventMap {
    phonebook: PhonebookChange;
  }
}

export type ImportMode = 'append' | 'replace';

export class Phonebook {
  readonly events = new Emitter<PhonebookEvents>();
  private entries: PhonebookEntry[];
  private nextId: number;

  constructor(
    initial: readonly PhonebookEntry[] = [],
    private readonly persist?: (entries: readonly PhonebookEntry[]) => void,
    readonly limits: PhonebookLimits = PHONEBOOK_LIMITS,
  ) {
    this.entries = [...initial].sort((a, b) => a.id - b.id).slice(0, limits.maxEntries);
    this.nextId = Math.max(0, ...this.entries.map((e) => e.id)) + 1;
  }

  get size(): number {
    return this.entries.length;
  }

  /** In id order (the order entries were added). */
  list(): PhonebookEntry[] {
    return this.entries.slice();
  }

  get(id: number): PhonebookEntry | undefined {
    return this.entries.find((e) => e.id === id);
  }

  /** `get` as a Result (PHONEBOOK_NOT_FOUND). */
  find(id: number): Result<PhonebookEntry> {
    const entry = this.get(id);
    return entry ? ok(entry) : notFound(id);
  }

  add(input: unknown): Result<PhonebookEntry> {
    const entry = this.check(input);
    if (!entry.ok) return entry;
    if (this.entries.length >= this.limits.maxEntries) return failure('PHONEBOOK_FULL', `phonebook: full (${this.limits.maxEntries} entries); delete one first`);
    const full: PhonebookEntry = { id: this.nextId++, ...entry.value };
    this.entries.push(full);
    this.changed({ action: 'added', id: full.id });
    return ok(full);
  }

  /** Replaces the name and numbers of entry `id`. */
  update(id: number, input: unknown): Result<PhonebookEntry> {
    const at = this.entries.findIndex((e) => e.id === id);
    if (at < 0) return notFound(id);
    const entry = this.check(input);
    if (!entry.ok) return entry;
    const full: PhonebookEntry = { id, ...entry.value };
    this.entries[at] = full;
    this.changed({ action: 'updated', id });
    return ok(full);
  }

  remove(id: number): Result<PhonebookEntry> {
    const at = this.entries.findIndex((e) => e.id === id);
    if (at < 0) return notFound(id);
    const [gone] = this.entries.splice(at, 1);
    this.changed({ action: 'removed', id });
    return ok(gone!);
  }

  clear(): number {
    const n = this.entries.length;
    this.entries = [];
    this.changed({ action: 'cleared' });
    return n;
  }

  /**
   * Adds checked entries (an import, phonebook-text.ts) after the existing ones, or in their
   * place (`replace`); all or nothing when the limit would be passed. One NVRAM write.
   */
  import(entries: readonly NewPhonebookEntry[], mode: ImportMode = 'append'): Result<{ added: number; total: number }> {
    const kept = mode === 'replace' ? 0 : this.entries.length;
    if (kept + entries.length > this.limits.maxEntries) {
      return failure('PHONEBOOK_FULL', `phonebook: holds at most ${this.limits.maxEntries} entries; ${kept} kept + ${entries.length} imported would be ${kept + entries.length}`);
    }
    if (mode === 'replace') this.entries = [];
    for (const e of entries) this.entries.push({ id: this.nextId++, name: e.name, numbers: [...e.numbers] });
    this.changed({ action: 'imported' });
    return ok({ added: entries.length, total: this.entries.length });
  }

  /**
   * The entry for a caller ID (KX-UT670 5.6.3 NUMBER_MATCHING_LOWER/UPPER_DIGIT): the entry
   * whose number matches on the most digits (numbers/caller-id.ts findContact).
   */
  match(number: string, matching: NumberMatching, codes?: AccessCodes): ContactMatch<PhonebookEntry> | undefined {
    return findContact(number, this.entries, (e) => e.numbers, matching, codes);
  }

  private check(input: unknown): Result<NewPhonebookEntry> {
    const entry = checkEntry(input, this.limits);
    return entry.ok ? entry : failure(entry.error.code, `phonebook: ${entry.error.message}`);
  }

  private changed(change: Omit<PhonebookChange, 'total'>): void {
    this.persist?.(this.entries);
    this.events.emit('changed', { ...change, total: this.entries.length });
  }
}

function notFound(id: number): Result<never> {
  return failure('PHONEBOOK_NOT_FOUND', `phonebook: no entry ${id}`);
}

/** Something that carries a phonebook (the Phone on a model that has one); the control API finds it through this. */
export interface PhonebookHolder {
  readonly phonebook: Phonebook | undefined;
}

export function phonebookOf(x: unknown): Phonebook | undefined {
  const book = typeof x === 'object' && x !== null ? (x as Partial<PhonebookHolder>).phonebook : undefined;
  return book instanceof Phonebook ? book : undefined;
}
