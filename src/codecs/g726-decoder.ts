// ITU-T G.726 decoder (16, 24, 32, 40 kbit/s) to 16-bit linear PCM at 8 kHz, bit-exact with
// libspandsp's g726_decode(g726_init(NULL, rate, G726_ENCODING_LINEAR, packing)): every code
// word is valid, the output is SR << 2 narrowed to int16 like spandsp's (int16_t) return (an
// overloaded SR wraps rather than clips). Proven against the library in test/codecs/g726.test.ts.

import type { AudioDecoder } from './codec.js';
import { DECODE_MALFORMED, checkCapacity } from './codec.js';
import { G726Stream } from './g726-core.js';

export class G726Decoder extends G726Stream implements AudioDecoder {

  /**
   * One RTP payload in, 8 / (bits per code word) samples per octet out.
   * DEVIATION: spandsp carries the bits of a partial code word over to the next call; an RTP
   * packet stands alone (RFC 3551 §4.5.4: a packet holds whole code words, and one lost packet
   * must not shift the next), so a payload that does not end on a code word boundary (24 and
   * 40 kbit/s: a multiple of 3 and 5 octets) is malformed and leaves the state untouched.
   */
  decode(payload: Uint8Array, out: Int16Array): number {
    const n = payload.length;
    if (n % this.unitBytes !== 0) return DECODE_MALFORMED;
    const bits = this.bits;
    const samples = (n << 3) / bits;
    checkCapacity('G726 decode', samples, out.length);
    const core = this.core;
    const mask = (1 << bits) - 1;
    let acc = 0;
    let residue = 0;
    let j = 0;
    if (this.packing === 'right') {
      for (let o = 0; o < samples; o++) {
        if (residue < bits) {
          acc |= payload[j++]! << residue;
          residue += 8;
        }
        const code = acc & mask;
        acc >>>= bits;
        residue -= bits;
        core.predict();
        out[o] = core.commit(code) << 2;
      }
    } else {
      for (let o = 0; o < samples; o++) {
        if (residue < bits) {
          acc = ((acc << 8) | payload[j++]!) & 0xffff;
          residue += 8;
        }
        residue -= bits;
        const code = (acc >> residue) & mask;
        core.predict();
        out[o] = core.commit(code) << 2;
      }
    }
    return samples;
  }
}
