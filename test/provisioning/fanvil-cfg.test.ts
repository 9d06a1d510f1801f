// Fanvil configuration text files and the 9.5 firmware descriptor: round trips of a full A12
// export, every malformed-input rule with its line number, file names, and random input that
// must never throw.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FANVIL_END,
  FANVIL_FILE_VERSION,
  FANVIL_HEADER,
  canSerializeFanvil,
  compareFirmwareVersions,
  expandFanvilFileName,
  fanvilDeviceFileName,
  fanvilMacToken,
  firmwareDescriptorFileName,
  isFirmwareDescriptorPath,
  macOfFanvilFileName,
  parseFanvilConfig,
  parseFirmwareDescriptor,
  resolveFirmwareUrl,
  serializeFanvilConfig,
  type FanvilParsedConfig,
} from '../../src/provisioning/formats/fanvil-cfg.js';
import { checkConfig } from '../../src/provisioning/config-check.js';
import { fanvilA12Catalogue, fanvilA12FileEntries, fanvilA12ModuleOf } from '../../firmware-sim/models/fanvil-a12/catalogue.js';

const HEADER = `${FANVIL_HEADER}Version:${FANVIL_FILE_VERSION}`;

function file(...lines: string[]): string {
  return `${[HEADER, ...lines, FANVIL_END].join('\n')}\n`;
}

function codes(p: { diagnostics: ReadonlyArray<{ line: number; code: string }> }): Array<[number, string]> {
  return p.diagnostics.map((d) => [d.line, d.code]);
}

const a12 = { isKnown: (n: string) => fanvilA12Catalogue.has(n), moduleOf: fanvilA12ModuleOf };

describe('parseFanvilConfig: well-formed files', () => {
  it('reads modules, list markers and padded "Key :value" lines with their line numbers', () => {
    const p = parseFanvilConfig(
      file('', '<SIP CONFIG MODULE>', 'SIP  Port          :5060', '--SIP Line List--  :', 'SIP1 Phone Number  :1001', 'SIP1 Register Addr :pbx.example.com', ''),
    );
    expect(p.diagnostics).toEqual([]);
    expect(p.rejected).toBe(false);
    expect(p.version).toBe(FANVIL_FILE_VERSION);
    expect(p.entries).toEqual([
      { name: 'SIP Port', value: '5060', line: 4, module: 'SIP CONFIG MODULE' },
      { name: 'SIP1 Phone Number', value: '1001', line: 6, module: 'SIP CONFIG MODULE', list: '--SIP Line List--' },
      { name: 'SIP1 Register Addr', value: 'pbx.example.com', line: 7, module: 'SIP CONFIG MODULE', list: '--SIP Line List--' },
    ]);
    expect(p.lineCount).toBe(9);
  });

  it('keeps ":" inside values (URLs) and empty values, and trims the blanks around the value', () => {
    const p = parseFanvilConfig(file('<CTI CONFIG MODULE>', 'Reg On Url         :http://10.0.0.1:8080/reg?mac=$mac', 'Reg Off Url        :', 'Call Stop Url :  http://h/x  '));
    expect(p.diagnostics).toEqual([]);
    expect(p.entries.map((e) => [e.name, e.value])).toEqual([
      ['Reg On Url', 'http://10.0.0.1:8080/reg?mac=$mac'],
      ['Reg Off Url', ''],
      ['Call Stop Url', 'http://h/x'],
    ]);
  });

  it('reads CR LF files like LF files, and skips # comment lines', () => {
    const lf = file('## provisioned by the lab', '<MMI CONFIG MODULE>', 'Web Port           :8080');
    const crlf = lf.replace(/\n/g, '\r\n');
    const a = parseFanvilConfig(lf);
    const b = parseFanvilConfig(crlf);
    expect(b).toEqual(a);
    expect(a.diagnostics).toEqual([]);
    expect(a.entries).toEqual([{ name: 'Web Port', value: '8080', line: 4, module: 'MMI CONFIG MODULE' }]);
  });

  it('reads a header padded with blanks, as devices export it', () => {
    const p = parseFanvilConfig(`${HEADER}                      \n\n<NET CONFIG MODULE>\nEnable DHCP        :1\n${FANVIL_END}\n`);
    expect(p.diagnostics).toEqual([]);
    expect(p.version).toBe(FANVIL_FILE_VERSION);
  });

  it('accepts a Buffer', () => {
    const p = parseFanvilConfig(Buffer.from(file('<SIP CONFIG MODULE>', 'SIP1 Display Name  :Tür 1')));
    expect(p.entries[0]!.value).toBe('Tür 1');
  });
});

