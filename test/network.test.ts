// Our engine against Brian2 (Debian python3-brian) on whole networks. The two simulators draw
// from different random streams, so individual spikes cannot agree: these tests compare
// statistics over seeds (rates, CV of ISIs, the fraction of seeds a bistable network stays
// active), each side computed by the same code below from its spike lists.
//   - Brunel (test/engine/brunel.snn, mirror test/engine/brian2/brunel.py): 5 seeds.
//   - COBA-4000 (examples/coba.snn, mirror test/engine/brian2/coba.py): 40 short runs.
// Brian2 runs in runtime mode (numpy, no compiler), all seeds of a model in one process
// (test/network/brian2_seeds.py), in the background while our runs go on in this process.
// Without /usr/bin/python3 + brian2 the suite is skipped locally and fails in CI (.ci/run
// installs it). Takes ~1.5 min on a 2-core machine.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ModelIR } from '../protocol/ir';
import { Simulation, sizeOf } from '../sim-host/src/engine';
import { repoRoot } from './helpers/build';
import { irOf } from './helpers/model';
import { pythonHas } from './helpers/python';

const PY = '/usr/bin/python3';
const hasBrian = pythonHas('brian2');
const skip = !hasBrian && !process.env.CI ? 'Brian2 not installed (apt-get install python3-brian)' : false;

const DT = 1e-4;

// Brunel: rates and CV over [0.1 s, 0.4 s) of 0.4 s runs. Brian2's rate is at its plateau
// (~59 Hz) from the first 20 ms bin on; 0.1 s is discarded on both sides anyway. Across seeds
// Brian2's window rate varies by < 1 Hz and its CV by < 0.005, so 5 seeds pin both down.
const BRUNEL = { seeds: [1, 2, 3, 4, 5], duration: 0.4, from: 0.1 };
// COBA-4000: at this size the network is bistable. Whether a seed stays active is decided in
// the first ~50 ms (silent seeds of both simulators have no spike after 45 ms in 1 s runs; no
// seed that is active at 0.3 s fell silent before 1 s), so 0.4 s runs classify seeds as 1 s
// runs do. Active = whole-network rate over the last 100 ms > 1 Hz. Rates of active seeds are
// measured over [0.1 s, 0.4 s).
const COBA = { seeds: Array.from({ length: 40 }, (_, k) => k + 1), duration: 0.4, from: 0.1, tail: 0.1 };
const COBAHH = { seeds: [1, 2, 3, 4], duration: 0.5, from: 0.1 };

/** Spikes of one population: step indices and neuron indices (within the population). */
interface Pop {
  size: number;
  steps: ArrayLike<number>;
  neurons: ArrayLike<number>;
}
type Run = Map<string, Pop>;

interface Stats {
  rate: number;
  cv: number | null;
}

/**
 * Rate (spikes per neuron per second) and mean CV of the ISIs (over neurons with >= 3 spikes,
 * population standard deviation: Brian2's common.cv_isi and our summary's definition) of the
 * spikes in steps [from, to).
 */
function stats(p: Pop, from: number, to: number): Stats {
  const times = new Map<number, number[]>();
  let count = 0;
  for (let k = 0; k < p.steps.length; k++) {
    const s = p.steps[k];
    if (s < from || s >= to) continue;
    count++;
    const l = times.get(p.neurons[k]);
    if (l) l.push(s);
    else times.set(p.neurons[k], [s]);
  }
  let sum = 0;
  let n = 0;
  for (const l of times.values()) {
    if (l.length < 3) continue;
    l.sort((a, b) => a - b);
    const isi = l.slice(1).map((x, k) => x - l[k]);
    const m = isi.reduce((a, b) => a + b, 0) / isi.length;
    const v = isi.reduce((a, b) => a + (b - m) * (b - m), 0) / isi.length;
    if (m > 0) {
      sum += Math.sqrt(v) / m;
      n++;
    }
  }
  return { rate: count / p.size / ((to - from) * DT), cv: n ? sum / n : null };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const f = (x: number | null, d = 2) => (x === null ? 'null' : x.toFixed(d));

// ---- our side: in-process runs ----

function ours(ir: ModelIR, seed: number, duration: number): Run {
  const r = new Simulation(ir, { seed, duration }).run();
  assert.equal(r.dt, DT);
  assert.ok(!r.error, r.error);
  const out: Run = new Map();
  for (const s of r.spikes) out.set(s.name, { size: sizeOf(r, s.name)!, steps: s.steps, neurons: s.neurons });
  return out;
}

// ---- Brian2's side: one background process per model ----

interface BrianJson {
  dt: number;
  duration: number;
  spikes: Record<string, { i: number[]; t: number[] }>;
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'swk-net-'));
const children: ReturnType<typeof spawn>[] = [];

