// Record Activations: every node's output (or the chosen nodes') on an input set, by running the
// model with those outputs exposed as graph outputs (proto.ts withOutputs), in batches.
// Units (what Describe Neurons describes): an output of shape [C, H, W] per input (any rank ≥ 3)
// has one unit per channel (the first axis), its value per input the channel's maximum over the
// other axes — MILAN's choice of a unit's strongest response over the image —; a sequence [T, D]
// has D units (features), each its maximum over the positions; a vector [D] has D units; a scalar
// one. (Attention heads are not units here: the transformer's analyses define them.)

import { quote } from '../../../protocol/plain-text';
import { decodeChecked, num } from './decode';
import { OnnxError } from './errors';
import { withOutputs } from './proto';
import { OnnxSession, type FloatTensor } from './runtime';
import type { InputSet, ModelInput } from './input-set';

export interface NodeRecord {
  /** The node's name (`opType_k` for an unnamed node, k its index in the graph). */
  name: string;
  opType: string;
  /** The recorded value: the node's first output. */
  output: string;
  /** One input's output shape (without the batch dimension). */
  shape: number[];
  /** [inputs, …shape], row-major. */
  data: Float32Array;
}

export interface GraphNode {
  name: string;
  opType: string;
  outputs: string[];
}

/**
 * The graph's nodes in order, with names (`opType_k` where a node has none), and its first input.
 * A file that is not a usable model is an OnnxError naming `source` (decode.ts).
 */
export function graphNodes(bytes: Uint8Array, source = 'model.onnx'): { nodes: GraphNode[]; input: ModelInput } {
  const g = decodeChecked(bytes, source).graph!;
  const init = new Set((g.initializer ?? []).map((t) => t.name));
  const first = (g.input ?? []).find((i) => !init.has(i.name));
  if (!first) throw new OnnxError(source, 'the model has no input to feed');
  const dims = (first.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : d.dimValue != null ? num(d.dimValue) : '?'));
  const nodes = (g.node ?? []).map((n, k) => ({ name: n.name || `${n.opType}_${k}`, opType: n.opType ?? '', outputs: [...(n.output ?? [])] }));
  return { nodes, input: { name: first.name ?? '', dims } };
}

export interface RecordOptions {
  /** Node names to record (default: every node). */
  nodes?: readonly string[];
  /** Inputs per run (default 64). */
  batch?: number;
  /** Called after every batch: inputs done of total. */
  onProgress?: (done: number, total: number) => void;
  /** Polled between batches; true stops (the result says `cancelled`, holding the inputs done). */
  shouldStop?: () => boolean;
  /** The model's file (or label), named in errors (default "model.onnx"). */
  source?: string;
  /** Float values kept in all (default MAX_RECORD_VALUES); a recording that would hold more is refused after the first batch. */
  maxValues?: number;
}

/** 2²⁸ float32 values (1 GiB): the most a recording keeps. */
export const MAX_RECORD_VALUES = 2 ** 28;

export interface Recording {
  nodes: NodeRecord[];
  /** Inputs recorded (fewer than the set's when stopped). */
  count: number;
  cancelled: boolean;
  input: ModelInput;
}

/** Chooses nodes by name; an unknown name is refused with the names there are. */
export function chooseNodes(all: readonly GraphNode[], wanted?: readonly string[]): GraphNode[] {
  if (!wanted || wanted.length === 0) return all.filter((n) => n.outputs.length > 0 && n.outputs[0] !== '');
  return wanted.map((w) => {
    const n = all.find((x) => x.name === w);
    if (!n) throw new Error(`no node named '${quote(w, 80)}' in the model (nodes: ${all.slice(0, 20).map((x) => quote(x.name, 80)).join(', ')}${all.length > 20 ? ', …' : ''})`);
    return n;
  });
}

