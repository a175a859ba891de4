// The readout core (sim-host/src/analysis/readout): ridge weights and cross-validated scores
// against numpy's closed-form solve (an independent reference), planted problems (separable →
// 1.0; shuffled labels → chance), folds that partition the trials, the data a run gives
// (binned counts of known spikes), evaluation of a model's readouts on a real run, and bad input.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import type { ModelIR } from '../protocol/ir';
import {
  crossValidate, crossValidateScores, gram, evaluateReadouts, foldBounds, isReadoutScore, readoutData, readoutLine, ReadoutError, ridgeFit, ridgeScores, argmax,
} from '../sim-host/src/analysis/readout';
import type { RunResult } from '../sim-host/src/engine';
import { runIR } from './examples/helpers';
import { irOf } from './helpers/model';
import { plantedReadoutText } from './helpers/readout-model';

const PY = '/usr/bin/python3';
const hasNumpy = fs.existsSync(PY) && spawnSync(PY, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;
const skipPy = !hasNumpy && !process.env.CI ? 'numpy not installed (apt-get install python3-numpy)' : false;

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
const gauss = (rand: () => number) => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

/** n trials of d features, K classes: labels uniform, features Gaussian plus `signal` on feature j for class j mod K. */
function problem(seed: number, n: number, d: number, K: number, signal = 0): { X: Float64Array[]; y: number[] } {
  const rand = lcg(seed);
  const y = Array.from({ length: n }, () => Math.floor(rand() * K));
  const X = y.map((c) => Float64Array.from({ length: d }, (_, j) => 3 + gauss(rand) + (j % K === c ? signal : 0)));
  return { X, y };
}

// The reference: numpy's closed-form ridge, written from the definition (centre by the training
// mean, ±1 one-vs-rest targets, W = solve(XcᵀXc + αI, XcᵀY), score (x − μ)ᵀW), and contiguous
// folds [floor(f·n/F), floor((f+1)·n/F)).
const REFERENCE = `
import json, sys
import numpy as np
out = []
for p in json.load(sys.stdin):
    X = np.array(p['X'], dtype=np.float64); y = np.array(p['y']); K = p['K']; a = p['alpha']; F = p['folds']
    n, d = X.shape
    def fit(Xt, yt):
        mu = Xt.mean(axis=0)
        Xc = Xt - mu
        Y = -np.ones((len(yt), K)); Y[np.arange(len(yt)), yt] = 1
        return mu, np.linalg.solve(Xc.T @ Xc + a * np.eye(d), Xc.T @ Y)
    mu, W = fit(X, y)
    S = np.zeros((n, K))
    for f in range(F):
        lo, hi = (f * n) // F, ((f + 1) * n) // F
        tr = np.r_[0:lo, hi:n]
        m, Wf = fit(X[tr], y[tr])
        S[lo:hi] = (X[lo:hi] - m) @ Wf
    out.append({'W': W.ravel().tolist(), 'scores': S.ravel().tolist()})
print(json.dumps(out))
`;

describe('readout core: ridge against numpy closed form', { skip: skipPy }, () => {
  // primal (features ≤ training trials) and dual (more features than trials), several class counts
  const cases = [
    { seed: 1, n: 60, d: 12, K: 3, alpha: 0.7, folds: 5 },
    { seed: 2, n: 23, d: 40, K: 4, alpha: 1.3, folds: 5 },
    { seed: 3, n: 41, d: 41, K: 2, alpha: 0.05, folds: 4 },
    { seed: 4, n: 30, d: 200, K: 5, alpha: 10, folds: 3 },
  ];
  const problems = cases.map((c) => ({ ...c, ...problem(c.seed, c.n, c.d, c.K, 0.8) }));
  const py = spawnSync(PY, ['-c', REFERENCE], { input: JSON.stringify(problems.map((p) => ({ X: p.X.map((x) => [...x]), y: p.y, K: p.K, alpha: p.alpha, folds: p.folds }))), encoding: 'utf8', maxBuffer: 64 << 20 });
  const ref = py.status === 0 ? (JSON.parse(py.stdout) as { W: number[]; scores: number[] }[]) : [];

  it('the reference ran', () => assert.equal(py.status, 0, py.stderr));

  problems.forEach((p, k) => {
    it(`weights equal numpy's solve within 1e-9 (${p.n} trials × ${p.d} features, ${p.K} classes, alpha ${p.alpha}: ${p.d <= p.n ? 'primal' : 'dual'})`, () => {
      const model = ridgeFit(p.X, p.y, p.K, p.alpha);
      assert.equal(model.form, p.d <= p.n ? 'primal' : 'dual');
      let worst = 0;
      ref[k].W.forEach((w, q) => (worst = Math.max(worst, Math.abs(w - model.weights[q]))));
      assert.ok(worst <= 1e-9, `largest weight difference ${worst}`);
      // its predictions are the reference's argmax on the training trials
      const refScores = p.X.map((x) => {
        const mu = p.X[0].map((_, j) => p.X.reduce((s, r) => s + r[j], 0) / p.n);
        return Array.from({ length: p.K }, (_, c) => x.reduce((s, v, j) => s + (v - mu[j]) * ref[k].W[j * p.K + c], 0));
      });
      p.X.forEach((x, t) => assert.equal(argmax(ridgeScores(model, x)), argmax(refScores[t]), `trial ${t}`));
    });

    it(`cross-validated scores equal numpy's per-fold solves within 1e-9 (${p.folds} contiguous folds, case ${k + 1})`, () => {
      const scores = crossValidateScores(p.X, p.y, p.K, { alpha: p.alpha, folds: p.folds });
      let worst = 0;
      ref[k].scores.forEach((s, q) => (worst = Math.max(worst, Math.abs(s - scores[q]))));
      assert.ok(worst <= 1e-9, `largest score difference ${worst}`);
      let correct = 0;
      for (let t = 0; t < p.n; t++) if (argmax(ref[k].scores.slice(t * p.K, (t + 1) * p.K)) === p.y[t]) correct++;
      const cv = crossValidate(p.X, p.y, p.K, { alpha: p.alpha, folds: p.folds });
      assert.deepEqual(cv, { value: correct / p.n, correct, trials: p.n });
    });
  });
});

describe('readout core: planted problems', () => {
  it('linearly separable features are classified perfectly (primal and dual)', () => {
    for (const [n, d] of [[200, 20], [120, 400]]) {
      const { X, y } = problem(7, n, d, 4, 12);
      const cv = crossValidate(X, y, 4, { alpha: 1, folds: 5 });
      assert.deepEqual(cv, { value: 1, correct: n, trials: n }, `${n} × ${d}`);
    }
  });

  // Labels independent of the features: each prediction is right with probability 1/K whatever
  // the readout learnt, so correct ~ Binomial(n, 1/K) when predictions are independent (they are
  // nearly so: each fold's readout is trained on other trials). n = 400, K = 4: SD = √(400·¼·¾)
  // = 8.7 trials = 2.2 %; the bound 10 % is 4.6 SD for one shuffle; the mean of 12 shuffles has
  // SD 0.63 % and is held within 4 %. A readout that saw its test fold (a fold leak) scores near
  // 100 % here, since with 400 features it fits its 320 training trials exactly.
  it('shuffled labels score chance ± 10 % each (mean of 12 within ± 4 %), primal and dual', () => {
    for (const d of [40, 400]) {
      const values: number[] = [];
      for (let s = 0; s < 12; s++) {
        const { X } = problem(100 + s, 400, d, 4, 12);
        const rand = lcg(900 + s);
        const y = X.map(() => Math.floor(rand() * 4));
        values.push(crossValidate(X, y, 4, { alpha: 1, folds: 5 }).value);
      }
      console.log(`  shuffled labels, 400 trials × ${d} features, 4 classes: ${values.map((v) => (100 * v).toFixed(1)).join(' ')} %`);
      for (const v of values) assert.ok(Math.abs(v - 0.25) <= 0.1, `${d} features: ${values.join(', ')}`);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      assert.ok(Math.abs(mean - 0.25) <= 0.04, `${d} features: mean ${mean}`);
    }
  });

  it('a fold trained with its own trials would be seen: scores come only from the other folds', () => {
    // Each trial's label is written in a feature of its own (one-hot by trial): a readout that saw
    // the trial learns it; one that did not has nothing to go on (a new, silent feature) and scores
    // exactly the centred zero vector, i.e. every class the same: argmax 0.
    const n = 40;
    const y = Array.from({ length: n }, (_, t) => 1 + (t % 3));
    const X = y.map((_, t) => Float64Array.from({ length: n }, (_, j) => (j === t ? 5 : 0)));
    const cv = crossValidateScores(X, y, 4, { alpha: 1, folds: 4 });
    for (let t = 0; t < n; t++) assert.equal(argmax(cv, t * 4, 4) === y[t], false, `trial ${t} was predicted from itself`);
    // trained on all trials, the same readout predicts every trial right
    const model = ridgeFit(X, y, 4, 1);
    X.forEach((x, t) => assert.equal(argmax(ridgeScores(model, x)), y[t]));
  });
});

describe('readout core: folds', () => {
  it('contiguous folds partition the trials, sizes differing by at most one', () => {
    for (const n of [2, 5, 7, 20, 101]) {
      for (const F of [2, 3, 5, 10]) {
        const b = foldBounds(n, F);
        assert.equal(b.length, Math.min(F, n));
        assert.equal(b[0][0], 0);
        assert.equal(b[b.length - 1][1], n);
        for (let f = 1; f < b.length; f++) assert.equal(b[f][0], b[f - 1][1], `n ${n}, F ${F}: fold ${f} starts where fold ${f - 1} ends`);
        const sizes = b.map(([lo, hi]) => hi - lo);
        assert.ok(Math.min(...sizes) >= 1 && Math.max(...sizes) - Math.min(...sizes) <= 1, `n ${n}, F ${F}: sizes ${sizes}`);
      }
    }
  });

  it('refuses folds < 2, mismatched labels, ragged trials and out-of-range classes', () => {
    const X = [new Float64Array([1, 2]), new Float64Array([2, 1]), new Float64Array([0, 1])];
    assert.throws(() => crossValidate(X, [0, 1, 0], 2, { alpha: 1, folds: 1 }), /folds must be an integer ≥ 2/);
    assert.throws(() => crossValidate(X, [0, 1], 2, { alpha: 1, folds: 2 }), /3 trials but 2 labels/);
    assert.throws(() => crossValidate([...X, new Float64Array(3)], [0, 1, 0, 1], 2, { alpha: 1, folds: 2 }), /trial 3 has 3 features, trial 0 has 2/);
    assert.throws(() => crossValidate(X, [0, 2, 0], 2, { alpha: 1, folds: 2 }), /label 2 of trial 1 is not a class index 0 … 1/);
    assert.throws(() => crossValidate(X, [0, 1, 0], 2, { alpha: -1, folds: 2 }), /alpha must be ≥ 0/);
  });

  it('the blocked Gram matrix equals the plain dot products for every size (blocks of 2 × 4 and their tails)', () => {
    for (let n = 1; n <= 13; n++) {
      const { X } = problem(40 + n, n, 7, 2);
      const G = gram(X, 7);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        const want = X[i].reduce((s, v, q) => s + v * X[j][q], 0);
        assert.ok(Math.abs(G[i * n + j] - want) <= 1e-12 * Math.abs(want) + 1e-12, `n ${n}: G[${i}][${j}] ${G[i * n + j]} vs ${want}`);
      }
    }
  });

  it('alpha 0 still solves a rank-deficient problem (silent features)', () => {
    const { X, y } = problem(5, 60, 10, 3, 6);
    const Z = X.map((x) => Float64Array.from([...x, 0, 0, 0]));
    const a = crossValidate(Z, y, 3, { alpha: 0, folds: 5 });
    const b = crossValidate(X, y, 3, { alpha: 0, folds: 5 });
    assert.equal(a.correct, b.correct);
    assert.ok(a.value > 0.9, `${a.value}`);
  });
});

