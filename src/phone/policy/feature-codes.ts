// A12 9.12 "Use Feature Code": with it on, switching DND, forward, anonymous-call blocking, call
// waiting or anonymous calls is not done on the phone: the phone dials the feature code to the
// server (forward-on codes followed by the target number), and the server keeps the feature. Pure.
import type { IntercomLineSettings } from '../../settings/canonical-intercom.js';

export type PhoneFeature = 'dnd' | 'forward-always' | 'forward-busy' | 'forward-no-answer' | 'block-anonymous' | 'anonymous' | 'call-waiting' | 'auto-answer';

export const PHONE_FEATURES: readonly PhoneFeature[] = ['dnd', 'forward-always', 'forward-busy', 'forward-no-answer', 'block-anonymous', 'anonymous', 'call-waiting', 'auto-answer'];

type Codes = IntercomLineSettings['featureCodes'];
type CodeKey = Exclude<keyof Codes, 'enabled'>;

/** Auto answer has no code: it is always the phone's own switch. */
const KEYS: Partial<Record<PhoneFeature, readonly [CodeKey, CodeKey]>> = {
  dnd: ['dndOn', 'dndOff'],
  'forward-always': ['alwaysForwardOn', 'alwaysForwardOff'],
  'forward-busy': ['busyForwardOn', 'busyForwardOff'],
  'forward-no-answer': ['noAnswerForwardOn', 'noAnswerForwardOff'],
  'block-anonymous': ['blockAnonymousOn', 'blockAnonymousOff'],
  anonymous: ['sendAnonymousOn', 'sendAnonymousOff'],
  'call-waiting': ['callWaitingOn', 'callWaitingOff'],
};

/**
 * The number to dial for switching `feature` on or off, or undefined when the line handles the
 * feature itself (feature codes off, or no code configured for it).
 */
export function featureCodeFor(codes: Codes | undefined, feature: PhoneFeature, on: boolean, number = ''): string | undefined {
  const keys = KEYS[feature];
  if (!codes?.enabled || !keys) return undefined;
  const code = codes[keys[on ? 0 : 1]];
  if (code === '') return undefined;
  return on && feature.startsWith('forward-') ? `${code}${number}` : code;
}
