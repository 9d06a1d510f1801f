// One RTP session of a call (RFC 3550), sans-IO: the sender and receiver halves, RTCP reports
// built and interpreted, round-trip time, SSRC collision handling, BYE. The caller moves bytes
// (udp-endpoint.ts in production, an in-memory pipe in tests); time comes from the injected
// Clock. RTCP follows KX-UT670 4.6.4.2 (RTCP_ENABLE_n, default off; RTCP_INTVL_n seconds).
import type { Clock } from '../core/clock.js';
import type { Result } from '../core/result.js';
import type { JitterBuffer } from './jitter-buffer.js';
import { compactNtp, compactNtpFromUnixMs, msToCompact, ntpFromUnixMs } from './ntp-time.js';
import { parseRtcp, SDES_CNAME, serializeRtcp, type ReceptionReport, type RtcpFailure, type RtcpPacket, type VoipMetrics } from './rtcp-packet.js';
import { RtcpScheduler, type RtcpTiming } from './rtcp-scheduler.js';
import { buildVoipMetrics, CODEC_IMPAIRMENT, eModelR, mosFromR, roundTripMs, type CodecImpairment } from './rtcp-stats.js';
import { RtpReceiver, type ReceiveVerdict } from './rtp-receiver.js';
import { RtpSender } from './rtp-sender.js';

/** The header fields the session needs of a received packet (RtpView satisfies it). */
export interface RtpHeaderFields {
  readonly ssrc: number;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly payloadType: number;
}

export type RtpSessionEvent =
  | { type: 'remote-bye'; ssrc: number; reason?: string }
  /** RFC 3550 §8.2: the remote used our SSRC; we took a new one (and sent BYE for the old one). */
  | { type: 'ssrc-collision'; oldSsrc: number; newSsrc: number }
  | { type: 'source-changed'; ssrc: number }
  | { type: 'rtt'; roundTripMs: number };

export interface RtpSessionOptions {
  clock: Clock;
  /** Uniform [0, 1): SSRC, initial sequence and timestamp, RFC 3550 interval randomisation. */
  random: () => number;
  /** Payload type and RTP clock rate of the media we send. */
  payloadType: number;
  clockRate: number;
  /** Packet duration, ms (for XR burst durations). Default 20. */
  frameMs?: number;
  /** Canonical name for SDES (RFC 3550 §6.5.1: user@host). */
  cname: string;
  rtcp?: {
    /** KX-UT670 RTCP_ENABLE_n. When false nothing is sent, but received RTCP is still read. */
    enabled: boolean;
    /** Default: fixed 5 s (RTCP_INTVL_n default). */
    timing?: RtcpTiming;
    /** Add an XR VoIP Metrics block (RFC 3611 §4.7) to each report (needs `jitterBuffer`). */
    xr?: boolean;
  };
  /** Sends one compound RTCP packet (to the remote RTCP address). */
  transmitRtcp?: (packet: Uint8Array) => void;
  /** RFC 4733 telephone-event payload types: they repeat timestamps, so they skip the jitter estimate. */
  eventPayloadTypes?: readonly number[];
  /** RFC 3550 A.1 MIN_SEQUENTIAL (default 2). */
  minSequential?: number;
  /** E-model impairment of the codec received (default G.711). */
  codec?: CodecImpairment;
  /** The receive jitter buffer, for XR metrics and the MOS estimate. */
  jitterBuffer?: JitterBuffer;
  onEvent?: (event: RtpSessionEvent) => void;
  ssrc?: number;
  initialSequence?: number;
  initialTimestamp?: number;
}

/** Figures for the control API's per-call RTP statistics. */
export interface RtpSessionStats {
  localSsrc: number;
  remoteSsrc: number | undefined;
  packetsSent: number;
  octetsSent: number;
  packetsReceived: number;
  packetsExpected: number;
  /** Cumulative lost (RFC 3550 A.3; can be negative with duplicates). */
  packetsLost: number;
  /** Lost over expected since the start, percent. */
  lossPercent: number;
  /** Interarrival jitter (RFC 3550 A.8), ms. */
  jitterMs: number;
  roundTripMs: number | undefined;
  /** What the remote reported about our stream in its last report block. */
  remote: { fractionLost: number; cumulativeLost: number; jitterMs: number } | undefined;
  rtcpSent: number;
  rtcpReceived: number;
  rtcpMalformed: number;
  sourceChanges: number;
  collisions: number;
  /** Packets carrying our own SSRC after a collision was resolved: our packets mirrored back (§8.2 loop). */
  loops: number;
  remoteBye: boolean;
  /** E-model (G.107) transmission rating and MOS of the received stream. */
  rFactor: number;
  mos: number;
}

