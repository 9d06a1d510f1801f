// The adaptive state of ITU-T G.726 ADPCM shared by encoder and decoder (§4.2: adaptive
// predictor, quantiser scale factor adaptation, adaptation speed control, tone and transition
// detection), bit-exact with libspandsp's g726.c (Debian 0.0.6), which follows the
// Recommendation's fixed-point description through Sun's reference code. The int16_t
// narrowings of the C code are kept (s16 below).
//
// Per sample: predict() (FMULT/ACCUM → SE, SEZ; MIX → Y), then the caller finds the code word
// I (the encoder quantises D = SL − SE, the decoder reads it), then commit(I) (RECONST, ADDA,
// ANTILOG → DQ; ADDB → SR; and every state update). Nothing allocates.

import type { G726Mode, G726Packing, G726Rate } from './g726-tables.js';
import { g726Mode, g726SamplesPerUnit } from './g726-tables.js';

const clz32 = Math.clz32;

/** C's (int16_t) cast. */
export function s16(x: number): number {
  return (x << 16) >> 16;
}

/**
 * FMULT (§4.2.3): the product of a 14-bit predictor coefficient `an` and a value `srn` in the
 * codec's floating-point format (sign, 4-bit exponent, 6-bit mantissa). Branch-free (signs of
 * speech are random: the branchy form spent a quarter of the codec's time mispredicting), equal to spandsp's
 * for every input: |an| ≤ 0x1FFF (an is a 16-bit coefficient >> 2), so its exponent ANEXP is in
 * −6..7 and WANEXP in −19..9.
 */
function fmult(an: number, srn: number): number {
  const m = an >> 31;
  // spandsp: an > 0 ? an : (-an) & 0x1FFF
  const anmag = ((an ^ m) - m) & 0x1fff;
  // top_bit(anmag) − 5; top_bit(0) is −1 (clz32(0) = 32).
  const anexp = 26 - clz32(anmag);
  // anexp ≥ 0 ? anmag >> anexp : anmag << −anexp; 32 when anmag is 0.
  const anmant = ((anmag << 6) >>> (anexp + 6)) | (((anmag - 1) >>> 31) << 5);
  const wanexp = anexp + ((srn >> 6) & 0xf) - 13;
  const wanmant = (anmant * (srn & 0x3f) + 0x30) >> 4;
  // wanexp ≥ 0 ? (wanmant << wanexp) & 0x7FFF : wanmant >> −wanexp
  const retval = ((wanmant << 9) >>> (9 - wanexp)) & 0x7fff;
  const sign = (an ^ srn) >> 31;
  return (retval ^ sign) - sign;
}

/**
 * FLOAT A / FLOAT B (§4.2.6): a magnitude and a sign (`neg` 0 or −1) to the 11-bit
 * floating-point format; a zero magnitude is 0x20, or 0xFC20 (−992 as int16) when negative.
 */
function toFloat(mag: number, neg: number): number {
  const exp = 32 - clz32(mag);
  const f = mag === 0 ? 0x20 : (exp << 6) + ((mag << 6) >> exp);
  return f - (neg & 0x400);
}

/**
 * UPB, XOR (§4.2.6): one zero-predictor coefficient after a sample, narrowed to int16 at each
 * step like the C code: leak, then ±128 by the sign agreement of DQ and its delayed value.
 */
function upb(b: number, leak: number, dq: number, mag: number, dqDelayed: number): number {
  const leaked = s16(b - (b >> leak));
  // +128 when the signs agree, −128 when not (branch-free: the signs are random).
  return mag === 0 ? leaked : s16(leaked + 128 - (((dq ^ dqDelayed) >>> 31) << 8));
}

export class G726Core {
  // Scalar fields rather than small typed arrays: V8 keeps them in registers across the
  // per-sample calls (measured about 1.1× faster than Int16Array history and coefficients).
  /** YL: locked (steady-state) scale factor, 19 bits. */
  private yl = 34816;
  /** YU: unlocked (non-steady-state) scale factor. */
  private yu = 544;
  /** DMS, DML: short- and long-term averages of F(I). */
  private dms = 0;
  private dml = 0;
  /** AP: adaptation speed control. */
  private ap = 0;
  /** A1, A2: pole predictor coefficients. */
  private a1 = 0;
  private a2 = 0;
  /** B1..B6: zero predictor coefficients. */
  private b1 = 0;
  private b2 = 0;
  private b3 = 0;
  private b4 = 0;
  private b5 = 0;
  private b6 = 0;
  /** DQ1..DQ6 in floating-point format. */
  private dq1 = 32;
  private dq2 = 32;
  private dq3 = 32;
  private dq4 = 32;
  private dq5 = 32;
  private dq6 = 32;
  /** SR1, SR2 in floating-point format. */
  private sr1 = 32;
  private sr2 = 32;
  /** PK1, PK2: signs of the last two DQ + SEZ. */
  private pk1 = 0;
  private pk2 = 0;
  /** TD: tone detected (delayed). */
  private td = 0;

