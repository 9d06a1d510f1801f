// BLF (busy lamp field) state from dialog-info documents (RFC 4235 §4.1.2): a full document
// replaces what we know, a partial one updates the dialogs it names; versions must increase by one
// per NOTIFY, so a gap means we missed a partial update and must re-subscribe for a full state.
import type { DialogInfo, DialogInfoEntry } from './dialog-info.js';

/** What a BLF LED shows (KX-UT670 6.1 "extension status display"). */
export type BlfStatus = 'idle' | 'ringing' | 'busy';

const LIVE_EARLY = new Set(['trying', 'proceeding', 'early']);

/**
 * Ringing when a call is offered to the monitored user (an early dialog it receives), busy while
 * any other dialog is live (confirmed, or an outgoing call being set up), idle otherwise.
 */
export function blfStatus(dialogs: Iterable<DialogInfoEntry>): BlfStatus {
  let busy = false;
  for (const d of dialogs) {
    if (d.state === 'terminated') continue;
    if (LIVE_EARLY.has(d.state) && d.direction === 'recipient') return 'ringing';
    busy = true;
  }
  return busy ? 'busy' : 'idle';
}

export type BlfApplyResult = 'applied' | 'stale' | 'gap';

/** Keeps the dialogs of one monitored entity across full and partial notifications. */
export class BlfTracker {
  private readonly dialogs = new Map<string, DialogInfoEntry>();
  private version: number | undefined;

  get status(): BlfStatus {
    return blfStatus(this.dialogs.values());
  }

  /** Live (not terminated) dialogs. */
  get live(): DialogInfoEntry[] {
    return [...this.dialogs.values()].filter((d) => d.state !== 'terminated');
  }

  /**
   * Applies a document. `stale`: an old or repeated version (ignored, RFC 4235 §4.1.2);
   * `gap`: a partial document that skips versions (state unknown: re-subscribe).
   */
  apply(info: DialogInfo): BlfApplyResult {
    if (this.version !== undefined && info.version <= this.version) return 'stale';
    if (info.state === 'partial' && (this.version === undefined || info.version !== this.version + 1)) return 'gap';
    if (info.state === 'full') this.dialogs.clear();
    for (const d of info.dialogs) {
      if (d.state === 'terminated') this.dialogs.delete(d.id);
      else this.dialogs.set(d.id, d);
    }
    this.version = info.version;
    return 'applied';
  }

  /** Forgets the version (a new subscription starts again at any version). */
  reset(): void {
    this.dialogs.clear();
    this.version = undefined;
  }
}
