// Hand-built ONNX models for the ONNX tests (sim-host/src/onnx/proto.ts writers), with their
// parameter counts worked out by hand, and Python's onnx package as an independent reference.
import { spawnSync } from 'node:child_process';
import { encodeModel, floatTensor, int64Tensor, node, valueInfo } from '../../sim-host/src/onnx/proto';

export const PY = '/usr/bin/python3';

/** Deterministic small weights. */
export function weights(n: number, seed = 1): number[] {
  let s = seed >>> 0;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32 - 0.5) * 0.4;
  });
}

const t = (name: string, dims: number[], seed = 1) => floatTensor(name, dims, weights(dims.reduce((a, b) => a * b, 1), seed));

/**
 * A small conv net on [N, 3, 32, 32]:
 * conv1 8×3×5×5 + 8 (608), pad 2 → [N, 8, 32, 32]; relu; maxpool 2/2 → [N, 8, 16, 16];
 * conv2 16×4×3×3 + 16, group 2, stride 2, dilation 2, pads 2 → [N, 16, 8, 8] (592);
 * avgpool 3 stride 2 pads 1 ceil → [N, 16, 5, 5] (ceil((8 + 2 − 3)/2) + 1); global avg → [N, 16, 1, 1]; flatten → [N, 16];
 * fc 10×16 (transB) + 10 (170) → [N, 10]; softmax. Parameters 608 + 592 + 170 = 1370.
 */
export function convNet(): Uint8Array {
  return encodeModel({
    name: 'convnet',
    nodes: [
      node('Conv', ['x', 'w1', 'b1'], ['c1'], 'conv1', { pads: [2, 2, 2, 2], kernel_shape: [5, 5] }),
      node('Relu', ['c1'], ['r1'], ''),
      node('MaxPool', ['r1'], ['p1'], '', { kernel_shape: [2, 2], strides: [2, 2] }),
      node('Conv', ['p1', 'w2', 'b2'], ['c2'], 'conv2', { group: 2, strides: [2, 2], dilations: [2, 2], pads: [2, 2, 2, 2] }),
      node('Relu', ['c2'], ['r2'], ''),
      node('AveragePool', ['r2'], ['p2'], '', { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1 }),
      node('GlobalAveragePool', ['p2'], ['g'], ''),
      node('Flatten', ['g'], ['f'], ''),
      node('Gemm', ['f', 'wf', 'bf'], ['logits'], 'fc', { transB: 1 }),
      node('Softmax', ['logits'], ['y'], 'softmax', { axis: -1 }),
    ],
    initializers: [t('w1', [8, 3, 5, 5], 1), t('b1', [8], 2), t('w2', [16, 4, 3, 3], 3), t('b2', [16], 4), t('wf', [10, 16], 5), t('bf', [10], 6)],
    inputs: [valueInfo('x', ['N', 3, 32, 32])],
    outputs: [{ name: 'y' }],
  });
}

/**
 * One transformer block's shapes on [B, 6, 8] (batch B, 6 tokens, width 8, 2 heads of 4):
 * LayerNorm (8 + 8); QKV MatMul 8×24 (192) + bias 24; Split into 3 × [B, 6, 8]; heads: Reshape
 * [0, 0, 2, 4] → Transpose [0, 2, 1, 3] → [B, 2, 6, 4]; scores MatMul with K^T [B, 2, 4, 6] →
 * [B, 2, 6, 6]; Div by a scalar; Where with a [6, 6] mask; Softmax; MatMul V → [B, 2, 6, 4];
 * Transpose back, Reshape [0, 0, -1] → [B, 6, 8]; out proj 8×8 (64); residual Add; ReduceMean
 * over the tokens (axes attribute at opset 17) → [B, 8]; Concat with itself on axis 1 → [B, 16].
 * Parameters: 16 + 216 + 64 + 1 (scale) + 1 (neg) + 36 (the bool mask) = 334; the int64 shapes
 * are not counted.
 */
export function attentionBlock(): Uint8Array {
  const mask = { name: 'mask', dims: [6, 6], dataType: 9, rawData: new Uint8Array(36).map((_, i) => (i % 6 <= Math.floor(i / 6) ? 1 : 0)) };
  return encodeModel({
    name: 'block',
    nodes: [
      node('LayerNormalization', ['x', 'ln_g', 'ln_b'], ['h'], 'ln', { axis: -1, epsilon: 1e-5 }),
      node('MatMul', ['h', 'w_qkv'], ['qkv0'], 'qkv'),
      node('Add', ['qkv0', 'b_qkv'], ['qkv1'], 'qkv_bias'),
      node('Split', ['qkv1', 'split3'], ['q', 'k', 'v'], 'split', { axis: 2 }),
      node('Reshape', ['q', 'heads'], ['qh'], 'q_heads'),
      node('Reshape', ['k', 'heads'], ['kh'], 'k_heads'),
      node('Reshape', ['v', 'heads'], ['vh'], 'v_heads'),
      node('Transpose', ['qh'], ['qt'], 'q_t', { perm: [0, 2, 1, 3] }),
      node('Transpose', ['kh'], ['kt'], 'k_t', { perm: [0, 2, 3, 1] }),
      node('Transpose', ['vh'], ['vt'], 'v_t', { perm: [0, 2, 1, 3] }),
      node('MatMul', ['qt', 'kt'], ['s0'], 'scores'),
      node('Div', ['s0', 'scale'], ['s1'], 'scaled'),
      node('Where', ['mask', 's1', 'neg'], ['s2'], 'masked'),
      node('Softmax', ['s2'], ['a'], 'attn', { axis: -1 }),
      node('MatMul', ['a', 'vt'], ['o0'], 'mix'),
      node('Transpose', ['o0'], ['o1'], 'o_t', { perm: [0, 2, 1, 3] }),
      node('Reshape', ['o1', 'merge'], ['o2'], 'merge_heads'),
      node('MatMul', ['o2', 'w_o'], ['o3'], 'proj'),
      node('Add', ['x', 'o3'], ['r'], 'residual'),
      node('ReduceMean', ['r'], ['m'], 'pool', { axes: [1], keepdims: 0 }),
      node('Concat', ['m', 'm'], ['y'], 'both', { axis: 1 }),
    ],
    initializers: [
      t('ln_g', [8], 1), t('ln_b', [8], 2), t('w_qkv', [8, 24], 3), t('b_qkv', [24], 4), t('w_o', [8, 8], 5),
      floatTensor('scale', [], [2]), floatTensor('neg', [], [-1e9]), mask,
      int64Tensor('split3', [3], [8, 8, 8]), int64Tensor('heads', [4], [0, 0, 2, 4]), int64Tensor('merge', [3], [0, 0, -1]),
    ],
    inputs: [valueInfo('x', ['B', 6, 8])],
    outputs: [{ name: 'y' }],
  });
}

