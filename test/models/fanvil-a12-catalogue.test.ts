// The Fanvil A12 catalogue against the manual: every configurable item of
// ../shared/catalog/fanvil-a12-features.tsv maps to catalogue rows (explicit table below) or is
// excluded with its reason; every default validates; per-line rows exist for both lines;
// representative value rules; the canonical settings built from the catalogue; the generated
// parameter document is current.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DeviceSettings } from '../../src/settings/canonical.js';
import { buildDeviceSettings } from '../../src/settings/build-canonical.js';
import { defaultIntercomSettings } from '../../src/settings/canonical-intercom.js';
import {
  FANVIL_A12_CLEARABLE,
  FANVIL_A12_MODULES,
  fanvilA12Catalogue,
  fanvilA12CatalogueSpec,
  fanvilA12ModuleOf,
  fanvilA12Param,
  fanvilA12Params,
} from '../../firmware-sim/models/fanvil-a12/catalogue.js';
import { A12_CALL_BUTTONS, A12_INPUTS, A12_LINES, A12_MCAST_GROUPS, A12_OUTPUTS } from '../../firmware-sim/models/fanvil-a12/catalogue-helpers.js';
import { DOC_PATH, renderFanvilA12Doc } from '../../scripts/gen-fanvil-doc.js';
import { sharedPath } from '../helpers/shared-dir.js';

type A12Settings = DeviceSettings;

const SHAPE = { lineCount: A12_LINES, buttonCount: 0 };

function build(values: Readonly<Record<string, string>> = {}): A12Settings {
  return buildDeviceSettings(fanvilA12Catalogue, SHAPE, (n) => values[n] ?? fanvilA12Catalogue.defaultOf(n)!) as A12Settings;
}

function valid(name: string, value: string): boolean {
  return fanvilA12Catalogue.validate(name, value).ok;
}

interface TsvRow {
  readonly page: string;
  readonly section: string;
  readonly item: string;
}

function readTsv(): TsvRow[] {
  const text = readFileSync(sharedPath('catalog', 'fanvil-a12-features.tsv'), 'utf8');
  const [header, ...rows] = text.split('\n').filter((l) => l !== '');
  expect(header!.split('\t')).toEqual(['page', 'section', 'item', 'values_range_default', 'summary']);
  return rows.map((l) => {
    const [page, section, item] = l.split('\t');
    return { page: page!, section: section!, item: item! };
  });
}

/** A row that is not a setting, with the reason. */
interface Excluded {
  readonly excluded: string;
}

const READ_ONLY: Excluded = { excluded: 'read-only status shown on the page, not a setting' };
const ACTION: Excluded = { excluded: 'a button / action on the page, not a stored setting' };
const UPLOAD: Excluded = { excluded: 'a file upload (certificates, firmware, ring files), kept as files, not a setting' };

