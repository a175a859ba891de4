// Turns the spikes in a view into a per-pixel count image (what the renderers colour). Views
// with few enough spikes are drawn exactly, each spike a marker sized to the zoom; views with
// more use the store's coarse grid (summed-area table: four reads per pixel whatever the
// number of spikes), so a frame costs O(pixels) even at 10 M spikes. Pure (no DOM).
import type { SpikeStore } from './spike-store';

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

/** Above this many spikes in view, draw from the grid. */
export const DIRECT_LIMIT = 400_000;

export function densityImage(store: SpikeStore, view: View, width: number, height: number, reuse?: Float32Array, directLimit = DIRECT_LIMIT): DensityFrame {
  const w = Math.max(1, Math.floor(width));
  const h = Math.max(1, Math.floor(height));
  const counts = reuse && reuse.length === w * h ? reuse : new Float32Array(w * h);
  counts.fill(0);
  const t0 = view.t0;
  const t1 = Math.max(view.t1, t0 + 1e-9);
  const r0 = view.r0;
  const r1 = Math.max(view.r1, r0 + 1e-9);
  const estimate = store.estimateVisible(Math.floor(t0), Math.ceil(t1), Math.floor(r0), Math.ceil(r1));
  const gridFine = store.gt >= store.totalSteps && store.gr >= store.rows; // grid cells are single steps and rows
  if (estimate > directLimit && !gridFine) return gridFrame(store, t0, t1, r0, r1, w, h, counts, estimate);
  return exactFrame(store, t0, t1, r0, r1, w, h, counts);
}

function exactFrame(store: SpikeStore, t0: number, t1: number, r0: number, r1: number, w: number, h: number, counts: Float32Array): DensityFrame {
  const sx = w / (t1 - t0);
  const sy = h / (r1 - r0);
  // Marker size: a spike covers its step and row, at least one pixel, a little more when zoomed in.
  const mw = Math.max(1, Math.min(4, Math.round(sx)));
  const mh = sy >= 3 ? Math.floor(sy) - 1 : Math.max(1, Math.round(sy));
  let visible = 0;
  let max = 0;
  store.pops.forEach((p, k) => {
    if (p.row + p.size <= r0 || p.row >= r1) return;
    const [a, b] = store.range(k, Math.floor(t0), Math.ceil(t1));
    const { steps, neurons } = store.spikes(k);
    const rowBase = p.row - r0;
    if (mw === 1 && mh === 1) {
      for (let m = a; m < b; m++) {
        const y = Math.floor((rowBase + neurons[m]) * sy);
        if (y < 0 || y >= h) continue;
        const x = Math.floor((steps[m] - t0) * sx);
        if (x < 0 || x >= w) continue;
        const v = ++counts[y * w + x];
        if (v > max) max = v;
        visible++;
      }
      return;
    }
    for (let m = a; m < b; m++) {
      const yTop = Math.floor((rowBase + neurons[m]) * sy);
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
  });
  return { width: w, height: h, counts, max, mode: 'exact', visible };
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
    weight[i] = ib > ia ? Math.min(1, (b - a) / (ib - ia)) : 0;
  }
  return { c0, c1, weight };
}

function gridFrame(store: SpikeStore, t0: number, t1: number, r0: number, r1: number, w: number, h: number, counts: Float32Array, estimate: number): DensityFrame {
  const sat = store.summedArea();
  const cols = cellSpans(w, t0, t1, store.gt / Math.max(1, store.totalSteps), store.gt);
  const rows = cellSpans(h, r0, r1, store.gr / Math.max(1, store.rows), store.gr);
  const W = store.gt + 1;
  let max = 0;
  for (let y = 0; y < h; y++) {
    const g0 = rows.c0[y] * W;
    const g1 = rows.c1[y] * W;
    const wy = rows.weight[y];
    if (wy === 0) continue;
    const off = y * w;
    for (let x = 0; x < w; x++) {
      const a = cols.c0[x];
      const b = cols.c1[x];
      const s = sat[g1 + b] - sat[g0 + b] - sat[g1 + a] + sat[g0 + a];
      if (s === 0) continue;
      const v = s * wy * cols.weight[x];
      counts[off + x] = v;
      if (v > max) max = v;
    }
  }
  return { width: w, height: h, counts, max, mode: 'grid', visible: Math.round(estimate) };
}

/** Opacity of a pixel holding `count` spikes when the busiest holds `max`: one spike is clearly visible. */
export function opacity(count: number, max: number): number {
  if (count <= 0) return 0;
  if (count < 1) return 0.55 * count; // grid mode spreads a cell's spikes over its pixels
  if (max <= 1) return 1;
  return 0.55 + 0.45 * Math.min(1, Math.log1p(count) / Math.log1p(max));
}
