// Fanvil A12 manual "Intercom settings" pages: 9.15 Features (Table 17; 7.5 call waiting, 8.1
// intercom), 9.16 Media (Table 18; 6.6 volumes), 9.17 Camera Settings (Table 19), 9.18 / 8.2 MCAST
// (Table 7), 9.19 Action URL (Table 20), 9.20 Time/Date (Table 21), 9.21 Time plan (Table 22) and
// 9.22 Tone.
import type { ActionUrlEvent } from '../../../src/settings/canonical-intercom.js';
import { CODEC_LIST, DEFAULT_CODECS } from './catalogue-line.js';
import {
  A12_MCAST_GROUPS,
  FLAG,
  HOST,
  HTTP_URL,
  MCAST_IPV4,
  NO_DEFAULT,
  PORT_OR_0,
  RING_FILE,
  TIME_ZONE,
  TONE,
  choice,
  int,
  ipv4,
  mapValue,
  mod,
  p,
  repeat,
  secretText,
  stringList,
  text,
  type A12Param,
  type Draft,
} from './catalogue-helpers.js';

// ---------------------------------------------------------------------------------------------
// 9.15 Features → Fanvil `<CALL FEATURE MODULE>`, per-port keys `P1 …` under `--Port Config--`.

const BASIC = '[9.15 Intercom settings >> Features >> Basic Settings]';
const TONES = '[9.15 Intercom settings >> Features >> Tone Settings]';
const INTERCOM = '[9.15 Intercom settings >> Features >> Intercom Settings]';
const RESPONSE = '[9.15 Intercom settings >> Features >> Response Code Settings]';
const F = 'intercom.features';

const RESPONSE_CODE = int(400, 699);

