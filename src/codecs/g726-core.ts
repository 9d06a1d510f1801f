// The adaptive state of ITU-T G.726 ADPCM shared by encoder and decoder (§4.2: adaptive
// predictor, quantiser scale factor adaptation, adaptation speed control, tone and transition
// detection), bit-exact with libspandsp's g726.c (Debian 0.0.6), which follows the
// Recommendation's fixed-point description through Sun's reference code. The int16_t
// narrowings of the C code are kept (s16 below, and Int16Array stores, which wrap the same way).
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
 * codec's floating-point format (sign, 4-bit exponent, 6-bit mantissa).
 */
function fmult(an: number, srn: number): number {
  const anmag = an > 0 ? an : -an & 0x1fff;
  // top_bit(anmag) − 5; top_bit(0) is −1 (clz32(0) = 32).
  const anexp = 26 - clz32(anmag);
  const anmant = anmag === 0 ? 32 : anexp >= 0 ? anmag >> anexp : anmag << -anexp;
  const wanexp = anexp + ((srn >> 6) & 0xf) - 13;
  const wanmant = (anmant * (srn & 0x3f) + 0x30) >> 4;
  const retval = wanexp >= 0 ? (wanmant << wanexp) & 0x7fff : wanmant >> -wanexp;
  return (an ^ srn) < 0 ? -retval : retval;
}

/** FLOAT A / FLOAT B (§4.2.6): a 16-bit value to the 11-bit floating-point format. */
function toFloat(mag: number, negative: boolean): number {
  if (mag === 0) return negative ? -992 : 0x20; // 0xFC20 as int16
  const exp = 32 - clz32(mag);
  return (exp << 6) + ((mag << 6) >> exp) - (negative ? 0x400 : 0);
}

export class G726Core {
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
  private readonly a = new Int16Array(2);
  /** B1..B6: zero predictor coefficients. */
  private readonly b = new Int16Array(6);
  /** PK1, PK2: signs of the last two DQ + SEZ. */
  private pk0 = 0;
  private pk1 = 0;
  /** DQ1..DQ6 in floating-point format. */
  private readonly dq = new Int16Array(6);
  /** SR1, SR2 in floating-point format. */
  private readonly sr = new Int16Array(2);
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
    this.dms = 0;
    this.dml = 0;
    this.ap = 0;
    this.a.fill(0);
    this.b.fill(0);
    this.pk0 = 0;
    this.pk1 = 0;
    this.dq.fill(32);
    this.sr.fill(32);
    this.td = 0;
    this.sezi = 0;
    this.se = 0;
    this.y = 0;
  }

  /** FMULT, ACCUM (§4.2.3) and MIX (§4.2.3 step size): sets `sezi`, `se` and `y`. */
  predict(): void {
    const b = this.b;
    const dq = this.dq;
    const a = this.a;
    const sr = this.sr;
    const sezi = s16(
      fmult(b[0]! >> 2, dq[0]!) +
        fmult(b[1]! >> 2, dq[1]!) +
        fmult(b[2]! >> 2, dq[2]!) +
        fmult(b[3]! >> 2, dq[3]!) +
        fmult(b[4]! >> 2, dq[4]!) +
        fmult(b[5]! >> 2, dq[5]!),
    );
    const pole = s16(fmult(a[1]! >> 2, sr[1]!) + fmult(a[0]! >> 2, sr[0]!));
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
    const dqm = s16(d < 0 ? -d : d);
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
      dq = (dqt << 7) >> (14 - dex);
      if (sign) dq -= 0x8000;
    }
    // ADDB: SR = SE + DQ.
    const sr = s16(dq < 0 ? se - (dq & mode.dqMagMask) : se + dq);
    const dqsez = s16(sr + (this.sezi >> 1) - se);
    this.update(y, mode.wi[code]!, mode.fi[code]!, dq, sr, dqsez);
    return sr;
  }

  private update(y: number, wi: number, fi: number, dq: number, sr: number, dqsez: number): void {
    const a = this.a;
    const b = this.b;
    const dqf = this.dq;
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
      a.fill(0);
      b.fill(0);
    } else {
      // UPA2, LIMC (§4.2.6): A2.
      const pks1 = pk0 ^ this.pk0;
      a2p = s16(a[1]! - (a[1]! >> 7));
      if (dqsez !== 0) {
        const fa1 = pks1 ? a[0]! : s16(-a[0]!);
        if (fa1 < -8191) a2p = s16(a2p - 0x100);
        else if (fa1 > 8191) a2p = s16(a2p + 0xff);
        else a2p = s16(a2p + (fa1 >> 5));
        if (pk0 ^ this.pk1) {
          if (a2p <= -12160) a2p = -12288;
          else if (a2p >= 12416) a2p = 12288;
          else a2p -= 0x80;
        } else if (a2p <= -12416) a2p = -12288;
        else if (a2p >= 12160) a2p = 12288;
        else a2p += 0x80;
      }
      a[1] = a2p;
      // UPA1, LIMD: A1.
      let a1 = s16(a[0]! - (a[0]! >> 8));
      if (dqsez !== 0) a1 = s16(a1 + (pks1 === 0 ? 192 : -192));
      const a1ul = s16(15360 - a2p);
      if (a1 < -a1ul) a1 = -a1ul;
      else if (a1 > a1ul) a1 = a1ul;
      a[0] = a1;
      // UPB, XOR: B1..B6, each step narrowed to int16 like the C code.
      const leak = this.mode.leakShift;
      for (let i = 0; i < 6; i++) {
        let bi = s16(b[i]! - (b[i]! >> leak));
        if (mag !== 0) bi = s16(bi + ((dq ^ dqf[i]!) >= 0 ? 128 : -128));
        b[i] = bi;
      }
    }

    // DELAY, FLOAT A: the DQ history.
    dqf[5] = dqf[4]!;
    dqf[4] = dqf[3]!;
    dqf[3] = dqf[2]!;
    dqf[2] = dqf[1]!;
    dqf[1] = dqf[0]!;
    dqf[0] = toFloat(mag, dq < 0);
    // FLOAT B: the SR history (SR = −32768 has no magnitude in 15 bits: 0xFC20).
    const srf = this.sr;
    srf[1] = srf[0]!;
    srf[0] = sr > -32768 ? toFloat(sr < 0 ? -sr : sr, sr < 0) : -992;
    this.pk1 = this.pk0;
    this.pk0 = pk0;

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
