// The configuration check (`vphone config check`, issue "Device runtime" item 9 and "Bad input"):
// the manual's own examples (KX-UT670 5.3.1, 5.3.2), catalogue validation with line numbers,
// cross checks, and applying the accepted values to a LayeredStore layer.
//
// Reconstructions in test/fixtures/kx-ut670/5.3.2-incorrect.cfg (catalog README garbled place 8):
// the manual's markers ❸ and ❹ sit on lines that show no fault in the text conversion. ❸ ("space
// characters are inserted in the middle of the setting line") sits on `SIP_PASS_1="SIP_Password"`;
// the fixture writes it as `SIP_PASS_1 = "SIP_Password"`. ❹ ("a specified value is not in the
// range allowed") sits on `VM_SUBSCRIBE_ENABLE="Y"`, a valid Boolean; the fixture writes it as
// `VM_SUBSCRIBE_ENABLE="Yes"`. The "—❶" … "—❹" markers of the listing are annotations, not file
// content, and are left out. Everything else is the listing as printed, with CR LF line ends.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkConfig, formatDiagnostic, hasErrors, summarizeCheck } from '../../src/provisioning/config-check.js';
import { MAX_FILE_BYTES, parsePanasonicText, serializePanasonicText, PANASONIC_HEADER_LINE } from '../../src/provisioning/formats/panasonic-text.js';
import { Catalogue } from '../../src/settings/catalogue.js';
import { LayeredStore } from '../../src/settings/layered-store.js';
import type { CatalogueSpec } from '../../src/settings/types.js';
import { kxUt670Catalogue } from '../../firmware-sim/models/kx-ut670/catalogue.js';
import { miniCatalogue } from './mini-catalogue.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, '..', 'fixtures', 'kx-ut670');
const fixture = (name: string): Buffer => readFileSync(join(fixtures, name));

function file(...lines: string[]): string {
  return `${PANASONIC_HEADER_LINE}\r\n${lines.map((l) => `${l}\r\n`).join('')}`;
}

/** The 5.3.2 expectations, for any catalogue that knows the listing's parameters. */
function expectIncorrectExample(catalogue: Catalogue): void {
  const raw = fixture('5.3.2-incorrect.cfg');
  expect(raw.toString('latin1').split('\r\n')).toHaveLength(46); // 45 lines, each with CR LF
  const result = checkConfig(parsePanasonicText(raw), catalogue);
  const errors = result.diagnostics.filter((d) => d.severity === 'error').map((d) => [d.line, d.name, d.code]);
  expect(errors).toEqual([
    [1, undefined, 'CFG_BAD_HEADER'], // ❶ improper first line
    [15, 'SIP_RGSTR_ADDR_1', 'CFG_TEXT_AFTER_VALUE'], // ❷ comment after the value
    [16, 'SIP_PRXY_ADDR_1', 'CFG_TEXT_AFTER_VALUE'], // ❷ the same fault, unmarked in the listing
    [23, 'SIP_PASS_1', 'CFG_SPACE_IN_LINE'], // ❸ spaces in the setting line (reconstructed)
    [39, 'VM_SUBSCRIBE_ENABLE', 'SETTING_BAD_VALUE'], // ❹ value out of range (reconstructed)
  ]);
  const warnings = result.diagnostics.filter((d) => d.severity === 'warning').map((d) => [d.line, d.code]);
  expect(warnings).toEqual([[8, 'CFG_INDENTED_COMMENT']]); // ❷ comment line starting mid-line
  expect(result.rejected).toBe(true);
  expect(result.accepted).toEqual([]);
  expect(hasErrors(result)).toBe(true);
}