  /** From predict(): the zero-predictor part SEZI, the estimate SE, the scale factor Y. */
  sezi = 0;
  se = 0;
  y = 0;

  constructor(readonly mode: G726Mode) {
    this.reset();
  }

  /** The reset state of G.726 §4.2 (spandsp g726_init). */
  reset(): void {
    this.yl = 34816;
    this.yu = 544;
    this.dms = this.dml = this.ap = 0;
    this.a1 = this.a2 = 0;
    this.b1 = this.b2 = this.b3 = this.b4 = this.b5 = this.b6 = 0;
    this.dq1 = this.dq2 = this.dq3 = this.dq4 = this.dq5 = this.dq6 = 32;
    this.sr1 = this.sr2 = 32;
    this.pk1 = this.pk2 = 0;
    this.td = 0;
    this.sezi = this.se = this.y = 0;
  }

  /** FMULT, ACCUM (§4.2.3) and MIX (§4.2.3 step size): sets `sezi`, `se` and `y`. */
  predict(): void {
    const sezi = s16(
      fmult(this.b1 >> 2, this.dq1) +
        fmult(this.b2 >> 2, this.dq2) +
        fmult(this.b3 >> 2, this.dq3) +
        fmult(this.b4 >> 2, this.dq4) +
        fmult(this.b5 >> 2, this.dq5) +
        fmult(this.b6 >> 2, this.dq6),
    );
    const pole = s16(fmult(this.a2 >> 2, this.sr2) + fmult(this.a1 >> 2, this.sr1));
    this.sezi = sezi;
    this.se = s16(sezi + pole) >> 1;
    // MIX: Y = AL·YU + (1 − AL)·YL, AL = AP/4 limited to 1 (AP ≥ 256).
    const ap = this.ap;
    if (ap >= 256) {
      this.y = this.yu;
    } else {
      let y = this.yl >> 6;
      const dif = this.yu - y;
      const al = ap >> 2;
      if (dif > 0) y += (dif * al) >> 6;
      else if (dif < 0) y += (dif * al + 0x3f) >> 6;
      this.y = y;
    }
  }

  /**
   * LOG, SUBTB, QUAN (§4.2.2): the code word for the difference `d` (= SL − SE, int16) at the
   * step size of the last predict().
   */
  quantize(d: number): number {
    const neg = d >>> 31;
    const dqm = s16((d ^ -neg) + neg); // abs(d)
    // exp = top_bit(dqm >> 1) + 1
    const exp = 32 - clz32(dqm >> 1);
    const dl = (exp << 7) + (((dqm << 7) >> exp) & 0x7f);
    const dln = s16(dl - s16(this.y >> 2));
    return this.mode.quant[((dln + 2048) & 4095) | (neg << 12)]!;
  }

  /**
   * RECONST, ADDA, ANTILOG, ADDB and the updates of §4.2.4–4.2.8 for code word `code`.
   * @returns SR, the reconstructed signal (14-bit range; the decoder's output is SR << 2).
   */
  commit(code: number): number {
    const mode = this.mode;
    const y = this.y;
    const se = this.se;
    // RECONST, ADDA, ANTILOG: DQ in sign-magnitude, as int16.
    const dql = s16(mode.dqln[code]! + (y >> 2));
    const sign = code & mode.signBit;
    let dq: number;
    if (dql < 0) {
      dq = sign ? -32768 : 0;
    } else {
      const dex = (dql >> 7) & 15;
      const dqt = 128 + (dql & 127);
      // dq − 0x8000 when the sign bit is set (branch-free: the signs are random).
      dq = ((dqt << 7) >> (14 - dex)) - ((-sign >> 31) & 0x8000);
    }
    // ADDB: SR = SE + DQ; a negative DQ's magnitude is its low 14 (40 kbit/s: 15) bits.
    const n = dq >> 31;
    const sr = s16(se + (((dq & (mode.dqMagMask | ~n)) ^ n) - n));
    const dqsez = s16(sr + (this.sezi >> 1) - se);
    this.update(y, mode.wi[code]!, mode.fi[code]!, dq, sr, dqsez);
    return sr;
  }

