// ITU-T G.722 encoder, 64 kbit/s mode (mode 1: 6 bits lower + 2 bits higher sub-band per
// octet), bit-exact with libspandsp's g722_encode(g722_encode_init(NULL, 64000, 0)).
// Proven against the library in test/codecs/g722.test.ts.

import type { AudioEncoder } from './codec.js';
import { checkCapacity, checkWholeFrames } from './codec.js';
import { G722Band, sat16 } from './g722-band.js';
import {
  DET_INIT_HIGH,
  DET_INIT_LOW,
  IL_BY_SIGN,
  NB_MAX_HIGH,
  NB_MAX_LOW,
  Q6_SEARCH,
  QM2,
  QM4,
  RH2,
  RL42,
  WH,
  WL,
} from './g722-tables.js';

const imul = Math.imul;

export class G722Encoder implements AudioEncoder {
  private readonly low = new G722Band(DET_INIT_LOW);
  private readonly high = new G722Band(DET_INIT_HIGH);
  /**
   * Transmit QMF history of even (x) and odd (y) input samples: a 12-entry ring written
   * twice (at i and i + 12) so the 12 newest samples are always contiguous from `ptr`.
   */
  private readonly x = new Int32Array(24);
  private readonly y = new Int32Array(24);
  private ptr = 0;

  reset(): void {
    this.low.reset();
    this.high.reset();
    this.x.fill(0);
    this.y.fill(0);
    this.ptr = 0;
  }

  /** 16 kHz PCM (an even number of samples) in, one octet per sample pair out. */
  encode(pcm: Int16Array, out: Uint8Array): number {
    const n = pcm.length;
    checkWholeFrames('G722 encode', n, 2);
    const bytes = n >> 1;
    checkCapacity('G722 encode', bytes, out.length);
    const x = this.x;
    const y = this.y;
    const low = this.low;
    const high = this.high;
    let ptr = this.ptr;
    for (let j = 0, k = 0; k < bytes; k++) {
      // Transmit QMF: splits two 16 kHz samples into one lower and one higher band sample.
      const xs = pcm[j++]!;
      const ys = pcm[j++]!;
      x[ptr] = xs;
      x[ptr + 12] = xs;
      y[ptr] = ys;
      y[ptr + 12] = ys;
      if (++ptr >= 12) ptr = 0;
      const p = ptr;
      const sumodd =
        imul(x[p]!, 3) +
        imul(x[p + 1]!, -11) +
        imul(x[p + 2]!, 12) +
        imul(x[p + 3]!, 32) +
        imul(x[p + 4]!, -210) +
        imul(x[p + 5]!, 951) +
        imul(x[p + 6]!, 3876) +
        imul(x[p + 7]!, -805) +
        imul(x[p + 8]!, 362) +
        imul(x[p + 9]!, -156) +
        imul(x[p + 10]!, 53) +
        imul(x[p + 11]!, -11);
      const sumeven =
        imul(y[p]!, -11) +
        imul(y[p + 1]!, 53) +
        imul(y[p + 2]!, -156) +
        imul(y[p + 3]!, 362) +
        imul(y[p + 4]!, -805) +
        imul(y[p + 5]!, 3876) +
        imul(y[p + 6]!, 951) +
        imul(y[p + 7]!, -210) +
        imul(y[p + 8]!, 32) +
        imul(y[p + 9]!, 12) +
        imul(y[p + 10]!, -11) +
        imul(y[p + 11]!, 3);
      // >> 12 for the QMF gain, 1 for summing two filters, 1 for G.722's 15-bit samples.
      const xlow = (sumeven + sumodd) >> 14;
      const xhigh = (sumeven - sumodd) >> 14;

      // Block 1L SUBTRA, QUANTL. spandsp scans i = 1..29 for the first decision level
      // (Q6[i] × DETL) >> 12 above |el| (30 if none); the levels never decrease, so a
      // branch-free binary search counting the levels at or below |el| finds the same interval.
      const el = sat16(xlow - low.s);
      const wd = el ^ (el >> 31); // el >= 0 ? el : ~el
      const detl = low.det;
      let q = 0;
      q += 16 & ~((wd - (imul(Q6_SEARCH[q + 16]!, detl) >> 12)) >> 31);
      q += 8 & ~((wd - (imul(Q6_SEARCH[q + 8]!, detl) >> 12)) >> 31);
      q += 4 & ~((wd - (imul(Q6_SEARCH[q + 4]!, detl) >> 12)) >> 31);
      q += 2 & ~((wd - (imul(Q6_SEARCH[q + 2]!, detl) >> 12)) >> 31);
      q += 1 & ~((wd - (imul(Q6_SEARCH[q + 1]!, detl) >> 12)) >> 31);
      const ilow = IL_BY_SIGN[(q << 1) | (el >>> 31)]!;

      // Block 2L INVQAL, 3L LOGSCL/SCALEL, 4L
      const ril = ilow >> 2;
      const dlow = imul(detl, QM4[ril]!) >> 15;
      low.adaptScale(WL[RL42[ril]!]!, NB_MAX_LOW, 8);
      low.predict(dlow);

      // Block 1H SUBTRA, QUANTH: IH = 3 / 1 (positive / negative) below the decision level
      // 564 × DETH >> 12, 2 / 0 at or above it.
      const eh = sat16(xhigh - high.s);
      const wdh = eh ^ (eh >> 31);
      const deth = high.det;
      const above = ~((wdh - (imul(564, deth) >> 12)) >> 31) & 1;
      const ihigh = ((~eh >>> 31) << 1) | (1 - above);

      // Block 2H INVQAH, 3H LOGSCH/SCALEH, 4H
      const dhigh = imul(deth, QM2[ihigh]!) >> 15;
      high.adaptScale(WH[RH2[ihigh]!]!, NB_MAX_HIGH, 10);
      high.predict(dhigh);

      out[k] = (ihigh << 6) | ilow;
    }
    this.ptr = ptr;
    return bytes;
  }
}
