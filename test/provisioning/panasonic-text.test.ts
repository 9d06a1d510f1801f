// KX-UT670 5.2.1 plain-text file rules, one test (or more) per rule, plus round trips and
// random input that must never throw.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_FILE_BYTES,
  PANASONIC_HEADER,
  PANASONIC_HEADER_LINE,
  canSerialize,
  parsePanasonicText,
  serializePanasonicText,
  type ParsedConfig,
} from '../../src/provisioning/formats/panasonic-text.js';

const HEADER = `${PANASONIC_HEADER_LINE}\r\n`;

/** A file with the recommended header and CR LF line ends. */
function file(...lines: string[]): string {
  return HEADER + lines.map((l) => `${l}\r\n`).join('');
}

function codes(p: ParsedConfig): Array<[number, string]> {
  return p.diagnostics.map((d) => [d.line, d.code]);
}

describe('parsePanasonicText: well-formed files', () => {
  it('reads NAME="value" lines with their line numbers, skipping comments and empty lines', () => {
    const p = parsePanasonicText(file('', '# a comment', 'SIP_RGSTR_ADDR_1="registrar.example.com"', 'SIP_RGSTR_PORT_1="5060"', ''));
    expect(p.diagnostics).toEqual([]);
    expect(p.rejected).toBe(false);
    expect(p.entries).toEqual([
      { name: 'SIP_RGSTR_ADDR_1', value: 'registrar.example.com', line: 4 },
      { name: 'SIP_RGSTR_PORT_1', value: '5060', line: 5 },
    ]);
    expect(p.lineCount).toBe(6);
  });

  it('accepts the bare 44-byte designated sequence and the recommended suffix', () => {
    expect(Buffer.byteLength(PANASONIC_HEADER)).toBe(44);
    // The manual's hexadecimal notation of the sequence.
    const hex = '23 20 50 61 6E 61 73 6F 6E 69 63 20 53 49 50 20 50 68 6F 6E 65 20 53 74 61 6E 64 61 72 64 20 46 6F 72 6D 61 74 20 46 69 6C 65 20 23';
    expect(Buffer.from(PANASONIC_HEADER).toString('hex')).toBe(hex.replace(/ /g, '').toLowerCase());
    for (const header of [PANASONIC_HEADER, PANASONIC_HEADER_LINE]) {
      const p = parsePanasonicText(`${header}\r\nA="1"\r\n`);
      expect(p.diagnostics).toEqual([]);
      expect(p.rejected).toBe(false);
    }
  });

  it('accepts an empty value (5.2.1 SYSLOG_ADDR="")', () => {
    const p = parsePanasonicText(file('SYSLOG_ADDR=""'));
    expect(p.diagnostics).toEqual([]);
    expect(p.entries).toEqual([{ name: 'SYSLOG_ADDR', value: '', line: 2 }]);
  });

  it('keeps spaces inside the value (5.2.1 DISPLAY_NAME_1="John Smith" is valid)', () => {
    const p = parsePanasonicText(file('DISPLAY_NAME_1="John Smith"'));
    expect(p.diagnostics).toEqual([]);
    expect(p.entries[0]!.value).toBe('John Smith');
  });

  it('reads UTF-8 values from bytes (5.2.1 UTF-8, 5.2.3 Unicode)', () => {
    const p = parsePanasonicText(Buffer.from(file('DISPLAY_NAME_1="Jürgen Müller 田中"'), 'utf8'));
    expect(p.diagnostics).toEqual([]);
    expect(p.entries[0]!.value).toBe('Jürgen Müller 田中');
  });

  it('the same parameter twice: the first value applies, later lines get a warning', () => {
    const p = parsePanasonicText(file('SIP_RGSTR_PORT_1="5060"', 'OTHER="x"', 'SIP_RGSTR_PORT_1="5070"'));
    expect(p.entries).toEqual([
      { name: 'SIP_RGSTR_PORT_1', value: '5060', line: 2 },
      { name: 'OTHER', value: 'x', line: 3 },
    ]);
    expect(p.diagnostics).toEqual([
      { line: 4, name: 'SIP_RGSTR_PORT_1', code: 'CFG_DUPLICATE', severity: 'warning', message: 'already set on line 2; the first value applies (5.2.1), this line is ignored' },
    ]);
  });

  it('a duplicate after a malformed first line: the first well-formed line applies', () => {
    const p = parsePanasonicText(file('A = "1"', 'A="2"'));
    expect(p.entries).toEqual([{ name: 'A', value: '2', line: 3 }]);
    expect(codes(p)).toEqual([[2, 'CFG_SPACE_IN_LINE']]);
  });
});

