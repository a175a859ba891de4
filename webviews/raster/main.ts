// The spike raster panel: receives a run's spikes as they stream in, draws them (WebGL, or a 2D
// canvas), and lets the user zoom / pan both axes (wheel, drag, keyboard), select a window
// (Shift+drag), share a time cursor with the traces panel, hover for population / neuron /
// time, jump to a population's definition, and export PNG / SVG / CSV. The Descriptions panel's
// row marks a group's neurons and its exemplar windows here (protocol/raster.ts highlight): the
// view zooms to the first window, n / Shift+N step through them, and the marks survive a reload.
import { el } from '../shared/dom';
import '../shared/panel.css';
import './raster.css';
import type { PanelState, RunInfo } from '../../protocol/panel-data';
import type { PopulationSpikes } from '../../protocol/sim';
import { countOf, formatCount, formatTime } from '../shared/format';
import { drawExportHeader, exportScale, exportSubtitle, HEADER_HEIGHT } from '../shared/export-frame';
import { onMessage, post } from '../shared/host';
import { isRasterHighlight, isToRaster, type RasterHighlight, type ToRaster } from '../../protocol/raster';
import { CanvasPainter, SvgPainter } from '../shared/painter';
import { RunPanel } from '../shared/run-panel';
import { rgb, seriesColor } from '../shared/theme';
import { button, exportControls, helpToggle, hint, toolbar, type ExportFormat } from '../shared/toolbar';
import { drawDecorations, leftMargin, MARGIN, type Geometry, type Marks } from './decorations';
import { densityImage, type DensityFrame, type View } from './density';
import { spikePaths, spikesCsv } from './export';
import { colourPixels, createRenderer, type PlotRenderer } from './render';
import { SpikeStore } from './spike-store';
import { clampView, fullView, pan, sameView, zoom } from './view';

class RasterApp extends RunPanel {
  private store?: SpikeStore;
  /** Store population index of each recorded population, by name (derived once per run). */
  private storeIndex = new Map<string, number>();
  private colors: number[] = [];
  private view: View = { t0: 0, t1: 1, r0: 0, r1: 1 };
  private history: View[] = [];
  private bg: [number, number, number] = rgb(this.theme.background);
  private renderer: PlotRenderer;
  private frame?: DensityFrame;
  private geometry: Geometry = { width: 1, height: 1, x: 0, y: 0, w: 1, h: 1 };
  private brush?: { x0: number; y0: number; x1: number; y1: number };
  private drag?: { x: number; y: number; view: View; moved: boolean; brush: boolean };
  private scheduled = false;
  /** Milliseconds each of the last frames took (the bench reads them). */
  readonly frameMs: number[] = [];
  /** Where the last frame's time went (ms). */
  lastTimings = { layout: 0, density: 0, draw: 0, overlay: 0 };
  private preparing = false;
  /** What the plot canvas shows (view, size, spikes held, colours; a theme change clears it): unchanged → not redrawn. */
  private plotKey = '';

  /** The Descriptions panel's marks, for run `markRun`; the exemplar window shown last. */
  private marks?: RasterHighlight;
  private markRun?: string;
  private markAt = 0;
  private markNote = el('span', 'marks');
  private clearMarks: HTMLElement;

  private summary = el('span', 'summary');
  private legend = el('div', 'legend');
  private plot = el('div', 'plot');
  private overlay: HTMLCanvasElement;
  private tooltip = el('div', 'tooltip');

