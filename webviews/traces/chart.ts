// One chart of the traces panel (title, axes with units, grid, line or step series, time
// cursor with the values under it), drawn through a Painter: screen and SVG export alike.
import type { Painter } from '../shared/painter';
import { formatTick, niceTicks } from '../shared/format';
import type { Theme } from '../shared/theme';

export interface Series {
  label: string;
  color: string;
  xs: ArrayLike<number>;
  ys: ArrayLike<number>;
  n: number;
  /** Histogram: ys[k] holds over [xs[k], xs[k + 1]) (xs has n + 1 entries). */
  step?: boolean;
  opacity?: number;
  width?: number;
}

export interface ChartSpec {
  title: string;
  /** Right-aligned beside the title (e.g. CV, values at the cursor). */
  note?: string;
  xLabel: string;
  yLabel: string;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  xFormat: (v: number, span: number) => string;
  /** Logarithmic x axis (x0 > 0). */
  xLog?: boolean;
  series: Series[];
  /** A filled band (mean ± SD of many series), drawn under the series. */
  band?: { xs: ArrayLike<number>; lo: ArrayLike<number>; hi: ArrayLike<number>; n: number; color: string; opacity?: number };
  /** Legend entries, drawn in a column right of the plot; `value`: the reading at the cursor. */
  legend?: LegendEntry[];
  /** A companion chart (the histogram of a synapse probe at the cursor or the end). */
  histogram?: ChartSpec;
  cursor?: number | null;
  empty?: string;
}

export interface LegendEntry {
  label: string;
  color: string;
  value?: string;
  /** Swatch: a line (default) or a filled band. */
  swatch?: 'line' | 'band';
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export const CHART_MARGIN = { left: 70, right: 22, top: 38, bottom: 32 };
/** The legend column right of the plot: about a quarter of the chart, 110 to 170 px. */
export const LEGEND_WIDTH = 170;
const LEGEND_MIN = 110;

/** The plot area of a chart in `b` (the same for every chart of a width, so mouse mapping needs only the box). */
export function plotRect(b: Box): Box {
  const right = Math.round(Math.max(LEGEND_MIN, Math.min(LEGEND_WIDTH, b.w * 0.24)));
  return { x: b.x + CHART_MARGIN.left, y: b.y + CHART_MARGIN.top, w: Math.max(10, b.w - CHART_MARGIN.left - right), h: Math.max(10, b.h - CHART_MARGIN.top - CHART_MARGIN.bottom) };
}

/** Cuts `s` with an ellipsis to `max` pixels. */
function fit(p: Painter, s: string, max: number): string {
  if (p.measure(s) <= max) return s;
  let k = s.length;
  while (k > 1 && p.measure(s.slice(0, k) + '…') > max) k--;
  return s.slice(0, k) + '…';
}

function drawLegend(p: Painter, box: Box, r: Box, entries: LegendEntry[], theme: Theme): void {
  const x = r.x + r.w + 14;
  const w = box.x + box.w - x - 4;
  if (w < 40) return;
  const rowH = 13;
  const rows = Math.max(1, Math.floor(r.h / rowH));
  entries.slice(0, rows).forEach((e, k) => {
    const y = r.y + k * rowH + rowH / 2;
    if (e.swatch === 'band') p.rect(x, y - 4, 14, 8, e.color, 0.3);
    else p.line(x, y, x + 14, y, e.color, 2);
    // The value keeps its room (without its unit when narrow: the axis names it); the label takes the rest.
    let value = e.value ?? '';
    if (value && p.measure(e.label) + p.measure(value) + 26 > w) value = value.replace(/ [^ ]+$/, '');
    const label = fit(p, e.label, Math.max(16, w - 26 - (value ? p.measure(value) : 0)));
    p.text(label, x + 19, y, { color: theme.foreground, baseline: 'middle' });
    if (value) p.text(value, box.x + box.w - 4, y, { color: theme.muted, align: 'right', baseline: 'middle' });
  });
  if (entries.length > rows) p.text(`+${entries.length - rows} more`, x + 19, r.y + r.h + 7, { color: theme.muted, baseline: 'top' });
}

/** Ticks at 1, 2, 5 × powers of ten in [lo, hi] (lo > 0). */
export function logTicks(lo: number, hi: number): number[] {
  if (!(lo > 0) || !(hi > lo)) return [];
  const out: number[] = [];
  const decades = Math.log10(hi / lo);
  const steps = decades > 4 ? [1] : [1, 2, 5];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of steps) {
      const v = m * 10 ** e;
      if (v >= lo * 0.999 && v <= hi * 1.001) out.push(+v.toPrecision(6));
    }
  }
  return out;
}

