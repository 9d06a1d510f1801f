// When to send RTCP, on the injected Clock. Two timings:
// - 'fixed': every RTCP_INTVL_n seconds (KX-UT670 4.6.4.2 / 5.7.2, 5–65535 s, default 5), on
//   absolute deadlines from the start of the session, the first one interval after the start.
//   DEVIATION: RFC 3550 §6.2 randomises the interval over [0.5, 1.5] × T; the KX-UT670 exposes a
//   fixed interval in seconds, so this mode sends at exact multiples of it.
// - 'rfc3550': the RFC 3550 §6.3 / A.7 computed interval (5 s minimum, 2.5 s before the first
//   report, 5% of the session bandwidth, randomised, with timer reconsideration).
import type { Clock, Timer } from '../core/clock.js';

/** RFC 3550 §6.2: the recommended minimum interval. */
export const RTCP_MIN_TIME_S = 5;
/** RFC 3550 §6.2: RTCP gets 5% of the session bandwidth. */
export const RTCP_BANDWIDTH_FRACTION = 0.05;
/** IPv4 (20) + UDP (8) header octets, counted in avg_rtcp_size (RFC 3550 §6.2). */
export const UDP_IPV4_OVERHEAD = 28;

export interface RtcpIntervalInput {
  members: number;
  senders: number;
  /** Bandwidth for RTCP, octets per second (5% of the session bandwidth). */
  rtcpBandwidth: number;
  weSent: boolean;
  /** Average compound RTCP size including UDP/IP headers, octets. */
  avgRtcpSize: number;
  /** No RTCP sent yet (halves the minimum, RFC 3550 §6.2). */
  initial: boolean;
  minIntervalS?: number;
}

/** RFC 3550 A.7 rtcp_interval(): the randomised interval in seconds. `random` is uniform [0, 1). */
export function rtcpIntervalS(input: RtcpIntervalInput, random: () => number): number {
  const RTCP_SENDER_BW_FRACTION = 0.25;
  const RTCP_RCVR_BW_FRACTION = 1 - RTCP_SENDER_BW_FRACTION;
  const COMPENSATION = 2.71828 - 1.5; // e − 3/2
  let rtcpMinTime = input.minIntervalS ?? RTCP_MIN_TIME_S;
  if (input.initial) rtcpMinTime /= 2;
  let n = input.members;
  let rtcpBw = input.rtcpBandwidth;
  // Dedicate a fraction of the RTCP bandwidth to senders unless their number is large enough
  // that their share is more than that fraction.
  if (input.senders <= input.members * RTCP_SENDER_BW_FRACTION) {
    if (input.weSent) {
      rtcpBw *= RTCP_SENDER_BW_FRACTION;
      n = input.senders;
    } else {
      rtcpBw *= RTCP_RCVR_BW_FRACTION;
      n -= input.senders;
    }
  }
  let t = rtcpBw > 0 ? (input.avgRtcpSize * n) / rtcpBw : rtcpMinTime;
  if (t < rtcpMinTime) t = rtcpMinTime;
  // Randomise over [0.5, 1.5] × t to avoid synchronisation, then compensate for the timer
  // reconsideration algorithm converging to a value below the intended average.
  t = t * (random() + 0.5);
  return t / COMPENSATION;
}

export type RtcpTiming =
  /** KX-UT670 RTCP_INTVL_n: `intervalMs` = seconds × 1000. */
  | { mode: 'fixed'; intervalMs: number }
  /** RFC 3550 §6.3: `sessionBandwidthBps` is the session's media bandwidth in bits/s (e.g. 64000 + headers for G.711). */
  | { mode: 'rfc3550'; sessionBandwidthBps: number; minIntervalS?: number };

export interface Membership {
  members: number;
  senders: number;
  weSent: boolean;
}

export interface RtcpSchedulerOptions {
  clock: Clock;
  timing: RtcpTiming;
  /** Uniform [0, 1) (rfc3550 mode only). */
  random: () => number;
  /** Sends a compound RTCP packet now; returns its size in octets (without UDP/IP headers). */
  send: () => number;
  /** Membership for the rfc3550 computation (default: two members, we send). */
  membership?: () => Membership;
  /** Estimated size of the first compound packet, octets without UDP/IP (RFC 3550 A.7 initial avg_rtcp_size). */
  initialPacketSize?: number;
}

export class RtcpScheduler {
  private readonly options: RtcpSchedulerOptions;
  private timer: Timer | undefined;
  /** RFC 3550 A.7 state: last transmission time, average compound size, nothing sent yet. */
  private tp = 0;
  private avgRtcpSize: number;
  private initial = true;
  /** Reports sent. */
  sent = 0;

  constructor(options: RtcpSchedulerOptions) {
    this.options = options;
    if (options.timing.mode === 'fixed' && !(options.timing.intervalMs > 0)) throw new RangeError(`rtcp: interval ${options.timing.intervalMs} ms must be > 0`);
    this.avgRtcpSize = (options.initialPacketSize ?? 100) + UDP_IPV4_OVERHEAD;
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  /** Absolute due time of the next report, or undefined when stopped. */
  get nextDueMs(): number | undefined {
    return this.timer?.dueMs;
  }

  start(): void {
    if (this.timer) return;
    const { clock, timing } = this.options;
    if (timing.mode === 'fixed') {
      this.timer = clock.setPeriodic(timing.intervalMs, () => this.transmit(), 'rtcp');
      return;
    }
    this.tp = clock.now();
    this.initial = true;
    this.schedule(this.tp + this.intervalMs());
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** RFC 3550 A.7 OnReceive: a compound RTCP packet of `size` octets (without UDP/IP) arrived. */
  onReceived(size: number): void {
    this.avgRtcpSize = (size + UDP_IPV4_OVERHEAD) / 16 + (15 / 16) * this.avgRtcpSize;
  }

  private intervalMs(): number {
    const timing = this.options.timing;
    if (timing.mode === 'fixed') return timing.intervalMs;
    const m = this.options.membership?.() ?? { members: 2, senders: 2, weSent: true };
    const input: RtcpIntervalInput = {
      members: m.members,
      senders: m.senders,
      rtcpBandwidth: (timing.sessionBandwidthBps / 8) * RTCP_BANDWIDTH_FRACTION,
      weSent: m.weSent,
      avgRtcpSize: this.avgRtcpSize,
      initial: this.initial,
    };
    if (timing.minIntervalS !== undefined) input.minIntervalS = timing.minIntervalS;
    return 1000 * rtcpIntervalS(input, this.options.random);
  }

  private schedule(dueMs: number): void {
    const clock = this.options.clock;
    this.timer = clock.setTimer(dueMs - clock.now(), () => this.onExpire(), 'rtcp');
  }

  /** RFC 3550 A.7 OnExpire with timer reconsideration (members do not change in a call). */
  private onExpire(): void {
    const tc = this.options.clock.now();
    const tn = this.tp + this.intervalMs();
    if (tn <= tc) {
      const size = this.transmit();
      this.avgRtcpSize = (size + UDP_IPV4_OVERHEAD) / 16 + (15 / 16) * this.avgRtcpSize;
      this.tp = tc;
      // Redraw: the interval above is conditioned on being small enough to send.
      const t = this.intervalMs();
      this.initial = false;
      this.schedule(tc + t);
    } else {
      this.schedule(tn);
    }
  }

  private transmit(): number {
    this.sent++;
    return this.options.send();
  }
}
