// inspectOnnx (sim-host/src/onnx/inspect.ts, shapes.ts): metadata, inputs/outputs, initializers,
// nodes with readable attributes and parameter counts, and shapes inferred for the common operators,
// on hand-built models whose shapes and counts are worked out by hand (test/helpers/onnx-models.ts),
// checked against Python onnx's own shape inference and against what onnxruntime-web computes;
// where a rule cannot decide, no shape (never a wrong one). `spikeworks onnx inspect` prints it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { inspectOnnx, onnxInputShape } from '../sim-host/src/onnx/inspect';
import { broadcast } from '../sim-host/src/onnx/shapes';
import { encodeModel, floatTensor, int64Tensor, node, valueInfo, withOutputs } from '../sim-host/src/onnx/proto';
import { OnnxSession } from '../sim-host/src/onnx/runtime';
import { attentionBlock, convNet, pythonInferredShapes, pythonParameterCount, shapeZoo } from './helpers/onnx-models';
import { distCli, ensureBuilt } from './helpers/build';

describe('inspectOnnx: a conv net', () => {
  const g = inspectOnnx(convNet(), 'conv.onnx');

  it('reads metadata, the real inputs and outputs, initializers and parameters', () => {
    assert.equal(g.source, 'conv.onnx');
    assert.equal(g.irVersion, 8);
    assert.equal(g.producer, 'spikeworks');
    assert.equal(g.graphName, 'convnet');
    assert.deepEqual(g.opsets, [{ domain: '', version: 17 }]);
    assert.deepEqual(g.inputs, [{ name: 'x', elemType: 'float32', shape: ['N', 3, 32, 32] }]);
    assert.deepEqual(g.outputs.map((o) => [o.name, o.shape]), [['y', ['N', 10]]]);
    assert.deepEqual(g.initializers.map((i) => [i.name, i.parameters]), [['w1', 600], ['b1', 8], ['w2', 576], ['b2', 16], ['wf', 160], ['bf', 10]]);
    assert.equal(g.parameters, 1370);
    assert.deepEqual(g.nodes.filter((n) => n.parameters).map((n) => [n.name, n.parameters]), [['conv1', 608], ['conv2', 592], ['fc', 170]]);
  });

  it('names unnamed nodes opType_k and renders attributes as short plain strings', () => {
    assert.deepEqual(g.nodes.map((n) => n.name), ['conv1', 'Relu_0', 'MaxPool_0', 'conv2', 'Relu_1', 'AveragePool_0', 'GlobalAveragePool_0', 'Flatten_0', 'fc', 'softmax']);
    assert.deepEqual(g.nodes[3].attributes, { group: '2', strides: '[2, 2]', dilations: '[2, 2]', pads: '[2, 2, 2, 2]' });
    assert.deepEqual(g.nodes[8].attributes, { transB: '1' });
    assert.deepEqual(g.ops.slice(0, 2), [{ opType: 'Conv', count: 2 }, { opType: 'Relu', count: 2 }]);
  });

  it('infers the shapes worked out by hand (pads, strides, dilations, groups, ceil mode)', () => {
    const want: Record<string, (number | string)[]> = {
      c1: ['N', 8, 32, 32], p1: ['N', 8, 16, 16], c2: ['N', 16, 8, 8], p2: ['N', 16, 5, 5], g: ['N', 16, 1, 1], f: ['N', 16], logits: ['N', 10], y: ['N', 10],
    };
    for (const [k, v] of Object.entries(want)) assert.deepEqual(g.shapes[k], v, k);
  });
});

describe('inspectOnnx: an attention block (MatMul, Split, Reshape 0/-1, Transpose, Where, ReduceMean, Concat, LayerNormalization)', () => {
  const g = inspectOnnx(attentionBlock(), 'block.onnx');
  it('infers every intermediate shape', () => {
    const want: Record<string, (number | string)[]> = {
      h: ['B', 6, 8], qkv1: ['B', 6, 24], q: ['B', 6, 8], v: ['B', 6, 8], qh: ['B', 6, 2, 4], qt: ['B', 2, 6, 4], kt: ['B', 2, 4, 6],
      s0: ['B', 2, 6, 6], s2: ['B', 2, 6, 6], o0: ['B', 2, 6, 4], o2: ['B', 6, 8], r: ['B', 6, 8], m: ['B', 8], y: ['B', 16],
    };
    for (const [k, v] of Object.entries(want)) assert.deepEqual(g.shapes[k], v, k);
    assert.equal(g.parameters, 334);
  });
});