/** A run of one population `pop` (size) with these spikes (steps, neurons), dt 1 ms, `steps` steps. */
function fakeRun(pops: { name: string; size: number; spikes?: [number, number][] }[], steps: number, dt = 1e-3): RunResult {
  return {
    dt, steps, stepsDone: steps, seed: 1, cancelled: false,
    populations: pops.map((p) => ({ name: p.name, size: p.size })),
    spikes: pops.filter((p) => p.spikes).map((p) => ({ name: p.name, size: p.size, steps: Int32Array.from(p.spikes!.map((s) => s[0])), neurons: Int32Array.from(p.spikes!.map((s) => s[1])) })),
    traces: [], synapses: 0, memoryBytes: 0, timings: { plan_s: 0, compile_s: 0, run_s: 0 },
  };
}

const BASE = (readout: string, task = 'task t { stimulus: cue\n  window 0 ms .. 100 ms: "A"\n  window 100 ms .. 200 ms: "B"\n  window 200 ms .. 300 ms: "A"\n  window 300 ms .. 400 ms: "B"\n}', probe = 'probe spikes(exc)') => `model ro
population exc = LIF[2]
population inh = LIF[1]
input cue = spike_array[1] { times: [10 ms]; indices: [0] }
connect cue -> exc { rule: all_to_all; weight: 1 nA; target: I_syn }
${task}
${readout}
${probe}
simulate { dt: 1 ms; duration: 400 ms; seed: 1 }
`;
const irAt = (text: string): ModelIR => irOf(text, { at: '.scratch/readout_model.snn' });

