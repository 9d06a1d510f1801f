// Canonical settings of an audio intercom (Fanvil A12 manual, Sections 7–9) that a desk phone's
// DeviceSettings (canonical.ts) has no place for: intercom auto answer, SIP P2P (IP direct) calls,
// multicast paging, call buttons, relay outputs and their triggers, inputs and tamper alarms,
// hot-key dial modes, restriction lists, per-line hotline / forward / DND / feature codes, action
// URLs and the Fanvil provisioning scheme. Meant to sit in DeviceSettings as `intercom`; a
// catalogue row maps onto it with a canonical path such as `intercom.multicast.groups.0.host`.
//
// The defaults below are the A12's factory values (the same strings the A12 catalogue carries as
// row defaults, converted), so a model without these features simply keeps them and never uses
// them. Where the manual states no default, the catalogue row says so and this file follows it.

/** A12 9.25 Call Button "Type" column (8.2, 9.25 Tables 23–25). */
export type CallButtonType = 'none' | 'memory' | 'key-event' | 'dtmf' | 'action-url' | 'mcast-paging' | 'mcast-listening' | 'ptt';

/**
 * A12 9.25 "Subtype": speed dial or intercom for Memory and PTT keys, multicast for PTT, handfree
 * for Key event, the paging codec for Mcast Paging.
 */
export type CallButtonSubtype =
  | 'none'
  | 'speed-dial'
  | 'intercom'
  | 'multicast'
  | 'handfree'
  | 'G711A'
  | 'G711U'
  | 'G729AB'
  | 'iLBC'
  | 'opus'
  | 'G722';

export interface CallButtonSettings {
  type: CallButtonType;
  /** "Name" column: a label, shown nowhere on the A12 but kept with the button. */
  name: string;
  /** "Value": number, SIP URI or IP for Memory/PTT, DTMF string, URL, or multicast host:port. */
  value: string;
  subtype: CallButtonSubtype;
  /** "Line": 0 = AUTO (first registered line), 1 = SIP1, 2 = SIP2. */
  line: number;
  /** "Media": only DEFAULT exists on the A12. */
  media: 'default' | 'audio' | 'video';
}

/**
 * A12 9.25 Programmable Button Settings: per button state, the action of each of the five call
 * buttons; tokens as in the file (`none`, `dss1`…`dss5`, `accept`, `end`, `volup`, `voldown`,
 * `menu`, `invalid`).
 */
export interface KeyActionSettings {
  desktop: string[];
  dialer: string[];
  ringing: string[];
  alerting: string[];
  talking: string[];
  longPress: string[];
}

/** A12 9.31 Output Settings: one relay (the A12 has two, Table 4 ②). */
export interface RelayOutputSettings {
  /** "Output Response": the output reacts to triggers at all. */
  enabled: boolean;
  /** "Standard Status": which contact a trigger switches, NO (low level) or NC (high level). */
  contact: 'NO' | 'NC';
  /** "Output Duration" in seconds. */
  durationS: number;
  /** "Reset By": after the duration, or when the call state changes. */
  resetBy: 'duration' | 'state';
  dtmf: { enabled: boolean; triggerCode: string; resetCode: string; ringtone: string };
  uri: { enabled: boolean; triggerMessage: string; resetMessage: string; ringtone: string };
  sms: { enabled: boolean; triggerMessage: string; resetMessage: string; ringtone: string };
  /** "Trigger by Input": input number 1–2, 0 = none. */
  triggerInput: number;
  /** "Trigger By Call state". */
  triggerCallState: 'none' | 'talking' | 'ringing' | 'calling';
  /** "Trigger By DssKey": call button 1–5, 0 = none; with its ringtone. */
  triggerCallButton: number;
  callButtonRingtone: string;
}

/** A12 9.31 Input settings: one input (the A12 has two, Table 4 ③). */
export interface InputSettings {
  /** "Input Detect". */
  enabled: boolean;
  /** "Triggered by": low level (contact closed) or high level (contact opened). */
  triggerLevel: 'low' | 'high';
  /** "Triggered Action": alarm message to the alarm server, a call button, a ringtone. */
  sendMessage: boolean;
  message: string;
  /** Call button 1–5 to perform, 0 = none (the default). */
  callButton: number;
  /** Ring file played on trigger, '' = none. */
  ringtone: string;
}