describe('checkConfig: the manual examples', () => {
  it('5.3.2 Example with Incorrect Descriptions: the four faults at their lines, nothing else', () => {
    expectIncorrectExample(miniCatalogue());
  });

  it('5.3.2 with the first line fixed: the rest of the file applies, only the bad parameters are dropped', () => {
    const lines = fixture('5.3.2-incorrect.cfg').toString('utf8').split('\r\n');
    lines[0] = PANASONIC_HEADER_LINE;
    const result = checkConfig(parsePanasonicText(lines.join('\r\n')), miniCatalogue());
    expect(result.rejected).toBe(false);
    expect(result.accepted.map((e) => e.name)).toEqual([
      'CFG_STANDARD_FILE_PATH',
      'SIP_DNSSRV_ENA_1',
      'SIP_AUTHID_1',
      'REG_EXPIRE_TIME_1',
      'SIP_SESSION_TIME_1',
      'OUTBANDDTMF_1',
      'SHARED_CALL_ENABLE_1',
      'FWD_DND_SYNCHRO_ENABLE_1',
    ]);
    expect(result.diagnostics.map((d) => formatDiagnostic(d, '5.3.2.cfg'))).toEqual([
      '5.3.2.cfg:8: warning: comment does not start at the beginning of the line (5.3.2 ❷); the unit does not read it as a comment but ignores the line',
      '5.3.2.cfg:15: SIP_RGSTR_ADDR_1: a comment after the value is not allowed; comments must be on their own line starting with "#" (5.3.2 ❷): the line is ignored',
      '5.3.2.cfg:16: SIP_PRXY_ADDR_1: a comment after the value is not allowed; comments must be on their own line starting with "#" (5.3.2 ❷): the line is ignored',
      '5.3.2.cfg:23: SIP_PASS_1: space characters around "=" are not allowed (5.2.1): the line is ignored',
      '5.3.2.cfg:39: VM_SUBSCRIBE_ENABLE: "Yes" is not a Boolean (Y or N)',
    ]);
  });

  it.each([['5.3.1-codec-g729a-pcmu-g722.cfg'], ['5.3.1-codec-narrowband.cfg'], ['5.3.1-codec-g729a-only.cfg']])(
    '5.3.1 Examples of Codec Settings parse and validate clean: %s',
    (name) => {
      const result = checkConfig(parsePanasonicText(fixture(name)), miniCatalogue());
      expect(result.diagnostics).toEqual([]);
      expect(result.rejected).toBe(false);
      expect(result.accepted.length).toBeGreaterThanOrEqual(6);
      expect(result.accepted.every((e) => e.name.startsWith('CODEC_'))).toBe(true);
    },
  );

  it('5.3.1 G.729A/PCMU/G.722 example: values and lines as written', () => {
    const result = checkConfig(parsePanasonicText(fixture('5.3.1-codec-g729a-pcmu-g722.cfg')), miniCatalogue());
    expect(result.accepted.map((e) => `${e.line}:${e.name}=${e.value}`)).toEqual([
      '5:CODEC_ENABLE0_1=Y',
      '6:CODEC_PRIORITY0_1=3',
      '8:CODEC_ENABLE1_1=N',
      '10:CODEC_ENABLE3_1=Y',
      '11:CODEC_PRIORITY3_1=1',
      '13:CODEC_ENABLE4_1=Y',
      '14:CODEC_PRIORITY4_1=2',
    ]);
  });
});

