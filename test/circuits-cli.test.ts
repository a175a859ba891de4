// Circuit discovery off the caller's thread and on the command line (issue 18): the worker
// pool's result equals the in-process one, progress counts runs up to the total, cancel keeps
// what was found, terminate ends it; `spikeworks circuits` in text and JSON, and its bad input
// (a task with no readout, a task that does not exist, a threshold outside (0, 1], an unknown
// intervention) with clear, located messages.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { isCircuitsResult, type CircuitsResult } from '../protocol/circuits';
import { plantedCircuitsText } from '../sim-host/src/analysis/circuits/index';
import { circuitsInProcess } from '../sim-host/src/circuits-engine';
import { RunTerminated, startCircuits } from '../sim-host/src/host';
import { distCli, distWorker, ensureBuilt, interruptCli, repoRoot } from './helpers/build';
import { irOf } from './helpers/model';

const strip = (r: CircuitsResult) => ({ ...r, runs: 0, seconds: 0 });

describe('circuits: on a pool of workers', () => {
  ensureBuilt();
  const ir = irOf({ file: 'examples/two_task_circuits.snn' });

  it('two workers give the in-process result, with progress per run up to the total', async () => {
    const seen: [number, number][] = [];
    const h = startCircuits(ir, { workers: 2, seed: 1, source: 'two_task_circuits.snn' }, (done, total) => seen.push([done, total]), distWorker);
    const pooled = await h.result;
    const local = await circuitsInProcess(ir, { seed: 1, source: 'two_task_circuits.snn' });
    assert.ok(isCircuitsResult(pooled));
    assert.deepEqual(strip(pooled), strip(local));
    assert.ok(pooled.runs >= 60, `${pooled.runs} runs`);
    assert.ok(seen.length > 10, 'progress arrives while it works');
    for (let k = 1; k < seen.length; k++) assert.ok(seen[k][0] >= seen[k - 1][0] || seen[k][1] !== seen[k - 1][1], 'progress never goes back');
    const last = seen[seen.length - 1];
    assert.equal(last[0], last[1], 'the last progress is the total');
  });

  it('cancel resolves with cancelled: true and what was found so far; terminate rejects', async () => {
    let h!: ReturnType<typeof startCircuits>;
    let cancelledAt = -1;
    h = startCircuits(ir, { workers: 2, seed: 1 }, (done) => {
      if (done >= 5 && cancelledAt < 0) {
        cancelledAt = done;
        h.cancel();
      }
    }, distWorker);
    const r = await h.result;
    assert.equal(r.cancelled, true);
    assert.ok(isCircuitsResult(r));
    assert.ok(r.components.length > 0, 'the components are known');
    assert.ok(r.runs < 60, `stopped early (${r.runs} runs)`);
    const t = startCircuits(ir, { workers: 1, seed: 1 }, undefined, distWorker);
    setTimeout(() => void t.terminate(), 200);
    await assert.rejects(t.result, RunTerminated);
  });
});