export interface MulticastGroup {
  name: string;
  /** IPv4 multicast address 224.0.0.0–239.255.255.255, '' = unused entry. */
  host: string;
  /** UDP port, 0 = unused entry. */
  port: number;
}

export type ActionUrlEvent =
  | 'setupCompleted'
  | 'ipChanged'
  | 'registered'
  | 'unregistered'
  | 'registerFailed'
  | 'idle'
  | 'talking'
  | 'ringing'
  | 'offHook'
  | 'onHook'
  | 'incomingCall'
  | 'outgoingCall'
  | 'callEstablished'
  | 'callTerminated'
  | 'dndOn'
  | 'dndOff'
  | 'alwaysForwardOn'
  | 'alwaysForwardOff'
  | 'busyForwardOn'
  | 'busyForwardOff'
  | 'noAnswerForwardOn'
  | 'noAnswerForwardOff'
  | 'muteOn'
  | 'muteOff'
  | 'holdOn'
  | 'holdOff'
  | 'missedCall';

export const ACTION_URL_EVENTS: readonly ActionUrlEvent[] = [
  'setupCompleted',
  'ipChanged',
  'registered',
  'unregistered',
  'registerFailed',
  'idle',
  'talking',
  'ringing',
  'offHook',
  'onHook',
  'incomingCall',
  'outgoingCall',
  'callEstablished',
  'callTerminated',
  'dndOn',
  'dndOff',
  'alwaysForwardOn',
  'alwaysForwardOff',
  'busyForwardOn',
  'busyForwardOff',
  'noAnswerForwardOn',
  'noAnswerForwardOff',
  'muteOn',
  'muteOff',
  'holdOn',
  'holdOff',
  'missedCall',
];

/** A12 9.12 per-line settings LineSettings (canonical.ts) lacks. */
export interface IntercomLineSettings {
  proxyUser: string;
  proxyPassword: string;
  /** "DTMF Type"; `auto` sends RFC 2833 events when the peer offers telephone-event, else in band. */
  dtmfMode: 'auto' | 'inband' | 'rfc4733' | 'info';
  /** "DTMF SIP INFO Mode": `*`/`#` sent as themselves or as 10/11. */
  dtmfInfoMode: 'star-pound' | '10-11';
  hotline: { enabled: boolean; delayS: number; number: string };
  forward: {
    always: { enabled: boolean; number: string };
    busy: { enabled: boolean; number: string };
    noAnswer: { enabled: boolean; number: string; delayS: number };
  };
  dnd: boolean;
  dialWithoutRegistration: boolean;
  missedCallLog: boolean;
  blockAnonymous: boolean;
  /** A12 9.12 "Anonymous Call Standard" (SIPn CLIR): how an anonymous call hides the caller (0 None, 1 RFC 3323, 2 RFC 3325). */
  anonymousStandard: 'none' | 'rfc3323' | 'rfc3325';
  mwiSubscribe: boolean;
  /** A12 9.12 "Enable BLF List" / "BLF List Number": one dialog subscription to a list URI (RFC 4662). */
  blfList: { enabled: boolean; uri: string };
  /** "Transfer Timeout", 0 = no limit. */
  transferTimeoutS: number;
  conference: { server: boolean; number: string };
  featureCodes: {
    /** "Use Feature Code": send the codes to the server instead of handling the feature locally. */
    enabled: boolean;
    dndOn: string;
    dndOff: string;
    alwaysForwardOn: string;
    alwaysForwardOff: string;
    busyForwardOn: string;
    busyForwardOff: string;
    noAnswerForwardOn: string;
    noAnswerForwardOff: string;
    blockAnonymousOn: string;
    blockAnonymousOff: string;
    callWaitingOn: string;
    callWaitingOff: string;
    sendAnonymousOn: string;
    sendAnonymousOff: string;
  };
  /** "Enable Session Timer" / "Session Timeout"; LineSettings.sessionTimer.intervalS follows from both. */
  sessionTimer: { enabled: boolean; expiresS: number };
  /** "Keep Alive Type"; the interval is LineSettings.natKeepaliveS. */
  keepAliveType: 'off' | 'udp' | 'sip-option';
  useStun: boolean;
  /** "RTP Encryption(SRTP)": SDES-keyed SRTP (RFC 4568) offered, or required. */
  srtp: 'off' | 'optional' | 'compulsory';
  /** "User Agent"; '' = model and software version. */
  userAgent: string;
  ringType: string;
  /** 8.3 Line Settings of the SIP hotspot page. */
  hotspot: boolean;
  /** 9.12 "Use 182 Response for Call waiting": a waiting call is answered 182 Queued instead of 180. */
  respond182: boolean;
  /** 9.12 "Enable Use Inactive Hold": our hold offer is a=inactive instead of a=sendonly (RFC 3264 §8.4). */
  inactiveHold: boolean;
}

