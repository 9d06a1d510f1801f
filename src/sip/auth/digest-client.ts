// SIP Digest client (RFC 3261 §22.2-§22.4, RFC 8760, RFC 7616): answers 401/407 challenges with
// Authorization / Proxy-Authorization and keeps per-realm state (nonce, nc, cnonce) so later
// requests can carry credentials pre-emptively (§22.3: "a UA MAY cache credentials ... for a
// realm"). The hash math is src/core/digest.ts. The password lives in a private field: it is
// never logged, never put in an error message and never shown by JSON.stringify / util.inspect.
import { randomBytes } from 'node:crypto';
import { digestResponse, parseDigestAlgorithm, type DigestAlgorithm } from '../../core/digest.js';
import { ok, type Failure, type Result } from '../../core/result.js';
import { formatAuth, H, parseAuth, randomBranch, type AuthParam, type AuthValue, type SipRequest, type SipResponse } from '../message/index.js';

/** A line's SIP credentials: SIP_AUTHID_n and SIP_PASS_n (KX-UT670 4.6.2.6). */
export interface SipCredentials {
  readonly username: string;
  readonly password: string;
}

export type AuthFailureCode =
  /** A 401/407 without any Digest challenge. */
  | 'AUTH_NO_CHALLENGE'
  /** Only challenges with algorithms or qop values this client does not implement. */
  | 'AUTH_UNSUPPORTED'
  /** The realm challenged again after our credentials (wrong user or password), or a stale loop. */
  | 'AUTH_REJECTED';

export interface AuthFailure extends Failure {
  readonly code: AuthFailureCode;
  /** Status of the challenge that could not be answered (401 or 407). */
  readonly status: number;
  readonly realm?: string;
}

export interface DigestClientOptions {
  /** cnonce source (tests pass a fixed one); default 8 random bytes as hex. */
  readonly cnonce?: () => string;
  /** Branch source for the re-sent request; default randomBranch(). */
  readonly branch?: () => string;
}

type Kind = 'www' | 'proxy';

/** What the client remembers about one realm's current challenge. */
interface RealmState {
  readonly kind: Kind;
  readonly realm: string;
  readonly algorithm: DigestAlgorithm;
  /** The challenge's `algorithm` token as written, echoed back; undefined when it had none. */
  readonly algorithmToken: string | undefined;
  readonly nonce: string;
  readonly opaque: string | undefined;
  readonly qop: 'auth' | 'auth-int' | undefined;
  readonly cnonce: string;
  /** Last nonce-count used with this nonce (RFC 7616 §3.4: incremented per request). */
  nc: number;
}

/** Per request: realms answered in reply to a challenge, and realms already retried for stale=true. */
interface RequestMark {
  readonly answered: ReadonlySet<string>;
  readonly staleRetried: ReadonlySet<string>;
}

/** Requests remembered for the wrong-password and stale checks (oldest dropped first). */
const MAX_MARKS = 256;

function markKey(request: SipRequest): string {
  return `${request.callId}|${request.cseq.seq}|${request.method}`;
}

const HEADER: Record<Kind, string> = { www: 'Authorization', proxy: 'Proxy-Authorization' };

function stateKey(kind: Kind, realm: string): string {
  return `${kind}|${realm}`;
}

/** The qop the client uses: auth when offered, auth-int only when offered alone (RFC 7616 §3.3). */
function chooseQop(offer: string | undefined): 'auth' | 'auth-int' | undefined | null {
  if (offer === undefined) return undefined; // RFC 2069 compatibility
  const options = offer.split(',').map((q) => q.trim().toLowerCase());
  if (options.includes('auth')) return 'auth';
  if (options.includes('auth-int')) return 'auth-int';
  return null;
}

function authFailure(code: AuthFailureCode, status: number, message: string, realm?: string): { readonly ok: false; readonly error: AuthFailure } {
  return { ok: false, error: { code, status, message: `auth: ${message}`, ...(realm === undefined ? {} : { realm }) } };
}

export class DigestClient {
  readonly username: string;
  readonly #password: string;
  readonly #realms = new Map<string, RealmState>();
  /** Marks of the requests `authorize` built, by Call-ID and CSeq (copies of a request share it). */
  readonly #marks = new Map<string, RequestMark>();
  readonly #cnonce: () => string;
  readonly #branch: () => string;

  constructor(credentials: SipCredentials, options: DigestClientOptions = {}) {
    this.username = credentials.username;
    this.#password = credentials.password;
    this.#cnonce = options.cnonce ?? (() => randomBytes(8).toString('hex'));
    this.#branch = options.branch ?? randomBranch;
  }

