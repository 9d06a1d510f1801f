import { describe, expect, it } from 'vitest';
import { createRequest, createResponse, parseMessage, serializeMessage, type SipMessage, type SipRequest } from '../../src/sip/message/index.js';
import { Dialog, dialogIdOfRequest, nextHop } from '../../src/sip/dialog/dialog.js';
import { checkIncomingRequest, type UasCapabilities } from '../../src/sip/dialog/uas-checks.js';

function wire<T extends SipMessage>(m: T): T {
  const r = parseMessage(serializeMessage(m));
  if (!r.ok) throw new Error(r.error.reason);
  return r.value as T;
}

function invite(extra: Array<[string, string]> = []): SipRequest {
  return wire(
    createRequest({
      method: 'INVITE',
      uri: 'sip:bob@pbx.example',
      via: 'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-1',
      from: '"Alice" <sip:alice@pbx.example>;tag=a1',
      to: '<sip:bob@pbx.example>',
      callId: 'dlg-1@127.0.0.1',
      cseq: 10,
      contact: '<sip:alice@127.0.0.1:5060>',
      headers: extra,
    }),
  );
}

const VIA = 'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-2';

describe('dialogs (RFC 3261 §12)', () => {
  it('UAC: route set is the Record-Route reversed; loose routing keeps the remote target as Request-URI', () => {
    const req = invite();
    const ok = wire(
      createResponse(req, 200, {
        toTag: 'b1',
        headers: [
          ['Record-Route', '<sip:p2.example;lr>, <sip:p1.example;lr>'],
          ['Contact', '<sip:bob@127.0.0.2:5062>'],
        ],
      }),
    );
    const d = Dialog.fromUac(req, ok)!;
    expect(d.id).toBe('dlg-1@127.0.0.1;a1;b1');
    expect(d.state).toBe('confirmed');
    expect(d.routeSet.map(String)).toEqual(['<sip:p1.example;lr>', '<sip:p2.example;lr>']);
    const bye = wire(d.createRequest('BYE', { via: VIA }));
    expect(bye.uri.toString()).toBe('sip:bob@127.0.0.2:5062');
    expect(bye.headers.valuesOf('route')).toEqual(['<sip:p1.example;lr>', '<sip:p2.example;lr>']);
    expect(bye.cseq).toMatchObject({ seq: 11, method: 'BYE' });
    expect(bye.from.tag).toBe('a1');
    expect(bye.to.tag).toBe('b1');
    expect(nextHop(bye).toString()).toBe('sip:p1.example;lr');
    const ack = d.createAck(10, { via: VIA });
    expect(ack.cseq).toMatchObject({ seq: 10, method: 'ACK' });
  });

  it('strict routing: the first route becomes the Request-URI and the remote target the last Route', () => {
    const req = invite();
    const ok = wire(createResponse(req, 200, { toTag: 'b1', headers: [['Record-Route', '<sip:strict.example;method=INVITE>'], ['Contact', '<sip:bob@127.0.0.2>']] }));
    const d = Dialog.fromUac(req, ok)!;
    const bye = wire(d.createRequest('BYE', { via: VIA }));
    expect(bye.uri.toString()).toBe('sip:strict.example');
    expect(bye.headers.valuesOf('route')).toEqual(['<sip:bob@127.0.0.2>']);
  });

  it('UAS: route set in order, remote CSeq enforced, target refreshed by re-INVITE', () => {
    const req = invite([['Record-Route', '<sip:p1.example;lr>, <sip:p2.example;lr>']]);
    const d = Dialog.fromUas(req, 'b9', false)!;
    expect(d.routeSet.map(String)).toEqual(['<sip:p1.example;lr>', '<sip:p2.example;lr>']);
    expect(d.remoteTarget.toString()).toBe('sip:alice@127.0.0.1:5060');
    const reinvite = wire(
      createRequest({ method: 'INVITE', uri: 'sip:bob@127.0.0.3', via: VIA, from: req.from, to: req.to.withTag('b9'), callId: req.callId, cseq: 11, contact: '<sip:alice@127.0.0.9:5090>' }),
    );
    expect(dialogIdOfRequest(reinvite)).toBe(d.id);
    expect(d.receiveRequest(reinvite)).toBeUndefined();
    expect(d.remoteTarget.toString()).toBe('sip:alice@127.0.0.9:5090');
    const old = wire(createRequest({ method: 'INFO', uri: 'sip:bob@127.0.0.3', via: VIA, from: req.from, to: req.to.withTag('b9'), callId: req.callId, cseq: 5 }));
    const refused = d.receiveRequest(old)!;
    expect(refused.status).toBe(500);
    const bye = wire(d.createRequest('BYE', { via: VIA }));
    expect(bye.cseq.seq).toBe(1);
    expect(bye.from.tag).toBe('b9');
    expect(bye.to.tag).toBe('a1');
    expect(bye.uri.toString()).toBe('sip:alice@127.0.0.9:5090');
  });

  it('an early dialog from a 180 is confirmed by the 2xx', () => {
    const req = invite();
    const ringing = wire(createResponse(req, 180, { toTag: 'b1', headers: [['Contact', '<sip:bob@127.0.0.2>']] }));
    const d = Dialog.fromUac(req, ringing)!;
    expect(d.state).toBe('early');
    d.receiveResponse(req, wire(createResponse(req, 200, { toTag: 'b1', headers: [['Contact', '<sip:bob@127.0.0.5>']] })));
    expect(d.state).toBe('confirmed');
    expect(d.remoteTarget.toString()).toBe('sip:bob@127.0.0.5');
  });

  it('no dialog without tags or Contact', () => {
    const req = invite();
    expect(Dialog.fromUac(req, wire(createResponse(req, 100)))).toBeUndefined();
  });
});

