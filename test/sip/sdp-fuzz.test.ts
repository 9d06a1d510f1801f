// Property tests (fast-check): whatever the input, parseSdp returns a description or an
// SdpFailure with a known code and never throws; what it accepts serializes to a fixed point
// (serialize(parse(serialize(parse(x)))) === serialize(parse(x))); and the offer/answer engine
// never throws on any description the parser accepts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultDeviceSettings } from '../../src/settings/canonical.js';
import {
  createAnswer,
  createOffer,
  parseSdp,
  processAnswer,
  sdpOptionsFromSettings,
  serializeSdp,
  viewMedia,
  type SdpErrorCode,
  type SdpOptions,
} from '../../src/sip/sdp/index.js';
import { ASTERISK, AUDIO_VIDEO, BARESIP, IPV6, RFC4566_EXAMPLE, SIPP_UAC, SRTP_OFFER, T38_REOFFER } from './sdp-fixtures.js';

const CODES = new Set<SdpErrorCode>(['SDP_EMPTY', 'SDP_TOO_LARGE', 'SDP_BAD_LINE', 'SDP_MISSING_LINE']);
const GOLDENS = [SIPP_UAC, BARESIP, ASTERISK, IPV6, RFC4566_EXAMPLE, SRTP_OFFER, T38_REOFFER, AUDIO_VIDEO];
const GOLDEN_LINES = [...new Set(GOLDENS.flatMap((g) => g.split('\r\n').filter((l) => l !== '')))];
const HEAD = ['v=0', 'o=- 1 1 IN IP4 192.0.2.1', 's=-', 'c=IN IP4 192.0.2.1', 't=0 0'];

const settings = defaultDeviceSettings(1, 0);
const OPTIONS: SdpOptions = { ...sdpOptionsFromSettings(settings.lines[0]!, settings.rtp), address: '192.0.2.50', port: 16000 };
const SRTP_OPTIONS: SdpOptions = {
  ...OPTIONS,
  srtp: 'optional',
  srtpKeys: [{ suite: 'AES_CM_128_HMAC_SHA1_80', keySalt: 'WVNfX19zZW1jdGwgKCkgewkyMjA7fQp9CnVubGVz' }],
};

/** Checks one input: no throw, a known failure or a stable round trip, and no throw downstream. */
function check(input: string | Uint8Array): void {
  const r = parseSdp(input);
  if (!r.ok) {
    expect(CODES.has(r.error.code as SdpErrorCode)).toBe(true);
    expect(r.error.message).toMatch(/^sdp: /);
    expect(r.error.message).not.toMatch(/internal parser error/);
    return;
  }
  const once = serializeSdp(r.value);
  const again = parseSdp(once);
  if (!again.ok) throw new Error(`re-parse failed: ${again.error.message}\n${once}`);
  expect(serializeSdp(again.value)).toBe(once);
  for (let i = 0; i < r.value.media.length; i++) viewMedia(r.value, i);
  for (const o of [OPTIONS, SRTP_OPTIONS]) {
    const answered = createAnswer(r.value, o, { origin: { sessionId: '1', sessionVersion: '1' } });
    if (answered.ok) {
      // Our answer is always well-formed SDP.
      const text = serializeSdp(answered.value.answer);
      const back = parseSdp(text);
      expect(back.ok && serializeSdp(back.value)).toBe(text);
    }
    const offer = createOffer(o, { origin: { sessionId: '1', sessionVersion: '1' }, previous: r.value });
    if (offer.ok) processAnswer(offer.value, r.value, o);
  }
}

/** A line: a golden one, a golden one with a character changed, or a random `<letter>=<text>`. */
const line = fc.oneof(
  fc.constantFrom(...GOLDEN_LINES),
  fc.tuple(fc.constantFrom(...GOLDEN_LINES), fc.nat(), fc.string({ minLength: 0, maxLength: 3 })).map(([l, at, s]) => {
    const i = at % (l.length + 1);
    return l.slice(0, i) + s + l.slice(i + 1);
  }),
  fc.tuple(fc.constantFrom(...'vosiuepcbtrzkam'), fc.string({ maxLength: 40 })).map(([t, v]) => `${t}=${v}`),
  fc.tuple(fc.constantFrom('audio', 'video', 'image'), fc.integer({ min: 0, max: 70000 }), fc.constantFrom('RTP/AVP', 'RTP/SAVP', 'udptl', 'UDP/TLS/RTP/SAVPF'), fc.array(fc.integer({ min: 0, max: 130 }), { maxLength: 6 })).map(
    ([m, p, proto, f]) => `m=${m} ${p} ${proto}${f.map((x) => ` ${x}`).join('')}`,
  ),
  fc.tuple(fc.constantFrom('rtpmap', 'fmtp', 'ptime', 'maxptime', 'rtcp', 'crypto', 'sendonly', 'recvonly', 'inactive', 'sendrecv'), fc.string({ maxLength: 30 })).map(([n, v]) => `a=${n}:${v}`),
);

describe('parseSdp property tests', () => {
  it('arbitrary strings never throw', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), (s) => check(s)), { numRuns: 2000 });
  });

  it('arbitrary bytes never throw', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (b) => check(b)), { numRuns: 1000 });
  });

  it('line soups after a valid head round-trip to a fixed point', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), fc.constantFrom('\r\n', '\n'), (lines, eol) => {
        const text = [...HEAD, ...lines].join(eol);
        if (parseSdp(text).ok) accepted++;
        check(text);
      }),
      { numRuns: 3000 },
    );
    // The generator must reach the accepting paths too, or the round-trip property says nothing.
    expect(accepted).toBeGreaterThan(300);
  });

  it('goldens with one character changed', () => {
    fc.assert(
      fc.property(fc.constantFrom(...GOLDENS), fc.nat(), fc.string({ maxLength: 2 }), (g, at, s) => {
        const i = at % g.length;
        check(g.slice(0, i) + s + g.slice(i + 1));
      }),
      { numRuns: 3000 },
    );
  });
});
