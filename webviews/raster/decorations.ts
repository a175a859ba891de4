// Everything around and over the spikes — population bands and labels, time axis, grid,
// simulated-so-far mark, marked neurons and windows, time cursor, brush — drawn through a Painter, so that the screen and
// the SVG export are the same picture.
import type { Painter } from '../shared/painter';
import { countOf, formatCount, formatTime, niceTicks } from '../shared/format';
import { seriesColor, type Theme } from '../shared/theme';
import type { View } from './density';
import type { SpikeStore } from './spike-store';

export interface Geometry {
  /** Whole drawing, CSS pixels. */
  width: number;
  height: number;
  /** Plot rectangle inside it. */
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Decor {
  store: SpikeStore;
  view: View;
  dt: number;
  theme: Theme;
  /** Colour index of each store population. */
  colors: number[];
  /** Steps simulated so far, while running (a mark at that time). */
  runningAt?: number;
  /** Seconds, or null. */
  cursor: number | null;
  brush?: { x0: number; y0: number; x1: number; y1: number };
  /** The Descriptions panel's marks: raster rows of a group's neurons, its exemplar windows (steps). */
  marks?: Marks;
}

export interface Marks {
  rows: number[];
  windows: [number, number][];
}

export const MARGIN = { right: 22, top: 10, bottom: 30 };

/** Room for the neuron-index labels (the largest index of any population) between the names and the plot. */
export function indexWidth(store: SpikeStore | undefined, measure: (s: string, bold: boolean) => number): number {
  const largest = Math.max(0, ...(store?.pops ?? []).map((p) => p.size - 1));
  return Math.ceil(measure(formatCount(largest), false)) + 8;
}

/** Left margin wide enough for the population labels and the neuron-index labels. */
export function leftMargin(store: SpikeStore | undefined, measure: (s: string, bold: boolean) => number): number {
  const widest = Math.max(0, ...(store?.pops ?? []).map((p) => Math.max(measure(p.name, true), measure(countOf(p.size, 'neuron'), false))));
  return Math.ceil(Math.min(240, Math.max(84, widest + 28)) + indexWidth(store, measure));
}

/** Pixels between time ticks, at most (the 1-2-5 grid rounds the step up; labels that would touch are skipped). */
const TIME_TICK_PX = 60;

export function drawDecorations(p: Painter, g: Geometry, d: Decor): void {
  const { store, view, theme } = d;
  const sx = g.w / (view.t1 - view.t0);
  const sy = g.h / (view.r1 - view.r0);
  const line = theme.highContrast ? 1.5 : 1;

  // Time grid and axis.
  const t0 = view.t0 * d.dt;
  const t1 = view.t1 * d.dt;
  const span = t1 - t0;
  // The cursor's time label (drawn below) hides the tick labels it would overlap.
  const cw = d.cursor !== null ? p.measure(formatTime(d.cursor, span)) + 8 : 0;
  const cx = d.cursor !== null ? Math.min(g.x + g.w - cw, Math.max(g.x, g.x + (d.cursor / d.dt - view.t0) * sx - cw / 2)) + cw / 2 : NaN;
  const cursorHalf = cw / 2 + 4;
  let lastRight = -Infinity;
  for (const t of niceTicks(t0, t1, Math.max(3, Math.round(g.w / TIME_TICK_PX)))) {
    const x = g.x + (t / d.dt - view.t0) * sx;
    p.line(x, g.y, x, g.y + g.h, theme.grid, 1, [2, 3]);
    p.line(x, g.y + g.h, x, g.y + g.h + 4, theme.foreground, line);
    const label = formatTime(t, span);
    const half = p.measure(label) / 2;
    const lx = Math.min(g.width - half - 2, x);
    if (Math.abs(lx - cx) < cursorHalf + half) continue;
    if (lx - half < lastRight + 6) continue; // would touch the previous label
    lastRight = lx + half;
    p.text(label, lx, g.y + g.h + 7, { color: theme.muted, align: 'center', baseline: 'top' });
  }
  p.line(g.x, g.y + g.h + 0.5, g.x + g.w, g.y + g.h + 0.5, theme.foreground, line);

  // Population bands, separators, labels; neuron-index ticks in each band's own index.
  const idxW = indexWidth(store, (s, bold) => p.measure(s) * (bold ? 1.05 : 1));
  let lastIndexY = -Infinity;
  store.pops.forEach((pop, k) => {
    const a = Math.max(view.r0, pop.row);
    const b = Math.min(view.r1, pop.row + pop.size);
    if (b <= a) return;
    const ya = g.y + (a - view.r0) * sy;
    const yb = g.y + (b - view.r0) * sy;
    const color = seriesColor(theme, d.colors[k] ?? k);
    p.rect(g.x - 9, ya, 6, Math.max(1, yb - ya), color);
    if (pop.row > view.r0 && pop.row < view.r1) p.line(g.x, ya + 0.5, g.x + g.w, ya + 0.5, theme.grid, 1);
    if (yb - ya >= 13) {
      const mid = (ya + yb) / 2;
      p.text(pop.name, g.x - 14 - idxW, mid - (yb - ya >= 30 ? 6 : 0), { color: theme.foreground, align: 'right', baseline: 'middle', bold: true });
      if (yb - ya >= 30) p.text(countOf(pop.size, 'neuron'), g.x - 14 - idxW, mid + 8, { color: theme.muted, align: 'right', baseline: 'middle', size: 10 });
    }
    // Index i of this population is row pop.row + i, drawn at the middle of its row.
    const i0 = a - pop.row;
    const i1 = b - pop.row;
    const rowY = (i: number) => g.y + (pop.row + i + 0.5 - view.r0) * sy;
    const ticks = niceTicks(i0, i1 - 1, Math.max(1, Math.floor((yb - ya) / 36))).filter((i) => Number.isInteger(i) && i >= i0 && i < i1);
    for (const i of ticks) {
      const y = rowY(i);
      if (y - lastIndexY < 12 || y < g.y - 1 || y > g.y + g.h + 1) continue;
      lastIndexY = y;
      p.line(g.x - 3, y, g.x, y, theme.foreground, line);
      p.text(formatCount(i), g.x - 12, y, { color: theme.muted, align: 'right', baseline: 'middle', size: 10 });
    }
  });
  p.line(g.x - 0.5, g.y, g.x - 0.5, g.y + g.h, theme.foreground, line);

  if (d.marks) drawMarks(p, g, d, d.marks, sx, sy);

  // Simulated so far.
  if (d.runningAt !== undefined && d.runningAt > view.t0 && d.runningAt < view.t1) {
    const x = g.x + (d.runningAt - view.t0) * sx;
    p.line(x, g.y, x, g.y + g.h, theme.focus, 1.5, [6, 4]);
  }

  // Time cursor.
  if (d.cursor !== null) {
    const x = g.x + (d.cursor / d.dt - view.t0) * sx;
    if (x >= g.x && x <= g.x + g.w) {
      p.line(x, g.y, x, g.y + g.h, theme.cursor, theme.highContrast ? 2 : 1);
      const label = formatTime(d.cursor, span);
      const w = p.measure(label) + 8;
      const lx = Math.min(g.x + g.w - w, Math.max(g.x, x - w / 2));
      p.rect(lx, g.y + g.h + 4, w, 16, theme.background);
      p.strokeRect(lx, g.y + g.h + 4, w, 16, theme.cursor);
      p.text(label, lx + w / 2, g.y + g.h + 12, { color: theme.foreground, align: 'center', baseline: 'middle' });
    }
  }

  if (d.brush) {
    const { x0, y0, x1, y1 } = d.brush;
    p.rect(Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0), Math.abs(y1 - y0), theme.focus, 0.15);
    p.strokeRect(Math.min(x0, x1), Math.min(y0, y1), Math.abs(x1 - x0), Math.abs(y1 - y0), theme.focus, 1);
  }
}

