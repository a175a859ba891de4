// Parameter sweeps (pure: no Node, imports only protocol/ and core/). A sweep is one or two axes,
// each a target (`exc.I_e`, `drive.rate`, `ee.weight`, `seed`) and a list of values in the
// target's SI unit, times `seeds` repetitions. Applying a point to the IR is a pure IR → IR
// function; a target that does not exist or a value whose unit does not match is an error that
// names it (with a did-you-mean), never ignored.
import { CROSSBAR_ALIASES, CROSSBAR_NUMBERS, CROSSBAR_WORDS } from '../../../protocol/crossbar';
import type { DimIR, ModelIR, ValueIR } from '../../../protocol/ir';

/** Reads one value of an axis (`300pA`): SI value and dimension, or why not. Injected by the host (the CLI reads units with the language). */
export type QuantityParser = (text: string) => { ok: true; value: number; dim: DimIR } | { ok: false; message: string };

export class SweepError extends Error {}

/** What a target names in the IR. */
export type TargetRef =
  | { kind: 'parameter' | 'init'; population: string; name: string }
  | { kind: 'input'; input: string; name: 'rate' | 'start' | 'stop' }
  | { kind: 'weight' | 'delay'; connection: string }
  | { kind: 'synapse'; connection: string; name: string }
  | { kind: 'seed' }
  /** A setting of a memristor target block (`xbar.fault_ratio`); word-valued settings sweep the indices of `SweepAxis.labels`. */
  | { kind: 'device'; target: string; name: string; words?: readonly string[] };

export interface ResolvedTarget {
  /** As written: `exc.I_e`. */
  target: string;
  ref: TargetRef;
  /** SI dimension of the target's values. */
  dim: DimIR;
}

export interface SweepAxis extends ResolvedTarget {
  /** Values in SI units. */
  values: number[];
  /** How the values are shown (column header, table): a unit symbol and its scale (value / scale), e.g. pA, 1e-12. */
  display: { unit: string; scale: number };
  /** Word-valued axes (`fault_type=sa0,sa1`): values are indices into these. */
  labels?: string[];
}

export interface SweepSpec {
  axes: SweepAxis[];
  /** Repetitions per point, seeds base, base + 1, … (the same seeds at every point). */
  seeds: number;
  baseSeed: number;
}

/** One run of a sweep: an axis value per axis, and the seed. */
export interface SweepRun {
  index: number;
  point: number;
  values: number[];
  seed: number;
  rep: number;
}

export const MAX_SWEEP_AXES = 3;
export const MAX_SWEEP_RUNS = 10_000;

const ZERO: DimIR = [0, 0, 0, 0, 0, 0, 0];
const NAMED: [DimIR, string, string, number][] = [
  [[0, 0, 0, 1, 0, 0, 0], 'a current', 'pA', 1e-12],
  [[2, 1, -3, -1, 0, 0, 0], 'a voltage', 'mV', 1e-3],
  [[0, 0, 1, 0, 0, 0, 0], 'a time', 'ms', 1e-3],
  [[0, 0, -1, 0, 0, 0, 0], 'a rate', 'Hz', 1],
  [[-2, -1, 3, 2, 0, 0, 0], 'a conductance', 'nS', 1e-9],
  [[2, 1, -3, -2, 0, 0, 0], 'a resistance', 'MOhm', 1e6],
  [[-2, -1, 4, 2, 0, 0, 0], 'a capacitance', 'pF', 1e-12],
  [[0, 0, 1, 1, 0, 0, 0], 'a charge', 'pC', 1e-12],
  [[1, 0, 0, 0, 0, 0, 0], 'a length', 'um', 1e-6],
  [[-3, 0, 0, 0, 0, 1, 0], 'a concentration', 'mM', 1],
  [[2, 1, -4, -1, 0, 0, 0], 'a voltage rate', 'mV/ms', 1],
  [ZERO, 'a plain number', '', 1],
];

export function sameDim(a: DimIR, b: DimIR): boolean {
  return a.every((x, k) => x === b[k]);
}

/** "a current (pA)", or the SI exponents for an unnamed dimension. */
export function dimWords(dim: DimIR): string {
  const n = NAMED.find(([d]) => sameDim(d, dim));
  if (n) return n[2] ? `${n[1]} (${n[2]})` : n[1];
  const bases = ['m', 'kg', 's', 'A', 'K', 'mol', 'cd'];
  return `a quantity of ${dim.map((e, k) => (e ? `${bases[k]}^${e}` : '')).filter(Boolean).join('·')}`;
}

