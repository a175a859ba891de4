// `approximate: conductance` in a target block: a conductance-based (COBA-style) model rewritten
// as the current-based model the chips run (IR → IR, before the plan). Each conductance input
// g·(E − v) of dv/dt becomes the current g·(E − v_op) at the operating point
// v_op = (V_reset + V_th) / 2 — the middle of the range the membrane lives in between a reset and
// the next spike, so that the driving force is exact there and off by at most (V_th − V_reset)/2
// at either end. The chips' neuron has one synaptic current, so a neuron's conductances become one
// current S with the first conductance's τ; a spike into g adds w·c_g·τ_g/τ_S to S, where
// c_g = ∂(dv/dt)/∂g at v_op: the charge it delivers is that of g·(E − v_op) decaying with τ_g.
// Initial conductances are not carried over (as a current their means would push v past the
// reversal potentials that bound a conductance); the current starts at 0. Every step is listed.
// Shared by both targets (neither imports the other); the state variables keep their order up
// to the first conductance, so v's initial values and the connectivity draw the same numbers.
import type { ConnectionIR, ExprIR, ModelDefIR, ModelIR, PopulationIR, ValueIR } from '../../../protocol/ir';
import { affine, fold, isConst, K } from '../core/ir-algebra';
import { statesIn } from '../core/lif-shape';

/** One conductance of one population, as converted. */
export interface ConductanceStep {
  population: string;
  conductance: string;
  /** The operating point (V). */
  v_op: number;
  /** ∂(dv/dt)/∂g at v_op (V/s per S): (E − v_op)/C for g·(E − v)/C. */
  coefficient: number;
  tau: number;
  /** What a weight (S) is multiplied by to become the current S's jump (V/s). */
  weight_factor: number;
}

export interface ConductanceApproximation {
  ir: ModelIR;
  steps: ConductanceStep[];
  notes: string[];
  /** The populations converted and the name of their current. */
  currents: Map<string, string>;
}

export const CURRENT_NAME = 'I_cond';

function inline(e: ExprIR, aliases: Map<string, ExprIR>, depth = 0): ExprIR {
  if (depth > 64) return e;
  if (e.op === 'alias') {
    const d = aliases.get(e.name);
    return d ? inline(d, aliases, depth + 1) : e;
  }
  if ('args' in e) return { ...e, args: e.args.map((a) => inline(a, aliases, depth + 1)) } as ExprIR;
  return e;
}

function subst(e: ExprIR, name: string, by: ExprIR): ExprIR {
  if (e.op === 'state' && e.name === name) return by;
  if ('args' in e) return { ...e, args: e.args.map((a) => subst(a, name, by)) } as ExprIR;
  return e;
}

const mean = (v: ValueIR): number => (v.kind === 'const' ? v.value : v.kind === 'list' ? v.values.reduce((a, x) => a + x, 0) / Math.max(1, v.values.length) : v.dist === 'normal' || v.dist === 'exponential' ? v.args[0] : v.dist === 'uniform' ? (v.args[0] + v.args[1]) / 2 : v.args[0] * Math.exp((v.args[1] * v.args[1]) / 2));

function scaled(v: ValueIR, k: number): ValueIR {
  if (v.kind === 'const') return { kind: 'const', value: v.value * k };
  if (v.kind === 'list') return { ...v, values: v.values.map((x) => x * k) };
  if (v.dist === 'lognormal') return { ...v, args: [v.args[0] * k, v.args[1]] };
  if (v.dist === 'exponential') return { ...v, args: [v.args[0] * k] };
  return { ...v, args: v.args.map((x) => x * k) };
}

