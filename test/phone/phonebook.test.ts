// The phonebook store (src/phone/phonebook): limits, validation messages, persistence callback,
// and CSV/TSV import/export with per-line diagnostics.
import { describe, expect, it } from 'vitest';
import { Phonebook } from '../../src/phone/phonebook/phonebook.js';
import { checkEntry, isPhonebookEntries, PHONEBOOK_LIMITS, type PhonebookEntry } from '../../src/phone/phonebook/phonebook-entry.js';
import { detectFormat, formatPhonebookText, parsePhonebookText } from '../../src/phone/phonebook/phonebook-text.js';

const message = (r: { ok: boolean; error?: { message: string } }) => (r.ok ? 'ok' : r.error!.message);

describe('phonebook entries: validation', () => {
  it('keeps the dialable form of numbers and the trimmed name', () => {
    const r = checkEntry({ name: '  Alice Smith ', numbers: ['+49 (30) 555-1234', '*21#', '+49.30.5551234'] });
    expect(r).toEqual({ ok: true, value: { name: 'Alice Smith', numbers: ['+49305551234', '*21#'] } });
  });

  it('refuses bad fields with a message naming the field and the rule', () => {
    expect(message(checkEntry({ name: 'Bob', numbers: ['abc'] }))).toBe("number 'abc' has characters other than 0-9 * # +");
    expect(message(checkEntry({ name: 'Bob', numbers: ['12+34'] }))).toBe("number '12+34' has a '+' that is not its first character");
    expect(message(checkEntry({ name: 'Bob', numbers: ['1'.repeat(33)] }))).toBe(`number '${'1'.repeat(33)}' has 33 characters; at most 32`);
    expect(message(checkEntry({ name: 'Bob', numbers: ['1'.repeat(32)] }))).toBe('ok');
    expect(message(checkEntry({ name: 'Bob', numbers: [] }))).toBe("entry 'Bob' has no number");
    expect(message(checkEntry({ name: 'Bob', numbers: ['1', '2', '3', '4'] }))).toBe("entry 'Bob' has 4 numbers; at most 3");
    expect(message(checkEntry({ name: 'Bob', numbers: '1001' }))).toBe('numbers must be an array of 1 to 3 strings');
    expect(message(checkEntry({ name: 'Bob', numbers: [1001] }))).toBe('a number must be a string');
    expect(message(checkEntry({ name: '', numbers: ['1'] }))).toBe('name is empty');
    expect(message(checkEntry({ numbers: ['1'] }))).toBe('name must be a string');
    expect(message(checkEntry({ name: 'A'.repeat(25), numbers: ['1'] }))).toBe(`name '${'A'.repeat(25)}' has 25 characters; at most 24`);
    // 24 characters, counted as characters (not UTF-16 units).
    expect(message(checkEntry({ name: '😀'.repeat(24), numbers: ['1'] }))).toBe('ok');
    expect(message(checkEntry({ name: 'Tab\there', numbers: ['1'] }))).toBe("name 'Tab\\there' has control characters (tab, line break...)");
    expect(message(checkEntry('Bob'))).toBe('an entry is an object {"name": "...", "numbers": ["..."]}');
    expect(message(checkEntry(null))).toBe('an entry is an object {"name": "...", "numbers": ["..."]}');
  });

  it('checks what comes back from NVRAM', () => {
    expect(isPhonebookEntries([{ id: 1, name: 'A', numbers: ['1'] }])).toBe(true);
    expect(isPhonebookEntries([{ id: 1, name: 'A', numbers: ['1'] }, { id: 1, name: 'B', numbers: ['2'] }])).toBe(false);
    expect(isPhonebookEntries([{ id: 0, name: 'A', numbers: ['1'] }])).toBe(false);
    expect(isPhonebookEntries([{ id: 2, name: 'A', numbers: ['x'] }])).toBe(false);
    expect(isPhonebookEntries({})).toBe(false);
  });
});

