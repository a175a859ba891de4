// Float plan → SpiNNaker 2 (sPyNNaker's IF_curr_exp in s16.15), each step and its error reported.
//
// A population of a LIF shape (core/lif-shape.ts), dV/dt = b + m·(V − V_r) + k·S, dS/dt = −S/τ_S,
// becomes sPyNNaker's τ_m dV/dt = V_rest − V + R·I with V in mV, R = 1 and I (the synaptic
// input) carried in mV of steady-state drive:
//   V_rest = V_r + b·τ_m,  exp_TC = e^(−dt/τ_m),  V_thresh = θ + 2^-15 mV (the chip spikes on V ≥ V_thresh,
//   the model on V > θ), V_reset, T_refract = R − 1 ticks (the float engine's hold after a spike of
//   t_ref = R steps), synapse decay = e^(−dt/τ_S) (u0.32) and init = τ_S(1 − e^(−dt/τ_S))/dt (the
//   same charge into V), a weight w into S → k·τ_m·w mV of input, as a 16-bit magnitude times
//   2^shift·2^-15 with one shift per connection (the smallest that fits its largest weight), into the
//   excitatory (w > 0) or inhibitory (w < 0) buffer; delay D steps of the plan → D + 1 ticks, at most 16 + 8 × 16 = 144.
import { lifShape, connectionTarget } from '../../core/lif-shape';
import { extremeParam, lifEval, nonFinite } from '../../core/lif-eval';
import { PlanError } from '../../core/limits';
import type { Plan, PopPlan, ProjPlan } from '../../core/plan';
import { connectionWhere, relError as rel, type ChipConnection, type QuantStep } from '../common/program';
import * as F from './fixed';

export type { QuantStep };

export interface SpinPop {
  name: string;
  index: number;
  kind: 'lif' | 'source';
  size: number;
  /** s16.15 bits (mV). */
  vRest: number;
  vReset: number;
  vThresh: number;
  /** s16.15 bits. */
  expTC: number;
  rMembrane: number;
  iOffset: Int32Array;
  tRefract: number;
  /** u0.32. */
  synDecay: number;
  synInit: number;
  v0: Int32Array;
  exc0: Int32Array;
  inh0: Int32Array;
  /** For reading back: mV per unit of the model's S. */
  mvPerS: number;
}

/** A connection; its delay is in ticks from spike to input (≥ 1). */
export interface SpinProj extends ChipConnection {
  /** 16-bit magnitudes and the buffer each synapse feeds (0 excitatory, 1 inhibitory). */
  weights: Uint16Array;
  type: Uint8Array;
  /** input bits = Σ weights << shift. */
  shift: number;
}

export interface SpinProgram {
  pops: SpinPop[];
  projs: SpinProj[];
  steps: QuantStep[];
  approximations: string[];
  dt: number;
}

