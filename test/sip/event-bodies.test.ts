// Event package bodies: message-summary (RFC 3842), dialog-info+xml (RFC 4235) with BLF
// aggregation, and the unsolicited check-sync NOTIFY (KX-UT670 2.4.3.5 / CFG_RESYNC_FROM_SIP).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMessageSummary, serializeMessageSummary, type MessageSummary } from '../../src/sip/events/message-summary.js';
import { parseDialogInfo } from '../../src/sip/events/dialog-info.js';
import { BlfTracker, blfStatus } from '../../src/sip/events/blf.js';
import { unsolicitedNotifyHandler } from '../../src/sip/events/unsolicited-notify.js';
import { parseMessage, type SipRequest } from '../../src/sip/message/index.js';
import { Network } from './subscription-network.js';
import type { Result } from '../../src/core/result.js';

function expectFailure(r: Result<unknown>, code: string, reason: string): void {
  expect(r.ok).toBe(false);
  if (r.ok) return;
  expect(r.error.code).toBe(code);
  expect(r.error.message).toContain(reason);
}

describe('message-summary (RFC 3842 §5.2)', () => {
  it('parses the RFC example with urgent counts and extra headers', () => {
    const body = 'Messages-Waiting: yes\r\nMessage-Account: sip:alice@vmail.example.com\r\nVoice-Message: 4/8 (1/2)\r\n\r\nMessage-ID: 13@vmail\r\n';
    const r = parseMessageSummary(body);
    expect(r.ok && r.value).toEqual({
      messagesWaiting: true,
      account: 'sip:alice@vmail.example.com',
      counts: { 'voice-message': { newMessages: 4, oldMessages: 8, newUrgent: 1, oldUrgent: 2 } },
      extraHeaders: [['Message-ID', '13@vmail']],
    });
  });

  it('accepts any case, bare LF and no counts; "no" turns the LED off', () => {
    const r = parseMessageSummary('messages-waiting: NO\nvoice-message: 0/3\n');
    expect(r.ok && r.value.messagesWaiting).toBe(false);
    expect(r.ok && r.value.counts['voice-message']).toEqual({ newMessages: 0, oldMessages: 3 });
    expect(parseMessageSummary('Messages-Waiting: no\r\n').ok).toBe(true);
  });

  it.each([
    ['', 'empty body'],
    ['Voice-Message: 1/2\r\n', 'first line must be Messages-Waiting'],
    ['Messages-Waiting: maybe\r\n', 'yes or no'],
    ['Messages-Waiting: yes\r\nVoice-Message: 1-2\r\n', 'malformed counts'],
    ['Messages-Waiting: yes\r\nVoice-Message: 1/2 (1/\r\n', 'malformed counts'],
    ['Messages-Waiting: yes\r\ngarbage line\r\n', 'not "name: value"'],
  ])('rejects %j (%s)', (body, reason) => {
    expectFailure(parseMessageSummary(body), 'SIP_BAD_MESSAGE_SUMMARY', reason);
  });

  it('serialize then parse is the identity (fast-check)', () => {
    const counts = fc.record({ newMessages: fc.nat(9999), oldMessages: fc.nat(9999) });
    const urgent = fc.record({ newMessages: fc.nat(99), oldMessages: fc.nat(99), newUrgent: fc.nat(9), oldUrgent: fc.nat(9) });
    const summary = fc.record({
      messagesWaiting: fc.boolean(),
      account: fc.option(fc.constantFrom('sip:*97@pbx', 'sip:alice@vm.example.com'), { nil: undefined }),
      counts: fc.record({ 'voice-message': fc.oneof(counts, urgent), 'fax-message': counts }, { requiredKeys: [] }),
      extraHeaders: fc.array(fc.tuple(fc.constantFrom('Message-ID', 'X-Note'), fc.stringMatching(/^[a-z0-9@.]{1,8}$/)), { maxLength: 2 }),
    });
    fc.assert(
      fc.property(summary, (s) => {
        const clean: MessageSummary = { ...s, account: s.account };
        const r = parseMessageSummary(serializeMessageSummary(clean));
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.value).toEqual(JSON.parse(JSON.stringify(clean)));
      }),
    );
  });
});