describe('readout core: the data of a run', () => {
  it('counts each neuron\'s spikes per bin of each window, window edges half-open', () => {
    const ir = irAt(BASE('readout r = ridge { from: exc; bin: 50 ms; task: t }'));
    // (step, neuron): window 0 bins [0,50) [50,100); window 1 [100,150) [150,200); …
    const spikes: [number, number][] = [[0, 0], [49, 0], [50, 1], [99, 1], [100, 0], [150, 0], [199, 1], [200, 1], [399, 0]];
    const d = readoutData(ir, 'r', fakeRun([{ name: 'exc', size: 2, spikes }, { name: 'inh', size: 1 }], 400));
    assert.equal(d.bins, 2);
    assert.deepEqual(d.classes, ['A', 'B']);
    assert.deepEqual(d.labels, [0, 1, 0, 1]);
    assert.equal(d.task, 't');
    assert.equal(d.population, 'exc');
    // features: neuron 0 bins 0,1 then neuron 1 bins 0,1
    assert.deepEqual(d.features.map((x) => [...x]), [[2, 0, 0, 2], [1, 1, 0, 1], [0, 0, 1, 0], [0, 1, 0, 0]]);
    // the same spikes out of order give the same counts
    const shuffled = [...spikes].reverse();
    assert.deepEqual(readoutData(ir, 'r', fakeRun([{ name: 'exc', size: 2, spikes: shuffled }], 400)).features, d.features);
  });

  it('without bin a window is one bin; alpha and folds default (1.0, 5) and the task defaults to the only one', () => {
    const ir = irAt(BASE('readout r = ridge { from: exc }'));
    const d = readoutData(ir, 'r', fakeRun([{ name: 'exc', size: 2, spikes: [[0, 0], [49, 0], [150, 1]] }], 400));
    assert.equal(d.bins, 1);
    assert.deepEqual(d.features.map((x) => [...x]), [[2, 0], [0, 1], [0, 0], [0, 0]]);
    const r = fakeRun([{ name: 'exc', size: 2, spikes: [[0, 0], [49, 0], [150, 1], [220, 1], [330, 0]] }], 400);
    const [score] = evaluateReadouts(ir, r);
    const data = readoutData(ir, 'r', r);
    const cv = crossValidate(data.features, data.labels, 2, { alpha: 1, folds: 4 });
    assert.ok(isReadoutScore(score));
    assert.deepEqual([score.value, score.correct, score.trials, score.folds, score.chance], [cv.value, cv.correct, 4, 4, 0.5]);
    // a different alpha gives different scores here, so the default is the one used
    assert.notDeepEqual(crossValidateScores(data.features, data.labels, 2, { alpha: 1, folds: 4 }), crossValidateScores(data.features, data.labels, 2, { alpha: 3, folds: 4 }));
  });

  it('a model\'s readout scores 100 % on a run whose population answers each class differently', () => {
    // exc[0] fires in the "A" windows, exc[1] in the "B" windows (cue drives them one to one).
    const text = (label: (w: number) => string) =>
      plantedReadoutText({ head: 'model planted_readout\n', windows: 20, at: [20, 50, 80], label, readouts: 'readout r = ridge { from: exc; alpha: 0.5; bin: 50 ms; task: t }' }) + 'simulate { dt: 0.1 ms; duration: 2 s; seed: 3 }\n';
    const ir = irAt(text((w) => (w % 2 ? 'B' : 'A')));
    const run = runIR(ir);
    const [score] = evaluateReadouts(ir, run);
    assert.ok(isReadoutScore(score), JSON.stringify(score));
    assert.deepEqual({ ...score }, { readout: 'r', kind: 'ridge', task: 't', metric: 'accuracy', value: 1, correct: 20, trials: 20, chance: 0.5, folds: 5, classes: ['A', 'B'] });
    assert.match(readoutLine(score), /^readout r \(task t, 2 classes\): accuracy 100\.0 % \(20\/20 windows, 5-fold cross-validated\), chance 50\.0 %$/);
    // the same activity under labels unrelated to it (A A B B …): no better than chance
    const ir2 = irAt(text((w) => (Math.floor(w / 2) % 2 ? 'B' : 'A')));
    const [s2] = evaluateReadouts(ir2, runIR(ir2));
    assert.ok(isReadoutScore(s2) && s2.value <= 0.6, JSON.stringify(s2));
  });
});