function convertPop(plan: Plan, pop: PopPlan, steps: QuantStep[]): SpinPop {
  const dt = plan.dt;
  const m = pop.model!;
  const where = `population ${pop.name}`;
  const { shape: sh, evalAt, vTh, vR, vOde, sOde, f, constsAt: consts } = lifEval(pop, dt, 'the SpiNNaker conversion');
  const f0 = f(0, 0, 0);
  const mV = f(1, 0, 0) - f0;
  const mS = sh.s ? f(0, 1, 0) - f0 : 0;
  if (![f0, mV, mS].every(Number.isFinite)) throw nonFinite(pop, `d${sh.v}/dt`);
  if (!(mV < 0) && extremeParam(pop)) throw nonFinite(pop, `the leak of d${sh.v}/dt`, 'is lost to rounding (0 in conversion)');
  if (!(mV < 0)) throw new PlanError(`${where}: sPyNNaker's LIF needs a leak (τ_m finite and positive)`, 'unsupported', { kind: 'population', name: pop.name });
  const tauM = -1 / mV;
  let tauS = Infinity;
  if (sOde && sh.s) {
    const sName = sh.s;
    const g = (S: number) => evalAt(sOde.rhs, { ...consts(0), [sh.v]: 0, [sName]: S });
    const gS = g(1) - g(0);
    if (!Number.isFinite(gS) || !Number.isFinite(g(0))) throw nonFinite(pop, `d${sh.s}/dt`);
    if (g(0) !== 0 || !(gS < 0)) throw new PlanError(`${where}: d${sh.s}/dt must be −${sh.s}/τ with τ > 0`, 'unsupported');
    tauS = -1 / gS;
  }
  const mv = (x: number) => x * 1e3;
  const q = (x: number) => F.toS1615(x);
  const back = (b: number) => b / F.ONE;
  const expIdeal = Math.exp(-dt / tauM);
  const expTC = q(expIdeal);
  steps.push({ where, what: `τ_m ${(tauM * 1e3).toPrecision(4)} ms → exp_TC (s16.15)`, ideal: expIdeal, used: back(expTC), error: rel(back(expTC), expIdeal) });
  const vThresh = Math.floor(mv(vTh) * F.ONE) + 1;
  steps.push({ where, what: 'threshold (V > θ) → V_thresh (V ≥, s16.15 mV)', ideal: mv(vTh), used: back(vThresh), error: rel(back(vThresh), mv(vTh)), note: 'one s16.15 unit above θ' });
  const vReset = q(mv(vR));
  const n = pop.size;
  const iOffset = new Int32Array(n);
  const vRest = q(mv(vR));
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const drive = mv(f(vR, 0, i) * tauM); // b·τ_m in mV: the steady-state offset above V_r
    if (!Number.isFinite(drive)) throw nonFinite(pop, `the drive of neuron ${i}`);
    iOffset[i] = q(drive);
    worst = Math.max(worst, rel(back(iOffset[i]), drive));
  }
  steps.push({ where, what: 'drive b·τ_m → I_offset (s16.15 mV, R = 1), V_rest = V_reset', ideal: mv(f(vR, 0, 0) * tauM), used: back(iOffset[0]), error: worst });
  let tRefract = 0;
  if (m.refractory) {
    const r = pop.refrSteps;
    if (!('value' in r)) throw new PlanError(`${where}: the refractory period differs between neurons`, 'unsupported');
    tRefract = Math.max(0, r.value - 1);
  }
  const decayIdeal = Number.isFinite(tauS) ? Math.exp(-dt / tauS) : 0;
  const initIdeal = Number.isFinite(tauS) ? (tauS * -Math.expm1(-dt / tauS)) / dt : 1;
  const synDecay = F.toU032(decayIdeal);
  const synInit = F.toU032(Math.min(initIdeal, 1 - 2 ** -32));
  if (Number.isFinite(tauS)) {
    steps.push({ where, what: `τ_S ${(tauS * 1e3).toPrecision(4)} ms → synapse decay (u0.32)`, ideal: decayIdeal, used: synDecay / 2 ** 32, error: rel(synDecay / 2 ** 32, decayIdeal) });
    steps.push({ where, what: 'synapse init τ_S(1 − e^(−dt/τ_S))/dt (u0.32)', ideal: initIdeal, used: synInit / 2 ** 32, error: rel(synInit / 2 ** 32, initIdeal) });
  }
  const mvPerS = mv(mS * tauM);
  for (const [what, x] of [['exp_TC', expIdeal], ['the synapse decay', decayIdeal], ['the synapse init', initIdeal], ['the weight scale', mvPerS]] as const) if (!Number.isFinite(x)) throw nonFinite(pop, what);
  const V0 = pop.initial.get(sh.v)!;
  const S0 = sh.s ? pop.initial.get(sh.s) : undefined;
  const v0 = new Int32Array(n);
  const exc0 = new Int32Array(n);
  const inh0 = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    v0[i] = q(mv(V0[i]));
    const s = S0 ? S0[i] * mvPerS : 0;
    if (s > 0) exc0[i] = q(s);
    else if (s < 0) inh0[i] = q(-s);
  }
  return { name: pop.name, index: pop.index, kind: 'lif', size: n, vRest, vReset, vThresh, expTC, rMembrane: F.ONE, iOffset, tRefract, synDecay, synInit, v0, exc0, inh0, mvPerS };
}

