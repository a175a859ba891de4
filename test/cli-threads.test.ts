// `--threads N` on `spikeworks run` and `spikeworks sweep`, and the model's `simulate { threads }`
// (issue 24): bad values are usage errors (exit 2); more than this machine's cores is allowed
// with a one-line warning on stderr; the count reaches the partitioned engine (RunOptions.threads)
// and the summary prints what the run reports (RunOutput.threads), with the same results for
// any count. The built CLI is spawned as a user would run it.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { after, describe, it } from 'node:test';
import { humanSummary, threadsWarningFor } from '../cli/src/run';
import type { ModelIR } from '../protocol/ir';
import type { Summary } from '../sim-host/src/output';
import { cliSandbox } from './helpers/cli';

const { dir, model, cli } = cliSandbox('sw-cli-threads-');
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const cores = os.availableParallelism();

const NET = 'input ext = poisson[20] { rate: 200 Hz }\npopulation a = LIF[30]\nconnect ext -> a { rule: random(p = 0.5); weight: 4 mV; target: v }\nconnect a -> a { rule: random(p = 0.1); weight: 0.5 mV; target: v; delay: 1 ms }\nprobe spikes(a)\n';
const small = (sim = '') => `${NET}simulate { dt: 0.1 ms; duration: 50 ms; seed: 7${sim} }\n`;
const warningRe = (what: string) => new RegExp(`^warning: ${what} on a machine with ${cores} cores?: allowed, but slower than ${cores}$`, 'm');

describe('spikeworks run --threads', () => {
  it('refuses a count that is not a whole number from 1 to 1024, with the usage text and exit 2', () => {
    const f = model('bad.snn', small());
    for (const bad of ['0', '-1', '2.5', 'four', '1025', '1e9']) {
      const r = cli(['run', f, '--threads', bad]);
      assert.equal(r.status, 2, `--threads ${bad}: status ${r.status}\n${r.stderr}`);
      assert.ok(r.stderr.includes(`spikeworks: --threads must be a whole number from 1 to 1024, got ${bad}\n`), r.stderr);
      assert.match(r.stderr, /usage:/);
      assert.equal(r.stdout, '', 'nothing was run');
    }
    const missing = cli(['run', f, '--threads']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /--threads needs a value/);
  });

  it('more threads than cores runs, with the one-line warning; as many as the cores runs without it', () => {
    const f = model('ok.snn', small());
    const over = cli(['run', f, '--threads', String(cores + 1), '--format', 'json']);
    assert.equal(over.status, 0, over.stderr);
    assert.match(over.stderr, warningRe(`--threads ${cores + 1}`));
    assert.equal(over.stderr.match(/warning:/g)?.length, 1, over.stderr);
    const exact = cli(['run', f, '--threads', String(cores), '--format', 'json']);
    assert.equal(exact.status, 0, exact.stderr);
    assert.doesNotMatch(exact.stderr, /warning/);
    // The run reports its workers (summary.json's threads), and its results do not depend on them.
    const a = JSON.parse(over.stdout) as Summary;
    const b = JSON.parse(exact.stdout) as Summary;
    assert.deepEqual(a.threads, { requested: cores + 1, used: cores + 1 });
    assert.deepEqual(b.threads, { requested: cores, used: cores });
    assert.ok(a.populations[0].spikes > 0, 'the model spikes');
    assert.deepEqual(a.populations, b.populations);
    const one = JSON.parse(cli(['run', f, '--threads', '1', '--format', 'json']).stdout) as Summary;
    assert.deepEqual(one.populations, a.populations);
  });

  it('the printed summary has threads: used (asked requested), and the note when the engine used fewer', () => {
    const f = model('split.snn', small());
    const r = cli(['run', f, '--threads', '2']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.split('\n')[1], 'threads: 2 (asked 2)', r.stdout);
    // Plastic synapses are not split across workers: one thread, and why.
    const plastic = model('plastic.snn', small('; threads: 2').replace('delay: 1 ms }', 'delay: 1 ms; synapse: PairSTDP(w_max = 1 mV) }'));
    const p = cli(['run', plastic]);
    assert.equal(p.status, 0, p.stderr);
    assert.match(p.stdout.split('\n')[1], /^threads: 1 \(asked 2\); ran on one thread: connection a -> a .*plastic/);
    const j = JSON.parse(cli(['run', plastic, '--format', 'json']).stdout) as Summary;
    assert.equal(j.threads?.used, 1);
    assert.equal(j.threads?.requested, 2);
    assert.match(j.threads?.note ?? '', /plastic/);
  });

  it("the model's threads: above the cores warns, naming the model; --threads overrides it (no warning)", () => {
    const f = model('many.snn', small(`; threads: ${cores + 3}`));
    const r = cli(['run', f]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, warningRe(`threads: ${cores + 3} \\(simulate in many\\.snn\\)`));
    const overridden = cli(['run', f, '--threads', '1']);
    assert.equal(overridden.status, 0, overridden.stderr);
    assert.doesNotMatch(overridden.stderr, /warning/);
  });

  it('a model whose threads: is out of range is not run (the checker says where)', () => {
    const f = model('zero.snn', small('; threads: 0'));
    const r = cli(['run', f]);
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /zero\.snn:6:\d+: error: threads must be ≥ 1, got 0/);
  });

  it('--help documents --threads for run and sweep', () => {
    const r = cli(['--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /spikeworks run <file\.snn> .*\n.*--threads N/);
    assert.match(r.stdout, /spikeworks sweep <file\.snn> [^]*?--threads N\][^]*?spikeworks emulate/);
  });
});

