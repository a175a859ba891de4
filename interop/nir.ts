// NIR (the Neuromorphic Intermediate Representation) in and out, as pure functions over a graph
// value; the HDF5 file is read and written by io/nir-file.ts (h5wasm) in the reference
// library's layout (RESEARCH.md §F: root dataset `version`, group `node` with `type` "NIRGraph",
// `nodes/<name>/{type, fields…}`, `edges` as an (E, 2) string dataset, `metadata`).
//
// Export: a population of the prelude LIF (current-based, exponential synaptic current) is a
// CubaLIF node (SI units: tau in s, v in V, r in Ω; w_in = 1: a spike through a weight w adds w
// to the synaptic current, as `target: I_syn` does); a connection onto I_syn with fixed synapses
// (all_to_all, one_to_one) is a Linear node (weight out × in, A) followed by a Delay node (s)
// when it has a delay; a model that computes NIR's LIF, IF, LI or CubaLI (nirNeuronShape: judged by
// its equations, not its name — the models `nir import` writes are such) is that node, with r = 1 Ω
// (w_in = 1) and R (w_in) kept in the weights; a spike_array or Poisson input is an Input node (its spikes or rate kept
// in the graph's metadata for our import: NIR cannot say them); a spike probe is an Output node.
// What NIR cannot say is a warning per item (refractoriness, initial values, Poisson sources)
// or refused where the graph would mean something else (conductance synapses, plasticity,
// random connectivity, current inputs).
// Import: CubaLIF → prelude LIF; LIF, IF, LI and CubaLI → neuron models written into the file
// from NIR's equations (NirLIF, NirIF, NirLI, NirCubaLI); Linear/Affine (+ Delay) → all_to_all
// connection with the weights as a list, Input → spike_array (from metadata when there),
// Output → probe spikes (spiking nodes) or probe v (LI, CubaLI).
// How a spike enters a node (NIR's equations take a Dirac train S and leave the discretisation to
// each backend): a spike through a Linear weight W moves the node's input-driven state by its
// input coefficient times W, at once — CubaLIF / CubaLI: I += w_in·W (as Norse and our export do);
// LIF / LI: v += R·W; IF: v += R·W (snnTorch's `mem = β·mem + W·x` is this with R = 1).
import type { ExprIR, ModelDefIR, ModelIR, ValueIR } from '../protocol/ir';
import type { Refusal, Where } from './refusal';

export interface NirArray {
  data: number[];
  shape: number[];
}
export type NirValue = NirArray | string;
export interface NirNode {
  type: string;
  fields: Record<string, NirValue>;
}
export interface NirGraph {
  version: string;
  nodes: Record<string, NirNode>;
  edges: [string, string][];
  metadata: Record<string, NirValue>;
}

export const NIR_VERSION = '1.0.7';
const NEURON_TYPES = new Set(['CubaLIF', 'LIF', 'IF', 'LI', 'CubaLI']);
/** Nodes without a spike condition: their Output is the membrane potential. */
const NON_SPIKING = new Set(['LI', 'CubaLI']);
const KNOWN_TYPES = new Set(['Input', 'Output', 'CubaLIF', 'LIF', 'IF', 'LI', 'CubaLI', 'I', 'Linear', 'Affine', 'Delay', 'Scale', 'Threshold', 'Flatten', 'Conv1d', 'Conv2d', 'SumPool2d', 'AvgPool2d', 'NIRGraph']);

const arr = (data: number[], shape = [data.length]): NirArray => ({ data, shape });
const isPreludeLIF = (m: ModelDefIR) => m.name === 'LIF' && /\/prelude\/neurons\.snn$/.test(m.source.uri);

/** The value of an expression of the subset NIR's equations use (numbers, names, + − × ÷, comparisons), or undefined. */
function evalExpr(e: ExprIR, env: Record<string, number>): number | undefined {
  switch (e.op) {
    case 'const':
      return e.value;
    case 'param':
    case 'state':
      return env[e.name];
    case 'neg': {
      const x = evalExpr(e.args[0], env);
      return x === undefined ? undefined : -x;
    }
    case 'add': case 'sub': case 'mul': case 'div': case 'gt': case 'ge': {
      const x = evalExpr(e.args[0], env);
      const y = evalExpr(e.args[1], env);
      if (x === undefined || y === undefined) return undefined;
      return e.op === 'add' ? x + y : e.op === 'sub' ? x - y : e.op === 'mul' ? x * y : e.op === 'div' ? x / y : e.op === 'gt' ? Number(x > y) : Number(x >= y);
    }
    default:
      return undefined;
  }
}

