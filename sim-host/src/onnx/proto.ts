// ONNX protobuf in and out (onnx-proto): decode a model, write one from plain arrays, and the one
// graph edit every analysis needs (node outputs exposed as graph outputs). Pure: bytes in, bytes out.
import onnxProto from 'onnx-proto';

export const onnx = onnxProto.onnx;
export type ModelProto = onnxProto.onnx.ModelProto;
export type GraphProto = onnxProto.onnx.IGraphProto;
export type NodeProto = onnxProto.onnx.INodeProto;

/** ONNX element types used here (TensorProto.DataType). */
export const FLOAT = 1;
export const INT64 = 7;
export const BOOL = 9;

/** A float32 initializer. */
export function floatTensor(name: string, dims: readonly number[], values: ArrayLike<number>): onnxProto.onnx.ITensorProto {
  const size = dims.reduce((a, b) => a * b, 1);
  if (values.length !== size) throw new Error(`tensor ${name}: ${values.length} values for shape [${dims.join(', ')}] (${size})`);
  const raw = new Float32Array(values);
  return { name, dims: [...dims], dataType: FLOAT, rawData: new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength) };
}

/** An int64 initializer (shapes, axes). */
export function int64Tensor(name: string, dims: readonly number[], values: readonly number[]): onnxProto.onnx.ITensorProto {
  const raw = new BigInt64Array(values.map((v) => BigInt(v)));
  return { name, dims: [...dims], dataType: INT64, rawData: new Uint8Array(raw.buffer) };
}

/** A value's declared type: element type and shape (a string is a symbolic dimension such as "N"). */
export function valueInfo(name: string, dims: readonly (number | string)[], elemType = FLOAT): onnxProto.onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } } };
}

type Attr = number | readonly number[] | string;

/** A node; integer attributes are written as INT(S), others as FLOAT(S), strings as STRING. */
export function node(opType: string, inputs: readonly string[], outputs: readonly string[], name: string, attrs: Record<string, Attr> = {}): onnxProto.onnx.INodeProto {
  const attribute = Object.entries(attrs).map(([key, v]): onnxProto.onnx.IAttributeProto => {
    const A = onnx.AttributeProto.AttributeType;
    if (typeof v === 'string') return { name: key, type: A.STRING, s: new TextEncoder().encode(v) };
    if (typeof v === 'number') return Number.isInteger(v) && !FLOAT_ATTRS.has(key) ? { name: key, type: A.INT, i: v } : { name: key, type: A.FLOAT, f: v };
    return FLOAT_ATTRS.has(key) ? { name: key, type: A.FLOATS, floats: [...v] } : { name: key, type: A.INTS, ints: [...v] };
  });
  return { opType, input: [...inputs], output: [...outputs], name, attribute };
}

/** Attributes that are floats even when the value is a whole number. */
const FLOAT_ATTRS = new Set(['alpha', 'beta', 'epsilon', 'value_float', 'min', 'max', 'gamma']);

export interface ModelParts {
  name: string;
  nodes: onnxProto.onnx.INodeProto[];
  initializers: onnxProto.onnx.ITensorProto[];
  inputs: onnxProto.onnx.IValueInfoProto[];
  outputs: onnxProto.onnx.IValueInfoProto[];
  /** Default 17. */
  opset?: number;
  docString?: string;
}

/** Encodes a model (IR version 8, the default domain at `opset`). Deterministic bytes. */
export function encodeModel(p: ModelParts): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'spikeworks',
    opsetImport: [{ domain: '', version: p.opset ?? 17 }],
    docString: p.docString ?? '',
    graph: { name: p.name, node: p.nodes, initializer: p.initializers, input: p.inputs, output: p.outputs },
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Decodes model bytes; throws protobufjs's error on bytes that are not a ModelProto. */
export function decodeModel(bytes: Uint8Array): ModelProto {
  return onnx.ModelProto.decode(bytes);
}

/** The model with these values (node outputs) added as graph outputs, so a session returns them. */
export function withOutputs(bytes: Uint8Array, names: readonly string[]): Uint8Array {
  const m = decodeModel(bytes);
  const g = m.graph!;
  const have = new Set((g.output ?? []).map((o) => o.name));
  for (const n of names) if (!have.has(n)) { g.output!.push(onnx.ValueInfoProto.create({ name: n })); have.add(n); }
  return onnx.ModelProto.encode(m).finish();
}
