// Panasonic KX-UT670 smart desk phone, Administrator Guide software 01.070.
import { createHash } from 'node:crypto';
import type { DeviceModel } from '../model.js';
import { kxUt670Catalogue } from './catalogue.js';
import { parsePanasonicText } from '../../../src/provisioning/formats/panasonic-text.js';

export const kxUt670: DeviceModel = {
  id: 'kx-ut670',
  modelName: 'KX-UT670',
  vendor: 'Panasonic',
  firmwareVersion: '01.070',
  // Panasonic's OUI, as in the guide's examples (0080F0123456, 2.4.2.3).
  macOui: '0080F0',
  lineCount: 6,
  buttonCount: 24,
  ipDirectCalls: false,
  // Hard keys of the KX-UT670 plus the dial pad; flexible buttons (5.6.4) are FLEX1…FLEX24.
  keys: [
    ...'0123456789'.split(''),
    '*',
    '#',
    'HOLD',
    'TRANSFER',
    'CONF',
    'REDIAL',
    'MESSAGE',
    'MUTE',
    'SP-PHONE',
    'HEADSET',
    'VOL_UP',
    'VOL_DOWN',
    'CANCEL',
    'ENTER',
    'MENU',
    'HOME',
    'BACK',
    ...Array.from({ length: 24 }, (_, i) => `FLEX${i + 1}`),
  ],
  leds: ['MESSAGE_RINGER', 'SP-PHONE', 'HEADSET', 'MUTE', ...Array.from({ length: 24 }, (_, i) => `FLEX${i + 1}`)],
  relayCount: 0,
  inputCount: 0,
  // 4.2.3 Access Levels: Administrator admin/adminpass, User user/(blank).
  defaultAccounts: [
    { role: 'admin', id: 'admin', password: 'adminpass' },
    { role: 'user', id: 'user', password: '' },
  ],
  hasUserAccount: true,
  catalogue: kxUt670Catalogue,
  unitDefaults(mac) {
    // 5.4.5 CFG_FILE_KEY1: "A unique value is preset to each unit". Derived from the MAC so the
    // same unit always has the same key (32 characters, the documented length).
    const key = createHash('sha256').update(`KX-UT670 CFG_FILE_KEY1 ${mac}`).digest('base64url').slice(0, 32);
    return new Map([['CFG_FILE_KEY1', key]]);
  },
  parseConfig: (text) => parsePanasonicText(text),
};
