// The canonical, model-agnostic settings the firmware reads (`settings.lines[0].registrar.host`),
// whatever the device's own parameter names are. Each model's catalogue maps its rows onto these
// paths (ParamDef.canonical); fields a model lacks keep the neutral defaults below, which follow
// the RFCs and common desk-phone behaviour.

import { defaultIntercomSettings, type IntercomSettings } from './canonical-intercom.js';

export type Transport = 'udp' | 'tcp' | 'tls';
export type DtmfMode = 'rfc4733' | 'inband' | 'info';
export type SessionRefreshMethod = 'reinvite' | 'update' | 'auto';
export type Refresher = 'none' | 'uas' | 'uac';

export interface HostPort {
  host: string;
  port: number;
}

export interface CodecPreference {
  enabled: boolean;
  /** Lower value = higher priority (KX-UT670 5.7.1 CODEC_PRIORITYx_n). */
  priority: number;
}

export interface LineSettings {
  enabled: boolean;
  /** A second enable switch: the line works only when `enabled` and `profileEnabled` (KX-UT670 5.8.2 PROFILE_ENABLEn). */
  profileEnabled: boolean;
  displayName: string;
  phoneNumber: string;
  sipUri: string;
  authId: string;
  password: string;
  serviceDomain: string;
  /** Local SIP port of this line (SIP_SRC_PORT_n). */
  localPort: number;
  transport: Transport;
  registrar: HostPort & { secondaryHost: string; secondaryPort: number };
  proxy: HostPort & { secondaryHost: string; secondaryPort: number };
  outboundProxy: HostPort;
  presence: HostPort & { secondaryHost: string; secondaryPort: number };
  registration: {
    expiresS: number;
    refreshPercent: number;
    retryIntervalS: number;
    unregisterOnBoot: boolean;
    unregisterOnShutdown: boolean;
    addExpiresHeader: boolean;
  };
  dns: { srvEnabled: boolean; udpSrvPrefix: string; tcpSrvPrefix: string };
  failover: { onNoResponse: boolean; maxTargets: number };
  timers: { t1Ms: number; t2Ms: number; t4Ms: number; bMs: number; dMs: number; fMs: number; hMs: number; jMs: number };
  sessionTimer: { intervalS: number; method: SessionRefreshMethod; refresher: Refresher };
  rel100: boolean;
  provisionalRetransmitS: number;
  inviteExpiresS: number;
  subscription: { expiresS: number; retryIntervalS: number; refreshPercent: number };
  natKeepaliveS: number;
  addRport: boolean;
  requestUriPort: boolean;
  sourceAddressFilter: boolean;
  receivedDetectHeader: boolean;
  contactOnAck: boolean;
  addUserPhone: boolean;
  addTransportUdp: boolean;
  pPreferredIdentity: boolean;
  privacyHeader: boolean;
  anonymous: { displayName: number; userName: number; hostName: boolean };
  holdReceive: boolean;
  diversion: number;
  sdpUserId: string;
  dscp: { sip: number; rtp: number; rtcp: number };
  rtcp: { enabled: boolean; intervalS: number; useSdpPort: boolean };
  jitterBuffer: { minMs: number; nominalMs: number; maxMs: number };
  rtpCloseOnNoAnswer: boolean;
  outbandDtmf: boolean;
  dtmfInfo: boolean;
  rfc2543Hold: boolean;
  codecs: Record<string, CodecPreference>;
  voiceMailNumber: string;
  dialPlan: string;
  dialPlanBlockUnmatched: boolean;
  sharedCall: boolean;
  fwdDndSync: boolean;
  resourceListUri: string;
  callWaiting: boolean;
  autoAnswer: { enabled: boolean; delayS: number };
}

export interface ToneSettings {
  frequenciesHz: number[];
  gainDb: number;
  /** off1,on1,off2,on2… or on1,off1… as the manual gives for each tone (KX-UT670 5.6.2). */
  timingMs: number[];
}

export type ButtonAction = 'line' | 'headset' | 'contact' | 'one-touch' | 'speed-dial' | 'intercom' | 'paging' | 'dtmf' | 'none';

export interface ButtonSettings {
  action: string;
  argument: string;
  label: string;
}

