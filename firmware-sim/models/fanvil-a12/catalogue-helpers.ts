// Building blocks of the Fanvil A12 catalogue. The A12 manual (software 2.12.45) publishes no
// configuration-file parameter names, so the names are ours, modelled on the text file Fanvil
// devices export from System >> Configurations (9.4): `<<VOIP CONFIG FILE>>Version:2.0000000000`,
// then `<XXX CONFIG MODULE>` sections of `Key Name          :value` lines, `--List--  :` markers
// inside a module, and `<<END OF FILE>>` (src/provisioning/formats/fanvil-cfg.ts). Where a Fanvil
// export of a sister model carries the setting, its key is used as it is spelt there; otherwise a
// name in the same style is chosen and docs/fanvil-a12-parameters.md says so.
//
// Every row records the module (and list) it is written in, which ParamDef has no field for: an
// A12Param is a ParamDef plus `module`, `list`, and the line / item number it belongs to.
// Indexed settings (2 SIP lines, 5 call buttons, 10 multicast groups, 2 inputs, 2 outputs, …)
// are written out as one global row per concrete name (`SIP1 Phone Number`, `SIP2 Phone Number`):
// the index sits in the middle of Fanvil names, which expandName() (src/settings/catalogue.ts)
// cannot place, and a canonical path such as `lines.1.authId` reaches the right line directly.
import type { ParamDef, ValueFormat, ValueRule } from '../../../src/settings/types.js';

export const A12_LINES = 2;
export const A12_CALL_BUTTONS = 5;
export const A12_MCAST_GROUPS = 10;
export const A12_INPUTS = 2;
export const A12_OUTPUTS = 2;

export interface A12Param extends ParamDef {
  /** Module the key is written in, without brackets: `SIP CONFIG MODULE`. */
  readonly module: string;
  /** List marker inside the module the key follows, e.g. `--SIP Line List--`. */
  readonly list?: string;
  /** SIP line (1–2) of a per-line row. */
  readonly line?: number;
  /** Item number of a repeated row: call button, multicast group, input, output, rule… */
  readonly item?: number;
}

/** A row before its module is known. */
export type Draft = Omit<A12Param, 'scope' | 'format' | 'module' | 'list'> & { readonly format?: ValueFormat };

/** A ValueRule whose enumerated file values have meanings, listed in the docs. */
export type LabelledRule = ValueRule & { readonly labels?: Readonly<Record<string, string>> };

export interface RowExtra {
  readonly canonical?: string;
  readonly toCanonical?: (value: string) => unknown;
  readonly secret?: boolean;
  readonly readOnly?: boolean;
  readonly format?: ValueFormat;
  readonly line?: number;
  readonly item?: number;
}

/** Marker put in descriptions whose default the manual does not give. */
export const NO_DEFAULT = 'Default not stated in the manual.';

/**
 * One row. `section` is the A12 manual section (`9.12`), `webField` the web page field and page,
 * e.g. `Auto Answering Delay [9.12 Line >> SIP >> Basic Settings]`.
 */
export function p(name: string, rule: LabelledRule, def: string, section: string, webField: string, description: string, extra: RowExtra = {}): Draft {
  const labels = rule.labels ? ` Values: ${Object.entries(rule.labels).map(([v, l]) => `${v} = ${l}`).join(', ')}.` : '';
  return { name, rule, default: def, section, webField, description: `${description}${labels}`, ...extra };
}

/** Places drafts in a module (and list); infers the value format from the rule. */
export function mod(module: string, list: string | undefined, drafts: readonly Draft[]): A12Param[] {
  return drafts.map((d) => {
    const { format, ...rest } = d;
    const row: A12Param = { ...rest, scope: { kind: 'global' }, format: format ?? formatOf(d.rule), module };
    return list === undefined ? row : { ...row, list };
  });
}

function formatOf(rule: ValueRule): ValueFormat {
  switch (rule.kind) {
    case 'int':
      return 'Integer';
    case 'bool':
      return 'Boolean';
    case 'enum':
      if (rule.values.length === 2 && rule.values[0] === '0' && rule.values[1] === '1') return 'Boolean';
      return rule.values.every((v) => /^-?[0-9]+$/.test(v)) ? 'Integer' : 'String';
    case 'int-list':
      return 'Comma-separated Integer';
    case 'string-list':
      return 'Comma-separated String';
    case 'string':
      return 'String';
  }
}

