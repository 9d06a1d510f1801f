// The KX-UT670 catalogue against the reference table extracted from the Administrator Guide
// (../shared/catalog/kx-ut670-params.tsv, Sections 5.4–5.8): every row present with the same scope,
// format, default, section and Web field; the range prose parsed and checked with the catalogue's
// own validator; defaults valid; canonical paths resolvable; cross checks.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kxUt670Catalogue as catalogue, kxUt670CatalogueSpec as spec } from '../../firmware-sim/models/kx-ut670/catalogue.js';
import { buildDeviceSettings } from '../../src/settings/build-canonical.js';
import { expandName } from '../../src/settings/catalogue.js';
import type { ParamDef, ParamIndex } from '../../src/settings/types.js';
import { sharedPath } from '../helpers/shared-dir.js';

// ---------------------------------------------------------------------------------------------
// Reference tables

function readTsv(file: string): Array<Record<string, string>> {
  const text = readFileSync(sharedPath('catalog', file), 'utf8');
  const [header, ...lines] = text.split('\n').filter((l) => l !== '');
  const columns = header!.split('\t');
  return lines.map((line) => {
    const cells = line.split('\t');
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']));
  });
}

interface TsvParam {
  name: string;
  scope: string;
  format: string;
  range: string;
  default: string;
  section: string;
  web_ui: string;
}

const tsv = readTsv('kx-ut670-params.tsv') as unknown as TsvParam[];
const timeZones = readTsv('kx-ut670-timezones.tsv');

const row = (template: string): ParamDef => {
  const def = catalogue.row(template);
  if (!def) throw new Error(`no row ${template}`);
  return def;
};

/** Every index of a row, to check per-index defaults and expanded names. */
function indicesOf(def: ParamDef): ParamIndex[] {
  const s = def.scope;
  const count = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
  switch (s.kind) {
    case 'global':
      return [{}];
    case 'line':
      return count(s.count).map((line) => ({ line }));
    case 'button':
      return count(s.count).map((button) => ({ button }));
    case 'codec-line':
      return count(s.lines).flatMap((line) => s.codecs.map((codec) => ({ codec, line })));
  }
}

/** A concrete name of the template (line 1, button 1, codec 0 of line 1). */
function firstName(def: ParamDef): string {
  return expandName(def, indicesOf(def)[0]!);
}

const accepts = (name: string, value: string): boolean => catalogue.validate(name, value).ok;

// ---------------------------------------------------------------------------------------------
// Coverage: names, scopes, formats, defaults, sections, Web fields