type NirNeuronType = 'LIF' | 'IF' | 'LI' | 'CubaLI';

/** NIR's LIF, IF, LI and CubaLI as shapes a model may have: names, right-hand sides, spike and reset (the weights carry R and w_in, see the header). */
const NIR_SHAPES: Record<NirNeuronType, { params: string[]; state: string[]; odes: Record<string, (x: Record<string, number>) => number>; spikes: boolean }> = {
  LIF: { params: ['tau', 'v_leak', 'v_threshold', 'v_reset'], state: ['v'], odes: { v: (x) => (x.v_leak - x.v) / x.tau }, spikes: true },
  IF: { params: ['v_threshold', 'v_reset'], state: ['v'], odes: {}, spikes: true },
  LI: { params: ['tau', 'v_leak'], state: ['v'], odes: { v: (x) => (x.v_leak - x.v) / x.tau }, spikes: false },
  CubaLI: { params: ['tau_mem', 'tau_syn', 'R', 'v_leak'], state: ['v', 'I_syn'], odes: { v: (x) => (x.v_leak - x.v + x.R * x.I_syn) / x.tau_mem, I_syn: (x) => -x.I_syn / x.tau_syn }, spikes: false },
};

/**
 * Which of NIR's LIF, IF, LI and CubaLI a neuron model is, judged by what it computes (its
 * parameter and state names, its right-hand sides evaluated at random points, its spike
 * condition and reset), whatever its name; undefined when it is none of them.
 */
export function nirNeuronShape(m: ModelDefIR): NirNeuronType | undefined {
  if (m.kind !== 'neuron' || m.aliases.length || m.refractory || m.refractory_when || m.on_pre.length || m.on_post.length) return undefined;
  const names = (xs: { name: string }[]) => xs.map((x) => x.name).sort().join(',');
  let seed = 12345;
  const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  for (const [type, shape] of Object.entries(NIR_SHAPES) as [NirNeuronType, (typeof NIR_SHAPES)[NirNeuronType]][]) {
    if (names(m.parameters) !== [...shape.params].sort().join(',') || names(m.state) !== [...shape.state].sort().join(',')) continue;
    if (m.odes.length !== Object.keys(shape.odes).length || m.odes.some((o) => !shape.odes[o.variable])) continue;
    if (shape.spikes !== (m.spike !== null)) continue;
    if (shape.spikes && !(m.reset.length === 1 && m.reset[0].target.kind === 'state' && m.reset[0].target.name === 'v' && m.reset[0].op === '=' && m.reset[0].value.op === 'param' && m.reset[0].value.name === 'v_reset')) continue;
    let same = true;
    for (let k = 0; k < 8 && same; k++) {
      const env: Record<string, number> = {};
      for (const n of [...shape.params, ...shape.state]) env[n] = n.startsWith('tau') ? 1e-3 + rand() * 0.05 : n === 'R' ? 1e6 + rand() * 1e8 : n === 'I_syn' ? (rand() - 0.5) * 1e-9 : (rand() - 0.5) * 0.1;
      for (const o of m.odes) {
        const got = evalExpr(o.rhs, env);
        const want = shape.odes[o.variable](env);
        if (got === undefined || Math.abs(got - want) > 1e-9 * Math.max(1, Math.abs(want))) same = false;
      }
      if (m.spike) {
        const got = evalExpr(m.spike, env);
        if (got === undefined || Boolean(got) !== env.v > env.v_threshold) same = false;
      }
    }
    if (same) return type;
  }
  return undefined;
}

/** A population's value of a parameter or initial value, per neuron. */
function perNeuron(v: ValueIR | undefined, fallback: number, n: number): number[] | undefined {
  if (!v) return Array(n).fill(fallback);
  if (v.kind === 'const') return Array(n).fill(v.value);
  if (v.kind === 'list') return v.values.slice();
  return undefined;
}

export type NirExport = { ok: true; graph: NirGraph; warnings: Refusal[] } | { ok: false; refusals: Refusal[]; warnings: Refusal[] };

