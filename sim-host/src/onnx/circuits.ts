// Circuits on an ONNX model (issue 19): components = attention heads (values named `<layer>.H<k>`),
// a task = an input set with labels, its metric = accuracy (argmax over the logits its labels use,
// the first on ties, vs the label). The model is edited once (masks.ts) so that ONE session serves
// every ablation and patch; the search itself is the spiking analysis's (analysis/circuits
// searchCircuits), fed through a TaskMeasurer built here.
import type { CircuitsResult, Intervention } from '../../../protocol/circuits';
import type { Component, ComponentSet } from '../analysis/circuits/components';
import { CircuitsError, searchCircuits, type TaskMeasurer } from '../analysis/circuits/discover';
import type { Condition } from '../analysis/circuits/evaluate';
import { headsOf, maskInput, patchInput, withMasks } from './masks';
import { decodeModel, withOutputs } from './proto';
import { OnnxSession, type FloatTensor } from './runtime';
import type { TaskInputs } from './task-set';

export type OnnxIntervention = 'zero' | 'mean' | 'patch';
export const ONNX_INTERVENTIONS: readonly OnnxIntervention[] = ['zero', 'mean', 'patch'];

/**
 * A spiking-circuits intervention (the extension's `spikeworks.circuits.intervention`) on an ONNX
 * model: silence is zero; mean and patch are themselves; resample (another trial of the same
 * task) has no ONNX counterpart here: undefined.
 */
export function onnxInterventionOf(i: Intervention): OnnxIntervention | undefined {
  return i === 'silence' || i === 'zero' ? 'zero' : i === 'mean' || i === 'patch' ? i : undefined;
}

export interface OnnxCircuitsOptions {
  /** Only this task (default: every input set). */
  task?: string;
  threshold?: number;
  /** Default `mean`. */
  intervention?: OnnxIntervention;
  seed?: number;
  controlDraws?: number;
  /** The model's file name in the result. */
  source?: string;
  /** The graph output holding the logits (default: the first). */
  output?: string;
  /** Node outputs whose units (last axis) or channels (axis 1 of a rank-4 output) are components too. */
  units?: string[];
  shouldStop?: () => boolean;
  onProgress?: (done: number, total: number, label?: string) => void;
}

const ZERO: FloatTensor = { data: new Float32Array(1), dims: [1] };
const OFF: FloatTensor = { data: new Float32Array([0]), dims: [1] };
const ON: FloatTensor = { data: new Float32Array([1]), dims: [1] };

/** The accuracy of `logits` [N, C] against `labels`, the argmax taken over `classes` only (first on ties). */
export function accuracyOver(logits: FloatTensor, labels: Int32Array, classes: readonly number[]): number {
  const c = logits.dims[1];
  let right = 0;
  for (let i = 0; i < labels.length; i++) {
    let best = classes[0];
    for (const k of classes) if (logits.data[i * c + k] > logits.data[i * c + best]) best = k;
    if (best === labels[i]) right++;
  }
  return labels.length ? right / labels.length : 0;
}

/** `rows` items of `t` ([n, ...]) taken cyclically: item i is t's item i mod n. */
function tiled(t: FloatTensor, rows: number): FloatTensor {
  const n = t.dims[0];
  if (n === rows) return t;
  const per = t.data.length / n;
  const data = new Float32Array(rows * per);
  for (let i = 0; i < rows; i++) data.set(t.data.subarray((i % n) * per, ((i % n) + 1) * per), i * per);
  return { data, dims: [rows, ...t.dims.slice(1)] };
}

/** The mean over the first axis, kept as an axis of 1. */
function meanOver(t: FloatTensor): FloatTensor {
  const n = t.dims[0];
  const per = t.data.length / n;
  const acc = new Float64Array(per);
  for (let i = 0; i < n; i++) for (let j = 0; j < per; j++) acc[j] += t.data[i * per + j];
  return { data: Float32Array.from(acc, (v) => v / n), dims: [1, ...t.dims.slice(1)] };
}

interface Task extends TaskInputs {
  classes: number[];
  /** Per intervenable value: its output on this task's inputs (clean run) and the mean over them. */
  clean: Map<string, FloatTensor>;
  mean: Map<string, FloatTensor>;
}

/** A component: a head (a whole value), or one feature of a node's output (a unit, or a channel on axis 1 of a rank-4 output). */
export interface OnnxPart {
  id: string;
  kind: 'head' | 'unit' | 'channel';
  value: string;
  layer: string;
  /** For a unit or channel: its index on `axis`. */
  feature?: number;
  axis?: number;
  /** The producing node's place in the graph (the search visits later ones first). */
  order: number;
}

/** One value's replacement in a run: which features (all when undefined) come from which tensor. */
type Source = { feature?: number; from: FloatTensor };

/**
 * One session over the masked model and the tasks' inputs: `measure` answers each condition
 * with every task's accuracy (each task on its own inputs; `only` changes nothing here).
 */
