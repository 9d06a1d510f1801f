// What an incoming INVITE does, decided before the phone rings. Pure. In order:
//  1. screening: rejection list, restricted incoming list, anonymous callers (screening.ts);
//  2. unconditional forward (302, forward.ts);
//  3. DND (KX-UT670 5.9 SIP_RESPONSE_CODE_DND, A12 9.12 Enable DND);
//  4. busy: an intercom call with Barge is answered; else forward on busy; else without call
//     waiting the busy code (A12 9.15 Busy Response Code; KX-UT670 5.8.2 CW_ENABLE_n → 486);
//  5. ring, with the auto answer plan, the forward on no answer, and the no-answer hang-up.
// DEVIATION: neither manual orders DND against forwarding; an unconditional forward wins here
// (the call is not lost), as on most desk phones.
import type { DeviceSettings } from '../../settings/canonical.js';
import { autoAnswer, type AutoAnswerPlan, type IntercomRequest } from './auto-answer.js';
import type { CallerId } from './caller-id.js';
import { forwardNow, forwardOnNoAnswer, type ForwardDecision } from './forward.js';
import type { LineFeatures } from './line-features.js';
import { screenCaller } from './screening.js';

export interface IncomingInput {
  readonly settings: DeviceSettings;
  readonly line: number;
  readonly features: LineFeatures;
  readonly caller: CallerId;
  readonly intercom: IntercomRequest | undefined;
  readonly rejectNumbers: readonly string[];
  /** Another call is active on the phone. */
  readonly busy: boolean;
  /** An active call is an intercom call. */
  readonly activeIntercom: boolean;
  /** The model has the A12 intercom features (intercom auto answer, restrictions, no-answer hang-up). */
  readonly intercomModel: boolean;
}

export type IncomingDecision =
  | { readonly kind: 'refuse'; readonly status: number; readonly reason: string }
  | { readonly kind: 'forward'; readonly forward: ForwardDecision }
  | {
      readonly kind: 'ring';
      readonly autoAnswer: AutoAnswerPlan | undefined;
      readonly noAnswerForward: (ForwardDecision & { readonly delayMs: number }) | undefined;
      /** A12 9.15 No Answer Auto HangUp Timeout, ms; undefined = never. */
      readonly noAnswerHangupMs: number | undefined;
    };

export function decideIncoming(input: IncomingInput): IncomingDecision {
  const { settings, features, busy } = input;
  const screened = screenCaller(input.caller, features, settings, input.rejectNumbers, input.intercomModel);
  if (screened) return { kind: 'refuse', ...screened };
  const always = forwardNow(features, false);
  if (always) return { kind: 'forward', forward: always };
  if (features.dnd) return { kind: 'refuse', status: settings.sip.dndResponseCode, reason: 'dnd' };
  const lineSettings = settings.lines[input.line - 1];
  const answer = autoAnswer({ settings, line: input.line, features, intercom: input.intercom, intercomSupported: input.intercomModel, busy, p2p: !(lineSettings?.enabled ?? true) }, input.activeIntercom);
  const busyCode = input.intercomModel ? settings.intercom.features.busyResponseCode : 486;
  if (answer.kind === 'refuse') return { kind: 'refuse', status: busyCode, reason: 'busy' };
  if (busy && !(answer.kind === 'answer' && answer.plan.intercom)) {
    const onBusy = forwardNow(features, true);
    if (onBusy) return { kind: 'forward', forward: onBusy };
    // KX-UT670 5.6.1 DATA_LINE_MODE ("sending and receiving using data line mode"): a call that
    // carries data (fax, modem) must not be disturbed, so no second call waits on it.
    // DEVIATION: the guide says no more; no call waiting is the one effect a user would notice.
    const waiting = !settings.call.dataLineMode && features.callWaiting && (!input.intercomModel || settings.intercom.features.callWaiting);
    if (!waiting) return { kind: 'refuse', status: busyCode, reason: 'busy' };
  }
  const hangupS = settings.intercom.features.noAnswerHangupS;
  return {
    kind: 'ring',
    autoAnswer: answer.kind === 'answer' ? answer.plan : undefined,
    noAnswerForward: forwardOnNoAnswer(features),
    noAnswerHangupMs: input.intercomModel && hangupS > 0 ? hangupS * 1000 : undefined,
  };
}
