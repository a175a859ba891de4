// What an ONNX model holds, as plain data (protocol/onnx-graph.ts): metadata, inputs and outputs,
// initializers with parameter counts, nodes with readable attributes, and shapes (declared or
// inferred by shapes.ts). Pure: onnx-proto only, no runtime.
import type { OnnxDim, OnnxGraphInfo, OnnxInitializerInfo, OnnxNodeInfo, OnnxValueInfo } from '../../../protocol/onnx-graph.js';
import { onnx, type ModelProto } from './proto.js';
import { decodeChecked, num } from './decode.js';
import { inferNode, type Shape, type ShapeNode } from './shapes.js';
import type onnxProto from 'onnx-proto';

type ITensor = onnxProto.onnx.ITensorProto;
type IValueInfo = onnxProto.onnx.IValueInfoProto;
type IAttribute = onnxProto.onnx.IAttributeProto;

const ELEM: Record<number, string> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool',
  10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 14: 'complex64', 15: 'complex128', 16: 'bfloat16',
  17: 'float8e4m3fn', 18: 'float8e4m3fnuz', 19: 'float8e5m2', 20: 'float8e5m2fnuz', 21: 'uint4', 22: 'int4',
};

/** An element type's name ("float32"); "unknown" for 0 or missing. */
export function elemTypeName(t: number | null | undefined): string {
  return t ? ELEM[t] ?? `type ${t}` : 'unknown';
}

/** A value's declared shape; undefined when none is declared. Blank dims read "?". */
function declaredShape(v: IValueInfo): Shape | undefined {
  const shape = v.type?.tensorType?.shape;
  if (!shape) return undefined;
  const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
  return (shape.dim ?? []).map((d): OnnxDim => (d.dimParam ? d.dimParam : own(d, 'dimValue') && num(d.dimValue) >= 0 ? num(d.dimValue) : '?'));
}

function valueInfo(v: IValueInfo): OnnxValueInfo {
  const shape = declaredShape(v);
  return { name: v.name ?? '', elemType: elemTypeName(v.type?.tensorType?.elemType), ...(shape ? { shape } : {}) };
}

const elements = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/** Int64/int32 values of a tensor (for constants); undefined when not integer or too large. */
export function intValues(t: ITensor): number[] | undefined {
  const dims = (t.dims ?? []).map(num);
  const size = elements(dims);
  if (size > 4096) return undefined;
  if (t.dataType === 7) {
    if (t.rawData && t.rawData.length) {
      if (t.rawData.length !== 8 * size) return undefined;
      const dv = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
      return Array.from({ length: size }, (_, i) => Number(dv.getBigInt64(8 * i, true)));
    }
    const v = (t.int64Data ?? []).map(num);
    return v.length === size ? v : undefined;
  }
  if (t.dataType === 6) {
    if (t.rawData && t.rawData.length) {
      if (t.rawData.length !== 4 * size) return undefined;
      const dv = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
      return Array.from({ length: size }, (_, i) => dv.getInt32(4 * i, true));
    }
    const v = t.int32Data ?? [];
    return v.length === size ? [...v] : undefined;
  }
  return undefined;
}

function list(xs: readonly (number | string)[]): string {
  const shown = xs.slice(0, 8).map((x) => (typeof x === 'number' ? short(x) : x));
  return `[${shown.join(', ')}${xs.length > 8 ? `, … (${xs.length} values)` : ''}]`;
}

function short(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(6)));
}

function text(b: Uint8Array | null | undefined): string {
  const s = new TextDecoder().decode(b ?? new Uint8Array());
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
}

/** How an attribute without a type (and so without a value) reads. */
export const NO_TYPE = '(no type)';

/** An attribute as a short plain string. */
export function attributeText(a: IAttribute): string {
  const T = onnx.AttributeProto.AttributeType;
  switch (a.type) {
    case T.INT: return String(num(a.i));
    case T.FLOAT: return short(a.f ?? 0);
    case T.STRING: return text(a.s);
    case T.INTS: return list((a.ints ?? []).map(num));
    case T.FLOATS: return list([...(a.floats ?? [])]);
    case T.STRINGS: return list((a.strings ?? []).map(text));
    case T.TENSOR: return `tensor ${elemTypeName(a.t?.dataType)} ${list((a.t?.dims ?? []).map(num))}`;
    case T.GRAPH: return `graph (${a.g?.node?.length ?? 0} nodes)`;
    case T.GRAPHS: return `${a.graphs?.length ?? 0} graphs`;
    case T.TENSORS: return `${a.tensors?.length ?? 0} tensors`;
    default: return a.refAttrName ? `ref ${a.refAttrName}` : NO_TYPE;
  }
}

