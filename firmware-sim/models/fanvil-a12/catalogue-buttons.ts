// Fanvil A12 manual 9.25 Call Button (Tables 23–25, Pictures 37–40; 7.1 hot key, 8.2 paging
// keys) and 9.23 Call list (restricted incoming / outgoing numbers).
//
// The panel has one physical Call Button, but the page configures Call Button1–5 (DSS keys) and
// what each of Button1–5 does per phone state; a programmable button state that names
// "Call ButtonN" runs that call button's function. Fanvil keeps DSS keys in
// `<DSSKEY CONFIG MODULE>` as `FkeyN Type/Value/Title`; the A12 columns Subtype, Line and Media
// get keys of their own here. The per-state actions follow Fanvil's soft-key lists
// (`Desktop Click :history;status;none;…`): one `;`-separated token per button.
import type { CallButtonSubtype, CallButtonType } from '../../../src/settings/canonical-intercom.js';
import {
  A12_CALL_BUTTONS,
  DAY_MINUTE,
  NO_DEFAULT,
  choice,
  int,
  mapValue,
  mod,
  p,
  repeat,
  semicolonList,
  text,
  type A12Param,
  type Draft,
  type LabelledRule,
} from './catalogue-helpers.js';

const PAGE = '[9.25 Call Button';

/** 9.25 Type column; file codes ours (Fanvil numbers its DSS types, the A12 list differs). */
export const CALL_BUTTON_TYPE: LabelledRule = choice({
  0: 'None',
  1: 'Memory',
  3: 'Key event',
  4: 'DTMF',
  5: 'Action URL',
  6: 'Mcast Paging',
  7: 'Mcast Listening',
  8: 'PTT',
});
export const toCallButtonType = mapValue<CallButtonType>(
  { 0: 'none', 1: 'memory', 3: 'key-event', 4: 'dtmf', 5: 'action-url', 6: 'mcast-paging', 7: 'mcast-listening', 8: 'ptt' },
  'none',
);

/** 9.25 Subtype column, per type (Table 24 memory, Table 25 multicast codecs, PTT, Key event). */
export const CALL_BUTTON_SUBTYPES: Readonly<Record<CallButtonSubtype, string>> = {
  none: 'None',
  'speed-dial': 'Speed Dial',
  intercom: 'Intercom',
  multicast: 'Multicast',
  handfree: 'Handfree',
  G711A: 'G.711A',
  G711U: 'G.711U',
  G729AB: 'G.729AB',
  iLBC: 'iLBC',
  opus: 'opus',
  G722: 'G.722',
};

/** Subtypes each type allows (the cross check of catalogue.ts enforces it). */
export const SUBTYPES_BY_TYPE: Readonly<Record<string, readonly CallButtonSubtype[]>> = {
  0: ['none'],
  1: ['speed-dial', 'intercom'],
  3: ['none', 'handfree'],
  4: ['none'],
  5: ['none'],
  6: ['G711A', 'G711U', 'G729AB', 'iLBC', 'opus', 'G722'],
  7: ['none'],
  8: ['speed-dial', 'intercom', 'multicast'],
};

const SUBTYPE: LabelledRule = { kind: 'enum', values: Object.keys(CALL_BUTTON_SUBTYPES), labels: CALL_BUTTON_SUBTYPES };

/** Picture 40 (the only Call Button Settings the manual shows) as factory values. */
const BUTTON_DEFAULTS: ReadonlyArray<{ type: string; value: string; subtype: CallButtonSubtype; line: string }> = [
  { type: '8', value: '0', subtype: 'speed-dial', line: '1' },
  { type: '3', value: '', subtype: 'handfree', line: '0' },
  { type: '0', value: '', subtype: 'none', line: '0' },
  { type: '0', value: '', subtype: 'none', line: '0' },
  { type: '0', value: '', subtype: 'none', line: '0' },
];

