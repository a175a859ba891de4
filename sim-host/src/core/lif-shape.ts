// Which float models the chip's LIF neuron can express, decided from the IR alone (the
// backend's cannotRun): one membrane variable V with `spike when V > θ` and `reset { V = c }`,
// dV/dt affine in V with constant coefficients, at most one synaptic current S with
// dS/dt = −S/τ_S feeding V linearly (Loihi's u, SpiNNaker's synaptic input), state variables without equations as constant
// drive (folded into the bias), a constant refractory period; static `x += w` / `x -= w`
// connections into V or S. Everything else is refused with the reason: conductance synapses
// (a state times V), plasticity, noise, adaptation variables, scheduled operations, links,
// current steps, summed variables, dendritic segments, pathways.
import type { ConnectionIR, ExprIR, ModelDefIR, ModelIR } from '../../../protocol/ir';
import { affine } from './ir-algebra';

export interface LifShape {
  /** The membrane variable (Loihi's v). */
  v: string;
  /** The synaptic current (Loihi's u), if the model has one. */
  s?: string;
  /** State variables without an equation, read as constant drive (bias). */
  consts: string[];
}

const NOISE = new Set(['rand', 'randn', 'xi']);

function walk(e: ExprIR, f: (e: ExprIR) => void): void {
  f(e);
  if ('args' in e) for (const a of e.args) walk(a, f);
}

export function statesIn(e: ExprIR, aliases: Map<string, ExprIR>, out = new Set<string>(), depth = 0): Set<string> {
  if (depth > 64) return out;
  walk(e, (x) => {
    if (x.op === 'state') out.add(x.name);
    if (x.op === 'alias') {
      const d = aliases.get(x.name);
      if (d) statesIn(d, aliases, out, depth + 1);
    }
  });
  return out;
}

function hasNoise(e: ExprIR, aliases: Map<string, ExprIR>, depth = 0): boolean {
  let found = false;
  walk(e, (x) => {
    if (x.op === 'call' && NOISE.has(x.fn)) found = true;
    if (x.op === 'alias' && depth < 64) {
      const d = aliases.get(x.name);
      if (d && hasNoise(d, aliases, depth + 1)) found = true;
    }
  });
  return found;
}

/** The LIF shape of a neuron model, or why the chip's LIF neuron cannot express it. */
export function lifShape(m: ModelDefIR): LifShape | string {
  const aliases = new Map(m.aliases.map((a) => [a.name, a.expr]));
  const sp = m.spike;
  if (!sp) return `${m.name} has no spike condition`;
  if (sp.op !== 'gt' || sp.args[0].op !== 'state' || statesIn(sp.args[1], aliases).size) {
    return `${m.name}: the chip spikes on v > threshold (a constant); 'spike when' must have that form`;
  }
  const v = sp.args[0].name;
  if (m.reset.length === 0) return `${m.name} has no reset; the chip's LIF neuron resets v to a constant after a spike`;
  if (m.reset.length !== 1 || m.reset[0].op !== '=' || m.reset[0].target.kind !== 'state' || m.reset[0].target.name !== v || statesIn(m.reset[0].value, aliases).size) {
    return `${m.name}: the chip's reset sets v to one constant and nothing else ('reset { ${v} = V_reset }'); this reset does more`;
  }
  if (m.refractory_when) return `${m.name}: 'refractory when' has no equivalent on the chip (a constant refractory period has)`;
  if (m.refractory && statesIn(m.refractory, aliases).size) return `${m.name}: the refractory period must be a constant`;
  if (m.on_pre.length || m.on_post.length || m.summed?.length) return `${m.name}: not a neuron model the chip's LIF neuron runs`;
  for (const o of m.odes) {
    if (hasNoise(o.rhs, aliases)) return `${m.name}: d${o.variable}/dt has noise (rand/randn/xi), which the chip's LIF neuron lacks`;
  }
  const withOde = new Set(m.odes.map((o) => o.variable));
  const vOde = m.odes.find((o) => o.variable === v);
  const consts = m.state.map((s) => s.name).filter((n) => !withOde.has(n));
  if (vOde) {
    const f = affine(vOde.rhs, v, aliases);
    const bStates = f ? statesIn(f.b, aliases) : new Set<string>();
    if (bStates.size) {
      return `${m.name}: d${v}/dt multiplies ${v} by ${[...bStates].join(', ')} — a conductance synapse; the chip's LIF neuron adds a current (use a current-based model)`;
    }
  }
  const others = m.odes.filter((o) => o.variable !== v);
  if (others.length > 1) {
    return `${m.name}: the chip's LIF neuron has two state variables (a current and v); ${m.name} integrates ${m.odes.length} (${m.odes.map((o) => o.variable).join(', ')})`;
  }
  const s = others[0]?.variable;
  if (s) {
    const f = affine(others[0].rhs, s, aliases);
    if (!f || statesIn(f.b, aliases).size || statesIn(f.a, aliases).size) {
      return `${m.name}: d${s}/dt must be −${s}/τ (a decaying synaptic current)`;
    }
  }
  if (vOde) {
    const f = affine(vOde.rhs, v, aliases);
    if (!f) return `${m.name}: d${v}/dt is not linear in ${v}`;
    const bStates = statesIn(f.b, aliases);
    if (bStates.size) {
      return `${m.name}: d${v}/dt multiplies ${v} by ${[...bStates].join(', ')} — a conductance synapse; the chip's LIF neuron adds a current (use a current-based model)`;
    }
    if (s) {
      const g = affine(f.a, s, aliases);
      if (!g || statesIn(g.b, aliases).size) return `${m.name}: d${v}/dt must be linear in ${s}`;
      for (const x of statesIn(g.a, aliases)) if (!consts.includes(x)) return `${m.name}: d${v}/dt reads ${x}, which the chip's LIF neuron cannot hold`;
    } else {
      for (const x of statesIn(f.a, aliases)) if (!consts.includes(x)) return `${m.name}: d${v}/dt reads ${x}, which the chip's LIF neuron cannot hold`;
    }
  }
  return { v, s, consts };
}