/** Rows for SIP1 and SIP2 from one definition; `n` is the line number, `i` the array index. */
export function perLine(build: (n: number, i: number) => Draft[]): Draft[] {
  const out: Draft[] = [];
  for (let n = 1; n <= A12_LINES; n++) out.push(...build(n, n - 1).map((d) => ({ ...d, line: n })));
  return out;
}

/** Rows for items 1…count (call buttons, groups, rules); `n` is the item number, `i` the index. */
export function repeat(count: number, build: (n: number, i: number) => Draft[]): Draft[] {
  const out: Draft[] = [];
  for (let n = 1; n <= count; n++) out.push(...build(n, n - 1).map((d) => ({ ...d, item: n })));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Value rules. Fanvil files write switches as 0/1 and selections as small integers.

/** A check box: 0 = off, 1 = on (Fanvil files never use Y/N). */
export const FLAG: LabelledRule = { kind: 'enum', values: ['0', '1'] };

/** A selection whose file values are the keys of `labels` (in that order). */
export function choice(labels: Readonly<Record<string, string>>): LabelledRule {
  return { kind: 'enum', values: Object.keys(labels), labels };
}

export function int(min: number, max: number, unit?: string): ValueRule {
  return unit === undefined ? { kind: 'int', ranges: [{ min, max }] } : { kind: 'int', ranges: [{ min, max }], unit };
}

/** An integer in any of the inclusive ranges, e.g. `ints([[0, 0], [128, 254]])`. */
export function ints(ranges: ReadonlyArray<readonly [number, number]>, unit?: string): ValueRule {
  const r = ranges.map(([min, max]) => ({ min, max }));
  return unit === undefined ? { kind: 'int', ranges: r } : { kind: 'int', ranges: r, unit };
}

/** A printable string of at most `maxLength` characters; empty allowed. */
export function text(maxLength: number, extra: Omit<Extract<ValueRule, { kind: 'string' }>, 'kind' | 'maxLength'> = {}): ValueRule {
  return { kind: 'string', maxLength, ...extra };
}

/** A secret; Fanvil accepts any printable ASCII, spaces excluded. */
export function secretText(maxLength: number): ValueRule {
  return { kind: 'string', maxLength, exclude: ' ' };
}

const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
const IPV4_SOURCE = `${OCTET}(?:\\.${OCTET}){3}`;

/** IPv4 address in dotted-decimal notation; empty allowed unless `required`. */
export function ipv4(required = false): ValueRule {
  return {
    kind: 'string',
    maxLength: 15,
    allowEmpty: !required,
    pattern: new RegExp(`^${IPV4_SOURCE}$`),
    patternHint: 'an IPv4 address in dotted-decimal notation',
  };
}

/** IPv4 netmask: contiguous ones (255.255.255.0). */
export const NETMASK: ValueRule = {
  kind: 'string',
  maxLength: 15,
  pattern: /^(?:255\.255\.255\.(?:255|254|252|248|240|224|192|128|0)|255\.255\.(?:254|252|248|240|224|192|128|0)\.0|255\.(?:254|252|248|240|224|192|128|0)\.0\.0|(?:254|252|248|240|224|192|128|0)\.0\.0\.0)$/,
  patternHint: 'an IPv4 netmask such as 255.255.255.0',
};

/** IPv4 multicast group 224.0.0.0–239.255.255.255 (9.25 Table 25); empty = unused. */
export const MCAST_IPV4: ValueRule = {
  kind: 'string',
  maxLength: 15,
  pattern: new RegExp(`^(?:22[4-9]|23[0-9])(?:\\.${OCTET}){3}$`),
  patternHint: 'an IPv4 multicast address 224.0.0.0-239.255.255.255',
};

/** IP address or FQDN ("IP or FQDN", 9.12), optionally with `:port`; empty = not set. */
export const HOST: ValueRule = {
  kind: 'string',
  maxLength: 127,
  pattern: /^[A-Za-z0-9._-]+(?::[0-9]{1,5})?$/,
  patternHint: 'an IPv4 address or an FQDN, optionally with :port',
};

/** A server address that may carry a scheme and a sub-directory (9.5, 9.6 "Domain name with subdirectory"). */
export const SERVER_URL: ValueRule = {
  kind: 'string',
  maxLength: 255,
  pattern: /^(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/)?[^\s/]+(?:\/\S*)?$/,
  patternHint: 'a server address, IP or domain name, with optional scheme and path (http://host/dir)',
};

/** An http/https URL (9.19 "http://InternalServer/FileName.xml"); empty = not set. */
export const HTTP_URL: ValueRule = {
  kind: 'string',
  maxLength: 255,
  pattern: /^https?:\/\/\S+$/,
  patternHint: 'an http:// or https:// URL',
};

export const PORT: ValueRule = int(1, 65535);
/** A port where 0 means "not set". */
export const PORT_OR_0: ValueRule = ints([
  [0, 0],
  [1, 65535],
]);
export const DSCP: ValueRule = int(0, 63);
/** 802.1p priority. */
export const PCP: ValueRule = int(0, 7);

/** A number to dial: digits, `*`, `#`, `+`, letters and SIP URI characters; empty allowed. */
export const DIAL_STRING: ValueRule = {
  kind: 'string',
  maxLength: 64,
  pattern: /^[A-Za-z0-9*#+._@:;=-]+$/,
  patternHint: 'a number, SIP user or URI (letters, digits, * # + . _ @ : ; = -)',
};

/** A feature or DTMF code: digits, `*` and `#`. */
export const DTMF_CODE: ValueRule = { kind: 'string', maxLength: 32, only: '0123456789*#' };

/** Ring file names (`default.wav`, uploaded `*.wav`/`*.mp3`, 9.5 "Ringtone upgrade"); empty = none. */
export const RING_FILE: ValueRule = {
  kind: 'string',
  maxLength: 64,
  pattern: /^[A-Za-z0-9_.-]{1,59}\.(?:wav|mp3)$/,
  patternHint: 'a ring file name ending in .wav or .mp3 (default.wav, 1.wav … or an uploaded file)',
};

/** Minutes of the day 0–1439 (9.25 Day Start/End Time, shown as 00:00–23:59). */
export const DAY_MINUTE: ValueRule = int(0, 1439, 'min');

/** Time zone as Fanvil names it: `UTC`, `UTC+8`, `UTC-3:30`, `UTC+5:45` (−12 … +14). */
export const TIME_ZONE: ValueRule = {
  kind: 'string',
  maxLength: 10,
  allowEmpty: false,
  pattern: /^UTC(?:[+-](?:[0-9]|1[0-4])(?::(?:00|30|45))?)?$/,
  patternHint: 'UTC, or UTC±H[:MM] with H 0-14 and MM 00, 30 or 45',
};

const FREQ = '(?:0|[2-9][0-9]{2}|[1-3][0-9]{3}|4000)';
const DURATION = '(?:[0-9]|[1-9][0-9]{1,3}|[12][0-9]{4}|30000)';
const CADENCE = `${FREQ}(?:(?:\\+${FREQ}){0,3}|\\*${FREQ})\\/${DURATION}`;

/**
 * 9.22 tone grammar (garbled place 12, rebuilt): `cadence[,cadence]…`, at most 8 cadences;
 * cadence = `Freq1[+Freq2[+Freq3[+Freq4]]]/Duration` or `Freq1*Freq2/Duration` (Freq1 modulated
 * by Freq2); frequencies 0 (silence) or 200–4000 Hz, duration 0–30000 ms. Empty = area default.
 */
export const TONE: ValueRule = {
  kind: 'string',
  maxLength: 400,
  pattern: new RegExp(`^${CADENCE}(?:,${CADENCE}){0,7}$`),
  patternHint: 'a tone: up to 8 cadences Freq1[+Freq2…]/ms separated by commas, frequencies 0 or 200-4000 Hz, durations 0-30000 ms',
};

// ---------------------------------------------------------------------------------------------
// Canonical conversions (ParamDef.toCanonical)

/** Looks the file value up in `table`; anything else gives `fallback` (values are validated first). */
export function mapValue<T>(table: Readonly<Record<string, T>>, fallback: T): (value: string) => T {
  return (value) => (Object.prototype.hasOwnProperty.call(table, value) ? table[value]! : fallback);
}

/** Comma-separated strings (empty value → empty list). */
export function stringList(value: string): string[] {
  return value === '' ? [] : value.split(',');
}

/** `;`-separated tokens with Fanvil's trailing `;` (`dss1;dss2;dss3;dss4;dss5;`). */
export function semicolonList(value: string): string[] {
  return value.split(';').filter((t) => t !== '');
}
