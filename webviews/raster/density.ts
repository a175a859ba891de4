// Turns the spikes in a view into a per-pixel count image (what the renderers colour). Views
// with few enough spikes are drawn exactly, each spike a marker sized to the zoom; views with
// more use one of the store's coarse grids (summed-area tables: four reads per pixel whatever
// the number of spikes), so a frame costs O(pixels) even at 10 M spikes. Pure (no DOM).
import type { CountGrid, SpikeStore } from './spike-store';

/** A window in steps [t0, t1) and rows [r0, r1) (fractional). */
export interface View {
  t0: number;
  t1: number;
  r0: number;
  r1: number;
}

export interface DensityFrame {
  width: number;
  height: number;
  /** Spikes per pixel, row-major from the top-left (row r0 at the top). */
  counts: Float32Array;
  max: number;
  mode: 'exact' | 'grid';
  /** Spikes in the view (exact mode: counted; grid mode: estimated). */
  visible: number;
}

/** Exact frames write at most about this many marker pixels; above, the grid is used if fine enough. */
export const EXACT_BUDGET = 600_000;

/** Marker size in pixels for a zoom: a spike covers its step and row, at least one pixel. */
export function markerSize(sx: number, sy: number): { mw: number; mh: number } {
  return { mw: Math.max(1, Math.min(4, Math.round(sx))), mh: sy >= 3 ? Math.min(12, Math.floor(sy) - 1) : Math.max(1, Math.round(sy)) };
}

export function densityImage(store: SpikeStore, view: View, width: number, height: number, reuse?: Float32Array, budget = EXACT_BUDGET): DensityFrame {
  const w = Math.max(1, Math.floor(width));
  const h = Math.max(1, Math.floor(height));
  const counts = reuse && reuse.length === w * h ? reuse : new Float32Array(w * h);
  counts.fill(0);
  const t0 = view.t0;
  const t1 = Math.max(view.t1, t0 + 1e-9);
  const r0 = view.r0;
  const r1 = Math.max(view.r1, r0 + 1e-9);
  const sx = w / (t1 - t0);
  const sy = h / (r1 - r0);
  const { mw, mh } = markerSize(sx, sy);
  const estimate = store.estimateVisible(Math.floor(t0), Math.ceil(t1), Math.floor(r0), Math.ceil(r1));
  if (estimate * mw * mh > budget) {
    // A grid is good enough when its cells are at most ~2 pixels on screen; the finest such wins.
    let best: CountGrid | undefined;
    let bestSize = 2;
    for (const grid of store.grids) {
      const size = Math.max(sx / grid.tScale, sy / grid.rScale);
      if (size <= bestSize) {
        best = grid;
        bestSize = size;
      }
    }
    if (best) return gridFrame(store.table(best), best, t0, t1, r0, r1, w, h, counts, estimate);
  }
  return exactFrame(store, t0, t1, r0, r1, w, h, counts, mw, mh, estimate);
}

/** Marker corners counted before the box filter (reused between frames). */
let corners = new Float32Array(0);

function exactFrame(store: SpikeStore, t0: number, t1: number, r0: number, r1: number, w: number, h: number, counts: Float32Array, mw: number, mh: number, estimate: number): DensityFrame {
  const sx = w / (t1 - t0);
  const sy = h / (r1 - r0);
  let visible = 0;
  let max = 0;
  // Few marker pixels: paint each marker. Many (big markers, up to 48 pixels a spike): count
  // each spike once at its marker's top-left corner, in an image that reaches mw - 1 columns
  // left of and mh - 1 rows above the view, and let a box filter give every pixel the number of
  // markers covering it — the same image, at a cost per pixel instead of per marker pixel.
  const filter = (mw > 1 || mh > 1) && estimate * mw * mh > w * h;
  const W = w + mw - 1;
  const H = h + mh - 1;
  if (filter && corners.length < W * H) corners = new Float32Array(W * H);
  const acc = filter ? corners.subarray(0, W * H) : counts;
  if (filter) acc.fill(0);
  // A marker sits in the middle of its row (a tall row: few neurons shown); one whose row
  // starts above the view can still reach into it.
  const pad = Math.max(0, Math.floor((sy - mh) / 2));
  const reach = Math.ceil((pad + mh) / sy);
  store.pops.forEach((p, k) => {
    if (p.row + p.size <= r0 - reach || p.row >= r1) return;
    const n0 = Math.floor(r0) - p.row - reach;
    const n1 = Math.ceil(r1) - p.row;
    const rowBase = p.row - r0;
    for (const seg of store.segments(k, Math.floor(t0) - mw, Math.ceil(t1), n0, n1)) {
      const { steps, neurons, a, b } = seg;
      if (filter) {
        for (let m = a; m < b; m++) {
          const y = Math.floor((rowBase + neurons[m]) * sy) + pad + mh - 1;
          if (y < 0 || y >= H) continue;
          const x = Math.floor((steps[m] - t0) * sx) + mw - 1;
          if (x < 0 || x >= W) continue;
          acc[y * W + x]++;
          visible++;
        }
      } else if (mw === 1 && mh === 1) {
        for (let m = a; m < b; m++) {
          const y = Math.floor((rowBase + neurons[m]) * sy) + pad;
          if (y < 0 || y >= h) continue;
          const x = Math.floor((steps[m] - t0) * sx);
          if (x < 0 || x >= w) continue;
          const v = ++counts[y * w + x];
          if (v > max) max = v;
          visible++;
        }
      } else {
        for (let m = a; m < b; m++) {
          const yTop = Math.floor((rowBase + neurons[m]) * sy) + pad;
          if (yTop + mh <= 0 || yTop >= h) continue;
          const xLeft = Math.floor((steps[m] - t0) * sx);
          if (xLeft + mw <= 0 || xLeft >= w) continue;
          visible++;
          for (let y = Math.max(0, yTop); y < Math.min(h, yTop + mh); y++) {
            const off = y * w;
            for (let x = Math.max(0, xLeft); x < Math.min(w, xLeft + mw); x++) {
              const v = ++counts[off + x];
              if (v > max) max = v;
            }
          }
        }
      }
    }
  });
  if (filter) {
    boxFilter(acc, W, H, mw, mh, counts);
    for (let i = 0; i < counts.length; i++) if (counts[i] > max) max = counts[i];
  }
  return { width: w, height: h, counts, max, mode: 'exact', visible };
}

