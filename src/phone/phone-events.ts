// The call layer's device events: every call state change and every line status change.
import type { CallSnapshot } from './call.js';
import type { LineStatus } from './phone-line.js';

declare module '../core/device-events.js' {
  interface DeviceEventMap {
    call: CallSnapshot;
    line: LineStatus;
  }
}

export {};