export class RtpSession {
  readonly sender: RtpSender;
  readonly receiver: RtpReceiver;
  readonly cname: string;
  private readonly options: RtpSessionOptions;
  private readonly clock: Clock;
  private readonly scheduler: RtcpScheduler | undefined;
  private readonly eventPts: ReadonlySet<number>;
  private readonly frameMs: number;
  private started = false;
  private stopped = false;
  /** Packets we sent in the previous reporting interval (SR if we sent in the last two, §6.4). */
  private sentPreviousInterval = 0;
  /** Last SR from the remote: its compact NTP time and when it arrived (for LSR/DLSR). */
  private lastSr: { ssrc: number; compact: number; arrivalMs: number } | undefined;
  private rttMs: number | undefined;
  private remoteView: { fractionLost: number; cumulativeLost: number; jitterMs: number } | undefined;
  /** Last XR VoIP metrics the remote sent about our stream. */
  remoteVoipMetrics: VoipMetrics | undefined;
  private rtcpSent = 0;
  private rtcpReceived = 0;
  private rtcpMalformed = 0;
  private collisions = 0;
  private loops = 0;
  private remoteBye = false;

  constructor(options: RtpSessionOptions) {
    this.options = options;
    this.clock = options.clock;
    this.cname = options.cname;
    this.frameMs = options.frameMs ?? 20;
    const senderOptions: ConstructorParameters<typeof RtpSender>[0] = { payloadType: options.payloadType, clockRate: options.clockRate, random: options.random };
    if (options.ssrc !== undefined) senderOptions.ssrc = options.ssrc;
    if (options.initialSequence !== undefined) senderOptions.initialSequence = options.initialSequence;
    if (options.initialTimestamp !== undefined) senderOptions.initialTimestamp = options.initialTimestamp;
    this.sender = new RtpSender(senderOptions);
    this.receiver = new RtpReceiver({ clockRate: options.clockRate, minSequential: options.minSequential ?? 2 });
    this.eventPts = new Set(options.eventPayloadTypes ?? []);
    if (options.rtcp?.enabled) {
      this.scheduler = new RtcpScheduler({
        clock: options.clock,
        timing: options.rtcp.timing ?? { mode: 'fixed', intervalMs: 5000 },
        random: options.random,
        send: () => this.sendReport(),
        membership: () => ({
          members: 1 + (this.receiver.active ? 1 : 0),
          senders: (this.sentPreviousInterval > 0 || this.sender.hasSent ? 1 : 0) + (this.receiver.active ? 1 : 0),
          weSent: this.sender.hasSent,
        }),
      });
    }
  }

  get rtcpEnabled(): boolean {
    return this.scheduler !== undefined;
  }

