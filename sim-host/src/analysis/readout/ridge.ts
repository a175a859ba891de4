// Ridge classification in closed form, one-vs-rest with ±1 targets, and its k-fold
// cross-validation over contiguous folds. Plain TypeScript on Float64Array: the regularised
// system is solved by Cholesky in the primal (features ≤ training trials: (XcᵀXc + αI) W =
// XcᵀY) or the dual ((XcXcᵀ + αI) C = Y, W = XcᵀC). Xc is X centred by the training trials'
// mean; a trial's class is the largest score (x − μ)·w_k (no intercept: class frequencies of
// the training folds do not enter, so uninformative features score about 1/K on average).
// Cross-validation forms the Gram matrix (dual) or the scatter matrix (primal) once for all
// folds and corrects it for each fold's mean, so a fold costs one factorisation.

/** Targets per trial: +1 for its class, −1 for the others (row-major, trials × classes). */
export function oneVsRest(labels: readonly number[], classes: number): Float64Array {
  const Y = new Float64Array(labels.length * classes).fill(-1);
  labels.forEach((y, i) => (Y[i * classes + y] = 1));
  return Y;
}

/**
 * The regularisation used for `alpha`: alpha itself, or, for alpha ≈ 0, a tiny multiple of the
 * system's mean diagonal (1e-10) so that a rank-deficient system (silent neurons, a dual Gram
 * matrix, which centring always makes singular) still has its least-norm-like solution.
 */
function effectiveAlpha(alpha: number, A: Float64Array, n: number): number {
  let tr = 0;
  for (let i = 0; i < n; i++) tr += A[i * n + i];
  const floor = 1e-10 * (tr / Math.max(1, n) || 1);
  return Math.max(alpha, floor);
}

/**
 * Solves (A + alpha·I) X = B in place for a symmetric positive semi-definite n × n `A` (row-major,
 * overwritten by its Cholesky factor) and n × k `B` (overwritten by X).
 */
export function choleskySolve(A: Float64Array, n: number, B: Float64Array, k: number, alpha: number): void {
  const a = effectiveAlpha(alpha, A, n);
  for (let i = 0; i < n; i++) A[i * n + i] += a;
  // Row-oriented (Cholesky–Crout): column j of L from dot products of rows, four rows a pass.
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = A[rj + j];
    for (let p = 0; p < j; p++) d -= A[rj + p] * A[rj + p];
    if (!(d > 0)) throw new Error(`ridge: the regularised matrix is not positive definite (pivot ${d} at ${j}); alpha ${alpha}`);
    const l = Math.sqrt(d);
    A[rj + j] = l;
    let i = j + 1;
    for (; i + 3 < n; i += 4) {
      const r0 = i * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
      let s0 = A[r0 + j], s1 = A[r1 + j], s2 = A[r2 + j], s3 = A[r3 + j];
      for (let p = 0; p < j; p++) {
        const v = A[rj + p];
        s0 -= A[r0 + p] * v;
        s1 -= A[r1 + p] * v;
        s2 -= A[r2 + p] * v;
        s3 -= A[r3 + p] * v;
      }
      A[r0 + j] = s0 / l;
      A[r1 + j] = s1 / l;
      A[r2 + j] = s2 / l;
      A[r3 + j] = s3 / l;
    }
    for (; i < n; i++) {
      const ri = i * n;
      let s = A[ri + j];
      for (let p = 0; p < j; p++) s -= A[ri + p] * A[rj + p];
      A[ri + j] = s / l;
    }
  }
  // L y = b, then Lᵀ x = y, every right-hand side at once.
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let p = 0; p < i; p++) {
      const l = A[ri + p];
      if (l === 0) continue;
      for (let c = 0; c < k; c++) B[i * k + c] -= l * B[p * k + c];
    }
    const d = A[ri + i];
    for (let c = 0; c < k; c++) B[i * k + c] /= d;
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let p = i + 1; p < n; p++) {
      const l = A[p * n + i];
      if (l === 0) continue;
      for (let c = 0; c < k; c++) B[i * k + c] -= l * B[p * k + c];
    }
    const d = A[i * n + i];
    for (let c = 0; c < k; c++) B[i * k + c] /= d;
  }
}

