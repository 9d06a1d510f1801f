// ITU-T G.722 decoder, 64 kbit/s mode, bit-exact with libspandsp's
// g722_decode(g722_decode_init(NULL, 64000, 0)). Every octet is a valid code word, so any
// payload decodes; proven against the library in test/codecs/g722.test.ts.

import type { AudioDecoder } from './codec.js';
import { checkCapacity } from './codec.js';
import { G722Band, sat15 } from './g722-band.js';
import { G722Qmf } from './g722-qmf.js';
import { DET_INIT_HIGH, DET_INIT_LOW, NB_MAX_HIGH, NB_MAX_LOW, QM2, QM4, QM6, RH2, RL42, WH, WL } from './g722-tables.js';

const imul = Math.imul;

export class G722Decoder implements AudioDecoder {
  private readonly low = new G722Band(DET_INIT_LOW);
  private readonly high = new G722Band(DET_INIT_HIGH);
  /** Receive QMF of the band sums (x) and differences (y). */
  private readonly qmf = new G722Qmf();

  reset(): void {
    this.low.reset();
    this.high.reset();
    this.qmf.reset();
  }

  /** One octet in, two 16 kHz samples out. */
  decode(payload: Uint8Array, out: Int16Array): number {
    const n = payload.length;
    checkCapacity('G722 decode', n * 2, out.length);
    const low = this.low;
    const high = this.high;
    const qmf = this.qmf;
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
      qmf.push(xs, ys);
      const even = qmf.even;
      const odd = qmf.odd;
      // Gain: >> 12 for the QMF (DC gain 4096), less 1 for G.722's 15-bit samples. spandsp
      // 0.0.6 (Debian's libspandsp2) narrows with an (int16_t) cast, so an overloaded output
      // wraps rather than clips; the Int16Array store wraps identically, keeping us bit-exact.
      out[o++] = even >> 11;
      out[o++] = odd >> 11;
    }
    return o;
  }
}
