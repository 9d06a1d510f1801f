// Fanvil configuration text files (A12 manual 9.4 Export/Import Configurations, 9.6 Auto
// Provision "CFG/TXT" files) and the firmware version descriptor vendor_model_hw10.txt of 9.5.
// Pure functions: the parsers never throw and report every fault with its line number, in the
// diagnostic shape of panasonic-text.ts; the serializer writes files the parser reads back.
//
// The format, as Fanvil devices export it (the A12 manual does not print one):
//
//   <<VOIP CONFIG FILE>>Version:2.0000000000
//
//   <SIP CONFIG MODULE>
//   SIP  Port          :5060
//   --SIP Line List--  :
//   SIP1 Phone Number  :1001
//   SIP1 Register Addr :pbx.example.com
//
//   <<END OF FILE>>
//
// Decisions where nothing documents the device:
// - A key is everything before the first ":" with surrounding blanks removed and inner runs of
//   blanks folded to one space (exports pad keys to a column and some spell "SIP  Port"); the
//   value is everything after it, trimmed. So a value can contain ":" (URLs, "Record:on") but
//   cannot begin or end with blanks.
// - The header must be the first line; without it the device refuses the file (`rejected`). A
//   UTF-8 byte order mark before it is tolerated with a warning.
// - `--Name--  :` lines are list markers inside a module: they group keys and carry no value.
// - Lines starting with "#" are comments (provisioning templates use "##" lines).
// - A key before the first `<… MODULE>` line is applied with a warning (some provisioning
//   templates put `PNP Enable` right after the header).
// - A key given twice: the later line wins (the device applies the file top to bottom); the
//   earlier one gets a warning. `entries` holds one entry per name, at the position of the last.
// - A missing `<<END OF FILE>>` is a warning; text after it is ignored with a warning.
// - A line that is none of the above (no ":") is an error and is ignored; the rest applies.
import { isUtf8 } from 'node:buffer';
import { ok, failure, type Result } from '../../core/result.js';
import type { ConfigDiagnostic, ConfigEntry, ParsedConfig, Severity } from './panasonic-text.js';

export const FANVIL_HEADER = '<<VOIP CONFIG FILE>>';
export const FANVIL_END = '<<END OF FILE>>';
/** Version an export writes after the header (Fanvil 2.x firmware). */
export const FANVIL_FILE_VERSION = '2.0000000000';
/** Exported keys are padded to this width before the ":". */
export const FANVIL_KEY_WIDTH = 19;

export interface FanvilEntry extends ConfigEntry {
  /** Module the key was read in (`SIP CONFIG MODULE`), when there was one. */
  readonly module?: string;
  /** List marker it followed inside the module (`--SIP Line List--`), when there was one. */
  readonly list?: string;
}

export interface FanvilParsedConfig extends ParsedConfig {
  readonly entries: FanvilEntry[];
  /** Text after `Version:` on the header line, when present. */
  readonly version?: string;
}

export interface FanvilParseOptions {
  /** Names the device knows; other names are a warning and are left out of `entries`. */
  readonly isKnown?: (name: string) => boolean;
  /** Module a known name belongs in; a name read in another module is a warning (it still applies). */
  readonly moduleOf?: (name: string) => string | undefined;
}

const LF = 0x0a;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const MODULE_LINE = /^<([^<>]*)>$/;
const LIST_MARKER = /^--.*--$/;
const VERSION = /^[0-9]+(?:\.[0-9]+)*$/;

interface Line {
  readonly number: number;
  readonly bytes: Buffer;
}

function splitLines(buf: Buffer): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start <= buf.length) {
    const lf = buf.indexOf(LF, start);
    const end = lf < 0 ? buf.length : lf;
    if (lf < 0 && start === buf.length) break;
    lines.push({ number: lines.length + 1, bytes: buf.subarray(start, end) });
    start = end + 1;
  }
  return lines;
}