export interface IntercomSettings {
  /** A12 8.1 / 9.15 Intercom Settings (calls carrying an intercom Alert-Info / Call-Info header). */
  intercom: { enabled: boolean; barge: boolean; mute: boolean; tone: boolean };
  /** A12 9.14 SIP P2P Settings and 9.15 IP call options. */
  p2p: {
    autoAnswer: { enabled: boolean; delayS: number };
    dtmfMode: 'auto' | 'inband' | 'rfc4733' | 'info';
    dtmfInfoMode: 'star-pound' | '10-11';
    allowIpCall: boolean;
    /** "P2P IP Prefix": `172.16.2.` turns a dialled `#160` into 172.16.2.160. */
    ipPrefix: string;
  };
  /** A12 9.15 Basic and Tone Settings. */
  features: {
    callWaiting: boolean;
    callWaitingTone: boolean;
    holdingTone: boolean;
    dialingDtmfTone: boolean;
    talkingDtmfTone: boolean;
    autoHangup: { enabled: boolean; delayS: number };
    silentMode: boolean;
    disableMuteForRing: boolean;
    banOutgoing: boolean;
    callNumberFilter: string;
    autoResumeCurrent: boolean;
    talkLimit: { enabled: boolean; durationS: number };
    /** "No Answer Auto HangUp Timeout", 0 = never. */
    noAnswerHangupS: number;
    busyResponseCode: number;
    countryCode: { enabled: boolean; country: string; area: string };
    lineDisplayFormat: string;
    /** Active URI commands accepted only from this address ('' = any). */
    activeUriSourceIp: string;
    pushXml: { server: string; auth: boolean };
  };
  /** A12 9.23 Call List and 9.15 "Enable Restricted Incoming/Outgoing List". */
  restrictions: { incomingEnabled: boolean; outgoingEnabled: boolean; incoming: string[]; outgoing: string[] };
  /** A12 8.2 / 9.18 MCAST. */
  multicast: {
    autoMcast: boolean;
    autoMcastTimeoutS: number;
    /** 1 = highest … 10 = lowest. */
    sipPriority: number;
    intercomPriority: number;
    pagePriority: boolean;
    tone: boolean;
    /** Up to 10 listening groups; the index is the group's priority (group 1 highest). */
    groups: MulticastGroup[];
  };
  /** A12 8.3 / 9.13 SIP hotspot (client only on the A12). */
  hotspot: { enabled: boolean; monitorType: 'broadcast' | 'multicast'; monitorAddress: string; remotePort: number; name: string };
  /** A12 9.25 Call Button Settings (Call Button1–5). */
  callButtons: CallButtonSettings[];
  keyActions: KeyActionSettings;
  /** A12 9.25 Advanced Settings: number 1 / number 2 of a hot key. */
  hotKeyDial: { mode: 'main-secondary' | 'day-night'; switchTimeS: number; dayStartMin: number; dayEndMin: number };
  /** A12 9.31 Security settings. */
  alarm: { tamper: boolean; ringtoneDurationS: number; serverAddress: string };
  inputs: InputSettings[];
  outputs: RelayOutputSettings[];
  /** A12 6.6 / 9.16 / 9.9 media settings the desk-phone model lacks. */
  media: {
    speakerVolume: number;
    ringVolume: number;
    micGain: number;
    defaultRingType: string;
    /** Global codec list of 9.16, in priority order (file names: PCMU, PCMA, G729, G722, opus, iLBC…). */
    codecs: string[];
    vad: boolean;
    rtpKeepAlive: boolean;
    rtpPortQuantity: number;
    opusPayloadType: number;
    opusWideband: boolean;
    ilbcPayloadType: number;
    ilbcPayloadLengthMs: number;
    rtcpCname: { user: string; host: string };
    /** 9.16 Alert Info Ring: Alert-Info value → ring type, 10 entries. */
    alertInfoRings: Array<{ text: string; ringType: string }>;
  };
  /** A12 9.22: tone area and the cadence strings (`Freq1[+Freq2]/Duration,...`). */
  tones: { area: string; cadences: Record<string, string> };
  /** A12 9.19 Action URL: event → URL ('' = not reported). */
  actionUrls: Record<ActionUrlEvent, string>;
  /** A12 9.20 time settings beyond DeviceSettings.time. */
  time: {
    sntp: boolean;
    dhcpTime: boolean;
    secondaryServer: string;
    /** `UTC`, `UTC+8`, `UTC-3:30`. */
    zoneName: string;
    dst: {
      mode: 'off' | 'auto' | 'manual';
      location: number;
      offsetMin: number;
      start: { month: number; week: number; weekday: number; hour: number };
      end: { month: number; week: number; weekday: number; hour: number };
    };
  };
  /** A12 9.8: the address the command mode of 5.2.1 switches between. */
  network: { dhcp: boolean; pppoe: boolean; staticIp: string; subnetMask: string; gateway: string };
  /** A12 9.9 / 9.26 web server. */
  web: {
    https: boolean;
    httpPort: number;
    httpsPort: number;
    loginTimeoutMin: number;
    autoLogin: boolean;
    filter: { enabled: boolean; ranges: Array<{ start: string; end: string }> };
  };
  /** A12 9.6 Auto Provision (Fanvil scheme: static server + $mac.cfg, DHCP option, SIP PnP). */
  provisioning: {
    server: string;
    protocol: 'ftp' | 'tftp' | 'http' | 'https';
    fileName: string;
    username: string;
    password: string;
    deviceFileKey: string;
    commonFileKey: string;
    mode: 'disabled' | 'after-reboot' | 'after-interval';
    intervalH: number;
    failRetries: number;
    digest: boolean;
    /** 0 = disabled, 43, 66, or a custom option 128–254. */
    dhcpOption: number;
    dhcpOption120: boolean;
    pnp: { enabled: boolean; address: string; port: number; transport: 'udp' | 'tcp'; intervalH: number };
  };
  /** A12 9.5 automatic firmware check (vendor_model_hw10.txt on the servers). */
  upgrade: { servers: string[]; intervalH: number };
  lines: IntercomLineSettings[];
}

