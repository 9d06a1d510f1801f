import { describe, expect, it } from 'vitest';
import { LayeredStore, LAYERS, type Layer, type StoreSnapshot } from '../../src/settings/layered-store.js';
import { buildDeviceSettings } from '../../src/settings/build-canonical.js';
import { testCatalogue } from './test-catalogue.js';

// KX-UT670 2.5: factory < pre-provisioning < master < product < standard < web/phone UI.
const ORDER: Array<Layer | 'factory'> = ['factory', ...LAYERS];

describe('LayeredStore priorities (KX-UT670 2.5)', () => {
  it('lists the layers lowest first', () => {
    expect(LAYERS).toEqual(['preprovisioning', 'master', 'product', 'standard', 'ui']);
  });

  for (let lo = 1; lo < ORDER.length; lo++) {
    for (let hi = lo + 1; hi < ORDER.length; hi++) {
      const low = ORDER[lo] as Layer;
      const high = ORDER[hi] as Layer;
      it(`${high} outranks ${low}, whichever is written first`, () => {
        for (const highFirst of [false, true]) {
          const store = new LayeredStore(testCatalogue);
          const writes: Array<[Layer, string]> = [[low, 'low.example.com'], [high, 'high.example.com']];
          if (highFirst) writes.reverse();
          for (const [layer, value] of writes) expect(store.set('SIP_RGSTR_ADDR_1', value, layer, layer === 'ui' ? 'web' : undefined).ok).toBe(true);
          expect(store.effective('SIP_RGSTR_ADDR_1')).toMatchObject({ value: 'high.example.com', layer: high });
          store.unset('SIP_RGSTR_ADDR_1', high);
          expect(store.effective('SIP_RGSTR_ADDR_1')).toMatchObject({ value: 'low.example.com', layer: low });
        }
      });
    }
  }

  it('every layer outranks the factory default, and unset falls back to it', () => {
    for (const layer of LAYERS) {
      const store = new LayeredStore(testCatalogue);
      expect(store.effective('SIP_RGSTR_PORT_2')).toEqual({ name: 'SIP_RGSTR_PORT_2', value: '5060', layer: 'factory' });
      store.set('SIP_RGSTR_PORT_2', '5070', layer);
      expect(store.effective('SIP_RGSTR_PORT_2')).toMatchObject({ value: '5070', layer });
      store.unset('SIP_RGSTR_PORT_2', layer);
      expect(store.effective('SIP_RGSTR_PORT_2')).toMatchObject({ value: '5060', layer: 'factory' });
    }
  });

  it('web and phone UI share the top layer: the more recent wins', () => {
    const store = new LayeredStore(testCatalogue);
    store.set('SIP_RGSTR_ADDR_1', 'from-web', 'ui', 'web');
    store.set('SIP_RGSTR_ADDR_1', 'from-phone', 'ui', 'phone');
    expect(store.effective('SIP_RGSTR_ADDR_1')).toMatchObject({ value: 'from-phone', layer: 'ui', via: 'phone' });
    store.set('SIP_RGSTR_ADDR_1', 'from-web-again', 'ui', 'web');
    expect(store.effective('SIP_RGSTR_ADDR_1')).toMatchObject({ value: 'from-web-again', via: 'web' });
  });

  it('flexible buttons: configuration files outrank the phone UI, but not the web UI (2.5 Note)', () => {
    const store = new LayeredStore(testCatalogue);
    store.set('FLEX_BUTTON_LABEL1', 'Phone', 'ui', 'phone');
    expect(store.effective('FLEX_BUTTON_LABEL1')).toMatchObject({ value: 'Phone', layer: 'ui' });
    store.set('FLEX_BUTTON_LABEL1', 'File', 'master');
    expect(store.effective('FLEX_BUTTON_LABEL1')).toMatchObject({ value: 'File', layer: 'master' });
    store.set('FLEX_BUTTON_LABEL1', 'Web', 'ui', 'web');
    expect(store.effective('FLEX_BUTTON_LABEL1')).toMatchObject({ value: 'Web', layer: 'ui' });
  });

  it('per-index defaults and unit defaults', () => {
    const store = new LayeredStore(testCatalogue, undefined, undefined, new Map([['ADMIN_PASS', 'unit-own']]));
    expect(store.get('SIP_SRC_PORT_1')).toBe('5060');
    expect(store.get('SIP_SRC_PORT_2')).toBe('5070');
    expect(store.effective('ADMIN_PASS')).toMatchObject({ value: 'unit-own', layer: 'factory' });
  });
});

describe('LayeredStore validation', () => {
  it('rejects a bad value for that parameter only and keeps the rest of a batch', () => {
    const store = new LayeredStore(testCatalogue);
    const problems = store.apply('standard', [
      { name: 'SIP_RGSTR_ADDR_1', value: 'pbx.example.com' },
      { name: 'SIP_RGSTR_PORT_1', value: '70000' },
      { name: 'NO_SUCH_PARAM', value: '1' },
      { name: 'SIP_RGSTR_PORT_2', value: 'abc' },
    ]);
    expect(problems.map((p) => [p.name, p.code])).toEqual([
      ['SIP_RGSTR_PORT_1', 'SETTING_BAD_VALUE'],
      ['NO_SUCH_PARAM', 'SETTING_UNKNOWN'],
      ['SIP_RGSTR_PORT_2', 'SETTING_BAD_VALUE'],
    ]);
    expect(problems[0]!.message).toBe('SIP_RGSTR_PORT_1: value 70000 is out of range 1-65535');
    expect(store.effective('SIP_RGSTR_ADDR_1')).toMatchObject({ value: 'pbx.example.com', layer: 'standard' });
    expect(store.effective('SIP_RGSTR_PORT_1')).toMatchObject({ value: '5060', layer: 'factory' });
  });

  it('a failed set leaves the old value and reports why', () => {
    const store = new LayeredStore(testCatalogue);
    store.set('ADMIN_PASS', 'secret1', 'ui', 'web');
    const r = store.set('ADMIN_PASS', 'a<b>cdef', 'ui', 'web');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/ADMIN_PASS: character "<" is not allowed/);
    expect(store.get('ADMIN_PASS')).toBe('secret1');
  });
});