describe('parsePanasonicText: 5.2.1 line rules', () => {
  const name32 = 'N'.repeat(32);

  it('a line of exactly 537 bytes including CR LF is read', () => {
    const line = `${name32}="${'v'.repeat(500)}"`;
    expect(Buffer.byteLength(`${line}\r\n`)).toBe(537);
    const p = parsePanasonicText(file(line));
    expect(p.diagnostics).toEqual([]);
    expect(p.entries).toEqual([{ name: name32, value: 'v'.repeat(500), line: 2 }]);
  });

  it('a line of 538 bytes including CR LF is ignored, and the diagnostic names the line', () => {
    const line = `${name32}="${'v'.repeat(501)}"`;
    expect(Buffer.byteLength(`${line}\r\n`)).toBe(538);
    const p = parsePanasonicText(file('A="1"', line, 'B="2"'));
    expect(p.entries.map((e) => e.name)).toEqual(['A', 'B']);
    expect(p.diagnostics).toEqual([
      {
        line: 3,
        name: name32,
        code: 'CFG_LINE_TOO_LONG',
        severity: 'error',
        message: 'line is 538 bytes including CR LF; the unit ignores lines over 537 bytes (5.2.1)',
      },
    ]);
    expect(p.rejected).toBe(false);
  });

  it('counts bytes, not characters, for the line limit', () => {
    const line = `DISPLAY_NAME_1="${'ü'.repeat(260)}"`; // 16 + 520 + 1 bytes = 537 + CR LF
    const p = parsePanasonicText(file(line));
    expect(codes(p)).toEqual([[2, 'CFG_LINE_TOO_LONG']]);
  });

  it('an over-long comment line is only a warning', () => {
    const p = parsePanasonicText(file(`#${'#'.repeat(600)}`));
    expect(p.diagnostics.map((d) => [d.line, d.code, d.severity])).toEqual([[2, 'CFG_LINE_TOO_LONG', 'warning']]);
  });

  it('a name of 32 characters is read, 33 is not', () => {
    const ok = parsePanasonicText(file(`${name32}="1"`));
    expect(ok.diagnostics).toEqual([]);
    const bad = parsePanasonicText(file(`${name32}Z="1"`, 'B="2"'));
    expect(bad.entries.map((e) => e.name)).toEqual(['B']);
    expect(bad.diagnostics).toEqual([
      { line: 2, name: `${name32}Z`, code: 'CFG_NAME_TOO_LONG', severity: 'error', message: 'parameter name is 33 characters; at most 32 are allowed (5.2.1): the line is ignored' },
    ]);
  });

  it('a value of 500 characters is read, 501 is not', () => {
    expect(parsePanasonicText(file(`A="${'x'.repeat(500)}"`)).diagnostics).toEqual([]);
    const p = parsePanasonicText(file(`A="${'x'.repeat(501)}"`));
    expect(p.entries).toEqual([]);
    expect(p.diagnostics).toEqual([
      { line: 2, name: 'A', code: 'CFG_VALUE_TOO_LONG', severity: 'error', message: 'value is 501 characters; at most 500 are allowed (5.2.1): the line is ignored' },
    ]);
  });

  it('the value limit counts characters, not bytes', () => {
    const p = parsePanasonicText(file(`A="${'ü'.repeat(260)}"`));
    expect(p.diagnostics).toEqual([]);
    expect([...p.entries[0]!.value]).toHaveLength(260);
  });

  it.each([
    ['DISPLAY_NAME_1 = "John Smith"'],
    ['DISPLAY_NAME_1 ="John Smith"'],
    ['DISPLAY_NAME_1= "John Smith"'],
    ['DISPLAY_NAME_1\t="John Smith"'],
  ])('spaces around "=" make the line invalid: %j', (line) => {
    const p = parsePanasonicText(file(line));
    expect(p.entries).toEqual([]);
    expect(p.diagnostics).toEqual([
      { line: 2, name: 'DISPLAY_NAME_1', code: 'CFG_SPACE_IN_LINE', severity: 'error', message: 'space characters around "=" are not allowed (5.2.1): the line is ignored' },
    ]);
    expect(p.rejected).toBe(false);
  });

  it('a parameter line indented with spaces is invalid', () => {
    const p = parsePanasonicText(file('  A="1"'));
    expect(p.diagnostics.map((d) => [d.line, d.name, d.code, d.severity])).toEqual([[2, 'A', 'CFG_SPACE_IN_LINE', 'error']]);
  });

  it('a space inside the name is invalid', () => {
    const p = parsePanasonicText(file('SIP PASS_1="x"'));
    expect(p.diagnostics.map((d) => [d.line, d.code])).toEqual([[2, 'CFG_SPACE_IN_LINE']]);
  });

  it.each([['A=1'], ['A=1"'], ["A='1'"], ['A=']])('a value without double quotes is invalid: %j', (line) => {
    const p = parsePanasonicText(file(line));
    expect(p.entries).toEqual([]);
    expect(p.diagnostics).toEqual([
      { line: 2, name: 'A', code: 'CFG_MISSING_QUOTES', severity: 'error', message: 'the value must be enclosed in double quotes, NAME="value" (5.2.1): the line is ignored' },
    ]);
  });

  it('an unterminated quote is a value spanning lines: the whole file is rejected, later lines still checked', () => {
    const p = parsePanasonicText(file('A="1"', 'B="multi', 'line"', 'C = "3"'));
    expect(p.rejected).toBe(true);
    expect(p.diagnostics.map((d) => [d.line, d.name, d.code, d.severity])).toEqual([
      [3, 'B', 'CFG_MULTILINE_VALUE', 'error'],
      [4, 'line', 'CFG_MALFORMED', 'error'],
      [5, 'C', 'CFG_SPACE_IN_LINE', 'error'],
    ]);
    expect(p.diagnostics[0]!.message).toContain('rejects the whole file');
  });

  it.each([
    ['A="1" # comment', 'a comment after the value is not allowed; comments must be on their own line starting with "#" (5.3.2 ❷): the line is ignored'],
    ['A="1"# comment "quoted"', 'a comment after the value is not allowed; comments must be on their own line starting with "#" (5.3.2 ❷): the line is ignored'],
    ['A="1" ', 'space characters after the closing double quote are not allowed (5.2.1): the line is ignored'],
    ['A="1"x', 'text after the closing double quote is not allowed (5.2.1): the line is ignored'],
  ])('text after the closing quote is invalid: %j', (line, message) => {
    const p = parsePanasonicText(file(line));
    expect(p.entries).toEqual([]);
    expect(p.diagnostics).toEqual([{ line: 2, name: 'A', code: 'CFG_TEXT_AFTER_VALUE', severity: 'error', message }]);
  });

  it('a value that contains a double quote runs to the last quote, with a warning', () => {
    const p = parsePanasonicText(file('A="say "hi""'));
    expect(p.entries).toEqual([{ name: 'A', value: 'say "hi"', line: 2 }]);
    expect(p.diagnostics.map((d) => [d.line, d.code, d.severity])).toEqual([[2, 'CFG_QUOTE_IN_VALUE', 'warning']]);
  });

  it.each([['no equals sign'], ['="1"'], ['A-B="1"']])('other malformed lines are ignored with an error: %j', (line) => {
    const p = parsePanasonicText(file(line, 'OK="1"'));
    expect(p.entries).toEqual([{ name: 'OK', value: '1', line: 3 }]);
    expect(p.diagnostics).toHaveLength(1);
    expect(p.diagnostics[0]!.line).toBe(2);
    expect(p.diagnostics[0]!.severity).toBe('error');
    expect(['CFG_MALFORMED', 'CFG_BAD_NAME']).toContain(p.diagnostics[0]!.code);
  });

  it('an indented comment (5.3.2 ❷) is ignored with a warning', () => {
    const p = parsePanasonicText(file('A="1"', '        # URL of this configuration file'));
    expect(p.entries).toHaveLength(1);
    expect(p.diagnostics.map((d) => [d.line, d.code, d.severity])).toEqual([[3, 'CFG_INDENTED_COMMENT', 'warning']]);
  });

  it('a line of spaces only is ignored with a warning', () => {
    const p = parsePanasonicText(file('   '));
    expect(p.diagnostics.map((d) => [d.line, d.code, d.severity])).toEqual([[2, 'CFG_BLANK_WITH_SPACES', 'warning']]);
  });
});