describe('parseFanvilConfig: malformed input', () => {
  it('rejects a file without the header, still reporting every line', () => {
    const p = parseFanvilConfig('<SIP CONFIG MODULE>\nSIP1 Phone Number :1001\nbroken line\n');
    expect(p.rejected).toBe(true);
    expect(codes(p)).toEqual([
      [1, 'FANVIL_NO_HEADER'],
      [3, 'FANVIL_MALFORMED_LINE'],
    ]);
    expect(p.diagnostics[0]!.severity).toBe('error');
    expect(p.entries.map((e) => e.name)).toEqual(['SIP1 Phone Number']);
  });

  it('rejects an empty file', () => {
    const p = parseFanvilConfig('');
    expect(p.rejected).toBe(true);
    expect(codes(p)).toEqual([[1, 'FANVIL_NO_HEADER']]);
    expect(p.lineCount).toBe(1);
  });

  it('tolerates a byte order mark and blank lines before the header, with warnings', () => {
    const p = parseFanvilConfig(`\uFEFF\n\n${file('<MMI CONFIG MODULE>', 'Web Port :80')}`);
    expect(p.rejected).toBe(false);
    expect(codes(p)).toEqual([
      [1, 'FANVIL_BOM'],
      [3, 'FANVIL_HEADER_NOT_FIRST'],
    ]);
    expect(p.diagnostics.every((d) => d.severity === 'warning')).toBe(true);
  });

  it('warns about a header without a version number and a second header', () => {
    const p = parseFanvilConfig(`${FANVIL_HEADER}\n<MMI CONFIG MODULE>\n${FANVIL_HEADER}Version:2.0\nWeb Port :80\n${FANVIL_END}\n`);
    expect(codes(p)).toEqual([
      [1, 'FANVIL_BAD_VERSION'],
      [3, 'FANVIL_MISPLACED_HEADER'],
    ]);
    expect(p.version).toBeUndefined();
    expect(p.rejected).toBe(false);
    const q = parseFanvilConfig(`${FANVIL_HEADER}Version:two\n${FANVIL_END}\n`);
    expect(codes(q)).toEqual([[1, 'FANVIL_BAD_VERSION']]);
    expect(q.version).toBe('two');
  });

  it('reports lines that are not key lines as errors and applies the rest', () => {
    const p = parseFanvilConfig(file('<SIP CONFIG MODULE>', 'just words', ':5060', 'SIP1 Phone Number :1001', '<>', 'SIP1 Display Name :Door'));
    expect(codes(p)).toEqual([
      [3, 'FANVIL_MALFORMED_LINE'],
      [4, 'FANVIL_EMPTY_NAME'],
      [6, 'FANVIL_BAD_MODULE'],
    ]);
    expect(p.diagnostics.every((d) => d.severity === 'error')).toBe(true);
    expect(p.entries.map((e) => [e.name, e.line, e.module])).toEqual([
      ['SIP1 Phone Number', 5, 'SIP CONFIG MODULE'],
      ['SIP1 Display Name', 7, 'SIP CONFIG MODULE'],
    ]);
  });

  it('ignores an invalid UTF-8 line with an error', () => {
    const buf = Buffer.concat([Buffer.from(`${HEADER}\n<SIP CONFIG MODULE>\nSIP1 Display Name :`), Buffer.from([0xff, 0xfe]), Buffer.from(`\nSIP1 Phone Number :7\n${FANVIL_END}\n`)]);
    const p = parseFanvilConfig(buf);
    expect(codes(p)).toEqual([[3, 'FANVIL_BAD_UTF8']]);
    expect(p.entries.map((e) => e.name)).toEqual(['SIP1 Phone Number']);
  });

  it('lets the later of two equal keys win and warns on the earlier line', () => {
    const p = parseFanvilConfig(file('<SIP CONFIG MODULE>', 'SIP1 Phone Number :1001', 'SIP1 Display Name :A', 'SIP1 Phone Number :1002'));
    expect(codes(p)).toEqual([[3, 'FANVIL_DUPLICATE_KEY']]);
    expect(p.diagnostics[0]!.message).toContain('line 5');
    expect(p.entries.map((e) => [e.name, e.value, e.line])).toEqual([
      ['SIP1 Display Name', 'A', 4],
      ['SIP1 Phone Number', '1002', 5],
    ]);
  });

  it('warns about a missing end marker, text after it, a key outside any module and a list marker with a value', () => {
    const p = parseFanvilConfig(`${HEADER}\nPNP Enable :0\n<SIP CONFIG MODULE>\n--SIP Line List-- :x\nSIP1 Phone Number :1\n`);
    expect(codes(p)).toEqual([
      [2, 'FANVIL_NO_MODULE'],
      [4, 'FANVIL_LIST_VALUE'],
      [5, 'FANVIL_NO_END'],
    ]);
    expect(p.entries.map((e) => e.name)).toEqual(['PNP Enable', 'SIP1 Phone Number']);
    const q = parseFanvilConfig(`${file('<MMI CONFIG MODULE>', 'Web Port :80')}Web Port :81\nmore\n`);
    expect(codes(q)).toEqual([[5, 'FANVIL_AFTER_END']]);
    expect(q.entries).toEqual([{ name: 'Web Port', value: '80', line: 3, module: 'MMI CONFIG MODULE' }]);
  });

  it('with the A12 catalogue: unknown keys are warnings and left out; keys in the wrong module are warnings', () => {
    const p = parseFanvilConfig(file('<SIP CONFIG MODULE>', 'SIP3 Phone Number :1', 'SIP1 Phone Number :1001', 'Web Port :80'), a12);
    expect(codes(p)).toEqual([
      [3, 'FANVIL_UNKNOWN_KEY'],
      [5, 'FANVIL_WRONG_MODULE'],
    ]);
    expect(p.diagnostics.map((d) => d.name)).toEqual(['SIP3 Phone Number', 'Web Port']);
    expect(p.diagnostics[1]!.message).toContain('MMI CONFIG MODULE');
    expect(p.entries.map((e) => e.name)).toEqual(['SIP1 Phone Number', 'Web Port']);
  });

  it('checkConfig finds bad values with their line numbers', () => {
    const p = parseFanvilConfig(file('<SIP CONFIG MODULE>', '--SIP Line List--  :', 'SIP1 Register Port :70000', 'SIP1 NoAnswerTime  :121', 'SIP1 Auto Answer   :yes', 'SIP1 Transport     :1'), a12);
    const r = checkConfig(p, fanvilA12Catalogue);
    expect(r.diagnostics.map((d) => [d.line, d.name, d.code])).toEqual([
      [4, 'SIP1 Register Port', 'SETTING_BAD_VALUE'],
      [5, 'SIP1 NoAnswerTime', 'SETTING_BAD_VALUE'],
      [6, 'SIP1 Auto Answer', 'SETTING_BAD_VALUE'],
    ]);
    expect(r.accepted.map((e) => e.name)).toEqual(['SIP1 Transport']);
  });
});

