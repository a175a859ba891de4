// What an ONNX readout (`readout r = onnx { file: … }`) needs of its model, read from the decoded
// file: the first input (not an initializer) and the first output, and from them the features
// per window it takes and the classes it gives. The language's checker (editor diagnostics) and
// the run (sim-host/src/onnx/readout.ts, on the session's OnnxGraphInfo) judge a model by the same
// function. The checker's decoded model is passed structurally (onnx-proto's ModelProto fits), so
// protocol/ needs no package.

import type { OnnxValueInfo } from './onnx-graph';

/** A graph input or output: element type ("float32", "int64", …, "unknown") and shape (a string is a symbolic dimension). */
export type OnnxIo = OnnxValueInfo;

/** The parts of a decoded ModelProto read here. */
export interface ModelProtoLike {
  graph?: {
    input?: ValueInfoLike[] | null;
    output?: ValueInfoLike[] | null;
    initializer?: { name?: string | null }[] | null;
  } | null;
}
interface ValueInfoLike {
  name?: string | null;
  type?: { tensorType?: { elemType?: number | null; shape?: { dim?: { dimValue?: number | Long | null; dimParam?: string | null }[] | null } | null } | null } | null;
}
/** protobufjs's int64 (a Long) where it does not use numbers. */
interface Long {
  toNumber(): number;
}

/** TensorProto.DataType → name. */
const ELEM_TYPES: Record<number, string> = { 1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool', 10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64' };

const INTEGER = new Set(['uint8', 'int8', 'uint16', 'int16', 'int32', 'int64', 'uint32', 'uint64']);

function ioOf(v: ValueInfoLike): OnnxIo {
  const t = v.type?.tensorType;
  const elemType = t ? (ELEM_TYPES[t.elemType ?? 0] ?? 'unknown') : 'not a tensor';
  const shape = t?.shape?.dim?.map((d) => {
    const n = typeof d.dimValue === 'object' && d.dimValue ? d.dimValue.toNumber() : Number(d.dimValue ?? 0);
    return n > 0 ? n : d.dimParam || '?';
  });
  return { name: v.name ?? '', elemType, ...(shape ? { shape } : {}) };
}

/** The model's real inputs (initializers listed as inputs left out) and its outputs. */
export function onnxIo(m: ModelProtoLike): { inputs: OnnxIo[]; outputs: OnnxIo[] } {
  const g = m.graph;
  const inits = new Set((g?.initializer ?? []).map((t) => t.name ?? ''));
  return { inputs: (g?.input ?? []).filter((v) => !inits.has(v.name ?? '')).map(ioOf), outputs: (g?.output ?? []).map(ioOf) };
}

/** What a readout uses of a model: its first input and output, the features it takes and the classes it gives when the shapes fix them. */
export interface ReadoutIo {
  input: OnnxIo;
  output: OnnxIo;
  /** The input's last axis, when a number. */
  features?: number;
  /** A float output's last axis, when a number (undefined for an integer output: one class index per window). */
  classes?: number;
  /** The output is an integer class index. */
  integer: boolean;
  /** The input's first axis when it is a number (windows are fed that many at a time). */
  batch?: number;
}

const shapeText = (s: readonly (number | string)[] | undefined) => `[${(s ?? []).map(String).join(', ')}]`;

/** The readout's view of a model, or why a readout cannot use it (a sentence). */
export function readoutIo(io: { inputs: OnnxIo[]; outputs: OnnxIo[] }): ReadoutIo | { error: string } {
  const [input] = io.inputs;
  const [output] = io.outputs;
  if (!input) return { error: 'the model has no input' };
  if (!output) return { error: 'the model has no output' };
  if (input.elemType !== 'float32' && input.elemType !== 'unknown') return { error: `its first input ${input.name} is ${input.elemType}; a readout feeds float32 spike counts` };
  if (input.shape && input.shape.length !== 2) return { error: `its first input ${input.name} has shape ${shapeText(input.shape)}; a readout feeds [windows, features] (rank 2)` };
  const integer = INTEGER.has(output.elemType);
  if (!integer && output.elemType !== 'float32' && output.elemType !== 'float64' && output.elemType !== 'float16' && output.elemType !== 'unknown') return { error: `its first output ${output.name} is ${output.elemType}; a readout reads scores per class (float) or a class index (integer)` };
  const num = (d: number | string | undefined) => (typeof d === 'number' ? d : undefined);
  const out = output.shape ?? [];
  return {
    input, output, integer,
    features: num(input.shape?.[1]),
    classes: !integer && out.length >= 2 ? num(out[out.length - 1]) : undefined,
    batch: num(input.shape?.[0]),
  };
}

/** "[N, 64]": a shape as the messages write it. */
export { shapeText as onnxShapeText };
