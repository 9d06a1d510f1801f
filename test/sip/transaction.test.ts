// RFC 3261 §17 transactions in virtual time: exact retransmission schedules and timeouts.
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/core/clock.js';
import { createRequest, createResponse, parseMessage, serializeMessage, type SipMessage, type SipRequest, type SipResponse } from '../../src/sip/message/index.js';
import { TransactionLayer, type Peer, type ServerTransaction } from '../../src/sip/transaction/transaction-layer.js';
import { RFC3261_TIMERS, type TransactionTimers } from '../../src/sip/transaction/types.js';

const UDP: Peer = { address: '127.0.0.1', port: 5070, transport: 'udp' };
const TCP: Peer = { ...UDP, transport: 'tcp' };
let branchSeq = 0;

function request(method: string, transport = 'UDP'): SipRequest {
  return createRequest({
    method,
    uri: 'sip:bob@127.0.0.1:5070',
    via: `SIP/2.0/${transport} 127.0.0.1:5060;branch=z9hG4bK-test-${++branchSeq}`,
    from: '<sip:alice@127.0.0.1>;tag=a1',
    to: '<sip:bob@127.0.0.1>',
    callId: `call-${branchSeq}@127.0.0.1`,
    cseq: 1,
  });
}

/** Round trip through bytes, as the peer would see it. */
function wire<T extends SipMessage>(m: T): T {
  const r = parseMessage(serializeMessage(m));
  if (!r.ok) throw new Error(r.error.reason);
  return r.value as T;
}

function setup(timers?: TransactionTimers) {
  const clock = new VirtualClock();
  const sent: Array<{ at: number; message: SipMessage }> = [];
  const requests: Array<{ request: SipRequest; tx: ServerTransaction | undefined }> = [];
  const serverTimeouts: string[] = [];
  const layer = new TransactionLayer({
    clock,
    send: (message) => {
      sent.push({ at: clock.now(), message });
      return true;
    },
    tu: {
      onRequest: (request, tx) => requests.push({ request, tx }),
      onServerTimeout: (tx) => serverTimeouts.push(tx.request.method),
    },
    serverTimers: timers ? () => timers : undefined,
  });
  const events: string[] = [];
  const handlers = {
    onResponse: (r: SipResponse) => events.push(`response ${r.status}`),
    onTimeout: () => events.push(`timeout@${clock.now()}`),
    onTransportError: () => events.push('transport-error'),
    onTerminated: () => events.push(`terminated@${clock.now()}`),
  };
  return { clock, sent, layer, handlers, events, requests, serverTimeouts };
}

const startLine = (m: SipMessage) => (m.kind === 'request' ? (m as SipRequest).method : String((m as SipResponse).status));

