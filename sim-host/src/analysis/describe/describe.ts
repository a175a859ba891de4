// Describe units: MILAN's shape without a captioner (RESEARCH.md §B). Per unit: exemplars = its
// top-k windows by activity (windows with activity only; ties drawn at random), the formula over
// atoms with the best score (search.ts), and for the winner its IoU with the unit's top windows,
// the mutual information between its activity and the formula in bits, and a permutation
// p-value. The p-value is a max-statistic permutation test: shuffling the window labels makes a
// unit's exemplar set a uniformly random k-subset of the windows, so the null distribution of the
// best score (the whole search, not just the winning formula) is drawn once per k and shared by
// every unit with k exemplars. p-values are then held to a false-discovery rate across units
// (Benjamini–Hochberg); a unit whose description does not survive is "unselective", never
// given a label. Everything is a pure function of the input and the seed (Philox counters).

import { Rng } from '../../core/rng';
import type { Atom, AtomSet } from './atoms';
import { DEFAULT_SEARCH, Searcher, type Formula, type SearchParams } from './search';
import { describeText, formulaString } from './text';

export interface DescribeOptions extends Partial<SearchParams> {
  /** Exemplars per unit (DEFAULT_EXEMPLARS; at most 30). */
  exemplars?: number;
  /** A unit with fewer active windows than this is unselective (too few spikes). */
  minExemplars?: number;
  /** Permutations of the null distribution (per exemplar count). */
  permutations?: number;
  /** False-discovery rate across units. */
  fdr?: number;
  seed?: number;
  /** Called every `progressEvery` units and at the end. */
  onProgress?: (done: number, total: number) => void;
  /** Polled with progress; true stops the analysis (the result says `cancelled`). */
  shouldStop?: () => boolean;
}

export interface UnitDescription {
  unit: number;
  selective: boolean;
  /** Why a unit is unselective. */
  reason?: 'too few active windows' | 'not significant';
  /** The best formula even when not significant (empty when there was nothing to search). */
  formula: string;
  atoms: string[];
  text: string;
  score: number;
  iou: number;
  /** Mutual information between the unit's activity (clipped at 63) and the formula, bits. */
  mi: number;
  p: number;
  /** Benjamini–Hochberg adjusted p-value. */
  q: number;
  /** Exemplar windows, most active first. */
  exemplars: number[];
}

export interface DescriptionGroup {
  formula: string;
  text: string;
  units: number[];
  meanScore: number;
}

export interface DescribeResult {
  atoms: Atom[];
  units: UnitDescription[];
  groups: DescriptionGroup[];
  params: SearchParams & { exemplars: number; minExemplars: number; permutations: number; fdr: number; seed: number };
  cancelled: boolean;
}

/** Activity: `counts[u · windows + w]` for unit u in window w. */
export interface Activity {
  units: number;
  windows: number;
  counts: ArrayLike<number>;
}

/**
 * Exemplars per unit. MILAN takes 15 images; windows are cheap, and with 15 a unit firing for
 * `A OR B` lost the rarer disjunct's windows from its exemplars often enough (~7 % of units in
 * the planted test) to be described by a narrower formula; 20 keeps the planted F1 ≥ 0.9.
 */
export const DEFAULT_EXEMPLARS = 20;

const STREAM_TIES = 0x44455343; // 'DESC'
const STREAM_NULL = 0x4e554c4c; // 'NULL'

