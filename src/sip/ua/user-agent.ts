// The UA core (RFC 3261 §8, §11, §12, §13): it is the transaction user, runs the §8.2 checks,
// answers OPTIONS, routes CANCEL, ACK and in-dialog requests to their INVITE sessions and hands
// new INVITEs and other out-of-dialog requests to the application.
import type { Clock } from '../../core/clock.js';
import { createRequest, createResponse, randomBranch, randomCallId, randomTag, type SipRequest, type SipResponse, type Uri } from '../message/index.js';
import { dialogIdOfRequest } from '../dialog/dialog.js';
import { checkIncomingRequest, type UasCapabilities } from '../dialog/uas-checks.js';
import type { Peer, ServerTransaction, TransactionLayer, TransactionUser } from '../transaction/transaction-layer.js';
import { RFC3261_TIMERS, type TransactionTimers } from '../transaction/types.js';
import { InviteSession, type SessionContext } from './invite-session.js';

export const DEFAULT_CAPABILITIES: UasCapabilities = {
  known: new Set(['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'INFO', 'UPDATE', 'PRACK', 'REFER', 'NOTIFY', 'SUBSCRIBE', 'MESSAGE', 'PUBLISH']),
  allowed: new Set(['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'INFO', 'UPDATE', 'NOTIFY', 'REFER']),
  supported: new Set(['replaces']),
  accept: new Set(['application/sdp', 'application/dtmf-relay', 'message/sipfrag']),
};

export interface UserAgentOptions {
  readonly layer: TransactionLayer;
  readonly clock: Clock;
  readonly timers?: TransactionTimers;
  readonly capabilities?: UasCapabilities;
  /** Via for a new request (the transport knows its sent-by). */
  via(branch: string, peer: Peer): string;
  readonly contact: string;
  readonly userAgent: string;
  /** Where to send an in-dialog request; default: the session's initial peer. */
  peerFor?(request: SipRequest, fallback: Peer): Peer;
  /** A new INVITE passed the checks: the application rings, answers or rejects the session. */
  onInvite(session: InviteSession, source: Peer): void;
  /** Out-of-dialog requests other than INVITE/OPTIONS/CANCEL (NOTIFY, MESSAGE...); default 405/501 per checks, else 200. */
  onRequest?(request: SipRequest, tx: ServerTransaction): void;
}

export class UserAgent implements TransactionUser {
  private readonly sessionsByDialog = new Map<string, InviteSession>();
  private readonly sessionsByInvite = new Map<SipRequest, InviteSession>();
  private readonly pendingInvites = new Set<string>();
  private readonly ctx: SessionContext;
  private readonly caps: UasCapabilities;

  constructor(private readonly options: UserAgentOptions) {
    this.caps = options.capabilities ?? DEFAULT_CAPABILITIES;
    this.ctx = {
      layer: options.layer,
      clock: options.clock,
      timers: options.timers ?? RFC3261_TIMERS,
      via: options.via,
      contact: options.contact,
      peerFor: options.peerFor ?? ((_r, fallback) => fallback),
      commonHeaders: [
        ['User-Agent', options.userAgent],
        ['Allow', [...this.caps.allowed].join(', ')],
      ],
    };
  }

  /** Sessions currently tracked (for diagnostics and the control API). */
  get sessions(): InviteSession[] {
    return [...new Set([...this.sessionsByInvite.values()])];
  }

  /** Starts an outgoing call. */
  invite(init: { from: string; to: string; uri: Uri | string; peer: Peer; body?: string; contentType?: string; headers?: ReadonlyArray<readonly [string, string]> }): InviteSession {
    const request = createRequest({
      method: 'INVITE',
      uri: init.uri,
      via: this.ctx.via(randomBranch(), init.peer),
      from: `${init.from};tag=${randomTag()}`,
      to: init.to,
      callId: randomCallId(),
      cseq: 1,
      contact: this.ctx.contact,
      headers: [...this.ctx.commonHeaders, ...(init.headers ?? [])],
      body: init.body,
      contentType: init.contentType,
    });
    const session = InviteSession.outgoing(request, init.peer, this.ctx);
    this.track(session);
    return session;
  }

  // TransactionUser ------------------------------------------------------------------------------

  onRequest(request: SipRequest, tx: ServerTransaction | undefined, source: Peer): void {
    const id = dialogIdOfRequest(request);
    const inDialog = id === undefined ? undefined : this.sessionsByDialog.get(id);
    if (request.method === 'ACK') {
      inDialog?.receiveInDialog(request, undefined);
      return; // an ACK never gets a response
    }
    if (!tx) return;
    if (request.method === 'CANCEL') {
      const inviteTx = this.options.layer.findInviteForCancel(request);
      const session = inviteTx ? this.sessionsByInvite.get(inviteTx.request) : undefined;
      if (!session) return void tx.respond(createResponse(request, 481));
      session.receiveCancel(tx);
      return;
    }
    const refused = checkIncomingRequest(request, this.caps, {
      hasDialog: () => inDialog !== undefined,
      isMerged: (r) => this.pendingInvites.has(mergeKey(r)) && r.method === 'INVITE',
    });
    if (refused) return void tx.respond(this.withCommon(refused));
    if (inDialog) return void inDialog.receiveInDialog(request, tx);
    switch (request.method) {
      case 'OPTIONS':
        // §11.2: answer as for an INVITE, listing what we allow, accept and support.
        tx.respond(
          createResponse(request, 200, {
            headers: [...this.ctx.commonHeaders, ['Accept', [...this.caps.accept].join(', ')], ['Supported', [...this.caps.supported].join(', ')]],
          }),
        );
        return;
      case 'INVITE': {
        const session = InviteSession.incoming(tx, this.ctx);
        this.track(session);
        const key = mergeKey(request);
        this.pendingInvites.add(key);
        session.events.on('state', (s) => {
          if (s !== 'early') this.pendingInvites.delete(key);
        });
        this.options.onInvite(session, source);
        return;
      }
      default:
        if (this.options.onRequest) this.options.onRequest(request, tx);
        else tx.respond(this.withCommon(createResponse(request, request.method === 'BYE' ? 481 : 200)));
    }
  }

  onStrayResponse(response: SipResponse): void {
    // A 2xx retransmission after the INVITE transaction ended: the session re-sends its ACK.
    for (const session of this.sessionsByInvite.values()) {
      if (session.callId === response.callId) session.receiveStrayResponse(response);
    }
  }

  private track(session: InviteSession): void {
    this.sessionsByInvite.set(session.invite, session);
    const index = () => {
      if (session.dialog && !this.sessionsByDialog.has(session.dialog.id)) this.sessionsByDialog.set(session.dialog.id, session);
    };
    session.events.on('state', (state) => {
      index();
      if (state === 'terminated') {
        // Keep it routable a little longer for stray retransmissions and BYE responses.
        this.options.clock.setTimer(64 * this.ctx.timers.t1Ms, () => this.forget(session), 'sip session linger');
      }
    });
    session.events.on('provisional', index);
    session.events.on('established', index);
    index();
  }

  private forget(session: InviteSession): void {
    this.sessionsByInvite.delete(session.invite);
    if (session.dialog && this.sessionsByDialog.get(session.dialog.id) === session) this.sessionsByDialog.delete(session.dialog.id);
  }

  private withCommon(response: SipResponse): SipResponse {
    if (!response.headers.has('User-Agent')) response.headers.append('User-Agent', this.options.userAgent);
    return response;
  }
}

/** §8.2.2.2: From tag, Call-ID and CSeq identify a request that may arrive twice by forking. */
function mergeKey(request: SipRequest): string {
  return `${request.from.tag ?? ''}|${request.callId}|${request.cseq.seq}`;
}