describe('INVITE client transaction (§17.1.1)', () => {
  it('UDP, T1 = 500 ms: sent at 0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s; Timer B at 32 s', () => {
    const { clock, sent, layer, handlers, events } = setup();
    layer.sendRequest(request('INVITE'), UDP, handlers);
    clock.advance(40_000);
    expect(sent.map((s) => s.at)).toEqual([0, 500, 1500, 3500, 7500, 15500, 31500]);
    expect(events).toEqual(['timeout@32000', 'terminated@32000']);
    expect(layer.clientCount).toBe(0);
    expect(clock.pendingTimers()).toEqual([]);
  });

  it('follows the configured T1 and Timer B (KX-UT670 SIP_TIMER_T1_n = 1000, SIP_TIMER_B_n = 10000)', () => {
    const { clock, sent, layer, handlers, events } = setup();
    layer.sendRequest(request('INVITE'), UDP, handlers, { ...RFC3261_TIMERS, t1Ms: 1000, bMs: 10_000 });
    clock.advance(20_000);
    expect(sent.map((s) => s.at)).toEqual([0, 1000, 3000, 7000]);
    expect(events[0]).toBe('timeout@10000');
  });

  it('TCP: no retransmissions, Timer B still applies', () => {
    const { clock, sent, layer, handlers, events } = setup();
    layer.sendRequest(request('INVITE', 'TCP'), TCP, handlers);
    clock.advance(40_000);
    expect(sent.map((s) => s.at)).toEqual([0]);
    expect(events[0]).toBe('timeout@32000');
  });

  it('a provisional response stops retransmissions and Timer B', () => {
    const { clock, sent, layer, handlers, events } = setup();
    const invite = request('INVITE');
    layer.sendRequest(invite, UDP, handlers);
    clock.advance(600);
    layer.receive(wire(createResponse(invite, 180, { toTag: 'b1' })), UDP);
    clock.advance(60_000);
    expect(sent.map((s) => s.at)).toEqual([0, 500]);
    expect(events).toEqual(['response 180']);
    expect(layer.clientCount).toBe(1);
  });

  it('a 3xx-6xx response is ACKed, delivered once, its retransmissions re-ACKed until Timer D', () => {
    const { clock, sent, layer, handlers, events } = setup({ ...RFC3261_TIMERS });
    const invite = request('INVITE');
    layer.sendRequest(invite, UDP, handlers, { ...RFC3261_TIMERS, dMs: 5000 });
    const busy = wire(createResponse(invite, 486, { toTag: 'b1' }));
    clock.advance(100);
    layer.receive(busy, UDP);
    clock.advance(1000);
    layer.receive(busy, UDP);
    clock.advance(10_000);
    expect(sent.map((s) => `${s.at} ${startLine(s.message)}`)).toEqual(['0 INVITE', '100 ACK', '1100 ACK']);
    const ack = sent[1]!.message as SipRequest;
    expect(ack.topVia!.branch).toBe(invite.topVia!.branch);
    expect(ack.to.tag).toBe('b1');
    expect(ack.cseq).toMatchObject({ seq: 1, method: 'ACK' });
    // RFC 3261 §17.1.1.2: Timer D is "at least" its value; the layer sweeps cleanup-only timers on a
    // 250 ms grid, so D (due at 5100) ends the transaction at 5250.
    expect(events).toEqual(['response 486', 'terminated@5250']);
  });

  it('cleanup-only timers of many transactions share one sweep on a 250 ms grid; retransmit timers stay exact', () => {
    const { clock, sent, layer, handlers, events } = setup();
    const regs = [0, 1, 2].map(() => request('REGISTER'));
    regs.forEach((reg, i) => {
      clock.advanceTo(i * 40);
      layer.sendRequest(reg, UDP, handlers);
    });
    clock.advanceTo(110);
    for (const reg of regs) layer.receive(wire(createResponse(reg, 200, { toTag: 'r1' })), UDP);
    // Timer K (T4) of all three is due at 5110 and swept at 5250 by one clock timer.
    expect(clock.pendingTimers()).toEqual([{ label: 'sip-tx sweep', dueMs: 5250 }]);
    clock.advanceTo(5249);
    expect(layer.clientCount).toBe(3);
    layer.receive(wire(createResponse(regs[0]!, 200, { toTag: 'r1' })), UDP); // still absorbed
    clock.advanceTo(5250);
    expect(layer.clientCount).toBe(0);
    expect(events.filter((e) => e.startsWith('terminated'))).toEqual(['terminated@5250', 'terminated@5250', 'terminated@5250']);
    expect(events.filter((e) => e.startsWith('response'))).toHaveLength(3);
    expect(clock.pendingTimers()).toEqual([]);
    // A Timer E schedule started off the grid is not rounded.
    layer.sendRequest(request('OPTIONS'), UDP, handlers);
    clock.advance(600);
    expect(sent.slice(-2).map((s) => s.at)).toEqual([5250, 5750]);
  });

  it('a 2xx moves to Accepted: retransmitted 2xx reach the TU until Timer M (RFC 6026)', () => {
    const { clock, layer, handlers, events } = setup();
    const invite = request('INVITE');
    layer.sendRequest(invite, UDP, handlers);
    const ok = wire(createResponse(invite, 200, { toTag: 'b1' }));
    layer.receive(ok, UDP);
    clock.advance(4000);
    layer.receive(ok, UDP);
    clock.advance(40_000);
    expect(events).toEqual(['response 200', 'response 200', 'terminated@32000']);
  });

  it('a transport error ends it at once', () => {
    const clock = new VirtualClock();
    const events: string[] = [];
    const layer = new TransactionLayer({ clock, send: () => false, tu: { onRequest: () => {} } });
    layer.sendRequest(request('INVITE'), UDP, { onResponse: () => {}, onTimeout: () => {}, onTransportError: () => events.push('503') });
    expect(events).toEqual(['503']);
    expect(layer.clientCount).toBe(0);
    expect(clock.pendingTimers()).toEqual([]);
  });
});