const SETTINGS = `${PAGE} >> Call Button Settings]`;
const callButtonRows: Draft[] = repeat(A12_CALL_BUTTONS, (n, i) => {
  const d = BUTTON_DEFAULTS[i]!;
  const B = `intercom.callButtons.${i}`;
  return [
    p(`Fkey${n} Type`, CALL_BUTTON_TYPE, d.type, '7.1, 9.25', `Type (Call Button${n}) ${SETTINGS}`, `Function of Call Button${n} (7.1 hot key = Memory/Speed Dial; 8.2 paging = Mcast Paging). Default from Picture 40.`, {
      canonical: `${B}.type`,
      toCanonical: toCallButtonType,
    }),
    p(`Fkey${n} Title`, text(32, { unicode: true }), '', '9.25', `Name (Call Button${n}) ${SETTINGS}`, 'Label of the button.', { canonical: `${B}.name` }),
    p(
      `Fkey${n} Value`,
      text(255, { exclude: ' ' }),
      d.value,
      '7.1, 9.25',
      `Value (Call Button${n}) ${SETTINGS}`,
      'Memory/PTT: SIP account, number or IP address to call; DTMF: digits to send; Action URL: the URL; Mcast Paging: host:port (224.0.0.0–239.255.255.255, port preferably 1024–65535). Default from Picture 40.',
      { canonical: `${B}.value` },
    ),
    p(`Fkey${n} Subtype`, SUBTYPE, d.subtype, '9.25', `Subtype (Call Button${n}) ${SETTINGS}`, 'Memory: speed-dial/intercom; PTT: speed-dial/intercom/multicast; Key event: none/handfree; Mcast Paging: the codec. Default from Picture 40.', {
      canonical: `${B}.subtype`,
    }),
    p(`Fkey${n} Line`, choice({ 0: 'AUTO', 1: 'SIP1', 2: 'SIP2' }), d.line, '9.25', `Line (Call Button${n}) ${SETTINGS}`, 'Line the call goes out on; AUTO = the first registered line. Default from Picture 40.', { canonical: `${B}.line` }),
    p(`Fkey${n} Media`, choice({ 0: 'DEFAULT', 1: 'Audio', 2: 'Video' }), '0', '9.25', `Media (Call Button${n}) ${SETTINGS}`, 'Media of the call (Picture 40: DEFAULT).', {
      canonical: `${B}.media`,
      toCanonical: mapValue({ 0: 'default', 1: 'audio', 2: 'video' }, 'default'),
    }),
  ];
});

// 9.25 Programmable Button Settings (Picture 37 defaults).
const DSS = ['dss1', 'dss2', 'dss3', 'dss4', 'dss5'];
function actionList(tokens: readonly string[], what: string): Draft['rule'] {
  const token = `(?:${tokens.join('|')})`;
  return { kind: 'string', maxLength: 100, allowEmpty: false, pattern: new RegExp(`^${token}(?:;${token}){4};?$`), patternHint: `5 ${what} tokens separated by ";" (${tokens.join(', ')})` };
}
const PROGRAMMABLE = `${PAGE} >> Programmable Button Settings]`;
const K = 'intercom.keyActions';
const keyActionRows: Draft[] = [
  p('Desktop Click', actionList(['none', ...DSS], 'idle'), 'dss1;dss2;dss3;dss4;dss5;', '9.25', `Desktop (Button1-5) ${PROGRAMMABLE}`, 'Idle: None, or Call ButtonN (dssN) for Button1…Button5 in order.', { canonical: `${K}.desktop`, toCanonical: semicolonList }),
  p('Dialer Click', actionList(['none', ...DSS], 'dialer'), 'dss1;dss2;dss3;dss4;dss5;', '9.25', `Dialer (Button1-5) ${PROGRAMMABLE}`, 'Dialling: None or Call ButtonN. (Fanvil exports spell the key "Dailer  Click".)', { canonical: `${K}.dialer`, toCanonical: semicolonList }),
  p('Ringing Click', actionList(['accept', 'end'], 'ringing'), 'accept;accept;accept;accept;accept;', '9.25', `Ringing (Button1-5) ${PROGRAMMABLE}`, 'Incoming call: Answer (accept; when auto answer is off) or End (reject).', { canonical: `${K}.ringing`, toCanonical: semicolonList }),
  p('Alerting Click', actionList(['end', 'none'], 'alerting'), 'end;end;end;end;end;', '9.25', `Alerting (Button1-5) ${PROGRAMMABLE}`, 'Outgoing call ringing: End (cancel) or None.', { canonical: `${K}.alerting`, toCanonical: semicolonList }),
  p('Call Click', actionList(['end', 'volup', 'voldown', ...DSS], 'talking'), 'end;end;end;end;end;', '9.25', `Talking (Button1-5) ${PROGRAMMABLE}`, 'During a call: End, Volume up, Volume down, or Call ButtonN.', { canonical: `${K}.talking`, toCanonical: semicolonList }),
  p('Desktop Long Press', actionList(['none', 'menu', 'invalid'], 'long-press'), 'menu;menu;menu;invalid;invalid;', '9.25', `Desktop Long Pressed (Button1-5) ${PROGRAMMABLE}`, 'Long press in idle: None or Main Menu (the command mode of 5.2.1); Button4-5 show Invalid.', { canonical: `${K}.longPress`, toCanonical: semicolonList }),
];

