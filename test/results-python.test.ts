// A run's output directory loads in Python with numpy alone (protocol/results.md, "For Python"):
// /usr/bin/python3 reads the .npy spikes and traces our CLI wrote and checks them against
// summary.json and the trace CSV written beside them — no Spikeworks code on the Python side.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { distCli, ensureBuilt, repoRoot } from './helpers/build';

const PY = '/usr/bin/python3';
const hasNumpy = fs.existsSync(PY) && spawnSync(PY, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;
const skip = !hasNumpy && !process.env.CI ? 'numpy not installed (apt-get install python3-numpy)' : false;

// The loader README.md shows, checked against summary.json and the CSV traces.
const CHECK = `
import csv, json, sys
import numpy as np
d = sys.argv[1]
summary = json.load(open(d + '/summary.json'))
out = {}
for p in summary['populations']:
    t = np.load(f"{d}/spikes_{p['name']}_t.npy")
    i = np.load(f"{d}/spikes_{p['name']}_i.npy")
    assert t.dtype == np.float64 and i.dtype == np.int32, (t.dtype, i.dtype)
    assert len(t) == len(i) == p['spikes'], (p['name'], len(t), p['spikes'])
    assert len(t) == 0 or (t.min() >= 0 and t.max() < summary['sim_s'] and i.max() < p['size'])
    assert abs(len(t) / p['size'] / summary['sim_s'] - p['rate_hz']) < 1e-9
    out[p['name']] = len(t)
v = np.load(d + '/trace_n_v.npy')
vt = np.load(d + '/trace_n_v_t.npy')
rows = list(csv.reader(open(d + '/trace_n_v.csv')))[1:]
assert v.shape == (len(rows), 1) and vt.shape == (len(rows),), (v.shape, vt.shape, len(rows))
assert np.allclose(vt, [float(r[0]) for r in rows], atol=1e-12)
assert np.allclose(v[:, 0], [float(r[1]) for r in rows], rtol=1e-6, atol=0)
out['trace_rows'] = len(rows)
print(json.dumps(out))
`;

describe('results for Python: .npy beside the result files', { skip }, () => {
  it('a run of test/engine/lif_step.snn loads with numpy: spike counts as summary.json, the trace as its CSV', () => {
    ensureBuilt();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swk-npy-'));
    const r = spawnSync(process.execPath, [distCli, 'run', 'test/engine/lif_step.snn', '--out', dir, '--backend', 'wasm'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const p = spawnSync(PY, ['-c', CHECK, dir], { encoding: 'utf8' });
    assert.equal(p.status, 0, p.stderr);
    const got = JSON.parse(p.stdout);
    // The closed form (test/engine/brian2/README.md): 29 spikes of LIF under 300 pA for 700 ms.
    assert.equal(got.n, 29);
    assert.equal(got.trace_rows, 10000);
  });
});