describe('UAS checks (RFC 3261 §8.2)', () => {
  const caps: UasCapabilities = {
    known: new Set(['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'INFO', 'UPDATE', 'PRACK', 'REFER', 'NOTIFY', 'SUBSCRIBE', 'MESSAGE', 'REGISTER']),
    allowed: new Set(['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'INFO', 'UPDATE', 'PRACK', 'REFER', 'NOTIFY']),
    supported: new Set(['100rel', 'timer', 'replaces']),
    accept: new Set(['application/sdp']),
  };
  const ctx = { hasDialog: () => false, isMerged: () => false };
  const req = (method: string, headers: Array<[string, string]> = [], to = '<sip:bob@pbx.example>', body?: string) =>
    wire(createRequest({ method, uri: 'sip:bob@pbx.example', via: VIA, from: '<sip:a@pbx.example>;tag=f', to, callId: 'c', cseq: 1, headers, body, contentType: body ? 'text/plain' : undefined }));

  it('501 for unknown methods, 405 with Allow for known ones not accepted here', () => {
    const r501 = checkIncomingRequest(req('FOO'), caps, ctx)!;
    expect(r501.status).toBe(501);
    const r405 = checkIncomingRequest(req('REGISTER'), caps, ctx)!;
    expect(r405.status).toBe(405);
    expect(r405.headers.valuesOf('allow')[0]).toContain('INVITE, ACK, BYE');
  });

  it('481 for a To tag without dialog, 482 for a merged request, 415, 420', () => {
    expect(checkIncomingRequest(req('BYE', [], '<sip:bob@pbx.example>;tag=zz'), caps, ctx)!.status).toBe(481);
    expect(checkIncomingRequest(req('INVITE'), caps, { ...ctx, isMerged: () => true })!.status).toBe(482);
    const r415 = checkIncomingRequest(req('INFO', [], '<sip:bob@pbx.example>', 'hello'), caps, ctx)!;
    expect(r415.status).toBe(415);
    expect(r415.headers.valuesOf('accept')).toEqual(['application/sdp']);
    const r420 = checkIncomingRequest(req('INVITE', [['Require', '100rel, foo']]), caps, ctx)!;
    expect(r420.status).toBe(420);
    expect(r420.headers.valuesOf('unsupported')).toEqual(['foo']);
    expect(checkIncomingRequest(req('OPTIONS'), caps, ctx)).toBeUndefined();
  });
});
