// One queue of deadlines shared by every timer of a device or a whole fleet: a binary min-heap
// ordered by due time, then by insertion order so timers due at the same instant fire FIFO.
// Cancellation is lazy (the entry is flagged and skipped when it reaches the top); when cancelled
// entries outnumber live ones the heap is rebuilt without them, so a timer cancelled long before
// its deadline (a transaction's Timer F after the 200) does not keep its closure alive.

export interface TimerEntry {
  readonly dueMs: number;
  readonly seq: number;
  readonly label: string;
  readonly callback: () => void;
  cancelled: boolean;
}

export class TimerQueue {
  private heap: TimerEntry[] = [];
  private nextSeq = 0;
  private live = 0;

  get size(): number {
    return this.live;
  }

  push(dueMs: number, callback: () => void, label: string): TimerEntry {
    const entry: TimerEntry = { dueMs, seq: this.nextSeq++, label, callback, cancelled: false };
    this.heap.push(entry);
    this.siftUp(this.heap.length - 1);
    this.live++;
    return entry;
  }

  cancel(entry: TimerEntry): void {
    if (entry.cancelled) return;
    entry.cancelled = true;
    this.live--;
    const dead = this.heap.length - this.live;
    if (dead > COMPACT_MIN && dead > this.live) this.compact();
  }

  /** Entries held, live or cancelled (diagnostics and tests). */
  get stored(): number {
    return this.heap.length;
  }

  private compact(): void {
    this.heap = this.heap.filter((e) => !e.cancelled);
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  /** Earliest live deadline, or undefined when idle. */
  peekDueMs(): number | undefined {
    this.dropCancelledTop();
    return this.heap[0]?.dueMs;
  }

  /** Removes and returns the earliest live entry if it is due at or before `nowMs`. */
  popDue(nowMs: number): TimerEntry | undefined {
    this.dropCancelledTop();
    const top = this.heap[0];
    if (!top || top.dueMs > nowMs) return undefined;
    this.removeTop();
    top.cancelled = true; // a fired timer can no longer be cancelled
    this.live--;
    return top;
  }

  /** Live entries in firing order (for tests and diagnostics; O(n log n)). */
  pending(): TimerEntry[] {
    return this.heap.filter((e) => !e.cancelled).sort(compare);
  }

  private dropCancelledTop(): void {
    while (this.heap.length > 0 && this.heap[0]!.cancelled) this.removeTop();
  }

  private removeTop(): void {
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.siftDown(0);
    }
  }

  private siftUp(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (compare(h[i]!, h[parent]!) >= 0) break;
      const t = h[i]!;
      h[i] = h[parent]!;
      h[parent] = t;
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && compare(h[l]!, h[m]!) < 0) m = l;
      if (r < h.length && compare(h[r]!, h[m]!) < 0) m = r;
      if (m === i) return;
      const t = h[i]!;
      h[i] = h[m]!;
      h[m] = t;
      i = m;
    }
  }
}

/** Below this many cancelled entries the heap is never rebuilt (cheap enough to skip lazily). */
const COMPACT_MIN = 64;

function compare(a: TimerEntry, b: TimerEntry): number {
  return a.dueMs - b.dueMs || a.seq - b.seq;
}
