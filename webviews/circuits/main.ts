// The Circuits panel: the network as a graph laid out by dagre (populations and groups as nodes,
// projections as edges; coloured by the tasks whose circuits hold them, shared components ringed,
// importance as stroke width), the per-task metrics beside the random-ablation control, the reuse
// of every pair of tasks (Jaccard and overlap coefficient), the patching results and a table of
// every component. Click or Enter on a component asks the extension to reveal its definition;
// Tab and the arrow keys move between components. Exports SVG and PNG (drawn here) and JSON
// (saved by the extension). Colours from the VS Code theme; every string set as text.
import { el } from '../shared/dom';
import { dataTable, titledSection } from '../shared/report';
import '../shared/panel.css';
import './circuits.css';
import type { CircuitsPanelRequest, CircuitsResult } from '../../protocol/circuits';
import { isCircuitsPanelState, isCircuitsShow, type CircuitsPanelState } from '../../protocol/circuits-panel';
import { exportScale } from '../shared/export-frame';
import { distinctColors, onThemeChange, readTheme } from '../shared/theme';
import { button, hint, select as selectBox, toolbar } from '../shared/toolbar';
import { layoutGraph } from './layout';
import { componentHeader, componentRows, defaultShow, describeComponent, exportSubtitle, graphOf, PATCH_HEADER, patchRows, REUSE_HEADER, reuseRows, summaryLine, TASK_HEADER, taskRows } from './model';
import { nearestInDirection, type Direction } from './navigate';
import { drawGraph, pngOf, svgFile, type Palette } from './svg';

interface Api {
  postMessage(m: CircuitsPanelRequest): void;
  getState(): unknown;
  setState(s: CircuitsPanelState): void;
}
declare function acquireVsCodeApi(): Api;
const api: Api = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : { postMessage: () => {}, getState: () => undefined, setState: () => {} };

function palette(tasks: number): Palette {
  const theme = readTheme();
  const css = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    background: theme.background,
    surface: v('--vscode-editorWidget-background', theme.background),
    foreground: theme.foreground,
    muted: theme.muted,
    grid: theme.grid,
    focus: theme.focus,
    font: v('--vscode-font-family', css.fontFamily || 'sans-serif'),
    tasks: distinctColors(theme, Math.max(1, tasks)),
  };
}

const table = (parent: HTMLElement, label: string, header: string[], rows: string[][], numeric: (col: number) => boolean) => dataTable(parent, label, header, rows, numeric, { className: 'report-table' });
const section = (parent: HTMLElement, title: string, note?: string) => titledSection(parent, title, 'report-section', note);

const KEYS: Record<string, Direction> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };

function main(): void {
  const root = document.getElementById('app');
  if (!root) return;
  const summary = el('span', 'summary');
  const controls = toolbar(root, summary);
  let state: CircuitsPanelState | undefined;
  let svg: SVGSVGElement | undefined;
  const status = el('span', 'export-status', controls);
  status.setAttribute('role', 'status');
  const exportPicture = (format: 'svg' | 'png') => {
    if (!svg) return;
    status.textContent = '';
    if (format === 'svg') api.postMessage({ type: 'export', format: 'svg', data: svgFile(svg) });
    else
      pngOf(svg, exportScale(window.devicePixelRatio))
        .then((data) => api.postMessage({ type: 'export', format: 'png', data }))
        .catch((e: Error) => (status.textContent = `PNG export failed: ${e.message}`));
  };
  const showSel = selectBox(controls, 'Components shown in the graph', [['all', 'All components'], ['circuits', 'Circuit components only']], 'all');
  showSel.classList.add('show-select');
  button(controls, 'Export SVG…', 'Save the graph as a self-contained SVG file', () => exportPicture('svg'));
  button(controls, 'Export PNG…', 'Save the graph as a PNG image (2× or the screen’s scale)', () => exportPicture('png'));
  button(controls, 'Export JSON…', 'Save the whole result (the CLI’s --format json) as JSON', () => api.postMessage({ type: 'export', format: 'json' }), true);
  const body = el('div', 'circuits-body', root);
  const empty = el('p', 'note', body);
  empty.textContent = 'Run “Spikeworks: Show Circuit Reuse” on a .snn model to see which components each task uses.';
  const content = el('div', 'circuits-content', body);
  hint(root, 'Click or Enter on a component: its definition in the model · Tab: every component in turn · Arrow keys: the nearest population or group that way (on a projection: its source or target) · Home / End: first / last');

  const reveal = (id: string) => api.postMessage({ type: 'reveal', component: id });
  const select = (id: string | undefined, details?: HTMLElement) => {
    if (!state) return;
    state = { ...state, selected: id };
    api.setState(state);
    for (const x of content.querySelectorAll('.selected')) x.classList.remove('selected');
    if (id) for (const x of content.querySelectorAll(`[data-id="${CSS.escape(id)}"]`)) x.classList.add('selected');
    if (details) details.textContent = id ? describeComponent(state.result, id) : 'Focus or hover a component for its tasks and importance.';
  };

  const render = () => {
    content.replaceChildren();
    if (!state) return;
    empty.hidden = true;
    const r: CircuitsResult = state.result;
    summary.textContent = summaryLine(r);
    if (r.cancelled) el('p', 'warning', content).textContent = 'The analysis was stopped before it finished: what follows is what it had found so far.';

    const graphSection = section(content, 'Network');
    const show = state.show ?? defaultShow(r);
    showSel.value = show;
    const graph = graphOf(r, show);
    const hidden = graphOf(r, 'all').nodes.length - graph.nodes.length;
    if (hidden > 0) el('p', 'note', graphSection).textContent = `${hidden === 1 ? '1 population or group in no circuit is' : `${hidden.toLocaleString('en-US')} populations and groups in no circuit are`} hidden (“All components” draws them).`;
    const layout = layoutGraph(graph);
    const names = r.tasks.map((t) => t.task);
    const describe = (id: string) => describeComponent(r, id);
    svg = drawGraph(layout, names, graph.maxImportance, palette(r.tasks.length), describe, `Circuits of ${r.source}`, exportSubtitle(r));
    const wrap = el('div', 'graph-wrap', graphSection);
    wrap.append(svg);
    // Shrinks to the panel's width, but not below 60 % of its size (a large network scrolls instead of going unreadable).
    const natural = Number(svg.getAttribute('width'));
    svg.style.minWidth = `${Math.round(Math.min(natural, Math.max(640, 0.6 * natural)))}px`;
    const details = el('p', 'details', graphSection);
    details.setAttribute('aria-live', 'polite');
    details.textContent = 'Focus or hover a component for its tasks and importance.';
    const focusables = () => [...svg!.querySelectorAll<SVGGElement>('[tabindex="0"][data-id]')];
    const centre = (e: SVGGElement) => {
      const b = e.getBoundingClientRect();
      return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    };
    svg.addEventListener('click', (ev) => {
      const g = (ev.target as Element).closest('[data-id][tabindex]');
      const id = g?.getAttribute('data-id');
      if (!id) return;
      select(id, details);
      reveal(id);
    });
    svg.addEventListener('focusin', (ev) => select((ev.target as Element).getAttribute('data-id') ?? undefined, details));
    svg.addEventListener('mouseover', (ev) => {
      const id = (ev.target as Element).closest('[data-id]')?.getAttribute('data-id');
      if (id) details.textContent = describe(id);
    });
    svg.addEventListener('keydown', (ev) => {
      const here = (ev.target as Element).closest<SVGGElement>('[data-id][tabindex]');
      if (!here) return;
      const id = here.getAttribute('data-id')!;
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        reveal(id);
        return;
      }
      const all = focusables();
      let next: SVGGElement | undefined;
      if (ev.key === 'Home') next = all[0];
      else if (ev.key === 'End') next = all[all.length - 1];
      else if (KEYS[ev.key] && here.classList.contains('edge')) {
        // On a projection: right / down go to its target, left / up to its source.
        const end = KEYS[ev.key] === 'right' || KEYS[ev.key] === 'down' ? here.dataset.to : here.dataset.from;
        next = all.find((n) => n.classList.contains('node') && n.dataset.id === end);
      } else if (KEYS[ev.key]) {
        // On a node: the nearest node the arrow points at.
        const nodes = all.filter((n) => n.classList.contains('node') && n !== here);
        const k = nearestInDirection(centre(here), nodes.map(centre), KEYS[ev.key]);
        next = k === undefined ? undefined : nodes[k];
      } else return;
      ev.preventDefault();
      next?.focus();
    });

    const tasks = section(content, 'Tasks', 'Metric of the intact network, of the circuit alone (everything else removed), with the circuit removed, and with random components of the circuit’s size removed (the control: a real circuit drops the metric more than the control does).');
    table(tasks, 'Per-task metrics', TASK_HEADER, taskRows(r), (k) => k >= 3);
    const reuse = section(content, 'Reuse between tasks', 'A and B are the two tasks’ sets of circuit components. The Jaccard index counts the union; the overlap coefficient counts the smaller circuit (1 when one circuit holds the other).');
    if (r.reuse.length) table(reuse, 'Reuse per pair of tasks', REUSE_HEADER, reuseRows(r), (k) => k >= 2 && k <= 4);
    else el('p', 'note', reuse).textContent = 'Fewer than two tasks: nothing to compare.';
    const patches = section(content, 'Patching', 'Task B run with the shared components’ activity taken from task A’s run: its metric before and after.');
    if (r.patches.length) table(patches, 'Patching results', PATCH_HEADER, patchRows(r), (k) => k >= 3);
    else el('p', 'note', patches).textContent = 'No patching results.';
    const comps = section(content, 'Components', 'Every component the search considered; importance = the metric’s drop when it alone is removed. Enter or click: its definition.');
    const t = table(comps, 'Components', componentHeader(r), [], (k) => k >= 2 && k < 3 + r.tasks.length);
    const tb = t.tBodies[0];
    const width = 3 + r.tasks.length;
    for (const row of componentRows(r)) {
      const tr = el('tr', undefined, tb);
      tr.tabIndex = 0;
      tr.dataset.id = row.id;
      row.cells.forEach((c, k) => (el('td', k >= 2 && k < width ? 'num' : undefined, tr).textContent = c));
      tr.addEventListener('click', () => {
        select(row.id, details);
        reveal(row.id);
      });
      tr.addEventListener('focus', () => select(row.id, details));
      tr.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' || ev.key === ' ') {
          ev.preventDefault();
          reveal(row.id);
        }
      });
    }
    if (state.selected) select(state.selected, details);
  };

  showSel.addEventListener('change', () => {
    if (!state) return;
    state = { ...state, show: showSel.value === 'circuits' ? 'circuits' : 'all' };
    api.setState(state);
    render();
  });
  window.addEventListener('message', (ev: MessageEvent) => {
    const m: unknown = ev.data;
    if (!isCircuitsShow(m)) {
      console.warn('spikeworks circuits panel: dropped a malformed message');
      return;
    }
    // The same result again (a revived panel's `ready` is answered with it) or a new one: the view
    // choice stays, and the focused component while the result still has it.
    const keep = state?.selected !== undefined && m.result.components.some((c) => c.id === state?.selected) ? state.selected : undefined;
    state = { document: m.document, result: m.result, ...(keep !== undefined ? { selected: keep } : {}), ...(state?.show ? { show: state.show } : {}) };
    api.setState(state);
    render();
  });
  onThemeChange(() => render());
  const saved = api.getState();
  if (isCircuitsPanelState(saved)) {
    state = saved;
    render();
  }
  api.postMessage({ type: 'ready' });
}

if (typeof document !== 'undefined') main();