/** The unit a dimension's values are shown in. */
export function displayUnit(dim: DimIR): { unit: string; scale: number } {
  const n = NAMED.find(([d]) => sameDim(d, dim));
  return n ? { unit: n[2], scale: n[3] } : { unit: 'SI', scale: 1 };
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, k) => k);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1].toLowerCase() === b[j - 1].toLowerCase() ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}

/** " (did you mean 'x'?)" for the closest candidate within a small edit distance, else a list of what exists. */
export function didYouMean(name: string, candidates: string[], what: string): string {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  if (best !== undefined && bestD <= Math.max(name.length >= 3 ? 2 : 1, Math.floor(name.length / 3))) return ` (did you mean '${best}'?)`;
  if (!candidates.length) return ` (the model has no ${what})`;
  const shown = candidates.slice(0, 12);
  return ` (${what}: ${shown.join(', ')}${candidates.length > shown.length ? ', …' : ''})`;
}

/** Dimension of a connection's weight: that of the postsynaptic variable it drives. */
function weightDim(ir: ModelIR, c: ModelIR['connections'][number]): DimIR | undefined {
  if (!c.target) return undefined;
  const pop = ir.populations.find((p) => p.name === c.targets[0]?.name);
  const model = pop ? ir.models[pop.model] : undefined;
  const v = model?.state.find((s) => s.name === c.target);
  return v && !v.weightUnit ? v.dim : undefined;
}

/** What `target` names in the IR and the dimension of its values; SweepError naming it otherwise. */
export function resolveTarget(ir: ModelIR, target: string): ResolvedTarget {
  const t = target.trim();
  if (t === 'seed') return { target: t, ref: { kind: 'seed' }, dim: ZERO };
  const dot = t.indexOf('.');
  if (dot <= 0 || dot === t.length - 1 || t.indexOf('.', dot + 1) >= 0) {
    throw new SweepError(`'${t}' is not a target: write population.parameter (exc.I_e), input.property (drive.rate), connection.weight (ee.weight) or seed`);
  }
  const owner = t.slice(0, dot);
  const prop = t.slice(dot + 1);
  const pop = ir.populations.find((p) => p.name === owner);
  if (pop) {
    const model = ir.models[pop.model];
    const par = model?.parameters.find((p) => p.name === prop);
    const link = pop.links?.find((l) => l.parameter === prop);
    if (par && link) throw new SweepError(`${t} is linked to ${link.source}.${link.variable} (set from it every step); a sweep cannot set it: sweep ${link.source}'s parameters instead`);
    if (par && !par.weightUnit) return { target: t, ref: { kind: 'parameter', population: owner, name: prop }, dim: par.dim };
    const st = model?.state.find((s) => s.name === prop);
    if (st && !st.weightUnit) return { target: t, ref: { kind: 'init', population: owner, name: prop }, dim: st.dim };
    const names = [...(model?.parameters ?? []), ...(model?.state ?? [])].filter((p) => !p.weightUnit).map((p) => p.name);
    throw new SweepError(`population '${owner}' (${pop.model}) has no parameter or state variable '${prop}'${didYouMean(prop, names, 'its parameters and variables')}`);
  }
  const input = ir.inputs.find((i) => i.name === owner);
  if (input) {
    if (input.kind === 'poisson' && (prop === 'rate' || prop === 'start' || prop === 'stop')) {
      return { target: t, ref: { kind: 'input', input: owner, name: prop }, dim: prop === 'rate' ? [0, 0, -1, 0, 0, 0, 0] : [0, 0, 1, 0, 0, 0, 0] };
    }
    const props = input.kind === 'poisson' ? ['rate', 'start', 'stop'] : [];
    throw new SweepError(`input '${owner}' (${input.kind}) has no property '${prop}' that a sweep can set${didYouMean(prop, props, 'properties a sweep can set')}`);
  }
  const conn = ir.connections.find((c) => c.name === owner);
  if (conn) {
    if (prop === 'weight') {
      const dim = weightDim(ir, conn);
      if (!dim) throw new SweepError(`the unit of '${t}' is not known (its synapse model has a generic weight); sweep one of its synapse parameters instead`);
      return { target: t, ref: { kind: 'weight', connection: owner }, dim };
    }
    if (prop === 'delay' && conn.pathways) throw new SweepError(`connection '${owner}' has pathways, each with its own delay; a sweep cannot set those yet`);
    if (prop === 'delay') return { target: t, ref: { kind: 'delay', connection: owner }, dim: [0, 0, 1, 0, 0, 0, 0] };
    const syn = conn.synapse ? ir.models[conn.synapse.model] : undefined;
    const par = syn?.parameters.find((p) => p.name === prop);
    if (par && !par.weightUnit) return { target: t, ref: { kind: 'synapse', connection: owner, name: prop }, dim: par.dim };
    const names = ['weight', 'delay', ...(syn?.parameters ?? []).filter((p) => !p.weightUnit).map((p) => p.name)];
    throw new SweepError(`connection '${owner}' has no property '${prop}' that a sweep can set${didYouMean(prop, names, 'properties a sweep can set')}`);
  }
  const tgt = ir.targets.find((x) => x.name === owner);
  if (tgt) {
    if (tgt.kind !== 'memristor') throw new SweepError(`target '${owner}' is a ${tgt.kind}; only memristor targets have settings a sweep can set`);
    const name = CROSSBAR_ALIASES[prop] ?? prop;
    const words = CROSSBAR_WORDS[name];
    if (words) return { target: `${owner}.${name}`, ref: { kind: 'device', target: owner, name, words }, dim: ZERO };
    const dim = CROSSBAR_NUMBERS[name];
    if (dim) return { target: `${owner}.${name}`, ref: { kind: 'device', target: owner, name }, dim };
    throw new SweepError(`memristor target '${owner}' has no setting '${prop}'${didYouMean(prop, [...Object.keys(CROSSBAR_WORDS), ...Object.keys(CROSSBAR_NUMBERS), ...Object.keys(CROSSBAR_ALIASES)], 'its settings')}`);
  }
  const owners = [...ir.populations.map((p) => p.name), ...ir.inputs.map((i) => i.name), ...ir.connections.flatMap((c) => (c.name ? [c.name] : [])), ...ir.targets.map((x) => x.name), 'seed'];
  throw new SweepError(`'${owner}' in '${t}' is not a population, input or named connection of model '${ir.name}'${didYouMean(owner, owners, 'names')}`);
}