/** The NIR graph of a checked model, or why it cannot be one. */
export function toNir(ir: ModelIR): NirExport {
  const refusals: Refusal[] = [];
  const warnings: Refusal[] = [];
  const refuse = (where: Where, message: string) => refusals.push({ where, message });
  const warn = (where: Where, message: string) => warnings.push({ where, message });
  const nodes: Record<string, NirNode> = {};
  const edges: [string, string][] = [];
  const metadata: Record<string, NirValue> = { time_unit: 's', dt: arr([ir.simulate.dt]), duration: arr([ir.simulate.duration]), seed: arr([ir.simulate.seed]), source: 'spikeworks', model: ir.name };
  const sizes = new Map<string, number>();
  ir.populations.forEach((p, k) => {
    const where: Where = { kind: 'population', name: p.name, index: k };
    const m = ir.models[p.model];
    const shape = m && !isPreludeLIF(m) ? nirNeuronShape(m) : undefined;
    if (!m || (!isPreludeLIF(m) && !shape)) return refuse(where, `model ${p.model} has no NIR node: NIR's CubaLIF is the prelude LIF, and its LIF, IF, LI and CubaLI are the models \`nir import\` writes (NirLIF, …); conductance synapses, adaptation and other dynamics cannot be said in NIR`);
    if (p.schedules?.length || p.links?.length) return refuse(where, 'scheduled operations and linked parameters cannot be said in NIR');
    const def = (n: string) => m.parameters.find((x) => x.name === n)?.default ?? NaN;
    const get = (n: string) => perNeuron(p.parameters[n], def(n), p.size);
    if (shape) {
      // R and w_in live in the weights (see the header): the node gets r = 1 Ω (w_in = 1).
      const fields: Record<string, NirValue> = {};
      const own: [string, string][] = shape === 'CubaLI' ? [['tau_mem', 'tau_mem'], ['tau_syn', 'tau_syn'], ['r', 'R'], ['v_leak', 'v_leak']] : NIR_SHAPES[shape].params.map((x) => [x === 'tau' ? 'tau' : x, x]);
      for (const [nir, ours] of own) {
        const v = get(ours);
        if (!v) return refuse(where, `${ours} drawn from a distribution: NIR stores values; give a constant or a list`);
        fields[nir] = arr(v);
      }
      if (shape !== 'CubaLI') fields.r = arr(Array(p.size).fill(1));
      else fields.w_in = arr(Array(p.size).fill(1));
      const init0 = shape === 'IF' ? get('v_reset') : get('v_leak');
      const v0 = perNeuron(p.init.v, NaN, p.size);
      if (p.init.I_syn || (p.init.v && !(v0 && init0 && v0.every((x, q) => x === init0[q])))) warn(where, `NIR has no initial values: the initial ${Object.keys(p.init).join(', ')} of ${p.name} are not in the file`);
      nodes[p.name] = { type: shape, fields };
      sizes.set(p.name, p.size);
      return;
    }
    const fields: Record<string, NirValue> = {};
    for (const [nir, ours] of [['tau_mem', 'tau_m'], ['tau_syn', 'tau_syn'], ['r', 'R_m'], ['v_leak', 'E_l'], ['v_threshold', 'V_th'], ['v_reset', 'V_reset']] as const) {
      const v = get(ours);
      if (!v) return refuse(where, `${ours} drawn from a distribution: NIR stores values; give a constant or a list`);
      fields[nir] = arr(v);
    }
    fields.w_in = arr(Array(p.size).fill(1));
    const tRef = get('t_ref');
    if (!tRef || tRef.some((x) => x !== 0)) warn(where, `NIR has no refractory period: t_ref of ${p.name} is not in the file (an import gets t_ref = 0 ms, so spikes differ after the first one of each neuron)`);
    const ie = perNeuron(p.init.I_e, 0, p.size);
    if (!ie || ie.some((x) => x !== 0)) return refuse(where, 'a constant current I_e cannot be said in NIR (no bias on CubaLIF): drive the population through a connection');
    if (p.init.v || p.init.I_syn) warn(where, `NIR has no initial values: the initial ${Object.keys(p.init).join(', ')} of ${p.name} are not in the file`);
    nodes[p.name] = { type: 'CubaLIF', fields };
    sizes.set(p.name, p.size);
  });
  ir.inputs.forEach((inp, k) => {
    const where: Where = { kind: 'input', name: inp.name, index: k };
    if (inp.kind === 'current_step' || inp.kind === 'event_file') return refuse(where, `a ${inp.kind} input cannot be said in NIR: use a spike_array`);
    nodes[inp.name] = { type: 'Input', fields: { shape: arr([inp.size]) } };
    sizes.set(inp.name, inp.size);
    if (inp.kind === 'spike_array') {
      if (inp.period !== undefined) return refuse(where, 'a repeating spike_array (period) cannot be kept: list every spike');
      metadata[`input.${inp.name}.times`] = arr(inp.times.slice());
      metadata[`input.${inp.name}.indices`] = arr(inp.indices.slice());
      warn(where, `NIR's Input node has no spikes: the spike times of ${inp.name} are kept in the graph's metadata (our import reads them; other tools see an input of ${inp.size})`);
    } else {
      if (inp.rate.kind !== 'const' || inp.start !== undefined || inp.stop !== undefined) return refuse(where, 'a Poisson source cannot be said in NIR; only a constant rate without start/stop is kept in metadata');
      metadata[`input.${inp.name}.rate`] = arr([inp.rate.value]);
      warn(where, `NIR cannot say a Poisson source: ${inp.name} is an Input node, its rate kept in the graph's metadata`);
    }
  });
  ir.connections.forEach((c, k) => {
    const where: Where = { kind: 'connection', name: c.name, index: k };
    if (c.synapse && c.synapse.model !== 'Static') return refuse(where, `plasticity (${c.synapse.model}) cannot be said in NIR`);
    if (c.pathways || c.segments || c.modulated_by) return refuse(where, 'pathways, segments and modulated synapses cannot be said in NIR');
    if (c.sources.length !== 1 || c.targets.length !== 1) return refuse(where, 'write one connection per source and target for NIR');
    const [s, t] = [c.sources[0], c.targets[0]];
    const ns = sizes.get(s.name);
    const nt = sizes.get(t.name);
    if (ns === undefined || nt === undefined) return;
    if (s.from !== 0 || s.to < ns - 1 || t.from !== 0 || t.to < nt - 1) return refuse(where, 'NIR connects whole nodes: connect whole populations');
    const tType = nodes[t.name]?.type;
    const wants = tType === 'LIF' || tType === 'IF' || tType === 'LI' ? 'v' : 'I_syn';
    if (tType !== 'Input' && c.target !== wants) return refuse(where, `NIR's ${tType} is driven through ${wants === 'v' ? 'its potential' : 'its synaptic current'}: target ${c.target ?? '(none)'} cannot be said (use target: ${wants})`);
    if (c.rule.kind !== 'all_to_all' && c.rule.kind !== 'one_to_one') return refuse(where, `NIR stores every weight: the ${c.rule.kind} rule is drawn when a run starts; write the weights as an all_to_all list`);
    const W = new Array(nt * ns).fill(0); // out × in, row j = target
    const wAt = (i: number, j: number, q: number) => (c.weight.kind === 'const' ? c.weight.value : c.weight.kind === 'list' ? c.weight.values[q] : NaN);
    if (c.weight.kind === 'dist') return refuse(where, 'weights drawn from a distribution: NIR stores values; give a list');
    if (c.rule.kind === 'all_to_all') {
      for (let i = 0; i < ns; i++) for (let j = 0; j < nt; j++) if (c.autapses || s.name !== t.name || i !== j) W[j * ns + i] = wAt(i, j, i * nt + j);
    } else for (let i = 0; i < Math.min(ns, nt); i++) W[i * ns + i] = wAt(i, i, i);
    const name = c.name ?? `${s.name}_to_${t.name}_${k}`;
    nodes[name] = { type: 'Linear', fields: { weight: arr(W, [nt, ns]) } };
    edges.push([s.name, name]);
    if (c.delay) {
      if (c.delay.kind !== 'const') return refuse(where, 'NIR delays here are one per target neuron: give one constant delay');
      nodes[`${name}_delay`] = { type: 'Delay', fields: { delay: arr(Array(nt).fill(c.delay.value)) } };
      edges.push([name, `${name}_delay`], [`${name}_delay`, t.name]);
    } else edges.push([name, t.name]);
  });
  const out = new Set<string>();
  for (const p of ir.probes) {
    for (const t of p.targets) {
      const type = nodes[t.name]?.type;
      if (!type || type === 'Input' || type === 'Linear' || type === 'Delay' || out.has(t.name)) continue;
      // A spiking node's Output is its spikes, a leaky integrator's its potential.
      if (p.variable !== (NON_SPIKING.has(type) ? 'v' : 'spikes')) continue;
      out.add(t.name);
      nodes[`${t.name}_out`] = { type: 'Output', fields: { shape: arr([sizes.get(t.name)!]) } };
      edges.push([t.name, `${t.name}_out`]);
    }
  }
  if (refusals.length) return { ok: false, refusals, warnings };
  return { ok: true, graph: { version: NIR_VERSION, nodes, edges, metadata }, warnings };
}

