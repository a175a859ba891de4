// The raster's spikes: per population, in step order (as the engine records and streams them),
// so that a time window is two binary searches. Rows stack the recorded populations top to
// bottom. A coarse count grid over the whole run (kept up to date as spikes stream in) with a
// summed-area table answers "how many spikes in this box" in O(1) for zoomed-out views.
// Pure data: no DOM (tested in Node, used by the bench).

export interface StorePopulation {
  name: string;
  size: number;
  /** First row of this population. */
  row: number;
}

const GRID_T = 4096;
const GRID_R = 1024;
/** Rows per block of the row-block index. */
export const BLOCK_ROWS = 64;

export interface Segment {
  steps: Int32Array;
  neurons: Int32Array;
  a: number;
  b: number;
}

/** A population's spikes ordered by block of BLOCK_ROWS neurons, then by step. */
interface BlockIndex {
  /** How many spikes it covers (rebuilt when the population has grown). */
  built: number;
  builtAt: number;
  steps: Int32Array;
  neurons: Int32Array;
  /** Start of block b's spikes; starts[blocks] = built. */
  starts: Int32Array;
}

export class SpikeStore {
  readonly pops: StorePopulation[];
  readonly rows: number;
  private steps: Int32Array[];
  private neurons: Int32Array[];
  private counts: number[];
  /** Coarse grid over [0, totalSteps) × [0, rows): counts, then its summed-area table. */
  readonly gt: number;
  readonly gr: number;
  private grid: Uint32Array;
  private sat: Float64Array;
  private satDirty = true;
  private blocks: (BlockIndex | undefined)[];

  constructor(populations: { name: string; size: number }[], readonly totalSteps: number) {
    let row = 0;
    this.pops = populations.map((p) => {
      const out = { name: p.name, size: Math.max(0, Math.floor(p.size)), row };
      row += out.size;
      return out;
    });
    this.rows = row;
    this.steps = this.pops.map(() => new Int32Array(1024));
    this.neurons = this.pops.map(() => new Int32Array(1024));
    this.counts = this.pops.map(() => 0);
    this.blocks = this.pops.map(() => undefined);
    this.gt = Math.max(1, Math.min(GRID_T, totalSteps));
    this.gr = Math.max(1, Math.min(GRID_R, row));
    this.grid = new Uint32Array(this.gt * this.gr);
    this.sat = new Float64Array((this.gt + 1) * (this.gr + 1));
  }

  get total(): number {
    return this.counts.reduce((a, b) => a + b, 0);
  }

  count(k: number): number {
    return this.counts[k] ?? 0;
  }

  /**
   * Appends spikes of population k (steps non-decreasing and not before what is held).
   * Spikes with a neuron outside the population or a step outside the run are dropped.
   * Returns how many were added.
   */
  append(k: number, steps: Int32Array, neurons: Int32Array): number {
    const p = this.pops[k];
    if (!p || steps.length !== neurons.length) return 0;
    let n = this.counts[k];
    if (n + steps.length > this.steps[k].length) {
      const cap = Math.max(this.steps[k].length * 2, n + steps.length);
      const s = new Int32Array(cap);
      s.set(this.steps[k].subarray(0, n));
      const u = new Int32Array(cap);
      u.set(this.neurons[k].subarray(0, n));
      this.steps[k] = s;
      this.neurons[k] = u;
    }
    const S = this.steps[k];
    const U = this.neurons[k];
    let last = n ? S[n - 1] : -1;
    const tScale = this.gt / Math.max(1, this.totalSteps);
    const rScale = this.gr / Math.max(1, this.rows);
    const grid = this.grid;
    const gt = this.gt;
    for (let m = 0; m < steps.length; m++) {
      const s = steps[m];
      const i = neurons[m];
      if (s < last || s < 0 || s >= this.totalSteps || i < 0 || i >= p.size) continue;
      S[n] = s;
      U[n] = i;
      n++;
      last = s;
      grid[Math.floor((p.row + i) * rScale) * gt + Math.floor(s * tScale)]++;
    }
    const added = n - this.counts[k];
    this.counts[k] = n;
    if (added) this.satDirty = true;
    return added;
  }

  /** Spikes of population k (views). */
  spikes(k: number): { steps: Int32Array; neurons: Int32Array } {
    return { steps: this.steps[k].subarray(0, this.counts[k]), neurons: this.neurons[k].subarray(0, this.counts[k]) };
  }

  /** Index range [a, b) of population k's spikes with step in [s0, s1). */
  range(k: number, s0: number, s1: number): [number, number] {
    const S = this.steps[k];
    const n = this.counts[k];
    return [lowerBound(S, n, s0), lowerBound(S, n, s1)];
  }

