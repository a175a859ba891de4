// The traces panel: probed variables over time (units on the axis), the population rate
// histogram and the ISI distribution of the spikes in the time window. Streams while the run
// goes on, shares the time cursor with the raster, takes the raster's selected window, zooms
// and pans in time (wheel, drag, keyboard), exports PNG / SVG / CSV.
import { el } from '../shared/dom';
import { Growable, growableInt32 } from '../../protocol/growable';
import '../shared/panel.css';
import './traces.css';
import type { PanelState, PreviousRun, RunInfo, TraceChunk, TraceInfo } from '../../protocol/panel-data';
import type { PopulationSpikes } from '../../protocol/sim';
import { countOf, formatTime } from '../shared/format';
import { drawExportHeader, exportScale, exportSubtitle, HEADER_HEIGHT } from '../shared/export-frame';
import { post } from '../shared/host';
import { CanvasPainter, SvgPainter, type Painter } from '../shared/painter';
import { RunPanel } from '../shared/run-panel';
import { seriesColor } from '../shared/theme';
import { button, exportControls, helpToggle, hint, select, toolbar, type ExportFormat, type Select } from '../shared/toolbar';
import { drawChart, plotRect, type Box, type ChartSpec, type LegendEntry, type Series } from './chart';
import { isiHistogram, populationRate } from './stats';
import { PREVIOUS_OPACITY, tracesCsv, traceChartSpec, type Trace } from './trace-spec';

const CHART_HEIGHT = 200;
const ISI_BINS = 40;

interface Pop {
  name: string;
  size: number;
  color: number;
  steps: Growable<Int32Array>;
  neurons: Growable<Int32Array>;
}

type ChartKind = { kind: 'trace'; trace: Trace } | { kind: 'hist'; trace: Trace } | { kind: 'rate' } | { kind: 'isi' };

class TracesApp extends RunPanel {
  private pops: Pop[] = [];
  /** Index into `pops` of each recorded population, by name (derived once per run). */
  private popIndex = new Map<string, number>();
  private traces: Trace[] = [];
  private window: [number, number] = [0, 1];
  private binMs = 5;
  private charts: { spec: ChartKind; canvas: HTMLCanvasElement }[] = [];
  private scheduled = false;
  private drag?: { x: number; window: [number, number]; moved: boolean; width: number };

  private summary = el('span', 'summary');
  /** The time window the charts show (data-from / data-to in seconds). */
  private windowLabel = el('span', 'window-label');
  private body = el('div', 'charts');
  private binSelect: Select;
  /** The previous run of the file, and whether it is overlaid ("Compare runs"). */
  private prev?: { info: RunInfo; stepsDone: number; pops: { name: string; size: number; steps: Int32Array }[]; traces: Trace[] };
  private compare = false;
  private compareButton: HTMLElement;

  constructor(root: HTMLElement) {
    super();
    const bar = toolbar(root, this.summary, this.windowLabel);
    const binLabel = el('label', 'bin-label', bar);
    binLabel.textContent = 'Rate bin';
    this.binSelect = select(bar, 'Rate histogram bin', ['1', '2', '5', '10', '20', '50'].map((v) => [v, `${v} ms`]), String(this.binMs));
    this.binSelect.addEventListener('change', () => {
      const v = Number(this.binSelect.value);
      if (v > 0) this.binMs = v;
      this.requestRender();
    });
    this.compareButton = button(bar, 'Compare', 'Overlay the previous run of this file (dimmed): traces and rates before and after an edit', () => this.setCompare(!this.compare));
    this.compareButton.setAttribute('aria-pressed', 'false');
    this.compareButton.setAttribute('disabled', '');
    button(bar, 'Reset view', 'Show the whole run (0)', () => this.setWindow(this.fullWindow()));
    exportControls(bar, 'Save the charts as PNG or SVG, or the data in the window as CSV', (format) => this.export(format));
    root.append(this.body);
    this.body.append(this.message);
    helpToggle(bar, hint(root, 'Wheel: zoom time · drag: pan · click: pin cursor · double-click: whole run · keys (chart focused): ←/→ pan · +/− zoom · 0 whole run · , and . move the cursor · Esc hide the cursor'));
    new ResizeObserver(() => this.requestRender()).observe(this.body);
    window.addEventListener('mousemove', (e) => this.dragMove(e));
    window.addEventListener('mouseup', (e) => this.dragEnd(e));
  }

