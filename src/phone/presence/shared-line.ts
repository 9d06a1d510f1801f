// Shared call (KX-UT670 5.8.1 SHARED_CALL_ENABLE_n: "Specifies whether to enable the Shared Call
// feature of the SIP server, which is used to share one line among the units ... If set to Y,
// the SIP server will control the line by using a shared-call signaling method"; A12 9.12
// "Enable SCA", Shared Call Appearance). The manuals name no method; our reading is the one both
// vendors ship for it, BroadWorks Shared Call Appearance (draft-anil-sipping-bla-03):
//  - the registered line subscribes to its own address-of-record for `call-info` and the
//    Call-Info headers of the NOTIFYs say which appearances of the line other phones of the
//    group use (alerting, active, held...): the line keys (X_PANASONIC_IPTEL_DN "ringtone,line")
//    of that line and the `shared-line` device event show it;
//  - before dialling on the shared line a phone seizes an appearance with a short `line-seize`
//    subscription (Expires 15); the INVITE then names it in Call-Info (seizeLine()).
import { failure, ok, type Result } from '../../core/result.js';
import type { DeviceSettings } from '../../settings/canonical.js';
import { appearancesInUse, CALL_INFO_EVENT, LINE_SEIZE_EVENT, parseAppearances, sharedLineLamp, type AppearanceState, type SharedLineLamp } from '../../sip/events/call-info.js';
import { Subscriber } from '../../sip/subscription/subscriber.js';
import type { EventSubscriptionOptions } from '../../sip/subscription/watchers.js';
import type { BlfSubscriptionState } from './buttons.js';

export interface SharedAppearance {
  readonly index: number;
  readonly state: AppearanceState;
  /** The other party of the call on it (appearance-uri). */
  readonly remote?: string;
}

export interface SharedLineStatus {
  readonly line: number;
  readonly subscription: BlfSubscriptionState;
  readonly reason?: string;
  readonly lamp: SharedLineLamp | 'unknown';
  /** Appearances other phones (or this one) use; the others are idle. */
  readonly appearances: readonly SharedAppearance[];
  /** Line keys of this line (FLEX_BUTTON_FACILITY_ACTx = X_PANASONIC_IPTEL_DN, argument "ringtone,line"). */
  readonly buttons: readonly number[];
}

/** Lines with SHARED_CALL_ENABLE_n / A12 Enable SCA. */
export function sharedLines(settings: DeviceSettings, lines: readonly number[]): number[] {
  return lines.filter((n) => settings.lines[n - 1]?.sharedCall === true);
}

/** Line keys of `line`: X_PANASONIC_IPTEL_DN with "ringtone,line" (KX-UT670 5.6.4); a lone number is the ringtone of line 1. */
export function lineKeys(settings: DeviceSettings, line: number): number[] {
  const out: number[] = [];
  settings.buttons.forEach((b, i) => {
    if (b.action !== 'line') return;
    const parts = b.argument.split(',').map((p) => p.trim());
    const of = parts.length > 1 ? Number(parts[1]) : 1;
    if (of === line) out.push(i + 1);
  });
  return out;
}

/** Subscribes to `call-info` at the line's own AOR; `onChange(undefined)` while no subscription is up. */
export function watchSharedLine(options: EventSubscriptionOptions, onChange: (appearances: SharedAppearance[] | undefined, lamp: SharedLineLamp | 'unknown') => void): Subscriber {
  const sub = new Subscriber({ ...options, event: CALL_INFO_EVENT, accept: [] });
  sub.events.on('notify', (n) => {
    if (n.subscriptionState.state === 'terminated') return;
    const parsed = parseAppearances(n.request.headers.getAll('Call-Info'));
    if (!parsed.ok) return; // a broken header changes nothing (the NOTIFY got its 200)
    const inUse = appearancesInUse(parsed.value);
    onChange(
      inUse.map((a) => ({ index: a.index, state: a.state, ...(a.uri !== undefined ? { remote: a.uri } : {}) })),
      sharedLineLamp(inUse),
    );
  });
  sub.events.on('state', (state) => {
    if (state === 'subscribing' || state === 'waiting' || state === 'terminated') onChange(undefined, 'unknown');
  });
  return sub;
}

/** A seized appearance: dial with `callInfo` as the INVITE's Call-Info; release() ends the seizure. */
export interface LineSeizure {
  readonly appearance: number;
  /** Call-Info header value for the INVITE on the seized appearance. */
  readonly callInfo: string;
  release(): void;
}

/** BroadWorks: a line-seize subscription lives 15 s, long enough to dial. */
export const LINE_SEIZE_EXPIRES_S = 15;

/**
 * Seizes an appearance of the shared line (`aor`, its own address-of-record): SUBSCRIBE
 * Event: line-seize, Expires: 15, with the wanted appearance in Call-Info if any. Granted when
 * a NOTIFY says active; refused by an error response or a terminating NOTIFY (another phone holds it).
 */
export function seizeLine(options: Omit<EventSubscriptionOptions, 'timers' | 'headers'>, aor: string, appearance?: number): Promise<Result<LineSeizure>> {
  const headers: Array<readonly [string, string]> = appearance !== undefined ? [['Call-Info', `<${aor}>;appearance-index=${appearance}`]] : [];
  const sub = new Subscriber({ ...options, event: LINE_SEIZE_EVENT, accept: [], headers, timers: { expiresS: LINE_SEIZE_EXPIRES_S, refreshPercent: 90, retryIntervalS: 10 } });
  return new Promise((resolve) => {
    let settled = false;
    const settle = (r: Result<LineSeizure>) => {
      if (settled) return;
      settled = true;
      resolve(r);
    };
    const refuse = (why: string) => {
      sub.unsubscribe(); // no retry: the user dials again
      settle(failure('LINE_SEIZE_REFUSED', `line-seize refused: ${why}`));
    };
    sub.events.on('failed', (f) => refuse(String(f.status)));
    sub.events.on('terminated', (t) => refuse(t.reason ?? 'terminated'));
    sub.events.on('notify', (n) => {
      if (n.subscriptionState.state !== 'active') return;
      const granted = parseAppearances(n.request.headers.getAll('Call-Info'));
      const index = (granted.ok ? granted.value.find((a) => a.index !== '*')?.index : undefined) ?? appearance ?? 1;
      const n2 = typeof index === 'number' ? index : 1;
      settle(ok({ appearance: n2, callInfo: `<${aor}>;appearance-index=${n2}`, release: () => sub.unsubscribe() }));
    });
    sub.start();
  });
}
