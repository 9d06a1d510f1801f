// Quality figures derived from RTCP and the jitter buffer: round-trip time from LSR/DLSR
// (RFC 3550 §6.4.1), the burst/gap loss model of RFC 3611 §4.7.2 / Appendix A.2, and the
// ITU-T G.107 E-model R factor with its MOS mapping, for the XR VoIP Metrics block (RFC 3611
// §4.7) and for the call statistics the control API shows.
import { XR_UNAVAILABLE, type VoipMetrics } from './rtcp-packet.js';
import { compactToMs } from './ntp-time.js';

/**
 * RFC 3550 §6.4.1: round-trip time = A − LSR − DLSR, with A the compact NTP time at which the
 * report block arrived. Returns milliseconds, or undefined when the block carries no LSR
 * (no SR received yet by the peer). A slightly negative result from rounding reads as 0.
 */
export function roundTripMs(arrivalCompactNtp: number, lastSenderReport: number, delaySinceLastSenderReport: number): number | undefined {
  if (lastSenderReport === 0) return undefined;
  const units = (arrivalCompactNtp - lastSenderReport - delaySinceLastSenderReport) | 0;
  return units < 0 ? 0 : compactToMs(units);
}

// ---- RFC 3611 Appendix A.2: burst and gap metrics -------------------------------------------

/** RFC 3611 §4.7.2: recommended gap threshold Gmin. */
export const GMIN = 16;

export interface BurstMetrics {
  /** Fractions × 256 (0–255) of packets lost / discarded since the start (RFC 3611 §4.7.1). */
  lossRate: number;
  discardRate: number;
  /** Fractions × 256 of packets lost or discarded within bursts / within gaps (§4.7.2). */
  burstDensity: number;
  gapDensity: number;
  /** Mean durations of bursts and gaps, ms. */
  burstDuration: number;
  gapDuration: number;
}

/**
 * The RFC 3611 Appendix A.2 state-transition counter, fed one outcome per packet in sequence
 * order: received, lost (never arrived) or discarded (arrived too late or too early).
 */
export class BurstGapTracker {
  private c11 = 0;
  private c13 = 0;
  private c14 = 0;
  private c22 = 0;
  private c23 = 0;
  private c33 = 0;
  /** Packets received since the last loss or discard (A.2 pkt). */
  private pkt = 0;
  /** Losses in the current burst (A.2 lost). */
  private lost = 0;
  lossCount = 0;
  discardCount = 0;
  /** Packets accounted (received, lost or discarded) and runs of consecutive losses/discards. */
  total = 0;
  impairedRuns = 0;
  private previousImpaired = false;

  constructor(readonly gmin = GMIN) {}

  received(): void {
    this.pkt++;
    this.total++;
    this.previousImpaired = false;
  }

  packetLost(): void {
    this.lossCount++;
    this.event();
  }

  packetDiscarded(): void {
    this.discardCount++;
    this.event();
  }

  /** A packet first counted lost arrived after all (late): it is a discard, not a loss. */
  reclassifyLostAsDiscarded(): void {
    if (this.lossCount > 0) {
      this.lossCount--;
      this.discardCount++;
    }
  }

  /**
   * G.107 §7.5 BurstR: mean length of the observed runs of lost (or discarded) packets over the
   * mean run length random loss of the same rate gives, 1/(1 − Ppl). 1 when nothing was lost.
   */
  burstRatio(): number {
    const impaired = this.lossCount + this.discardCount;
    if (impaired === 0 || this.impairedRuns === 0 || impaired >= this.total) return 1;
    const p = impaired / this.total;
    return Math.max(1, (impaired / this.impairedRuns) * (1 - p));
  }

  private event(): void {
    this.total++;
    if (!this.previousImpaired) this.impairedRuns++;
    this.previousImpaired = true;
    if (this.pkt >= this.gmin) {
      if (this.lost === 1) this.c14++;
      else this.c13++;
      this.lost = 1;
      this.c11 += this.pkt;
    } else {
      this.lost++;
      if (this.pkt === 0) this.c33++;
      else {
        this.c23++;
        this.c22 += this.pkt - 1;
      }
    }
    this.pkt = 0;
  }

