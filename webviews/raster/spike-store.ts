// The raster's spikes: per population, in step order (as the engine records and streams them),
// so that a time window is two binary searches. Rows stack the recorded populations top to
// bottom. Coarse count grids over the whole run (kept up to date as spikes stream in) with
// summed-area tables answer "how many spikes in this box" in O(1) for zoomed-out views.
// Pure data: no DOM (tested in Node, used by the bench).

export interface StorePopulation {
  name: string;
  size: number;
  /** First row of this population. */
  row: number;
}

/**
 * Shapes (time cells × row cells, ~4 M cells each) of the coarse count grids, from fine in time
 * (all neurons over a short window) to fine in rows (a few neurons over the whole run): a view
 * is drawn from the grid whose cells are at most ~2 pixels on screen (density.ts). Each shape
 * is clamped to the run's steps and rows; one no finer than another in either axis is dropped.
 */
const GRID_SHAPES: [number, number][] = [
  [8192, 512],
  [4096, 1024],
  [2048, 2048],
  [1024, 4096],
];

/**
 * A gt × gr count grid over [0, totalSteps) × [0, rows), held as its summed-area table only
 * (the counts are recounted from the spikes when the table is brought up to date). The table
 * is kept modulo 2^32 (Uint32): a box sum taken with `>>> 0` is exact for any box holding fewer
 * than 2^32 spikes, whatever the total.
 */
export class CountGrid {
  /** Row g, column c at g * (gt + 1) + c. */
  readonly sat: Uint32Array;
  /** Grid cells per step and per row. */
  readonly tScale: number;
  readonly rScale: number;
  /** Earliest step of a spike added since the table was last brought up to date (Infinity: none). */
  dirtyFrom = Infinity;

  constructor(readonly gt: number, readonly gr: number, totalSteps: number, rows: number) {
    this.sat = new Uint32Array((gt + 1) * (gr + 1));
    this.tScale = gt / Math.max(1, totalSteps);
    this.rScale = gr / Math.max(1, rows);
  }

  /** Spike count in cells [c0, c1) × [g0, g1) of an up-to-date table. */
  sum(c0: number, c1: number, g0: number, g1: number): number {
    const sat = this.sat;
    const w = this.gt + 1;
    return (sat[g1 * w + c1] - sat[g0 * w + c1] - sat[g1 * w + c0] + sat[g0 * w + c0]) >>> 0;
  }
}

/** Counts of the columns being recounted (shared: one table is brought up to date at a time). */
let scratch = new Uint32Array(0);

/** Populations with fewer spikes are filtered by time alone (no row-block index). */
const BLOCK_INDEX_MIN = 50_000;
/** Rows per block of the row-block index (at least; more when the population is much bigger than its spikes). */
export const BLOCK_ROWS = 64;

/**
 * Rows per block for a population of `size` neurons with `spikes` spikes: BLOCK_ROWS, doubled
 * until there are no more blocks than spikes, so the index is O(spikes) at any population size
 * (2³² neurons with 60 k spikes: 65 k blocks, not 67 M).
 */
export function blockRows(size: number, spikes: number): number {
  let rows = BLOCK_ROWS;
  while (size / rows > Math.max(1, spikes)) rows *= 2;
  return rows;
}

export interface Segment {
  steps: Int32Array;
  neurons: Int32Array;
  a: number;
  b: number;
}

/** A population's spikes ordered by block of `rows` neurons (blockRows), then by step. */
interface BlockIndex {
  /** How many spikes it covers (rebuilt when the population has grown). */
  built: number;
  builtAt: number;
  steps: Int32Array;
  neurons: Int32Array;
  /** Start of block b's spikes; starts[blocks] = built. */
  starts: Int32Array;
  /** Neurons per block (blockRows). */
  rows: number;
}

