// Shared value-rule and scope constructors for the KX-UT670 catalogue (Administrator Guide 5.2.2
// value formats, 5.2.3 characters). Each helper builds a plain ValueRule (src/settings/types.ts);
// the catalogue rows stay readable object literals.
import type { IntRange, Scope, ValueRule } from '../../../src/settings/types.js';

// ---------------------------------------------------------------------------------------------
// Scopes (5.2.1: 6 lines; 5.6.4: 24 flexible buttons; 5.7.1: codecs 0 G.722, 1 PCMA, 3 G.729A, 4 PCMU)

export const LINE_COUNT = 6;
export const BUTTON_COUNT = 24;

export const GLOBAL: Scope = { kind: 'global' };
export const PER_LINE: Scope = { kind: 'line', count: LINE_COUNT };
export const PER_BUTTON: Scope = { kind: 'button', count: BUTTON_COUNT };
export const PER_CODEC_LINE: Scope = {
  kind: 'codec-line',
  codecs: [0, 1, 3, 4],
  lines: LINE_COUNT,
  codecNames: { 0: 'G722', 1: 'PCMA', 3: 'G729', 4: 'PCMU' },
};

// ---------------------------------------------------------------------------------------------
// Integers

export type IntRule = Extract<ValueRule, { kind: 'int' }>;

/** Inclusive ranges written as the manual does: `int([0, 0], [60, 65535])` for "0, 60–65535". */
export function int(...ranges: ReadonlyArray<readonly [number, number]>): IntRule {
  return { kind: 'int', ranges: ranges.map(([min, max]): IntRange => ({ min, max })) };
}

/** An integer range in `step` units counted from its minimum (5.7.2 "even number only", 5.7.3 "5 millisecond units"). */
export function intStep(min: number, max: number, step: number, unit?: string): ValueRule {
  return unit === undefined ? { kind: 'int', ranges: [{ min, max }], step } : { kind: 'int', ranges: [{ min, max }], step, unit };
}

/** An integer range with its unit, e.g. `intUnit(1, 600, 's')`. */
export function intUnit(min: number, max: number, unit: string): ValueRule {
  return { kind: 'int', ranges: [{ min, max }], unit };
}

/** An integer that takes only the listed values (`250|500|1000|2000|4000`): one single-value range each. */
export function intOneOf(...values: number[]): IntRule {
  return { kind: 'int', ranges: values.map((v) => ({ min: v, max: v })) };
}

/** TCP/UDP port 1–65535. */
export const PORT: ValueRule = int([1, 65535]);
/** DiffServ code point 0–63. */
export const DSCP: ValueRule = int([0, 63]);
/** Tone gain in dB (5.6.2: -24–6). */
export const TONE_GAIN: ValueRule = { kind: 'int', ranges: [{ min: -24, max: 6 }], unit: 'dB' };

// ---------------------------------------------------------------------------------------------
// Booleans and enumerations

/** 5.2.2 Boolean: "Y" or "N" (the text prints some as y/n; the file value is upper case). */
export const BOOL: ValueRule = { kind: 'bool' };

export function oneOf(...values: string[]): ValueRule {
  return { kind: 'enum', values };
}

/** LINE_ENABLE_n / PROFILE_ENABLEn (5.8.2). */
export const DISABLED_ENABLED: ValueRule = oneOf('Disabled', 'Enabled');

// ---------------------------------------------------------------------------------------------
// Strings

/** Characters the login, authentication and SDP user fields exclude: `" & ' : < >` and space. */
export const EXCL_ACCOUNT = `"&':<> `;
/** Characters the SIP URI fields exclude besides ':' (`" & ' : ; < >` and space; ':' see sipUri). */
const EXCL_URI_BUT_COLON = `"&';<> `;
/** 5.6.1 "consisting of 0–9, *, and #". */
export const DIAL_DIGITS = '0123456789*#';
export const DIGITS = '0123456789';

/** A printable-ASCII string of at most `maxLength` characters (5.2.3), empty allowed. */
export function text(maxLength: number, extra: Omit<Extract<ValueRule, { kind: 'string' }>, 'kind' | 'maxLength'> = {}): ValueRule {
  return { kind: 'string', maxLength, ...extra };
}

