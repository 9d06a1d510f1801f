// Fanvil A12 manual "System" pages: 9.3 Account (6.4 default admin/admin), 9.5 Upgrade (Table 9),
// 9.6 Auto Provision (Table 10) and 9.7 Tools (syslog); plus the web server of 9.9 Network >>
// Service Port, which Fanvil keeps in the same `<MMI CONFIG MODULE>` as the accounts.
import {
  FLAG,
  HOST,
  NO_DEFAULT,
  PORT,
  SERVER_URL,
  choice,
  int,
  ints,
  mapValue,
  mod,
  p,
  secretText,
  text,
  type A12Param,
  type Draft,
  MCAST_IPV4,
} from './catalogue-helpers.js';

/** 9.3 / 6.4 user names and passwords: printable ASCII without spaces and `:`. */
const ACCOUNT_NAME: Draft['rule'] = { kind: 'string', minLength: 1, maxLength: 32, allowEmpty: false, exclude: ' :' };
const ACCOUNT_PASSWORD: Draft['rule'] = { kind: 'string', maxLength: 32, exclude: ' :' };

const ACCOUNT = '[9.3 System >> Account]';
const accountRows: Draft[] = [
  p('Account1 Name', ACCOUNT_NAME, 'admin', '6.4, 9.3', `User name ${ACCOUNT} (administrator)`, 'Administrator login name (6.4: default "admin").', { canonical: 'accounts.adminId' }),
  p('Account1 Password', ACCOUNT_PASSWORD, 'admin', '6.4, 9.3', `Change password ${ACCOUNT} (administrator)`, 'Administrator password (6.4: default "admin").', { canonical: 'accounts.adminPassword', secret: true }),
  p('Account1 Level', choice({ 10: 'Administrator' }), '10', '9.3', `Permission ${ACCOUNT} (administrator)`, 'Permission of account 1; always Administrator.'),
  p('Account2 Name', { kind: 'string', maxLength: 32, exclude: ' :' }, 'guest', '9.3', `Add users ${ACCOUNT} (second user)`, `Second web user added by the administrator; empty = none. ${NO_DEFAULT} Fanvil devices ship with guest/guest.`, { canonical: 'accounts.userId' }),
  p('Account2 Password', ACCOUNT_PASSWORD, 'guest', '9.3', `Add users ${ACCOUNT} (second user password)`, `Password of the second web user. ${NO_DEFAULT}`, { canonical: 'accounts.userPassword', secret: true }),
  p('Account2 Level', choice({ 5: 'User', 10: 'Administrator' }), '5', '9.3', `Set permissions ${ACCOUNT} (second user)`, 'Permission of the second user: User (read and basic settings) or Administrator.'),
];

const SERVICE = '[9.9 Network >> Service Port]';
const webRows: Draft[] = [
  p('Web Server Type', choice({ 0: 'HTTP', 1: 'HTTPS' }), '0', '9.9', `Web server type ${SERVICE}`, `Web login protocol; takes effect after a restart. ${NO_DEFAULT}`, { canonical: 'intercom.web.https' }),
  p('Web Port', PORT, '80', '6.3, 9.9', `HTTP port ${SERVICE}`, 'HTTP port of the web pages (default 80; 8080 → http://ip:8080).', { canonical: 'intercom.web.httpPort' }),
  p('Https Web Port', PORT, '443', '9.9', `HTTPS port ${SERVICE}`, 'HTTPS port of the web pages (default 443).', { canonical: 'intercom.web.httpsPort' }),
  p('Logon Timeout', int(1, 1440, 'min'), '15', '9.9', `Web login timeout ${SERVICE}`, 'Idle minutes before the web session logs out (default 15).', { canonical: 'intercom.web.loginTimeoutMin' }),
  p('Web Auto Login', FLAG, '0', '9.9', `Web page automatic login ${SERVICE}`, `After the timeout, log in again without asking for the user name and password. ${NO_DEFAULT}`, { canonical: 'intercom.web.autoLogin' }),
];

// ---------------------------------------------------------------------------------------------
// 9.5 Upgrade → Fanvil `<FIRMWARE CHECK MODULE>`.

const UPGRADE = '[9.5 System >> Upgrade >> Upgrade server]';
const upgradeRows: Draft[] = [
  p('Enable Auto Upgrade', FLAG, '0', '9.5', `Enable Auto Upgrade ${UPGRADE}`, `Every Update Interval, fetch vendor_model_hw10.txt from the servers and offer the newer firmware it names. ${NO_DEFAULT}`, { canonical: 'firmware.upgradeEnabled' }),
  p('Upgrade Server 1', SERVER_URL, '', '9.5', `Upgrade Server Address1 ${UPGRADE}`, 'Upgrade server; the device requests http://<server>/<vendor>_<model>_hw10.txt.', { canonical: 'intercom.upgrade.servers.0' }),
  p('Upgrade Server 2', SERVER_URL, '', '9.5', `Upgrade Server Address2 ${UPGRADE}`, 'Alternate upgrade server.', { canonical: 'intercom.upgrade.servers.1' }),
  p('Auto Upgrade Interval', int(1, 720, 'h'), '24', '9.5', `Update Interval ${UPGRADE}`, `Hours between upgrade checks. ${NO_DEFAULT}`, { canonical: 'intercom.upgrade.intervalH' }),
];

