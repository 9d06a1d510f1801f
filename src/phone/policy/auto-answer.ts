// When an incoming call answers itself. Pure.
//  - Intercom (A12 8.1, 9.15 "Enable Intercom"): a call whose Alert-Info says
//    `info=alert-autoanswer` (or `info=intercom`, `Auto Answer`) or whose Call-Info carries
//    `answer-after=N` is answered after N s (0 without the parameter); Barge answers it during a
//    call, but a second intercom call while one is active is refused busy; Mute starts it muted;
//    Tone plays the intercom tone (reported, no audio engine yet).
//  - Per line (A12 7.4 / 9.12 Auto Answer + delay 0–120 s), P2P IP calls (A12 9.14).
//  - KX-UT670: the phone's Auto Answer switch rings AUTO_ANS_RING_TIM (5.6.1) seconds first.
// A second call while busy is never auto-answered, except an intercom call with Barge.
import type { SipRequest } from '../../sip/message/index.js';
import type { DeviceSettings } from '../../settings/canonical.js';
import type { LineFeatures } from './line-features.js';

export interface IntercomRequest {
  /** Seconds to wait before answering (Call-Info answer-after), 0 when absent. */
  readonly answerAfterS: number;
}

/** Whether the INVITE asks to be answered automatically (intercom), and after how long. */
export function intercomRequest(invite: SipRequest): IntercomRequest | undefined {
  for (const value of invite.headers.getAll('Call-Info')) {
    const m = /;\s*answer-after\s*=\s*(\d{1,4})/i.exec(value);
    if (m) return { answerAfterS: Number(m[1]) };
  }
  for (const value of invite.headers.getAll('Alert-Info')) {
    if (/info\s*=\s*"?(alert-autoanswer|intercom|auto-?answer)"?/i.test(value) || /^\s*(ring answer|auto answer)\s*$/i.test(value)) return { answerAfterS: 0 };
  }
  return undefined;
}

export interface AutoAnswerPlan {
  readonly delayMs: number;
  readonly intercom: boolean;
  /** Start muted (A12 Intercom Mute). */
  readonly mute: boolean;
  /** Play the intercom tone (A12 Intercom Tone). */
  readonly tone: boolean;
}

export interface AutoAnswerInput {
  readonly settings: DeviceSettings;
  readonly line: number;
  readonly features: LineFeatures;
  readonly intercom: IntercomRequest | undefined;
  /** The model has the intercom features (its catalogue maps intercom.intercom). */
  readonly intercomSupported: boolean;
  /** Another call is active. */
  readonly busy: boolean;
  /** The call came to the line's IP address with the line not activated (A12 9.14 P2P). */
  readonly p2p: boolean;
}

export type AutoAnswerDecision = { kind: 'ring' } | { kind: 'answer'; plan: AutoAnswerPlan } | { kind: 'refuse' };

/** What the phone does with a ringing call: let it ring, answer it later, or refuse it (intercom while in an intercom call). */
export function autoAnswer(input: AutoAnswerInput, activeIntercom: boolean): AutoAnswerDecision {
  const { settings, features } = input;
  const ic = settings.intercom.intercom;
  if (input.intercom && input.intercomSupported && ic.enabled) {
    const plan = { delayMs: input.intercom.answerAfterS * 1000, intercom: true, mute: ic.mute, tone: ic.tone };
    if (!input.busy) return { kind: 'answer', plan };
    if (!ic.barge) return { kind: 'ring' };
    // A12 9.15 Barge: "If the current call is intercom call, the phone will reject the second intercom call".
    return activeIntercom ? { kind: 'refuse' } : { kind: 'answer', plan };
  }
  if (input.busy) return { kind: 'ring' };
  const plain = (delayS: number): AutoAnswerDecision => ({ kind: 'answer', plan: { delayMs: Math.max(0, delayS) * 1000, intercom: false, mute: false, tone: false } });
  if (features.autoAnswer === true) return plain(settings.call.autoAnswerRingS);
  if (features.autoAnswer === false) return { kind: 'ring' };
  const line = settings.lines[input.line - 1];
  const rule = input.p2p || !line?.enabled ? settings.intercom.p2p.autoAnswer : line.autoAnswer;
  return rule.enabled ? plain(rule.delayS) : { kind: 'ring' };
}