const FULL = `<?xml version="1.0"?>
<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="0" state="full" entity="sip:201@pbx.example.com">
  <dialog id="d1" call-id="abc@host" local-tag="lt1" remote-tag="rt1" direction="recipient">
    <state event="replaced" code="180">early</state>
    <duration>3</duration>
    <local><identity display="Ext 201">sip:201@pbx.example.com</identity><target uri="sip:201@10.0.0.2"/></local>
    <remote><identity display="Carol &amp; Co">sip:carol@example.com</identity><target uri="sip:carol@10.0.0.9"/></remote>
  </dialog>
</dialog-info>`;

describe('dialog-info+xml (RFC 4235 §4)', () => {
  it('parses states, direction, tags, identities with display names and entities', () => {
    const r = parseDialogInfo(FULL);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ version: 0, state: 'full', entity: 'sip:201@pbx.example.com' });
    expect(r.value.dialogs).toEqual([
      {
        id: 'd1',
        state: 'early',
        stateEvent: 'replaced',
        stateCode: 180,
        direction: 'recipient',
        callId: 'abc@host',
        localTag: 'lt1',
        remoteTag: 'rt1',
        duration: 3,
        local: { identity: 'sip:201@pbx.example.com', display: 'Ext 201', target: 'sip:201@10.0.0.2' },
        remote: { identity: 'sip:carol@example.com', display: 'Carol & Co', target: 'sip:carol@10.0.0.9' },
      },
    ]);
  });

  it('accepts a namespace prefix and an empty document', () => {
    const r = parseDialogInfo('<d:dialog-info xmlns:d="urn:ietf:params:xml:ns:dialog-info" version="5" state="partial" entity="sip:x@y"><d:dialog id="a"><d:state>confirmed</d:state></d:dialog></d:dialog-info>');
    expect(r.ok && r.value.dialogs.map((d) => d.state)).toEqual(['confirmed']);
    const empty = parseDialogInfo('<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="1" state="full" entity="sip:x@y"/>');
    expect(empty.ok && empty.value.dialogs).toEqual([]);
  });

  it.each([
    ['<dialog-info version="1" state="full" entity="sip:x@y"><dialog id="a"><state>confirmed</dialog></dialog-info>', 'not well-formed'],
    ['<foo/>', 'root element'],
    ['<dialog-info state="full" entity="sip:x@y"/>', 'version'],
    ['<dialog-info version="1" state="half" entity="sip:x@y"/>', 'full or partial'],
    ['<dialog-info version="1" state="full"/>', 'entity'],
    ['<dialog-info version="1" state="full" entity="e"><dialog><state>early</state></dialog></dialog-info>', 'no id'],
    ['<dialog-info version="1" state="full" entity="e"><dialog id="a"><state>ringing</state></dialog></dialog-info>', "state 'ringing'"],
    ['<dialog-info version="1" state="full" entity="e"><dialog id="a" direction="up"><state>early</state></dialog></dialog-info>', 'direction'],
    ['<dialog-info version="1" state="full" entity="e"><dialog id="a"><state code="x">early</state></dialog></dialog-info>', 'state code'],
    ['not xml at all', 'dialog-info'],
  ])('rejects %s (%s)', (xml, reason) => {
    expectFailure(parseDialogInfo(xml), 'SIP_BAD_DIALOG_INFO', reason);
  });
});

function doc(version: number, state: 'full' | 'partial', dialogs: string): string {
  return `<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="${version}" state="${state}" entity="sip:201@pbx">${dialogs}</dialog-info>`;
}

function dlg(id: string, state: string, direction?: string): string {
  return `<dialog id="${id}"${direction ? ` direction="${direction}"` : ''}><state>${state}</state></dialog>`;
}

