// Parameter sweeps (issue 13): the sweep spec (targets, units, did-you-mean, pure IR → IR), the
// whole-sweep estimate, the worker pool (progress, cancel), `spikeworks sweep` (table, CSV, JSON,
// exit codes), the f–I curve of examples/fi_curve.snn against the analytic LIF formula, and
// statistics over seeds.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parseQuantity } from '../language-server/src/ide';
import type { ModelIR } from '../protocol/ir';
import { startSweep } from '../sim-host/src/sweep-pool';
import { estimateSweep } from '../sim-host/src/sweep/estimate';
import { meanSd, sweepCsv, sweepPlot, type SweepRow } from '../sim-host/src/sweep/results';
import { isSweepPanelMessage, type SweepPlot } from '../protocol/sweep-panel';
import { drawSweep } from '../webviews/sweep/plot';
import type { Painter } from '../webviews/shared/painter';
import type { Theme } from '../webviews/shared/theme';
import { applyRun, parseAxis, sweepRuns, SweepError, type SweepSpec } from '../sim-host/src/sweep/spec';
import { distWorker, ensureBuilt, interruptCli, repoRoot } from './helpers/build';
import { irOf } from './helpers/model';
import { cliSandbox } from './helpers/cli';

const { dir, model, cli } = cliSandbox('sw-sweep-');
const FI = path.join(repoRoot, 'examples', 'fi_curve.snn');

const NOISY = `population exc = LIF[20]
input drive = poisson[100] { rate: 20 Hz }
connect inp: drive -> exc { rule: fixed_indegree(k = 50); weight: 100 pA; target: I_syn }
probe spikes(exc)
simulate { dt: 0.1 ms; duration: 500 ms; seed: 1 }
`;


const spec1 = (ir: ModelIR, set: string, seeds = 1): SweepSpec => ({ axes: [parseAxis(ir, set, parseQuantity)], seeds, baseSeed: 1 });
const sweepErr = (f: () => unknown, re: RegExp) => assert.throws(f, (e: unknown) => e instanceof SweepError && re.test(e.message));