/** Parses a Fanvil configuration text file. Never throws. */
export function parseFanvilConfig(input: string | Buffer, options: FanvilParseOptions = {}): FanvilParsedConfig {
  let buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const diagnostics: ConfigDiagnostic[] = [];
  const add = (line: number, code: string, severity: Severity, message: string, name?: string): void => {
    diagnostics.push(name === undefined ? { line, code, severity, message } : { line, name, code, severity, message });
  };

  if (buf.subarray(0, 3).equals(BOM)) {
    add(1, 'FANVIL_BOM', 'warning', 'the file starts with a UTF-8 byte order mark; it is skipped');
    buf = buf.subarray(3);
  }
  const lines = splitLines(buf);
  const lineCount = Math.max(1, lines.length);

  const byName = new Map<string, FanvilEntry>();
  let version: string | undefined;
  let headerSeen = false;
  let ended = false;
  let afterEndReported = false;
  let module: string | undefined;
  let list: string | undefined;
  let firstContentLine = true;

  for (const { number, bytes } of lines) {
    if (!isUtf8(bytes)) {
      add(number, 'FANVIL_BAD_UTF8', 'error', 'the line is not valid UTF-8: it is ignored');
      firstContentLine = false;
      continue;
    }
    const text = bytes.toString('utf8').replace(/\r$/, '');
    const trimmed = text.trim();
    if (trimmed === '') continue;

    if (ended) {
      if (!afterEndReported) add(number, 'FANVIL_AFTER_END', 'warning', `text after ${FANVIL_END} is ignored`);
      afterEndReported = true;
      continue;
    }

    if (trimmed.startsWith(FANVIL_HEADER)) {
      if (headerSeen || !firstContentLine) {
        add(number, 'FANVIL_MISPLACED_HEADER', 'warning', `${FANVIL_HEADER} belongs on the first line only: this one is ignored`);
      } else {
        headerSeen = true;
        if (number !== 1) add(number, 'FANVIL_HEADER_NOT_FIRST', 'warning', 'blank lines before the header are skipped');
        const rest = trimmed.slice(FANVIL_HEADER.length);
        const m = /^Version:\s*(\S+)$/.exec(rest);
        if (m) {
          version = m[1]!;
          if (!VERSION.test(version)) add(number, 'FANVIL_BAD_VERSION', 'warning', `"${version}" is not a version number such as ${FANVIL_FILE_VERSION}`);
        } else {
          add(number, 'FANVIL_BAD_VERSION', 'warning', `the header has no "Version:<number>" (e.g. ${FANVIL_HEADER}Version:${FANVIL_FILE_VERSION})`);
        }
      }
      firstContentLine = false;
      continue;
    }
    if (firstContentLine) {
      firstContentLine = false;
      add(number, 'FANVIL_NO_HEADER', 'error', `the file does not start with ${FANVIL_HEADER}: the device refuses the whole file`);
    }

    if (trimmed === FANVIL_END) {
      ended = true;
      continue;
    }
    if (trimmed.startsWith('#')) continue;

    const moduleMatch = MODULE_LINE.exec(trimmed);
    if (moduleMatch) {
      const name = moduleMatch[1]!.trim().replace(/\s+/g, ' ');
      if (name === '') {
        add(number, 'FANVIL_BAD_MODULE', 'error', 'a module line needs a name, e.g. <SIP CONFIG MODULE>: the keys that follow stay in the previous module');
      } else {
        module = name;
        list = undefined;
      }
      continue;
    }

    const colon = text.indexOf(':');
    if (colon < 0) {
      add(number, 'FANVIL_MALFORMED_LINE', 'error', 'not a "Key :value" line, a <MODULE> line or a comment: the line is ignored');
      continue;
    }
    const name = text.slice(0, colon).trim().replace(/\s+/g, ' ');
    const value = text.slice(colon + 1).trim();
    if (name === '') {
      add(number, 'FANVIL_EMPTY_NAME', 'error', 'the line has no key before ":": it is ignored');
      continue;
    }
    if (LIST_MARKER.test(name)) {
      if (value !== '') add(number, 'FANVIL_LIST_VALUE', 'warning', `the list marker ${name} carries no value; "${value}" is ignored`, name);
      list = name;
      continue;
    }
    if (options.isKnown && !options.isKnown(name)) {
      add(number, 'FANVIL_UNKNOWN_KEY', 'warning', 'unknown key for this device: it is ignored', name);
      continue;
    }
    if (module === undefined) {
      add(number, 'FANVIL_NO_MODULE', 'warning', 'the key comes before any <… MODULE> line; it is applied anyway', name);
    } else {
      const expected = options.moduleOf?.(name);
      if (expected !== undefined && expected !== module) {
        add(number, 'FANVIL_WRONG_MODULE', 'warning', `the key belongs in <${expected}>, not <${module}>; it is applied anyway`, name);
      }
    }
    const earlier = byName.get(name);
    if (earlier) {
      add(earlier.line, 'FANVIL_DUPLICATE_KEY', 'warning', `overridden by line ${number}`, name);
      byName.delete(name);
    }
    const entry: FanvilEntry = { name, value, line: number, ...(module !== undefined ? { module } : {}), ...(list !== undefined ? { list } : {}) };
    byName.set(name, entry);
  }

  if (!headerSeen && !diagnostics.some((d) => d.code === 'FANVIL_NO_HEADER')) {
    add(1, 'FANVIL_NO_HEADER', 'error', `${FANVIL_HEADER} is missing: the device refuses the whole file`);
  }
  if (!ended && headerSeen) add(lineCount, 'FANVIL_NO_END', 'warning', `the file does not end with ${FANVIL_END}`);

  diagnostics.sort((a, b) => a.line - b.line);
  const entries = [...byName.values()].sort((a, b) => a.line - b.line);
  const base = { entries, diagnostics, rejected: !headerSeen, lineCount };
  return version === undefined ? base : { ...base, version };
}