  /** Starts RTCP reporting (when enabled). */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    this.scheduler?.start();
  }

  /**
   * Ends the session: stops RTCP and, when RTCP is enabled, transmits and returns a final
   * compound packet with a BYE (RFC 3550 §6.6). Idempotent.
   */
  stop(reason?: string): Uint8Array | undefined {
    if (this.stopped) return undefined;
    this.stopped = true;
    this.scheduler?.stop();
    if (!this.scheduler) return undefined;
    const packet = this.buildCompound(this.sender.ssrc, { bye: true, reason });
    this.transmit(packet);
    return packet;
  }

  // ---- sending ---------------------------------------------------------------------------

  /** Writes the RTP header of the next media frame into `out` (payload at out[12..)); returns the packet length. */
  writeFrame(out: Uint8Array, payloadLength: number, ticks: number): number {
    return this.sender.writeFrameHeader(out, payloadLength, ticks, this.clock.now());
  }

  /** A frame period with nothing sent (DTX): the timestamp advances, the next frame is a talkspurt start. */
  skipFrame(ticks: number): void {
    this.sender.skipFrame(ticks);
  }

  // ---- receiving -------------------------------------------------------------------------

  /**
   * Accounts a received RTP packet (already parsed; source address already checked by the
   * endpoint's latch). Deliver it to the jitter buffer when the verdict is 'accepted' or
   * 'source-changed'.
   */
  receiveRtp(packet: RtpHeaderFields, arrivalMs: number = this.clock.now()): ReceiveVerdict {
    // RFC 3550 §8.2: a new SSRC is chosen "only once in case of a loop". Our SSRC coming back
    // after a collision was resolved is our own packets mirrored (an echo service, SIPp -rtp_echo):
    // a loop, counted. DEVIATION: §8.2 aborts processing of looped packets; they are played, as a
    // desk phone lets its user hear an echo test.
    if (packet.ssrc === this.sender.ssrc) {
      if (this.collisions === 0) this.resolveCollision();
      else this.loops++;
    }
    const verdict = this.receiver.receive(packet.ssrc, packet.sequenceNumber, packet.timestamp, arrivalMs, !this.eventPts.has(packet.payloadType));
    if (verdict === 'source-changed') this.options.onEvent?.({ type: 'source-changed', ssrc: packet.ssrc });
    return verdict;
  }

  /** Reads a received compound RTCP packet: SR timing, report blocks about us (RTT), BYE, XR. */
  receiveRtcp(bytes: Uint8Array, arrivalMs: number = this.clock.now()): Result<RtcpPacket[], RtcpFailure> {
    const r = parseRtcp(bytes);
    if (!r.ok) {
      this.rtcpMalformed++;
      return r;
    }
    this.rtcpReceived++;
    this.scheduler?.onReceived(bytes.length);
    // The wall time of the arrival (RFC 3550 §6.4.1: RTT = A − LSR − DLSR), read late if the endpoint did.
    const arrivalCompact = compactNtpFromUnixMs(this.clock.wallTime().getTime() - (this.clock.now() - arrivalMs));
    for (const p of r.value) {
      switch (p.type) {
        case 'SR':
          if (p.ssrc !== this.sender.ssrc) this.lastSr = { ssrc: p.ssrc, compact: compactNtp(p.sender.ntpSeconds, p.sender.ntpFraction), arrivalMs };
          this.readReports(p.reports, arrivalCompact);
          break;
        case 'RR':
          this.readReports(p.reports, arrivalCompact);
          break;
        case 'BYE':
          for (const s of p.sources) {
            if (s === this.sender.ssrc) continue;
            if (this.receiver.active === undefined || s === this.receiver.active.ssrc) {
              this.remoteBye = true;
              const e: RtpSessionEvent = { type: 'remote-bye', ssrc: s };
              if (p.reason !== undefined) e.reason = p.reason;
              this.options.onEvent?.(e);
            }
          }
          break;
        case 'XR':
          for (const b of p.blocks) if ('metrics' in b && b.metrics.ssrc === this.sender.ssrc) this.remoteVoipMetrics = b.metrics;
          break;
        default:
          break;
      }
    }
    return r;
  }

  private readReports(reports: readonly ReceptionReport[], arrivalCompact: number): void {
    for (const rb of reports) {
      if (rb.ssrc !== this.sender.ssrc) continue;
      this.remoteView = { fractionLost: rb.fractionLost / 256, cumulativeLost: rb.cumulativeLost, jitterMs: (rb.jitter * 1000) / this.sender.clockRate };
      const rtt = roundTripMs(arrivalCompact, rb.lastSenderReport, rb.delaySinceLastSenderReport);
      if (rtt !== undefined) {
        this.rttMs = rtt;
        this.options.onEvent?.({ type: 'rtt', roundTripMs: rtt });
      }
    }
  }

  // ---- RTCP building -------------------------------------------------------------------------

  /**
   * The compound report due now: SR (if we sent RTP in the last two intervals, RFC 3550 §6.4)
   * or RR, with a report block for the current remote source, SDES CNAME, and XR when enabled.
   * Advances the A.3 interval counters: call it only for reports actually sent.
   */
  buildReport(): Uint8Array {
    return this.buildCompound(this.sender.ssrc, {});
  }

  private buildCompound(ssrc: number, opts: { bye?: boolean; reason?: string | undefined }): Uint8Array {
    const nowMs = this.clock.now();
    const sentNow = this.sender.takeSentSinceReport();
    const weSent = sentNow > 0 || this.sentPreviousInterval > 0;
    this.sentPreviousInterval = sentNow;
    const reports: ReceptionReport[] = [];
    const src = this.receiver.active;
    if (src && src.valid) {
      let lsr = 0;
      let dlsr = 0;
      if (this.lastSr && this.lastSr.ssrc === src.ssrc) {
        lsr = this.lastSr.compact;
        dlsr = msToCompact(nowMs - this.lastSr.arrivalMs);
      }
      reports.push(src.takeReport(lsr, dlsr));
    }
    const packets: RtcpPacket[] = [];
    if (weSent && ssrc === this.sender.ssrc) {
      const ntp = ntpFromUnixMs(this.clock.wallTime().getTime());
      packets.push({
        type: 'SR',
        ssrc,
        sender: {
          ntpSeconds: ntp.seconds,
          ntpFraction: ntp.fraction,
          rtpTimestamp: this.sender.rtpTimestampAt(nowMs),
          packetCount: this.sender.packetCount,
          octetCount: this.sender.octetCount,
        },
        reports,
      });
    } else {
      packets.push({ type: 'RR', ssrc, reports });
    }
    packets.push({ type: 'SDES', chunks: [{ ssrc, items: [{ type: SDES_CNAME, text: this.cname }] }] });
    const xr = this.options.rtcp?.xr ? this.voipMetrics() : undefined;
    if (xr) packets.push({ type: 'XR', ssrc, blocks: [{ blockType: 7, metrics: xr }] });
    if (opts.bye) {
      const bye: RtcpPacket = { type: 'BYE', sources: [ssrc] };
      if (opts.reason !== undefined) bye.reason = opts.reason;
      packets.push(bye);
    }
    return serializeRtcp(packets);
  }

  /** The XR VoIP Metrics block about the remote source, when a jitter buffer is attached. */
  voipMetrics(): VoipMetrics | undefined {
    const jb = this.options.jitterBuffer;
    const src = this.receiver.active;
    if (!jb || !src) return undefined;
    const s = jb.stats();
    return buildVoipMetrics({
      ssrc: src.ssrc,
      burst: jb.burst.metrics(this.frameMs),
      burstRatio: jb.burst.burstRatio(),
      roundTripMs: this.rttMs,
      endSystemDelayMs: s.currentDelayMs + this.frameMs,
      codec: this.options.codec ?? CODEC_IMPAIRMENT.PCMU!,
      jitterBuffer: { nominalMs: s.currentDelayMs, maximumMs: s.maxPlayoutOffsetMs, absMaxMs: jb.maxDelayMs, adaptive: jb.adaptive },
    });
  }

  private sendReport(): number {
    const packet = this.buildReport();
    this.transmit(packet);
    return packet.length;
  }

  private transmit(packet: Uint8Array): void {
    this.rtcpSent++;
    this.options.transmitRtcp?.(packet);
  }

  /** RFC 3550 §8.2: another participant uses our SSRC: BYE the old one, pick a new one. */
  private resolveCollision(): void {
    this.collisions++;
    const oldSsrc = this.sender.ssrc;
    let newSsrc = oldSsrc;
    while (newSsrc === oldSsrc) newSsrc = Math.floor(this.options.random() * 4_294_967_296) >>> 0;
    if (this.scheduler) this.transmit(serializeRtcp([{ type: 'RR', ssrc: oldSsrc, reports: [] }, { type: 'BYE', sources: [oldSsrc], reason: 'SSRC collision' }]));
    this.sender.changeSsrc(newSsrc);
    this.options.onEvent?.({ type: 'ssrc-collision', oldSsrc, newSsrc });
  }

  // ---- statistics --------------------------------------------------------------------------

  stats(): RtpSessionStats {
    const src = this.receiver.active;
    const expected = src && src.valid ? src.expected : 0;
    const lost = src && src.valid ? src.lost : 0;
    const lossPercent = expected > 0 ? (100 * Math.max(0, lost)) / expected : 0;
    const jb = this.options.jitterBuffer;
    // Mouth-to-ear estimate: half the RTT (or nothing measured) + jitter buffer + one frame.
    const oneWay = (this.rttMs ?? 0) / 2 + (jb ? jb.stats().currentDelayMs : 0) + this.frameMs;
    let impairedPercent = lossPercent;
    if (jb) {
      const b = jb.stats();
      const due = b.played + b.lost + b.late + b.dropped;
      if (due > 0) impairedPercent = (100 * (b.lost + b.late + b.dropped)) / due;
    }
    const r = eModelR({ oneWayDelayMs: oneWay, packetLossPercent: impairedPercent, burstRatio: jb ? jb.burst.burstRatio() : 1, codec: this.options.codec ?? CODEC_IMPAIRMENT.PCMU! });
    return {
      localSsrc: this.sender.ssrc,
      remoteSsrc: src?.ssrc,
      packetsSent: this.sender.packetCount,
      octetsSent: this.sender.octetCount,
      packetsReceived: src ? src.received : 0,
      packetsExpected: expected,
      packetsLost: lost,
      lossPercent,
      jitterMs: src ? src.jitterMs : 0,
      roundTripMs: this.rttMs,
      remote: this.remoteView,
      rtcpSent: this.rtcpSent,
      rtcpReceived: this.rtcpReceived,
      rtcpMalformed: this.rtcpMalformed,
      sourceChanges: this.receiver.sourceChanges,
      collisions: this.collisions,
      loops: this.loops,
      remoteBye: this.remoteBye,
      rFactor: r,
      mos: mosFromR(r),
    };
  }
}