  private update(y: number, wi: number, fi: number, dq: number, sr: number, dqsez: number): void {
    const pk0 = dqsez < 0 ? 1 : 0;
    const mag = dq & 0x7fff;

    // TRANS (§4.2.8): a transition from a stationary tone (data) is a DQ above 3/4 of the
    // threshold derived from YL while TD is set.
    const yl = this.yl;
    const ylint = yl >> 15;
    const ylfrac = (yl >> 10) & 0x1f;
    const thr = ylint > 9 ? 31 << 10 : (32 + ylfrac) << ylint;
    const dqthr = (thr + (thr >> 1)) >> 1;
    const tr = this.td !== 0 && mag > dqthr;

    // FUNCTW, FILTD, LIMB: YU; FILTE: YL.
    let yu = s16(y + ((wi - y) >> 5));
    if (yu < 544) yu = 544;
    else if (yu > 5120) yu = 5120;
    this.yu = yu;
    this.yl = (yl + yu + (-yl >> 6)) | 0;

    let a2p = 0;
    if (tr) {
      // TRIGB: a transition resets the predictor.
      this.a1 = this.a2 = 0;
      this.b1 = this.b2 = this.b3 = this.b4 = this.b5 = this.b6 = 0;
    } else {
      // UPA2, LIMC (§4.2.6): A2.
      const pks1 = pk0 ^ this.pk1;
      const a2 = this.a2;
      a2p = s16(a2 - (a2 >> 7));
      if (dqsez !== 0) {
        // fa1 = pks1 ? A1 : −A1 (branch-free, as below: PK signs are random).
        const t = pks1 - 1;
        const fa1 = s16((this.a1 ^ t) - t);
        if (fa1 < -8191) a2p = s16(a2p - 0x100);
        else if (fa1 > 8191) a2p = s16(a2p + 0xff);
        else a2p = s16(a2p + (fa1 >> 5));
        // PK0 ^ PK2 set: limits −12160 / 12416 and −0x80; clear: −12416 / 12160 and +0x80.
        const x = (pk0 ^ this.pk2) << 8;
        if (a2p <= -12416 + x) a2p = -12288;
        else if (a2p >= 12160 + x) a2p = 12288;
        else a2p += 0x80 - x;
      }
      this.a2 = a2p;
      // UPA1, LIMD: A1.
      let a1 = s16(this.a1 - (this.a1 >> 8));
      if (dqsez !== 0) a1 = s16(a1 + 192 - pks1 * 384);
      const a1ul = s16(15360 - a2p);
      if (a1 < -a1ul) a1 = -a1ul;
      else if (a1 > a1ul) a1 = a1ul;
      this.a1 = a1;
      // UPB, XOR: B1..B6.
      const leak = this.mode.leakShift;
      this.b1 = upb(this.b1, leak, dq, mag, this.dq1);
      this.b2 = upb(this.b2, leak, dq, mag, this.dq2);
      this.b3 = upb(this.b3, leak, dq, mag, this.dq3);
      this.b4 = upb(this.b4, leak, dq, mag, this.dq4);
      this.b5 = upb(this.b5, leak, dq, mag, this.dq5);
      this.b6 = upb(this.b6, leak, dq, mag, this.dq6);
    }

    // DELAY, FLOAT A: the DQ history.
    this.dq6 = this.dq5;
    this.dq5 = this.dq4;
    this.dq4 = this.dq3;
    this.dq3 = this.dq2;
    this.dq2 = this.dq1;
    this.dq1 = toFloat(mag, dq >> 31);
    // FLOAT B: the SR history (SR = −32768 has no magnitude in 15 bits: 0xFC20).
    this.sr2 = this.sr1;
    const srNeg = sr >> 31;
    this.sr1 = sr > -32768 ? toFloat((sr ^ srNeg) - srNeg, srNeg) : -992;
    this.pk2 = this.pk1;
    this.pk1 = pk0;

    // TONE (§4.2.8): A2 below −0.71875 means a tone (data) may be present.
    const td = tr ? 0 : a2p < -11776 ? 1 : 0;
    this.td = td;

    // FILTA, FILTB, SUBTC, FILTC (§4.2.5): adaptation speed control.
    const dms = s16(this.dms + ((fi - this.dms) >> 5));
    const dml = s16(this.dml + ((s16(fi << 2) - this.dml) >> 7));
    this.dms = dms;
    this.dml = dml;
    let ap = this.ap;
    if (tr) ap = 256;
    else if (y < 1536 || td !== 0 || Math.abs((dms << 2) - dml) >= dml >> 3) ap = s16(ap + ((0x200 - ap) >> 4));
    else ap = s16(ap + (-ap >> 4));
    this.ap = ap;
  }
}

/** What an encoder and a decoder of one rate and packing share: the state and the framing. */
export abstract class G726Stream {
  protected readonly core: G726Core;
  /** Bits per code word. */
  protected readonly bits: number;
  /** Samples that fill whole octets (4, 8, 2, 8) and the octets they fill (1, 3, 1, 5). */
  protected readonly unitSamples: number;
  protected readonly unitBytes: number;

  constructor(
    readonly rate: G726Rate,
    readonly packing: G726Packing = 'right',
  ) {
    this.core = new G726Core(g726Mode(rate));
    this.bits = rate / 8000;
    this.unitSamples = g726SamplesPerUnit(rate);
    this.unitBytes = (this.unitSamples * this.bits) >> 3;
  }

  reset(): void {
    this.core.reset();
  }
}