describe('KX-UT670 catalogue covers kx-ut670-params.tsv', () => {
  it('has the 215 reference rows, model KX-UT670', () => {
    expect(tsv).toHaveLength(215);
    expect(spec.model).toBe('KX-UT670');
    expect(catalogue.model).toBe('KX-UT670');
  });

  it('has a row for every TSV parameter and no parameter the TSV lacks (no deliberate extras)', () => {
    const tsvNames = tsv.map((r) => r.name).sort();
    const ours = spec.params.map((p) => p.name).sort();
    expect(ours.filter((n) => !tsvNames.includes(n))).toEqual([]);
    expect(tsvNames.filter((n) => !ours.includes(n))).toEqual([]);
    expect(ours).toHaveLength(tsvNames.length);
  });

  it.each(tsv.map((r) => [r.name, r] as const))('%s: same scope, format, section and Web field', (_name, ref) => {
    const def = row(ref.name);
    const scope = def.scope;
    switch (ref.scope) {
      case 'global':
        expect(scope).toEqual({ kind: 'global' });
        break;
      case 'per-line (n=1..6)':
        expect(scope).toEqual({ kind: 'line', count: 6 });
        expect(ref.name).toMatch(/(_n|n)$/);
        break;
      case 'per-button (x=1..24)':
        expect(scope).toEqual({ kind: 'button', count: 24 });
        expect(ref.name).toMatch(/x$/);
        break;
      case 'per-codec-per-line':
        expect(scope).toEqual({
          kind: 'codec-line',
          codecs: [0, 1, 3, 4],
          lines: 6,
          codecNames: { 0: 'G722', 1: 'PCMA', 3: 'G729', 4: 'PCMU' },
        });
        break;
      default:
        throw new Error(`unknown TSV scope ${ref.scope}`);
    }
    expect(def.format).toBe(ref.format);
    expect(def.section).toBe(ref.section);
    expect(def.webField ?? '').toBe(ref.web_ui);
    // The value rule suits the format (5.2.2).
    const kinds: Record<string, string[]> = {
      Integer: ['int'],
      Boolean: ['bool'],
      String: ['string', 'enum'],
      'Comma-separated Integer': ['int-list'],
    };
    expect(kinds[def.format]).toContain(def.rule.kind);
    expect(def.description.length).toBeGreaterThan(0);
    expect(def.description.length).toBeLessThanOrEqual(120);
  });

  it.each(tsv.map((r) => [r.name, r] as const))('%s: same default', (_name, ref) => {
    const def = row(ref.name);
    const defaults = indicesOf(def).map((index) => catalogue.defaultOf(expandName(def, index)));
    if (ref.name === 'SIP_SRC_PORT_n') {
      // The TSV lists the per-line defaults: "5060|5070|5080|5090|5100|5110 (n=1..6)".
      expect(defaults).toEqual(ref.default.replace(/\s*\(.*\)$/, '').split('|'));
    } else if (ref.name === 'CFG_FILE_KEY1') {
      // "A unique value is preset to each unit.": the static default is empty; the device runtime
      // derives each unit's key from its MAC address.
      expect(ref.default).toBe('A unique value is preset to each unit.');
      expect(defaults).toEqual(['']);
    } else if (ref.name === 'SDP_USER_ID_n') {
      // The manual prints "–" (undocumented, catalog README garbled place 14); we use empty.
      expect(ref.default).toBe('–');
      expect(new Set(defaults)).toEqual(new Set(['']));
    } else {
      const want = ref.default === '""' ? '' : ref.default;
      expect(new Set(defaults)).toEqual(new Set([want]));
    }
  });

  it('expands to every concrete name: 6 lines, 24 buttons, 4 codecs × 6 lines', () => {
    const perRow: Record<string, number> = { global: 1, 'per-line (n=1..6)': 6, 'per-button (x=1..24)': 24, 'per-codec-per-line': 24 };
    const expected = tsv.reduce((sum, r) => sum + perRow[r.scope]!, 0);
    expect(catalogue.names()).toHaveLength(expected);
    for (const name of ['SIP_RGSTR_ADDR_6', 'PROFILE_ENABLE1', 'PROFILE_ENABLE6', 'FLEX_BUTTON_LABEL24', 'CODEC_ENABLE0_1', 'CODEC_PRIORITY4_6', 'RTP_PTIME']) {
      expect(catalogue.has(name), name).toBe(true);
    }
    for (const name of ['PROFILE_ENABLE_1', 'SIP_RGSTR_ADDR_7', 'FLEX_BUTTON_LABEL25', 'CODEC_ENABLE2_1', 'RTP_PTME']) {
      expect(catalogue.has(name), name).toBe(false);
    }
  });

  it('marks passwords and keys secret, and only those', () => {
    const secrets = spec.params.filter((p) => p.secret).map((p) => p.name);
    expect(secrets.sort()).toEqual(['ADMIN_PASS', 'CFG_FILE_KEY1', 'CFG_FILE_KEY2', 'CFG_FILE_KEY3', 'SIP_PASS_n', 'USER_PASS']);
  });

  it('lets files outrank the phone UI for the flexible buttons only (2.5 Note)', () => {
    const outrank = spec.params.filter((p) => p.filesOutrankPhoneUi).map((p) => p.name);
    expect(outrank.sort()).toEqual(['FLEX_BUTTON_FACILITY_ACTx', 'FLEX_BUTTON_FACILITY_ARGx', 'FLEX_BUTTON_LABELx']);
  });

  it('accepts exactly the TIME_ZONE_COUNTRY codes of kx-ut670-timezones.tsv', () => {
    expect(timeZones).toHaveLength(86);
    const codes = timeZones.map((z) => Number(z.code));
    for (const code of codes) expect(accepts('TIME_ZONE_COUNTRY', String(code)), String(code)).toBe(true);
    const rule = row('TIME_ZONE_COUNTRY').rule;
    expect(rule.kind === 'int' ? rule.ranges.map((r) => r.min).sort((a, b) => a - b) : []).toEqual([...codes].sort((a, b) => a - b));
    for (const bad of ['0', '3', '10007', '-110002', '130002', '57500']) expect(accepts('TIME_ZONE_COUNTRY', bad), bad).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// The TSV range prose, parsed and checked with the catalogue's own validator

type Fact =
  | { kind: 'int'; ranges: Array<[number, number]>; step?: number }
  | { kind: 'bool' }
  | { kind: 'enum'; values: string[] }
  | { kind: 'maxLength'; n: number }
  | { kind: 'minLength'; n: number }
  | { kind: 'maxBytes'; n: number }
  | { kind: 'notEmpty' }
  | { kind: 'emptyOk' }
  | { kind: 'exclude'; chars: string[] }
  | { kind: 'only'; chars: string }
  | { kind: 'unicode' }
  | { kind: 'ipv4' }
  | { kind: 'version' }
  | { kind: 'time' }
  | { kind: 'count'; n: number; exact: boolean };

const INT_ALTERNATIVES = /^(-?\d+(?:--?\d+)?(?:\|-?\d+(?:--?\d+)?)*)\s*(Hz|dB|ms per value)?$/;

function parseIntAlternatives(text: string): Array<[number, number]> {
  return text.split('|').map((item) => {
    const m = /^(-?\d+)(?:-(-?\d+))?$/.exec(item)!;
    const min = Number(m[1]);
    return [min, m[2] === undefined ? min : Number(m[2])];
  });
}

function expandCharList(list: string): string {
  // "0-9 * #" → 0123456789*#
  return list
    .split(/\s+/)
    .map((t) => (t === '0-9' ? '0123456789' : t))
    .join('');
}

/** Parses the TSV `range` column (README conventions) into checkable facts; returns what it could not read. */
function parseRange(ref: TsvParam): { facts: Fact[]; ignored: string[] } {
  const facts: Fact[] = [];
  const ignored: string[] = [];
  let text = ref.range.replace(/^\[[A-Z]+[^\]]*\]\s*/, ''); // [RECONSTRUCTED …] notes
  let step: number | undefined;
  if (/even only/.test(text)) step = 2;
  const steps = /(\d+) ms steps/.exec(text);
  if (steps) step = Number(steps[1]);
  if (/Unicode allowed/.test(text)) facts.push({ kind: 'unicode' });
  text = text
    .replace(/ ; /g, ' SEMICOLON ') // the ';' inside `excl " & ' : ; < > space`
    .replace(/\([^()]*\)/g, '') // units and explanations
    .replace(/, even only/g, '');
  for (const raw of text.split(';')) {
    const clause = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^-?\d+\.\.-?\d+, listed codes only: (.*)$/.exec(clause))) {
      facts.push({ kind: 'int', ranges: m[1]!.split('|').map((v) => [Number(v), Number(v)]) });
    } else if ((ref.format === 'Integer' || ref.format === 'Comma-separated Integer') && (m = INT_ALTERNATIVES.exec(clause))) {
      facts.push(step === undefined ? { kind: 'int', ranges: parseIntAlternatives(m[1]!) } : { kind: 'int', ranges: parseIntAlternatives(m[1]!), step });
    } else if (ref.format === 'Boolean' && clause === 'Y|N') {
      facts.push({ kind: 'bool' });
    } else if (ref.format === 'String' && /^[^\s|]+(\|[^\s|]+)+$/.test(clause)) {
      facts.push({ kind: 'enum', values: clause.split('|') });
    } else if ((m = /^max (\d+) chars(?: or (\d+) bytes)?(?:, only (.*))?$/.exec(clause))) {
      facts.push({ kind: 'maxLength', n: Number(m[1]) });
      if (m[2]) facts.push({ kind: 'maxBytes', n: Number(m[2]) });
      if (m[3]) facts.push({ kind: 'only', chars: expandCharList(m[3]) });
    } else if ((m = /^(\d+)-(\d+) chars$/.exec(clause))) {
      facts.push({ kind: 'minLength', n: Number(m[1]) }, { kind: 'maxLength', n: Number(m[2]) });
    } else if ((m = /^(\d+)-byte characters$/.exec(clause))) {
      facts.push({ kind: 'maxLength', n: Number(m[1]) });
    } else if (clause === 'not empty') {
      facts.push({ kind: 'notEmpty' });
    } else if (clause === '"" disables this key') {
      facts.push({ kind: 'emptyOk' });
    } else if ((m = /^excl (.*)$/.exec(clause))) {
      const map: Record<string, string> = { space: ' ', SEMICOLON: ';' };
      facts.push({ kind: 'exclude', chars: m[1]!.split(/\s+/).map((t) => map[t] ?? t) });
    } else if (clause === 'Unicode allowed') {
      // recorded above
    } else if (clause === 'IPv4 dotted-decimal only') {
      facts.push({ kind: 'ipv4' });
    } else if (clause === '00.000-15.999') {
      facts.push({ kind: 'version' });
    } else if (clause === '00:00-23:59 or ""') {
      facts.push({ kind: 'time' });
    } else if ((m = /^(up to )?(\d+) values$/.exec(clause))) {
      facts.push({ kind: 'count', n: Number(m[2]), exact: !m[1] });
    } else if (clause !== '') {
      ignored.push(clause);
    }
  }
  return { facts, ignored };
}

/** Strings of exactly `length` characters in the shapes the string rules want. */
function samplesOfLength(length: number): string[] {
  const out = ['a'.repeat(length), '1'.repeat(length)];
  if (length > 7) out.push(`http://${'a'.repeat(length - 7)}`);
  if (length - 68 >= 1 && length - 68 <= 127) out.push(`sip:${'u'.repeat(63)}@${'h'.repeat(length - 68)}`);
  if (length > 8) out.push(`sip:${'u'.repeat(length - 8)}@h.x`);
  return out;
}

/** A short valid value of a string row, to insert characters into. */
function baseValue(name: string): string {
  const candidates = ['abcdefgh', '12345678', 'sip:abc@example.com', 'http://example.com/a', 'abcdefgh'.repeat(4)];
  const found = candidates.find((c) => accepts(name, c));
  if (found === undefined) throw new Error(`${name}: no base value accepted`);
  return found;
}

function insertMiddle(value: string, ch: string): string {
  const at = Math.floor(value.length / 2);
  return value.slice(0, at) + ch + value.slice(at);
}

function listOf(item: number, count: number): string {
  return Array.from({ length: count }, () => String(item)).join(',');
}

function checkFacts(ref: TsvParam, facts: Fact[]): void {
  const name = firstName(row(ref.name));
  const ok = (value: string) => expect(accepts(name, value), `${name}="${value}" should be accepted`).toBe(true);
  const bad = (value: string) => expect(accepts(name, value), `${name}="${value}" should be rejected`).toBe(false);
  const count = facts.find((f): f is Extract<Fact, { kind: 'count' }> => f.kind === 'count');
  const isList = ref.format === 'Comma-separated Integer';
  // Lists are built with the stated count (exact) or a single value ("up to N").
  const wrap = (v: number) => (isList && count?.exact ? listOf(v, count.n) : String(v));
  const hasFact = (kind: Fact['kind']) => facts.some((f) => f.kind === kind);

  for (const fact of facts) {
    switch (fact.kind) {
      case 'int': {
        const inside = (v: number) => fact.ranges.some(([a, b]) => v >= a && v <= b);
        for (const [min, max] of fact.ranges) {
          ok(wrap(min));
          ok(wrap(max));
          if (!inside(min - 1)) bad(wrap(min - 1));
          if (!inside(max + 1)) bad(wrap(max + 1));
          if (fact.step !== undefined) {
            bad(wrap(min + 1));
            ok(wrap(min + fact.step));
          }
        }
        bad('abc');
        bad('');
        bad('1.5');
        break;
      }
      case 'count': {
        const item = (facts.find((f) => f.kind === 'int') as Extract<Fact, { kind: 'int' }>).ranges.at(-1)![1];
        ok(listOf(item, fact.n));
        bad(listOf(item, fact.n + 1));
        bad('');
        break;
      }
      case 'bool':
        for (const v of ['Y', 'N']) ok(v);
        for (const v of ['y', 'n', 'yes', '1', '']) bad(v);
        break;
      case 'enum':
        for (const v of fact.values) ok(v);
        bad('NOT_LISTED');
        bad(fact.values[0]!.toLowerCase() === fact.values[0] ? fact.values[0]!.toUpperCase() : fact.values[0]!.toLowerCase());
        break;
      case 'maxLength': {
        expect(samplesOfLength(fact.n).some((s) => accepts(name, s)), `${name}: some value of ${fact.n} characters accepted`).toBe(true);
        for (const s of samplesOfLength(fact.n + 1)) bad(s);
        break;
      }
      case 'minLength':
        expect(samplesOfLength(fact.n).some((s) => accepts(name, s)), `${name}: some value of ${fact.n} characters accepted`).toBe(true);
        if (fact.n > 1) for (const s of samplesOfLength(fact.n - 1)) bad(s);
        break;
      case 'maxBytes': {
        const maxChars = (facts.find((f) => f.kind === 'maxLength') as { n: number }).n;
        ok('日'.repeat(fact.n / 3)); // 3-byte characters up to the byte limit
        bad('𝄞'.repeat(Math.floor(fact.n / 4) + 1)); // under the character limit, over the byte limit
        expect(Math.floor(fact.n / 4) + 1).toBeLessThanOrEqual(maxChars);
        break;
      }
      case 'notEmpty':
        bad('');
        break;
      case 'emptyOk':
        ok('');
        break;
      case 'exclude': {
        const base = baseValue(name);
        for (const ch of fact.chars) bad(insertMiddle(base, ch));
        break;
      }
      case 'only': {
        const base = '1'.repeat(3);
        ok(base);
        for (const ch of fact.chars) ok(insertMiddle(base, ch));
        for (const ch of ['a', '+', '-', ' ', '*', '#'].filter((c) => !fact.chars.includes(c))) bad(insertMiddle(base, ch));
        break;
      }
      case 'unicode':
        ok('Jörg 日本');
        break;
      case 'ipv4':
        ok('192.168.0.1');
        ok('255.255.255.255');
        ok('');
        for (const v of ['pbx.example.com', '256.1.1.1', '1.2.3', '1.2.3.4.5']) bad(v);
        break;
      case 'version':
        for (const v of ['00.000', '15.999', '01.234']) ok(v);
        for (const v of ['16.000', '1.234', '01.23', 'abc']) bad(v);
        break;
      case 'time':
        for (const v of ['00:00', '23:59', '']) ok(v);
        for (const v of ['24:00', '12:60', '7:30', '12.30']) bad(v);
        break;
    }
  }
  // 5.2.3: Unicode only where the range says so.
  if (ref.format === 'String' && !hasFact('unicode') && !hasFact('enum') && !hasFact('only') && !hasFact('ipv4') && !hasFact('version') && !hasFact('time')) {
    bad(insertMiddle(baseValue(name), 'é'));
  }
}

describe('KX-UT670 catalogue against the TSV range prose', () => {
  const parsed = tsv.map((ref) => ({ ref, ...parseRange(ref) }));

  it.each(parsed.filter((p) => p.facts.length > 0).map((p) => [p.ref.name, p] as const))('%s: bounds and values as the TSV states', (_name, p) => {
    checkFacts(p.ref, p.facts);
  });

  it('parses the range prose of (almost) every row', () => {
    const unparsed = parsed.filter((p) => p.facts.length === 0).map((p) => `${p.ref.name}: ${p.ref.range}`);
    if (unparsed.length > 0) console.info(`range prose not checked mechanically:\n  ${unparsed.join('\n  ')}`);
    expect(unparsed.length).toBeLessThanOrEqual(3);
    // Clauses left unparsed must be prose about behaviour, dependencies or hints, never a bound:
    // dependencies between parameters are the cross checks, the rest is in the rows' comments.
    const prose = [
      /^RFC 1738 URL$/,
      /substituted$/,
      /^\{fwver\} replaced by FIRM_VERSION$/,
      /^trailing "\/" appends /,
      /^non-empty disables /,
      /^used only if \w+ is an IP address$/,
      /^first value >=\d+ recommended$/,
      /^off1,on1,\.\.\.$/,
      /file <=5 MB$/,
      /^optional "b," or "w," prefix$/,
      /^(DN|HEADSET|CONTACT\/ONETOUCH): /,
      /^x=0 G\.722, 1 PCMA, 3 G\.729A, 4 PCMU$/,
      /^dial plan syntax of 6\.6$/,
      /^only when SIP_TRANSPORT_n=0$/,
      // cross checks (5.7.2, 5.8.1, 4.6.2.5)
      /^must be [<>]=? \w+_DELAY_n and [<>]=? \w+_DELAY_n$/,
      /^[<>]= RTP_PORT_M(IN|AX)[+-]400$/,
      /^not Y together with \w+_ENABLE_n$/,
      /^unique per line$/,
    ];
    const ignored = parsed.flatMap((p) => p.ignored.map((c) => `${p.ref.name}: ${c}`));
    expect(ignored.filter((c) => !prose.some((re) => re.test(c.slice(c.indexOf(': ') + 2))))).toEqual([]);
    expect(parsed.reduce((n, p) => n + p.facts.length, 0)).toBeGreaterThan(250);
  });
});

// ---------------------------------------------------------------------------------------------
// Defaults and canonical settings

const defaults = (name: string): string => {
  const v = catalogue.defaultOf(name);
  if (v === undefined) throw new Error(`unknown ${name}`);
  return v;
};

function withValues(values: Record<string, string>): (name: string) => string {
  return (name) => values[name] ?? defaults(name);
}

describe('KX-UT670 defaults and canonical mapping', () => {
  it('every default validates against its own rule', () => {
    const failures = catalogue.names().flatMap((name) => {
      const r = catalogue.validate(name, defaults(name));
      return r.ok ? [] : [r.error.message];
    });
    expect(failures).toEqual([]);
  });

  it('builds DeviceSettings from the defaults (every canonical path resolves)', () => {
    const settings = buildDeviceSettings(catalogue, { lineCount: 6, buttonCount: 24 }, (name) => catalogue.defaultOf(name)!);
    expect(settings.lines).toHaveLength(6);
    expect(settings.buttons).toHaveLength(24);
    expect(settings.lines.map((l) => l.localPort)).toEqual([5060, 5070, 5080, 5090, 5100, 5110]);
    expect(settings.accounts).toEqual({ adminId: 'admin', adminPassword: 'adminpass', userId: 'user', userPassword: '' });
    expect(settings.sip).toMatchObject({ dndResponseCode: 403, rejectResponseCode: 603, userAgent: 'Panasonic_{MODEL}/{fwver} ({mac})' });
    expect(settings.http.http10).toBe(true);
    expect(settings.http.portAlwaysOpen).toBe(false);
    expect(settings.provisioning.keys).toEqual(['', '', '']);
    expect(settings.lines[0]!.timers).toEqual({ t1Ms: 500, t2Ms: 4000, t4Ms: 0, bMs: 32000, dMs: 5000, fMs: 32000, hMs: 32000, jMs: 5000 });
    expect(settings.lines[0]!.jitterBuffer).toEqual({ minMs: 20, nominalMs: 20, maxMs: 200 });
    expect(settings.lines[0]!.codecs).toEqual({
      G722: { enabled: true, priority: 1 },
      PCMA: { enabled: true, priority: 1 },
      G729: { enabled: true, priority: 1 },
      PCMU: { enabled: true, priority: 1 },
    });
    expect(settings.tones.stutter!.timingMs).toHaveLength(22);
    expect(settings.tones.hold).toEqual({ frequenciesHz: [425], gainDb: 0, timingMs: [500, 190, 190, 190, 2890] });
    expect(settings.buttons[23]).toEqual({ action: 'line', argument: '1,1', label: '' });
  });

  it('maps no two rows onto the same canonical path', () => {
    const key = (p: ParamDef) => `${p.scope.kind === 'codec-line' ? 'line' : p.scope.kind}:${p.canonical}`;
    const keys = spec.params.filter((p) => p.canonical).map(key);
    expect(keys.filter((k, i) => keys.indexOf(k) !== i)).toEqual([]);
  });

  it('converts units and enumerations where the plain conversion would be wrong', () => {
    const s = buildDeviceSettings(
      catalogue,
      { lineCount: 6, buttonCount: 24 },
      withValues({
        SIP_TIMER_T2_1: '8',
        SIP_TIMER_T4_1: '5',
        SIP_TRANSPORT_2: '1',
        MAX_DELAY_1: '20',
        MIN_DELAY_1: '1',
        NOM_DELAY_1: '7',
        SIP_SESSION_METHOD_3: '1',
        SIP_SESSION_METHOD_4: '2',
        SIP_REFRESHER_3: '1',
        SIP_REFRESHER_4: '2',
        HTTP_VER: '0',
        CFG_FILE_KEY2: 'k'.repeat(32),
        CODEC_ENABLE3_5: 'N',
        CODEC_PRIORITY0_5: '7',
        LINE_ENABLE_6: 'Disabled',
        PROFILE_ENABLE5: 'Disabled',
        FLEX_BUTTON_FACILITY_ACT2: 'X_PANASONIC_IPTEL_CONTACT',
        FLEX_BUTTON_FACILITY_ACT3: 'X_PANASONIC_IPTEL_ONETOUCH',
        FLEX_BUTTON_FACILITY_ACT4: 'X_PANASONIC_IPTEL_HEADSET',
        FLEX_BUTTON_FACILITY_ACT5: '',
        RTCP_SEND_BY_SDP_1: '1',
        CODEC_G711_REQ: '0',
        REORDER_TONE_FRQ: '400',
        DIAL_PLAN_NOT_MATCH_ENABLE_2: 'Y',
      }),
    );
    const [l1, l2, l3, l4, l5, l6] = s.lines;
    expect(l1!.timers.t2Ms).toBe(8000);
    expect(l1!.timers.t4Ms).toBe(5000);
    expect(l1!.transport).toBe('udp');
    expect(l2!.transport).toBe('tcp');
    expect(l1!.jitterBuffer).toEqual({ minMs: 10, nominalMs: 70, maxMs: 200 });
    expect(l1!.sessionTimer.method).toBe('reinvite');
    expect(l3!.sessionTimer).toMatchObject({ method: 'update', refresher: 'uas' });
    expect(l4!.sessionTimer).toMatchObject({ method: 'auto', refresher: 'uac' });
    expect(l1!.sessionTimer.refresher).toBe('none');
    expect(s.http.http10).toBe(false);
    expect(s.provisioning.keys).toEqual(['', 'k'.repeat(32), '']);
    expect(l5!.codecs.G729!.enabled).toBe(false);
    expect(l5!.codecs.G722!.priority).toBe(7);
    expect(l5!.profileEnabled).toBe(false);
    expect(l5!.enabled).toBe(true);
    expect(l6!.enabled).toBe(false);
    expect(s.buttons.slice(0, 5).map((b) => b.action)).toEqual(['line', 'contact', 'one-touch', 'headset', 'none']);
    expect(l1!.rtcp.useSdpPort).toBe(true);
    expect(s.rtp.g711Required).toBe(false);
    expect(s.tones.reorder!.frequenciesHz).toEqual([400]);
    expect(l2!.dialPlanBlockUnmatched).toBe(true);
  });

  it('carries a canonical key on every row the firmware reads; only network/cosmetic rows lack one', () => {
    const without = spec.params.filter((p) => !p.canonical).map((p) => p.name);
    expect(without.sort()).toEqual(
      [
        'CUSTOM_WEB_PAGE',
        'LLDP_ENABLE',
        'LLDP_INTERVAL',
        'LLDP_VLAN_ID_PC',
        'LLDP_VLAN_PRI_PC',
        'LOGO_URI_PHONE',
        'NW_SETTING_ENABLE',
        'VLAN_ENABLE',
        'VLAN_ID_IP_PHONE',
        'VLAN_ID_PC',
        'VLAN_PRI_IP_PHONE',
        'VLAN_PRI_PC',
        'WALLPAPER_URI_HOME',
        'WALLPAPER_URI_PHONE',
      ].sort(),
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Validation, one kind of rule at a time, on real rows

describe('KX-UT670 value validation', () => {
  const ok = (name: string, ...values: string[]) => {
    for (const v of values) expect(catalogue.validate(name, v), `${name}="${v}"`).toEqual({ ok: true, value: v });
  };
  const bad = (name: string, ...values: string[]) => {
    for (const v of values) {
      const r = catalogue.validate(name, v);
      expect(r.ok, `${name}="${v}" should be rejected`).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('SETTING_BAD_VALUE');
        expect(r.error.message.startsWith(`${name}: `)).toBe(true);
      }
    }
  };

  it('Integer with alternatives: 0 or 60–65535', () => {
    ok('SIP_SESSION_TIME_1', '0', '60', '1800', '65535');
    bad('SIP_SESSION_TIME_1', '1', '59', '65536', '-1', '', 'abc', ' 60', '60 ');
    ok('SIP_TIMER_D_4', '0', '250', '64000');
    bad('SIP_TIMER_D_4', '249', '1', '64001');
    ok('TONE_LEN_DISCONNECT_HANDSET', '1', '15');
    ok('DIAL_TONE1_GAIN', '-24', '6', '0');
    bad('DIAL_TONE1_GAIN', '-25', '7');
    ok('REG_EXPIRE_TIME_2', '4294967295');
    bad('REG_EXPIRE_TIME_2', '4294967296', '0');
  });

  it('Integer listed values: T1, T2, ptime, key length', () => {
    ok('SIP_TIMER_T1_1', '250', '500', '1000', '2000', '4000');
    bad('SIP_TIMER_T1_1', '750', '8000', '0');
    ok('SIP_TIMER_T2_3', '2', '32');
    bad('SIP_TIMER_T2_3', '3', '64');
    ok('RTP_PTIME', '20', '30', '40');
    bad('RTP_PTIME', '10', '25', '60');
    bad('CFG_FILE_KEY_LENGTH', '129', '512');
  });

  it('Integer steps: even RTP ports, DTMF in 5 ms units', () => {
    ok('RTP_PORT_MIN', '1024', '16000', '48750');
    bad('RTP_PORT_MIN', '1025', '16001', '48752', '1022');
    ok('RTP_PORT_MAX', '1424', '49150');
    bad('RTP_PORT_MAX', '1425', '49151');
    ok('DTMF_SIGNAL_LEN', '60', '65', '180', '200');
    bad('DTMF_SIGNAL_LEN', '61', '62', '199', '205', '55');
    ok('DTMF_INTDIGIT_TIM', '90', '95');
    bad('DTMF_INTDIGIT_TIM', '91');
  });

  it('Boolean is "Y" or "N" only', () => {
    ok('CW_ENABLE_1', 'Y', 'N');
    bad('CW_ENABLE_1', 'y', 'n', 'Yes', '1', '', 'Enabled');
  });

  it('String enumerations', () => {
    ok('FLASHHOOK_CONTENT_TYPE', 'Signal', 'flashhook');
    bad('FLASHHOOK_CONTENT_TYPE', 'signal', 'Flashhook', '');
    ok('DEFAULT_LANGUAGE', 'en-US', 'en-GB', 'de', 'fr', 'fr-CA', 'it', 'es', 'nl', 'ru', 'ja');
    bad('DEFAULT_LANGUAGE', 'en', 'pt', 'EN-US');
    ok('LINE_ENABLE_3', 'Enabled', 'Disabled');
    bad('LINE_ENABLE_3', 'Y', 'enabled');
    ok('PROFILE_ENABLE2', 'Disabled');
    // 5.6.4: empty means "no action"; the IPTTEL misprint of 5.6.4/6.1 is not a valid value.
    ok('FLEX_BUTTON_FACILITY_ACT7', '', 'X_PANASONIC_IPTEL_DN', 'X_PANASONIC_IPTEL_HEADSET', 'X_PANASONIC_IPTEL_CONTACT', 'X_PANASONIC_IPTEL_ONETOUCH');
    bad('FLEX_BUTTON_FACILITY_ACT7', 'X_PANASONIC_IPTTEL_DN', 'DN');
  });

  it('String length: max, min–max, not empty, exact key length, 500-character cap', () => {
    ok('ADMIN_PASS', 'abcdef', 'a'.repeat(16));
    bad('ADMIN_PASS', 'abcde', 'a'.repeat(17), '');
    ok('USER_PASS', '', 'abcdef');
    bad('USER_PASS', 'abc', 'a'.repeat(17));
    ok('ADMIN_ID', 'a', 'a'.repeat(16));
    bad('ADMIN_ID', '', 'a'.repeat(17));
    bad('SIP_USER_AGENT', '');
    ok('SIP_USER_AGENT', 'x'.repeat(40));
    bad('SIP_USER_AGENT', 'x'.repeat(41));
    ok('CFG_FILE_KEY3', '', 'K'.repeat(32));
    bad('CFG_FILE_KEY3', 'K'.repeat(31), 'K'.repeat(33));
    ok('DIAL_PLAN_1', '1'.repeat(500));
    bad('DIAL_PLAN_1', '1'.repeat(501));
  });

  it('String characters: exclusions, digits only, ASCII only, Unicode where allowed, bytes', () => {
    ok('SIP_AUTHID_1', 'alice-01_x.y!');
    for (const ch of ['"', '&', "'", ':', '<', '>', ' ']) bad('SIP_AUTHID_1', `al${ch}ice`);
    bad('SIP_PASS_2', 'pass word', 'jörg');
    ok('COUNTRY_CALLING_CODE', '49', '');
    bad('COUNTRY_CALLING_CODE', '+49', '4*9');
    ok('INTERNATIONAL_ACCESS_CODE', '00', '*#0');
    bad('INTERNATIONAL_ACCESS_CODE', '+', '00a', '123456789');
    ok('NUM_PLAN_PICKUP_DIRECT', '*8#1');
    bad('NUM_PLAN_PICKUP_DIRECT', '*8#12');
    ok('DISPLAY_NAME_4', 'Jörg Müller', '山田 太郎', 'x'.repeat(24));
    bad('DISPLAY_NAME_4', 'x'.repeat(25), 'tab\there');
    bad('VM_NUMBER_1', 'vöice');
    ok('FLEX_BUTTON_LABEL1', 'Reception', '日本語のラベル', 'ab'.repeat(5));
    bad('FLEX_BUTTON_LABEL1', 'x'.repeat(11), '𝄞'.repeat(8));
    ok('DIAL_PLAN_2', '[2346789]11|01[2-9]x.[2-9]xxxxxxxx', '<101:9999>', '1x.S2', '1x.T', '123xxx!', '+1xxx');
    bad('DIAL_PLAN_2', '1xxx a', '(1xxx)', '1xx;2xx');
  });

  it('String shapes: hosts, IPv4, URLs, SIP URIs, versions, times', () => {
    ok('SIP_RGSTR_ADDR_1', 'pbx.example.com', '192.168.0.10', '');
    bad('SIP_RGSTR_ADDR_1', 'pbx example.com', 'pbx.example.com:5060', 'sip:pbx');
    ok('SIP_2NDRGSTR_ADDR_1', '10.0.0.2', '');
    bad('SIP_2NDRGSTR_ADDR_1', 'pbx.example.com', '10.0.0.256');
    ok('CFG_STANDARD_FILE_PATH', 'http://prov.example.com/cfg/{mac}.cfg', 'https://user:pw@prov.example.com:8443/dir/', 'tftp://10.0.0.1/sip.cfg', '');
    bad('CFG_STANDARD_FILE_PATH', 'prov.example.com/cfg', 'http://', `http://${'u'.repeat(128)}:pw@host/x`);
    // DEVIATION (garbled place 9): ':' is allowed in the "sip:" prefix only.
    ok('SIP_URI_1', 'sip:alice@example.com', 'alice@example.com', 'sip:example.com', '');
    bad('SIP_URI_1', 'sip:alice@example.com:5060', 'sips:alice@example.com', 'sip:al ice@example.com', 'sip:alice;x@example.com', `sip:${'u'.repeat(64)}@h`);
    ok('RESOURCELIST_URI_6', 'sip:blf-list@example.com');
    ok('CONFERENCE_SERVER_URI', 'sip:conference@example.com');
    ok('FIRM_VERSION', '', '01.000', '15.999');
    bad('FIRM_VERSION', '16.000', '1.0');
    ok('CFG_RESYNC_TIME', '', '03:30');
    bad('CFG_RESYNC_TIME', '3:30', '24:00');
  });

  it('Comma-separated Integer: value ranges and counts', () => {
    ok('DIAL_TONE1_FRQ', '350,440', '425', '0', '0,0', '200,2000');
    bad('DIAL_TONE1_FRQ', '', '199', '2001', '350,440,480', '350,', ',440', '350,,440', '350 ,440', 'a,b');
    ok('DIAL_TONE1_TIMING', '60,0', listOf(16000, 10));
    bad('DIAL_TONE1_TIMING', listOf(100, 11), '16001', '-1', '');
    ok('DIAL_TONE4_TIMING', listOf(100, 22));
    bad('DIAL_TONE4_TIMING', listOf(100, 23));
    ok('HOLD_ALARM_FRQ', '425');
  });

  it('rejects unknown names, control characters and values over 500 characters', () => {
    const r = catalogue.validate('NO_SUCH_PARAM', '1');
    expect(r.ok ? '' : r.error.code).toBe('SETTING_UNKNOWN');
    bad('SIP_SVCDOMAIN_1', 'example.com\r\n');
    bad('WALLPAPER_URI_HOME', `http://x/${'a'.repeat(500)}`);
  });
});

// ---------------------------------------------------------------------------------------------
// Cross-parameter checks

describe('KX-UT670 cross checks', () => {
  const problems = (values: Record<string, string>) => catalogue.crossCheckProblems(withValues(values));

  it('stay silent on the factory defaults', () => {
    expect(problems({})).toEqual([]);
  });

  it('cite a manual section each', () => {
    for (const c of catalogue.crossChecks) {
      expect(c.section).toMatch(/^[45]\.\d+\.\d+(\.\d+)?$/);
      for (const name of c.names) expect(catalogue.has(name), name).toBe(true);
    }
  });

  it('jitter buffer: MIN_DELAY_n <= NOM_DELAY_n < MAX_DELAY_n (5.7.2)', () => {
    expect(problems({ MIN_DELAY_3: '1', NOM_DELAY_3: '1', MAX_DELAY_3: '3' })).toEqual([]);
    const nomBelowMin = problems({ MIN_DELAY_3: '2', NOM_DELAY_3: '1' });
    expect(nomBelowMin).toHaveLength(1);
    expect(nomBelowMin[0]!.names).toEqual(['MIN_DELAY_3', 'NOM_DELAY_3', 'MAX_DELAY_3']);
    expect(nomBelowMin[0]!.message).toContain('MIN_DELAY_3');
    expect(problems({ NOM_DELAY_2: '5', MAX_DELAY_2: '5' })[0]!.message).toContain('NOM_DELAY_2 (5) must be less than MAX_DELAY_2 (5)');
    expect(problems({ MIN_DELAY_1: '2', NOM_DELAY_1: '2', MAX_DELAY_1: '2' })).toHaveLength(1);
    // A value that fails its own rule is left to the per-value validator.
    expect(problems({ MIN_DELAY_1: 'x' })).toEqual([]);
  });

  it('RTP ports: RTP_PORT_MIN <= RTP_PORT_MAX - 400 (5.7.2)', () => {
    expect(problems({ RTP_PORT_MIN: '19600', RTP_PORT_MAX: '20000' })).toEqual([]);
    const p = problems({ RTP_PORT_MIN: '19602', RTP_PORT_MAX: '20000' });
    expect(p).toHaveLength(1);
    expect(p[0]!.names).toEqual(['RTP_PORT_MIN', 'RTP_PORT_MAX']);
  });

  it('Shared Call and DND/Forward synchronization are not both Y (5.8.1)', () => {
    expect(problems({ SHARED_CALL_ENABLE_2: 'Y' })).toEqual([]);
    expect(problems({ FWD_DND_SYNCHRO_ENABLE_2: 'Y' })).toEqual([]);
    const p = problems({ SHARED_CALL_ENABLE_2: 'Y', FWD_DND_SYNCHRO_ENABLE_2: 'Y' });
    expect(p.map((x) => x.names)).toEqual([['SHARED_CALL_ENABLE_2', 'FWD_DND_SYNCHRO_ENABLE_2']]);
  });

  it('SIP source ports are unique across lines (4.6.2.5)', () => {
    const p = problems({ SIP_SRC_PORT_4: '5060' });
    expect(p).toHaveLength(1);
    expect(p[0]!.message).toContain('SIP_SRC_PORT_4 (5060) is the same port as SIP_SRC_PORT_1');
    expect(problems({ SIP_SRC_PORT_4: '5062' })).toEqual([]);
  });

  it('flexible button argument fits its facility action (5.6.4)', () => {
    expect(problems({ FLEX_BUTTON_FACILITY_ARG3: '32,6' })).toEqual([]);
    expect(problems({ FLEX_BUTTON_FACILITY_ARG3: '' })).toEqual([]);
    for (const arg of ['33,1', '1,7', '0,1', '1', 'a,b']) {
      expect(problems({ FLEX_BUTTON_FACILITY_ARG3: arg }).map((x) => x.names), arg).toEqual([['FLEX_BUTTON_FACILITY_ACT3', 'FLEX_BUTTON_FACILITY_ARG3']]);
    }
    // CONTACT (BLF) and ONETOUCH need a 1–32 digit number; the default "1,1" is not one.
    expect(problems({ FLEX_BUTTON_FACILITY_ACT9: 'X_PANASONIC_IPTEL_CONTACT' })).toHaveLength(1);
    expect(problems({ FLEX_BUTTON_FACILITY_ACT9: 'X_PANASONIC_IPTEL_CONTACT', FLEX_BUTTON_FACILITY_ARG9: '201' })).toEqual([]);
    expect(problems({ FLEX_BUTTON_FACILITY_ACT9: 'X_PANASONIC_IPTEL_ONETOUCH', FLEX_BUTTON_FACILITY_ARG9: '1'.repeat(32) })).toEqual([]);
    expect(problems({ FLEX_BUTTON_FACILITY_ACT9: 'X_PANASONIC_IPTEL_ONETOUCH', FLEX_BUTTON_FACILITY_ARG9: '1'.repeat(33) })).toHaveLength(1);
    // HEADSET takes no argument; an empty action means no action: nothing to check.
    expect(problems({ FLEX_BUTTON_FACILITY_ACT9: 'X_PANASONIC_IPTEL_HEADSET', FLEX_BUTTON_FACILITY_ARG9: 'anything' })).toEqual([]);
    expect(problems({ FLEX_BUTTON_FACILITY_ACT9: '', FLEX_BUTTON_FACILITY_ARG9: 'anything' })).toEqual([]);
  });
});