/**
 * A described group: its exemplar windows shaded with an edge line each, its neurons ticked in
 * the right margin (so that they show at any zoom) and, when they are not every row in view,
 * their rows tinted across the plot.
 */
function drawMarks(p: Painter, g: Geometry, d: Decor, m: Marks, sx: number, sy: number): void {
  const { view, theme } = d;
  for (const [a, b] of m.windows) {
    const xa = Math.max(g.x, g.x + (a - view.t0) * sx);
    const xb = Math.min(g.x + g.w, g.x + (b - view.t0) * sx);
    if (xb <= xa) continue;
    p.rect(xa, g.y, Math.max(1, xb - xa), g.h, theme.focus, 0.16);
    if (a >= view.t0) p.line(xa, g.y, xa, g.y + g.h, theme.focus, 1);
    if (b <= view.t1) p.line(xb, g.y, xb, g.y + g.h, theme.focus, 1);
  }
  const h = Math.max(1.5, sy);
  const inView = m.rows.filter((r) => r + 1 > view.r0 && r < view.r1);
  const tint = sy >= 3 && inView.length < 0.9 * (view.r1 - view.r0);
  for (const r of inView) {
    const y = g.y + (r - view.r0) * sy;
    if (tint) p.rect(g.x, y, g.w, sy, theme.focus, 0.1);
    p.rect(g.x + g.w + 4, y, 7, h, theme.focus);
  }
}