const featureRows: Draft[] = [
  p('P1 CallWaiting', FLAG, '1', '7.5, 9.15', `Enable Call Waiting ${BASIC}`, 'Take a second incoming call during a call; when off, new calls are rejected with busy (7.5). Default enabled (Table 17).', { canonical: `${F}.callWaiting` }),
  p('P1 Auto Onhook', FLAG, '1', '9.15', `Enable Auto Handdown ${BASIC}`, `Hang up and return to idle automatically in hands-free mode when the far end hangs up. ${NO_DEFAULT}`, { canonical: `${F}.autoHangup.enabled` }),
  p('P1 Auto Onhook Time', int(0, 30, 's'), '3', '9.15', `Auto Handdown Time ${BASIC}`, `Delay of the automatic hang-up. ${NO_DEFAULT}`, { canonical: `${F}.autoHangup.delayS` }),
  p('P1 Mute Ringing', FLAG, '0', '9.15', `Enable Silent Mode ${BASIC}`, 'No ringing on incoming calls.', { canonical: `${F}.silentMode` }),
  p('P1 Mute For Ring', FLAG, '0', '9.15', `Disable Mute for Ring ${BASIC}`, 'The phone cannot be muted.', { canonical: `${F}.disableMuteForRing` }),
  p('P1 Ban Dial Out', FLAG, '0', '9.15', `Ban Outgoing ${BASIC}`, 'No number can be dialled out.', { canonical: `${F}.banOutgoing` }),
  p('P1 Enable Black List', FLAG, '1', '9.15', `Enable Restricted Incoming List ${BASIC}`, `Reject incoming calls that match the Restricted Incoming Calls list (9.23). ${NO_DEFAULT}`, { canonical: 'intercom.restrictions.incomingEnabled' }),
  p('P1 Enable CallBar', FLAG, '1', '9.15', `Enable Restricted Outgoing List ${BASIC}`, `Refuse to dial numbers that match the Restrict Outgoing Call list (9.23). ${NO_DEFAULT}`, { canonical: 'intercom.restrictions.outgoingEnabled' }),
  p('P1 Enable Country Code', FLAG, '0', '9.15', `Enable country Code ${BASIC}`, 'Apply the country and area codes to dialled numbers.', { canonical: `${F}.countryCode.enabled` }),
  p('P1 Country Code', text(8, { only: '0123456789+' }), '', '9.15', `Country Code ${BASIC}`, 'Country code.', { canonical: `${F}.countryCode.country` }),
  p('P1 Call Area Code', text(8, { only: '0123456789' }), '', '9.15', `Area Code ${BASIC}`, 'Area code.', { canonical: `${F}.countryCode.area` }),
  p('P1 Allow IP Call', FLAG, '1', '9.15', `Allow IP Call ${BASIC}`, `Allow dialling an IP address (SIP P2P call). ${NO_DEFAULT}`, { canonical: 'intercom.p2p.allowIpCall' }),
  p('P1 IP Dial Prefix', text(15, { pattern: /^[0-9.]+$/, patternHint: 'digits and dots, e.g. 172.16.2.' }), '.', '9.15', `P2P IP Prefix ${BASIC}`, 'Prefix that completes "#digits": with 172.16.2., dialling #160 calls 172.16.2.160. "." (Fanvil\'s factory value) means no prefix.', { canonical: 'intercom.p2p.ipPrefix' }),
  p('P1 Call Number Filter', text(16, { exclude: ' ' }), '', '9.15', `Call Number Filter ${BASIC}`, 'Characters removed from dialled numbers (e.g. "&": 78&9 dials 789).', { canonical: `${F}.callNumberFilter` }),
  p('P1 Auto Resume Current', FLAG, '0', '9.15', `Auto Resume Current ${BASIC}`, 'Resume the held call automatically when the audio path changes.', { canonical: `${F}.autoResumeCurrent` }),
  p('P1 Limit Talk Duration', FLAG, '0', '9.15', `Limit Talking Duration ${BASIC}`, 'Hang up calls after the Talking Duration.', { canonical: `${F}.talkLimit.enabled` }),
  p('P1 Talk Duration', int(20, 600, 's'), '120', '9.15', `Talking Duration ${BASIC}`, `Maximum call duration, 20–600 s (Table 17). ${NO_DEFAULT}`, { canonical: `${F}.talkLimit.durationS` }),
  p('P1 Call Timeout', int(0, 3600, 's'), '120', '9.15', `No Answer Auto HangUp Timeout ${BASIC}`, `Unanswered calls are hung up after this time; 0 = never. ${NO_DEFAULT}`, { canonical: `${F}.noAnswerHangupS` }),
  p('P1 CHolding Tone', FLAG, '1', '9.15', `Enable Holding Tone ${TONES}`, `Play a tone while the call is held. ${NO_DEFAULT}`, { canonical: `${F}.holdingTone` }),
  p('P1 CWaiting Tone', FLAG, '1', '7.5, 9.15', `Enable Call Waiting Tone ${TONES}`, `Beep when a second call arrives during a call (7.5). ${NO_DEFAULT}`, { canonical: `${F}.callWaitingTone` }),
  p('P1 Dial DTMF Tone', FLAG, '1', '9.15', `Play Dialing DTMF Tone ${TONES}`, 'Play DTMF locally while dialling (Table 17: default enabled).', { canonical: `${F}.dialingDtmfTone` }),
  p('P1 Talk DTMF Tone', FLAG, '1', '9.15', `Play Talking DTMF Tone ${TONES}`, 'Play DTMF locally during a call (Table 17: default enabled).', { canonical: `${F}.talkingDtmfTone` }),
  p('P1 Enable Intercom', FLAG, '1', '8.1, 9.15', `Enable Intercom ${INTERCOM}`, `Auto-answer calls that carry an intercom header (8.1: Call-Info; 9.15: Alert-Info — both are honoured, garbled place 6). ${NO_DEFAULT}`, { canonical: 'intercom.intercom.enabled' }),
  p('P1 Intercom Mute', FLAG, '0', '8.1, 9.15', `Enable Intercom Mute ${INTERCOM}`, 'Mute the microphone during intercom calls.', { canonical: 'intercom.intercom.mute' }),
  p('P1 Intercom Tone', FLAG, '1', '8.1, 9.15', `Enable Intercom Tone ${INTERCOM} (8.1: Enable Intercom Ringing)`, `Play the intercom tone on an incoming intercom call. ${NO_DEFAULT}`, { canonical: 'intercom.intercom.tone' }),
  p('P1 Intercom Barge', FLAG, '0', '8.1, 9.15', `Enable Intercom Barge ${INTERCOM}`, 'Auto-answer an intercom call during a normal call; a second intercom call is rejected.', { canonical: 'intercom.intercom.barge' }),
  p('P1 Busy Return Code', RESPONSE_CODE, '486', '9.15', `Busy Response Code ${RESPONSE}`, `SIP response to a call while busy. ${NO_DEFAULT}`, { canonical: `${F}.busyResponseCode` }),
  p('P1 Reject Return Code', RESPONSE_CODE, '603', '9.15', `Reject Response Code ${RESPONSE}`, `SIP response when a call is rejected. ${NO_DEFAULT}`, { canonical: 'sip.rejectResponseCode' }),
];

