// A small catalogue for store tests, shaped like KX-UT670 rows (5.4.1, 5.6.4, 5.8.2).
import { Catalogue } from '../../src/settings/catalogue.js';

export const testCatalogue = new Catalogue({
  model: 'TEST',
  params: [
    { name: 'SIP_RGSTR_ADDR_n', scope: { kind: 'line', count: 2 }, format: 'String', rule: { kind: 'string', maxLength: 127 }, default: '', section: '5.8.2', description: 'registrar', canonical: 'registrar.host' },
    { name: 'SIP_RGSTR_PORT_n', scope: { kind: 'line', count: 2 }, format: 'Integer', rule: { kind: 'int', ranges: [{ min: 1, max: 65535 }] }, default: '5060', section: '5.8.2', description: 'registrar port', canonical: 'registrar.port' },
    { name: 'SIP_SRC_PORT_n', scope: { kind: 'line', count: 2 }, format: 'Integer', rule: { kind: 'int', ranges: [{ min: 1024, max: 49151 }] }, default: (i) => String(5050 + 10 * (i.line ?? 1)), section: '5.8.2', description: 'local port', canonical: 'localPort' },
    { name: 'ADMIN_PASS', scope: { kind: 'global' }, format: 'String', rule: { kind: 'string', minLength: 6, maxLength: 16, exclude: '"&\':<> ' }, default: 'adminpass', section: '5.4.1', description: 'admin password', secret: true, canonical: 'accounts.adminPassword' },
    { name: 'FLEX_BUTTON_LABELx', scope: { kind: 'button', count: 3 }, format: 'String', rule: { kind: 'string', maxLength: 10, unicode: true }, default: '', section: '5.6.4', description: 'label', filesOutrankPhoneUi: true, canonical: 'label' },
    { name: 'CODEC_ENABLEx_n', scope: { kind: 'codec-line', codecs: [0, 4], lines: 2, codecNames: { 0: 'G722', 4: 'PCMU' } }, format: 'Boolean', rule: { kind: 'bool' }, default: 'Y', section: '5.7.1', description: 'codec', canonical: 'codecs.{codec}.enabled' },
  ],
});