/**
 * One --set argument: `target=a:b:n` (n values from a to b, linear) or `target=v1,v2,…`; each
 * value is read by `parse` (units) and must have the target's dimension (a bare number only
 * where the target has none).
 */
export function parseAxis(ir: ModelIR, arg: string, parse: QuantityParser): SweepAxis {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw new SweepError(`--set ${arg}: write target=from:to:count or target=v1,v2,… (e.g. exc.I_e=0pA:500pA:11)`);
  let resolved: ResolvedTarget;
  try {
    resolved = resolveTarget(ir, arg.slice(0, eq));
  } catch (e) {
    throw e instanceof SweepError ? new SweepError(`--set ${arg}: ${e.message}`) : e;
  }
  const rhs = arg.slice(eq + 1).trim();
  const ref = resolved.ref;
  if (ref.kind === 'device' && ref.words) {
    const labels = rhs.split(',').map((x) => x.trim());
    for (const w of labels) if (!ref.words.includes(w)) throw new SweepError(`--set ${arg}: ${resolved.target} is one of ${ref.words.join(', ')}, not '${w}'${didYouMean(w, [...ref.words], 'its values')}`);
    if (new Set(labels).size !== labels.length) throw new SweepError(`--set ${arg}: a value is listed twice`);
    return { ...resolved, values: labels.map((_, k) => k), display: { unit: '', scale: 1 }, labels };
  }
  const read = (text: string): number => {
    const q = parse(text);
    if (!q.ok) throw new SweepError(`--set ${arg}: ${q.message}`);
    if (!sameDim(q.dim, resolved.dim)) {
      const bare = sameDim(q.dim, ZERO) && !/[A-Za-z]/.test(text);
      throw new SweepError(`--set ${arg}: ${resolved.target} is ${dimWords(resolved.dim)}, ${bare ? `so '${text.trim()}' needs a unit` : `'${text.trim()}' is ${dimWords(q.dim)}`}`);
    }
    return q.value;
  };
  let values: number[];
  const parts = rhs.split(':');
  if (parts.length === 3) {
    const a = read(parts[0]);
    const b = read(parts[1]);
    const n = Number(parts[2].trim());
    if (!Number.isInteger(n) || n < 1 || n > MAX_SWEEP_RUNS) throw new SweepError(`--set ${arg}: the count '${parts[2].trim()}' must be a whole number from 1 to ${MAX_SWEEP_RUNS}`);
    values = n === 1 ? [a] : Array.from({ length: n }, (_, k) => (k === n - 1 ? b : a + ((b - a) * k) / (n - 1)));
  } else if (parts.length === 1) {
    const items = rhs.split(',');
    if (items.some((s) => !s.trim())) throw new SweepError(`--set ${arg}: an empty value in the list`);
    values = items.map(read);
  } else throw new SweepError(`--set ${arg}: a range is from:to:count (three parts), got ${parts.length}`);
  if (resolved.ref.kind === 'seed' && values.some((v) => !Number.isInteger(v) || v < 0 || v > 0xffffffff)) {
    throw new SweepError(`--set ${arg}: seeds are whole numbers from 0 to 4294967295`);
  }
  return { ...resolved, values, display: displayUnit(resolved.dim) };
}

