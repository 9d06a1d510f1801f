// One G.722 sub-band ADPCM state and the blocks encoder and decoder share: scale factor
// adaptation (3L/3H LOGSCL/SCALEL, LOGSCH/SCALEH) and the adaptive predictor (block 4:
// RECONS, PARREC, UPPOL2, UPPOL1, FILTEP, UPZERO, DELAYA, FILTEZ, PREDIC).
// Arithmetic follows libspandsp's g722.c exactly, including where it saturates to 16 bits
// (saturated_add16, saturate) and where a C int16_t silently narrows; every intermediate
// stays a small integer so V8 keeps it unboxed.

import { ILB } from './g722-tables.js';

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
  /** BL1..BL6: zero-section predictor coefficients. */
  readonly b = new Int32Array(6);
  /** DLT0..DLT6: quantised difference signal history. */
  readonly d = new Int32Array(7);

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
    this.b.fill(0);
    this.d.fill(0);
  }

  /**
   * Blocks 3L/3H: log scale factor update from the multiplier `w`, clamped to [0, nbMax],
   * then the scale factor DET = ILB[...] shifted by `shift - (nb >> 11)`, ×4.
   */
  adaptScale(w: number, nbMax: number, shift: number): void {
    let nb = ((this.nb * 127) >> 7) + w;
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

    // UPPOL2
    const w1 = sat16(a0 << 2);
    let wd32 = (p ^ p0) & 0x8000 ? w1 : -w1;
    if (wd32 > 32767) wd32 = 32767;
    let ap1 = ((p ^ this.p1) & 0x8000 ? -128 : 128) + (wd32 >> 7) + ((this.a1 * 32512) >> 15);
    if (ap1 > 12288) ap1 = 12288;
    else if (ap1 < -12288) ap1 = -12288;

    // UPPOL1
    let ap0 = sat16(((p ^ p0) & 0x8000 ? -192 : 192) + ((a0 * 32640) >> 15));
    const lim = sat16(15360 - ap1);
    if (ap0 > lim) ap0 = lim;
    else if (ap0 < -lim) ap0 = -lim;

    // FILTEP
    const sp = sat16(((ap0 * sat16(r + r)) >> 15) + ((ap1 * sat16(this.r + this.r)) >> 15));
    this.r = r;
    this.a1 = ap1;
    this.a0 = ap0;
    this.p1 = p0;
    this.p0 = p;

    // UPZERO, DELAYA, FILTEZ
    const b = this.b;
    const d = this.d;
    const g = dx === 0 ? 0 : 128;
    d[0] = dx;
    let sz = 0;
    for (let i = 5; i >= 0; i--) {
      const di = d[i]!;
      const bi = sat16(((d[i + 1]! ^ dx) & 0x8000 ? -g : g) + ((b[i]! * 32640) >> 15));
      b[i] = bi;
      sz += (bi * sat16(di + di)) >> 15;
      d[i + 1] = di;
    }
    this.sz = sat16(sz);

    // PREDIC
    this.s = sat16(sp + this.sz);
  }
}