/** 9.16 Alert Info Ring Settings: 10 Alert-Info values → ring type (in `<CALL FEATURE MODULE>`). */
const ALERT = '[9.16 Intercom settings >> Media Settings >> Alert Info Ring Settings]';
const alertRows: Draft[] = repeat(10, (n, i) => [
  p(`Alert${n} Text`, text(64), '', '9.16', `Value ${n} ${ALERT}`, `Alert-Info value (or part of it) that selects ring type ${n}.`, { canonical: `intercom.media.alertInfoRings.${i}.text` }),
  p(`Alert${n} Ring Type`, RING_FILE, 'default.wav', '9.16', `Ring Type ${n} ${ALERT}`, `Ring played for Alert-Info value ${n}. ${NO_DEFAULT}`, { canonical: `intercom.media.alertInfoRings.${i}.ringType` }),
]);

/** 9.15 rows Fanvil keeps in `<PHONE FEATURE MODULE>`. */
const phoneFeatureRows: Draft[] = [
  p('Push XML IP', HOST, '', '9.15', `Push XML Server ${BASIC}`, 'Push XML is accepted from this server only; empty = any.', { canonical: `${F}.pushXml.server` }),
  p('Enable Push XML Auth', FLAG, '0', '9.15', `Enable Push XML Auth ${BASIC}`, 'Push XML requests must carry the user password.', { canonical: `${F}.pushXml.auth` }),
  p(
    'Line Display Format',
    choice({ '$protocol$instance': 'SIPn', '$protocol$instance: $name': 'SIPn: xxx', '$name@$protocol$instance': 'xxx@SIPn' }),
    '$name@$protocol$instance',
    '9.15',
    `Line Display Format ${BASIC}`,
    `How a line is named on the web pages. ${NO_DEFAULT}`,
    { canonical: `${F}.lineDisplayFormat` },
  ),
];

// ---------------------------------------------------------------------------------------------
// 9.16 Media Settings (and 6.6 volumes, 9.9 RTP ports) → `<MM CONFIG MODULE>` and the volume list
// of `<PHONE FEATURE MODULE>`.

const MEDIA = '[9.16 Intercom settings >> Media Settings]';
const PAYLOAD = int(96, 127);

const mediaRows: Draft[] = [
  p('Audio Codec Sets', CODEC_LIST, DEFAULT_CODECS, '9.16', `Codecs Settings ${MEDIA}`, 'Enabled voice codecs in priority order for calls that use no line (IP/P2P calls, paging); G.711A/U, G.726, G.723, G.722, G.729, iLBC, opus, MPA.', { canonical: 'intercom.media.codecs', toCanonical: stringList }),
  p('Dtmf Payload Type', PAYLOAD, '101', '9.16', `DTMF Payload Type ${MEDIA}`, 'RTP payload type of telephone-event, 96–127.', { canonical: 'rtp.telephoneEventPayloadType' }),
  p('Opus Payload Type', PAYLOAD, '107', '9.16', `Opus payload type ${MEDIA}`, `RTP payload type of Opus, 96–127. ${NO_DEFAULT}`, { canonical: 'intercom.media.opusPayloadType' }),
  p('Opus Sample Rate', choice({ 0: 'OPUS-NB (8 kHz)', 1: 'OPUS-WB (16 kHz)' }), '0', '9.16', `OPUS Sample Rate ${MEDIA}`, `Opus sample rate (Fanvil exports spell the key "Opus Sample  Rate"). ${NO_DEFAULT}`, { canonical: 'intercom.media.opusWideband' }),
  p('ILBC Payload Type', PAYLOAD, '97', '9.16', `ILBC Payload Type ${MEDIA}`, `RTP payload type of iLBC. ${NO_DEFAULT}`, { canonical: 'intercom.media.ilbcPayloadType' }),
  p('ILBC Payload Len', choice({ 20: '20 ms', 30: '30 ms' }), '20', '9.16', `ILBC Payload Length ${MEDIA}`, `iLBC frame length. ${NO_DEFAULT}`, { canonical: 'intercom.media.ilbcPayloadLengthMs' }),
  p('VAD', FLAG, '0', '9.16', `Enable VAD ${MEDIA}`, 'Voice activity detection: silence is replaced by comfort noise to save bandwidth.', { canonical: 'intercom.media.vad' }),
  p('RTCP CNAME User', text(32), '', '9.16', `CNAME user ${MEDIA} >> RTCP Settings`, 'User part of the RTCP CNAME; empty = the line user.', { canonical: 'intercom.media.rtcpCname.user' }),
  p('RTCP CNAME Host', text(64), '', '9.16', `CNAME host ${MEDIA} >> RTCP Settings`, 'Host part of the RTCP CNAME; empty = the device address.', { canonical: 'intercom.media.rtcpCname.host' }),
  p('RTP Keep Alive', FLAG, '1', '9.16', `RTP keep alive ${MEDIA} >> RTP`, `During a call, send an RTP packet every 30 s when no media flows. ${NO_DEFAULT}`, { canonical: 'intercom.media.rtpKeepAlive' }),
  p('RTP Initial Port', int(1025, 65535), '10000', '9.9', 'RTP port start range [9.9 Network >> Service Port]', `First local RTP port, 1025–65535; each call takes the next two ports (voice, video). ${NO_DEFAULT}`, { canonical: 'rtp.portMin' }),
  p('RTP Port Quantity', int(2, 4000), '200', '9.9', 'RTP port quantity [9.9 Network >> Service Port]', `Number of RTP ports (calls × 2). ${NO_DEFAULT}`, { canonical: 'intercom.media.rtpPortQuantity' }),
  p('H264 Payload Type', PAYLOAD, '117', '9.17', 'H.264 Payload Type [9.17 Intercom settings >> Camera Settings >> Advanced Settings]', `RTP payload type of H.264 video. ${NO_DEFAULT}`),
  p('Video Negotiate Dir', choice({ 0: 'Send only', 1: 'Receive only', 2: 'Send and receive' }), '2', '9.17', 'Video Direction [9.17 Intercom settings >> Camera Settings >> Advanced Settings]', `Direction offered for video. ${NO_DEFAULT}`),
];

