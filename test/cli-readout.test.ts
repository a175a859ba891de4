// Readouts run after `spikeworks run` (issue 18, "Readouts run"): the worker scores every readout
// of the model on the run; the CLI prints each one's cross-validated accuracy with its chance
// level, `--format json` and summary.json carry them, and a readout that cannot be evaluated is a
// warning placed at its line (the run itself succeeded: exit 0).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { ReadoutOutcome } from '../protocol/readout';
import { evaluateReadouts } from '../sim-host/src/analysis/readout';
import { runIR } from './examples/helpers';
import { distCli, ensureBuilt, repoRoot } from './helpers/build';
import { irOf } from './helpers/model';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-cli-readout-'));

function cli(args: string[], cwd = repoRoot): { status: number | null; stdout: string; stderr: string } {
  ensureBuilt();
  const r = spawnSync(process.execPath, [distCli, ...args], { cwd, encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('spikeworks run: readouts', () => {
  it('examples/lsm_astro_stdp.snn prints its readout\'s accuracy, the same as scoring the run in process', () => {
    const r = cli(['run', 'examples/lsm_astro_stdp.snn', '--backend', 'wasm']);
    assert.equal(r.status, 0, r.stderr);
    const m = /^readout r \(task digits_task, 4 classes\): accuracy (\d+\.\d) % \((\d+)\/20 windows, 5-fold cross-validated\), chance 25\.0 %$/m.exec(r.stdout);
    assert.ok(m, r.stdout);
    const ir = irOf({ file: 'examples/lsm_astro_stdp.snn' });
    const [own] = evaluateReadouts(ir, runIR(ir));
    assert.ok(!('error' in own), JSON.stringify(own));
    assert.equal(Number(m[2]), own.correct);
    // The four digits repeat unchanged every 800 ms, so the liquid's answer to each is nearly the
    // same: a readout of it tells them apart far above chance (25 %).
    assert.ok(own.value >= 0.75, `accuracy ${own.value}`);
  });

  const text = `model readouts
population exc = LIF[4]
population inh = LIF[2]
input cue = spike_array[4] { times: [10 ms, 110 ms, 210 ms, 310 ms]; indices: [0, 1, 0, 1] }
connect cue -> exc { rule: one_to_one; weight: 5 nA; target: I_syn }
task t {
  stimulus: cue
  window 0 ms .. 100 ms: "A"
  window 100 ms .. 200 ms: "B"
  window 200 ms .. 300 ms: "A"
  window 300 ms .. 400 ms: "B"
}
readout good = ridge { from: exc; task: t }
readout clf = onnx { file: "clf.onnx"; from: exc; task: t }
readout quiet = ridge { from: inh; task: t }
probe spikes(exc)
simulate { dt: 0.1 ms; duration: 400 ms; seed: 2 }
`;

  it('--format json and summary.json carry every readout; one that cannot be evaluated is a warning at its line, exit 0', () => {
    const file = path.join(dir, 'readouts.snn');
    fs.writeFileSync(file, text);
    const out = path.join(dir, 'out');
    const r = cli(['run', 'readouts.snn', '--format', 'json', '--out', out, '--backend', 'wasm'], dir);
    assert.equal(r.status, 0, r.stderr);
    const printed = JSON.parse(r.stdout) as { readouts: ReadoutOutcome[] };
    const written = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as { readouts: ReadoutOutcome[] };
    assert.deepEqual(written.readouts, printed.readouts);
    const [good, clf, quiet] = printed.readouts;
    assert.deepEqual(good, { readout: 'good', kind: 'ridge', task: 't', metric: 'accuracy', value: 1, correct: 4, trials: 4, chance: 0.5, folds: 4, classes: ['A', 'B'] });
    // clf.onnx does not exist: the checker warned at file: (the run goes on), the readout is not evaluated
    assert.ok('error' in clf && /^readout clf \(in readouts\.snn\): cannot find the model file clf\.onnx \(looked for .*clf\.onnx\)$/.test(clf.error), JSON.stringify(clf));
    assert.ok('error' in quiet && /spikes of inh, which are not recorded/.test(quiet.error), JSON.stringify(quiet));
    assert.match(r.stderr, /^readouts\.snn:14:1: warning: not evaluated: readout clf \(in readouts\.snn\): cannot find the model file clf\.onnx/m);
    assert.match(r.stderr, /^readouts\.snn:15:1: warning: not evaluated: readout quiet \(in readouts\.snn\) reads .*add inh to the spike probe \(probe spikes\(exc, inh\)\)$/m);
  });

  it('the printed summary has one line per readout', () => {
    const r = cli(['run', 'readouts.snn', '--backend', 'wasm'], dir);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.split('\n').filter((l) => l.startsWith('readout '));
    assert.deepEqual(lines, [
      'readout good (task t, 2 classes): accuracy 100.0 % (4/4 windows, 4-fold cross-validated), chance 50.0 %',
      'readout clf: not evaluated (see the warning)',
      'readout quiet: not evaluated (see the warning)',
    ]);
  });

  it('a model without readouts has no readouts field', () => {
    const file = path.join(dir, 'none.snn');
    fs.writeFileSync(file, 'population a = LIF[2]\nsimulate { dt: 0.1 ms; duration: 10 ms }\n');
    const r = cli(['run', 'none.snn', '--format', 'json', '--backend', 'wasm'], dir);
    assert.equal(r.status, 0, r.stderr);
    assert.equal('readouts' in JSON.parse(r.stdout), false);
  });
});