  constructor(root: HTMLElement, force?: 'webgl' | 'canvas') {
    super();
    const bar = toolbar(root, this.summary, this.legend);
    button(bar, 'Reset view', 'Show the whole run (0)', () => this.setView(fullView(this.extent())));
    button(bar, 'Back', 'Previous view (Backspace)', () => this.back());
    exportControls(bar, 'Save the view as PNG, SVG or the spikes in view as CSV', (format) => this.export(format));
    this.clearMarks = button(bar, 'Clear marks', 'Remove the marked neurons and exemplar windows', () => this.mark(this.markRun ?? '', null));
    this.clearMarks.hidden = true;
    bar.append(this.markNote);
    this.markNote.id = 'raster-marks';

    root.append(this.plot);
    this.plot.tabIndex = 0;
    this.plot.setAttribute('role', 'img');
    this.plot.setAttribute('aria-label', 'Spike raster. Arrow keys pan, plus and minus zoom time, Shift with plus and minus zooms neurons, 0 resets, comma and period move the time cursor, n and Shift+N step through the windows the Descriptions panel marked.');
    const density = el('canvas', 'density', this.plot);
    this.renderer = createRenderer(density, force);
    this.overlay = el('canvas', 'overlay', this.plot);
    this.plot.append(this.tooltip, this.message);
    this.tooltip.hidden = true;
    this.plot.dataset.renderer = this.renderer.kind;
    helpToggle(bar, hint(root, 'Marks from the Descriptions panel: n / Shift+N next / previous exemplar window · Wheel: zoom time · Shift+wheel: zoom neurons · drag: pan · Shift+drag: select a window · click: pin cursor · Ctrl+click: go to population · double-click: whole run · keys (plot focused): ←/→ ↑/↓ pan · +/− zoom time · Shift +/− zoom neurons · 0 whole run · Backspace: previous view · , and . move the cursor · Esc hide the cursor'));
    new ResizeObserver(() => this.requestRender()).observe(this.plot);
    this.bindInput();
  }

  protected override themeChanged(): void {
    this.bg = rgb(this.theme.background);
    this.plotKey = '';
    this.renderLegend();
    this.requestRender();
  }

  // ---- messages ---------------------------------------------------------------------------

  /** The run's messages and the raster's own (marks), each checked on arrival. */
  override listen(): void {
    onMessage<ToRaster>((m) => (m.type === 'highlight' ? this.mark(m.runId, m.highlight) : this.handle(m)), window, isToRaster);
    post({ type: 'ready' });
  }

  /** Marks a group's neurons and windows (null clears) and zooms to its first window. */
  private mark(runId: string, h: RasterHighlight | null): void {
    if (!this.info || runId !== this.info.runId) return;
    this.marks = h ?? undefined;
    this.markRun = h ? runId : undefined;
    this.markAt = 0;
    this.updateMarks();
    if (h && h.windows.length) this.showMarkedWindow(0);
    this.persist();
    this.requestRender();
  }

  /** Zooms to exemplar window `i` (half its length either side), the rows of its population. */
  private showMarkedWindow(i: number): void {
    const m = this.marks;
    if (!m || !m.windows.length || !this.info || !this.store) return;
    this.markAt = ((i % m.windows.length) + m.windows.length) % m.windows.length;
    const [a, b] = m.windows[this.markAt];
    const pad = (b - a) / 2;
    const k = this.storeIndex.get(m.population);
    const pop = k === undefined ? undefined : this.store.pops[k];
    this.setView({ t0: (a - pad) / this.info.dt, t1: (b + pad) / this.info.dt, r0: pop ? pop.row : this.view.r0, r1: pop ? pop.row + pop.size : this.view.r1 });
    this.updateMarks();
  }

  /** The marks in the raster's rows and steps (neurons outside the population left out). */
  private marksDecor(): Marks | undefined {
    const m = this.marks;
    const k = m && this.storeIndex.get(m.population);
    if (!m || k === undefined || !this.store || !this.info) return undefined;
    const pop = this.store.pops[k];
    const dt = this.info.dt;
    return { rows: m.units.filter((u) => u < pop.size).map((u) => pop.row + u), windows: m.windows.map(([a, b]): [number, number] => [a / dt, b / dt]) };
  }