const VOLUME = '[9.16 Intercom settings >> Media Settings >> Audio Settings]';
const VOL = int(1, 9);
const volumeRows: Draft[] = [
  p('HandFree Vol', VOL, '5', '6.6, 9.16', `Speakerphone Volume ${VOLUME} (6.6: Hands-free volume)`, `Speaker output volume, 1–9. ${NO_DEFAULT}`, { canonical: 'intercom.media.speakerVolume' }),
  p('HandFree Mic Vol', VOL, '3', '6.6', `Hands-free microphone gain [6.6 Intercom settings >> Media Settings]`, `Microphone level, 1–9. ${NO_DEFAULT}`, { canonical: 'intercom.media.micGain' }),
  p('HandFree Ring Vol', VOL, '5', '9.16', `Speakerphone Ring Volume ${VOLUME}`, `Ring volume on the speaker, 1–9. ${NO_DEFAULT}`, { canonical: 'intercom.media.ringVolume' }),
  p('Ring Type', RING_FILE, 'default.wav', '9.16', `Default Ring Type ${VOLUME}`, `Ring for callers without a specific ring type. ${NO_DEFAULT}`, { canonical: 'intercom.media.defaultRingType' }),
];

// ---------------------------------------------------------------------------------------------
// 9.22 Tone → `<MM CONFIG MODULE>` (Fanvil's `Select Your Tone` plus one cadence string per tone).

const TONE_PAGE = '[9.22 Intercom settings >> Tone]';
const TONE_AREAS = ['Custom', 'AU', 'AT', 'BE', 'BR', 'CA', 'CH', 'CL', 'CN', 'CZ', 'DE', 'DK', 'ES', 'FI', 'FR', 'GB', 'GR', 'HK', 'HU', 'IL', 'IN', 'IT', 'JP', 'KR', 'MX', 'NL', 'NO', 'NZ', 'PL', 'PT', 'RU', 'SE', 'SG', 'TR', 'TW', 'US', 'ZA'];

