// What the raster exports: the spikes in view as CSV (the columns of `spikeworks run --csv`),
// and an SVG of the view (vector markers when there are few enough, else the image).
import type { View } from './density';
import type { SpikeStore } from './spike-store';

/** Above this many spikes in view, the SVG embeds the picture instead of one mark per spike. */
export const SVG_VECTOR_LIMIT = 50_000;
/** CSV exports stop here (a note at the end says so). */
export const CSV_LIMIT = 5_000_000;

/** `population,neuron,time_s` for the spikes in the view (time order within each population). */
export function spikesCsv(store: SpikeStore, view: View, dt: number, limit = CSV_LIMIT): { text: string; rows: number; truncated: boolean } {
  const lines = ['population,neuron,time_s'];
  let rows = 0;
  let truncated = false;
  const r0 = Math.floor(view.r0);
  const r1 = Math.ceil(view.r1);
  for (let k = 0; k < store.pops.length && !truncated; k++) {
    const p = store.pops[k];
    if (p.row + p.size <= r0 || p.row >= r1) continue;
    const [a, b] = store.range(k, Math.floor(view.t0), Math.ceil(view.t1));
    const { steps, neurons } = store.spikes(k);
    for (let m = a; m < b; m++) {
      const row = p.row + neurons[m];
      if (row < r0 || row >= r1) continue;
      if (rows >= limit) {
        truncated = true;
        break;
      }
      lines.push(`${p.name},${neurons[m]},${(steps[m] * dt).toPrecision(9)}`);
      rows++;
    }
  }
  return { text: lines.join('\n') + '\n', rows, truncated };
}

/** SVG path data with one small rectangle per spike in view, per population; undefined if too many. */
export function spikePaths(store: SpikeStore, view: View, x: number, y: number, w: number, h: number, limit = SVG_VECTOR_LIMIT): string[] | undefined {
  if (store.estimateVisible(Math.floor(view.t0), Math.ceil(view.t1), Math.floor(view.r0), Math.ceil(view.r1)) > limit) return undefined;
  const sx = w / (view.t1 - view.t0);
  const sy = h / (view.r1 - view.r0);
  const mw = Math.max(1, Math.min(4, sx));
  const mh = sy >= 3 ? sy - 1 : Math.max(1, sy);
  const r2 = (v: number) => Math.round(v * 100) / 100;
  return store.pops.map((p, k) => {
    const [a, b] = store.range(k, Math.floor(view.t0), Math.ceil(view.t1));
    const { steps, neurons } = store.spikes(k);
    const d: string[] = [];
    for (let m = a; m < b; m++) {
      const row = p.row + neurons[m];
      if (row < view.r0 - 1 || row >= view.r1) continue;
      const px = x + (steps[m] - view.t0) * sx;
      const py = y + (row - view.r0) * sy;
      if (px < x || px >= x + w || py < y - mh || py >= y + h) continue;
      d.push(`M${r2(px)} ${r2(py)}h${r2(mw)}v${r2(mh)}h${r2(-mw)}z`);
    }
    return d.join('');
  });
}