describe('sweep spec: targets, units and values', () => {
  const ir = irOf(NOISY);

  it('a range with units becomes SI values, linear, both ends included', () => {
    const a = parseAxis(ir, 'exc.I_e=0pA:500pA:11', parseQuantity);
    assert.equal(a.values.length, 11);
    assert.equal(a.values[0], 0);
    assert.equal(a.values[10], 500e-12);
    assert.ok(Math.abs(a.values[3] - 150e-12) < 1e-24);
    assert.deepEqual(a.ref, { kind: 'init', population: 'exc', name: 'I_e' });
    assert.equal(a.display.unit, 'pA');
    const l = parseAxis(ir, 'drive.rate=5Hz,0.01 kHz, 40 Hz', parseQuantity);
    assert.deepEqual(l.values, [5, 10, 40]);
    const w = parseAxis(ir, 'inp.weight=0.1nA:0.2nA:2', parseQuantity);
    assert.ok(Math.abs(w.values[0] - 1e-10) < 1e-22 && Math.abs(w.values[1] - 2e-10) < 1e-22, `${w.values}`);
    assert.deepEqual(parseAxis(ir, 'exc.tau_m=10ms,20ms', parseQuantity).ref, { kind: 'parameter', population: 'exc', name: 'tau_m' });
    assert.deepEqual(parseAxis(ir, 'seed=1:4:4', parseQuantity).values, [1, 2, 3, 4]);
  });

  it('a target that does not exist is an error naming it, with a did-you-mean', () => {
    sweepErr(() => parseAxis(ir, 'exc.I_x=0pA:1pA:2', parseQuantity), /^--set exc\.I_x=0pA:1pA:2: population 'exc' \(LIF\) has no parameter or state variable 'I_x' \(did you mean 'I_e'\?\)/);
    sweepErr(() => parseAxis(ir, 'ecx.I_e=0pA:1pA:2', parseQuantity), /'ecx' in 'ecx\.I_e' is not a population, input or named connection .*\(did you mean 'exc'\?\)/);
    sweepErr(() => parseAxis(ir, 'drive.rat=1Hz', parseQuantity), /input 'drive' \(poisson\) has no property 'rat' .*\(did you mean 'rate'\?\)/);
    sweepErr(() => parseAxis(ir, 'inp.wieght=1pA', parseQuantity), /connection 'inp' has no property 'wieght' .*\(did you mean 'weight'\?\)/);
    sweepErr(() => parseAxis(ir, 'I_e=1pA', parseQuantity), /'I_e' is not a target/);
  });

  it('a value whose unit does not match the target is an error, never converted or ignored', () => {
    sweepErr(() => parseAxis(ir, 'exc.I_e=0mV:1mV:2', parseQuantity), /exc\.I_e is a current \(pA\), '0mV' is a voltage \(mV\)/);
    sweepErr(() => parseAxis(ir, 'exc.I_e=0:100:2', parseQuantity), /exc\.I_e is a current \(pA\), so '0' needs a unit/);
    sweepErr(() => parseAxis(ir, 'drive.rate=10 ms', parseQuantity), /drive\.rate is a rate \(Hz\), '10 ms' is a time/);
    sweepErr(() => parseAxis(ir, 'exc.I_e=1 pX', parseQuantity), /unknown unit 'pX'/);
    sweepErr(() => parseAxis(ir, 'exc.I_e=0pA:1pA', parseQuantity), /a range is from:to:count \(three parts\), got 2/);
    sweepErr(() => parseAxis(ir, 'exc.I_e=0pA:1pA:0', parseQuantity), /the count '0' must be a whole number/);
    sweepErr(() => parseAxis(ir, 'seed=1.5,2', parseQuantity), /seeds are whole numbers/);
  });

  it('applying a point is pure: a new IR with the value, the input IR unchanged', () => {
    const before = JSON.stringify(ir);
    const spec: SweepSpec = { axes: [parseAxis(ir, 'exc.I_e=7pA', parseQuantity), parseAxis(ir, 'inp.weight=3pA', parseQuantity)], seeds: 1, baseSeed: 1 };
    const out = applyRun(ir, spec, sweepRuns(spec)[0]);
    assert.equal(JSON.stringify(ir), before);
    assert.deepEqual(out.populations[0].init.I_e, { kind: 'const', value: 7e-12 });
    assert.deepEqual(out.connections[0].weight, { kind: 'const', value: 3e-12 });
    const rate = applyRun(ir, spec1(ir, 'drive.rate=33Hz'), { index: 0, point: 0, values: [33], seed: 1, rep: 0 });
    assert.deepEqual(rate.inputs[0].kind === 'poisson' && rate.inputs[0].rate, { kind: 'const', value: 33 });
  });

  it('runs: first axis slowest, each point `seeds` times with seeds base, base + 1, …', () => {
    const spec: SweepSpec = { axes: [parseAxis(ir, 'drive.rate=1Hz,2Hz', parseQuantity), parseAxis(ir, 'inp.weight=1pA,2pA,3pA', parseQuantity)], seeds: 2, baseSeed: 5 };
    const runs = sweepRuns(spec);
    assert.equal(runs.length, 12);
    assert.deepEqual(runs.slice(0, 4).map((r) => [r.point, r.values[0], r.values[1] * 1e12, r.seed]), [[0, 1, 1, 5], [0, 1, 1, 6], [1, 1, 2, 5], [1, 1, 2, 6]]);
    assert.deepEqual(runs[11].values.map((v, k) => (k ? Math.round(v * 1e12) : v)), [2, 3]);
    sweepErr(() => sweepRuns({ ...spec1(ir, 'seed=1,2'), seeds: 3 }), /seed is an axis: --seeds must be 1/);
    sweepErr(() => sweepRuns({ axes: [spec.axes[0], spec.axes[0]], seeds: 1, baseSeed: 1 }), /the same target is swept twice/);
    sweepErr(() => sweepRuns(spec1(ir, 'exc.I_e=0pA:1pA:5000', 3)), /5000 points × 3 seeds = 15000 runs, more than the 10000 allowed/);
  });

  it('the whole sweep is estimated with the engine\'s figures before it starts; what does not fit is refused', () => {
    const big = irOf('population a = LIF[2000]\nconnect ee: a -> a { rule: all_to_all; weight: 1 pA; target: I_syn }\nsimulate { dt: 0.1 ms; duration: 10 ms }\n');
    const spec = spec1(big, 'ee.weight=1pA:4pA:4');
    const runs = sweepRuns(spec);
    const e = estimateSweep(big, spec, runs, { memoryLimit: 2 ** 30, workers: 8 });
    assert.ok(e.runBytes > 4e6 * 4, `4e6 synapses: ${e.runBytes} B`);
    assert.equal(e.workers, 4, 'no more workers than runs');
    assert.equal(e.totalSteps, 4 * 100);
    // Room for two runs at once: two workers, each with half the limit.
    const two = estimateSweep(big, spec, runs, { memoryLimit: Math.floor(e.runBytes * 2.5), workers: 8 });
    assert.equal(two.workers, 2);
    assert.equal(two.runLimit, Math.floor(Math.floor(e.runBytes * 2.5) / 2));
    sweepErr(() => estimateSweep(big, spec, runs, { memoryLimit: Math.floor(e.runBytes / 2), workers: 8 }), /point ee\.weight = 1 pA would be refused: this run needs about/);
    const long = spec1(big, 'ee.weight=1pA:40pA:40');
    sweepErr(() => estimateSweep(big, long, sweepRuns(long), { memoryLimit: 2 ** 32, workers: 1, duration: 100_000 }), /this sweep simulates 40 runs × 1,000,000,000 steps = 4\.00e\+10 steps, more than the 2e\+10/);
  });
});