  /**
   * Population k's spikes by row block (for views that show a few rows over a long time):
   * rebuilt when the population has grown, at most once a second while spikes stream in.
   */
  blockIndex(k: number, now = performance.now()): BlockIndex | undefined {
    const n = this.counts[k];
    const have = this.blocks[k];
    if (have && (have.built === n || now - have.builtAt < 1000)) return have;
    const p = this.pops[k];
    const nb = Math.max(1, Math.ceil(p.size / BLOCK_ROWS));
    const starts = new Int32Array(nb + 1);
    const S = this.steps[k];
    const U = this.neurons[k];
    for (let m = 0; m < n; m++) starts[(U[m] / BLOCK_ROWS) | 0]++;
    let acc = 0;
    for (let b = 0; b < nb; b++) {
      const c = starts[b];
      starts[b] = acc;
      acc += c;
    }
    starts[nb] = acc;
    const fill = starts.slice(0, nb);
    const steps = new Int32Array(n);
    const neurons = new Int32Array(n);
    for (let m = 0; m < n; m++) {
      const b = (U[m] / BLOCK_ROWS) | 0;
      const at = fill[b]++;
      steps[at] = S[m];
      neurons[at] = U[m];
    }
    const idx = { built: n, builtAt: now, steps, neurons, starts };
    this.blocks[k] = idx;
    return idx;
  }

  /**
   * Where population k's spikes with step in [s0, s1) and neuron in [n0, n1) are: index ranges
   * into step/neuron arrays (which may hold others too: filter by neuron). Uses the row-block
   * index when the neurons are a small part of the population, else the time order.
   */
  segments(k: number, s0: number, s1: number, n0: number, n1: number): Segment[] {
    const p = this.pops[k];
    const lo = Math.max(0, n0);
    const hi = Math.min(p.size, n1);
    if (hi <= lo) return [];
    const all = this.spikes(k);
    if ((hi - lo) * 2 > p.size || this.counts[k] < 50_000) {
      const [a, b] = this.range(k, s0, s1);
      return [{ steps: all.steps, neurons: all.neurons, a, b }];
    }
    const idx = this.blockIndex(k)!;
    const out: Segment[] = [];
    for (let blk = Math.floor(lo / BLOCK_ROWS); blk <= Math.floor((hi - 1) / BLOCK_ROWS); blk++) {
      const start = idx.starts[blk];
      const end = idx.starts[blk + 1];
      const a = lowerBound(idx.steps, end, s0, start);
      const b = lowerBound(idx.steps, end, s1, a);
      if (b > a) out.push({ steps: idx.steps, neurons: idx.neurons, a, b });
    }
    if (idx.built < this.counts[k]) {
      // Spikes that arrived after the index was built, in time order.
      const a = lowerBound(all.steps, this.counts[k], s0, idx.built);
      const b = lowerBound(all.steps, this.counts[k], s1, a);
      if (b > a) out.push({ steps: all.steps, neurons: all.neurons, a, b });
    }
    return out;
  }

  /** Population of a row, or -1. */
  popOfRow(row: number): number {
    if (row < 0 || row >= this.rows) return -1;
    let lo = 0;
    let hi = this.pops.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.pops[mid].row <= row) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Spikes with step in [s0, s1) and row in [r0, r1), estimated from the time ranges (exact in time). */
  estimateVisible(s0: number, s1: number, r0: number, r1: number): number {
    let total = 0;
    this.pops.forEach((p, k) => {
      const lo = Math.max(r0, p.row);
      const hi = Math.min(r1, p.row + p.size);
      if (hi <= lo || p.size === 0) return;
      const [a, b] = this.range(k, s0, s1);
      total += ((b - a) * (hi - lo)) / p.size;
    });
    return total;
  }

  /** The summed-area table of the coarse grid (rebuilt when spikes were added). */
  summedArea(): Float64Array {
    if (!this.satDirty) return this.sat;
    const { gt, gr, grid, sat } = this;
    const w = gt + 1;
    for (let r = 0; r < gr; r++) {
      let rowSum = 0;
      const gOff = r * gt;
      const sOff = (r + 1) * w;
      const pOff = r * w;
      for (let c = 0; c < gt; c++) {
        rowSum += grid[gOff + c];
        sat[sOff + c + 1] = sat[pOff + c + 1] + rowSum;
      }
    }
    this.satDirty = false;
    return sat;
  }

  /** Spike count in grid cells [c0, c1) × [g0, g1) (integers, clamped). */
  gridSum(sat: Float64Array, c0: number, c1: number, g0: number, g1: number): number {
    const w = this.gt + 1;
    return sat[g1 * w + c1] - sat[g0 * w + c1] - sat[g1 * w + c0] + sat[g0 * w + c0];
  }

  /** The spike of row `row` nearest to step `s` within ±`tol` steps, or undefined. */
  nearest(row: number, s: number, tol: number): { pop: number; neuron: number; step: number } | undefined {
    const k = this.popOfRow(row);
    if (k < 0) return undefined;
    const neuron = row - this.pops[k].row;
    const [a, b] = this.range(k, Math.floor(s - tol), Math.ceil(s + tol) + 1);
    const S = this.steps[k];
    const U = this.neurons[k];
    let best = -1;
    let bestD = Infinity;
    for (let m = a; m < b; m++) {
      if (U[m] !== neuron) continue;
      const d = Math.abs(S[m] - s);
      if (d < bestD) {
        bestD = d;
        best = m;
      }
    }
    return best >= 0 ? { pop: k, neuron, step: S[best] } : undefined;
  }
}

/** First index in a[0..n) with a[i] >= x (a non-decreasing). */
export function lowerBound(a: Int32Array, n: number, x: number, from = 0): number {
  let lo = from;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
