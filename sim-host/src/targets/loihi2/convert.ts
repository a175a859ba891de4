// Float plan → Loihi integers, each step explicit and its error reported.
//
// A population of a LIF shape (shape.ts) with membrane V, optional synaptic current S, constant
// drive states C:  dV/dt = b + m·(V − V_r) + k·S,  dS/dt = −S/τ_S,  with τ_m = −1/m. On Loihi
// v = (V − V_r)·scale (reset and rest of the compartment are 0), scale chosen so that the
// threshold is vth << 6 with vth = VTH_TARGET; then
//   dv   = round(4096·(1 − e^(−dt/τ_m)))                       (0 without leak)
//   du   = round(4096·(1 − e^(−dt/τ_S))) − 1                    (Loihi adds the 1 back; 4095 when input goes straight into v)
//   bias = scale·b·K,  K = τ_m·(1 − e^(−dt/τ_m)) (dt without leak) — exact for a constant drive,
//          as mantissa · 2^exp with the smallest exp 0…7 that fits 13 signed bits
//   a weight w into S gives Δu = scale·k·K·w·τ_S·(1 − e^(−dt/τ_S))/dt (the same charge into v);
//   a weight w into V gives Δu = scale·w·e^(−dt/τ_m) (the float engine's jump, decayed one step);
//   Δu = (w_int << weight_exp) << 6, weight_exp per connection as Lava's optimize_weight_bits,
//   w_int rounded to nearest, then Lava's clip_weights and truncate_weights.
// The refractory period R = t_ref/dt steps holds v at 0 for R − 1 steps after the spike (as the
// float engine: input on the spike step's successors until spike + t_ref), at most 63.
import type { ExprIR } from '../../../../protocol/ir';
import { evalExpr } from '../../core/expr';
import { PlanError } from '../../core/limits';
import type { Plan, PopPlan, ProjPlan } from '../../core/plan';
import * as F from './fixed';
import { connectionTarget, lifShape, type LifShape } from '../../core/lif-shape';
import { lifEval, nonFinite } from '../../core/lif-eval';
import { connectionWhere, relError as rel, type ChipConnection, type QuantStep } from '../common/program';

export type { QuantStep };

/** The threshold register the conversion aims for: vth << 6 = 2^20 leaves 8 thresholds of headroom to saturation. */
export const VTH_TARGET = 2 ** 14;

export interface LoihiPop {
  name: string;
  /** Plan index. */
  index: number;
  kind: 'lif' | 'source';
  size: number;
  shape?: LifShape;
  du: number;
  dv: number;
  vth: number;
  biasMant: Int32Array;
  biasExp: Int32Array;
  /** Steps v is held at 0 after a spike (0: none). */
  refractory: number;
  u0: Int32Array;
  v0: Int32Array;
  /** Integer units per volt of V − V_r. */
  scale: number;
  vReset: number;
  /** Integer units of u per unit of S (0 without S input). */
  uPerS: number;
  /** Which variable the connections drive: 'u' (the synaptic current) or 'v' (voltage jumps, du = 4095). */
  input: 'u' | 'v';
}

/** A connection; its delay is in steps beyond Dense's one step. */
export interface LoihiProj extends ChipConnection {
  index: number;
  weights: Int32Array;
  weightExp: number;
  signMode: F.SignMode;
}

export interface LoihiProgram {
  pops: LoihiPop[];
  projs: LoihiProj[];
  steps: QuantStep[];
  /** What the conversion had to give up (clipped weights, saturated bias …): reported, never silent. */
  approximations: string[];
  dt: number;
}

function fitBias(x: number): { mant: number; exp: number; clipped: boolean } {
  for (let exp = 0; exp <= F.BIAS_EXP_MAX; exp++) {
    const mant = Math.round(x / 2 ** exp);
    if (mant <= F.BIAS_MANT_MAX && mant >= F.BIAS_MANT_MIN) return { mant, exp, clipped: false };
  }
  return { mant: x > 0 ? F.BIAS_MANT_MAX : F.BIAS_MANT_MIN, exp: F.BIAS_EXP_MAX, clipped: true };
}

