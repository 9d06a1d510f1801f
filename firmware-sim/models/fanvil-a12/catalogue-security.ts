// Fanvil A12 manual "Security" pages: 9.26 Web filter, 9.28 Device Certificates, 9.29 Firewall
// (Table 26; its descriptions are shifted one row, garbled place 15) and 9.31 Security settings
// (Table 27: tamper alarm, the two inputs and the two relay outputs with their triggers).
import {
  A12_CALL_BUTTONS,
  A12_INPUTS,
  A12_OUTPUTS,
  DTMF_CODE,
  FLAG,
  HOST,
  NETMASK,
  NO_DEFAULT,
  RING_FILE,
  choice,
  int,
  ipv4,
  mapValue,
  mod,
  p,
  repeat,
  text,
  type A12Param,
  type Draft,
} from './catalogue-helpers.js';

// ---------------------------------------------------------------------------------------------
// 9.26 Web filter → `<MMI CONFIG MODULE>` (Fanvil's `Enable MMI Filter`; the table rows are ours).

const FILTER = '[9.26 Security >> Web Filter]';
const WEB_FILTER_RANGES = 10;
const webFilterRows: Draft[] = [
  p('Enable MMI Filter', FLAG, '0', '9.26', `Enable web filtering ${FILTER}`, 'Allow web access only from the address ranges of the table (keep your own address in it).', { canonical: 'intercom.web.filter.enabled' }),
];
const webFilterTable: Draft[] = repeat(WEB_FILTER_RANGES, (n, i) => [
  p(`MMI Filter${n} Start IP`, ipv4(), '', '9.26', `Start IP Address ${FILTER} >> Web Filter Table (row ${n})`, 'First address of an allowed range; empty = unused row. The manual gives no row limit; the emulator offers 10.', { canonical: `intercom.web.filter.ranges.${i}.start` }),
  p(`MMI Filter${n} End IP`, ipv4(), '', '9.26', `End IP Address ${FILTER} >> Web Filter Table (row ${n})`, 'Last address of the allowed range.', { canonical: `intercom.web.filter.ranges.${i}.end` }),
]);

// ---------------------------------------------------------------------------------------------
// 9.28 Device Certificates and 9.29 Firewall.

const certRows: Draft[] = [
  p('Device Cert Mode', choice({ 0: 'Default certificate', 1: 'Custom certificate' }), '0', '9.28', 'Device certificate [9.28 Security >> Device Certificates]', 'Certificate the device presents (HTTPS, SIP over TLS); custom = the uploaded one.'),
];

const FIREWALL = '[9.29 Security >> Firewall]';
const FIREWALL_RULES = 10;
const PORT_RANGE: Draft['rule'] = {
  kind: 'string',
  maxLength: 11,
  pattern: /^(?:[1-9][0-9]{0,4})(?:-[1-9][0-9]{0,4})?$/,
  patternHint: 'a port or a range a-b (1-65535)',
};
const firewallSwitches: Draft[] = [
  p('Enable In Access', FLAG, '0', '9.29', `Enable Input Rules ${FIREWALL}`, 'Apply the input rules.'),
  p('Enable Out Access', FLAG, '0', '9.29', `Enable Output Rules ${FIREWALL}`, 'Apply the output rules.'),
];
function firewallRules(direction: 'In' | 'Out'): Draft[] {
  const dir = direction === 'In' ? 'input' : 'output';
  return repeat(FIREWALL_RULES, (n) => {
    const where = `${FIREWALL} >> ${dir} rule ${n}`;
    return [
      p(`${direction} Rule${n} Action`, choice({ 0: 'Unused', 1: 'Deny', 2: 'Permit' }), '0', '9.29', `Deny/permit ${where}`, `Action of ${dir} rule ${n} (at most 10 rules per direction); Unused = no rule.`),
      p(`${direction} Rule${n} Protocol`, choice({ 0: 'TCP', 1: 'UDP', 2: 'ICMP', 3: 'IP' }), '3', '9.29', `protocol ${where}`, 'Protocol the rule matches; IP = any.'),
      p(`${direction} Rule${n} Src Addr`, ipv4(), '0.0.0.0', '9.29', `Src Address ${where}`, 'Source host, network (*.*.*.0) or 0.0.0.0 for all.'),
      p(`${direction} Rule${n} Src Mask`, NETMASK, '0.0.0.0', '9.29', `Src Mask ${where}`, 'Source mask: 255.255.255.255 = one host, 255.255.255.0 = a network (Table 26 prints this under "Src Port Range", garbled place 15).'),
      p(`${direction} Rule${n} Src Port`, PORT_RANGE, '1-65535', '9.29', `Src Port Range ${where}`, 'Source port or range.'),
      p(`${direction} Rule${n} Dst Addr`, ipv4(), '0.0.0.0', '9.29', `Dst Address ${where}`, 'Destination host, network or 0.0.0.0 for all (Table 26 prints this under "Dst Mask").'),
      p(`${direction} Rule${n} Dst Mask`, NETMASK, '0.0.0.0', '9.29', `Dst Mask ${where}`, 'Destination mask (Table 26 prints this under "Dst Port Range").'),
      p(`${direction} Rule${n} Dst Port`, PORT_RANGE, '1-65535', '9.29', `Dst Port Range; Port range ${where}`, 'Destination port or range.'),
    ];
  });
}

