// The UA core (RFC 3261 §8, §11, §12, §13): it is the transaction user, runs the §8.2 checks,
// answers OPTIONS, routes CANCEL, ACK and in-dialog requests to their INVITE sessions and hands
// new INVITEs and other out-of-dialog requests to the application. Other dialog usages
// (subscriptions, a REFER's implicit subscription: RFC 6665 §4.5) register here to receive the
// requests of their dialog; per-method hooks take out-of-dialog requests (NOTIFY check-sync...).
import type { Clock } from '../../core/clock.js';
import { createRequest, createResponse, randomBranch, randomCallId, randomTag, type SipRequest, type SipResponse, type Uri } from '../message/index.js';
import { dialogId, dialogIdOfRequest } from '../dialog/dialog.js';
import { checkIncomingRequest, type UasCapabilities } from '../dialog/uas-checks.js';
import type { Peer, ServerTransaction, TransactionLayer, TransactionUser } from '../transaction/transaction-layer.js';
import { RFC3261_TIMERS, type TransactionTimers } from '../transaction/types.js';
import type { DigestClient } from '../auth/digest-client.js';
import { InviteSession, type SessionContext } from './invite-session.js';
import { supportedTags, type SessionOptions } from './session-options.js';

export const DEFAULT_CAPABILITIES: UasCapabilities = {
  known: new Set(['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'REGISTER', 'INFO', 'UPDATE', 'PRACK', 'REFER', 'NOTIFY', 'SUBSCRIBE', 'MESSAGE', 'PUBLISH']),
  allowed: new Set(['INVITE', 'ACK', 'BYE', 'CANCEL', 'OPTIONS', 'INFO', 'UPDATE', 'NOTIFY', 'REFER']),
  // RFC 4662 §5.1: list NOTIFYs carry Require: eventlist and a multipart/related body with RLMI.
  supported: new Set(['replaces', 'eventlist']),
  // as-feature-event NOTIFYs (FWD_DND_SYNCHRO_ENABLE_n): one CSTA body, or several in multipart/mixed.
  accept: new Set(['application/sdp', 'application/dtmf-relay', 'application/dtmf', 'application/hook-flash', 'message/sipfrag', 'application/simple-message-summary', 'application/dialog-info+xml', 'multipart/related', 'application/rlmi+xml', 'application/x-as-feature-event+xml', 'multipart/mixed']),
};

export interface UserAgentOptions {
  readonly layer: TransactionLayer;
  readonly clock: Clock;
  readonly timers?: TransactionTimers;
  readonly capabilities?: UasCapabilities;
  /** The line's INVITE session settings (100rel, session timers, INVITE expiry). */
  readonly session?: SessionOptions;
  /** The line's credentials for challenged INVITEs and in-dialog requests. */
  readonly digest?: DigestClient;
  /** Via for a new request (the transport knows its sent-by). */
  via(branch: string, peer: Peer): string;
  readonly contact: string;
  readonly userAgent: string;
  /** Event packages the phone takes unsolicited (Allow-Events on its requests and responses). */
  readonly allowEvents?: readonly string[];
  /** Where to send an in-dialog request; default: the session's initial peer. */
  peerFor?(request: SipRequest, fallback: Peer): Peer;
  /** A new INVITE passed the checks: the application rings, answers or rejects the session. */
  onInvite(session: InviteSession, source: Peer): void;
  /** Out-of-dialog requests other than INVITE/OPTIONS/CANCEL (NOTIFY, MESSAGE...); default 405/501 per checks, else 200. */
  onRequest?(request: SipRequest, tx: ServerTransaction): void;
}

/** A use of a dialog other than the INVITE session (RFC 6665 §4.5.2): a subscription, a REFER. */
export interface DialogUsage {
  /** Takes a request inside the dialog; false leaves it to the next usage or the INVITE session. */
  receiveRequest(request: SipRequest, tx: ServerTransaction, source: Peer): boolean;
}

/**
 * Which requests a usage sees: Call-ID, our tag (the To tag of requests we receive) and the
 * remote tag, or any remote tag when it is left out (a subscriber before the first NOTIFY or 2xx,
 * RFC 6665 §4.1.2.4).
 */
export interface DialogUsageKey {
  readonly callId: string;
  readonly localTag: string;
  readonly remoteTag?: string;
}

export type OutOfDialogHandler = (request: SipRequest, tx: ServerTransaction, source: Peer) => void;

export class UserAgent implements TransactionUser {
  private readonly usages = new Map<string, Set<DialogUsage>>();
  private readonly methodHandlers = new Map<string, OutOfDialogHandler>();
  private readonly sessionsByDialog = new Map<string, InviteSession>();
  private readonly sessionsByInvite = new Map<SipRequest, InviteSession>();
  private readonly pendingInvites = new Set<string>();
  private readonly ctx: SessionContext;
  private readonly caps: UasCapabilities;

  constructor(private readonly options: UserAgentOptions) {
    this.caps = options.capabilities ?? capabilitiesFor(options.session);
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
        ...(options.allowEvents !== undefined && options.allowEvents.length > 0 ? [['Allow-Events', options.allowEvents.join(', ')] as const] : []),
      ],
      session: options.session,
      digest: options.digest,
    };
  }

  /** Sessions currently tracked (for diagnostics and the control API). */
  get sessions(): InviteSession[] {
    return [...new Set([...this.sessionsByInvite.values()])];
  }

  /** What sessions and other usages need to send requests (transaction layer, clock, Via, Contact). */
  get context(): SessionContext {
    return this.ctx;
  }

  /** The INVITE session of a dialog ID (§12), if tracked. */
  sessionOfDialog(dialogId: string): InviteSession | undefined {
    return this.sessionsByDialog.get(dialogId);
  }

  /** Routes the requests of a dialog to `usage` (before the INVITE session); returns the unregister function. */
  registerDialogUsage(key: DialogUsageKey, usage: DialogUsage): () => void {
    const k = usageKey(key.callId, key.localTag, key.remoteTag);
    let set = this.usages.get(k);
    if (!set) this.usages.set(k, (set = new Set()));
    set.add(usage);
    return () => {
      const current = this.usages.get(k);
      current?.delete(usage);
      if (current?.size === 0) this.usages.delete(k);
    };
  }

  /** Takes every out-of-dialog request of `method` (after the §8.2 checks); returns the unregister function. */
  handleOutOfDialog(method: string, handler: OutOfDialogHandler): () => void {
    this.methodHandlers.set(method, handler);
    return () => {
      if (this.methodHandlers.get(method) === handler) this.methodHandlers.delete(method);
    };
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
    const usages = this.usagesOf(request);
    const refused = checkIncomingRequest(request, this.caps, {
      hasDialog: () => inDialog !== undefined || usages.length > 0,
      isMerged: (r) => this.pendingInvites.has(mergeKey(r)) && r.method === 'INVITE',
    });
    if (refused) return void tx.respond(this.withCommon(refused));
    for (const usage of usages) if (usage.receiveRequest(request, tx, source)) return;
    if (inDialog) return void inDialog.receiveInDialog(request, tx);
    // A dialog only other usages know, none of which claims this request (RFC 6665 §4.1.3).
    if (usages.length > 0) return void tx.respond(this.withCommon(createResponse(request, 481)));
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
        if (session.state === 'terminated') return; // refused at once (RFC 4028 422)
        const key = mergeKey(request);
        this.pendingInvites.add(key);
        session.events.on('state', (s) => {
          if (s !== 'early') this.pendingInvites.delete(key);
        });
        this.options.onInvite(session, source);
        return;
      }
      default: {
        const hook = this.methodHandlers.get(request.method);
        if (hook) hook(request, tx, source);
        else if (this.options.onRequest) this.options.onRequest(request, tx);
        // The allowed methods left here (BYE, INFO, UPDATE, NOTIFY, REFER, PRACK) only make sense
        // inside a dialog or subscription we do not have: 481 (RFC 3261 §12.2.2, RFC 6665 §4.1.3).
        else tx.respond(this.withCommon(createResponse(request, 481)));
      }
    }
  }

  onStrayResponse(response: SipResponse): void {
    // A 2xx retransmission after the INVITE transaction ended: the session re-sends its ACK.
    for (const session of this.sessionsByInvite.values()) {
      if (session.callId === response.callId) session.receiveStrayResponse(response);
    }
  }

  /** Usages of the request's dialog: those registered for its tags, then those for any remote tag. */
  private usagesOf(request: SipRequest): DialogUsage[] {
    if (this.usages.size === 0) return [];
    const local = request.to.tag;
    if (local === undefined) return [];
    const exact = request.from.tag === undefined ? undefined : this.usages.get(usageKey(request.callId, local, request.from.tag));
    const any = this.usages.get(usageKey(request.callId, local, undefined));
    return [...(exact ?? []), ...(any ?? [])];
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
    session.events.on('dialog', index);
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

function usageKey(callId: string, localTag: string, remoteTag: string | undefined): string {
  return remoteTag === undefined ? `${callId};${localTag};*` : dialogId(callId, localTag, remoteTag);
}

/** The default capabilities plus what the line's session settings add (100rel → PRACK, timer). */
function capabilitiesFor(session: SessionOptions | undefined): UasCapabilities {
  if (!session) return DEFAULT_CAPABILITIES;
  const allowed = new Set(DEFAULT_CAPABILITIES.allowed);
  if (session.reliableProvisional) allowed.add('PRACK');
  return { ...DEFAULT_CAPABILITIES, allowed, supported: new Set([...DEFAULT_CAPABILITIES.supported, ...supportedTags(session)]) };
}