describe('readout core: bad input', () => {
  const run = fakeRun([{ name: 'exc', size: 2, spikes: [[10, 0]] }, { name: 'inh', size: 1 }], 400);
  const fails = (text: string, re: RegExp, where: Partial<ReadoutError['where']>, r = run) => {
    const ir = irAt(text);
    let err: unknown;
    try {
      readoutData(ir, 'r', r);
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof ReadoutError, `expected a ReadoutError, got ${String(err)}`);
    assert.match(err.message, re);
    assert.match(err.message, /readout r\b/);
    assert.match(err.message, /readout_model\.snn/);
    for (const [k, v] of Object.entries(where)) assert.equal((err.where as Record<string, unknown>)[k], v, k);
    // evaluateReadouts reports it as the readout's error, not as a score
    const out = evaluateReadouts(ir, r);
    assert.deepEqual(out.map((o) => ('error' in o ? o.error : 'score')), [err.message]);
  };

  it('a task with no windows', () => fails(BASE('readout r = ridge { from: exc; task: t }', 'task t { stimulus: cue }'), /task t has no windows/, { task: 't' }));
  it('a class with one window', () => fails(BASE('readout r = ridge { from: exc; task: t }', 'task t { stimulus: cue\n  window 0 ms .. 100 ms: "A"\n  window 100 ms .. 200 ms: "B"\n  window 200 ms .. 300 ms: "A"\n}'), /class "B" of task t has one window \(window 2\)/, { task: 't', window: 1 }));
  it('a population whose spikes are not recorded', () => fails(BASE('readout r = ridge { from: inh; task: t }', undefined, 'probe spikes(exc)'), /spikes of inh, which are not recorded \(probes record exc\): add inh to the spike probe \(probe spikes\(exc, inh\)\)/, { population: 'inh' }));
  it('an ONNX readout is never given a silent score where no model runs (sweeps, circuits): the error says where it is scored', () => {
    const ir = irAt(BASE('readout r = onnx { file: "clf.onnx"; from: exc; task: t }'));
    const [o] = evaluateReadouts(ir, run);
    assert.ok('error' in o, JSON.stringify(o));
    assert.match(o.error, /^readout r \(in readout_model\.snn\) is an ONNX readout: it is scored after a run .* use readout r = ridge \{ from: exc; … \} there$/);
  });
  it('an ONNX readout needs none of cross-validation\'s demands: a class with one window is data', () => {
    const ir = irAt(BASE('readout r = onnx { file: "clf.onnx"; from: exc; task: t }', 'task t { stimulus: cue\n  window 0 ms .. 100 ms: "A"\n  window 100 ms .. 200 ms: "B"\n  window 200 ms .. 300 ms: "A"\n}'));
    const d = readoutData(ir, 'r', run);
    assert.deepEqual([d.labels, d.classes], [[0, 1, 0], ['A', 'B']]);
  });
  it('a window past the end of the run', () => fails(BASE('readout r = ridge { from: exc; task: t }'), /window 4 of task t \(300 ms \.\. 400 ms\) ends after the run \(350 ms, which stopped early\)/, { task: 't', window: 3 }, { ...run, stepsDone: 350 }));
  it('bins that cut windows of different lengths into different numbers of bins', () => fails(BASE('readout r = ridge { from: exc; bin: 50 ms; task: t }', 'task t { stimulus: cue\n  window 0 ms .. 100 ms: "A"\n  window 100 ms .. 150 ms: "B"\n  window 200 ms .. 300 ms: "A"\n  window 300 ms .. 400 ms: "B"\n}'), /into different numbers of bins \(window 1: 2, window 2: 1\)/, { task: 't', window: 1 }));
  it('data over the bounds: too many counts (before any is made), too many operations', () => {
    const big = irAt(BASE('readout r = ridge { from: exc; bin: 1 ms; task: t }').replace('population exc = LIF[2]', 'population exc = LIF[100000]'));
    const [o] = evaluateReadouts(big, fakeRun([{ name: 'exc', size: 100000, spikes: [] }], 400));
    assert.ok('error' in o);
    assert.match(o.error, /^readout r \(in readout_model\.snn\): 4 windows × 100000 neurons of exc × 100 bins are 4\.00e\+7 values, over the 2\.5e\+7 a readout holds: use a wider bin \(or none\), read a smaller population or give the task fewer windows$/);
    const [p] = evaluateReadouts(irAt(BASE('readout r = ridge { from: exc; bin: 10 ms; task: t }')), run, { maxFlops: 100 });
    assert.ok('error' in p);
    assert.match(p.error, /^readout r \(in readout_model\.snn\): 4 windows × 20 features need about 2\.7e\+2 operations to cross-validate, over the 1e\+2 evaluated after a run: use a wider bin/);
  });

  it('no task named and several in the model', () => fails(BASE('readout r = ridge { from: exc }', 'task t { stimulus: cue; window 0 ms .. 100 ms: "A" }\ntask u { stimulus: cue; window 0 ms .. 100 ms: "B" }'), /names no task, and the model has 2 \(t, u\): add task: <name>/, { readout: 'r' }));
  it('one class only', () => fails(BASE('readout r = ridge { from: exc; task: t }', 'task t { stimulus: cue\n  window 0 ms .. 100 ms: "A"\n  window 100 ms .. 200 ms: "A"\n}'), /every window of task t has the label "A"; a readout needs at least two classes/, { task: 't' }));
});