// ---------------------------------------------------------------------------------------------
// Serializer

export interface FanvilWriteEntry {
  readonly name: string;
  readonly value: string;
  readonly module: string;
  readonly list?: string;
}

/** True when `name`/`value` read back unchanged from one `Key :value` line. */
export function canSerializeFanvil(name: string, value: string): boolean {
  return (
    name !== '' &&
    name === name.trim().replace(/\s+/g, ' ') &&
    !/[:\r\n]/.test(name) &&
    !name.startsWith('#') &&
    !name.startsWith('<') &&
    !LIST_MARKER.test(name) &&
    !/[\r\n]/.test(value) &&
    value === value.trim()
  );
}

function validModule(name: string): boolean {
  return name !== '' && !/[<>\r\n]/.test(name) && name === name.trim().replace(/\s+/g, ' ');
}

function validList(name: string): boolean {
  return LIST_MARKER.test(name) && !/[:\r\n]/.test(name) && name === name.trim().replace(/\s+/g, ' ');
}

function keyLine(name: string, value: string): string {
  return `${name.padEnd(FANVIL_KEY_WIDTH)}:${value}`;
}

/**
 * Writes a configuration file as the device exports it: header, one block per module (in the
 * order modules first appear in `entries`; inside a module, keys without a list first, then each
 * list after its marker), a blank line between modules, `<<END OF FILE>>`, LF line ends.
 * Throws on an entry no file can carry (a caller bug: stored values are validated), see
 * canSerializeFanvil().
 */
