// An in-memory SIP network in virtual time for subscription and REFER stories: user agents
// (UserAgent over a TransactionLayer) and scripted endpoints (a bare TransactionLayer whose
// requests the test answers by hand), with a wire log and optional loss.
import { VirtualClock } from '../../src/core/clock.js';
import { createRequest, parseMessage, randomBranch, serializeMessage, type SipMessage, type SipRequest, type SipResponse } from '../../src/sip/message/index.js';
import { TransactionLayer, type Peer, type ServerTransaction } from '../../src/sip/transaction/transaction-layer.js';
import type { InviteSession } from '../../src/sip/ua/invite-session.js';
import { UserAgent, type UserAgentOptions } from '../../src/sip/ua/user-agent.js';

export function label(m: SipMessage): string {
  return m.kind === 'request' ? (m as SipRequest).method : `${(m as SipResponse).status} ${m.cseq.method}`;
}

export interface Received {
  readonly request: SipRequest;
  readonly tx: ServerTransaction | undefined;
}

export interface Scripted {
  readonly peer: Peer;
  readonly layer: TransactionLayer;
  readonly received: Received[];
  /** Sends a request; collects its responses. */
  send(request: SipRequest, to: Peer): SipResponse[];
  via(): string;
}

export class Network {
  readonly clock = new VirtualClock();
  readonly log: string[] = [];
  readonly agents: Record<string, UserAgent> = {};
  readonly incoming: Record<string, InviteSession[]> = {};
  readonly peers: Record<string, Peer> = {};
  private readonly layers = new Map<string, TransactionLayer>();
  private next = 1;

  constructor(private readonly options: { drop?: (m: SipMessage, from: string) => boolean; latencyMs?: number } = {}) {}

  private layer(name: string, peer: Peer, tu: ConstructorParameters<typeof TransactionLayer>[0]['tu']): TransactionLayer {
    const layer = new TransactionLayer({
      clock: this.clock,
      send: (message, to) => {
        const bytes = serializeMessage(message);
        const dropped = this.options.drop?.(message, name) ?? false;
        this.log.push(`${this.clock.now()} ${name}→ ${label(message)}${dropped ? ' (lost)' : ''}`);
        const target = [...this.layers.entries()].find(([n]) => this.peers[n]!.address === to.address && this.peers[n]!.port === to.port)?.[1];
        if (!dropped && target) {
          this.clock.setTimer(this.options.latencyMs ?? 10, () => {
            const parsed = parseMessage(bytes);
            if (parsed.ok) target.receive(parsed.value, peer);
          });
        }
        return true;
      },
      tu,
    });
    this.layers.set(name, layer);
    return layer;
  }

  private allocate(name: string): Peer {
    const peer: Peer = { address: `127.0.0.${this.next++}`, port: 5060, transport: 'udp' };
    this.peers[name] = peer;
    return peer;
  }

  ua(name: string, options: Partial<UserAgentOptions> = {}): UserAgent {
    const self = this.allocate(name);
    this.incoming[name] = [];
    const layer = this.layer(name, self, { onRequest: (r, tx, s) => agent.onRequest(r, tx, s), onStrayResponse: (r) => agent.onStrayResponse(r) });
    const agent: UserAgent = new UserAgent({
      layer,
      clock: this.clock,
      via: (branch) => `SIP/2.0/UDP ${self.address}:${self.port};branch=${branch}`,
      contact: `<sip:${name}@${self.address}:${self.port}>`,
      userAgent: `test-${name}`,
      onInvite: (session) => this.incoming[name]!.push(session),
      ...options,
    });
    this.agents[name] = agent;
    return agent;
  }

  scripted(name: string): Scripted {
    const self = this.allocate(name);
    const received: Received[] = [];
    const layer = this.layer(name, self, { onRequest: (request, tx) => received.push({ request, tx }) });
    const via = () => `SIP/2.0/UDP ${self.address}:${self.port};branch=${randomBranch()}`;
    return {
      peer: self,
      layer,
      received,
      via,
      send: (request, to) => {
        const out: SipResponse[] = [];
        layer.sendRequest(request, to, { onResponse: (r) => out.push(r), onTimeout: () => {}, onTransportError: () => {} });
        return out;
      },
    };
  }

  /** The wire log without timestamps. */
  wire(): string[] {
    return this.log.map((l) => l.replace(/^\d+ /, ''));
  }

  /** Sets up a confirmed call from `a` to `b`; returns both sessions. */
  call(a: string, b: string): { caller: InviteSession; callee: InviteSession } {
    const caller = this.agents[a]!.invite({ from: `<sip:${a}@${this.peers[a]!.address}>`, to: `<sip:${b}@${this.peers[b]!.address}>`, uri: `sip:${b}@${this.peers[b]!.address}`, peer: this.peers[b]!, body: 'v=0\r\n', contentType: 'application/sdp' });
    this.clock.advance(20);
    const callee = this.incoming[b]!.at(-1)!;
    callee.accept({ body: 'v=0\r\n', contentType: 'application/sdp' });
    this.clock.advance(50);
    return { caller, callee };
  }
}

/** A NOTIFY from a scripted notifier inside the dialog a SUBSCRIBE created (we are the UAS of it). */
export function notifyFor(
  server: Scripted,
  subscribe: SipRequest,
  toTag: string,
  cseq: number,
  headers: ReadonlyArray<readonly [string, string]>,
  body?: string,
  contentType?: string,
): SipRequest {
  const contact = subscribe.contacts === '*' ? undefined : subscribe.contacts[0]?.uri;
  return createRequest({
    method: 'NOTIFY',
    uri: contact ?? subscribe.uri,
    via: server.via(),
    from: subscribe.to.withTag(toTag),
    to: subscribe.from,
    callId: subscribe.callId,
    cseq,
    contact: `<sip:notifier@${server.peer.address}:${server.peer.port}>`,
    headers,
    body,
    contentType,
  });
}