  /** Realms with a cached nonce (diagnostics). */
  get realms(): string[] {
    return [...this.#realms.values()].map((s) => s.realm);
  }

  /** Forgets every cached nonce (new registrar, new credentials). */
  reset(): void {
    this.#realms.clear();
  }

  /**
   * The request to send after `challenge` (a 401 or 407 to `request`): a copy with CSeq + 1, a
   * new branch in the top Via, the same Call-ID and From tag (RFC 3261 §22.2, §8.1.3.5), and one
   * Authorization (WWW-Authenticate) or Proxy-Authorization (Proxy-Authenticate) per challenged
   * realm; credentials for other realms stay (§22.3). Per realm the topmost supported challenge is
   * used (RFC 8760 §2.4). A realm that challenges again after we answered its challenge refused
   * our credentials, unless it says stale=true, which is retried once (RFC 7616 §3.3).
   */
  authorize(request: SipRequest, challenge: SipResponse): Result<SipRequest, AuthFailure> {
    const status = challenge.status;
    const picked = new Map<string, { kind: Kind; value: AuthValue; algorithm: DigestAlgorithm; qop: 'auth' | 'auth-int' | undefined }>();
    let sawDigest = false;
    for (const [kind, spec] of [
      ['www', H.WWWAuthenticate],
      ['proxy', H.ProxyAuthenticate],
    ] as const) {
      for (const value of challenge.value(spec) ?? []) {
        if (!value.isDigest) continue;
        sawDigest = true;
        const realm = value.get('realm');
        const algorithm = parseDigestAlgorithm(value.get('algorithm'));
        const qop = chooseQop(value.get('qop'));
        if (realm === undefined || value.get('nonce') === undefined || algorithm === undefined || qop === null) continue;
        const key = stateKey(kind, realm);
        if (!picked.has(key)) picked.set(key, { kind, value, algorithm, qop });
      }
    }
    if (picked.size === 0) {
      return sawDigest
        ? authFailure('AUTH_UNSUPPORTED', status, `no supported Digest challenge in ${status} (algorithm or qop)`)
        : authFailure('AUTH_NO_CHALLENGE', status, `${status} without a Digest challenge`);
    }

    const mark = this.#marks.get(markKey(request));
    const answered = new Set(mark?.answered ?? []);
    const staleRetried = new Set(mark?.staleRetried ?? []);
    for (const [key, { kind, value, algorithm, qop }] of picked) {
      const realm = value.get('realm')!;
      const nonce = value.get('nonce')!;
      const stale = value.get('stale')?.toLowerCase() === 'true';
      const sentBefore = credentialsFor(request, kind, realm).length > 0;
      if (sentBefore && stale) {
        if (staleRetried.has(key)) return authFailure('AUTH_REJECTED', status, `realm "${realm}" answered stale=true twice`, realm);
        staleRetried.add(key);
      } else if (sentBefore && answered.has(key)) {
        // RFC 3261 §22.2: a second challenge for the same realm means the credentials are wrong.
        return authFailure('AUTH_REJECTED', status, `realm "${realm}" refused the credentials of user "${this.username}" (${status})`, realm);
      }
      answered.add(key);
      const previous = this.#realms.get(key);
      const reuse = previous !== undefined && previous.nonce === nonce && previous.algorithm === algorithm && previous.qop === qop;
      this.#realms.set(
        key,
        reuse
          ? previous
          : { kind, realm, algorithm, algorithmToken: value.get('algorithm'), nonce, opaque: value.get('opaque'), qop, cnonce: this.#cnonce(), nc: 0 },
      );
    }

    const next = request.clone();
    next.headers.set('CSeq', `${request.cseq.seq + 1} ${request.method}`);
    const top = request.topVia;
    if (top !== undefined) next.replaceTopVia(top.withParam('branch', this.#branch()));
    for (const key of picked.keys()) this.#addCredentials(next, this.#realms.get(key)!);
    this.#marks.set(markKey(next), { answered, staleRetried });
    if (this.#marks.size > MAX_MARKS) this.#marks.delete(this.#marks.keys().next().value!);
    return ok(next);
  }

  /**
   * Adds credentials for every realm with a cached nonce to `request` (in place; returned for
   * chaining), with the nonce-count incremented (RFC 3261 §22.3, RFC 7616 §3.4). Requests sent to
   * a realm whose nonce expired come back 401/407 stale=true, which `authorize` answers.
   */
  preauthorize(request: SipRequest): SipRequest {
    for (const state of this.#realms.values()) this.#addCredentials(request, state);
    return request;
  }

  /** Replaces the request's credentials for `state.realm` with fresh ones (nc + 1). */
  #addCredentials(request: SipRequest, state: RealmState): void {
    const header = HEADER[state.kind];
    for (const index of credentialsFor(request, state.kind, state.realm).reverse()) request.headers.removeAt(index);
    state.nc++;
    const uri = request.uri.toString();
    const nc = state.nc.toString(16).padStart(8, '0');
    const response = digestResponse({
      algorithm: state.algorithm,
      username: this.username,
      realm: state.realm,
      password: this.#password,
      method: request.method,
      uri,
      nonce: state.nonce,
      qop: state.qop,
      nc,
      cnonce: state.cnonce,
      // DEVIATION: auth-int hashes the body as UTF-8 text (digest.ts API); binary bodies would differ.
      body: state.qop === 'auth-int' ? request.body.toString('utf8') : undefined,
    });
    const q = (name: string, value: string): AuthParam => ({ name, value, quoted: true });
    const t = (name: string, value: string): AuthParam => ({ name, value, quoted: false });
    const params: AuthParam[] = [q('username', this.username), q('realm', state.realm), q('nonce', state.nonce), q('uri', uri), q('response', response)];
    if (state.algorithmToken !== undefined) params.push(t('algorithm', state.algorithmToken));
    if (state.qop !== undefined) params.push(q('cnonce', state.cnonce));
    if (state.opaque !== undefined) params.push(q('opaque', state.opaque));
    if (state.qop !== undefined) params.push(t('qop', state.qop), t('nc', nc));
    request.headers.append(header, formatAuth('Digest', params));
  }

  /** No secrets in logs: `JSON.stringify(client)` shows the user and realms only. */
  toJSON(): { username: string; realms: string[] } {
    return { username: this.username, realms: this.realms };
  }
}

/** Indexes of the request's Authorization / Proxy-Authorization fields for `realm`. */
function credentialsFor(request: SipRequest, kind: Kind, realm: string): number[] {
  const key = HEADER[kind].toLowerCase();
  const out: number[] = [];
  let i = 0;
  for (const f of request.headers) {
    if (f.key === key && parseAuth(f.value)?.get('realm') === realm) out.push(i);
    i++;
  }
  return out;
}
