// Which ring an incoming call rings with, from the settings, its line and its Alert-Info header
// (RFC 3261 §20.4: "an alternative ring tone"). A pure function; the ring types' sounds are in
// handset/ring-types.ts.
//
// A12 (9.12, 9.16), first that applies:
//  1. Alert Info Ring Settings: entry 1, 2 … 10 whose non-empty value appears in an Alert-Info
//     header of the INVITE rings with that entry's ring type. "Appears": the value, without
//     surrounding <> and case-insensitively, is a part of the header value not glued to more
//     letters or digits: `alert-internal` matches `<http://127.0.0.1/x>;info=alert-internal`,
//     `Bellcore-dr2` matches `<http://127.0.0.1/Bellcore-dr2>`; `alert-1` does not match
//     `info=alert-10`. DEVIATION: the manual says only "Set the value of the specified ring type";
//     Fanvil phones match a part of the header, as the catalogue row says.
//  2. The line's Ring Type (9.12), unless it is `Default`.
//  3. The Default Ring Type (9.16: "If the caller ID of an incoming call was not configured with
//     specific ring type, the default ring will be used"). DEVIATION: the A12 manual has no
//     phonebook, so no caller has a ring type of its own.
// KX-UT670: the ringtone number (1–32) of the line's line key, the lowest-numbered flexible
// button with FLEX_BUTTON_FACILITY_ACTx = X_PANASONIC_IPTEL_DN whose argument "ringtone,line"
// names the line (5.6.4; a lone number is the ringtone of line 1, as shared-line.ts reads it);
// no line key, or its ringtone is not 1–32: ringtone 1. DEVIATION: the manual does not say which
// key rings when several name the line; the first one does. The KX-UT670 manual gives no Alert-Info ring setting: Alert-Info
// does not change its ring.
import type { DeviceSettings } from '../../settings/canonical.js';
import { lineKeys } from '../presence/shared-line.js';
import { A12_DEFAULT_RING, RING_TYPE_COUNT, type RingDialect } from '../handset/ring-types.js';

export type RingReason = 'alert-info' | 'line' | 'default';

export interface RingChoice {
  /** The ring type: an A12 ring file name (`default.wav`, `3.wav`, an uploaded file) or a KX-UT670 ringtone number ('1'–'32'). */
  readonly type: string;
  readonly by: RingReason;
  /** The Alert Info Ring entry (1–10) that matched (by 'alert-info'). */
  readonly entry?: number;
  /** The KX-UT670 flexible button (1-based) whose ringtone it is (by 'line'). */
  readonly button?: number;
}

export interface RingSelectionInput {
  readonly dialect: RingDialect;
  readonly settings: DeviceSettings;
  /** The line the call came in on (1-based). */
  readonly line: number;
  /** The INVITE's Alert-Info header values (each may list several `<uri>;params`). */
  readonly alertInfo: readonly string[];
}

/** The ring of an incoming call. */
export function selectRing(input: RingSelectionInput): RingChoice {
  return input.dialect === 'a12' ? selectA12(input) : selectKxUt670(input.settings, input.line);
}

function selectA12({ settings, line, alertInfo }: RingSelectionInput): RingChoice {
  const media = settings.intercom.media;
  const fallback = media.defaultRingType.trim() !== '' ? media.defaultRingType.trim() : A12_DEFAULT_RING;
  const entries = media.alertInfoRings;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (alertInfo.some((v) => alertInfoMatches(v, e.text))) return { type: e.ringType.trim() !== '' ? e.ringType.trim() : fallback, by: 'alert-info', entry: i + 1 };
  }
  const own = settings.intercom.lines[line - 1]?.ringType.trim() ?? '';
  if (own !== '' && own.toLowerCase() !== 'default') return { type: own, by: 'line' };
  return { type: fallback, by: 'default' };
}

function selectKxUt670(settings: DeviceSettings, line: number): RingChoice {
  const button = lineKeys(settings, line)[0];
  const ringtone = button !== undefined ? Number(settings.buttons[button - 1]!.argument.split(',')[0]!.trim()) : NaN;
  if (button !== undefined && Number.isInteger(ringtone) && ringtone >= 1 && ringtone <= RING_TYPE_COUNT) return { type: String(ringtone), by: 'line', button };
  return { type: '1', by: 'default' };
}

const WORD = /[a-z0-9]/;

/**
 * Whether Alert Info Ring value `text` appears in the Alert-Info header value `header`
 * (case-insensitive, surrounding <> and blanks ignored, not glued to more letters or digits).
 * An empty value matches nothing.
 */
export function alertInfoMatches(header: string, text: string): boolean {
  const needle = text
    .trim()
    .replace(/^<(.*)>$/, '$1')
    .trim()
    .toLowerCase();
  if (needle === '') return false;
  const hay = header.toLowerCase();
  for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + 1)) {
    const before = at > 0 ? hay[at - 1]! : '';
    const after = hay[at + needle.length] ?? '';
    const gluedBefore = WORD.test(needle[0]!) && WORD.test(before);
    const gluedAfter = WORD.test(needle[needle.length - 1]!) && WORD.test(after);
    if (!gluedBefore && !gluedAfter) return true;
  }
  return false;
}