const ADVANCED = `${PAGE} >> Advanced Settings]`;
const hotKeyRows: Draft[] = [
  p('DSS DIAL Switch Mode', choice({ 0: 'Main/Secondary', 1: 'Day/Night' }), '0', '9.25', `Hot Key Dial Mode Select ${ADVANCED}`, `How a hot key with two numbers chooses: Main/Secondary calls number 2 when number 1 does not answer within the Call Switched Time; Day/Night calls number 1 by day, number 2 at night. The manual does not say where number 2 is entered; the emulator reads a Memory/PTT value "number1,number2". ${NO_DEFAULT}`, {
    canonical: 'intercom.hotKeyDial.mode',
    toCanonical: mapValue({ 0: 'main-secondary', 1: 'day-night' }, 'main-secondary'),
  }),
  p('First Call Wait Time', int(5, 50, 's'), '16', '9.25', `Call Switched Time ${ADVANCED}`, 'Unanswered time before number 2 is called, 5–50 s (default 16).', { canonical: 'intercom.hotKeyDial.switchTimeS' }),
  p('First Num Start Time', DAY_MINUTE, '360', '9.25', `Day Start Time (First Number Start Time) ${ADVANCED}`, 'Start of the day for Day/Night, minutes after midnight (shown 00:00–23:59; default 06:00 = 360).', { canonical: 'intercom.hotKeyDial.dayStartMin' }),
  p('First Num End Time', DAY_MINUTE, '1080', '9.25', `Day End Time (First Number End Time) ${ADVANCED}`, 'End of the day for Day/Night, minutes after midnight (default 18:00 = 1080).', { canonical: 'intercom.hotKeyDial.dayEndMin' }),
];

// 9.23 Call list: numbers or prefixes, comma-separated (the device keeps a table; name ours).
const NUMBER_LIST: Draft['rule'] = {
  kind: 'string',
  maxLength: 500,
  pattern: /^[A-Za-z0-9*#+._@-]+(?:,[A-Za-z0-9*#+._@-]+)*$/,
  patternHint: 'numbers or prefixes separated by commas',
};
const CALL_LIST = '[9.23 Call list >> Call List]';
const callListRows: Draft[] = [
  p('Restricted Incoming', NUMBER_LIST, '', '9.23', `Restricted Incoming Calls ${CALL_LIST}`, 'Blacklist: incoming calls from these numbers, or numbers starting with these prefixes, are rejected automatically.', {
    canonical: 'intercom.restrictions.incoming',
    toCanonical: (v) => (v === '' ? [] : v.split(',')),
  }),
  p('Restricted Outgoing', NUMBER_LIST, '', '9.23', `Restrict Outgoing Call ${CALL_LIST}`, 'Numbers, or prefixes, that cannot be dialled.', {
    canonical: 'intercom.restrictions.outgoing',
    toCanonical: (v) => (v === '' ? [] : v.split(',')),
  }),
];

export const buttonParams: readonly A12Param[] = [
  ...mod('DSSKEY CONFIG MODULE', undefined, hotKeyRows),
  ...mod('DSSKEY CONFIG MODULE', '--Fkey Config--', callButtonRows),
  ...mod('DSSKEY CONFIG MODULE', '--Programmable Key--', keyActionRows),
  ...mod('CALL LIST MODULE', undefined, callListRows),
];
