// A linear classifier written as an ONNX model (MatMul + Add): scores = x·W + b, input
// "features" float32 [N, d] (N symbolic), output "scores" float32 [N, K]. A ridge readout
// (analysis/readout/ridge.ts: scores (x − μ)·W) becomes one with b = −μ·W, so a fitted readout
// can be shipped as the file an ONNX readout (`readout r = onnx { file: … }`) runs.
import type { ModelIR } from '../../../protocol/ir';
import { DEFAULT_ALPHA, readoutData, ridgeFit, type RidgeModel } from '../analysis/readout/index';
import type { RunResult } from '../core/run';
import { encodeModel, floatTensor, node, valueInfo } from './proto';

/** The model bytes for weights `W` (d × K, row-major) and bias `b` (K). Deterministic. */
export function linearClassifier(W: ArrayLike<number>, b: ArrayLike<number>, d: number, K: number, name = 'linear_readout'): Uint8Array {
  if (W.length !== d * K) throw new Error(`linear classifier: ${W.length} weights for ${d} features × ${K} classes`);
  if (b.length !== K) throw new Error(`linear classifier: ${b.length} biases for ${K} classes`);
  return encodeModel({
    name,
    nodes: [node('MatMul', ['features', 'W'], ['xw'], 'matmul'), node('Add', ['xw', 'b'], ['scores'], 'add')],
    initializers: [floatTensor('W', [d, K], W), floatTensor('b', [K], b)],
    inputs: [valueInfo('features', ['N', d])],
    outputs: [valueInfo('scores', ['N', K])],
    docString: `linear classifier: ${d} features, ${K} classes (scores = features · W + b)`,
  });
}

/** A fitted ridge readout's weights and bias (b = −μ·W), as float64. */
export function ridgeLinear(m: RidgeModel): { W: Float64Array; b: Float64Array } {
  const b = new Float64Array(m.classes);
  for (let j = 0; j < m.features; j++) for (let c = 0; c < m.classes; c++) b[c] -= m.mean[j] * m.weights[j * m.classes + c];
  return { W: m.weights, b };
}

/** A fitted ridge readout as ONNX model bytes. */
export function ridgeAsOnnx(m: RidgeModel, name?: string): Uint8Array {
  const { W, b } = ridgeLinear(m);
  return linearClassifier(W, b, m.features, m.classes, name);
}

/** Ridge weights fitted on every window of `readout`'s task in `run` (no cross-validation), as ONNX model bytes. */
export function fittedReadoutAsOnnx(ir: ModelIR, readout: string, run: RunResult, alpha = DEFAULT_ALPHA): Uint8Array {
  const data = readoutData(ir, readout, run);
  return ridgeAsOnnx(ridgeFit(data.features, data.labels, data.classes.length, alpha), `${readout}_ridge`);
}
