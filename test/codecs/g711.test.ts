import { beforeAll, describe, expect, it } from 'vitest';
import { PCMA, PCMU, alawToLinear, linearToAlaw, linearToUlaw, ulawToLinear } from '../../src/codecs/g711.js';
import { asInt16, runRef, spandspRef } from './ref-harness.js';

// Oracle: libspandsp's static inline g711.h functions, compiled by test/codecs/ref/spandsp-ref.c.
let refAlaw: Uint8Array;
let refUlaw: Uint8Array;
let refAlawDecode: Int16Array;
let refUlawDecode: Int16Array;

beforeAll(() => {
  const out = runRef(spandspRef(), ['g711-tables']);
  expect(out.length).toBe(65536 * 2 + 256 * 4);
  refAlaw = new Uint8Array(out.subarray(0, 65536));
  refUlaw = new Uint8Array(out.subarray(65536, 131072));
  const dec = asInt16(out.subarray(131072));
  refAlawDecode = dec.slice(0, 256);
  refUlawDecode = dec.slice(256, 512);
});

/** All 65,536 linear inputs in ascending order, -32768..32767 (the harness's order). */
function allInputs(): Int16Array {
  const pcm = new Int16Array(65536);
  for (let i = 0; i < 65536; i++) pcm[i] = i - 32768;
  return pcm;
}

function allCodes(): Uint8Array {
  const codes = new Uint8Array(256);
  for (let c = 0; c < 256; c++) codes[c] = c;
  return codes;
}

function firstMismatch(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

describe('G.711 bit-exact with libspandsp', () => {
  it('PCMA encodes all 65,536 linear inputs as spandsp linear_to_alaw', () => {
    const out = new Uint8Array(65536);
    expect(PCMA.encode(allInputs(), out)).toBe(65536);
    expect(firstMismatch(out, refAlaw)).toBe(-1);
  });

  it('PCMU encodes all 65,536 linear inputs as spandsp linear_to_ulaw', () => {
    const out = new Uint8Array(65536);
    expect(PCMU.encode(allInputs(), out)).toBe(65536);
    expect(firstMismatch(out, refUlaw)).toBe(-1);
  });

  it('PCMA decodes all 256 codes as spandsp alaw_to_linear', () => {
    const out = new Int16Array(256);
    expect(PCMA.decode(allCodes(), out)).toBe(256);
    expect(Array.from(out)).toEqual(Array.from(refAlawDecode));
  });

  it('PCMU decodes all 256 codes as spandsp ulaw_to_linear', () => {
    const out = new Int16Array(256);
    expect(PCMU.decode(allCodes(), out)).toBe(256);
    expect(Array.from(out)).toEqual(Array.from(refUlawDecode));
  });

  it('the scalar functions agree with the tables and the reference', () => {
    const a = new Uint8Array(65536);
    const u = new Uint8Array(65536);
    for (let i = 0; i < 65536; i++) {
      a[i] = linearToAlaw(i - 32768);
      u[i] = linearToUlaw(i - 32768);
    }
    expect(firstMismatch(a, refAlaw)).toBe(-1);
    expect(firstMismatch(u, refUlaw)).toBe(-1);
    const codes = Array.from(allCodes());
    expect(codes.map(alawToLinear)).toEqual(Array.from(refAlawDecode));
    expect(codes.map(ulawToLinear)).toEqual(Array.from(refUlawDecode));
  });
});

describe('G.711 descriptors', () => {
  it('carry the RFC 3551 static payload types and rates', () => {
    expect([PCMU.name, PCMU.payloadType, PCMU.clockRate, PCMU.sampleRate, PCMU.frameMs]).toEqual(['PCMU', 0, 8000, 8000, 20]);
    expect([PCMA.name, PCMA.payloadType, PCMA.clockRate, PCMA.sampleRate, PCMA.frameMs]).toEqual(['PCMA', 8, 8000, 8000, 20]);
    expect(PCMU.stateful).toBe(false);
  });

  it('round-trips a code through decode and encode unchanged (except the µ-law negative zero)', () => {
    const codes = allCodes();
    for (const codec of [PCMA, PCMU]) {
      const pcm = new Int16Array(256);
      const back = new Uint8Array(256);
      codec.decode(codes, pcm);
      codec.encode(pcm, back);
      for (let c = 0; c < 256; c++) {
        // µ-law 0x7F decodes to 0 (negative zero), which encodes as 0xFF (positive zero).
        expect(back[c]).toBe(codec === PCMU && c === 0x7f ? 0xff : c);
      }
    }
  });

  it('writes into a subarray view of a larger buffer and rejects a too-small output', () => {
    const big = new Uint8Array(400);
    const view = big.subarray(100, 260);
    const pcm = new Int16Array(160).fill(1000);
    expect(PCMU.createEncoder().encode(pcm, view)).toBe(160);
    expect(big[99]).toBe(0);
    expect(big[100]).toBe(linearToUlaw(1000));
    expect(() => PCMA.encode(pcm, new Uint8Array(159))).toThrow(RangeError);
    expect(() => PCMA.decode(new Uint8Array(160), new Int16Array(100))).toThrow(RangeError);
  });
});