function readAttrs(ns: onnxProto.onnx.INodeProto, sn: ShapeNode): Record<string, string> {
  const T = onnx.AttributeProto.AttributeType;
  const out: Record<string, string> = {};
  for (const a of ns.attribute ?? []) {
    const key = a.name ?? '';
    out[key] = attributeText(a);
    if (a.type === T.INT) sn.int.set(key, num(a.i));
    else if (a.type === T.INTS) sn.ints.set(key, (a.ints ?? []).map(num));
    else if (a.type === T.STRING) sn.str.set(key, new TextDecoder().decode(a.s ?? new Uint8Array()));
  }
  return out;
}

/** The default domain's opset the model imports (0 when none). */
function defaultOpset(m: ModelProto): number {
  const o = (m.opsetImport ?? []).find((x) => !x.domain || x.domain === 'ai.onnx');
  return o ? num(o.version) : 0;
}

/** Everything about a model's graph, from its bytes. Throws OnnxError on bytes that are not a usable model. */
export function inspectOnnx(bytes: Uint8Array, source: string): OnnxGraphInfo {
  const m = decodeChecked(bytes, source);
  const g = m.graph!;
  const opset = defaultOpset(m);
  const shapes = new Map<string, Shape>();
  const consts = new Map<string, number[]>();

  const initializers: OnnxInitializerInfo[] = (g.initializer ?? []).map((t) => {
    const shape = (t.dims ?? []).map(num);
    shapes.set(t.name ?? '', shape);
    const ints = intValues(t);
    if (ints) consts.set(t.name ?? '', ints);
    return { name: t.name ?? '', elemType: elemTypeName(t.dataType), shape, parameters: elements(shape) };
  });
  // int64 initializers are shapes and indices, not weights
  const initSize = new Map(initializers.map((i) => [i.name, i.elemType === 'int64' ? 0 : i.parameters]));
  const inputs = (g.input ?? []).filter((v) => !initSize.has(v.name ?? '')).map(valueInfo);
  const outputs = (g.output ?? []).map(valueInfo);
  for (const v of [...inputs, ...(g.valueInfo ?? []).map(valueInfo), ...outputs]) if (v.shape && !shapes.has(v.name)) shapes.set(v.name, v.shape);
  const declared = (name: string) => shapes.has(name);

  const counters = new Map<string, number>();
  const nodes: OnnxNodeInfo[] = (g.node ?? []).map((ns) => {
    const opType = ns.opType ?? '';
    let name = ns.name ?? '';
    if (!name) {
      const k = counters.get(opType) ?? 0;
      counters.set(opType, k + 1);
      name = `${opType}_${k}`;
    }
    const sn: ShapeNode = { opType, domain: ns.domain ?? '', inputs: [...(ns.input ?? [])], outputs: [...(ns.output ?? [])], ints: new Map(), int: new Map(), str: new Map() };
    const attributes = readAttrs(ns, sn);
    if (opType === 'Constant' && sn.domain === '') {
      const t = (ns.attribute ?? []).find((a) => a.name === 'value')?.t;
      const out = sn.outputs[0];
      if (t && out) {
        if (!declared(out)) shapes.set(out, (t.dims ?? []).map(num));
        const ints = intValues(t);
        if (ints) consts.set(out, ints);
      }
    } else {
      const inferred = inferNode(sn, shapes, consts, opset);
      sn.outputs.forEach((o, i) => {
        const s = inferred[i];
        if (o && s && !declared(o)) shapes.set(o, s);
      });
    }
    const read = new Set(sn.inputs.filter((i) => initSize.has(i)));
    const parameters = [...read].reduce((p, i) => p + initSize.get(i)!, 0);
    return { name, opType, domain: sn.domain, inputs: sn.inputs, outputs: sn.outputs, attributes, parameters };
  });

  for (const o of outputs) if (!o.shape && shapes.has(o.name)) o.shape = shapes.get(o.name);
  const hist = new Map<string, number>();
  for (const n of nodes) hist.set(n.opType, (hist.get(n.opType) ?? 0) + 1);
  return {
    source,
    irVersion: num(m.irVersion),
    producer: [m.producerName, m.producerVersion].filter(Boolean).join(' '),
    graphName: g.name ?? '',
    opsets: (m.opsetImport ?? []).map((o) => ({ domain: o.domain ?? '', version: num(o.version) })),
    inputs,
    outputs,
    initializers,
    nodes,
    shapes: Object.fromEntries(shapes),
    parameters: [...initSize.values()].reduce((p, q) => p + q, 0),
    ops: [...hist].map(([opType, count]) => ({ opType, count })).sort((a, b) => b.count - a.count || (a.opType < b.opType ? -1 : 1)),
  };
}

/** The first real graph input's declared shape (undefined when it declares none), read cheaply. */
export function onnxInputShape(bytes: Uint8Array, source = 'model.onnx'): OnnxDim[] | undefined {
  const m = decodeChecked(bytes, source);
  const g = m.graph!;
  const inits = new Set((g.initializer ?? []).map((t) => t.name));
  const first = (g.input ?? []).find((v) => !inits.has(v.name));
  return first ? declaredShape(first) : undefined;
}
