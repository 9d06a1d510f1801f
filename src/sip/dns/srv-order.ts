// RFC 2782 "Usage rules": the order in which a client contacts SRV targets — lowest priority
// first; within one priority a weighted random draw, repeated on the records not yet chosen.
import type { SrvRecord } from './types.js';

/** A draw in [0, 1), like Math.random (injected so tests are deterministic). */
export type RandomSource = () => number;

/**
 * The records in contact order. Records with target "." are left out (the caller decides what a
 * "." answer means). Never mutates its input.
 */
export function orderSrv(records: readonly SrvRecord[], random: RandomSource): SrvRecord[] {
  const byPriority = new Map<number, SrvRecord[]>();
  for (const record of records) {
    if (record.target === '.' || record.target === '') continue;
    const group = byPriority.get(record.priority);
    if (group === undefined) byPriority.set(record.priority, [record]);
    else group.push(record);
  }
  const ordered: SrvRecord[] = [];
  for (const priority of [...byPriority.keys()].sort((a, b) => a - b)) ordered.push(...weightedOrder(byPriority.get(priority)!, random));
  return ordered;
}

function weightedOrder(group: readonly SrvRecord[], random: RandomSource): SrvRecord[] {
  // RFC 2782: "arrange all SRV RRs (that have not been ordered yet) in any order, except that all
  // those with weight 0 are placed at the beginning of the list."
  const left = [...group.filter((r) => r.weight === 0), ...group.filter((r) => r.weight !== 0)];
  const out: SrvRecord[] = [];
  while (left.length > 0) {
    const total = left.reduce((sum, r) => sum + r.weight, 0);
    // "choose a uniform random number between 0 and the sum computed (inclusive), and select the
    // RR whose running sum value is the first in the selected order which is greater than or
    // equal to the random number selected."
    const draw = Math.min(total, Math.floor(random() * (total + 1)));
    let running = 0;
    let index = left.length - 1;
    for (let i = 0; i < left.length; i++) {
      running += left[i]!.weight;
      if (running >= draw) {
        index = i;
        break;
      }
    }
    out.push(left.splice(index, 1)[0]!);
  }
  return out;
}
