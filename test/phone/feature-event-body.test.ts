// as-feature-event bodies (policy/feature-event-body.ts): what a portal NOTIFYs and what the phone
// SUBSCRIBEs with; bodies that are not understood give no change.
import { describe, expect, it } from 'vitest';
import { parseFeatureEvents, setDoNotDisturbBody, setForwardingBody } from '../../src/phone/policy/feature-event-body.js';

const NS = 'xmlns="http://www.ecma-international.org/standards/ecma-323/csta/ed3"';

describe('as-feature-event bodies', () => {
  it('reads DND and forwarding events, several in one multipart body, with or without a prefix', () => {
    const body = [
      '--b', 'Content-Type: application/x-as-feature-event+xml', '',
      `<?xml version="1.0"?><DoNotDisturbEvent ${NS}><device>1001</device><doNotDisturbOn>true</doNotDisturbOn></DoNotDisturbEvent>`,
      '--b', 'Content-Type: application/x-as-feature-event+xml', '',
      `<x:ForwardingEvent xmlns:x="urn:csta"><x:device>1001</x:device><x:forwardingType>forwardNoAns</x:forwardingType><x:forwardStatus>false</x:forwardStatus><x:forwardTo>sip:2002@pbx&amp;x</x:forwardTo></x:ForwardingEvent>`,
      '--b--',
    ].join('\r\n');
    expect(parseFeatureEvents(body)).toEqual([
      { kind: 'dnd', on: true },
      { kind: 'forward', type: 'no-answer', on: false, number: 'sip:2002@pbx&x' },
    ]);
  });

  it('ignores what it does not understand', () => {
    expect(parseFeatureEvents('')).toEqual([]);
    expect(parseFeatureEvents('<presence/>')).toEqual([]);
    expect(parseFeatureEvents(`<DoNotDisturbEvent ${NS}><doNotDisturbOn>maybe</doNotDisturbOn></DoNotDisturbEvent>`)).toEqual([]);
    expect(parseFeatureEvents(`<ForwardingEvent><forwardingType>forwardSometimes</forwardingType><forwardStatus>true</forwardStatus></ForwardingEvent>`)).toEqual([]);
    expect(parseFeatureEvents('<DoNotDisturbEvent><doNotDisturbOn>true</doNotDisturbOn>')).toEqual([]);
  });

  it('writes SetDoNotDisturb and SetForwarding with the CSTA names, escaping the values', () => {
    expect(setDoNotDisturbBody('1001', false)).toContain(`<SetDoNotDisturb ${NS}>\n  <device>1001</device>\n  <doNotDisturbOn>false</doNotDisturbOn>\n</SetDoNotDisturb>`);
    const fwd = setForwardingBody('1001', 'always', true, 'a<b');
    expect(fwd).toContain('<forwardingType>forwardImmediate</forwardingType>');
    expect(fwd).toContain('<activateForward>true</activateForward>');
    expect(fwd).toContain('<forwardDN>a&lt;b</forwardDN>');
  });
});
