// ops.ts (what onnxruntime-web runs) against the runtime itself: Python onnx writes a one-node model
// for every standard operator ONNX 1.12 defines at opset 17 (inputs typed from the schema); each
// must load in onnxruntime-web or fail for its attributes or inputs, never for a missing operator
// or kernel, and each must be in ops.ts; the operators of opsets 18-24 are known from the opset ops.ts
// gives and not before; a name ops.ts does not list is refused by the runtime too.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { STANDARD_OPS } from '../sim-host/src/onnx/ops';
import { loadOrt } from '../sim-host/src/onnx/runtime';
import { encodeModel, node, valueInfo } from '../sim-host/src/onnx/proto';
import { PY } from './helpers/onnx-models';

const WRITE_MODELS = `
import sys, os, onnx, onnx.defs as D, onnx.helper as H
out = sys.argv[1]
TY = {'tensor(float)': 1, 'tensor(int64)': 7, 'tensor(bool)': 9, 'tensor(uint8)': 2, 'tensor(int32)': 6, 'tensor(string)': 8}
for s in D.get_all_schemas():
    if s.domain != '' or s.deprecated: continue
    s17 = D.get_schema(s.name, 17, '')
    if s17.deprecated: continue
    tc = {c.type_param_str: c.allowed_type_strs for c in s17.type_constraints}
    def ty(f):
        opts = tc.get(f.typeStr, [f.typeStr])
        return next((TY[p] for p in TY if p in opts), None)
    ins, vis = [], []
    for i, f in enumerate(s17.inputs):
        if f.option == f.option.Optional: break
        t = ty(f)
        if t is None: break
        ins.append('i%d' % i); vis.append(H.make_tensor_value_info('i%d' % i, t, None))
    outs = ['o%d' % i for i, f in enumerate(s17.outputs) if i == 0 or f.option != f.option.Optional]
    g = H.make_graph([H.make_node(s.name, ins, outs, name='n')], 'g', vis, [onnx.ValueInfoProto(name=o) for o in outs])
    m = H.make_model(g, opset_imports=[H.make_opsetid('', 17)], ir_version=8)
    open(os.path.join(out, s.name + '.onnx'), 'wb').write(m.SerializeToString())
`;

const MISSING = /No Op registered|Could not find an implementation|is not a registered function\/op/;

describe('ops.ts against onnxruntime-web', () => {
  it('every standard operator at opset 17 is listed and loads (or fails only for its attributes or inputs)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onnx-ops-'));
    const r = spawnSync(PY, ['-c', WRITE_MODELS, dir], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const files = fs.readdirSync(dir).sort();
    assert.ok(files.length > 150, `only ${files.length} operators written`);
    const ort = await loadOrt();
    const missing: string[] = [];
    let loaded = 0;
    for (const f of files) {
      const op = f.replace(/\.onnx$/, '');
      assert.ok(STANDARD_OPS.has(op) && STANDARD_OPS.get(op)! <= 17, `${op} is not in ops.ts at opset ≤ 17`);
      try {
        const s = await ort.InferenceSession.create(fs.readFileSync(path.join(dir, f)), { logSeverityLevel: 4 });
        await s.release();
        loaded++;
      } catch (e) {
        if (MISSING.test(String((e as Error).message))) missing.push(`${op}: ${(e as Error).message}`);
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(missing, []);
    assert.ok(loaded > 100, `only ${loaded} of ${files.length} loaded`);
  });

  it('operators of opsets 18-24 are known to the runtime from the opset ops.ts gives, and not one opset before', async () => {
    const ort = await loadOrt();
    const later = [...STANDARD_OPS].filter(([, v]) => v > 17);
    assert.ok(later.length >= 15);
    const wrong: string[] = [];
    for (const [op, since] of later) {
      const at = async (opset: number) => {
        const b = encodeModel({ name: 'g', opset, nodes: [node(op, ['x'], ['y'], 'n')], initializers: [], inputs: [valueInfo('x', [2, 3])], outputs: [{ name: 'y' }] });
        try {
          await (await ort.InferenceSession.create(b, { logSeverityLevel: 4 })).release();
          return 'loaded';
        } catch (e) {
          return String((e as Error).message);
        }
      };
      const [now, before] = [await at(since), await at(since - 1)];
      if (MISSING.test(now)) wrong.push(`${op} at ${since}: ${now}`);
      if (!MISSING.test(before)) wrong.push(`${op} at ${since - 1}: ${before}`);
    }
    assert.deepEqual(wrong, []);
  });

  it('a name ops.ts does not list is refused by the runtime as well', async () => {
    const ort = await loadOrt();
    for (const op of ['FancyOp', 'Relu6', 'Swishh']) {
      assert.equal(STANDARD_OPS.has(op), false);
      const b = encodeModel({ name: 'g', nodes: [node(op, ['x'], ['y'], 'n')], initializers: [], inputs: [valueInfo('x', [2])], outputs: [{ name: 'y' }] });
      await assert.rejects(ort.InferenceSession.create(b, { logSeverityLevel: 4 }), MISSING);
    }
  });
});