export function serializeFanvilConfig(entries: readonly FanvilWriteEntry[], options: { readonly version?: string } = {}): string {
  const version = options.version ?? FANVIL_FILE_VERSION;
  if (!VERSION.test(version)) throw new Error(`fanvil-cfg: "${version}" is not a version number`);
  const modules = new Map<string, Map<string | undefined, FanvilWriteEntry[]>>();
  for (const e of entries) {
    if (!canSerializeFanvil(e.name, e.value)) throw new Error(`fanvil-cfg: ${JSON.stringify(e.name)} = ${JSON.stringify(e.value)} cannot be written as a "Key :value" line`);
    if (!validModule(e.module)) throw new Error(`fanvil-cfg: ${JSON.stringify(e.module)} is not a module name`);
    if (e.list !== undefined && !validList(e.list)) throw new Error(`fanvil-cfg: ${JSON.stringify(e.list)} is not a list marker (--Name--)`);
    let lists = modules.get(e.module);
    if (!lists) {
      lists = new Map([[undefined, []]]);
      modules.set(e.module, lists);
    }
    let bucket = lists.get(e.list);
    if (!bucket) {
      bucket = [];
      lists.set(e.list, bucket);
    }
    bucket.push(e);
  }
  const out = [`${FANVIL_HEADER}Version:${version}`, ''];
  for (const [module, lists] of modules) {
    out.push(`<${module}>`);
    for (const [list, bucket] of lists) {
      if (list !== undefined) out.push(keyLine(list, ''));
      for (const e of bucket) out.push(keyLine(e.name, e.value));
    }
    out.push('');
  }
  out.push(FANVIL_END);
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// File names (9.6 "$mac.cfg, $input.cfg"; empty name = common file + <MAC> file)

/** `0C383E3A0665`, `0c:38:3e:3a:06:65` or `0c-38-…` → `0c383e3a0665` (Fanvil's $mac), or undefined. */
export function fanvilMacToken(mac: string): string | undefined {
  const hex = mac.replace(/[:.-]/g, '').toLowerCase();
  return /^[0-9a-f]{12}$/.test(hex) ? hex : undefined;
}

/** The device's own file: `<mac>.cfg`, lower-case MAC without separators. */
export function fanvilDeviceFileName(mac: string): Result<string> {
  const token = fanvilMacToken(mac);
  return token ? ok(`${token}.cfg`) : failure('FANVIL_BAD_MAC', `fanvil-cfg: "${mac}" is not a MAC address`);
}

/** 9.6 Configuration File Name with `$mac` and `$input` substituted. */
export function expandFanvilFileName(template: string, vars: { readonly mac: string; readonly input?: string }): Result<string> {
  const token = fanvilMacToken(vars.mac);
  if (!token) return failure('FANVIL_BAD_MAC', `fanvil-cfg: "${vars.mac}" is not a MAC address`);
  if (template.includes('$input') && vars.input === undefined) return failure('FANVIL_NO_INPUT', `fanvil-cfg: "${template}" needs an $input value`);
  return ok(template.replaceAll('$mac', token).replaceAll('$input', vars.input ?? ''));
}

/** The MAC (12 upper-case hex digits) of a `<mac>.cfg|txt|xml` request path, any case, or undefined. */
export function macOfFanvilFileName(path: string): string | undefined {
  const m = /(?:^|\/)([0-9A-Fa-f]{12})\.(?:cfg|txt|xml)$/i.exec(path);
  return m ? m[1]!.toUpperCase() : undefined;
}

// ---------------------------------------------------------------------------------------------
// 9.5 firmware descriptor vendor_model_hw10.txt:
//
//   Version=1.6.3 #Firmware
//   Firmware=xxx/xxx.z #URL , Relative paths are supported and absolute paths are possible, …
//   BuildTime=2018.09.11 20:00
//   Info=TXT|XML
//   Xxxxx            ← description lines, up to the end of the file
//
// Decisions (catalog README garbled place 8): the name is compared case-insensitively
// (`vendor_model_hw10.txt`, `vendor_Model_hw10.txt`, `.TXT` all appear); a "#" that follows a
// blank starts a comment on the key lines (a "#" inside a value, as in a URL fragment, stays);
// `Info=` names the format of the description, TXT or XML ("TXT|XML" in the manual reads as
// that choice and is taken as TXT with a warning), and every line after it is the description.

export interface FirmwareDescriptor {
  readonly version: string;
  /** Firmware file: a URL with a scheme, or a path relative to the descriptor's URL. */
  readonly firmware: string;
  readonly buildTime?: string;
  readonly infoFormat: 'TXT' | 'XML';
  /** The "new version description information" shown on the Upgrade page. */
  readonly info: string;
}

export interface ParsedFirmwareDescriptor {
  /** Present when Version and Firmware were found. */
  readonly descriptor?: FirmwareDescriptor;
  readonly diagnostics: ConfigDiagnostic[];
}

const DESCRIPTOR_KEYS = ['Version', 'Firmware', 'BuildTime', 'Info'] as const;
type DescriptorKey = (typeof DESCRIPTOR_KEYS)[number];

function stripInlineComment(value: string): string {
  const m = /[ \t]#/.exec(value);
  return (m ? value.slice(0, m.index) : value).trim();
}

/** Parses vendor_model_hw10.txt (A12 9.5; UTF-8 required). Never throws. */
export function parseFirmwareDescriptor(input: string | Buffer): ParsedFirmwareDescriptor {
  const diagnostics: ConfigDiagnostic[] = [];
  const add = (line: number, code: string, severity: Severity, message: string, name?: string): void => {
    diagnostics.push(name === undefined ? { line, code, severity, message } : { line, name, code, severity, message });
  };
  let buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  if (buf.subarray(0, 3).equals(BOM)) buf = buf.subarray(3);
  if (!isUtf8(buf)) {
    add(1, 'FWDESC_NOT_UTF8', 'error', 'the version file must be UTF-8 (9.5)');
    return { diagnostics };
  }
  const lines = buf.toString('utf8').split('\n').map((l) => l.replace(/\r$/, ''));
  const fields = new Map<DescriptorKey, { value: string; line: number }>();
  let infoLines: string[] | undefined;

  lines.forEach((raw, index) => {
    const number = index + 1;
    if (infoLines) {
      infoLines.push(raw);
      return;
    }
    const text = raw.trim();
    if (text === '' || text.startsWith('#')) return;
    const eq = text.indexOf('=');
    if (eq < 0) {
      add(number, 'FWDESC_MALFORMED_LINE', 'error', 'not a "Key=value" line: it is ignored');
      return;
    }
    const rawKey = text.slice(0, eq).trim();
    const key = DESCRIPTOR_KEYS.find((k) => k.toLowerCase() === rawKey.toLowerCase());
    if (!key) {
      add(number, 'FWDESC_UNKNOWN_KEY', 'warning', 'unknown key (Version, Firmware, BuildTime and Info are read): it is ignored', rawKey);
      return;
    }
    if (key !== rawKey) add(number, 'FWDESC_KEY_CASE', 'warning', `read as ${key}`, rawKey);
    const value = stripInlineComment(text.slice(eq + 1));
    const earlier = fields.get(key);
    if (earlier) add(earlier.line, 'FWDESC_DUPLICATE_KEY', 'warning', `overridden by line ${number}`, key);
    fields.set(key, { value, line: number });
    if (key === 'Info') infoLines = [];
  });

  const version = fields.get('Version');
  const firmware = fields.get('Firmware');
  const buildTime = fields.get('BuildTime');
  const info = fields.get('Info');
  if (!version || version.value === '') add(version?.line ?? 1, 'FWDESC_NO_VERSION', 'error', 'Version= is missing or empty', 'Version');
  else if (!/^[0-9]+(?:\.[0-9]+)+$/.test(version.value)) add(version.line, 'FWDESC_BAD_VERSION', 'warning', `"${version.value}" is not a dotted version number such as 2.12.45.16.1`, 'Version');
  if (!firmware || firmware.value === '') add(firmware?.line ?? 1, 'FWDESC_NO_FIRMWARE', 'error', 'Firmware= is missing or empty', 'Firmware');
  if (buildTime && !/^[0-9]{4}\.[0-9]{2}\.[0-9]{2}(?: [0-9]{2}:[0-9]{2})?$/.test(buildTime.value)) {
    add(buildTime.line, 'FWDESC_BAD_BUILD_TIME', 'warning', `"${buildTime.value}" is not of the form 2018.09.11 20:00`, 'BuildTime');
  }
  let infoFormat: 'TXT' | 'XML' = 'TXT';
  if (info) {
    const f = info.value.toUpperCase();
    if (f === 'XML') infoFormat = 'XML';
    else if (f !== 'TXT') add(info.line, 'FWDESC_INFO_FORMAT', 'warning', `Info=${info.value}: the description format is TXT or XML; read as TXT`, 'Info');
  }
  diagnostics.sort((a, b) => a.line - b.line);
  if (!version || version.value === '' || !firmware || firmware.value === '') return { diagnostics };

  const body = (infoLines ?? []).slice();
  while (body.length > 0 && body[0]!.trim() === '') body.shift();
  while (body.length > 0 && body[body.length - 1]!.trim() === '') body.pop();
  const descriptor: FirmwareDescriptor = {
    version: version.value,
    firmware: firmware.value,
    ...(buildTime ? { buildTime: buildTime.value } : {}),
    infoFormat,
    info: body.join('\n'),
  };
  return { descriptor, diagnostics };
}

/** `Fanvil`, `A12`, 10 → `Fanvil_A12_hw10.txt` (9.5: "All Spaces in the filename are replaced by underline"). */
export function firmwareDescriptorFileName(vendor: string, model: string, hardwareVersion = 10): string {
  return `${vendor}_${model}_hw${hardwareVersion}.txt`.replace(/ /g, '_');
}

/** Whether a requested path names this device's descriptor, in any letter case (garbled place 8). */
export function isFirmwareDescriptorPath(path: string, vendor: string, model: string, hardwareVersion = 10): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base.toLowerCase() === firmwareDescriptorFileName(vendor, model, hardwareVersion).toLowerCase();
}

/**
 * The firmware URL of a descriptor fetched from `descriptorUrl` (9.5: "Relative paths are
 * supported and absolute paths are possible, distinguished by the presence of protocol headers").
 */
export function resolveFirmwareUrl(descriptorUrl: string, firmware: string): Result<string> {
  try {
    if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(firmware)) return ok(new URL(firmware).href);
    return ok(new URL(firmware, descriptorUrl).href);
  } catch {
    return failure('FWDESC_BAD_URL', `fanvil-cfg: cannot make a URL of "${firmware}" relative to "${descriptorUrl}"`);
  }
}

/** Compares dotted versions numerically (2.12.45 < 2.12.100); non-numeric parts compare as text. */
export function compareFirmwareVersions(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const nx = /^[0-9]+$/.test(x) ? Number(x) : NaN;
    const ny = /^[0-9]+$/.test(y) ? Number(y) : NaN;
    const d = Number.isNaN(nx) || Number.isNaN(ny) ? x.localeCompare(y) : nx - ny;
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}
