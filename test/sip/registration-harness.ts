// A scripted registrar and a RegistrationDriver on a VirtualClock for the registration tests
// (registration*.test.ts): every REGISTER is serialised and re-parsed, answered NET_DELAY ms later.
import { VirtualClock } from '../../src/core/clock.js';
import { digestResponse, parseDigestAlgorithm } from '../../src/core/digest.js';
import { createResponse, H, parseMessage, serializeMessage, type SipMessage, type SipRequest, type SipResponse } from '../../src/sip/message/index.js';
import { TransactionLayer, type Peer } from '../../src/sip/transaction/transaction-layer.js';
import { RFC3261_TIMERS } from '../../src/sip/transaction/types.js';
import { RegistrationDriver, type RegistrationConfig, type RegistrationEvent } from '../../src/sip/registration/index.js';

export const A: Peer = { address: '127.0.0.11', port: 5060, transport: 'udp' };
export const B: Peer = { address: '127.0.0.12', port: 5060, transport: 'udp' };
export const C: Peer = { address: '127.0.0.13', port: 5060, transport: 'udp' };
export const REALM = 'example.test';
export const PASSWORD = 'pw-1001-secret';
/** Short Timer F so fail-over schedules stay readable: E at 500, 1000, 2000 ms, F at 4000 ms. */
export const TIMERS = { ...RFC3261_TIMERS, fMs: 4000 };
export const NET_DELAY = 10;

export function wire<T extends SipMessage>(m: T): T {
  const r = parseMessage(serializeMessage(m));
  if (!r.ok) throw new Error(r.error.reason);
  return r.value as T;
}

export const BASE: RegistrationConfig = {
  line: 1,
  aor: `sip:1001@${REALM}`,
  registrarUri: `sip:${REALM}`,
  contact: 'sip:1001@127.0.0.1:5060',
  credentials: { username: '1001', password: PASSWORD },
  expiresS: 100,
  refreshPercent: 90,
  retryIntervalS: 10,
  userAgent: 'Panasonic_KX-UT670/01.070 (0080f0aabbcc)',
  callId: 'reg-call@127.0.0.1',
  fromTag: 'ftag',
};

export type Override = (req: SipRequest, peer: Peer) => SipResponse | 'drop' | undefined;

/** A registrar with digest (qop=auth), bindings, Min-Expires and a maximum expiry. */
export class FakeRegistrar {
  password = PASSWORD;
  algorithm = 'MD5';
  minExpires = 0;
  maxExpires = 3600;
  /** When set, the Expires header carries the grant and the Contact is not listed. */
  grantInHeaderOnly = false;
  override: Override | undefined;
  private nonceSeq = 0;
  private readonly validNonces = new Set<string>();
  readonly bindings = new Map<string, number>();

  /** Invalidates every nonce: the next credentials get 401 stale=true. */
  expireNonces(): void {
    this.validNonces.clear();
  }

  handle(req: SipRequest, peer: Peer): SipResponse | undefined {
    const o = this.override?.(req, peer);
    if (o === 'drop') return undefined;
    if (o !== undefined) return o;
    const cred = req.value(H.Authorization)?.find((c) => c.get('realm') === REALM);
    if (cred === undefined) return this.challenge(req, false);
    const nonce = cred.get('nonce')!;
    if (!this.validNonces.has(nonce)) return this.challenge(req, true);
    const expected = digestResponse({
      algorithm: parseDigestAlgorithm(cred.get('algorithm'))!,
      username: cred.get('username')!,
      realm: REALM,
      password: this.password,
      method: req.method,
      uri: cred.get('uri')!,
      nonce,
      qop: 'auth',
      nc: cred.get('nc'),
      cnonce: cred.get('cnonce'),
    });
    if (cred.get('response') !== expected) return this.challenge(req, false);
    const contacts = req.contacts;
    const headerExpires = req.value(H.Expires);
    if (contacts === '*') {
      this.bindings.clear();
      return createResponse(req, 200);
    }
    for (const c of contacts) {
      const e = c.params.get('expires');
      const asked = typeof e === 'string' ? Number(e) : (headerExpires ?? 3600);
      if (asked > 0 && asked < this.minExpires) return createResponse(req, 423, { headers: [['Min-Expires', String(this.minExpires)]] });
      if (asked === 0) this.bindings.delete(c.uri.toString());
      else this.bindings.set(c.uri.toString(), Math.min(asked, this.maxExpires));
    }
    if (this.grantInHeaderOnly) return createResponse(req, 200, { headers: [['Expires', String(Math.min(headerExpires ?? 3600, this.maxExpires))]] });
    return createResponse(req, 200, { headers: [...this.bindings].map(([uri, exp]) => ['Contact', `<${uri}>;expires=${exp}`] as const) });
  }

  private challenge(req: SipRequest, stale: boolean): SipResponse {
    const nonce = `nonce-${++this.nonceSeq}`;
    this.validNonces.add(nonce);
    const value = `Digest realm="${REALM}", nonce="${nonce}", qop="auth", algorithm=${this.algorithm}${stale ? ', stale=true' : ''}`;
    return createResponse(req, 401, { headers: [['WWW-Authenticate', value]] });
  }
}

export interface Sent {
  readonly at: number;
  readonly request: SipRequest;
  readonly peer: Peer;
}

export function setup(config: Partial<RegistrationConfig> = {}, targets: readonly Peer[] = [A]) {
  const clock = new VirtualClock();
  const registrar = new FakeRegistrar();
  const sent: Sent[] = [];
  let targetCalls = 0;
  const layer: TransactionLayer = new TransactionLayer({
    clock,
    tu: { onRequest: () => {} },
    send: (message, peer) => {
      const request = wire(message as SipRequest);
      sent.push({ at: clock.now(), request, peer });
      const res = registrar.handle(request, peer);
      if (res !== undefined) clock.setTimer(NET_DELAY, () => layer.receive(wire(res), peer), 'net');
      return true;
    },
  });
  const countedTargets = (): readonly Peer[] => {
    targetCalls++;
    return targets;
  };
  const driver = new RegistrationDriver({ layer, clock, config: { ...BASE, ...config }, targets: countedTargets, timers: TIMERS });
  const events: RegistrationEvent[] = [];
  driver.events.on('state', (e) => events.push(e));
  /** The distinct REGISTERs (retransmissions folded) as [time, peer address, CSeq]. */
  const registers = () => {
    const seen = new Set<string>();
    return sent.filter((s) => !seen.has(s.request.topVia!.branch!) && seen.add(s.request.topVia!.branch!)).map((s) => [s.at, s.peer.address, s.request.cseq.seq] as const);
  };
  const summary = () => events.map((e) => `${e.state.kind}:${e.cause}${e.state.kind === 'failed' ? `:${e.state.reason}:${e.state.status ?? '-'}` : ''}${e.state.kind === 'registered' ? `:${e.state.expiresS}` : ''}`);
  return { clock, registrar, sent, driver, events, registers, summary, targetCalls: () => targetCalls };
}