/** The firing rate of the prelude LIF under a constant current, from its equations (LANGUAGE.md, prelude/neurons.snn). */
function lifRate(ir: ModelIR, current: number, opts: { noRefractory?: boolean } = {}): number {
  const lif = ir.models.LIF;
  const p = (name: string) => {
    const v = lif.parameters.find((q) => q.name === name)?.default;
    assert.ok(v !== undefined, `LIF has a default ${name}`);
    return v;
  };
  const [tauM, rM, eL, vTh, vReset, tRef] = ['tau_m', 'R_m', 'E_l', 'V_th', 'V_reset', 't_ref'].map(p);
  // dv/dt = (E_l − v + R_m·I)/tau_m (I_syn = 0): v relaxes to V_inf = E_l + R_m·I. After the
  // refractory period v leaves V_reset and reaches V_th at T = tau_m·ln((V_inf − V_reset)/(V_inf − V_th)),
  // only if V_inf > V_th (rheobase (V_th − E_l)/R_m); the spike resets v and holds it for t_ref.
  const vInf = eL + rM * current;
  if (vInf <= vTh) return 0;
  const T = tauM * Math.log((vInf - vReset) / (vInf - vTh));
  return 1 / ((opts.noRefractory ? 0 : tRef) + T);
}

describe('f–I curve of examples/fi_curve.snn against the analytic LIF rate', () => {
  it('10 currents (4 below rheobase) within 2 % of r = 1/(t_ref + tau_m·ln((V∞ − V_reset)/(V∞ − V_th)))', () => {
    // Discrete time: a spike is detected at the end of the step in which v crosses V_th, and v is
    // held for round(t_ref/dt) − 1 steps, so each interval is (round(t_ref/dt) − 1 + m)·dt with
    // m = the first step count at which v > V_th: within one step (dt = 10 µs, < 0.1 % of the
    // shortest interval, 11 ms) of t_ref + T. The rate is counted over 5 s: the first interval
    // has no refractory part and the last is cut, so |counted − 1/ISI| ≤ 1/5 s = 0.2 Hz
    // (< 0.8 % at the lowest rate above rheobase, 26 Hz).
    const out = path.join(dir, 'fi');
    const r = cli(['sweep', FI, '--set', 'n.I_e=0pA:540pA:10', '--out', out, '--workers', '2']);
    assert.equal(r.status, 0, r.stderr);
    const ir = irOf({ file: FI });
    assert.equal(ir.simulate.dt, 1e-5);
    const json = JSON.parse(fs.readFileSync(path.join(out, 'sweep.json'), 'utf8')) as { runs: { values: number[]; populations: { name: string; rate_hz: number }[] }[] };
    assert.equal(json.runs.length, 10);
    const table: string[] = [];
    let below = 0;
    for (const run of json.runs) {
      const I = run.values[0];
      const got = run.populations.find((p) => p.name === 'n')!.rate_hz;
      const want = lifRate(ir, I);
      table.push(`${(I * 1e12).toFixed(0)} pA: ${got.toFixed(2)} Hz vs ${want.toFixed(2)} Hz`);
      if (want === 0) {
        below++;
        assert.equal(got, 0, `below rheobase at ${I} A`);
      } else {
        assert.ok(Math.abs(got - want) / want < 0.02, `${table.at(-1)} (${((100 * (got - want)) / want).toFixed(2)} %)`);
        // The comparison is sharp: the refractory period alone is more than 2 % of the rate.
        const noRef = lifRate(ir, I, { noRefractory: true });
        assert.ok(Math.abs(got - noRef) / noRef > 0.02);
      }
    }
    assert.equal(below, 4, table.join('\n'));
    // The CSV: one row per point, header with units, values in the header's unit.
    const csv = fs.readFileSync(path.join(out, 'sweep.csv'), 'utf8').trim().split('\n');
    assert.equal(csv[0], 'n.I_e (pA),seed,n.rate (Hz),n.cv_isi,n.spikes,sim (s),error');
    assert.equal(csv.length, 11);
    assert.match(csv[10], /^540,1,/);
    assert.match(r.stdout, /^n\.I_e +n rate \(Hz\) +n CV\n0 pA +0\.00 +-\n/);
    assert.match(r.stdout, /10 of 10 runs in /);
  });
});

