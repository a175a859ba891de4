// Drawing the Sweep panel's plot through a Painter (no DOM here: tested in Node).
import type { SweepPlot } from '../../protocol/sweep-panel';
import { niceTicks } from '../shared/format';
import type { Painter } from '../shared/painter';
import { seriesColor, type Theme } from '../shared/theme';

const MARGIN = { left: 62, right: 18, top: 16, bottom: 40 };

/** Draws `plot` into a w × h box through `p`: axes, error bars (± SD) and min–max bands when there are several seeds, the mean curve. */
export function drawSweep(p: Painter, plot: SweepPlot, w: number, h: number, theme: Theme): void {
  p.rect(0, 0, w, h, theme.background);
  const box = { x: MARGIN.left, y: MARGIN.top, w: Math.max(10, w - MARGIN.left - MARGIN.right), h: Math.max(10, h - MARGIN.top - MARGIN.bottom) };
  const xs = plot.curves.flatMap((c) => c.xs);
  const ys = plot.curves.flatMap((c) => [...c.max, ...c.mean.map((m, k) => m + c.sd[k])]);
  if (!xs.length) {
    p.text('no run finished', w / 2, h / 2, { color: theme.muted, align: 'center', baseline: 'middle' });
    return;
  }
  let x0 = Math.min(...xs);
  let x1 = Math.max(...xs);
  if (x1 === x0) [x0, x1] = [x0 - 1, x1 + 1];
  const pad = (x1 - x0) * 0.03;
  x0 -= pad;
  x1 += pad;
  const y0 = 0;
  const y1 = Math.max(1, ...ys) * 1.08;
  const sx = (x: number) => box.x + ((x - x0) / (x1 - x0)) * box.w;
  const sy = (y: number) => box.y + box.h - ((y - y0) / (y1 - y0)) * box.h;
  for (const t of niceTicks(y0, y1, 6)) {
    p.line(box.x, sy(t), box.x + box.w, sy(t), theme.grid, 1);
    p.text(String(+t.toPrecision(6)), box.x - 6, sy(t), { color: theme.muted, align: 'right', baseline: 'middle' });
  }
  for (const t of niceTicks(x0, x1, 8)) {
    p.line(sx(t), box.y + box.h, sx(t), box.y + box.h + 4, theme.muted, 1);
    p.text(String(+t.toPrecision(6)), sx(t), box.y + box.h + 6, { color: theme.muted, align: 'center', baseline: 'top' });
  }
  p.strokeRect(box.x, box.y, box.w, box.h, theme.grid, 1);
  p.text(plot.xLabel, box.x + box.w / 2, h - 4, { color: theme.foreground, align: 'center', baseline: 'bottom' });
  p.text(plot.yLabel ?? 'rate (Hz)', 14, box.y + box.h / 2, { color: theme.foreground, align: 'center', baseline: 'middle', vertical: true });
  plot.curves.forEach((c, k) => {
    const color = seriesColor(theme, k);
    const px = c.xs.map(sx);
    for (let i = 0; i < c.xs.length; i++) {
      if (plot.seeds > 1) {
        p.rect(px[i] - 2, sy(c.max[i]), 4, Math.max(1, sy(c.min[i]) - sy(c.max[i])), color, 0.2);
        p.line(px[i], sy(c.mean[i] - c.sd[i]), px[i], sy(c.mean[i] + c.sd[i]), color, 1.5);
        p.line(px[i] - 4, sy(c.mean[i] + c.sd[i]), px[i] + 4, sy(c.mean[i] + c.sd[i]), color, 1.5);
        p.line(px[i] - 4, sy(c.mean[i] - c.sd[i]), px[i] + 4, sy(c.mean[i] - c.sd[i]), color, 1.5);
      }
      p.rect(px[i] - 3, sy(c.mean[i]) - 3, 6, 6, color);
    }
    p.polyline(px, c.mean.map(sy), c.xs.length, color, 1.5);
  });
}