  private updateMarks(): void {
    const m = this.marks;
    this.clearMarks.hidden = !m;
    this.markNote.textContent = m
      ? ` · marked: ${m.population} ${m.label} · ${countOf(m.units.length, 'neuron')} · window ${this.markAt + 1} of ${m.windows.length} (n / Shift+N: next / previous)`
      : '';
    this.plot.dataset.markedUnits = m ? String(m.units.length) : '';
    this.plot.dataset.markedWindows = m ? String(m.windows.length) : '';
    if (m && this.store && this.storeIndex.get(m.population) === undefined) this.markNote.textContent += ` (${m.population} is not recorded in this run)`;
  }

  protected override restoreState(saved: PanelState): void {
    if (!isRasterHighlight(saved.highlight)) return;
    this.marks = saved.highlight;
    this.markRun = saved.runId;
    this.updateMarks();
  }

  protected override extraState(): Partial<PanelState> {
    return this.marks ? { highlight: this.marks } : {};
  }

  protected addSpikes(spikes: PopulationSpikes[]): void {
    if (!this.store) return;
    for (const s of spikes) {
      const k = this.storeIndex.get(s.name);
      if (k !== undefined) this.store.append(k, s.steps, s.neurons);
    }
    this.updateSummary();
    this.requestRender();
    this.schedulePrepare();
  }

  protected statusChanged(apply: () => void): void {
    const wasFull = sameView(this.view, fullView(this.extent()));
    apply();
    // A run that stopped early: the whole-run view becomes the part that was simulated.
    if (wasFull) this.view = fullView(this.extent());
    else this.view = clampView(this.view, this.extent());
    this.updateSummary();
    this.requestRender();
    this.schedulePrepare();
  }

  protected showEmpty(): void {
    this.store = undefined;
    this.updateSummary();
    this.renderLegend();
    this.requestRender();
  }

  protected showWindow(from: number, to: number): void {
    if (this.info) this.setView({ ...this.view, t0: from / this.info.dt, t1: to / this.info.dt });
  }

  protected showRun(run: RunInfo, saved: PanelState['view']): void {
    const recorded = this.recordedPopulations(run);
    this.storeIndex = new Map(recorded.map((r, i) => [r.name, i]));
    this.colors = recorded.map((r) => r.k);
    this.store = new SpikeStore(recorded, run.steps);
    if (run.runId !== this.markRun) {
      this.marks = undefined;
      this.markRun = undefined;
    }
    this.updateMarks();
    this.history = [];
    const full = fullView(this.extent());
    this.view = saved ? clampView({ t0: saved.t0 / run.dt, t1: saved.t1 / run.dt, r0: saved.r0 ?? 0, r1: saved.r1 ?? full.r1 }, this.extent()) : full;
    // No populations yet: the plan has not published them (the run is being built).
    this.showMessage(recorded.length || !run.populations.length ? '' : 'This model records no spikes (no population is named by `probe spikes(...)`).');
    this.renderLegend();
    this.updateSummary();
    this.requestRender();
  }

  protected viewState(info: RunInfo): PanelState['view'] {
    return { t0: this.view.t0 * info.dt, t1: this.view.t1 * info.dt, r0: this.view.r0, r1: this.view.r1 };
  }

  /** What can be shown: the whole run, or what was simulated of a run that stopped early. */
  private extent(): { steps: number; rows: number } {
    const steps = this.info ? (this.status === 'running' ? this.info.steps : Math.max(1, Math.min(this.info.steps, this.stepsDone || this.info.steps))) : 1;
    return { steps, rows: this.store?.rows ?? 1 };
  }