export interface RidgeModel {
  /** The training trials' mean (the centre of every score). */
  mean: Float64Array;
  /** Weights, features × classes, row-major. */
  weights: Float64Array;
  features: number;
  classes: number;
  /** Which system was solved. */
  form: 'primal' | 'dual';
}

function checkRows(X: readonly Float64Array[], labels: readonly number[], classes: number): number {
  if (X.length === 0) throw new Error('ridge: no trials');
  if (labels.length !== X.length) throw new Error(`ridge: ${X.length} trials but ${labels.length} labels`);
  const d = X[0].length;
  for (let i = 0; i < X.length; i++) {
    if (X[i].length !== d) throw new Error(`ridge: trial ${i} has ${X[i].length} features, trial 0 has ${d}`);
    const y = labels[i];
    if (!Number.isInteger(y) || y < 0 || y >= classes) throw new Error(`ridge: label ${y} of trial ${i} is not a class index 0 … ${classes - 1}`);
  }
  return d;
}

/** The trials' mean and the trials minus it (copies). */
function centred(X: readonly Float64Array[], d: number): { mean: Float64Array; rows: Float64Array[] } {
  const mean = new Float64Array(d);
  for (const x of X) for (let j = 0; j < d; j++) mean[j] += x[j];
  for (let j = 0; j < d; j++) mean[j] /= X.length;
  const rows = X.map((x) => {
    const c = new Float64Array(d);
    for (let j = 0; j < d; j++) c[j] = x[j] - mean[j];
    return c;
  });
  return { mean, rows };
}

/** Fits one-vs-rest ridge (±1 targets) on `X` (trials of equal length) with regularisation `alpha`. */
export function ridgeFit(X: readonly Float64Array[], labels: readonly number[], classes: number, alpha: number): RidgeModel {
  const d = checkRows(X, labels, classes);
  const m = X.length;
  const K = classes;
  const { mean, rows: Xc } = centred(X, d);
  const Y = oneVsRest(labels, K);
  const weights = new Float64Array(d * K);
  if (d <= m) {
    const A = new Float64Array(d * d);
    for (const x of Xc) addOuter(A, x, d, 1);
    mirror(A, d);
    for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) for (let c = 0; c < K; c++) weights[j * K + c] += Xc[i][j] * Y[i * K + c];
    choleskySolve(A, d, weights, K, alpha);
    return { mean, weights, features: d, classes: K, form: 'primal' };
  }
  const G = new Float64Array(m * m);
  for (let i = 0; i < m; i++) for (let j = 0; j <= i; j++) G[i * m + j] = G[j * m + i] = dot(Xc[i], Xc[j], d);
  choleskySolve(G, m, Y, K, alpha);
  for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) {
    const x = Xc[i][j];
    if (x !== 0) for (let c = 0; c < K; c++) weights[j * K + c] += x * Y[i * K + c];
  }
  return { mean, weights, features: d, classes: K, form: 'dual' };
}

/** Class scores (x − μ)·w_k of one trial. */
export function ridgeScores(model: RidgeModel, x: Float64Array): Float64Array {
  const { mean, weights, features: d, classes: K } = model;
  const s = new Float64Array(K);
  for (let j = 0; j < d; j++) {
    const v = x[j] - mean[j];
    if (v !== 0) for (let c = 0; c < K; c++) s[c] += v * weights[j * K + c];
  }
  return s;
}

/** The class with the largest score (the first on a tie). */
export function argmax(s: ArrayLike<number>, from = 0, count = s.length): number {
  let best = 0;
  for (let c = 1; c < count; c++) if (s[from + c] > s[from + best]) best = c;
  return best;
}

function dot(a: Float64Array, b: Float64Array, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += a[j] * b[j];
  return s;
}

