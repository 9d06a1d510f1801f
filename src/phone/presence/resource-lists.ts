// BLF resource lists of a device (KX-UT670 5.8.1 RESOURCELIST_URI_n: "When the BLF feature is
// assigned to a flexible button, it may be necessary to specify this parameter depending on
// your phone system"; A12 9.12 "Enable BLF List" + "BLF List Number": "BLF List allows one BLF
// key to monitor the status of a group"). Our reading: a line with a list subscribes once to the
// list (RFC 4662) instead of once per BLF button, and the BLF buttons of that line light from the
// list member whose URI is the button's target.
import type { DeviceSettings } from '../../settings/canonical.js';
import type { ResourceStatus } from '../../sip/events/resource-list.js';
import { blfDialogs, type BlfButtonStatus, type BlfDialog, type BlfSubscriptionState } from './buttons.js';

/** One member of a list as the API shows it. */
export interface ResourceListMember extends Omit<ResourceStatus, 'dialogs'> {
  readonly dialogs: readonly BlfDialog[];
}

export interface ResourceListStatus {
  readonly line: number;
  /** The list URI or number as configured. */
  readonly uri: string;
  readonly subscription: BlfSubscriptionState;
  readonly reason?: string;
  readonly members: readonly ResourceListMember[];
}

/** The list a line subscribes to: RESOURCELIST_URI_n, else the A12's BLF List Number when enabled; '' for none. */
export function resourceListUri(settings: DeviceSettings, line: number): string {
  const kx = settings.lines[line - 1]?.resourceListUri.trim() ?? '';
  if (kx !== '') return kx;
  const a12 = settings.intercom.lines[line - 1]?.blfList;
  return a12?.enabled ? a12.uri.trim() : '';
}

function userHost(uri: string): { user: string; host: string } | undefined {
  const m = /^(?:sips?:)?([^@;?>\s]+)@([^;?>\s]+)/i.exec(uri.trim().replace(/^</, ''));
  return m ? { user: m[1]!, host: m[2]!.toLowerCase() } : undefined;
}

/**
 * Whether the list member `uri` is what a button with `target` watches: a number matches the
 * member's user part (the list server's domain need not be the line's), a SIP URI its user and host.
 */
export function memberMatches(target: string, uri: string): boolean {
  const member = userHost(uri);
  if (!member) return false;
  const wanted = userHost(target);
  if (!wanted) return member.user === target.trim();
  return member.user === wanted.user && member.host === wanted.host;
}

export function listMembers(resources: readonly ResourceStatus[]): ResourceListMember[] {
  return resources.map((r) => ({ ...r, dialogs: blfDialogs(r.dialogs) }));
}

/** A button on a list line after the list changed (`members` undefined: no subscription up). */
export function buttonFromList(button: BlfButtonStatus, members: readonly ResourceListMember[] | undefined): BlfButtonStatus {
  const { reason: _reason, ...rest } = button;
  if (!members) return { ...rest, lamp: 'unknown', dialogs: [] };
  const member = members.find((m) => memberMatches(button.target, m.uri));
  if (!member) return { ...rest, lamp: 'unknown', dialogs: [], reason: 'not in the resource list' };
  return { ...rest, lamp: member.lamp, dialogs: member.dialogs, ...(member.reason !== undefined ? { reason: member.reason } : {}) };
}

/** Whether a `blf` event is due: the lamp, the reason or the dialogs changed. */
export function buttonChanged(a: BlfButtonStatus, b: BlfButtonStatus): boolean {
  return a.lamp !== b.lamp || a.reason !== b.reason || JSON.stringify(a.dialogs) !== JSON.stringify(b.dialogs);
}
