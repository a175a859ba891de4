// Shape inference for the common operators, in graph order. A shape is either fully known (sizes
// and symbolic names) or left out: an operator not listed here, a missing input shape or a rule
// that cannot decide (two different symbolic sizes broadcast, a size computed from a symbol)
// gives no shape, never a guessed one.
import type { OnnxDim } from '../../../protocol/onnx-graph.js';

export type Shape = OnnxDim[];

/** What a node offers the rules: its op, input/output names and attributes already read. */
export interface ShapeNode {
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  ints: Map<string, number[]>;
  int: Map<string, number>;
  str: Map<string, string>;
}

const isNum = (d: OnnxDim): d is number => typeof d === 'number';

/** NumPy broadcasting of two shapes; undefined where it cannot be decided. */
export function broadcast(a: Shape, b: Shape): Shape | undefined {
  const n = Math.max(a.length, b.length);
  const out: Shape = [];
  for (let i = 0; i < n; i++) {
    const x = i < n - a.length ? 1 : a[i - (n - a.length)];
    const y = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (x === y) out.push(x);
    else if (x === 1) out.push(y);
    else if (y === 1) out.push(x);
    else if (isNum(x) && isNum(y)) return undefined; // incompatible: the runtime will say so
    else if (!isNum(x) && isNum(y)) out.push(y); // a symbol meeting a size > 1 must be that size
    else if (isNum(x) && !isNum(y)) out.push(x);
    else return undefined; // two different symbols
  }
  return out;
}

/** The product of dims: a number, one symbol (with all else 1), or undefined. */
function product(ds: Shape): OnnxDim | undefined {
  let p = 1;
  const syms: string[] = [];
  for (const d of ds) if (isNum(d)) p *= d; else syms.push(d);
  if (syms.length === 0) return p;
  return syms.length === 1 && p === 1 ? syms[0] : undefined;
}

const axisOf = (a: number, rank: number) => (a < 0 ? a + rank : a);

/** Spatial output size of a conv or pool window; undefined for a symbolic input. */
function windowOut(inp: OnnxDim, k: number, s: number, d: number, pb: number, pe: number, autoPad: string, ceil: boolean): OnnxDim | undefined {
  if (!isNum(inp)) return undefined;
  const span = d * (k - 1) + 1;
  if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') return Math.ceil(inp / s);
  if (autoPad === 'VALID') return Math.floor((inp - span) / s) + 1;
  const r = (inp + pb + pe - span) / s;
  let o = (ceil ? Math.ceil(r) : Math.floor(r)) + 1;
  // ceil mode: the last window must start inside the input or left padding (ONNX/PyTorch rule)
  if (ceil && (o - 1) * s >= inp + pb) o--;
  return o;
}

function windowed(x: Shape, n: ShapeNode, kernel: number[], channelsOut: OnnxDim | undefined): Shape | undefined {
  const sp = x.length - 2;
  if (sp < 1 || kernel.length !== sp || channelsOut === undefined) return undefined;
  const strides = n.ints.get('strides') ?? Array(sp).fill(1);
  const dil = n.ints.get('dilations') ?? Array(sp).fill(1);
  const pads = n.ints.get('pads') ?? Array(2 * sp).fill(0);
  if (strides.length !== sp || dil.length !== sp || pads.length !== 2 * sp) return undefined;
  const autoPad = n.str.get('auto_pad') ?? 'NOTSET';
  const ceil = (n.int.get('ceil_mode') ?? 0) === 1;
  const out: Shape = [x[0], channelsOut];
  for (let i = 0; i < sp; i++) {
    const o = windowOut(x[2 + i], kernel[i], strides[i], dil[i], pads[i], pads[sp + i], autoPad, ceil);
    if (o === undefined || (isNum(o) && o < 1)) return undefined;
    out.push(o);
  }
  return out;
}

function matmul(a: Shape, b: Shape): Shape | undefined {
  if (a.length === 0 || b.length === 0) return undefined;
  const a2 = a.length === 1 ? [1, a[0]] : a;
  const b2 = b.length === 1 ? [b[0], 1] : b;
  const ka = a2[a2.length - 1], kb = b2[b2.length - 2];
  if (ka !== kb && isNum(ka) === isNum(kb)) return undefined; // sizes differ, or two different symbols
  const batch = broadcast(a2.slice(0, -2), b2.slice(0, -2));
  if (!batch) return undefined;
  const out: Shape = [...batch];
  if (a.length > 1) out.push(a2[a2.length - 2]);
  if (b.length > 1) out.push(b2[b2.length - 1]);
  return out;
}

