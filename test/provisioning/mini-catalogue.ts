// A small hand-made KX-UT670-like catalogue for the parser and checker tests, independent of the
// full model catalogue (firmware-sim/models/kx-ut670/catalogue.ts). Rows follow the manual
// (section in each row) for the parameters the 5.3.1/5.3.2 examples and the tests use.
import { Catalogue } from '../../src/settings/catalogue.js';
import type { CatalogueSpec, ParamDef, Scope } from '../../src/settings/types.js';

const GLOBAL: Scope = { kind: 'global' };
const PER_LINE: Scope = { kind: 'line', count: 6 };
const PER_CODEC_LINE: Scope = { kind: 'codec-line', codecs: [0, 1, 3, 4], lines: 6, codecNames: { 0: 'G722', 1: 'PCMA', 3: 'G729', 4: 'PCMU' } };
const HOST = /^[A-Za-z0-9.-]*$/;
const EXCL_ACCOUNT = `"&':<> `;

function row(def: Omit<ParamDef, 'description'> & { description?: string }): ParamDef {
  return { description: def.name, ...def };
}

export const miniSpec: CatalogueSpec = {
  model: 'KX-UT670',
  params: [
    row({ name: 'SYSLOG_ADDR', scope: GLOBAL, format: 'String', rule: { kind: 'string', maxLength: 127, pattern: HOST, patternHint: 'an IPv4 address or FQDN' }, default: '', section: '5.4.3' }),
    row({ name: 'CFG_STANDARD_FILE_PATH', scope: GLOBAL, format: 'String', rule: { kind: 'string', maxLength: 500 }, default: 'http://provisioning.e-connecting.net/redirect/conf/{mac}.cfg', section: '5.4.5' }),
    row({ name: 'VM_SUBSCRIBE_ENABLE', scope: GLOBAL, format: 'Boolean', rule: { kind: 'bool' }, default: 'N', section: '5.6.1' }),
    row({ name: 'CODEC_G711_REQ', scope: GLOBAL, format: 'Integer', rule: { kind: 'int', ranges: [{ min: 0, max: 1 }] }, default: '1', section: '5.7.1' }),
    row({ name: 'CODEC_ENABLEx_n', scope: PER_CODEC_LINE, format: 'Boolean', rule: { kind: 'bool' }, default: 'Y', section: '5.7.1' }),
    row({ name: 'CODEC_PRIORITYx_n', scope: PER_CODEC_LINE, format: 'Integer', rule: { kind: 'int', ranges: [{ min: 1, max: 255 }] }, default: '1', section: '5.7.1' }),
    row({ name: 'OUTBANDDTMF_n', scope: PER_LINE, format: 'Boolean', rule: { kind: 'bool' }, default: 'Y', section: '5.7.3' }),
    row({ name: 'DISPLAY_NAME_n', scope: PER_LINE, format: 'String', rule: { kind: 'string', maxLength: 24, unicode: true }, default: '', section: '5.8.1' }),
    row({ name: 'SHARED_CALL_ENABLE_n', scope: PER_LINE, format: 'Boolean', rule: { kind: 'bool' }, default: 'N', section: '5.8.1' }),
    row({ name: 'FWD_DND_SYNCHRO_ENABLE_n', scope: PER_LINE, format: 'Boolean', rule: { kind: 'bool' }, default: 'N', section: '5.8.1' }),
    row({ name: 'SIP_AUTHID_n', scope: PER_LINE, format: 'String', rule: { kind: 'string', maxLength: 64, exclude: EXCL_ACCOUNT }, default: '', section: '5.8.2' }),
    row({ name: 'SIP_PASS_n', scope: PER_LINE, format: 'String', rule: { kind: 'string', maxLength: 64, exclude: EXCL_ACCOUNT }, default: '', section: '5.8.2', secret: true }),
    row({ name: 'SIP_PRXY_ADDR_n', scope: PER_LINE, format: 'String', rule: { kind: 'string', maxLength: 127, pattern: HOST, patternHint: 'an IPv4 address or FQDN' }, default: '', section: '5.8.2' }),
    row({ name: 'SIP_RGSTR_ADDR_n', scope: PER_LINE, format: 'String', rule: { kind: 'string', maxLength: 127, pattern: HOST, patternHint: 'an IPv4 address or FQDN' }, default: '', section: '5.8.2' }),
    row({ name: 'SIP_RGSTR_PORT_n', scope: PER_LINE, format: 'Integer', rule: { kind: 'int', ranges: [{ min: 1, max: 65535 }] }, default: '5060', section: '5.8.2' }),
    row({ name: 'REG_EXPIRE_TIME_n', scope: PER_LINE, format: 'Integer', rule: { kind: 'int', ranges: [{ min: 1, max: 4294967295 }] }, default: '3600', section: '5.8.2' }),
    row({ name: 'SIP_SESSION_TIME_n', scope: PER_LINE, format: 'Integer', rule: { kind: 'int', ranges: [{ min: 0, max: 0 }, { min: 60, max: 65535 }] }, default: '0', section: '5.8.2' }),
    row({ name: 'SIP_DNSSRV_ENA_n', scope: PER_LINE, format: 'Boolean', rule: { kind: 'bool' }, default: 'Y', section: '5.8.2' }),
    row({ name: 'FIRMWARE_VERSION', scope: GLOBAL, format: 'String', rule: { kind: 'string' }, default: '01.070', section: 'test', readOnly: true }),
  ],
  crossChecks: [
    {
      // 5.8.1: SHARED_CALL_ENABLE_n and FWD_DND_SYNCHRO_ENABLE_n cannot both be "Y".
      names: ['SHARED_CALL_ENABLE_1', 'FWD_DND_SYNCHRO_ENABLE_1'],
      section: '5.8.1',
      check: (get) =>
        get('SHARED_CALL_ENABLE_1') === 'Y' && get('FWD_DND_SYNCHRO_ENABLE_1') === 'Y'
          ? 'SHARED_CALL_ENABLE_1 and FWD_DND_SYNCHRO_ENABLE_1 cannot both be "Y"'
          : undefined,
    },
  ],
};

export function miniCatalogue(): Catalogue {
  return new Catalogue(miniSpec);
}
