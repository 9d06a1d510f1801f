// Parsers for the scalar and token-list header values of RFC 3261 §20 and the extensions a phone
// uses: CSeq, Call-ID, Max-Forwards, Expires, Content-Type/Accept, option-tag lists, Event and
// Subscription-State (RFC 6665), RSeq/RAck (RFC 3262), Session-Expires/Min-SE (RFC 4028),
// Replaces (RFC 3891). Each returns undefined when the value is malformed.
import { C_WORD, CLASS, lower, parseDigits, scanClass, scanToken, skipWs } from './lex.js';
import { parseHeaderParams, Params, type Param } from './params.js';

/** RFC 3261 §8.1.1.5, §20.16: "The sequence number MUST be expressible as a 32-bit unsigned integer". */
export const MAX_CSEQ = 0xffff_ffff;

export interface CSeq {
  readonly seq: number;
  readonly method: string;
}

/** CSeq = 1*DIGIT LWS Method. */
export function parseCSeq(s: string): CSeq | undefined {
  const end = s.length;
  let i = skipWs(s, 0, end);
  const digitsStart = i;
  while (i < end && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  // Leading zeros are legal (RFC 4475 §3.1.1.1 "0009"); the value must fit in 32 bits.
  const seq = parseDigits(s, digitsStart, i, MAX_CSEQ);
  if (seq < 0) return undefined;
  const m = skipWs(s, i, end);
  if (m === i) return undefined;
  const mEnd = scanToken(s, m, end);
  if (mEnd === m || skipWs(s, mEnd, end) !== end) return undefined;
  return { seq, method: s.slice(m, mEnd) };
}

export function formatCSeq(c: CSeq): string {
  return `${c.seq} ${c.method}`;
}

/** callid = word [ "@" word ] (RFC 3261 §25.1). */
export function isValidCallId(s: string): boolean {
  const end = s.length;
  const i = scanClass(s, 0, end, C_WORD);
  if (i === 0) return false;
  if (i === end) return true;
  if (s.charCodeAt(i) !== 64) return false;
  const j = scanClass(s, i + 1, end, C_WORD);
  return j > i + 1 && j === end;
}

/** 1*DIGIT with a maximum (Max-Forwards 0-255, Expires/Min-Expires delta-seconds ...). */
export function parseNumber(s: string, max: number): number | undefined {
  let e = s.length;
  const i = skipWs(s, 0, e);
  while (e > i && (s.charCodeAt(e - 1) === 32 || s.charCodeAt(e - 1) === 9)) e--;
  // parseDigits stops as soon as the value passes `max`, so absurdly long values cost nothing.
  const n = parseDigits(s, i, e, max);
  return n < 0 ? undefined : n;
}

/**
 * RFC 3261 §20.19 Expires / §20.23 Min-Expires / §20.33 Retry-After delta-seconds: "any value
 * exceeding 2**32-1 ... SHOULD be treated as 2**32-1" is about values that parse; absurd lengths
 * (RFC 4475 §3.1.2.4) are refused here.
 */
export const MAX_DELTA_SECONDS = 0xffff_ffff;

/** Comma-separated tokens (Allow, Supported, Require, Proxy-Require, Unsupported, Allow-Events ...). */
export function parseTokenList(s: string, out: string[]): boolean {
  const end = s.length;
  let i = skipWs(s, 0, end);
  if (i >= end) return true; // e.g. "Supported:" with no option tags
  for (;;) {
    const t = scanToken(s, i, end);
    if (t === i) return false;
    out.push(s.slice(i, t));
    i = skipWs(s, t, end);
    if (i >= end) return true;
    if (s.charCodeAt(i) !== 44) return false;
    i = skipWs(s, i + 1, end);
  }
}

export interface MediaType {
  /** Lower-cased `type/subtype`, e.g. `application/sdp`; `*` allowed in Accept ranges. */
  readonly mimeType: string;
  readonly type: string;
  readonly subtype: string;
  readonly params: Params;
}

let stoppedAt = 0;

function parseMediaTypeAt(s: string, i: number, end: number, listMode: boolean): MediaType | undefined {
  i = skipWs(s, i, end);
  const tEnd = scanToken(s, i, end);
  if (tEnd === i) return undefined;
  let j = skipWs(s, tEnd, end);
  if (j >= end || s.charCodeAt(j) !== 47) return undefined;
  j = skipWs(s, j + 1, end);
  const sEnd = scanToken(s, j, end);
  if (sEnd === j) return undefined;
  const type = lower(s.slice(i, tEnd));
  const subtype = lower(s.slice(j, sEnd));
  let params = Params.EMPTY;
  let k = skipWs(s, sEnd, end);
  if (k < end && s.charCodeAt(k) === 59) {
    const list: Param[] = [];
    k = parseHeaderParams(s, k, end, list, listMode);
    if (k < 0) return undefined;
    params = new Params(list);
  }
  if (k < end && !(listMode && s.charCodeAt(k) === 44)) return undefined;
  stoppedAt = k;
  return { mimeType: `${type}/${subtype}`, type, subtype, params };
}

/** Content-Type = media-type (RFC 3261 §20.15). */
export function parseMediaType(s: string): MediaType | undefined {
  return parseMediaTypeAt(s, 0, s.length, false);
}

/** Accept = [ accept-range *(COMMA accept-range) ] (RFC 3261 §20.1). */
export function parseMediaTypeList(s: string, out: MediaType[]): boolean {
  const end = s.length;
  if (skipWs(s, 0, end) >= end) return true;
  let i = 0;
  for (;;) {
    const m = parseMediaTypeAt(s, i, end, true);
    if (m === undefined) return false;
    out.push(m);
    i = stoppedAt;
    if (i >= end) return true;
    i++;
  }
}

/** A token (or token.token) with generic parameters: Event, Subscription-State, Content-Disposition. */
export interface TokenWithParams {
  /** As written (event packages are compared case-sensitively, RFC 6665 §8.2.1 ... lower-case by convention). */
  readonly value: string;
  readonly params: Params;
}

export function parseTokenWithParams(s: string): TokenWithParams | undefined {
  const end = s.length;
  const i = skipWs(s, 0, end);
  const t = scanToken(s, i, end);
  if (t === i) return undefined;
  const list: Param[] = [];
  const k = parseHeaderParams(s, t, end, list, false);
  if (k !== end) return undefined;
  return { value: s.slice(i, t), params: list.length === 0 ? Params.EMPTY : new Params(list) };
}

/** Event = event-type *( SEMI event-param ) (RFC 6665 §8.2.1); `id` is the subscription id. */
export interface EventHeader extends TokenWithParams {
  readonly id: string | undefined;
}

export function parseEvent(s: string): EventHeader | undefined {
  const t = parseTokenWithParams(s);
  if (t === undefined) return undefined;
  return { ...t, id: t.params.get('id') ?? undefined };
}

/** Subscription-State (RFC 6665 §8.2.3): active / pending / terminated + expires, reason, retry-after. */
export interface SubscriptionState {
  /** Lower-cased substate-value. */
  readonly state: string;
  readonly expires: number | undefined;
  readonly reason: string | undefined;
  readonly retryAfter: number | undefined;
  readonly params: Params;
}

export function parseSubscriptionState(s: string): SubscriptionState | undefined {
  const t = parseTokenWithParams(s);
  if (t === undefined) return undefined;
  const num = (name: string): number | undefined | null => {
    const v = t.params.get(name);
    if (v === undefined) return undefined;
    if (v === null) return null;
    return parseNumber(v, MAX_DELTA_SECONDS) ?? null;
  };
  const expires = num('expires');
  const retryAfter = num('retry-after');
  if (expires === null || retryAfter === null) return undefined;
  return { state: lower(t.value), expires, reason: t.params.get('reason') ?? undefined, retryAfter, params: t.params };
}

/** RAck = response-num LWS CSeq-num LWS Method (RFC 3262 §7.2). */
export interface RAck {
  readonly rseq: number;
  readonly cseq: number;
  readonly method: string;
}

export function parseRAck(s: string): RAck | undefined {
  const end = s.length;
  let i = skipWs(s, 0, end);
  const a = i;
  while (i < end && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  const rseq = parseDigits(s, a, i, MAX_CSEQ);
  if (rseq < 1) return undefined;
  const rest = parseCSeq(s.slice(i));
  if (rest === undefined || skipWs(s, i, end) === i) return undefined;
  return { rseq, cseq: rest.seq, method: rest.method };
}

/** Session-Expires = delta-seconds *(SEMI se-params), refresher = uac / uas (RFC 4028 §4). */
export interface SessionExpires {
  readonly deltaSeconds: number;
  readonly refresher: 'uac' | 'uas' | undefined;
  readonly params: Params;
}

function parseDeltaWithParams(s: string): { delta: number; params: Params } | undefined {
  const end = s.length;
  let i = skipWs(s, 0, end);
  const a = i;
  while (i < end && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  const delta = parseDigits(s, a, i, MAX_DELTA_SECONDS);
  if (delta < 0) return undefined;
  const list: Param[] = [];
  const k = parseHeaderParams(s, i, end, list, false);
  if (k !== end) return undefined;
  return { delta, params: list.length === 0 ? Params.EMPTY : new Params(list) };
}

export function parseSessionExpires(s: string): SessionExpires | undefined {
  const d = parseDeltaWithParams(s);
  if (d === undefined) return undefined;
  const r = d.params.get('refresher');
  if (r === null) return undefined;
  const refresher = r === undefined ? undefined : lower(r);
  if (refresher !== undefined && refresher !== 'uac' && refresher !== 'uas') return undefined;
  return { deltaSeconds: d.delta, refresher, params: d.params };
}

/** Min-SE = delta-seconds *(SEMI generic-param) (RFC 4028 §5). */
export function parseMinSE(s: string): number | undefined {
  return parseDeltaWithParams(s)?.delta;
}

/** Replaces = callid *(SEMI replaces-param): to-tag, from-tag, early-only (RFC 3891 §6.1). */
export interface Replaces {
  readonly callId: string;
  readonly toTag: string;
  readonly fromTag: string;
  readonly earlyOnly: boolean;
  readonly params: Params;
}

export function parseReplaces(s: string): Replaces | undefined {
  const end = s.length;
  const i = skipWs(s, 0, end);
  let j = i;
  while (j < end) {
    const c = s.charCodeAt(j);
    if (c === 59 || c === 32 || c === 9) break;
    if (c !== 64 && (c >= 128 || (CLASS[c]! & C_WORD) === 0)) return undefined;
    j++;
  }
  const callId = s.slice(i, j);
  if (!isValidCallId(callId)) return undefined;
  const list: Param[] = [];
  const k = parseHeaderParams(s, j, end, list, false);
  if (k !== end) return undefined;
  const params = new Params(list);
  const toTag = params.get('to-tag');
  const fromTag = params.get('from-tag');
  if (typeof toTag !== 'string' || typeof fromTag !== 'string') return undefined;
  return { callId, toTag, fromTag, earlyOnly: params.has('early-only'), params };
}