export class NirImportError extends Error {}

/** The neuron models an imported file defines for NIR's LIF, IF, LI and CubaLI nodes (NIR's equations; R and w_in are in the weights). */
const NIR_MODELS: Record<'LIF' | 'IF' | 'LI' | 'CubaLI', string> = {
  LIF: [
    'neuron NirLIF {',
    '  parameters {',
    '    tau = 10 ms',
    '    v_leak = 0 mV',
    '    v_threshold = 10 mV',
    '    v_reset = 0 mV',
    '  }',
    '  state {',
    '    v: mV = v_leak',
    '  }',
    '  equations {',
    '    dv/dt = (v_leak - v) / tau',
    '  }',
    '  spike when v > v_threshold',
    '  reset { v = v_reset }',
    '}',
  ].join('\n'),
  IF: [
    'neuron NirIF {',
    '  parameters {',
    '    v_threshold = 10 mV',
    '    v_reset = 0 mV',
    '  }',
    '  state {',
    '    v: mV = v_reset',
    '  }',
    '  spike when v > v_threshold',
    '  reset { v = v_reset }',
    '}',
  ].join('\n'),
  LI: [
    'neuron NirLI {',
    '  parameters {',
    '    tau = 10 ms',
    '    v_leak = 0 mV',
    '  }',
    '  state {',
    '    v: mV = v_leak',
    '  }',
    '  equations {',
    '    dv/dt = (v_leak - v) / tau',
    '  }',
    '}',
  ].join('\n'),
  CubaLI: [
    'neuron NirCubaLI {',
    '  parameters {',
    '    tau_mem = 10 ms',
    '    tau_syn = 5 ms',
    '    R = 1 MOhm',
    '    v_leak = 0 mV',
    '  }',
    '  state {',
    '    v: mV = v_leak',
    '    I_syn: pA = 0 pA',
    '  }',
    '  equations {',
    '    dv/dt = (v_leak - v + R*I_syn) / tau_mem',
    '    dI_syn/dt = -I_syn / tau_syn',
    '  }',
    '}',
  ].join('\n'),
};