  // ---- messages ---------------------------------------------------------------------------

  protected addSpikes(spikes: PopulationSpikes[]): void {
    for (const s of spikes) {
      const p = this.pops[this.popIndex.get(s.name) ?? -1];
      if (!p) continue;
      p.steps.append(s.steps);
      p.neurons.append(s.neurons);
    }
    this.updateSummary();
    this.requestRender();
  }

  protected override addSamples(chunks: TraceChunk[]): void {
    for (const c of chunks) this.addTraceSamples(c.trace, c.from, c.data);
    this.requestRender();
  }

  protected statusChanged(apply: () => void): void {
    const [a, b] = this.fullWindow();
    const wasFull = Math.abs(this.window[0] - a) < 1e-12 && Math.abs(this.window[1] - b) < 1e-12;
    apply();
    if (wasFull) this.window = this.fullWindow();
    this.updateSummary();
    this.requestRender();
  }

  protected showEmpty(): void {
    this.pops = [];
    this.traces = [];
    this.buildCharts();
    this.updateSummary();
  }

  protected override showPrevious(previous: PreviousRun | null): void {
    if (!previous) this.prev = undefined;
    else {
      const traces: Trace[] = previous.chunks.map((c) => ({ info: c.trace, data: c.data, samples: c.data.length / c.trace.neurons.length }));
      this.prev = { info: previous.run, stepsDone: previous.stepsDone, pops: previous.spikes.map((s) => ({ name: s.name, size: s.size, steps: s.steps })), traces };
    }
    if (this.prev) this.compareButton.removeAttribute('disabled');
    else {
      this.compareButton.setAttribute('disabled', '');
      this.setCompare(false);
    }
    this.compareButton.title = this.prev ? `Overlay the previous run of this file (seed ${this.prev.info.seed}), dimmed` : 'No earlier run of this file in this session';
    this.requestRender();
  }

  private setCompare(on: boolean): void {
    this.compare = on && !!this.prev;
    this.compareButton.setAttribute('aria-pressed', String(this.compare));
    this.compareButton.textContent = this.compare ? 'Compare: on' : 'Compare';
    this.requestRender();
  }

  protected showWindow(from: number, to: number): void {
    this.setWindow([from, to]);
  }

  protected showRun(run: RunInfo, saved: PanelState['view']): void {
    const recorded = this.recordedPopulations(run);
    this.pops = recorded.map((p) => ({ name: p.name, size: p.size, color: p.k, steps: growableInt32(), neurons: growableInt32() }));
    this.popIndex = new Map(recorded.map((p, i) => [p.name, i]));
    this.traces = [];
    this.window = saved ? [saved.t0, saved.t1] : this.fullWindow();
    this.showMessage('');
    this.buildCharts();
    this.updateSummary();
  }

  protected viewState(): PanelState['view'] {
    return { t0: this.window[0], t1: this.window[1] };
  }

  private addTraceSamples(info: TraceInfo, from: number, data: Float32Array): void {
    const n = info.neurons.length;
    let t = this.traces.find((x) => x.info.population === info.population && x.info.variable === info.variable);
    if (!t) {
      t = { info, data: new Float32Array(Math.max(1024, data.length)), samples: 0 };
      this.traces.push(t);
      this.buildCharts();
    }
    if (from > t.samples) return;
    const end = (from + data.length / n) * n;
    if (end > t.data.length) {
      const b = new Float32Array(Math.max(t.data.length * 2, end));
      b.set(t.data.subarray(0, t.samples * n));
      t.data = b;
    }
    t.data.set(data, from * n);
    t.samples = Math.max(t.samples, from + data.length / n);
  }