/** The runs of a sweep, point by point (first axis slowest), each point `seeds` times. */
export function sweepRuns(spec: SweepSpec): SweepRun[] {
  if (spec.axes.length < 1 || spec.axes.length > MAX_SWEEP_AXES) throw new SweepError(`a sweep has one to ${MAX_SWEEP_AXES} axes (--set), got ${spec.axes.length}`);
  const names = spec.axes.map((a) => a.target);
  if (new Set(names).size !== names.length) throw new SweepError(`the same target is swept twice: ${names.join(', ')}`);
  const seedAxis = spec.axes.some((a) => a.ref.kind === 'seed');
  if (seedAxis && spec.seeds !== 1) throw new SweepError('seed is an axis: --seeds must be 1');
  if (!Number.isInteger(spec.seeds) || spec.seeds < 1) throw new SweepError(`--seeds must be a whole number ≥ 1, got ${spec.seeds}`);
  const points = spec.axes.reduce((n, a) => n * a.values.length, 1);
  if (points * spec.seeds > MAX_SWEEP_RUNS) throw new SweepError(`this sweep has ${points} points × ${spec.seeds} seeds = ${points * spec.seeds} runs, more than the ${MAX_SWEEP_RUNS} allowed`);
  const runs: SweepRun[] = [];
  for (let p = 0; p < points; p++) {
    const values: number[] = [];
    let rest = p;
    for (let k = spec.axes.length - 1; k >= 0; k--) {
      const n = spec.axes[k].values.length;
      values[k] = spec.axes[k].values[rest % n];
      rest = Math.floor(rest / n);
    }
    const seedK = spec.axes.findIndex((a) => a.ref.kind === 'seed');
    for (let rep = 0; rep < spec.seeds; rep++) {
      runs.push({ index: runs.length, point: p, values, seed: seedK >= 0 ? values[seedK] : (spec.baseSeed + rep) >>> 0, rep });
    }
  }
  return runs;
}

const constant = (value: number): ValueIR => ({ kind: 'const', value });

/** The IR with `target` set to `value` (SI; an index into `labels` for a word-valued axis); the input IR is not changed. */
export function applyValue(ir: ModelIR, t: ResolvedTarget & { labels?: string[] }, value: number): ModelIR {
  const ref = t.ref;
  switch (ref.kind) {
    case 'device':
      return {
        ...ir,
        targets: ir.targets.map((x) => {
          if (x.name !== ref.target) return x;
          if (!ref.words) return { ...x, settings: { ...x.settings, [ref.name]: value } };
          const word = t.labels?.[value];
          if (word === undefined) throw new SweepError(`${t.target}: value ${value} is not an index of its words`);
          return { ...x, options: { ...x.options, [ref.name]: word } };
        }),
      };
    case 'seed':
      return { ...ir, simulate: { ...ir.simulate, seed: value } };
    case 'parameter':
    case 'init':
      return {
        ...ir,
        populations: ir.populations.map((p) =>
          p.name !== ref.population ? p : ref.kind === 'parameter' ? { ...p, parameters: { ...p.parameters, [ref.name]: constant(value) } } : { ...p, init: { ...p.init, [ref.name]: constant(value) } },
        ),
      };
    case 'input':
      return {
        ...ir,
        inputs: ir.inputs.map((i) => {
          if (i.name !== ref.input || i.kind !== 'poisson') return i;
          return ref.name === 'rate' ? { ...i, rate: constant(value) } : { ...i, [ref.name]: value };
        }),
      };
    case 'weight':
    case 'delay':
    case 'synapse':
      return {
        ...ir,
        connections: ir.connections.map((c) => {
          if (c.name !== ref.connection) return c;
          if (ref.kind === 'weight') return { ...c, weight: constant(value) };
          if (ref.kind === 'delay') return { ...c, delay: constant(value) };
          return ref.kind === 'synapse' && c.synapse ? { ...c, synapse: { ...c.synapse, parameters: { ...c.synapse.parameters, [ref.name]: value } } } : c;
        }),
      };
  }
}

/** The IR of one run: every axis's value applied (the seed is the run's, passed to the engine separately). */
export function applyRun(ir: ModelIR, spec: SweepSpec, run: SweepRun): ModelIR {
  let out = ir;
  spec.axes.forEach((a, k) => {
    if (a.ref.kind !== 'seed') out = applyValue(out, a, run.values[k]);
  });
  return out;
}