/** Runs `script` for every seed in one Brian2 process; resolves to the runs by seed. */
function brian(script: string, seeds: number[], args: string[], sizes: Record<string, number>): Promise<Map<number, Run>> {
  const dir = path.join(work, path.basename(script, '.py'));
  const log = path.join(work, `${path.basename(script, '.py')}.log`);
  const fd = fs.openSync(log, 'w'); // a file, not a pipe: our runs block the event loop
  const driver = path.join(repoRoot, 'test/network/brian2_seeds.py');
  const child = spawn(PY, [driver, path.join(repoRoot, script), '--seeds', seeds.join(','), '--out-dir', dir, '--', ...args], { stdio: ['ignore', fd, fd] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      fs.closeSync(fd);
      const text = fs.readFileSync(log, 'utf8');
      if (code !== 0) return reject(new Error(`Brian2 ${script} failed (${code}):\n${text.slice(-3000)}`));
      const runs = new Map<number, Run>();
      for (const seed of seeds) {
        const j: BrianJson = JSON.parse(fs.readFileSync(path.join(dir, `${path.basename(script, '.py')}-${seed}.json`), 'utf8'));
        assert.equal(j.dt, DT);
        const run: Run = new Map();
        for (const [name, size] of Object.entries(sizes)) {
          const s = j.spikes[name];
          assert.ok(s, `Brian2 ${script} has no spikes for ${name}`);
          run.set(name, { size, steps: s.t.map((t) => Math.round(t / DT)), neurons: s.i });
        }
        runs.set(seed, run);
      }
      resolve(runs);
    });
  });
}