  /** The whole run, or what was simulated of a run that stopped early. */
  private fullWindow(): [number, number] {
    if (!this.info) return [0, 1];
    const steps = this.status === 'running' || !this.stepsDone ? this.info.steps : Math.min(this.info.steps, this.stepsDone);
    return [0, steps * this.info.dt];
  }

  private updateSummary(): void {
    const s = this.summary;
    s.replaceChildren();
    if (!this.info) {
      s.textContent = 'No run';
      return;
    }
    const name = el('strong', undefined, s);
    name.textContent = this.info.fileName;
    const meta = el('span', 'meta', s);
    const spikes = this.pops.reduce((a, p) => a + p.steps.length, 0);
    const state = this.statusText();
    meta.textContent = ` seed ${this.info.seed} · ${countOf(spikes, 'spike')} · ${state}`;
  }

  private updateWindowLabel(): void {
    const [a, b] = this.window;
    const l = this.windowLabel;
    l.hidden = !this.info;
    l.dataset.from = String(a);
    l.dataset.to = String(b);
    l.textContent = `window ${formatTime(a, b - a)} – ${formatTime(b, b - a)}`;
  }

  // ---- charts -----------------------------------------------------------------------------

  private buildCharts(): void {
    for (const c of this.charts) c.canvas.remove();
    const specs: ChartKind[] = [...this.traces.flatMap((trace): ChartKind[] => (trace.info.synapses ? [{ kind: 'trace', trace }, { kind: 'hist', trace }] : [{ kind: 'trace', trace }])), ...(this.pops.length ? [{ kind: 'rate' as const }, { kind: 'isi' as const }] : [])];
    this.charts = specs.map((spec) => {
      const canvas = el('canvas', 'chart', this.body);
      canvas.tabIndex = 0;
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', spec.kind === 'trace' ? `${spec.trace.info.variable} of ${spec.trace.info.population}` : spec.kind === 'hist' ? `Distribution of ${spec.trace.info.variable} of ${spec.trace.info.population} at the cursor` : spec.kind === 'rate' ? 'Population rate' : 'Inter-spike interval distribution');
      if (spec.kind !== 'isi' && spec.kind !== 'hist') this.bindTimeChart(canvas);
      return { spec, canvas };
    });
    // No populations yet: the plan has not published them (the run is being built).
    if (this.info?.populations.length && !specs.length) this.showMessage('This model probes no variables and records no spikes.');
    this.requestRender();
  }