describe('parsePanasonicText: 5.2.1 file rules', () => {
  it('a missing header rejects the file, on line 1, and every per-line fault is still reported', () => {
    const p = parsePanasonicText('A="1"\r\nB = "2"\r\nC="3"\r\n');
    expect(p.rejected).toBe(true);
    expect(codes(p)).toEqual([
      [1, 'CFG_BAD_HEADER'],
      [2, 'CFG_SPACE_IN_LINE'],
    ]);
    expect(p.diagnostics[0]!.message).toBe(
      `the file must start with "${PANASONIC_HEADER}" (5.2.1); the first line is different: the unit rejects the whole file`,
    );
    expect(p.entries.map((e) => e.name)).toEqual(['A', 'C']);
  });

  it('a header with a changed character is rejected', () => {
    const p = parsePanasonicText(`${PANASONIC_HEADER.replace('SIP', 'Sip')}\r\nA="1"\r\n`);
    expect(p.rejected).toBe(true);
    expect(codes(p)).toEqual([[1, 'CFG_BAD_HEADER']]);
  });

  it('a UTF-8 byte order mark before the header is named in the message', () => {
    const p = parsePanasonicText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(file('A="1"'))]));
    expect(p.rejected).toBe(true);
    expect(p.diagnostics[0]!.code).toBe('CFG_BAD_HEADER');
    expect(p.diagnostics[0]!.message).toContain('byte order mark');
  });

  it('an empty file is rejected', () => {
    const p = parsePanasonicText('');
    expect(p.rejected).toBe(true);
    expect(p.lineCount).toBe(1);
    expect(p.diagnostics.map((d) => [d.line, d.code])).toEqual([[1, 'CFG_BAD_HEADER']]);
  });

  it(`a file of ${MAX_FILE_BYTES} bytes (120 KB) is read; one byte more rejects it with one diagnostic`, () => {
    const base = file('A="1"');
    const filler = `#${'x'.repeat(400)}\r\n`;
    let body = base;
    while (Buffer.byteLength(body) + filler.length <= MAX_FILE_BYTES) body += filler;
    const pad = MAX_FILE_BYTES - Buffer.byteLength(body);
    body += pad >= 3 ? `#${'y'.repeat(pad - 3)}\r\n` : '\r\n'.repeat(pad / 2);
    expect(Buffer.byteLength(body)).toBe(MAX_FILE_BYTES);
    const atLimit = parsePanasonicText(body);
    expect(atLimit.rejected).toBe(false);
    expect(atLimit.diagnostics).toEqual([]);
    expect(atLimit.entries).toHaveLength(1);

    const over = parsePanasonicText(`${body}\n`);
    expect(over.rejected).toBe(true);
    expect(over.entries).toEqual([]);
    expect(over.diagnostics).toEqual([
      {
        line: 1,
        code: 'CFG_FILE_TOO_LARGE',
        severity: 'error',
        message: `the file is ${MAX_FILE_BYTES + 1} bytes; at most ${MAX_FILE_BYTES} bytes (120 KB) are allowed (5.2.1): the unit rejects the whole file`,
      },
    ]);
  });

  it('LF-only line ends are read, with one warning per file', () => {
    const p = parsePanasonicText(`${PANASONIC_HEADER_LINE}\nA="1"\nB="2"\n`);
    expect(p.entries.map((e) => [e.name, e.line])).toEqual([
      ['A', 2],
      ['B', 3],
    ]);
    expect(p.diagnostics.map((d) => [d.line, d.code, d.severity])).toEqual([[1, 'CFG_BARE_LF', 'warning']]);
  });

  it('a CR without LF does not end a line: the line is ignored', () => {
    const p = parsePanasonicText(file('A="1"\rB="2"', 'C="3"'));
    expect(p.entries.map((e) => e.name)).toEqual(['C']);
    expect(p.diagnostics.map((d) => [d.line, d.code, d.severity])).toEqual([[2, 'CFG_BARE_CR', 'error']]);
  });

  it('a file with CR-only line ends (old Mac) is one comment line: an error, nothing applies', () => {
    const p = parsePanasonicText(`${PANASONIC_HEADER_LINE}\rA="1"\rB="2"\r`);
    expect(p.entries).toEqual([]);
    expect(p.diagnostics.map((d) => [d.line, d.code, d.severity])).toEqual([
      [1, 'CFG_NO_FINAL_NEWLINE', 'warning'],
      [1, 'CFG_BARE_CR', 'error'],
    ]);
  });

  it('a CR inside a comment line is only a warning, once per file', () => {
    const p = parsePanasonicText(file('# a\rb', '# c\rd', 'A="1"'));
    expect(p.entries).toHaveLength(1);
    expect(p.diagnostics.map((d) => [d.line, d.code, d.severity])).toEqual([[2, 'CFG_BARE_CR', 'warning']]);
  });

  it('a file without the final empty line: warning, the last line is still read (garbled place 7)', () => {
    const p = parsePanasonicText(`${HEADER}A="1"\r\nB="2"`);
    expect(p.entries.map((e) => e.name)).toEqual(['A', 'B']);
    expect(p.diagnostics.map((d) => [d.line, d.code, d.severity])).toEqual([[3, 'CFG_NO_FINAL_NEWLINE', 'warning']]);
    // CR LF after the last line, or an extra empty line: both fine.
    expect(parsePanasonicText(`${HEADER}A="1"\r\n`).diagnostics).toEqual([]);
    expect(parsePanasonicText(`${HEADER}A="1"\r\n\r\n`).diagnostics).toEqual([]);
  });

  it('invalid UTF-8 bytes give a diagnostic for that line, not a crash', () => {
    const bad = Buffer.concat([Buffer.from(`${HEADER}A="`), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"\r\nB="2"\r\n# \xff\r\n', 'latin1')]);
    const p = parsePanasonicText(bad);
    expect(p.entries).toEqual([{ name: 'B', value: '2', line: 3 }]);
    expect(p.diagnostics.map((d) => [d.line, d.name, d.code, d.severity])).toEqual([
      [2, 'A', 'CFG_BAD_UTF8', 'error'],
      [4, undefined, 'CFG_BAD_UTF8', 'warning'],
    ]);
  });
});

