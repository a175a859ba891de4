// SpiNNaker's number formats and the operations of sPyNNaker's current-based LIF with exponential
// synapses (SpiNNakerManchester/sPyNNaker neural_modelling/src/neuron: models/neuron_model_lif_impl.h,
// synapse_types/synapse_types_exponential_impl.h, decay.h, threshold_types/threshold_type_static.h),
// written from those definitions. REAL = accum = s16.15 (an int32 of 2^-15 units); decays are
// unsigned long fract (u0.32).

export const FRAC = 15;
export const ONE = 2 ** FRAC;
const I32_MAX = 2 ** 31 - 1;
const I32_MIN = -(2 ** 31);
/** Neurons per core and cores per chip (sPyNNaker's row length; SpiNNaker 2: 152 PEs). */
export const NEURONS_PER_CORE = 256;
export const CORES_PER_CHIP = 152;
/**
 * Delays: 16 ticks on the neuron core, and 8 blocks of 16 more through a delay extension: at most
 * 16 + 8 × 16 = 144 ticks (sPyNNaker's MAX_SUPPORTED_DELAY_TICS + MAX_DELAY_BLOCKS ×
 * MAX_TIMER_TICS_SUPPORTED_PER_BLOCK, checked in its projection code against the longest delay).
 */
export const DELAY_TICKS = 16;
export const DELAY_BLOCKS = 8;
export const MAX_DELAY_TICKS = DELAY_TICKS + DELAY_BLOCKS * DELAY_TICKS;
export const WEIGHT_BITS = 16;

/** A number as s16.15 bits, rounded to nearest and saturated. */
export function toS1615(x: number): number {
  const b = Math.round(x * ONE);
  return b > I32_MAX ? I32_MAX : b < I32_MIN ? I32_MIN : b;
}

/** A fraction in [0, 1) as u0.32 bits. */
export function toU032(x: number): number {
  return Math.min(2 ** 32 - 1, Math.max(0, Math.round(x * 2 ** 32)));
}

/**
 * s16.15 × s16.15 rounded to nearest (sPyNNaker's MULT_ROUND_NEAREST_ACCUM: the 64-bit product
 * plus 2^14, arithmetically shifted right by 15, saturated to 32 bits).
 */
export function mulRN(a: number, b: number): number {
  const p = a * b;
  let r: number;
  if (Math.abs(p) < 2 ** 52) r = Math.floor((p + 2 ** 14) / ONE);
  else r = Number((BigInt(a) * BigInt(b) + 16384n) >> 15n);
  return r > I32_MAX ? I32_MAX : r < I32_MIN ? I32_MIN : r;
}

/** decay_s1615: (x · d) >> 32 for s16.15 x and u0.32 d, in float64-exact parts. */
export function decayS1615(x: number, d: number): number {
  const dh = Math.floor(d / 65536);
  return decaySplit(x, dh, d - dh * 65536);
}

/** decay_s1615(x, d) with d split as dh·2^16 + dl (0 ≤ dl < 2^16): for a d used many times. */
export function decaySplit(x: number, dh: number, dl: number): number {
  return Math.floor((x * dh + Math.floor((x * dl) / 65536)) / 65536);
}