describe('statistics over seeds', () => {
  it('a noisy model: mean ± SD over seeds per point, the seeds differ, each run equals `spikeworks run --seed`', () => {
    const f = model('noisy.snn', NOISY);
    const out = path.join(dir, 'seeds');
    const r = cli(['sweep', f, '--set', 'drive.rate=10Hz,20Hz', '--seeds', '4', '--out', out, '--format', 'json']);
    assert.equal(r.status, 0, r.stderr);
    type J = { runs: { point: number; seed: number; populations: { rate_hz: number; spikes: number }[] }[]; points: { point: number; populations: { n: number; rate_mean: number; rate_sd: number }[] }[] };
    const json = JSON.parse(r.stdout) as J;
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(out, 'sweep.json'), 'utf8')).points, json.points);
    assert.equal(json.runs.length, 8);
    for (const pt of json.points) {
      const rates = json.runs.filter((x) => x.point === pt.point).map((x) => x.populations[0].rate_hz);
      assert.deepEqual(json.runs.filter((x) => x.point === pt.point).map((x) => x.seed), [1, 2, 3, 4]);
      assert.equal(new Set(rates).size, 4, `rates differ per seed: ${rates}`);
      const { mean, sd } = meanSd(rates);
      assert.equal(pt.populations[0].n, 4);
      assert.ok(Math.abs(pt.populations[0].rate_mean - mean) < 1e-9 && Math.abs(pt.populations[0].rate_sd - sd) < 1e-9);
      assert.ok(sd > 0 && sd < mean / 2, `sd ${sd} of mean ${mean}`);
    }
    // More drive, more firing (beyond the spread over seeds).
    const [lo, hi] = json.points.map((p) => p.populations[0]);
    assert.ok(hi.rate_mean - hi.rate_sd > lo.rate_mean + lo.rate_sd, `${lo.rate_mean} ± ${lo.rate_sd} vs ${hi.rate_mean} ± ${hi.rate_sd}`);
    // A sweep run is a normal run: at the model's own rate (20 Hz) seed 3 gives `run --seed 3`'s spikes.
    const single = cli(['run', f, '--seed', '3', '--format', 'json']);
    assert.equal(single.status, 0, single.stderr);
    const want = (JSON.parse(single.stdout) as { populations: { spikes: number }[] }).populations[0].spikes;
    assert.equal(json.runs.find((x) => x.point === 1 && x.seed === 3)!.populations[0].spikes, want);
    assert.notEqual(json.runs.find((x) => x.point === 1 && x.seed === 2)!.populations[0].spikes, want);
    const csv = fs.readFileSync(path.join(out, 'sweep.csv'), 'utf8').trim().split('\n');
    assert.equal(csv.length, 9);
    assert.equal(csv[0], 'drive.rate (Hz),seed,exc.rate (Hz),exc.cv_isi,exc.spikes,sim (s),error');
  });

  it('two axes: one CSV row per point and seed', () => {
    const ir = irOf(NOISY);
    const spec: SweepSpec = { axes: [parseAxis(ir, 'drive.rate=10Hz,20Hz', parseQuantity), parseAxis(ir, 'inp.weight=50pA:150pA:3', parseQuantity)], seeds: 2, baseSeed: 1 };
    const rows = sweepRuns(spec).map((run) => ({ run, sim_s: 0.5, populations: [{ name: 'exc', size: 20, spikes: run.index, rate_hz: run.index / 10, cv_isi: null }] }));
    const csv = sweepCsv(spec, rows).trim().split('\n');
    assert.equal(csv.length, 13);
    assert.equal(csv[0], 'drive.rate (Hz),inp.weight (pA),seed,exc.rate (Hz),exc.cv_isi,exc.spikes,sim (s),error');
    assert.equal(csv[12], '20,150,2,1.1,,11,0.5,');
  });
});

