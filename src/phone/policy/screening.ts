// Calls refused before they ring: the rejection / restricted-incoming lists and anonymous callers.
// Pure.
import type { DeviceSettings } from '../../settings/canonical.js';
import type { CallerId } from './caller-id.js';
import type { LineFeatures } from './line-features.js';
import { matchNumber } from './number-list.js';

export interface Refusal {
  readonly status: number;
  /** Why, for the call log and the logs: `rejection-list`, `restricted`, `anonymous`, `dnd`, `busy`. */
  readonly reason: string;
}

/** RFC 5079 §3: 433 Anonymity Disallowed refuses a caller who withheld the identity. */
export const ANONYMITY_DISALLOWED = 433;

export function screenCaller(caller: CallerId, features: LineFeatures, settings: DeviceSettings, rejectNumbers: readonly string[], restrictionsApply: boolean): Refusal | undefined {
  const reject = settings.sip.rejectResponseCode;
  // KX-UT670 4.7.1.2: calls from the listed numbers are rejected (the reject response code, 5.9).
  if (matchNumber(caller.number, rejectNumbers, 'exact')) return { status: reject, reason: 'rejection-list' };
  // A12 9.23 / 9.15 "Enable Restricted Incoming List": the blacklist, number or prefix.
  const r = settings.intercom.restrictions;
  if (restrictionsApply && r.incomingEnabled && matchNumber(caller.number, r.incoming, 'prefix')) return { status: reject, reason: 'restricted' };
  // KX-UT670 4.7.2.3 Block Anonymous Call, A12 9.12 Blocking Anonymous Call.
  if (features.blockAnonymous && caller.anonymous) return { status: ANONYMITY_DISALLOWED, reason: 'anonymous' };
  return undefined;
}

/** A12 9.15 Restricted Outgoing / Ban Outgoing: why `dialled` may not be called, or undefined. */
export function screenOutgoing(dialled: string, settings: DeviceSettings, restrictionsApply: boolean): string | undefined {
  if (!restrictionsApply) return undefined;
  const f = settings.intercom.features;
  if (f.banOutgoing) return 'outgoing calls are banned (Ban Outgoing)';
  const r = settings.intercom.restrictions;
  const user = dialled.replace(/^sips?:/i, '').split('@')[0]!;
  const hit = r.outgoingEnabled ? matchNumber(user, r.outgoing, 'prefix') : undefined;
  return hit === undefined ? undefined : `${dialled} matches the restricted outgoing list entry ${hit}`;
}