function parsed(xml: string) {
  const r = parseDialogInfo(xml);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

describe('BLF state (RFC 4235 §4.1.2 versions)', () => {
  it.each([
    [[], 'idle'],
    [[['terminated', 'recipient']], 'idle'],
    [[['early', 'recipient']], 'ringing'],
    [[['proceeding', 'recipient']], 'ringing'],
    [[['trying', 'initiator']], 'busy'],
    [[['early', 'initiator']], 'busy'],
    [[['confirmed', undefined]], 'busy'],
    [[['confirmed', 'initiator'], ['early', 'recipient']], 'ringing'],
  ] as const)('%j → %s', (dialogs, status) => {
    expect(blfStatus(parsed(doc(1, 'full', dialogs.map(([s, d], i) => dlg(`d${i}`, s, d)).join(''))).dialogs)).toBe(status);
  });

  it('full replaces, partial updates, stale versions are ignored, a gap asks for a full state', () => {
    const t = new BlfTracker();
    expect(t.status).toBe('idle');
    expect(t.apply(parsed(doc(3, 'full', dlg('a', 'early', 'recipient'))))).toBe('applied');
    expect(t.status).toBe('ringing');
    expect(t.apply(parsed(doc(4, 'partial', dlg('a', 'confirmed', 'recipient'))))).toBe('applied');
    expect(t.status).toBe('busy');
    expect(t.apply(parsed(doc(4, 'partial', dlg('a', 'terminated'))))).toBe('stale');
    expect(t.status).toBe('busy');
    expect(t.apply(parsed(doc(5, 'partial', dlg('a', 'terminated'))))).toBe('applied');
    expect(t.status).toBe('idle');
    expect(t.apply(parsed(doc(7, 'partial', dlg('b', 'confirmed'))))).toBe('gap');
    expect(t.status).toBe('idle');
    expect(t.apply(parsed(doc(9, 'full', dlg('b', 'confirmed') + dlg('c', 'trying', 'initiator'))))).toBe('applied');
    expect(t.live.map((d) => d.id)).toEqual(['b', 'c']);
    t.reset();
    expect(t.apply(parsed(doc(0, 'full', '')))).toBe('applied');
  });
});

describe('unsolicited NOTIFY: check-sync and pushed MWI', () => {
  // KX-UT670 2.4.3.5, the manual's example (no tags at all), addressed to our UA.
  let n = 0;
  const manual = (event: string, body = '', type?: string) =>
    Buffer.from(
      `NOTIFY sip:1234567890@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bK-${++n}\r\nFrom: sip:prov@sip.example.com\r\nTo: sip:1234567890@sip.example.com\r\nDate: Thu, 1 Jan 2009 01:01:01 GMT\r\nCall-ID: 123456-${n}\r\nCSeq: 1 NOTIFY\r\nContact: sip:127.0.0.2:5060\r\nEvent: ${event}\r\n${type ? `Content-Type: ${type}\r\n` : ''}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );

  function run(resyncEvent?: string) {
    const net = new Network();
    const phone = net.ua('phone');
    const server = net.scripted('server');
    const syncs: Array<boolean | undefined> = [];
    const mwi: boolean[] = [];
    phone.handleOutOfDialog('NOTIFY', unsolicitedNotifyHandler({ resyncEvent, onCheckSync: (s) => syncs.push(s.reboot), onMessageSummary: (m) => mwi.push(m.messagesWaiting) }));
    const send = (raw: Buffer) => {
      const p = parseMessage(raw);
      if (!p.ok) throw new Error(p.error.reason);
      const out = server.send(p.value as SipRequest, net.peers.phone!);
      return out;
    };
    return { net, syncs, mwi, send };
  }

  it('Event: check-sync triggers the callback and gets 200; other events 481; pushed MWI is parsed', () => {
    const { net, syncs, mwi, send } = run();
    const a = send(manual('check-sync'));
    const b = send(manual('check-sync;reboot=true'));
    const c = send(manual('resync'));
    const d = send(manual('message-summary', 'Messages-Waiting: yes\r\nVoice-Message: 1/0\r\n', 'application/simple-message-summary'));
    const e = send(manual('message-summary', 'Voice-Message: 1/0\r\n', 'application/simple-message-summary'));
    net.clock.advance(50);
    expect([a, b, c, d, e].map((r) => r.map((x) => x.status))).toEqual([[200], [200], [481], [200], [400]]);
    expect(syncs).toEqual([undefined, true]);
    expect(mwi).toEqual([true]);
  });

  it('CFG_RESYNC_FROM_SIP changes the event text', () => {
    const { net, syncs, send } = run('resync');
    const a = send(manual('check-sync'));
    const b = send(manual('resync'));
    net.clock.advance(50);
    expect([a, b].map((r) => r.map((x) => x.status))).toEqual([[481], [200]]);
    expect(syncs).toEqual([undefined]);
  });
});