// ---------------------------------------------------------------------------------------------
// 9.6 Auto Provision → Fanvil `<AUTOUPDATE CONFIG MODULE>` (with its `--Sip Pnp List--` and
// `--Net Option--` lists) and `<TR069 CONFIG MODULE>`.

const AP = '[9.6 System >> Auto Provision';
const AUTO = 'intercom.provisioning';
const provisionRows: Draft[] = [
  p('Default Username', text(64), '', '9.6', `Authentication Name ${AP} >> Basic settings]`, 'User name for the FTP/HTTP/HTTPS configuration server; empty = anonymous.', { canonical: `${AUTO}.username` }),
  p('Default Password', secretText(64), '', '9.6', `Authentication Password ${AP} >> Basic settings]`, 'Password for the configuration server.', { canonical: `${AUTO}.password`, secret: true }),
  p('Device Cfg File Key', secretText(64), '', '9.6', `Configuration File Encryption Key ${AP} >> Basic settings]`, 'Key of the encrypted device ($mac) configuration file.', { canonical: `${AUTO}.deviceFileKey`, secret: true }),
  p('Common Cfg File Key', secretText(64), '', '9.6', `General Configuration File Encryption Key ${AP} >> Basic settings]`, 'Key of the encrypted common configuration file.', { canonical: `${AUTO}.commonFileKey`, secret: true }),
  p('Check FailTimes', int(1, 100), '5', '9.6', `Download Fail Check Times ${AP} >> Basic settings]`, 'Download attempts after a failed configuration download (Table 10: default 5).', { canonical: `${AUTO}.failRetries` }),
  p('Auto Server Digest', FLAG, '0', '9.6', `Enable Get Digest From Server ${AP} >> Basic settings]`, 'Apply the server file whenever its digest changes, even with an unchanged version.', { canonical: `${AUTO}.digest` }),
  p('Flash Server IP', SERVER_URL, '', '9.6', `Server Address ${AP} >> Static Provisioning Server]`, 'FTP/TFTP/HTTP(S) provisioning server: IP address or domain name with sub-directory.', { canonical: `${AUTO}.server` }),
  p(
    'Input Cfg File Name',
    { kind: 'string', maxLength: 128, pattern: /^[A-Za-z0-9_.$/-]+\.(?:cfg|txt|xml|CFG|TXT|XML)$/, patternHint: 'a file name ending in .cfg, .txt or .xml ($mac and $input are substituted)' },
    '',
    '9.6',
    `Configuration File Name ${AP} >> Static Provisioning Server]`,
    'File requested from the server; empty = the common file and <mac>.cfg. $mac (lower-case MAC without separators) and $input are substituted; CFG/TXT/XML.',
    { canonical: `${AUTO}.fileName` },
  ),
  p('Flash Protocol', choice({ 0: 'FTP', 1: 'TFTP', 2: 'HTTP', 3: 'HTTPS' }), '2', '9.6', `Protocol Type ${AP} >> Static Provisioning Server]`, `Transfer protocol of static provisioning. ${NO_DEFAULT}`, {
    canonical: `${AUTO}.protocol`,
    toCanonical: mapValue({ 0: 'ftp', 1: 'tftp', 2: 'http', 3: 'https' }, 'http'),
  }),
  p('Flash Interval', int(1, 720, 'h'), '1', '9.6', `Update Interval ${AP} >> Static Provisioning Server]`, 'Hours between configuration checks (Table 10: default 1).', { canonical: `${AUTO}.intervalH` }),
  p('Flash Mode', choice({ 0: 'Disabled', 1: 'Update after reboot', 2: 'Update after interval' }), '1', '9.6', `Update Mode ${AP} >> Static Provisioning Server]`, `When static provisioning runs (Table 10 lists 1 Disabled, 2 after reboot, 3 after interval; the file stores 0–2). ${NO_DEFAULT}`, {
    canonical: `${AUTO}.mode`,
    toCanonical: mapValue({ 0: 'disabled', 1: 'after-reboot', 2: 'after-interval' }, 'disabled'),
  }),
];
const pnpRows: Draft[] = [
  p('PNP Enable', FLAG, '1', '9.6', `Enable SIP PnP ${AP} >> SIP Plug and Play (PnP)]`, `Send a multicast SIP SUBSCRIBE at boot; a server answers with a NOTIFY carrying the configuration URL. ${NO_DEFAULT}`, { canonical: `${AUTO}.pnp.enabled` }),
  p('PNP IP', MCAST_IPV4, '224.0.0.0', '9.6', `Server Address ${AP} >> SIP Plug and Play (PnP)]`, 'Multicast address of SIP PnP (Table 10: default 224.0.0.0, kept as written although PnP normally uses 224.0.1.75, garbled place 9).', { canonical: `${AUTO}.pnp.address` }),
  p('PNP Port', PORT, '5060', '9.6', `Server Port ${AP} >> SIP Plug and Play (PnP)]`, `SIP PnP port. ${NO_DEFAULT}`, { canonical: `${AUTO}.pnp.port` }),
  p('PNP Transport', choice({ 0: 'UDP', 1: 'TCP' }), '0', '9.6', `Transport Protocol ${AP} >> SIP Plug and Play (PnP)]`, `SIP PnP transport. ${NO_DEFAULT}`, { canonical: `${AUTO}.pnp.transport`, toCanonical: mapValue({ 0: 'udp', 1: 'tcp' }, 'udp') }),
  p('PNP Interval', int(1, 720, 'h'), '1', '9.6', `Update Interval ${AP} >> SIP Plug and Play (PnP)]`, `Hours between PnP requests. ${NO_DEFAULT}`, { canonical: `${AUTO}.pnp.intervalH` }),
];
const dhcpRows: Draft[] = [
  p(
    'DHCP Option',
    ints([
      [0, 0],
      [43, 43],
      [66, 66],
      [128, 254],
    ]),
    '66',
    '9.6',
    `Option Value; Custom Option Value ${AP} >> DHCP Option]`,
    `DHCP option that names the provisioning server: 0 = disabled, 43, 66, or a custom option 128–254 (the page's "Custom" choice and its number are this one value). ${NO_DEFAULT}`,
    { canonical: `${AUTO}.dhcpOption` },
  ),
  p('Dhcp Option 120', FLAG, '0', '9.6', `Enable DHCP Option 120 ${AP} >> DHCP Option]`, 'Take the SIP server address from DHCP option 120 (RFC 3361).', { canonical: `${AUTO}.dhcpOption120` }),
];

