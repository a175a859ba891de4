// Float plan → the SFQ chip: which models a flux-counter network expresses (sfqCannotRun), and
// each population and connection as counters and stochastic synapses, every step reported.
//
// A population of the LIF shape (core/lif-shape.ts) with one variable V, `spike when V > θ`,
// `reset { V = V_r }`, dV/dt = −(V − V_r)/τ_m or no equation, and connections that add their
// weight to V (`target: V`, voltage jumps), becomes a flux counter c (quanta above the reset):
//   one quantum q = (θ − V_r)/(threshold − ½) with the target's `threshold`, else q = 1 unit of V
//     and threshold = ⌊θ − V_r⌋ + 1 (the model is written in quanta), so that c ≥ threshold ⇔ V > θ;
//   the leak: each stored quantum escapes with probability λ = 1 − e^(−T/τ_m) per clock T (the
//     float model's decay in expectation), or the target's `leak`;
//   a weight w: a synapse that passes each pulse with probability |w|/q (at most 1) and adds
//     (w > 0) or removes (w < 0) one quantum; its bias current from the logistic curve (params.ts),
//     rounded to `bias_step` when that is set.
// Refused with the reason: a synaptic current, a constant drive (a rest away from V_r), a
// refractory period, weights above one quantum, probes of anything but spikes, and all that a LIF
// chip refuses (lifCannotRun).
import type { ModelIR } from '../../../../protocol/ir';
import type { ReportQuantStep } from '../../../../protocol/target-report';
import { lifEval } from '../../core/lif-eval';
import { lifCannotRun, lifShape } from '../../core/lif-shape';
import { PlanError } from '../../core/limits';
import type { Plan, PopPlan, ProjPlan } from '../../core/plan';
import { biasFor, fmtA, passProbability, sfqParamsProblem, ticksPerStep, type SfqParams } from './params';

/** A conversion step and its error, as the Target Report lists it. */
export type QuantStep = ReportQuantStep;

export interface SfqPop {
  name: string;
  index: number;
  kind: 'neuron' | 'source';
  size: number;
  /** Quanta at which the counter fires (c ≥ threshold). */
  threshold: number;
  /** One flux quantum in units of the model's V. */
  quantum: number;
  /** Probability per clock that each stored quantum leaks out. */
  leak: number;
  /** Initial counters. */
  c0: Int32Array;
}

/** A projection (plan's index, source and target ranges, CSR rows by local source) on the chip. */
export interface SfqProj extends Pick<ProjPlan, 'index' | 'src' | 'tgt' | 'rowptr'> {
  name: string;
  /** Plan indices of the source and target populations. */
  source: number;
  target: number;
  /** Local target index of each synapse. */
  col: Int32Array;
  /** Pass probability of each synapse (after the bias current's rounding). */
  prob: Float64Array;
  /** +1: a passed pulse adds a quantum; −1: removes one. */
  sign: Int8Array;
  /** Bias current of each synapse, A (0: unbiased, never passes). */
  bias: Float64Array;
  /** Clock ticks from the presynaptic pulse to its arrival (≥ 1), one for all or per synapse. */
  delay: number | Int32Array;
  maxDelay: number;
}

export interface SfqProgram {
  params: SfqParams;
  /** Clock ticks per model step. */
  ticks: number;
  dt: number;
  pops: SfqPop[];
  projs: SfqProj[];
  steps: QuantStep[];
  approximations: string[];
}

const CHIP = 'the SFQ chip';
const rel = (used: number, ideal: number) => (ideal === 0 ? (used === 0 ? 0 : Infinity) : Math.abs(used - ideal) / Math.abs(ideal));

/** Why the SFQ emulation cannot run this model (decided from the IR alone), or undefined. */
export function sfqCannotRun(ir: ModelIR): string | undefined {
  const why = lifCannotRun(ir, CHIP);
  if (why) return why;
  for (const p of ir.populations) {
    const m = ir.models[p.model];
    const sh = lifShape(m);
    if (typeof sh === 'string') return `population ${p.name}: ${sh}`;
    if (sh.s) return `population ${p.name}: ${m.name} has a synaptic current ${sh.s}; an SFQ neuron is a flux counter that each passed pulse steps by one quantum (write the input as voltage jumps, target: ${sh.v})`;
    if (m.refractory) return `population ${p.name}: ${m.name} has a refractory period, which the flux counter lacks`;
  }
  for (const pr of ir.probes) {
    if (pr.variable !== 'spikes' && pr.variable !== 'rate') return `probe ${pr.variable}: only spikes are read back from ${CHIP} (its flux counters are not)`;
  }
  return undefined;
}

