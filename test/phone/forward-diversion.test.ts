// RFC 5806 Diversion read back at the callee (policy/forward.ts diversionOf): the newest entry,
// quoted or bare reason, several in one header value, nothing usable → undefined.
import { describe, expect, it } from 'vitest';
import { diversionOf, redirectHeaders } from '../../src/phone/policy/forward.js';

describe('diversionOf', () => {
  it('reads the newest diversion of a 302 the phone wrote (round trip)', () => {
    const headers = redirectHeaders('sip:2002@pbx', 'sip:2001@pbx', 'user-busy', 2, ['<sip:3001@pbx>;reason=unconditional;counter=1']);
    const diversion = headers.filter(([n]) => n === 'Diversion').map(([, v]) => v);
    expect(diversionOf(diversion)).toEqual({ uri: 'sip:2001@pbx', reason: 'user-busy' });
  });

  it('takes the first of a comma list; a quoted reason, a name with a comma, no reason', () => {
    expect(diversionOf(['"Bob, desk" <sip:2001@pbx>;counter=1;reason="No-Answer", <sip:3001@pbx>;reason=deflection'])).toEqual({ uri: 'sip:2001@pbx', reason: 'no-answer' });
    expect(diversionOf(['<sip:2001@pbx>'])).toEqual({ uri: 'sip:2001@pbx', reason: 'unknown' });
  });

  it('gives undefined without a usable value', () => {
    expect(diversionOf([])).toBeUndefined();
    expect(diversionOf(['garbage'])).toBeUndefined();
  });
});