const A12_COVERAGE: Readonly<Record<string, readonly string[] | Excluded>> = {
  '6.4|Web access URL': { excluded: 'how to reach the web pages (http://<device IP>/); the port is Web Port' },
  '6.4|Default web username/password': ['Account1 Name', 'Account1 Password'],
  '6.5|SIP lines': ['SIP1 Enable Reg', 'SIP2 Enable Reg'],
  '6.6|Hands-free volume': ['HandFree Vol'],
  '6.6|Hands-free microphone gain': ['HandFree Mic Vol'],
  '7.1|Call Button as hot key (speed dial)': ['Fkey1 Type', 'Fkey1 Value'],
  '7.4|Auto answer (SIP line)': ['SIP1 Auto Answer', 'SIP1 NoAnswerTime'],
  '7.4|Auto answer (SIP P2P / IP calls)': ['SIP P2P Enable Auto Answer', 'SIP P2P Auto Answer Delay'],
  '7.5|Call waiting': ['P1 CallWaiting'],
  '7.5|Call waiting tone': ['P1 CWaiting Tone'],
  '8.1|Enable Intercom': ['P1 Enable Intercom'],
  '8.1|Enable Intercom Barge': ['P1 Intercom Barge'],
  '8.1|Enable Intercom Mute': ['P1 Intercom Mute'],
  '8.1|Enable Intercom Ringing': ['P1 Intercom Tone'],
  '8.2|Enable Auto Mcast': ['Enable Auto Mcast'],
  '8.2|Auto Mcast Timeout Delete Time': ['Auto Exit Expires'],
  '8.2|SIP Priority': ['Priority'],
  '8.2|Intercom Priority': ['Intercom Priority'],
  '8.2|Enable Page Priority': ['Enable Priority'],
  '8.2|Enable Mcast Tone': ['Multicast Tone'],
  '8.2|Listening entry Name': ['MCAST1 Name'],
  '8.2|Listening entry Host:port': ['MCAST1 Host', 'MCAST1 Port'],
  '8.3|Enable Hotspot': ['Enable Hotspot'],
  '8.3|Mode': ['Mode'],
  '8.3|Monitor Type': ['Listen Type'],
  '8.3|Monitor Address': ['Listen IP'],
  '8.3|Remote Port': ['Listen Port'],
  '8.3|Name': ['Own Name'],
  '8.3|Line Settings': ['HS1 Enable', 'HS2 Enable'],
  '8.3|Hotspot extensions': { excluded: 'extension numbering of the hotspot (server 0, clients from 1), behaviour, not a setting' },
  '9.1|Login lockout': { excluded: 'fixed behaviour (3 wrong passwords lock the login for 5 minutes), not configurable' },
  '9.2|Model': READ_ONLY,
  '9.2|Hardware Version': READ_ONLY,
  '9.2|Software Version': READ_ONLY,
  '9.2|Uptime': READ_ONLY,
  '9.2|Last uptime': READ_ONLY,
  '9.2|MEMInfo': READ_ONLY,
  '9.2|System Time': READ_ONLY,
  '9.2|Network Mode': READ_ONLY,
  '9.2|MAC Address': READ_ONLY,
  '9.2|IP': READ_ONLY,
  '9.2|Subnet Mask': READ_ONLY,
  '9.2|Default Gateway': READ_ONLY,
  '9.2|SIP User': READ_ONLY,
  '9.2|SIP account status': READ_ONLY,
  '9.3|Change password': ['Account1 Password'],
  '9.3|Add/delete users, permissions': ['Account2 Name', 'Account2 Password', 'Account2 Level'],
  '9.4|Export Configurations': { excluded: 'action: writes this catalogue as a file (serializeFanvilConfig)' },
  '9.4|Import Configurations': { excluded: 'action: reads a file (parseFanvilConfig), then restarts' },
  '9.4|Clear Configurations': { excluded: 'action: resets the modules of FANVIL_A12_CLEARABLE to factory values' },
  '9.4|Clear Tables': ACTION,
  '9.4|Reset Phone': ACTION,
  '9.5|Web firmware upgrade': UPLOAD,
  '9.5|Ringtone upgrade': UPLOAD,
  '9.5|Enable Auto Upgrade': ['Enable Auto Upgrade'],
  '9.5|Upgrade Server Address1': ['Upgrade Server 1'],
  '9.5|Upgrade Server Address2': ['Upgrade Server 2'],
  '9.5|Update Interval': ['Auto Upgrade Interval'],
  '9.5|Current Software Version': READ_ONLY,
  '9.5|Server Firmware Version': READ_ONLY,
  '9.5|[Upgrade] button': ACTION,
  '9.5|New version description information': READ_ONLY,
  '9.5|Version file vendor_model_hw10.txt': { excluded: 'a file format on the upgrade server, read by parseFirmwareDescriptor (fanvil-cfg.ts)' },
  '9.6|Provisioning method priority': { excluded: 'fixed behaviour (PnP > DHCP > TR069 > static), not configurable' },
  '9.6|Transfer protocols': { excluded: 'the protocols Protocol Type offers (Flash Protocol), not a setting of its own' },
  '9.6|Current Configuration Version': READ_ONLY,
  '9.6|General Configuration Version': READ_ONLY,
  '9.6|CPE Serial Number': READ_ONLY,
  '9.6|Authentication Name': ['Default Username'],
  '9.6|Authentication Password': ['Default Password'],
  '9.6|Configuration File Encryption Key': ['Device Cfg File Key'],
  '9.6|General Configuration File Encryption Key': ['Common Cfg File Key'],
  '9.6|Download Fail Check Times': ['Check FailTimes'],
  '9.6|Enable Get Digest From Server': ['Auto Server Digest'],
  '9.6|DHCP Option Value': ['DHCP Option'],
  '9.6|Custom Option Value': ['DHCP Option'],
  '9.6|Enable DHCP Option 120': ['Dhcp Option 120'],
  '9.6|Enable SIP PnP': ['PNP Enable'],
  '9.6|PnP Server Address': ['PNP IP'],
  '9.6|PnP Server Port': ['PNP Port'],
  '9.6|PnP Transport Protocol': ['PNP Transport'],
  '9.6|PnP Update Interval': ['PNP Interval'],
  '9.6|Static Server Address': ['Flash Server IP'],
  '9.6|Configuration File Name': ['Input Cfg File Name'],
  '9.6|Protocol Type': ['Flash Protocol'],
  '9.6|Static Update Interval': ['Flash Interval'],
  '9.6|Update Mode': ['Flash Mode'],
  '9.6|Enable TR069': ['Enable TR069'],
  '9.6|Enable TR069 Warning Tone': ['TR069 Tone'],
  '9.6|ACS Server Type': ['ACS Server Type'],
  '9.6|ACS Server URL': ['ACS URL'],
  '9.6|ACS User': ['ACS UserName'],
  '9.6|ACS Password': ['ACS Password'],
  '9.6|TR069 STUN server address': ['STUN Server Addr'],
  '9.6|Enable the STUN': ['STUN Enable'],
  '9.6|TR069 TLS Version': ['TLS Version'],
  '9.7|Syslog': ['Enable Syslog', 'Syslog Server', 'Syslog Server Port'],
  '10.4|Network Packets Capture': ACTION,
  '10.2|Reboot': ACTION,
  '9.8|Status: IP': READ_ONLY,
  '9.8|Status: Subnet mask': READ_ONLY,
  '9.8|Status: Default gateway': READ_ONLY,
  '9.8|Status: MAC': READ_ONLY,
  '9.8|Status: MAC Time stamp': READ_ONLY,
  '9.8|Network mode': ['Enable DHCP', 'Enable PPPoE'],
  '9.8|Static IP address / Subnet mask / Default gateway': ['WAN IP', 'WAN Subnet Mask', 'WAN Gateway'],
  '9.8|PPPoE account / password': ['PPPoE User', 'PPPoE Password'],
  '9.8|DNS Server Configured by': ['DHCP Auto DNS'],
  '9.8|Primary DNS Server': ['Primary DNS'],
  '9.8|Secondary DNS Server': ['Secondary DNS'],
  '9.9|Web server type': ['Web Server Type'],
  '9.9|Web login timeout': ['Logon Timeout'],
  '9.9|Web page automatic login': ['Web Auto Login'],
  '9.9|HTTP port': ['Web Port'],
  '9.9|HTTPS port': ['Https Web Port'],
  '9.9|RTP port start range': ['RTP Initial Port'],
  '9.9|RTP port quantity': ['RTP Port Quantity'],
  '9.10|Enable VPN': ['Enable VPN'],
  '9.10|VPN Mode': ['VPN mode'],
  '9.10|L2TP server address / Authentication Username / Password': ['L2TP Server Address', 'L2TP User Name', 'L2TP Password'],
  '9.10|OpenVPN files': UPLOAD,
  '9.10|VPN status / VPN IP Address': READ_ONLY,
  '9.11|Enable LLDP': ['LLDP Transmit'],
  '9.11|LLDP Packet Interval': ['LLDP Refresh Time'],
  '9.11|Enable Learning Function': ['LLDP Learn Policy'],
  '9.11|Enable CDP': ['CDP Enable'],
  '9.11|CDP Packet Interval': ['CDP Refresh Time'],
  '9.11|QoS (Enable DSCP / Pattern)': ['Enable diffServ'],
  '9.11|Audio DSCP / Signal DSCP / Video DSCP': ['Voice DSCP', 'Signalling DSCP', 'Video DSCP'],
  '9.11|DHCP VLAN Option Value': ['DHCP Option Vlan'],
  '9.11|ARP Cache Life': ['ARP Cache Life'],
  '9.11|WAN port VLAN': ['Enable VLAN', 'VLAN ID', 'Voice Priority', 'Signalling Priority'],
  '9.11|LAN port VLAN': ['Enable PVID', 'PVID Value', 'LAN Port Priority'],
  '9.11|802.1X': ['Xsup Mode', 'Xsup User', 'Xsup Password'],
  '9.12|Line Status': READ_ONLY,
  '9.12|Activate': ['SIP1 Enable Reg'],
  '9.12|Username': ['SIP1 Phone Number'],
  '9.12|Display Name': ['SIP1 Display Name'],
  '9.12|Authentication User': ['SIP1 Register User'],
  '9.12|Authentication Password': ['SIP1 Register Pswd'],
  '9.12|Realm': ['SIP1 Local Domain'],
  '9.12|Server Name': ['SIP1 Sip Name'],
  '9.12|SIP Server 1/2 Server Address': ['SIP1 Register Addr', 'SIP1 Backup Addr'],
  '9.12|SIP Server 1/2 Server Port': ['SIP1 Register Port', 'SIP1 Backup Port'],
  '9.12|SIP Server 1/2 Transport Protocol': ['SIP1 Transport', 'SIP1 Backup Transport'],
  '9.12|SIP Server 1/2 Registration Expiration': ['SIP1 Register TTL', 'SIP1 Backup TTL'],
  '9.12|Proxy Server Address': ['SIP1 Proxy Addr'],
  '9.12|Proxy Server Port': ['SIP1 Proxy Port'],
  '9.12|Proxy User': ['SIP1 Proxy User'],
  '9.12|Proxy Password': ['SIP1 Proxy Pswd'],
  '9.12|Backup Proxy Server Address': ['SIP1 BakProxy Addr'],
  '9.12|Backup Proxy Server Port': ['SIP1 BakProxy Port'],
  '9.12|Enable Auto Answering': ['SIP1 Auto Answer'],
  '9.12|Auto Answering Delay': ['SIP1 NoAnswerTime'],
  '9.12|Call Forward Unconditional': ['SIP1 Always FWD'],
  '9.12|Call Forward Number for Unconditional': ['SIP1 Always FWD Num'],
  '9.12|Call Forward on Busy': ['SIP1 Busy FWD'],
  '9.12|Call Forward Number for Busy': ['SIP1 Busy FWD Num'],
  '9.12|Call Forward on No Answer': ['SIP1 No Answer FWD'],
  '9.12|Call Forward Number for No Answer': ['SIP1 NoAnswer FWD Num'],
  '9.12|Call Forward Delay for No Answer': ['SIP1 FWD Timer'],
  '9.12|Transfer Timeout': ['SIP1 XFER Expire'],
  '9.12|Conference Type': ['SIP1 Use SRV Mixer'],
  '9.12|Server Conference Number': ['SIP1 SRV Mixer Uri'],
  '9.12|Subscribe For Voice Message': ['SIP1 Subscribe'],
  '9.12|Voice Message Number': ['SIP1 MWI Num'],
  '9.12|Voice Message Subscribe Period': ['SIP1 Sub Expire'],
  '9.12|Enable Hotline': ['SIP1 Enable Hotline'],
  '9.12|Hotline Delay': ['SIP1 WarmLine Time'],
  '9.12|Hotline Number': ['SIP1 Hotline Num'],
  '9.12|Dial Without Registered': ['SIP1 Dial Off Line'],
  '9.12|Enable Missed Call Log': ['SIP1 MissedCallLog'],
  '9.12|DTMF Type': ['SIP1 DTMF Mode'],
  '9.12|DTMF SIP INFO Mode': ['SIP1 DTMF Info Mode'],
  '9.12|Enable DND': ['SIP1 Enable DND'],
  '9.12|Use VPN': ['SIP1 Use VPN'],
  '9.12|Use STUN': ['SIP1 Use Stun'],
  '9.12|Request With Port': ['SIP1 Req With Port'],
  '9.12|Signal Failback / Enable Failback / Failback Interval': ['SIP1 Signal Failback', 'SIP1 Enable Failback', 'SIP1 Failback Interval'],
  '9.12|Signal Retry Counts': ['SIP1 Signal Retry Counts'],
  '9.12|Codecs Settings': ['SIP1 VoiceCodecMap'],
  '9.12|Use Feature Code': ['SIP1 SvcCode Mode'],
  '9.12|Feature codes (DND, CFU, CFB, CFNA, Anonymous Call Block, Call Waiting, Send Anonymous on/off)': [
    'SIP1 DNDOn SvcCode',
    'SIP1 DNDOff SvcCode',
    'SIP1 CFUOn SvcCode',
    'SIP1 CFUOff SvcCode',
    'SIP1 CFBOn SvcCode',
    'SIP1 CFBOff SvcCode',
    'SIP1 CFNOn SvcCode',
    'SIP1 CFNOff SvcCode',
    'SIP1 ANCOn SvcCode',
    'SIP1 ANCOff SvcCode',
    'SIP1 CW On Code',
    'SIP1 CW Off Code',
    'SIP1 Send ANOn Code',
    'SIP1 Send ANOffCode',
  ],
  '9.12|SIP Encryption / SIP Encryption Key': ['SIP1 Signal Crypto', 'SIP1 SigCrypto Key'],
  '9.12|RTP Encryption / RTP Encryption Key (SRTP)': ['SIP1 Media Crypto', 'SIP1 MedCrypto Key'],
  '9.12|Enable Session Timer': ['SIP1 Session Timer'],
  '9.12|Session Timeout': ['SIP1 S Timer Expires'],
  '9.12|Enable BLF List': ['SIP1 Enable BLFList'],
  '9.12|BLF List Number': ['SIP1 BLFList Uri'],
  '9.12|Keep Alive Type': ['SIP1 NAT UDPUpdate'],
  '9.12|Keep Alive Interval': ['SIP1 UDPUpdate TTL'],
  '9.12|Keep Authentication': ['SIP1 Keep AUTH'],
  '9.12|Blocking Anonymous Call': ['SIP1 Ban Anonymous'],
  '9.12|User Agent': ['SIP1 User Agent'],
  '9.12|Specific Server Type': ['SIP1 Server Type'],
  '9.12|SIP Version': ['SIP1 RFC Ver'],
  '9.12|Anonymous Call Standard': ['SIP1 CLIR'],
  '9.12|Local Port': ['SIP1 Signal Port'],
  '9.12|Ring Type': ['SIP1 Ring Type'],
  '9.12|Enable user=phone': ['SIP1 User Is Phone'],
  '9.12|Use Tel Call': ['SIP1 Use Tel Call'],
  '9.12|Auto TCP': ['SIP1 Auto TCP'],
  '9.12|Transport Protocol (advanced)': ['SIP1 Transport'],
  '9.12|Enable Rport': ['SIP1 Enable Rport'],
  '9.12|Enable PRACK': ['SIP1 PRACK'],
  '9.12|DNS Mode': ['SIP1 DNS Mode'],
  '9.12|Enable Long Contact': ['SIP1 Long Contact'],
  '9.12|Enable Strict Proxy': ['SIP1 Strict Proxy'],
  '9.12|Convert URI': ['SIP1 Uri Escaped'],
  '9.12|Use Quote in Display Name': ['SIP1 Quota Name'],
  '9.12|Enable GRUU': ['SIP1 Enable GRUU'],
  '9.12|Sync Clock Time': ['SIP1 Syn Clock Time'],
  '9.12|Enable Use Inactive Hold': ['SIP1 Inactive Hold'],
  '9.12|Caller ID Header': ['SIP1 Caller Id Type'],
  '9.12|Use 182 Response for Call waiting': ['SIP1 Respond 182'],
  '9.12|Response Single Codec': ['SIP1 Single Codec'],
  '9.12|BLF Server': ['SIP1 BLF Server'],
  '9.12|Enable Feature Sync': ['SIP1 Feature Sync'],
  '9.12|Enable SCA': ['SIP1 Enable SCA'],
  '9.12|CallPark Number': ['SIP1 CallPark Num'],
  '9.12|Server Expire': ['SIP1 Update Reg Expire'],
  '9.12|TLS Version': ['SIP1 TLS Version'],
  '9.12|uaCSTA Number / Enable Click To Talk / Enable ChangePort / Intercom Number / Enable MAC Header / Unregister On Boot': [
    'SIP1 CSTA Number',
    'SIP1 Click to Talk',
    'SIP1 Enable ChgPort',
    'SIP1 Intercom Num',
    'SIP1 Enable MAC Header',
    'SIP1 Unregister On Boot',
  ],
  '9.12|SIP Global: Strict Branch / Enable Group / Enable RFC4475 (checked) / Enable Strict UA Match / Registration Failure Retry Time / Local SIP Port / Strict Tag Match (checked)': [
    'Strict BranchPrefix',
    'Enable Group Backup',
    'Enable RFC4475',
    'Strict UA Match',
    'Reg Fail Interval',
    'SIP Port',
    'Strict Tag Match',
  ],
  '9.14|STUN Server Address': ['STUN Server'],
  '9.14|STUN Server Port': ['STUN Port'],
  '9.14|STUN Binding Period': ['STUN Refresh Time'],
  '9.14|SIP Waiting Time': ['SIP Wait Stun Time'],
  '9.14|SIP P2P Enable Auto Answering': ['SIP P2P Enable Auto Answer'],
  '9.14|SIP P2P Auto Answering Delay': ['SIP P2P Auto Answer Delay'],
  '9.14|SIP P2P DTMF Type': ['SIP P2P Dtmf Mode'],
  '9.14|SIP P2P DTMF SIP INFO Mode': ['SIP P2P Sip Info Dtmf Mode'],
  '9.15|Enable Call Waiting': ['P1 CallWaiting'],
  '9.15|Enable Auto Handdown': ['P1 Auto Onhook'],
  '9.15|Auto Handdown Time': ['P1 Auto Onhook Time'],
  '9.15|Enable Silent Mode': ['P1 Mute Ringing'],
  '9.15|Disable Mute for Ring': ['P1 Mute For Ring'],
  '9.15|Ban Outgoing': ['P1 Ban Dial Out'],
  '9.15|Enable Restricted Incoming List': ['P1 Enable Black List'],
  '9.15|Enable Restricted Outgoing List': ['P1 Enable CallBar'],
  '9.15|Enable country Code': ['P1 Enable Country Code'],
  '9.15|Country Code': ['P1 Country Code'],
  '9.15|Area Code': ['P1 Call Area Code'],
  '9.15|Allow IP Call': ['P1 Allow IP Call'],
  '9.15|P2P IP Prefix': ['P1 IP Dial Prefix'],
  '9.15|Restrict Active URI Source IP': ['Active Uri IP'],
  '9.15|Push XML Server': ['Push XML IP'],
  '9.15|Line Display Format': ['Line Display Format'],
  '9.15|Call Number Filter': ['P1 Call Number Filter'],
  '9.15|Auto Resume Current': ['P1 Auto Resume Current'],
  '9.15|Limit Talking Duration': ['P1 Limit Talk Duration'],
  '9.15|Talking Duration': ['P1 Talk Duration'],
  '9.15|No Answer Auto HangUp Timeout': ['P1 Call Timeout'],
  '9.15|Enable Push XML Auth': ['Enable Push XML Auth'],
  '9.15|Enable Holding Tone': ['P1 CHolding Tone'],
  '9.15|Enable Call Waiting Tone': ['P1 CWaiting Tone'],
  '9.15|Play Dialing DTMF Tone': ['P1 Dial DTMF Tone'],
  '9.15|Play Talking DTMF Tone': ['P1 Talk DTMF Tone'],
  '9.15|Enable Intercom': ['P1 Enable Intercom'],
  '9.15|Enable Intercom Mute': ['P1 Intercom Mute'],
  '9.15|Enable Intercom Tone': ['P1 Intercom Tone'],
  '9.15|Enable Intercom Barge': ['P1 Intercom Barge'],
  '9.15|Busy Response Code': ['P1 Busy Return Code'],
  '9.15|Reject Response Code': ['P1 Reject Return Code'],
  '9.16|Codecs Settings': ['Audio Codec Sets'],
  '9.16|Default Ring Type': ['Ring Type'],
  '9.16|Speakerphone Volume': ['HandFree Vol'],
  '9.16|Speakerphone Ring Volume': ['HandFree Ring Vol'],
  '9.16|DTMF Payload Type': ['Dtmf Payload Type'],
  '9.16|Opus payload type': ['Opus Payload Type'],
  '9.16|OPUS Sample Rate': ['Opus Sample Rate'],
  '9.16|ILBC Payload Type': ['ILBC Payload Type'],
  '9.16|ILBC Payload Length': ['ILBC Payload Len'],
  '9.16|Enable VAD': ['VAD'],
  '9.16|RTCP CNAME user': ['RTCP CNAME User'],
  '9.16|RTCP CNAME host': ['RTCP CNAME Host'],
  '9.16|RTP keep alive': ['RTP Keep Alive'],
  '9.16|Alert Info Ring: Value 1-10 / ring type': ['Alert1 Text', 'Alert1 Ring Type', 'Alert10 Text', 'Alert10 Ring Type'],
  '9.17|Camera Status': READ_ONLY,
  '9.17|Connect Mode': ['Connect Mode'],
  '9.17|IP Camera Name': ['IPCAM1 Name'],
  '9.17|IP Camera Username': ['IPCAM1 Username'],
  '9.17|IP Camera Password': ['IPCAM1 Password'],
  '9.17|Ip Camera Brand': ['IPCAM1 Brand'],
  '9.17|ETH IP': ['IPCAM1 IP'],
  '9.17|Port': ['IPCAM1 Port'],
  '9.17|UserAgent': ['IPCAM1 UserAgent'],
  '9.17|IP Camera Option / IP Camera List': ['Local IP Cam Index', 'IPCAM1 Name', 'IPCAM4 Name'],
  '9.17|Video Direction': ['Video Negotiate Dir'],
  '9.17|H.264 Payload Type': ['H264 Payload Type'],
  '9.19|Action URL Event Settings': ['Boot Completed Url', 'Reg On Url', 'Incoming Call Url', 'Call Stop Url', 'New Missed Call Url'],
  '9.20|Time Synchronized via SNTP': ['Enable SNTP'],
  '9.20|Time Synchronized via DHCP': ['DHCP Auto Time'],
  '9.20|Primary Time Server': ['SNTP Server'],
  '9.20|Secondary Time Server': ['Second SNTP Server'],
  '9.20|Time zone': ['Time Zone Name'],
  '9.20|Resync Period': ['SNTP Timeout'],
  '9.20|DST Location': ['DST Location'],
  '9.20|DST Set Type': ['DST Type'],
  '9.20|DST Offset': ['DST Min Offset'],
  '9.20|DST Month/Week/Weekday/Hour Start': ['DST Start Mon', 'DST Start Week', 'DST Start Wday', 'DST Start Hour'],
  '9.20|DST Month/Week/Weekday/Hour End': ['DST End Mon', 'DST End Week', 'DST End Wday', 'DST End Hour'],
  '9.20|Manual Time Settings': { excluded: 'action: sets the clock once (SNTP off), nothing is stored' },
  '9.20|System time source': READ_ONLY,
  '9.21|Type': ['Plan1 Type'],
  '9.21|Audio path': ['Plan1 Audio Path'],
  '9.21|Audio settings': ['Plan1 Audio File'],
  '9.21|Repeat cycle': ['Plan1 Repeat'],
  '9.21|Effective time': ['Plan1 Start', 'Plan1 End'],
  '9.22|Tone area': ['Select Your Tone'],
  '9.22|Custom tone definition': ['Dial Tone', 'Ringback Tone', 'Busy Tone', 'Call Waiting Tone'],
  '9.23|Restricted Incoming Calls': ['Restricted Incoming'],
  '9.23|Restrict Outgoing Call': ['Restricted Outgoing'],
  '9.24|Web Dial': { excluded: 'action: call, answer and hang up from the page' },
  '9.25|Programmable Button table': ['Desktop Click', 'Dialer Click', 'Ringing Click', 'Alerting Click', 'Call Click', 'Desktop Long Press'],
  '9.25|Programmable defaults Button1-3': ['Desktop Click', 'Dialer Click', 'Ringing Click', 'Alerting Click', 'Call Click', 'Desktop Long Press'],
  '9.25|Programmable defaults Button4-5': ['Desktop Click', 'Dialer Click', 'Ringing Click', 'Alerting Click', 'Call Click', 'Desktop Long Press'],
  '9.25|Desktop / Dialer action': ['Desktop Click', 'Dialer Click'],
  '9.25|Ringing action': ['Ringing Click'],
  '9.25|Talking action': ['Call Click'],
  '9.25|Desktop Long Pressed action': ['Desktop Long Press'],
  '9.25|Type: memory': ['Fkey1 Type', 'Fkey1 Subtype', 'Fkey1 Value', 'Fkey1 Line'],
  '9.25|Type: Key event': ['Fkey1 Type', 'Fkey1 Subtype'],
  '9.25|Type: DTMF': ['Fkey1 Type', 'Fkey1 Value'],
  '9.25|Type: Mcast Paging': ['Fkey1 Type', 'Fkey1 Value', 'Fkey1 Subtype'],
  '9.25|Type: Action URL': ['Fkey1 Type', 'Fkey1 Value'],
  '9.25|Type: Mcast Listening': ['Fkey1 Type'],
  '9.25|Type: PTT': ['Fkey1 Type', 'Fkey1 Subtype'],
  '9.25|Call Button Settings columns': ['Fkey1 Type', 'Fkey1 Title', 'Fkey1 Value', 'Fkey1 Subtype', 'Fkey1 Line', 'Fkey1 Media'],
  '9.25|Hot Key Dial Mode Select': ['DSS DIAL Switch Mode'],
  '9.25|Call Switched Time': ['First Call Wait Time'],
  '9.25|Day Start Time (First Number Start Time)': ['First Num Start Time'],
  '9.25|Day End Time (First Number End Time)': ['First Num End Time'],
  '9.26|Web Filter Table': ['MMI Filter1 Start IP', 'MMI Filter1 End IP'],
  '9.26|Enable web filtering': ['Enable MMI Filter'],
  '9.27|Trust certificates': UPLOAD,
  '9.28|Device certificate': ['Device Cert Mode'],
  '9.29|Enable Input Rules': ['Enable In Access'],
  '9.29|Enable Output Rules': ['Enable Out Access'],
  '9.29|Rule: Input/Output': ['In Rule1 Action', 'Out Rule1 Action'],
  '9.29|Rule: Deny/Permit': ['In Rule1 Action'],
  '9.29|Rule: Protocol': ['In Rule1 Protocol'],
  '9.29|Rule: Port range / Src Port Range / Dst Port Range': ['In Rule1 Src Port', 'In Rule1 Dst Port'],
  '9.29|Rule: Src Address / Src Mask': ['In Rule1 Src Addr', 'In Rule1 Src Mask'],
  '9.29|Rule: Dst Address / Dst Mask': ['In Rule1 Dst Addr', 'In Rule1 Dst Mask'],
  '9.29|Add / Submit / Delete': ACTION,
  '9.30|Device log': ACTION,
  '9.31|Enable Tamper': ['Enable Tamper'],
  '9.31|Ringtone Duration': ['Ringtone Duration'],
  '9.31|Input & Tamper Server Address': ['Alarm Server Addr'],
  '9.31|Input Detect': ['Input1 Detect'],
  '9.31|Input Triggered by': ['Input1 Trigger Level'],
  '9.31|Input Triggered Action': ['Input1 Send Msg', 'Input1 Msg', 'Input1 Call Button', 'Input1 Ringtone'],
  '9.31|Output Response': ['Output1 Response'],
  '9.31|Triggered by DTMF Ring tone': ['Output1 DTMF Ringtone'],
  '9.31|Triggered by URI Ringtone': ['Output1 URI Ringtone'],
  '9.31|Triggered By SMS Ringtone': ['Output1 SMS Ringtone'],
  '9.31|Triggered By Dsskey Ringtone': ['Output1 DssKey Ringtone'],
  '9.31|Standard Status': ['Output1 Standard Status'],
  '9.31|Output Duration': ['Output1 Duration'],
  '9.31|Trigger by DTMF': ['Output1 DTMF Enable'],
  '9.31|DTMF Trigger Code': ['Output1 DTMF Trigger Code'],
  '9.31|DTMF Reset Code': ['Output1 DTMF Reset Code'],
  '9.31|Reset By': ['Output1 Reset By'],
  '9.31|Trigger by URI': ['Output1 URI Enable'],
  '9.31|Trigger Message': ['Output1 URI Trigger Msg'],
  '9.31|Reset Message (printed "Rest Message")': ['Output1 URI Reset Msg'],
  '9.31|Trigger by SMS': ['Output1 SMS Enable'],
  '9.31|Trigger SMS': ['Output1 SMS Trigger Msg'],
  '9.31|Reset SMS': ['Output1 SMS Reset Msg'],
  '9.31|Trigger by Input': ['Output1 Trigger Input'],
  '9.31|Trigger By Call state': ['Output1 Call State'],
  '9.31|Trigger By DssKey': ['Output1 DssKey'],
  '10.3|Factory reset': ACTION,
};

