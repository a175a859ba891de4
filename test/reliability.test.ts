// examples/reliability.snn (Mainen & Sejnowski 1995, Brian2's gallery version): 100 noisy units
// with the same frozen input, switched on at 1 s by a scheduled operation (`at 1 s { A = 0.5 }`).
// Ours alone: the fluctuating half's spike times are far more reliable across units than the
// constant half's. Against Brian2 (test/engine/brian2/reliability.py, run_regularly) over seeds
// 1-4: the rates and the reliability (Schreiber et al. 2003, σ = 2 ms) of each half agree, and
// — the input being frozen — our units' spike trains correlate with Brian2's as they do among
// themselves.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Simulation, spikesOf } from '../sim-host/src/engine';
import { webgpuRefusal } from '../sim-host/src/webgpu/backend';
import { repoRoot } from './helpers/build';
import { irOf } from './helpers/model';
import { reliability } from './helpers/reliability';
import { pythonHas } from './helpers/python';

const PY = '/usr/bin/python3';
const hasBrian = pythonHas('brian2');
const skip = !hasBrian && !process.env.CI ? 'Brian2 not installed (apt-get install python3-brian)' : false;

const N = 100;
const SEEDS = [1, 2, 3, 4];
/** The last 0.5 s of each regime: constant input, then constant + frozen fluctuation. */
const DC: [number, number] = [0.5, 1.0];
const FLUCT: [number, number] = [1.5, 2.0];

interface Trains {
  t: number[];
  i: number[];
}

function ours(seed: number): Trains {
  const r = new Simulation(irOf({ file: 'examples/reliability.snn' }), { seed }).run();
  assert.ok(!r.error, r.error);
  const s = spikesOf(r, 'trials')!;
  return { t: Array.from(s.steps, (x) => x * r.dt), i: Array.from(s.neurons) };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const f = (x: number, d = 3) => x.toFixed(d);

describe('examples/reliability.snn: spike-time reliability under a frozen input', { timeout: 600_000 }, () => {
  it('runs on WASM (WebGPU refuses the scheduled operation, saying so); the fluctuating half is reliable, the constant half is not', () => {
    assert.match(webgpuRefusal(irOf({ file: 'examples/reliability.snn' })) ?? '', /scheduled operations \(every \/ at, population trials\)/);
    const run = ours(1);
    const dc = reliability(run.t, run.i, N, ...DC);
    const fl = reliability(run.t, run.i, N, ...FLUCT);
    console.log(`  seed 1: R ${f(dc.r)} (constant) vs ${f(fl.r)} (frozen fluctuating); rates ${f(dc.rate, 1)} / ${f(fl.rate, 1)} Hz`);
    // Before 1 s A = 0: the first half is the same with the block removed.
    const early = run.t.filter((t) => t < 1).length;
    assert.ok(dc.silent === 0 && fl.silent === 0);
    assert.ok(early > 0 && fl.r > 0.8 && dc.r < 0.4 && fl.r - dc.r > 0.4, `R ${dc.r} vs ${fl.r}`);
  });

  it('agrees with Brian2 over seeds 1-4: rates within 3 %, R within 0.03 per half, cross-simulator R as within', { skip }, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swk-rel-'));
    const r = spawnSync(PY, [path.join(repoRoot, 'test/network/brian2_seeds.py'), path.join(repoRoot, 'test/engine/brian2/reliability.py'), '--seeds', SEEDS.join(','), '--out-dir', dir], { encoding: 'utf8', timeout: 480_000 });
    assert.equal(r.status, 0, r.stderr.slice(-2000));
    const rows = SEEDS.map((seed) => {
      const a = ours(seed);
      const j = JSON.parse(fs.readFileSync(path.join(dir, `reliability-${seed}.json`), 'utf8'));
      const b: Trains = { t: j.spikes.trials.t, i: j.spikes.trials.i };
      // Both simulators' units as 2N trials: the pairs (ours, Brian2) measure cross-simulator reliability.
      const both = (w: [number, number]) => {
        const all = reliability([...a.t, ...b.t], [...a.i, ...b.i.map((x) => x + N)], 2 * N, ...w);
        const x = reliability(a.t, a.i, N, ...w);
        const y = reliability(b.t, b.i, N, ...w);
        // mean over all pairs = (within-ours + within-Brian2 + cross) weighted by pair counts
        const pairs = (n: number) => (n * (n - 1)) / 2;
        const cross = (all.r * pairs(2 * N) - (x.r + y.r) * pairs(N)) / (N * N);
        return { ours: x, brian: y, cross };
      };
      return { seed, dc: both(DC), fl: both(FLUCT) };
    });
    fs.rmSync(dir, { recursive: true, force: true });
    for (const w of rows) {
      console.log(`  seed ${w.seed}: constant R ${f(w.dc.ours.r)} / ${f(w.dc.brian.r)} (ours / Brian2), ${f(w.dc.ours.rate, 2)} / ${f(w.dc.brian.rate, 2)} Hz; fluctuating R ${f(w.fl.ours.r)} / ${f(w.fl.brian.r)}, cross ${f(w.fl.cross)}, ${f(w.fl.ours.rate, 2)} / ${f(w.fl.brian.rate, 2)} Hz`);
    }
    const failures: string[] = [];
    for (const half of ['dc', 'fl'] as const) {
      const ra = mean(rows.map((w) => w[half].ours.rate));
      const rb = mean(rows.map((w) => w[half].brian.rate));
      const xa = mean(rows.map((w) => w[half].ours.r));
      const xb = mean(rows.map((w) => w[half].brian.r));
      console.log(`  ${half === 'dc' ? 'constant' : 'fluctuating'} mean: R ${f(xa)} / ${f(xb)}, rate ${f(ra, 2)} / ${f(rb, 2)} Hz (${f((100 * (ra - rb)) / rb, 1)} %)`);
      if (Math.abs(ra - rb) > 0.03 * rb) failures.push(`${half}: rate ${ra} here, ${rb} in Brian2`);
      if (Math.abs(xa - xb) > 0.03) failures.push(`${half}: reliability ${xa} here, ${xb} in Brian2`);
    }
    // The frozen input is the same waveform in both simulators: ours and Brian2's units lock to
    // the same upswings, so a pair (ours, Brian2) is as reliable as a pair within one simulator.
    const cross = mean(rows.map((w) => w.fl.cross));
    const within = mean(rows.map((w) => (w.fl.ours.r + w.fl.brian.r) / 2));
    console.log(`  fluctuating half, cross-simulator R ${f(cross)} vs within ${f(within)}`);
    if (Math.abs(cross - within) > 0.03) failures.push(`cross-simulator reliability ${cross} vs ${within} within`);
    assert.deepEqual(failures, []);
  });
});