export class OnnxMeasurer implements TaskMeasurer {
  runCount = 0;
  readonly parts: OnnxPart[] = [];
  private constructor(
    private session: OnnxSession,
    private input: string,
    private output: string,
    private values: string[],
    readonly tasks: Task[],
    private intervention: OnnxIntervention,
    private shouldStop?: () => boolean,
  ) {}

  /**
   * `units`: node outputs whose features are components too (`unit:NODE[k]` on the last axis;
   * `channel:NODE[c]` on axis 1 of a rank-4 output).
   */
  static async create(bytes: Uint8Array, sets: TaskInputs[], options: { intervention: OnnxIntervention; output?: string; units?: string[]; shouldStop?: () => boolean }): Promise<OnnxMeasurer> {
    const heads = headsOf(bytes);
    const units = options.units ?? [];
    if (!heads.length && !units.length) throw new CircuitsError('the model has no attention heads to intervene on: circuits look for node outputs named <layer>.H<k> (an attention head\'s value before its output projection); name node outputs whose units to search with --units');
    if (!sets.length) throw new CircuitsError('no input sets: give one per task (--inputs NAME.npy, labels in NAME.csv)');
    const names = new Set<string>();
    for (const s of sets) {
      if (names.has(s.task)) throw new CircuitsError(`two input sets are named '${s.task}': a task is named after its file`);
      names.add(s.task);
    }
    if (options.intervention === 'patch' && sets.length < 2) throw new CircuitsError('--intervention patch takes a head\'s value from another task\'s inputs: give at least two input sets');
    const g = decodeModel(bytes).graph!;
    const initializers = new Set((g.initializer ?? []).map((i) => i.name));
    const input = (g.input ?? []).map((i) => i.name!).find((n) => !initializers.has(n));
    const output = options.output ?? g.output?.[0]?.name;
    if (!input || !output) throw new CircuitsError('the model has no graph input or no graph output');
    if (!(g.output ?? []).some((o) => o.name === output)) throw new CircuitsError(`no graph output '${output}' (outputs: ${(g.output ?? []).map((o) => o.name).join(', ')})`);
    const nodeIndex = new Map<string, number>();
    (g.node ?? []).forEach((n, k) => (n.output ?? []).forEach((o) => nodeIndex.set(o, k)));
    for (const u of units) {
      if (!nodeIndex.has(u)) throw new CircuitsError(`--units: no node output named '${u}'`);
      if (u === output) throw new CircuitsError(`--units: '${u}' is the model's output; name a node before it`);
    }
    const values = [...new Set([...heads.map((h) => h.value), ...units])];
    const session = await OnnxSession.create(withOutputs(withMasks(bytes, values), values));
    const m = new OnnxMeasurer(session, input, output, values, [], options.intervention, options.shouldStop);
    for (const s of sets) {
      const classes = [...new Set(s.labels)].sort((a, b) => a - b);
      const clean = await m.run(s, new Map(), [output, ...values]).catch((e: Error) => {
        throw new CircuitsError(`input set '${s.task}' (shape ${s.inputs.dims.join(' × ')}) does not run through the model: ${e.message}`);
      });
      const width = clean[output].dims[1];
      const bad = classes.find((c) => c >= width);
      if (bad !== undefined) throw new CircuitsError(`input set '${s.task}': label ${bad} is not a logit index of '${output}' (${width} logits)`);
      m.tasks.push({ ...s, classes, clean: new Map(values.map((v) => [v, clean[v]])), mean: new Map(values.map((v) => [v, meanOver(clean[v])])) });
      m.runCount++;
    }
    for (const h of heads) m.parts.push({ id: h.id, kind: 'head', value: h.value, layer: h.layer, order: nodeIndex.get(h.value) ?? 0 });
    for (const u of units) {
      const dims = m.tasks[0].clean.get(u)!.dims;
      const axis = dims.length === 4 ? 1 : dims.length - 1;
      const kind = dims.length === 4 ? 'channel' : 'unit';
      for (let f = 0; f < dims[axis]; f++) m.parts.push({ id: `${kind}:${u}[${f}]`, kind, value: u, layer: u, feature: f, axis, order: nodeIndex.get(u) ?? 0 });
    }
    m.parts.sort((a, b) => a.order - b.order);
    return m;
  }

  /** One run of `set` with these values replaced. */
  private async run(set: TaskInputs, replaced: Map<string, Source[]>, outputs: string[] = [this.output]): Promise<Record<string, FloatTensor>> {
    const feeds: Record<string, FloatTensor> = { [this.input]: set.inputs };
    for (const v of this.values) {
      const r = replaced.get(v);
      const [mask, patch] = r ? this.maskAndPatch(v, r, set.inputs.dims[0]) : [OFF, ZERO];
      feeds[maskInput(v)] = mask;
      feeds[patchInput(v)] = patch;
    }
    return this.session.run(feeds, outputs);
  }

