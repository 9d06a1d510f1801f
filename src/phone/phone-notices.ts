// What the Phone tells the rest of the device besides call states: the hook switch, keys of the
// dial pad, a dial that failed before any call existed, and the user's feature switches. The SIP
// service publishes each as a device event (phone-events.ts); the handset plays from them.
import type { LineFeatures } from './policy/line-features.js';

export type HookState = 'on' | 'off';

/** Device event `hook`: the handset was lifted / put down (or hands-free toggled). */
export interface HookNotice {
  readonly state: HookState;
  readonly line?: number;
}

/**
 * Device event `keypad`: a key of the dial pad. `call` set: sent as DTMF in that call (the handset
 * plays the side-tone); otherwise a digit collected off hook (`digits` so far; the dial tone stops).
 */
export interface KeypadNotice {
  readonly key: string;
  readonly line?: number;
  readonly call?: string;
  readonly digits?: string;
}

/**
 * Device event `dial-failed`: a dial that created no call (no route, barred, dial-plan reject,
 * line seize refused, FIRSTDIGIT_TIM expired). `offHook` says whether the user is listening;
 * `tone` is the tone the manual names when it names one (KX-UT670 5.6.1 FIRSTDIGIT_TIM: busy).
 */
export interface DialFailedNotice {
  readonly to: string;
  readonly line?: number;
  readonly code: string;
  readonly message: string;
  readonly offHook: boolean;
  readonly tone?: 'busy' | 'reorder';
}

/** Device event `features`: a feature switch of `line` changed (DND, forwards, anonymous…). */
export interface FeaturesNotice {
  readonly line: number;
  /** `local` (setFeature), `code` (feature code dialled to the server), `server` (FWD_DND_SYNCHRO NOTIFY). */
  readonly source: 'local' | 'code' | 'server';
  readonly features: LineFeatures;
}