export function defaultIntercomLineSettings(): IntercomLineSettings {
  return {
    proxyUser: '',
    proxyPassword: '',
    dtmfMode: 'auto',
    dtmfInfoMode: '10-11',
    hotline: { enabled: false, delayS: 0, number: '' },
    forward: {
      always: { enabled: false, number: '' },
      busy: { enabled: false, number: '' },
      noAnswer: { enabled: false, number: '', delayS: 5 },
    },
    dnd: false,
    dialWithoutRegistration: false,
    missedCallLog: true,
    blockAnonymous: false,
    anonymousStandard: 'none',
    mwiSubscribe: false,
    blfList: { enabled: false, uri: '' },
    transferTimeoutS: 0,
    conference: { server: false, number: '' },
    featureCodes: {
      enabled: false,
      dndOn: '',
      dndOff: '',
      alwaysForwardOn: '',
      alwaysForwardOff: '',
      busyForwardOn: '',
      busyForwardOff: '',
      noAnswerForwardOn: '',
      noAnswerForwardOff: '',
      blockAnonymousOn: '',
      blockAnonymousOff: '',
      callWaitingOn: '',
      callWaitingOff: '',
      sendAnonymousOn: '',
      sendAnonymousOff: '',
    },
    sessionTimer: { enabled: false, expiresS: 1800 },
    keepAliveType: 'sip-option',
    useStun: false,
    srtp: 'off',
    userAgent: '',
    ringType: 'Default',
    hotspot: true,
    respond182: false,
    inactiveHold: false,
  };
}