describe('non-INVITE client transaction (§17.1.2)', () => {
  it('UDP: Timer E doubles up to T2 = 4 s, Timer F at 32 s', () => {
    const { clock, sent, layer, handlers, events } = setup();
    layer.sendRequest(request('REGISTER'), UDP, handlers);
    clock.advance(40_000);
    expect(sent.map((s) => s.at)).toEqual([0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    expect(events).toEqual(['timeout@32000', 'terminated@32000']);
  });

  it('in Proceeding, retransmits every T2', () => {
    const { clock, sent, layer, handlers } = setup();
    const options = request('OPTIONS');
    layer.sendRequest(options, UDP, handlers);
    clock.advance(600);
    layer.receive(wire(createResponse(options, 100)), UDP);
    clock.advance(12_000);
    // E was 1000 after the 500 ms retransmission; in Proceeding it becomes T2.
    expect(sent.map((s) => s.at)).toEqual([0, 500, 1500, 5500, 9500]);
  });

  it('a final response is delivered once; retransmissions are absorbed until Timer K = T4', () => {
    const { clock, layer, handlers, events } = setup();
    const reg = request('REGISTER');
    layer.sendRequest(reg, UDP, handlers);
    const ok = wire(createResponse(reg, 200, { toTag: 'r1' }));
    layer.receive(ok, UDP);
    layer.receive(ok, UDP);
    clock.advance(10_000);
    expect(events).toEqual(['response 200', 'terminated@5000']);
  });

  it('TCP: Timer K is zero', () => {
    const { clock, layer, handlers, events } = setup();
    const reg = request('REGISTER', 'TCP');
    layer.sendRequest(reg, TCP, handlers);
    layer.receive(wire(createResponse(reg, 200, { toTag: 'r1' })), TCP);
    clock.advance(0);
    expect(events).toEqual(['response 200', 'terminated@0']);
  });
});

describe('INVITE server transaction (§17.2.1)', () => {
  it('retransmits a final 3xx-6xx on Timer G (doubling to T2) until Timer H, and reports the timeout', () => {
    const { clock, sent, layer, requests, serverTimeouts } = setup({ ...RFC3261_TIMERS });
    const invite = request('INVITE');
    layer.receive(wire(invite), UDP);
    expect(requests).toHaveLength(1);
    const tx = requests[0]!.tx!;
    tx.respond(createResponse(tx.request, 486, { toTag: 'x' }));
    clock.advance(40_000);
    expect(sent.map((s) => s.at)).toEqual([0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    expect(serverTimeouts).toEqual(['INVITE']);
    expect(layer.serverCount).toBe(0);
  });

  it('the ACK stops retransmissions; Confirmed absorbs ACKs until Timer I = T4', () => {
    const { clock, sent, layer, requests } = setup({ ...RFC3261_TIMERS });
    const invite = request('INVITE');
    layer.receive(wire(invite), UDP);
    const tx = requests[0]!.tx!;
    const busy = createResponse(tx.request, 486, { toTag: 'x' });
    tx.respond(busy);
    clock.advance(1000);
    const ack = createRequest({ method: 'ACK', uri: invite.uri, via: invite.topVia!, from: invite.from, to: wire(busy).to, callId: invite.callId, cseq: 1 });
    layer.receive(wire(ack), UDP);
    layer.receive(wire(ack), UDP);
    expect(tx.state).toBe('Confirmed');
    clock.advance(10_000);
    expect(sent.map((s) => s.at)).toEqual([0, 500]);
    expect(requests).toHaveLength(1); // the ACK went to the transaction, not the TU
    expect(layer.serverCount).toBe(0);
  });

  it('a retransmitted INVITE gets the last provisional again; after 2xx (Accepted) it is absorbed and ACKs reach the TU', () => {
    const { clock, sent, layer, requests } = setup();
    const invite = request('INVITE');
    layer.receive(wire(invite), UDP);
    const tx = requests[0]!.tx!;
    tx.respond(createResponse(tx.request, 180, { toTag: 'x' }));
    layer.receive(wire(invite), UDP);
    expect(sent.map((s) => startLine(s.message))).toEqual(['180', '180']);
    tx.respond(createResponse(tx.request, 200, { toTag: 'x' }));
    layer.receive(wire(invite), UDP);
    expect(sent.map((s) => startLine(s.message))).toEqual(['180', '180', '200']);
    const ack = createRequest({ method: 'ACK', uri: invite.uri, via: invite.topVia!, from: invite.from, to: '<sip:bob@127.0.0.1>;tag=x', callId: invite.callId, cseq: 1 });
    layer.receive(wire(ack), UDP);
    expect(requests.map((r) => `${r.request.method} ${r.tx ? 'tx' : 'no-tx'}`)).toEqual(['INVITE tx', 'ACK no-tx']);
    clock.advance(32_000);
    expect(layer.serverCount).toBe(0);
  });

  it('finds the INVITE a CANCEL refers to', () => {
    const { layer, requests } = setup();
    const invite = request('INVITE');
    layer.receive(wire(invite), UDP);
    const cancel = createRequest({ method: 'CANCEL', uri: invite.uri, via: invite.topVia!, from: invite.from, to: invite.to, callId: invite.callId, cseq: 1 });
    layer.receive(wire(cancel), UDP);
    expect(requests.map((r) => r.request.method)).toEqual(['INVITE', 'CANCEL']);
    expect(layer.findInviteForCancel(requests[1]!.request)).toBe(requests[0]!.tx);
  });
});

describe('non-INVITE server transaction (§17.2.2)', () => {
  it('absorbs retransmissions while Trying, repeats the last response afterwards, ends at Timer J', () => {
    const { clock, sent, layer, requests } = setup({ ...RFC3261_TIMERS, jMs: 5000 });
    const options = request('OPTIONS');
    layer.receive(wire(options), UDP);
    layer.receive(wire(options), UDP);
    expect(requests).toHaveLength(1);
    expect(sent).toHaveLength(0);
    requests[0]!.tx!.respond(createResponse(requests[0]!.tx!.request, 200, { toTag: 'o' }));
    clock.advance(1000);
    layer.receive(wire(options), UDP);
    expect(sent.map((s) => `${s.at} ${startLine(s.message)}`)).toEqual(['0 200', '1000 200']);
    clock.advance(4000);
    expect(layer.serverCount).toBe(0);
    layer.receive(wire(options), UDP);
    expect(requests).toHaveLength(2); // after Timer J a retransmission is a new request
  });
});

describe('RFC 2543 peers (no magic cookie)', () => {
  it('match retransmissions and the ACK by dialog fields', () => {
    const { layer, requests, sent } = setup();
    const invite = createRequest({
      method: 'INVITE',
      uri: 'sip:bob@127.0.0.1',
      via: 'SIP/2.0/UDP 127.0.0.1:5060;branch=old-style-1',
      from: '<sip:alice@127.0.0.1>;tag=a1',
      to: '<sip:bob@127.0.0.1>',
      callId: 'c2543',
      cseq: 7,
    });
    layer.receive(wire(invite), UDP);
    const tx = requests[0]!.tx!;
    tx.respond(createResponse(tx.request, 404, { toTag: 'nf' }));
    layer.receive(wire(invite), UDP);
    expect(sent.map((s) => startLine(s.message))).toEqual(['404', '404']);
    const ack = createRequest({ method: 'ACK', uri: 'sip:bob@127.0.0.1', via: invite.topVia!, from: invite.from, to: '<sip:bob@127.0.0.1>;tag=nf', callId: 'c2543', cseq: 7 });
    layer.receive(wire(ack), UDP);
    expect(tx.state).toBe('Confirmed');
  });
});
