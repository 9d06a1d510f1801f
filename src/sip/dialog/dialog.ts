// Dialog state (RFC 3261 §12): identity, sequence numbers, route set and remote target, built
// from the request/response that creates it, and the in-dialog requests it sends (§12.2.1.1,
// loose and strict routing) and accepts (§12.2.2).
import { H, NameAddr, SipUri, createRequest, createResponse, isSipUri, type SipRequest, type SipResponse, type Uri, type Via } from '../message/index.js';

export type DialogState = 'early' | 'confirmed' | 'terminated';

/** Requests that refresh the remote target (RFC 3261 §12.2, RFC 3311 §5.1). */
const TARGET_REFRESH = new Set(['INVITE', 'UPDATE', 'SUBSCRIBE', 'NOTIFY', 'REFER']);

export interface InDialogRequestOptions {
  readonly via: Via | string;
  readonly contact?: NameAddr | string;
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly body?: string | Uint8Array;
  readonly contentType?: string;
}

export class Dialog {
  state: DialogState;
  remoteTag: string;
  remoteTarget: Uri;
  /** Route set in the order the UA puts it into Route headers. */
  routeSet: readonly NameAddr[];
  localSeq: number;
  remoteSeq: number | undefined;

  private constructor(
    readonly callId: string,
    readonly localTag: string,
    remoteTag: string,
    /** Local party (From of requests we send). */
    readonly localParty: NameAddr,
    /** Remote party (To of requests we send). */
    readonly remoteParty: NameAddr,
    remoteTarget: Uri,
    routeSet: readonly NameAddr[],
    localSeq: number,
    remoteSeq: number | undefined,
    state: DialogState,
    readonly secure: boolean,
  ) {
    this.remoteTag = remoteTag;
    this.remoteTarget = remoteTarget;
    this.routeSet = routeSet;
    this.localSeq = localSeq;
    this.remoteSeq = remoteSeq;
    this.state = state;
  }

  /** UAC side (§12.1.2): from our request and a 101-199 (with To tag) or 2xx response. */
  static fromUac(request: SipRequest, response: SipResponse): Dialog | undefined {
    const remoteTag = response.to.tag;
    const localTag = request.from.tag;
    const contact = firstContact(response);
    if (remoteTag === undefined || localTag === undefined) return undefined;
    const routes = [...(response.value(H.RecordRoute) ?? [])].reverse();
    const secure = isSipUri(request.uri) && request.uri.scheme === 'sips';
    return new Dialog(
      request.callId,
      localTag,
      remoteTag,
      request.from,
      response.to,
      contact ?? request.uri,
      routes,
      request.cseq.seq,
      undefined,
      response.status < 200 ? 'early' : 'confirmed',
      secure,
    );
  }

  /** UAS side (§12.1.1): from the request and the tag we put into our response's To. */
  static fromUas(request: SipRequest, localTag: string, early: boolean): Dialog | undefined {
    const remoteTag = request.from.tag;
    const contact = firstContact(request);
    if (remoteTag === undefined || contact === undefined) return undefined;
    const routes = [...(request.value(H.RecordRoute) ?? [])];
    const secure = isSipUri(request.uri) && request.uri.scheme === 'sips';
    return new Dialog(request.callId, localTag, remoteTag, request.to.withTag(localTag), request.from, contact, routes, 0, request.cseq.seq, early ? 'early' : 'confirmed', secure);
  }

  /** The dialog ID of §12 (Call-ID, local tag, remote tag). */
  get id(): string {
    return dialogId(this.callId, this.localTag, this.remoteTag);
  }

  /**
   * §12.2.1.1: a request within the dialog. CSeq increments (ACK and CANCEL excepted, which the
   * caller builds with `createAck`); Request-URI and Route follow loose or strict routing.
   */
  createRequest(method: string, options: InDialogRequestOptions): SipRequest {
    if (method !== 'ACK' && method !== 'CANCEL') this.localSeq += 1;
    return this.build(method, this.localSeq, options);
  }

  /** §13.2.2.4: the ACK for a 2xx to the INVITE with CSeq `inviteSeq` (its own new branch). */
  createAck(inviteSeq: number, options: InDialogRequestOptions): SipRequest {
    return this.build('ACK', inviteSeq, options);
  }

  /**
   * §12.2.2: checks an in-dialog request. A CSeq lower than the last one is refused with 500;
   * target refresh requests update the remote target. Returns the error response or undefined.
   */
  receiveRequest(request: SipRequest): SipResponse | undefined {
    const seq = request.cseq.seq;
    if (request.method !== 'ACK' && request.method !== 'CANCEL') {
      if (this.remoteSeq !== undefined && seq < this.remoteSeq) return createResponse(request, 500, { reason: 'CSeq Out of Order' });
      this.remoteSeq = seq;
    }
    if (TARGET_REFRESH.has(request.method)) {
      const contact = firstContact(request);
      if (contact) this.remoteTarget = contact;
    }
    return undefined;
  }

  /** A response within the dialog: a 2xx confirms an early dialog and refreshes the target. */
  receiveResponse(request: SipRequest, response: SipResponse): void {
    if (response.status >= 200 && response.status < 300) {
      if (this.state === 'early') this.state = 'confirmed';
      if (TARGET_REFRESH.has(request.method)) {
        const contact = firstContact(response);
        if (contact) this.remoteTarget = contact;
      }
    }
  }

  terminate(): void {
    this.state = 'terminated';
  }

  private build(method: string, seq: number, options: InDialogRequestOptions): SipRequest {
    const { uri, route } = this.routing();
    return createRequest({
      method,
      uri,
      via: options.via,
      from: this.localParty,
      to: this.remoteParty.withTag(this.remoteTag),
      callId: this.callId,
      cseq: seq,
      route,
      contact: options.contact,
      headers: options.headers,
      body: options.body,
      contentType: options.contentType,
    });
  }

  /** §12.2.1.1: loose routing when the first route has `lr`, strict routing otherwise. */
  private routing(): { uri: Uri; route: readonly NameAddr[] } {
    const first = this.routeSet[0];
    if (first === undefined) return { uri: this.remoteTarget, route: [] };
    if (isSipUri(first.uri) && first.uri.params.has('lr')) return { uri: this.remoteTarget, route: this.routeSet };
    // Strict: Request-URI is the first route stripped of what a Request-URI may not carry
    // (§19.1.1 table: `method` and headers), Route holds the rest followed by the remote target.
    const u = first.uri;
    const strictUri = isSipUri(u) ? new SipUri({ scheme: u.scheme, user: u.user, password: u.password, host: u.host, port: u.port, params: u.params.without('method') }) : u;
    return { uri: strictUri, route: [...this.routeSet.slice(1), new NameAddr({ uri: this.remoteTarget })] };
  }
}


function firstContact(message: SipRequest | SipResponse): Uri | undefined {
  const contacts = message.contacts;
  return contacts === '*' ? undefined : contacts[0]?.uri;
}

export function dialogId(callId: string, localTag: string, remoteTag: string): string {
  return `${callId};${localTag};${remoteTag}`;
}

/** The dialog ID a received request belongs to (its To tag is our local tag). */
export function dialogIdOfRequest(request: SipRequest): string | undefined {
  const local = request.to.tag;
  const remote = request.from.tag;
  return local === undefined || remote === undefined ? undefined : dialogId(request.callId, local, remote);
}

/** §8.1.2: where a request goes first: the top Route if any, else the Request-URI. */
export function nextHop(request: SipRequest): Uri {
  const route = request.value(H.Route)?.[0];
  return route ? route.uri : request.uri;
}