function convertPop(plan: Plan, pop: PopPlan, driven: 'u' | 'v' | undefined, steps: QuantStep[], approx: string[]): LoihiPop {
  const dt = plan.dt;
  const n = pop.size;
  const m = pop.model!;
  const sh = lifShape(m);
  if (typeof sh === 'string') throw new PlanError(sh, 'unsupported');
  const { param, evalAt, vOde, sOde, f, constsAt } = lifEval(pop, dt, 'the Loihi conversion');
  const evalP = (e: Parameters<typeof evalExpr>[0]) => evalExpr(e, { param, state: () => NaN, builtin: (b) => (b === 'dt' ? dt : NaN) });
  const vTh = evalP((m.spike as Extract<ExprIR, { args: [ExprIR, ExprIR] }>).args[1]);
  const vR = evalP(m.reset[0].value);
  const where = `population ${pop.name}`;
  if (!Number.isFinite(vTh) || !Number.isFinite(vR)) throw nonFinite(pop, 'the threshold or reset');
  if (!(vTh > vR)) throw new PlanError(`${where}: the threshold (${vTh}) must be above the reset (${vR}); Loihi resets to 0 below a positive threshold`, 'unsupported');
  // dV/dt = c(C) + mV·V + mS·S: probe at zero and unit values, check linearity at another point.
  const f0 = f(0, 0, 0);
  const mV = f(1, 0, 0) - f0;
  const mS = sh.s ? f(0, 1, 0) - f0 : 0;
  if (![f0, mV, mS].every(Number.isFinite)) throw nonFinite(pop, `d${sh.v}/dt`);
  const probeV = vR + 0.37 * (vTh - vR);
  const check = f(probeV, 1e-3, 0);
  if (!(Math.abs(check - (f0 + mV * probeV + mS * 1e-3)) <= 1e-6 * (Math.abs(check) + Math.abs(f0) + 1e-12))) {
    throw new PlanError(`${where}: d${sh.v}/dt is not affine in ${sh.v}${sh.s ? ` and ${sh.s}` : ''} with these parameters`, 'unsupported');
  }
  if (!(mV <= 0)) throw new PlanError(`${where}: d${sh.v}/dt grows with ${sh.v} (no leak towards rest); Loihi's voltage decays`, 'unsupported');
  let gS = 0;
  if (sOde && sh.s) {
    const sName = sh.s;
    const g = (S: number) => evalAt(sOde.rhs, { ...constsAt(0), [sh.v]: 0, [sName]: S });
    const g0 = g(0);
    gS = g(1) - g0;
    if (!Number.isFinite(g0) || !Number.isFinite(gS)) throw nonFinite(pop, `d${sh.s}/dt`);
    if (Math.abs(g0) > 0 || !(gS < 0)) throw new PlanError(`${where}: d${sh.s}/dt must be −${sh.s}/τ with τ > 0 (a decaying current)`, 'unsupported');
  }
  const tauM = mV === 0 ? Infinity : -1 / mV;
  const tauS = gS === 0 ? Infinity : -1 / gS;
  const K = mV === 0 ? dt : tauM * -Math.expm1(-dt / tauM);
  const scale = (VTH_TARGET * 2 ** F.VTH_SHIFT) / (vTh - vR);
  const vth = VTH_TARGET;
  steps.push({ where, what: `threshold ${+((vTh - vR) * 1e3).toPrecision(6)} mV above reset → vth`, ideal: VTH_TARGET, used: vth, error: 0, note: `scale ${scale.toPrecision(6)} units/V; vth << 6 = ${vth * 64}` });
  // Decays.
  const dvIdeal = mV === 0 ? 0 : F.DECAY_UNITY * -Math.expm1(-dt / tauM);
  const dv = Math.min(F.DECAY_MAX, Math.round(dvIdeal));
  steps.push({ where, what: `τ_m ${Number.isFinite(tauM) ? `${(tauM * 1e3).toPrecision(4)} ms` : '∞'} → dv`, ideal: dvIdeal, used: dv, error: rel(dv, dvIdeal) });
  if (dvIdeal > F.DECAY_MAX + 0.5) approx.push(`${where}: τ_m is shorter than dt allows (dv ${dvIdeal.toFixed(1)} > 4095); clipped to 4095`);
  let du: number;
  const input: 'u' | 'v' = driven ?? (sh.s ? 'u' : 'v');
  if (input === 'u') {
    const duIdeal = F.DECAY_UNITY * -Math.expm1(-dt / tauS) - F.DU_OFFSET;
    du = Math.max(0, Math.min(F.DECAY_MAX, Math.round(duIdeal)));
    steps.push({ where, what: `τ_S ${(tauS * 1e3).toPrecision(4)} ms → du (+1 on chip)`, ideal: duIdeal, used: du, error: rel(du + 1, duIdeal + 1) });
    if (duIdeal < -0.5) approx.push(`${where}: τ_S is so long that du + 1 rounds to less than 1; du = 0 gives τ_S = 4096 steps`);
  } else {
    du = F.DECAY_MAX;
    steps.push({ where, what: 'input into v (voltage jumps) → du = 4095 (u holds one step of input)', ideal: F.DECAY_MAX, used: du, error: 0 });
  }
  // Charge of one unit of S into v (units of u per unit of S), and of one unit of V jump.
  const uPerS = input === 'u' ? scale * mS * K * (tauS * -Math.expm1(-dt / tauS)) / dt : 0;
  for (const [what, x] of [['the voltage scale', scale], ['dv', dvIdeal], ['du', du], ['the weight scale into u', uPerS]] as const) if (!Number.isFinite(x)) throw nonFinite(pop, what);
  // Bias per neuron: b = c + mV·V_r at S = 0.
  const biasMant = new Int32Array(n);
  const biasExp = new Int32Array(n);
  let worst = 0;
  let worstIdeal = 0;
  let worstUsed = 0;
  let clipped = 0;
  const cache = new Map<string, { mant: number; exp: number; clipped: boolean; ideal: number }>();
  for (let i = 0; i < n; i++) {
    const key = sh.consts.map((c) => pop.initial.get(c)![i]).join(',');
    let b = cache.get(key);
    if (!b) {
      const drive = f(vR, 0, i);
      const ideal = scale * drive * K;
      if (!Number.isFinite(ideal)) throw nonFinite(pop, `the drive of neuron ${i}`);
      b = { ...fitBias(ideal), ideal };
      cache.set(key, b);
    }
    biasMant[i] = b.mant;
    biasExp[i] = b.exp;
    const used = F.effectiveBias(b.mant, b.exp);
    const e = rel(used, b.ideal);
    if (b.clipped) clipped++;
    if (e > worst || i === 0) {
      worst = e;
      worstIdeal = b.ideal;
      worstUsed = used;
    }
  }
  steps.push({ where, what: 'drive at reset → bias mantissa · 2^exp (worst neuron)', ideal: worstIdeal, used: worstUsed, error: worst });
  if (clipped) approx.push(`${where}: the bias of ${clipped} neuron(s) exceeds 4095 · 2^7 and was clipped`);
  // Refractory period.
  let refractory = 0;
  if (m.refractory) {
    const r = pop.refrSteps;
    if (!('value' in r)) throw new PlanError(`${where}: the refractory period differs between neurons; Loihi's is one per compartment configuration`, 'unsupported');
    refractory = Math.max(0, r.value - 1);
    if (refractory > F.REFRACT_MAX) throw new PlanError(`${where}: a refractory period of ${r.value} steps exceeds Loihi's ${F.REFRACT_MAX + 1}; lengthen dt or shorten t_ref`, 'unsupported');
  }
  // Initial state.
  const u0 = new Int32Array(n);
  const v0 = new Int32Array(n);
  const V0 = pop.initial.get(sh.v)!;
  const S0 = sh.s ? pop.initial.get(sh.s)! : undefined;
  for (let i = 0; i < n; i++) {
    v0[i] = F.saturateV(Math.trunc((V0[i] - vR) * scale));
    if (S0 && S0[i] !== 0) {
      if (input !== 'u') throw new PlanError(`${where}: ${sh.s} starts at ${S0[i]} but the connections drive ${sh.v}; Loihi's u holds only one of them`, 'unsupported');
      u0[i] = F.wrapU(Math.trunc(S0[i] * uPerS));
    }
  }
  return { name: pop.name, index: pop.index, kind: 'lif', size: n, shape: sh, du, dv, vth, biasMant, biasExp, refractory, u0, v0, scale, vReset: vR, uPerS, input };
}

