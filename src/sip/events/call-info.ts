// Shared line appearances in Call-Info headers (draft-anil-sipping-bla-03 §9 "Bridged Line
// Appearance", as BroadWorks Shared Call Appearance servers use it): a NOTIFY of the `call-info`
// package carries, for the shared address-of-record, one Call-Info value per appearance in use,
//   Call-Info: <sip:as.example.com>;appearance-index=1;appearance-state=active;appearance-uri="<sip:bob@x>"
// and `appearance-index=*;appearance-state=idle` for all the others. Each NOTIFY is the whole
// state. `line-seize` is the companion package a phone subscribes to before it dials on the
// shared line (a short subscription the server grants to one phone at a time).
import { failure, ok, type Result } from '../../core/result.js';
import { paramsFromText } from '../message/index.js';

export const CALL_INFO_EVENT = 'call-info';
export const LINE_SEIZE_EVENT = 'line-seize';

/** draft-anil-sipping-bla-03 appearance states (BroadWorks adds `progressing` and `seized`). */
export type AppearanceState = 'idle' | 'seized' | 'progressing' | 'alerting' | 'active' | 'held' | 'held-private';
const STATES: readonly AppearanceState[] = ['idle', 'seized', 'progressing', 'alerting', 'active', 'held', 'held-private'];

export interface LineAppearance {
  /** 1-based appearance, or '*' (all the appearances not listed). */
  readonly index: number | '*';
  readonly state: AppearanceState;
  /** appearance-uri: the other party of the call on that appearance. */
  readonly uri?: string;
}

function bad(message: string): Result<never> {
  return failure('SIP_BAD_CALL_INFO', `call-info: ${message}`);
}

/** Splits a header value at commas outside <...> and quoted strings. */
function splitValues(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && quoted) i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && c === '<') depth++;
    else if (!quoted && c === '>') depth = Math.max(0, depth - 1);
    else if (!quoted && depth === 0 && c === ',') {
      out.push(value.slice(start, i));
      start = i + 1;
    }
  }
  out.push(value.slice(start));
  return out.map((v) => v.trim()).filter((v) => v !== '');
}

/** Reads the appearances of Call-Info header values; values without appearance-index are skipped. */
export function parseAppearances(headerValues: readonly string[]): Result<LineAppearance[]> {
  const out: LineAppearance[] = [];
  for (const value of headerValues.flatMap(splitValues)) {
    // RFC 3261 §20.9: info = LAQUOT absoluteURI RAQUOT *( SEMI info-param )
    const m = /^<[^>]*>\s*(.*)$/s.exec(value);
    if (!m) return bad(`'${value}' does not start with <URI>`);
    const params = paramsFromText(m[1]!.trim());
    const index = params.getUnquoted('appearance-index');
    if (index === undefined) continue;
    if (index !== '*' && !/^[1-9]\d{0,3}$/.test(index)) return bad(`appearance-index '${index}'`);
    const stateText = params.getUnquoted('appearance-state')?.toLowerCase() ?? 'idle';
    const state = STATES.find((s) => s === stateText);
    if (state === undefined) return bad(`appearance-state '${stateText}'`);
    const uri = params.getUnquoted('appearance-uri');
    out.push({ index: index === '*' ? '*' : Number(index), state, ...(uri !== undefined ? { uri } : {}) });
  }
  return ok(out);
}

/** What a shared line key shows: someone rings on it, it is in use, only held calls are on it, or free. */
export type SharedLineLamp = 'ringing' | 'busy' | 'held' | 'idle';

/** The appearances in use (not idle), by index; each NOTIFY replaces the whole state. */
export function appearancesInUse(list: readonly LineAppearance[]): Array<LineAppearance & { readonly index: number }> {
  const byIndex = new Map<number, LineAppearance & { readonly index: number }>();
  for (const a of list) if (a.index !== '*' && a.state !== 'idle') byIndex.set(a.index, { ...a, index: a.index });
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

export function sharedLineLamp(inUse: readonly LineAppearance[]): SharedLineLamp {
  if (inUse.some((a) => a.state === 'alerting')) return 'ringing';
  if (inUse.some((a) => a.state === 'seized' || a.state === 'progressing' || a.state === 'active')) return 'busy';
  return inUse.length > 0 ? 'held' : 'idle';
}
