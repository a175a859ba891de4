// The Target Report panel: an emulated run against the float run on the same seed — fidelity per
// population, cores against the chip's per-core limits (a chart), the energy/time estimate with
// its source, each quantisation step with its error, the approximations — and Export JSON.
// Colours from the VS Code theme; every text from the model is set with textContent.
import { el } from '../shared/dom';
import { dataTable, titledSection } from '../shared/report';
import '../shared/panel.css';
import './target-report.css';
import { isTargetReportMessage, isTargetReportState, type TargetReport, type TargetReportRequest, type TargetReportState } from '../../protocol/target-report';
import { CanvasPainter } from '../shared/painter';
import { onThemeChange, readTheme, seriesColor } from '../shared/theme';
import { button, toolbar } from '../shared/toolbar';
import { chartHeight, drawCores } from './chart';
import { coreMetrics, CROSSBAR_HEADER, crossbarRows, energyLines, FIDELITY_HEADER, fidelityRows, QUANT_HEADER, quantRows, resourcesLine, titleLine } from './model';

interface Api {
  postMessage(m: TargetReportRequest): void;
  getState(): unknown;
  setState(s: TargetReportState): void;
}
declare function acquireVsCodeApi(): Api;
const api: Api = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : { postMessage: () => {}, getState: () => undefined, setState: () => {} };

function table(parent: HTMLElement, caption: string, header: string[], rows: string[][], numeric: (col: number) => boolean): void {
  el('p', 'note', parent).textContent = caption;
  dataTable(parent, caption, header, rows, numeric, { className: 'report-table', rowHeaders: true });
}

const section = (parent: HTMLElement, title: string) => titledSection(parent, title, 'report-section');

function main(): void {
  const root = document.getElementById('app');
  if (!root) return;
  const summary = el('span', 'summary');
  const controls = toolbar(root, summary);
  let state: TargetReportState | undefined;
  let document_ = '';
  button(controls, 'Export JSON…', 'Save this report as JSON', () => api.postMessage({ type: 'export-json' }), true);
  const body = el('div', 'report-body', root);
  body.tabIndex = 0;
  body.setAttribute('aria-label', 'Target Report');
  let theme = readTheme();
  let canvas: HTMLCanvasElement | undefined;
  let chartWrap: HTMLElement | undefined;
  const overColor = () => getComputedStyle(document.body).getPropertyValue('--vscode-errorForeground').trim() || '#f14c4c';
  const draw = () => {
    if (!state || !canvas || !chartWrap) return;
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(320, chartWrap.clientWidth);
    const h = chartHeight(state.report);
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    canvas.style.width = `${w}px`;
    canvas.style.height = `${h}px`;
    const g = canvas.getContext('2d');
    if (!g) return;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawCores(new CanvasPainter(g), state.report, w, theme, overColor());
  };
  const show = (r: TargetReport) => {
    state = { document: document_, report: r };
    api.setState(state);
    summary.textContent = titleLine(r);
    body.replaceChildren();

    const fid = section(body, 'Fidelity against the float run (same seed)');
    table(fid, 'Per population: float and chip firing rates, relative rate error, correlation of per-neuron spike counts, mean van Rossum distance', FIDELITY_HEADER, fidelityRows(r), (k) => k > 0);
    el('p', 'note', fid).textContent = 'van Rossum: mean over neurons, τ = 10 ms, dimensionless; 0 = identical spike trains, √(n/2) for n spikes against none.';

    if (r.crossbar) {
      const xb = section(body, 'Crossbars and fault map');
      const c = crossbarRows(r);
      for (const line of c.lines) el('p', 'note', xb).textContent = line;
      table(xb, 'Per connection: its crossbar (rows = sources, columns = targets), stuck devices, and the delivered weights against the model\'s', CROSSBAR_HEADER, c.rows, (k) => k > 1);
      canvas = undefined;
      chartWrap = undefined;
    } else {
      const res = section(body, 'Resources per core');
      el('p', undefined, res).textContent = resourcesLine(r);
      for (const n of r.resources.notes) el('p', 'note', res).textContent = n;
      if (r.violations.length) {
        const ul = el('ul', 'violations', res);
        for (const v of r.violations) el('li', undefined, ul).textContent = `Does not fit (${v.where}): ${v.message}`;
      }
      const legend = el('div', 'legend', res);
      [...new Set(r.resources.cores.map((c) => c.population))].forEach((p, k) => {
        const item = el('span', 'legend-item', legend);
        el('span', 'swatch', item).style.background = seriesColor(theme, k);
        item.append(document.createTextNode(p));
      });
      const limitItem = el('span', 'legend-item', legend);
      el('span', 'swatch limit', limitItem);
      limitItem.append(document.createTextNode('per-core limit (the excess over it in the error colour)'));
      chartWrap = el('div', 'core-chart', res);
      canvas = el('canvas', 'chart', chartWrap);
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', coreMetrics(r).map((m) => `${m.label}: at most ${Math.max(0, ...m.values).toLocaleString('en-US')} of ${m.limit.toLocaleString('en-US')} per core${m.over.length ? `, ${m.over.length} cores over` : ''}`).join('; '));
    }

    const en = section(body, 'Energy and time per simulated second');
    const e = energyLines(r);
    el('p', undefined, en).textContent = e.figure;
    el('p', 'note', en).textContent = e.source;

    const q = section(body, 'Quantisation');
    if (r.quantisation.length) table(q, 'Each conversion from the float model to the chip’s integers, with its relative error', QUANT_HEADER, quantRows(r), (k) => k > 1);
    else el('p', 'note', q).textContent = 'No quantisation steps.';

    const a = section(body, 'Approximations');
    if (r.approximations.length) {
      const ul = el('ul', undefined, a);
      for (const x of r.approximations) el('li', undefined, ul).textContent = x;
    } else el('p', 'note', a).textContent = 'None: the model runs on the chip as written (up to the quantisation above).';
    draw();
  };
  window.addEventListener('message', (ev: MessageEvent) => {
    const m: unknown = ev.data;
    if (!isTargetReportMessage(m)) {
      console.warn('spikeworks target report: dropped a malformed message');
      return;
    }
    document_ = m.document;
    show(m.report);
  });
  new ResizeObserver(() => draw()).observe(body);
  onThemeChange(() => {
    theme = readTheme();
    if (state) show(state.report);
  });
  const saved = api.getState();
  if (isTargetReportState(saved)) {
    document_ = saved.document;
    show(saved.report);
  }
  api.postMessage({ type: 'ready' });
}

if (typeof document !== 'undefined') main();