export function drawChart(p: Painter, box: Box, s: ChartSpec, theme: Theme): void {
  const r = plotRect(box);
  const line = theme.highContrast ? 1.5 : 1;
  p.text(s.title, box.x + 4, box.y + 4, { color: theme.foreground, baseline: 'top', bold: true, size: 12 });
  if (s.note) p.text(s.note, box.x + 4, box.y + 21, { color: theme.muted, baseline: 'top' });
  const xSpan = s.x1 - s.x0 || 1;
  const ySpan = s.y1 - s.y0 || 1;
  const lx0 = Math.log10(Math.max(1e-300, s.x0));
  const lSpan = Math.log10(Math.max(1e-300, s.x1)) - lx0 || 1;
  const X = s.xLog ? (v: number) => r.x + ((Math.log10(Math.max(1e-300, v)) - lx0) / lSpan) * r.w : (v: number) => r.x + ((v - s.x0) / xSpan) * r.w;
  const Y = (v: number) => r.y + r.h - ((v - s.y0) / ySpan) * r.h;
  const yTicks = niceTicks(s.y0, s.y1, Math.max(3, Math.floor(r.h / 30)));
  const yStep = yTicks.length > 1 ? yTicks[1] - yTicks[0] : ySpan;
  let labelsLeft = r.x - 6;
  for (const t of yTicks) {
    const y = Y(t);
    p.line(r.x, y, r.x + r.w, y, theme.grid, 1, [2, 3]);
    const label = formatTick(t, yStep);
    labelsLeft = Math.min(labelsLeft, r.x - 6 - p.measure(label));
    p.text(label, r.x - 6, y, { color: theme.muted, align: 'right', baseline: 'middle' });
  }
  let lastRight = -Infinity;
  for (const t of s.xLog ? logTicks(s.x0, s.x1) : niceTicks(s.x0, s.x1, Math.max(3, Math.round(r.w / 60)))) {
    const x = X(t);
    p.line(x, r.y, x, r.y + r.h, theme.grid, 1, [2, 3]);
    p.line(x, r.y + r.h, x, r.y + r.h + 4, theme.foreground, line);
    const label = s.xFormat(t, xSpan);
    const half = p.measure(label) / 2;
    const lx = Math.min(box.x + box.w - half - 2, x);
    if (lx - half < lastRight + 6) continue; // would overlap the previous label (log axes crowd)
    lastRight = lx + half;
    p.text(label, lx, r.y + r.h + 7, { color: theme.muted, align: 'center', baseline: 'top' });
  }
  // The axis title left of the widest tick label (its text is about 12 px tall once rotated).
  p.text(s.yLabel, Math.min(box.x + 12, labelsLeft - 7), r.y + r.h / 2, { color: theme.foreground, align: 'center', baseline: 'middle', vertical: true });
  if (s.xLabel) p.text(s.xLabel, r.x + r.w, r.y + r.h + 20, { color: theme.muted, align: 'right', baseline: 'top', size: 10 });
  p.line(r.x - 0.5, r.y, r.x - 0.5, r.y + r.h, theme.foreground, line);
  p.line(r.x, r.y + r.h + 0.5, r.x + r.w, r.y + r.h + 0.5, theme.foreground, line);

  const clampX = (x: number) => Math.max(r.x, Math.min(r.x + r.w, x));
  const clampY = (y: number) => Math.max(r.y, Math.min(r.y + r.h, y));
  let drawn = 0;
  const b = s.band;
  if (b && b.n > 0) {
    const xs: number[] = [];
    const ys: number[] = [];
    for (let k = 0; k < b.n; k++) {
      xs.push(clampX(X(b.xs[k])));
      ys.push(clampY(Y(b.hi[k])));
    }
    for (let k = b.n - 1; k >= 0; k--) {
      xs.push(clampX(X(b.xs[k])));
      ys.push(clampY(Y(b.lo[k])));
    }
    p.polygon(xs, ys, xs.length, b.color, b.opacity ?? 0.3);
    drawn++;
  }
  for (const ser of s.series) {
    const xs: number[] = [];
    const ys: number[] = [];
    if (ser.step) {
      for (let k = 0; k < ser.n; k++) {
        const xa = ser.xs[k];
        const xb = ser.xs[k + 1];
        if (xb < s.x0 || xa > s.x1) continue;
        const y = clampY(Y(ser.ys[k]));
        xs.push(clampX(X(xa)), clampX(X(xb)));
        ys.push(y, y);
      }
    } else {
      for (let k = 0; k < ser.n; k++) {
        xs.push(clampX(X(ser.xs[k])));
        ys.push(clampY(Y(ser.ys[k])));
      }
    }
    if (xs.length) {
      p.polyline(xs, ys, xs.length, ser.color, ser.width ?? (theme.highContrast ? 2 : 1.25), ser.opacity ?? 1);
      drawn++;
    }
  }
  if (s.legend?.length) drawLegend(p, box, r, s.legend, theme);
  if (!drawn && s.empty) p.text(s.empty, r.x + r.w / 2, r.y + r.h / 2, { color: theme.muted, align: 'center', baseline: 'middle' });
  if (s.cursor !== null && s.cursor !== undefined && s.cursor >= s.x0 && s.cursor <= s.x1) {
    const x = X(s.cursor);
    p.line(x, r.y, x, r.y + r.h, theme.cursor, theme.highContrast ? 2 : 1);
  }
}