describe('serializeFanvilConfig', () => {
  it('writes the header, padded keys, list markers, blank lines between modules and the end marker', () => {
    const text = serializeFanvilConfig([
      { name: 'SIP1 Phone Number', value: '1001', module: 'SIP CONFIG MODULE', list: '--SIP Line List--' },
      { name: 'SIP Port', value: '5060', module: 'SIP CONFIG MODULE' },
      { name: 'Web Port', value: '80', module: 'MMI CONFIG MODULE' },
      { name: 'SIP1 Block RTP When Alerting', value: '0', module: 'SIP CONFIG MODULE', list: '--SIP Line List--' },
    ]);
    expect(text).toBe(
      [
        '<<VOIP CONFIG FILE>>Version:2.0000000000',
        '',
        '<SIP CONFIG MODULE>',
        'SIP Port           :5060',
        '--SIP Line List--  :',
        'SIP1 Phone Number  :1001',
        'SIP1 Block RTP When Alerting:0',
        '',
        '<MMI CONFIG MODULE>',
        'Web Port           :80',
        '',
        '<<END OF FILE>>',
        '',
      ].join('\n'),
    );
  });

  it('refuses entries no file can carry', () => {
    expect(canSerializeFanvil('SIP1 Phone Number', '1001')).toBe(true);
    for (const [name, value] of [
      ['A:B', '1'],
      ['', '1'],
      [' A', '1'],
      ['A  B', '1'],
      ['#A', '1'],
      ['<A>', '1'],
      ['--A--', '1'],
      ['A', 'x\ny'],
      ['A', ' x'],
      ['A', 'x '],
    ] as const) {
      expect(canSerializeFanvil(name, value)).toBe(false);
      expect(() => serializeFanvilConfig([{ name, value, module: 'M' }])).toThrow(/fanvil-cfg/);
    }
    expect(() => serializeFanvilConfig([{ name: 'A', value: '1', module: '<M>' }])).toThrow(/module/);
    expect(() => serializeFanvilConfig([{ name: 'A', value: '1', module: 'M', list: 'L' }])).toThrow(/list marker/);
    expect(() => serializeFanvilConfig([], { version: 'x' })).toThrow(/version/);
  });

  it('round trip: a full A12 factory export parses back to the same entries with no diagnostics', () => {
    const entries = fanvilA12FileEntries();
    const text = serializeFanvilConfig(entries);
    const p = parseFanvilConfig(text, a12);
    expect(p.diagnostics).toEqual([]);
    expect(p.rejected).toBe(false);
    expect(p.entries.map(({ name, value, module, list }) => ({ name, value, module, ...(list === undefined ? {} : { list }) }))).toEqual(entries);
    const checked = checkConfig(p, fanvilA12Catalogue);
    expect(checked.diagnostics).toEqual([]);
    expect(checked.accepted).toHaveLength(fanvilA12Catalogue.names().length);
    expect(serializeFanvilConfig(p.entries.map((e) => ({ name: e.name, value: e.value, module: e.module!, ...(e.list ? { list: e.list } : {}) })))).toBe(text);
  });

  it('round trip: a configured export (non-default values, Unicode, ":" in values) parses back unchanged', () => {
    const set = new Map([
      ['SIP1 Enable Reg', '1'],
      ['SIP1 Phone Number', '2001'],
      ['SIP1 Display Name', 'Haupteingang Tür'],
      ['SIP1 Register Addr', 'pbx.lab.example:5080'],
      ['Boot Completed Url', 'http://10.1.1.1:8080/boot?mac=$mac'],
      ['MCAST1 Host', '239.1.1.1'],
      ['MCAST1 Port', '5000'],
    ]);
    const entries = fanvilA12FileEntries((n) => set.get(n) ?? fanvilA12Catalogue.defaultOf(n)!);
    const p = parseFanvilConfig(serializeFanvilConfig(entries), a12);
    expect(p.diagnostics).toEqual([]);
    expect(checkConfig(p, fanvilA12Catalogue).diagnostics).toEqual([]);
    const values = new Map(p.entries.map((e) => [e.name, e.value]));
    for (const [name, value] of set) expect(values.get(name)).toBe(value);
  });

  it('property: any serializable entries survive serialize → parse', () => {
    const nameChar = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 _-.=/()'.split(''));
    const name = fc.string({ unit: nameChar, minLength: 1, maxLength: 30 }).filter((n) => canSerializeFanvil(n, ''));
    const value = fc.string({ maxLength: 60 }).map((v) => v.replace(/[\r\n]/g, '').trim());
    const module = fc.constantFrom('SIP CONFIG MODULE', 'MMI CONFIG MODULE', 'A B MODULE');
    const list = fc.option(fc.constantFrom('--L1--', '--Port Config--'), { nil: undefined });
    const entries = fc.uniqueArray(fc.record({ name, value, module, list }), { selector: (e) => e.name, maxLength: 30 });
    fc.assert(
      fc.property(entries, (es) => {
        const written = es.map((e) => (e.list === undefined ? { name: e.name, value: e.value, module: e.module } : e));
        const p = parseFanvilConfig(serializeFanvilConfig(written));
        expect(p.diagnostics).toEqual([]);
        const got = new Map(p.entries.map((e) => [e.name, e]));
        expect(got.size).toBe(es.length);
        for (const e of es) {
          const g = got.get(e.name)!;
          expect([g.value, g.module, g.list]).toEqual([e.value, e.module, e.list]);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('parseFanvilConfig: random input never throws', () => {
  function sane(p: FanvilParsedConfig): void {
    expect(p.lineCount).toBeGreaterThanOrEqual(1);
    for (const d of p.diagnostics) {
      expect(d.line).toBeGreaterThanOrEqual(1);
      expect(d.line).toBeLessThanOrEqual(p.lineCount);
      expect(['error', 'warning']).toContain(d.severity);
    }
    expect(new Set(p.entries.map((e) => e.name)).size).toBe(p.entries.length);
  }

  it('random text and fragments of the format', () => {
    const piece = fc.constantFrom(HEADER, FANVIL_END, '<SIP CONFIG MODULE>', '<', '>', ':', '--L--', '#', ' ', '\t', '\r', '\n', '\r\n', 'SIP1 Phone Number', 'x', 'ü', '\uFEFF', '\0');
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 400 }), fc.array(piece, { maxLength: 200 }).map((a) => a.join('')));
    fc.assert(
      fc.property(text, fc.boolean(), (t, known) => {
        sane(parseFanvilConfig(t, known ? a12 : {}));
      }),
      { numRuns: 500 },
    );
  });

  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        sane(parseFanvilConfig(Buffer.from(bytes)));
        const d = parseFirmwareDescriptor(Buffer.from(bytes));
        for (const x of d.diagnostics) expect(x.line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 300 },
    );
  });

  it('random descriptor text', () => {
    const piece = fc.constantFrom('Version=', 'Firmware=', 'BuildTime=', 'Info=', '#', ' ', '=', '\n', '\r\n', '1.2.3', 'x', 'TXT', 'XML');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 100 }).map((a) => a.join('')), (t) => {
        const d = parseFirmwareDescriptor(t);
        if (d.descriptor) expect(d.descriptor.version).not.toBe('');
      }),
      { numRuns: 300 },
    );
  });
});

