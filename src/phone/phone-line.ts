// One SIP line as the call layer sees it: its UA, its identity, and where its calls go. The
// device's SIP service (firmware-sim) builds these from the line settings (transports,
// registration, DNS); the call layer never touches sockets.
import type { Result } from '../core/result.js';
import type { Peer } from '../sip/transaction/transaction-layer.js';
import type { UserAgent } from '../sip/ua/user-agent.js';
import type { SdpEndpoint, SdpPolicy } from '../sip/sdp/index.js';

export type RegistrationState = 'unregistered' | 'registering' | 'registered' | 'unregistering' | 'failed' | 'disabled';

export interface LineStatus {
  readonly line: number;
  readonly enabled: boolean;
  /** The address-of-record, e.g. `sip:1001@pbx.example`; '' when the line has no account. */
  readonly aor: string;
  readonly registration: {
    readonly state: RegistrationState;
    readonly reason: string;
    /** The last final status of a REGISTER, if any. */
    readonly status?: number;
    /** Expiry the registrar granted, seconds. */
    readonly expiresS?: number;
    /** Where the last REGISTER went. */
    readonly registrar?: string;
  };
  /** Local SIP endpoint of the line. */
  readonly local: { readonly address: string; readonly port: number; readonly transport: string };
}

export interface CallTarget {
  /** Request-URI. */
  readonly uri: string;
  /** To header value. */
  readonly to: string;
  /** Next hop. */
  readonly peer: Peer;
}

export interface PhoneLine {
  /** 1-based line number (KX-UT670 _1.._6; A12 SIP1/SIP2). */
  readonly number: number;
  readonly ua: UserAgent;
  /** Local address for SDP c= and o= lines. */
  readonly address: string;
  /** From header value without tag: `"Name" <sip:user@domain>`. */
  readonly from: string;
  /**
   * The line's media policy (codecs, ptime, DTMF, hold style), asked once per call; with SRTP
   * it carries the call's fresh SDES keys (RFC 4568 §6.1), which the SdpSession options take.
   */
  sdpPolicy(): SdpPolicy & Pick<SdpEndpoint, 'srtpKeys'>;
  /** Resolves what the user dialled (number, SIP URI or IP address) to a request target. */
  route(dialled: string): Promise<Result<CallTarget>>;
  status(): LineStatus;
}