function sourcePop(pop: PopPlan): LoihiPop {
  const z = new Int32Array(0);
  return { name: pop.name, index: pop.index, kind: 'source', size: pop.size, du: 0, dv: 0, vth: 0, biasMant: z, biasExp: z, refractory: 0, u0: z, v0: z, scale: 0, vReset: 0, uPerS: 0, input: 'u' };
}

/** Δu per unit of weight into `variable` of a converted population. */
function gainOf(lp: LoihiPop, variable: string): number {
  const sh = lp.shape!;
  if (variable === sh.s && lp.input === 'u') return lp.uPerS;
  // A voltage jump, decayed by one step of the chip's own dv (the float engine adds it before decaying).
  return lp.scale * (1 - lp.dv / F.DECAY_UNITY);
}

function convertProj(plan: Plan, pr: ProjPlan, pops: LoihiPop[], steps: QuantStep[], approx: string[]): LoihiProj {
  const conn = plan.ir.connections[pr.connection];
  const name = conn.name ?? `${pr.source.name} -> ${pr.target.name}`;
  const where = `connection ${name}`;
  const lt = pops[pr.target.index];
  if (lt.kind !== 'lif') throw new PlanError(`${where}: its target is not a neuron population`, 'unsupported');
  const gain = gainOf(lt, pr.ring.variable);
  if (!Number.isFinite(gain)) throw nonFinite(pr.target, `the weight scale of ${where}`);
  const mem = plan.memory.buffer;
  const wf = new Float32Array(mem, pr.weightOffset, pr.synapses);
  const col = new Int32Array(mem, pr.colOffset, pr.synapses).slice();
  const ideal = new Float64Array(pr.synapses);
  let min = 0;
  let max = 0;
  for (let k = 0; k < pr.synapses; k++) {
    const q = (wf[k] * gain) / 2 ** F.ACT_SHIFT;
    if (!Number.isFinite(q)) throw new PlanError(`${where}: weight ${k} is not finite (NaN in conversion)`, 'input', connectionWhere(conn.name, pr.connection, 'weight'));
    ideal[k] = q;
    if (q < min) min = q;
    if (q > max) max = q;
  }
  const mode = F.signModeOf(ideal);
  let exp = F.weightExpFor(min, max, mode);
  if (exp < F.WEIGHT_EXP_MIN) {
    approx.push(`${where}: weights need a weight exponent of ${exp}, below Loihi's ${F.WEIGHT_EXP_MIN}; small weights lose precision`);
    exp = F.WEIGHT_EXP_MIN;
  }
  if (exp > F.WEIGHT_EXP_MAX) {
    approx.push(`${where}: weights need a weight exponent of ${exp}, above Loihi's ${F.WEIGHT_EXP_MAX}; they are clipped`);
    exp = F.WEIGHT_EXP_MAX;
  }
  const weights = new Int32Array(pr.synapses);
  let se = 0;
  let si = 0;
  let zeroed = 0;
  for (let k = 0; k < pr.synapses; k++) {
    const x = ideal[k] / 2 ** exp;
    const r = mode === 'mixed' ? 2 * Math.round(x / 2) : Math.round(x);
    const w = F.denseWeight(r, mode);
    weights[k] = w;
    const used = w * 2 ** exp;
    se += (used - ideal[k]) ** 2;
    si += ideal[k] ** 2;
    if (w === 0 && ideal[k] !== 0) zeroed++;
  }
  const rms = si === 0 ? 0 : Math.sqrt(se / si);
  steps.push({ where, what: `${pr.synapses} weights → 8-bit ${mode} mantissas, weight_exp ${exp}`, ideal: max || min, used: F.denseWeight(mode === 'mixed' ? 2 * Math.round((max || min) / 2 ** exp / 2) : Math.round((max || min) / 2 ** exp), mode) * 2 ** exp, error: rms, note: zeroed ? `${zeroed} nonzero weight(s) round to 0` : undefined });
  if (zeroed) approx.push(`${where}: ${zeroed} of ${pr.synapses} weights round to 0 at 8 bits`);
  let delay: number | Int32Array;
  let maxDelay: number;
  if ('value' in pr.delay) {
    delay = pr.delay.value;
    maxDelay = delay;
  } else {
    delay = new Int32Array(mem, pr.delay.offset, pr.synapses).slice();
    maxDelay = delay.reduce((a, b) => Math.max(a, b), 0);
  }
  if (maxDelay > F.DELAY_MAX) throw new PlanError(`${where}: a delay of ${maxDelay} steps exceeds Loihi's ${F.DELAY_MAX}; lengthen dt or shorten the delay`, 'unsupported', connectionWhere(conn.name, pr.connection, 'delay'));
  return { index: pr.index, name, source: pr.source.index, target: pr.target.index, src: pr.src, tgt: pr.tgt, rowptr: pr.rowptr.slice(), col, weights, weightExp: exp, signMode: mode, delay, maxDelay };
}