describe('inspectOnnx against independent references', () => {
  for (const [label, bytes] of [['conv net', convNet()], ['attention block', attentionBlock()]] as const) {
    it(`${label}: every shape we infer equals Python onnx's shape inference, and it infers no more; parameters equal numpy's count`, () => {
      const g = inspectOnnx(bytes, 'm.onnx');
      const py = pythonInferredShapes(bytes);
      const inits = new Set(g.initializers.map((i) => i.name));
      const ours = Object.keys(g.shapes).filter((k) => !inits.has(k)).sort();
      assert.deepEqual(ours, Object.keys(py).sort());
      for (const k of ours) assert.deepEqual(g.shapes[k], py[k], k);
      assert.equal(g.parameters, pythonParameterCount(bytes));
    });
  }

  it('a zoo of harder cases (auto_pad, dilations, transA, 1-D MatMul, Flatten axes, default Transpose, broadcasting): every shape we infer equals Python onnx\'s', () => {
    const g = inspectOnnx(shapeZoo(), 'zoo.onnx');
    const py = pythonInferredShapes(shapeZoo());
    const inits = new Set(g.initializers.map((i) => i.name));
    const ours = Object.keys(g.shapes).filter((k) => !inits.has(k));
    for (const k of ours) assert.deepEqual(g.shapes[k], py[k], k);
    assert.deepEqual(ours.sort(), Object.keys(py).sort());
    assert.deepEqual(g.shapes.same, [1, 4, 4, 4]);
    assert.deepEqual(g.shapes.valid, [1, 4, 3, 3]);
    assert.deepEqual(g.shapes.gemm, ['M', 6]);
    assert.deepEqual(g.shapes.vm, [4]);
    assert.deepEqual(g.shapes.mv, [2]);
    assert.deepEqual(g.shapes.ln_mean, [1, 1, 1, 1]);
  });

  it('onnxruntime-web computes the same shapes for every intermediate value (N = 2, B = 3)', async () => {
    for (const [bytes, sym, x] of [[convNet(), 'N', [2, 3, 32, 32]], [attentionBlock(), 'B', [3, 6, 8]]] as const) {
      const g = inspectOnnx(bytes, 'm.onnx');
      const values = g.nodes.flatMap((n) => n.outputs);
      const s = await OnnxSession.create(withOutputs(bytes, values), { source: 'm.onnx' });
      const n = x.reduce((a, b) => a * b, 1);
      const r = await s.run({ x: { data: new Float32Array(n).map((_, i) => Math.sin(i)), dims: [...x] } }, values);
      for (const v of values) assert.deepEqual(r[v].dims, g.shapes[v].map((d) => (d === sym ? x[0] : d)), v);
      await s.release();
    }
  });
});

describe('shape rules that cannot decide give no shape', () => {
  const model = (nodes: ReturnType<typeof node>[], inputs: ReturnType<typeof valueInfo>[], inits = [] as ReturnType<typeof floatTensor>[]) => inspectOnnx(encodeModel({ name: 'g', nodes, initializers: inits, inputs, outputs: [{ name: 'y' }] }), 'u.onnx');

  it('an unknown operator has no shape and neither has what follows it', () => {
    const g = model([node('Relu', ['x'], ['a'], ''), node('NonZero', ['a'], ['b'], ''), node('Relu', ['b'], ['y'], '')], [valueInfo('x', [2, 3])]);
    assert.deepEqual(g.shapes.a, [2, 3]);
    assert.equal(g.shapes.b, undefined);
    assert.equal(g.shapes.y, undefined);
    assert.equal(g.outputs[0].shape, undefined);
  });

  it('broadcasting two different symbols, or mismatched sizes, is undecided; a symbol against a size takes the size', () => {
    assert.equal(broadcast(['N', 3], ['M', 3]), undefined);
    assert.equal(broadcast([2, 3], [4, 3]), undefined);
    assert.deepEqual(broadcast(['N', 3], [5, 1]), [5, 3]);
    assert.deepEqual(broadcast(['N', 1, 4], [3, 1]), ['N', 3, 4]);
  });

  it('Reshape with a shape computed at run time, and -1 over a symbol that does not carry over, are undecided', () => {
    const g1 = model([node('Shape', ['x'], ['s'], ''), node('Reshape', ['x', 's'], ['y'], '')], [valueInfo('x', ['N', 6])]);
    assert.equal(g1.shapes.y, undefined);
    const g2 = inspectOnnx(encodeModel({ name: 'g', nodes: [node('Reshape', ['x', 's'], ['y'], '')], initializers: [int64Tensor('s', [2], [-1, 3])], inputs: [valueInfo('x', ['N', 6])], outputs: [{ name: 'y' }] }), 'r.onnx');
    assert.equal(g2.shapes.y, undefined);
    const g3 = inspectOnnx(encodeModel({ name: 'g', nodes: [node('Reshape', ['x', 's'], ['y'], '')], initializers: [int64Tensor('s', [3], [0, -1, 3])], inputs: [valueInfo('x', ['N', 6])], outputs: [{ name: 'y' }] }), 'r.onnx');
    assert.deepEqual(g3.shapes.y, ['N', 2, 3]);
  });

  it('a Conv on a symbolic image size is undecided', () => {
    const g = model([node('Conv', ['x', 'w'], ['y'], '')], [valueInfo('x', [1, 1, 'H', 'W'])], [floatTensor('w', [2, 1, 3, 3], new Array(18).fill(0))]);
    assert.equal(g.shapes.y, undefined);
  });

  it('ReduceMean at opset 18 takes axes as an input; Split with num_outputs-style uneven sizes only when told', () => {
    const b = encodeModel({ name: 'g', opset: 18, nodes: [node('ReduceMean', ['x', 'ax'], ['y'], '', { keepdims: 1 })], initializers: [int64Tensor('ax', [1], [-1])], inputs: [valueInfo('x', [2, 5])], outputs: [{ name: 'y' }] });
    assert.deepEqual(inspectOnnx(b, 'r.onnx').shapes.y, [2, 1]);
    const s = model([node('Split', ['x'], ['y', 'z'], '', { axis: 1 })], [valueInfo('x', [2, 5])]);
    assert.equal(s.shapes.y, undefined);
    const s2 = model([node('Split', ['x'], ['y', 'z'], '', { axis: 1 })], [valueInfo('x', [2, 6])]);
    assert.deepEqual([s2.shapes.y, s2.shapes.z], [[2, 3], [2, 3]]);
  });
});

