// The Target Report's resource chart through a Painter (no DOM: tested in Node): one strip per
// metric (neurons, input axons, output axons, synapse bits), one bar per core coloured by
// population, the limit as a dashed line; the part of a bar over its limit is drawn in the error
// colour and the bar outlined in it.
import type { TargetReport } from '../../protocol/target-report';
import type { Painter } from '../shared/painter';
import { seriesColor, type Theme } from '../shared/theme';
import { coreMetrics } from './model';

export const CHART = { left: 140, right: 16, top: 8, strip: 74, gap: 14, bottom: 30 };

/** Height the chart needs for `r`. */
export function chartHeight(r: TargetReport): number {
  const n = coreMetrics(r).length;
  return CHART.top + n * CHART.strip + (n - 1) * CHART.gap + CHART.bottom;
}

const short = (x: number): string => (x >= 1e6 ? `${+(x / 1e6).toPrecision(3)} M` : x >= 1e4 ? `${+(x / 1e3).toPrecision(3)} k` : x.toLocaleString('en-US'));

/** Draws the per-core resources of `r` into a w × chartHeight(r) box. `over` colours the excess of bars over their limit. */
export function drawCores(p: Painter, r: TargetReport, w: number, theme: Theme, over: string): void {
  const metrics = coreMetrics(r);
  const h = chartHeight(r);
  p.rect(0, 0, w, h, theme.background);
  const cores = r.resources.cores;
  const pops = [...new Set(cores.map((c) => c.population))];
  const x0 = CHART.left;
  const bw = Math.max(10, w - CHART.left - CHART.right);
  const slot = bw / Math.max(1, cores.length);
  const bar = Math.max(1, Math.min(40, slot * 0.7));
  metrics.forEach((m, k) => {
    const top = CHART.top + k * (CHART.strip + CHART.gap);
    const ymax = Math.max(m.limit, ...m.values) * 1.1;
    const sy = (v: number) => top + CHART.strip - (v / ymax) * CHART.strip;
    p.line(x0, top + CHART.strip, x0 + bw, top + CHART.strip, theme.grid, 1);
    p.text(m.label, x0 - 8, top + 4, { color: theme.foreground, align: 'right', baseline: 'top' });
    const peak = Math.max(0, ...m.values);
    p.text(`max ${short(peak)} (${((peak / m.limit) * 100).toFixed(1)} %)`, x0 - 8, top + 20, { color: m.over.length ? over : theme.muted, align: 'right', baseline: 'top', size: 11 });
    cores.forEach((c, i) => {
      const v = m.values[i];
      const x = x0 + i * slot + (slot - bar) / 2;
      const y = sy(v);
      const color = seriesColor(theme, pops.indexOf(c.population));
      if (!m.over.includes(i)) {
        p.rect(x, y, bar, top + CHART.strip - y, color);
        return;
      }
      // Over the limit: the population's colour up to it, the excess in the error colour, outlined.
      const yl = sy(m.limit);
      p.rect(x, yl, bar, top + CHART.strip - yl, color);
      p.rect(x, y, bar, yl - y, over);
      p.strokeRect(x, y, bar, top + CHART.strip - y, over, 1.5);
    });
    p.line(x0, sy(m.limit), x0 + bw, sy(m.limit), over, 1.5, [5, 4]);
    p.text(`limit ${short(m.limit)}`, x0 + bw, sy(m.limit) - 2, { color: theme.muted, align: 'right', baseline: 'bottom', size: 11 });
  });
  const base = CHART.top + metrics.length * CHART.strip + (metrics.length - 1) * CHART.gap;
  const every = Math.max(1, Math.ceil(cores.length / Math.max(1, Math.floor(bw / 36))));
  cores.forEach((c, i) => {
    if (i % every) return;
    p.text(String(c.core), x0 + (i + 0.5) * slot, base + 4, { color: theme.muted, align: 'center', baseline: 'top', size: 11 });
  });
  p.text('core', x0 - 8, base + 4, { color: theme.muted, align: 'right', baseline: 'top', size: 11 });
}
