// The concept CNN (issue 19): the shipped files are rebuilt byte for byte from the code; every
// node's activations equal an independent numpy forward pass written from the ONNX operator
// specification (test/onnx/reference_forward.py, weights read with the `onnx` package); Describe
// Neurons on its units recovers the planted concept units (atom F1 as test/describe.test.ts
// defines it), and shuffled concepts do not; bad input sets are refused with located messages;
// the off-thread entries (startOnnxRecord, startOnnxDescribe) report progress, stop on cancel and
// give what the in-process functions give; the CLI records and describes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it, before } from 'node:test';
import { npyHeader } from '../sim-host/src/npy';
import { plantedUnits } from '../sim-host/src/onnx/build/cnn';
import { COLOURS, POSITIONS, SHAPES } from '../sim-host/src/onnx/build/images';
import { describeRecording, unitActivity } from '../sim-host/src/onnx/describe';
import { InputSetError, inputLabels, inputSetFromCsv, inputSetFromNpy, parseCsv, parseNpy, type InputSet } from '../sim-host/src/onnx/input-set';
import { graphNodes, nodeUnits, recordActivations, type Recording } from '../sim-host/src/onnx/record';
import { readInputSet, readModelFile, startOnnxDescribe, startOnnxRecord } from '../sim-host/src/onnx-host';
import { encodeModel, floatTensor, node, valueInfo } from '../sim-host/src/onnx/proto';
import { conceptCnnFiles } from '../scripts/build-onnx-examples';
import { distCli, distWorker, ensureBuilt, repoRoot } from './helpers/build';

const DIR = path.join(repoRoot, 'examples', 'onnx');
const MODEL = path.join(DIR, 'concept_cnn.onnx');
const NPY = path.join(DIR, 'concept_cnn.inputs.npy');
/** The bundled simulation worker (it loads onnxruntime-web from dist/ort/). */
const WORKER = distWorker;