export class SpikeStore {
  readonly pops: StorePopulation[];
  readonly rows: number;
  private steps: Int32Array[];
  private neurons: Int32Array[];
  private counts: number[];
  /** Coarse count grids over [0, totalSteps) × [0, rows) (GRID_SHAPES). */
  readonly grids: CountGrid[];
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
    const shapes = GRID_SHAPES.map(([t, r]) => [Math.max(1, Math.min(t, totalSteps)), Math.max(1, Math.min(r, row))]);
    const kept = shapes.filter(([t, r], i) => !shapes.some(([t2, r2], j) => j !== i && t2 >= t && r2 >= r && (t2 > t || r2 > r || j < i)));
    this.grids = kept.map(([t, r]) => new CountGrid(t, r, totalSteps, row));
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
    const grids = this.grids;
    for (let m = 0; m < steps.length; m++) {
      const s = steps[m];
      const i = neurons[m];
      if (s < last || s < 0 || s >= this.totalSteps || i < 0 || i >= p.size) continue;
      S[n] = s;
      U[n] = i;
      n++;
      last = s;
    }
    const added = n - this.counts[k];
    if (added) for (const g of grids) g.dirtyFrom = Math.min(g.dirtyFrom, S[this.counts[k]]);
    this.counts[k] = n;
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
  blockIndex(k: number, now = performance.now(), force = false): BlockIndex | undefined {
    const n = this.counts[k];
    const have = this.blocks[k];
    if (have && (have.built === n || (!force && now - have.builtAt < 1000))) return have;
    const p = this.pops[k];
    const rows = blockRows(p.size, n);
    const nb = Math.max(1, Math.ceil(p.size / rows));
    const starts = new Int32Array(nb + 1);
    const S = this.steps[k];
    const U = this.neurons[k];
    for (let m = 0; m < n; m++) starts[Math.floor(U[m] / rows)]++;
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
      const b = Math.floor(U[m] / rows);
      const at = fill[b]++;
      steps[at] = S[m];
      neurons[at] = U[m];
    }
    const idx = { built: n, builtAt: now, steps, neurons, starts, rows };
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
    if ((hi - lo) * 2 > p.size || this.counts[k] < BLOCK_INDEX_MIN) {
      const [a, b] = this.range(k, s0, s1);
      return [{ steps: all.steps, neurons: all.neurons, a, b }];
    }
    const idx = this.blockIndex(k)!;
    const out: Segment[] = [];
    for (let blk = Math.floor(lo / idx.rows); blk <= Math.floor((hi - 1) / idx.rows); blk++) {
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

  /**
   * The grid's summed-area table, brought up to date: only the columns from the earliest step
   * added since the last time are recounted (while a run streams in, the last few columns).
   */
  table(grid: CountGrid): Uint32Array {
    if (grid.dirtyFrom === Infinity) return grid.sat;
    const { gt, gr, sat, tScale, rScale } = grid;
    const c0 = Math.max(0, Math.min(gt, Math.floor(grid.dirtyFrom * tScale)));
    const span = gt - c0;
    if (scratch.length < span * gr) scratch = new Uint32Array(span * gr);
    const counts = scratch;
    counts.fill(0, 0, span * gr);
    this.pops.forEach((p, k) => {
      const S = this.steps[k];
      const U = this.neurons[k];
      const n = this.counts[k];
      for (let m = lowerBound(S, n, Math.floor(c0 / tScale)); m < n; m++) {
        const c = Math.floor(S[m] * tScale) - c0;
        if (c >= 0) counts[Math.floor((p.row + U[m]) * rScale) * span + c]++;
      }
    });
    const w = gt + 1;
    for (let r = 0; r < gr; r++) {
      const above = r * w;
      const here = above + w;
      // Sum of row r's counts left of column c0, from the table itself.
      let rowSum = (sat[here + c0] - sat[above + c0]) >>> 0;
      const off = r * span - c0;
      for (let c = c0; c < gt; c++) {
        rowSum = (rowSum + counts[off + c]) >>> 0;
        sat[here + c + 1] = sat[above + c + 1] + rowSum;
      }
    }
    grid.dirtyFrom = Infinity;
    return sat;
  }

  /**
   * Work that makes later frames fast (grid tables, row-block indexes), one piece per call so
   * that a panel can do it between frames after a run ends. Returns whether any is left.
   */
  prepareStep(): boolean {
    const grid = this.grids.find((g) => g.dirtyFrom !== Infinity);
    if (grid) {
      this.table(grid);
      return this.pendingWork() > 0;
    }
    const k = this.pops.findIndex((_, k) => this.staleBlockIndex(k));
    if (k >= 0) this.blockIndex(k, performance.now(), true);
    return this.pendingWork() > 0;
  }

  /** Pieces of work prepareStep still has to do. */
  pendingWork(): number {
    return this.grids.filter((g) => g.dirtyFrom !== Infinity).length + this.pops.filter((_, k) => this.staleBlockIndex(k)).length;
  }

  /** Whether population k is big enough for a row-block index and has none for all its spikes. */
  private staleBlockIndex(k: number): boolean {
    return this.counts[k] >= BLOCK_INDEX_MIN && this.blocks[k]?.built !== this.counts[k];
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