describe('checkConfig: validation against the catalogue', () => {
  it('an out-of-range value is rejected for that parameter only, with its line number', () => {
    const result = checkConfig(parsePanasonicText(file('SIP_RGSTR_ADDR_1="registrar.example.com"', '', 'SIP_RGSTR_PORT_1="70000"', 'SIP_RGSTR_PORT_2="5070"')), miniCatalogue());
    expect(result.accepted).toEqual([
      { name: 'SIP_RGSTR_ADDR_1', value: 'registrar.example.com', line: 2 },
      { name: 'SIP_RGSTR_PORT_2', value: '5070', line: 5 },
    ]);
    expect(result.diagnostics).toEqual([
      { line: 4, name: 'SIP_RGSTR_PORT_1', code: 'SETTING_BAD_VALUE', severity: 'error', message: 'value 70000 is out of range 1-65535' },
    ]);
    expect(formatDiagnostic(result.diagnostics[0]!, 'site.cfg')).toBe('site.cfg:4: SIP_RGSTR_PORT_1: value 70000 is out of range 1-65535');
  });

  it('a value of the wrong format is rejected with a message that names the fault', () => {
    const result = checkConfig(parsePanasonicText(file('REG_EXPIRE_TIME_1="1h"', 'SIP_PASS_1="pa ss"', 'SIP_SESSION_TIME_1="30"')), miniCatalogue());
    expect(result.accepted).toEqual([]);
    expect(result.diagnostics.map((d) => formatDiagnostic(d, 'f.cfg'))).toEqual([
      'f.cfg:2: REG_EXPIRE_TIME_1: value "1h" is not an Integer',
      'f.cfg:3: SIP_PASS_1: character space is not allowed',
      'f.cfg:4: SIP_SESSION_TIME_1: value 30 is out of range 0|60-65535',
    ]);
  });

  it('an unknown parameter is reported, with a suggestion for a likely typo', () => {
    const result = checkConfig(parsePanasonicText(file('SIP_RGSTR_ADR_1="x.example.com"', 'sip_rgstr_port_1="5060"', 'TOTALLY_UNRELATED="1"')), miniCatalogue());
    expect(result.accepted).toEqual([]);
    expect(result.diagnostics.map((d) => formatDiagnostic(d, 'f.cfg'))).toEqual([
      'f.cfg:2: SIP_RGSTR_ADR_1: unknown parameter for KX-UT670 (did you mean SIP_RGSTR_ADDR_1?)',
      'f.cfg:3: sip_rgstr_port_1: unknown parameter for KX-UT670 (did you mean SIP_RGSTR_PORT_1?)',
      'f.cfg:4: TOTALLY_UNRELATED: unknown parameter for KX-UT670',
    ]);
    expect(result.diagnostics.every((d) => d.code === 'SETTING_UNKNOWN' && d.severity === 'error')).toBe(true);
  });

  it('unknown parameters can be downgraded to warnings (files shared with other models)', () => {
    const result = checkConfig(parsePanasonicText(file('OTHER_MODEL_PARAM="1"')), miniCatalogue(), { unknownSeverity: 'warning' });
    expect(result.diagnostics.map((d) => [d.code, d.severity])).toEqual([['SETTING_UNKNOWN', 'warning']]);
    expect(hasErrors(result)).toBe(false);
  });

  it('a read-only parameter is not settable from a file', () => {
    const result = checkConfig(parsePanasonicText(file('FIRMWARE_VERSION="99.999"')), miniCatalogue());
    expect(result.diagnostics.map((d) => [d.line, d.name, d.code])).toEqual([[2, 'FIRMWARE_VERSION', 'SETTING_READ_ONLY']]);
  });

  it('an empty value is accepted where the row allows it (SYSLOG_ADDR="")', () => {
    const result = checkConfig(parsePanasonicText(file('SYSLOG_ADDR=""')), miniCatalogue());
    expect(result.diagnostics).toEqual([]);
    expect(result.accepted).toEqual([{ name: 'SYSLOG_ADDR', value: '', line: 2 }]);
  });

  it('a UTF-8 value is accepted for a Unicode-allowed parameter and refused elsewhere (5.2.3)', () => {
    const result = checkConfig(parsePanasonicText(Buffer.from(file('DISPLAY_NAME_1="Jürgen Müller"', 'SIP_AUTHID_1="jürgen"'), 'utf8')), miniCatalogue());
    expect(result.accepted).toEqual([{ name: 'DISPLAY_NAME_1', value: 'Jürgen Müller', line: 2 }]);
    expect(result.diagnostics.map((d) => formatDiagnostic(d, 'f.cfg'))).toEqual(['f.cfg:3: SIP_AUTHID_1: non-ASCII character "ü" is not allowed (5.2.3)']);
  });

  it('diagnostics from the parser and the catalogue come out sorted by line', () => {
    const result = checkConfig(parsePanasonicText(file('SIP_RGSTR_PORT_1="0"', 'A = "1"', 'SIP_RGSTR_PORT_2="x"', 'SIP_RGSTR_PORT_1="5060"')), miniCatalogue());
    expect(result.diagnostics.map((d) => [d.line, d.code])).toEqual([
      [2, 'SETTING_BAD_VALUE'],
      [3, 'CFG_SPACE_IN_LINE'],
      [4, 'SETTING_BAD_VALUE'],
      [5, 'CFG_DUPLICATE'],
    ]);
  });
});

