// Bodies of the "as-feature-event" package (BroadSoft Device Feature Key Synchronization, ECMA-323
// CSTA elements, Content-Type application/x-as-feature-event+xml): what the server NOTIFYs
// (DoNotDisturbEvent, ForwardingEvent; often several in one multipart/mixed NOTIFY) and what the
// phone SUBSCRIBEs with to change a feature (SetDoNotDisturb, SetForwarding). Pure; a body
// that is not understood yields no changes, never an exception.

export const FEATURE_EVENT_PACKAGE = 'as-feature-event';
export const FEATURE_EVENT_TYPE = 'application/x-as-feature-event+xml';
const CSTA_NS = 'http://www.ecma-international.org/standards/ecma-323/csta/ed3';

export type SyncedForward = 'always' | 'busy' | 'no-answer';

export type FeatureEventChange =
  | { readonly kind: 'dnd'; readonly on: boolean }
  | { readonly kind: 'forward'; readonly type: SyncedForward; readonly on: boolean; readonly number: string };

/** CSTA forwardingType names (ECMA-323 §12.2.x; BroadSoft uses these three). */
const FORWARD_TYPES: Record<string, SyncedForward> = { forwardImmediate: 'always', forwardBusy: 'busy', forwardNoAns: 'no-answer' };
const CSTA_TYPE: Record<SyncedForward, string> = { always: 'forwardImmediate', busy: 'forwardBusy', 'no-answer': 'forwardNoAns' };

/**
 * Every DoNotDisturbEvent and ForwardingEvent in `text`, in order (a multipart/mixed NOTIFY is
 * read part by part as plain text: each part is one of these elements).
 */
export function parseFeatureEvents(text: string): FeatureEventChange[] {
  const changes: FeatureEventChange[] = [];
  const element = /<(?:\w+:)?(DoNotDisturbEvent|ForwardingEvent)\b[^>]*>([\s\S]*?)<\/(?:\w+:)?\1\s*>/g;
  for (const m of text.matchAll(element)) {
    const inner = m[2]!;
    if (m[1] === 'DoNotDisturbEvent') {
      const on = flag(field(inner, 'doNotDisturbOn'));
      if (on !== undefined) changes.push({ kind: 'dnd', on });
      continue;
    }
    const type = FORWARD_TYPES[field(inner, 'forwardingType') ?? ''];
    const on = flag(field(inner, 'forwardStatus'));
    if (type === undefined || on === undefined) continue;
    changes.push({ kind: 'forward', type, on, number: unescapeXml(field(inner, 'forwardTo') ?? '') });
  }
  return changes;
}

/** SetDoNotDisturb for `device` (the line's user or address of record). */
export function setDoNotDisturbBody(device: string, on: boolean): string {
  return xml('SetDoNotDisturb', [['device', device], ['doNotDisturbOn', String(on)]]);
}

/** SetForwarding for `device`: activate or cancel one forward type. */
export function setForwardingBody(device: string, type: SyncedForward, on: boolean, number: string): string {
  return xml('SetForwarding', [['device', device], ['forwardingType', CSTA_TYPE[type]], ['activateForward', String(on)], ['forwardDN', number]]);
}

function xml(root: string, fields: ReadonlyArray<readonly [string, string]>): string {
  const body = fields.map(([k, v]) => `  <${k}>${escapeXml(v)}</${k}>\n`).join('');
  return `<?xml version="1.0" encoding="ISO-8859-1"?>\n<${root} xmlns="${CSTA_NS}">\n${body}</${root}>\n`;
}

function field(inner: string, name: string): string | undefined {
  const m = new RegExp(`<(?:\\w+:)?${name}\\s*>([^<]*)</(?:\\w+:)?${name}\\s*>`).exec(inner);
  return m ? m[1]!.trim() : undefined;
}

function flag(value: string | undefined): boolean | undefined {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  return undefined;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function unescapeXml(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}