/** File key, canonical key and US default of each custom tone (US_TONE_CADENCES in canonical-intercom.ts). */
export const TONE_KEYS: ReadonlyArray<readonly [string, string, string]> = [
  ['Dial Tone', 'dial', '350+440/0'],
  ['Ringback Tone', 'ringback', '440+480/2000,0/4000'],
  ['Busy Tone', 'busy', '480+620/500,0/500'],
  ['Congestion Tone', 'congestion', '480+620/250,0/250'],
  ['Call Waiting Tone', 'callWaiting', '440/300,0/10000,440/300,0/10000,0/0'],
  ['Holding Tone', 'holding', '440/100,0/4000'],
  ['Error Tone', 'error', '480+620/250,0/250'],
  ['Stutter Tone', 'stutter', '350+440/100,0/100,350+440/100,0/100,350+440/100,0/100,350+440/0'],
  ['Information Tone', 'information', '950/330,1400/330,1800/330,0/1000'],
  ['Dial Recall Tone', 'dialRecall', '350+440/100,0/100,350+440/100,0/100,350+440/100,0/100,350+440/0'],
  ['Message Tone', 'message', '350+440/100,0/100,350+440/100,0/100,350+440/100,0/100,350+440/0'],
  ['Howler Tone', 'howler', '1400+2060+2450+2600/100,0/100'],
  ['Number Unobtainable', 'numberUnobtainable', '400/500,0/6000'],
  ['Warning Tone', 'warning', '1400/500,0/15000'],
  ['Record Tone', 'record', '1400/500,0/15000'],
  ['Auto Answer Tone', 'autoAnswer', '425/200'],
];

const toneRows: Draft[] = [
  p('Select Your Tone', { kind: 'enum', values: TONE_AREAS }, 'US', '9.22', `Tone area ${TONE_PAGE}`, `Country tone set, or Custom to use the cadences below (ISO 3166 country codes; Fanvil devices store an index). ${NO_DEFAULT}`, { canonical: 'intercom.tones.area' }),
  ...TONE_KEYS.map(([key, canonical, def]) =>
    p(key, TONE, def, '9.22', `${key} ${TONE_PAGE}`, `Cadence of the ${key.toLowerCase()} (used when the area is Custom; defaults are the US set). Grammar of 9.22: cadence[,cadence]…, cadence = Freq1[+Freq2…]/ms or Freq1*Freq2/ms.`, {
      canonical: `intercom.tones.cadences.${canonical}`,
    }),
  ),
];

// ---------------------------------------------------------------------------------------------
// 9.17 Camera Settings → `<IPCAM CONFIG MODULE>` (name ours). The A12 has no camera of its own:
// Connect Mode is "external cameras only"; the list holds the IP cameras it shows in video calls.

const CAMERA = '[9.17 Intercom settings >> Camera Settings]';
const IP_CAMERAS = 4;
const cameraRows: Draft[] = [
  p('Connect Mode', choice({ 1: 'External camera' }), '1', '9.17', `Connect Mode ${CAMERA} >> Connection mode setting`, 'Camera connection mode; the A12 supports external (IP) cameras only.'),
  p('Local IP Cam Index', int(0, IP_CAMERAS), '0', '9.17', `IP Camera Option ${CAMERA}`, 'IP camera used for video calls, 1–4; 0 = none.'),
];
const cameraList: Draft[] = repeat(IP_CAMERAS, (n) => [
  p(`IPCAM${n} Name`, text(32, { unicode: true }), '', '9.17', `Name ${CAMERA} >> IP Camera Add (camera ${n})`, 'Camera name; an empty name marks an unused entry. The manual does not give the list length; the emulator offers 4.'),
  p(`IPCAM${n} Username`, text(64), '', '9.17', `Username ${CAMERA} >> IP Camera Add (camera ${n})`, 'User for the camera URL authentication.'),
  p(`IPCAM${n} Password`, secretText(64), '', '9.17', `Password ${CAMERA} >> IP Camera Add (camera ${n})`, 'Password for the camera URL authentication.', { secret: true }),
  p(`IPCAM${n} Brand`, text(32), '', '9.17', `Ip Camera Brand ${CAMERA} >> IP Camera Add (camera ${n})`, 'Camera brand (a selection on the device; the list is not in the manual).'),
  p(`IPCAM${n} IP`, ipv4(), '', '9.17', `ETH IP ${CAMERA} >> IP Camera Add (camera ${n})`, 'Camera IP address.'),
  p(`IPCAM${n} Port`, PORT_OR_0, '0', '9.17', `Port ${CAMERA} >> IP Camera Add (camera ${n})`, 'Camera port; 0 = the protocol default.'),
  p(`IPCAM${n} UserAgent`, text(64), '', '9.17', `UserAgent ${CAMERA} >> IP Camera Add (camera ${n})`, 'User-Agent used when fetching the camera URL.'),
]);

// ---------------------------------------------------------------------------------------------
// 8.2 / 9.18 MCAST → Fanvil `<MCAST CFG MODULE>`.

