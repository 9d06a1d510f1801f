// KX-UT670 plain-text configuration files (5.2.1 "Configuration File Specifications for Plain Text
// Provisioning"): a pure parser that never throws and reports every fault with its line number,
// and a serializer that writes files the parser (and a real unit) reads back unchanged.
//
// Decisions where the manual is silent or ambiguous:
// - Line ends (5.2.1 "Each line must end with <CR><LF>"): a bare LF is also read as a line end,
//   with one warning per file. Text editors on Unix write LF, and an embedded line reader that
//   searches for LF and strips a trailing CR is the common implementation; refusing LF would make
//   the emulator stricter than the device most plausibly is. A CR that is not followed by LF is
//   NOT a line end (old Mac files): the line that contains it is reported and ignored; a comment
//   line that hides parameter lines behind bare CRs (a whole CR-only file) is an error.
// - 537-byte limit: counted as if the line ended with CR LF, i.e. at most 535 bytes of content,
//   whatever terminator the line really has.
// - "Configuration files must end with an empty line" (catalog README garbled place 7): read as
//   "the last line is terminated by CR LF". A file whose last line has no terminator gets a warning
//   and that line is still read; an extra empty line at the end is fine. The serializer writes
//   both (CR LF after the last parameter, then one empty line), which satisfies either reading.
// - The designated 44-byte sequence must be the first 44 bytes of the file; anything may follow on
//   that line (the recommended "DO NOT CHANGE THIS LINE!" suffix). A UTF-8 byte order mark in
//   front of it fails the byte comparison a unit makes, so it is reported as a bad header (with a
//   message that names the BOM). Missing header, a file over 120 KB and a value spanning lines
//   (an unterminated quote) make the unit reject the whole file: `rejected` is set, and the
//   per-line faults are still all reported so one check shows everything.
// - Malformed parameter lines (spaces around "=", missing quotes, text after the closing quote,
//   name over 32 or value over 500 characters, invalid UTF-8) are ignored one by one; the rest
//   of the file applies (issue "Bad input").
// - An indented "#" line (5.3.2 ❷ "comment lines start in the middle of the lines") is not a
//   comment line for a unit; it is not a parameter line either, so the unit ignores it. Nothing is
//   lost, so it is a warning, not an error. A "# ..." after a value on a parameter line makes the
//   whole line malformed: an error, the parameter is not applied.
// - A value runs from the opening quote to the last double quote on the line, so values that
//   contain `"` survive (5.2.3 lists `"` among the characters; only some ranges exclude it), with
//   a warning. Exception: when a `"` is followed by spaces and "#", that is a trailing comment.
// - "KB" is 1024 bytes: 120 KB = 122,880 bytes. The 120 KB total over all files of one resync is
//   the provisioning engine's to check (MAX_FILE_BYTES is exported for it).
// - Duplicates (5.2.1 "the value specified first is applied"): the first well-formed line wins;
//   later ones are ignored with a warning, even if the first one's value later fails validation.
import { isUtf8 } from 'node:buffer';

/** KX-UT670 5.2.1: the 44-byte designated character sequence a file must start with. */
export const PANASONIC_HEADER = '# Panasonic SIP Phone Standard Format File #';
/** KX-UT670 5.2.1: the recommended first line. */
export const PANASONIC_HEADER_LINE = `${PANASONIC_HEADER} DO NOT CHANGE THIS LINE!`;
/** KX-UT670 5.2.1: 120 KB per file (and for all files together). */
export const MAX_FILE_BYTES = 120 * 1024;
/** KX-UT670 5.2.1: a line is at most 537 bytes including CR LF. */
export const MAX_LINE_BYTES = 537;
/** KX-UT670 5.2.1: parameter names are at most 32 characters. */
export const MAX_NAME_CHARS = 32;
/** KX-UT670 5.2.1: values are at most 500 characters excluding the quotes. */
export const MAX_VALUE_CHARS = 500;

const HEADER_BYTES = Buffer.from(PANASONIC_HEADER, 'latin1');
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const LF = 0x0a;
const CR = 0x0d;
const HASH = 0x23;
const NAME_CHARS = /^[A-Za-z0-9_]+$/;
const SPACE = /[ \t]/;

export type Severity = 'error' | 'warning';

