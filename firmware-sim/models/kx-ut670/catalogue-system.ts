// KX-UT670 Administrator Guide 5.4 System Settings: login accounts, time zone, syslog, firmware
// update, provisioning. One row per configuration-file parameter, in the manual's order.
import type { ParamDef } from '../../../src/settings/types.js';
import { TIME_ZONES } from './catalogue-timezones.js';
import { BOOL, EXCL_ACCOUNT, GLOBAL, PORT, URL_1738, host, intOneOf, intUnit, text } from './rules.js';

/** Login IDs: max. 16 characters except `" & ' : < >` and space; not empty (5.4.1). */
const LOGIN_ID = text(16, { exclude: EXCL_ACCOUNT, allowEmpty: false });

/**
 * Provisioning decryption keys, "32-byte characters"; an empty string disables the key (5.4.5).
 * Whether 32 is exact or a maximum is not stated (catalog README garbled place 13); we require
 * exactly 32 characters, the key size the ".e1c/.e2c/.e3c" decryption uses. Expressed as a pattern
 * rather than minLength because the validator rejects '' whenever minLength > 0.
 */
const FILE_KEY = text(32, { pattern: /^[\s\S]{32}$/, patternHint: 'exactly 32 characters (or empty to disable the key)' });

export const systemParams: readonly ParamDef[] = [
  // 5.4.1 Login Account Settings
  {
    name: 'ADMIN_ID',
    scope: GLOBAL,
    format: 'String',
    rule: LOGIN_ID,
    default: 'admin',
    section: '5.4.1',
    description: 'Login ID of the Web UI Administrator account.',
    canonical: 'accounts.adminId',
  },
  {
    name: 'ADMIN_PASS',
    scope: GLOBAL,
    format: 'String',
    rule: text(16, { minLength: 6, exclude: EXCL_ACCOUNT }),
    default: 'adminpass',
    section: '5.4.1',
    webField: 'Current Password / New Password / Confirm New Password [4.5.2.1]',
    description: 'Administrator password (Web UI and phone Administration menu).',
    canonical: 'accounts.adminPassword',
    secret: true,
  },
  {
    name: 'USER_ID',
    scope: GLOBAL,
    format: 'String',
    rule: LOGIN_ID,
    default: 'user',
    section: '5.4.1',
    description: 'Login ID of the Web UI User account.',
    canonical: 'accounts.userId',
  },
  {
    name: 'USER_PASS',
    scope: GLOBAL,
    format: 'String',
    // 6–16 characters, but the factory default is the empty string "only before a user accesses the
    // Web user interface for the first time": empty stays valid (not yet set); the 6-character
    // minimum applies to any other value, hence a pattern instead of minLength.
    rule: text(16, { exclude: EXCL_ACCOUNT, pattern: /^[\s\S]{6,16}$/, patternHint: '6–16 characters' }),
    default: '',
    section: '5.4.1',
    webField: 'Current Password / New Password / Confirm New Password [4.5.3.1]',
    description: 'User account password; empty only until the first User login.',
    canonical: 'accounts.userPassword',
    secret: true,
  },

  // 5.4.2 System Time Settings
  {
    name: 'TIME_ZONE_COUNTRY',
    scope: GLOBAL,
    format: 'Integer',
    // -110001–130001, but only the listed codes: one single-value range per code.
    rule: { kind: 'int', ranges: TIME_ZONES.map(([code]) => ({ min: code, max: code })) },
    default: '1',
    section: '5.4.2',
    description: 'Offset of local standard time from UTC as a zone code (1 = Casablanca GMT+0:00); phone UI setting wins.',
    canonical: 'time.zone',
  },

  // 5.4.3 Syslog Settings
  {
    name: 'SYSLOG_ADDR',
    scope: GLOBAL,
    format: 'String',
    rule: host(),
    default: '',
    section: '5.4.3',
    description: 'IP address or FQDN of the syslog server.',
    canonical: 'syslog.host',
  },
  {
    name: 'SYSLOG_PORT',
    scope: GLOBAL,
    format: 'Integer',
    rule: PORT,
    default: '514',
    section: '5.4.3',
    description: 'Port number of the syslog server.',
    canonical: 'syslog.port',
  },

  // 5.4.4 Firmware Update Settings
  {
    name: 'FIRM_UPGRADE_ENABLE',
    scope: GLOBAL,
    format: 'Boolean',
    rule: BOOL,
    default: 'Y',
    section: '5.4.4',
    webField: 'Enable Firmware Update [4.8.1.1]',
    description: 'Update the firmware when a newer version is detected (SD-card update works regardless).',
    canonical: 'firmware.upgradeEnabled',
  },
  {
    name: 'FIRM_VERSION',
    scope: GLOBAL,
    format: 'String',
    rule: text(6, { pattern: /^(?:0[0-9]|1[0-5])\.[0-9]{3}$/, patternHint: 'a firmware version 00.000–15.999' }),
    default: '',
    section: '5.4.4',
    description: 'Firmware version to run; a different version triggers an update.',
    canonical: 'firmware.targetVersion',
  },
  {
    name: 'FIRM_FILE_PATH',
    scope: GLOBAL,
    format: 'String',
    rule: URL_1738,
    default: '',
    section: '5.4.4',
    webField: 'Firmware File URL [4.8.1.1]',
    description: 'URL of the firmware file ({fwver} is replaced by FIRM_VERSION); only when FIRM_UPGRADE_ENABLE="Y".',
    canonical: 'firmware.fileUrl',
  },

  // 5.4.5 Provisioning Settings
  {
    name: 'OPTION66_ENABLE',
    scope: GLOBAL,
    format: 'Boolean',
    rule: BOOL,
    default: 'Y',
    section: '5.4.5',
    description: 'Take the TFTP server address or FQDN from DHCP option 66 to download configuration files.',
    canonical: 'provisioning.option66',
  },
  {
    name: 'PROVISION_ENABLE',
    scope: GLOBAL,
    format: 'Boolean',
    rule: BOOL,
    default: 'Y',
    section: '5.4.5',
    webField: 'Enable Provisioning [4.8.2.1]',
    description: 'Download configuration files from the provisioning server.',
    canonical: 'provisioning.enabled',
  },
  {
    name: 'CFG_STANDARD_FILE_PATH',
    scope: GLOBAL,
    format: 'String',
    rule: URL_1738,
    default: 'http://provisioning.e-connecting.net/redirect/conf/{mac}.cfg',
    section: '5.4.5',
    webField: 'Standard File URL [4.8.2.1]',
    description: 'URL of the standard (per-unit) file; a trailing "/" appends Config{mac}.cfg.',
    canonical: 'provisioning.standardUrl',
  },
  {
    name: 'CFG_PRODUCT_FILE_PATH',
    scope: GLOBAL,
    format: 'String',
    rule: URL_1738,
    default: '',
    section: '5.4.5',
    webField: 'Product File URL [4.8.2.1]',
    description: 'URL of the product (per-model) file; a trailing "/" appends {MODEL}.cfg.',
    canonical: 'provisioning.productUrl',
  },
  {
    name: 'CFG_MASTER_FILE_PATH',
    scope: GLOBAL,
    format: 'String',
    rule: URL_1738,
    default: '',
    section: '5.4.5',
    webField: 'Master File URL [4.8.2.1]',
    description: 'URL of the master (all units) file; a trailing "/" appends sip.cfg.',
    canonical: 'provisioning.masterUrl',
  },
  {
    name: 'CFG_FILE_KEY1',
    scope: GLOBAL,
    format: 'String',
    rule: FILE_KEY,
    // The manual: "A unique value is preset to each unit." The static default is empty; the device
    // runtime (firmware-sim) derives each unit's key from its MAC address and installs it as the
    // factory value of this parameter.
    default: '',
    section: '5.4.5',
    description: 'Decryption key for configuration files with extension ".e1c".',
    canonical: 'provisioning.keys.0',
    secret: true,
  },
  {
    name: 'CFG_FILE_KEY2',
    scope: GLOBAL,
    format: 'String',
    rule: FILE_KEY,
    default: '',
    section: '5.4.5',
    description: 'Decryption key for configuration files with extension ".e2c".',
    canonical: 'provisioning.keys.1',
    secret: true,
  },
  {
    name: 'CFG_FILE_KEY3',
    scope: GLOBAL,
    format: 'String',
    rule: FILE_KEY,
    default: '',
    section: '5.4.5',
    description: 'Decryption key for configuration files with extension ".e3c".',
    canonical: 'provisioning.keys.2',
    secret: true,
  },
  {
    name: 'CFG_FILE_KEY_LENGTH',
    scope: GLOBAL,
    format: 'Integer',
    rule: intOneOf(128, 192, 256),
    default: '128',
    section: '5.4.5',
    description: 'Key length in bits used to decrypt configuration files.',
    canonical: 'provisioning.keyLengthBits',
  },
  {
    name: 'CFG_CYCLIC',
    scope: GLOBAL,
    format: 'Boolean',
    rule: BOOL,
    default: 'N',
    section: '5.4.5',
    webField: 'Cyclic Auto Resync [4.8.2.1]',
    description: 'Check the provisioning server periodically for updated files.',
    canonical: 'provisioning.cyclic',
  },
  {
    name: 'CFG_CYCLIC_INTVL',
    scope: GLOBAL,
    format: 'Integer',
    rule: intUnit(1, 40320, 'min'),
    default: '10080',
    section: '5.4.5',
    webField: 'Resync Interval [4.8.2.1]',
    description: 'Minutes between periodic checks; only when CFG_CYCLIC="Y".',
    canonical: 'provisioning.cyclicIntervalMin',
  },
  {
    name: 'CFG_RTRY_INTVL',
    scope: GLOBAL,
    format: 'Integer',
    rule: intUnit(1, 1440, 'min'),
    default: '30',
    section: '5.4.5',
    description: 'Minutes before retrying after a file access error; only when CFG_CYCLIC="Y".',
    canonical: 'provisioning.retryIntervalMin',
  },
  {
    name: 'CFG_RESYNC_TIME',
    scope: GLOBAL,
    format: 'String',
    rule: text(5, { pattern: /^(?:[01][0-9]|2[0-3]):[0-5][0-9]$/, patternHint: 'a time hh:mm from 00:00 to 23:59' }),
    default: '',
    section: '5.4.5',
    description: 'Daily time (hh:mm) to check for files; non-empty disables CFG_CYCLIC/CFG_CYCLIC_INTVL/CFG_RTRY_INTVL.',
    canonical: 'provisioning.dailyResyncTime',
  },
  {
    name: 'CFG_RESYNC_FROM_SIP',
    scope: GLOBAL,
    format: 'String',
    rule: text(15, { allowEmpty: false }),
    default: 'check-sync',
    section: '5.4.5',
    webField: 'Header Value for Resync Event [4.8.2.1]',
    description: 'Event header value of a NOTIFY that makes the unit fetch its files (the unit restarts).',
    canonical: 'provisioning.resyncEvent',
  },
];
