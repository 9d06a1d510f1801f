// Web authentication, KX-UT670 4.2.3: "Authentication Method: Digest (or Basic)". Digest per
// RFC 7616 with SHA-256 and MD5 challenges (browsers pick the one they support), qop=auth,
// self-validating nonces that expire (stale=true), nonce-count replay protection.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { digestResponse, parseAuthParams, parseDigestAlgorithm, quote, type DigestAlgorithm } from '../core/digest.js';
import type { WebAccount } from './device-api.js';

export interface AuthOptions {
  realm: string;
  clock: Clock;
  accounts: () => WebAccount[];
  nonceLifetimeMs?: number;
  /** Offer SHA-256 before MD5 (RFC 7616 §3.7). */
  algorithms?: readonly DigestAlgorithm[];
}

export type AuthOutcome =
  | { ok: true; account: WebAccount }
  | { ok: false; challenge: string[]; reason: string };

const MAX_TRACKED_NONCES = 4096;

export class HttpAuthenticator {
  private readonly secret = randomBytes(32);
  private readonly lastNonceCount = new Map<string, number>();
  private nonceSerial = 0;
  private readonly lifetimeMs: number;
  private readonly algorithms: readonly DigestAlgorithm[];

  constructor(private readonly options: AuthOptions) {
    this.lifetimeMs = options.nonceLifetimeMs ?? 300_000;
    this.algorithms = options.algorithms ?? ['SHA-256', 'MD5'];
  }

  /** Checks an Authorization header for `method` and `uri`. */
  check(authorization: string | undefined, method: string): AuthOutcome {
    if (!authorization) return this.fail('no credentials');
    const space = authorization.indexOf(' ');
    const scheme = (space < 0 ? authorization : authorization.slice(0, space)).toLowerCase();
    const rest = space < 0 ? '' : authorization.slice(space + 1);
    if (scheme === 'basic') return this.checkBasic(rest);
    if (scheme === 'digest') return this.checkDigest(rest, method);
    return this.fail(`unsupported scheme ${scheme}`);
  }

  challenges(stale = false): string[] {
    const opaque = this.opaque();
    // One nonce per challenge: nonce counts are tracked per nonce, so two clients (or two
    // algorithms) must never share one, even when issued within the same millisecond.
    const digest = this.algorithms.map(
      (algorithm) =>
        `Digest realm=${quote(this.options.realm)}, qop="auth", algorithm=${algorithm}, nonce=${quote(this.newNonce())}, opaque=${quote(opaque)}${stale ? ', stale=true' : ''}`,
    );
    return [...digest, `Basic realm=${quote(this.options.realm)}, charset="UTF-8"`];
  }

  private checkBasic(token: string): AuthOutcome {
    const decoded = Buffer.from(token.trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return this.fail('malformed Basic credentials');
    const id = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    const account = this.options.accounts().find((a) => a.id === id);
    if (!account || !safeEqual(account.password, password)) return this.fail('wrong user name or password');
    return { ok: true, account };
  }

  private checkDigest(text: string, method: string): AuthOutcome {
    const p = parseAuthParams(text);
    if (!p || !p.username || !p.nonce || !p.uri || !p.response) return this.fail('malformed Digest credentials');
    const algorithm = parseDigestAlgorithm(p.algorithm);
    if (!algorithm || !this.algorithms.includes(algorithm)) return this.fail(`unsupported algorithm ${p.algorithm}`);
    if (p.qop && p.qop !== 'auth') return this.fail(`unsupported qop ${p.qop}`);
    const account = this.options.accounts().find((a) => a.id === p.username);
    if (!account) return this.fail('wrong user name or password');
    const expected = digestResponse({
      algorithm,
      username: p.username,
      realm: this.options.realm,
      password: account.password,
      method,
      uri: p.uri,
      nonce: p.nonce,
      qop: p.qop ? 'auth' : undefined,
      nc: p.nc,
      cnonce: p.cnonce,
    });
    if (!safeEqual(expected, p.response.toLowerCase())) return this.fail('wrong user name or password');
    const nonceState = this.verifyNonce(p.nonce);
    if (nonceState === 'invalid') return this.fail('nonce not issued here');
    if (nonceState === 'stale') return this.fail('nonce expired', true);
    if (p.qop) {
      const nc = Number.parseInt(p.nc ?? '', 16);
      const last = this.lastNonceCount.get(p.nonce) ?? 0;
      if (!(nc > last)) return this.fail('nonce count replayed', true);
      if (this.lastNonceCount.size >= MAX_TRACKED_NONCES) this.lastNonceCount.delete(this.lastNonceCount.keys().next().value!);
      this.lastNonceCount.set(p.nonce, nc);
    }
    return { ok: true, account };
  }

  private fail(reason: string, stale = false): AuthOutcome {
    return { ok: false, challenge: this.challenges(stale), reason };
  }

  /** `<issued ms base36>-<serial base36>.<hmac>`: self-validating, unique, ageable. */
  private newNonce(): string {
    const stamp = `${Math.floor(this.options.clock.now()).toString(36)}-${(this.nonceSerial++).toString(36)}`;
    return `${stamp}.${this.mac(stamp)}`;
  }

  private verifyNonce(nonce: string): 'fresh' | 'stale' | 'invalid' {
    const dot = nonce.indexOf('.');
    if (dot < 0) return 'invalid';
    const stamp = nonce.slice(0, dot);
    if (!safeEqual(nonce.slice(dot + 1), this.mac(stamp))) return 'invalid';
    const ageMs = this.options.clock.now() - Number.parseInt(stamp.split('-')[0]!, 36);
    return ageMs >= 0 && ageMs <= this.lifetimeMs ? 'fresh' : 'stale';
  }

  private opaque(): string {
    return this.mac('opaque').slice(0, 16);
  }

  private mac(text: string): string {
    return createHmac('sha256', this.secret).update(text).digest('base64url').slice(0, 22);
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