// ---------------------------------------------------------------------------------------------
// 9.31 Security settings → `<ALARM CONFIG MODULE>` (name ours).

const SECURITY = '[9.31 Security Settings';
const TRIGGER_TEXT = text(64, { exclude: ' ' });
const alarmRows: Draft[] = [
  p('Enable Tamper', FLAG, '0', '9.31', `Enable Tamper ${SECURITY}]`, `Forced removal sends an alarm to the server and plays the alarm ring. ${NO_DEFAULT}`, { canonical: 'intercom.alarm.tamper' }),
  p('Ringtone Duration', int(1, 600, 's'), '5', '9.31', `Ringtone Duration ${SECURITY} >> Basic Settings]`, 'How long an alarm or trigger ring plays (default 5 s).', { canonical: 'intercom.alarm.ringtoneDurationS' }),
  p('Alarm Server Addr', HOST, '', '9.31', `Input & Tamper Server Address ${SECURITY} >> Basic Settings]`, 'Server the alarm message goes to: "Alarm_Info:Description=A12;SIP User=…;Mac=…;IP=…;port=Input".', { canonical: 'intercom.alarm.serverAddress' }),
];

const inputRows: Draft[] = repeat(A12_INPUTS, (n, i) => {
  const where = `${SECURITY} >> Input settings] (input ${n})`;
  const I = `intercom.inputs.${i}`;
  return [
    p(`Input${n} Detect`, FLAG, '0', '9.31', `Input Detect ${where}`, `Watch input ${n}. ${NO_DEFAULT}`, { canonical: `${I}.enabled` }),
    p(`Input${n} Trigger Level`, choice({ 0: 'Low level (closed)', 1: 'High level (disconnected)' }), '0', '9.31', `Triggered by ${where}`, `Trigger on the contact closing (low level) or opening (high level). ${NO_DEFAULT}`, {
      canonical: `${I}.triggerLevel`,
      toCanonical: mapValue({ 0: 'low', 1: 'high' }, 'low'),
    }),
    p(`Input${n} Send Msg`, FLAG, '0', '9.31', `Triggered Action: Send SMS ${where}`, 'Send the alarm message to the Input & Tamper server on trigger.', { canonical: `${I}.sendMessage` }),
    p(`Input${n} Msg`, text(128), '', '9.31', `Triggered Action: SMS text ${where}`, 'Alert text sent with the alarm message.', { canonical: `${I}.message` }),
    p(`Input${n} Call Button`, int(0, A12_CALL_BUTTONS), '0', '9.31', `Triggered Action: Call Button ${where}`, 'Call button whose function runs on trigger, 1–5; 0 = none (the default).', { canonical: `${I}.callButton` }),
    p(`Input${n} Ringtone`, RING_FILE, '', '9.31', `Triggered Action: Triggered Ringtone ${where}`, 'Ring played on trigger; empty = none.', { canonical: `${I}.ringtone` }),
  ];
});

