// Two user agents (Alice, Bob) over an in-memory network in virtual time, with per-side session
// settings and credentials, a wire log with the header values a test asks for, and a drop rule.
import { VirtualClock } from '../../src/core/clock.js';
import { DigestClient } from '../../src/sip/auth/digest-client.js';
import { parseMessage, serializeMessage, type SipMessage, type SipRequest, type SipResponse } from '../../src/sip/message/index.js';
import { TransactionLayer, type Peer } from '../../src/sip/transaction/transaction-layer.js';
import { UserAgent } from '../../src/sip/ua/user-agent.js';
import type { InviteSession } from '../../src/sip/ua/invite-session.js';
import type { SessionOptions } from '../../src/sip/ua/session-options.js';

export type Side = 'alice' | 'bob';
export const PEERS: Record<Side, Peer> = {
  alice: { address: '127.0.0.1', port: 5060, transport: 'udp' },
  bob: { address: '127.0.0.2', port: 5060, transport: 'udp' },
};

export interface Wire {
  at: number;
  from: Side;
  message: SipMessage;
  lost: boolean;
}

export function wireLabel(m: SipMessage): string {
  return m.kind === 'request' ? (m as SipRequest).method : `${(m as SipResponse).status} ${m.cseq.method}`;
}

export interface NetOptions {
  session?: Partial<Record<Side, SessionOptions>>;
  credentials?: Partial<Record<Side, { username: string; password: string }>>;
  drop?: (m: SipMessage, from: Side) => boolean;
  latencyMs?: number;
  /** Replaces Bob's UA as transaction user (a challenging proxy, say); `bob()` is his UA. */
  bobLayerUser?: (layer: TransactionLayer, bob: () => UserAgent) => ConstructorParameters<typeof TransactionLayer>[0]['tu'];
}

export function twoAgents(options: NetOptions = {}) {
  const clock = new VirtualClock();
  const wire: Wire[] = [];
  const layers = {} as Record<Side, TransactionLayer>;
  const agents = {} as Record<Side, UserAgent>;
  const incoming: Record<Side, InviteSession[]> = { alice: [], bob: [] };
  for (const name of ['alice', 'bob'] as const) {
    const self = PEERS[name];
    const other: Side = name === 'alice' ? 'bob' : 'alice';
    let tu: ConstructorParameters<typeof TransactionLayer>[0]['tu'] = {
      onRequest: (r, tx, s) => agents[name].onRequest(r, tx, s),
      onStrayResponse: (r) => agents[name].onStrayResponse(r),
    };
    const layer = new TransactionLayer({
      clock,
      send: (message) => {
        const bytes = serializeMessage(message);
        const lost = options.drop?.(message, name) ?? false;
        wire.push({ at: clock.now(), from: name, message, lost });
        if (!lost) {
          clock.setTimer(options.latencyMs ?? 10, () => {
            const parsed = parseMessage(bytes);
            if (parsed.ok) layers[other].receive(parsed.value, self);
          });
        }
        return true;
      },
      tu: { onRequest: (r, tx, s) => tu.onRequest(r, tx, s), onStrayResponse: (r, s) => tu.onStrayResponse?.(r, s) },
    });
    layers[name] = layer;
    if (name === 'bob' && options.bobLayerUser) tu = options.bobLayerUser(layer, () => agents.bob);
    const creds = options.credentials?.[name];
    agents[name] = new UserAgent({
      layer,
      clock,
      via: (branch) => `SIP/2.0/UDP ${self.address}:${self.port};branch=${branch}`,
      contact: `<sip:${name}@${self.address}:${self.port}>`,
      userAgent: `test-${name}`,
      session: options.session?.[name],
      digest: creds ? new DigestClient(creds, { cnonce: () => 'c0ffee' }) : undefined,
      onInvite: (session) => incoming[name].push(session),
    });
  }
  const call = (init: { body?: string } = {}) =>
    agents.alice.invite({ from: '<sip:alice@127.0.0.1>', to: '<sip:bob@127.0.0.2>', uri: 'sip:bob@127.0.0.2', peer: PEERS.bob, body: init.body ?? 'v=0 alice-1\r\n', contentType: 'application/sdp' });
  /** "bob→ 183 INVITE" lines (time-stamped with `times`). */
  const flow = (times = false) => wire.map((w) => `${times ? `${w.at} ` : ''}${w.from}→ ${wireLabel(w.message)}${w.lost ? ' (lost)' : ''}`);
  const sent = (from: Side, label: string) => wire.filter((w) => w.from === from && wireLabel(w.message) === label);
  return { clock, wire, layers, agents, incoming, call, flow, sent };
}

/** Records how a session ended ("reason status"). */
export function endings(session: InviteSession): string[] {
  const out: string[] = [];
  session.events.on('terminated', (t) => out.push(`${t.reason}${t.status ? ` ${t.status}` : ''}`));
  return out;
}
