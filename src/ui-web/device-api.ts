// What the web server and control API need from a device. firmware-sim's Device implements it;
// src/ui-web never imports firmware-sim (arrows point down).
import type { DeviceEvent } from '../core/device-events.js';
import type { LayeredStore } from '../settings/layered-store.js';
import type { TelephonyApi } from '../phone/telephony-api.js';
import type { PresenceApi } from '../phone/presence/presence-api.js';
import type { LedApi } from './led-routes.js';

export interface DeviceInfo {
  model: string;
  modelId: string;
  vendor: string;
  mac: string;
  firmware: string;
  address: { ip: string; sipPort: number; httpPort: number };
  uptimeS: number;
  bootCount: number;
  lines: number;
  ipDirectCalls: boolean;
}

export interface WebAccount {
  role: 'admin' | 'user';
  id: string;
  password: string;
}

export interface DeviceApi {
  info(): DeviceInfo;
  /** The web accounts as currently configured (KX-UT670 ADMIN_ID/ADMIN_PASS/USER_ID/USER_PASS). */
  accounts(): WebAccount[];
  readonly store: LayeredStore;
  subscribe(listener: (event: DeviceEvent) => void): () => void;
  recentEvents(): readonly DeviceEvent[];
  readonly monotonicNow: () => number;
  /** Lifecycle actions; each restarts the device (KX-UT670 9.1, 9.2, 4.8.4). */
  reboot(reason?: string): Promise<void>;
  factoryReset(by?: string): Promise<void>;
  resetWebSettings(by?: string): Promise<void>;
  /**
   * Where /api/v1/audio may read WAV files and writes recordings: the device's data directory
   * and an optional media directory (`vphone run --media-dir`).
   */
  audioFiles?(): { dataDir: string; mediaDir?: string };
  /** Call control while the device runs (undefined while booting or stopped). */
  telephony?(): TelephonyApi | undefined;
  /** Message waiting, BLF lamps, voice-mail and button numbers while the device runs. */
  presence?(): PresenceApi | undefined;
  /** The indicator LEDs while the device runs (GET /api/v1/leds). */
  leds?(): LedApi | undefined;
}
