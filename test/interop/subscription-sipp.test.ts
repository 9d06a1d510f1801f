// Subscriptions and REFER against SIPp over real UDP on loopback: the real UdpTransport,
// TransactionLayer and UserAgent on the system clock. SIPp plays a voicemail server
// (message-summary NOTIFYs, then our unsubscribe), a PBX serving the dialog event (BLF), and a
// caller that transfers us with REFER; the scenario files check what we send (see their headers).
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/system-clock.js';
import { parseDialogInfo } from '../../src/sip/events/dialog-info.js';
import { BlfTracker } from '../../src/sip/events/blf.js';
import { parseMessageSummary } from '../../src/sip/events/message-summary.js';
import { acceptRefers } from '../../src/sip/refer/referee.js';
import { Subscriber } from '../../src/sip/subscription/subscriber.js';
import { TransactionLayer, type Peer } from '../../src/sip/transaction/transaction-layer.js';
import { UdpTransport } from '../../src/sip/transport/index.js';
import type { InviteSession } from '../../src/sip/ua/invite-session.js';
import { UserAgent } from '../../src/sip/ua/user-agent.js';
import { loopbackAddress, messageFlow, SCENARIO_DIR, sippUnavailable, startSipp, waitFor, type SippInstance } from '../peers/index.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

// Kept in sipp/events/ so the harness's own scenario catalogue (sipp.test.ts) stays as it is.
const scenario = (name: string) => ({ file: join(SCENARIO_DIR, 'events', `${name}.xml`) });

interface Phone {
  readonly ua: UserAgent;
  readonly peer: Peer;
  readonly incoming: InviteSession[];
}

async function phone(name: string, clock: SystemClock): Promise<Phone> {
  const address = loopbackAddress();
  const transport = new UdpTransport({ address, port: 0, clock });
  await transport.start();
  cleanups.push(() => transport.close());
  const incoming: InviteSession[] = [];
  const layer = new TransactionLayer({
    clock,
    send: (m, p) => transport.send(m, p),
    tu: { onRequest: (r, tx, s) => ua.onRequest(r, tx, s), onStrayResponse: (r) => ua.onStrayResponse(r) },
  });
  cleanups.push(() => layer.clear());
  transport.events.on('message', ({ message, source }) => layer.receive(message, source));
  const ua: UserAgent = new UserAgent({
    layer,
    clock,
    via: (branch) => transport.via(branch),
    contact: `<sip:${name}@${address}:${transport.local.port}>`,
    userAgent: 'vphone-interop',
    onInvite: (session) => incoming.push(session),
  });
  return { ua, peer: { address, port: transport.local.port, transport: 'udp' }, incoming };
}

function systemClock(): SystemClock {
  const clock = new SystemClock();
  cleanups.push(() => clock.stop());
  return clock;
}

async function sippUas(name: string): Promise<SippInstance> {
  const sipp = await startSipp({ scenario: scenario(name), timeoutMs: 10_000 });
  cleanups.push(async () => void (await sipp.stop()));
  return sipp;
}

function peerOf(sipp: SippInstance): Peer {
  return { address: sipp.address, port: sipp.port, transport: 'udp' };
}