  /** Metrics for a stream of `msPerPacket` packets (RFC 3611 A.2 "calculate"). */
  metrics(msPerPacket: number): BurstMetrics {
    // The packets received since the last event belong to the gap in progress.
    const c11 = this.c11 + this.pkt;
    const c13 = this.c13;
    const c14 = this.c14;
    const c22 = this.c22;
    const c23 = this.c23;
    const c31 = c13;
    const c32 = c23;
    const c33 = this.c33;
    const ctotal = c11 + c14 + c13 + c22 + c23 + c31 + c32 + c33;
    const p32 = c31 + c32 + c33 === 0 ? 0 : c32 / (c31 + c32 + c33);
    const p23 = c22 + c23 === 0 ? 1 : 1 - c22 / (c22 + c23);
    const burstDensity = p23 + p32 === 0 || c13 === 0 ? 0 : Math.min(255, Math.floor((256 * p23) / (p23 + p32)));
    const gapDensity = c11 + c14 === 0 ? 0 : Math.min(255, Math.floor((256 * c14) / (c11 + c14)));
    let gapDuration = 0;
    let burstDuration = 0;
    if (c13 > 0) {
      // Mean gap length in packets: (c11 + c14 + c13) / c13; mean burst: the rest per burst.
      gapDuration = Math.floor(((c11 + c14 + c13) * msPerPacket) / c13);
      burstDuration = Math.floor((ctotal * msPerPacket) / c13) - gapDuration;
    }
    const expected = this.total;
    const rate = (n: number): number => (expected === 0 ? 0 : Math.min(255, Math.floor((256 * n) / expected)));
    return {
      lossRate: rate(this.lossCount),
      discardRate: rate(this.discardCount),
      burstDensity,
      gapDensity,
      burstDuration: Math.min(0xffff, burstDuration),
      gapDuration: Math.min(0xffff, gapDuration),
    };
  }
}

// ---- ITU-T G.107 E-model ---------------------------------------------------------------------

/** Equipment impairment of a codec (ITU-T G.113 Appendix I). */
export interface CodecImpairment {
  /** Equipment impairment factor Ie. */
  ie: number;
  /** Packet-loss robustness factor Bpl. */
  bpl: number;
}

/**
 * G.113 Appendix I values. G.722 is a wideband codec whose proper scale is G.107.1;
 * DEVIATION: the narrowband model is used with G.711's values so that MOS stays comparable
 * across a phone's calls.
 */
export const CODEC_IMPAIRMENT: Readonly<Record<string, CodecImpairment>> = {
  PCMU: { ie: 0, bpl: 25.1 }, // G.711 with packet-loss concealment (G.711 Appendix I)
  PCMA: { ie: 0, bpl: 25.1 },
  G722: { ie: 0, bpl: 25.1 },
  G729: { ie: 11, bpl: 19 }, // G.729A + VAD
};

export interface EModelInput {
  /** Mean one-way mouth-to-ear delay Ta, ms (network half of the RTT + jitter buffer + codec). */
  oneWayDelayMs: number;
  /** Packet loss (lost + discarded) in percent, 0–100. */
  packetLossPercent: number;
  /** Burst ratio (1 for random loss; > 1 for bursty loss). */
  burstRatio?: number;
  codec?: CodecImpairment;
}

// G.107 Table 3 default values.
const SLR = 8;
const RLR = 2;
const STMR = 15;
const LSTR = 18;
const DS = 3;
const TELR = 65;
const WEPL = 110;
const QDU = 1;
const NC = -70;
const NFOR = -64;
const PS = 35;
const PR = 35;
const A_ADVANTAGE = 0;

const log10 = Math.log10;

/** Basic signal-to-noise ratio Ro and simultaneous impairment Is (G.107 §7.2, §7.3). */
function basicTerms(t: number): { ro: number; is: number; no: number } {
  const olr = SLR + RLR;
  const nfo = NFOR + RLR;
  const pre = PR + 10 * log10(1 + 10 ** ((10 - LSTR) / 10));
  const nor = RLR - 121 + pre + 0.008 * (pre - 35) ** 2;
  const nos = PS - SLR - DS - 100 + 0.004 * (PS - olr - DS - 14) ** 2;
  const no = 10 * log10(10 ** (NC / 10) + 10 ** (nos / 10) + 10 ** (nor / 10) + 10 ** (nfo / 10));
  const ro = 15 - 1.5 * (SLR + no);
  const xolr = olr + 0.2 * (64 + no - RLR);
  const iolr = 20 * ((1 + (xolr / 8) ** 8) ** (1 / 8) - xolr / 8);
  const stmro = -10 * log10(10 ** (-STMR / 10) + Math.exp(-t / 4) * 10 ** (-TELR / 10));
  const ist = 12 * (1 + ((stmro - 13) / 6) ** 8) ** (1 / 8) - 28 * (1 + ((stmro + 1) / 19.4) ** 35) ** (1 / 35) - 13 * (1 + ((stmro - 3) / 33) ** 13) ** (1 / 13) + 29;
  const q = 37 - 15 * log10(QDU);
  const g = 1.07 + 0.258 * q + 0.0602 * q ** 2;
  const z = 46 / 30 - g / 40;
  const y = (ro - 100) / 15 + 46 / 8.4 - g / 9;
  const iq = 15 * log10(1 + 10 ** y + 10 ** z);
  return { ro, is: iolr + ist + iq, no };
}

