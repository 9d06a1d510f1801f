// SIP Digest client (RFC 3261 §22, RFC 8760, RFC 7616): credentials checked against an
// independent computation with node:crypto, nc/cnonce bookkeeping, stale nonces, wrong passwords,
// and that the password never shows up anywhere.
import { createHash } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DigestClient } from '../../src/sip/auth/digest-client.js';
import { createRequest, createResponse, H, parseMessage, serializeMessage, type AuthValue, type SipMessage, type SipRequest, type SipResponse } from '../../src/sip/message/index.js';

const PASSWORD = 'S3cret-pa55';
const REALM = 'example.test';

function wire<T extends SipMessage>(m: T): T {
  const r = parseMessage(serializeMessage(m));
  if (!r.ok) throw new Error(r.error.reason);
  return r.value as T;
}

function register(body?: string): SipRequest {
  const req = createRequest({
    method: 'REGISTER',
    uri: 'sip:example.test',
    via: 'SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK-first;rport',
    from: '<sip:1001@example.test>;tag=ft1',
    to: '<sip:1001@example.test>',
    callId: 'cid-1@127.0.0.1',
    cseq: 7,
    contact: '<sip:1001@127.0.0.1:5060>',
  });
  if (body !== undefined) req.setBody(body, 'text/plain');
  return wire(req);
}

function challenge(req: SipRequest, status: 401 | 407, ...values: string[]): SipResponse {
  const name = status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate';
  return wire(createResponse(req, status, { headers: values.map((v) => [name, v] as const) }));
}

function client(): DigestClient {
  let n = 0;
  return new DigestClient({ username: '1001', password: PASSWORD }, { cnonce: () => `cn${++n}` });
}

/** Independent reference (RFC 7616 §3.4.1-§3.4.3) using node:crypto directly. */
function expected(cred: AuthValue, method: string, password: string, body = ''): string {
  const alg = (cred.get('algorithm') ?? 'MD5').toUpperCase();
  const h = (s: string) => createHash(alg.startsWith('SHA-256') ? 'sha256' : 'md5').update(s).digest('hex');
  let ha1 = h(`${cred.get('username')}:${cred.get('realm')}:${password}`);
  if (alg.endsWith('-SESS')) ha1 = h(`${ha1}:${cred.get('nonce')}:${cred.get('cnonce')}`);
  const qop = cred.get('qop');
  const ha2 = qop === 'auth-int' ? h(`${method}:${cred.get('uri')}:${h(body)}`) : h(`${method}:${cred.get('uri')}`);
  if (qop === undefined) return h(`${ha1}:${cred.get('nonce')}:${ha2}`);
  return h(`${ha1}:${cred.get('nonce')}:${cred.get('nc')}:${cred.get('cnonce')}:${qop}:${ha2}`);
}

function authorize(c: DigestClient, req: SipRequest, res: SipResponse): SipRequest {
  const r = c.authorize(req, res);
  if (!r.ok) throw new Error(r.error.message);
  return wire(r.value);
}

function creds(req: SipRequest, proxy = false): readonly AuthValue[] {
  return req.value(proxy ? H.ProxyAuthorization : H.Authorization) ?? [];
}