  private updateSummary(): void {
    const s = this.summary;
    s.replaceChildren();
    if (!this.info || !this.store) {
      s.textContent = 'No run';
      return;
    }
    const total = this.store.total;
    const name = el('strong', undefined, s);
    name.textContent = this.info.fileName;
    const meta = el('span', 'meta', s);
    const simulated = this.stepsDone * this.info.dt;
    const state = this.statusText();
    meta.textContent = ` seed ${this.info.seed} · ${formatTime(simulated, Math.max(simulated, 1e-3))} · `;
    const count = el('span', 'count', s);
    count.id = 'spike-count';
    count.dataset.spikes = String(total);
    count.textContent = countOf(total, 'spike');
    const st = el('span', `status status-${this.status}`, s);
    st.id = 'run-status';
    st.dataset.status = this.status;
    st.textContent = ` · ${state}`;
    st.title = this.statusMessage ?? '';
    if (this.readouts.length) {
      const ro = el('span', 'readouts', s);
      ro.id = 'run-readouts';
      ro.textContent = ` · ${this.readouts.join(' · ')}`;
      ro.title = 'cross-validated accuracy of the model\'s readouts on this run (Spikeworks output: details)';
    }
    this.legend.querySelectorAll<HTMLElement>('.pop-count').forEach((c) => {
      const k = Number(c.dataset.k);
      c.textContent = formatCount(this.store?.count(k) ?? 0);
    });
  }

  private renderLegend(): void {
    this.legend.replaceChildren();
    if (!this.store) return;
    this.store.pops.forEach((p, k) => {
      const b = el('button', 'pop', this.legend);
      b.title = `${p.name}: ${countOf(p.size, 'neuron')} — go to its definition`;
      const sw = el('span', 'swatch', b);
      sw.style.background = seriesColor(this.theme, this.colors[k] ?? k);
      const n = el('span', 'pop-name', b);
      n.textContent = p.name;
      const c = el('span', 'pop-count', b);
      c.dataset.k = String(k);
      c.textContent = formatCount(this.store?.count(k) ?? 0);
      b.addEventListener('click', () => post({ type: 'reveal', population: p.name }));
    });
  }

  // ---- view -------------------------------------------------------------------------------

  private setView(v: View, remember = true): void {
    const next = clampView(v, this.extent());
    if (sameView(next, this.view)) return;
    if (remember) {
      this.history.push(this.view);
      if (this.history.length > 50) this.history.shift();
    }
    this.view = next;
    this.persist();
    this.requestRender();
  }

  private back(): void {
    const v = this.history.pop();
    if (v) this.setView(v, false);
  }

  // ---- input ------------------------------------------------------------------------------

  /** Plot-relative fractions of a mouse event, and whether it is inside the plot. */
  private at(e: MouseEvent): { fx: number; fy: number; inside: boolean; x: number; y: number } {
    const r = this.plot.getBoundingClientRect();
    const x = e.clientX - r.left;
    const y = e.clientY - r.top;
    const g = this.geometry;
    const fx = (x - g.x) / g.w;
    const fy = (y - g.y) / g.h;
    return { fx, fy, x, y, inside: fx >= 0 && fx <= 1 && fy >= 0 && fy <= 1 };
  }

