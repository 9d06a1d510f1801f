// The call layer's device events: every call state change, every line status change, the
// in-call features (hold, transfer progress, conference...: in-call/call-feature.ts), and the
// phone's notices (phone-notices.ts): hook switch, dial pad, failed dials, feature switches.
import type { CallSnapshot } from './call.js';
import type { CallFeatureEvent } from './in-call/call-feature.js';
import type { LineStatus } from './phone-line.js';
import type { DialFailedNotice, FeaturesNotice, HookNotice, KeypadNotice } from './phone-notices.js';

declare module '../core/device-events.js' {
  interface DeviceEventMap {
    call: CallSnapshot;
    line: LineStatus;
    'call-feature': CallFeatureEvent;
    hook: HookNotice;
    keypad: KeypadNotice;
    'dial-failed': DialFailedNotice;
    features: FeaturesNotice;
  }
}

export {};
