// Presence device events: `mwi` (a line's message LED or counts changed), `blf` (a BLF lamp
// changed), `blf-list` (a resource list's members changed), `shared-line` (appearances of a
// shared line changed) and `check-sync` (the server asked for re-provisioning, KX-UT670 2.4.3.5).
import type { BlfButtonStatus } from './buttons.js';
import type { MwiStatus } from './mwi.js';
import type { ResourceListStatus } from './resource-lists.js';
import type { SharedLineStatus } from './shared-line.js';

export interface CheckSyncEvent {
  readonly line: number;
  /** The Event header's reboot parameter, if any. */
  readonly reboot: boolean | undefined;
  /** From of the NOTIFY. */
  readonly from: string;
}

declare module '../../core/device-events.js' {
  interface DeviceEventMap {
    mwi: MwiStatus;
    blf: BlfButtonStatus;
    'blf-list': ResourceListStatus;
    'shared-line': SharedLineStatus;
    'check-sync': CheckSyncEvent;
  }
}

export {};
