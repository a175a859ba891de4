// Builds the NALSM variants and measures them (shared by the test; also a scratch harness).
import type { ModelIR } from '../../protocol/ir';
import { loadText, runSim } from './helpers';
import { sizeOf, spikesOf, type RunResult } from '../../sim-host/src/engine';
import type { Simulation } from '../../sim-host/src/engine';

export const CHANNELS = 20;
export const TRIAL = 0.2; // s

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
function gauss(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

/** Class templates: per channel, Poisson(rate) spike times in [0, TRIAL). */
export function templates(classes: number, seed = 11, rate = 10): number[][][] {
  const rand = lcg(seed);
  return Array.from({ length: classes }, () => Array.from({ length: CHANNELS }, () => {
    const t: number[] = [];
    for (let x = -Math.log(1 - rand()) / rate; x < TRIAL - 0.005; x += -Math.log(1 - rand()) / rate) t.push(x);
    return t;
  }));
}

/**
 * A stream of `trials` presentations of `classes` templates (class sequence random), every
 * spike jittered by a normal(0, jitter) shift, as spike_array lists.
 */
export function stream(trials: number, seed: number, classes: number, jitter: number): { times: number[]; indices: number[]; labels: number[] } {
  const tpl = templates(classes);
  const rand = lcg(seed);
  const ev: [number, number][] = [];
  const labels: number[] = [];
  for (let k = 0; k < trials; k++) {
    const c = Math.floor(rand() * classes);
    labels.push(c);
    tpl[c].forEach((ts, ch) => ts.forEach((t) => {
      const x = Math.min(TRIAL - 1e-4, Math.max(0, t + jitter * gauss(rand)));
      ev.push([k * TRIAL + x, ch]);
    }));
  }
  ev.sort((a, b) => a[0] - b[0]);
  return { times: ev.map((e) => e[0]), indices: ev.map((e) => e[1]), labels };
}

/** The model text with the input replaced by a generated stream and the duration set. */
export function withStream(text: string, s: { times: number[]; indices: number[] }, duration: number): string {
  const input = `input digits = spike_array[${CHANNELS}] {\n  times: [${s.times.map((t) => `${(t * 1000).toFixed(2)} ms`).join(', ')}]\n  indices: [${s.indices.join(', ')}]\n}`;
  let out = text.replace(/input digits = spike_array\[\d+\] \{[\s\S]*?\n\}/, input);
  out = out.replace(/task digits_task \{[\s\S]*?\n\}\n/, '').replace(/readout r = [^\n]*\n/, '');
  out = out.replace(/duration: [^;]+;/, `duration: ${duration} s;`);
  return out;
}

/**
 * Branching factor as in NALSM's compute_branching_factor.py: for each spike of a liquid
 * neuron in [from, to), its descendants (spikes of its liquid targets in the next bin) over
 * its ancestors (spikes of its liquid sources in the previous bin, at least 1); averaged over
 * the neuron's spikes, then over the neurons that spiked.
 */
export function branchingFactor(sim: Simulation, r: RunResult, pops: string[], from: number, to: number, bin = 0.004): number {
  const offs = new Map<string, number>();
  let total = 0;
  for (const p of pops) (offs.set(p, total), (total += sizeOf(r, p)!));
  const post: number[][] = Array.from({ length: total }, () => []);
  const pre: number[][] = Array.from({ length: total }, () => []);
  sim.plan.projs.forEach((pr, k) => {
    if (!offs.has(pr.source.name) || !offs.has(pr.target.name)) return;
    const { rowptr, col } = sim.connectivity(k);
    const so = offs.get(pr.source.name)!;
    const to_ = offs.get(pr.target.name)!;
    for (let i = 0; i + 1 < rowptr.length; i++) for (let s = rowptr[i]; s < rowptr[i + 1]; s++) (post[so + i].push(to_ + col[s]), pre[to_ + col[s]].push(so + i));
  });
  const dtb = Math.round(bin / r.dt);
  const steps = Math.round(to / r.dt) + dtb + 2;
  // spikes per neuron: sorted step lists
  const times: number[][] = Array.from({ length: total }, () => []);
  for (const p of pops) {
    const sp = spikesOf(r, p)!;
    const o = offs.get(p)!;
    for (let k = 0; k < sp.steps.length; k++) if (sp.steps[k] < steps) times[o + sp.neurons[k]].push(sp.steps[k]);
  }
  const countIn = (n: number, a: number, b: number) => {
    const t = times[n];
    let lo = 0, hi = t.length;
    while (lo < hi) { const m = (lo + hi) >> 1; if (t[m] < a) lo = m + 1; else hi = m; }
    let c = 0;
    for (let k = lo; k < t.length && t[k] < b; k++) c++;
    return c;
  };
  const a0 = Math.round(from / r.dt), b0 = Math.round(to / r.dt);
  let sum = 0, neurons = 0;
  for (let n = 0; n < total; n++) {
    let s = 0, c = 0;
    for (const t of times[n]) {
      if (t < a0 || t >= b0) continue;
      let d = 0, a = 0;
      for (const m of post[n]) d += countIn(m, t + 1, t + 1 + dtb);
      for (const m of pre[n]) a += countIn(m, t - dtb, t);
      s += d / Math.max(1, a);
      c++;
    }
    if (c) (sum += s / c, neurons++);
  }
  return sum / neurons;
}

/** Liquid state per trial: exc spike counts in `nb` sub-bins of the trial. */
export function states(r: RunResult, pop: string, trials: number, first: number, nb = 4): Float64Array[] {
  const sp = spikesOf(r, pop)!;
  const n = sizeOf(r, pop)!;
  const X = Array.from({ length: trials }, () => new Float64Array(n * nb));
  for (let k = 0; k < sp.steps.length; k++) {
    const t = sp.steps[k] * r.dt;
    const tr = Math.floor(t / TRIAL) - first;
    if (tr < 0 || tr >= trials) continue;
    const b = Math.min(nb - 1, Math.floor(((t - (tr + first) * TRIAL) / TRIAL) * nb));
    X[tr][sp.neurons[k] * nb + b]++;
  }
  return X;
}

export type { ModelIR };

export type Variant = 'astrocyte' | 'plain STDP' | 'fixed weights';

/**
 * The example's text as one of the three liquids NALSM compares, with E->E weights starting at
 * `start` (an .snn value): with the astrocyte (the file as it is), plain STDP (the astrocyte
 * gets no input and A sits at bias = eta_plus: depression rate = potentiation rate, NALSM's
 * STDP-LSM), or fixed weights (no plasticity: NALSM's LSM).
 */
export function variantText(text: string, variant: Variant, start: string): string {
  const swap = (s: string, from: RegExp | string, to: string) => {
    if (typeof from === 'string' ? !s.includes(from) : !from.test(s)) throw new Error(`lsm variant: '${String(from)}' not found in the model`);
    return s.replace(from, to);
  };
  let out = swap(text, /weight: uniform\(60 pA, 100 pA\)/, `weight: ${start}`);
  if (variant === 'astrocyte') return out;
  out = swap(swap(out, /weight: 6e-4; target: A/, 'weight: 0; target: A'), /weight: -6e-4; target: A/, 'weight: 0; target: A');
  // the parameter line (not the header comment, which also says bias = -0.1)
  out = swap(out, /bias = -0\.1( +\/\/)/, 'bias = 0.1 $1');
  if (variant === 'plain STDP') return out;
  // no potentiation, and A (the depression rate) held at 0
  return swap(swap(swap(out, 'eta_plus = 0.1)', 'eta_plus = 0)'), /bias = 0\.1( +\/\/)/, 'bias = 0 $1'), /A: 1 = 0\.1 /, 'A: 1 = 0   ');
}

export interface LiquidRun {
  /** Branching factor over the last 10 s (exc and inh). */
  bf: number;
  /** Mean exc rate over the last 10 s (Hz). */
  rate: number;
  /** Liquid states (exc counts in 4 bins) and labels of the trials of the second half. */
  X: Float64Array[];
  y: number[];
}

/** Runs one liquid on a stream of jittered presentations (seed: the stream's and the run's). */
export function runLiquid(text: string, variant: Variant, start: string, seed: number, o: { duration: number; classes: number; jitter: number }): LiquidRun {
  const trials = Math.round(o.duration / TRIAL);
  const input = stream(trials, 100 + seed, o.classes, o.jitter);
  const model = variantText(withStream(text, input, o.duration), variant, start);
  const { sim, result: r } = runSim(loadText(model, `lsm_${variant.replace(/\W/g, '_')}`), { seed });
  const bf = branchingFactor(sim, r, ['exc', 'inh'], o.duration - 10, o.duration - 0.05);
  let late = 0;
  for (const s of spikesOf(r, 'exc')!.steps) if (s * r.dt >= o.duration - 10) late++;
  const first = trials / 2;
  return { bf, rate: late / sizeOf(r, 'exc')! / 10, X: states(r, 'exc', trials - first, first), y: input.labels.slice(first) };
}
