// The Goertzel algorithm: the power of one DFT bin at an arbitrary frequency, with one
// multiply-add per sample. The DTMF and call-progress detectors run a bank of these per block;
// the tests use them to measure the frequencies and levels of generated tones.
//
// For a sine of peak amplitude A at exactly the target frequency over N samples, the bin power
// |X|² is (A·N/2)² (plus a small image term), so A ≈ 2·√power / N.

/** Goertzel coefficient 2·cos(2πf/fs) for `freqHz` at `sampleRate`. */
export function goertzelCoefficient(freqHz: number, sampleRate: number): number {
  return 2 * Math.cos((2 * Math.PI * freqHz) / sampleRate);
}

/** |X(f)|² of `samples[start .. start+length)` (the whole array by default). */
export function goertzelPower(samples: ArrayLike<number>, freqHz: number, sampleRate: number, start = 0, length = samples.length - start): number {
  const coeff = goertzelCoefficient(freqHz, sampleRate);
  let s1 = 0;
  let s2 = 0;
  const end = start + length;
  for (let i = start; i < end; i++) {
    const s0 = samples[i]! + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  return s1 * s1 + s2 * s2 - coeff * s1 * s2;
}

/**
 * Estimated peak amplitude of the sine at `freqHz` in the block (exact for a sine on the bin
 * frequency when the block holds many periods).
 */
export function goertzelAmplitude(samples: ArrayLike<number>, freqHz: number, sampleRate: number, start = 0, length = samples.length - start): number {
  return (2 * Math.sqrt(goertzelPower(samples, freqHz, sampleRate, start, length))) / length;
}

/**
 * A bank of Goertzel filters fed sample by sample, for block-wise detectors that must not
 * allocate: `update` each sample of a block, read `power(i)`, then `reset`.
 */
export class GoertzelBank {
  readonly frequenciesHz: readonly number[];
  private readonly coeff: Float64Array;
  private readonly s1: Float64Array;
  private readonly s2: Float64Array;

  constructor(frequenciesHz: readonly number[], readonly sampleRate: number) {
    this.frequenciesHz = [...frequenciesHz];
    this.coeff = Float64Array.from(frequenciesHz, (f) => goertzelCoefficient(f, sampleRate));
    this.s1 = new Float64Array(frequenciesHz.length);
    this.s2 = new Float64Array(frequenciesHz.length);
  }

  get size(): number {
    return this.coeff.length;
  }

  reset(): void {
    this.s1.fill(0);
    this.s2.fill(0);
  }

  /** Feeds `samples[start .. end)` to every filter. */
  update(samples: ArrayLike<number>, start: number, end: number): void {
    const { coeff, s1, s2 } = this;
    for (let k = 0; k < coeff.length; k++) {
      const c = coeff[k]!;
      let a = s1[k]!;
      let b = s2[k]!;
      for (let i = start; i < end; i++) {
        const s0 = samples[i]! + c * a - b;
        b = a;
        a = s0;
      }
      s1[k] = a;
      s2[k] = b;
    }
  }

  /** |X|² of filter `k` over everything fed since the last reset. */
  power(k: number): number {
    const a = this.s1[k]!;
    const b = this.s2[k]!;
    return a * a + b * b - this.coeff[k]! * a * b;
  }
}
