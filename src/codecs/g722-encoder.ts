// ITU-T G.722 encoder, 64 kbit/s mode (mode 1: 6 bits lower + 2 bits higher sub-band per
// octet), bit-exact with libspandsp's g722_encode(g722_encode_init(NULL, 64000, 0)).
// Proven against the library in test/codecs/g722.test.ts.

import type { AudioEncoder } from './codec.js';
import { checkCapacity, checkWholeFrames } from './codec.js';
import { G722Band, sat16 } from './g722-band.js';
import {
  DET_INIT_HIGH,
  DET_INIT_LOW,
  IHN,
  IHP,
  ILN,
  ILP,
  NB_MAX_HIGH,
  NB_MAX_LOW,
  Q6,
  QM2,
  QM4,
  RH2,
  RL42,
  WH,
  WL,
} from './g722-tables.js';

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
        x[p]! * 3 +
        x[p + 1]! * -11 +
        x[p + 2]! * 12 +
        x[p + 3]! * 32 +
        x[p + 4]! * -210 +
        x[p + 5]! * 951 +
        x[p + 6]! * 3876 +
        x[p + 7]! * -805 +
        x[p + 8]! * 362 +
        x[p + 9]! * -156 +
        x[p + 10]! * 53 +
        x[p + 11]! * -11;
      const sumeven =
        y[p]! * -11 +
        y[p + 1]! * 53 +
        y[p + 2]! * -156 +
        y[p + 3]! * 362 +
        y[p + 4]! * -805 +
        y[p + 5]! * 3876 +
        y[p + 6]! * 951 +
        y[p + 7]! * -210 +
        y[p + 8]! * 32 +
        y[p + 9]! * 12 +
        y[p + 10]! * -11 +
        y[p + 11]! * 3;
      // >> 12 for the QMF gain, 1 for summing two filters, 1 for G.722's 15-bit samples.
      const xlow = (sumeven + sumodd) >> 14;
      const xhigh = (sumeven - sumodd) >> 14;

      // Block 1L SUBTRA, QUANTL
      const el = sat16(xlow - low.s);
      const wd = el >= 0 ? el : ~el;
      const detl = low.det;
      let i = 1;
      while (i < 30 && wd >= (Q6[i]! * detl) >> 12) i++;
      const ilow = el < 0 ? ILN[i]! : ILP[i]!;

      // Block 2L INVQAL, 3L LOGSCL/SCALEL, 4L
      const ril = ilow >> 2;
      const dlow = (detl * QM4[ril]!) >> 15;
      low.adaptScale(WL[RL42[ril]!]!, NB_MAX_LOW, 8);
      low.predict(dlow);

      // Block 1H SUBTRA, QUANTH
      const eh = sat16(xhigh - high.s);
      const wdh = eh >= 0 ? eh : ~eh;
      const deth = high.det;
      const mih = wdh >= (564 * deth) >> 12 ? 2 : 1;
      const ihigh = eh < 0 ? IHN[mih]! : IHP[mih]!;

      // Block 2H INVQAH, 3H LOGSCH/SCALEH, 4H
      const dhigh = (deth * QM2[ihigh]!) >> 15;
      high.adaptScale(WH[RH2[ihigh]!]!, NB_MAX_HIGH, 10);
      high.predict(dhigh);

      out[k] = (ihigh << 6) | ilow;
    }
    this.ptr = ptr;
    return bytes;
  }
}
