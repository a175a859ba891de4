// The Sweep panel: the firing rate against the swept value, one curve per population (and per
// value of a second axis), mean ± SD over seeds as error bars (min–max as a faint band), and
// the sweep's CSV for export. Colours from the VS Code theme; text set with textContent only.
import { el } from '../shared/dom';
import '../shared/panel.css';
import './sweep.css';
import { isSweepPanelMessage, type SweepPanelRequest, type SweepPlot } from '../../protocol/sweep-panel';
import { CanvasPainter } from '../shared/painter';
import { onThemeChange, readTheme, seriesColor } from '../shared/theme';
import { drawSweep } from './plot';
import { button, hint, toolbar } from '../shared/toolbar';

interface Api {
  postMessage(m: SweepPanelRequest): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): Api;
const api: Api = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : { postMessage: () => {}, getState: () => undefined, setState: () => {} };

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
  hint(root, 'Points: mean over seeds (the rate, or the sweep\'s metric such as a readout\'s accuracy); bars: ± SD; faint band: min–max.');
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