/** The Gram matrix X Xᵀ (n × n, row-major): blocks of 2 × 4 dot products per pass over the rows. */
export function gram(X: readonly Float64Array[], d: number): Float64Array {
  const n = X.length;
  const G = new Float64Array(n * n);
  const put = (i: number, j: number, v: number) => (G[i * n + j] = G[j * n + i] = v);
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const a0 = X[i], a1 = X[i + 1];
    let j = 0;
    for (; j + 3 <= i; j += 4) {
      const b0 = X[j], b1 = X[j + 1], b2 = X[j + 2], b3 = X[j + 3];
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let q = 0; q < d; q++) {
        const u = a0[q], v = a1[q];
        const c0 = b0[q], c1 = b1[q], c2 = b2[q], c3 = b3[q];
        s00 += u * c0; s01 += u * c1; s02 += u * c2; s03 += u * c3;
        s10 += v * c0; s11 += v * c1; s12 += v * c2; s13 += v * c3;
      }
      put(i, j, s00); put(i, j + 1, s01); put(i, j + 2, s02); put(i, j + 3, s03);
      put(i + 1, j, s10); put(i + 1, j + 1, s11); put(i + 1, j + 2, s12); put(i + 1, j + 3, s13);
    }
    for (; j <= i + 1; j++) {
      const b = X[j];
      let s0 = 0, s1 = 0;
      for (let q = 0; q < d; q++) (s0 += a0[q] * b[q]), (s1 += a1[q] * b[q]);
      if (j <= i) put(i, j, s0);
      put(i + 1, j, s1);
    }
  }
  for (; i < n; i++) for (let j = 0; j <= i; j++) put(i, j, dot(X[i], X[j], d));
  return G;
}

/** A += w · x xᵀ (lower triangle only). */
function addOuter(A: Float64Array, x: Float64Array, d: number, w: number): void {
  for (let i = 0; i < d; i++) {
    const xi = x[i] * w;
    if (xi === 0) continue;
    const ri = i * d;
    for (let j = 0; j <= i; j++) A[ri + j] += xi * x[j];
  }
}

function mirror(A: Float64Array, d: number): void {
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) A[j * d + i] = A[i * d + j];
}

/** The contiguous folds of `trials` trials: fold f is [floor(f·n/F), floor((f+1)·n/F)). */
export function foldBounds(trials: number, folds: number): [number, number][] {
  const F = Math.max(1, Math.min(folds, trials));
  return Array.from({ length: F }, (_, f) => [Math.floor((f * trials) / F), Math.floor(((f + 1) * trials) / F)]);
}

export interface CrossValidateOptions {
  alpha: number;
  folds: number;
}

/**
 * Cross-validated scores: for each trial, its class scores from the readout trained on the other
 * folds (trials × classes, row-major). Same numbers as `ridgeFit` per fold, computed from one
 * Gram (or scatter) matrix of the features centred by their overall mean.
 */
export function crossValidateScores(features: readonly Float64Array[], labels: readonly number[], classes: number, o: CrossValidateOptions): Float64Array {
  const d = checkRows(features, labels, classes);
  const n = features.length;
  const K = classes;
  if (!(o.folds >= 2) || !Number.isInteger(o.folds)) throw new Error(`ridge: folds must be an integer ≥ 2 (got ${o.folds})`);
  if (n < 2) throw new Error(`ridge: cross-validation needs at least 2 trials (got ${n})`);
  if (!(o.alpha >= 0)) throw new Error(`ridge: alpha must be ≥ 0 (got ${o.alpha})`);
  const bounds = foldBounds(n, o.folds);
  // Centre by the overall mean first: the per-fold corrections below are then small.
  const X = centred(features, d).rows;
  const Y = oneVsRest(labels, K);
  const scores = new Float64Array(n * K);
  const maxTrain = Math.max(...bounds.map(([lo, hi]) => n - (hi - lo)));
  if (d <= maxTrain) primalFolds(X, Y, d, K, bounds, o.alpha, scores);
  else dualFolds(X, Y, d, K, bounds, o.alpha, scores);
  return scores;
}