describe('serializePanasonicText', () => {
  it('writes the recommended header, CR LF line ends and a final empty line', () => {
    expect(serializePanasonicText([{ name: 'A', value: '1' }, { name: 'SYSLOG_ADDR', value: '' }])).toBe(
      `${PANASONIC_HEADER_LINE}\r\nA="1"\r\nSYSLOG_ADDR=""\r\n\r\n`,
    );
  });

  it('throws on entries no file can carry', () => {
    expect(() => serializePanasonicText([{ name: 'A B', value: '1' }])).toThrow();
    expect(() => serializePanasonicText([{ name: 'A', value: 'two\r\nlines' }])).toThrow();
    expect(() => serializePanasonicText([{ name: 'A', value: 'x'.repeat(501) }])).toThrow();
    expect(() => serializePanasonicText([{ name: 'A', value: 'x" # y' }])).toThrow();
  });

  it('round trip: parse(serialize(x)) gives x back, clean', () => {
    const entry = fc.record({
      name: fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_'), minLength: 1, maxLength: 32 }),
      value: fc.string({ unit: 'binary', maxLength: 120 }),
    });
    const entries = fc
      .uniqueArray(entry, { selector: (e) => e.name, maxLength: 30 })
      .map((es) => es.filter((e) => canSerialize(e.name, e.value)));
    fc.assert(
      fc.property(entries, (es) => {
        const p = parsePanasonicText(serializePanasonicText(es));
        const faults = p.diagnostics.filter((d) => d.code !== 'CFG_QUOTE_IN_VALUE');
        const same = p.entries.length === es.length && p.entries.every((e, i) => e.name === es[i]!.name && e.value === es[i]!.value && e.line === i + 2);
        if (p.rejected || faults.length > 0 || !same) expect({ rejected: p.rejected, faults, entries: p.entries }).toEqual({ rejected: false, faults: [], entries: es });
      }),
      { numRuns: 150 },
    );
  });
});

