// The one-shot `encode`/`decode` of a stateful codec's descriptor (AudioCodec.encode/decode:
// "an independent signal starting from fresh state"): one scratch encoder and decoder per
// codec, reset before each use. Single-threaded, so the scratch state is never shared.

import type { AudioCodec, AudioDecoder, AudioEncoder } from './codec.js';

export function oneShot(encoder: AudioEncoder, decoder: AudioDecoder): Pick<AudioCodec, 'encode' | 'decode'> {
  return {
    encode(pcm, out) {
      encoder.reset();
      return encoder.encode(pcm, out);
    },
    decode(payload, out) {
      decoder.reset();
      return decoder.decode(payload, out);
    },
  };
}
