// The Kamailio peer: registrar with digest auth (MD5 through SIPp, SHA-256 through the harness's
// own client since SIPp 3.6 has no SHA-256), 407 for INVITE, proxied calls SIPp -> Kamailio -> SIPp
// over UDP and TCP, and clean shutdown. Everything on 127.0.0.0/8.
import { beforeAll, describe, expect, it } from 'vitest';
import { messageFlow, peerGroup, registerWithSipp, renderKamailioConfig, parseUlDump } from './index.js';
import { buildRequest, digestAuthorization, parseDigestChallenge, sendRequest, sipOptions } from './sip-client.js';
import { processGroupMembers, socketsOf } from './sockets.js';
import type { Kamailio, SippResult } from './index.js';
import type { SipTransport } from './sip-client.js';

const ALICE = { user: 'alice', password: 'alice-secret' };
const BOB = { user: 'bob', password: 'bob "quoted" \\ secret' };
// One callee per transport, so a call never forks to the other test's (finished) UAS.
const CALLEES = { udp: { user: 'udpbob', password: 'u-pw' }, tcp: { user: 'tcpbob', password: 't-pw' } } as const;

describe('renderKamailioConfig', () => {
  const base = { address: '127.0.0.9', port: 25060, ctlSocket: '/tmp/x/ctl', moduleDir: '/usr/lib/x86_64-linux-gnu/kamailio/modules' };

  it('turns options into #!define lines after the first line', () => {
    const cfg = renderKamailioConfig({ ...base, transports: ['udp', 'tcp'], authRequests: true, authAlgorithm: 'SHA-256', badPassword: '403' });
    const lines = cfg.split('\n');
    expect(lines[0]).toBe('#!KAMAILIO');
    expect(lines.slice(1, 6)).toEqual(['#!define WITH_TCP', '#!define AUTH_REGISTER', '#!define AUTH_REQUESTS', '#!define AUTH_SHA256', '#!define BAD_PASSWORD_403']);
    expect(cfg).toContain('listen=udp:127.0.0.9:25060\nlisten=tcp:127.0.0.9:25060');
    expect(cfg).not.toMatch(/%%[A-Z_]+%%/);
  });

  it('escapes passwords and keys users by user@realm', () => {
    const cfg = renderKamailioConfig({ ...base, users: [BOB, { user: 'carol', password: 'c', domain: 'example.test' }] });
    expect(cfg).toContain('$sht(users=>bob@127.0.0.9) = "bob \\"quoted\\" \\\\ secret";');
    expect(cfg).toContain('$sht(users=>carol@example.test) = "c";');
    expect(cfg).toContain('alias="example.test"');
  });

  it('refuses names that would break the generated config', () => {
    expect(() => renderKamailioConfig({ ...base, users: [{ user: 'a b', password: 'x' }] })).toThrow(/unsupported characters/);
    expect(() => renderKamailioConfig({ ...base, users: [{ user: 'a', password: 'line\nbreak' }] })).toThrow(/line breaks/);
  });

  it('parses kamcmd ul.dump output', () => {
    const dump = [
      '{', '\tDomains: {', '\t\tDomain: {', '\t\t\tDomain: location', '\t\t\tAoRs: {', '\t\t\t\tInfo: {',
      '\t\t\t\t\tAoR: alice', '\t\t\t\t\tContacts: {', '\t\t\t\t\t\tContact: {',
      '\t\t\t\t\t\t\tAddress: sip:alice@127.0.0.5:5070;transport=UDP', '\t\t\t\t\t\t\tExpires: 3600',
      '\t\t\t\t\t\t\tCall-ID: 1-2@127.0.0.5', '\t\t\t\t\t\t\tUser-Agent: vphone-test-sipp', '\t\t\t\t\t\t\tSocket: udp:127.0.0.9:25060', '}',
    ].join('\n');
    expect(parseUlDump(dump)).toEqual([
      { aor: 'alice', uri: 'sip:alice@127.0.0.5:5070;transport=UDP', expires: 3600, callId: '1-2@127.0.0.5', socket: 'udp:127.0.0.9:25060', userAgent: 'vphone-test-sipp' },
    ]);
  });
});

