// Beam search over formulas for one exemplar set (Compositional Explanations' search with
// MILAN's score). A formula is left-deep: atom (op atom)*, op ∈ AND | OR | AND NOT, each atom at
// most once. Score (RESEARCH.md §B): log p̂(d|E) − λ·log p̂(d) − γ·(atoms − 1) with
// p̂(d|E) = (hits in E + α)/(|E| + 2α) and p̂(d) = (windows where d holds + α)/(windows + 2α).
// Hits in E are counted on |E|-bit patterns (one integer per atom), base counts on full
// bitsets; a candidate whose best possible score cannot enter the beam is never built.

import { popcount32 as bitCount } from './bitset';
import type { AtomSet } from './atoms';

/** A local binding (read once: a module namespace's getter per call is measurable in the inner loop). */
const popcount32 = bitCount;

export const Op = { And: 0, Or: 1, AndNot: 2 } as const;
export type Op = (typeof Op)[keyof typeof Op];

export interface Formula {
  /** Atom indices, in order. */
  atoms: number[];
  /** ops[i] joins atoms[i + 1] to what precedes it. */
  ops: Op[];
}

export interface SearchParams {
  /** λ: weight of the prior term (MILAN's PMI temperature). */
  lambda: number;
  /** α: additive smoothing of both probabilities. */
  alpha: number;
  /** γ: penalty per atom beyond the first. */
  lengthPenalty: number;
  beam: number;
  maxLength: number;
}

export const DEFAULT_SEARCH: SearchParams = { lambda: 0.2, alpha: 1, lengthPenalty: 0.03, beam: 10, maxLength: 3 };

export interface SearchResult {
  formula: Formula;
  score: number;
  /** Exemplars where the formula holds. */
  hits: number;
  /** Windows where the formula holds. */
  count: number;
  /** The formula's mask (a fresh array). */
  mask: Uint32Array;
}

/** The score of a formula with `hits` of `k` exemplars and `count` of `n` windows. */
export function formulaScore(hits: number, k: number, count: number, n: number, length: number, p: SearchParams): number {
  return Math.log((hits + p.alpha) / (k + 2 * p.alpha)) - p.lambda * Math.log((count + p.alpha) / (n + 2 * p.alpha)) - p.lengthPenalty * (length - 1);
}

interface Entry {
  atoms: number[];
  ops: Op[];
  ex: number;
  count: number;
  score: number;
  mask: Uint32Array;
}

/**
 * A reusable searcher over one atom set: `search(ex, k)` with ex[a] = the k-bit pattern of atom a
 * over the exemplars (k ≤ 30).
 */
export class Searcher {
  private readonly n: number;
  private readonly words: number;
  private readonly tmp: Uint32Array;
  /** λ·log p̂(d) for every count of windows, and log p̂(d|E) for every hit count, per k. */
  private readonly prior: Float64Array;
  private readonly precision = new Map<number, Float64Array>();
  constructor(
    readonly atoms: AtomSet,
    readonly params: SearchParams = DEFAULT_SEARCH,
  ) {
    this.n = atoms.windows;
    this.words = atoms.words;
    this.tmp = new Uint32Array(atoms.words);
    this.prior = new Float64Array(this.n + 1);
    for (let c = 0; c <= this.n; c++) this.prior[c] = params.lambda * Math.log((c + params.alpha) / (this.n + 2 * params.alpha));
  }

  private precisionFor(k: number): Float64Array {
    let t = this.precision.get(k);
    if (!t) {
      t = new Float64Array(k + 1);
      for (let h = 0; h <= k; h++) t[h] = Math.log((h + this.params.alpha) / (k + 2 * this.params.alpha));
      this.precision.set(k, t);
    }
    return t;
  }

