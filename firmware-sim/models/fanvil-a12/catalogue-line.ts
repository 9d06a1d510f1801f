// Fanvil A12 manual 9.12 Line >> SIP (two SIP lines, Table 15 and the Picture 25 screenshot),
// 9.13 / 8.3 Line >> SIP Hotspot (Table 8) and 9.14 Line >> Basic Settings (Table 16: STUN and
// SIP P2P). Per-line keys follow Fanvil's `SIPn …` naming in `<SIP CONFIG MODULE>`.
import type { CodecPreference, Transport } from '../../../src/settings/canonical.js';
import {
  DIAL_STRING,
  DTMF_CODE,
  FLAG,
  HOST,
  NO_DEFAULT,
  PORT,
  choice,
  int,
  mapValue,
  mod,
  p,
  perLine,
  secretText,
  text,
  type A12Param,
  type Draft,
  type LabelledRule,
  MCAST_IPV4,
} from './catalogue-helpers.js';

const SIP = 'SIP CONFIG MODULE';
const LINE_LIST = '--SIP Line List--';
const P2P_LIST = '--SIP P2P Config--';

const REGISTER = (n: number): string => `[9.12 Line >> SIP >> SIP${n} Register Settings]`;
const BASIC = (n: number): string => `[9.12 Line >> SIP >> SIP${n} Basic Settings]`;
const ADVANCED = (n: number): string => `[9.12 Line >> SIP >> SIP${n} Advanced Settings]`;
const CODECS = (n: number): string => `[9.12 Line >> SIP >> SIP${n} Codecs Settings]`;

/** 9.12 transport: UDP or TCP on the page; TLS because the line has a TLS Version (2). */
const TRANSPORT: LabelledRule = choice({ 0: 'UDP', 1: 'TCP', 2: 'TLS' });
const toTransport = mapValue<Transport>({ 0: 'udp', 1: 'tcp', 2: 'tls' }, 'udp');

/** 9.12 DTMF Type (screenshot: AUTO). */
export const DTMF_MODE: LabelledRule = choice({ 0: 'Inband', 1: 'RFC2833', 2: 'SIP INFO', 3: 'AUTO' });
export const toDtmfMode = mapValue({ 0: 'inband', 1: 'rfc4733', 2: 'info', 3: 'auto' }, 'auto');
export const DTMF_INFO_MODE: LabelledRule = choice({ 0: 'Send */#', 1: 'Send 10/11' });
export const toDtmfInfoMode = mapValue({ 0: 'star-pound', 1: '10-11' }, '10-11');

/**
 * 9.12 / 9.16 codec names as the file writes them (Fanvil `VoiceCodecMap`): G.711U = PCMU,
 * G.711A = PCMA, G.729AB = G729, G.723.1 = G723; order = priority.
 */
export const CODEC_FILE_NAMES = ['PCMU', 'PCMA', 'G729', 'G722', 'opus', 'iLBC', 'G726-16', 'G726-24', 'G726-32', 'G726-40', 'G723', 'MPA'] as const;
/** File codec name → canonical codec key of LineSettings.codecs (canonical.ts keeps G722/PCMA/G729/PCMU). */
export const CODEC_CANONICAL: Readonly<Record<string, string>> = {
  PCMU: 'PCMU',
  PCMA: 'PCMA',
  G729: 'G729',
  G722: 'G722',
  opus: 'OPUS',
  iLBC: 'ILBC',
  'G726-16': 'G726-16',
  'G726-24': 'G726-24',
  'G726-32': 'G726-32',
  'G726-40': 'G726-40',
  G723: 'G723',
  MPA: 'MPA',
};
export const CODEC_LIST: LabelledRule = { kind: 'string-list', values: [...CODEC_FILE_NAMES], minCount: 1, maxCount: CODEC_FILE_NAMES.length };
/** 9.12 Picture 25 "Enabled Codecs" list of the Basic Settings screenshot. */
export const DEFAULT_CODECS = 'PCMU,PCMA,G729,iLBC,opus,G722';

/** The enabled list in priority order → every known codec, enabled or not, priority 1…n (255 = off). */
export function codecsToCanonical(value: string): Record<string, CodecPreference> {
  const enabled = value.split(',').filter((c) => c !== '');
  const out: Record<string, CodecPreference> = {};
  for (const name of CODEC_FILE_NAMES) {
    const at = enabled.indexOf(name);
    out[CODEC_CANONICAL[name]!] = at >= 0 ? { enabled: true, priority: at + 1 } : { enabled: false, priority: 255 };
  }
  return out;
}