  private bindTimeChart(canvas: HTMLCanvasElement): void {
    const frac = (e: MouseEvent) => {
      const b = canvas.getBoundingClientRect();
      const r = plotRect({ x: 0, y: 0, w: b.width, h: b.height });
      return { f: (e.clientX - b.left - r.x) / r.w, inside: e.clientX - b.left >= r.x && e.clientX - b.left <= r.x + r.w, width: r.w };
    };
    const timeAt = (f: number) => this.window[0] + Math.max(0, Math.min(1, f)) * (this.window[1] - this.window[0]);
    canvas.addEventListener('wheel', (e) => {
      if (!this.info) return;
      e.preventDefault();
      const { f } = frac(e);
      const k = Math.exp(Math.max(-1, Math.min(1, e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.002))));
      const at = timeAt(f);
      this.setWindow([at - (at - this.window[0]) * k, at + (this.window[1] - at) * k]);
    }, { passive: false });
    canvas.addEventListener('mousedown', (e) => {
      if (e.button !== 0 || !this.info) return;
      canvas.focus();
      this.drag = { x: e.clientX, window: this.window, moved: false, width: frac(e).width };
    });
    canvas.addEventListener('mousemove', (e) => {
      const { f, inside } = frac(e);
      if (!this.pinned && inside && !this.drag?.moved) this.setCursor(timeAt(f));
    });
    canvas.addEventListener('mouseleave', () => {
      if (!this.pinned && !this.drag) this.setCursor(null);
    });
    canvas.addEventListener('click', (e) => {
      if (this.dragMoved) return;
      const { f, inside } = frac(e);
      if (!inside) return;
      this.pinned = !this.pinned;
      this.setCursor(timeAt(f));
    });
    canvas.addEventListener('dblclick', () => this.setWindow(this.fullWindow()));
    canvas.addEventListener('keydown', (e) => this.key(e));
  }

  private dragMoved = false;
  private dragMove(e: MouseEvent): void {
    const d = this.drag;
    if (!d) return;
    if (Math.abs(e.clientX - d.x) > 3) d.moved = true;
    if (!d.moved) return;
    const span = d.window[1] - d.window[0];
    const shift = (-(e.clientX - d.x) / Math.max(1, d.width)) * span;
    this.setWindow([d.window[0] + shift, d.window[1] + shift]);
  }
  private dragEnd(_e: MouseEvent): void {
    this.dragMoved = !!this.drag?.moved;
    this.drag = undefined;
  }

  private key(e: KeyboardEvent): void {
    const [a, b] = this.window;
    const span = b - a;
    let handled = true;
    if (e.key === 'ArrowLeft') this.setWindow([a - span * 0.1, b - span * 0.1]);
    else if (e.key === 'ArrowRight') this.setWindow([a + span * 0.1, b + span * 0.1]);
    else if (e.key === '+' || e.key === '=') this.setWindow([a + span * 0.1, b - span * 0.1]);
    else if (e.key === '-' || e.key === '_') this.setWindow([a - span * 0.125, b + span * 0.125]);
    else if (e.key === '0' || e.key === 'Home') this.setWindow(this.fullWindow());
    else if (e.key === ',' || e.key === '.') {
      const now = this.cursor ?? (a + b) / 2;
      this.pinned = true;
      this.setCursor(Math.max(a, Math.min(b, now + (e.key === ',' ? -1 : 1) * span * (e.shiftKey ? 0.1 : 0.01))));
    } else if (e.key === 'Escape') {
      this.pinned = false;
      this.setCursor(null);
    } else handled = false;
    if (handled) e.preventDefault();
  }

  private setWindow([a, b]: [number, number]): void {
    const [lo, hi] = this.fullWindow();
    const minSpan = (this.info?.dt ?? 1e-4) * 10;
    let span = Math.min(hi - lo, Math.max(minSpan, b - a));
    if (!Number.isFinite(span)) span = hi - lo;
    const start = Math.max(lo, Math.min(hi - span, Number.isFinite(a) ? a : lo));
    this.window = [start, start + span];
    this.persist();
    this.requestRender();
  }

  requestRender(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.render();
    });
  }

  private render(): void {
    this.updateWindowLabel();
    const dpr = window.devicePixelRatio || 1;
    const width = Math.max(200, Math.floor(this.body.clientWidth));
    for (const c of this.charts) {
      const h = CHART_HEIGHT;
      if (c.canvas.width !== Math.round(width * dpr) || c.canvas.height !== Math.round(h * dpr)) {
        c.canvas.width = Math.round(width * dpr);
        c.canvas.height = Math.round(h * dpr);
        c.canvas.style.width = `${width}px`;
        c.canvas.style.height = `${h}px`;
      }
      const g = c.canvas.getContext('2d')!;
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      g.clearRect(0, 0, width, h);
      const box = { x: 0, y: 0, w: width, h };
      drawChart(new CanvasPainter(g), box, this.chartSpec(c.spec, plotRect(box).w), this.theme);
    }
  }

  private chartSpec(spec: ChartKind, columns: number): ChartSpec {
    if (spec.kind === 'trace') return this.traceSpec(spec.trace, columns);
    if (spec.kind === 'hist') return this.traceSpec(spec.trace, columns).histogram!;
    if (spec.kind === 'rate') return this.rateSpec();
    return this.isiSpec();
  }

  private traceSpec(t: Trace, columns: number): ChartSpec {
    const k = this.pops.findIndex((p) => p.name === t.info.population);
    const previous = this.compare ? this.prev?.traces.find((x) => x.info.population === t.info.population && x.info.variable === t.info.variable) : undefined;
    return traceChartSpec(t, { window: this.window, cursor: this.cursor, columns, theme: this.theme, colorIndex: k >= 0 ? this.pops[k].color : 0, previous, previousLabel: this.prev ? `seed ${this.prev.info.seed}` : undefined });
  }

  private rateSpec(): ChartSpec {
    const info = this.info!;
    const [w0, w1] = this.window;
    const binSteps = Math.max(1, Math.round(this.binMs / 1000 / info.dt));
    const doneSteps = this.status === 'running' ? this.stepsDone : Math.max(this.stepsDone, 0);
    let top = 1;
    const notes: string[] = [];
    const legend: LegendEntry[] = [];
    const series: Series[] = this.pops.map((p) => {
      const rates = populationRate(p.steps.view(), p.size, info.dt, info.steps, binSteps);
      const bins = Math.min(rates.length, Math.floor(doneSteps / binSteps));
      const edges = new Float64Array(bins + 1);
      for (let b = 0; b <= bins; b++) edges[b] = b * binSteps * info.dt;
      let sum = 0;
      let count = 0;
      for (let b = 0; b < bins; b++) {
        const t = (b + 0.5) * binSteps * info.dt;
        if (t >= w0 && t <= w1) {
          if (rates[b] > top) top = rates[b];
          sum += rates[b];
          count++;
        }
      }
      notes.push(`${p.name} ${(count ? sum / count : 0).toFixed(1)} Hz`);
      legend.push({ label: p.name, color: seriesColor(this.theme, p.color), value: `${(count ? sum / count : 0).toFixed(1)} Hz` });
      return { label: p.name, color: seriesColor(this.theme, p.color), xs: edges, ys: rates, n: bins, step: true };
    });
    if (this.compare && this.prev) {
      const prev = this.prev;
      const prevBinSteps = Math.max(1, Math.round(this.binMs / 1000 / prev.info.dt));
      const dimmed: Series[] = prev.pops.flatMap((pp) => {
        const k = this.pops.findIndex((p) => p.name === pp.name);
        if (k < 0) return [];
        const rates = populationRate(pp.steps, pp.size, prev.info.dt, prev.info.steps, prevBinSteps);
        const bins = Math.min(rates.length, Math.floor(prev.stepsDone / prevBinSteps));
        const edges = new Float64Array(bins + 1);
        for (let b = 0; b <= bins; b++) edges[b] = b * prevBinSteps * prev.info.dt;
        for (let b = 0; b < bins; b++) if (rates[b] > top && edges[b] >= w0 && edges[b] <= w1) top = rates[b];
        return [{ label: `${pp.name} (previous run)`, color: seriesColor(this.theme, this.pops[k].color), xs: edges, ys: rates, n: bins, step: true, opacity: PREVIOUS_OPACITY }];
      });
      series.unshift(...dimmed);
      legend.push({ label: `previous (seed ${prev.info.seed})`, color: this.theme.muted });
    }
    return {
      title: `Population rate · ${this.binMs} ms bins`,
      note: `mean in window: ${notes.join(' · ')}`,
      xLabel: 'time',
      yLabel: 'rate (Hz)',
      x0: w0,
      x1: w1,
      y0: 0,
      y1: top * 1.08,
      xFormat: formatTime,
      series,
      legend,
      cursor: this.cursor,
      empty: 'no spikes yet',
    };
  }

  private isiSpec(): ChartSpec {
    const info = this.info!;
    const [w0, w1] = this.window;
    const s0 = Math.floor(w0 / info.dt);
    const s1 = Math.ceil(w1 / info.dt);
    const hists = this.pops.map((p) => isiHistogram(p.steps.view(), p.neurons.view(), p.size, info.dt, ISI_BINS, s0, s1, undefined, true));
    const maxIsi = Math.max(0, ...hists.map((h) => h.edges[h.edges.length - 1]));
    // Same bins for every population: redo with the common range.
    const common = maxIsi > 0 ? this.pops.map((p) => isiHistogram(p.steps.view(), p.neurons.view(), p.size, info.dt, ISI_BINS, s0, s1, maxIsi, true)) : hists;
    let top = 0;
    const series: Series[] = common.map((h, k) => {
      const ys = Array.from(h.counts, (c) => (h.n ? c / h.n : 0));
      for (const y of ys) top = Math.max(top, y);
      return { label: this.pops[k].name, color: seriesColor(this.theme, this.pops[k].color), xs: Array.from(h.edges, (e) => e * 1000), ys, n: h.n ? h.counts.length : 0, step: true };
    });
    const note = common.map((h, k) => `${this.pops[k].name}: ${countOf(h.n, 'ISI')}, CV ${h.cv === null ? '–' : h.cv.toFixed(2)}`).join(' · ');
    return {
      title: `ISI distribution · ${formatTime(w0, w1 - w0)} – ${formatTime(w1, w1 - w0)}`,
      note,
      xLabel: 'interval (log scale)',
      yLabel: 'fraction',
      xLog: true,
      x0: info.dt * 1000,
      x1: maxIsi > 0 ? maxIsi * 1000 : 10,
      y0: 0,
      y1: top > 0 ? top * 1.1 : 1,
      xFormat: (v) => `${+v.toPrecision(3)} ms`,
      series,
      legend: common.map((h, k) => ({ label: this.pops[k].name, color: seriesColor(this.theme, this.pops[k].color), value: `CV ${h.cv === null ? '–' : h.cv.toFixed(2)}` })),
      empty: 'fewer than two spikes per neuron in the window',
    };
  }

  // ---- export -----------------------------------------------------------------------------

  private export(format: ExportFormat): void {
    if (!this.info) return;
    const [w0, w1] = this.window;
    const base = `${this.info.fileName.replace(/\.snn$/, '')}-traces-${(w0 * 1000).toFixed(0)}-${(w1 * 1000).toFixed(0)}ms`;
    const width = Math.max(200, Math.floor(this.body.clientWidth));
    if (format === 'csv') {
      post({ type: 'export', format, fileName: `${base}.csv`, data: this.csv() });
      return;
    }
    const total = this.charts.length * CHART_HEIGHT;
    const drawAll = (p: Painter, top: number) =>
      this.charts.forEach((c, k) => {
        const box: Box = { x: 0, y: top + k * CHART_HEIGHT, w: width, h: CHART_HEIGHT };
        drawChart(p, box, this.chartSpec(c.spec, plotRect(box).w), this.theme);
      });
    const legend = this.pops.map((p) => ({ label: p.name, color: seriesColor(this.theme, p.color) }));
    const subtitle = exportSubtitle(this.info, this.status === 'running' ? this.stepsDone : this.stepsDone || this.info.steps, `traces ${formatTime(w0, w1 - w0)} – ${formatTime(w1, w1 - w0)}`);
    const header = (p: Painter) => drawExportHeader(p, width, this.info!, subtitle, legend, this.theme);
    const height = HEADER_HEIGHT + total;
    if (format === 'svg') {
      const svg = new SvgPainter(document.createElement('canvas').getContext('2d')!);
      header(svg);
      drawAll(svg, HEADER_HEIGHT);
      post({ type: 'export', format, fileName: `${base}.svg`, data: svg.document(width, height, this.theme.background) });
      return;
    }
    const scale = exportScale(window.devicePixelRatio);
    const c = document.createElement('canvas');
    c.width = Math.round(width * scale);
    c.height = Math.round(height * scale);
    const g = c.getContext('2d')!;
    g.fillStyle = this.theme.background;
    g.fillRect(0, 0, c.width, c.height);
    g.setTransform(scale, 0, 0, scale, 0, 0);
    const painter = new CanvasPainter(g);
    header(painter);
    drawAll(painter, HEADER_HEIGHT);
    post({ type: 'export', format, fileName: `${base}.png`, data: c.toDataURL('image/png') });
  }

  private csv(): string {
    const info = this.info!;
    return tracesCsv(this.traces, this.pops.map((p) => ({ name: p.name, size: p.size, steps: p.steps.view() })), { dt: info.dt, steps: info.steps, stepsDone: this.stepsDone, binMs: this.binMs, window: this.window });
  }
}

const root = document.getElementById('app') ?? document.body;
new TracesApp(root).listen();