  search(ex: Int32Array, k: number): SearchResult | undefined {
    const A = this.atoms.atoms.length;
    if (A === 0 || k === 0) return undefined;
    const p = this.params;
    const full = k >= 31 ? -1 : (1 << k) - 1;
    const { masks } = this.atoms;
    const W = this.words;
    const prec = this.precisionFor(k);
    const prior = this.prior;
    const gamma = p.lengthPenalty;
    let beam: Entry[] = [];
    let best: Entry | undefined;
    for (let a = 0; a < A; a++) {
      const count = this.atoms.atoms[a].count;
      const score = prec[popcount32(ex[a])] - prior[count];
      beam = insert(beam, { atoms: [a], ops: [], ex: ex[a], count, score, mask: masks.subarray(a * W, (a + 1) * W) }, p.beam);
    }
    best = beam[0];
    const tmp = this.tmp;
    for (let len = 2; len <= p.maxLength; len++) {
      let next: Entry[] = [];
      for (const b of beam) {
        for (let a = 0; a < A; a++) {
          if (b.atoms.includes(a)) continue;
          const off = a * W;
          for (let o = 0; o <= 2; o++) {
            const op = o as Op;
            const e = op === Op.And ? b.ex & ex[a] : op === Op.Or ? b.ex | ex[a] : b.ex & ~ex[a] & full;
            if (op !== Op.Or && e === 0) continue;
            const hits = popcount32(e);
            // Bound: AND / AND NOT hold in at least `hits` windows; OR in at least max(b.count, atom count).
            const minCount = op === Op.Or ? Math.max(b.count, this.atoms.atoms[a].count) : hits;
            const bound = prec[hits] - prior[minCount] - gamma * (len - 1);
            const floor = next.length >= p.beam ? next[next.length - 1].score : -Infinity;
            if (bound <= floor) continue;
            let count = 0;
            const m = b.mask;
            if (op === Op.And) for (let w = 0; w < W; w++) count += popcount32((tmp[w] = m[w] & masks[off + w]));
            else if (op === Op.Or) for (let w = 0; w < W; w++) count += popcount32((tmp[w] = m[w] | masks[off + w]));
            else for (let w = 0; w < W; w++) count += popcount32((tmp[w] = m[w] & ~masks[off + w]));
            if (count === 0 || count === b.count) continue; // empty, or the atom changed nothing
            const score = prec[hits] - prior[count] - gamma * (len - 1);
            if (score <= floor) continue;
            if (next.some((x) => x.count === count && x.ex === e && sameMask(x.mask, tmp))) continue;
            next = insert(next, { atoms: [...b.atoms, a], ops: [...b.ops, op], ex: e, count, score, mask: tmp.slice() }, p.beam);
          }
        }
      }
      if (next.length === 0) break;
      if (next[0].score > best.score) best = next[0];
      beam = next;
    }
    return { formula: canonical(best.atoms, best.ops), score: best.score, hits: popcount32(best.ex), count: best.count, mask: best.mask.slice() };
  }
}

/** Sorts the leading run of atoms joined by one commutative op (A OR B = B OR A), so equal formulas read alike. */
function canonical(atoms: number[], ops: Op[]): Formula {
  let run = 1;
  while (run < atoms.length && ops[run - 1] !== Op.AndNot && ops[run - 1] === ops[0]) run++;
  return { atoms: [...atoms.slice(0, run).sort((a, b) => a - b), ...atoms.slice(run)], ops: [...ops] };
}

function sameMask(a: Uint32Array, b: Uint32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Inserts by descending score (ties: fewer atoms, then earlier), keeping at most `cap`. */
function insert(list: Entry[], e: Entry, cap: number): Entry[] {
  let i = list.length;
  while (i > 0 && list[i - 1].score < e.score) i--;
  if (i >= cap) return list;
  list.splice(i, 0, e);
  if (list.length > cap) list.pop();
  return list;
}

/** The mask of a formula over an atom set (for references and text). */
export function formulaMask(atoms: AtomSet, f: Formula): Uint32Array {
  const W = atoms.words;
  const m = atoms.masks.slice(f.atoms[0] * W, (f.atoms[0] + 1) * W);
  for (let i = 1; i < f.atoms.length; i++) {
    const off = f.atoms[i] * W;
    for (let w = 0; w < W; w++) m[w] = f.ops[i - 1] === Op.And ? m[w] & atoms.masks[off + w] : f.ops[i - 1] === Op.Or ? m[w] | atoms.masks[off + w] : m[w] & ~atoms.masks[off + w];
  }
  return m;
}