/** The variable a static connection drives, or why the chip's synapses cannot run it. */
export function connectionTarget(c: ConnectionIR, ir: ModelIR, chip = 'the chip'): { variable: string } | string {
  const name = c.name ?? `${c.sources.map((x) => x.name).join(', ')} -> ${c.targets.map((x) => x.name).join(', ')}`;
  if (c.pathways?.length) return `connection ${name}: several pathways have no equivalent on ${chip}`;
  if (c.segments) return `connection ${name}: dendritic segments are not emulated on ${chip}`;
  if (c.modulated_by) return `connection ${name}: modulated synapses are not emulated on ${chip}`;
  if (c.on_post?.length) return `connection ${name}: on_post (plasticity) is not emulated on ${chip}`;
  if (c.synapse) {
    const m = ir.models[c.synapse.model];
    if (m?.summed?.length) return `connection ${name}: synapse model ${m.name} sets a summed variable every step (a gap junction); the chip's synapses only add weights on spikes`;
    if (m && (m.state.length || m.on_post.length || m.summed?.length || m.odes.length)) {
      return `connection ${name}: synapse model ${m.name} has state or learning (plasticity the chip's static synapses lack)`;
    }
  }
  const stmts = c.on_pre ?? [{ target: { kind: 'target' as const }, op: '+=' as const, value: { op: 'weight' as const } }];
  if (stmts.length !== 1) return `connection ${name}: the chip's synapse adds one weight per spike (x += w); this one runs ${stmts.length} statements`;
  const st = stmts[0];
  if ((st.op !== '+=' && st.op !== '-=') || st.value.op !== 'weight') return `connection ${name}: the chip's synapse adds the weight (x += w or x -= w)`;
  const variable = st.target.kind === 'target' ? c.target : st.target.kind === 'post' || st.target.kind === 'state' ? st.target.name : undefined;
  if (!variable) return `connection ${name}: no target variable`;
  return { variable };
}

/** Why the emulation of `chip` (a LIF chip: Loihi 2, SpiNNaker 2) cannot run this model, or undefined. */
export function lifCannotRun(ir: ModelIR, chip: string): string | undefined {
  const shapes = new Map<string, LifShape>();
  for (const p of ir.populations) {
    if (p.schedules?.length) return `population ${p.name}: scheduled operations (every/at) are not emulated on ${chip}`;
    if (p.links?.length) return `population ${p.name}: linked parameters are not emulated on ${chip}`;
    const m = ir.models[p.model];
    const sh = lifShape(m);
    if (typeof sh === 'string') return `population ${p.name}: ${sh}`;
    shapes.set(p.name, sh);
  }
  for (const inp of ir.inputs) {
    if (inp.kind === 'current_step') return `input ${inp.name}: a current step changes a state variable from the host; not emulated on ${chip}`;
  }
  const driven = new Map<string, string>();
  for (const c of ir.connections) {
    const t = connectionTarget(c, ir, chip);
    if (typeof t === 'string') return t;
    for (const sel of c.targets) {
      const sh = shapes.get(sel.name);
      if (!sh) continue;
      if (t.variable !== sh.v && t.variable !== sh.s) {
        return `connection into ${sel.name}: it drives ${t.variable}; the chip's neuron takes input into its current (${sh.s ?? 'none'}) or its voltage (${sh.v})`;
      }
      const before = driven.get(sel.name);
      if (before && before !== t.variable) {
        return `population ${sel.name}: connections drive both ${before} and ${t.variable}; one chip neuron takes input into one of them (split the population or use one target)`;
      }
      driven.set(sel.name, t.variable);
    }
  }
  for (const pr of ir.probes) {
    if (pr.variable === 'spikes' || pr.variable === 'rate') continue;
    for (const sel of pr.targets) {
      const sh = shapes.get(sel.name);
      if (!sh || (pr.variable !== sh.v && pr.variable !== sh.s)) return `probe ${pr.variable}(${sel.name}): only spikes, v and the synaptic current are read back from the ${chip} emulation`;
    }
  }
  return undefined;
}