describe.skipIf(sippUnavailable() !== undefined)('subscriptions and REFER against SIPp (UDP loopback)', () => {
  it('message-summary: 200, NOTIFY yes then no drive the MWI LED; unsubscribe gets the final NOTIFY', async () => {
    const clock = systemClock();
    const me = await phone('100', clock);
    const vm = await sippUas('uas_subscribe_mwi');
    const sub = new Subscriber({
      host: me.ua,
      event: 'message-summary',
      accept: ['application/simple-message-summary'],
      target: `sip:100@${vm.address}:${vm.port}`,
      from: `<sip:100@${vm.address}>`,
      peer: peerOf(vm),
    });
    const led: Array<boolean | string> = [];
    sub.events.on('notify', (n) => {
      if (n.body.length === 0) return;
      const s = parseMessageSummary(n.body);
      led.push(s.ok ? s.value.messagesWaiting : s.error.message);
      if (led.length === 2) sub.unsubscribe();
    });
    sub.start();
    const result = await vm.done;
    await waitFor('subscription end', () => (sub.state === 'terminated' ? true : undefined), 2000, 10);
    expect(result.exitCode, `${messageFlow(result.messages).join(' ')}\n${result.errors}`).toBe(0);
    expect(led).toEqual([true, false]);
    expect(messageFlow(result.messages)).toEqual(['< SUBSCRIBE', '> 200 SUBSCRIBE', '> NOTIFY', '< 200 NOTIFY', '> NOTIFY', '< 200 NOTIFY', '< SUBSCRIBE', '> 200 SUBSCRIBE', '> NOTIFY', '< 200 NOTIFY']);
    const first = result.messages[0]!;
    expect(first.headers.get('expires')).toEqual(['3600']);
    expect(first.headers.get('accept')).toEqual(['application/simple-message-summary']);
    // The unsubscribe is in the dialog: same Call-ID, SIPp's tag in To, CSeq 2.
    const un = result.messages[6]!;
    expect(un.headers.get('call-id')).toEqual(first.headers.get('call-id'));
    expect(un.headers.get('to')![0]).toMatch(/;tag=/);
    expect(un.headers.get('cseq')).toEqual(['2 SUBSCRIBE']);
  });

  it('dialog event (BLF): full then partial documents give ringing, busy, idle; noresource is not retried', async () => {
    const clock = systemClock();
    const me = await phone('100', clock);
    const pbx = await sippUas('uas_subscribe_dialog');
    const blf = new BlfTracker();
    const lamps: string[] = [];
    const sub = new Subscriber({ host: me.ua, event: 'dialog', accept: ['application/dialog-info+xml'], target: `sip:201@${pbx.address}:${pbx.port}`, from: `<sip:100@${pbx.address}>`, peer: peerOf(pbx) });
    sub.events.on('notify', (n) => {
      const info = parseDialogInfo(n.body);
      if (!info.ok) return void lamps.push(info.error.message);
      lamps.push(`${blf.apply(info.value)} ${blf.status}`);
    });
    sub.start();
    const result = await pbx.done;
    await waitFor('subscription end', () => (sub.state === 'terminated' ? true : undefined), 2000, 10);
    expect(result.exitCode, `${messageFlow(result.messages).join(' ')}\n${result.errors}`).toBe(0);
    expect(lamps).toEqual(['applied ringing', 'applied busy', 'applied idle']);
    expect(sub.state).toBe('terminated');
  });

  it('REFER from a SIPp caller: 202, NOTIFY 100 Trying, we call the target, final NOTIFY 200 terminated, then BYE', async () => {
    const clock = systemClock();
    const bob = await phone('bob', clock);
    const carol = await phone('carol', clock);
    // Carol answers at once (the scenario expects no 180 NOTIFY).
    const carolAnswers = () => {
      for (const s of carol.incoming) if (s.state === 'early') s.accept({ body: 'v=0\r\n', contentType: 'application/sdp' });
    };
    const carolTimer = clock.setPeriodic(5, carolAnswers, 'test carol answers');
    cleanups.push(() => carolTimer.cancel());
    const transfers: string[] = [];
    const placed: InviteSession[] = [];
    const bobAnswers = clock.setPeriodic(
      5,
      () => {
        for (const s of bob.incoming) {
          if (s.state !== 'early') continue;
          s.accept({ body: 'v=0\r\n', contentType: 'application/sdp' });
          acceptRefers(bob.ua, s.dialog!, (refer) => {
            transfers.push(`${refer.target.uri.toString()} by ${refer.referredBy?.uri.toString()}`);
            refer.accept();
            const call = bob.ua.invite({ from: `<sip:bob@${bob.peer.address}>`, to: `<${refer.target.uri.toString()}>`, uri: refer.target.uri, peer: carol.peer, body: 'v=0\r\n', contentType: 'application/sdp' });
            placed.push(call);
            call.events.on('provisional', (r) => refer.progress(r.status));
            call.events.on('established', () => refer.finish(200));
            call.events.on('terminated', (t) => refer.finish(t.status ?? 500));
          });
        }
      },
      'test bob answers',
    );
    cleanups.push(() => bobAnswers.cancel());
    const target = `sip:carol@${carol.peer.address}:${carol.peer.port}`;
    const caller = await startSipp({ scenario: scenario('uac_refer'), target: bob.peer, service: 'bob', keys: { refer_target: target }, timeoutMs: 10_000 });
    cleanups.push(async () => void (await caller.stop()));
    const result = await caller.done;
    expect(result.exitCode, `${messageFlow(result.messages).join(' ')}\n${result.errors}`).toBe(0);
    expect(transfers).toEqual([`${target} by sip:sipp@${bob.peer.address}`]);
    expect(placed.map((c) => c.state)).toEqual(['confirmed']);
    expect(messageFlow(result.messages).filter((l) => !/ 1[08]0 INVITE/.test(l))).toEqual([
      '> INVITE',
      '< 200 INVITE',
      '> ACK',
      '> REFER',
      '< 202 REFER',
      '< NOTIFY',
      '> 200 NOTIFY',
      '< NOTIFY',
      '> 200 NOTIFY',
      '> BYE',
      '< 200 BYE',
    ]);
    const notify = result.messages.find((m) => m.method === 'NOTIFY')!;
    expect(notify.headers.get('event')).toEqual(['refer;id=2']);
    expect(notify.headers.get('content-type')).toEqual(['message/sipfrag']);
  });
});
