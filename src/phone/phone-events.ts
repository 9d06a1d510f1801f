// The call layer's device events: every call state change, every line status change, and the
// in-call features (hold, transfer progress, conference...: in-call/call-feature.ts).
import type { CallSnapshot } from './call.js';
import type { CallFeatureEvent } from './in-call/call-feature.js';
import type { LineStatus } from './phone-line.js';

declare module '../core/device-events.js' {
  interface DeviceEventMap {
    call: CallSnapshot;
    line: LineStatus;
    'call-feature': CallFeatureEvent;
  }
}

export {};
