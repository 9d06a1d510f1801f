// ITU-T G.722 encoder, 64 kbit/s mode (mode 1: 6 bits lower + 2 bits higher sub-band per
// octet), bit-exact with libspandsp's g722_encode(g722_encode_init(NULL, 64000, 0)).
// Proven against the library in test/codecs/g722.test.ts.

import type { AudioEncoder } from './codec.js';
import { checkCapacity, checkWholeFrames } from './codec.js';
import { G722Band, sat16 } from './g722-band.js';
import { G722Qmf } from './g722-qmf.js';
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
  /** Transmit QMF of the even (x) and odd (y) input samples. */
  private readonly qmf = new G722Qmf();

  reset(): void {
    this.low.reset();
    this.high.reset();
    this.qmf.reset();
  }

  /** 16 kHz PCM (an even number of samples) in, one octet per sample pair out. */
  encode(pcm: Int16Array, out: Uint8Array): number {
    const n = pcm.length;
    checkWholeFrames('G722 encode', n, 2);
    const bytes = n >> 1;
    checkCapacity('G722 encode', bytes, out.length);
    const low = this.low;
    const high = this.high;
    const qmf = this.qmf;
    for (let j = 0, k = 0; k < bytes; k++) {
      // Transmit QMF: splits two 16 kHz samples into one lower and one higher band sample.
      const xs = pcm[j++]!;
      const ys = pcm[j++]!;
      qmf.push(xs, ys);
      const sumodd = qmf.odd;
      const sumeven = qmf.even;
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
    return bytes;
  }
}
