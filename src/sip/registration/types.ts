// Types of a line's registration (RFC 3261 §10.2; KX-UT670 4.6.2 and 5.8.2): its configuration,
// states, events and the actions the sans-IO core asks its driver to perform.
import type { SipCredentials } from '../auth/digest-client.js';
import type { SipRequest } from '../message/index.js';
import type { Peer, TransportName } from '../transaction/transaction-layer.js';

export interface RegistrationConfig {
  /** Line number, for logs and events. */
  readonly line?: number;
  /** Address of record, e.g. `sip:1001@example.test` (SIP_URI_n, or PHONE_NUMBER_n@SIP_SVCDOMAIN_n). */
  readonly aor: string;
  /** Request-URI: the registrar's domain without user part (RFC 3261 §10.2), e.g. `sip:example.test`. */
  readonly registrarUri: string;
  /** Contact URI of this line, e.g. `sip:1001@192.0.2.10:5060`. */
  readonly contact: string;
  /** Display name in From and To. */
  readonly displayName?: string;
  /** SIP_TRANSPORT_n; default udp. */
  readonly transport?: TransportName;
  /** SIP_AUTHID_n / SIP_PASS_n; without them a challenge fails the registration. */
  readonly credentials?: SipCredentials;
  /** REG_EXPIRE_TIME_n, seconds; default 3600. */
  readonly expiresS?: number;
  /** REG_INTERVAL_RATE_n, percent of the granted expiry after which to refresh; default 90. */
  readonly refreshPercent?: number;
  /** REG_RTX_INTVL_n, seconds between attempts after a failure; default 10. */
  readonly retryIntervalS?: number;
  /** USE_DEL_REG_OPEN_n: remove every binding (`Contact: *`) before registering; default false. */
  readonly unregisterOnStart?: boolean;
  /** USE_DEL_REG_CLOSE_n: unregister when the line stops; default false. */
  readonly unregisterOnStop?: boolean;
  /** ADD_EXPIRES_HEADER_n: also write an Expires header field; default true. */
  readonly addExpiresHeader?: boolean;
  /** ADD_TRANSPORT_UDP_n: `;transport=udp` in the Contact URI; default false. */
  readonly addTransportUdp?: boolean;
  /** ADD_USER_PHONE_n: `;user=phone` in the From/To URI; default false. */
  readonly addUserPhone?: boolean;
  /** SIP_USER_AGENT (placeholders already replaced). */
  readonly userAgent?: string;
  /** Allow-Events of the REGISTER (KX-UT670 5.6.1 TALK_PACKAGE / HOLD_PACKAGE). */
  readonly allowEvents?: readonly string[];
  /**
   * The line's Timer F (SIP_TIMER_F_n), ms: a refresh due on a fail-over target may wait that long
   * for the primary (fail-back), so it starts early enough; default the driver's timers, else 32000.
   */
  readonly timerFMs?: number;
  /** SIP_FOVR_NORSP_n / SIP_FOVR_MAX_n; default { onNoResponse: true, maxTargets: 4 }. */
  readonly failover?: { readonly onNoResponse: boolean; readonly maxTargets: number };
  /** Fixed identifiers for tests; default random. */
  readonly callId?: string;
  readonly fromTag?: string;
}

export type RegistrationFailureReason =
  /** No response: Timer F fired on every target tried (KX-UT670: "server no reply"). */
  | 'timeout'
  /** The transport could not send (treated like a 503, RFC 3261 §8.1.3.1). */
  | 'transport-error'
  /** 503 Service Unavailable on every target tried (RFC 3263 §4.3), or 500/480 with Retry-After. */
  | 'unavailable'
  /** A 3xx that cannot be followed: no usable Contact, a loop, too many hops (RFC 3261 §8.1.3.4). */
  | 'redirect'
  /** The registrar challenged our credentials again (wrong authentication ID or password). */
  | 'auth-rejected'
  /** A challenge this client cannot answer (algorithm, qop) or a challenge without credentials. */
  | 'auth-unsupported'
  /** 403 Forbidden: no retry (KX-UT670 5.8.2 REG_RTX_INTVL_n note). */
  | 'forbidden'
  /** 423 that cannot be satisfied (no usable Min-Expires). */
  | 'interval-too-brief'
  /** Any other final error response, or a 2xx that grants no time to our contact. */
  | 'rejected'
  /** The targets provider returned no server. */
  | 'no-target';

export type RegistrationState =
  | { readonly kind: 'unregistered' }
  | {
      readonly kind: 'registering';
      /** Set while a 3xx sends the REGISTER elsewhere, e.g. `302 Moved Temporarily from A to B`. */
      readonly detail?: string;
    }
  | {
      readonly kind: 'registered';
      readonly expiresS: number;
      readonly target: Peer;
      /** Set when the registrar was reached through a 3xx (the redirect that led there). */
      readonly detail?: string;
    }
  | { readonly kind: 'unregistering' }
  | {
      readonly kind: 'failed';
      readonly reason: RegistrationFailureReason;
      /** Final response status, when there was one. */
      readonly status?: number;
      /** Human-readable detail (never holds the password). */
      readonly detail: string;
      /** Seconds until the next attempt (a Retry-After, else REG_RTX_INTVL_n); undefined when none is scheduled (403). */
      readonly retryInS?: number;
    };

export type RegistrationStateKind = RegistrationState['kind'];

/**
 * Why the state was (re-)entered. `redirect`: a 3xx sent the REGISTER to another server;
 * `failback`: registered on the first (primary) target again after having failed over.
 */
export type RegistrationCause = 'start' | 'registered' | 'refreshed' | 'failover' | 'redirect' | 'failback' | 'retry' | 'failed' | 'stop' | 'unregistered';

export interface RegistrationEvent {
  readonly line?: number;
  readonly state: RegistrationState;
  readonly cause: RegistrationCause;
  /** The server the event concerns (the new target for `failover`). */
  readonly target?: Peer;
}

export type RegistrationTimer = 'refresh' | 'retry';

export type RegistrationAction =
  /** Ask the targets provider for the ordered server list, then call `targetsResolved`. */
  | { readonly kind: 'resolve-targets' }
  /** Start a client transaction for `request` to `target`; report its outcome for this request. */
  | { readonly kind: 'send'; readonly request: SipRequest; readonly target: Peer }
  | { readonly kind: 'set-timer'; readonly timer: RegistrationTimer; readonly delayMs: number }
  | { readonly kind: 'cancel-timer'; readonly timer: RegistrationTimer }
  | { readonly kind: 'event'; readonly event: RegistrationEvent }
  /** `stop()` has finished (unregistered, or nothing to unregister). */
  | { readonly kind: 'stopped' };