export interface ConfigDiagnostic {
  /** 1-based line number; file-level faults sit on line 1. */
  readonly line: number;
  /** The parameter concerned, when one can be named. */
  readonly name?: string;
  /** Stable code, e.g. `CFG_BAD_HEADER`, `SETTING_BAD_VALUE`. */
  readonly code: string;
  /** What is wrong and what the unit does about it; does not repeat the line or the name. */
  readonly message: string;
  readonly severity: Severity;
}

export interface ConfigEntry {
  readonly name: string;
  readonly value: string;
  readonly line: number;
}

export interface ParsedConfig {
  /** Well-formed parameter lines, first occurrence of each name only, in file order. */
  readonly entries: ConfigEntry[];
  /** In line order. */
  readonly diagnostics: ConfigDiagnostic[];
  /** A real unit would reject the whole file: none of its parameters apply. */
  readonly rejected: boolean;
  /** Number of lines (at least 1); every diagnostic's line lies in 1..lineCount. */
  readonly lineCount: number;
}

interface RawLine {
  readonly number: number;
  readonly bytes: Buffer;
  readonly terminator: 'crlf' | 'lf' | 'none';
}

function splitLines(buf: Buffer): RawLine[] {
  const lines: RawLine[] = [];
  let start = 0;
  while (start < buf.length) {
    const lf = buf.indexOf(LF, start);
    if (lf < 0) {
      lines.push({ number: lines.length + 1, bytes: buf.subarray(start), terminator: 'none' });
      break;
    }
    const crlf = lf > start && buf[lf - 1] === CR;
    lines.push({ number: lines.length + 1, bytes: buf.subarray(start, crlf ? lf - 1 : lf), terminator: crlf ? 'crlf' : 'lf' });
    start = lf + 1;
  }
  return lines;
}

function countLines(buf: Buffer): number {
  let n = 0;
  for (let i = buf.indexOf(LF); i >= 0; i = buf.indexOf(LF, i + 1)) n++;
  if (buf.length > 0 && buf[buf.length - 1] !== LF) n++;
  return Math.max(1, n);
}

/** A parameter name for diagnostics, when the start of the line looks like one. */
function guessName(text: string): string | undefined {
  const m = /^[ \t]*([A-Za-z0-9_]+)/.exec(text);
  return m ? m[1] : undefined;
}

function charLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Parses a KX-UT670 plain-text configuration file. Never throws. */
export function parsePanasonicText(input: string | Buffer): ParsedConfig {
  const buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const diagnostics: ConfigDiagnostic[] = [];
  const entries: ConfigEntry[] = [];
  const add = (line: number, code: string, severity: Severity, message: string, name?: string): void => {
    diagnostics.push(name === undefined ? { line, code, severity, message } : { line, name, code, severity, message });
  };

  // 5.2.1 File Size: the unit refuses a file over 120 KB; nothing of it is read.
  if (buf.length > MAX_FILE_BYTES) {
    add(1, 'CFG_FILE_TOO_LARGE', 'error', `the file is ${buf.length} bytes; at most ${MAX_FILE_BYTES} bytes (120 KB) are allowed (5.2.1): the unit rejects the whole file`);
    return { entries, diagnostics, rejected: true, lineCount: countLines(buf) };
  }

  let rejected = false;
  // 5.2.1: the file must start with the designated 44-byte sequence.
  if (!buf.subarray(0, HEADER_BYTES.length).equals(HEADER_BYTES)) {
    rejected = true;
    const bom = buf.subarray(0, 3).equals(BOM);
    const tail = bom && buf.subarray(3, 3 + HEADER_BYTES.length).equals(HEADER_BYTES)
      ? 'the file starts with a UTF-8 byte order mark (EF BB BF) before it; save the file without a BOM'
      : buf.length === 0
        ? 'the file is empty'
        : 'the first line is different';
    add(1, 'CFG_BAD_HEADER', 'error', `the file must start with "${PANASONIC_HEADER}" (5.2.1); ${tail}: the unit rejects the whole file`);
  }

  const lines = splitLines(buf);
  const firstLine = new Map<string, number>();
  let warnedLf = false;
  let warnedCommentCr = false;

  for (const raw of lines) {
    const n = raw.number;
    const isComment = raw.bytes[0] === HASH;

    if (raw.terminator === 'lf' && !warnedLf) {
      warnedLf = true;
      add(n, 'CFG_BARE_LF', 'warning', 'line ends with LF only; lines must end with CR LF (5.2.1). LF-only lines are read anyway (reported once per file)');
    }
    if (raw.terminator === 'none') {
      add(n, 'CFG_NO_FINAL_NEWLINE', 'warning', 'the file must end with an empty line (5.2.1): the last line has no CR LF. It is read anyway');
    }

    // A CR not followed by LF does not end a line (old Mac line ends). Inside a comment it hides
    // whatever follows it: an error when that looks like a parameter line.
    if (isComment && raw.bytes.includes(CR)) {
      const hidden = raw.bytes.toString('latin1').split('\r').slice(1).find((part) => /^[A-Za-z0-9_]+=/.test(part));
      if (hidden !== undefined) {
        add(n, 'CFG_BARE_CR', 'error', 'line ends with CR only, not CR LF (5.2.1): the unit reads this and the following text as one comment line, so the parameters in it are ignored');
        continue;
      }
      if (!warnedCommentCr) {
        warnedCommentCr = true;
        add(n, 'CFG_BARE_CR', 'warning', 'comment line contains a CR not followed by LF; CR alone does not end a line (5.2.1)');
      }
    }

    // 5.2.1: lines over 537 bytes including CR LF are ignored.
    const lineBytes = raw.bytes.length + 2;
    if (lineBytes > MAX_LINE_BYTES) {
      const text = raw.bytes.subarray(0, 64).toString('latin1');
      add(
        n,
        'CFG_LINE_TOO_LONG',
        isComment ? 'warning' : 'error',
        `line is ${lineBytes} bytes including CR LF; the unit ignores lines over ${MAX_LINE_BYTES} bytes (5.2.1)`,
        isComment ? undefined : guessName(text),
      );
      continue;
    }

    if (!isUtf8(raw.bytes)) {
      const text = raw.bytes.toString('latin1');
      if (isComment) add(n, 'CFG_BAD_UTF8', 'warning', 'comment line is not valid UTF-8; the file must be UTF-8 (5.2.1)');
      else add(n, 'CFG_BAD_UTF8', 'error', 'line is not valid UTF-8 (5.2.1); the line is ignored', guessName(text));
      continue;
    }
    const text = raw.bytes.toString('utf8');

    if (text === '') continue; // 5.2.1: empty lines are ignored.
    if (isComment) continue; // 5.2.1: comment lines start with "#" and are ignored.
    const parsed = parseParameterLine(text);
    if ('code' in parsed) {
      add(n, parsed.code, parsed.severity, parsed.message, parsed.name);
      if (parsed.rejectsFile) rejected = true;
      continue;
    }
    if (parsed.warning) add(n, parsed.warning.code, 'warning', parsed.warning.message, parsed.name);
    const first = firstLine.get(parsed.name);
    if (first !== undefined) {
      add(n, 'CFG_DUPLICATE', 'warning', `already set on line ${first}; the first value applies (5.2.1), this line is ignored`, parsed.name);
      continue;
    }
    firstLine.set(parsed.name, n);
    entries.push({ name: parsed.name, value: parsed.value, line: n });
  }

  return { entries, diagnostics, rejected, lineCount: Math.max(1, lines.length) };
}

interface LineFault {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  readonly name?: string;
  readonly rejectsFile?: boolean;
}

interface LineParameter {
  readonly name: string;
  readonly value: string;
  readonly warning?: { code: string; message: string };
}

function fault(code: string, message: string, name?: string, severity: Severity = 'error'): LineFault {
  return name === undefined ? { code, severity, message } : { code, severity, message, name };
}

