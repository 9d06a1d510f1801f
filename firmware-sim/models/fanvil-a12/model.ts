// Fanvil A12 SIP audio intercom, User Manual software 2.12.45.
import type { DeviceModel } from '../model.js';
import { fanvilA12Catalogue, fanvilA12ModuleOf } from './catalogue.js';
import { parseFanvilConfig } from '../../../src/provisioning/formats/fanvil-cfg.js';

export const fanvilA12: DeviceModel = {
  id: 'fanvil-a12',
  modelName: 'A12',
  vendor: 'Fanvil',
  firmwareVersion: '2.12.45',
  // A Fanvil OUI as seen in the manual's device list (6.3: 0c:38:3e:…).
  macOui: '0C383E',
  lineCount: 2,
  // The call buttons live in intercom.callButtons (9.25); no Panasonic-style flexible buttons.
  buttonCount: 0,
  ipDirectCalls: true,
  // 6.1 Panel: one Call button; 5.2.1 command modes use long presses of it.
  keys: ['CALL'],
  // 5.2.2 Function key LED status; 6.1 Call LED and Door LED.
  leds: ['SIP_NET', 'SIP_NET_RED', 'OUTPUT', 'CALL', 'DOOR'],
  // 6.2 Interface: two short-circuit outputs (NO/COM/NC) and two input detection interfaces.
  relayCount: 2,
  inputCount: 2,
  // 6.4: "The default username and password are admin".
  defaultAccounts: [
    { role: 'admin', id: 'admin', password: 'admin' },
    { role: 'user', id: 'guest', password: 'guest' },
  ],
  hasUserAccount: true,
  catalogue: fanvilA12Catalogue,
  unitDefaults: () => new Map(),
  parseConfig: (text) => parseFanvilConfig(text, { isKnown: (name) => fanvilA12Catalogue.has(name), moduleOf: fanvilA12ModuleOf }),
};