/** Index of the k-th largest (0-based) of vals[0..n) after partial reordering; vals is scratch. */
function kthLargest(vals: Float64Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = vals[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (vals[i] > pivot) i++;
      while (vals[j] < pivot) j--;
      if (i <= j) {
        const t = vals[i];
        vals[i] = vals[j];
        vals[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return vals[k];
  }
  return vals[k];
}

/** Benjamini–Hochberg adjusted p-values. */
export function benjaminiHochberg(p: ArrayLike<number>): Float64Array {
  const m = p.length;
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => p[a] - p[b]);
  const q = new Float64Array(m);
  let min = 1;
  for (let r = m - 1; r >= 0; r--) {
    const i = order[r];
    min = Math.min(min, (p[i] * m) / (r + 1));
    q[i] = min;
  }
  return q;
}

const JOINT = new Float64Array(128);

/** Mutual information (bits) between integer activity bins and a window mask. */
export function mutualInformation(row: ArrayLike<number>, off: number, n: number, mask: Uint32Array): number {
  const joint = JOINT;
  joint.fill(0);
  for (let w = 0; w < n; w++) {
    const x = Math.min(63, Math.max(0, Math.floor(row[off + w])));
    joint[x * 2 + ((mask[w >>> 5] >>> (w & 31)) & 1)]++;
  }
  let d1 = 0;
  for (let x = 0; x < 64; x++) d1 += joint[x * 2 + 1];
  const pd = [(n - d1) / n, d1 / n];
  let mi = 0;
  for (let x = 0; x < 64; x++) {
    const px = (joint[x * 2] + joint[x * 2 + 1]) / n;
    for (let d = 0; d < 2; d++) {
      const pj = joint[x * 2 + d] / n;
      if (pj > 0) mi += pj * Math.log2(pj / (px * pd[d]));
    }
  }
  return Math.max(0, mi);
}

/** IoU of a mask with the unit's top-|mask| windows (windows with activity only; ties shared in expectation). */
export function topIoU(row: ArrayLike<number>, off: number, n: number, mask: Uint32Array, count: number, scratch: Float64Array): number {
  for (let w = 0; w < n; w++) scratch[w] = row[off + w];
  const thr = Math.max(kthLargest(scratch, n, Math.min(n, count) - 1), 0);
  let gt = 0;
  let eq = 0;
  let hitGt = 0;
  let hitEq = 0;
  for (let w = 0; w < n; w++) {
    const v = row[off + w];
    const inD = ((mask[w >>> 5] >>> (w & 31)) & 1) === 1;
    if (v > thr) {
      gt++;
      if (inD) hitGt++;
    } else if (v === thr && thr > 0) {
      eq++;
      if (inD) hitEq++;
    }
  }
  const take = Math.min(eq, count - gt);
  const inter = hitGt + (eq > 0 ? (take * hitEq) / eq : 0);
  const union = count + gt + take - inter;
  return union > 0 ? inter / union : 0;
}

/** The k-bit patterns of every atom over the windows `ex[0..k)`. */
function exemplarPatterns(atoms: AtomSet, ex: Int32Array, k: number, out: Int32Array): void {
  const W = atoms.words;
  const A = atoms.atoms.length;
  out.fill(0, 0, A);
  for (let j = 0; j < k; j++) {
    const w = ex[j];
    const word = w >>> 5;
    const bit = w & 31;
    for (let a = 0; a < A; a++) out[a] |= ((atoms.masks[a * W + word] >>> bit) & 1) << j;
  }
}

/** Describes every unit of `activity` against the atoms of its windows. */
export function describeUnits(activity: Activity, atoms: AtomSet, options: DescribeOptions = {}): DescribeResult {
  const steps = describeSteps(activity, atoms, options);
  let r = steps.next();
  while (!r.done) r = steps.next();
  return r.value;
}

/**
 * The same, yielding to the event loop every 256 units (so Ctrl-C and a panel's Cancel are seen):
 * `shouldStop` is polled there.
 */
export async function describeUnitsAsync(activity: Activity, atoms: AtomSet, options: DescribeOptions = {}): Promise<DescribeResult> {
  const steps = describeSteps(activity, atoms, options);
  let r = steps.next();
  while (!r.done) {
    await new Promise((resolve) => setTimeout(resolve, 0));
    r = steps.next();
  }
  return r.value;
}

function* describeSteps(activity: Activity, atoms: AtomSet, options: DescribeOptions): Generator<number, DescribeResult> {
  const n = activity.windows;
  if (atoms.windows !== n) throw new Error(`the activity has ${n} windows but the atoms were built from ${atoms.windows}`);
  const params = {
    ...DEFAULT_SEARCH,
    ...Object.fromEntries(Object.entries(options).filter(([k, v]) => v !== undefined && k in DEFAULT_SEARCH)),
    // Exemplars are a unit's *top* windows only while they are a minority of the windows: at most
    // a quarter of them (20 windows → 5 exemplars), never below minExemplars.
    exemplars: Math.min(30, Math.max(1, options.exemplars ?? DEFAULT_EXEMPLARS), Math.max(options.minExemplars ?? 5, Math.floor(n / 4))),
    minExemplars: options.minExemplars ?? 5,
    permutations: options.permutations ?? 1000,
    fdr: options.fdr ?? 0.05,
    seed: options.seed ?? 1,
  } as DescribeResult['params'];
  const searcher = new Searcher(atoms, params);
  const rng = new Rng(params.seed);
  const A = atoms.atoms.length;
  const pat = new Int32Array(Math.max(1, A));
  const exIdx = new Int32Array(params.exemplars);
  const scratch = new Float64Array(n);
  const perm = new Int32Array(n);

  // The null distribution of the best score for k random exemplars, drawn once per k (sorted).
  const nulls = new Map<number, Float64Array>();
  const nullFor = (k: number): Float64Array => {
    let s = nulls.get(k);
    if (s) return s;
    s = new Float64Array(params.permutations);
    for (let r = 0; r < params.permutations; r++) {
      for (let i = 0; i < n; i++) perm[i] = i;
      for (let j = 0; j < k; j++) {
        const pick = j + Math.floor(rng.uniform(r, j, STREAM_NULL, k) * (n - j));
        const t = perm[j];
        perm[j] = perm[pick];
        perm[pick] = t;
      }
      exemplarPatterns(atoms, perm, k, pat);
      s[r] = searcher.search(pat, k)?.score ?? -Infinity;
    }
    s.sort();
    nulls.set(k, s);
    return s;
  };
  const pValue = (k: number, score: number): number => {
    const s = nullFor(k);
    // Count of null scores ≥ score (with a relative tolerance for equal searches).
    const t = score - 1e-9 * Math.max(1, Math.abs(score));
    let lo = 0;
    let hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (s[mid] < t) lo = mid + 1;
      else hi = mid;
    }
    return (1 + s.length - lo) / (s.length + 1);
  };

  const units: UnitDescription[] = [];
  const pvals = new Float64Array(activity.units);
  const row = activity.counts;
  let cancelled = false;
  for (let u = 0; u < activity.units; u++) {
    if ((u & 255) === 0 && u > 0) {
      options.onProgress?.(u, activity.units);
      yield u;
      if (options.shouldStop?.()) {
        cancelled = true;
        break;
      }
    }
    const off = u * n;
    let active = 0;
    for (let w = 0; w < n; w++) if (row[off + w] > 0) active++;
    const k = Math.min(params.exemplars, active);
    const blank: UnitDescription = { unit: u, selective: false, reason: 'too few active windows', formula: '', atoms: [], text: 'unselective (too few active windows)', score: 0, iou: 0, mi: 0, p: 1, q: 1, exemplars: [] };
    if (k < params.minExemplars || A === 0) {
      units.push(blank);
      pvals[u] = 1;
      continue;
    }
    // Exemplars: every window above the k-th largest value, then ties at it drawn at random.
    for (let w = 0; w < n; w++) scratch[w] = row[off + w];
    const thr = kthLargest(scratch, n, k - 1);
    let m = 0;
    let ties = 0;
    for (let w = 0; w < n; w++) {
      const v = row[off + w];
      if (v > thr) exIdx[m++] = w;
      else if (v === thr) perm[ties++] = w;
    }
    for (let j = 0; m < k; j++, m++) {
      const pick = j + Math.floor(rng.uniform(u, j, STREAM_TIES, 0) * (ties - j));
      const t = perm[j];
      perm[j] = perm[pick];
      perm[pick] = t;
      exIdx[m] = perm[j];
    }
    const exemplars = Array.from(exIdx.subarray(0, k)).sort((a, b) => row[off + b] - row[off + a] || a - b);
    exemplarPatterns(atoms, exIdx, k, pat);
    const found = searcher.search(pat, k)!;
    const p = pValue(k, found.score);
    pvals[u] = p;
    units.push({
      unit: u,
      selective: false,
      formula: formulaString(atoms.atoms, found.formula),
      atoms: formulaAtoms(atoms.atoms, found.formula),
      text: describeText(atoms.atoms, found.formula),
      score: found.score,
      iou: topIoU(row, off, n, found.mask, found.count, scratch),
      mi: mutualInformation(row, off, n, found.mask),
      p,
      q: 1,
      exemplars,
    });
  }
  const q = benjaminiHochberg(cancelled ? pvals.subarray(0, units.length) : pvals);
  const groups = new Map<string, DescriptionGroup>();
  for (const d of units) {
    d.q = q[d.unit];
    if (d.reason) continue;
    d.selective = d.q <= params.fdr;
    if (!d.selective) {
      d.reason = 'not significant';
      continue;
    }
    let g = groups.get(d.formula);
    if (!g) groups.set(d.formula, (g = { formula: d.formula, text: d.text, units: [], meanScore: 0 }));
    g.units.push(d.unit);
    g.meanScore += d.score;
  }
  for (const g of groups.values()) g.meanScore /= g.units.length;
  options.onProgress?.(units.length, activity.units);
  return { atoms: atoms.atoms, units, groups: [...groups.values()].sort((a, b) => b.units.length - a.units.length || b.meanScore - a.meanScore), params, cancelled };
}

/** The distinct atom names of a formula. */
export function formulaAtoms(atoms: readonly Atom[], f: Formula): string[] {
  return [...new Set(f.atoms.map((a) => atoms[a].name))];
}

