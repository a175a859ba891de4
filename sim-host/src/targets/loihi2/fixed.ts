// Loihi's number formats and the integer operations of its LIF compartment and dense synapses,
// as Lava's bit-accurate process models define them (lava-nc/lava, src/lava/proc/lif/models.py
// AbstractPyLifModelFixed / PyLifModelBitAcc, src/lava/proc/dense/models.py PyDenseModelBitAcc,
// src/lava/utils/weightutils.py). Written from those definitions, not copied. Pure functions.

/** u and v are 24-bit: |u| wraps at 2^23, v saturates at ±(2^23 − 1). */
export const UV_BITS = 24;
export const UV_MAX = 2 ** (UV_BITS - 1);
/** Decays are 12-bit fractions of 2^12. */
export const DECAY_SHIFT = 12;
export const DECAY_UNITY = 2 ** DECAY_SHIFT;
/** du, dv: unsigned 12-bit. */
export const DECAY_MAX = DECAY_UNITY - 1;
/** Loihi adds 1 to du (the ds_offset register), 0 to dv (dm_offset). */
export const DU_OFFSET = 1;
export const DV_OFFSET = 0;
/** Threshold and synaptic input are MSB-aligned by 6 bits. */
export const VTH_SHIFT = 6;
export const ACT_SHIFT = 6;
/** vth: unsigned 17-bit. */
export const VTH_MAX = 2 ** 17 - 1;
/** bias mantissa: signed 13-bit; exponent 0…7 (3 bits). */
export const BIAS_MANT_MAX = 2 ** 12 - 1;
export const BIAS_MANT_MIN = -(2 ** 12);
export const BIAS_EXP_MAX = 7;
/** Weights: 8-bit mantissa; the per-connection weight exponent (Loihi: −8…7). */
export const WEIGHT_BITS = 8;
export const WEIGHT_EXP_MIN = -8;
export const WEIGHT_EXP_MAX = 7;
/** Refractory delay register: at most 63 steps (nengo-loihi REFRACT_DELAY_MAX, Loihi 1). */
export const REFRACT_MAX = 63;
/**
 * Synaptic delay: at most 62 steps (Loihi 2; not confirmed from a source: Lava's DelayDense
 * process model sets no upper bound, it sizes its buffer from the largest delay). The emulation
 * holds this boundary (test/targets-limits.test.ts: 62 runs, 63 is refused at the delay).
 */
export const DELAY_MAX = 62;

/** x·(4096 − d) / 4096 rounded toward zero (the product is exact in float64: |x| < 2^24). */
export function decay(x: number, d: number): number {
  return Math.trunc((x * (DECAY_UNITY - d)) / DECAY_UNITY);
}

/** u's 24-bit wrap: above 2^23 → −2^24, at or below −2^23 → +2^24 (Lava's order: strict '>' first). */
export function wrapU(x: number): number {
  if (x > UV_MAX) return x - 2 * UV_MAX;
  if (x <= -UV_MAX) return x + 2 * UV_MAX;
  return x;
}

/** v's saturation to ±(2^23 − 1). */
export function saturateV(x: number): number {
  return x > UV_MAX - 1 ? UV_MAX - 1 : x < -(UV_MAX - 1) ? -(UV_MAX - 1) : x;
}

/** bias_mant shifted by bias_exp (left for exp ≥ 0, arithmetic right otherwise). */
export function effectiveBias(mant: number, exp: number): number {
  return exp >= 0 ? mant * 2 ** exp : Math.floor(mant / 2 ** -exp);
}

/** A dendritic sum shifted by the weight exponent (arithmetic right shift for exp < 0). */
export function shiftByExp(sum: number, exp: number): number {
  return exp >= 0 ? sum * 2 ** exp : Math.floor(sum / 2 ** -exp);
}

export type SignMode = 'excitatory' | 'inhibitory' | 'mixed';

/** Lava's determine_sign_mode: all ≥ 0 excitatory, all ≤ 0 inhibitory, else mixed. */
export function signModeOf(w: ArrayLike<number>): SignMode {
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < w.length; k++) {
    if (w[k] < min) min = w[k];
    if (w[k] > max) max = w[k];
  }
  if (w.length === 0 || min >= 0) return 'excitatory';
  if (max <= 0) return 'inhibitory';
  return 'mixed';
}

/** Lava's clip_weights (num_bits = 8, no learning): excitatory [0, 255], inhibitory [−255, 0], mixed [−256, 255]. */
export function clipWeight(w: number, mode: SignMode, bits = WEIGHT_BITS): number {
  const x = mode === 'inhibitory' ? -w : w;
  const lo = mode === 'mixed' ? -(2 ** bits) : 0;
  const hi = 2 ** bits - 1;
  const c = x < lo ? lo : x > hi ? hi : x;
  return mode === 'inhibitory' ? -c : c;
}

/** Lava's truncate_weights: drop (8 − numWeightBits + mixed) low bits (arithmetic shift; inhibitory on the magnitude). */
export function truncateWeight(w: number, mode: SignMode, numWeightBits = WEIGHT_BITS): number {
  const drop = WEIGHT_BITS - numWeightBits + (mode === 'mixed' ? 1 : 0);
  const x = mode === 'inhibitory' ? -w : w;
  const t = Math.floor(x / 2 ** drop) * 2 ** drop;
  return mode === 'inhibitory' ? -t : t;
}

/**
 * The weight exponent as Lava's optimize_weight_bits chooses it (_determine_weight_exp): the
 * largest scale 2^s that keeps the largest weight within 255 (excitatory / inhibitory) or within
 * 127 / −128 then doubled (mixed, whose weights are even); exponent = −s. 0 for all-zero weights.
 */
export function weightExpFor(min: number, max: number, mode: SignMode): number {
  if (min === 0 && max === 0) return 0;
  let scale: number;
  if (mode === 'mixed') scale = Math.min(max > 0 ? 127 / max : Infinity, min < 0 ? -128 / min : Infinity);
  else if (mode === 'inhibitory') scale = -255 / min;
  else scale = 255 / max;
  let bits = Math.floor(Math.log2(scale));
  if (mode === 'mixed') bits += 1;
  return bits === 0 ? 0 : -bits;
}

/** Dense's weight pipeline on an integer weight: clip to 8 bits for its sign mode, then truncate. */
export function denseWeight(w: number, mode: SignMode, numWeightBits = WEIGHT_BITS): number {
  return truncateWeight(clipWeight(Math.trunc(w), mode), mode, numWeightBits);
}