describe('file names (9.6 $mac.cfg, $input.cfg)', () => {
  it('writes the MAC as Fanvil does: lower case, no separators', () => {
    expect(fanvilMacToken('0C:38:3E:3A:06:65')).toBe('0c383e3a0665');
    expect(fanvilMacToken('0c-38-3e-3a-06-65')).toBe('0c383e3a0665');
    expect(fanvilMacToken('0c383e3a06')).toBeUndefined();
    expect(fanvilDeviceFileName('0C383E3A0665')).toEqual({ ok: true, value: '0c383e3a0665.cfg' });
    expect(fanvilDeviceFileName('zz').ok).toBe(false);
  });

  it('expands $mac and $input', () => {
    expect(expandFanvilFileName('$mac.cfg', { mac: '0C383E3A0665' })).toEqual({ ok: true, value: '0c383e3a0665.cfg' });
    expect(expandFanvilFileName('site/$input.cfg', { mac: '0C383E3A0665', input: 'door1' })).toEqual({ ok: true, value: 'site/door1.cfg' });
    expect(expandFanvilFileName('$input.cfg', { mac: '0C383E3A0665' }).ok).toBe(false);
    expect(expandFanvilFileName('common.cfg', { mac: 'bad' }).ok).toBe(false);
  });

  it('recognises a requested <mac> file', () => {
    expect(macOfFanvilFileName('/prov/0c383e3a0665.cfg')).toBe('0C383E3A0665');
    expect(macOfFanvilFileName('0C383E3A0665.TXT')).toBe('0C383E3A0665');
    expect(macOfFanvilFileName('/prov/common.cfg')).toBeUndefined();
    expect(macOfFanvilFileName('x0c383e3a0665.cfg')).toBeUndefined();
  });
});