function convertProj(plan: Plan, pr: ProjPlan, pops: SpinPop[], steps: QuantStep[], approx: string[]): SpinProj {
  const conn = plan.ir.connections[pr.connection];
  const name = conn.name ?? `${pr.source.name} -> ${pr.target.name}`;
  const where = `connection ${name}`;
  const lt = pops[pr.target.index];
  const sh = pr.target.model ? lifShape(pr.target.model) : undefined;
  if (lt.kind !== 'lif' || !sh || typeof sh === 'string' || pr.ring.variable !== sh.s) {
    throw new PlanError(`${where}: sPyNNaker's current-based LIF takes input into its synaptic current only (voltage jumps need its delta input type, not emulated)`, 'unsupported');
  }
  const mem = plan.memory.buffer;
  const wf = new Float32Array(mem, pr.weightOffset, pr.synapses);
  const ideal = new Float64Array(pr.synapses);
  let max = 0;
  for (let k = 0; k < pr.synapses; k++) {
    const b = wf[k] * lt.mvPerS * F.ONE; // s16.15 bits of input
    if (!Number.isFinite(b)) throw new PlanError(`${where}: weight ${k} is not finite (NaN in conversion)`, 'input', connectionWhere(conn.name, pr.connection, 'weight'));
    ideal[k] = b;
    max = Math.max(max, Math.abs(b));
  }
  let shift = 0;
  while (max / 2 ** shift > 2 ** F.WEIGHT_BITS - 1) shift++;
  const weights = new Uint16Array(pr.synapses);
  const type = new Uint8Array(pr.synapses);
  let se = 0;
  let si = 0;
  let zeroed = 0;
  for (let k = 0; k < pr.synapses; k++) {
    const w = Math.min(2 ** F.WEIGHT_BITS - 1, Math.round(Math.abs(ideal[k]) / 2 ** shift));
    weights[k] = w;
    type[k] = ideal[k] < 0 ? 1 : 0;
    const used = (ideal[k] < 0 ? -w : w) * 2 ** shift;
    se += (used - ideal[k]) ** 2;
    si += ideal[k] ** 2;
    if (w === 0 && ideal[k] !== 0) zeroed++;
  }
  steps.push({ where, what: `${pr.synapses} weights → 16-bit magnitudes, shift ${shift}`, ideal: max / F.ONE, used: (Math.round(max / 2 ** shift) * 2 ** shift) / F.ONE, error: si === 0 ? 0 : Math.sqrt(se / si), note: zeroed ? `${zeroed} nonzero weight(s) round to 0` : undefined });
  if (zeroed) approx.push(`${where}: ${zeroed} of ${pr.synapses} weights round to 0 at 16 bits`);
  let delay: number | Int32Array;
  let maxDelay: number;
  if ('value' in pr.delay) {
    delay = pr.delay.value + 1;
    maxDelay = delay;
  } else {
    delay = new Int32Array(mem, pr.delay.offset, pr.synapses).map((d) => d + 1);
    maxDelay = delay.reduce((a, b) => Math.max(a, b), 0);
  }
  const limit = F.MAX_DELAY_TICKS;
  if (maxDelay > limit) throw new PlanError(`${where}: a delay of ${maxDelay} ticks exceeds SpiNNaker's ${F.DELAY_TICKS} + ${F.DELAY_BLOCKS} × ${F.DELAY_TICKS} = ${limit} (the neuron core's ${F.DELAY_TICKS} and a delay extension's ${F.DELAY_BLOCKS} blocks); lengthen dt or shorten the delay`, 'unsupported', connectionWhere(conn.name, pr.connection, 'delay'));
  return { name, source: pr.source.index, target: pr.target.index, src: pr.src, tgt: pr.tgt, rowptr: pr.rowptr.slice(), col: new Int32Array(mem, pr.colOffset, pr.synapses).slice(), weights, type, shift, delay, maxDelay };
}

export function convertPlanSpinnaker(plan: Plan): SpinProgram {
  const steps: QuantStep[] = [];
  const approximations: string[] = [];
  if (plan.currentSteps.length) throw new PlanError('current steps are not emulated on SpiNNaker', 'unsupported');
  for (const pr of plan.projs) {
    const t = connectionTarget(plan.ir.connections[pr.connection], plan.ir, 'SpiNNaker');
    if (typeof t === 'string') throw new PlanError(t, 'unsupported');
    if (pr.plastic || pr.segments || pr.pathway) throw new PlanError(`connection ${pr.index}: not a static connection`, 'unsupported');
  }
  const z = new Int32Array(0);
  const pops = plan.pops.map((p): SpinPop => (p.kind === 'neuron' ? convertPop(plan, p, steps) : { name: p.name, index: p.index, kind: 'source', size: p.size, vRest: 0, vReset: 0, vThresh: 0, expTC: 0, rMembrane: 0, iOffset: z, tRefract: 0, synDecay: 0, synInit: 0, v0: z, exc0: z, inh0: z, mvPerS: 0 }));
  const projs = plan.projs.map((pr) => convertProj(plan, pr, pops, steps, approximations));
  return { pops, projs, steps, approximations, dt: plan.dt };
}