describe('spikeworks sweep: errors, refusals, cancel', () => {
  it('errors name the --set argument or the file, line and column; exit 1, nothing run', () => {
    const f = model('noisy2.snn', NOISY);
    const bad = cli(['sweep', f, '--set', 'exc.I_x=0pA:1pA:2']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /noisy2\.snn: --set exc\.I_x=0pA:1pA:2: population 'exc' \(LIF\) has no parameter or state variable 'I_x' \(did you mean 'I_e'\?\)/);
    const unit = cli(['sweep', f, '--set', 'drive.rate=1mV:2mV:2']);
    assert.equal(unit.status, 1);
    assert.match(unit.stderr, /--set drive\.rate=1mV:2mV:2: drive\.rate is a rate \(Hz\), '1mV' is a voltage/);
    const broken = model('broken.snn', 'population a = LIF[2]\nconnect a -> b { rule: all_to_all; weight: 1 pA; target: I_syn }\n');
    const b = cli(['sweep', broken, '--set', 'a.I_e=1pA,2pA']);
    assert.equal(b.status, 1);
    assert.match(b.stderr, /broken\.snn:2:\d+: error: .*'b'/);
    assert.equal(cli(['sweep', f]).status, 2, 'no --set: usage');
    assert.equal(cli(['sweep', f, '--set', 'a=1', '--workers', '0']).status, 2);
  });

  it('a sweep over the limits is refused before any run, with the figure', () => {
    const r = cli(['sweep', FI, '--set', 'n.I_e=0pA:540pA:40', '--duration', '10000']);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /this sweep simulates 40 runs × 1,000,000,000 steps = 4\.00e\+10 steps, more than the 2e\+10 a sweep may/);
    const big = model('big.snn', 'population a = LIF[2000]\nconnect ee: a -> a { rule: all_to_all; weight: 1 pA; target: I_syn }\nsimulate { dt: 0.1 ms; duration: 10 ms }\n');
    const m = cli(['sweep', big, '--set', 'ee.weight=1pA:2pA:2', '--memory-limit', '8']);
    assert.equal(m.status, 1);
    assert.match(m.stderr, /point ee\.weight = 1 pA would be refused: this run needs about \d+\.\d MiB/);
  });

  it('cancel stops every worker of the pool: the finished runs are kept, no more start', async () => {
    ensureBuilt();
    const ir = irOf({ file: FI });
    const spec = spec1(ir, 'n.I_e=300pA:540pA:6');
    const runs = sweepRuns(spec);
    const fractions: number[] = [];
    const h = startSweep(ir, spec, runs, { workers: 2, duration: 2000, workerFile: distWorker, onProgress: (_d, _t, f) => fractions.push(f) });
    // Cancel once the runs are under way (a progress fraction above 0 has arrived); a loaded
    // machine takes seconds to start the workers, so wait for it rather than a fixed time.
    const started = performance.now();
    while (!fractions.some((f) => f > 0) && performance.now() - started < 60_000) await new Promise((r) => setTimeout(r, 100));
    const t0 = performance.now();
    h.cancel();
    const res = await h.result;
    const ms = performance.now() - t0;
    assert.ok(ms < 2000, `stopped in ${ms.toFixed(0)} ms`);
    assert.equal(res.cancelled, true);
    assert.equal(res.rows.length, 0, '2e8 steps per run: none finished');
    assert.equal(res.runsTotal, 6);
    const most = Math.max(...fractions);
    assert.ok(most > 0 && most < 1, `progress ${most}`);
  });

  it('Ctrl-C: exit 130 when no run finished, within a few seconds', async () => {
    const { code, stderr, ms } = await interruptCli(['sweep', FI, '--set', 'n.I_e=300pA:540pA:4', '--duration', '2000', '--workers', '2'], dir);
    assert.equal(code, 130, stderr);
    assert.ok(ms < 3000, `stopped ${ms.toFixed(0)} ms after Ctrl-C`);
    assert.match(stderr, /stopped before any run finished/);
  });
});

