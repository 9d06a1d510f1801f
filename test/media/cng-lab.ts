// Two phones' MediaStreams on an in-memory network in virtual time, A talking half the time (1 s
// of speech, 1 s of background noise) with the A12's "Enable VAD" and CN negotiated: what the CN
// media test and the tshark CN check share. The network records every datagram.
import { concat, speechLike, whiteNoise } from '../codecs/signals.js';
import { SamplesSource } from '../../src/codecs/audio-source.js';
import type { AudioCodec } from '../../src/codecs/codec.js';
import { DBFS_OVER_DBOV } from '../../src/codecs/comfort-noise.js';
import { dbfsToRms } from '../../src/codecs/level.js';
import type { MediaStreamOptions } from '../../src/media/media-stream.js';
import { MemoryNetwork } from '../../src/rtp/memory-network.js';
import { RtpView } from '../../src/rtp/rtp-packet.js';
import { addPhone, connect, lab, runFor, type Lab, type Phone } from './harness.js';

/** Background level under A's speech and in its pauses, dBov. */
export const BACKGROUND_DBOV = -55;

/** `cycles` × (1 s speech + 1 s of background noise), the noise under the speech too. */
export function halfSilence(sampleRate: number, cycles: number): Int16Array {
  const parts: Int16Array[] = [];
  for (let k = 0; k < cycles; k++) parts.push(speechLike(sampleRate, 1, 40 + k, 12000), new Int16Array(sampleRate));
  const signal = concat(parts);
  const noise = whiteNoise(sampleRate, 2 * cycles, dbfsToRms(BACKGROUND_DBOV + DBFS_OVER_DBOV), 77);
  for (let i = 0; i < signal.length; i++) signal[i] = signal[i]! + noise[i]!;
  return signal;
}

export interface SentPacket {
  readonly arrivalMs: number;
  readonly payloadType: number;
  readonly marker: boolean;
  readonly sequenceNumber: number;
  readonly timestamp: number;
  readonly payload: Uint8Array;
}

export interface CnRun {
  readonly l: Lab;
  readonly net: MemoryNetwork;
  readonly a: Phone;
  readonly b: Phone;
  /** A's RTP packets as B's socket got them, in order. */
  readonly fromA: SentPacket[];
}

/**
 * A (sending `halfSilence`, with `aOptions`) and B (`bOptions`) talk for `ms` of virtual time;
 * the network delays every datagram by 5 ms. Close with closeAll(run.l).
 */
export async function cnRun(codec: AudioCodec, ms: number, aOptions: Partial<MediaStreamOptions>, bOptions: Partial<MediaStreamOptions> = {}): Promise<CnRun> {
  let net!: MemoryNetwork;
  const l = lab(['A', 'B'], (clock) => (net = new MemoryNetwork(clock, { record: true, path: () => 5 })));
  const a = await addPhone(l, 'A', '127.0.0.11', codec, 16000, { source: new SamplesSource(halfSilence(codec.sampleRate, Math.ceil(ms / 2000)), codec.sampleRate), ...aOptions });
  const b = await addPhone(l, 'B', '127.0.0.12', codec, 16000, bOptions);
  connect(a, b);
  await runFor(l, ms);
  l.clock.advance(100);
  const v = new RtpView();
  const fromA: SentPacket[] = [];
  for (const d of net.delivered) {
    if (d.from.address !== a.address || d.from.port !== a.stream.localPort || !v.read(d.bytes).ok) continue;
    const payload = d.bytes.slice(v.payloadOffset, v.payloadOffset + v.payloadLength);
    fromA.push({ arrivalMs: d.arrivalMs, payloadType: v.payloadType, marker: v.marker, sequenceNumber: v.sequenceNumber, timestamp: v.timestamp, payload });
  }
  return { l, net, a, b, fromA };
}
