// Bad ONNX input gives an OnnxError naming the file and, where there is one, the node — never a
// crash or an opaque runtime code: files that are not ONNX (HTML, JSON, zip, HDF5, text format),
// truncated or garbage bytes, no graph or an empty one, operators or domains onnxruntime-web
// lacks, an opset it refuses, a dangling input, wrong feeds, a run-time failure inside a node,
// files over the size bound (refused before reading); and 200 random mutations of a valid model.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { MAX_ONNX_BYTES, OnnxError } from '../sim-host/src/onnx/errors';
import { inspectOnnx } from '../sim-host/src/onnx/inspect';
import { checkOnnx } from '../sim-host/src/onnx/check';
import { encodeModel, floatTensor, node, onnx, valueInfo } from '../sim-host/src/onnx/proto';
import { OnnxSession } from '../sim-host/src/onnx/runtime';
import { readOnnxFile } from '../io/onnx-file';
import { convNet } from './helpers/onnx-models';
import { distCli, ensureBuilt } from './helpers/build';

const text = (s: string) => new TextEncoder().encode(s);

/** The OnnxError `f` throws (fails when it throws anything else or nothing). */
function onnxError(f: () => unknown): OnnxError {
  try {
    f();
  } catch (e) {
    assert.ok(e instanceof OnnxError, `not an OnnxError: ${String(e)}`);
    return e;
  }
  assert.fail('no error');
}

async function onnxErrorAsync(f: () => Promise<unknown>): Promise<OnnxError> {
  try {
    await f();
  } catch (e) {
    assert.ok(e instanceof OnnxError, `not an OnnxError: ${String(e)}`);
    return e;
  }
  assert.fail('no error');
}

const one = (op: string, opts: { domain?: string; opset?: number; inputs?: string[] } = {}) => {
  const n = node(op, opts.inputs ?? ['x'], ['y'], 'the_node');
  n.domain = opts.domain ?? '';
  const imports = [{ domain: '', version: opts.opset ?? 17 }, ...(opts.domain ? [{ domain: opts.domain, version: 1 }] : [])];
  return onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 8, opsetImport: imports, graph: { name: 'g', node: [n], input: [valueInfo('x', [2, 3])], output: [{ name: 'y' }] } })).finish();
};

describe('files that are not ONNX models', () => {
  const cases: [string, Uint8Array, RegExp][] = [
    ['an empty file', new Uint8Array(), /^page\.onnx: the file is empty$/],
    ['an HTML page (a 404 saved as .onnx)', text('<!DOCTYPE html>\n<html><body>Not Found</body></html>'), /^page\.onnx: this is an HTML or XML page .*not an ONNX model$/],
    ['JSON', text('  {"model": "resnet"}'), /^page\.onnx: this is JSON text, not an ONNX model$/],
    ['a zip (a PyTorch checkpoint)', new Uint8Array([0x50, 0x4b, 3, 4, 20, 0, 0, 0, 8, 0]), /^page\.onnx: this is a zip archive .*not an ONNX model$/],
    ['HDF5', new Uint8Array([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), /^page\.onnx: this is an HDF5 file/],
    ['ONNX text format', text('ir_version: 8\ngraph { }'), /^page\.onnx: this is ONNX text format; save the model in binary form/],
  ];
  for (const [label, bytes, want] of cases) {
    it(label, () => assert.match(onnxError(() => inspectOnnx(bytes, 'page.onnx')).message, want));
  }

  it('a truncated model names the byte where the data stops', () => {
    const good = convNet();
    const e = onnxError(() => inspectOnnx(good.subarray(0, Math.floor(good.length / 2)), 'cut.onnx'));
    assert.match(e.message, /^cut\.onnx: byte \d+: not a valid ONNX model \(the protobuf data is truncated or corrupt\)$/);
    assert.ok(e.offset! > 0 && e.offset! <= good.length / 2, String(e.offset));
  });

  it('a protobuf without a graph, and a graph without nodes', () => {
    const noGraph = onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 8 })).finish();
    assert.match(onnxError(() => inspectOnnx(noGraph, 'm.onnx')).message, /^m\.onnx: not an ONNX model: it has no graph$/);
    const empty = onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 8, opsetImport: [{ domain: '', version: 17 }], graph: { name: 'g', output: [{ name: 'y' }] } })).finish();
    assert.match(onnxError(() => inspectOnnx(empty, 'm.onnx')).message, /^m\.onnx: the model's graph has no nodes$/);
  });
});