describe('the Sweep panel: curves, messages, drawing', () => {
  const ir = irOf(NOISY);
  const spec: SweepSpec = { axes: [parseAxis(ir, 'exc.I_e=100pA:300pA:3', parseQuantity), parseAxis(ir, 'inp.weight=1pA,2pA', parseQuantity)], seeds: 3, baseSeed: 1 };
  // rate = 10·point + seed (a known table)
  const rows: SweepRow[] = sweepRuns(spec).map((run) => ({ run, sim_s: 1, populations: [{ name: 'exc', size: 20, spikes: 0, rate_hz: 10 * run.point + run.seed, cv_isi: null }] }));

  it('sweepPlot: one curve per population and second-axis value; x in the display unit; mean, SD, min, max over seeds', () => {
    const plot = sweepPlot(spec, { rows, cancelled: false, runsTotal: rows.length }, 'noisy');
    assert.equal(plot.xLabel, 'exc.I_e (pA)');
    assert.deepEqual(plot.curves.map((c) => c.label), ['exc, inp.weight = 1 pA', 'exc, inp.weight = 2 pA']);
    const [a, b] = plot.curves;
    assert.deepEqual(a.xs.map((x) => Math.round(x)), [100, 200, 300]);
    // points 0, 2, 4 (weight 1 pA) and 1, 3, 5 (2 pA); seeds 1, 2, 3: mean 10·p + 2, SD 1
    assert.deepEqual(a.mean, [2, 22, 42]);
    assert.deepEqual(b.mean, [12, 32, 52]);
    assert.deepEqual(a.sd, [1, 1, 1]);
    assert.deepEqual(b.min, [11, 31, 51]);
    assert.deepEqual(b.max, [13, 33, 53]);
    assert.equal(plot.csv, sweepCsv(spec, rows));
    assert.ok(isSweepPanelMessage({ type: 'sweep', plot }));
    // a cancelled sweep: the points without runs are left out
    const part = sweepPlot(spec, { rows: rows.slice(0, 7), cancelled: true, runsTotal: rows.length }, 'noisy');
    assert.deepEqual(part.curves[0].xs.length, 2);
    assert.deepEqual(part.curves[1].mean, [12]);
  });

  it('messages from the extension are checked on arrival', () => {
    const plot = sweepPlot(spec, { rows, cancelled: false, runsTotal: rows.length }, 'noisy');
    assert.equal(isSweepPanelMessage({ type: 'sweep', plot: { ...plot, curves: [{ ...plot.curves[0], sd: [1] }] } }), false);
    assert.equal(isSweepPanelMessage({ type: 'sweep', plot: { ...plot, csv: 3 } }), false);
    assert.equal(isSweepPanelMessage({ type: 'sweep' }), false);
    assert.equal(isSweepPanelMessage(null), false);
  });

  it('drawSweep: higher rates are drawn higher, error bars only with several seeds, no NaN', () => {
    const theme: Theme = { background: 'bg', foreground: 'fg', muted: 'mu', grid: 'gr', focus: 'fo', cursor: 'cu', selection: 'se', highContrast: false, series: ['c0', 'c1'] };
    const record = (plot: SweepPlot) => {
      const lines: number[][] = [];
      const marks: { x: number; y: number; color: string }[] = [];
      const coords: number[] = [];
      const p: Painter = {
        rect: (x, y, w, h, fill) => {
          coords.push(x, y, w, h);
          if (w === 6 && h === 6) marks.push({ x: x + 3, y: y + 3, color: fill });
        },
        strokeRect: (...a) => void coords.push(a[0], a[1], a[2], a[3]),
        line: (x1, y1, x2, y2, stroke) => {
          coords.push(x1, y1, x2, y2);
          if (stroke === 'c0' || stroke === 'c1') lines.push([x1, y1, x2, y2]);
        },
        polyline: (xs, ys, n) => void coords.push(...Array.from(xs).slice(0, n), ...Array.from(ys).slice(0, n)),
        polygon: (xs, ys, n) => void coords.push(...Array.from(xs).slice(0, n), ...Array.from(ys).slice(0, n)),
        text: (_s, x, y) => void coords.push(x, y),
        measure: (s) => s.length * 6,
      };
      drawSweep(p, plot, 600, 400, theme);
      return { lines, marks, coords };
    };
    const plot = sweepPlot(spec, { rows, cancelled: false, runsTotal: rows.length }, 'noisy');
    const r = record(plot);
    assert.ok(r.coords.every(Number.isFinite));
    const c0 = r.marks.filter((m) => m.color === 'c0');
    assert.equal(c0.length, 3);
    assert.ok(c0[0].x < c0[1].x && c0[1].x < c0[2].x && c0[0].y > c0[1].y && c0[1].y > c0[2].y, JSON.stringify(c0));
    assert.equal(r.lines.length, 6 * 3, 'three lines per error bar');
    const one = record({ ...plot, seeds: 1 });
    assert.equal(one.lines.length, 0);
  });
});
