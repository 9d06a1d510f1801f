// Building messages: responses from requests (RFC 3261 §8.2.6), the best-effort 400, new
// requests, CANCEL (§9.1), the non-2xx ACK (§17.1.1.3), and the serialiser's guarantees.
import { describe, expect, it } from 'vitest';
import {
  buildBadRequest,
  buildCancel,
  buildNon2xxAck,
  createRequest,
  createResponse,
  H,
  NameAddr,
  params,
  parseMessage,
  parseNameAddr,
  parseUri,
  randomBranch,
  randomCallId,
  randomTag,
  reasonPhrase,
  serializeMessage,
  SipRequest,
  SipResponse,
  SipUri,
  Via,
  type SipFailure,
} from '../../src/sip/message/index.js';

const INVITE = [
  'INVITE sip:bob@biloxi.example.com SIP/2.0',
  'Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds;received=192.0.2.1',
  'Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKp1',
  'Max-Forwards: 70',
  'Route: <sip:proxy.example.com;lr>',
  'Record-Route: <sip:rr.example.com;lr>',
  'From: Alice <sip:alice@atlanta.example.com>;tag=1928301774',
  'To: Bob <sip:bob@biloxi.example.com>',
  'Call-ID: a84b4c76e66710@pc33.atlanta.example.com',
  'CSeq: 314159 INVITE',
  'Timestamp: 54',
  'Contact: <sip:alice@pc33.atlanta.example.com>',
  'Content-Type: application/sdp',
  'Content-Length: 4',
  '',
  'v=0\n',
].join('\r\n');

function invite(): SipRequest {
  const r = parseMessage(Buffer.from(INVITE));
  if (!r.ok || r.value.kind !== 'request') throw new Error('fixture');
  return r.value;
}