describe('resets', () => {
  function provisioned(): LayeredStore {
    const store = new LayeredStore(testCatalogue);
    store.set('SIP_RGSTR_ADDR_1', 'pre', 'preprovisioning');
    store.set('SIP_RGSTR_ADDR_2', 'master', 'master');
    store.set('SIP_RGSTR_PORT_1', '5061', 'product');
    store.set('SIP_RGSTR_PORT_2', '5062', 'standard');
    store.set('SIP_RGSTR_ADDR_1', 'web', 'ui', 'web');
    store.set('ADMIN_PASS', 'changed', 'ui', 'web');
    return store;
  }

  it('Reset Web Settings (9.2) clears only the UI layer: back to the last provisioning', () => {
    const store = provisioned();
    store.resetUiLayer();
    expect(store.effective('SIP_RGSTR_ADDR_1')).toMatchObject({ value: 'pre', layer: 'preprovisioning' });
    expect(store.effective('SIP_RGSTR_ADDR_2')).toMatchObject({ value: 'master', layer: 'master' });
    expect(store.effective('SIP_RGSTR_PORT_1')).toMatchObject({ value: '5061', layer: 'product' });
    expect(store.effective('SIP_RGSTR_PORT_2')).toMatchObject({ value: '5062', layer: 'standard' });
    expect(store.effective('ADMIN_PASS')).toMatchObject({ value: 'adminpass', layer: 'factory' });
  });

  it('Reset to Factory Default (9.1) clears every layer', () => {
    const store = provisioned();
    store.resetToFactory();
    for (const name of testCatalogue.names()) expect(store.effective(name)?.layer).toBe('factory');
    expect(store.overriddenNames()).toEqual([]);
  });
});

describe('persistence and change events', () => {
  it('persists every commit and reloads the same state from a snapshot', () => {
    const saved: StoreSnapshot[] = [];
    const store = new LayeredStore(testCatalogue, undefined, (s) => saved.push(structuredClone(s)));
    const changes: string[][] = [];
    store.events.on('change', (c) => changes.push([...c.names]));
    store.apply('master', [
      { name: 'SIP_RGSTR_ADDR_1', value: 'a' },
      { name: 'SIP_RGSTR_ADDR_2', value: 'b' },
    ]);
    store.set('FLEX_BUTTON_LABEL2', 'Ünïcode', 'ui', 'phone');
    expect(saved).toHaveLength(2);
    expect(changes).toEqual([['SIP_RGSTR_ADDR_1', 'SIP_RGSTR_ADDR_2'], ['FLEX_BUTTON_LABEL2']]);
    const reloaded = new LayeredStore(testCatalogue, JSON.parse(JSON.stringify(saved[1])));
    expect(reloaded.effective('SIP_RGSTR_ADDR_2')).toMatchObject({ value: 'b', layer: 'master' });
    expect(reloaded.effective('FLEX_BUTTON_LABEL2')).toMatchObject({ value: 'Ünïcode', layer: 'ui', via: 'phone' });
  });

  it('drops stored names and values the catalogue no longer accepts', () => {
    const snap = { version: 1, preprovisioning: {}, master: { GONE: { value: 'x' }, SIP_RGSTR_PORT_1: { value: '99999' }, SIP_RGSTR_PORT_2: { value: '5999' } }, product: {}, standard: {}, ui: {} } as StoreSnapshot;
    const store = new LayeredStore(testCatalogue, snap);
    expect(store.overriddenNames()).toEqual(['SIP_RGSTR_PORT_2']);
  });
});

describe('canonical settings', () => {
  it('maps rows onto the typed model with conversions', () => {
    const store = new LayeredStore(testCatalogue);
    store.set('SIP_RGSTR_ADDR_2', 'pbx', 'ui', 'web');
    store.set('SIP_RGSTR_PORT_2', '5080', 'standard');
    store.set('CODEC_ENABLE0_2', 'N', 'master');
    store.set('FLEX_BUTTON_LABEL3', 'Door', 'master');
    const s = buildDeviceSettings(testCatalogue, { lineCount: 2, buttonCount: 3 }, (n) => store.get(n));
    expect(s.lines[1]!.registrar).toMatchObject({ host: 'pbx', port: 5080 });
    expect(s.lines[0]!.localPort).toBe(5060);
    expect(s.lines[1]!.localPort).toBe(5070);
    expect(s.lines[1]!.codecs.G722).toEqual({ enabled: false, priority: 1 });
    expect(s.lines[0]!.codecs.PCMU!.enabled).toBe(true);
    expect(s.buttons[2]!.label).toBe('Door');
    expect(s.accounts.adminPassword).toBe('adminpass');
  });
});
