// Circuits on an ONNX model (issue 19): components = attention heads (values named `<layer>.H<k>`),
// a task = an input set with labels, its metric = accuracy (argmax over the logits its labels use,
// the first on ties, vs the label). The model is edited once (masks.ts) so that ONE session serves
// every ablation and patch; the search itself is the spiking analysis's (analysis/circuits
// searchCircuits), fed through a TaskMeasurer built here.
import type { CircuitsResult } from '../../../protocol/circuits';
import type { Component, ComponentSet } from '../analysis/circuits/components';
import { CircuitsError, searchCircuits, type TaskMeasurer } from '../analysis/circuits/discover';
import type { Condition } from '../analysis/circuits/evaluate';
import { headsOf, maskInput, patchInput, withMasks, type Intervenable } from './masks';
import { decodeModel, withOutputs } from './proto';
import { OnnxSession, type FloatTensor } from './runtime';
import type { TaskInputs } from './task-set';

export type OnnxIntervention = 'zero' | 'mean' | 'patch';
export const ONNX_INTERVENTIONS: readonly OnnxIntervention[] = ['zero', 'mean', 'patch'];

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
  /** Per head value: its output on this task's inputs (clean run) and the mean over them. */
  clean: Map<string, FloatTensor>;
  mean: Map<string, FloatTensor>;
}

/**
 * One session over the masked model and the tasks' inputs: `measure` answers each condition
 * with every task's accuracy (each task on its own inputs; `only` changes nothing here).
 */
export class OnnxMeasurer implements TaskMeasurer {
  runCount = 0;
  private constructor(
    private session: OnnxSession,
    private input: string,
    private output: string,
    readonly heads: Intervenable[],
    readonly tasks: Task[],
    private intervention: OnnxIntervention,
    private shouldStop?: () => boolean,
  ) {}

  static async create(bytes: Uint8Array, sets: TaskInputs[], options: { intervention: OnnxIntervention; output?: string; shouldStop?: () => boolean }): Promise<OnnxMeasurer> {
    const heads = headsOf(bytes);
    if (!heads.length) throw new CircuitsError('the model has no attention heads to intervene on: circuits look for node outputs named <layer>.H<k> (an attention head\'s value before its output projection)');
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
    const values = heads.map((h) => h.value);
    const session = await OnnxSession.create(withOutputs(withMasks(bytes, values), values));
    const m = new OnnxMeasurer(session, input, output, heads, [], options.intervention, options.shouldStop);
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
    return m;
  }

  /** One run of `set` with these values replaced (value → patch). */
  private async run(set: TaskInputs, replaced: Map<string, FloatTensor>, outputs: string[] = [this.output]): Promise<Record<string, FloatTensor>> {
    const feeds: Record<string, FloatTensor> = { [this.input]: set.inputs };
    for (const h of this.heads) {
      const p = replaced.get(h.value);
      feeds[maskInput(h.value)] = p ? ON : OFF;
      feeds[patchInput(h.value)] = p ?? ZERO;
    }
    return this.session.run(feeds, outputs);
  }

  private headOf(id: string): Intervenable {
    const h = this.heads.find((x) => x.id === id);
    if (!h) throw new Error(`no component '${id}'`);
    return h;
  }

  /** The replacement of head `h` when task `t` runs with it removed. */
  private removal(t: Task, h: Intervenable): FloatTensor {
    if (this.intervention === 'zero') return ZERO;
    if (this.intervention === 'mean') return t.mean.get(h.value)!;
    const other = this.tasks[(this.tasks.indexOf(t) + 1) % this.tasks.length];
    return tiled(other.clean.get(h.value)!, t.inputs.dims[0]);
  }

  /** Every task's accuracy under `c`. */
  async measureOne(c: Condition): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const t of this.tasks) {
      const replaced = new Map<string, FloatTensor>();
      for (const id of c.removed) {
        const h = this.headOf(id);
        replaced.set(h.value, this.removal(t, h));
      }
      if (c.patch) {
        const from = this.tasks.find((x) => x.task === c.patch!.from);
        if (!from) throw new Error(`no task '${c.patch.from}' to patch from`);
        for (const id of c.patch.components) {
          const h = this.headOf(id);
          replaced.set(h.value, tiled(from.clean.get(h.value)!, t.inputs.dims[0]));
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

  /** The heads as circuit components, in graph order. */
  components(): ComponentSet {
    const all: Component[] = this.heads.map((h) => ({ id: h.id, kind: 'head', label: h.value, population: h.layer, size: this.tasks[0]?.clean.get(h.value)?.dims.at(-1) ?? 0 }));
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
  const m = await OnnxMeasurer.create(bytes, sets, { intervention, output: options.output, shouldStop: options.shouldStop });
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
