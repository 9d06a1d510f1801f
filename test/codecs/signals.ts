// Deterministic test signals for the codec tests and benchmark: every run feeds the same
// samples to our codecs and to the C references.

/** xorshift32 with a fixed seed: reproducible "random" numbers in [0, 2^32). */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }
  nextU32(): number {
    let x = this.state;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    this.state = x;
    return x;
  }
  /** Uniform in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }
  /** Approximately normal (sum of 4 uniforms), mean 0, standard deviation 1. */
  gauss(): number {
    return (this.next() + this.next() + this.next() + this.next() - 2) * Math.sqrt(3);
  }
}

function toInt16(values: Float64Array): Int16Array {
  const out = new Int16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = Math.round(values[i]!);
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : v;
  }
  return out;
}

/**
 * Speech-like: a glottal pulse train with a wandering pitch (90–240 Hz) through three formant
 * resonators that move per "syllable", a 4 Hz syllabic envelope, pauses and noisy fricatives.
 */
export function speechLike(sampleRate: number, seconds: number, seed = 1, peak = 12000): Int16Array {
  const n = Math.round(sampleRate * seconds);
  const rng = new Rng(seed);
  const v = new Float64Array(n);
  const formantSets = [
    [730, 1090, 2440],
    [270, 2290, 3010],
    [300, 870, 2240],
    [530, 1840, 2480],
    [660, 1720, 2410],
    [490, 1350, 1690],
  ];
  const res = [0, 1, 2].map(() => ({ y1: 0, y2: 0 }));
  let phase = 0;
  const syllable = Math.round(sampleRate * 0.25);
  let set = formantSets[0]!;
  let fricative = false;
  for (let i = 0; i < n; i++) {
    if (i % syllable === 0) {
      set = formantSets[Math.floor(rng.next() * formantSets.length)]!;
      fricative = rng.next() < 0.2;
    }
    const t = i / sampleRate;
    const f0 = 150 + 60 * Math.sin(2 * Math.PI * 0.7 * t) + 30 * Math.sin(2 * Math.PI * 2.3 * t);
    phase += f0 / sampleRate;
    let excitation = 0;
    if (phase >= 1) {
      phase -= 1;
      excitation = 1;
    }
    excitation = fricative ? rng.gauss() * 0.3 : excitation + rng.gauss() * 0.02;
    let s = 0;
    for (let k = 0; k < 3; k++) {
      const f = Math.min(set[k]!, sampleRate * 0.45);
      const r = 0.97;
      const a1 = 2 * r * Math.cos((2 * Math.PI * f) / sampleRate);
      const st = res[k]!;
      const y = excitation + a1 * st.y1 - r * r * st.y2;
      st.y2 = st.y1;
      st.y1 = y;
      s += y / (k + 1);
    }
    const env = Math.max(0, Math.sin(Math.PI * ((i % syllable) / syllable))) * (i % (syllable * 7) < syllable * 6 ? 1 : 0);
    v[i] = s * env;
  }
  let max = 0;
  for (let i = 0; i < n; i++) max = Math.max(max, Math.abs(v[i]!));
  const scale = max > 0 ? peak / max : 0;
  for (let i = 0; i < n; i++) v[i] = v[i]! * scale;
  return toInt16(v);
}

/** Logarithmic sine sweep from f0 to f1 Hz at `amplitude`. */
export function sineSweep(sampleRate: number, seconds: number, f0: number, f1: number, amplitude: number): Int16Array {
  const n = Math.round(sampleRate * seconds);
  const v = new Float64Array(n);
  const k = Math.log(f1 / f0);
  for (let i = 0; i < n; i++) {
    const t = i / sampleRate;
    const ph = ((2 * Math.PI * f0 * seconds) / k) * (Math.exp((k * t) / seconds) - 1);
    v[i] = amplitude * Math.sin(ph);
  }
  return toInt16(v);
}

export function sine(sampleRate: number, seconds: number, freq: number, amplitude: number): Int16Array {
  const n = Math.round(sampleRate * seconds);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = amplitude * Math.sin((2 * Math.PI * freq * i) / sampleRate);
  return toInt16(v);
}

/** Gaussian white noise with standard deviation `sigma`, from a fixed seed. */
export function whiteNoise(sampleRate: number, seconds: number, sigma: number, seed = 2): Int16Array {
  const n = Math.round(sampleRate * seconds);
  const rng = new Rng(seed);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.gauss() * sigma;
  return toInt16(v);
}

export function silence(sampleRate: number, seconds: number): Int16Array {
  return new Int16Array(Math.round(sampleRate * seconds));
}

/** Full-scale square wave and runs of ±32767/-32768 (clipped speech), to exercise overflow paths. */
export function clipping(sampleRate: number, seconds: number, seed = 3): Int16Array {
  const n = Math.round(sampleRate * seconds);
  const rng = new Rng(seed);
  const out = new Int16Array(n);
  const loud = speechLike(sampleRate, seconds, seed, 32767 * 4);
  for (let i = 0; i < n; i++) {
    const section = Math.floor((i / n) * 3);
    if (section === 0) out[i] = Math.floor(i / 20) % 2 ? 32767 : -32768;
    else if (section === 1) out[i] = rng.next() < 0.5 ? 32767 : -32768;
    else out[i] = Math.max(-32768, Math.min(32767, loud[i]! * 4));
  }
  return out;
}

/** Uniformly random 16-bit samples. */
export function random16(count: number, seed = 4): Int16Array {
  const rng = new Rng(seed);
  const out = new Int16Array(count);
  for (let i = 0; i < count; i++) out[i] = rng.nextU32() & 0xffff;
  return out;
}

/** Uniformly random bytes. */
export function randomBytes(count: number, seed = 5): Uint8Array {
  const rng = new Rng(seed);
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = rng.nextU32() & 0xff;
  return out;
}

export function concat(parts: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Several seconds of every kind of signal at `sampleRate`, in one buffer (even length). */
export function mixedCorpus(sampleRate: number): Int16Array {
  return concat([
    speechLike(sampleRate, 3, 11),
    sineSweep(sampleRate, 2, 50, sampleRate / 2 - 100, 20000),
    whiteNoise(sampleRate, 1, 3000, 12),
    silence(sampleRate, 0.5),
    whiteNoise(sampleRate, 0.5, 30, 13),
    clipping(sampleRate, 1.5, 14),
    random16(sampleRate, 15),
    speechLike(sampleRate, 1, 16, 800),
  ]);
}