function defaultOutput(output: number): RelayOutputSettings {
  return {
    enabled: true,
    contact: 'NO',
    durationS: 5,
    resetBy: 'duration',
    // 9.31: "DTMF Trigger Code ... default value is 1234", "DTMF Reset Code ... 4321". Only the
    // first output listens to DTMF by default, so one code never opens both relays.
    dtmf: { enabled: output === 1, triggerCode: '1234', resetCode: '4321', ringtone: '' },
    uri: { enabled: false, triggerMessage: '', resetMessage: '', ringtone: '' },
    sms: { enabled: false, triggerMessage: '', resetMessage: '', ringtone: '' },
    triggerInput: 0,
    triggerCallState: 'none',
    triggerCallButton: 0,
    callButtonRingtone: '',
  };
}

function defaultInput(): InputSettings {
  return { enabled: false, triggerLevel: 'low', sendMessage: false, message: '', callButton: 0, ringtone: '' };
}

/** US tone set (the default tone area of the A12 catalogue), in the 9.22 cadence grammar. */
export const US_TONE_CADENCES: Readonly<Record<string, string>> = {
  dial: '350+440/0',
  ringback: '440+480/2000,0/4000',
  busy: '480+620/500,0/500',
  congestion: '480+620/250,0/250',
  callWaiting: '440/300,0/10000,440/300,0/10000,0/0',
  holding: '440/100,0/4000',
  error: '480+620/250,0/250',
  stutter: '350+440/100,0/100,350+440/100,0/100,350+440/100,0/100,350+440/0',
  information: '950/330,1400/330,1800/330,0/1000',
  dialRecall: '350+440/100,0/100,350+440/100,0/100,350+440/100,0/100,350+440/0',
  message: '350+440/100,0/100,350+440/100,0/100,350+440/100,0/100,350+440/0',
  howler: '1400+2060+2450+2600/100,0/100',
  numberUnobtainable: '400/500,0/6000',
  warning: '1400/500,0/15000',
  record: '1400/500,0/15000',
  autoAnswer: '425/200',
};

export const DEFAULT_MULTICAST_GROUPS = 10;
export const DEFAULT_CALL_BUTTONS = 5;