describe('parsePanasonicText never throws', () => {
  const check = (p: ParsedConfig): void => {
    expect(p.lineCount).toBeGreaterThanOrEqual(1);
    for (const d of p.diagnostics) {
      expect(Number.isInteger(d.line)).toBe(true);
      expect(d.line).toBeGreaterThanOrEqual(1);
      expect(d.line).toBeLessThanOrEqual(p.lineCount);
      expect(d.message.length).toBeGreaterThan(0);
    }
    for (const e of p.entries) expect(e.line).toBeLessThanOrEqual(p.lineCount);
  };

  it('on random strings (lines made of config-like pieces)', () => {
    const piece = fc.constantFrom('A', '=', '"', '#', ' ', '\t', '\r', '\n', '\r\n', 'x', 'ü', PANASONIC_HEADER, 'SIP_PASS_1', '\uFEFF', '\0');
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 400 }), fc.array(piece, { maxLength: 200 }).map((a) => a.join('')));
    fc.assert(
      fc.property(fc.boolean(), text, (withHeader, body) => check(parsePanasonicText(withHeader ? HEADER + body : body))),
      { numRuns: 1000 },
    );
  });

  it('on random bytes', () => {
    const bytes = fc.uint8Array({ maxLength: 2000 }).map((a) => Buffer.from(a));
    fc.assert(
      fc.property(fc.boolean(), bytes, (withHeader, body) => check(parsePanasonicText(withHeader ? Buffer.concat([Buffer.from(HEADER), body]) : body))),
      { numRuns: 1000 },
    );
  });

  it('on long random lines around the limits', () => {
    const line = fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 600 })).map(([n, v]) => `${'N'.repeat(n)}="${'v'.repeat(v)}"`);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 5 }), (ls) => check(parsePanasonicText(file(...ls)))),
      { numRuns: 300 },
    );
  });
});