describe('engine vs Brian2: network statistics over seeds', { skip, timeout: 900_000 }, () => {
  let brunelB2: Promise<Map<number, Run>>;
  let cobaB2: Promise<Map<number, Run>>;
  let cobahhB2: Promise<Map<number, Run> | undefined>;

  before(() => {
    // One Brian2 process at a time, next to our runs in this one (2 cores suffice).
    brunelB2 = brian('test/engine/brian2/brunel.py', BRUNEL.seeds, ['--duration', String(BRUNEL.duration)], { exc: 4000, inh: 1000 });
    cobaB2 = brunelB2.catch(() => undefined).then(() =>
      brian('test/engine/brian2/coba.py', COBA.seeds, ['--duration', String(COBA.duration)], { exc: 3200, inh: 800 }),
    );
    cobahhB2 = cobaB2.catch(() => undefined).then(() =>
      brian('test/engine/brian2/cobahh.py', COBAHH.seeds, ['--duration', String(COBAHH.duration)], { exc: 3200, inh: 800 }),
    );
    // a rejection is reported by the test that awaits it, not as an unhandled one
    brunelB2.catch(() => undefined);
    cobaB2.catch(() => undefined);
    cobahhB2.catch(() => undefined);
  });

  after(() => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill();
    fs.rmSync(work, { recursive: true, force: true });
  });

  /**
   * Our runs of `file` against Brian2's over `cfg.seeds`: per population the mean rate within
   * `rateTol` (relative) and the mean CV(ISI) within `cvTol`, every run with a CV (active).
   */
  async function compareOverSeeds(t: { diagnostic(s: string): void }, name: string, file: string, cfg: { seeds: number[]; duration: number; from: number }, brianRuns: Promise<Map<number, Run> | undefined>, rateTol: number, cvTol: number): Promise<void> {
    const ir = irOf({ file });
    const from = Math.round(cfg.from / DT);
    const to = Math.round(cfg.duration / DT);
    const mine = cfg.seeds.map((seed) => ours(ir, seed, cfg.duration));
    const theirs = (await brianRuns)!;
    const failures: string[] = [];
    for (const pop of ['exc', 'inh']) {
      const a = mine.map((r) => stats(r.get(pop)!, from, to));
      const b = cfg.seeds.map((seed) => stats(theirs.get(seed)!.get(pop)!, from, to));
      cfg.seeds.forEach((seed, k) => t.diagnostic(`${name} ${pop} seed ${seed}: ours ${f(a[k].rate)} Hz CV ${f(a[k].cv, 3)} | Brian2 ${f(b[k].rate)} Hz CV ${f(b[k].cv, 3)}`));
      assert.ok(a.every((s) => s.cv !== null && s.rate > 1) && b.every((s) => s.cv !== null && s.rate > 1), `${pop}: a silent run (or one without a CV)`);
      const ra = mean(a.map((s) => s.rate));
      const rb = mean(b.map((s) => s.rate));
      const ca = mean(a.map((s) => s.cv!));
      const cb = mean(b.map((s) => s.cv!));
      t.diagnostic(`${name} ${pop} mean: ours ${f(ra)} Hz CV ${f(ca, 3)} | Brian2 ${f(rb)} Hz CV ${f(cb, 3)} (rate ${f((100 * (ra - rb)) / rb, 1)} %)`);
      if (Math.abs(ra - rb) > rateTol * rb) failures.push(`${pop}: rate ${f(ra)} Hz here, ${f(rb)} Hz in Brian2 (${f((100 * (ra - rb)) / rb, 1)} %)`);
      if (Math.abs(ca - cb) > cvTol) failures.push(`${pop}: mean CV(ISI) ${f(ca, 3)} here, ${f(cb, 3)} in Brian2`);
    }
    assert.deepEqual(failures, []);
  }

  // The issue asks for 10 % and 0.1; we hold ourselves to 3 % and 0.02, because a real
  // semantic bug (input to refractory neurons) moved the rate by 11 % and the CV by only 0.065.
  it('Brunel (5000 LIF, delta synapses): rates within 3 %, mean CV(ISI) within 0.02, over 5 seeds', (t) =>
    compareOverSeeds(t, 'brunel', 'test/engine/brunel.snn', BRUNEL, brunelB2, 0.03, 0.02));

  it('COBAHH (4000 Hodgkin–Huxley neurons with exprel rates, examples/cobahh.snn): rates within 10 % and mean CV(ISI) within 0.1 (as for COBA), over 4 seeds', (t) =>
    compareOverSeeds(t, 'cobahh', 'examples/cobahh.snn', COBAHH, cobahhB2, 0.1, 0.1));

  it('COBA-4000 (bistable): active fraction over 40 seeds, the active seeds’ rates (10 %) and CV (0.1) agree', async (t) => {
    const ir = irOf({ file: 'examples/coba.snn' });
    const from = Math.round(COBA.from / DT);
    const to = Math.round(COBA.duration / DT);
    const tail = Math.round((COBA.duration - COBA.tail) / DT);
    const pops = ['exc', 'inh'];
    // per seed: active?, and the window statistics per population
    const summarize = (r: Run) => {
      let spikes = 0;
      let size = 0;
      for (const p of r.values()) {
        size += p.size;
        for (let k = 0; k < p.steps.length; k++) if (p.steps[k] >= tail) spikes++;
      }
      return { active: spikes / size / COBA.tail > 1, pops: new Map(pops.map((n) => [n, stats(r.get(n)!, from, to)])) };
    };
    const mine = COBA.seeds.map((seed) => summarize(ours(ir, seed, COBA.duration)));
    const theirsRuns = await cobaB2;
    const theirs = COBA.seeds.map((seed) => summarize(theirsRuns.get(seed)!));
    COBA.seeds.forEach((seed, k) => {
      const line = (s: ReturnType<typeof summarize>) =>
        `${s.active ? 'active' : 'silent'} ${pops.map((n) => `${n} ${f(s.pops.get(n)!.rate)} Hz CV ${f(s.pops.get(n)!.cv)}`).join(', ')}`;
      t.diagnostic(`coba seed ${seed}: ours ${line(mine[k])} | Brian2 ${line(theirs[k])}`);
    });
    const n = COBA.seeds.length;
    const ka = mine.filter((s) => s.active).length;
    const kb = theirs.filter((s) => s.active).length;
    t.diagnostic(`coba active seeds: ours ${ka}/${n}, Brian2 ${kb}/${n}`);
    // Both simulators must show the active state at least once (so there are rates to compare).
    assert.ok(ka >= 1 && kb >= 1, `active seeds: ${ka}/${n} here, ${kb}/${n} in Brian2`);
    // The active fractions agree: a two-sided two-proportion z-test (pooled) does not reject
    // equality at the 1 % level, |z| < 2.576. With ~35 % active (Brian2's fraction over
    // seeds 1-20 at 1 s) and 40 seeds per side the difference has a standard error of ~0.11,
    // so fractions as different as 35 % vs 70 % fail. The seeds are fixed, so the outcome is
    // reproducible, not flaky.
    const pool = (ka + kb) / (2 * n);
    const se = Math.sqrt(pool * (1 - pool) * (2 / n));
    const z = se > 0 ? (ka / n - kb / n) / se : 0;
    t.diagnostic(`coba active fraction: z = ${z.toFixed(2)}`);
    const failures: string[] = [];
    if (Math.abs(z) >= 2.576) failures.push(`active fraction ${ka}/${n} here, ${kb}/${n} in Brian2 (z = ${z.toFixed(2)})`);
    // Mean rate over the active seeds, per population, within 10 %.
    for (const pop of pops) {
      const ra = mean(mine.filter((s) => s.active).map((s) => s.pops.get(pop)!.rate));
      const rb = mean(theirs.filter((s) => s.active).map((s) => s.pops.get(pop)!.rate));
      const cva = mean(mine.filter((s) => s.active).map((s) => s.pops.get(pop)!.cv ?? 0));
      const cvb = mean(theirs.filter((s) => s.active).map((s) => s.pops.get(pop)!.cv ?? 0));
      t.diagnostic(`coba ${pop} active-seed mean: ours ${f(ra)} Hz CV ${f(cva, 3)} | Brian2 ${f(rb)} Hz CV ${f(cvb, 3)} (rate ${f((100 * (ra - rb)) / rb, 1)} %)`);
      if (Math.abs(ra - rb) > 0.1 * rb) failures.push(`${pop}: active-seed mean rate ${f(ra)} Hz here, ${f(rb)} Hz in Brian2`);
      // and their irregularity (CV ~1 over the 0.3 s window): mean CV within 0.1, as for Brunel
      if (Math.abs(cva - cvb) > 0.1) failures.push(`${pop}: active-seed mean CV(ISI) ${f(cva, 3)} here, ${f(cvb, 3)} in Brian2`);
    }
    assert.deepEqual(failures, []);
  });
});