const MCAST = '[8.2 Intercom settings >> MCAST]';
const PRIORITY = int(1, 10);
const mcastRows: Draft[] = [
  p('Priority', PRIORITY, '1', '8.2', `SIP Priority ${MCAST}`, `Priority of the current SIP call against multicast: 1 highest … 10 lowest; a multicast of higher priority (lower number) interrupts. ${NO_DEFAULT}`, { canonical: 'intercom.multicast.sipPriority' }),
  p('Intercom Priority', PRIORITY, '1', '8.2', `Intercom Priority ${MCAST}`, `Priority of intercom calls against multicast and SIP (garbled place 7: no range given; 1–10 as SIP Priority). Higher priority barges in, lower is rejected. ${NO_DEFAULT}`, { canonical: 'intercom.multicast.intercomPriority' }),
  p('Enable Priority', FLAG, '0', '8.2', `Enable Page Priority ${MCAST}`, 'Play the higher-priority group (lower group number) whichever group started first.', { canonical: 'intercom.multicast.pagePriority' }),
  p('Multicast Tone', FLAG, '1', '8.2', `Enable Mcast Tone ${MCAST}`, `Play a prompt tone when a multicast starts. ${NO_DEFAULT}`, { canonical: 'intercom.multicast.tone' }),
];
const mcastGroups: Draft[] = repeat(A12_MCAST_GROUPS, (n, i) => [
  p(`MCAST${n} Name`, text(32, { unicode: true }), '', '8.2', `Name ${MCAST} >> listening group ${n}`, `Name of listening group ${n} (up to 10 groups; group 1 has the highest priority).`, { canonical: `intercom.multicast.groups.${i}.name` }),
  p(`MCAST${n} Host`, MCAST_IPV4, '', '8.2', `Host:port (host) ${MCAST} >> listening group ${n}`, 'Multicast address listened to, 224.0.0.0–239.255.255.255; empty = unused.', { canonical: `intercom.multicast.groups.${i}.host` }),
  p(`MCAST${n} Port`, PORT_OR_0, '0', '8.2', `Host:port (port) ${MCAST} >> listening group ${n}`, 'UDP port of the group; 0 = unused.', { canonical: `intercom.multicast.groups.${i}.port` }),
]);
const mcastDynamic: Draft[] = [
  p('Enable Auto Mcast', FLAG, '0', '8.2', `Enable Auto Mcast ${MCAST}`, 'MCAST dynamic: listening is configured and cancelled by SIP NOTIFY from the server.', { canonical: 'intercom.multicast.autoMcast' }),
  p('Auto Exit Expires', int(10, 3600, 's'), '60', '8.2', `Auto Mcast Timeout Delete Time ${MCAST}`, `Listening ends when no multicast RTP has arrived for this time. ${NO_DEFAULT}`, { canonical: 'intercom.multicast.autoMcastTimeoutS' }),
];

// ---------------------------------------------------------------------------------------------
// 9.19 Action URL → Fanvil `<CTI CONFIG MODULE>`.