/** A conductance model converted for one population, or why it cannot be. */
function convertModel(m: ModelDefIR, pop: PopulationIR, dt: number): { model: ModelDefIR; steps: ConductanceStep[]; tauS: number } | string {
  const aliases = new Map(m.aliases.map((a) => [a.name, a.expr]));
  const consts = (name: string): number | undefined => {
    const p = pop.parameters[name];
    if (p) return p.kind === 'const' ? p.value : undefined;
    return m.parameters.find((x) => x.name === name)?.default;
  };
  const num = (e: ExprIR): number | undefined => {
    const f = fold(inline(e, aliases), consts, dt, pop.size);
    return isConst(f) ? f.value : undefined;
  };
  const sp = m.spike;
  if (!sp || sp.op !== 'gt' || sp.args[0].op !== 'state') return `${m.name}: the spike condition is not v > threshold`;
  const v = sp.args[0].name;
  const vTh = num(sp.args[1]);
  const vReset = m.reset.length === 1 && m.reset[0].target.kind === 'state' && m.reset[0].target.name === v ? num(m.reset[0].value) : undefined;
  if (vTh === undefined || vReset === undefined) return `${m.name}: the threshold and reset must be constants to place the operating point`;
  const vOp = (vReset + vTh) / 2;
  const vOde = m.odes.find((o) => o.variable === v);
  if (!vOde) return `${m.name}: no equation for ${v}`;
  const rhs = inline(vOde.rhs, aliases);
  const f = affine(rhs, v, aliases);
  if (!f) return `${m.name}: d${v}/dt is not linear in ${v}`;
  const gs = [...statesIn(f.b, aliases)];
  if (!gs.length) return `${m.name}: no conductance to approximate`;
  const steps: ConductanceStep[] = [];
  for (const g of gs) {
    const ode = m.odes.find((o) => o.variable === g);
    const fg = ode && affine(inline(ode.rhs, aliases), g, aliases);
    const rate = fg && isConst(fold(fg.a, consts, dt, pop.size)) && (fold(fg.a, consts, dt, pop.size) as { value: number }).value === 0 ? num(fg.b) : undefined;
    if (rate === undefined || !(rate < 0)) return `${m.name}: conductance ${g} must decay as d${g}/dt = −${g}/τ with a constant τ`;
    const lin = affine(rhs, g, aliases);
    const c = lin && num(subst(lin.b, v, K(vOp)));
    if (c === undefined || !Number.isFinite(c)) return `${m.name}: d${v}/dt must be linear in ${g} with constant coefficients (population ${pop.name})`;
    steps.push({ population: pop.name, conductance: g, v_op: vOp, coefficient: c, tau: -1 / rate, weight_factor: 0 });
  }
  const tauS = steps[0].tau;
  for (const s of steps) s.weight_factor = (s.coefficient * s.tau) / tauS;
  // dv/dt with every conductance at zero, plus the current.
  let newRhs: ExprIR = rhs;
  for (const g of gs) newRhs = subst(newRhs, g, K(0));
  newRhs = { op: 'add', args: [newRhs, { op: 'state', name: CURRENT_NAME }] };
  const vDim = m.state.find((x) => x.name === v)!.dim;
  const first = m.state.findIndex((x) => gs.includes(x.name));
  const state = m.state.filter((x) => !gs.includes(x.name));
  // The current takes the first conductance's place (SI dims [m, kg, s, A, K, mol, cd]: V/s).
  state.splice(first, 0, { name: CURRENT_NAME, dim: vDim.map((x, k) => (k === 2 ? x - 1 : x)) as ModelDefIR['state'][number]['dim'], init: K(0) });
  const odes = [
    ...m.odes.filter((o) => o.variable !== v && !gs.includes(o.variable)),
    { variable: v, rhs: newRhs, linear: true },
    { variable: CURRENT_NAME, rhs: { op: 'div', args: [{ op: 'neg', args: [{ op: 'state', name: CURRENT_NAME }] }, K(tauS)] } as ExprIR, linear: true },
  ];
  return { model: { ...m, name: `${m.name}@${pop.name}~current`, state, odes }, steps, tauS };
}

/**
 * The model with every conductance input of the populations whose neuron model has one rewritten
 * as a current (see the header), or why it cannot be. Connections into a conductance drive the
 * current with scaled weights; a connection into populations whose factors differ is refused.
 */