/** One non-empty line that does not start with "#": `NAME="value"` exactly (5.2.1). */
function parseParameterLine(text: string): LineFault | LineParameter {
  if (SPACE.test(text[0]!)) {
    const rest = text.replace(/^[ \t]+/, '');
    if (rest === '') return fault('CFG_BLANK_WITH_SPACES', 'line holds only space characters; it is ignored', undefined, 'warning');
    if (rest.startsWith('#')) {
      return fault('CFG_INDENTED_COMMENT', 'comment does not start at the beginning of the line (5.3.2 ❷); the unit does not read it as a comment but ignores the line', undefined, 'warning');
    }
    return fault('CFG_SPACE_IN_LINE', 'line starts with space characters; no spaces are allowed outside the value (5.2.1): the line is ignored', guessName(text));
  }
  if (text.includes('\r')) {
    return fault('CFG_BARE_CR', 'line contains a CR not followed by LF; CR alone does not end a line (5.2.1): the line is ignored', guessName(text));
  }
  const eq = text.indexOf('=');
  if (eq < 0) return fault('CFG_MALFORMED', 'not a parameter line: expected NAME="value" (5.2.1); the line is ignored', guessName(text));
  const rawName = text.slice(0, eq);
  const rest = text.slice(eq + 1);
  const name = rawName.replace(/[ \t]+$/, '');
  const named = NAME_CHARS.test(name) ? name : undefined;
  if (name !== rawName || SPACE.test(rest[0] ?? '')) {
    return fault('CFG_SPACE_IN_LINE', 'space characters around "=" are not allowed (5.2.1): the line is ignored', named);
  }
  if (name === '') return fault('CFG_BAD_NAME', 'the parameter name before "=" is missing; the line is ignored');
  if (SPACE.test(name)) return fault('CFG_SPACE_IN_LINE', 'space characters in the parameter name are not allowed (5.2.1): the line is ignored', guessName(name));
  if (!named) return fault('CFG_BAD_NAME', `parameter name "${name}" may contain only letters, digits and "_"; the line is ignored`);
  const nameLength = charLength(name);
  if (nameLength > MAX_NAME_CHARS) {
    return fault('CFG_NAME_TOO_LONG', `parameter name is ${nameLength} characters; at most ${MAX_NAME_CHARS} are allowed (5.2.1): the line is ignored`, name);
  }
  if (!rest.startsWith('"')) {
    return fault('CFG_MISSING_QUOTES', 'the value must be enclosed in double quotes, NAME="value" (5.2.1): the line is ignored', name);
  }
  const firstClose = rest.indexOf('"', 1);
  if (firstClose < 0) {
    return {
      ...fault('CFG_MULTILINE_VALUE', 'the value has no closing double quote on this line; a parameter may not span lines (5.2.1): the unit rejects the whole file', name),
      rejectsFile: true,
    };
  }
  // A `"` followed by optional spaces and "#" ends the value: what follows is a comment.
  const afterFirst = rest.slice(firstClose + 1);
  const close = /^[ \t]*#/.test(afterFirst) ? firstClose : rest.lastIndexOf('"');
  const after = rest.slice(close + 1);
  if (after !== '') {
    const what = /^[ \t]*#/.test(after)
      ? 'a comment after the value is not allowed; comments must be on their own line starting with "#" (5.3.2 ❷)'
      : /^[ \t]+$/.test(after)
        ? 'space characters after the closing double quote are not allowed (5.2.1)'
        : 'text after the closing double quote is not allowed (5.2.1)';
    return fault('CFG_TEXT_AFTER_VALUE', `${what}: the line is ignored`, name);
  }
  const value = rest.slice(1, close);
  const valueLength = charLength(value);
  if (valueLength > MAX_VALUE_CHARS) {
    return fault('CFG_VALUE_TOO_LONG', `value is ${valueLength} characters; at most ${MAX_VALUE_CHARS} are allowed (5.2.1): the line is ignored`, name);
  }
  if (value.includes('"')) {
    return { name, value, warning: { code: 'CFG_QUOTE_IN_VALUE', message: 'the value contains a double quote; check that the line does not hold more than one value' } };
  }
  return { name, value };
}

/** True when `name`/`value` can be written as one 5.2.1 parameter line. */
export function canSerialize(name: string, value: string): boolean {
  return (
    NAME_CHARS.test(name) &&
    name.length <= MAX_NAME_CHARS &&
    !/[\r\n]/.test(value) &&
    charLength(value) <= MAX_VALUE_CHARS &&
    Buffer.byteLength(`${name}="${value}"`, 'utf8') + 2 <= MAX_LINE_BYTES &&
    !/"[ \t]*#/.test(value)
  );
}

/**
 * Writes a 5.2.1 file: the recommended header line, one `NAME="value"` line per entry, CR LF line
 * ends, and a final empty line. Throws on an entry no file can carry (a bug in the caller: values
 * in a store are validated), see canSerialize().
 */
export function serializePanasonicText(entries: ReadonlyArray<{ readonly name: string; readonly value: string }>): string {
  const out = [PANASONIC_HEADER_LINE];
  for (const { name, value } of entries) {
    if (!canSerialize(name, value)) throw new Error(`panasonic-text: ${name} cannot be written as a 5.2.1 parameter line`);
    out.push(`${name}="${value}"`);
  }
  return `${out.join('\r\n')}\r\n\r\n`;
}