/** Delay impairment Id = Idte + Idle + Idd (G.107 §7.4) for one-way delay `t` ms (T = Ta, Tr = 2T). */
export function delayImpairment(t: number): number {
  const { ro, no } = basicTerms(t);
  const roe = -1.5 * (no - RLR);
  const terv = TELR - 40 * log10((1 + t / 10) / (1 + t / 150)) + 6 * Math.exp(-0.3 * t * t);
  const re = 80 + 2.5 * (terv - 14);
  const idte = ((roe - re) / 2 + Math.sqrt((roe - re) ** 2 / 4 + 100) - 1) * (1 - Math.exp(-t));
  const rle = 10.5 * (WEPL + 7) * (2 * t + 1) ** -0.25;
  const idle = (ro - rle) / 2 + Math.sqrt((ro - rle) ** 2 / 4 + 169);
  let idd = 0;
  if (t > 100) {
    const x = log10(t / 100) / log10(2);
    idd = 25 * ((1 + x ** 6) ** (1 / 6) - 3 * (1 + (x / 3) ** 6) ** (1 / 6) + 2);
  }
  return idte + idle + idd;
}

/** Effective equipment impairment Ie,eff (G.107 §7.5). */
export function effectiveEquipmentImpairment(packetLossPercent: number, burstRatio = 1, codec: CodecImpairment = CODEC_IMPAIRMENT.PCMU!): number {
  const ppl = Math.max(0, Math.min(100, packetLossPercent));
  return codec.ie + ((95 - codec.ie) * ppl) / (ppl / burstRatio + codec.bpl);
}

/**
 * Transmission rating R = Ro − Is − Id − Ie,eff + A (G.107 §7.1) with the Table 3 defaults for
 * everything the network does not change; 93.2 for a perfect narrowband connection.
 */
export function eModelR(input: EModelInput): number {
  const t = Math.max(0, input.oneWayDelayMs);
  const { ro, is } = basicTerms(t);
  return ro - is - delayImpairment(t) - effectiveEquipmentImpairment(input.packetLossPercent, input.burstRatio ?? 1, input.codec) + A_ADVANTAGE;
}

/** R as a listening-quality figure: the same model with the delay impairment of zero delay. */
export function eModelListeningR(input: EModelInput): number {
  return eModelR({ ...input, oneWayDelayMs: 0 });
}

/** G.107 Annex B: MOS (CQE) from R. */
export function mosFromR(r: number): number {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}

// ---- XR VoIP Metrics ---------------------------------------------------------------------------

export interface VoipMetricsInput {
  /** The source the block reports on (the remote sender's SSRC). */
  ssrc: number;
  burst: BurstMetrics;
  /** Round-trip delay from LSR/DLSR, ms (undefined: not measured yet, reported as 0). */
  roundTripMs: number | undefined;
  /** End-system delay: jitter buffer plus codec and packetisation, ms. */
  endSystemDelayMs: number;
  codec?: CodecImpairment;
  /** Jitter buffer nominal, maximum and absolute maximum delay, ms (RFC 3611 §4.7.7). */
  jitterBuffer: { nominalMs: number; maximumMs: number; absMaxMs: number; adaptive: boolean };
  /** G.107 BurstR (`BurstGapTracker.burstRatio()`); 1 for random loss. */
  burstRatio: number;
}

/**
 * Fills a VoIP Metrics block (RFC 3611 §4.7). Signal, noise and echo levels are not measured
 * (127 = unavailable). The R factor is the conversational one (one-way delay = half the RTT +
 * end-system delay); MOS-LQ leaves delay out, MOS-CQ includes it.
 */
export function buildVoipMetrics(input: VoipMetricsInput): VoipMetrics {
  const lossFraction = (input.burst.lossRate + input.burst.discardRate) / 256;
  const oneWay = (input.roundTripMs ?? 0) / 2 + input.endSystemDelayMs;
  const em: EModelInput = { oneWayDelayMs: oneWay, packetLossPercent: 100 * lossFraction, burstRatio: input.burstRatio };
  if (input.codec) em.codec = input.codec;
  const r = eModelR(em);
  const rLq = eModelListeningR(em);
  const u16 = (v: number): number => Math.max(0, Math.min(0xffff, Math.round(v)));
  // RFC 3611 §4.7.6 RX config: PLC = 3 (standard: the codec's own concealment), JBA = 2
  // (adaptive) or 1 (non-adaptive), JB rate 0 (not specified).
  const rxConfig = (3 << 6) | ((input.jitterBuffer.adaptive ? 2 : 1) << 4);
  return {
    ssrc: input.ssrc,
    ...input.burst,
    roundTripDelay: u16(input.roundTripMs ?? 0),
    endSystemDelay: u16(input.endSystemDelayMs),
    signalLevel: XR_UNAVAILABLE,
    noiseLevel: XR_UNAVAILABLE,
    rerl: XR_UNAVAILABLE,
    gmin: GMIN,
    rFactor: Math.max(0, Math.min(100, Math.round(r))),
    extRFactor: XR_UNAVAILABLE,
    mosLq: Math.round(10 * mosFromR(rLq)),
    mosCq: Math.round(10 * mosFromR(r)),
    rxConfig,
    jbNominal: u16(input.jitterBuffer.nominalMs),
    jbMaximum: u16(input.jitterBuffer.maximumMs),
    jbAbsMax: u16(input.jitterBuffer.absMaxMs),
  };
}