export function approximateConductance(ir: ModelIR): ConductanceApproximation | string {
  const models = { ...ir.models };
  const steps: ConductanceStep[] = [];
  const notes: string[] = [];
  const currents = new Map<string, string>();
  const factors = new Map<string, Map<string, number>>();
  const populations = ir.populations;
  const out: PopulationIR[] = [];
  for (const p of populations) {
    const m = ir.models[p.model];
    const sp = m.spike;
    const v = sp && sp.op === 'gt' && sp.args[0].op === 'state' ? sp.args[0].name : undefined;
    const vOde = v ? m.odes.find((o) => o.variable === v) : undefined;
    const aliases = new Map(m.aliases.map((a) => [a.name, a.expr]));
    const lin = vOde && v ? affine(vOde.rhs, v, aliases) : undefined;
    if (!lin || !statesIn(lin.b, aliases).size) {
      out.push(p);
      continue;
    }
    const c = convertModel(m, p, ir.simulate.dt);
    if (typeof c === 'string') return `population ${p.name}: ${c}`;
    models[c.model.name] = c.model;
    steps.push(...c.steps);
    currents.set(p.name, CURRENT_NAME);
    factors.set(p.name, new Map(c.steps.map((s) => [s.conductance, s.weight_factor])));
    const init: Record<string, ValueIR> = {};
    let i0 = 0;
    for (const [k, val] of Object.entries(p.init)) {
      const s = c.steps.find((x) => x.conductance === k);
      if (s) i0 += mean(val) * s.weight_factor;
      else init[k] = val;
    }
    for (const s of c.steps) if (!(s.conductance in p.init)) {
      const e = fold(m.state.find((x) => x.name === s.conductance)!.init, () => undefined, ir.simulate.dt, p.size);
      if (isConst(e)) i0 += e.value * s.weight_factor;
    }
    if (i0 !== 0) {
      // Not carried over: as a current the mean initial conductances would move v by i0·τ_S at
      // once — past the reversal potentials the conductances cap it at (coba.snn: −39 V/s × 5 ms
      // ≈ −195 mV, and the network falls silent). The converted run starts with the current at 0.
      notes.push(`population ${p.name}: initial conductances (${c.steps.map((s) => s.conductance).join(', ')}) not carried over: as a current at v_op their means would move v by ${+(i0 * c.tauS * 1e3).toPrecision(3)} mV, past the reversal potentials that bound a conductance; the current starts at 0`);
    }
    const vOp = c.steps[0].v_op;
    for (const s of c.steps) {
      notes.push(`population ${p.name}: conductance ${s.conductance} → current ${s.conductance}·(E − v_op) at v_op = ${+(vOp * 1e3).toPrecision(4)} mV ((V_reset + V_th)/2), ${+(s.coefficient * 1e-9).toPrecision(4)} V/s per nS${s.tau !== c.tauS ? `; its τ ${+(s.tau * 1e3).toPrecision(4)} ms → ${+(c.tauS * 1e3).toPrecision(4)} ms (the chip's one synaptic current), weights ×${+(s.tau / c.tauS).toPrecision(4)} to keep the charge per spike` : ''}`);
    }
    out.push({ ...p, model: c.model.name, init });
  }
  const connections: ConnectionIR[] = [];
  for (const c of ir.connections) {
    const ks = c.targets.map((t) => (c.target ? factors.get(t.name)?.get(c.target) : undefined));
    if (ks.every((k) => k === undefined)) {
      connections.push(c);
      continue;
    }
    if (c.on_pre && !c.on_pre.every((st) => st.target.kind === 'target' && (st.op === '+=' || st.op === '-=') && st.value.op === 'weight')) return `connection ${c.name ?? c.target}: statements into conductance ${c.target} are not converted; write it as \`target: ${c.target}\``;
    if (ks.some((k) => k === undefined || k !== ks[0])) return `connection ${c.name ?? `${c.sources.map((s) => s.name).join(', ')} -> ${c.targets.map((t) => t.name).join(', ')}`}: its targets convert ${c.target} differently; split the connection`;
    connections.push({ ...c, target: CURRENT_NAME, weight: scaled(c.weight, ks[0]!) });
  }
  return { ir: { ...ir, models, populations: out, connections }, steps, notes, currents };
}