/**
 * One of each shape rule's harder cases, for comparison with Python onnx (no weights to speak of):
 * Conv SAME_UPPER stride 2 on 7×7 and VALID with dilation 2; MaxPool with dilations; Gemm with
 * transA; MatMul 1-D × 2-D and 2-D × 1-D; Flatten at axis 0 and 2; Transpose's default
 * reversal; broadcasting [3, 1] − [4]; Where over three shapes; ReduceMean keeping dims; Concat
 * at axis −1; LayerNormalization at axis 1 with its Mean output; Split into equal parts.
 */
export function shapeZoo(): Uint8Array {
  const z = (name: string, dims: number[]) => floatTensor(name, dims, new Array(dims.reduce((a, b) => a * b, 1)).fill(0.1));
  return encodeModel({
    name: 'zoo',
    nodes: [
      node('Conv', ['img', 'k3'], ['same'], '', { auto_pad: 'SAME_UPPER', strides: [2, 2] }),
      node('Conv', ['img', 'k3'], ['valid'], '', { auto_pad: 'VALID', dilations: [2, 2] }),
      node('MaxPool', ['img'], ['mp'], '', { kernel_shape: [2, 2], dilations: [2, 2], pads: [0, 0, 1, 1] }),
      node('Gemm', ['at', 'gb'], ['gemm'], '', { transA: 1 }),
      node('MatMul', ['vec', 'mat'], ['vm'], ''),
      node('MatMul', ['mat2', 'vec2'], ['mv'], ''),
      node('Flatten', ['img'], ['f0'], '', { axis: 0 }),
      node('Flatten', ['img'], ['f2'], '', { axis: 2 }),
      node('Transpose', ['img'], ['tr'], ''),
      node('Sub', ['col', 'row'], ['outer'], ''),
      node('Sigmoid', ['outer'], ['sig'], ''),
      node('Where', ['cond', 'sig', 'row'], ['wh'], ''),
      node('ReduceMean', ['img'], ['rm'], '', { axes: [2, 3] }),
      node('Concat', ['outer', 'wh'], ['cat'], '', { axis: -1 }),
      node('LayerNormalization', ['img', 'lng', 'lnb'], ['ln', 'ln_mean'], '', { axis: 1 }),
      node('Split', ['cat'], ['s0', 's1'], '', { axis: 1 }),
      node('Tanh', ['s0'], ['th'], ''),
      node('Erf', ['th'], ['erf'], ''),
      node('Exp', ['erf'], ['y'], ''),
    ],
    initializers: [z('k3', [4, 2, 3, 3]), z('gb', [5, 6]), z('mat', [3, 4]), z('mat2', [2, 3]), z('vec2', [3]), z('row', [4]), z('lng', [2, 7, 7]), z('lnb', [2, 7, 7])],
    inputs: [valueInfo('img', [1, 2, 7, 7]), valueInfo('at', [5, 'M']), valueInfo('vec', [3]), valueInfo('col', [3, 1]), valueInfo('cond', [1, 4], 9)],
    outputs: [{ name: 'y' }],
  });
}

/** Value name → dims (numbers, or dim_param strings) from Python onnx's own shape inference. */
export function pythonInferredShapes(bytes: Uint8Array): Record<string, (number | string)[]> {
  const code = `
import sys, json, onnx
from onnx import shape_inference
m = onnx.load_from_string(sys.stdin.buffer.read())
m = shape_inference.infer_shapes(m, strict_mode=True)
out = {}
for v in list(m.graph.value_info) + list(m.graph.output) + list(m.graph.input):
    t = v.type.tensor_type
    if not t.HasField('shape'): continue
    dims = []
    for d in t.shape.dim:
        if d.HasField('dim_value'): dims.append(d.dim_value)
        elif d.HasField('dim_param'): dims.append(d.dim_param)
        else: dims.append(None)
    out[v.name] = dims
print(json.dumps(out))
`;
  const r = spawnSync(PY, ['-c', code], { input: bytes, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python onnx failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** Parameters by Python onnx (numpy product of each initializer's dims). */
export function pythonParameterCount(bytes: Uint8Array): number {
  const code = `
import sys, onnx, numpy as np
m = onnx.load_from_string(sys.stdin.buffer.read())
print(sum(int(np.prod(t.dims)) for t in m.graph.initializer if t.data_type != onnx.TensorProto.INT64))
`;
  const r = spawnSync(PY, ['-c', code], { input: bytes, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python onnx failed: ${r.stderr}`);
  return Number(r.stdout.trim());
}
