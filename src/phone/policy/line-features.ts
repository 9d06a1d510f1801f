// The call features a user switches on the phone itself (DND, call forward, block anonymous,
// anonymous calls, auto answer, call waiting) as the policy reads them: the canonical settings
// (A12 9.12 per line; provisioned) with the phone's own switches on top. The KX-UT670 keeps these
// switches in the phone (Web UI 4.7.2.3/4.7.2.4 and the phone UI: "Default Value: No", no
// configuration-file parameter), so they live here as overrides and persist in NVRAM. Pure.
import type { DeviceSettings } from '../../settings/canonical.js';

export interface ForwardRule {
  readonly enabled: boolean;
  readonly number: string;
}

export interface LineFeatures {
  readonly dnd: boolean;
  readonly forwardAlways: ForwardRule;
  readonly forwardBusy: ForwardRule;
  readonly forwardNoAnswer: ForwardRule & { readonly delayS: number };
  readonly blockAnonymous: boolean;
  /** Outgoing calls withhold the caller ID (KX-UT670 4.7.2.3 Block Caller ID / Anonymous Call). */
  readonly anonymous: boolean;
  /** Auto answer switched on at the phone (KX-UT670: rings AUTO_ANS_RING_TIM first); undefined = settings decide. */
  readonly autoAnswer: boolean | undefined;
  readonly callWaiting: boolean;
}

export type LineFeatureOverrides = { -readonly [K in keyof LineFeatures]?: LineFeatures[K] };

export interface FeatureOverrides {
  /** Per line number (1-based). */
  lines: Record<number, LineFeatureOverrides>;
  /** KX-UT670 4.7.1.2 Call Rejection Phone Numbers (device-wide, up to 30). */
  rejectNumbers: string[];
}

export const REJECT_LIST_MAX = 30;

export function emptyOverrides(): FeatureOverrides {
  return { lines: {}, rejectNumbers: [] };
}

export function effectiveLineFeatures(settings: DeviceSettings, line: number, overrides: FeatureOverrides): LineFeatures {
  const x = settings.intercom.lines[line - 1];
  const l = settings.lines[line - 1];
  const o = overrides.lines[line] ?? {};
  const base: LineFeatures = {
    dnd: x?.dnd ?? false,
    forwardAlways: { enabled: x?.forward.always.enabled ?? false, number: x?.forward.always.number ?? '' },
    forwardBusy: { enabled: x?.forward.busy.enabled ?? false, number: x?.forward.busy.number ?? '' },
    forwardNoAnswer: { enabled: x?.forward.noAnswer.enabled ?? false, number: x?.forward.noAnswer.number ?? '', delayS: x?.forward.noAnswer.delayS ?? 0 },
    blockAnonymous: x?.blockAnonymous ?? false,
    anonymous: false,
    autoAnswer: undefined,
    callWaiting: l?.callWaiting ?? true,
  };
  return { ...base, ...o };
}

/** Checks a JSON value read back from NVRAM. */
export function isFeatureOverrides(value: unknown): value is FeatureOverrides {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<FeatureOverrides>;
  return typeof v.lines === 'object' && v.lines !== null && Array.isArray(v.rejectNumbers) && v.rejectNumbers.every((n) => typeof n === 'string');
}