/** Converts a plan (which it reads, never changes) into Loihi's integers. */
export function convertPlan(plan: Plan): LoihiProgram {
  const steps: QuantStep[] = [];
  const approximations: string[] = [];
  const driven = new Map<number, 'u' | 'v'>();
  for (const pr of plan.projs) {
    const conn = plan.ir.connections[pr.connection];
    const t = connectionTarget(conn, plan.ir);
    if (typeof t === 'string') throw new PlanError(t, 'unsupported');
    if (pr.plastic || pr.segments || pr.pathway) throw new PlanError(`connection ${conn.name ?? pr.index}: not a static dense connection`, 'unsupported');
    const m = pr.target.model;
    const sh = m ? lifShape(m) : undefined;
    if (sh && typeof sh !== 'string') driven.set(pr.target.index, t.variable === sh.v ? 'v' : 'u');
  }
  if (plan.currentSteps.length) throw new PlanError('current steps are not emulated on Loihi', 'unsupported');
  const pops = plan.pops.map((p) => (p.kind === 'neuron' ? convertPop(plan, p, driven.get(p.index), steps, approximations) : sourcePop(p)));
  const projs = plan.projs.map((pr) => convertProj(plan, pr, pops, steps, approximations));
  return { pops, projs, steps, approximations, dt: plan.dt };
}