  /** The mask and patch feeds of value `v` for these sources (later sources win on a feature). */
  private maskAndPatch(v: string, sources: Source[], rows: number): [FloatTensor, FloatTensor] {
    if (sources.every((x) => x.feature === undefined)) return [ON, sources[sources.length - 1].from];
    const part = this.parts.find((p) => p.value === v && p.axis !== undefined)!;
    const dims = this.tasks[0].clean.get(v)!.dims;
    const axis = part.axis!;
    const F = dims[axis];
    const mdims = dims.map((d, k) => (k === axis ? F : 1));
    const mask = new Float32Array(F);
    const byFeature: (FloatTensor | undefined)[] = new Array(F);
    for (const x of sources) {
      for (let f = 0; f < F; f++) {
        if (x.feature === undefined || x.feature === f) {
          mask[f] = 1;
          byFeature[f] = x.from;
        }
      }
    }
    const distinct = [...new Set(byFeature.filter((t): t is FloatTensor => t !== undefined))];
    if (distinct.length === 1) return [{ data: mask, dims: mdims }, distinct[0]];
    // Features from different tensors: one patch, element by element (each broadcast to [rows, …]).
    const full = [rows, ...dims.slice(1)];
    const size = full.reduce((a, b) => a * b, 1);
    const stride = full.slice(axis + 1).reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      const t = byFeature[Math.floor(i / stride) % F];
      if (t) data[i] = t.data.length === 1 ? t.data[0] : t.dims[0] === 1 ? t.data[i % (size / rows)] : t.data[i];
    }
    return [{ data: mask, dims: mdims }, { data, dims: full }];
  }

  private partOf(id: string): OnnxPart {
    const p = this.parts.find((x) => x.id === id);
    if (!p) throw new Error(`no component '${id}'`);
    return p;
  }

  /** What stands in for value `v` when task `t` runs with it removed. */
  private removal(t: Task, v: string): FloatTensor {
    if (this.intervention === 'zero') return ZERO;
    if (this.intervention === 'mean') return t.mean.get(v)!;
    const other = this.tasks[(this.tasks.indexOf(t) + 1) % this.tasks.length];
    return tiled(other.clean.get(v)!, t.inputs.dims[0]);
  }

  /** Every task's accuracy under `c`. */
  async measureOne(c: Condition): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const t of this.tasks) {
      const replaced = new Map<string, Source[]>();
      const add = (p: OnnxPart, from: FloatTensor) => replaced.set(p.value, [...(replaced.get(p.value) ?? []), { feature: p.feature, from }]);
      for (const id of c.removed) {
        const p = this.partOf(id);
        add(p, this.removal(t, p.value));
      }
      if (c.patch) {
        const from = this.tasks.find((x) => x.task === c.patch!.from);
        if (!from) throw new Error(`no task '${c.patch.from}' to patch from`);
        for (const id of c.patch.components) {
          const p = this.partOf(id);
          add(p, tiled(from.clean.get(p.value)!, t.inputs.dims[0]));
        }
      }
      const r = await this.run(t, replaced);
      this.runCount++;
      out[t.task] = accuracyOver(r[this.output], t.labels, t.classes);
    }
    return out;
  }

  async measure(conds: Condition[]): Promise<Record<string, number>[]> {
    const out: Record<string, number>[] = [];
    for (const c of conds) {
      if (this.shouldStop?.()) break;
      out.push(await this.measureOne(c));
    }
    return out;
  }

  async chance(): Promise<Record<string, number>> {
    return Object.fromEntries(this.tasks.map((t) => [t.task, 1 / t.classes.length]));
  }

  runs(): number {
    return this.runCount;
  }

  /** The components, in graph order: a head's size is its width, a unit's or channel's 1. */
  components(): ComponentSet {
    const all: Component[] = this.parts.map((p) => ({ id: p.id, kind: p.kind, label: p.id.slice(p.id.indexOf(':') + 1), population: p.layer, size: p.feature === undefined ? (this.tasks[0]?.clean.get(p.value)?.dims.at(-1) ?? 0) : 1 }));
    return { all, searchable: all, byId: new Map(all.map((c) => [c.id, c])), edges: [] };
  }

  async release(): Promise<void> {
    await this.session.release();
  }
}

/** Circuits of the tasks `sets` on the model `bytes`, in this thread (the CLI and tests; the extension uses startOnnxCircuits). */
export async function onnxCircuits(bytes: Uint8Array, sets: TaskInputs[], options: OnnxCircuitsOptions = {}): Promise<CircuitsResult> {
  const intervention = options.intervention ?? 'mean';
  if (options.task !== undefined && !sets.some((s) => s.task === options.task)) throw new CircuitsError(`no task '${options.task}' among the input sets (${sets.map((s) => s.task).join(', ')})`);
  const m = await OnnxMeasurer.create(bytes, sets, { intervention, output: options.output, units: options.units, shouldStop: options.shouldStop });
  try {
    const set = m.components();
    // From the output backwards: later layers first, and within a layer the last head first.
    const order = set.all.map((c) => c.id).reverse();
    const tasks = m.tasks.filter((t) => options.task === undefined || t.task === options.task).map((t) => ({ task: t.task, readout: t.task, order }));
    return await searchCircuits({ source: options.source ?? 'model.onnx', seed: options.seed ?? 1, tasks, noReadoutFit: true }, m, { ...options, intervention }, set);
  } finally {
    await m.release();
  }
}
