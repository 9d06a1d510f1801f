// What a dialled string becomes: Request-URI, To and next hop (numbers via the line's servers,
// SIP URIs as written, IP addresses directly).
import { describe, expect, it } from 'vitest';
import { dialTarget, type DialContext } from '../../src/phone/dial-target.js';

const none = { host: '', port: 5060 };
const ctx = (over: Partial<DialContext> = {}): DialContext => ({ serviceDomain: '', registrar: none, proxy: none, outboundProxy: none, userPhone: false, ...over });

describe('dialTarget', () => {
  it('IP addresses are direct calls, with or without a port, IPv4 and IPv6', () => {
    expect(dialTarget('127.0.0.12', ctx({ outboundProxy: { host: 'op', port: 5080 } }))).toEqual({
      ok: true,
      value: { uri: 'sip:127.0.0.12', to: '<sip:127.0.0.12>', nextHop: { host: '127.0.0.12', port: 5060 }, direct: true },
    });
    const v = dialTarget(' 127.0.0.12:5062 ', ctx());
    expect(v.ok && v.value.uri).toBe('sip:127.0.0.12:5062');
    expect(v.ok && v.value.nextHop).toEqual({ host: '127.0.0.12', port: 5062 });
    const six = dialTarget('[::1]:5070', ctx());
    expect(six.ok && six.value).toMatchObject({ uri: 'sip:[::1]:5070', nextHop: { host: '::1', port: 5070 }, direct: true });
    expect(dialTarget('127.0.0.1:70000', ctx()).ok).toBe(false);
  });

  it('numbers go to the service domain through the proxy, else the registrar; the outbound proxy wins', () => {
    const reg = { host: 'pbx.test', port: 5070 };
    const a = dialTarget('1001', ctx({ registrar: reg }));
    expect(a.ok && a.value).toEqual({ uri: 'sip:1001@pbx.test', to: '<sip:1001@pbx.test>', nextHop: { host: 'pbx.test', port: 5070 }, direct: false });
    const b = dialTarget('1001', ctx({ registrar: reg, serviceDomain: 'example.test', proxy: { host: '127.0.0.5', port: 5090 }, userPhone: true }));
    expect(b.ok && b.value).toMatchObject({ uri: 'sip:1001@example.test;user=phone', nextHop: { host: '127.0.0.5', port: 5090 } });
    const c = dialTarget('*21#', ctx({ registrar: reg, outboundProxy: { host: '127.0.0.6', port: 5099 } }));
    expect(c.ok && c.value).toMatchObject({ uri: 'sip:*21%23@pbx.test', nextHop: { host: '127.0.0.6', port: 5099 } });
  });

  it('SIP URIs are the Request-URI as written; they go through the line\'s servers, else to the URI host', () => {
    const a = dialTarget('sip:bob@127.0.0.9:5080', ctx({ registrar: { host: 'pbx.test', port: 5060 } }));
    expect(a.ok && a.value).toMatchObject({ uri: 'sip:bob@127.0.0.9:5080', nextHop: { host: 'pbx.test', port: 5060 }, direct: false });
    const proxied = dialTarget('sip:bob@127.0.0.9:5080', ctx({ registrar: { host: 'pbx.test', port: 5060 }, proxy: { host: '127.0.0.5', port: 5090 } }));
    expect(proxied.ok && proxied.value.nextHop).toEqual({ host: '127.0.0.5', port: 5090 });
    const b = dialTarget('bob@example.test', ctx({ outboundProxy: { host: '127.0.0.6', port: 5099 } }));
    expect(b.ok && b.value).toMatchObject({ uri: 'sip:bob@example.test', nextHop: { host: '127.0.0.6', port: 5099 } });
    const direct = dialTarget('sip:bob@127.0.0.9:5080', ctx());
    expect(direct.ok && direct.value.nextHop).toEqual({ host: '127.0.0.9', port: 5080 });
  });

  it('refuses what cannot be dialled, naming why', () => {
    const cases: Array<[string, string]> = [
      ['', 'CALL_NO_TARGET'],
      ['hello world', 'CALL_BAD_TARGET'],
      ['sip:@@', 'CALL_BAD_TARGET'],
      ['1'.repeat(33), 'CALL_BAD_TARGET'],
      ['1001', 'CALL_NO_ROUTE'],
    ];
    for (const [text, code] of cases) {
      const r = dialTarget(text, ctx());
      expect(r.ok ? 'ok' : r.error.code, text).toBe(code);
    }
  });
});
