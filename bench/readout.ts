// `npm run bench:readout`: the readout core's 5-fold cross-validated ridge
// (sim-host/src/analysis/readout: closed form in TypeScript, one Gram/scatter matrix for all
// folds) against a peer measured in the same run: numpy (BLAS) solving each fold's ridge in
// closed form, primal or dual as ours, by /usr/bin/python3. Same problems, same folds; prints
// each time (median of repeats), the ratio and both accuracies (they must agree), and ends with
// {"bench":"readout",…}. The circuits analysis calls crossValidate hundreds of times.
import { spawnSync } from 'node:child_process';
import { crossValidate } from '../sim-host/src/analysis/readout';

const PEER = `
import json, sys, time
import numpy as np
out = []
for p in json.load(sys.stdin):
    X = np.array(p['X']); y = np.array(p['y']); K = p['K']; a = p['alpha']; F = p['folds']; reps = p['reps']
    n, d = X.shape
    Y = -np.ones((n, K)); Y[np.arange(n), y] = 1
    def cv():
        correct = 0
        for f in range(F):
            lo, hi = (f * n) // F, ((f + 1) * n) // F
            tr = np.r_[0:lo, hi:n]
            mu = X[tr].mean(axis=0); A = X[tr] - mu; B = X[lo:hi] - mu
            if d <= len(tr):
                S = B @ np.linalg.solve(A.T @ A + a * np.eye(d), A.T @ Y[tr])
            else:
                S = (B @ A.T) @ np.linalg.solve(A @ A.T + a * np.eye(len(tr)), Y[tr])
            correct += int((S.argmax(axis=1) == y[lo:hi]).sum())
        return correct
    times = []
    for _ in range(reps):
        t = time.perf_counter(); c = cv(); times.append(time.perf_counter() - t)
    out.append({'ms': 1000 * sorted(times)[len(times) // 2], 'correct': c})
print(json.dumps(out))
`;

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

/** Spike-count-like features: Poisson-ish counts around 3, class c raising every K-th neuron. */
function problem(n: number, d: number, K: number, seed: number): { X: Float64Array[]; y: number[] } {
  const rand = lcg(seed);
  const y = Array.from({ length: n }, () => Math.floor(rand() * K));
  const X = y.map((c) => Float64Array.from({ length: d }, (_, j) => Math.floor(-Math.log(1 - rand()) * (j % K === c ? 3.6 : 3))));
  return { X, y };
}

const SIZES: [number, number][] = [[200, 400], [500, 100], [1000, 2000], [200, 4000]];
const K = 4;
const problems = SIZES.map(([n, d], k) => ({ n, d, ...problem(n, d, K, 10 + k), reps: n * d > 1e6 ? 3 : 15 }));
const py = spawnSync('/usr/bin/python3', ['-c', PEER], {
  input: JSON.stringify(problems.map((p) => ({ X: p.X.map((x) => [...x]), y: p.y, K, alpha: 1, folds: 5, reps: p.reps }))),
  encoding: 'utf8', maxBuffer: 1 << 30,
});
if (py.status !== 0) throw new Error(`numpy peer failed: ${py.stderr}`);
const peer = JSON.parse(py.stdout) as { ms: number; correct: number }[];

const rows = problems.map((p, k) => {
  crossValidate(p.X, p.y, K, { alpha: 1, folds: 5 }); // warm-up
  const times: number[] = [];
  let correct = 0;
  for (let r = 0; r < p.reps; r++) {
    const t = performance.now();
    correct = crossValidate(p.X, p.y, K, { alpha: 1, folds: 5 }).correct;
    times.push(performance.now() - t);
  }
  const ms = times.sort((a, b) => a - b)[times.length >> 1];
  const row = { trials: p.n, features: p.d, ms, numpy_ms: peer[k].ms, ratio: ms / peer[k].ms, accuracy: correct / p.n, numpy_accuracy: peer[k].correct / p.n };
  console.log(`${String(p.n).padStart(5)} trials × ${String(p.d).padStart(5)} features: ${ms.toFixed(1).padStart(8)} ms, numpy ${row.numpy_ms.toFixed(1).padStart(8)} ms (×${row.ratio.toFixed(2)}); accuracy ${(100 * row.accuracy).toFixed(1)} % / numpy ${(100 * row.numpy_accuracy).toFixed(1)} %${correct === peer[k].correct ? '' : '  MISMATCH'}`);
  return row;
});
console.log(JSON.stringify({ bench: 'readout', folds: 5, classes: K, rows }));