const lineRows = (n: number, i: number): Draft[] => {
  const L = `lines.${i}`;
  const X = `intercom.lines.${i}`;
  return [
    // Register Settings
    p(`SIP${n} Enable Reg`, FLAG, '0', '6.5, 9.12', `Activate ${REGISTER(n)}`, 'Whether the line is in service and registers (6.5: Apply registers the line).', { canonical: `${L}.enabled` }),
    p(`SIP${n} Phone Number`, text(64), '', '9.12', `Username ${REGISTER(n)}`, 'User name (phone number) of the account; the user part of From and Contact.', { canonical: `${L}.phoneNumber` }),
    p(`SIP${n} Display Name`, text(64, { unicode: true }), '', '9.12', `Display Name ${REGISTER(n)}`, 'Display name sent in call requests.', { canonical: `${L}.displayName` }),
    p(`SIP${n} Sip Name`, text(64), '', '9.12', `Server Name ${REGISTER(n)}`, 'Server name; shown in the screenshot only, without description (garbled place 11). Informational.'),
    p(`SIP${n} Register Addr`, HOST, '', '9.12', `Server Address ${REGISTER(n)} >> SIP Server 1`, 'IP address or FQDN of the SIP server (registrar).', { canonical: `${L}.registrar.host` }),
    p(`SIP${n} Register Port`, PORT, '5060', '9.12', `Server Port ${REGISTER(n)} >> SIP Server 1`, 'SIP server port.', { canonical: `${L}.registrar.port` }),
    p(`SIP${n} Register User`, text(64), '', '9.12', `Authentication User ${REGISTER(n)}`, 'Authentication user of the account (digest user name; the Username when empty).', { canonical: `${L}.authId` }),
    p(`SIP${n} Register Pswd`, secretText(64), '', '9.12', `Authentication Password ${REGISTER(n)}`, 'Authentication password of the account.', { canonical: `${L}.password`, secret: true }),
    p(`SIP${n} Register TTL`, int(60, 86400, 's'), '3600', '9.12', `Registration Expiration ${REGISTER(n)} >> SIP Server 1`, 'Registration expiry requested from server 1 (screenshot: 3600).', { canonical: `${L}.registration.expiresS` }),
    p(`SIP${n} Transport`, TRANSPORT, '0', '9.12', `Transport Protocol ${REGISTER(n)} >> SIP Server 1; Transport Protocol ${ADVANCED(n)}`, 'Transport of SIP signalling (screenshot: UDP). TLS is accepted because the line has a TLS Version setting.', { canonical: `${L}.transport`, toCanonical: toTransport }),
    p(`SIP${n} Backup Addr`, HOST, '', '9.12', `Server Address ${REGISTER(n)} >> SIP Server 2`, 'Backup SIP server, used when server 1 does not answer.', { canonical: `${L}.registrar.secondaryHost` }),
    p(`SIP${n} Backup Port`, PORT, '5060', '9.12', `Server Port ${REGISTER(n)} >> SIP Server 2`, 'Backup SIP server port.', { canonical: `${L}.registrar.secondaryPort` }),
    p(`SIP${n} Backup Transport`, TRANSPORT, '0', '9.12', `Transport Protocol ${REGISTER(n)} >> SIP Server 2`, 'Transport to the backup SIP server (screenshot: UDP).'),
    p(`SIP${n} Backup TTL`, int(60, 86400, 's'), '3600', '9.12', `Registration Expiration ${REGISTER(n)} >> SIP Server 2`, 'Registration expiry requested from server 2 (screenshot: 3600).'),
    p(`SIP${n} Proxy Addr`, HOST, '', '9.12', `Proxy Server Address ${REGISTER(n)}`, 'SIP proxy: requests are sent here instead of the server address.', { canonical: `${L}.proxy.host` }),
    p(`SIP${n} Proxy Port`, PORT, '5060', '9.12', `Proxy Server Port ${REGISTER(n)}`, 'SIP proxy port.', { canonical: `${L}.proxy.port` }),
    p(`SIP${n} Proxy User`, text(64), '', '9.12', `Proxy User ${REGISTER(n)}`, 'User for proxy authentication.', { canonical: `${X}.proxyUser` }),
    p(`SIP${n} Proxy Pswd`, secretText(64), '', '9.12', `Proxy Password ${REGISTER(n)}`, 'Password for proxy authentication.', { canonical: `${X}.proxyPassword`, secret: true }),
    p(`SIP${n} BakProxy Addr`, HOST, '', '9.12', `Backup Proxy Server Address ${REGISTER(n)}`, 'Backup SIP proxy.', { canonical: `${L}.proxy.secondaryHost` }),
    p(`SIP${n} BakProxy Port`, PORT, '5060', '9.12', `Backup Proxy Server Port ${REGISTER(n)}`, 'Backup SIP proxy port.', { canonical: `${L}.proxy.secondaryPort` }),
    p(`SIP${n} Local Domain`, text(127), '', '9.12', `Realm ${REGISTER(n)}`, 'SIP domain (realm) when the provider asks for one; otherwise the server address is the domain.', { canonical: `${L}.serviceDomain` }),
    // Basic Settings
    p(`SIP${n} Auto Answer`, FLAG, '1', '7.4, 9.12', `Enable Auto Answering ${BASIC(n)}`, '7.4: auto answer is enabled by default; incoming calls are answered after the delay.', { canonical: `${L}.autoAnswer.enabled` }),
    p(`SIP${n} NoAnswerTime`, int(0, 120, 's'), '0', '7.4, 9.12', `Auto Answering Delay ${BASIC(n)}`, 'Ring time before auto answer, 0–120 s (7.4; screenshot: 0).', { canonical: `${L}.autoAnswer.delayS` }),
    p(`SIP${n} Always FWD`, FLAG, '0', '9.12', `Call Forward Unconditional ${BASIC(n)}`, 'Forward every incoming call to the unconditional number.', { canonical: `${X}.forward.always.enabled` }),
    p(`SIP${n} Always FWD Num`, DIAL_STRING, '', '9.12', `Call Forward Number for Unconditional ${BASIC(n)}`, 'Target of the unconditional forward.', { canonical: `${X}.forward.always.number` }),
    p(`SIP${n} Busy FWD`, FLAG, '0', '9.12', `Call Forward on Busy ${BASIC(n)}`, 'Forward incoming calls while busy.', { canonical: `${X}.forward.busy.enabled` }),
    p(`SIP${n} Busy FWD Num`, DIAL_STRING, '', '9.12', `Call Forward Number for Busy ${BASIC(n)}`, 'Target of the busy forward.', { canonical: `${X}.forward.busy.number` }),
    p(`SIP${n} No Answer FWD`, FLAG, '0', '9.12', `Call Forward on No Answer ${BASIC(n)}`, 'Forward calls not answered within the delay.', { canonical: `${X}.forward.noAnswer.enabled` }),
    p(`SIP${n} NoAnswer FWD Num`, DIAL_STRING, '', '9.12', `Call Forward Number for No Answer ${BASIC(n)}`, 'Target of the no-answer forward.', { canonical: `${X}.forward.noAnswer.number` }),
    p(`SIP${n} FWD Timer`, int(0, 120, 's'), '5', '9.12', `Call Forward Delay for No Answer ${BASIC(n)}`, `Ring time before a no-answer forward. ${NO_DEFAULT}`, { canonical: `${X}.forward.noAnswer.delayS` }),
    p(`SIP${n} XFER Expire`, int(0, 600, 's'), '0', '9.12', `Transfer Timeout ${BASIC(n)}`, `Time limit of a call transfer; 0 = none. ${NO_DEFAULT}`, { canonical: `${X}.transferTimeoutS` }),
    p(`SIP${n} Use SRV Mixer`, choice({ 0: 'Local', 1: 'Server' }), '0', '9.12', `Conference Type ${BASIC(n)}`, 'Local conference (two remote parties at most) or a conference room on the server.', { canonical: `${X}.conference.server` }),
    p(`SIP${n} SRV Mixer Uri`, DIAL_STRING, '', '9.12', `Server Conference Number ${BASIC(n)}`, 'Conference room number when the conference type is Server.', { canonical: `${X}.conference.number` }),
    p(`SIP${n} Subscribe`, FLAG, '0', '9.12', `Subscribe For Voice Message ${BASIC(n)}`, 'Subscribe to message-summary (MWI) notifications.', { canonical: `${X}.mwiSubscribe` }),
    p(`SIP${n} MWI Num`, DIAL_STRING, '', '9.12', `Voice Message Number ${BASIC(n)}`, 'Number dialled to retrieve voice messages.', { canonical: `${L}.voiceMailNumber` }),
    p(`SIP${n} Sub Expire`, int(60, 86400, 's'), '3600', '9.12', `Voice Message Subscribe Period ${BASIC(n)}`, `Expiry of the MWI subscription. ${NO_DEFAULT}`, { canonical: `${L}.subscription.expiresS` }),
    p(`SIP${n} Enable Hotline`, FLAG, '0', '9.12', `Enable Hotline ${BASIC(n)}`, 'Dial the hotline number as soon as the audio channel opens (off-hook, hands-free).', { canonical: `${X}.hotline.enabled` }),
    p(`SIP${n} WarmLine Time`, int(0, 9, 's'), '0', '9.12', `Hotline Delay ${BASIC(n)}`, 'Delay before the hotline number is dialled, 0–9 s (screenshot: 0).', { canonical: `${X}.hotline.delayS` }),
    p(`SIP${n} Hotline Num`, DIAL_STRING, '', '9.12', `Hotline Number ${BASIC(n)}`, 'Hotline number.', { canonical: `${X}.hotline.number` }),
    p(`SIP${n} Dial Off Line`, FLAG, '0', '9.12', `Dial Without Registered ${BASIC(n)}`, 'Allow calls through the proxy while the line is not registered.', { canonical: `${X}.dialWithoutRegistration` }),
    p(`SIP${n} MissedCallLog`, FLAG, '1', '9.12', `Enable Missed Call Log ${BASIC(n)}`, `Save missed calls in the call history. ${NO_DEFAULT}`, { canonical: `${X}.missedCallLog` }),
    p(`SIP${n} DTMF Mode`, DTMF_MODE, '3', '9.12', `DTMF Type ${BASIC(n)}`, 'DTMF method of the line (screenshot: AUTO = RFC 2833 events when the peer offers telephone-event, else in band).', { canonical: `${X}.dtmfMode`, toCanonical: toDtmfMode }),
    p(`SIP${n} DTMF Info Mode`, DTMF_INFO_MODE, '1', '9.12', `DTMF SIP INFO Mode ${BASIC(n)}`, 'How * and # are sent in SIP INFO (screenshot: Send 10/11).', { canonical: `${X}.dtmfInfoMode`, toCanonical: toDtmfInfoMode }),
    p(`SIP${n} Enable DND`, FLAG, '0', '9.12', `Enable DND ${BASIC(n)}`, 'Do not disturb: every incoming call to the line is rejected.', { canonical: `${X}.dnd` }),
    p(`SIP${n} Use VPN`, FLAG, '1', '9.12', `Use VPN ${BASIC(n)}`, 'Route the line through the VPN when one is up (screenshot: checked).'),
    p(`SIP${n} Use Stun`, FLAG, '0', '9.12', `Use STUN ${BASIC(n)}`, 'Use the STUN server of 9.14 for NAT traversal.', { canonical: `${X}.useStun` }),
    p(`SIP${n} Req With Port`, FLAG, '1', '9.12', `Request With Port ${BASIC(n)}`, 'Put the port in the Request-URI (screenshot only: checked).', { canonical: `${L}.requestUriPort` }),
    p(`SIP${n} Signal Failback`, FLAG, '0', '9.12', `Signal Failback ${BASIC(n)}`, 'Send each request to the primary server again after a failover (screenshot only: off).'),
    p(`SIP${n} Enable Failback`, FLAG, '1', '9.12', `Enable Failback ${BASIC(n)}`, 'Return to server 1 once it answers again (screenshot only: on).'),
    p(`SIP${n} Failback Interval`, int(60, 86400, 's'), '1800', '9.12', `Failback Interval ${BASIC(n)}`, 'How often the primary server is probed after a failover (screenshot only: 1800).'),
    p(`SIP${n} Signal Retry Counts`, int(1, 10), '3', '9.12', `Signal Retry Counts ${BASIC(n)}`, 'Attempts on one server before failing over, 1–10 (screenshot only: 3).'),
    // Codecs Settings
    p(`SIP${n} VoiceCodecMap`, CODEC_LIST, DEFAULT_CODECS, '9.12', `Codecs Settings ${CODECS(n)}`, 'Enabled codecs in priority order; a codec not listed is disabled (Picture 25 list: G.711U, G.711A, G.729AB, iLBC, opus, G.722).', { canonical: `${L}.codecs`, toCanonical: codecsToCanonical }),
    // Advanced Settings
    p(`SIP${n} SvcCode Mode`, FLAG, '0', '9.12', `Use Feature Code ${ADVANCED(n)}`, 'Send the feature codes below to the server instead of handling DND, forward, call waiting… locally.', { canonical: `${X}.featureCodes.enabled` }),
    ...featureCodes(n, X),
    p(`SIP${n} Signal Crypto`, FLAG, '0', '9.12', `SIP Encryption ${ADVANCED(n)}`, 'Encrypt SIP messages with the pass phrase (Fanvil proprietary).'),
    p(`SIP${n} SigCrypto Key`, secretText(64), '', '9.12', `SIP Encryption Key ${ADVANCED(n)}`, 'Pass phrase of SIP encryption.', { secret: true }),
    p(`SIP${n} Media Crypto`, choice({ 0: 'Disabled', 1: 'Optional', 2: 'Compulsory' }), '0', '9.12', `RTP Encryption(SRTP) ${ADVANCED(n)}`, 'SRTP use for RTP of the line: Optional offers RTP/AVP with a=crypto, Compulsory offers RTP/SAVP (SDES keys, RFC 4568).', { canonical: `${X}.srtp`, toCanonical: mapValue({ 0: 'off', 1: 'optional', 2: 'compulsory' }, 'off') }),
    p(`SIP${n} MedCrypto Key`, secretText(64), '', '9.12', `RTP Encryption Key ${ADVANCED(n)}`, 'Pass phrase of RTP encryption.', { secret: true }),
    p(`SIP${n} Session Timer`, FLAG, '0', '9.12', `Enable Session Timer ${ADVANCED(n)}`, 'RFC 4028 session refresh; the call ends without a refresh within the timeout.', { canonical: `${X}.sessionTimer.enabled` }),
    p(`SIP${n} S Timer Expires`, int(90, 7200, 's'), '1800', '9.12', `Session Timeout ${ADVANCED(n)}`, `Session interval. ${NO_DEFAULT}`, { canonical: `${X}.sessionTimer.expiresS` }),
    p(`SIP${n} Enable BLFList`, FLAG, '0', '9.12', `Enable BLF List ${ADVANCED(n)}`, 'Subscribe to the BLF list URI.', { canonical: `${X}.blfList.enabled` }),
    p(`SIP${n} BLFList Uri`, DIAL_STRING, '', '9.12', `BLF List Number ${ADVANCED(n)}`, 'BLF list URI or number that monitors a group; used only with Enable BLF List.', { canonical: `${X}.blfList.uri` }),
    p(`SIP${n} NAT UDPUpdate`, choice({ 0: 'Off', 1: 'UDP dummy', 2: 'SIP OPTION' }), '2', '9.12', `Keep Alive Type ${ADVANCED(n)}`, `Packet that keeps the NAT pinhole open. ${NO_DEFAULT}`, { canonical: `${X}.keepAliveType`, toCanonical: mapValue({ 0: 'off', 1: 'udp', 2: 'sip-option' }, 'off') }),
    p(`SIP${n} UDPUpdate TTL`, int(5, 3600, 's'), '30', '9.12', `Keep Alive Interval ${ADVANCED(n)}`, `Interval of keep-alive packets. ${NO_DEFAULT}`, { canonical: `${L}.natKeepaliveS` }),
    p(`SIP${n} Keep AUTH`, FLAG, '0', '9.12', `Keep Authentication ${ADVANCED(n)}`, 'Reuse the previous authentication parameters on the next request.'),
    p(`SIP${n} Ban Anonymous`, FLAG, '0', '9.12', `Blocking Anonymous Call ${ADVANCED(n)}`, 'Reject calls that present no caller ID.', { canonical: `${X}.blockAnonymous` }),
    p(`SIP${n} User Agent`, text(64), '', '9.12', `User Agent ${ADVANCED(n)}`, 'User-Agent header; empty = model and software version (the manual\'s default).', { canonical: `${X}.userAgent` }),
    p(`SIP${n} Server Type`, choice({ 0: 'COMMON', 1: 'BroadSoft', 2: 'Asterisk', 3: 'Cisco', 4: 'Huawei' }), '0', '9.12', `Specific Server Type ${ADVANCED(n)}`, 'Interoperate with a specific server. The emulator models COMMON only; the other values are accepted and behave as COMMON (value list not in the manual).'),
    p(`SIP${n} RFC Ver`, choice({ 0: 'RFC 2543', 1: 'RFC 3261' }), '1', '9.12', `SIP Version ${ADVANCED(n)}`, `SIP version. ${NO_DEFAULT}`),
    p(`SIP${n} CLIR`, choice({ 0: 'None', 1: 'RFC 3323', 2: 'RFC 3325' }), '0', '9.12', `Anonymous Call Standard ${ADVANCED(n)}`, `Standard used for anonymous calls. ${NO_DEFAULT}`, { canonical: `${X}.anonymousStandard`, toCanonical: mapValue({ 0: 'none', 1: 'rfc3323', 2: 'rfc3325' }, 'none') }),
    p(`SIP${n} Signal Port`, PORT, n === 1 ? '5060' : '5062', '9.12', `Local Port ${ADVANCED(n)}`, `Local SIP port of the line. ${NO_DEFAULT} Fanvil devices use 5060 on every line; the emulator gives each line its own port so lines never share a socket.`, { canonical: `${L}.localPort` }),
    p(`SIP${n} Ring Type`, text(64), 'Default', '9.12', `Ring Type ${ADVANCED(n)}`, 'Ring of the line; Default = the Default Ring Type of 9.16.', { canonical: `${X}.ringType` }),
    p(`SIP${n} User Is Phone`, FLAG, '0', '9.12', `Enable user=phone ${ADVANCED(n)}`, 'Add user=phone to SIP URIs.', { canonical: `${L}.addUserPhone` }),
    p(`SIP${n} Use Tel Call`, FLAG, '0', '9.12', `Use Tel Call ${ADVANCED(n)}`, 'Use tel: URIs for calls.'),
    p(`SIP${n} Auto TCP`, FLAG, '0', '9.12', `Auto TCP ${ADVANCED(n)}`, 'Use TCP for SIP messages above 1500 bytes.'),
    p(`SIP${n} Enable Rport`, FLAG, '1', '9.12', `Enable Rport ${ADVANCED(n)}`, 'Add rport to the Via header (RFC 3581; screenshot: checked).', { canonical: `${L}.addRport` }),
    p(`SIP${n} PRACK`, FLAG, '0', '9.12', `Enable PRACK ${ADVANCED(n)}`, 'Support reliable provisional responses (RFC 3262).', { canonical: `${L}.rel100` }),
    p(`SIP${n} DNS Mode`, choice({ 0: 'A', 1: 'SRV', 2: 'NAPTR' }), '0', '9.12', `DNS Mode ${ADVANCED(n)}`, `How the server name is resolved. ${NO_DEFAULT}`, { canonical: `${L}.dns.srvEnabled`, toCanonical: (v) => v !== '0' }),
    p(`SIP${n} Long Contact`, FLAG, '0', '9.12', `Enable Long Contact ${ADVANCED(n)}`, 'More Contact parameters per RFC 3840.'),
    p(`SIP${n} Strict Proxy`, FLAG, '1', '9.12', `Enable Strict Proxy ${ADVANCED(n)}`, 'Send replies to the source address of the request, not the Via address (screenshot: checked).'),
    p(`SIP${n} Uri Escaped`, FLAG, '1', '9.12', `Convert URI ${ADVANCED(n)}`, 'Percent-encode characters other than digits and letters (screenshot: checked).'),
    p(`SIP${n} Quota Name`, FLAG, '0', '9.12', `Use Quote in Display Name ${ADVANCED(n)}`, 'Quote the display name ("Fanvil" vs Fanvil). The key keeps Fanvil\'s spelling "Quota".'),
    p(`SIP${n} Enable GRUU`, FLAG, '0', '9.12', `Enable GRUU ${ADVANCED(n)}`, 'Support Globally Routable UA URIs (RFC 5627).'),
    p(`SIP${n} Syn Clock Time`, FLAG, '0', '9.12', `Sync Clock Time ${ADVANCED(n)}`, 'Take the time from the server (Date header); SIP time outranks SNTP (9.20).'),
    p(`SIP${n} Inactive Hold`, FLAG, '0', '9.12', `Enable Use Inactive Hold ${ADVANCED(n)}`, 'Hold with a=inactive instead of a=sendonly (RFC 3264 §8.4; screenshot only).', { canonical: `${X}.inactiveHold` }),
    p(`SIP${n} Caller Id Type`, choice({ 0: 'FROM', 1: 'PAI', 2: 'PAI-FROM', 3: 'RPID-FROM', 4: 'PAI-RPID-FROM' }), '4', '9.12', `Caller ID Header ${ADVANCED(n)}`, `Header the caller ID is taken from, in order of preference. ${NO_DEFAULT}`),
    p(`SIP${n} Respond 182`, FLAG, '0', '9.12', `Use 182 Response for Call waiting ${ADVANCED(n)}`, 'Answer a waiting call with 182 Queued.', { canonical: `${X}.respond182` }),
    p(`SIP${n} Single Codec`, FLAG, '0', '9.12', `Response Single Codec ${ADVANCED(n)}`, 'Answer an offer with one codec only.'),
    p(`SIP${n} BLF Server`, HOST, '', '9.12', `BLF Server ${ADVANCED(n)}`, 'Separate server for BLF subscriptions; empty = the registrar.', { canonical: `${L}.presence.host` }),
    p(`SIP${n} Feature Sync`, FLAG, '0', '9.12', `Enable Feature Sync ${ADVANCED(n)}`, 'Synchronise DND and forward with the server.', { canonical: `${L}.fwdDndSync` }),
    p(`SIP${n} Enable SCA`, FLAG, '0', '9.12', `Enable SCA ${ADVANCED(n)}`, 'Shared Call Appearance.', { canonical: `${L}.sharedCall` }),
    p(`SIP${n} CallPark Num`, DIAL_STRING, '', '9.12', `CallPark Number ${ADVANCED(n)}`, 'Call park number.'),
    p(`SIP${n} Update Reg Expire`, FLAG, '1', '9.12', `Server Expire ${ADVANCED(n)}`, 'Use the expiry the server grants (200 OK Contact/Expires) for the refresh (screenshot: checked; no description in Table 15).'),
    p(`SIP${n} TLS Version`, choice({ 0: 'TLS 1.0', 1: 'TLS 1.1', 2: 'TLS 1.2' }), '2', '9.12', `TLS Version ${ADVANCED(n)}`, `TLS version for SIP over TLS. ${NO_DEFAULT}`),
    p(`SIP${n} CSTA Number`, DIAL_STRING, '', '9.12', `uaCSTA Number ${ADVANCED(n)}`, 'uaCSTA number (screenshot only).'),
    p(`SIP${n} Click to Talk`, FLAG, '0', '9.12', `Enable Click To Talk ${ADVANCED(n)}`, 'Click-to-talk (screenshot only).'),
    p(`SIP${n} Enable ChgPort`, FLAG, '0', '9.12', `Enable ChangePort ${ADVANCED(n)}`, 'Change the local port on re-registration (screenshot only).'),
    p(`SIP${n} Intercom Num`, DIAL_STRING, '', '9.12', `Intercom Number ${ADVANCED(n)}`, 'Prefix/number the server uses for intercom calls (screenshot only).'),
    p(`SIP${n} Enable MAC Header`, FLAG, '0', '9.12', `Enable MAC Header ${ADVANCED(n)}`, 'Add the MAC address in a SIP header (screenshot only: unchecked).'),
    p(`SIP${n} Unregister On Boot`, FLAG, '0', '9.12', `Unregister On Boot ${ADVANCED(n)}`, 'Remove all bindings (Expires: 0) before the first registration (screenshot only: unchecked).', { canonical: `${L}.registration.unregisterOnBoot` }),
  ];
};

