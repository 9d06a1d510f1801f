// The phone's call history: incoming (answered), outgoing and missed calls with their time,
// remote party, duration and line, newest first, capped (KX-UT670: the phone's call log; A12 9.12
// "Enable Missed Call Log" per line). Kept in memory; the device persists it through `persist`.
// Every new entry is a device event `call-log`.
import { Emitter } from '../core/events.js';

export type CallLogKind = 'incoming' | 'outgoing' | 'missed';

export interface CallLogEntry {
  /** Increasing id, unique within the log. */
  readonly id: number;
  readonly kind: CallLogKind;
  readonly line: number;
  /** Wall-clock start, ISO 8601. */
  readonly at: string;
  readonly remote: { readonly number: string; readonly name: string; readonly uri: string };
  /** Seconds from answer to end; 0 for calls never answered. */
  readonly durationS: number;
  /**
   * How it ended: `answered`, `cancelled` (caller gave up), `rejected`, `busy`, `dnd`,
   * `forwarded`, `rejection-list`, `restricted`, `anonymous`, `no-answer`, `failed`…
   */
  readonly outcome: string;
  /** Final SIP status when the call was not answered. */
  readonly status?: number;
  readonly callId: string;
}

export type NewCallLogEntry = Omit<CallLogEntry, 'id'>;

export interface CallLogEvents extends Record<string, unknown> {
  entry: CallLogEntry;
  cleared: undefined;
}

declare module '../core/device-events.js' {
  interface DeviceEventMap {
    'call-log': CallLogEntry;
  }
}

export const CALL_LOG_DEFAULT_CAP = 100;

export class CallLog {
  readonly events = new Emitter<CallLogEvents>();
  private entries: CallLogEntry[];
  private nextId: number;

  constructor(
    private readonly cap = CALL_LOG_DEFAULT_CAP,
    initial: readonly CallLogEntry[] = [],
    private readonly persist?: (entries: readonly CallLogEntry[]) => void,
  ) {
    this.entries = initial.slice(0, cap);
    this.nextId = Math.max(0, ...this.entries.map((e) => e.id)) + 1;
  }

  add(entry: NewCallLogEntry): CallLogEntry {
    const full: CallLogEntry = { id: this.nextId++, ...entry };
    this.entries.unshift(full);
    if (this.entries.length > this.cap) this.entries.length = this.cap;
    this.persist?.(this.entries);
    this.events.emit('entry', full);
    return full;
  }

  /** Newest first; `kind` filters. */
  list(kind?: CallLogKind): CallLogEntry[] {
    return kind === undefined ? this.entries.slice() : this.entries.filter((e) => e.kind === kind);
  }

  clear(): number {
    const n = this.entries.length;
    this.entries = [];
    this.persist?.(this.entries);
    this.events.emit('cleared', undefined);
    return n;
  }
}

/** Checks a JSON value read back from NVRAM. */
export function isCallLogEntries(value: unknown): value is CallLogEntry[] {
  return (
    Array.isArray(value) &&
    value.every((e) => {
      const x = e as Partial<CallLogEntry> | null;
      return typeof x === 'object' && x !== null && typeof x.id === 'number' && (x.kind === 'incoming' || x.kind === 'outgoing' || x.kind === 'missed') && typeof x.at === 'string' && typeof x.remote === 'object';
    })
  );
}

/** Something that carries a call log (the Phone); the control API finds it through this. */
export interface CallLogHolder {
  readonly callLog: CallLog;
}

export function callLogOf(x: unknown): CallLog | undefined {
  const log = typeof x === 'object' && x !== null ? (x as Partial<CallLogHolder>).callLog : undefined;
  return log instanceof CallLog ? log : undefined;
}
