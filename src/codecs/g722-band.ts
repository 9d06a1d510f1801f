// One G.722 sub-band ADPCM state and the blocks encoder and decoder share: scale factor
// adaptation (3L/3H LOGSCL/SCALEL, LOGSCH/SCALEH) and the adaptive predictor (block 4:
// RECONS, PARREC, UPPOL2, UPPOL1, FILTEP, UPZERO, DELAYA, FILTEZ, PREDIC).
// Arithmetic follows libspandsp's g722.c exactly, including where it saturates to 16 bits
// (saturated_add16, saturate) and where a C int16_t silently narrows; every intermediate
// stays a small integer so V8 keeps it unboxed.

import { ILB } from './g722-tables.js';

const imul = Math.imul;

/** Clamps to the 16-bit range (spandsp `saturate`, `saturated_add16`). */
export function sat16(x: number): number {
  return x > 32767 ? 32767 : x < -32768 ? -32768 : x;
}

/** Clamps to 15 bits (spandsp `saturate15`, block 6L/6H LIMIT). */
export function sat15(x: number): number {
  return x > 16383 ? 16383 : x < -16384 ? -16384 : x;
}

export class G722Band {
  /** NBL / NBH: log scale factor. */
  nb = 0;
  /** DETL / DETH: quantiser scale factor. */
  det: number;
  /** SL / SH: predictor output (signal estimate). */
  s = 0;
  /** SZL / SZH: zero-section predictor output. */
  sz = 0;
  /** RLT1 / RHT1: previous reconstructed signal. */
  r = 0;
  /** PLT1, PLT2: partially reconstructed signal history. */
  p0 = 0;
  p1 = 0;
  /** AL1, AL2: pole-section predictor coefficients. */
  a0 = 0;
  a1 = 0;
  /** BL1..BL6 (spandsp b[0..5]): zero-section predictor coefficients, as fields for speed. */
  b0 = 0;
  b1 = 0;
  b2 = 0;
  b3 = 0;
  b4 = 0;
  b5 = 0;
  /** DLT1..DLT6 (spandsp d[1..6]): quantised difference signal history. */
  d1 = 0;
  d2 = 0;
  d3 = 0;
  d4 = 0;
  d5 = 0;
  d6 = 0;

  constructor(private readonly detInit: number) {
    this.det = detInit;
  }

  reset(): void {
    this.nb = 0;
    this.det = this.detInit;
    this.s = 0;
    this.sz = 0;
    this.r = 0;
    this.p0 = 0;
    this.p1 = 0;
    this.a0 = 0;
    this.a1 = 0;
    this.b0 = this.b1 = this.b2 = this.b3 = this.b4 = this.b5 = 0;
    this.d1 = this.d2 = this.d3 = this.d4 = this.d5 = this.d6 = 0;
  }

  /**
   * Blocks 3L/3H: log scale factor update from the multiplier `w`, clamped to [0, nbMax],
   * then the scale factor DET = ILB[...] shifted by `shift - (nb >> 11)`, ×4.
   */
  adaptScale(w: number, nbMax: number, shift: number): void {
    let nb = (imul(this.nb, 127) >> 7) + w;
    if (nb < 0) nb = 0;
    else if (nb > nbMax) nb = nbMax;
    this.nb = nb;
    const wd1 = (nb >> 6) & 31;
    const wd2 = shift - (nb >> 11);
    const wd3 = wd2 < 0 ? ILB[wd1]! << -wd2 : ILB[wd1]! >> wd2;
    this.det = wd3 << 2;
  }

  /** Block 4: adapts the predictor with the quantised difference `dx` and updates `s`. */
  predict(dx: number): void {
    // RECONS, PARREC
    const r = sat16(this.s + dx);
    const p = sat16(this.sz + dx);
    const a0 = this.a0;
    const p0 = this.p0;

    // UPPOL2. Sign tests are branch-free: every operand is a 16-bit value sign-extended to 32
    // bits, so `(x ^ y) >> 31` is -1 exactly when C's `(x ^ y) & 0x8000` is set, and
    // `(v ^ m) - m` negates v when m is -1 (data-dependent branches mispredict half the time).
    const same0 = ~((p ^ p0) >> 31);
    const w1 = sat16(a0 << 2);
    let wd32 = (w1 ^ same0) - same0;
    if (wd32 > 32767) wd32 = 32767;
    let ap1 = 128 + (((p ^ this.p1) >> 31) & -256) + (wd32 >> 7) + (imul(this.a1, 32512) >> 15);
    if (ap1 > 12288) ap1 = 12288;
    else if (ap1 < -12288) ap1 = -12288;

    // UPPOL1
    let ap0 = sat16(192 + (~same0 & -384) + (imul(a0, 32640) >> 15));
    const lim = sat16(15360 - ap1);
    if (ap0 > lim) ap0 = lim;
    else if (ap0 < -lim) ap0 = -lim;

    // FILTEP
    const sp = sat16((imul(ap0, sat16(r + r)) >> 15) + (imul(ap1, sat16(this.r + this.r)) >> 15));
    this.r = r;
    this.a1 = ap1;
    this.a0 = ap0;
    this.p1 = p0;
    this.p0 = p;

    // UPZERO, DELAYA, FILTEZ, unrolled as spandsp's loop runs (i = 5..0 after DLT0 = dx):
    // BL(i+1) adapts on sign(DLT(i+1) ^ dx), then weighs DLTi; DLT(i+1) = DLTi. DLT0 is always
    // the current dx when read, so only DLT1..DLT6 are state.
    const g = ((dx | (0 - dx)) >>> 31) << 7; // dx === 0 ? 0 : 128
    const d1 = this.d1;
    const d2 = this.d2;
    const d3 = this.d3;
    const d4 = this.d4;
    const d5 = this.d5;
    let m = (this.d6 ^ dx) >> 31;
    const b5 = sat16(((g ^ m) - m) + (imul(this.b5, 32640) >> 15));
    m = (d5 ^ dx) >> 31;
    const b4 = sat16(((g ^ m) - m) + (imul(this.b4, 32640) >> 15));
    m = (d4 ^ dx) >> 31;
    const b3 = sat16(((g ^ m) - m) + (imul(this.b3, 32640) >> 15));
    m = (d3 ^ dx) >> 31;
    const b2 = sat16(((g ^ m) - m) + (imul(this.b2, 32640) >> 15));
    m = (d2 ^ dx) >> 31;
    const b1 = sat16(((g ^ m) - m) + (imul(this.b1, 32640) >> 15));
    m = (d1 ^ dx) >> 31;
    const b0 = sat16(((g ^ m) - m) + (imul(this.b0, 32640) >> 15));
    const sz =
      (imul(b5, sat16(d5 + d5)) >> 15) +
      (imul(b4, sat16(d4 + d4)) >> 15) +
      (imul(b3, sat16(d3 + d3)) >> 15) +
      (imul(b2, sat16(d2 + d2)) >> 15) +
      (imul(b1, sat16(d1 + d1)) >> 15) +
      (imul(b0, sat16(dx + dx)) >> 15);
    this.b0 = b0;
    this.b1 = b1;
    this.b2 = b2;
    this.b3 = b3;
    this.b4 = b4;
    this.b5 = b5;
    this.d6 = d5;
    this.d5 = d4;
    this.d4 = d3;
    this.d3 = d2;
    this.d2 = d1;
    this.d1 = dx;
    this.sz = sat16(sz);

    // PREDIC
    this.s = sat16(sp + this.sz);
  }
}
