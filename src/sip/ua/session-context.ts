// What an INVITE session (and other dialog usages) needs from the UA core to send requests.
import type { Clock } from '../../core/clock.js';
import type { DigestClient } from '../auth/digest-client.js';
import type { SipRequest } from '../message/index.js';
import type { Peer, TransactionLayer } from '../transaction/transaction-layer.js';
import type { TransactionTimers } from '../transaction/types.js';
import type { SessionOptions } from './session-options.js';

export interface SessionContext {
  readonly layer: TransactionLayer;
  readonly clock: Clock;
  readonly timers: TransactionTimers;
  /** The Via for a new request from this UA (transport fills sent-by). */
  via(branch: string, peer: Peer): string;
  /** This UA's Contact for the dialog. */
  readonly contact: string;
  /** Where an in-dialog request goes (remote target or first route); default: the initial peer. */
  peerFor(request: SipRequest, fallback: Peer): Peer;
  /** Extra headers on every request and dialog-creating response (User-Agent, Allow, Supported). */
  readonly commonHeaders: ReadonlyArray<readonly [string, string]>;
  /** The line's session settings (100rel, session timers, INVITE expiry); default all off. */
  readonly session?: SessionOptions;
  /** The line's credentials: challenged INVITEs and in-dialog requests are retried (RFC 3261 §22.2). */
  readonly digest?: DigestClient;
}
