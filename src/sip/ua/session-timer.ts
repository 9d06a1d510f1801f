// Session timers (RFC 4028): Session-Expires / Min-SE negotiation for both roles of a session
// refresh transaction (§7 UAC, §9 UAS), 422 handling, and the timer that either refreshes at half
// the interval (§7.4, §10) or sends BYE when no refresh came (§10).
import type { Clock, Timer } from '../../core/clock.js';
import { H, type SipRequest, type SipResponse } from '../message/index.js';
import { hasOptionTag, minSe, timersEnabled, type SessionOptions } from './session-options.js';

export type Refresher = 'uac' | 'uas';

/** The outcome of a negotiation: the interval and whether this UA refreshes. */
export interface SessionInterval {
  readonly intervalS: number;
  readonly weRefresh: boolean;
}

/** Per-dialog state a UA keeps between refreshes (§7.4: later requests carry what was learnt). */
export class SessionTimerNegotiation {
  /** Largest Min-SE learnt from a 422 or a peer's request (§7.4). */
  private learntMinSe: number | undefined;
  current: SessionInterval | undefined;

  constructor(private readonly options: SessionOptions) {}

  get enabled(): boolean {
    return timersEnabled(this.options);
  }

  /**
   * §7.1 / §7.4: headers for a session refresh request we send (initial INVITE, re-INVITE, UPDATE).
   * A refresh within a session keeps the interval agreed and names us as refresher.
   */
  requestHeaders(refresh: boolean): Array<[string, string]> {
    if (!this.enabled) return [];
    const floor = Math.max(minSe(this.options), this.learntMinSe ?? 0);
    const interval = Math.max(floor, refresh && this.current ? this.current.intervalS : this.options.sessionExpiresS!);
    const pref = refresh ? (this.current?.weRefresh === false ? 'uas' : 'uac') : this.options.refresher;
    const headers: Array<[string, string]> = [['Session-Expires', pref === 'uac' || pref === 'uas' ? `${interval};refresher=${pref}` : String(interval)]];
    if (this.learntMinSe !== undefined || floor !== 90) headers.push(['Min-SE', String(floor)]);
    return headers;
  }

  /** §7.3: a 422 raises our Min-SE; returns false when it gives nothing new to retry with. */
  receive422(response: SipResponse): boolean {
    const min = response.value(H.MinSE);
    if (min === undefined || (this.learntMinSe !== undefined && min <= this.learntMinSe)) return false;
    this.learntMinSe = min;
    return true;
  }

  /** §7.2: the 2xx to a session refresh request we sent. */
  receive2xx(response: SipResponse): SessionInterval | undefined {
    if (!this.enabled) return undefined;
    const se = response.value(H.SessionExpires);
    if (!se) {
      // §7.2: no Session-Expires in the 2xx: no session expiration.
      this.current = undefined;
      return undefined;
    }
    // §7.2: without Require: timer the UAS does not do session timers; the UAC refreshes.
    const refresher: Refresher = hasOptionTag(response, 'timer', 'require') ? (se.refresher ?? 'uac') : 'uac';
    this.current = { intervalS: se.deltaSeconds, weRefresh: refresher === 'uac' };
    return this.current;
  }

  /**
   * §9: a session refresh request we received. Returns a 422 Min-SE value to reject with, or the
   * headers for our 2xx and the interval agreed (undefined: no session timer).
   */
  receiveRequest(request: SipRequest): { tooSmall: number } | { headers: Array<[string, string]>; interval: SessionInterval | undefined } {
    if (!this.enabled) return { headers: [], interval: (this.current = undefined) };
    const ours = minSe(this.options);
    const uacSupports = hasOptionTag(request, 'timer');
    const peerMin = request.value(H.MinSE);
    if (peerMin !== undefined) this.learntMinSe = Math.max(this.learntMinSe ?? 0, peerMin);
    const se = request.value(H.SessionExpires);
    let intervalS: number;
    let refresher: Refresher;
    if (se) {
      intervalS = se.deltaSeconds;
      if (intervalS < ours) {
        if (uacSupports) return { tooSmall: ours };
        intervalS = ours; // RFC 4028 errata 1687: raise it rather than fail the call
      }
      // §9: the UAS may lower the interval, never below the request's Min-SE or ours.
      intervalS = Math.max(Math.min(intervalS, this.options.sessionExpiresS!), ours, peerMin ?? 0);
      refresher = se.refresher ?? (uacSupports ? 'uac' : 'uas');
      if (!uacSupports) refresher = 'uas';
    } else {
      // §9: no Session-Expires: the UAS may ask for one when the UAC supports timers.
      if (!uacSupports) return { headers: [], interval: (this.current = undefined) };
      intervalS = Math.max(this.options.sessionExpiresS!, ours);
      refresher = 'uac';
    }
    const headers: Array<[string, string]> = [['Session-Expires', `${intervalS};refresher=${refresher}`]];
    if (uacSupports) headers.push(['Require', 'timer']);
    this.current = { intervalS, weRefresh: refresher === 'uas' };
    return { headers, interval: this.current };
  }
}

/** Runs one session interval: refresh at half of it, or BYE shortly before it ends (§10). */
export class SessionTimer {
  private timer: Timer | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly onRefresh: () => void,
    private readonly onExpired: () => void,
  ) {}

  start(interval: SessionInterval | undefined): void {
    this.stop();
    if (!interval) return;
    const s = interval.intervalS;
    if (interval.weRefresh) {
      this.timer = this.clock.setTimer((s / 2) * 1000, () => this.onRefresh(), 'sip session refresh');
    } else {
      // §10: the non-refresher sends BYE min(32, SE/3) seconds before the session expires.
      this.timer = this.clock.setTimer((s - Math.min(32, s / 3)) * 1000, () => this.onExpired(), 'sip session expiry');
    }
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }
}
