// The codecs a device can offer, in default preference order. G.729 joins only when its
// optional native addon loads, Opus when the opusscript package (libopus in wasm) loads;
// everything else works without them. G.726 (the A12's G.726-16/24/32/40) follows G.722.

import type { AudioCodec } from './codec.js';
import { CodecRegistry } from './codec.js';
import { PCMA, PCMU } from './g711.js';
import { G722 } from './g722.js';
import { G726_16, G726_24, G726_32, G726_40 } from './g726.js';
import { loadG729 } from './g729.js';
import { loadOpus } from './opus.js';

export interface CodecRegistryOptions {
  /**
   * The G.729 codec to register: omitted → load the addon if it is built; null → none
   * (also what a missing addon gives).
   */
  readonly g729?: AudioCodec | null;
  /**
   * The Opus codec to register: omitted → libopus (wasm) at 16 kHz, wideband (A12 9.16 "Opus
   * Sample Rate" OPUS-WB; `createOpusCodec`/`loadOpus` give others); null → none.
   */
  readonly opus?: AudioCodec | null;
}

export function createCodecRegistry(options: CodecRegistryOptions = {}): CodecRegistry {
  const registry = new CodecRegistry().register(PCMU).register(PCMA).register(G722);
  for (const g726 of [G726_16, G726_24, G726_32, G726_40]) registry.register(g726);
  let g729 = options.g729;
  if (g729 === undefined) {
    const loaded = loadG729();
    g729 = loaded.ok ? loaded.value : null;
  }
  if (g729) registry.register(g729);
  let opus = options.opus;
  if (opus === undefined) {
    const loaded = loadOpus({ sampleRate: 16000 });
    opus = loaded.ok ? loaded.value : null;
  }
  if (opus) registry.register(opus);
  return registry;
}
