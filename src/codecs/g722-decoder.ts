// ITU-T G.722 decoder, 64 kbit/s mode, bit-exact with libspandsp's
// g722_decode(g722_decode_init(NULL, 64000, 0)). Every octet is a valid code word, so any
// payload decodes; proven against the library in test/codecs/g722.test.ts.

import type { AudioDecoder } from './codec.js';
import { checkCapacity } from './codec.js';
import { G722Band, sat15 } from './g722-band.js';
import { DET_INIT_HIGH, DET_INIT_LOW, NB_MAX_HIGH, NB_MAX_LOW, QM2, QM4, QM6, RH2, RL42, WH, WL } from './g722-tables.js';

const imul = Math.imul;

export class G722Decoder implements AudioDecoder {
  private readonly low = new G722Band(DET_INIT_LOW);
  private readonly high = new G722Band(DET_INIT_HIGH);
  /** Receive QMF history of sums (x) and differences (y), a ring written twice as in the encoder. */
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

  /** One octet in, two 16 kHz samples out. */
  decode(payload: Uint8Array, out: Int16Array): number {
    const n = payload.length;
    checkCapacity('G722 decode', n * 2, out.length);
    const x = this.x;
    const y = this.y;
    const low = this.low;
    const high = this.high;
    let ptr = this.ptr;
    let o = 0;
    for (let j = 0; j < n; j++) {
      const code = payload[j]!;
      const ilow = code & 0x3f;
      const ihigh = code >> 6;
      const ril = ilow >> 2;

      // Block 5L INVQBL, 6L LIMIT
      const detl = low.det;
      const rlow = sat15(low.s + (imul(detl, QM6[ilow]!) >> 15));
      // Block 2L INVQAL, 3L LOGSCL/SCALEL, 4L
      const dlow = imul(detl, QM4[ril]!) >> 15;
      low.adaptScale(WL[RL42[ril]!]!, NB_MAX_LOW, 8);
      low.predict(dlow);

      // Block 2H INVQAH, 5H RECONS, 6H LIMIT
      const dhigh = imul(high.det, QM2[ihigh]!) >> 15;
      const rhigh = sat15(dhigh + high.s);
      // Block 3H LOGSCH/SCALEH, 4H
      high.adaptScale(WH[RH2[ihigh]!]!, NB_MAX_HIGH, 10);
      high.predict(dhigh);

      // Receive QMF
      const xs = rlow + rhigh;
      const ys = rlow - rhigh;
      x[ptr] = xs;
      x[ptr + 12] = xs;
      y[ptr] = ys;
      y[ptr + 12] = ys;
      if (++ptr >= 12) ptr = 0;
      const p = ptr;
      const even =
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
      const odd =
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
      // Gain: >> 12 for the QMF (DC gain 4096), less 1 for G.722's 15-bit samples. spandsp
      // 0.0.6 (Debian's libspandsp2) narrows with an (int16_t) cast, so an overloaded output
      // wraps rather than clips; the Int16Array store wraps identically, keeping us bit-exact.
      out[o++] = even >> 11;
      out[o++] = odd >> 11;
    }
    this.ptr = ptr;
    return o;
  }
}