const outputRows: Draft[] = repeat(A12_OUTPUTS, (n, i) => {
  const where = `${SECURITY} >> Output Settings] (output ${n})`;
  const O = `intercom.outputs.${i}`;
  return [
    p(`Output${n} Response`, FLAG, '1', '9.31', `Output Response ${where}`, `Output ${n} reacts to its triggers. ${NO_DEFAULT}`, { canonical: `${O}.enabled` }),
    p(`Output${n} Standard Status`, choice({ 0: 'Low level (NO)', 1: 'High level (NC)' }), '0', '9.31', `Standard Status ${where}`, `Contact a trigger switches: NO (normally open) closes, NC (normally closed) opens (garbled place 16). ${NO_DEFAULT}`, {
      canonical: `${O}.contact`,
      toCanonical: mapValue({ 0: 'NO', 1: 'NC' }, 'NO'),
    }),
    p(`Output${n} Duration`, int(1, 600, 's'), '5', '9.31', `Output Duration ${where}`, 'How long the output stays switched (default 5 s).', { canonical: `${O}.durationS` }),
    p(`Output${n} Reset By`, choice({ 0: 'By duration', 1: 'By state' }), '0', '9.31', `Reset By ${where}`, `Reset after the Output Duration, or when the call state changes. ${NO_DEFAULT}`, {
      canonical: `${O}.resetBy`,
      toCanonical: mapValue({ 0: 'duration', 1: 'state' }, 'duration'),
    }),
    p(`Output${n} DTMF Enable`, FLAG, n === 1 ? '1' : '0', '9.31', `Trigger by DTMF ${where}`, `Switch the output when the far end sends the DTMF trigger code during a call. ${NO_DEFAULT} On for output 1 only, so the one default code never opens both.`, { canonical: `${O}.dtmf.enabled` }),
    p(`Output${n} DTMF Trigger Code`, DTMF_CODE, '1234', '9.31', `DTMF Trigger Code ${where}`, 'DTMF code that switches the output (default 1234).', { canonical: `${O}.dtmf.triggerCode` }),
    p(`Output${n} DTMF Reset Code`, DTMF_CODE, '4321', '9.31', `DTMF Reset Code ${where}`, 'DTMF code that resets the output (default 4321).', { canonical: `${O}.dtmf.resetCode` }),
    p(`Output${n} DTMF Ringtone`, RING_FILE, '', '9.31', `Triggered by DTMF Ring tone ${where}`, 'Ring played when DTMF triggers the output; empty = none.', { canonical: `${O}.dtmf.ringtone` }),
    p(`Output${n} URI Enable`, FLAG, '0', '9.31', `Trigger by URI ${where}`, 'Switch the output on an Active URI command carrying the trigger message.', { canonical: `${O}.uri.enabled` }),
    p(`Output${n} URI Trigger Msg`, TRIGGER_TEXT, '', '9.31', `Trigger Message ${where}`, 'Message of the URI trigger command.', { canonical: `${O}.uri.triggerMessage` }),
    p(`Output${n} URI Reset Msg`, TRIGGER_TEXT, '', '9.31', `Reset Message ("Rest Message") ${where}`, 'Message of the URI reset command (garbled place 17).', { canonical: `${O}.uri.resetMessage` }),
    p(`Output${n} URI Ringtone`, RING_FILE, '', '9.31', `Triggered by URI Ringtone ${where}`, 'Ring played when a URI command triggers the output.', { canonical: `${O}.uri.ringtone` }),
    p(`Output${n} SMS Enable`, FLAG, '0', '9.31', `Trigger by SMS ${where}`, 'Switch the output on a SIP MESSAGE (ALERT command) carrying the trigger text.', { canonical: `${O}.sms.enabled` }),
    p(`Output${n} SMS Trigger Msg`, TRIGGER_TEXT, '', '9.31', `Trigger SMS ${where}`, 'Text of the SMS trigger.', { canonical: `${O}.sms.triggerMessage` }),
    p(`Output${n} SMS Reset Msg`, TRIGGER_TEXT, '', '9.31', `Reset SMS ${where}`, 'Text of the SMS reset.', { canonical: `${O}.sms.resetMessage` }),
    p(`Output${n} SMS Ringtone`, RING_FILE, '', '9.31', `Triggered By SMS Ringtone ${where}`, 'Ring played when an SMS triggers the output.', { canonical: `${O}.sms.ringtone` }),
    p(`Output${n} Trigger Input`, int(0, A12_INPUTS), '0', '9.31', `Trigger by Input ${where}`, 'Input 1–2 whose trigger switches the output for the Output Duration; 0 = none.', { canonical: `${O}.triggerInput` }),
    p(`Output${n} Call State`, choice({ 0: 'None', 1: 'Talking', 2: 'Ringing', 3: 'Calling' }), '0', '9.31', `Trigger By Call state ${where}`, 'The output follows this call state.', {
      canonical: `${O}.triggerCallState`,
      toCanonical: mapValue({ 0: 'none', 1: 'talking', 2: 'ringing', 3: 'calling' }, 'none'),
    }),
    p(`Output${n} DssKey`, int(0, A12_CALL_BUTTONS), '0', '9.31', `Trigger By DssKey ${where}`, 'Call button 1–5 whose use switches the output; 0 = disabled.', { canonical: `${O}.triggerCallButton` }),
    p(`Output${n} DssKey Ringtone`, RING_FILE, '', '9.31', `Triggered By Dsskey Ringtone ${where}`, 'Ring played when a call button triggers the output.', { canonical: `${O}.callButtonRingtone` }),
  ];
});

export const securityParams: readonly A12Param[] = [
  ...mod('MMI CONFIG MODULE', undefined, webFilterRows),
  ...mod('MMI CONFIG MODULE', '--MMI Filter--', webFilterTable),
  ...mod('DOT1X CONFIG MODULE', '--SSL Mode--', certRows),
  ...mod('APP CONFIG MODULE', undefined, firewallSwitches),
  ...mod('APP CONFIG MODULE', '--Input Rules--', firewallRules('In')),
  ...mod('APP CONFIG MODULE', '--Output Rules--', firewallRules('Out')),
  ...mod('ALARM CONFIG MODULE', undefined, alarmRows),
  ...mod('ALARM CONFIG MODULE', '--Input Config--', inputRows),
  ...mod('ALARM CONFIG MODULE', '--Output Config--', outputRows),
];
