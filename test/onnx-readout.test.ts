// ONNX readouts (issue 19): `readout clf = onnx { file; from; bin; task }`.
// - On a liquid (examples/lsm_onnx_readout.snn), the ONNX readout's accuracy and per-window
//   answers equal the same weights (read back from the .onnx file) applied in plain TypeScript in
//   this test, for the shipped ridge weights and for arbitrary fixed weights (an imperfect classifier, so
//   that wrong answers must agree too); the shipped .onnx is rebuilt byte for byte.
// - Integer-class outputs (ArgMax) and a fixed batch of 1 give the same answers.
// - Bad models: a shape mismatch is a warning at the readout's `from` in the editor (over LSP),
//   a missing / garbage / truncated file one at `file`, a class-count mismatch one at `file`;
//   at run time each is the readout's located "not evaluated" warning (never a crash);
//   untrusted, the file is not opened and a note says the shape is checked once trusted.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { URI } from 'vscode-uri';
import { ModelWorkspace, type Host } from '../language-server/src/ide';
import { nodeHost } from '../language-server/src/node-host';
import { UNTRUSTED_MODEL } from '../language-server/src/program';
import type { ModelIR } from '../protocol/ir';
import { argmax, predictedClasses, readoutData, ReadoutError, scoreFixed } from '../sim-host/src/analysis/readout';
import type { RunResult } from '../sim-host/src/core/run';
import { linearClassifier } from '../sim-host/src/onnx/linear-model';
import { decodeModel, encodeModel, floatTensor, INT64, int64Tensor, node, valueInfo } from '../sim-host/src/onnx/proto';
import { onnxFixedModel } from '../sim-host/src/onnx/readout';
import { readoutsOf } from '../sim-host/src/worker';
import { buildExampleModel, EXAMPLE, EXAMPLE_MODEL } from '../scripts/lsm-onnx-readout';
import { examplesDir, runIR } from './examples/helpers';
import { distCli, ensureBuilt, repoRoot } from './helpers/build';
import { corpusReadoutModel } from './helpers/onnx-corpus-model';
import { LspClient } from './helpers/lsp-client';
import { irOf, prelude } from './helpers/model';

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sw-onnx-readout-')));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const exampleText = fs.readFileSync(EXAMPLE, 'utf8');
let cached: { ir: ModelIR; run: RunResult } | undefined;
/** The example's IR and its run (seed 1), once. */
function example() {
  if (!cached) {
    const ir = irOf({ file: EXAMPLE });
    cached = { ir, run: runIR(ir) };
  }
  return cached;
}

/** A float32 initializer's values, read from model bytes. */
function initializer(bytes: Uint8Array, name: string): { dims: number[]; values: Float32Array } {
  const t = decodeModel(bytes).graph!.initializer!.find((x) => x.name === name)!;
  const raw = t.rawData!;
  return { dims: t.dims!.map(Number), values: new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength)) };
}

/** Plain TypeScript: scores x·W + b per window (float64 sums of the float32 weights) and the argmax class. */
function tsClassify(features: readonly Float64Array[], W: Float32Array, b: Float32Array, K: number): { scores: number[][]; classes: number[] } {
  const scores = features.map((x) => {
    const s = Array.from(b, Number);
    for (let j = 0; j < x.length; j++) for (let k = 0; k < K; k++) s[k] += x[j] * W[j * K + k];
    return s;
  });
  return { scores, classes: scores.map((s) => argmax(s)) };
}

/** The smallest gap between the best and second-best score of a window, relative to the largest |score|. */
function minMargin(scores: number[][]): number {
  let m = Infinity;
  for (const s of scores) {
    const sorted = [...s].sort((a, b) => b - a);
    m = Math.min(m, (sorted[0] - sorted[1]) / Math.max(1e-12, ...s.map(Math.abs)));
  }
  return m;
}

/** The example's IR with readout clf reading `file` (absolute). */
function withModel(ir: ModelIR, file: string): ModelIR {
  return { ...ir, readouts: ir.readouts.map((r) => (r.name === 'clf' ? { ...r, file } : r)) };
}

