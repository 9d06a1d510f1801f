// G.722 descriptor. RFC 3551 §4.5.2: static payload type 9, 16 kHz sampling, one octet per
// two samples (64 kbit/s), but an RTP clock rate of 8000 Hz kept from RFC 1890's error.

import type { AudioCodec } from './codec.js';
import { G722Decoder } from './g722-decoder.js';
import { G722Encoder } from './g722-encoder.js';
import { oneShot } from './one-shot.js';

export { G722Decoder } from './g722-decoder.js';
export { G722Encoder } from './g722-encoder.js';

export const G722: AudioCodec = {
  name: 'G722',
  payloadType: 9,
  clockRate: 8000,
  sampleRate: 16000,
  channels: 1,
  frameMs: 20,
  samplesPerFrame: 2,
  stateful: true,
  maxEncodedBytes: (samples) => samples >> 1,
  maxDecodedSamples: (bytes) => bytes * 2,
  ...oneShot(new G722Encoder(), new G722Decoder()),
  createEncoder: () => new G722Encoder(),
  createDecoder: () => new G722Decoder(),
};