describe('checkConfig: cross checks', () => {
  it('reports a cross-parameter conflict the file takes part in, naming the parameters', () => {
    const result = checkConfig(parsePanasonicText(file('SHARED_CALL_ENABLE_1="Y"', 'FWD_DND_SYNCHRO_ENABLE_1="Y"')), miniCatalogue());
    expect(result.diagnostics.map((d) => formatDiagnostic(d, 'f.cfg'))).toEqual([
      'f.cfg:2: SHARED_CALL_ENABLE_1: SHARED_CALL_ENABLE_1 and FWD_DND_SYNCHRO_ENABLE_1 cannot both be "Y" (5.8.1)',
    ]);
    expect(result.accepted).toHaveLength(2);
  });

  it('uses the values below the file (base) for parameters the file does not set', () => {
    const parsed = parsePanasonicText(file('FWD_DND_SYNCHRO_ENABLE_1="Y"'));
    expect(checkConfig(parsed, miniCatalogue()).diagnostics).toEqual([]);
    const below = checkConfig(parsed, miniCatalogue(), { base: (n) => (n === 'SHARED_CALL_ENABLE_1' ? 'Y' : undefined) });
    expect(below.diagnostics.map((d) => [d.line, d.name, d.code])).toEqual([[2, 'FWD_DND_SYNCHRO_ENABLE_1', 'SETTING_CROSS_CHECK']]);
    expect(checkConfig(parsed, miniCatalogue(), { base: () => 'Y', crossChecks: false }).diagnostics).toEqual([]);
  });

  it('does not blame the file for a conflict it does not touch', () => {
    const result = checkConfig(parsePanasonicText(file('SIP_RGSTR_PORT_1="5060"')), miniCatalogue(), { base: () => 'Y' });
    expect(result.diagnostics).toEqual([]);
  });

  it('accepts cross checks written with template names, and survives one that throws', () => {
    const spec: CatalogueSpec = {
      model: 'T',
      params: [{ name: 'MIN_n', scope: { kind: 'line', count: 2 }, format: 'Integer', rule: { kind: 'int', ranges: [{ min: 0, max: 9 }] }, default: '1', section: 't', description: '' }],
      crossChecks: [
        { names: ['MIN_n'], section: 'x', check: (get) => (get('MIN_2') === '9' ? 'MIN_2 must not be 9' : undefined) },
        {
          names: ['MIN_1'],
          section: 'y',
          check: () => {
            throw new Error('boom');
          },
        },
      ],
    };
    const result = checkConfig(parsePanasonicText(file('MIN_2="9"', 'MIN_1="0"')), new Catalogue(spec));
    expect(result.diagnostics.map((d) => [d.line, d.message])).toEqual([
      [2, 'MIN_2 must not be 9 (x)'],
      [3, 'cross check failed to run: boom (y)'],
    ]);
  });
});

describe('checkConfig: applying to the LayeredStore', () => {
  it('the accepted values apply to a layer; the bad parameter keeps its lower value', () => {
    const catalogue = miniCatalogue();
    const store = new LayeredStore(catalogue);
    store.apply('master', [{ name: 'SIP_RGSTR_PORT_1', value: '5080' }]);
    const result = checkConfig(parsePanasonicText(file('SIP_RGSTR_PORT_1="70000"', 'SIP_RGSTR_ADDR_1="pbx.example.com"')), catalogue);
    expect(store.apply('standard', result.accepted)).toEqual([]);
    expect(store.effective('SIP_RGSTR_PORT_1')).toEqual({ name: 'SIP_RGSTR_PORT_1', value: '5080', layer: 'master' });
    expect(store.effective('SIP_RGSTR_ADDR_1')).toEqual({ name: 'SIP_RGSTR_ADDR_1', value: 'pbx.example.com', layer: 'standard' });
  });

  it('a rejected file applies nothing', () => {
    const catalogue = miniCatalogue();
    const store = new LayeredStore(catalogue);
    const result = checkConfig(parsePanasonicText('SIP_RGSTR_ADDR_1="pbx.example.com"\r\n'), catalogue);
    expect(result.rejected).toBe(true);
    store.apply('standard', result.accepted);
    expect(store.effective('SIP_RGSTR_ADDR_1')!.layer).toBe('factory');
  });
});