/**
 * out (w × h, w = W - mw + 1, h = H - mh + 1) at (x, y) = the sum of src (W × H) over
 * [x, x + mw) × [y, y + mh): running sums along rows, then down columns.
 */
function boxFilter(src: Float32Array, W: number, H: number, mw: number, mh: number, out: Float32Array): void {
  const w = W - mw + 1;
  const h = H - mh + 1;
  // Rows: src row r → its mw-wide sums, written back in place at [r * W, r * W + w).
  for (let r = 0; r < H; r++) {
    const off = r * W;
    let sum = 0;
    for (let x = 0; x < mw - 1; x++) sum += src[off + x];
    for (let x = 0; x < w; x++) {
      sum += src[off + x + mw - 1];
      const first = src[off + x];
      src[off + x] = sum;
      sum -= first;
    }
  }
  // Columns: out row y = rows y … y + mh - 1 of the row sums, as a running sum down each column.
  for (let x = 0; x < w; x++) {
    let sum = 0;
    for (let r = 0; r < mh; r++) sum += src[r * W + x];
    out[x] = sum;
  }
  for (let y = 1; y < h; y++) {
    const o = y * w;
    const add = (y + mh - 1) * W;
    const sub = (y - 1) * W;
    for (let x = 0; x < w; x++) out[o + x] = out[o - w + x] + src[add + x] - src[sub + x];
  }
}

/** Per pixel edge → grid cell range and the share of it the pixel covers. */
function cellSpans(n: number, lo: number, hi: number, cellsPerUnit: number, cells: number): { c0: Int32Array; c1: Int32Array; weight: Float32Array } {
  const c0 = new Int32Array(n);
  const c1 = new Int32Array(n);
  const weight = new Float32Array(n);
  const per = (hi - lo) / n;
  for (let i = 0; i < n; i++) {
    const a = (lo + i * per) * cellsPerUnit;
    const b = (lo + (i + 1) * per) * cellsPerUnit;
    let ia = Math.round(a);
    let ib = Math.round(b);
    if (ib <= ia) {
      ia = Math.floor((a + b) / 2);
      ib = ia + 1;
    }
    ia = Math.max(0, Math.min(cells, ia));
    ib = Math.max(0, Math.min(cells, ib));
    c0[i] = ia;
    c1[i] = ib;
    weight[i] = ib > ia ? (b - a) / (ib - ia) : 0; // share of the cells this pixel stands for
  }
  return { c0, c1, weight };
}

function gridFrame(sat: Uint32Array, grid: CountGrid, t0: number, t1: number, r0: number, r1: number, w: number, h: number, counts: Float32Array, estimate: number): DensityFrame {
  const cols = cellSpans(w, t0, t1, grid.tScale, grid.gt);
  const rows = cellSpans(h, r0, r1, grid.rScale, grid.gr);
  const W = grid.gt + 1;
  const c0 = cols.c0;
  const c1 = cols.c1;
  const cw = cols.weight;
  let max = 0;
  for (let y = 0; y < h; y++) {
    const wy = rows.weight[y];
    if (wy === 0) continue;
    const g0 = rows.c0[y] * W;
    const g1 = rows.c1[y] * W;
    const off = y * w;
    for (let x = 0; x < w; x++) {
      const a = c0[x];
      const b = c1[x];
      // Modulo 2^32 (the table wraps): exact for any box of fewer than 2^32 spikes.
      const s = (sat[g1 + b] - sat[g0 + b] - sat[g1 + a] + sat[g0 + a]) >>> 0;
      const v = s * wy * cw[x];
      counts[off + x] = v;
      if (v > max) max = v;
    }
  }
  return { width: w, height: h, counts, max, mode: 'grid', visible: Math.round(estimate) };
}

/** Lowest opacity of a non-empty pixel: high when spikes are sparse (one spike must show), lower when dense (so density reads). */
export function opacityFloor(max: number): number {
  return max <= 1 ? 1 : Math.max(0.2, 0.6 - 0.1 * Math.log2(max));
}

/** Opacity of a pixel holding `count` spikes when the busiest holds `max`. */
export function opacity(count: number, max: number): number {
  if (count <= 0) return 0;
  const floor = opacityFloor(max);
  if (count < 1) return floor * count; // grid mode spreads a cell's spikes over its pixels
  if (max <= 1) return 1;
  return floor + (1 - floor) * Math.min(1, Math.log1p(count) / Math.log1p(max));
}