function convertPop(plan: Plan, pop: PopPlan, p: SfqParams, ticks: number, steps: QuantStep[], approx: string[]): SfqPop {
  const m = pop.model!;
  const where = `population ${pop.name}`;
  const { shape: sh, evalAt, vTh, vR } = lifEval(pop, plan.dt, CHIP);
  if (!(vTh > vR)) throw new PlanError(`${where}: the threshold must lie above the reset for a flux counter`, 'unsupported');
  const vOde = m.odes.find((o) => o.variable === sh.v);
  const consts = (i: number) => Object.fromEntries(sh.consts.map((c) => [c, pop.initial.get(c)![i]]));
  const f = (V: number, i: number) => (vOde ? evalAt(vOde.rhs, { ...consts(i), [sh.v]: V }) : 0);
  for (let i = 0; i < pop.size; i++) {
    const drive = f(vR, i);
    if (Math.abs(drive) > 1e-12 * Math.max(1, Math.abs(vTh - vR) * plan.dt)) {
      throw new PlanError(`${where}: d${sh.v}/dt is ${+drive.toPrecision(4)} at the reset (neuron ${i}): a constant drive, which a flux counter lacks (it rests at the reset); drive the neuron with a rate-coded input instead`, 'unsupported');
    }
  }
  const slope = f(vR + 1, 0) - f(vR, 0);
  if (slope > 0) throw new PlanError(`${where}: d${sh.v}/dt grows with ${sh.v}; a flux counter only leaks`, 'unsupported');
  const tauM = slope < 0 ? -1 / slope : Infinity;
  let threshold: number;
  let quantum: number;
  if (p.threshold !== undefined) {
    threshold = p.threshold;
    quantum = (vTh - vR) / (threshold - 0.5);
    steps.push({ where, what: `θ − V_r = ${+(vTh - vR).toPrecision(6)} → ${threshold} quanta (one quantum = (θ − V_r)/(threshold − ½) = ${+quantum.toPrecision(6)})`, ideal: vTh - vR, used: (threshold - 0.5) * quantum, error: 0 });
  } else {
    quantum = 1;
    threshold = Math.floor(vTh - vR) + 1;
    steps.push({ where, what: `θ − V_r = ${+(vTh - vR).toPrecision(6)} read in quanta: fires at ${threshold} quanta`, ideal: vTh - vR, used: threshold, error: 0, note: 'the model is written in flux quanta (no threshold on the target)' });
    if (threshold > 1e6) throw new PlanError(`${where}: θ − V_r = ${vTh - vR} quanta; give the target a threshold (quanta at which a neuron fires) unless the model is written in flux quanta`, 'unsupported');
  }
  const T = plan.dt / ticks;
  const ideal = Number.isFinite(tauM) ? -Math.expm1(-T / tauM) : 0;
  let leak = ideal;
  if (p.leak !== undefined) {
    leak = p.leak;
    steps.push({ where, what: `leak per clock (the target's leak; the model's τ_m ${Number.isFinite(tauM) ? `${+tauM.toPrecision(4)} s` : '∞'} would give ${+ideal.toPrecision(4)})`, ideal, used: leak, error: rel(leak, ideal) });
  } else if (Number.isFinite(tauM)) steps.push({ where, what: `τ_m ${+tauM.toPrecision(4)} s → leak per clock 1 − e^(−T/τ_m)`, ideal, used: leak, error: 0, note: 'each stored quantum escapes with this probability per clock' });
  const V0 = pop.initial.get(sh.v)!;
  const c0 = new Int32Array(pop.size);
  let off = 0;
  for (let i = 0; i < pop.size; i++) {
    const x = (V0[i] - vR) / quantum;
    c0[i] = Math.round(x);
    if (Math.abs(c0[i] - x) > 1e-6) off++;
  }
  if (off) approx.push(`${where}: ${off} initial value(s) of ${sh.v} are not a whole number of quanta above the reset; rounded`);
  return { name: pop.name, index: pop.index, kind: 'neuron', size: pop.size, threshold, quantum, leak, c0 };
}

