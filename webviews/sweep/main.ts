// The Sweep panel: the firing rate against the swept value, one curve per population (and per
// value of a second axis), mean ± SD over seeds as error bars (min–max as a faint band), and
// the sweep's CSV for export. Colours from the VS Code theme; text set with textContent only.
import { el } from '../shared/dom';
import '../shared/panel.css';
import './sweep.css';
import { isSweepPanelMessage, type SweepPanelRequest, type SweepPlot } from '../../protocol/sweep-panel';
import { niceTicks } from '../shared/format';
import { CanvasPainter, type Painter } from '../shared/painter';
import { onThemeChange, readTheme, seriesColor, type Theme } from '../shared/theme';
import { button, hint, toolbar } from '../shared/toolbar';

interface Api {
  postMessage(m: SweepPanelRequest): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): Api;
const api: Api = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : { postMessage: () => {}, getState: () => undefined, setState: () => {} };

const MARGIN = { left: 62, right: 18, top: 16, bottom: 40 };

/** Draws `plot` into a w × h box through `p`. Exported for tests. */
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
  p.text('rate (Hz)', 14, box.y + box.h / 2, { color: theme.foreground, align: 'center', baseline: 'middle', vertical: true });
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

function main(): void {
  const root = document.getElementById('app');
  if (!root) return;
  const summary = el('span', 'summary');
  const legend = el('span', 'legend');
  const controls = toolbar(root, summary, legend);
  let plot: SweepPlot | undefined;
  button(controls, 'Export CSV…', 'Save the sweep as CSV (one row per point and seed)', () => api.postMessage({ type: 'export-csv' }), true);
  const wrap = el('div', 'sweep-plot', root);
  const canvas = el('canvas', 'chart', wrap);
  hint(root, 'Points: mean rate over seeds; bars: ± SD; faint band: min–max.');
  let theme = readTheme();
  const draw = () => {
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(200, wrap.clientWidth);
    const h = Math.max(160, wrap.clientHeight);
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    canvas.style.width = `${w}px`;
    canvas.style.height = `${h}px`;
    const g = canvas.getContext('2d');
    if (!g) return;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    if (plot) drawSweep(new CanvasPainter(g), plot, w, h, theme);
  };
  const show = (p: SweepPlot) => {
    plot = p;
    summary.textContent = `${p.title}: ${p.runsDone} of ${p.runsTotal} runs, ${p.seeds} seed${p.seeds === 1 ? '' : 's'} per point${p.cancelled ? ' (stopped early)' : ''}`;
    legend.replaceChildren();
    p.curves.forEach((c, k) => {
      const item = el('span', 'legend-item', legend);
      const swatch = el('span', 'swatch', item);
      swatch.style.background = seriesColor(theme, k);
      item.append(document.createTextNode(c.label));
    });
    api.setState({ plot: p });
    draw();
  };
  window.addEventListener('message', (e: MessageEvent) => {
    const m: unknown = e.data;
    if (!isSweepPanelMessage(m)) {
      console.warn('spikeworks sweep panel: dropped a malformed message');
      return;
    }
    show(m.plot);
  });
  new ResizeObserver(() => draw()).observe(wrap);
  onThemeChange(() => {
    theme = readTheme();
    if (plot) show(plot);
  });
  const saved = api.getState() as { plot?: unknown } | undefined;
  if (saved && isSweepPanelMessage({ type: 'sweep', plot: saved.plot })) show(saved.plot as SweepPlot);
  api.postMessage({ type: 'ready' });
}

if (typeof document !== 'undefined') main();