/** "Max. 127 characters (IP address in dotted-decimal notation or FQDN)"; empty allowed (no server). */
export function host(maxLength = 127): ValueRule {
  return {
    kind: 'string',
    maxLength,
    pattern: /^[A-Za-z0-9._-]+$/,
    patternHint: 'an IPv4 address in dotted-decimal notation or an FQDN',
  };
}

const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';

/** "IP address in dotted-decimal notation" (secondary servers); empty allowed (no secondary server). */
export const IPV4: ValueRule = {
  kind: 'string',
  maxLength: 15,
  pattern: new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`),
  patternHint: 'an IPv4 address in dotted-decimal notation',
};

/**
 * RFC 1738 URL of 5.4.4/5.4.5/5.5.2: `<scheme>://<user>:<password>@<host>:<port>/<url-path>`,
 * max. 500 characters, user and password under 128 characters each; `{mac}`, `{MAC}`, `{MODEL}`,
 * `{fwver}` are substituted later and are plain characters here. Empty allowed (no file).
 * DEVIATION: the rule "scheme:// plus host:port/url-path under 245 characters" is not enforced
 * here (a ValueRule has no length-minus-userinfo check); the provisioning fetcher rejects such URLs.
 */
export const URL_1738: ValueRule = {
  kind: 'string',
  maxLength: 500,
  pattern: /^[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[^:@/]{0,127}(?::[^@/]{0,127})?@)?[^@/]+(?:\/.*)?$/,
  patternHint: 'an RFC 1738 URL <scheme>://[<user>:<password>@]<host>[:<port>]/<url-path> (user and password under 128 characters)',
};

/**
 * SIP URI fields (CONFERENCE_SERVER_URI, RESOURCELIST_URI_n, SIP_URI_n): "sip:", a user part of up
 * to 63 characters, "@" and a host part of up to 127 characters; max. 195 characters, except
 * `" & ' : ; < >` and space.
 * DEVIATION (catalog README garbled place 9): the manual excludes ':' although its own required
 * form `sip:user@host` contains one. We allow ':' only in a leading `sip:` scheme (which may also be
 * omitted, `user@host`); a ':' anywhere else (e.g. a port) is still rejected.
 */
export const SIP_URI: ValueRule = {
  kind: 'string',
  maxLength: 195,
  exclude: EXCL_URI_BUT_COLON,
  pattern: /^(?:sip:)?(?:[^:@]{1,63}@)?[^:@]{1,127}$/,
  patternHint: 'a SIP URI sip:user@host (user up to 63, host up to 127 characters; ":" only in "sip:")',
};

// ---------------------------------------------------------------------------------------------
// Comma-separated integers (5.6.2 tones)

/**
 * Tone frequencies: "0, 200–2000 (0: No tone)", "2 whole numbers". One value is accepted too:
 * the manual's own defaults for HOLD_ALARM/CW_TONE1/HOLD_TONE are the single value `425`
 * (catalog README garbled place 11).
 */
export const TONE_FREQUENCIES: ValueRule = {
  kind: 'int-list',
  ranges: [
    { min: 0, max: 0 },
    { min: 200, max: 2000 },
  ],
  minCount: 1,
  maxCount: 2,
  unit: 'Hz',
};

/** Tone cadence: up to `maxCount` whole numbers 0–16000 ms (0: infinite time). */
export function toneTiming(maxCount = 10): ValueRule {
  return { kind: 'int-list', ranges: [{ min: 0, max: 16000 }], minCount: 1, maxCount, unit: 'ms' };
}

// ---------------------------------------------------------------------------------------------
// Canonical conversions (ParamDef.toCanonical)

/** Looks the file value up in `table`; anything else gives `fallback` (values are validated first). */
export function mapValue<T>(table: Readonly<Record<string, T>>, fallback: T): (value: string) => T {
  return (value) => (Object.prototype.hasOwnProperty.call(table, value) ? table[value]! : fallback);
}

/** Number scaled by `factor`, e.g. seconds → ms (×1000) or 10 ms units → ms (×10). */
export function times(factor: number): (value: string) => number {
  return (value) => Number(value) * factor;
}