describe('spikeworks sweep --threads', () => {
  it('refuses a bad count (exit 2) and warns above the cores', () => {
    const f = model('sweep.snn', small());
    const bad = cli(['sweep', f, '--set', 'seed=1,2', '--threads', '0']);
    assert.equal(bad.status, 2, bad.stderr);
    assert.match(bad.stderr, /--threads must be a whole number from 1 to 1024, got 0/);
    const over = cli(['sweep', f, '--set', 'seed=1,2', '--workers', '1', '--threads', String(cores + 1), '--format', 'json']);
    assert.equal(over.status, 0, over.stderr);
    assert.match(over.stderr, warningRe(`--threads ${cores + 1}`));
    // Each run on two workers gives the rows it gives on one.
    const rows = (t: string) => (JSON.parse(cli(['sweep', f, '--set', 'seed=1,2', '--workers', '1', '--threads', t, '--format', 'json']).stdout) as { runs: unknown[] }).runs;
    const two = rows('2');
    assert.equal(two.length, 2);
    assert.deepEqual(two, rows('1'));
  });
});

describe('the threads line of the printed summary and the warning rule', () => {
  const summary = (threads?: Summary['threads']): Summary => ({
    populations: [{ name: 'a', size: 3, spikes: 4, rate_hz: 13.3, cv_isi: null }],
    wall_s: 1, sim_s: 0.1, steps_per_s: 1000, backend: 'wasm', seed: 1, dt: 1e-4, steps: 1000, cancelled: false, synapses: 9, memory_mb: 1,
    timings: { plan_s: 0, compile_s: 0, run_s: 0.1 },
    ...(threads ? { threads } : {}),
  });

  it('prints threads: used (asked requested) and the note, only when the run reports threads', () => {
    const lines = humanSummary(summary({ requested: 4, used: 1, note: 'the model cannot be split: a gap junction' })).split('\n');
    assert.equal(lines[1], 'threads: 1 (asked 4); the model cannot be split: a gap junction');
    assert.ok(humanSummary(summary({ requested: 3, used: 3 })).split('\n').includes('threads: 3 (asked 3)'));
    assert.doesNotMatch(humanSummary(summary()), /threads/);
  });

  it('warns for --threads, else the model, above the cores; never for a WebGPU run', () => {
    const ir = (threads?: number) => ({ simulate: { dt: 1e-4, duration: 1, seed: 0, backend: 'auto', ...(threads ? { threads } : {}) } }) as ModelIR;
    assert.equal(threadsWarningFor({ threads: 3, file: 'x.snn' }, ir(), 'auto', 2), 'warning: --threads 3 on a machine with 2 cores: allowed, but slower than 2');
    assert.equal(threadsWarningFor({ threads: 2, file: 'x.snn' }, ir(9), 'auto', 2), undefined, '--threads overrides the model');
    assert.equal(threadsWarningFor({ file: 'm/x.snn' }, ir(9), 'wasm', 1), 'warning: threads: 9 (simulate in x.snn) on a machine with 1 core: allowed, but slower than 1');
    assert.equal(threadsWarningFor({ file: 'x.snn' }, ir(), 'auto', 1), undefined, 'the default is the cores');
    assert.equal(threadsWarningFor({ threads: 64, file: 'x.snn' }, ir(), 'webgpu', 2), undefined);
  });
});