describe('DigestClient.authorize', () => {
  it('answers a 401 with Authorization: CSeq+1, new branch, same Call-ID and From tag, opaque echoed (MD5, qop=auth)', () => {
    const req = register();
    const res = challenge(req, 401, `Digest realm="${REALM}", nonce="n-1", qop="auth", algorithm=MD5, opaque="op-1"`);
    const next = authorize(client(), req, res);
    expect(next.cseq).toEqual({ seq: 8, method: 'REGISTER' });
    expect(next.topVia?.branch).not.toBe('z9hG4bK-first');
    expect(next.topVia?.branch?.startsWith('z9hG4bK')).toBe(true);
    expect(next.topVia?.params.has('rport')).toBe(true);
    expect(next.callId).toBe(req.callId);
    expect(next.from.tag).toBe('ft1');
    expect(req.cseq.seq).toBe(7); // the original is untouched
    expect(creds(req)).toHaveLength(0);
    const [cred, ...rest] = creds(next);
    expect(rest).toHaveLength(0);
    expect(cred!.get('username')).toBe('1001');
    expect(cred!.get('realm')).toBe(REALM);
    expect(cred!.get('nonce')).toBe('n-1');
    expect(cred!.get('uri')).toBe('sip:example.test');
    expect(cred!.get('opaque')).toBe('op-1');
    expect(cred!.get('qop')).toBe('auth');
    expect(cred!.get('nc')).toBe('00000001');
    expect(cred!.get('cnonce')).toBe('cn1');
    expect(cred!.get('algorithm')).toBe('MD5');
    expect(cred!.get('response')).toBe(expected(cred!, 'REGISTER', PASSWORD));
    // qop, nc and algorithm are tokens, not quoted strings (RFC 3261 §25.1, RFC 8760 §2.3).
    expect(next.headers.get('Authorization')).toMatch(/qop=auth, nc=00000001$/);
    expect(next.headers.get('Authorization')).toContain('algorithm=MD5');
  });

  it('answers a 407 with Proxy-Authorization', () => {
    const req = register();
    const next = authorize(client(), req, challenge(req, 407, `Digest realm="proxy.test", nonce="pn", qop="auth"`));
    expect(creds(next)).toHaveLength(0);
    const [cred] = creds(next, true);
    expect(cred!.get('realm')).toBe('proxy.test');
    expect(cred!.get('algorithm')).toBeUndefined(); // none in the challenge: MD5 implied, not echoed
    expect(cred!.get('response')).toBe(expected(cred!, 'REGISTER', PASSWORD));
  });

  it.each(['MD5', 'MD5-sess', 'SHA-256', 'SHA-256-sess'])('computes %s responses (RFC 8760)', (alg) => {
    const req = register();
    const next = authorize(client(), req, challenge(req, 401, `Digest realm="${REALM}", nonce="nonce-${alg}", qop="auth", algorithm=${alg}`));
    const [cred] = creds(next);
    expect(cred!.get('algorithm')).toBe(alg);
    expect(cred!.get('response')).toBe(expected(cred!, 'REGISTER', PASSWORD));
    expect(cred!.get('response')).toHaveLength(alg.startsWith('SHA') ? 64 : 32);
  });

  it('uses the topmost supported challenge per realm (RFC 8760 §2.4)', () => {
    const req = register();
    const res = challenge(
      req,
      401,
      `Digest realm="${REALM}", nonce="a", qop="auth", algorithm=AKAv1-MD5`,
      `Digest realm="${REALM}", nonce="b", qop="auth", algorithm=SHA-256`,
      `Digest realm="${REALM}", nonce="c", qop="auth", algorithm=MD5`,
    );
    const all = creds(authorize(client(), req, res));
    expect(all).toHaveLength(1);
    expect(all[0]!.get('algorithm')).toBe('SHA-256');
    expect(all[0]!.get('nonce')).toBe('b');
  });

  it('answers every realm of an aggregated challenge (RFC 3261 §16.7 step 7) and keeps other realms on a later 407', () => {
    const c = client();
    const req = register();
    const first = authorize(c, req, challenge(req, 401, `Digest realm="${REALM}", nonce="w1", qop="auth"`));
    const res = wire(
      createResponse(first, 407, {
        headers: [
          ['Proxy-Authenticate', 'Digest realm="p1.test", nonce="x1", qop="auth"'],
          ['Proxy-Authenticate', 'Digest realm="p2.test", nonce="x2"'],
        ],
      }),
    );
    const second = authorize(c, first, res);
    expect(second.cseq.seq).toBe(9);
    expect(creds(second).map((v) => v.get('realm'))).toEqual([REALM]);
    expect(creds(second, true).map((v) => v.get('realm'))).toEqual(['p1.test', 'p2.test']);
    // The 401 realm's credentials are copied unchanged (still nc=1 for that nonce).
    expect(creds(second)[0]!.get('nc')).toBe('00000001');
    const p2 = creds(second, true)[1]!;
    expect(p2.get('qop')).toBeUndefined(); // RFC 2069 style: no qop, nc, cnonce
    expect(p2.get('nc')).toBeUndefined();
    expect(p2.get('cnonce')).toBeUndefined();
    expect(p2.get('response')).toBe(expected(p2, 'REGISTER', PASSWORD));
  });

  it('uses auth-int only when offered alone, hashing the body', () => {
    const body = 'hello body';
    const req = register(body);
    const both = creds(authorize(client(), req, challenge(req, 401, `Digest realm="${REALM}", nonce="n", qop="auth-int,auth"`)))[0]!;
    expect(both.get('qop')).toBe('auth');
    const only = creds(authorize(client(), req, challenge(req, 401, `Digest realm="${REALM}", nonce="n", qop="auth-int"`)))[0]!;
    expect(only.get('qop')).toBe('auth-int');
    expect(only.get('response')).toBe(expected(only, 'REGISTER', PASSWORD, body));
    expect(only.get('response')).not.toBe(expected(only, 'REGISTER', PASSWORD, ''));
  });

  it('fails with AUTH_NO_CHALLENGE / AUTH_UNSUPPORTED when nothing can be answered', () => {
    const req = register();
    const none = client().authorize(req, wire(createResponse(req, 401)));
    expect(none.ok).toBe(false);
    if (!none.ok) expect(none.error).toMatchObject({ code: 'AUTH_NO_CHALLENGE', status: 401 });
    const basic = client().authorize(req, challenge(req, 401, 'Basic realm="x"', `Digest realm="${REALM}", nonce="n", qop="auth-conf"`));
    expect(basic.ok).toBe(false);
    if (!basic.ok) expect(basic.error).toMatchObject({ code: 'AUTH_UNSUPPORTED', status: 401 });
  });
});