const TR069 = '[9.6 System >> Auto Provision >> TR069]';
const tr069Rows: Draft[] = [
  p('Enable TR069', FLAG, '0', '9.6', `Enable TR069 ${TR069}`, 'TR-069 management by an ACS.'),
  p('TR069 Tone', FLAG, '0', '9.6', `Enable TR069 Warning Tone ${TR069}`, 'Prompt tone when the ACS connects.'),
  p('ACS Server Type', choice({ 0: 'Common', 1: 'CTC' }), '0', '9.6', `ACS Server Type ${TR069}`, `ACS type. ${NO_DEFAULT}`),
  p('ACS URL', { kind: 'string', maxLength: 255, exclude: ' ' }, '', '9.6', `ACS Server URL ${TR069}`, 'ACS address.'),
  p('ACS UserName', text(59), '', '9.6', `ACS User ${TR069}`, 'ACS user name (at most 59 characters).'),
  p('ACS Password', secretText(59), '', '9.6', `ACS Password ${TR069}`, 'ACS password (at most 59 characters).', { secret: true }),
  p('STUN Server Addr', HOST, '', '9.6', `STUN server address ${TR069}`, 'STUN server for TR-069.'),
  p('STUN Enable', FLAG, '0', '9.6', `Enable the STUN ${TR069}`, 'Use STUN for TR-069.'),
  p('TLS Version', choice({ 0: 'TLS 1.0', 1: 'TLS 1.1', 2: 'TLS 1.2' }), '2', '9.6', `TLS Version ${TR069}`, `TLS version towards the ACS. ${NO_DEFAULT}`),
];

// ---------------------------------------------------------------------------------------------
// 9.7 Tools → Fanvil `<LOG CONFIG MODULE>`.

const TOOLS = '[9.7 System >> Tools >> Syslog]';
const logRows: Draft[] = [
  p('Enable Syslog', FLAG, '0', '9.7', `Syslog (enable) ${TOOLS}`, 'Send the device log to the syslog server.'),
  p('Syslog Server', HOST, '', '9.7', `Syslog server address ${TOOLS}`, 'Syslog server.', { canonical: 'syslog.host' }),
  p('Syslog Server Port', PORT, '514', '9.7', `Syslog server port ${TOOLS}`, `Syslog port. ${NO_DEFAULT}`, { canonical: 'syslog.port' }),
];

export const systemParams: readonly A12Param[] = [
  ...mod('MMI CONFIG MODULE', undefined, webRows),
  ...mod('MMI CONFIG MODULE', '--MMI Account--', accountRows),
  ...mod('FIRMWARE CHECK MODULE', undefined, upgradeRows),
  ...mod('AUTOUPDATE CONFIG MODULE', undefined, provisionRows),
  ...mod('AUTOUPDATE CONFIG MODULE', '--Sip Pnp List--', pnpRows),
  ...mod('AUTOUPDATE CONFIG MODULE', '--Net Option--', dhcpRows),
  ...mod('TR069 CONFIG MODULE', undefined, tr069Rows),
  ...mod('LOG CONFIG MODULE', undefined, logRows),
];