const ACTION = '[9.19 Intercom settings >> Action URL]';
const ACTION_URLS: ReadonlyArray<readonly [string, ActionUrlEvent, string]> = [
  ['Boot Completed Url', 'setupCompleted', 'Setup Completed'],
  ['IP Change Url', 'ipChanged', 'IP Changed'],
  ['Reg On Url', 'registered', 'Registered'],
  ['Reg Off Url', 'unregistered', 'Unregistered'],
  ['Reg Failed Url', 'registerFailed', 'Register Failed'],
  ['PhoneState Idle Url', 'idle', 'Idle'],
  ['PhoneState Talking Url', 'talking', 'Talking'],
  ['PhoneState Ringing Url', 'ringing', 'Ringing'],
  ['Offhook Url', 'offHook', 'Off Hook'],
  ['Onhook Url', 'onHook', 'On Hook'],
  ['Incoming Call Url', 'incomingCall', 'Incoming Call'],
  ['Outgoing Call Url', 'outgoingCall', 'Outgoing Call'],
  ['Call Active Url', 'callEstablished', 'Call Established'],
  ['Call Stop Url', 'callTerminated', 'Call Terminated'],
  ['DND On Url', 'dndOn', 'DND On'],
  ['DND Off Url', 'dndOff', 'DND Off'],
  ['Always FWD On Url', 'alwaysForwardOn', 'Always Forward On'],
  ['Always FWD Off Url', 'alwaysForwardOff', 'Always Forward Off'],
  ['Busy FWD On Url', 'busyForwardOn', 'Busy Forward On'],
  ['Busy FWD Off Url', 'busyForwardOff', 'Busy Forward Off'],
  ['No Ans FWD On Url', 'noAnswerForwardOn', 'No Answer Forward On'],
  ['No Ans FWD Off Url', 'noAnswerForwardOff', 'No Answer Forward Off'],
  ['Mute On Url', 'muteOn', 'Mute On'],
  ['Mute Off Url', 'muteOff', 'Mute Off'],
  ['Hold On Url', 'holdOn', 'Hold'],
  ['Hold Off Url', 'holdOff', 'Unhold'],
  ['New Missed Call Url', 'missedCall', 'Missed Call'],
];
const actionRows: Draft[] = [
  p('Active Uri IP', ipv4(), '', '9.15', `Restrict Active URI Source IP ${BASIC}`, 'Active URI commands (e.g. URI relay triggers, 9.31) are accepted from this address only; empty = any.', { canonical: `${F}.activeUriSourceIp` }),
  ...ACTION_URLS.map(([key, event, label]) =>
    p(key, HTTP_URL, '', '9.19', `${label} ${ACTION} >> Action URL Event Settings`, `URL requested (HTTP GET) when the event "${label}" happens; empty = not reported. Fanvil variables such as $mac, $ip, $local, $remote are substituted.`, {
      canonical: `intercom.actionUrls.${event}`,
    }),
  ),
];

// ---------------------------------------------------------------------------------------------
// 9.20 Time/Date → `--DateTime Config--` of Fanvil's `<PHONE FEATURE MODULE>`.

const TIME = '[9.20 Intercom settings >> Time/Date]';
const T = 'intercom.time';
const timeRows: Draft[] = [
  p('Enable SNTP', FLAG, '1', '9.20', `Time Synchronized via SNTP ${TIME} >> Network Time Server Settings`, `Synchronise the clock by SNTP; must be off to set the time by hand. ${NO_DEFAULT}`, { canonical: `${T}.sntp` }),
  p('SNTP Server', HOST, '', '9.20', `Primary Time Server ${TIME} >> Network Time Server Settings`, `Primary SNTP server. ${NO_DEFAULT} The device ships with a public server; the emulator leaves it empty so it never leaves the lab network unasked.`, { canonical: 'time.ntpServer' }),
  p('Second SNTP Server', HOST, '', '9.20', `Secondary Time Server ${TIME} >> Network Time Server Settings`, 'Used when the primary server is unreachable.', { canonical: `${T}.secondaryServer` }),
  p('Time Zone Name', TIME_ZONE, 'UTC+8', '9.20', `Time zone ${TIME} >> Network Time Server Settings`, `Time zone (a selection on the device). ${NO_DEFAULT} UTC+8 is Fanvil's factory zone.`, { canonical: `${T}.zoneName` }),
  p('SNTP Timeout', int(10, 86400, 's'), '60', '9.20', `Resync Period ${TIME} >> Network Time Server Settings`, `Interval of re-synchronisation with the time server. ${NO_DEFAULT}`, { canonical: 'time.queryIntervalS' }),
  p('DST Type', choice({ 0: 'Disabled', 1: 'Automatic (preset rules)', 2: 'Manual' }), '0', '9.20', `DST Set Type ${TIME} >> Daylight Saving Time Settings`, `Daylight saving time off, by the rules of the location, or by the rules below. ${NO_DEFAULT}`, {
    canonical: `${T}.dst.mode`,
    toCanonical: mapValue({ 0: 'off', 1: 'auto', 2: 'manual' }, 'off'),
  }),
  p('DST Location', int(0, 99), '0', '9.20', `Location ${TIME} >> Daylight Saving Time Settings`, 'Area whose preset DST rules apply (index into the device\'s location list, not in the manual).', { canonical: `${T}.dst.location` }),
  p('DST Min Offset', int(-300, 300, 'min'), '60', '9.20', `Offset ${TIME} >> Daylight Saving Time Settings`, `DST offset in minutes. ${NO_DEFAULT}`, { canonical: `${T}.dst.offsetMin` }),
  ...(['Start', 'End'] as const).flatMap((edge) => {
    const defs = edge === 'Start' ? { mon: '3', week: '5', wday: '0', hour: '2' } : { mon: '10', week: '5', wday: '0', hour: '2' };
    const key = edge.toLowerCase();
    return [
      p(`DST ${edge} Mon`, int(1, 12), defs.mon, '9.20', `Month ${edge} ${TIME} >> Daylight Saving Time Settings`, `DST ${key} month. ${NO_DEFAULT}`, { canonical: `${T}.dst.${key}.month` }),
      p(`DST ${edge} Week`, int(1, 5), defs.week, '9.20', `Week ${edge} ${TIME} >> Daylight Saving Time Settings`, `DST ${key} week of the month (5 = last). ${NO_DEFAULT}`, { canonical: `${T}.dst.${key}.week` }),
      p(`DST ${edge} Wday`, int(0, 6), defs.wday, '9.20', `Weekday ${edge} ${TIME} >> Daylight Saving Time Settings`, `DST ${key} weekday (0 = Sunday). ${NO_DEFAULT}`, { canonical: `${T}.dst.${key}.weekday` }),
      p(`DST ${edge} Hour`, int(0, 23), defs.hour, '9.20', `Hour ${edge} ${TIME} >> Daylight Saving Time Settings`, `DST ${key} hour. ${NO_DEFAULT}`, { canonical: `${T}.dst.${key}.hour` }),
    ];
  }),
];

