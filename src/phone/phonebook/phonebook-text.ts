// Phonebook import/export as text: CSV (RFC 4180: fields with a comma or a quote are quoted, a
// quote doubled) or TSV (tab-separated, no quoting: names and numbers never hold a tab).
// One entry per line: name, then 1 to 3 numbers (phonebook-entry.ts). An optional header line
// starts with the field "name". Blank lines are skipped. A bad line gives a diagnostic with its
// line number ("line 7: number 'abc' has characters other than 0-9 * # +"). Pure.
import { failure, ok, type Result } from '../../core/result.js';
import { checkEntry, PHONEBOOK_LIMITS, type NewPhonebookEntry, type PhonebookLimits } from './phonebook-entry.js';

export type PhonebookTextFormat = 'csv' | 'tsv';

export interface ParsedPhonebook {
  readonly format: PhonebookTextFormat;
  /** The good lines, in file order. */
  readonly entries: ReadonlyArray<{ readonly line: number; readonly entry: NewPhonebookEntry }>;
  /** One message per bad line, `line N: ...`. */
  readonly diagnostics: readonly string[];
}

/** The format of `text`: TSV when its first non-blank line has a tab, else CSV. */
export function detectFormat(text: string): PhonebookTextFormat {
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  return first.includes('\t') ? 'tsv' : 'csv';
}

/** Splits one CSV line (RFC 4180 §2 quoting; a record spans one line here). */
function splitCsv(line: string): Result<string[]> {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (line[i] === '"') {
      i++;
      for (;;) {
        if (i >= line.length) return failure('PHONEBOOK_BAD_LINE', 'a quoted field is not closed');
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += line[i++];
      }
      if (i < line.length && line[i] !== ',') return failure('PHONEBOOK_BAD_LINE', `unexpected text after a closing quote at column ${i + 1}`);
    } else {
      const end = line.indexOf(',', i);
      field = line.slice(i, end < 0 ? line.length : end);
      i = end < 0 ? line.length : end;
      if (field.includes('"')) return failure('PHONEBOOK_BAD_LINE', 'a quote inside an unquoted field (quote the whole field and double the quote)');
    }
    fields.push(field);
    if (i >= line.length) return ok(fields);
    i++; // the comma
  }
}

function splitLine(line: string, format: PhonebookTextFormat): Result<string[]> {
  return format === 'tsv' ? ok(line.split('\t')) : splitCsv(line);
}

export function parsePhonebookText(text: string, format: PhonebookTextFormat = detectFormat(text), limits: PhonebookLimits = PHONEBOOK_LIMITS): ParsedPhonebook {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const entries: Array<{ line: number; entry: NewPhonebookEntry }> = [];
  const diagnostics: string[] = [];
  let sawRecord = false;
  lines.forEach((raw, index) => {
    const n = index + 1;
    if (raw.trim() === '') return;
    const split = splitLine(raw, format);
    if (!split.ok) return void diagnostics.push(`line ${n}: ${split.error.message}`);
    const fields = split.value.map((f) => f.trim());
    const header = !sawRecord && fields[0]?.toLowerCase() === 'name';
    sawRecord = true;
    if (header) return;
    // Empty columns (a spreadsheet's export of a short row) are not numbers.
    const entry = checkEntry({ name: fields[0], numbers: fields.slice(1).filter((f) => f !== '') }, limits);
    if (!entry.ok) return void diagnostics.push(`line ${n}: ${entry.error.message}`);
    entries.push({ line: n, entry: entry.value });
  });
  return { format, entries, diagnostics };
}

function csvField(text: string): string {
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The phonebook as text: a header, then one line per entry; each line ends with CRLF in CSV (RFC 4180 §2), LF in TSV. */
export function formatPhonebookText(entries: readonly NewPhonebookEntry[], format: PhonebookTextFormat, limits: PhonebookLimits = PHONEBOOK_LIMITS): string {
  const columns = ['name', ...Array.from({ length: limits.maxNumbers }, (_, i) => `number${i + 1}`)];
  const rows = [columns, ...entries.map((e) => [e.name, ...e.numbers])];
  if (format === 'tsv') return rows.map((r) => `${r.join('\t')}\n`).join('');
  return rows.map((r) => `${r.map(csvField).join(',')}\r\n`).join('');
}