describe('formatting', () => {
  it('formats errors, warnings and file-level diagnostics one per line', () => {
    expect(formatDiagnostic({ line: 12, name: 'SIP_RGSTR_PORT_1', code: 'SETTING_BAD_VALUE', severity: 'error', message: 'value 70000 is out of range 1-65535' }, 'site.cfg')).toBe(
      'site.cfg:12: SIP_RGSTR_PORT_1: value 70000 is out of range 1-65535',
    );
    expect(formatDiagnostic({ line: 7, name: 'A', code: 'CFG_DUPLICATE', severity: 'warning', message: 'already set on line 3' }, 'x.cfg')).toBe('x.cfg:7: warning: A: already set on line 3');
    expect(formatDiagnostic({ line: 1, code: 'CFG_BAD_HEADER', severity: 'error', message: 'bad' }, 'x.cfg')).toBe('x.cfg:1: bad');
  });

  it('summarizes a check', () => {
    const catalogue = miniCatalogue();
    expect(summarizeCheck(checkConfig(parsePanasonicText(fixture('5.3.2-incorrect.cfg')), catalogue), 'bad.cfg')).toBe(
      'bad.cfg: 5 errors, 1 warning; the unit would reject the whole file',
    );
    expect(summarizeCheck(checkConfig(parsePanasonicText(file('SYSLOG_ADDR=""')), catalogue), 'ok.cfg')).toBe('ok.cfg: 0 errors, 0 warnings; 1 parameter would apply');
  });
});

// The full KX-UT670 catalogue (firmware-sim/models/kx-ut670/catalogue.ts, written from the manual
// by the catalogue's owner): the same examples, and a file of every default.
describe('checkConfig with the full KX-UT670 catalogue', () => {
  it('a file that sets every parameter to its default gives zero diagnostics, and round-trips', () => {
    const catalogue = kxUt670Catalogue;
    const entries = [...catalogue.entries()].filter((p) => !p.def.readOnly).map((p) => ({ name: p.name, value: catalogue.defaultOf(p.name)! }));
    expect(entries.length).toBeGreaterThan(700); // 215 rows expanded over 6 lines, 24 buttons, 4 codecs
    const text = serializePanasonicText(entries);
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_FILE_BYTES);
    const result = checkConfig(parsePanasonicText(text), catalogue);
    expect(result.diagnostics.map((d) => formatDiagnostic(d, 'defaults.cfg'))).toEqual([]);
    expect(result.rejected).toBe(false);
    expect(result.accepted.map(({ name, value }) => ({ name, value }))).toEqual(entries);
  });

  it('5.3.2 Example with Incorrect Descriptions: the four faults at their lines, nothing else', () => {
    expectIncorrectExample(kxUt670Catalogue);
  });

  it.each([['5.3.1-codec-g729a-pcmu-g722.cfg'], ['5.3.1-codec-narrowband.cfg'], ['5.3.1-codec-g729a-only.cfg']])('5.3.1 %s validates clean', (name) => {
    const result = checkConfig(parsePanasonicText(fixture(name)), kxUt670Catalogue);
    expect(result.diagnostics).toEqual([]);
    expect(result.accepted.length).toBeGreaterThanOrEqual(6);
  });

  it('an out-of-range registrar port, as `vphone config check` prints it', () => {
    const result = checkConfig(parsePanasonicText(file('SIP_RGSTR_ADDR_1="pbx.example.com"', 'SIP_RGSTR_PORT_1="70000"')), kxUt670Catalogue);
    expect(result.diagnostics.map((d) => formatDiagnostic(d, 'site.cfg'))).toEqual(['site.cfg:3: SIP_RGSTR_PORT_1: value 70000 is out of range 1-65535']);
    expect(result.accepted.map((e) => e.name)).toEqual(['SIP_RGSTR_ADDR_1']);
  });
});
