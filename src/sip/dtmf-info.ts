// DTMF carried in SIP INFO bodies (KX-UT670 5.7.3 DTMF_RELAY_n; A12 9.13/9.14 "DTMF Type: SIP
// INFO" with "DTMF SIP INFO Mode: Send */# or Send 10/11"). Parse and build only: sending the
// INFO request is the dialog's business.
//
//   application/dtmf-relay   Signal=5\r\nDuration=160\r\n   (de-facto format, Cisco; ms)
//   application/dtmf         5                              (the digit alone)
//
// `*` and `#` travel as themselves or as 10 and 11 (the RFC 4733 event codes), as the A12's
// INFO mode selects; both are accepted on receipt. Flash hook (KX-UT670 FLASHHOOK_CONTENT_TYPE
// "Signal" | "flashhook") is `Signal=hf` in a dtmf-relay body, or an application/hook-flash
// body; the manual does not spell either out, these are the forms PBXs accept.

import type { Result } from '../core/result.js';
import { failure, ok } from '../core/result.js';

export const DTMF_RELAY_CONTENT_TYPE = 'application/dtmf-relay';
export const DTMF_CONTENT_TYPE = 'application/dtmf';
export const HOOK_FLASH_CONTENT_TYPE = 'application/hook-flash';

/** A12 "DTMF SIP INFO Mode" (IntercomSettings.p2p.dtmfInfoMode). */
export type DtmfInfoMode = 'star-pound' | '10-11';

export interface DtmfInfo {
  /** '0'-'9', '*', '#', 'A'-'D', or 'flash'. */
  readonly digit: string;
  /** Duration in ms when the body gives one. */
  readonly durationMs?: number;
}

export interface DtmfInfoBody {
  readonly contentType: string;
  readonly body: string;
}

const DIGITS = '0123456789*#ABCD';

/** Maps a Signal value to a digit: 0-9 * # A-D (any case), 10 → *, 11 → #, 12-15 → A-D, 16/hf/flash → flash. */
function signalToDigit(value: string): string | undefined {
  const v = value.trim();
  if (v.length === 1) {
    const d = v.toUpperCase();
    return DIGITS.includes(d) ? d : undefined;
  }
  if (/^1[0-6]$/.test(v)) return v === '16' ? 'flash' : DIGITS[Number(v)];
  const lower = v.toLowerCase();
  return lower === 'hf' || lower === 'flash' ? 'flash' : undefined;
}

function wireSignal(digit: string, mode: DtmfInfoMode): Result<string> {
  if (digit.toLowerCase() === 'flash') return ok('hf');
  const d = digit.toUpperCase();
  if (d.length !== 1 || !DIGITS.includes(d)) return failure('SIP_BAD_DTMF', `sip: ${JSON.stringify(digit)} is not a DTMF digit`);
  if (mode === '10-11' && (d === '*' || d === '#')) return ok(d === '*' ? '10' : '11');
  return ok(d);
}

/** The media type of a Content-Type value, lower-cased, parameters dropped. */
function mediaType(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase();
}

function parseKeyValues(body: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of body.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    out.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
  }
  return out;
}

/**
 * Reads the digit of an INFO body (untrusted). Content types: application/dtmf-relay,
 * application/dtmf, application/hook-flash; anything else is SIP_UNSUPPORTED_DTMF_TYPE (the
 * caller answers 415).
 */
export function parseDtmfInfo(contentType: string, body: string): Result<DtmfInfo> {
  const type = mediaType(contentType);
  if (type === DTMF_RELAY_CONTENT_TYPE || type === HOOK_FLASH_CONTENT_TYPE) {
    const kv = parseKeyValues(body);
    const signal = kv.get('signal');
    if (signal === undefined) {
      if (type === HOOK_FLASH_CONTENT_TYPE) return ok({ digit: 'flash' });
      return failure('SIP_BAD_DTMF', 'sip: dtmf-relay body without Signal=');
    }
    const digit = signalToDigit(signal);
    if (digit === undefined) return failure('SIP_BAD_DTMF', `sip: dtmf-relay Signal=${JSON.stringify(signal)} is not a DTMF digit`);
    const durationText = kv.get('duration');
    if (durationText === undefined || durationText === '') return ok({ digit });
    if (!/^[0-9]{1,6}$/.test(durationText)) return failure('SIP_BAD_DTMF', `sip: dtmf-relay Duration=${JSON.stringify(durationText)} is not a number of ms`);
    return ok({ digit, durationMs: Number(durationText) });
  }
  if (type === DTMF_CONTENT_TYPE) {
    const digit = signalToDigit(body);
    if (digit === undefined || digit === 'flash') return failure('SIP_BAD_DTMF', `sip: application/dtmf body ${JSON.stringify(body.trim().slice(0, 20))} is not a DTMF digit`);
    return ok({ digit });
  }
  return failure('SIP_UNSUPPORTED_DTMF_TYPE', `sip: INFO body type ${JSON.stringify(type)} does not carry DTMF`);
}

/** `Signal=5\r\nDuration=160\r\n` (application/dtmf-relay). */
export function buildDtmfRelayInfo(digit: string, durationMs: number, mode: DtmfInfoMode = 'star-pound'): Result<DtmfInfoBody> {
  const signal = wireSignal(digit, mode);
  if (!signal.ok) return signal;
  if (!Number.isInteger(durationMs) || durationMs < 0 || durationMs > 999999) return failure('SIP_BAD_DTMF', `sip: DTMF duration ${durationMs} ms`);
  return ok({ contentType: DTMF_RELAY_CONTENT_TYPE, body: `Signal=${signal.value}\r\nDuration=${durationMs}\r\n` });
}

/** The digit alone (application/dtmf); `*`/`#` as themselves or 10/11 per the A12 INFO mode. */
export function buildDtmfInfo(digit: string, mode: DtmfInfoMode = 'star-pound'): Result<DtmfInfoBody> {
  if (digit.toLowerCase() === 'flash') return failure('SIP_BAD_DTMF', 'sip: application/dtmf cannot carry a flash hook');
  const signal = wireSignal(digit, mode);
  if (!signal.ok) return signal;
  return ok({ contentType: DTMF_CONTENT_TYPE, body: signal.value });
}

/**
 * A flash-hook INFO body per KX-UT670 FLASHHOOK_CONTENT_TYPE: "Signal" → dtmf-relay
 * `Signal=hf`, "flashhook" → application/hook-flash `signal=hf`.
 */
export function buildFlashHookInfo(contentType: 'Signal' | 'flashhook', durationMs = 100): DtmfInfoBody {
  if (contentType === 'flashhook') return { contentType: HOOK_FLASH_CONTENT_TYPE, body: 'signal=hf\r\n' };
  return { contentType: DTMF_RELAY_CONTENT_TYPE, body: `Signal=hf\r\nDuration=${Math.max(0, Math.round(durationMs))}\r\n` };
}
