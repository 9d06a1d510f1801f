// Linear prediction of a noise spectrum: the analysis side of RFC 3389 §3.2 spectral comfort
// noise (comfort-noise.ts sends the result as quantised reflection coefficients).
//
// Convention (ITU-T G.729 §3.2, which G.711 Appendix II and so RFC 3389 follow): the all-pole
// model is 1/A(z) with A(z) = 1 + a_1·z⁻¹ + … + a_M·z⁻ᴹ, and the Levinson-Durbin recursion
// gives k_m = -(r_m + Σ a_i·r_(m-i)) / E_(m-1), so k_1 = -r_1/r_0: low-pass noise has k_1 < 0.
// All functions write into caller-owned arrays (no allocation on the media path).

/**
 * Lagged products r[lag] = Σ x[i]·x[i − lag] for i in [from, from + count), lag 0..order: the
 * `order` samples before `from` are the history, so consecutive blocks add up to the
 * autocorrelation of the whole signal without the short-block bias. Adds `weight`·r into `out`
 * when `accumulate`, else overwrites it. Needs from ≥ order.
 */
export function autocorrelate(x: ArrayLike<number>, from: number, count: number, order: number, out: Float64Array, weight = 1, accumulate = false): void {
  const end = from + count;
  for (let lag = 0; lag <= order; lag++) {
    let s = 0;
    for (let i = from; i < end; i++) s += x[i]! * x[i - lag]!;
    out[lag] = accumulate ? out[lag]! + weight * s : weight * s;
  }
}

/**
 * G.729 §3.2.1 conditioning of an autocorrelation before Levinson-Durbin, in place: a Gaussian
 * lag window of `bandwidthHz` (60 Hz in G.729: widens sharp peaks, so no pole lands on the unit
 * circle) and a white-noise correction r_0·(1 + `whiteNoise`) (1.0001 there: a -40 dB floor).
 */
export function conditionAutocorrelation(r: Float64Array, order: number, sampleRate: number, bandwidthHz = 60, whiteNoise = 1e-4): void {
  r[0] = r[0]! * (1 + whiteNoise);
  const w = (2 * Math.PI * bandwidthHz) / sampleRate;
  for (let i = 1; i <= order; i++) r[i] = r[i]! * Math.exp(-0.5 * (w * i) ** 2);
}

/**
 * Levinson-Durbin (G.729 §3.2.2): from r[0..order] to the reflection coefficients k[0..order-1]
 * (k[m-1] is k_m) and the predictor a[0..order] (a[0] = 1). Returns the number of stages
 * computed: `order`, or fewer when r is not positive definite (a |k| ≥ 1 or a non-positive
 * error: the remaining k stay 0), 0 for r_0 ≤ 0 (white). The normalised prediction error of
 * the model is Π(1 − k_m²). `scratch` holds order + 1 values.
 */
export function levinsonDurbin(r: Float64Array, order: number, k: Float64Array, a: Float64Array, scratch: Float64Array): number {
  a[0] = 1;
  for (let i = 1; i <= order; i++) a[i] = 0;
  for (let i = 0; i < order; i++) k[i] = 0;
  let err = r[0]!;
  if (!(err > 0)) return 0;
  for (let m = 1; m <= order; m++) {
    let acc = r[m]!;
    for (let i = 1; i < m; i++) acc += a[i]! * r[m - i]!;
    const km = -acc / err;
    const next = err * (1 - km * km);
    if (!(Math.abs(km) < 1) || !(next > 0)) return m - 1;
    for (let i = 0; i < m; i++) scratch[i] = a[i]!;
    for (let i = 1; i < m; i++) a[i] = scratch[i]! + km * scratch[m - i]!;
    a[m] = km;
    k[m - 1] = km;
    err = next;
  }
  return order;
}

/**
 * The step-up recursion: reflection coefficients k[0..order-1] to the predictor a[0..order]
 * (a_i^(m) = a_i^(m-1) + k_m·a_(m-i)^(m-1), a_m^(m) = k_m). `scratch` holds order + 1 values.
 */
export function reflectionToPredictor(k: ArrayLike<number>, order: number, a: Float64Array, scratch: Float64Array): void {
  a[0] = 1;
  for (let m = 1; m <= order; m++) {
    const km = k[m - 1]!;
    for (let i = 0; i < m; i++) scratch[i] = a[i]!;
    for (let i = 1; i < m; i++) a[i] = scratch[i]! + km * scratch[m - i]!;
    a[m] = km;
  }
}

/**
 * The prediction error power of the predictor a[0..order] on a process with autocorrelation
 * r[0..order]: aᵀ·R·a (R Toeplitz). With the process's own Levinson predictor this is E_M; any
 * other predictor does worse, and the ratio of the two (the Itakura distance) measures how far
 * the spectrum a describes is from the process's.
 */
export function predictionErrorPower(a: Float64Array, r: Float64Array, order: number): number {
  let s = 0;
  for (let i = 0; i <= order; i++) {
    let row = 0;
    for (let j = 0; j <= order; j++) row += a[j]! * r[Math.abs(i - j)]!;
    s += a[i]! * row;
  }
  return s;
}
