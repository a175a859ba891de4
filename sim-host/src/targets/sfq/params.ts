// The SFQ target's parameters (`target NAME = sfq { … }`), their defaults and the sources or
// modelling choices behind them, the synapse's bias-current ↔ pass-probability curve, and the
// Josephson-junction counts the energy is computed from. Plain numbers, no run state.
import { SFQ_DEFAULT } from '../../../../protocol/sfq';

/** The magnetic flux quantum h/2e in Wb (exact in the 2019 SI). */
export const PHI0 = 2.067833848e-15;

/** Counter streams (third Philox word, protocol/rng.md) of the SFQ emulation's draws. */
export const SFQ_STREAM = {
  /** Does synapse q of projection j pass the pulse that reaches it at clock tick τ: (q, τ, 12, j). */
  pass: 12,
  /** How many stored quanta neuron i of population k loses at tick τ: (i, τ, 13, k). */
  leak: 13,
} as const;

/**
 * Josephson-junction switchings per event (a pulse through a cell switches each junction on its
 * path once). A modelling choice for a generic RSFQ cell library, not figures from the paper
 * (which we could not read past its abstract): an input DC/SFQ converter 3; a pulse reaching a
 * synapse 3 (2 for its splitter branch and Josephson transmission line, 1 for the decision: the
 * pass junction or the escape junction switches, never both); a passed pulse 2 more (output
 * stage and the merger into the neuron's storage loop); a quantum leaking out of the loop 1; a
 * neuron's output pulse 3 (threshold junction, reset, output driver).
 */
export const SWITCHINGS = { input_pulse: 3, synapse_arrival: 3, synapse_pass: 2, leak: 1, neuron_pulse: 3 } as const;

/** Junctions per cell for the static bias estimate (the same cells as SWITCHINGS). */
export const JUNCTIONS = { input: 3, synapse: 5, neuron: 6 } as const;

/** Fraction of I_c each junction is biased at (a usual RSFQ operating point; modelling choice). */
export const BIAS_FRACTION = 0.7;

export interface SfqParams {
  /** Clock frequency, Hz. */
  clock: number;
  /** Junction critical current, A. */
  i_c: number;
  /** Bias current at which a synapse passes half of its pulses, A. */
  bias_p50: number;
  /** Width of the logistic pass curve, A. */
  bias_width: number;
  /** Resolution of the synapse bias currents, A (0: continuous, the weights' probabilities exactly). */
  bias_step: number;
  /** Flux quanta at which a neuron fires (c ≥ threshold); undefined: the model is read in quanta. */
  threshold?: number;
  /** Probability per clock that each stored quantum leaks out; undefined: from the model's τ_m. */
  leak?: number;
  /** Bias supply voltage, V (static power of RSFQ = bias current × this). */
  bias_voltage: number;
  /** Static bias power, W; undefined: junctions × BIAS_FRACTION·I_c × bias_voltage. */
  static_power?: number;
  /** Cryocooler overhead: W at room temperature per W dissipated at 4 K. */
  cryo_overhead: number;
}

/**
 * Defaults. clock 50 GHz: the paper's "tens to hundreds of GHz" (abstract). I_c 100 µA: a common
 * RSFQ junction (RESEARCH.md §A4). bias_p50 70 µA, bias_width 1 µA, bias_voltage 2.5 mV: a
 * modelling choice (typical RSFQ values, not fitted to the paper's synapse). cryo_overhead 400 W/W:
 * "hundreds of W per W" at 4 K (RESEARCH.md §A4, from memory: large 4 K cryoplants; the Carnot
 * bound from 300 K is 300/4.2 − 1 ≈ 70 W/W, small cryocoolers are far above 1,000 W/W).
 */
export const SFQ_DEFAULTS: SfqParams = { ...SFQ_DEFAULT };

/** The target block's settings (SI numbers from the IR) over the defaults. */
export function sfqParams(settings: Record<string, number>): SfqParams {
  const p: SfqParams = { ...SFQ_DEFAULTS };
  const keys = ['clock', 'i_c', 'bias_p50', 'bias_width', 'bias_step', 'threshold', 'leak', 'bias_voltage', 'static_power', 'cryo_overhead'] as const;
  for (const k of keys) if (settings[k] !== undefined) p[k] = settings[k];
  return p;
}

