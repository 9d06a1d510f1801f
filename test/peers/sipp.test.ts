// The SIPp peer and our scenario files: each UAS scenario is played against its SIPp UAC
// counterpart directly on loopback (no proxy), and the message flows both sides logged are checked.
import { readFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { messageFlow, parseSippMessageLog, peerGroup, scenarioNames, scenarioPath, silenceForIgnoredInvites } from './index.js';
import { processGroupMembers, socketsOf } from './sockets.js';
import type { ScenarioName, SippInstance, SippOptions, SippResult } from './index.js';

describe('SIPp helpers', () => {
  it('parses a -trace_msg log into messages', () => {
    const log = [
      '----------------------------------------------- 2026-11-22 22:40:50.332886',
      'UDP message sent (120 bytes):',
      '',
      'INVITE sip:bob@127.0.0.9:5060 SIP/2.0\r',
      'Via: SIP/2.0/UDP 127.0.0.8:5070;branch=z9hG4bK-1-1-0\r',
      'CSeq: 1 INVITE\r',
      'Content-Length: 0\r',
      '\r',
      '',
      '----------------------------------------------- 2026-11-22 22:40:50.332937',
      'TCP message received [80] bytes :',
      '',
      'SIP/2.0 486 Busy Here\r',
      'CSeq: 1 INVITE\r',
      '\r',
      '',
    ].join('\n');
    const messages = parseSippMessageLog(log);
    expect(messages.map((m) => [m.direction, m.transport, m.method, m.status, m.cseqMethod])).toEqual([
      ['sent', 'UDP', 'INVITE', undefined, 'INVITE'],
      ['received', 'TCP', undefined, 486, 'INVITE'],
    ]);
    expect(messages[0]!.headers.get('via')).toEqual(['SIP/2.0/UDP 127.0.0.8:5070;branch=z9hG4bK-1-1-0']);
    expect(messageFlow(messages)).toEqual(['> INVITE', '< 486 INVITE']);
  });

  it('computes the silence that makes the UAS ignore n INVITE copies (T1 = 500 ms)', () => {
    expect(silenceForIgnoredInvites(1)).toBe(1000); // copies at 0 and 500 ms arrive, 1500 ms would be next
    expect(silenceForIgnoredInvites(2)).toBe(2500); // 0, 500, 1500 arrive; 3500 would be next
  });

  it('has a comment header saying what each scenario tests', () => {
    const names = scenarioNames();
    expect(names).toEqual([
      'uac_call', 'uac_cancel', 'uac_prack', 'uac_register_auth', 'uas_answer_rtp_echo', 'uas_busy_486', 'uas_bye',
      'uas_cancel_race', 'uas_challenge_401', 'uas_challenge_407', 'uas_ignore_first_invites', 'uas_prack', 'uas_redirect_3xx', 'uas_reinvite',
    ]);
    for (const name of names) {
      const text = readFileSync(scenarioPath(name), 'utf8');
      expect(text, name).toMatch(new RegExp(`<!--\\s*\\n\\s*${name}\\.xml - [^\\n]+\\n\\s*Tests`));
    }
  });
});

describe('SIPp scenario pairs on loopback', () => {
  const peers = peerGroup();

  async function play(uasScenario: ScenarioName, uacScenario: ScenarioName, uasOptions: Partial<SippOptions> = {}, uacOptions: Partial<SippOptions> = {}): Promise<{ uas: SippResult; uac: SippResult; instance: SippInstance }> {
    const instance = await peers.sipp({ scenario: uasScenario, service: 'bob', ...uasOptions });
    const uac = await peers.runSipp({ scenario: uacScenario, target: instance, service: 'bob', keys: { caller: 'alice' }, timeoutMs: 10_000, ...uacOptions });
    const uas = await instance.done;
    return { uas, uac, instance };
  }

  it('uas_answer_rtp_echo answers and echoes RTP; SIPp binds only its loopback address', async () => {
    const uas = await peers.sipp({ scenario: 'uas_answer_rtp_echo', service: 'bob', rtpEcho: true });
    const sockets = socketsOf(processGroupMembers(uas.pid!));
    // SIP, RTP echo on media port and port+2, and the control socket (-ci/-cp).
    const ports = sockets.map((s) => s.port);
    expect(ports).toHaveLength(4);
    expect(ports).toEqual(expect.arrayContaining([uas.port, uas.mediaPort, uas.mediaPort + 2]));
    for (const s of sockets) expect(s.address).toBe(uas.address);

    const echoed = await new Promise<Buffer>((resolve, reject) => {
      const socket = createSocket('udp4');
      const timer = setTimeout(() => reject(new Error('no RTP echo within 2 s')), 2000);
      socket.on('message', (data) => {
        clearTimeout(timer);
        socket.close();
        resolve(data);
      });
      socket.bind({ address: uas.address, port: 0 }, () => {
        // RTP version 2, PT 0, seq 1, ts 160, SSRC 0x11223344, 4 bytes of payload.
        socket.send(Buffer.from('80000001000000a011223344deadbeef', 'hex'), uas.mediaPort, uas.address);
      });
    });
    expect(echoed.toString('hex')).toBe('80000001000000a011223344deadbeef');

    const call = await peers.runSipp({ scenario: 'uac_call', target: uas, service: 'bob' });
    expect(messageFlow(call.messages)).toEqual(['> INVITE', '< 100 INVITE', '< 180 INVITE', '< 200 INVITE', '> ACK', '> BYE', '< 200 BYE']);
    const answer = call.messages[3]!.raw;
    expect(answer).toContain(`m=audio ${uas.mediaPort} RTP/AVP 0 8 101`);
    expect(answer).toContain(`c=IN IP4 ${uas.address}`);
  });

  it('uas_busy_486: 486, ACKed', async () => {
    const { uas, uac } = await play('uas_busy_486', 'uac_call');
    expect(messageFlow(uac.messages)).toEqual(['> INVITE', '< 100 INVITE', '< 486 INVITE', '> ACK']);
    expect(uas.exitCode).toBe(0);
    const ack = uac.messages[3]!;
    const invite = uac.messages[0]!;
    expect(ack.headers.get('via')).toEqual(invite.headers.get('via')); // same branch: RFC 3261 §17.1.1.3
    expect(ack.headers.get('to')?.[0]).toMatch(/;tag=/);
  });

  it('uas_redirect_3xx: 302 with the redirect Contact, ACKed', async () => {
    const { uas, uac } = await play('uas_redirect_3xx', 'uac_call', { keys: { redirect_contact: '<sip:carol@127.0.0.77:5099>' } });
    expect(messageFlow(uac.messages)).toEqual(['> INVITE', '< 302 INVITE', '> ACK']);
    expect(uac.messages[1]!.headers.get('contact')).toEqual(['<sip:carol@127.0.0.77:5099>']);
    expect(uas.exitCode).toBe(0);
  });

  it('uas_challenge_401: verifies the digest; right password answered, wrong one 403', async () => {
    const keys = { auth_user: 'alice', auth_password: 'pw' };
    const good = await play('uas_challenge_401', 'uac_call', { keys }, { authUser: 'alice', password: 'pw' });
    expect(messageFlow(good.uac.messages)).toEqual(['> INVITE', '< 401 INVITE', '> ACK', '> INVITE', '< 180 INVITE', '< 200 INVITE', '> ACK', '> BYE', '< 200 BYE']);
    expect(good.uac.messages[3]!.headers.get('authorization')?.[0]).toMatch(/^Digest username="alice"/);
    expect(good.uac.messages[3]!.headers.get('cseq')).toEqual(['2 INVITE']);
    const bad = await play('uas_challenge_401', 'uac_call', { keys }, { authUser: 'alice', password: 'wrong' });
    expect(messageFlow(bad.uac.messages)).toEqual(['> INVITE', '< 401 INVITE', '> ACK', '> INVITE', '< 403 INVITE', '> ACK']);
  });

  it('uas_challenge_407: Proxy-Authenticate, Proxy-Authorization present -> answered', async () => {
    const { uac } = await play('uas_challenge_407', 'uac_call', {}, { authUser: 'alice', password: 'pw' });
    expect(messageFlow(uac.messages)).toEqual(['> INVITE', '< 407 INVITE', '> ACK', '> INVITE', '< 180 INVITE', '< 200 INVITE', '> ACK', '> BYE', '< 200 BYE']);
    expect(uac.messages[1]!.headers.get('proxy-authenticate')?.[0]).toMatch(/^Digest realm="127\.0\.0\.\d+", nonce="[^"]+", algorithm=MD5, qop="auth"$/);
    expect(uac.messages[3]!.headers.get('proxy-authorization')?.[0]).toMatch(/^Digest username="alice"/);
  });

  it('uas_bye: the UAS hangs up along the route set and the caller answers 200', async () => {
    const { uas, uac } = await play('uas_bye', 'uac_call', { durationMs: 100 }, { durationMs: 10_000 });
    expect(messageFlow(uas.messages)).toEqual(['< INVITE', '> 100 INVITE', '> 180 INVITE', '> 200 INVITE', '< ACK', '> BYE', '< 200 BYE']);
    expect(messageFlow(uac.messages)).toEqual(['> INVITE', '< 100 INVITE', '< 180 INVITE', '< 200 INVITE', '> ACK', '< BYE', '> 200 BYE']);
    const bye = uas.messages[5]!;
    expect(bye.startLine).toMatch(/^BYE sip:alice@127\.0\.0\.\d+:\d+;transport=UDP SIP\/2\.0$/); // the caller's Contact
    expect(bye.headers.get('from')?.[0]).toMatch(/^<sip:bob@[^>]+>;tag=\w+/);
    expect(bye.headers.get('to')?.[0]).toBe(uac.messages[0]!.headers.get('from')?.[0]);
  });

  it('uas_ignore_first_invites: the first INVITE copy is ignored, the retransmission answered', async () => {
    const { uas, uac } = await play('uas_ignore_first_invites', 'uac_call', { durationMs: silenceForIgnoredInvites(1) });
    expect(messageFlow(uac.messages)).toEqual(['> INVITE', '> INVITE', '< 100 INVITE', '< 180 INVITE', '< 200 INVITE', '> ACK', '> BYE', '< 200 BYE']);
    expect(messageFlow(uas.messages).slice(0, 3)).toEqual(['< INVITE', '< INVITE', '> 100 INVITE']);
  });

  it('uas_cancel_race + uac_cancel: 200 for the INVITE after the CANCEL, then ACK and BYE', async () => {
    const { uas, uac } = await play('uas_cancel_race', 'uac_cancel');
    expect(messageFlow(uac.messages)).toEqual(['> INVITE', '< 100 INVITE', '< 180 INVITE', '> CANCEL', '< 200 CANCEL', '< 200 INVITE', '> ACK', '> BYE', '< 200 BYE']);
    expect(uas.exitCode).toBe(0);
    const invite = uac.messages[0]!;
    const cancel = uac.messages[3]!;
    expect(cancel.headers.get('via')).toEqual(invite.headers.get('via')); // RFC 3261 §9.1
    expect(cancel.headers.get('cseq')).toEqual(['1 CANCEL']);
  });

  it('uas_prack + uac_prack: reliable 183, PRACK with RAck, 200 without a body', async () => {
    const { uas, uac } = await play('uas_prack', 'uac_prack');
    expect(messageFlow(uac.messages)).toEqual(['> INVITE', '< 100 INVITE', '< 183 INVITE', '> PRACK', '< 200 PRACK', '< 200 INVITE', '> ACK', '> BYE', '< 200 BYE']);
    expect(uac.messages[2]!.headers.get('require')).toEqual(['100rel']);
    expect(uac.messages[2]!.headers.get('rseq')).toEqual(['1']);
    expect(uac.messages[3]!.headers.get('rack')).toEqual(['1 1 INVITE']);
    expect(uac.messages[5]!.headers.get('content-length')?.[0]?.trim()).toBe('0');
    expect(uas.exitCode).toBe(0);
  });

  it('runs over TCP too (uas_busy_486)', async () => {
    const { uas, uac } = await play('uas_busy_486', 'uac_call', { transport: 'tcp' }, { transport: 'tcp' });
    expect(messageFlow(uac.messages)).toEqual(['> INVITE', '< 100 INVITE', '< 486 INVITE', '> ACK']);
    expect(uac.messages.every((m) => m.transport === 'TCP')).toBe(true);
    expect(uas.exitCode).toBe(0);
  });
});