/** 9.12 Advanced Settings feature codes (Table 15 + Picture 25). */
function featureCodes(n: number, X: string): Draft[] {
  const codes: ReadonlyArray<readonly [string, string, string]> = [
    ['DNDOn SvcCode', 'Enable DND', 'dndOn'],
    ['DNDOff SvcCode', 'Disable DND', 'dndOff'],
    ['CFUOn SvcCode', 'Enable Call Forward Unconditional', 'alwaysForwardOn'],
    ['CFUOff SvcCode', 'Disable Call Forward Unconditional', 'alwaysForwardOff'],
    ['CFBOn SvcCode', 'Enable Call Forward on Busy', 'busyForwardOn'],
    ['CFBOff SvcCode', 'Disable Call Forward on Busy', 'busyForwardOff'],
    ['CFNOn SvcCode', 'Enable Call Forward on No Answer', 'noAnswerForwardOn'],
    ['CFNOff SvcCode', 'Disable Call Forward on No Answer', 'noAnswerForwardOff'],
    ['ANCOn SvcCode', 'Enable Blocking Anonymous Call', 'blockAnonymousOn'],
    ['ANCOff SvcCode', 'Disable Blocking Anonymous Call', 'blockAnonymousOff'],
    ['CW On Code', 'Call Waiting On Code', 'callWaitingOn'],
    ['CW Off Code', 'Call Waiting Off Code', 'callWaitingOff'],
    ['Send ANOn Code', 'Send Anonymous On Code', 'sendAnonymousOn'],
    ['Send ANOffCode', 'Send Anonymous Off Code', 'sendAnonymousOff'],
  ];
  return codes.map(([key, field, path]) =>
    p(`SIP${n} ${key}`, DTMF_CODE, '', '9.12', `${field} ${ADVANCED(n)}`, `Feature code dialled to the server for "${field}" when Use Feature Code is on.`, { canonical: `${X}.featureCodes.${path}` }),
  );
}