export interface DeviceSettings {
  accounts: { adminId: string; adminPassword: string; userId: string; userPassword: string };
  time: { zone: number; ntpServer: string; syncIntervalS: number; queryIntervalS: number };
  syslog: HostPort;
  firmware: { upgradeEnabled: boolean; targetVersion: string; fileUrl: string };
  provisioning: {
    enabled: boolean;
    option66: boolean;
    standardUrl: string;
    productUrl: string;
    masterUrl: string;
    keys: string[];
    keyLengthBits: number;
    cyclic: boolean;
    cyclicIntervalMin: number;
    retryIntervalMin: number;
    dailyResyncTime: string;
    resyncEvent: string;
  };
  http: { portAlwaysOpen: boolean; userAgent: string; http10: boolean; sslVerify: number; rootCertificateUrl: string };
  stun: HostPort & { secondaryHost: string; secondaryPort: number };
  sip: {
    userAgent: string;
    dndResponseCode: number;
    rejectResponseCode: number;
    /** Allow-Events: talk (Click to Answer/Retrieve; KX-UT670 5.6.1 TALK_PACKAGE). */
    talkPackage: boolean;
    /** Allow-Events: hold (Click to Hold; KX-UT670 5.6.1 HOLD_PACKAGE). */
    holdPackage: boolean;
  };
  rtp: {
    portMin: number;
    portMax: number;
    ptimeMs: number;
    telephoneEventPayloadType: number;
    dtmfSignalMs: number;
    dtmfInterDigitMs: number;
    g711Required: boolean;
    g729AnnexBNo: boolean;
  };
  call: {
    firstDigitS: number;
    interDigitS: number;
    macroDigitS: number;
    internationalAccessCode: string;
    countryCallingCode: string;
    nationalAccessCode: string;
    defaultLine: number;
    dataLineMode: boolean;
    pickupDirectCode: string;
    holdRecallS: number;
    autoAnswerRingS: number;
    autoCallHold: boolean;
    onhookTransfer: boolean;
    disconnectionMode: number;
    disconnectToneHandsetS: number;
    disconnectToneHandsfreeS: number;
    conferenceServerUri: string;
    voiceMailSubscribe: boolean;
    flashRecallTerminate: boolean;
    flashhookContentType: string;
    voiceMessageAvailable: boolean;
    numberMatchLowerDigits: number;
    numberMatchUpperDigits: number;
    poundKeyDelimiter: boolean;
    keyPadTone: boolean;
    redialShowsLog: boolean;
    /** Users may turn incoming-call ringing off (KX-UT670 5.6.1 RINGING_OFF_SETTING_ENABLE). */
    ringingOffAllowed: boolean;
  };
  display: {
    language: string;
    datePattern: number;
    timePattern: number;
    nameReplace: boolean;
    /** Caller name vs ICD/DDI group name: 0 caller only, 1 caller first, 2 group first, 3 group only (KX-UT670 5.6.1). */
    callerGroupDisplay: number;
  };
  tones: Record<string, ToneSettings>;
  lines: LineSettings[];
  buttons: ButtonSettings[];
  /** Intercom features (Fanvil A12 Sections 7-9); neutral defaults on other models. */
  intercom: IntercomSettings;
}

export function defaultLineSettings(line: number): LineSettings {
  return {
    enabled: true,
    profileEnabled: true,
    displayName: '',
    phoneNumber: '',
    sipUri: '',
    authId: '',
    password: '',
    serviceDomain: '',
    localPort: 5060 + 10 * (line - 1),
    transport: 'udp',
    registrar: { host: '', port: 5060, secondaryHost: '', secondaryPort: 5060 },
    proxy: { host: '', port: 5060, secondaryHost: '', secondaryPort: 5060 },
    outboundProxy: { host: '', port: 5060 },
    presence: { host: '', port: 5060, secondaryHost: '', secondaryPort: 5060 },
    registration: { expiresS: 3600, refreshPercent: 90, retryIntervalS: 10, unregisterOnBoot: false, unregisterOnShutdown: false, addExpiresHeader: true },
    dns: { srvEnabled: true, udpSrvPrefix: '_sip._udp.', tcpSrvPrefix: '_sip._tcp.' },
    failover: { onNoResponse: true, maxTargets: 4 },
    // RFC 3261 §17 / Table 4 defaults.
    timers: { t1Ms: 500, t2Ms: 4000, t4Ms: 5000, bMs: 32000, dMs: 32000, fMs: 32000, hMs: 32000, jMs: 32000 },
    sessionTimer: { intervalS: 0, method: 'reinvite', refresher: 'none' },
    rel100: false,
    provisionalRetransmitS: 0,
    inviteExpiresS: 0,
    subscription: { expiresS: 3600, retryIntervalS: 10, refreshPercent: 90 },
    natKeepaliveS: 0,
    addRport: false,
    requestUriPort: true,
    sourceAddressFilter: false,
    receivedDetectHeader: false,
    contactOnAck: false,
    addUserPhone: false,
    addTransportUdp: false,
    pPreferredIdentity: false,
    privacyHeader: false,
    anonymous: { displayName: 1, userName: 0, hostName: false },
    holdReceive: true,
    diversion: 1,
    sdpUserId: '',
    dscp: { sip: 0, rtp: 0, rtcp: 0 },
    rtcp: { enabled: false, intervalS: 5, useSdpPort: false },
    jitterBuffer: { minMs: 20, nominalMs: 20, maxMs: 200 },
    rtpCloseOnNoAnswer: true,
    outbandDtmf: true,
    dtmfInfo: false,
    rfc2543Hold: true,
    codecs: {
      G722: { enabled: true, priority: 1 },
      PCMA: { enabled: true, priority: 1 },
      G729: { enabled: true, priority: 1 },
      PCMU: { enabled: true, priority: 1 },
    },
    voiceMailNumber: '',
    dialPlan: '',
    dialPlanBlockUnmatched: false,
    sharedCall: false,
    fwdDndSync: false,
    resourceListUri: '',
    callWaiting: true,
    autoAnswer: { enabled: false, delayS: 0 },
  };
}

