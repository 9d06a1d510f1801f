import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unwrap } from '../../src/core/result.js';
import { buildDtmfInfo, buildDtmfRelayInfo, buildFlashHookInfo, parseDtmfInfo } from '../../src/sip/dtmf-info.js';

const DIGITS = [...'0123456789*#ABCD'];

describe('SIP INFO DTMF bodies', () => {
  it('parses application/dtmf-relay as phones and PBXs write it', () => {
    expect(parseDtmfInfo('application/dtmf-relay', 'Signal=5\r\nDuration=160\r\n')).toEqual({ ok: true, value: { digit: '5', durationMs: 160 } });
    expect(parseDtmfInfo('Application/DTMF-Relay; charset=utf-8', 'signal = #\nduration= 250')).toEqual({ ok: true, value: { digit: '#', durationMs: 250 } });
    expect(parseDtmfInfo('application/dtmf-relay', 'Signal=10\r\nDuration=100\r\n')).toEqual({ ok: true, value: { digit: '*', durationMs: 100 } });
    expect(parseDtmfInfo('application/dtmf-relay', 'Signal=11')).toEqual({ ok: true, value: { digit: '#' } });
    expect(parseDtmfInfo('application/dtmf-relay', 'Signal=a\r\n')).toEqual({ ok: true, value: { digit: 'A' } });
    expect(parseDtmfInfo('application/dtmf-relay', 'Signal=hf\r\nDuration=100\r\n')).toEqual({ ok: true, value: { digit: 'flash', durationMs: 100 } });
    expect(parseDtmfInfo('application/hook-flash', 'signal=hf\r\n')).toEqual({ ok: true, value: { digit: 'flash' } });
    expect(parseDtmfInfo('application/hook-flash', '')).toEqual({ ok: true, value: { digit: 'flash' } });
  });

  it('parses application/dtmf in both A12 modes (*/# and 10/11)', () => {
    expect(parseDtmfInfo('application/dtmf', '7')).toEqual({ ok: true, value: { digit: '7' } });
    expect(parseDtmfInfo('application/dtmf', '*\r\n')).toEqual({ ok: true, value: { digit: '*' } });
    expect(parseDtmfInfo('application/dtmf', '10')).toEqual({ ok: true, value: { digit: '*' } });
    expect(parseDtmfInfo('application/dtmf', '11')).toEqual({ ok: true, value: { digit: '#' } });
    expect(parseDtmfInfo('application/dtmf', 'd')).toEqual({ ok: true, value: { digit: 'D' } });
  });

  it('refuses what does not carry a digit', () => {
    const bad: Array<[string, string, string]> = [
      ['application/dtmf-relay', 'Duration=160', 'SIP_BAD_DTMF'],
      ['application/dtmf-relay', 'Signal=X\r\nDuration=160', 'SIP_BAD_DTMF'],
      ['application/dtmf-relay', 'Signal=55', 'SIP_BAD_DTMF'],
      ['application/dtmf-relay', 'Signal=5\r\nDuration=-3', 'SIP_BAD_DTMF'],
      ['application/dtmf-relay', 'Signal=5\r\nDuration=abc', 'SIP_BAD_DTMF'],
      ['application/dtmf', '', 'SIP_BAD_DTMF'],
      ['application/dtmf', '12x', 'SIP_BAD_DTMF'],
      ['application/dtmf', 'hf', 'SIP_BAD_DTMF'],
      ['application/sdp', 'v=0', 'SIP_UNSUPPORTED_DTMF_TYPE'],
      ['', 'Signal=5', 'SIP_UNSUPPORTED_DTMF_TYPE'],
    ];
    for (const [type, body, code] of bad) {
      const r = parseDtmfInfo(type, body);
      expect(r.ok, `${type} ${JSON.stringify(body)}`).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe(code);
        expect(r.error.message).toMatch(/^sip: /);
      }
    }
    fc.assert(
      fc.property(fc.string(), fc.string(), (type, body) => {
        expect(() => parseDtmfInfo(type, body)).not.toThrow();
      }),
    );
  });

  it('builds bodies in the A12 INFO modes and parses them back', () => {
    expect(unwrap(buildDtmfRelayInfo('5', 160))).toEqual({ contentType: 'application/dtmf-relay', body: 'Signal=5\r\nDuration=160\r\n' });
    expect(unwrap(buildDtmfRelayInfo('*', 180, '10-11')).body).toBe('Signal=10\r\nDuration=180\r\n');
    expect(unwrap(buildDtmfRelayInfo('#', 180, 'star-pound')).body).toBe('Signal=#\r\nDuration=180\r\n');
    expect(unwrap(buildDtmfInfo('#', '10-11'))).toEqual({ contentType: 'application/dtmf', body: '11' });
    expect(unwrap(buildDtmfInfo('*', 'star-pound')).body).toBe('*');
    expect(unwrap(buildDtmfInfo('b')).body).toBe('B');
    for (const mode of ['star-pound', '10-11'] as const) {
      for (const d of DIGITS) {
        const relay = unwrap(buildDtmfRelayInfo(d, 100, mode));
        expect(parseDtmfInfo(relay.contentType, relay.body)).toEqual({ ok: true, value: { digit: d, durationMs: 100 } });
        const plain = unwrap(buildDtmfInfo(d, mode));
        expect(parseDtmfInfo(plain.contentType, plain.body)).toEqual({ ok: true, value: { digit: d } });
      }
    }
    expect(buildDtmfRelayInfo('x', 100)).toMatchObject({ ok: false, error: { code: 'SIP_BAD_DTMF' } });
    expect(buildDtmfRelayInfo('1', -1).ok).toBe(false);
    expect(buildDtmfRelayInfo('1', 1.5).ok).toBe(false);
    expect(buildDtmfInfo('flash').ok).toBe(false);
  });

  it('builds flash-hook bodies per KX-UT670 FLASHHOOK_CONTENT_TYPE', () => {
    const signal = buildFlashHookInfo('Signal');
    expect(signal).toEqual({ contentType: 'application/dtmf-relay', body: 'Signal=hf\r\nDuration=100\r\n' });
    expect(parseDtmfInfo(signal.contentType, signal.body)).toEqual({ ok: true, value: { digit: 'flash', durationMs: 100 } });
    const flashhook = buildFlashHookInfo('flashhook');
    expect(flashhook.contentType).toBe('application/hook-flash');
    expect(parseDtmfInfo(flashhook.contentType, flashhook.body)).toEqual({ ok: true, value: { digit: 'flash' } });
    expect(unwrap(buildDtmfRelayInfo('flash', 300)).body).toBe('Signal=hf\r\nDuration=300\r\n');
  });
});