const f1 = (got: string[], want: string[]): number => {
  const hit = got.filter((x) => want.includes(x)).length;
  return hit === 0 ? 0 : (2 * hit) / (got.length + want.length);
};

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-cnn-'));
const npyBytes = (data: Float32Array, shape: number[]) => new Uint8Array(Buffer.concat([npyHeader(data, shape), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));

let bytes: Uint8Array;
let set: InputSet;
let rec: Recording;

before(async () => {
  ensureBuilt();
  bytes = readModelFile(MODEL);
  set = readInputSet(NPY, graphNodes(bytes).input);
  rec = await recordActivations(bytes, set, { batch: 50 });
});

describe('onnx: the concept CNN', () => {
  it('rebuilding the model and its input set gives the committed bytes', () => {
    for (const f of conceptCnnFiles()) {
      const committed = fs.readFileSync(path.join(DIR, f.name));
      assert.ok(Buffer.from(f.bytes).equals(committed), `${f.name} differs from a rebuild (${f.bytes.length} vs ${committed.length} bytes): run npm run build:onnx-examples`);
    }
  });

  it('activations of every node equal the numpy reference within 1e-5', () => {
    const out = tmp();
    const r = spawnSync('/usr/bin/python3', [path.join(repoRoot, 'test', 'onnx', 'reference_forward.py'), MODEL, NPY, out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const ref = JSON.parse(r.stdout.trim().split('\n').pop()!) as { nodes: string[] };
    assert.deepEqual(rec.nodes.map((n) => n.name), ref.nodes, 'every node recorded, in graph order');
    assert.equal(rec.nodes.length, 9);
    for (const n of rec.nodes) {
      const want = parseNpy(fs.readFileSync(path.join(out, `${n.name}.npy`)), n.name);
      assert.deepEqual(want.shape, [set.count, ...n.shape], `${n.name}: shape`);
      let worst = 0;
      let at = 0;
      for (let i = 0; i < want.data.length; i++) {
        const d = Math.abs(want.data[i] - n.data[i]);
        if (!(d <= worst)) [worst, at] = [d, i];
      }
      assert.ok(worst <= 1e-5, `${n.name}: |ours − numpy| = ${worst} at ${at} (${n.data[at]} vs ${want.data[at]})`);
    }
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('the trained head classifies every shape of the input set', () => {
    const logits = rec.nodes.find((n) => n.name === 'fc2')!;
    let right = 0;
    for (let i = 0; i < set.count; i++) {
      const z = Array.from(logits.data.subarray(i * 4, i * 4 + 4));
      if (SHAPES[z.indexOf(Math.max(...z))] === set.labels[i]) right++;
    }
    assert.equal(right, set.count);
  });

  it('the planted units respond to their concepts in the data (a colour channel is above 0 exactly on its colour)', () => {
    const relu1 = rec.nodes.find((n) => n.name === 'relu1')!;
    const u = nodeUnits(relu1, set.count);
    const colour = set.concepts.find((c) => c.name === 'colour')!.values;
    for (let c = 0; c < COLOURS.length; c++) for (let i = 0; i < set.count; i++) assert.equal(u.values[c * set.count + i] > 0, colour[i] === COLOURS[c], `relu1[${c}] on input ${i}`);
  });

  it('Describe Neurons recovers the planted concept units (atom F1 ≥ 0.9 on every node) and calls the object channel unselective', async () => {
    const d = await describeRecording(rec.nodes, set, { seed: 3 });
    assert.equal(d.cancelled, false);
    assert.deepEqual(d.atoms.map((a) => a.name).sort(), [...SHAPES.map((s) => `shape=${s}`), ...COLOURS.map((c) => `colour=${c}`), ...POSITIONS.map((p) => `position=${p}`)].sort(), 'the label duplicates shape and is left out');
    const byNode = new Map<string, number[]>();
    for (const p of plantedUnits()) {
      const u = d.results.find((r) => r.population === p.node)!.result.units[p.unit];
      const score = p.atoms.length === 0 ? (u.selective ? 0 : 1) : u.selective ? f1(u.atoms, p.atoms) : 0;
      byNode.set(p.node, [...(byNode.get(p.node) ?? []), score]);
      if (p.atoms.length === 0) assert.equal(u.selective, false, `${p.node}[${p.unit}] (any object) is unselective: ${u.formula}`);
    }
    assert.equal(byNode.size, 8, 'planted units on every node but the trained logits');
    for (const [n, scores] of byNode) {
      const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
      assert.ok(mean >= 0.9, `${n}: atom F1 ${mean.toFixed(3)}`);
    }
    // The exemplars of relu1[0] (red) are red inputs, most active first.
    const red = d.results.find((r) => r.population === 'relu1')!.result.units[0];
    assert.ok(red.exemplars.length >= 5 && red.exemplars.every((i) => set.concepts[1].values[i] === 'red'));
  });

  it('with the concepts shuffled across inputs, the planted units are no longer recovered (control)', async () => {
    let s = 12345;
    const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
    const order = Array.from({ length: set.count }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const shuffled = { ...set, labels: order.map((i) => set.labels[i]), concepts: set.concepts.map((c) => ({ ...c, values: order.map((i) => c.values[i]) })) };
    const nodes = rec.nodes.filter((n) => n.name === 'relu1' || n.name === 'relu3');
    const d = await describeRecording(nodes, shuffled, { seed: 3, permutations: 300 });
    const planted = plantedUnits().filter((p) => p.node === 'relu1' || p.node === 'relu3');
    const mean = planted.reduce((a, p) => {
      const u = d.results.find((r) => r.population === p.node)!.result.units[p.unit];
      return a + (u.selective ? f1(u.atoms, p.atoms) : 0);
    }, 0) / planted.length;
    assert.ok(mean < 0.3, `shuffled F1 ${mean.toFixed(3)}`);
  });
});

describe('onnx: units and labels', () => {
  it('a channel\'s unit is its maximum over the image, a feature is itself', () => {
    // Two inputs of shape [2, 1, 3]: channel maxima 3, −1 / 5, 0.
    const data = new Float32Array([1, 3, 2, -4, -1, -2, 0, 5, 1, 0, -3, -6]);
    const u = nodeUnits({ shape: [2, 1, 3], data }, 2);
    assert.deepEqual(Array.from(u.values), [3, 5, -1, 0]);
    // A sequence [T = 2, D = 3] per input: D units, each its maximum over the positions.
    const seq = nodeUnits({ shape: [2, 3], data: new Float32Array([1, 9, 2, 4, 0, 3, /* input 1 */ -1, -2, -3, -4, -5, 7]) }, 2);
    assert.deepEqual([seq.units, Array.from(seq.values)], [3, [4, -1, 9, -2, 3, 7]]);
    const v = nodeUnits({ shape: [3], data: new Float32Array([1, 2, 3, 4, 5, 6]) }, 2);
    assert.deepEqual(Array.from(v.values), [1, 4, 2, 5, 3, 6]);
    // Activity scaled so the unit's largest value is 63, order and sign kept; never above 0 → inactive.
    const a = unitActivity({ shape: [2], data: new Float32Array([0.5, -1, 0.25, -2]) }, 2);
    assert.deepEqual(Array.from(a.counts), [63, 31.5, -1, -2]);
  });

  it('labels: concept=value, binary columns as bare names, the label unless a concept splits the inputs alike', () => {
    const labels = inputLabels({ count: 3, labels: ['a', 'b', 'b'], concepts: [{ name: 'size', values: ['big', '', 'small'] }, { name: 'striped', values: ['1', '0', '1'] }] });
    assert.deepEqual(labels, [['label=a', 'size=big', 'striped'], ['label=b'], ['label=b', 'size=small', 'striped']]);
    const same = inputLabels({ count: 2, labels: ['x', 'y'], concepts: [{ name: 'kind', values: ['p', 'q'] }] });
    assert.deepEqual(same, [['kind=p'], ['kind=q']]);
  });

  it('CSV: quoted fields with commas, quotes and newlines; cells located', () => {
    const rows = parseCsv('a,"b,1"\r\n"say ""hi""","two\nlines"\n\n3,4\n', 'x.csv');
    assert.deepEqual(rows.map((r) => r.map((c) => c.text)), [['a', 'b,1'], ['say "hi"', 'two\nlines'], ['3', '4']]);
    assert.deepEqual(rows[2].map((c) => [c.line, c.column]), [[5, 1], [5, 3]]);
  });

  it('a single-CSV input set for a model with input [N, F]', () => {
    const s = inputSetFromCsv({ file: 'f.csv', text: 'x0,x1,label,concept:odd\n1,2,a,1\n3,4.5,b,0\n' }, { name: 'x', dims: ['N', 2] });
    assert.deepEqual([s.count, s.shape, Array.from(s.data), s.labels, s.concepts], [2, [2], [1, 2, 3, 4.5], ['a', 'b'], [{ name: 'odd', values: ['1', '0'] }]]);
  });
});

describe('onnx: recording, beyond the CNN', () => {
  // y = relu(W x + b) with W = [[1, -1], [2, 0.5]], b = [0, -1]: hand-computed below.
  const mlp = encodeModel({
    name: 'mlp', inputs: [valueInfo('x', ['N', 2])], outputs: [valueInfo('y', ['N', 2])],
    initializers: [floatTensor('w', [2, 2], [1, -1, 2, 0.5]), floatTensor('b', [2], [0, -1])],
    nodes: [node('Gemm', ['x', 'w', 'b'], ['h'], '', { transB: 1 }), node('Relu', ['h'], ['y'], 'act')],
  });
  const csvSet = () => inputSetFromCsv({ file: 'm.csv', text: 'a,b,label,concept:big\n1,2,p,0\n3,-1,q,1\n0.5,0.5,p,0\n' }, graphNodes(mlp).input);

  it('a one-CSV input set through an MLP: unnamed nodes are opType_k, features are units', async () => {
    const r = await recordActivations(mlp, csvSet(), { batch: 2 });
    assert.deepEqual(r.nodes.map((n) => [n.name, n.opType, n.shape]), [['Gemm_0', 'Gemm', [2]], ['act', 'Relu', [2]]]);
    assert.deepEqual(Array.from(r.nodes[0].data), [-1, 2, 4, 4.5, 0, 0.25]);
    assert.deepEqual(Array.from(r.nodes[1].data), [0, 2, 4, 4.5, 0, 0.25]);
    assert.deepEqual(Array.from(nodeUnits(r.nodes[1], 3).values), [0, 4, 0, 2, 4.5, 0.25]);
  });

  it('stops between batches when asked, keeping the inputs done', async () => {
    let batches = 0;
    const r = await recordActivations(mlp, csvSet(), { batch: 1, onProgress: () => batches++, shouldStop: () => batches >= 2 });
    assert.deepEqual([r.cancelled, r.count, r.nodes[1].data.length], [true, 2, 4]);
  });

  it('a model whose batch dimension is fixed at 1 is fed one input at a time', async () => {
    const one = encodeModel({
      name: 'one', inputs: [valueInfo('x', [1, 2])], outputs: [valueInfo('y', [1, 2])],
      initializers: [floatTensor('w', [2, 2], [1, -1, 2, 0.5]), floatTensor('b', [2], [0, -1])],
      nodes: [node('Gemm', ['x', 'w', 'b'], ['y'], 'fc', { transB: 1 })],
    });
    const r = await recordActivations(one, csvSet(), { batch: 64 });
    assert.deepEqual(Array.from(r.nodes[0].data), [-1, 2, 4, 4.5, 0, 0.25]);
  });

  it('a recording over the bound is refused before it grows', async () => {
    await assert.rejects(recordActivations(mlp, csvSet(), { maxValues: 11 }), /would keep 12 values .* choose fewer nodes or inputs/);
    assert.equal((await recordActivations(mlp, csvSet(), { maxValues: 12 })).count, 3);
  });

  it('an unknown node is refused with the names there are', async () => {
    await assert.rejects(recordActivations(mlp, csvSet(), { nodes: ['nope'] }), /no node named 'nope' in the model \(nodes: Gemm_0, act\)/);
  });

  it('the CLI refuses a garbage model naming the file (exit 1, no crash)', () => {
    const d = tmp();
    fs.writeFileSync(path.join(d, 'bad.onnx'), Buffer.from('<!DOCTYPE html><html>not a model</html>'));
    const r = spawnSync(process.execPath, [distCli, 'onnx', 'describe', path.join(d, 'bad.onnx'), '--inputs', NPY], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /bad\.onnx: this is an HTML or XML page/);
    assert.doesNotMatch(r.stderr, /internal error|at .*\.ts:\d+/);
    fs.rmSync(d, { recursive: true, force: true });
  });
});

describe('onnx: bad input sets give located errors', () => {
  const input = { name: 'image', dims: ['N', 3, 16, 16] as (number | string)[] };
  const img = new Float32Array(2 * 3 * 16 * 16);
  const good = npyBytes(img, [2, 3, 16, 16]);
  const csv = 'index,label,shape\n0,a,disc\n1,b,bar\n';
  const err = (f: () => unknown, want: RegExp) => {
    let e: unknown;
    try {
      f();
    } catch (x) {
      e = x;
    }
    assert.ok(e instanceof InputSetError, `an InputSetError, got ${String(e)}`);
    assert.match(e.message, want);
  };
  const npy = (b: Uint8Array, c = csv) => () => inputSetFromNpy({ file: 'set.npy', bytes: b }, { file: 'set.csv', text: c }, input);

  it('the good case reads', () => assert.equal(npy(good)().count, 2));
  it('CSV header', () => err(npy(good, 'idx,label\n0,a\n1,b\n'), /^set\.csv:1:1: the first column is 'idx'/));
  it('CSV index out of order', () => err(npy(good, 'index,label,shape\n0,a,disc\n7,b,bar\n'), /^set\.csv:3:1: index '7' where 1 was expected/));
  it('CSV row with too few fields', () => err(npy(good, 'index,label,shape\n0,a,disc\n1,b\n'), /^set\.csv:3:\d+: 2 fields; the header has 3/));
  it('CSV rows ≠ inputs', () => err(npy(good, 'index,label,shape\n0,a,disc\n'), /^set\.csv:2:1: 1 rows for 2 inputs in set\.npy/));
  it('CSV quote not closed', () => err(npy(good, 'index,label,shape\n0,"a,disc\n1,b,bar\n'), /^set\.csv:2:3: a quoted field is not closed/));
  it('CSV duplicate concept', () => err(npy(good, 'index,label,shape,shape\n0,a,d,d\n1,b,e,e\n'), /^set\.csv:1:\d+: the column 'shape' appears twice/));
  it('CSV control characters in a concept', () => err(npy(good, 'index,label,shape\n0,a,disc\n1,b,"ba\u001b[31mr"\n'), /^set\.csv:3:5: a label or concept holds a control character/));
  it('.npy that is not one', () => err(npy(new TextEncoder().encode('<html>404</html>')), /^set\.npy: not a NumPy \.npy file/));
  it('.npy of int32', () => err(npy(new Uint8Array(Buffer.concat([npyHeader(new Int32Array(2 * 768), [2, 3, 16, 16]), Buffer.alloc(2 * 768 * 4)]))), /type is <i4; inputs are float32/));
  it('.npy truncated', () => err(npy(good.subarray(0, good.length - 10)), /needs 6144 bytes of data; the file has 6134/));
  it('.npy of the wrong shape names the model input', () => err(npy(npyBytes(new Float32Array(2 * 3 * 8 * 8), [2, 3, 8, 8])), /each input has shape \[3, 8, 8\], but the model input 'image' takes \[N, 3, 16, 16\]/));
  it('single CSV: a feature that is not a number', () => err(() => inputSetFromCsv({ file: 'f.csv', text: 'a,b,label\n1,2,x\n3,oops,y\n' }, { name: 'x', dims: ['N', 2] }), /^f\.csv:3:3: 'oops' in the feature column 'b' is not a finite number/));
  it('single CSV: features ≠ the model input', () => err(() => inputSetFromCsv({ file: 'f.csv', text: 'a,b,c,label\n1,2,3,x\n' }, { name: 'x', dims: ['N', 2] }), /each input has shape \[3\], but the model input 'x' takes \[N, 2\]/));
  it('a .npy without its sidecar CSV', () => {
    const d = tmp();
    fs.writeFileSync(path.join(d, 'set.npy'), good);
    err(() => readInputSet(path.join(d, 'set.npy'), input), /set\.npy: its sidecar set\.csv \(index,label,<concept columns>\) is missing/);
    fs.rmSync(d, { recursive: true, force: true });
  });
});

describe('onnx: off the thread, and the CLI', () => {
  it('startOnnxDescribe reports both phases and gives what the in-process analysis gives', async () => {
    const phases = new Set<string>();
    const h = startOnnxDescribe(bytes, set, { nodes: ['relu1', 'fc1'], seed: 3, source: 'concept_cnn.onnx' }, (_d, _t, phase) => phases.add(phase), WORKER);
    const out = await h.result;
    const mine = await describeRecording(rec.nodes.filter((n) => n.name === 'relu1' || n.name === 'fc1'), set, { seed: 3 });
    assert.deepEqual([...phases].sort(), ['describe', 'record']);
    assert.deepEqual(out.results.map((r) => r.result.units.map((u) => u.formula)), mine.results.map((r) => r.result.units.map((u) => u.formula)));
    assert.deepEqual(out.view.populations.map((p) => p.population), ['relu1', 'fc1']);
    assert.equal(out.view.windows, set.count);
  });

  it('a cancelled startOnnxDescribe says so', async () => {
    const h = startOnnxDescribe(bytes, set, { source: 'concept_cnn.onnx' }, undefined, WORKER);
    h.cancel();
    const out = await h.result;
    assert.equal(out.cancelled, true);
  });

  it('startOnnxRecord writes one .npy per node and activations.json, equal to the in-process recording', async () => {
    const d = tmp();
    const index = await startOnnxRecord(bytes, set, { nodes: ['pool', 'fc2'], outDir: d, source: 'concept_cnn.onnx' }, undefined, WORKER).result;
    assert.deepEqual(index.nodes.map((n) => [n.name, n.file, n.units]), [['pool', 'pool.npy', 8], ['fc2', 'fc2.npy', 4]]);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(d, 'activations.json'), 'utf8')), index);
    for (const n of index.nodes) {
      const a = parseNpy(fs.readFileSync(path.join(d, n.file)), n.file);
      assert.deepEqual(a.shape, [set.count, ...n.shape]);
      assert.deepEqual(a.data, rec.nodes.find((r) => r.name === n.name)!.data);
    }
    fs.rmSync(d, { recursive: true, force: true });
  });

  it('a model whose input does not take the set is refused naming the input (no crash)', async () => {
    const other = encodeModel({
      name: 'mlp', inputs: [valueInfo('x', ['N', 5])], outputs: [valueInfo('y', ['N', 2])],
      initializers: [floatTensor('w', [2, 5], new Float32Array(10)), floatTensor('b', [2], [0, 0])],
      nodes: [node('Gemm', ['x', 'w', 'b'], ['y'], 'fc', { transB: 1 })],
    });
    assert.throws(() => readInputSet(NPY, graphNodes(other).input), /the model input 'x' takes \[N, 5\]/);
  });

  it('spikeworks onnx describe --format json and a located error for a bad set (the bundled CLI)', () => {
    const r = spawnSync(process.execPath, [distCli, 'onnx', 'describe', MODEL, '--inputs', NPY, '--node', 'relu1', '--format', 'json'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { populations: { population: string; units: { formula: string }[] }[] };
    assert.deepEqual(j.populations[0].units.map((u) => u.formula), COLOURS.map((c) => `colour=${c}`));
    const d = tmp();
    fs.copyFileSync(NPY, path.join(d, 'set.npy'));
    fs.writeFileSync(path.join(d, 'set.csv'), 'index,label\n0,a\nx,b\n');
    const bad = spawnSync(process.execPath, [distCli, 'onnx', 'record', MODEL, '--inputs', path.join(d, 'set.npy'), '--out', path.join(d, 'out')], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /set\.csv:3:1: error: 2 rows for 288 inputs in /);
    fs.rmSync(d, { recursive: true, force: true });
  });
});
