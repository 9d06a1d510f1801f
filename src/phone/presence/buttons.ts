// Which flexible buttons watch or dial someone (KX-UT670 6.1 "Registering One-touch Buttons and
// BLF Buttons", 5.6.4 FLEX_BUTTON_FACILITY_ACTx / _ARGx):
//  - X_PANASONIC_IPTEL_CONTACT with a 1-32 digit number is a BLF button ("extension status
//    display"): the phone subscribes to the dialog event of that number and lights the lamp; a
//    press calls the number;
//  - X_PANASONIC_IPTEL_ONETOUCH with a number is a One-touch button: a press calls the number,
//    nothing is watched.
// The arguments carry no line: both use the default line for outgoing calls (5.6.1
// DEFAULT_LINE_SELECT), falling back to the first line the device runs.
import type { DeviceSettings } from '../../settings/canonical.js';
import type { DialogInfoEntry } from '../../sip/events/dialog-info.js';
import type { BlfLamp } from '../../sip/subscription/watchers.js';

export type PresenceButtonKind = 'blf' | 'one-touch';

export interface PresenceButton {
  /** 1-based button number (FLEX_BUTTON_..._x). */
  readonly button: number;
  readonly kind: PresenceButtonKind;
  /** What a press dials and what a BLF button watches: a number or a SIP URI. */
  readonly target: string;
  readonly label: string;
  /** The line it subscribes and dials on. */
  readonly line: number;
}

const KIND: Readonly<Record<string, PresenceButtonKind>> = { contact: 'blf', 'one-touch': 'one-touch' };

/** The BLF and One-touch buttons of `settings`; `lines` are the line numbers the device runs. */
export function presenceButtons(settings: DeviceSettings, lines: readonly number[]): PresenceButton[] {
  if (lines.length === 0) return [];
  const line = lines.includes(settings.call.defaultLine) ? settings.call.defaultLine : lines[0]!;
  const out: PresenceButton[] = [];
  settings.buttons.forEach((b, i) => {
    const kind = KIND[b.action];
    const target = b.argument.trim();
    if (kind && target !== '') out.push({ button: i + 1, kind, target, label: b.label, line });
  });
  return out;
}

/** A BLF button's subscription: off until its line registers, then the subscriber's state. */
export type BlfSubscriptionState = 'waiting-for-registration' | 'subscribing' | 'pending' | 'active' | 'waiting' | 'unsubscribing' | 'terminated';

/** One live dialog of the watched user, as the API shows it. */
export interface BlfDialog {
  readonly id: string;
  readonly state: string;
  readonly direction?: string;
  /** The other party of the watched user's call. */
  readonly remote?: string;
}

export interface BlfButtonStatus {
  readonly button: number;
  readonly target: string;
  readonly label: string;
  readonly line: number;
  readonly lamp: BlfLamp;
  /** The resource list the lamp lights from (RESOURCELIST_URI_n / A12 BLF List), when its line has one. */
  readonly list?: string;
  readonly subscription: BlfSubscriptionState;
  readonly reason?: string;
  readonly dialogs: readonly BlfDialog[];
}

export function blfDialogs(live: readonly DialogInfoEntry[]): BlfDialog[] {
  return live.map((d) => ({
    id: d.id,
    state: d.state,
    ...(d.direction ? { direction: d.direction } : {}),
    ...(d.remote.identity ? { remote: d.remote.identity } : {}),
  }));
}