describe('phonebook store', () => {
  it('adds, changes and deletes entries; ids are never reused; every change is persisted', () => {
    const saved: PhonebookEntry[][] = [];
    const book = new Phonebook([], (e) => saved.push(e.map((x) => ({ ...x }))));
    const a = book.add({ name: 'Alice', numbers: ['1001'] });
    const b = book.add({ name: 'Bob', numbers: ['1002', '0301002'] });
    expect(a.ok && b.ok).toBe(true);
    expect(book.list().map((e) => [e.id, e.name])).toEqual([[1, 'Alice'], [2, 'Bob']]);
    expect(book.update(1, { name: 'Alice B', numbers: ['1003'] })).toMatchObject({ ok: true, value: { id: 1, name: 'Alice B', numbers: ['1003'] } });
    expect(book.update(9, { name: 'X', numbers: ['1'] })).toMatchObject({ ok: false, error: { code: 'PHONEBOOK_NOT_FOUND', message: 'phonebook: no entry 9' } });
    expect(book.update(1, { name: 'X', numbers: ['x'] })).toMatchObject({ ok: false, error: { code: 'PHONEBOOK_BAD_NUMBER', message: "phonebook: number 'x' has characters other than 0-9 * # +" } });
    expect(book.get(1)!.name).toBe('Alice B');
    expect(book.remove(2).ok).toBe(true);
    expect(book.remove(2)).toMatchObject({ ok: false, error: { code: 'PHONEBOOK_NOT_FOUND' } });
    expect(book.add({ name: 'Carol', numbers: ['1004'] })).toMatchObject({ ok: true, value: { id: 3 } });
    expect(saved).toHaveLength(5);
    expect(saved.at(-1)!.map((e) => e.name)).toEqual(['Alice B', 'Carol']);
    // Read back (a reboot): ids continue after the highest.
    const again = new Phonebook(saved.at(-1)!);
    expect(again.add({ name: 'Dave', numbers: ['1'] })).toMatchObject({ ok: true, value: { id: 4 } });
  });

  it('holds at most 500 entries', () => {
    const book = new Phonebook();
    const many = Array.from({ length: PHONEBOOK_LIMITS.maxEntries }, (_, i) => ({ name: `N${i}`, numbers: [String(1000 + i)] }));
    expect(book.import(many)).toEqual({ ok: true, value: { added: 500, total: 500 } });
    expect(book.add({ name: 'One more', numbers: ['1'] })).toMatchObject({ ok: false, error: { code: 'PHONEBOOK_FULL' } });
    const more = book.import([{ name: 'X', numbers: ['1'] }]);
    expect(more).toMatchObject({ ok: false, error: { code: 'PHONEBOOK_FULL', message: 'phonebook: holds at most 500 entries; 500 kept + 1 imported would be 501' } });
    expect(book.size).toBe(500);
    expect(book.import([{ name: 'X', numbers: ['1'] }], 'replace')).toEqual({ ok: true, value: { added: 1, total: 1 } });
  });
});

describe('phonebook text: CSV and TSV', () => {
  const csv = [
    'name,number1,number2,number3',
    'Alice,1001,+49 30 5551234',
    '"Smith, Bob",1002',
    '',
    '"Say ""hi""",1003,,',
    'Carol,abc',
    'Dave',
    '"Open,1004',
    'Eve,1,2,3,4',
  ].join('\r\n');

  it('parses good lines and reports each bad one with its line number', () => {
    const parsed = parsePhonebookText(csv);
    expect(parsed.format).toBe('csv');
    expect(parsed.entries).toEqual([
      { line: 2, entry: { name: 'Alice', numbers: ['1001', '+49305551234'] } },
      { line: 3, entry: { name: 'Smith, Bob', numbers: ['1002'] } },
      { line: 5, entry: { name: 'Say "hi"', numbers: ['1003'] } },
    ]);
    expect(parsed.diagnostics).toEqual([
      "line 6: number 'abc' has characters other than 0-9 * # +",
      "line 7: entry 'Dave' has no number",
      'line 8: a quoted field is not closed',
      "line 9: entry 'Eve' has 4 numbers; at most 3",
    ]);
  });

  it('reads TSV (detected by a tab) and a file without a header', () => {
    const tsv = 'Alice\t1001\t1002\nBob, Jr.\t*99#\n';
    expect(detectFormat(tsv)).toBe('tsv');
    const parsed = parsePhonebookText(tsv);
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.entries.map((e) => e.entry)).toEqual([
      { name: 'Alice', numbers: ['1001', '1002'] },
      { name: 'Bob, Jr.', numbers: ['*99#'] },
    ]);
  });

  it('export and import give the same entries back, in both formats', () => {
    const entries = [
      { name: 'Smith, Bob', numbers: ['1002'] },
      { name: 'Say "hi"', numbers: ['+4930555', '*21#', '0'] },
      { name: 'Zoë', numbers: ['7'] },
    ];
    const text = formatPhonebookText(entries, 'csv');
    expect(text.split('\r\n')[0]).toBe('name,number1,number2,number3');
    expect(text).toContain('"Smith, Bob",1002\r\n');
    expect(text).toContain('"Say ""hi""",+4930555,*21#,0\r\n');
    expect(parsePhonebookText(text).entries.map((e) => e.entry)).toEqual(entries);
    const tsv = formatPhonebookText(entries, 'tsv');
    expect(tsv.split('\n')[1]).toBe('Smith, Bob\t1002');
    expect(parsePhonebookText(tsv, 'tsv').entries.map((e) => e.entry)).toEqual(entries);
  });
});