// ---------------------------------------------------------------------------------------------
// 9.21 Time plan → `<TIME PLAN MODULE>` (name ours; the manual gives no count, the emulator offers 4).

const PLAN = '[9.21 Intercom settings >> Time plan]';
const TIME_PLANS = 4;
const DATE_TIME: Draft['rule'] = {
  kind: 'string',
  maxLength: 16,
  pattern: /^[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01]) (?:[01][0-9]|2[0-3]):[0-5][0-9]$/,
  patternHint: 'YYYY-MM-DD HH:MM',
};
const planRows: Draft[] = repeat(TIME_PLANS, (n) => [
  p(`Plan${n} Type`, choice({ 0: 'Unused', 1: 'Timing restart', 2: 'Timing upgrade', 3: 'Timing sound detection', 4: 'Timing playback audio' }), '0', '9.21', `Type ${PLAN} (plan ${n})`, 'Action performed in the effective time.'),
  p(`Plan${n} Audio Path`, choice({ 0: 'Local' }), '0', '9.21', `Audio path ${PLAN} (plan ${n})`, 'Where the audio file comes from; only Local (an uploaded file) exists.'),
  p(`Plan${n} Audio File`, RING_FILE, '', '9.21', `Audio settings ${PLAN} (plan ${n})`, 'Uploaded audio file played by "Timing playback audio".'),
  p(`Plan${n} Repeat`, choice({ 0: 'Do not repeat', 1: 'Daily', 2: 'Weekly', 3: 'Monthly' }), '0', '9.21', `Repeat cycle ${PLAN} (plan ${n})`, 'Once, or every day / week (same weekday as the start) / month (same day of month).'),
  p(`Plan${n} Start`, DATE_TIME, '', '9.21', `Effective time (start) ${PLAN} (plan ${n})`, 'Start of the effective period, YYYY-MM-DD HH:MM.'),
  p(`Plan${n} End`, DATE_TIME, '', '9.21', `Effective time (end) ${PLAN} (plan ${n})`, 'End of the effective period, YYYY-MM-DD HH:MM.'),
]);

export const intercomParams: readonly A12Param[] = [
  ...mod('MM CONFIG MODULE', undefined, [...mediaRows, ...toneRows]),
  ...mod('CALL FEATURE MODULE', '--Port Config--', featureRows),
  ...mod('CALL FEATURE MODULE', '--Alert Info Ring--', alertRows),
  ...mod('PHONE FEATURE MODULE', undefined, phoneFeatureRows),
  ...mod('PHONE FEATURE MODULE', '--Voice Volume--', volumeRows),
  ...mod('PHONE FEATURE MODULE', '--DateTime Config--', timeRows),
  ...mod('IPCAM CONFIG MODULE', undefined, cameraRows),
  ...mod('IPCAM CONFIG MODULE', '--IP Camera List--', cameraList),
  ...mod('MCAST CFG MODULE', undefined, mcastRows),
  ...mod('MCAST CFG MODULE', '--Mcast Addr--', mcastGroups),
  ...mod('MCAST CFG MODULE', '--Mcast Dynamic--', mcastDynamic),
  ...mod('CTI CONFIG MODULE', undefined, actionRows),
  ...mod('TIME PLAN MODULE', '--Plan List--', planRows),
];
