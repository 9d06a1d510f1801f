// ITU-T G.726 (12/90) constant tables for the four rates, and the quantiser lookup built from
// them once at load. Block names (QUAN, RECONST, FUNCTW, FUNCTF) follow the Recommendation's
// §4 computational description; the values are those of its Tables 1–4 (as scaled integers
// in the fixed-point description of §4.2), the same libspandsp's g726.c uses.

/** Bit rates of G.726 in bit/s: 2, 3, 4 or 5 bits per 8 kHz sample. */
export type G726Rate = 16000 | 24000 | 32000 | 40000;

export const G726_RATES: readonly G726Rate[] = [16000, 24000, 32000, 40000];

/** Bit order of code words in an octet: RFC 3551 G726-xx ('right') or AAL2-G726-xx ('left'). */
export type G726Packing = 'right' | 'left';

/** Samples whose code words fill whole octets: 4, 8, 2, 8 at 16, 24, 32, 40 kbit/s. */
export function g726SamplesPerUnit(rate: G726Rate): number {
  const bits = rate / 8000;
  return bits === 2 ? 4 : bits === 4 ? 2 : 8;
}

/** What differs between the four rates; every table is indexed by the code word I. */
export interface G726Mode {
  readonly rate: G726Rate;
  /** Bits per code word (rate / 8000). */
  readonly bits: number;
  /** The sign bit of a code word (I's most significant bit). */
  readonly signBit: number;
  /**
   * RECONST output magnitude mask when forming SR: G.726 §4.2.4 ADDB keeps 14 bits below 40
   * kbit/s, 15 at 40 kbit/s (spandsp: dq & 0x3FFF or dq & 0x7FFF).
   */
  readonly dqMagMask: number;
  /** §4.2.6 UPB leak of the zero-predictor coefficients: 2^-8, or 2^-9 at 40 kbit/s. */
  readonly leakShift: number;
  /** RECONST: normalised log of the reconstructed difference |DQ| (Table 1–4 "DQLN"). */
  readonly dqln: Int16Array;
  /** FUNCTW: scale factor multiplier W(I) (exceeds int16 at 32 kbit/s: 35904). */
  readonly wi: Int32Array;
  /** FUNCTF: F(I), the input of the speed-control averages. */
  readonly fi: Int16Array;
  /**
   * QUAN as a lookup: index ((DLN + 2048) & 4095) | (sign of D) << 12, value the code word I.
   * Built from the decision levels (Tables 1–4, "|D|/y" in log2 units × 128).
   */
  readonly quant: Uint8Array;
}

/**
 * QUAN (§4.2.2): the interval of the normalised log difference DLN among the decision levels
 * gives the magnitude index i; a negative D takes the one's complement of i (code = 2·size+1−i).
 * With an odd number of intervals (24, 32, 40 kbit/s) the code 0 is not used for a positive D:
 * it maps to the all-ones-of-magnitude word, like spandsp's quantize().
 */
function buildQuant(levels: readonly number[], states: number): Uint8Array {
  const size = (states - 1) >> 1;
  const table = new Uint8Array(8192);
  for (let dln = -2048; dln < 2048; dln++) {
    let i = 0;
    while (i < size && dln >= levels[i]!) i++;
    const at = (dln + 2048) & 4095;
    table[at] = i === 0 && (states & 1) === 1 ? states : i;
    table[at | 4096] = (size << 1) + 1 - i;
  }
  return table;
}

function mode(
  rate: G726Rate,
  levels: readonly number[],
  states: number,
  dqln: readonly number[],
  wi: readonly number[],
  fi: readonly number[],
): G726Mode {
  const bits = rate / 8000;
  return {
    rate,
    bits,
    signBit: 1 << (bits - 1),
    dqMagMask: bits === 5 ? 0x7fff : 0x3fff,
    leakShift: bits === 5 ? 9 : 8,
    dqln: Int16Array.from(dqln),
    wi: Int32Array.from(wi),
    fi: Int16Array.from(fi),
    quant: buildQuant(levels, states),
  };
}

// Table 4/G.726 (16 kbit/s): four levels, no zero code.
const MODE_16 = mode(16000, [261], 4, [116, 365, 365, 116], [-704, 14048, 14048, -704], [0x000, 0xe00, 0xe00, 0x000]);

// Table 3/G.726 (24 kbit/s).
const MODE_24 = mode(
  24000,
  [8, 218, 331],
  7,
  [-2048, 135, 273, 373, 373, 273, 135, -2048],
  [-128, 960, 4384, 18624, 18624, 4384, 960, -128],
  [0x000, 0x200, 0x400, 0xe00, 0xe00, 0x400, 0x200, 0x000],
);

// Table 2/G.726 (32 kbit/s, the G.721 quantiser).
const MODE_32 = mode(
  32000,
  [-124, 80, 178, 246, 300, 349, 400],
  15,
  [-2048, 4, 135, 213, 273, 323, 373, 425, 425, 373, 323, 273, 213, 135, 4, -2048],
  [-384, 576, 1312, 2048, 3584, 6336, 11360, 35904, 35904, 11360, 6336, 3584, 2048, 1312, 576, -384],
  [0x000, 0x000, 0x000, 0x200, 0x200, 0x200, 0x600, 0xe00, 0xe00, 0x600, 0x200, 0x200, 0x200, 0x000, 0x000, 0x000],
);

// Table 1/G.726 (40 kbit/s).
const MODE_40 = mode(
  40000,
  [-122, -16, 68, 139, 198, 250, 298, 339, 378, 413, 445, 475, 502, 528, 553],
  31,
  [
    -2048, -66, 28, 104, 169, 224, 274, 318, 358, 395, 429, 459, 488, 514, 539, 566, 566, 539, 514, 488, 459, 429, 395,
    358, 318, 274, 224, 169, 104, 28, -66, -2048,
  ],
  [
    448, 448, 768, 1248, 1280, 1312, 1856, 3200, 4512, 5728, 7008, 8960, 11456, 14080, 16928, 22272, 22272, 16928, 14080,
    11456, 8960, 7008, 5728, 4512, 3200, 1856, 1312, 1280, 1248, 768, 448, 448,
  ],
  [
    0x000, 0x000, 0x000, 0x000, 0x000, 0x200, 0x200, 0x200, 0x200, 0x200, 0x400, 0x600, 0x800, 0xa00, 0xc00, 0xc00,
    0xc00, 0xc00, 0xa00, 0x800, 0x600, 0x400, 0x200, 0x200, 0x200, 0x200, 0x200, 0x000, 0x000, 0x000, 0x000, 0x000,
  ],
);

export function g726Mode(rate: G726Rate): G726Mode {
  switch (rate) {
    case 16000:
      return MODE_16;
    case 24000:
      return MODE_24;
    case 32000:
      return MODE_32;
    case 40000:
      return MODE_40;
  }
}