describe('ONNX readout on a liquid: the same accuracy and answers as the same weights in TypeScript', () => {
  it('the shipped model (ridge weights fitted on task train) scores task test exactly as TypeScript does', async () => {
    const { ir, run } = example();
    const bytes = new Uint8Array(fs.readFileSync(EXAMPLE_MODEL));
    const W = initializer(bytes, 'W');
    const b = initializer(bytes, 'b');
    assert.deepEqual([W.dims, b.dims], [[80, 4], [4]]);
    const data = readoutData(ir, 'clf', run);
    const ts = tsClassify(data.features, W.values, b.values, 4);
    // float32 (ORT) and float64 (here) sums cannot swap two classes this far apart
    assert.ok(minMargin(ts.scores) > 1e-4, `margin ${minMargin(ts.scores)}`);
    const tsCorrect = ts.classes.filter((c, i) => c === data.labels[i]).length;
    // the run, as the worker scores it (the model file read beside the .snn)
    const { readouts } = await readoutsOf(ir, run, true, { baseDir: examplesDir });
    const clf = readouts!.find((r) => r.readout === 'clf')!;
    assert.ok(!('error' in clf), JSON.stringify(clf));
    assert.deepEqual({ kind: clf.kind, model: clf.model, task: clf.task, trials: clf.trials, folds: clf.folds, classes: clf.classes }, { kind: 'onnx', model: 'lsm_onnx_readout.onnx', task: 'test', trials: 40, folds: 0, classes: ['0', '1', '2', '3'] });
    assert.equal(clf.correct, tsCorrect);
    assert.equal(clf.value, tsCorrect / 40);
    assert.equal(clf.chance, 0.25);
    // held-out windows of a liquid that answers each digit alike: far above chance
    assert.ok(clf.value >= 0.9, `accuracy ${clf.value}`);
    // per window: the model's answers and its raw scores
    const model = await onnxFixedModel(bytes, 'lsm_onnx_readout.onnx', 'clf');
    try {
      const { predicted } = await scoreFixed(ir, 'clf', run, model);
      assert.deepEqual([...predicted], ts.classes);
      const x = new Float32Array(data.features.flatMap((f) => [...f]));
      const out = await model.predict(x, 40, 80);
      assert.deepEqual(out.dims, [40, 4]);
      ts.scores.flat().forEach((s, k) => assert.ok(Math.abs(out.data[k] - s) <= 1e-5 * Math.max(1, Math.abs(s)), `score ${k}: ${out.data[k]} vs ${s}`));
    } finally {
      await model.release?.();
    }
  });

  it('arbitrary weights (an imperfect classifier): accuracy and every answer, right or wrong, agree', async () => {
    const { ir, run } = example();
    // fixed pseudo-random weights in [−0.5, 0.5] (no training): sin of a large multiple of the index
    const W = Float32Array.from({ length: 80 * 4 }, (_, k) => 0.5 * Math.sin(12.9898 * (k + 1)));
    const b = Float32Array.from({ length: 4 }, (_, k) => 0.5 * Math.sin(78.233 * (k + 1)));
    const file = path.join(tmp, 'random.onnx');
    fs.writeFileSync(file, linearClassifier(W, b, 80, 4));
    const data = readoutData(ir, 'clf', run);
    const ts = tsClassify(data.features, W, b, 4);
    assert.ok(minMargin(ts.scores) > 1e-5, `margin ${minMargin(ts.scores)}`);
    const tsCorrect = ts.classes.filter((c, i) => c === data.labels[i]).length;
    assert.ok(tsCorrect < 40, 'the arbitrary classifier must make mistakes for this case to mean anything');
    const { readouts } = await readoutsOf(withModel(ir, file), run, true, { baseDir: tmp });
    const clf = readouts!.find((o) => o.readout === 'clf')!;
    assert.ok(!('error' in clf), JSON.stringify(clf));
    assert.equal(clf.correct, tsCorrect);
    const model = await onnxFixedModel(new Uint8Array(fs.readFileSync(file)), 'random.onnx', 'clf');
    try {
      assert.deepEqual([...(await scoreFixed(ir, 'clf', run, model)).predicted], ts.classes);
    } finally {
      await model.release?.();
    }
  });

  it('an integer-class output (ArgMax) and a fixed batch of 1 give the same answers', async () => {
    const { ir, run } = example();
    const bytes = new Uint8Array(fs.readFileSync(EXAMPLE_MODEL));
    const W = initializer(bytes, 'W').values;
    const b = initializer(bytes, 'b').values;
    const expected = tsClassify(readoutData(ir, 'clf', run).features, W, b, 4).classes;
    const argmaxModel = encodeModel({
      name: 'argmax_readout',
      nodes: [node('MatMul', ['x', 'W'], ['xw'], 'mm'), node('Add', ['xw', 'b'], ['s'], 'add'), node('ArgMax', ['s'], ['class'], 'am', { axis: 1, keepdims: 0 })],
      initializers: [floatTensor('W', [80, 4], W), floatTensor('b', [4], b)],
      inputs: [valueInfo('x', ['N', 80])],
      outputs: [valueInfo('class', ['N'], INT64)],
    });
    const batch1 = encodeModel({
      name: 'batch1_readout',
      nodes: [node('MatMul', ['x', 'W'], ['xw'], 'mm'), node('Add', ['xw', 'b'], ['s'], 'add')],
      initializers: [floatTensor('W', [80, 4], W), floatTensor('b', [4], b)],
      inputs: [valueInfo('x', [1, 80])],
      outputs: [valueInfo('s', [1, 4])],
    });
    for (const [name, m] of [['argmax.onnx', argmaxModel], ['batch1.onnx', batch1]] as const) {
      const model = await onnxFixedModel(m, name, 'clf');
      try {
        assert.deepEqual([...(await scoreFixed(ir, 'clf', run, model)).predicted], expected, name);
      } finally {
        await model.release?.();
      }
    }
  });

  it('the shipped .onnx is rebuilt byte for byte from the example (scripts/lsm-onnx-readout.ts)', () => {
    assert.equal(Buffer.compare(Buffer.from(buildExampleModel()), fs.readFileSync(EXAMPLE_MODEL)), 0);
  });
});

