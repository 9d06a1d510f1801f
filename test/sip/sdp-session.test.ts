// SdpSession: the offer/answer state of one call — o= versions (incremented on change, kept
// when unchanged), hold and resume (RFC 3264 §8.4, RFC 2543 c=0.0.0.0), who offered, the
// pending offer and its rollback, glare, early media and forks.
import { describe, expect, it } from 'vitest';
import { defaultDeviceSettings, type LineSettings } from '../../src/settings/canonical.js';
import {
  createAnswer,
  parseSdp,
  sdpOptionsFromSettings,
  serializeSdp,
  SdpSession,
  viewMedia,
  type Direction,
  type SdpOptions,
  type SdpSettingsExtras,
  type SessionDescription,
} from '../../src/sip/sdp/index.js';
import { SIPP_UAC } from './sdp-fixtures.js';

function options(line?: (l: LineSettings) => void, extras?: SdpSettingsExtras): SdpOptions {
  const s = defaultDeviceSettings(1, 0);
  const l = structuredClone(s.lines[0]!);
  line?.(l);
  return { ...sdpOptionsFromSettings(l, s.rtp, extras), address: '192.0.2.50', port: 16000 };
}

function sdp(text: string): SessionDescription {
  const r = parseSdp(text);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

function value<T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** The peer: answers and offers PCMU/PCMA at 203.0.113.5, o= version counted by the test. */
function peer(direction: Direction = 'sendrecv', version = 1, c = '203.0.113.5', port = 30000): SessionDescription {
  return sdp(
    [
      'v=0',
      `o=bob 777 ${version} IN IP4 203.0.113.5`,
      's=-',
      `c=IN IP4 ${c}`,
      't=0 0',
      `m=audio ${port} RTP/AVP 0 8 101`,
      'a=rtpmap:101 telephone-event/8000',
      'a=fmtp:101 0-15',
      `a=${direction}`,
      '',
    ].join('\r\n'),
  );
}

const dir = (sd: SessionDescription): Direction => viewMedia(sd, 0).direction;
const caddr = (sd: SessionDescription): string => sd.connection!.address;

describe('SdpSession: an outgoing call', () => {
  it('offer, answer, refresh with the same version, hold and resume with incremented versions', () => {
    const s = new SdpSession(options(), { sessionId: '3900000000' });
    const offer = value(s.createOffer());
    expect(offer.origin.sessionVersion).toBe('3900000000');
    expect(s.hasPendingOffer).toBe(true);
    const n = value(s.receiveAnswer(peer()));
    expect(n.audio).toMatchObject({ remoteAddress: '203.0.113.5', remotePort: 30000, direction: 'sendrecv' });
    // RFC 3264 §6.1: the offerer sends with the answer's first codec (PCMU), not its own first.
    expect(n.audio.codec.name).toBe('PCMU');
    expect(s.hasPendingOffer).toBe(false);
    expect(s.negotiated).toBe(n);

    // A session refresh re-INVITE: the same description keeps its version (RFC 3264 §8).
    const refresh = value(s.createOffer());
    expect(serializeSdp(refresh)).toBe(serializeSdp(offer));
    value(s.receiveAnswer(peer()));

    // Hold: sendonly with c=0.0.0.0 (RFC2543_HOLD_ENABLE_n default Y), version + 1, o= address kept.
    const hold = value(s.hold());
    expect(hold.origin.sessionVersion).toBe('3900000001');
    expect(hold.origin.address).toBe('192.0.2.50');
    expect(dir(hold)).toBe('sendonly');
    expect(caddr(hold)).toBe('0.0.0.0');
    expect(s.localHold).toBe(true);
    const held = value(s.receiveAnswer(peer('recvonly')));
    expect(held.audio.direction).toBe('sendonly');
    expect(s.remoteHold).toBe(false);

    // Resume: sendrecv, the real address, version + 1 again.
    const resume = value(s.resume());
    expect(resume.origin.sessionVersion).toBe('3900000002');
    expect(dir(resume)).toBe('sendrecv');
    expect(caddr(resume)).toBe('192.0.2.50');
    expect(value(s.receiveAnswer(peer())).audio.direction).toBe('sendrecv');
    expect(s.localHold).toBe(false);
  });

  it('hold without RFC 2543 keeps c=, inactive hold writes a=inactive', () => {
    const plain = new SdpSession(options((l) => (l.rfc2543Hold = false)), { sessionId: '1' });
    value(plain.createOffer());
    value(plain.receiveAnswer(peer()));
    const h = value(plain.hold());
    expect(caddr(h)).toBe('192.0.2.50');
    expect(dir(h)).toBe('sendonly');

    const inactive = new SdpSession(options((l) => (l.rfc2543Hold = false), { inactiveHold: true }), { sessionId: '1' });
    value(inactive.createOffer());
    value(inactive.receiveAnswer(peer()));
    expect(dir(value(inactive.hold()))).toBe('inactive');
  });

  it('a refused re-offer (488/491/timeout) rolls hold back and leaves the media and version', () => {
    const s = new SdpSession(options(), { sessionId: '10', sessionVersion: '5' });
    value(s.createOffer());
    const before = value(s.receiveAnswer(peer()));
    const hold = value(s.hold());
    expect(hold.origin.sessionVersion).toBe('6');
    s.offerRejected();
    expect(s.localHold).toBe(false);
    expect(s.hasPendingOffer).toBe(false);
    expect(s.negotiated).toBe(before);
    // The next offer describes the call as it is: different from the refused hold, so version 7.
    const again = value(s.createOffer());
    expect(dir(again)).toBe('sendrecv');
    expect(again.origin.sessionVersion).toBe('7');
  });

  it('an unusable answer is an error; the media in force stay and hold is undone', () => {
    const s = new SdpSession(options(), { sessionId: '10' });
    value(s.createOffer());
    const first = value(s.receiveAnswer(peer()));
    value(s.hold());
    const bad = sdp(SIPP_UAC.replace('RTP/AVP 0', 'RTP/AVP 3').replace('PCMU', 'GSM'));
    const r = s.receiveAnswer(bad);
    expect(!r.ok && r.error).toMatchObject({ code: 'SDP_NO_COMMON_CODEC', status: 488 });
    expect(s.negotiated).toBe(first);
    expect(s.localHold).toBe(false);
  });

  it('a new endpoint (setOptions) changes c= and m= and the version, not the o= address', () => {
    const s = new SdpSession(options(), { sessionId: '42' });
    value(s.createOffer());
    value(s.receiveAnswer(peer()));
    s.setOptions({ ...s.options, address: '198.51.100.50', port: 16002 });
    const re = value(s.createOffer());
    expect(re.origin).toMatchObject({ address: '192.0.2.50', sessionId: '42', sessionVersion: '43' });
    expect(caddr(re)).toBe('198.51.100.50');
    expect(re.media[0]!.port).toBe(16002);
  });

  it('asking for a second offer while one is pending is a bug and throws', () => {
    const s = new SdpSession(options(), { sessionId: '1' });
    value(s.createOffer());
    expect(() => s.createOffer()).toThrow(/already pending/);
    expect(() => new SdpSession(options(), { sessionId: 'x' })).toThrow(/digits/);
  });
});

describe('SdpSession: offers from the peer', () => {
  it('answer, then unchanged re-offers keep our version; the peer holds and resumes', () => {
    const s = new SdpSession(options(), { sessionId: '900' });
    const a1 = value(s.receiveOffer(peer('sendrecv', 1)));
    expect(a1.answer.origin.sessionVersion).toBe('900');
    expect(dir(a1.answer)).toBe('sendrecv');
    const a2 = value(s.receiveOffer(peer('sendrecv', 2)));
    expect(serializeSdp(a2.answer)).toBe(serializeSdp(a1.answer));

    // The peer holds (a=sendonly): we answer recvonly, version + 1.
    const h = value(s.receiveOffer(peer('sendonly', 3)));
    expect(dir(h.answer)).toBe('recvonly');
    expect(h.answer.origin.sessionVersion).toBe('901');
    expect(s.remoteHold).toBe(true);
    expect(h.negotiated.audio.remoteHold).toBe(true);

    // Old-style hold (c=0.0.0.0) is a hold too.
    const h2 = value(s.receiveOffer(peer('sendrecv', 4, '0.0.0.0')));
    expect(dir(h2.answer)).toBe('recvonly');
    expect(s.remoteHold).toBe(true);

    const r = value(s.receiveOffer(peer('sendrecv', 5)));
    expect(dir(r.answer)).toBe('sendrecv');
    expect(s.remoteHold).toBe(false);
    expect(r.answer.origin.sessionVersion).toBe('902');
  });

  it('both hold: our hold while held is inactive; the peer resuming while we hold gets sendonly', () => {
    const s = new SdpSession(options((l) => (l.rfc2543Hold = false)), { sessionId: '1' });
    value(s.receiveOffer(peer('sendrecv', 1)));
    value(s.receiveOffer(peer('sendonly', 2)));
    const hold = value(s.hold());
    expect(dir(hold)).toBe('inactive');
    const n = value(s.receiveAnswer(peer('inactive', 3)));
    expect(n.audio.direction).toBe('inactive');
    // Our offer was inactive: the answer cannot show whether the peer still holds; keep what we knew.
    expect(s.remoteHold).toBe(true);
    const back = value(s.receiveOffer(peer('sendrecv', 4)));
    expect(dir(back.answer)).toBe('sendonly');
    expect(s.remoteHold).toBe(false);
    // We resume: sendrecv.
    const resume = value(s.resume());
    expect(dir(resume)).toBe('sendrecv');
  });

  it('a re-offer we cannot accept changes nothing (488)', () => {
    const s = new SdpSession(options(), { sessionId: '1' });
    const first = value(s.receiveOffer(peer()));
    const gsm = sdp(SIPP_UAC.replace('RTP/AVP 0', 'RTP/AVP 3').replace('PCMU', 'GSM'));
    const r = s.receiveOffer(gsm);
    expect(!r.ok && r.error.status).toBe(488);
    expect(s.negotiated).toBe(first.negotiated);
    expect(s.localDescription).toBe(first.answer);
    expect(s.sessionVersion).toBe('1');
  });

  it('glare: an offer while ours is pending is SDP_OFFER_PENDING (491)', () => {
    const s = new SdpSession(options(), { sessionId: '1' });
    value(s.receiveOffer(peer()));
    value(s.hold());
    const r = s.receiveOffer(peer('sendrecv', 2));
    expect(!r.ok && r.error).toMatchObject({ code: 'SDP_OFFER_PENDING', status: 491 });
    expect(s.hasPendingOffer).toBe(true);
  });

  it('an answer with no offer out is SDP_NO_OFFER', () => {
    const s = new SdpSession(options(), { sessionId: '1' });
    const r = s.receiveAnswer(peer());
    expect(!r.ok && r.error).toMatchObject({ code: 'SDP_NO_OFFER', status: 400 });
  });

  it('an offerless INVITE: our offer in the 2xx, the answer in the ACK', () => {
    const s = new SdpSession(options(), { sessionId: '1' });
    value(s.createOffer());
    const n = value(s.receiveAnswer(peer()));
    expect(n.audio.remotePort).toBe(30000);
  });

  it('the peer changing its o= session id is noted', () => {
    const s = new SdpSession(options(), { sessionId: '1' });
    value(s.receiveOffer(peer()));
    const other = sdp(serializeSdp(peer()).replace('o=bob 777', 'o=bob 778'));
    expect(value(s.receiveOffer(other)).negotiated.notes.join()).toMatch(/session id/);
  });
});

describe('SdpSession: early media and forks', () => {
  it('the answer of a 183 sets the media; the same SDP in the 200 changes nothing; a changed one is processed', () => {
    const s = new SdpSession(options(), { sessionId: '1' });
    value(s.createOffer());
    const early = value(s.receiveAnswer(peer('sendrecv', 1), { provisional: true }));
    expect(early.audio.remotePort).toBe(30000);
    // A repeated 18x and the 200 with the same description.
    expect(value(s.receiveAnswer(peer('sendrecv', 1), { provisional: true }))).toBe(early);
    expect(value(s.receiveAnswer(peer('sendrecv', 1)))).toBe(early);
    // Once final, a further answer is unexpected.
    expect(s.receiveAnswer(peer('sendrecv', 1)).ok).toBe(false);

    const t = new SdpSession(options(), { sessionId: '1' });
    value(t.createOffer());
    value(t.receiveAnswer(peer('sendrecv', 1), { provisional: true }));
    // RFC 6337 §3.1.1: a 2xx that changes the early answer (a media server, then the phone).
    const final = value(t.receiveAnswer(peer('sendrecv', 2, '203.0.113.6', 31000)));
    expect(final.audio).toMatchObject({ remoteAddress: '203.0.113.6', remotePort: 31000 });
    expect(t.negotiated).toBe(final);
  });

  it('forked early dialogs: each clone keeps its own answer', () => {
    const s = new SdpSession(options(), { sessionId: '1' });
    const offer = value(s.createOffer());
    const fork = s.clone();
    const a = value(s.receiveAnswer(peer('sendrecv', 1, '203.0.113.5', 30000), { provisional: true }));
    const b = value(fork.receiveAnswer(peer('sendrecv', 1, '203.0.113.7', 32000), { provisional: true }));
    expect(a.audio.remoteAddress).toBe('203.0.113.5');
    expect(b.audio.remoteAddress).toBe('203.0.113.7');
    expect(fork.localDescription).toBe(offer);
    expect(fork.sessionVersion).toBe(s.sessionVersion);
    expect(s.negotiated?.audio.remotePort).toBe(30000);
  });
});

describe('SdpSession against createAnswer: two phones talk to each other', () => {
  it('A offers, B answers, A holds, B answers the hold, A resumes', () => {
    const a = new SdpSession(options(), { sessionId: '100' });
    const b = new SdpSession({ ...options((l) => (l.codecs.G722!.enabled = false)), address: '192.0.2.60', port: 17000 }, { sessionId: '200' });
    const offer = value(a.createOffer());
    const { answer, negotiated: bn } = value(b.receiveOffer(sdp(serializeSdp(offer))));
    const an = value(a.receiveAnswer(sdp(serializeSdp(answer))));
    expect(an.audio.codec.name).toBe('PCMA');
    expect(bn.audio.codec.name).toBe('PCMA');
    expect(an.audio.remotePort).toBe(17000);
    expect(bn.audio.remotePort).toBe(16000);

    const hold = value(a.hold());
    const bHold = value(b.receiveOffer(sdp(serializeSdp(hold))));
    expect(dir(bHold.answer)).toBe('recvonly');
    expect(b.remoteHold).toBe(true);
    expect(value(a.receiveAnswer(bHold.answer)).audio.direction).toBe('sendonly');

    const resume = value(a.resume());
    const bResume = value(b.receiveOffer(resume));
    expect(dir(bResume.answer)).toBe('sendrecv');
    expect(value(a.receiveAnswer(bResume.answer)).audio.direction).toBe('sendrecv');
    // Sanity: the pure function agrees with the session.
    expect(createAnswer(resume, b.options, { origin: { sessionId: '200', sessionVersion: b.sessionVersion } }).ok).toBe(true);
  });
});