const TSV = readTsv();
const isHardware = (r: TsvRow): boolean => r.page.startsWith('(device)');

describe('coverage of fanvil-a12-features.tsv', () => {
  it('has the 397 rows the catalog README announces', () => {
    expect(TSV).toHaveLength(397);
  });

  it('every web-page row maps to catalogue rows or is excluded with a reason; hardware rows are not settings', () => {
    const keys = new Set<string>();
    const missing: string[] = [];
    for (const row of TSV) {
      const key = `${row.section}|${row.item}`;
      keys.add(key);
      if (isHardware(row)) {
        expect(A12_COVERAGE[key], `${key} is a hardware row`).toBeUndefined();
        continue;
      }
      if (!(key in A12_COVERAGE)) missing.push(key);
    }
    expect(missing).toEqual([]);
    // No stale entries: every table key is a row of the TSV.
    expect(Object.keys(A12_COVERAGE).filter((k) => !keys.has(k))).toEqual([]);
  });

  it('mapped rows exist, carry the TSV section and a web field', () => {
    for (const [key, cover] of Object.entries(A12_COVERAGE)) {
      if (!Array.isArray(cover)) {
        expect((cover as Excluded).excluded.length, key).toBeGreaterThan(10);
        continue;
      }
      const section = key.slice(0, key.indexOf('|'));
      expect(cover.length, key).toBeGreaterThan(0);
      for (const name of cover as readonly string[]) {
        const row = fanvilA12Param(name);
        expect(row, `${key} → ${name}`).toBeDefined();
        expect(row!.section.split(', '), `${key} → ${name}`).toContain(section);
        expect(row!.webField, name).toMatch(/\[\d+\.\d+ /);
      }
    }
  });

  it('coverage numbers', () => {
    const web = TSV.filter((r) => !isHardware(r));
    const mapped = web.filter((r) => Array.isArray(A12_COVERAGE[`${r.section}|${r.item}`]));
    const excluded = web.length - mapped.length;
    expect([TSV.length - web.length, web.length, mapped.length, excluded]).toEqual([23, 374, 322, 52]);
  });
});

describe('catalogue structure', () => {
  it('is the "Fanvil A12" spec with one global row per concrete name', () => {
    expect(fanvilA12CatalogueSpec.model).toBe('Fanvil A12');
    expect(fanvilA12Catalogue.model).toBe('Fanvil A12');
    expect(fanvilA12Catalogue.names()).toHaveLength(fanvilA12Params.length);
    for (const row of fanvilA12Params) expect(row.scope).toEqual({ kind: 'global' });
  });

  it('every default validates and the defaults pass the cross checks', () => {
    const bad = fanvilA12Catalogue.names().filter((n) => !valid(n, fanvilA12Catalogue.defaultOf(n)!));
    expect(bad).toEqual([]);
    expect(fanvilA12Catalogue.crossCheckProblems((n) => fanvilA12Catalogue.defaultOf(n)!)).toEqual([]);
  });

  it('every row names its module, section, web field and description; modules are all listed, in export order', () => {
    const order = new Map<string, number>(FANVIL_A12_MODULES.map((m, i) => [m, i]));
    let last = -1;
    for (const row of fanvilA12Params) {
      expect(order.has(row.module), `${row.name}: ${row.module}`).toBe(true);
      expect(order.get(row.module)!).toBeGreaterThanOrEqual(last);
      last = order.get(row.module)!;
      expect(fanvilA12ModuleOf(row.name)).toBe(row.module);
      expect(row.section, row.name).toMatch(/^\d+\.\d+(?:, \d+\.\d+)*$/);
      expect(row.webField, row.name).toBeTruthy();
      expect(row.description.length, row.name).toBeGreaterThan(5);
      expect(row.name, 'a name the file format can carry').toMatch(/^[^:#<\s](?:[^:]*[^:\s])?$/);
      expect(row.name).not.toMatch(/\s{2}/);
    }
    expect(new Set(fanvilA12Params.map((r) => r.module))).toEqual(new Set(FANVIL_A12_MODULES));
    for (const modules of Object.values(FANVIL_A12_CLEARABLE)) for (const m of modules) expect(order.has(m)).toBe(true);
  });

  it('passwords and keys are secret', () => {
    const secretish = fanvilA12Params.filter((r) => /(?:Pswd|Password| Key)$/.test(r.name));
    expect(secretish.length).toBeGreaterThan(20);
    for (const row of secretish) expect(row.secret, row.name).toBe(true);
    for (const name of ['Device Cfg File Key', 'Common Cfg File Key', 'SIP1 SigCrypto Key', 'SIP2 MedCrypto Key', 'Account1 Password', 'IPCAM3 Password']) expect(fanvilA12Param(name)!.secret, name).toBe(true);
    expect(fanvilA12Params.filter((r) => r.secret).every((r) => secretish.includes(r))).toBe(true);
  });

  it('per-line rows exist for both lines, the same way', () => {
    const line1 = fanvilA12Params.filter((r) => r.line === 1);
    const line2 = fanvilA12Params.filter((r) => r.line === 2);
    expect(line1.length).toBeGreaterThan(90);
    expect(line2).toHaveLength(line1.length);
    expect(A12_LINES).toBe(2);
    for (const row of line1) {
      const name2 = row.name.replace(/^(SIP|HS)1 /, '$12 ');
      const twin = fanvilA12Param(name2);
      expect(twin, name2).toBeDefined();
      expect(twin!.line).toBe(2);
      expect([twin!.module, twin!.list, twin!.format, twin!.section]).toEqual([row.module, row.list, row.format, row.section]);
      expect(twin!.rule).toEqual(row.rule);
      expect(twin!.canonical).toBe(row.canonical?.replace(/(^|\.)lines\.0\./, '$1lines.1.'));
    }
    expect(fanvilA12Catalogue.has('SIP3 Phone Number')).toBe(false);
  });

  it('repeated items exist in the counts of the manual', () => {
    const count = (re: RegExp): number => fanvilA12Params.filter((r) => re.test(r.name)).length;
    expect(count(/^Fkey\d+ Type$/)).toBe(A12_CALL_BUTTONS);
    expect(count(/^MCAST\d+ Host$/)).toBe(A12_MCAST_GROUPS);
    expect(count(/^Input\d+ Detect$/)).toBe(A12_INPUTS);
    expect(count(/^Output\d+ Duration$/)).toBe(A12_OUTPUTS);
    expect(count(/^In Rule\d+ Action$/)).toBe(10);
    expect(count(/^Out Rule\d+ Action$/)).toBe(10);
    expect(count(/^Alert\d+ Text$/)).toBe(10);
  });
});

describe('value rules', () => {
  it('ranges: auto answer delay 0-120 s, hotline delay 0-9, talk duration 20-600, call switch 5-50', () => {
    for (const v of ['0', '120']) expect(valid('SIP1 NoAnswerTime', v)).toBe(true);
    for (const v of ['-1', '121', '', '1.5', 'ten']) expect(valid('SIP2 NoAnswerTime', v)).toBe(false);
    expect(valid('SIP P2P Auto Answer Delay', '120')).toBe(true);
    expect(valid('SIP P2P Auto Answer Delay', '121')).toBe(false);
    expect(valid('SIP1 WarmLine Time', '9')).toBe(true);
    expect(valid('SIP1 WarmLine Time', '10')).toBe(false);
    expect([valid('P1 Talk Duration', '19'), valid('P1 Talk Duration', '20'), valid('P1 Talk Duration', '600'), valid('P1 Talk Duration', '601')]).toEqual([false, true, true, false]);
    expect([valid('First Call Wait Time', '4'), valid('First Call Wait Time', '5'), valid('First Call Wait Time', '50'), valid('First Call Wait Time', '51')]).toEqual([false, true, true, false]);
  });

  it('DHCP options: 0, 43, 66 or custom 128-254; VLAN option 0 or 128-254', () => {
    for (const v of ['0', '43', '66', '128', '254']) expect(valid('DHCP Option', v), v).toBe(true);
    for (const v of ['1', '42', '67', '127', '255']) expect(valid('DHCP Option', v), v).toBe(false);
    expect([valid('DHCP Option Vlan', '0'), valid('DHCP Option Vlan', '132'), valid('DHCP Option Vlan', '66')]).toEqual([true, true, false]);
  });

  it('multicast: priorities 1-10, group hosts 224-239, ports', () => {
    expect([valid('Priority', '0'), valid('Priority', '1'), valid('Priority', '10'), valid('Intercom Priority', '11')]).toEqual([false, true, true, false]);
    expect(valid('MCAST10 Host', '239.255.255.255')).toBe(true);
    expect(valid('MCAST1 Host', '224.0.0.1')).toBe(true);
    expect(valid('MCAST1 Host', '192.168.1.10')).toBe(false);
    expect(valid('MCAST1 Host', '240.0.0.1')).toBe(false);
    expect(valid('MCAST1 Port', '0')).toBe(true);
    expect(valid('MCAST1 Port', '65536')).toBe(false);
    const problems = fanvilA12Catalogue.crossCheckProblems((n) => (n === 'MCAST3 Host' ? '239.1.1.1' : fanvilA12Catalogue.defaultOf(n)!));
    expect(problems.map((p) => p.names)).toEqual([['MCAST3 Host', 'MCAST3 Port']]);
  });

  it('relays: duration 1-600 s, DTMF codes digits * #', () => {
    expect([valid('Output1 Duration', '0'), valid('Output1 Duration', '1'), valid('Output2 Duration', '600'), valid('Output2 Duration', '601')]).toEqual([false, true, true, false]);
    expect(valid('Output1 DTMF Trigger Code', '*1234#')).toBe(true);
    expect(valid('Output1 DTMF Trigger Code', '12a4')).toBe(false);
    expect(valid('Output1 Trigger Input', '2')).toBe(true);
    expect(valid('Output1 Trigger Input', '3')).toBe(false);
    expect(valid('Input2 Call Button', '5')).toBe(true);
    expect(valid('Input2 Call Button', '6')).toBe(false);
  });

  it('enumerations and switches use the file values 0/1/…, not Y/N', () => {
    expect(valid('SIP1 Auto Answer', '1')).toBe(true);
    expect(valid('SIP1 Auto Answer', 'Y')).toBe(false);
    expect(fanvilA12Param('SIP1 Auto Answer')!.format).toBe('Boolean');
    expect([valid('SIP1 Transport', '2'), valid('SIP1 Transport', '3')]).toEqual([true, false]);
    expect([valid('Fkey1 Type', '2'), valid('Fkey1 Type', '8')]).toEqual([false, true]);
    expect(valid('Line Display Format', '$name@$protocol$instance')).toBe(true);
  });

  it('IP addresses, netmasks, hosts and ports', () => {
    expect(valid('WAN IP', '10.0.0.5')).toBe(true);
    for (const v of ['', '192.168.1.256', '192.168.1', '1.2.3.4.5', ' 1.2.3.4']) expect(valid('WAN IP', v), v).toBe(false);
    expect(valid('Primary DNS', '')).toBe(true);
    expect([valid('WAN Subnet Mask', '255.255.254.0'), valid('WAN Subnet Mask', '255.0.255.0')]).toEqual([true, false]);
    for (const v of ['pbx.example.com', '10.1.1.1', 'pbx:5080', '']) expect(valid('SIP1 Register Addr', v), v).toBe(true);
    for (const v of ['pbx example', 'sip:pbx', 'a/b']) expect(valid('SIP1 Register Addr', v), v).toBe(false);
    expect([valid('SIP1 Register Port', '0'), valid('SIP1 Register Port', '1'), valid('SIP1 Register Port', '65535'), valid('SIP1 Register Port', '65536')]).toEqual([false, true, true, false]);
    expect([valid('RTP Initial Port', '1024'), valid('RTP Initial Port', '1025')]).toEqual([false, true]);
    expect(fanvilA12Catalogue.crossCheckProblems((n) => (n === 'RTP Initial Port' ? '65500' : fanvilA12Catalogue.defaultOf(n)!))).toHaveLength(1);
  });

  it('codec lists, tone cadences, key-action lists, times', () => {
    expect(valid('SIP1 VoiceCodecMap', 'G722,PCMU')).toBe(true);
    for (const v of ['', 'PCMU,XYZ', 'pcmu']) expect(valid('SIP1 VoiceCodecMap', v), v).toBe(false);
    for (const v of ['350+440/0', '440*200/1000,0/3000', '200/0,4000/30000', '']) expect(valid('Dial Tone', v), v).toBe(true);
    for (const v of ['100/200', '4001/10', '440/30001', '440', '1/1,1/1', `${'440/100,'.repeat(8)}0/100`]) expect(valid('Busy Tone', v), v).toBe(false);
    expect(valid('Call Click', 'end;volup;voldown;dss1;dss5;')).toBe(true);
    expect(valid('Call Click', 'end;end;end;end;')).toBe(false);
    expect(valid('Ringing Click', 'accept;end;accept;end;accept')).toBe(true);
    expect([valid('First Num Start Time', '1439'), valid('First Num Start Time', '1440')]).toEqual([true, false]);
    expect([valid('Time Zone Name', 'UTC-3:30'), valid('Time Zone Name', 'UTC+15'), valid('Time Zone Name', 'GMT+1')]).toEqual([true, false, false]);
    expect([valid('Plan1 Start', '2024-08-23 06:00'), valid('Plan1 Start', '2024-13-01 06:00')]).toEqual([true, false]);
  });

  it('call buttons: subtype must go with the type; paging needs a multicast host:port', () => {
    const with_ = (values: Record<string, string>) => fanvilA12Catalogue.crossCheckProblems((n) => values[n] ?? fanvilA12Catalogue.defaultOf(n)!);
    expect(with_({ 'Fkey3 Type': '1', 'Fkey3 Subtype': 'intercom', 'Fkey3 Value': '1002' })).toEqual([]);
    expect(with_({ 'Fkey3 Type': '1', 'Fkey3 Subtype': 'G722' }).map((p) => p.names)).toEqual([['Fkey3 Type', 'Fkey3 Subtype']]);
    expect(with_({ 'Fkey4 Type': '6', 'Fkey4 Subtype': 'G722', 'Fkey4 Value': '239.1.1.1:5000' })).toEqual([]);
    expect(with_({ 'Fkey4 Type': '6', 'Fkey4 Subtype': 'G722', 'Fkey4 Value': '10.0.0.1:5000' }).map((p) => p.names)).toEqual([['Fkey4 Type', 'Fkey4 Value']]);
    expect(with_({ 'Enable PPPoE': '1' }).map((p) => p.names)).toEqual([['Enable DHCP', 'Enable PPPoE']]);
  });
});

describe('canonical settings', () => {
  it('factory values give the neutral line defaults the A12 changes, admin/admin and defaultIntercomSettings()', () => {
    const s = build();
    expect(s.accounts).toEqual({ adminId: 'admin', adminPassword: 'admin', userId: 'guest', userPassword: 'guest' });
    expect(s.lines).toHaveLength(2);
    expect(s.lines[0]!.autoAnswer).toEqual({ enabled: true, delayS: 0 });
    expect(s.lines[0]!.transport).toBe('udp');
    expect(s.lines[0]!.registrar).toEqual({ host: '', port: 5060, secondaryHost: '', secondaryPort: 5060 });
    expect([s.lines[0]!.localPort, s.lines[1]!.localPort]).toEqual([5060, 5062]);
    expect(s.lines[0]!.codecs).toMatchObject({
      PCMU: { enabled: true, priority: 1 },
      PCMA: { enabled: true, priority: 2 },
      G729: { enabled: true, priority: 3 },
      ILBC: { enabled: true, priority: 4 },
      OPUS: { enabled: true, priority: 5 },
      G722: { enabled: true, priority: 6 },
      'G726-32': { enabled: false, priority: 255 },
    });
    expect(s.rtp.telephoneEventPayloadType).toBe(101);
    expect(s.stun).toMatchObject({ host: '', port: 3478 });
    expect(s.intercom).toEqual(defaultIntercomSettings());
  });

  it('file values land on the right line, button, group and relay', () => {
    const s = build({
      'SIP1 Enable Reg': '1',
      'SIP2 Enable Reg': '1',
      'SIP2 Phone Number': '2002',
      'SIP2 Register User': 'auth2002',
      'SIP2 Register Pswd': 'pw',
      'SIP2 Register Addr': 'pbx.lab',
      'SIP2 Register Port': '5080',
      'SIP2 Transport': '1',
      'SIP2 DNS Mode': '1',
      'SIP2 VoiceCodecMap': 'G722,PCMA',
      'SIP2 DTMF Mode': '2',
      'SIP2 Hotline Num': '100',
      'SIP2 Enable Hotline': '1',
      'SIP2 CFUOn SvcCode': '*72',
      'SIP1 Auto Answer': '0',
      'SIP P2P Auto Answer Delay': '7',
      'P1 Intercom Barge': '1',
      'Fkey3 Type': '6',
      'Fkey3 Subtype': 'G722',
      'Fkey3 Value': '239.1.1.1:5000',
      'Call Click': 'volup;voldown;end;end;dss2;',
      'MCAST3 Host': '239.2.2.2',
      'MCAST3 Port': '6000',
      'Output2 DTMF Trigger Code': '*99#',
      'Output2 Standard Status': '1',
      'Input1 Trigger Level': '1',
      'Restricted Incoming': '1000,2000,9',
      'Flash Protocol': '3',
      'Reg On Url': 'http://lab/reg',
      'Upgrade Server 2': 'http://fw.lab/a12',
      'Account1 Password': 'secret1',
    });
    expect(s.lines[1]).toMatchObject({ enabled: true, phoneNumber: '2002', authId: 'auth2002', password: 'pw', transport: 'tcp', dns: { srvEnabled: true } });
    expect(s.lines[1]!.registrar).toMatchObject({ host: 'pbx.lab', port: 5080 });
    expect(s.lines[1]!.codecs.G722).toEqual({ enabled: true, priority: 1 });
    expect(s.lines[1]!.codecs.PCMU).toEqual({ enabled: false, priority: 255 });
    expect(s.lines[0]!.phoneNumber).toBe('');
    expect(s.lines[0]!.autoAnswer.enabled).toBe(false);
    expect(s.intercom.lines[1]).toMatchObject({ dtmfMode: 'info', hotline: { enabled: true, delayS: 0, number: '100' } });
    expect(s.intercom.lines[1]!.featureCodes.alwaysForwardOn).toBe('*72');
    expect(s.intercom.lines[0]!.hotline.number).toBe('');
    expect(s.intercom.p2p.autoAnswer).toEqual({ enabled: true, delayS: 7 });
    expect(s.intercom.intercom.barge).toBe(true);
    expect(s.intercom.callButtons[2]).toEqual({ type: 'mcast-paging', name: '', value: '239.1.1.1:5000', subtype: 'G722', line: 0, media: 'default' });
    expect(s.intercom.callButtons[0]!.type).toBe('ptt');
    expect(s.intercom.keyActions.talking).toEqual(['volup', 'voldown', 'end', 'end', 'dss2']);
    expect(s.intercom.multicast.groups[2]).toEqual({ name: '', host: '239.2.2.2', port: 6000 });
    expect(s.intercom.outputs[1]).toMatchObject({ contact: 'NC', dtmf: { enabled: false, triggerCode: '*99#', resetCode: '4321' } });
    expect(s.intercom.outputs[0]!.dtmf).toMatchObject({ enabled: true, triggerCode: '1234' });
    expect(s.intercom.inputs[0]!.triggerLevel).toBe('high');
    expect(s.intercom.restrictions.incoming).toEqual(['1000', '2000', '9']);
    expect(s.intercom.provisioning.protocol).toBe('https');
    expect(s.intercom.actionUrls.registered).toBe('http://lab/reg');
    expect(s.intercom.upgrade.servers).toEqual(['', 'http://fw.lab/a12']);
    expect(s.accounts.adminPassword).toBe('secret1');
  });

  it('every canonical path resolves (buildDeviceSettings throws on a path that does not exist)', () => {
    const withCanonical = fanvilA12Params.filter((r) => r.canonical);
    expect(withCanonical.length).toBeGreaterThan(450);
    expect(() => build()).not.toThrow();
  });
});

describe('docs/fanvil-a12-parameters.md', () => {
  it('is the output of scripts/gen-fanvil-doc.ts (run `npx tsx scripts/gen-fanvil-doc.ts` after changing the catalogue)', () => {
    expect(readFileSync(DOC_PATH, 'utf8')).toBe(renderFanvilA12Doc());
  });

  it('lists every parameter name', () => {
    const doc = readFileSync(DOC_PATH, 'utf8');
    for (const row of fanvilA12Params) {
      const n = row.line ?? row.item;
      const shown = n === undefined ? row.name : row.name.replace(new RegExp(`(?<=[A-Za-z])${n}(?=\\s|$)`), 'n');
      expect(doc, row.name).toContain(`\`${shown}\``);
    }
  });
});
