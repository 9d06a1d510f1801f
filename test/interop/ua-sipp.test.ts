// The real stack (UdpTransport + TransactionLayer + UserAgent + InviteSession on the system
// clock) against SIPp over UDP on loopback: INVITE retransmissions while responses are missing,
// Timer B's 408, CANCEL racing the 200, a re-INVITE and a BYE from SIPp, our BYE, and PRACK with a
// SIPp caller that requires 100rel.
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/system-clock.js';
import type { SipMessage, SipRequest } from '../../src/sip/message/index.js';
import { TransactionLayer, type Peer } from '../../src/sip/transaction/transaction-layer.js';
import { RFC3261_TIMERS, type TransactionTimers } from '../../src/sip/transaction/types.js';
import { UdpTransport } from '../../src/sip/transport/index.js';
import type { InviteSession } from '../../src/sip/ua/invite-session.js';
import type { SessionOptions } from '../../src/sip/ua/session-options.js';
import { UserAgent } from '../../src/sip/ua/user-agent.js';
import { loopbackAddress, messageFlow, silenceForIgnoredInvites, sippUnavailable, startSipp, type SippInstance, type SippOptions, type SippResult } from '../peers/index.js';

const SDP = 'v=0\r\no=vphone 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n';

interface Phone {
  readonly ua: UserAgent;
  readonly address: string;
  readonly port: number;
  readonly incoming: InviteSession[];
  /** Requests and responses we sent, with the time (ms since the phone started). */
  readonly sent: Array<{ at: number; label: string }>;
  call(sipp: SippInstance): InviteSession;
  close(): Promise<void>;
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function phone(options: { session?: SessionOptions; timers?: TransactionTimers } = {}): Promise<Phone> {
  const clock = new SystemClock();
  const address = loopbackAddress();
  const transport = new UdpTransport({ address, port: 0, clock });
  await transport.start();
  const incoming: InviteSession[] = [];
  const sent: Array<{ at: number; label: string }> = [];
  const label = (m: SipMessage) => (m.kind === 'request' ? (m as SipRequest).method : `${m.status} ${m.cseq.method}`);
  const layer = new TransactionLayer({
    clock,
    send: (m, p) => {
      sent.push({ at: clock.now(), label: label(m) });
      return transport.send(m, p);
    },
    tu: { onRequest: (r, tx, s) => ua.onRequest(r, tx, s), onStrayResponse: (r) => ua.onStrayResponse(r) },
  });
  transport.events.on('message', ({ message, source }) => layer.receive(message, source));
  const port = transport.local.port;
  const ua: UserAgent = new UserAgent({
    layer,
    clock,
    timers: options.timers,
    via: (branch) => transport.via(branch),
    contact: `<sip:phone@${address}:${port}>`,
    userAgent: 'vphone-interop',
    session: options.session,
    onInvite: (s) => incoming.push(s),
  });
  const p: Phone = {
    ua,
    address,
    port,
    incoming,
    sent,
    call: (sipp) => {
      const peer: Peer = { address: sipp.address, port: sipp.port, transport: 'udp' };
      sent.length = 0;
      return ua.invite({ from: `<sip:phone@${address}>`, to: `<${sipp.uri('bob')}>`, uri: sipp.uri('bob'), peer, body: SDP, contentType: 'application/sdp' });
    },
    close: async () => {
      layer.clear();
      clock.stop();
      await transport.close();
    },
  };
  cleanups.push(() => p.close());
  return p;
}

async function sipp(options: SippOptions): Promise<SippInstance> {
  const instance = await startSipp({ service: 'bob', timeoutMs: 10_000, ...options });
  cleanups.push(() => instance.stop());
  return instance;
}

function ended(session: InviteSession): Promise<string> {
  return new Promise((resolve) => session.events.on('terminated', (t) => resolve(`${t.reason}${t.status ? ` ${t.status}` : ''}`)));
}

function state(session: InviteSession, wanted: string): Promise<void> {
  return new Promise((resolve) => {
    if (session.state === wanted) return resolve();
    session.events.on('state', (s) => s === wanted && resolve());
  });
}

async function finished(instance: SippInstance): Promise<SippResult> {
  const r = await instance.done;
  expect(r.exitCode, `${messageFlow(r.messages).join('\n')}\n${r.errors}\n${r.output.slice(-1500)}`).toBe(0);
  return r;
}

const skip = sippUnavailable();

describe.skipIf(skip !== undefined)('UA against SIPp over UDP', () => {
  it('INVITE copies at 0, 0.5, 1.5 s while SIPp stays silent; the late answer is taken; our BYE', async () => {
    const uas = await sipp({ scenario: 'uas_ignore_first_invites', durationMs: silenceForIgnoredInvites(2) });
    const me = await phone();
    const call = me.call(uas);
    await state(call, 'confirmed');
    const invites = me.sent.filter((s) => s.label === 'INVITE').map((s) => s.at - me.sent[0]!.at);
    expect(invites).toHaveLength(3);
    expect(invites[1]).toBeGreaterThanOrEqual(495);
    expect(invites[1]).toBeLessThan(650);
    expect(invites[2]).toBeGreaterThanOrEqual(1495);
    expect(invites[2]).toBeLessThan(1700);
    const end = ended(call);
    call.hangup();
    expect(await end).toBe('local-bye 200');
    const r = await finished(uas);
    expect(messageFlow(r.messages).filter((l) => l === '< INVITE')).toHaveLength(3);
  });

  it('no answer at all: Timer A doubles (T1 = 100 ms here), Timer B ends the call with 408', async () => {
    const uas = await sipp({ scenario: 'uas_ignore_first_invites', durationMs: 20_000 });
    const me = await phone({ timers: { ...RFC3261_TIMERS, t1Ms: 100, bMs: 3_200 } });
    const t0 = performance.now();
    const call = me.call(uas);
    const started = me.sent[0]!.at;
    expect(await ended(call)).toBe('timeout 408');
    const took = performance.now() - t0;
    const invites = me.sent.filter((s) => s.label === 'INVITE').map((s) => s.at - started);
    // Timer A: copies at 0, 0.1, 0.3, 0.7, 1.5, 3.1 s (doubling; no T2 cap for INVITE), Timer B at 3.2 s.
    const expected = [0, 100, 300, 700, 1500, 3100];
    expect(invites).toHaveLength(expected.length);
    invites.forEach((at, i) => expect(Math.abs(at - expected[i]!), `copy ${i} at ${at}`).toBeLessThan(80));
    expect(took).toBeGreaterThan(3_150);
    const r = await uas.stop();
    expect(messageFlow(r.messages).filter((l) => l === '< INVITE').length).toBeGreaterThanOrEqual(5);
  });

  it('CANCEL racing the 200: the 2xx is ACKed, then the call is ended with BYE', async () => {
    const uas = await sipp({ scenario: 'uas_cancel_race' });
    const me = await phone();
    const call = me.call(uas);
    call.events.on('provisional', (r) => r.status === 180 && call.cancel());
    const end = ended(call);
    expect(await end).toBe('local-bye 200');
    const r = await finished(uas);
    expect(messageFlow(r.messages)).toEqual(['< INVITE', '> 100 INVITE', '> 180 INVITE', '< CANCEL', '> 200 CANCEL', '> 200 INVITE', '< ACK', '< BYE', '> 200 BYE']);
  });

  it('re-INVITE from SIPp: the offer reaches the call layer, its answer goes in the 200; then our BYE', async () => {
    const uas = await sipp({ scenario: 'uas_reinvite', durationMs: 100 });
    const me = await phone();
    const call = me.call(uas);
    const offers: string[] = [];
    const reinvited = new Promise<void>((resolve) =>
      call.events.on('offer', (o) => {
        offers.push(o.body.toString().includes('a=sendonly') ? 'sendonly' : 'other');
        o.answer(SDP.replace('m=audio', 'a=recvonly\r\nm=audio'));
        resolve();
      }),
    );
    await reinvited;
    await new Promise((r) => setTimeout(r, 100)); // the ACK
    const end = ended(call);
    call.hangup();
    expect(await end).toBe('local-bye 200');
    const r = await finished(uas);
    expect(offers).toEqual(['sendonly']);
    expect(messageFlow(r.messages)).toEqual([
      '< INVITE', '> 100 INVITE', '> 180 INVITE', '> 200 INVITE', '< ACK',
      '> INVITE', '< 200 INVITE', '> ACK', '< BYE', '> 200 BYE',
    ]);
    const ok = r.messages.find((m) => m.status === 200 && m.cseqMethod === 'INVITE' && m.direction === 'received')!;
    expect(ok.raw).toContain('a=recvonly');
  });

  it('BYE from SIPp ends the call; we answer 200', async () => {
    const uas = await sipp({ scenario: 'uas_bye', durationMs: 200 });
    const me = await phone();
    const call = me.call(uas);
    expect(await ended(call)).toBe('remote-bye');
    const r = await finished(uas);
    expect(messageFlow(r.messages).slice(-2)).toEqual(['> BYE', '< 200 BYE']);
  });

  it('PRACK: a SIPp caller with Supported: 100rel gets a reliable 183, PRACKs it, then the 200', async () => {
    const me = await phone({ session: { reliableProvisional: true } });
    let session: InviteSession | undefined;
    const answered = new Promise<InviteSession>((resolve) => {
      const check = setInterval(() => {
        session = me.incoming[0];
        if (!session) return;
        clearInterval(check);
        session.progress(183, { body: SDP });
        session.accept({ body: SDP }); // held back until the PRACK (RFC 3262 §3)
        resolve(session);
      }, 5);
    });
    const uac = await sipp({ scenario: 'uac_prack', target: { address: me.address, port: me.port }, durationMs: 200 });
    const s = await answered;
    expect(await ended(s)).toBe('remote-bye');
    const r = await finished(uac);
    expect(messageFlow(r.messages)).toEqual([
      '> INVITE', '< 100 INVITE', '< 183 INVITE', '> PRACK', '< 200 PRACK', '< 200 INVITE', '> ACK', '> BYE', '< 200 BYE',
    ]);
    const r183 = r.messages.find((m) => m.status === 183)!;
    expect(r183.headers.get('require')).toEqual(['100rel']);
    expect(Number(r183.headers.get('rseq')![0])).toBeGreaterThan(0);
  });
});
