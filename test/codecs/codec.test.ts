import { describe, expect, it } from 'vitest';
import { CodecRegistry, rtpTimestampTicks } from '../../src/codecs/codec.js';
import { PCMA, PCMU } from '../../src/codecs/g711.js';
import { G722 } from '../../src/codecs/g722.js';
import { createCodecRegistry } from '../../src/codecs/registry.js';

describe('CodecRegistry', () => {
  it('looks codecs up by encoding name case-insensitively and by static payload type', () => {
    const r = new CodecRegistry().register(PCMU).register(G722);
    expect(r.get('pcmu')).toBe(PCMU);
    expect(r.get('G722')).toBe(G722);
    expect(r.get('g722')).toBe(G722);
    expect(r.get('PCMA')).toBeUndefined();
    expect(r.has('Pcmu')).toBe(true);
    expect(r.byStaticPayloadType(9)).toBe(G722);
    expect(r.byStaticPayloadType(8)).toBeUndefined();
    expect(r.names()).toEqual(['PCMU', 'G722']);
  });

  it('refuses to register a name twice (a bug)', () => {
    const r = new CodecRegistry().register(PCMA);
    expect(() => r.register(PCMA)).toThrow(/registered twice/);
  });

  it('the default registry offers G.711 and G.722 regardless of the G.729 addon and Opus', () => {
    const r = createCodecRegistry({ g729: null, opus: null });
    expect(r.available().map((c) => [c.name, c.payloadType, c.clockRate, c.sampleRate])).toEqual([
      ['PCMU', 0, 8000, 8000],
      ['PCMA', 8, 8000, 8000],
      ['G722', 9, 8000, 16000],
      ['G726-16', 102, 8000, 8000],
      ['G726-24', 103, 8000, 8000],
      ['G726-32', 104, 8000, 8000],
      ['G726-40', 105, 8000, 8000],
    ]);
  });
});

describe('rtpTimestampTicks', () => {
  it('counts G.722 at the 8000 Hz RTP clock: 320 samples (20 ms) are 160 ticks', () => {
    expect(rtpTimestampTicks(G722, 320)).toBe(160);
    expect(rtpTimestampTicks(PCMU, 160)).toBe(160);
  });
});