const GLOBAL_SETTINGS = '[9.12 Line >> SIP >> SIP Global Settings]';
const STUN = '[9.14 Line >> Basic Settings >> STUN Settings]';
const P2P = '[9.14 Line >> Basic Settings >> SIP P2P Settings]';

/** SIP module globals: 9.12 SIP Global Settings (screenshot only) and 9.14 STUN. */
const sipGlobals: Draft[] = [
  p('SIP Port', PORT, '5060', '9.12', `Local SIP Port ${GLOBAL_SETTINGS}`, `Local SIP port of the device (Fanvil exports spell the key "SIP  Port"; the parser folds inner spaces). ${NO_DEFAULT}`),
  p('STUN Server', HOST, '', '9.14', `Server Address ${STUN}`, 'STUN server.', { canonical: 'stun.host' }),
  p('STUN Port', PORT, '3478', '9.14', `Server Port ${STUN}`, 'STUN server port (9.14: default 3478).', { canonical: 'stun.port' }),
  p('STUN Refresh Time', int(10, 3600, 's'), '50', '9.14', `Binding Period ${STUN}`, `STUN binding period that keeps the NAT pinhole open. ${NO_DEFAULT}`),
  p('SIP Wait Stun Time', int(0, 10000, 'ms'), '800', '9.14', `SIP Waiting Time ${STUN}`, `Time allowed for the STUN binding before SIP messages are sent. ${NO_DEFAULT}`),
  p('Reg Fail Interval', int(1, 3600, 's'), '32', '9.12', `Registration Failure Retry Time ${GLOBAL_SETTINGS}`, `Wait before a failed registration is retried (screenshot only). ${NO_DEFAULT}`),
  p('Strict BranchPrefix', FLAG, '0', '9.12', `Strict Branch ${GLOBAL_SETTINGS}`, 'Require the z9hG4bK branch prefix of RFC 3261 in received requests (screenshot: unchecked).'),
  p('Enable Group Backup', FLAG, '0', '9.12', `Enable Group ${GLOBAL_SETTINGS}`, 'Fail over all lines together (screenshot: unchecked).'),
  p('Enable RFC4475', FLAG, '1', '9.12', `Enable RFC4475 ${GLOBAL_SETTINGS}`, 'Tolerate the RFC 4475 torture-test message forms (screenshot: checked).'),
  p('Strict UA Match', FLAG, '0', '9.12', `Enable Strict UA Match ${GLOBAL_SETTINGS}`, 'Accept requests only when the Request-URI user matches a line (screenshot: unchecked).'),
  p('Strict Tag Match', FLAG, '1', '9.12', `Strict Tag Match ${GLOBAL_SETTINGS}`, 'Match dialogs by To/From tags strictly (screenshot: checked).'),
];