describe('Kamailio on loopback', () => {
  const peers = peerGroup();
  let proxy: Kamailio; // MD5, REGISTER challenged, calls not challenged, UDP + TCP
  let strict: Kamailio; // MD5, INVITE challenged with 407, wrong password -> 403
  let sha: Kamailio; // SHA-256 digest, TCP only

  beforeAll(async () => {
    [proxy, strict, sha] = await Promise.all([
      peers.kamailio({ users: [ALICE, BOB, CALLEES.udp, CALLEES.tcp], transports: ['udp', 'tcp'] }),
      peers.kamailio({ users: [ALICE, BOB], transports: ['udp'], authRequests: true, badPassword: '403' }),
      peers.kamailio({ users: [ALICE], transports: ['tcp'], authAlgorithm: 'SHA-256' }),
    ]);
  });

  it('answers OPTIONS on every transport it listens on', async () => {
    expect((await sipOptions(proxy, 'udp'))?.status).toBe(200);
    expect((await sipOptions(proxy, 'tcp'))?.status).toBe(200);
    expect((await sipOptions(sha, 'tcp'))?.status).toBe(200);
    expect(proxy.logs()).toMatch(/udp: 127\.0\.0\.\d+ \[127\.0\.0\.\d+\]:\d+/);
  });

  it('binds only its loopback address (no wildcard sockets in any worker)', () => {
    const members = processGroupMembers(proxy.pid!);
    expect(members.length).toBeGreaterThan(1); // Kamailio forks workers
    const sockets = socketsOf(members);
    expect(sockets.length).toBeGreaterThan(0);
    for (const s of sockets) expect(s.address).toBe(proxy.address);
  });

  it('registers alice from SIPp with MD5 digest: 401, then 200', async () => {
    const result = await registerWithSipp({ registrar: proxy, user: ALICE.user, password: ALICE.password, expires: 120 });
    expect(result.exitCode, describeRun(result)).toBe(0);
    expect(messageFlow(result.messages)).toEqual(['> REGISTER', '< 401 REGISTER', '> REGISTER', '< 200 REGISTER']);
    const challenge = result.messages[1]!.headers.get('www-authenticate')?.[0] ?? '';
    expect(parseDigestChallenge(challenge).get('realm')).toBe(proxy.address);
    expect(result.messages[2]!.headers.get('authorization')?.[0]).toMatch(/^Digest username="alice"/);
    const contacts = await proxy.contacts('alice');
    expect(contacts).toHaveLength(1);
    expect(contacts[0]!.uri).toMatch(/^sip:alice@127\.0\.0\.\d+:\d+;transport=UDP$/);
    expect(contacts[0]!.expires).toBeGreaterThan(100);
  });

  it('re-challenges a wrong password with 401 (Kamailio default) and stores no contact', async () => {
    const result = await registerWithSipp({ registrar: proxy, user: BOB.user, password: 'not-bobs' });
    expect(result.exitCode).toBe(1);
    expect(messageFlow(result.messages).slice(0, 4)).toEqual(['> REGISTER', '< 401 REGISTER', '> REGISTER', '< 401 REGISTER']);
    expect(await proxy.contacts('bob')).toEqual([]);
  });

  it('answers a wrong password with 403 when badPassword is "403"', async () => {
    const result = await registerWithSipp({ registrar: strict, user: ALICE.user, password: 'wrong' });
    expect(result.exitCode).toBe(1);
    expect(messageFlow(result.messages).slice(0, 4)).toEqual(['> REGISTER', '< 401 REGISTER', '> REGISTER', '< 403 REGISTER']);
  });

  it('accepts a password with quotes and backslashes', async () => {
    const result = await registerWithSipp({ registrar: strict, user: BOB.user, password: BOB.password });
    expect(result.exitCode, describeRun(result)).toBe(0);
  });

  it('verifies SHA-256 digest (RFC 8760) over TCP', async () => {
    const local = (transport: SipTransport) => ({ transport, from: '<sip:alice@' + sha.address + '>', to: '<sip:alice@' + sha.address + '>' });
    const register = (authorization?: string) => (l: { address: string; port: number }) =>
      buildRequest({
        method: 'REGISTER', uri: `sip:${sha.address}`, ...local('tcp'), local: l, callId: 'sha-256-test', cseq: authorization ? 2 : 1,
        contact: `<sip:alice@${l.address}:${l.port};transport=tcp>`, headers: [...(authorization ? [`Authorization: ${authorization}`] : []), 'Expires: 60'],
      });
    const challenge = await sendRequest(sha, 'tcp', register());
    expect(challenge?.status).toBe(401);
    const www = challenge!.headers.get('www-authenticate')![0]!;
    expect(parseDigestChallenge(www).get('algorithm')).toBe('SHA-256');
    const credentials = { username: 'alice', method: 'REGISTER', uri: `sip:${sha.address}` };
    const good = await sendRequest(sha, 'tcp', register(digestAuthorization(www, { ...credentials, password: ALICE.password })));
    expect(good?.status).toBe(200);
    const bad = await sendRequest(sha, 'tcp', register(digestAuthorization(www, { ...credentials, password: 'nope' })));
    expect(bad?.status).toBe(401);
  });

  for (const transport of ['udp', 'tcp'] as const) {
    it(`routes a call SIPp UAC -> Kamailio -> SIPp UAS over ${transport.toUpperCase()} (the UAS registered through SIPp)`, async () => {
      const callee = CALLEES[transport];
      const uas = await peers.sipp({ scenario: 'uas_answer_rtp_echo', service: callee.user, transport });
      const registration = await registerWithSipp({ registrar: proxy, ...callee, contact: uas, transport });
      expect(registration.exitCode, describeRun(registration)).toBe(0);
      expect((await proxy.contacts(callee.user)).map((c) => c.uri)).toEqual([`sip:${callee.user}@${uas.address}:${uas.port};transport=${transport.toUpperCase()}`]);

      const call = await peers.runSipp({ scenario: 'uac_call', target: proxy, transport, service: callee.user, keys: { caller: 'alice' } });
      expect(call.exitCode, describeRun(call)).toBe(0);
      expect(messageFlow(call.messages)).toEqual(['> INVITE', '< 100 INVITE', '< 180 INVITE', '< 200 INVITE', '> ACK', '> BYE', '< 200 BYE']);
      // Record-Route from the proxy, and in-dialog requests carried along it.
      expect(call.messages[3]!.headers.get('record-route')?.join(',')).toContain(proxy.address);
      expect(call.messages.find((m) => m.method === 'BYE')!.headers.get('route')?.join(',')).toContain(proxy.address);

      const answered = await uas.done;
      expect(answered.exitCode).toBe(0);
      expect(messageFlow(answered.messages)).toEqual(['< INVITE', '> 100 INVITE', '> 180 INVITE', '> 200 INVITE', '< ACK', '< BYE', '> 200 BYE']);
      expect(answered.messages[0]!.transport).toBe(transport.toUpperCase());
    });
  }

  it('challenges an INVITE from a local user with 407 and relays it once authenticated', async () => {
    const uas = await peers.sipp({ scenario: 'uas_answer_rtp_echo', service: 'carol' });
    const target = await peers.kamailio({ users: [ALICE], authRequests: true, staticContacts: { carol: uas.uri('carol') } });
    const call = await peers.runSipp({ scenario: 'uac_call', target, service: 'carol', authUser: 'alice', password: ALICE.password, authUri: `carol@${target.address}`, keys: { caller: 'alice' } });
    expect(call.exitCode, describeRun(call)).toBe(0);
    expect(messageFlow(call.messages)).toEqual(['> INVITE', '< 407 INVITE', '> ACK', '> INVITE', '< 100 INVITE', '< 180 INVITE', '< 200 INVITE', '> ACK', '> BYE', '< 200 BYE']);
    expect(call.messages[3]!.headers.get('proxy-authorization')?.[0]).toMatch(/^Digest username="alice"/);
    // consume_credentials(): the UAS never sees the caller's credentials.
    const received = (await uas.done).messages[0]!;
    expect(received.headers.has('proxy-authorization')).toBe(false);
  });

  it('rejects a call to nobody with 404 and a wrong INVITE password with 403', async () => {
    const nobody = await peers.runSipp({ scenario: 'uac_call', target: proxy, service: 'nobody', keys: { caller: 'alice' } });
    expect(messageFlow(nobody.messages)).toEqual(['> INVITE', '< 404 INVITE', '> ACK']);
    const wrong = await peers.runSipp({ scenario: 'uac_call', target: strict, service: 'bob', authUser: 'alice', password: 'bad', keys: { caller: 'alice' } });
    expect(messageFlow(wrong.messages)).toEqual(['> INVITE', '< 407 INVITE', '> ACK', '> INVITE', '< 403 INVITE', '> ACK']);
  });

  it('stops with every worker gone', async () => {
    const extra = await peers.kamailio({ users: [ALICE] });
    const pid = extra.pid!;
    expect(processGroupMembers(pid).length).toBeGreaterThan(1);
    await extra.stop();
    expect(processGroupMembers(pid)).toEqual([]);
    expect(await sipOptions(extra, 'udp', 300)).toBeUndefined();
  });
});

function describeRun(result: SippResult): string {
  return `sipp exit ${result.exitCode}; flow ${messageFlow(result.messages).join(' ')}; errors: ${result.errors.slice(0, 500)}; log dir ${result.dir}`;
}