describe('onnxInputShape', () => {
  it('is the first real input (not an initializer listed as an input), with symbolic sizes as strings', () => {
    assert.deepEqual(onnxInputShape(convNet()), ['N', 3, 32, 32]);
    const b = encodeModel({ name: 'g', nodes: [node('Add', ['w', 'x'], ['y'], '')], initializers: [floatTensor('w', [4], [1, 2, 3, 4])], inputs: [valueInfo('w', [4]), valueInfo('x', ['T', 4])], outputs: [{ name: 'y' }] });
    assert.deepEqual(onnxInputShape(b), ['T', 4]);
    const none = encodeModel({ name: 'g', nodes: [node('Relu', ['x'], ['y'], '')], initializers: [], inputs: [{ name: 'x' }], outputs: [{ name: 'y' }] });
    assert.equal(onnxInputShape(none), undefined);
  });
});

describe('spikeworks onnx inspect', () => {
  it('prints inputs, outputs, parameters, the operator histogram and every node; --format json is the OnnxGraphInfo; --run runs it', () => {
    ensureBuilt();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-inspect-'));
    fs.writeFileSync(path.join(dir, 'conv.onnx'), convNet());
    const run = (args: string[]) => spawnSync(process.execPath, [distCli, 'onnx', ...args], { cwd: dir, encoding: 'utf8' });
    const t = run(['inspect', 'conv.onnx', '--run']);
    assert.equal(t.status, 0, t.stderr);
    assert.match(t.stdout, /^conv\.onnx: ONNX IR 8, opset ai\.onnx 17, producer spikeworks, graph convnet$/m);
    assert.match(t.stdout, /^ {2}x {2}float32 \[N, 3, 32, 32\]$/m);
    assert.match(t.stdout, /^parameters: 1,370 in 6 initializers$/m);
    assert.match(t.stdout, /^operators: Conv 2, Relu 2, AveragePool 1, Flatten 1, Gemm 1, GlobalAveragePool 1, MaxPool 1, Softmax 1$/m);
    assert.match(t.stdout, /^ {2}conv2 {2}Conv {2}p1, w2, b2 -> c2 \[N, 16, 8, 8\] {2}592 params {2}group=2 strides=\[2, 2\] dilations=\[2, 2\] pads=\[2, 2, 2, 2\]$/m);
    assert.match(t.stdout, /^run on zeros \(onnxruntime-web, 1 thread\): y \[1, 10\] in [\d.]+ ms$/m);
    const j = run(['inspect', 'conv.onnx', '--format', 'json']);
    assert.equal(j.status, 0, j.stderr);
    assert.deepEqual(JSON.parse(j.stdout), JSON.parse(JSON.stringify(inspectOnnx(convNet(), 'conv.onnx'))));
    const bad = run(['inspect', 'conv.onnx', '--format', 'xml']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--format must be text or json, got xml/);
    const help = spawnSync(process.execPath, [distCli, '--help'], { encoding: 'utf8' });
    assert.match(help.stdout, /^ {2}spikeworks onnx inspect <file\.onnx> \[--format text\|json\] \[--run\] \[--threads N\]$/m);
    const sub = run(['frobnicate']);
    assert.equal(sub.status, 2);
    assert.match(sub.stderr, /unknown onnx subcommand 'frobnicate' \(inspect/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
