// Call-Info appearances of the call-info package (draft-anil-sipping-bla-03, BroadWorks Shared
// Call Appearance): values split at commas outside <> and quotes, appearance-index 1.. or *,
// the appearance states, and the lamp of a shared line.
import { describe, expect, it } from 'vitest';
import { appearancesInUse, parseAppearances, sharedLineLamp } from '../../src/sip/events/call-info.js';

describe('Call-Info appearances', () => {
  it('reads indexes, states and quoted appearance-uri values holding commas and brackets', () => {
    const r = parseAppearances(['<sip:as.example.com>;appearance-index=1;appearance-state=active;appearance-uri="\\"Doe, John\\" <sip:j@x>", <sip:as.example.com>;appearance-index=*;appearance-state=idle', '<http://www.example.com/alice/photo.jpg> ;purpose=icon']);
    expect(r.ok && r.value).toEqual([
      { index: 1, state: 'active', uri: '"Doe, John" <sip:j@x>' },
      { index: '*', state: 'idle' },
    ]);
  });

  it('keeps the appearances in use by index; the lamp prefers ringing, then busy, then held', () => {
    const of = (...states: string[]) => {
      const r = parseAppearances(states.map((s, i) => `<sip:as>;appearance-index=${i + 1};appearance-state=${s}`));
      if (!r.ok) throw new Error(r.error.message);
      return appearancesInUse(r.value);
    };
    expect(sharedLineLamp(of('held', 'alerting', 'active'))).toBe('ringing');
    expect(sharedLineLamp(of('held', 'seized'))).toBe('busy');
    expect(sharedLineLamp(of('held-private', 'idle'))).toBe('held');
    expect(sharedLineLamp(of('idle'))).toBe('idle');
    expect(of('idle', 'progressing').map((a) => `${a.index}:${a.state}`)).toEqual(['2:progressing']);
  });

  it.each([
    ['sip:as;appearance-index=1', 'does not start with <URI>'],
    ['<sip:as>;appearance-index=0', "appearance-index '0'"],
    ['<sip:as>;appearance-index=1;appearance-state=ringing', "appearance-state 'ringing'"],
  ])('refuses %s', (value, reason) => {
    const r = parseAppearances([value]);
    expect(r.ok ? '' : r.error.message).toContain(reason);
  });
});