/** Runs the model on every input of `set` and keeps the chosen nodes' outputs. */
export async function recordActivations(bytes: Uint8Array, set: InputSet, options: RecordOptions = {}): Promise<Recording> {
  const source = options.source ?? 'model.onnx';
  const { nodes: all, input } = graphNodes(bytes, source);
  const chosen = chooseNodes(all, options.nodes);
  const outputs = chosen.map((n) => n.outputs[0]);
  const session = await OnnxSession.create(withOutputs(bytes, outputs), { source });
  try {
    // A model whose batch dimension is a fixed size is fed batches of exactly that size.
    const fixed = typeof input.dims[0] === 'number' && input.dims[0] > 0 ? input.dims[0] : undefined;
    if (fixed !== undefined && set.count % fixed !== 0) throw new Error(`the model input '${quote(input.name, 80)}' takes batches of exactly ${fixed}; the input set's ${set.count} inputs are not a multiple of it`);
    const batch = fixed ?? Math.max(1, Math.floor(options.batch ?? 64));
    const per = set.shape.reduce((a, b) => a * b, 1);
    const records: NodeRecord[] = chosen.map((n, k) => ({ name: n.name, opType: n.opType, output: outputs[k], shape: [], data: new Float32Array(0) }));
    let done = 0;
    let cancelled = false;
    while (done < set.count) {
      if (options.shouldStop?.()) {
        cancelled = true;
        break;
      }
      const b = Math.min(batch, set.count - done);
      const feed: FloatTensor = { data: set.data.subarray(done * per, (done + b) * per), dims: [b, ...set.shape] };
      const got = await session.run({ [input.name]: feed }, outputs);
      if (done === 0) {
        // The first batch gives every node's size per input: the whole recording is bounded here.
        const max = options.maxValues ?? MAX_RECORD_VALUES;
        const total = outputs.reduce((a, o) => a + (set.count * got[o].data.length) / b, 0);
        if (total > max) throw new Error(`recording ${records.length} node${records.length === 1 ? '' : 's'} on ${set.count} inputs would keep ${total} values (${((total * 4) / 2 ** 30).toFixed(1)} GiB), more than ${max}: choose fewer nodes or inputs`);
      }
      records.forEach((r, k) => {
        const t = got[outputs[k]];
        if (t.dims[0] !== b) throw new Error(`node '${quote(r.name, 80)}': its output has shape [${t.dims.join(', ')}], not ${b} inputs first`);
        if (done === 0) {
          r.shape = t.dims.slice(1);
          r.data = new Float32Array(set.count * (t.data.length / b));
        }
        if (t.data.length / b !== r.data.length / set.count) throw new Error(`node '${quote(r.name, 80)}': its output per input changed from [${r.shape.join(', ')}] to [${t.dims.slice(1).join(', ')}] between batches`);
        r.data.set(t.data, done * (r.data.length / set.count));
      });
      done += b;
      options.onProgress?.(done, set.count);
    }
    if (cancelled) for (const r of records) r.data = r.data.slice(0, done * (r.data.length / set.count || 0));
    return { nodes: records, count: done, cancelled, input };
  } finally {
    await session.release();
  }
}

/** Units of a recorded node (see the file's head): `values[u · count + i]` for unit u and input i. */
export function nodeUnits(r: Pick<NodeRecord, 'shape' | 'data'>, count: number): { units: number; values: Float32Array } {
  const size = r.shape.reduce((a, b) => a * b, 1);
  const rank = r.shape.length;
  // Unit u's values within one input: `inner` values `step` apart from u·stride.
  const units = rank === 0 ? 1 : rank === 2 ? r.shape[1] : r.shape[0];
  const [stride, step, inner] = rank === 2 ? [1, units, r.shape[0]] : [rank <= 1 ? 1 : size / units, 1, rank <= 1 ? 1 : size / units];
  const values = new Float32Array(units * count);
  for (let i = 0; i < count; i++) {
    for (let u = 0; u < units; u++) {
      const off = i * size + u * stride;
      let m = -Infinity;
      for (let j = 0; j < inner; j++) m = Math.max(m, r.data[off + j * step]);
      values[u * count + i] = m;
    }
  }
  return { units, values };
}
