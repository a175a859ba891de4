// One chart of the traces panel (title, axes with units, grid, line or step series, time
// cursor with the values under it), drawn through a Painter: screen and SVG export alike.
import type { Painter } from '../shared/painter';
import { niceTicks } from '../shared/format';
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
  cursor?: number | null;
  empty?: string;
}

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export const CHART_MARGIN = { left: 62, right: 22, top: 38, bottom: 32 };

export function plotRect(b: Box): Box {
  return { x: b.x + CHART_MARGIN.left, y: b.y + CHART_MARGIN.top, w: Math.max(10, b.w - CHART_MARGIN.left - CHART_MARGIN.right), h: Math.max(10, b.h - CHART_MARGIN.top - CHART_MARGIN.bottom) };
}

function fmtY(v: number, span: number): string {
  if (v === 0) return '0';
  const digits = Math.max(0, Math.min(6, -Math.floor(Math.log10(span / 5)) ));
  return v.toFixed(digits);
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
  for (const t of niceTicks(s.y0, s.y1, Math.max(2, Math.floor(r.h / 40)))) {
    const y = Y(t);
    p.line(r.x, y, r.x + r.w, y, theme.grid, 1, [2, 3]);
    p.text(fmtY(t, ySpan), r.x - 6, y, { color: theme.muted, align: 'right', baseline: 'middle' });
  }
  let lastRight = -Infinity;
  for (const t of s.xLog ? logTicks(s.x0, s.x1) : niceTicks(s.x0, s.x1, Math.max(2, Math.floor(r.w / 110)))) {
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
  p.text(s.yLabel, box.x + 12, r.y + r.h / 2, { color: theme.foreground, align: 'center', baseline: 'middle', vertical: true });
  if (s.xLabel) p.text(s.xLabel, r.x + r.w, r.y + r.h + 20, { color: theme.muted, align: 'right', baseline: 'top', size: 10 });
  p.line(r.x - 0.5, r.y, r.x - 0.5, r.y + r.h, theme.foreground, line);
  p.line(r.x, r.y + r.h + 0.5, r.x + r.w, r.y + r.h + 0.5, theme.foreground, line);

  const clampX = (x: number) => Math.max(r.x, Math.min(r.x + r.w, x));
  const clampY = (y: number) => Math.max(r.y, Math.min(r.y + r.h, y));
  let drawn = 0;
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
  if (!drawn && s.empty) p.text(s.empty, r.x + r.w / 2, r.y + r.h / 2, { color: theme.muted, align: 'center', baseline: 'middle' });
  if (s.cursor !== null && s.cursor !== undefined && s.cursor >= s.x0 && s.cursor <= s.x1) {
    const x = X(s.cursor);
    p.line(x, r.y, x, r.y + r.h, theme.cursor, theme.highContrast ? 2 : 1);
  }
}