function convertProj(plan: Plan, pr: ProjPlan, pops: SfqPop[], p: SfqParams, ticks: number, steps: QuantStep[], approx: string[]): SfqProj {
  const conn = plan.ir.connections[pr.connection];
  const name = conn.name ?? `${pr.source.name} -> ${pr.target.name}`;
  const where = `connection ${name}`;
  const tp = pops[pr.target.index];
  const mem = plan.memory.buffer;
  const wf = new Float32Array(mem, pr.weightOffset, pr.synapses);
  const n = pr.synapses;
  const prob = new Float64Array(n);
  const sign = new Int8Array(n);
  const bias = new Float64Array(n);
  let se = 0;
  let si = 0;
  let worst = 0;
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < n; k++) {
    const w = wf[k];
    if (!Number.isFinite(w)) throw new PlanError(`${where}: weight ${k} is not finite`, 'input');
    const ideal = Math.abs(w) / tp.quantum;
    if (ideal > 1 + 1e-6) {
      throw new PlanError(`${where}: weight ${+w.toPrecision(6)} is ${+ideal.toPrecision(4)} flux quanta per pulse; an SFQ synapse passes at most one quantum per pulse (|w| ≤ ${+tp.quantum.toPrecision(6)}: lower the weight${p.threshold !== undefined ? ' or the threshold' : ''})`, 'unsupported');
    }
    sign[k] = w < 0 ? -1 : 1;
    worst = Math.max(worst, ideal);
    let used = Math.min(1, ideal);
    if (used > 0) {
      const clamped = Math.min(used, 1 - 1e-9);
      let I = biasFor(p, clamped);
      if (p.bias_step > 0) {
        I = Math.round(I / p.bias_step) * p.bias_step;
        used = I <= 0 ? 0 : passProbability(p, I);
      }
      bias[k] = I;
      lo = Math.min(lo, I);
      hi = Math.max(hi, I);
    }
    prob[k] = used;
    se += (used - ideal) ** 2;
    si += ideal ** 2;
  }
  steps.push({
    where, what: `${n} weights → pass probabilities |w|/q${p.bias_step > 0 ? `, bias currents rounded to ${fmtA(p.bias_step)}` : ''}`, ideal: worst, used: worst, error: si === 0 ? 0 : Math.sqrt(se / si),
    note: n && Number.isFinite(lo) ? `bias currents ${fmtA(lo)} … ${fmtA(hi)}` : undefined,
  });
  if (Number.isFinite(hi) && hi >= p.i_c) approx.push(`${where}: bias currents up to ${fmtA(hi)} reach I_c ${fmtA(p.i_c)} (a pass probability this close to 1 needs a bias the junction cannot hold; widen bias_width or lower the weight)`);
  let delay: number | Int32Array;
  let maxDelay: number;
  if ('value' in pr.delay) {
    delay = pr.delay.value * ticks + 1;
    maxDelay = delay;
  } else {
    delay = new Int32Array(mem, pr.delay.offset, n).map((d) => d * ticks + 1);
    maxDelay = delay.reduce((a, b) => Math.max(a, b), 1);
  }
  return { name, index: pr.index, source: pr.source.index, target: pr.target.index, src: pr.src, tgt: pr.tgt, rowptr: pr.rowptr.slice(), col: new Int32Array(mem, pr.colOffset, n).slice(), prob, sign, bias, delay, maxDelay };
}

/** The chip's program for `plan` under the target's parameters; PlanError when it cannot be built. */
export function convertPlanSfq(plan: Plan, p: SfqParams): SfqProgram {
  const problem = sfqParamsProblem(p, plan.dt);
  if (problem) throw new PlanError(`sfq target: ${problem}`, 'input');
  const why = sfqCannotRun(plan.ir);
  if (why) throw new PlanError(why, 'unsupported');
  for (const pr of plan.projs) if (pr.plastic || pr.segments || pr.pathway) throw new PlanError(`connection ${pr.index}: not a static connection`, 'unsupported');
  const steps: QuantStep[] = [];
  const approximations: string[] = [];
  const { ticks, exact } = ticksPerStep(p, plan.dt);
  steps.push({ where: 'clock', what: `dt · clock → ${ticks} clock tick(s) per step`, ideal: plan.dt * p.clock, used: ticks, error: rel(ticks, plan.dt * p.clock) });
  if (!exact) approximations.push(`dt is ${+(plan.dt * p.clock).toPrecision(6)} clock periods; the emulation runs ${ticks} ticks per step (clock ${+(ticks / plan.dt).toPrecision(6)} Hz)`);
  if (ticks > 1) approximations.push(`${ticks} clock ticks per step: a neuron that fires more than once within a step is recorded once at that step (the energy counts every pulse)`);
  approximations.push('the float run it is compared with is the model\'s expected-value (mean-field) network: there a pulse adds |w| of a quantum to V every time; on the chip it adds a whole quantum with probability |w|, so rates differ where the network relies on the fluctuations (rate errors are not errors of the chip)');
  const z = new Int32Array(0);
  const pops = plan.pops.map((pp): SfqPop => (pp.kind === 'neuron' ? convertPop(plan, pp, p, ticks, steps, approximations) : { name: pp.name, index: pp.index, kind: 'source', size: pp.size, threshold: 0, quantum: 1, leak: 0, c0: z }));
  const projs = plan.projs.map((pr) => convertProj(plan, pr, pops, p, ticks, steps, approximations));
  return { params: p, ticks, dt: plan.dt, pops, projs, steps, approximations };
}