describe('createResponse (RFC 3261 §8.2.6)', () => {
  it('copies Via (all, in order), From, To, Call-ID and CSeq, and adds a To tag', () => {
    const res = createResponse(invite(), 180, { toTag: 'a6c85cf' });
    expect(serializeMessage(res).toString()).toBe(
      [
        'SIP/2.0 180 Ringing',
        'Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds;received=192.0.2.1',
        'Via: SIP/2.0/UDP proxy.example.com;branch=z9hG4bKp1',
        'From: Alice <sip:alice@atlanta.example.com>;tag=1928301774',
        'To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf',
        'Call-ID: a84b4c76e66710@pc33.atlanta.example.com',
        'CSeq: 314159 INVITE',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
    expect(res.to.tag).toBe('a6c85cf');
    expect(res.topVia?.branch).toBe('z9hG4bK776asdhds');
    expect(res.cseq).toEqual({ seq: 314159, method: 'INVITE' });
  });

  it('100 Trying: no tag unless given, Timestamp copied (§8.2.6.1)', () => {
    const trying = createResponse(invite(), 100);
    expect(trying.to.tag).toBeUndefined();
    expect(trying.headers.get('Timestamp')).toBe('54');
    expect(trying.reason).toBe('Trying');
    expect(createResponse(invite(), 200).headers.has('Timestamp')).toBe(false);
  });

  it('generates a random tag, keeps an existing one', () => {
    const a = createResponse(invite(), 486).to.tag!;
    const b = createResponse(invite(), 486).to.tag!;
    expect(a).toMatch(/^[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
    const inDialog = invite();
    inDialog.headers.set('To', 'Bob <sip:bob@biloxi.example.com>;tag=existing');
    expect(createResponse(inDialog, 200, { toTag: 'other' }).to.tag).toBe('existing');
  });

  it('copies Record-Route on request, adds headers and a body', () => {
    const ok = createResponse(invite(), 200, {
      toTag: 't',
      copyRecordRoute: true,
      headers: [
        ['Contact', '<sip:bob@192.0.2.4>'],
        ['Supported', 'timer'],
      ],
      body: 'v=0\r\n',
      contentType: 'application/sdp',
    });
    expect(ok.value(H.RecordRoute)![0]!.uri.toString()).toBe('sip:rr.example.com;lr');
    expect(ok.headers.get('Contact')).toBe('<sip:bob@192.0.2.4>');
    const wire = serializeMessage(ok).toString();
    expect(wire).toContain('\r\nContent-Type: application/sdp\r\nContent-Length: 5\r\n\r\nv=0\r\n');
    const back = parseMessage(Buffer.from(wire));
    expect(back.ok && back.value.body.toString()).toBe('v=0\r\n');
  });

  it('uses custom reason phrases and the default table', () => {
    expect(createResponse(invite(), 603, { reason: 'Nope' }).reason).toBe('Nope');
    expect(reasonPhrase(481)).toBe('Call/Transaction Does Not Exist');
    expect(reasonPhrase(199)).toBe('Early Dialog Terminated');
    expect(reasonPhrase(299)).toBe('OK');
    expect(reasonPhrase(499)).toBe('Client Error');
    expect(reasonPhrase(699)).toBe('Global Failure');
  });
});

describe('buildBadRequest', () => {
  const failure = (code: SipFailure['code'], reason: string): SipFailure => ({ code, reason, status: code === 'SIP_BAD_VERSION' ? 505 : 400, message: `sip: ${reason}` });

  it('answers a request whose mandatory headers can be read, with the fault as reason', () => {
    const raw = Buffer.from(INVITE.replace('CSeq: 314159 INVITE', 'CSeq: 314159 BYE'));
    const r = parseMessage(raw);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const res = buildBadRequest(raw, r.error, { toTag: 'bad1' })!;
    expect(res.status).toBe(400);
    expect(res.reason).toBe('CSeq method does not match request');
    expect(res.vias).toHaveLength(2);
    expect(res.to.tag).toBe('bad1');
    expect(res.callId).toBe('a84b4c76e66710@pc33.atlanta.example.com');
    expect(res.headers.has('Record-Route')).toBe(false);
  });

  it('reads folded and compact headers leniently', () => {
    const raw = Buffer.from(
      ['INVITE sip:x SIP/2.0', 'v: SIP/2.0/UDP h;branch=z9hG4bK1', 'f: <sip:a@h>;tag=1', 't:', ' <sip:b@h>', 'i: cid', 'CSeq: 1 INVITE', 'Garbage line', '', ''].join('\r\n'),
    );
    const res = buildBadRequest(raw, failure('SIP_BAD_HEADER', 'Malformed header line'), { toTag: 'z' })!;
    expect(serializeMessage(res).toString()).toBe(
      ['SIP/2.0 400 Malformed header line', 'Via: SIP/2.0/UDP h;branch=z9hG4bK1', 'From: <sip:a@h>;tag=1', 'To: <sip:b@h>;tag=z', 'Call-ID: cid', 'CSeq: 1 INVITE', 'Content-Length: 0', '', ''].join(
        '\r\n',
      ),
    );
  });

  it('answers 505 for other SIP versions', () => {
    const raw = Buffer.from(INVITE.replace('SIP/2.0\r\n', 'SIP/3.0\r\n'));
    const r = parseMessage(raw);
    if (r.ok) throw new Error('expected failure');
    expect(buildBadRequest(raw, r.error)?.status).toBe(505);
  });

  it('declines responses, ACKs, keep-alives and requests missing what a response needs', () => {
    const f = failure('SIP_BAD_HEADER', 'x');
    expect(buildBadRequest(Buffer.from('SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h\r\n\r\n'), f)).toBeUndefined();
    expect(buildBadRequest(Buffer.from(INVITE.replace('INVITE sip', 'ACK sip').replace('314159 INVITE', '314159 ACK')), f)).toBeUndefined();
    expect(buildBadRequest(Buffer.from('\r\n\r\n'), failure('SIP_EMPTY', 'Empty message'))).toBeUndefined();
    expect(buildBadRequest(Buffer.from(INVITE.replace(/Call-ID: [^\r]*\r\n/, '')), f)).toBeUndefined();
    expect(buildBadRequest(Buffer.from(INVITE.replace(/Via: [^\r]*\r\n/g, '')), f)).toBeUndefined();
    expect(buildBadRequest(new Uint8Array(0), f)).toBeUndefined();
  });

  it('copies an unparseable To unchanged rather than guessing where a tag goes', () => {
    const raw = Buffer.from(INVITE.replace('To: Bob <sip:bob@biloxi.example.com>', 'To: "Bob <sip:bob@biloxi.example.com>'));
    const r = parseMessage(raw);
    if (r.ok) throw new Error('expected failure');
    expect(buildBadRequest(raw, r.error)!.headers.get('To')).toBe('"Bob <sip:bob@biloxi.example.com>');
  });
});

describe('createRequest, CANCEL and ACK', () => {
  const alice = new NameAddr({ uri: new SipUri({ user: 'alice', host: 'atlanta.example.com' }), displayName: 'Alice' }).withTag('9fxced76sl');
  const bob = parseNameAddr('<sip:bob@biloxi.example.com>')!;

  it('createRequest writes the customary header order and a correct Content-Length', () => {
    const req = createRequest({
      method: 'INVITE',
      uri: 'sip:bob@biloxi.example.com',
      via: new Via({ transport: 'UDP', host: '192.0.2.10', port: 5060, params: params({ branch: 'z9hG4bKnashds8', rport: null }) }),
      from: alice,
      to: bob,
      callId: '3848276298220188511@atlanta.example.com',
      cseq: 1,
      route: ['<sip:proxy.example.com;lr>'],
      contact: '<sip:alice@192.0.2.10:5060>',
      headers: [['Allow', 'INVITE, ACK, CANCEL, BYE']],
      body: 'v=0\r\n',
    });
    const wire = serializeMessage(req).toString();
    expect(wire).toBe(
      [
        'INVITE sip:bob@biloxi.example.com SIP/2.0',
        'Via: SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bKnashds8;rport',
        'Max-Forwards: 70',
        'Route: <sip:proxy.example.com;lr>',
        'From: "Alice" <sip:alice@atlanta.example.com>;tag=9fxced76sl',
        'To: <sip:bob@biloxi.example.com>',
        'Call-ID: 3848276298220188511@atlanta.example.com',
        'CSeq: 1 INVITE',
        'Contact: <sip:alice@192.0.2.10:5060>',
        'Allow: INVITE, ACK, CANCEL, BYE',
        'Content-Type: application/sdp',
        'Content-Length: 5',
        '',
        'v=0\r\n',
      ].join('\r\n'),
    );
    // What we build, we parse.
    const back = parseMessage(Buffer.from(wire));
    expect(back.ok).toBe(true);
    expect(req.cseq).toEqual({ seq: 1, method: 'INVITE' });
    expect(() => createRequest({ method: 'INVITE', uri: 'not a uri', from: alice, to: bob, callId: 'x', cseq: 1 })).toThrow(/bad Request-URI/);
  });

  it('buildCancel copies Request-URI, top Via, From, To, Call-ID, CSeq number and Route (§9.1)', () => {
    const cancel = buildCancel(invite());
    expect(cancel.method).toBe('CANCEL');
    expect(cancel.uri.toString()).toBe('sip:bob@biloxi.example.com');
    expect(cancel.vias.map(String)).toEqual(['SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds;received=192.0.2.1']);
    expect(cancel.cseq).toEqual({ seq: 314159, method: 'CANCEL' });
    expect(cancel.from.tag).toBe('1928301774');
    expect(cancel.to.tag).toBeUndefined();
    expect(cancel.value(H.Route)!.map(String)).toEqual(['<sip:proxy.example.com;lr>']);
    expect(cancel.headers.has('Contact')).toBe(false);
    expect(cancel.body.length).toBe(0);
    expect(parseMessage(serializeMessage(cancel)).ok).toBe(true);
  });

  it('buildNon2xxAck takes To from the response and the rest from the INVITE (§17.1.1.3)', () => {
    const inv = invite();
    const busy = createResponse(inv, 486, { toTag: 'busy1' });
    const ack = buildNon2xxAck(inv, busy);
    expect(ack.method).toBe('ACK');
    expect(ack.to.tag).toBe('busy1');
    expect(ack.vias).toHaveLength(1);
    expect(ack.topVia?.branch).toBe('z9hG4bK776asdhds');
    expect(ack.cseq).toEqual({ seq: 314159, method: 'ACK' });
    expect(ack.callId).toBe(inv.callId);
    expect(ack.value(H.Route)).toHaveLength(1);
    expect(parseMessage(serializeMessage(ack)).ok).toBe(true);
  });

  it('random identifiers have the right shape', () => {
    expect(randomBranch()).toMatch(/^z9hG4bK[A-Za-z0-9_-]{12}$/);
    expect(randomTag()).not.toBe(randomTag());
    expect(randomCallId('192.0.2.1')).toMatch(/^[0-9a-f]{24}@192\.0\.2\.1$/);
    expect(randomCallId()).toMatch(/^[0-9a-f]{24}$/);
  });
});

describe('serializer guarantees', () => {
  it('always writes one correct Content-Length, where the first one was', () => {
    const m = invite();
    m.setBody('v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\n');
    m.headers.append('Content-Length', '999');
    const wire = serializeMessage(m).toString();
    expect(wire.match(/Content-Length/g)).toHaveLength(1);
    expect(wire).toContain('Content-Type: application/sdp\r\nContent-Length: 31\r\n\r\n');
    m.setBody('');
    expect(serializeMessage(m).toString()).toMatch(/Content-Length: 0\r\n\r\n$/);
  });

  it('counts body bytes, not characters, and encodes UTF-8 headers', () => {
    const res = new SipResponse(200, 'Größe OK', [
      { name: 'Via', key: 'via', value: 'SIP/2.0/UDP h;branch=z9hG4bK1', line: undefined },
      { name: 'From', key: 'from', value: '"Zoë" <sip:z@h>;tag=1', line: undefined },
      { name: 'To', key: 'to', value: '<sip:y@h>;tag=2', line: undefined },
      { name: 'Call-ID', key: 'call-id', value: 'c', line: undefined },
      { name: 'CSeq', key: 'cseq', value: '1 MESSAGE', line: undefined },
    ]);
    res.setBody('héllo', 'text/plain;charset=utf-8');
    const wire = serializeMessage(res);
    const back = parseMessage(wire);
    expect(back.ok).toBe(true);
    if (!back.ok || back.value.kind !== 'response') return;
    expect(back.value.reason).toBe('Größe OK');
    expect(back.value.from.displayName).toBe('Zoë');
    expect(back.value.headers.get('Content-Length')).toBe('6');
    expect(back.value.body.toString()).toBe('héllo');
  });

  it('re-encodes after a non-ASCII header is added to an ASCII message', () => {
    const m = invite();
    m.headers.set('Subject', 'Café');
    const back = parseMessage(serializeMessage(m));
    expect(back.ok && back.value.headers.get('Subject')).toBe('Café');
    const r = createResponse(invite(), 200, { reason: 'Très bien', toTag: 'x' });
    const backR = parseMessage(serializeMessage(r));
    expect(backR.ok && backR.value.kind === 'response' && backR.value.reason).toBe('Très bien');
    r.reason = 'OK';
    expect(serializeMessage(r).toString().startsWith('SIP/2.0 200 OK\r\n')).toBe(true);
  });

  it('writes a changed Request-URI and method', () => {
    const m = invite();
    m.uri = parseUri('sip:carol@chicago.example.com')!;
    m.method = 'OPTIONS';
    m.headers.set('CSeq', '314160 OPTIONS');
    const back = parseMessage(serializeMessage(m));
    expect(back.ok && back.value.startLine).toBe('OPTIONS sip:carol@chicago.example.com SIP/2.0');
  });

  it('hand-built requests: SipRequest with fields', () => {
    const r = new SipRequest('OPTIONS', parseUri('sip:h')!, [
      { name: 'Via', key: 'via', value: 'SIP/2.0/UDP h;branch=z9hG4bK1', line: undefined },
      { name: 'From', key: 'from', value: '<sip:a@h>;tag=1', line: undefined },
      { name: 'To', key: 'to', value: '<sip:b@h>', line: undefined },
      { name: 'Call-ID', key: 'call-id', value: 'c', line: undefined },
      { name: 'CSeq', key: 'cseq', value: '1 OPTIONS', line: undefined },
    ]);
    expect(r.toString()).toBe('OPTIONS sip:h SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nFrom: <sip:a@h>;tag=1\r\nTo: <sip:b@h>\r\nCall-ID: c\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n');
  });
});