describe('models onnxruntime-web cannot run are refused before it loads them, naming the node', () => {
  const cases: [string, Uint8Array, RegExp][] = [
    ['an unknown operator in the default domain', one('FancyOp'), /^m\.onnx: operator FancyOp \(domain ai\.onnx\) in node the_node is not supported by onnxruntime-web$/],
    ['an operator from a custom domain', one('Relu', { domain: 'org.example' }), /^m\.onnx: operator Relu \(domain org\.example\) in node the_node is not supported by onnxruntime-web$/],
    ['an operator newer than the model\'s opset', one('Gelu', { opset: 17 }), /^m\.onnx: operator Gelu in node the_node needs opset 20 or later; the model imports opset 17$/],
    ['an operator removed from ONNX before the model\'s opset', one('Upsample', { opset: 13, inputs: ['x', 'x'] }), /^m\.onnx: operator Upsample in node the_node was removed from ONNX at opset 10 \(use Resize\); the model imports opset 13$/],
    ['an opset the runtime refuses', one('Relu', { opset: 30 }), /^m\.onnx: the model uses ONNX opset 30; onnxruntime-web runs opsets 1 to 26$/],
    ['a dangling input', one('Add', { inputs: ['x', 'nowhere'] }), /^m\.onnx: input "nowhere" of node the_node is not a graph input, an initializer or any node's output$/],
  ];
  for (const [label, bytes, want] of cases) {
    it(label, async () => {
      const e = onnxError(() => checkOnnx(inspectOnnx(bytes, 'm.onnx')));
      assert.match(e.message, want);
      assert.equal((await onnxErrorAsync(() => OnnxSession.create(bytes, { source: 'm.onnx' }))).message, e.message);
    });
  }

  it('what passes our check but not the runtime is its message, cleaned of codes and C++ paths, at the node', async () => {
    // MatMul [N, 3] × [4, 2]: the runtime's shape inference refuses it without naming the node
    const b = encodeModel({ name: 'g', nodes: [node('Relu', ['x'], ['r'], 'first'), node('MatMul', ['r', 'w'], ['y'], 'mm')], initializers: [floatTensor('w', [4, 2], new Array(8).fill(1))], inputs: [valueInfo('x', ['N', 3])], outputs: [{ name: 'y' }] });
    const e = await onnxErrorAsync(() => OnnxSession.create(b, { source: 'mm.onnx' }));
    assert.match(e.message, /^mm\.onnx: node mm \(MatMul\): onnxruntime-web could not load the model: \[ShapeInferenceError\] Incompatible dimensions/);
    assert.doesNotMatch(e.message, /ERROR_CODE|\.cc:\d+|\.h:\d+/);
    assert.equal(e.node, 'mm');
  });
});

describe('wrong feeds and run-time failures', () => {
  const model = encodeModel({ name: 'g', nodes: [node('MatMul', ['x', 'w'], ['y'], 'mm')], initializers: [floatTensor('w', [3, 2], [1, 2, 3, 4, 5, 6])], inputs: [valueInfo('x', ['N', 'K'])], outputs: [{ name: 'y' }] });
  const fixed = encodeModel({ name: 'g', nodes: [node('Relu', ['x'], ['y'], 'relu')], initializers: [], inputs: [valueInfo('x', ['N', 3])], outputs: [{ name: 'y' }] });

  it('a feed of the wrong shape, too few values, a missing or unknown input, an unknown output', async () => {
    const s = await OnnxSession.create(fixed, { source: 'relu.onnx' });
    const t = (dims: number[], n = dims.reduce((a, b) => a * b, 1)) => ({ data: new Float32Array(n), dims });
    assert.match((await onnxErrorAsync(() => s.run({ x: t([2, 2]) }))).message, /^relu\.onnx: input "x" has shape \[2, 2\]; the model expects \[N, 3\]$/);
    assert.match((await onnxErrorAsync(() => s.run({ x: t([1, 3], 4) }))).message, /^relu\.onnx: input "x": 4 values do not fill the shape \[1, 3\]$/);
    assert.match((await onnxErrorAsync(() => s.run({}))).message, /^relu\.onnx: input "x" is not given/);
    assert.match((await onnxErrorAsync(() => s.run({ x: t([1, 3]), z: t([1]) }))).message, /^relu\.onnx: "z" is not an input of the model/);
    assert.match((await onnxErrorAsync(() => s.run({ x: t([1, 3]) }, ['nope']))).message, /^relu\.onnx: "nope" is not an output of the model/);
    assert.deepEqual([...(await s.run({ x: { data: new Float32Array([-1, 0, 2]), dims: [1, 3] } })).y.data], [0, 0, 2]);
    await s.release();
  });

  it('a failure inside a node at run time names the node', async () => {
    const s = await OnnxSession.create(model, { source: 'mm.onnx' });
    const e = await onnxErrorAsync(() => s.run({ x: { data: new Float32Array(4), dims: [1, 4] } }));
    assert.match(e.message, /^mm\.onnx: node mm \(MatMul\): the model failed to run: .*MatMul dimension mismatch/);
    assert.doesNotMatch(e.message, /ERROR_CODE|\.cc:\d+|\.h:\d+/);
    // the session is still usable
    assert.deepEqual([...(await s.run({ x: { data: new Float32Array([1, 1, 1]), dims: [1, 3] } })).y.data], [9, 12]);
    await s.release();
  });
});

describe('files on disk', () => {
  it(`a file over ${MAX_ONNX_BYTES / 2 ** 20} MiB is refused before a byte is read; a folder or missing file names the path`, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-big-'));
    const big = path.join(dir, 'big.onnx');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, MAX_ONNX_BYTES + 1); // sparse: no disk used
    assert.match(onnxError(() => readOnnxFile(big)).message, /big\.onnx.*512(\.0)? MiB/);
    assert.match(onnxError(() => readOnnxFile(dir)).message, new RegExp(`^${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    assert.match(onnxError(() => readOnnxFile(path.join(dir, 'none.onnx'))).message, /none\.onnx/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the CLI exits 1 with the file named, for a bad file and a refused model', () => {
    ensureBuilt();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-cli-'));
    fs.writeFileSync(path.join(dir, 'page.onnx'), '<html>404</html>');
    fs.writeFileSync(path.join(dir, 'custom.onnx'), one('Relu', { domain: 'org.example' }));
    const run = (args: string[]) => spawnSync(process.execPath, [distCli, 'onnx', 'inspect', ...args], { cwd: dir, encoding: 'utf8' });
    const a = run(['page.onnx']);
    assert.equal(a.status, 1);
    assert.match(a.stderr, /^spikeworks: page\.onnx: this is an HTML or XML page/);
    const b = run(['custom.onnx', '--run']);
    assert.equal(b.status, 1);
    assert.match(b.stderr, /^spikeworks: custom\.onnx: operator Relu \(domain org\.example\) in node the_node is not supported by onnxruntime-web\n$/);
    // inspect alone shows the model (inspecting is not running)
    assert.equal(run(['custom.onnx']).status, 0);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('fuzz: 200 random mutations of a valid model', () => {
  it('each gives an OnnxError or a valid result, in inspection and in the runtime; never a crash or another error', async () => {
    const base = convNet();
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const tally = { ok: 0, refused: 0, ran: 0, runtimeRefused: 0 };
    for (let k = 0; k < 200; k++) {
      const b = new Uint8Array(base);
      const kind = k % 4;
      let bytes: Uint8Array = b;
      if (kind === 0) for (let j = 0; j < 1 + rnd(8); j++) b[rnd(b.length)] = rnd(256); // overwrite bytes
      else if (kind === 1) bytes = b.subarray(0, rnd(b.length)); // truncate
      else if (kind === 2) { const at = rnd(b.length); bytes = new Uint8Array([...b.subarray(0, at), ...Array.from({ length: 1 + rnd(16) }, () => rnd(256)), ...b.subarray(at)]); } // insert
      else b[rnd(Math.min(b.length, 400))] ^= 1 << rnd(8); // flip a bit in the header and graph structure
      let info;
      try {
        info = inspectOnnx(bytes, `m${k}.onnx`);
      } catch (e) {
        assert.ok(e instanceof OnnxError, `mutation ${k} (kind ${kind}): ${String(e)}`);
        assert.ok(e.message.startsWith(`m${k}.onnx: `), e.message);
        tally.refused++;
        continue;
      }
      tally.ok++;
      assert.ok(Array.isArray(info.nodes) && Number.isFinite(info.parameters));
      try {
        const s = await OnnxSession.create(bytes, { source: `m${k}.onnx` });
        await s.run({ x: { data: new Float32Array(3 * 32 * 32), dims: [1, 3, 32, 32] } }).catch((e) => {
          assert.ok(e instanceof OnnxError, `mutation ${k} run: ${String(e)}`);
        });
        await s.release();
        tally.ran++;
      } catch (e) {
        assert.ok(e instanceof OnnxError, `mutation ${k} (kind ${kind}) in the runtime: ${String(e)}`);
        assert.ok(e.message.startsWith(`m${k}.onnx: `), e.message);
        tally.runtimeRefused++;
        if (process.env.ONNX_FUZZ_SHOW) process.stderr.write(`${e.message.slice(0, 220)}\n`);
      }
    }
    process.stderr.write(`fuzz: ${JSON.stringify(tally)}\n`);
    assert.equal(tally.ok + tally.refused, 200);
    // the mutations reach both outcomes (otherwise the fuzz tests nothing)
    assert.ok(tally.refused > 20 && tally.ok > 20, JSON.stringify(tally));
  });
});