describe('circuits: the command line', () => {
  ensureBuilt();
  const cli = (args: string[]) => spawnSync(process.execPath, [distCli, 'circuits', ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 300_000 });
  const scratch = path.join(repoRoot, '.scratch', 'circuits-cli');
  fs.mkdirSync(scratch, { recursive: true });
  const tiny = plantedCircuitsText({ windows: 10, modules: 2 }).text;

  it('--format json is a CircuitsResult; text has a table per task with its control', () => {
    const file = path.join(scratch, 'tiny.snn');
    fs.writeFileSync(file, tiny);
    const j = cli([file, '--format', 'json', '--workers', '2', '--draws', '4']);
    assert.equal(j.status, 0, j.stderr);
    const r = JSON.parse(j.stdout);
    assert.ok(isCircuitsResult(r));
    assert.equal(r.source, 'tiny.snn');
    assert.deepEqual(r.tasks.map((t: { task: string }) => t.task), ['task_a', 'task_b']);
    assert.equal(r.tasks[0].metric.control.draws, 4);
    assert.equal(r.readoutFit, 'frozen');
    const re = cli([file, '--format', 'json', '--task', 'task_a', '--retrain', '--draws', '2']);
    assert.equal(re.status, 0, re.stderr);
    assert.equal(JSON.parse(re.stdout).readoutFit, 'retrained');
    const t = cli([file, '--task', 'task_b', '--intervention', 'mean', '--threshold', '0.1', '--seed', '3']);
    assert.equal(t.status, 0, t.stderr);
    assert.match(t.stdout, /^Circuits of tiny\.snn: intervention mean, threshold 0\.1, seed 3, readout frozen;/);
    assert.match(t.stdout, /Task task_b \(readout read_b\): \d+ components\n  component +kind +size +importance\n/);
    assert.doesNotMatch(t.stdout, /Task task_a/);
    assert.match(t.stdout, /control \(\d+ random components removed, 10 draws\)/);
  });

  it('Ctrl-C stops the analysis between runs (exit 130, within seconds)', async () => {
    const file = path.join(scratch, 'long.snn');
    // 100 windows of 2 s: each run is long (200 s of model time), the analysis far longer than
    // the wait even on a quiet machine (with 400 ms windows it finished within the 6 s there);
    // the wait leaves time to load the model (a busy machine is slow at it) and to install the
    // Ctrl-C handler.
    fs.writeFileSync(file, plantedCircuitsText({ windows: 100, windowMs: 2000, modules: 2 }).text);
    const r = await interruptCli(['circuits', file, '--workers', '2'], repoRoot, 6000);
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stderr, /stopping the analysis/);
    assert.ok(r.ms < 10000, `stopped ${Math.round(r.ms)} ms after Ctrl-C`);
  });

  it('bad input: a task with no readout (located), a --task that does not exist (did you mean), a threshold outside (0, 1], an unknown intervention', () => {
    const file = path.join(scratch, 'no_readout_b.snn');
    const text = tiny.replace('readout read_b = ridge { from: out_b; task: task_b }\n', '');
    fs.writeFileSync(file, text);
    const line = text.split('\n').findIndex((l) => l.startsWith('task task_b')) + 1;
    const noReadout = cli([file, '--task', 'task_b']);
    assert.equal(noReadout.status, 1);
    assert.match(noReadout.stderr, new RegExp(`no_readout_b\\.snn:${line}:1: error: task 'task_b' has no readout: add \`readout r = ridge \\{ from: <population>; task: task_b \\}\``));
    const typo = cli([file, '--task', 'task_c']);
    assert.equal(typo.status, 1);
    assert.match(typo.stderr, /spikeworks: no task 'task_c' in the model \(did you mean 'task_a'\?\)/);
    const none = path.join(scratch, 'no_readouts.snn');
    fs.writeFileSync(none, tiny.replace(/readout read_. = ridge \{[^}]*\}\n/g, ''));
    const noneR = cli([none]);
    assert.equal(noneR.status, 1);
    assert.match(noneR.stderr, /no_readouts\.snn:\d+:1: error: no task has a readout/);
    for (const bad of ['0', '1.5', '-1', 'abc']) {
      const r = cli([file, '--threshold', bad]);
      assert.equal(r.status, 2, bad);
      assert.match(r.stderr, new RegExp(`--threshold must be a number in \\(0, 1\\] .*got ${bad}`));
    }
    const iv = cli([file, '--intervention', 'zap']);
    assert.equal(iv.status, 2);
    assert.match(iv.stderr, /--intervention must be one of silence, mean, resample, patch, got zap/);
    const syntax = path.join(scratch, 'broken.snn');
    fs.writeFileSync(syntax, 'model broken\npopulation p = LIF[\n');
    const broken = cli([syntax]);
    assert.equal(broken.status, 1);
    assert.match(broken.stderr, /broken\.snn:\d+:\d+: error: .*\n(.*\n)*spikeworks: the model has errors; no circuits found/);
  });
});