/** 9.14 SIP P2P Settings: calls straight to an IP address (no server). */
const p2pRows: Draft[] = [
  p('SIP P2P Enable Auto Answer', FLAG, '1', '7.4, 9.14', `Enable Auto Answering ${P2P}`, `Answer IP (P2P) calls automatically after the delay. ${NO_DEFAULT} The emulator follows 7.4 (auto answer on by default for SIP lines).`, { canonical: 'intercom.p2p.autoAnswer.enabled' }),
  p('SIP P2P Auto Answer Delay', int(0, 120, 's'), '0', '7.4, 9.14', `Auto Answering Delay ${P2P}`, `Ring time before an IP call is answered, 0–120 s (7.4). ${NO_DEFAULT}`, { canonical: 'intercom.p2p.autoAnswer.delayS' }),
  p('SIP P2P Dtmf Mode', DTMF_MODE, '3', '9.14', `DTMF Type ${P2P}`, `DTMF method of IP calls. ${NO_DEFAULT}`, { canonical: 'intercom.p2p.dtmfMode', toCanonical: toDtmfMode }),
  p('SIP P2P Sip Info Dtmf Mode', DTMF_INFO_MODE, '1', '9.14', `DTMF SIP INFO Mode ${P2P}`, `How * and # are sent in SIP INFO on IP calls. ${NO_DEFAULT}`, { canonical: 'intercom.p2p.dtmfInfoMode', toCanonical: toDtmfInfoMode }),
];