const num = (v: NirValue | undefined, node: string, field: string): NirArray => {
  if (v === undefined || typeof v === 'string') throw new NirImportError(`node ${node}: field ${field} is missing or not numbers`);
  return v;
};

/** One value for all neurons, or the list, in `unit` (a .snn list or quantity). */
function quantity(values: number[], scale: number, unit: string): string {
  const f = (x: number) => `${Number((x / scale).toPrecision(15))} ${unit}`.trim();
  return values.every((x) => x === values[0]) ? f(values[0]) : `[${values.map(f).join(', ')}]`;
}

/** A readable, formatted .snn of a NIR graph, with comments saying where each part came from. */
export function nirToSnn(g: NirGraph, fileLabel: string): string {
  const byType = (t: string) => Object.entries(g.nodes).filter(([, n]) => n.type === t);
  for (const [name, n] of Object.entries(g.nodes)) {
    if (n.type === 'NIRGraph') throw new NirImportError(`node ${name}: nested NIR graphs are not imported: flatten the graph first`);
    if (!KNOWN_TYPES.has(n.type)) throw new NirImportError(`node ${name}: unknown NIR node type '${n.type}'`);
    if (!['Input', 'Output', 'Linear', 'Affine', 'Delay', ...NEURON_TYPES].includes(n.type)) throw new NirImportError(`node ${name}: NIR ${n.type} is not imported (imported: Input, Output, ${[...NEURON_TYPES].join(', ')}, Linear, Affine, Delay)`);
  }
  for (const [a, b] of g.edges) for (const x of [a, b]) if (!g.nodes[x]) throw new NirImportError(`edge ${a} → ${b}: there is no node ${x}`);
  const succ = (x: string) => g.edges.filter(([a]) => a === x).map(([, b]) => b);
  const pred = (x: string) => g.edges.filter(([, b]) => b === x).map(([a]) => a);
  const isNeuronOrIo = (x: string) => NEURON_TYPES.has(g.nodes[x].type) || g.nodes[x].type === 'Input' || g.nodes[x].type === 'Output';
  // Cycles through weight and delay nodes alone (no neuron on the way) have no .snn form.
  for (const start of Object.keys(g.nodes)) {
    if (isNeuronOrIo(start)) continue;
    const seen = new Set<string>();
    const stack = [...succ(start)];
    while (stack.length) {
      const x = stack.pop()!;
      if (x === start) throw new NirImportError(`node ${start}: a cycle through ${g.nodes[start].type} nodes without a neuron between them cannot be written as connections`);
      if (seen.has(x) || isNeuronOrIo(x)) continue;
      seen.add(x);
      stack.push(...succ(x));
    }
  }
  const size = (x: string): number => {
    const n = g.nodes[x];
    if (n.type === 'Input' || n.type === 'Output') return num(n.fields.shape ?? n.fields.input_type ?? n.fields.output_type, x, 'shape').data.reduce((a, b) => a * b, 1);
    const first = ['tau_mem', 'tau', 'r'].find((k) => n.fields[k] !== undefined) ?? 'r';
    return num(n.fields[first], x, first).data.length;
  };
  // Every field of a neuron node has one value per neuron.
  for (const [name, n] of Object.entries(g.nodes)) {
    if (!NEURON_TYPES.has(n.type)) continue;
    const N = size(name);
    for (const [k, v] of Object.entries(n.fields)) {
      if (typeof v !== 'string' && v.data.length !== N && v.data.length !== 1) throw new NirImportError(`node ${name}: field ${k} has ${v.data.length} values for ${N} neurons`);
    }
  }
  /** The input coefficient of target neuron j (see the header): w_in for CubaLIF / CubaLI, R for the others. */
  const inputScale = (x: string): number[] => {
    const n = g.nodes[x];
    const N = size(x);
    const per = (k: string, dflt?: number) => {
      const v = n.fields[k];
      if (v === undefined && dflt !== undefined) return Array(N).fill(dflt);
      const d = num(v, x, k).data;
      return d.length === 1 ? Array(N).fill(d[0]) : d;
    };
    return n.type === 'CubaLIF' || n.type === 'CubaLI' ? per('w_in', 1) : per('r');
  };
  const out: string[] = [];
  const modelName = typeof g.metadata.model === 'string' ? g.metadata.model.replace(/[^A-Za-z0-9_]/g, '_') : 'imported';
  const md = (k: string) => (typeof g.metadata[k] === 'object' ? (g.metadata[k] as NirArray).data : undefined);
  out.push(`// Imported from ${fileLabel} (NIR ${g.version}) by \`spikeworks nir import\`.`);
  if (byType('CubaLIF').length) {
    out.push('// Each CubaLIF node is a population of the prelude LIF (tau_mem → tau_m, r → R_m, v_leak → E_l,');
    out.push('// v_threshold → V_th, v_reset → V_reset; NIR has no refractory period: t_ref = 0 ms).');
  }
  out.push('// Each Linear/Affine node (with the Delay node after it) is an all_to_all connection whose weights');
  out.push('// are the node\'s matrix, one per (source, target), row by row, times the target\'s input');
  out.push('// coefficient: a spike moves I_syn by w_in·W (CubaLIF, CubaLI) or v by R·W (LIF, IF, LI).');
  out.push(`model ${/^[A-Za-z_]/.test(modelName) ? modelName : `m_${modelName}`}`);
  out.push('');
  for (const [name, n] of byType('CubaLIF')) {
    const f = (k: string) => num(n.fields[k], name, k).data;
    const N = f('tau_mem').length;
    out.push(`// NIR node "${name}" (CubaLIF, ${N} neurons)`);
    out.push(`population ${name} = LIF[${N}] {`);
    out.push(`  tau_m = ${quantity(f('tau_mem'), 1e-3, 'ms')}`);
    out.push(`  tau_syn = ${quantity(f('tau_syn'), 1e-3, 'ms')}`);
    out.push(`  R_m = ${quantity(f('r'), 1e6, 'MOhm')}`);
    out.push(`  E_l = ${quantity(f('v_leak'), 1e-3, 'mV')}`);
    out.push(`  V_th = ${quantity(f('v_threshold'), 1e-3, 'mV')}`);
    // Old files (NIR 0.1/0.2, Norse, Sinabs) have no v_reset: 0.
    out.push(`  V_reset = ${quantity(n.fields.v_reset ? f('v_reset') : Array(N).fill(0), 1e-3, 'mV')}${n.fields.v_reset ? '' : '   // not in the file (NIR before 0.3): 0'}`);
    out.push('  t_ref = 0 ms   // NIR has no refractory period');
    out.push(`  v = ${quantity(f('v_leak'), 1e-3, 'mV')}   // NIR has no initial values: at rest`);
    out.push('}');
    out.push('');
  }
  const used = (t: string) => byType(t).length > 0;
  if (used('LIF') || used('LI')) {
    out.push('// NIR LIF / LI: tau dv/dt = (v_leak - v) + R·I (LIF also: spike when v > v_threshold, then v = v_reset).');
    out.push('// R multiplies each incoming weight instead (a spike through W moves v by R·W).');
  }
  if (used('LIF')) out.push(NIR_MODELS.LIF, '');
  if (used('LI')) out.push(NIR_MODELS.LI, '');
  if (used('IF')) out.push('// NIR IF: dv/dt = R·I; spike when v > v_threshold, then v = v_reset (a spike through W moves v by R·W).', NIR_MODELS.IF, '');
  if (used('CubaLI')) out.push('// NIR CubaLI: tau_syn dI/dt = -I + w_in·S; tau_mem dv/dt = (v_leak - v) + R·I (w_in multiplies each incoming weight).', NIR_MODELS.CubaLI, '');
  for (const t of ['LIF', 'IF', 'LI', 'CubaLI']) {
    for (const [name, n] of byType(t)) {
      const N = size(name);
      const f = (k: string, dflt?: number) => {
        if (n.fields[k] === undefined && dflt !== undefined) return Array(N).fill(dflt);
        const d = num(n.fields[k], name, k).data;
        return d.length === 1 ? Array(N).fill(d[0]) : d;
      };
      out.push(`// NIR node "${name}" (${t}, ${N} neurons)`);
      out.push(`population ${name} = Nir${t}[${N}] {`);
      if (t === 'LIF' || t === 'LI') out.push(`  tau = ${quantity(f('tau'), 1e-3, 'ms')}`);
      if (t === 'CubaLI') {
        out.push(`  tau_mem = ${quantity(f('tau_mem'), 1e-3, 'ms')}`);
        out.push(`  tau_syn = ${quantity(f('tau_syn'), 1e-3, 'ms')}`);
        out.push(`  R = ${quantity(f('r'), 1e6, 'MOhm')}`);
      }
      if (t !== 'IF') out.push(`  v_leak = ${quantity(f('v_leak'), 1e-3, 'mV')}`);
      if (t === 'LIF' || t === 'IF') {
        out.push(`  v_threshold = ${quantity(f('v_threshold'), 1e-3, 'mV')}`);
        out.push(`  v_reset = ${quantity(f('v_reset', 0), 1e-3, 'mV')}${n.fields.v_reset ? '' : '   // not in the file (NIR before 0.3): 0'}`);
      }
      out.push(`  v = ${t === 'IF' ? quantity(f('v_reset', 0), 1e-3, 'mV') : quantity(f('v_leak'), 1e-3, 'mV')}   // NIR has no initial values: ${t === 'IF' ? 'at v_reset' : 'at rest'}`);
      out.push('}');
      out.push('');
    }
  }
  for (const [name] of byType('Input')) {
    const N = size(name);
    const times = md(`input.${name}.times`);
    const idx = md(`input.${name}.indices`);
    const rate = md(`input.${name}.rate`);
    if (times && idx) {
      out.push(`// NIR node "${name}" (Input, ${N}): its spikes from the file's metadata (written by Spikeworks)`);
      out.push(`input ${name} = spike_array[${N}] {`);
      out.push(`  times: [${times.map((t) => `${Number((t * 1e3).toPrecision(15))} ms`).join(', ')}]`);
      out.push(`  indices: [${idx.join(', ')}]`);
      out.push('}');
    } else if (rate) {
      out.push(`// NIR node "${name}" (Input, ${N}): a Poisson source, its rate from the file's metadata`);
      out.push(`input ${name} = poisson[${N}] { rate: ${rate[0]} Hz }`);
    } else {
      out.push(`// NIR node "${name}" (Input, ${N}): the file says nothing of its spikes; give them here`);
      out.push(`input ${name} = spike_array[${N}] { times: []; indices: [] }`);
    }
    out.push('');
  }
  for (const [name, n] of [...byType('Linear'), ...byType('Affine')]) {
    const srcs = pred(name);
    if (srcs.length !== 1 || !(NEURON_TYPES.has(g.nodes[srcs[0]].type) || g.nodes[srcs[0]].type === 'Input')) throw new NirImportError(`node ${name}: a ${n.type} node must take exactly one population or input (it takes ${srcs.join(', ') || 'none'})`);
    if (NON_SPIKING.has(g.nodes[srcs[0]].type)) throw new NirImportError(`node ${name}: it takes ${srcs[0]} (${g.nodes[srcs[0]].type}), which does not spike: a continuous output feeding a weight layer is not imported`);
    const W = num(n.fields.weight, name, 'weight');
    if (n.type === 'Affine' && n.fields.bias && num(n.fields.bias, name, 'bias').data.some((x) => x !== 0)) throw new NirImportError(`node ${name}: a nonzero Affine bias (a constant current) is not imported`);
    for (const next of succ(name)) {
      let target = next;
      let delay: number | undefined;
      if (g.nodes[next].type === 'Delay') {
        const d = num(g.nodes[next].fields.delay, next, 'delay').data;
        if (d.some((x) => x !== d[0])) throw new NirImportError(`node ${next}: delays that differ between neurons are not imported`);
        delay = d[0];
        const after = succ(next);
        if (after.length !== 1) throw new NirImportError(`node ${next}: a Delay must feed exactly one population`);
        target = after[0];
      }
      if (!NEURON_TYPES.has(g.nodes[target].type)) throw new NirImportError(`node ${name}: it feeds ${target} (${g.nodes[target].type}); a weight layer must feed a population`);
      const [nt, ns] = W.shape;
      if (ns !== size(srcs[0]) || nt !== size(target)) throw new NirImportError(`node ${name}: weight shape ${W.shape.join('×')} does not match ${srcs[0]} (${size(srcs[0])}) → ${target} (${size(target)})`);
      const scale = inputScale(target);
      const tt = g.nodes[target].type;
      // Current-based nodes take the weight into their current (A); the others into v (V = Ω·A).
      const [variable, unitScale, unit] = tt === 'CubaLIF' || tt === 'CubaLI' ? ['I_syn', 1e-12, 'pA'] : ['v', 1e-3, 'mV'];
      // Our all_to_all list: source i, target j at i·nt + j; NIR's matrix is out × in.
      const list: number[] = [];
      for (let i = 0; i < ns; i++) for (let j = 0; j < nt; j++) list.push(W.data[j * ns + i] * scale[j]);
      out.push(`// NIR node "${name}" (${n.type} ${nt}×${ns})${delay !== undefined ? ` and "${next}" (Delay)` : ''}`);
      out.push(`connect ${name}: ${srcs[0]} -> ${target} {`);
      out.push('  rule: all_to_all');
      out.push(`  weight: ${list.every((x) => x === list[0]) ? quantity([list[0]], unitScale, unit) : `[${list.map((x) => `${Number((x / unitScale).toPrecision(15))} ${unit}`).join(', ')}]`}`);
      if (delay !== undefined) out.push(`  delay: ${Number((delay * 1e3).toPrecision(15))} ms`);
      out.push(`  target: ${variable}`);
      out.push('}');
      out.push('');
    }
  }
  const outs = [...new Set(byType('Output').flatMap(([name]) => pred(name).filter((p) => NEURON_TYPES.has(g.nodes[p].type))))];
  const spiking = outs.filter((p) => !NON_SPIKING.has(g.nodes[p].type));
  const potentials = outs.filter((p) => NON_SPIKING.has(g.nodes[p].type));
  if (spiking.length) out.push(`// NIR Output nodes\nprobe spikes(${spiking.join(', ')})\n`);
  if (potentials.length) out.push(`// NIR Output nodes of leaky integrators (no spikes): their potential every step\nprobe v(${potentials.join(', ')}) every ${Number(((md('dt')?.[0] ?? 1e-4) * 1e3).toPrecision(15))} ms\n`);
  const dt = md('dt')?.[0] ?? 1e-4;
  const duration = md('duration')?.[0] ?? 1;
  const seed = md('seed')?.[0] ?? 1;
  out.push(`simulate { dt: ${Number((dt * 1e3).toPrecision(15))} ms; duration: ${Number((duration * 1e3).toPrecision(15))} ms; seed: ${seed} }${md('dt') ? '' : '   // no dt in the file: 0.1 ms assumed'}`);
  return out.join('\n') + '\n';
}