function tone(frequenciesHz: number[], timingMs: number[]): ToneSettings {
  return { frequenciesHz, gainDb: 0, timingMs };
}

export function defaultDeviceSettings(lineCount: number, buttonCount: number): DeviceSettings {
  return {
    accounts: { adminId: 'admin', adminPassword: 'admin', userId: 'user', userPassword: '' },
    time: { zone: 1, ntpServer: '', syncIntervalS: 60, queryIntervalS: 43200 },
    syslog: { host: '', port: 514 },
    firmware: { upgradeEnabled: true, targetVersion: '', fileUrl: '' },
    provisioning: {
      enabled: true,
      option66: true,
      standardUrl: '',
      productUrl: '',
      masterUrl: '',
      keys: ['', '', ''],
      keyLengthBits: 128,
      cyclic: false,
      cyclicIntervalMin: 10080,
      retryIntervalMin: 30,
      dailyResyncTime: '',
      resyncEvent: 'check-sync',
    },
    http: { portAlwaysOpen: true, userAgent: '', http10: false, sslVerify: 0, rootCertificateUrl: '' },
    stun: { host: '', port: 3478, secondaryHost: '', secondaryPort: 3478 },
    sip: { userAgent: '', dndResponseCode: 480, rejectResponseCode: 603, talkPackage: false, holdPackage: false },
    rtp: { portMin: 16000, portMax: 20000, ptimeMs: 20, telephoneEventPayloadType: 101, dtmfSignalMs: 180, dtmfInterDigitMs: 90, g711Required: true, g729AnnexBNo: false },
    call: {
      firstDigitS: 30,
      interDigitS: 5,
      macroDigitS: 5,
      internationalAccessCode: '',
      countryCallingCode: '',
      nationalAccessCode: '',
      defaultLine: 1,
      dataLineMode: false,
      pickupDirectCode: '',
      holdRecallS: 60,
      autoAnswerRingS: 5,
      // A call answered or dialled during a conversation holds it (common desk-phone and A12
      // behaviour); the KX-UT670's AUTO_CALL_HOLD default N sets false (KX-UT670 5.6.1).
      autoCallHold: true,
      onhookTransfer: true,
      disconnectionMode: 1,
      disconnectToneHandsetS: 10,
      disconnectToneHandsfreeS: 3,
      conferenceServerUri: '',
      voiceMailSubscribe: false,
      flashRecallTerminate: true,
      flashhookContentType: 'Signal',
      voiceMessageAvailable: true,
      numberMatchLowerDigits: 7,
      numberMatchUpperDigits: 10,
      poundKeyDelimiter: true,
      keyPadTone: true,
      redialShowsLog: false,
      ringingOffAllowed: true,
    },
    display: { language: 'en-US', datePattern: 0, timePattern: 0, nameReplace: true, callerGroupDisplay: 1 },
    tones: {
      dial: tone([350, 440], [60, 0]),
      dial2: tone([350, 440], [60, 0]),
      stutter: tone([350, 440], [560, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 0]),
      busy: tone([480, 620], [60, 500, 440]),
      reorder: tone([480, 620], [60, 250, 190]),
      ringback: tone([440, 480], [60, 2000, 3940]),
      holdAlarm: tone([425], [120, 14880]),
      callWaiting: tone([425], [120, 120, 120, 120, 120, 14400]),
      hold: tone([425], [500, 190, 190, 190, 2890]),
    },
    lines: Array.from({ length: lineCount }, (_, i) => defaultLineSettings(i + 1)),
    buttons: Array.from({ length: buttonCount }, () => ({ action: 'none', argument: '', label: '' })),
    intercom: defaultIntercomSettings(lineCount),
  };
}