describe('ONNX readout: the core reads outputs by the stated rules (planted outputs)', () => {
  const classes = ['A', 'B', 'C'];
  it('argmax over the last axis (first on a tie); integer outputs are the class itself', () => {
    assert.deepEqual([...predictedClasses({ data: [0, 2, 1, 5, 5, 0, -1, -3, -2], dims: [3, 3], integer: false }, 3, classes, 'r')], [1, 0, 0]);
    assert.deepEqual([...predictedClasses({ data: [2, 0, 1], dims: [3], integer: true }, 3, classes, 'r')], [2, 0, 1]);
  });
  it('a wrong class count, an out-of-range class, NaN: ReadoutErrors naming the readout', () => {
    const err = (f: () => unknown, re: RegExp) => assert.throws(f, (e: unknown) => e instanceof ReadoutError && re.test(e.message) && /^readout r\b/.test(e.message));
    err(() => predictedClasses({ data: new Float32Array(8), dims: [4, 2], integer: false }, 4, classes, 'r'), /gives 2 outputs per window .* the task has 3 classes \("A", "B", "C"\)/);
    err(() => predictedClasses({ data: [0, 3], dims: [2], integer: true }, 2, classes, 'r'), /answers class 3 for window 2, but the task has 3 classes/);
    err(() => predictedClasses({ data: [0, NaN, 1], dims: [1, 3], integer: false }, 1, classes, 'r'), /window 1 holds NaN/);
  });
});

/** The example, copied into `dir` with readout clf reading `file` (and `from` population). */
function variant(dir: string, file: string, from = 'exc'): string {
  fs.mkdirSync(dir, { recursive: true });
  const text = exampleText.replace('readout clf = onnx { file: "lsm_onnx_readout.onnx"; from: exc; task: test }', `readout clf = onnx { file: "${file}"; from: ${from}; task: test }`).replace('probe spikes(exc)', 'probe spikes(exc, inh)');
  assert.notEqual(text, exampleText);
  const at = path.join(dir, 'model.snn');
  fs.writeFileSync(at, text);
  return at;
}

/** 1-based line and column of the first `needle` after `after` in `text`. */
function placeOf(text: string, after: string, needle: string): { line: number; column: number } {
  const k = text.indexOf(needle, text.indexOf(after));
  const before = text.slice(0, k).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** The checker's diagnostics of a model file (the façade over the disk host; default trusted, files inside this test's folder and examples/), with the text each covers. */
function diagnosticsOf(file: string, host: Host = nodeHost, trusted = true, roots = [tmp, path.join(repoRoot, 'examples')]) {
  const ws = new ModelWorkspace({ host, prelude: prelude(), access: { trusted, roots } });
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  return ws.check(URI.file(file).toString()).map((d) => ({ ...d, text: d.line === d.endLine ? lines[d.line - 1].slice(d.column - 1, d.endColumn - 1) : '' }));
}