/** Reshape's target with 0 (copy) and -1 (infer); symbols must carry over unchanged. */
function reshape(x: Shape, target: number[], allowZero: boolean): Shape | undefined {
  const out: (OnnxDim | null)[] = target.map((t, i) => (t === 0 && !allowZero ? (i < x.length ? x[i] : undefined!) : t === -1 ? null : t));
  if (out.some((d) => d === undefined)) return undefined;
  const holes = out.filter((d) => d === null).length;
  if (holes > 1) return undefined;
  if (holes === 0) return out as Shape;
  const inSyms = x.filter((d) => !isNum(d)).sort();
  const outSyms = (out.filter((d) => d !== null && !isNum(d)) as string[]).sort();
  if (inSyms.join('\u0000') !== outSyms.join('\u0000')) return undefined;
  const inP = x.filter(isNum).reduce((p, d) => p * d, 1);
  const outP = (out.filter((d) => d !== null && isNum(d)) as number[]).reduce((p, d) => p * d, 1);
  if (outP === 0 || inP % outP !== 0) return undefined;
  return out.map((d) => (d === null ? inP / outP : d));
}

/** Operators with a shape rule here: when their inputs' shapes are known, no output shape means the shapes do not fit. */
export const SHAPE_RULES: ReadonlySet<string> = new Set(['Relu', 'Sigmoid', 'Tanh', 'Softmax', 'LogSoftmax', 'Erf', 'Exp', 'Log', 'Sqrt', 'Neg', 'Abs', 'Identity', 'LeakyRelu', 'Elu', 'Gelu', 'Softplus', 'HardSigmoid', 'Clip', 'Cast', 'BatchNormalization', 'Dropout', 'Reciprocal', 'Add', 'Sub', 'Mul', 'Div', 'Pow', 'Where', 'MatMul', 'Gemm', 'Conv', 'MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool', 'Flatten', 'Reshape', 'Transpose', 'Concat', 'Split', 'ReduceMean', 'ReduceSum', 'ReduceMax', 'LayerNormalization']);

/**
 * Infers output shapes of one node from `shapes` (known so far) and `consts` (int64 constants:
 * Reshape targets, Split sizes, axes inputs). Returns shapes per output index (missing = unknown).
 */