  private bindInput(): void {
    const p = this.plot;
    p.addEventListener('wheel', (e) => {
      if (!this.info) return;
      e.preventDefault();
      const a = this.at(e);
      if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
        this.setView(pan(this.view, this.extent(), e.deltaX / Math.max(1, this.geometry.w), 0), false);
        return;
      }
      const factor = Math.exp(Math.max(-1, Math.min(1, e.deltaY * (e.deltaMode === 1 ? 0.05 : 0.002))));
      const axis = e.shiftKey ? 'rows' : e.altKey ? 'both' : 'time';
      this.setView(zoom(this.view, this.extent(), axis, factor, clamp01(a.fx), clamp01(a.fy)), false);
    }, { passive: false });
    p.addEventListener('mousedown', (e) => {
      if (!this.info || e.button !== 0) return;
      const a = this.at(e);
      if (!a.inside) {
        this.clickMargin(a);
        return;
      }
      p.focus();
      this.drag = { x: a.x, y: a.y, view: this.view, moved: false, brush: e.shiftKey };
    });
    window.addEventListener('mousemove', (e) => {
      const d = this.drag;
      const a = this.at(e);
      if (d) {
        if (Math.abs(a.x - d.x) + Math.abs(a.y - d.y) > 3) d.moved = true;
        if (d.brush) {
          const g = this.geometry;
          this.brush = { x0: d.x, y0: d.y, x1: Math.max(g.x, Math.min(g.x + g.w, a.x)), y1: Math.max(g.y, Math.min(g.y + g.h, a.y)) };
          this.requestRender();
        } else if (d.moved) {
          const dx = -(a.x - d.x) / this.geometry.w;
          const dy = -(a.y - d.y) / this.geometry.h;
          const next = pan(d.view, this.extent(), dx, dy);
          this.view = next;
          this.persist();
          this.requestRender();
        }
      }
      if (e.target instanceof Node && p.contains(e.target)) this.hover(a, e);
    });
    window.addEventListener('mouseup', (e) => {
      const d = this.drag;
      this.drag = undefined;
      if (!d || !this.info) return;
      if (d.brush && this.brush) {
        const b = this.brush;
        this.brush = undefined;
        if (Math.abs(b.x1 - b.x0) > 4) this.brushTo(b);
        else this.requestRender();
        return;
      }
      if (d.moved) {
        this.history.push(d.view);
        return;
      }
      const a = this.at(e);
      if (e.ctrlKey || e.metaKey) {
        const pop = this.popAt(a.fy);
        if (pop) post({ type: 'reveal', population: pop });
        return;
      }
      // A plain click pins the cursor there (or unpins it).
      this.pinned = !this.pinned;
      this.setCursor(this.timeAt(a.fx));
    });
    p.addEventListener('mouseleave', () => {
      this.tooltip.hidden = true;
      if (!this.pinned && !this.drag) this.setCursor(null);
    });
    p.addEventListener('dblclick', (e) => {
      if (!this.at(e).inside) return;
      this.setView(fullView(this.extent()));
    });
    p.addEventListener('keydown', (e) => this.key(e));
  }

  private brushTo(b: { x0: number; y0: number; x1: number; y1: number }): void {
    const g = this.geometry;
    const v = this.view;
    const tx = (x: number) => v.t0 + ((x - g.x) / g.w) * (v.t1 - v.t0);
    const ry = (y: number) => v.r0 + ((y - g.y) / g.h) * (v.r1 - v.r0);
    const next: View = { t0: tx(Math.min(b.x0, b.x1)), t1: tx(Math.max(b.x0, b.x1)), r0: v.r0, r1: v.r1 };
    if (Math.abs(b.y1 - b.y0) > 6) {
      next.r0 = ry(Math.min(b.y0, b.y1));
      next.r1 = ry(Math.max(b.y0, b.y1));
    }
    this.setView(next);
    if (this.info) post({ type: 'window', from: this.view.t0 * this.info.dt, to: this.view.t1 * this.info.dt });
  }

  private clickMargin(a: { fy: number; x: number }): void {
    if (a.x < this.geometry.x && a.fy >= 0 && a.fy <= 1) {
      const pop = this.popAt(a.fy);
      if (pop) post({ type: 'reveal', population: pop });
    }
  }

  private timeAt(fx: number): number | null {
    if (!this.info) return null;
    return (this.view.t0 + clamp01(fx) * (this.view.t1 - this.view.t0)) * this.info.dt;
  }

  private popAt(fy: number): string | undefined {
    if (!this.store) return undefined;
    const k = this.store.popOfRow(Math.floor(this.view.r0 + clamp01(fy) * (this.view.r1 - this.view.r0)));
    return k >= 0 ? this.store.pops[k].name : undefined;
  }

  private hover(a: { fx: number; fy: number; inside: boolean; x: number; y: number }, e: MouseEvent): void {
    const tip = this.tooltip;
    if (!this.store || !this.info || !a.inside || this.drag?.moved) {
      tip.hidden = true;
      return;
    }
    if (!this.pinned) this.setCursor(this.timeAt(a.fx));
    const v = this.view;
    const step = v.t0 + a.fx * (v.t1 - v.t0);
    const row = Math.floor(v.r0 + a.fy * (v.r1 - v.r0));
    const k = this.store.popOfRow(row);
    if (k < 0) {
      tip.hidden = true;
      return;
    }
    const pop = this.store.pops[k];
    const tol = Math.max(1, (4 * (v.t1 - v.t0)) / this.geometry.w);
    const hit = this.store.nearest(row, step, tol);
    const span = (v.t1 - v.t0) * this.info.dt;
    tip.replaceChildren();
    const head = el('div', 'tip-head', tip);
    const sw = el('span', 'swatch', head);
    sw.style.background = seriesColor(this.theme, this.colors[k] ?? k);
    const title = el('span', undefined, head);
    title.textContent = `${pop.name} · neuron ${row - pop.row}`;
    const body = el('div', 'tip-body', tip);
    body.textContent = hit ? `spike at ${formatTime(hit.step * this.info.dt, Math.min(span, 0.1))}` : `t = ${formatTime(step * this.info.dt, span)} (no spike here)`;
    const foot = el('div', 'tip-foot', tip);
    foot.textContent = 'Ctrl+click: go to definition';
    tip.hidden = false;
    const r = this.plot.getBoundingClientRect();
    const tx = Math.min(r.width - tip.offsetWidth - 4, a.x + 14);
    const ty = a.y + 16 + tip.offsetHeight > r.height ? a.y - tip.offsetHeight - 8 : a.y + 16;
    tip.style.transform = `translate(${Math.max(4, tx)}px, ${Math.max(4, ty)}px)`;
    void e;
  }

  private key(e: KeyboardEvent): void {
    if (!this.info) return;
    const ext = this.extent();
    const k = e.key;
    const cursorStep = (dir: number) => {
      const span = (this.view.t1 - this.view.t0) * this.info!.dt;
      const now = this.cursor ?? (this.view.t0 + (this.view.t1 - this.view.t0) / 2) * this.info!.dt;
      this.pinned = true;
      this.setCursor(Math.max(this.view.t0 * this.info!.dt, Math.min(this.view.t1 * this.info!.dt, now + dir * span * (e.shiftKey ? 0.1 : 0.01))));
    };
    let handled = true;
    if (k === 'ArrowLeft') this.setView(pan(this.view, ext, -0.1, 0));
    else if (k === 'ArrowRight') this.setView(pan(this.view, ext, 0.1, 0));
    else if (k === 'ArrowUp') this.setView(pan(this.view, ext, 0, -0.1));
    else if (k === 'ArrowDown') this.setView(pan(this.view, ext, 0, 0.1));
    else if (k === '+' || k === '=') this.setView(zoom(this.view, ext, e.shiftKey ? 'rows' : 'time', 0.8)); // Shift+= types '+' on US layouts
    else if (k === '-' || k === '_') this.setView(zoom(this.view, ext, e.shiftKey ? 'rows' : 'time', 1.25));
    else if (k === '0' || k === 'Home') this.setView(fullView(ext));
    else if (k === 'Backspace') this.back();
    else if ((k === 'n' || k === 'N') && this.marks) this.showMarkedWindow(this.markAt + (e.shiftKey ? -1 : 1));
    else if (k === ',' || k === '<') cursorStep(-1);
    else if (k === '.' || k === '>') cursorStep(1);
    else if (k === 'Escape') {
      this.pinned = false;
      this.setCursor(null);
    } else handled = false;
    if (handled) e.preventDefault();
  }

  // ---- drawing ----------------------------------------------------------------------------

  /**
   * Once a run has ended, the store builds its grid tables and row-block indexes between frames
   * (one piece per task), so that the first zoom after a run does not wait for them.
   */
  private schedulePrepare(): void {
    if (this.preparing || this.status === 'running' || !this.store) return;
    this.preparing = true;
    const store = this.store;
    const step = () => {
      if (store !== this.store || !store.prepareStep()) {
        this.preparing = false;
        return;
      }
      setTimeout(step, 0);
    };
    setTimeout(step, 0);
  }

  requestRender(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      this.render();
    });
  }

  /** Draws one frame now; returns how long it took (ms). */
  render(): number {
    const t0 = performance.now();
    const dpr = window.devicePixelRatio || 1;
    const rect = this.plot.getBoundingClientRect();
    const width = Math.max(50, Math.floor(rect.width));
    const height = Math.max(50, Math.floor(rect.height));
    const painterCtx = this.overlay.getContext('2d')!;
    const left = leftMargin(this.store, (s, bold) => {
      painterCtx.font = `${bold ? '600 ' : ''}11px sans-serif`;
      return painterCtx.measureText(s).width;
    });
    const g: Geometry = { width, height, x: left, y: MARGIN.top, w: Math.max(10, width - left - MARGIN.right), h: Math.max(10, height - MARGIN.top - MARGIN.bottom) };
    this.geometry = g;
    const canvas = this.renderer.canvas;
    canvas.style.left = `${g.x}px`;
    canvas.style.top = `${g.y}px`;
    canvas.style.width = `${g.w}px`;
    canvas.style.height = `${g.h}px`;
    if (this.overlay.width !== Math.round(width * dpr) || this.overlay.height !== Math.round(height * dpr)) {
      this.overlay.width = Math.round(width * dpr);
      this.overlay.height = Math.round(height * dpr);
      this.overlay.style.width = `${width}px`;
      this.overlay.style.height = `${height}px`;
    }
    const pw = Math.max(1, Math.round(g.w * dpr));
    const ph = Math.max(1, Math.round(g.h * dpr));
    const t1 = performance.now();
    let t2 = t1;
    if (this.store && this.info) {
      // Only the overlay changes when the cursor moves or a brush is drawn: the plot is kept.
      const key = `${this.view.t0},${this.view.t1},${this.view.r0},${this.view.r1},${pw},${ph},${this.store.total},${this.colors.join()}`;
      if (key !== this.plotKey) {
        this.frame = densityImage(this.store, this.view, pw, ph, this.frame?.counts);
        t2 = performance.now();
        this.renderer.draw(this.frame, this.rowColors(ph), this.bg);
        this.plotKey = key;
      } else t2 = performance.now();
      canvas.hidden = false;
    } else {
      canvas.hidden = true;
      this.plotKey = '';
    }
    const t3 = performance.now();
    painterCtx.setTransform(dpr, 0, 0, dpr, 0, 0);
    painterCtx.clearRect(0, 0, width, height);
    if (this.store && this.info) {
      drawDecorations(new CanvasPainter(painterCtx), g, this.decor());
      this.plot.dataset.mode = this.frame?.mode ?? '';
      // The view in seconds (read by the end-to-end test of window selection).
      this.plot.dataset.from = String(this.view.t0 * this.info!.dt);
      this.plot.dataset.to = String(this.view.t1 * this.info!.dt);
    }
    const ms = performance.now() - t0;
    this.lastTimings = { layout: t1 - t0, density: t2 - t1, draw: t3 - t2, overlay: performance.now() - t3 };
    this.frameMs.push(ms);
    if (this.frameMs.length > 1000) this.frameMs.shift();
    return ms;
  }

  private decor() {
    return {
      store: this.store!,
      view: this.view,
      dt: this.info!.dt,
      theme: this.theme,
      colors: this.colors,
      runningAt: this.status === 'running' ? this.stepsDone : undefined,
      cursor: this.cursor,
      brush: this.brush,
      marks: this.marksDecor(),
    };
  }

  private rowColorCache = new Map<string, [number, number, number]>();
  private rowColors(h: number): Uint8Array {
    const out = new Uint8Array(4 * h);
    const store = this.store!;
    const v = this.view;
    const colorOf = (k: number) => {
      const c = seriesColor(this.theme, this.colors[k] ?? k);
      let hit = this.rowColorCache.get(c);
      if (!hit) {
        hit = rgb(c);
        this.rowColorCache.set(c, hit);
      }
      return hit;
    };
    for (let y = 0; y < h; y++) {
      const k = store.popOfRow(Math.floor(v.r0 + ((y + 0.5) / h) * (v.r1 - v.r0)));
      const [r, g, b] = k >= 0 ? colorOf(k) : this.bg;
      out[4 * y] = r;
      out[4 * y + 1] = g;
      out[4 * y + 2] = b;
      out[4 * y + 3] = 255;
    }
    return out;
  }

  // ---- export -----------------------------------------------------------------------------

  private export(format: ExportFormat): void {
    if (!this.info || !this.store) return;
    const t0 = this.view.t0 * this.info.dt;
    const t1 = this.view.t1 * this.info.dt;
    const base = `${this.info.fileName.replace(/\.snn$/, '')}-raster-${(t0 * 1000).toFixed(0)}-${(t1 * 1000).toFixed(0)}ms`;
    if (format === 'csv') {
      const csv = spikesCsv(this.store, this.view, this.info.dt);
      post({ type: 'export', format, fileName: `${base}.csv`, data: csv.text });
      return;
    }
    this.render();
    const g = this.geometry;
    const info = this.info;
    const legend = this.store.pops.map((p, k) => ({ label: p.name, color: seriesColor(this.theme, this.colors[k] ?? k) }));
    const subtitle = exportSubtitle(info, this.status === 'running' ? this.stepsDone : this.stepsDone || info.steps, `raster ${formatTime(t0, t1 - t0)} – ${formatTime(t1, t1 - t0)}`);
    const decor = { ...this.decor(), brush: undefined };
    const shifted: Geometry = { ...g, y: g.y + HEADER_HEIGHT, height: g.height + HEADER_HEIGHT };
    if (format === 'png') {
      // Drawn again at the export scale (not copied from the screen): sharp spikes and text.
      const scale = exportScale(window.devicePixelRatio);
      const c = document.createElement('canvas');
      c.width = Math.round(g.width * scale);
      c.height = Math.round(shifted.height * scale);
      const ctx = c.getContext('2d')!;
      ctx.fillStyle = this.theme.background;
      ctx.fillRect(0, 0, c.width, c.height);
      const pw = Math.max(1, Math.round(g.w * scale));
      const ph = Math.max(1, Math.round(g.h * scale));
      const frame = densityImage(this.store, this.view, pw, ph);
      const image = ctx.createImageData(pw, ph);
      colourPixels(frame, this.rowColors(ph), this.bg, new Uint32Array(image.data.buffer));
      ctx.putImageData(image, Math.round(g.x * scale), Math.round(shifted.y * scale));
      ctx.setTransform(scale, 0, 0, scale, 0, 0);
      const painter = new CanvasPainter(ctx);
      drawExportHeader(painter, g.width, info, subtitle, legend, this.theme);
      drawDecorations(painter, shifted, decor);
      post({ type: 'export', format, fileName: `${base}.png`, data: c.toDataURL('image/png') });
      return;
    }
    const svg = new SvgPainter(this.overlay.getContext('2d')!);
    drawExportHeader(svg, g.width, info, subtitle, legend, this.theme);
    const paths = spikePaths(this.store, this.view, shifted.x, shifted.y, shifted.w, shifted.h);
    if (paths) {
      paths.forEach((d, k) => {
        if (d) svg.raw(`<path fill="${seriesColor(this.theme, this.colors[k] ?? k)}" d="${d}"/>`);
      });
    } else {
      svg.raw(`<image x="${shifted.x}" y="${shifted.y}" width="${g.w}" height="${g.h}" preserveAspectRatio="none" href="${this.renderer.canvas.toDataURL('image/png')}"/>`);
    }
    drawDecorations(svg, shifted, decor);
    post({ type: 'export', format, fileName: `${base}.svg`, data: svg.document(g.width, shifted.height, this.theme.background) });
  }
}

function clamp01(x: number): number {
  return Math.max(0, Math.min(1, x));
}

const root = document.getElementById('app') ?? document.body;
const force = new URLSearchParams(location.search).get('renderer');
const app = new RasterApp(root, force === 'canvas' || force === 'webgl' ? force : undefined);
(window as unknown as { spikeworksRaster: RasterApp }).spikeworksRaster = app;
app.listen();