describe('parseFirmwareDescriptor (9.5 vendor_model_hw10.txt)', () => {
  const manualExample = [
    'Version=1.6.3 #Firmware',
    '',
    'Firmware=xxx/xxx.z #URL , Relative paths are supported and absolute paths are possible, distinguished by the presence of protocol headers.',
    '',
    'BuildTime=2018.09.11 20:00',
    '',
    'Info=TXT|XML',
    '',
    'Xxxxx',
    '',
    'Xxxxx',
    '',
    '',
  ].join('\n');

  it('reads the manual example: inline comments dropped, the lines after Info are the description', () => {
    const d = parseFirmwareDescriptor(manualExample);
    expect(d.descriptor).toEqual({ version: '1.6.3', firmware: 'xxx/xxx.z', buildTime: '2018.09.11 20:00', infoFormat: 'TXT', info: 'Xxxxx\n\nXxxxx' });
    expect(codes(d)).toEqual([[7, 'FWDESC_INFO_FORMAT']]);
    expect(d.diagnostics[0]!.severity).toBe('warning');
  });

  it('keeps a "#" that does not follow a blank, reads XML info, CR LF and a BOM', () => {
    const d = parseFirmwareDescriptor(Buffer.from('\uFEFFVersion=2.12.46\r\nFirmware=http://fw.lab/a12.z#v2 # comment\r\nInfo=XML\r\n<info>fixes</info>\r\n'));
    expect(d.diagnostics).toEqual([]);
    expect(d.descriptor).toEqual({ version: '2.12.46', firmware: 'http://fw.lab/a12.z#v2', infoFormat: 'XML', info: '<info>fixes</info>' });
  });

  it('reports missing keys, bad lines and non-UTF-8 files', () => {
    const d = parseFirmwareDescriptor('BuildTime=yesterday\nnonsense\nColour=blue\nversion=T2.1\n');
    expect(d.descriptor).toBeUndefined();
    expect(codes(d)).toEqual([
      [1, 'FWDESC_NO_FIRMWARE'],
      [1, 'FWDESC_BAD_BUILD_TIME'],
      [2, 'FWDESC_MALFORMED_LINE'],
      [3, 'FWDESC_UNKNOWN_KEY'],
      [4, 'FWDESC_KEY_CASE'],
      [4, 'FWDESC_BAD_VERSION'],
    ]);
    const latin1 = parseFirmwareDescriptor(Buffer.from([0x56, 0x3d, 0xe9, 0x0a]));
    expect(codes(latin1)).toEqual([[1, 'FWDESC_NOT_UTF8']]);
    expect(codes(parseFirmwareDescriptor('Firmware=a.z\n'))).toEqual([[1, 'FWDESC_NO_VERSION']]);
  });

  it('names the file with spaces as underscores and matches requests in any letter case', () => {
    expect(firmwareDescriptorFileName('Fanvil', 'A12')).toBe('Fanvil_A12_hw10.txt');
    expect(firmwareDescriptorFileName('Fanvil', 'A12 Pro', 11)).toBe('Fanvil_A12_Pro_hw11.txt');
    expect(isFirmwareDescriptorPath('/fw/fanvil_a12_hw10.TXT', 'Fanvil', 'A12')).toBe(true);
    expect(isFirmwareDescriptorPath('/fw/Fanvil_A12_hw11.txt', 'Fanvil', 'A12')).toBe(false);
  });

  it('resolves relative and absolute firmware paths', () => {
    expect(resolveFirmwareUrl('http://srv/fw/Fanvil_A12_hw10.txt', 'a12/2.12.46.z')).toEqual({ ok: true, value: 'http://srv/fw/a12/2.12.46.z' });
    expect(resolveFirmwareUrl('http://srv/fw/Fanvil_A12_hw10.txt', 'https://cdn/x.z')).toEqual({ ok: true, value: 'https://cdn/x.z' });
    expect(resolveFirmwareUrl('not a url', 'x.z').ok).toBe(false);
  });

  it('compares versions numerically', () => {
    expect(compareFirmwareVersions('2.12.45', '2.12.100')).toBe(-1);
    expect(compareFirmwareVersions('2.12.45.16.1', '2.12.45.16.1')).toBe(0);
    expect(compareFirmwareVersions('2.12.45.1', '2.12.45')).toBe(1);
    expect(compareFirmwareVersions('1.6.3', '1.6')).toBe(1);
  });
});
