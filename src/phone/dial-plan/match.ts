// Matching dialled digits against a parsed dial plan (KX-UT670 6.6 "Dial Plan Example": complete
// match, partial match, no match). Each alternative runs as a Thompson NFA with thread priority
// (a Pike VM): linear in digits × items, no backtracking, and the highest-priority path (greedy
// `.`) decides which digits a `<before:after>` substitution replaced.
//
// When several alternatives match completely the manual does not say which one wins; we take the
// most specific (most digits matched by literals, then by [ranges], then the leftmost), so that
// "1xxxxx|123xxx!" rejects 123456 as its writer means, whatever the order.
import { symbolIndex, type DialPlan, type DialPlanAlternative } from './types.js';

export interface AlternativeMatch {
  readonly alternative: DialPlanAlternative;
  /** complete: the digits are a number of this alternative; partial: a proper prefix of one. */
  readonly state: 'complete' | 'partial';
  /** More digits could still match this alternative (a `.` or a longer path). */
  readonly extensible: boolean;
  /** The number to send, with substitutions applied (for a partial match: of the digits so far). */
  readonly number: string;
  readonly literalDigits: number;
  readonly rangeDigits: number;
}

export interface PlanMatch {
  /** complete if any alternative matches completely, else partial if any could still match. */
  readonly status: 'complete' | 'partial' | 'none';
  /** The winning complete match (complete[0]). */
  readonly best: AlternativeMatch | undefined;
  /** Complete matches, best first. */
  readonly complete: readonly AlternativeMatch[];
  /** Partial matches in plan order. */
  readonly partial: readonly AlternativeMatch[];
  /** Some alternative would accept one more digit. */
  readonly canExtend: boolean;
}

interface Thread {
  readonly i: number;
  readonly out: string;
  /** Digits consumed inside an unfinished `<before:...>` (sent raw if the number ends there). */
  readonly pending: string;
  readonly lit: number;
  readonly rng: number;
}

function addThread(alt: DialPlanAlternative, list: Thread[], seen: boolean[], t: Thread): void {
  if (seen[t.i]) return;
  seen[t.i] = true;
  const item = alt.items[t.i];
  if (item === undefined) {
    list.push(t); // accepting state
  } else if (item.kind === 'emit') {
    addThread(alt, list, seen, { i: t.i + 1, out: t.out + item.text, pending: '', lit: t.lit, rng: t.rng });
  } else {
    list.push(t); // waits for a digit here (greedy: staying in a repeat has priority)
    if (item.repeat) addThread(alt, list, seen, { ...t, i: t.i + 1 });
  }
}

/** Matches `digits` (keys from 0-9 * # +) against one alternative; undefined when it cannot match. */
export function matchAlternative(alt: DialPlanAlternative, digits: string): AlternativeMatch | undefined {
  const n = alt.items.length;
  let list: Thread[] = [];
  addThread(alt, list, new Array<boolean>(n + 1).fill(false), { i: 0, out: '', pending: '', lit: 0, rng: 0 });
  for (let k = 0; k < digits.length && list.length > 0; k++) {
    const sym = symbolIndex(digits[k]!);
    const d = digits[k]!;
    const next: Thread[] = [];
    const seen = new Array<boolean>(n + 1).fill(false);
    if (sym >= 0) {
      const bit = 1 << sym;
      for (const t of list) {
        const item = alt.items[t.i];
        if (item?.kind !== 'match' || (item.mask & bit) === 0) continue;
        addThread(alt, next, seen, {
          i: item.repeat ? t.i : t.i + 1,
          out: item.silent ? t.out : t.out + d,
          pending: item.silent ? t.pending + d : t.pending,
          lit: t.lit + (item.specificity === 'literal' ? 1 : 0),
          rng: t.rng + (item.specificity === 'range' ? 1 : 0),
        });
      }
    }
    list = next;
  }
  if (list.length === 0) return undefined;
  const accept = list.find((t) => t.i === n);
  const extensible = list.some((t) => t.i < n);
  const t = accept ?? list[0]!;
  return {
    alternative: alt,
    state: accept ? 'complete' : 'partial',
    extensible,
    number: t.out + t.pending,
    literalDigits: t.lit,
    rangeDigits: t.rng,
  };
}

/** Sort order "most specific first": literal digits, then range digits, then plan order. */
export function compareSpecificity(a: AlternativeMatch, b: AlternativeMatch): number {
  return b.literalDigits - a.literalDigits || b.rangeDigits - a.rangeDigits || a.alternative.index - b.alternative.index;
}

/** Matches `digits` against every alternative of `plan`. */
export function matchDialPlan(plan: DialPlan, digits: string): PlanMatch {
  const complete: AlternativeMatch[] = [];
  const partial: AlternativeMatch[] = [];
  let canExtend = false;
  for (const alt of plan.alternatives) {
    const m = matchAlternative(alt, digits);
    if (!m) continue;
    (m.state === 'complete' ? complete : partial).push(m);
    canExtend ||= m.extensible;
  }
  complete.sort(compareSpecificity);
  const status = complete.length > 0 ? 'complete' : partial.length > 0 ? 'partial' : 'none';
  return { status, best: complete[0], complete, partial, canExtend };
}
