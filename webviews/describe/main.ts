// The Descriptions panel: one row per group of neurons sharing a description (per population),
// sortable by score, neuron count or formula, filtered by a text typed in the box; a click (or
// Enter) shows the group's neurons and the exemplar windows of its first neuron, here and marked
// in the run's raster (the extension opens it). Exports as CSV / JSON (saved
// by the extension). Colours from the VS Code theme; every string set with textContent only.
import { el } from '../shared/dom';
import '../shared/panel.css';
import './describe.css';
import { isDescribePanelMessage, type DescribePanelRequest, type DescriptionsView } from '../../protocol/describe-panel';
import { button, hint, select, toolbar } from '../shared/toolbar';
import { rowsOf, type SortKey } from './rows';

interface Api {
  postMessage(m: DescribePanelRequest): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): Api;
const api: Api = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : { postMessage: () => {}, getState: () => undefined, setState: () => {} };

const secs = (s: number) => (s >= 1 ? `${+s.toFixed(3)} s` : `${+(s * 1000).toFixed(1)} ms`);

function main(): void {
  const root = document.getElementById('app');
  if (!root) return;
  const summary = el('span', 'summary');
  const controls = toolbar(root, summary);
  const filter = el('input', 'filter', controls);
  filter.type = 'search';
  filter.placeholder = 'Filter descriptions';
  filter.setAttribute('aria-label', 'Filter descriptions');
  const sortSel = select(controls, 'Sort by', [['score', 'Sort: score'], ['neurons', 'Sort: neurons'], ['formula', 'Sort: formula']], 'score');
  button(controls, 'Export CSV…', 'Save one row per neuron as CSV', () => api.postMessage({ type: 'export', format: 'csv' }));
  button(controls, 'Export JSON…', 'Save every neuron and group as JSON', () => api.postMessage({ type: 'export', format: 'json' }));
  const message = el('div', 'message', root);
  const table = el('table', 'descriptions', root);
  const head = el('tr', undefined, el('thead', undefined, table));
  for (const h of ['population', 'description', 'neurons', 'score', 'IoU', 'MI (bits)', 'max p', 'text']) el('th', undefined, head).textContent = h;
  const body = el('tbody', undefined, table);
  const detail = el('div', 'detail', root);
  hint(root, 'Click a row (or Enter) to mark its neurons and exemplar windows in the raster. Score: log p(d | exemplars) − λ·log p(d). Neurons whose best description is not significant are unselective and listed only in the count.');
  let view: DescriptionsView | undefined;
  let state = { filter: '', sort: 'score' as SortKey, selected: -1 };
  const render = () => {
    body.replaceChildren();
    detail.replaceChildren();
    if (!view) return;
    const described = view.populations.reduce((s, p) => s + p.size - p.unselective, 0);
    const total = view.populations.reduce((s, p) => s + p.size, 0);
    summary.textContent = `${view.title}: ${described} of ${total} neurons described, ${view.windows} windows (${view.source}), ${view.atoms} atoms${view.cancelled ? ' (stopped early)' : ''}`;
    const unsel = view.populations.filter((p) => p.unselective > 0).map((p) => `${p.population}: ${p.unselective} of ${p.size} unselective`);
    message.textContent = total === 0 ? 'No neurons were described.' : described === 0 ? `No neuron has a significant description (${unsel.join('; ')}).` : unsel.join('; ');
    const rows = rowsOf(view, state.filter, state.sort);
    rows.forEach((r, k) => {
      const tr = el('tr', k === state.selected ? 'selected' : undefined, body);
      tr.tabIndex = 0;
      const cells = [r.population, r.group.formula, String(r.group.units.length), r.group.meanScore.toFixed(3), r.group.meanIou.toFixed(2), r.group.meanMi.toFixed(3), r.group.maxP.toPrecision(2), r.group.text];
      for (const c of cells) el('td', undefined, tr).textContent = c;
      const pick = () => {
        state = { ...state, selected: k };
        api.setState({ view, ...state });
        // The extension opens the run's raster with the group's neurons and exemplar windows marked.
        api.postMessage({ type: 'raster', population: r.population, formula: r.group.formula });
        render();
        (body.children[k] as HTMLElement | undefined)?.focus();
      };
      tr.addEventListener('click', pick);
      tr.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          pick();
        } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
          e.preventDefault();
          (body.children[k + (e.key === 'ArrowDown' ? 1 : -1)] as HTMLElement | undefined)?.focus();
        }
      });
    });
    const sel = rows[state.selected];
    if (sel) {
      const g = sel.group;
      el('div', undefined, detail).textContent = `${sel.population} ${g.formula}: neurons ${g.units.slice(0, 200).join(', ')}${g.units.length > 200 ? ` … (${g.units.length})` : ''}`;
      el('div', undefined, detail).textContent = `exemplar windows of neuron ${g.units[0]}: ${g.exemplars.map(([a, b]) => `${secs(a)}–${secs(b)}`).join(', ')}`;
    }
  };
  filter.addEventListener('input', () => {
    state = { ...state, filter: filter.value, selected: -1 };
    api.setState({ view, ...state });
    render();
  });
  sortSel.addEventListener('change', () => {
    const v = (sortSel as unknown as { value: string }).value;
    state = { ...state, sort: v === 'neurons' || v === 'formula' ? v : 'score', selected: -1 };
    api.setState({ view, ...state });
    render();
  });
  window.addEventListener('message', (e: MessageEvent) => {
    const m: unknown = e.data;
    if (!isDescribePanelMessage(m)) {
      console.warn('spikeworks descriptions panel: dropped a malformed message');
      return;
    }
    view = m.view;
    state = { ...state, selected: -1 };
    api.setState({ view, ...state });
    render();
  });
  const saved = api.getState() as { view?: unknown; filter?: unknown; sort?: unknown; selected?: unknown } | undefined;
  if (saved && isDescribePanelMessage({ type: 'descriptions', view: saved.view })) {
    view = saved.view as DescriptionsView;
    state = {
      filter: typeof saved.filter === 'string' ? saved.filter : '',
      sort: saved.sort === 'neurons' || saved.sort === 'formula' ? saved.sort : 'score',
      selected: typeof saved.selected === 'number' ? saved.selected : -1,
    };
    filter.value = state.filter;
    render();
  }
  api.postMessage({ type: 'ready' });
}

if (typeof document !== 'undefined') main();