/** 8.3 / 9.13 SIP hotspot (the A12 is a client only). */
const HOTSPOT = '[8.3 Line >> SIP Hotspot]';
const hotspotRows: Draft[] = [
  p('Enable Hotspot', FLAG, '0', '8.3', `Enable Hotspot ${HOTSPOT}`, 'Join a SIP hotspot: calls to the hotspot server ring here too, and calls go out with its account.', { canonical: 'intercom.hotspot.enabled' }),
  p('Mode', choice({ 1: 'Client' }), '1', '8.3', `Mode ${HOTSPOT}`, 'The A12 can only be a hotspot client (Table 8). Extensions: server 0, clients from 1 upward.'),
  p('Listen Type', choice({ 0: 'Broadcast', 1: 'Multicast' }), '0', '8.3', `Monitor Type ${HOTSPOT}`, `Discovery by broadcast or multicast; must match the hotspot server. ${NO_DEFAULT}`, { canonical: 'intercom.hotspot.monitorType', toCanonical: mapValue({ 0: 'broadcast', 1: 'multicast' }, 'broadcast') }),
  p('Listen IP', MCAST_IPV4, '224.0.2.0', '8.3', `Monitor Address ${HOTSPOT}`, `Multicast address when the type is multicast; broadcast uses the WAN broadcast address. ${NO_DEFAULT}`, { canonical: 'intercom.hotspot.monitorAddress' }),
  p('Listen Port', PORT, '16360', '8.3', `Remote Port ${HOTSPOT}`, `Hotspot communication port; must match the server. ${NO_DEFAULT}`, { canonical: 'intercom.hotspot.remotePort' }),
  p('Own Name', text(32, { unicode: true }), 'SIP Hotspot', '8.3', `Name ${HOTSPOT}`, `Hotspot name that tells hotspots on one network apart. ${NO_DEFAULT}`, { canonical: 'intercom.hotspot.name' }),
];

const hotspotLines: Draft[] = perLine((n, i) => [
  p(`HS${n} Enable`, FLAG, '1', '8.3', `Line Settings SIP${n} ${HOTSPOT}`, `Use SIP${n} for the hotspot. ${NO_DEFAULT}`, { canonical: `intercom.lines.${i}.hotspot` }),
]);

export const lineParams: readonly A12Param[] = [
  ...mod(SIP, undefined, sipGlobals),
  ...mod(SIP, LINE_LIST, perLine(lineRows)),
  ...mod(SIP, P2P_LIST, p2pRows),
  ...mod('SIP Hotspot MODULE', undefined, hotspotRows),
  ...mod('SIP Hotspot MODULE', '--Line Conf List--', hotspotLines),
];