/** Why these parameters cannot describe a chip (the checker reports the same with a location), or undefined. */
export function sfqParamsProblem(p: SfqParams, dt: number): string | undefined {
  const bad = (x: number | undefined) => x !== undefined && !Number.isFinite(x);
  if ((Object.keys(p) as (keyof SfqParams)[]).some((k) => bad(p[k]))) return 'a parameter is not a finite number';
  if (!(p.clock > 0)) return `clock ${p.clock} Hz: the clock frequency must be positive`;
  if (1 / p.clock > dt * (1 + 1e-9)) return `the clock period ${fmtS(1 / p.clock)} is longer than the model's dt ${fmtS(dt)}: the chip needs at least one clock per step (raise clock to at least ${fmtHz(1 / dt)} or lengthen dt)`;
  if (!(p.i_c > 0)) return `i_c ${p.i_c} A: the critical current must be positive`;
  if (!(p.bias_width > 0)) return 'bias_width must be positive';
  if (!(p.bias_p50 > 0 && p.bias_p50 < p.i_c)) return `bias_p50 ${fmtA(p.bias_p50)} must lie between 0 and i_c ${fmtA(p.i_c)} (a junction biased above I_c switches on its own)`;
  if (p.bias_step < 0) return 'bias_step must not be negative';
  if (p.threshold !== undefined && !(Number.isInteger(p.threshold) && p.threshold >= 1)) return `threshold ${p.threshold}: a flux counter fires at a whole number ≥ 1 of quanta`;
  if (p.leak !== undefined && !(p.leak >= 0 && p.leak <= 1)) return `leak ${p.leak}: a probability per clock, in [0, 1]`;
  if (!(p.bias_voltage >= 0)) return 'bias_voltage must not be negative';
  if (p.static_power !== undefined && !(p.static_power >= 0)) return 'static_power must not be negative';
  if (!(p.cryo_overhead >= 0)) return 'cryo_overhead must not be negative';
  return undefined;
}

/** Clock ticks per model step: dt · clock, rounded; `exact` when dt is a whole number of clock periods. */
export function ticksPerStep(p: SfqParams, dt: number): { ticks: number; exact: boolean } {
  const r = dt * p.clock;
  const ticks = Math.max(1, Math.round(r));
  return { ticks, exact: Math.abs(r - ticks) <= 1e-6 * r };
}

/**
 * The synapse's pass probability at bias current I: a logistic, 1 / (1 + e^(−(I − I_50)/w)).
 * A modelling choice: thermally activated switching gives an error-function dependence on the
 * bias current (the bit-error-rate theory of RSFQ circuits), which a logistic of width
 * w ≈ 0.59·σ follows closely; the logistic has an exact inverse (biasFor). Not fitted to the
 * paper's measured synapse curve (not verified).
 */
export function passProbability(p: SfqParams, current: number): number {
  return 1 / (1 + Math.exp(-(current - p.bias_p50) / p.bias_width));
}

/** The bias current that gives pass probability `prob` (0 < prob < 1). */
export function biasFor(p: SfqParams, prob: number): number {
  return p.bias_p50 + p.bias_width * Math.log(prob / (1 - prob));
}

const eng = (x: number, unit: string, scales: [number, string][]) => {
  for (const [s, pre] of scales) if (Math.abs(x) >= s) return `${+(x / s).toPrecision(4)} ${pre}${unit}`;
  const [s, pre] = scales[scales.length - 1];
  return `${+(x / s).toPrecision(4)} ${pre}${unit}`;
};
export const fmtS = (x: number) => eng(x, 's', [[1, ''], [1e-3, 'm'], [1e-6, 'µ'], [1e-9, 'n'], [1e-12, 'p'], [1e-15, 'f']]);
export const fmtHz = (x: number) => eng(x, 'Hz', [[1e9, 'G'], [1e6, 'M'], [1e3, 'k'], [1, '']]);
export const fmtA = (x: number) => eng(x, 'A', [[1, ''], [1e-3, 'm'], [1e-6, 'µ'], [1e-9, 'n']]);
export const fmtJ = (x: number) => eng(x, 'J', [[1, ''], [1e-3, 'm'], [1e-6, 'µ'], [1e-9, 'n'], [1e-12, 'p'], [1e-15, 'f'], [1e-18, 'a'], [1e-21, 'z']]);
export const fmtW = (x: number) => eng(x, 'W', [[1, ''], [1e-3, 'm'], [1e-6, 'µ'], [1e-9, 'n'], [1e-12, 'p']]);
