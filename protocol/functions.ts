// The value of each function a model may call, on numbers: one table for the checker's constant
// folding, per-neuron values, the IR's algebra and the engine's scalar evaluator (the WASM code
// generator and WGSL emit their own instructions for the same definitions). Pure, no imports.

/**
 * exprel(x) = (e^x − 1)/x, with exprel(0) = 1, computed without the cancellation of the naive
 * form near 0 (Brian2's `exprel`; the Hodgkin–Huxley rate functions use it):
 * `u/(exp(u) − 1)` = `1/exprel(u)` has a removable singularity at u = 0 that the naive form
 * evaluates as 0/0.
 */
export function exprel(x: number): number {
  if (x === 0) return 1;
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return Infinity;
  return Math.expm1(x) / x;
}

/** Functions of numbers by IR name; rand/randn (streams) are not here. */
export const MATH_FUNCTIONS: Readonly<Record<string, (...a: number[]) => number>> = {
  exp: Math.exp,
  exprel,
  log: Math.log,
  sqrt: Math.sqrt,
  abs: Math.abs,
  sin: Math.sin,
  cos: Math.cos,
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  relu: (x) => Math.max(0, x),
  heaviside: (x) => (x > 0 ? 1 : 0),
  min: Math.min,
  max: Math.max,
  clip: (x, lo, hi) => Math.min(Math.max(x, lo), hi),
};