export function defaultIntercomSettings(lineCount = 2): IntercomSettings {
  const actionUrls = Object.fromEntries(ACTION_URL_EVENTS.map((e) => [e, ''])) as Record<ActionUrlEvent, string>;
  return {
    intercom: { enabled: true, barge: false, mute: false, tone: true },
    p2p: { autoAnswer: { enabled: true, delayS: 0 }, dtmfMode: 'auto', dtmfInfoMode: '10-11', allowIpCall: true, ipPrefix: '.' },
    features: {
      callWaiting: true,
      callWaitingTone: true,
      holdingTone: true,
      dialingDtmfTone: true,
      talkingDtmfTone: true,
      autoHangup: { enabled: true, delayS: 3 },
      silentMode: false,
      disableMuteForRing: false,
      banOutgoing: false,
      callNumberFilter: '',
      autoResumeCurrent: false,
      talkLimit: { enabled: false, durationS: 120 },
      noAnswerHangupS: 120,
      busyResponseCode: 486,
      countryCode: { enabled: false, country: '', area: '' },
      lineDisplayFormat: '$name@$protocol$instance',
      activeUriSourceIp: '',
      pushXml: { server: '', auth: false },
    },
    restrictions: { incomingEnabled: true, outgoingEnabled: true, incoming: [], outgoing: [] },
    multicast: {
      autoMcast: false,
      autoMcastTimeoutS: 60,
      sipPriority: 1,
      intercomPriority: 1,
      pagePriority: false,
      tone: true,
      groups: Array.from({ length: DEFAULT_MULTICAST_GROUPS }, () => ({ name: '', host: '', port: 0 })),
    },
    hotspot: { enabled: false, monitorType: 'broadcast', monitorAddress: '224.0.2.0', remotePort: 16360, name: 'SIP Hotspot' },
    // 9.25 Picture 40: Call Button1 PTT speed dial "0" on SIP1, Call Button2 Key event Handfree.
    callButtons: [
      { type: 'ptt', name: '', value: '0', subtype: 'speed-dial', line: 1, media: 'default' },
      { type: 'key-event', name: '', value: '', subtype: 'handfree', line: 0, media: 'default' },
      ...Array.from({ length: DEFAULT_CALL_BUTTONS - 2 }, (): CallButtonSettings => ({ type: 'none', name: '', value: '', subtype: 'none', line: 0, media: 'default' })),
    ],
    // 9.25 Picture 37 (Programmable Button Settings defaults).
    keyActions: {
      desktop: ['dss1', 'dss2', 'dss3', 'dss4', 'dss5'],
      dialer: ['dss1', 'dss2', 'dss3', 'dss4', 'dss5'],
      ringing: ['accept', 'accept', 'accept', 'accept', 'accept'],
      alerting: ['end', 'end', 'end', 'end', 'end'],
      talking: ['end', 'end', 'end', 'end', 'end'],
      longPress: ['menu', 'menu', 'menu', 'invalid', 'invalid'],
    },
    hotKeyDial: { mode: 'main-secondary', switchTimeS: 16, dayStartMin: 360, dayEndMin: 1080 },
    alarm: { tamper: false, ringtoneDurationS: 5, serverAddress: '' },
    inputs: [defaultInput(), defaultInput()],
    outputs: [defaultOutput(1), defaultOutput(2)],
    media: {
      speakerVolume: 5,
      ringVolume: 5,
      micGain: 3,
      defaultRingType: 'default.wav',
      codecs: ['PCMU', 'PCMA', 'G729', 'iLBC', 'opus', 'G722'],
      vad: false,
      rtpKeepAlive: true,
      rtpPortQuantity: 200,
      opusPayloadType: 107,
      opusWideband: false,
      ilbcPayloadType: 97,
      ilbcPayloadLengthMs: 20,
      rtcpCname: { user: '', host: '' },
      alertInfoRings: Array.from({ length: 10 }, () => ({ text: '', ringType: 'default.wav' })),
    },
    tones: { area: 'US', cadences: { ...US_TONE_CADENCES } },
    actionUrls,
    time: {
      sntp: true,
      dhcpTime: false,
      secondaryServer: '',
      zoneName: 'UTC+8',
      dst: { mode: 'off', location: 0, offsetMin: 60, start: { month: 3, week: 5, weekday: 0, hour: 2 }, end: { month: 10, week: 5, weekday: 0, hour: 2 } },
    },
    network: { dhcp: true, pppoe: false, staticIp: '192.168.1.128', subnetMask: '255.255.255.0', gateway: '192.168.1.1' },
    web: { https: false, httpPort: 80, httpsPort: 443, loginTimeoutMin: 15, autoLogin: false, filter: { enabled: false, ranges: Array.from({ length: 10 }, () => ({ start: '', end: '' })) } },
    provisioning: {
      server: '',
      protocol: 'http',
      fileName: '',
      username: '',
      password: '',
      deviceFileKey: '',
      commonFileKey: '',
      mode: 'after-reboot',
      intervalH: 1,
      failRetries: 5,
      digest: false,
      dhcpOption: 66,
      dhcpOption120: false,
      pnp: { enabled: true, address: '224.0.0.0', port: 5060, transport: 'udp', intervalH: 1 },
    },
    upgrade: { servers: ['', ''], intervalH: 24 },
    lines: Array.from({ length: lineCount }, () => defaultIntercomLineSettings()),
  };
}
