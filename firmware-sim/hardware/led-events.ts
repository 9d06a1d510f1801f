// The `led` device event: one LED changed its look (colour, pattern, period or reason).
import type { LedState } from '../../src/ui-web/led-routes.js';

declare module '../../src/core/device-events.js' {
  interface DeviceEventMap {
    led: LedState;
  }
}

export {};
