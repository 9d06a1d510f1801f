// ITU-T G.722 (09/2012) constant tables, 64 kbit/s mode, in the order libspandsp's g722.c
// indexes them. Block names (1L QUANTL, 3L LOGSCL, ...) follow the Recommendation's
// computational description; values are the ones of the ITU reference and of spandsp.

/** Transmit/receive QMF coefficients h0..h11 (scaled by 2^13). */
export const QMF_FWD = Int32Array.of(3, -11, 12, 32, -210, 951, 3876, -805, 362, -156, 53, -11);
/** The same coefficients reversed (h11..h0). */
export const QMF_REV = Int32Array.of(-11, 53, -156, 362, -805, 3876, 951, -210, 32, 12, -11, 3);

/** Block 2H INVQAH: higher sub-band inverse quantiser outputs QQ2 by 2-bit code. */
export const QM2 = Int32Array.of(-7408, -1616, 7408, 1616);

/** Block 2L INVQAL: 4-bit (quantiser-adaptation) inverse quantiser QQ4 by 4-bit code. */
export const QM4 = Int32Array.of(
  0, -20456, -12896, -8968, -6288, -4240, -2584, -1200, 20456, 12896, 8968, 6288, 4240, 2584, 1200, 0,
);

/** Block 5L INVQBL at 64 kbit/s: 6-bit inverse quantiser QQ6 by 6-bit code. */
export const QM6 = Int32Array.of(
  -136, -136, -136, -136, -24808, -21904, -19008, -16704, -14984, -13512, -12280, -11192, -10232, -9360,
  -8576, -7856, -7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576, -3168, -2776, -2400, -2032, -1688,
  -1360, -1040, -728, 24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192, 10232, 9360, 8576, 7856,
  7192, 6576, 6000, 5456, 4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032, 1688, 1360, 1040, 728, 432, 136,
  -432, -136,
);

/** Block 1L QUANTL: decision levels Q6 (×det >> 12), index 1..29 used. */
export const Q6 = Int32Array.of(
  0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714, 786, 858, 940, 1023, 1121,
  1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919, 0, 0,
);

/** Block 1L QUANTL: 6-bit code for a negative difference, by decision interval. */
export const ILN = Int32Array.of(
  0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8,
  7, 6, 5, 4, 0,
);

/** Block 1L QUANTL: 6-bit code for a non-negative difference, by decision interval. */
export const ILP = Int32Array.of(
  0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37,
  36, 35, 34, 33, 32, 0,
);

/**
 * Q6 padded at 30 and 31 with the top level (any value >= Q6[29] works), for the encoder's
 * 5-step binary search: it counts the levels 1..31 at or below |el|.
 */
export const Q6_SEARCH = Int32Array.from(Q6, (v, i) => (i >= 30 ? Q6[29]! : v));

/**
 * 6-bit lower-band code by that count q (0..31) and the sign of el: spandsp's interval is
 * i = min(q + 1, 30); IL_BY_SIGN[2q] = ILP[i], IL_BY_SIGN[2q + 1] = ILN[i].
 */
export const IL_BY_SIGN = Int32Array.from({ length: 64 }, (_, k) => {
  const i = Math.min((k >> 1) + 1, 30);
  return k & 1 ? ILN[i]! : ILP[i]!;
});

/** Blocks 3L/3H SCALEL/SCALEH: inverse log-base-2 table ILB. */
export const ILB = Int32Array.of(
  2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714, 2774, 2834, 2896,
  2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676, 3756, 3838, 3922, 4008,
);

/** Block 3L LOGSCL: log scale factor multipliers WL by RIL. */
export const WL = Int32Array.of(-60, -30, 58, 172, 334, 538, 1198, 3042);
/** Block 3L LOGSCL: 4-bit code to WL index (RL42). */
export const RL42 = Int32Array.of(0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0);

/** Block 3H LOGSCH: log scale factor multipliers WH. */
export const WH = Int32Array.of(0, -214, 798);
/** Block 3H LOGSCH: 2-bit code to WH index (RH2). */
export const RH2 = Int32Array.of(2, 1, 2, 1);

/** Upper limits of the log scale factors NBL (block 3L) and NBH (block 3H). */
export const NB_MAX_LOW = 18432;
export const NB_MAX_HIGH = 22528;
/** Initial scale factors: DETL = 32 (lower) and DETH = 8 (higher sub-band). */
export const DET_INIT_LOW = 32;
export const DET_INIT_HIGH = 8;
