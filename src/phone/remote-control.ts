// Click to Answer/Retrieve and Click to Hold (KX-UT670 5.6.1 TALK_PACKAGE, HOLD_PACKAGE): a
// server (BroadWorks Remote Call Control, a CTI desktop) drives the phone with an unsolicited
// NOTIFY carrying `Event: talk` — answer the ringing call, or take back the held one — or
// `Event: hold` — hold the call in conversation. The phone says it takes them with
// `Allow-Events: talk, hold` (the manual: "talk is added to the Allow-Events header"). The call
// is chosen on the line whose account the NOTIFY reached. It goes through the same actions as the
// control API, so events and logs are those of a user pressing the key.
import type { DeviceSettings } from '../settings/canonical.js';
import type { CallSnapshot } from './call.js';
import type { CallAction, CallActionArgs } from './telephony-api.js';
import type { Result } from '../core/result.js';

export type RemoteControlKind = 'talk' | 'hold';

/** The Allow-Events entries the settings enable (empty: neither package). */
export function remoteControlEvents(settings: DeviceSettings): string[] {
  return [...(settings.sip.talkPackage ? ['talk'] : []), ...(settings.sip.holdPackage ? ['hold'] : [])];
}

export interface RemoteControlTarget {
  listCalls(): CallSnapshot[];
  act(id: string, action: CallAction, args?: CallActionArgs): Result<CallSnapshot>;
}

export interface RemoteControlOutcome {
  /** The NOTIFY's answer: 200 done, 481 no call to act on (RFC 3261 §12.2.2 wording), 489 package off. */
  readonly status: 200 | 481 | 489;
  readonly reason?: string;
}

export function remoteControl(kind: RemoteControlKind, line: number, settings: DeviceSettings, phone: RemoteControlTarget): RemoteControlOutcome {
  if (!remoteControlEvents(settings).includes(kind)) return { status: 489, reason: 'Bad Event' };
  const calls = phone.listCalls().filter((c) => c.line === line && c.state !== 'ended');
  const pick = (state: CallSnapshot['state'], action: 'answer' | 'resume' | 'hold'): RemoteControlOutcome | undefined => {
    const call = calls.find((c) => c.state === state && (action !== 'answer' || c.direction === 'incoming'));
    if (!call) return undefined;
    const done = phone.act(call.id, action);
    return done.ok ? { status: 200 } : { status: 481, reason: done.error.message };
  };
  const outcome = kind === 'talk' ? (pick('ringing', 'answer') ?? pick('held', 'resume')) : pick('connected', 'hold');
  return outcome ?? { status: 481, reason: kind === 'talk' ? 'No call to answer or retrieve' : 'No call to hold' };
}
