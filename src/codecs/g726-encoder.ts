// ITU-T G.726 encoder (16, 24, 32, 40 kbit/s) from 16-bit linear PCM at 8 kHz, bit-exact with
// libspandsp's g726_encode(g726_init(NULL, rate, G726_ENCODING_LINEAR, packing)): the input is
// reduced to G.726's 14-bit uniform PCM (SL = sample >> 2) and each code word is packed into
// octets — RFC 3551 §4.5.4 (G726-xx): the first code word in the least significant bits of the
// first octet ('right'); ITU-T I.366.2 / RFC 3551 §4.5.4 AAL2-G726-xx: the first code word in
// the most significant bits ('left'). Proven against the library in test/codecs/g726.test.ts.

import type { AudioEncoder } from './codec.js';
import { checkCapacity, checkWholeFrames } from './codec.js';
import { G726Stream, s16 } from './g726-core.js';

export class G726Encoder extends G726Stream implements AudioEncoder {

  /**
   * 8 kHz PCM (a multiple of 4, 8, 2, 8 samples at 16, 24, 32, 40 kbit/s) in, rate/64000 octets
   * per sample out. Packets hold whole octets, so no bits carry over to the next call.
   */
  encode(pcm: Int16Array, out: Uint8Array): number {
    const n = pcm.length;
    const bits = this.bits;
    checkWholeFrames('G726 encode', n, this.unitSamples);
    const bytes = (n * bits) >> 3;
    checkCapacity('G726 encode', bytes, out.length);
    const core = this.core;
    let acc = 0;
    let residue = 0;
    let o = 0;
    if (this.packing === 'right') {
      for (let i = 0; i < n; i++) {
        core.predict();
        const code = core.quantize(s16((pcm[i]! >> 2) - core.se));
        core.commit(code);
        acc |= code << residue;
        residue += bits;
        if (residue >= 8) {
          out[o++] = acc;
          acc >>>= 8;
          residue -= 8;
        }
      }
    } else {
      for (let i = 0; i < n; i++) {
        core.predict();
        const code = core.quantize(s16((pcm[i]! >> 2) - core.se));
        core.commit(code);
        acc = ((acc << bits) | code) & 0xffff;
        residue += bits;
        if (residue >= 8) {
          out[o++] = acc >> (residue - 8);
          residue -= 8;
        }
      }
    }
    return o;
  }
}
