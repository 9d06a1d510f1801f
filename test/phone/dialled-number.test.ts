// Numbers from the API or dial page go through the line's dial plan (KX-UT670 6.6) as if
// pre-dialled and sent, and through the A12's keypad IP dialling (9.15).
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { defaultDeviceSettings, type DeviceSettings } from '../../src/settings/canonical.js';
import { dialledNumber } from '../../src/phone/dialled-number.js';

function settings(plan: string, blockUnmatched = false): DeviceSettings {
  const s = defaultDeviceSettings(2, 1);
  s.lines[0]!.dialPlan = plan;
  s.lines[0]!.dialPlanBlockUnmatched = blockUnmatched;
  return s;
}

const dial = (text: string, s: DeviceSettings, ip = false) => dialledNumber(text, s, 1, ip, new VirtualClock());

describe('dialledNumber', () => {
  it('applies substitutions of the plan', () => {
    const s = settings('<9:0>xxxxxxxxxx|1xxx');
    expect(dial('91234567890', s)).toEqual({ ok: true, value: '01234567890' });
    expect(dial('1234', s)).toEqual({ ok: true, value: '1234' });
  });

  it('refuses numbers of a `!` alternative, and unmatched numbers when filtering is on', () => {
    const s = settings('1xxx|900x.!');
    const barred = dial('9001234', s);
    expect(barred.ok ? 'ok' : barred.error.code).toBe('CALL_DIAL_PLAN_REJECT');
    expect(dial('555', s)).toEqual({ ok: true, value: '555' });
    const filtered = dial('555', settings('1xxx', true));
    expect(filtered.ok ? 'ok' : filtered.error.code).toBe('CALL_DIAL_PLAN_NO_MATCH');
  });

  it('leaves SIP URIs, IP addresses and plan-less lines alone', () => {
    const s = settings('1xxx', true);
    expect(dial('sip:bob@127.0.0.9', s)).toEqual({ ok: true, value: 'sip:bob@127.0.0.9' });
    expect(dial('127.0.0.12', s)).toEqual({ ok: true, value: '127.0.0.12' });
    expect(dial('4711', settings(''))).toEqual({ ok: true, value: '4711' });
  });

  it('A12: a keypad IP address (* for dots) is an IP call when IP calls are allowed', () => {
    const s = settings('');
    s.intercom.p2p.allowIpCall = true;
    expect(dial('127*0*0*12', s, true)).toEqual({ ok: true, value: '127.0.0.12' });
    expect(dial('127*0*0*12', s, false)).toEqual({ ok: true, value: '127*0*0*12' });
  });
});