/** Primal: per fold, S_T = Σ_T x xᵀ − m μ_T μ_Tᵀ and B_T = Σ_T x yᵀ − m μ_T ȳ_Tᵀ from per-fold sums. */
function primalFolds(X: Float64Array[], Y: Float64Array, d: number, K: number, bounds: [number, number][], alpha: number, scores: Float64Array): void {
  const n = X.length;
  const foldS = bounds.map(([lo, hi]) => {
    const S = new Float64Array(d * d);
    for (let i = lo; i < hi; i++) addOuter(S, X[i], d, 1);
    return S;
  });
  const foldB = bounds.map(([lo, hi]) => {
    const B = new Float64Array(d * K);
    for (let i = lo; i < hi; i++) for (let j = 0; j < d; j++) {
      const x = X[i][j];
      if (x !== 0) for (let c = 0; c < K; c++) B[j * K + c] += x * Y[i * K + c];
    }
    return B;
  });
  const foldSum = bounds.map(([lo, hi]) => {
    const s = new Float64Array(d);
    for (let i = lo; i < hi; i++) for (let j = 0; j < d; j++) s[j] += X[i][j];
    return s;
  });
  const foldY = bounds.map(([lo, hi]) => {
    const s = new Float64Array(K);
    for (let i = lo; i < hi; i++) for (let c = 0; c < K; c++) s[c] += Y[i * K + c];
    return s;
  });
  bounds.forEach(([lo, hi], f) => {
    const m = n - (hi - lo);
    if (m === 0) return;
    const A = new Float64Array(d * d);
    const W = new Float64Array(d * K);
    const mean = new Float64Array(d);
    const ybar = new Float64Array(K);
    for (let g = 0; g < bounds.length; g++) {
      if (g === f) continue;
      const S = foldS[g];
      for (let q = 0; q < d * d; q++) A[q] += S[q];
      const B = foldB[g];
      for (let q = 0; q < d * K; q++) W[q] += B[q];
      for (let j = 0; j < d; j++) mean[j] += foldSum[g][j];
      for (let c = 0; c < K; c++) ybar[c] += foldY[g][c];
    }
    for (let j = 0; j < d; j++) mean[j] /= m;
    for (let c = 0; c < K; c++) ybar[c] /= m;
    for (let i = 0; i < d; i++) for (let j = 0; j <= i; j++) A[i * d + j] -= m * mean[i] * mean[j];
    mirror(A, d);
    for (let j = 0; j < d; j++) for (let c = 0; c < K; c++) W[j * K + c] -= m * mean[j] * ybar[c];
    choleskySolve(A, d, W, K, alpha);
    for (let t = lo; t < hi; t++) {
      const x = X[t];
      for (let j = 0; j < d; j++) {
        const v = x[j] - mean[j];
        if (v !== 0) for (let c = 0; c < K; c++) scores[t * K + c] += v * W[j * K + c];
      }
    }
  });
}

/**
 * Dual: the Gram matrix G of all trials once; per fold, the centred kernel
 * k(a, b) = G_ab − r_a − r_b + s with r_a the mean of G_a· over the training trials and s their mean.
 */
function dualFolds(X: Float64Array[], Y: Float64Array, d: number, K: number, bounds: [number, number][], alpha: number, scores: Float64Array): void {
  const n = X.length;
  const G = gram(X, d);
  const r = new Float64Array(n);
  bounds.forEach(([lo, hi]) => {
    const m = n - (hi - lo);
    if (m === 0) return;
    const train = new Int32Array(m);
    for (let i = 0, k = 0; i < n; i++) if (i < lo || i >= hi) train[k++] = i;
    for (let a = 0; a < n; a++) {
      let s = 0;
      const ra = a * n;
      for (let q = 0; q < m; q++) s += G[ra + train[q]];
      r[a] = s / m;
    }
    let s = 0;
    for (let q = 0; q < m; q++) s += r[train[q]];
    s /= m;
    const A = new Float64Array(m * m);
    const C = new Float64Array(m * K);
    for (let p = 0; p < m; p++) {
      const a = train[p];
      for (let q = 0; q <= p; q++) {
        const b = train[q];
        A[p * m + q] = A[q * m + p] = G[a * n + b] - r[a] - r[b] + s;
      }
      for (let c = 0; c < K; c++) C[p * K + c] = Y[a * K + c];
    }
    choleskySolve(A, m, C, K, alpha);
    for (let t = lo; t < hi; t++) {
      for (let p = 0; p < m; p++) {
        const b = train[p];
        const k = G[t * n + b] - r[t] - r[b] + s;
        for (let c = 0; c < K; c++) scores[t * K + c] += k * C[p * K + c];
      }
    }
  });
}

/**
 * k-fold cross-validated accuracy of the ridge readout over contiguous folds (deterministic):
 * every trial is predicted once, by the readout trained on the other folds.
 */
export function crossValidate(features: readonly Float64Array[], labels: readonly number[], classes: number, o: CrossValidateOptions): { value: number; correct: number; trials: number } {
  const scores = crossValidateScores(features, labels, classes, o);
  let correct = 0;
  for (let t = 0; t < labels.length; t++) if (argmax(scores, t * classes, classes) === labels[t]) correct++;
  return { value: correct / labels.length, correct, trials: labels.length };
}
