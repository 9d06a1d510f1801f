// The parsed form of a KX-UT670 dial plan (DIAL_PLAN_n, Section 6.6 "Available Values for the
// Dial Plan Field"). A plan is up to 40 alternatives separated by "|"; each alternative is a
// list of items that the matcher walks as a small NFA (match.ts).
import type { Failure } from '../../core/result.js';

/** The keys a dial plan can name: 0–9, *, #, + (KX-UT670 6.6 "Digit"). */
export const DIAL_SYMBOLS = '0123456789*#+';

/** Bit mask over DIAL_SYMBOLS: bit k set = symbol DIAL_SYMBOLS[k] matches. */
export type SymbolMask = number;

/** `x`/`X` matches any of 0–9 (as RFC 3435 §2.1.5 digit maps; not *, # or +). */
export const WILDCARD_MASK: SymbolMask = 0x3ff;

/** How specific one digit position is; used to choose between alternatives that both match. */
export type Specificity = 'literal' | 'range' | 'wildcard';

/** One digit position: a literal, `x`, or `[...]`; `repeat` when followed by `.`. */
export interface MatchItem {
  readonly kind: 'match';
  readonly mask: SymbolMask;
  readonly specificity: Specificity;
  /** `.`: the position repeats zero or more times (RFC 3435 §2.1.5; see parse.ts for the choice). */
  readonly repeat: boolean;
  /** Inside the "before" part of `<before:after>`: the digit is consumed but not sent. */
  readonly silent: boolean;
  /** Offset of the item in the plan string. */
  readonly position: number;
}

/** End of a `<before:after>` substitution: the `after` text is sent in place of the digits. */
export interface EmitItem {
  readonly kind: 'emit';
  readonly text: string;
  readonly position: number;
}

export type DialPlanItem = MatchItem | EmitItem;

/** `S<n>`/`s<n>`: wait n seconds; `T`/`t`: wait MACRODIGIT_TIM seconds (KX-UT670 6.6 "Timer"). */
export type PlanTimer = { readonly kind: 'seconds'; readonly seconds: number } | { readonly kind: 'macro' };

export interface DialPlanAlternative {
  /** 0-based index among the plan's alternatives. */
  readonly index: number;
  /** The alternative's text as written (trimmed). */
  readonly source: string;
  /** Offset of `source` in the plan string. */
  readonly position: number;
  readonly items: readonly DialPlanItem[];
  readonly timer: PlanTimer | undefined;
  /** `!`: a number matching this alternative is not called (KX-UT670 6.6 "Reject"). */
  readonly reject: boolean;
  /** The alternative contains `.` (6.6 "Partial Match (when the dial plan contains '.')"). */
  readonly hasRepeat: boolean;
  /** Digit positions (literal, `x` or range), counted against the 32-digit limit. */
  readonly digitPositions: number;
}

export interface DialPlan {
  readonly source: string;
  /** Empty when the plan string is empty: no dial plan, every number is sent. */
  readonly alternatives: readonly DialPlanAlternative[];
}

export interface DialPlanError extends Failure {
  /** 0-based offset into the plan string where the problem is. */
  readonly position: number;
}

/** Index of a dialled key in DIAL_SYMBOLS, or -1 when it is not a dial key. */
export function symbolIndex(key: string): number {
  return key.length === 1 ? DIAL_SYMBOLS.indexOf(key) : -1;
}