export function inferNode(n: ShapeNode, shapes: Map<string, Shape>, consts: Map<string, number[]>, opset: number): (Shape | undefined)[] {
  if (n.domain !== '' && n.domain !== 'ai.onnx') return [];
  const s = (i: number) => (n.inputs[i] ? shapes.get(n.inputs[i]) : undefined);
  const c = (i: number) => (n.inputs[i] ? consts.get(n.inputs[i]) : undefined);
  const x = s(0);
  switch (n.opType) {
    case 'Relu': case 'Sigmoid': case 'Tanh': case 'Softmax': case 'LogSoftmax': case 'Erf': case 'Exp': case 'Log':
    case 'Sqrt': case 'Neg': case 'Abs': case 'Identity': case 'LeakyRelu': case 'Elu': case 'Gelu': case 'Softplus':
    case 'HardSigmoid': case 'Clip': case 'Cast': case 'BatchNormalization': case 'Dropout': case 'Reciprocal':
      return [x];
    case 'Add': case 'Sub': case 'Mul': case 'Div': case 'Pow': {
      const b = s(1);
      return [x && b ? broadcast(x, b) : undefined];
    }
    case 'Where': {
      const b = s(1), d = s(2);
      const xb = x && b ? broadcast(x, b) : undefined;
      return [xb && d ? broadcast(xb, d) : undefined];
    }
    case 'MatMul': {
      const b = s(1);
      return [x && b ? matmul(x, b) : undefined];
    }
    case 'Gemm': {
      const b = s(1);
      if (!x || !b || x.length !== 2 || b.length !== 2) return [];
      const [m, ka] = n.int.get('transA') ? [x[1], x[0]] : [x[0], x[1]];
      const [kb, nn] = n.int.get('transB') ? [b[1], b[0]] : [b[0], b[1]];
      if (ka !== kb && isNum(ka) && isNum(kb)) return [];
      return [[m, nn]];
    }
    case 'Conv': {
      const w = s(1);
      if (!x || !w || w.length !== x.length) return [];
      const kernel = n.ints.get('kernel_shape') ?? w.slice(2).map((d) => (isNum(d) ? d : NaN));
      if (kernel.some((k) => !Number.isFinite(k))) return [];
      return [windowed(x, n, kernel, w[0])];
    }
    case 'MaxPool': case 'AveragePool': {
      const kernel = n.ints.get('kernel_shape');
      if (!x || !kernel) return [];
      const o = windowed(x, n, kernel, x[1]);
      return [o, n.opType === 'MaxPool' ? o : undefined];
    }
    case 'GlobalAveragePool': case 'GlobalMaxPool':
      return [x && x.length >= 3 ? [x[0], x[1], ...x.slice(2).map(() => 1)] : undefined];
    case 'Flatten': {
      if (!x) return [];
      const a = axisOf(n.int.get('axis') ?? 1, x.length);
      if (a < 0 || a > x.length) return [];
      const l = product(x.slice(0, a)), r = product(x.slice(a));
      return [l !== undefined && r !== undefined ? [l, r] : undefined];
    }
    case 'Reshape': {
      const t = opset >= 5 ? c(1) : n.ints.get('shape');
      return [x && t ? reshape(x, t, (n.int.get('allowzero') ?? 0) === 1) : undefined];
    }
    case 'Transpose': {
      if (!x) return [];
      const perm = n.ints.get('perm') ?? x.map((_, i) => x.length - 1 - i);
      if (perm.length !== x.length || [...perm].sort((p, q) => p - q).some((p, i) => p !== i)) return [];
      return [perm.map((p) => x[p])];
    }
    case 'Concat': {
      const all = n.inputs.map((_, i) => s(i));
      if (all.length === 0 || all.some((a) => !a)) return [];
      const r = all[0]!.length;
      const a = axisOf(n.int.get('axis') ?? 0, r);
      if (a < 0 || a >= r || all.some((q) => q!.length !== r || q!.some((d, i) => i !== a && d !== all[0]![i]))) return [];
      const sum = all.map((q) => q![a]);
      if (!sum.every(isNum)) return [];
      const out = [...all[0]!];
      out[a] = (sum as number[]).reduce((p, q) => p + q, 0);
      return [out];
    }
    case 'Split': {
      if (!x) return [];
      const a = axisOf(n.int.get('axis') ?? 0, x.length);
      const dim = x[a];
      if (a < 0 || a >= x.length) return [];
      let sizes = opset >= 13 ? c(1) : n.ints.get('split');
      const k = n.outputs.length;
      if (!sizes) {
        if (!isNum(dim)) return [];
        const numOut = n.int.get('num_outputs');
        if (dim % k === 0) sizes = Array(k).fill(dim / k);
        else if (numOut !== undefined) { const q = Math.ceil(dim / k); sizes = Array.from({ length: k }, (_, i) => (i < k - 1 ? q : dim - q * (k - 1))); }
        else return [];
      }
      if (sizes.length !== k || (isNum(dim) && sizes.reduce((p, q) => p + q, 0) !== dim)) return [];
      return sizes.map((z) => x.map((d, i) => (i === a ? z : d)));
    }
    case 'ReduceMean': case 'ReduceSum': case 'ReduceMax': {
      if (!x) return [];
      // ReduceMean/ReduceMax take axes as an input from opset 18, ReduceSum from 13
      const axesAsInput = n.opType === 'ReduceSum' ? opset >= 13 : opset >= 18;
      const axes = axesAsInput ? (n.inputs[1] ? c(1) : []) : n.ints.get('axes') ?? [];
      if (!axes) return [];
      const keep = (n.int.get('keepdims') ?? 1) === 1;
      if (axes.length === 0 && (n.int.get('noop_with_empty_axes') ?? 0) === 1) return [x];
      const set = new Set((axes.length === 0 ? x.map((_, i) => i) : axes).map((q) => axisOf(q, x.length)));
      return [keep ? x.map((d, i) => (set.has(i) ? 1 : d)) : x.filter((_, i) => !set.has(i))];
    }
    case 'LayerNormalization': {
      if (!x) return [];
      const a = axisOf(n.int.get('axis') ?? -1, x.length);
      const stat = x.map((d, i) => (i >= a ? 1 : d));
      return [x, stat, stat];
    }
    default:
      return [];
  }
}