describe('DigestClient nonce state', () => {
  it('preauthorize re-uses the nonce with nc incremented and the same cnonce', () => {
    const c = client();
    const req = register();
    authorize(c, req, challenge(req, 401, `Digest realm="${REALM}", nonce="n-1", qop="auth", opaque="o"`));
    const later1 = wire(c.preauthorize(register()));
    const later2 = wire(c.preauthorize(register()));
    const [a] = creds(later1);
    const [b] = creds(later2);
    expect(a!.get('nc')).toBe('00000002');
    expect(b!.get('nc')).toBe('00000003');
    expect(a!.get('cnonce')).toBe('cn1');
    expect(b!.get('cnonce')).toBe('cn1');
    expect(b!.get('opaque')).toBe('o');
    expect(b!.get('response')).toBe(expected(b!, 'REGISTER', PASSWORD));
    // preauthorize replaces, never duplicates, the realm's credentials
    expect(creds(wire(c.preauthorize(later2)))).toHaveLength(1);
    expect(c.preauthorize(register()).headers.count('Proxy-Authorization')).toBe(0);
    expect(new DigestClient({ username: 'u', password: 'p' }).preauthorize(register()).headers.has('Authorization')).toBe(false);
  });

  it('nc counts in hex past 9 (RFC 7616 §3.4: 8LHEX)', () => {
    const c = client();
    const req = register();
    authorize(c, req, challenge(req, 401, `Digest realm="${REALM}", nonce="n", qop="auth"`));
    let last: SipRequest = req;
    for (let i = 0; i < 10; i++) last = c.preauthorize(register());
    expect(creds(wire(last))[0]!.get('nc')).toBe('0000000b');
  });

  it('stale=true: retried once with the new nonce (nc back to 1); stale again fails', () => {
    const c = client();
    const req = register();
    const first = authorize(c, req, challenge(req, 401, `Digest realm="${REALM}", nonce="old", qop="auth"`));
    const retry = authorize(c, first, challenge(first, 401, `Digest realm="${REALM}", nonce="new", qop="auth", stale=true`));
    const [cred] = creds(retry);
    expect(cred!.get('nonce')).toBe('new');
    expect(cred!.get('nc')).toBe('00000001');
    expect(cred!.get('cnonce')).toBe('cn2');
    expect(retry.cseq.seq).toBe(9);
    const again = c.authorize(retry, challenge(retry, 401, `Digest realm="${REALM}", nonce="newer", qop="auth", stale=TRUE`));
    expect(again.ok).toBe(false);
    if (!again.ok) expect(again.error).toMatchObject({ code: 'AUTH_REJECTED', status: 401, realm: REALM });
  });

  it('a preauthorized request that meets a stale or fresh challenge is answered, not failed', () => {
    const c = client();
    const req = register();
    authorize(c, req, challenge(req, 401, `Digest realm="${REALM}", nonce="n1", qop="auth"`));
    const pre = wire(c.preauthorize(register()));
    const stale = authorize(c, pre, challenge(pre, 401, `Digest realm="${REALM}", nonce="n2", qop="auth", stale=true`));
    expect(creds(stale)[0]!.get('nonce')).toBe('n2');
    const pre2 = wire(c.preauthorize(register()));
    const fresh = authorize(c, pre2, challenge(pre2, 401, `Digest realm="${REALM}", nonce="n3", qop="auth"`));
    expect(creds(fresh)[0]!.get('nonce')).toBe('n3');
    // ...but a fresh challenge to that answer means the password is wrong.
    const wrong = c.authorize(fresh, challenge(fresh, 401, `Digest realm="${REALM}", nonce="n4", qop="auth"`));
    expect(wrong.ok).toBe(false);
  });

  it('a second non-stale challenge for the realm after sending credentials fails with the status (wrong password)', () => {
    const c = client();
    const req = register();
    const first = authorize(c, req, challenge(req, 407, `Digest realm="${REALM}", nonce="n1", qop="auth"`));
    const r = c.authorize(first, challenge(first, 407, `Digest realm="${REALM}", nonce="n2", qop="auth"`));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error).toMatchObject({ code: 'AUTH_REJECTED', status: 407, realm: REALM });
      expect(r.error.message).toMatch(/^auth: realm "example.test" refused the credentials of user "1001"/);
    }
  });
});

describe('DigestClient secrecy', () => {
  it('never exposes the password: JSON, util.inspect, requests and error messages', () => {
    const c = client();
    const req = register();
    const first = authorize(c, req, challenge(req, 401, `Digest realm="${REALM}", nonce="n1", qop="auth"`));
    const failed = c.authorize(first, challenge(first, 401, `Digest realm="${REALM}", nonce="n2", qop="auth"`));
    const unsupported = c.authorize(req, challenge(req, 401, `Digest realm="${REALM}", nonce="n", algorithm=FOO`));
    const texts = [
      JSON.stringify(c),
      inspect(c, { depth: Infinity, showHidden: true }),
      String(c),
      serializeMessage(first).toString(),
      JSON.stringify(failed),
      JSON.stringify(unsupported),
      inspect(failed, { depth: Infinity }),
    ];
    expect(failed.ok || unsupported.ok).toBe(false);
    for (const t of texts) expect(t).not.toContain(PASSWORD);
    expect(JSON.stringify(c)).toContain('1001'); // the check above would catch a leak: the user is shown
  });
});