describe('ONNX readout: bad models are diagnostics in the editor and located warnings at run time', () => {
  const W64 = new Float32Array(64 * 4);
  const dir = path.join(tmp, 'bad');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'in64.onnx'), linearClassifier(W64, new Float32Array(4), 64, 4));
  fs.writeFileSync(path.join(dir, 'out3.onnx'), linearClassifier(new Float32Array(80 * 3), new Float32Array(3), 80, 3));
  fs.writeFileSync(path.join(dir, 'garbage.onnx'), 'this is not a model\n'.repeat(20));
  const good = fs.readFileSync(EXAMPLE_MODEL);
  fs.writeFileSync(path.join(dir, 'truncated.onnx'), good.subarray(0, Math.floor(good.length / 2)));

  it('a population whose features do not fit the model\'s input: a warning at from:, over LSP', async () => {
    const file = variant(path.join(dir, 'lsp'), '../in64.onnx');
    const text = fs.readFileSync(file, 'utf8');
    const client = new LspClient();
    try {
      await client.initialize(URI.file(dir).toString());
      const uri = URI.file(file).toString();
      const wait = client.waitForDiagnostics(uri, 1, 60_000);
      client.open(uri, text, 1);
      const p = await wait;
      const d = p.diagnostics.find((x) => x.code === 'shape-mismatch');
      assert.ok(d, JSON.stringify(p.diagnostics));
      assert.equal(d.severity, 2); // warning
      assert.match(d.message, /^'\.\.\/in64\.onnx' takes 64 features per window \(its input features is \[N, 64\]\), but exc gives 80 \(80 neurons × 1 bin per window\)/);
      const at = placeOf(text, 'readout clf', 'exc');
      assert.deepEqual([d.range.start.line + 1, d.range.start.character + 1, d.range.end.character - d.range.start.character], [at.line, at.column, 3]);
    } finally {
      await client.close();
      client.kill();
    }
  });

  it('bins count: 80 neurons × 4 bins of 25 ms fit a model of 320 inputs, not one of 80', () => {
    const file = variant(path.join(dir, 'bins'), path.relative(path.join(dir, 'bins'), EXAMPLE_MODEL));
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('from: exc; task: test }', 'from: exc; bin: 25 ms; task: test }'));
    const d = diagnosticsOf(file).filter((x) => x.code === 'shape-mismatch');
    assert.equal(d.length, 1);
    assert.match(d[0].message, /takes 80 features per window .* but exc gives 320 \(80 neurons × 4 bins per window\)/);
    fs.writeFileSync(path.join(dir, 'bins', 'in320.onnx'), linearClassifier(new Float32Array(320 * 4), new Float32Array(4), 320, 4));
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/file: "[^"]*"; from: exc; bin/, 'file: "in320.onnx"; from: exc; bin'));
    assert.deepEqual(diagnosticsOf(file).filter((x) => x.severity !== 'information').map((x) => x.message), []);
  });

  for (const [name, re, runRe] of [
    ['missing.onnx', /^cannot find 'missing\.onnx' \(looked for .*missing\.onnx\); readout clf cannot be scored$/, /cannot find the model file .*missing\.onnx \(looked for /],
    ['garbage.onnx', /^'garbage\.onnx': it is not an ONNX model \(.+\); readout clf cannot be scored$/, /garbage\.onnx: .*not a valid ONNX model|garbage\.onnx: .*not an ONNX model/],
    ['truncated.onnx', /^'truncated\.onnx': it is not an ONNX model \(.+\); readout clf cannot be scored$/, /truncated\.onnx: /],
    ['out3.onnx', /^'out3\.onnx' gives 3 outputs per window \(its output scores is \[N, 3\]\), but task test has 4 classes \("0", "1", "2", "3"\)/, /out3\.onnx gives 3 outputs per window, but task test has 4 classes/],
  ] as const) {
    it(`${name}: a warning at file: in the editor; at run time the readout is not evaluated, with the reason`, async () => {
      const file = variant(path.join(dir, name.replace('.onnx', '')), `../${name}`);
      const text = fs.readFileSync(file, 'utf8');
      const ds = diagnosticsOf(file).filter((x) => x.severity !== 'information');
      assert.equal(ds.length, 1, JSON.stringify(ds));
      const d = ds[0];
      assert.equal(d.severity, 'warning');
      assert.match(d.message.replace(`../${name}`, name), re);
      assert.equal(d.text, `"../${name}"`);
      const at = placeOf(text, 'readout clf', `"../${name}"`);
      assert.deepEqual([d.line, d.column], [at.line, at.column]);
      // the run: the readout's error, the others scored, nothing thrown
      const { ir, run } = example();
      const { readouts } = await readoutsOf(withModel(ir, path.join(dir, name)), run, true, { baseDir: dir, readRoots: [dir] });
      const clf = readouts!.find((o) => o.readout === 'clf')!;
      assert.ok('error' in clf, JSON.stringify(clf));
      assert.match(clf.error, /^readout clf\b/);
      assert.match(clf.error, runRe);
      assert.ok(!('error' in readouts!.find((o) => o.readout === 'r')!));
    });
  }

  it('spikeworks run on a garbage model: exit 0, a warning placed at the readout (file:line:column), no stack trace', () => {
    ensureBuilt();
    const file = variant(path.join(dir, 'cli'), '../garbage.onnx');
    const r = spawnSync(process.execPath, [distCli, 'run', 'model.snn', '--backend', 'wasm', '--duration', '8', '--allow-read', dir], { cwd: path.dirname(file), encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const at = placeOf(fs.readFileSync(file, 'utf8'), 'readout clf', 'readout clf');
    assert.match(r.stderr, new RegExp(`^model\\.snn:${at.line}:1: warning: not evaluated: readout clf \\(in model\\.snn\\): \\.\\./garbage\\.onnx: `, 'm'));
    assert.doesNotMatch(r.stderr + r.stdout, /\n\s+at .*\(.*:\d+:\d+\)/);
    assert.match(r.stdout, /^readout r \(task train, 4 classes\): accuracy/m);
    assert.match(r.stdout, /^readout clf: not evaluated \(see the warning\)$/m);
  });

  it('untrusted: the model file is not opened and a note says the shape is checked once trusted; trusted, it is', () => {
    const file = variant(path.join(dir, 'trust'), '../in64.onnx');
    const opened: string[] = [];
    const host: Host = {
      readFile: (u) => nodeHost.readFile(u),
      stat: (u, req) => (opened.push(URI.parse(u).fsPath), nodeHost.stat!(u, req)),
      readText: (u, req) => nodeHost.readText!(u, req),
      readBytes: (u, req) => (opened.push(URI.parse(u).fsPath), nodeHost.readBytes!(u, req)),
    };
    const untrusted = diagnosticsOf(file, host, false, [path.dirname(file)]);
    assert.deepEqual(opened.filter((f) => f.endsWith('.onnx')), []);
    const note = untrusted.filter((d) => d.code === 'untrusted-model');
    assert.equal(note.length, 1);
    assert.equal(note[0].severity, 'information');
    assert.ok(note[0].message.endsWith(UNTRUSTED_MODEL), note[0].message);
    assert.equal(note[0].text, '"../in64.onnx"');
    assert.equal(untrusted.filter((d) => d.code === 'shape-mismatch').length, 0);
    const trusted = diagnosticsOf(file, host, true, [path.dirname(file)]);
    assert.equal(trusted.filter((d) => d.code === 'shape-mismatch').length, 0, 'roots: the model lies outside the model\'s folder');
    assert.match(trusted.find((d) => d.code === 'bad-model')?.message ?? '', /outside the workspace/);
    assert.equal(diagnosticsOf(file, host, true, [dir]).filter((d) => d.code === 'shape-mismatch').length, 1);
    assert.ok(opened.some((f) => f.endsWith('in64.onnx')));
  });

  it('the valid corpus\'s ONNX readout model is the one its helper writes (a sum of any number of features: one class)', () => {
    assert.equal(Buffer.compare(Buffer.from(corpusReadoutModel()), fs.readFileSync(path.join(repoRoot, 'test/corpus/valid/models/clf.onnx'))), 0);
  });

  it('the example checks clean (its model fits exc and task test)', () => {
    const d = diagnosticsOf(path.join(repoRoot, 'examples', 'lsm_onnx_readout.snn'));
    assert.deepEqual(d.map((x) => x.message), []);
  });
});
