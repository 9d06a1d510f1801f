// 8 kHz <-> 16 kHz sample-rate conversion for mixing narrowband (G.711, G.729) and wideband
// (G.722) audio, with one linear-phase half-band FIR low-pass (63 taps, Kaiser window,
// ~70 dB stopband from 4.55 kHz, passband to ~3.45 kHz). Half of its taps are zero and the
// centre tap is exactly 1/2, so decimation costs 32 multiplies per output sample and
// interpolation 32 per pair. Fixed-point Q15 arithmetic: deterministic, no allocation per call.
// Each direction keeps per-stream history: one instance per stream.

/** Taps of the half-band prototype (N = 4k + 3 so both ends are non-zero). */
export const HALF_BAND_TAPS = 63;
const CENTER = (HALF_BAND_TAPS - 1) / 2; // 31
/** Non-zero off-centre taps, at even indices 0, 2, ..., 62 (odd distance from the centre). */
const SIDE_TAPS = (HALF_BAND_TAPS + 1) / 2; // 32
const KAISER_BETA = 7;

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
    if (term < 1e-12 * sum) break;
  }
  return sum;
}

/**
 * Q15 side taps h[0], h[2], ..., h[62] of the half-band low-pass (cut-off fs/4), their sum
 * forced to exactly 16384 (1/2) so the DC gain is exactly 1 with the centre tap 16384.
 */
function designSideTaps(): Int32Array {
  const ideal = new Float64Array(SIDE_TAPS);
  let sum = 0;
  for (let j = 0; j < SIDE_TAPS; j++) {
    const n = 2 * j - CENTER; // odd
    const sinc = Math.sin((Math.PI * n) / 2) / ((Math.PI * n) / 2);
    const r = n / CENTER; // position in the window, -1..1
    const w = besselI0(KAISER_BETA * Math.sqrt(1 - r * r)) / besselI0(KAISER_BETA);
    ideal[j] = 0.5 * sinc * w;
    sum += ideal[j]!;
  }
  const q = new Int32Array(SIDE_TAPS);
  const half = SIDE_TAPS / 2;
  let qsum = 0;
  for (let j = 0; j < half; j++) {
    q[j] = Math.round((ideal[j]! / sum) * 16384);
    qsum += 2 * q[j]!;
  }
  // The rounding residue (even, as 16384 and 2 × qsum are) goes to the two largest taps.
  q[half - 1]! += (16384 - qsum) / 2;
  for (let j = 0; j < half; j++) q[SIDE_TAPS - 1 - j] = q[j]!;
  return q;
}

/** Q15 side taps; symmetric: SIDE[j] === SIDE[SIDE_TAPS - 1 - j]. */
const SIDE = designSideTaps();
/** The full 63-tap impulse response in Q15, for inspection and tests. */
export function halfBandTaps(): Int32Array {
  const h = new Int32Array(HALF_BAND_TAPS);
  for (let j = 0; j < SIDE_TAPS; j++) h[2 * j] = SIDE[j]!;
  h[CENTER] = 16384;
  return h;
}

function sat16(x: number): number {
  return x > 32767 ? 32767 : x < -32768 ? -32768 : x;
}

/**
 * 16 kHz → 8 kHz: low-pass, then keep every second sample. Delay: exactly 15 output samples
 * (output m is centred on input sample 2m − 30).
 */
export class Downsampler16to8 {
  /** Input history: a 63-entry ring written twice so the window is always contiguous. */
  private readonly hist = new Int32Array(2 * HALF_BAND_TAPS);
  private pos = 0;

  reset(): void {
    this.hist.fill(0);
    this.pos = 0;
  }

  /** `input` has an even number of 16 kHz samples; writes `input.length / 2` to `out`. */
  process(input: Int16Array, out: Int16Array): number {
    const n = input.length;
    if (n % 2 !== 0) throw new RangeError(`resample: ${n} samples at 16 kHz is not an even count`);
    const outLen = n >> 1;
    if (out.length < outLen) throw new RangeError(`resample: output holds ${out.length}, needs ${outLen}`);
    const h = this.hist;
    const side = SIDE;
    let pos = this.pos;
    for (let i = 0, o = 0; i < n; i += 2, o++) {
      const a = input[i]!;
      h[pos] = a;
      h[pos + HALF_BAND_TAPS] = a;
      if (++pos === HALF_BAND_TAPS) pos = 0;
      const b = input[i + 1]!;
      h[pos] = b;
      h[pos + HALF_BAND_TAPS] = b;
      if (++pos === HALF_BAND_TAPS) pos = 0;
      // Window oldest..newest is h[pos .. pos + 62]; side taps sit at even offsets.
      let acc = h[pos + CENTER]! * 16384;
      for (let j = 0; j < SIDE_TAPS / 2; j++) {
        acc += side[j]! * (h[pos + 2 * j]! + h[pos + HALF_BAND_TAPS - 1 - 2 * j]!);
      }
      out[o] = sat16((acc + 16384) >> 15);
    }
    this.pos = pos;
    return outLen;
  }
}

/**
 * 8 kHz → 16 kHz: zero-stuff, then low-pass with gain 2 (polyphase). Delay: 31 output samples
 * (output 2n + 1 is input n − 15 exactly).
 */
export class Upsampler8to16 {
  /** Input history: a 32-entry ring written twice. */
  private readonly hist = new Int32Array(2 * SIDE_TAPS);
  private pos = 0;

  reset(): void {
    this.hist.fill(0);
    this.pos = 0;
  }

  /** Writes `2 * input.length` samples at 16 kHz to `out`. */
  process(input: Int16Array, out: Int16Array): number {
    const n = input.length;
    if (out.length < 2 * n) throw new RangeError(`resample: output holds ${out.length}, needs ${2 * n}`);
    const h = this.hist;
    const side = SIDE;
    let pos = this.pos;
    for (let i = 0, o = 0; i < n; i++) {
      const x = input[i]!;
      h[pos] = x;
      h[pos + SIDE_TAPS] = x;
      if (++pos === SIDE_TAPS) pos = 0;
      // Window oldest..newest is h[pos .. pos + 31]. Phase 0: the side taps (×2);
      // phase 1: the centre tap (1/2 × 2 = 1) on the sample CENTER/2 inputs back.
      let acc = 0;
      for (let j = 0; j < SIDE_TAPS / 2; j++) acc += side[j]! * (h[pos + j]! + h[pos + SIDE_TAPS - 1 - j]!);
      out[o++] = sat16((acc + 8192) >> 14);
      out[o++] = h[pos + SIDE_TAPS / 2]!;
    }
    this.pos = pos;
    return 2 * n;
  }
}
