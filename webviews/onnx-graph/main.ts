// The .onnx custom editor's page: a summary header (model, producer, opset, parameters, the op
// histogram), a filter that highlights matching nodes and jumps between them (Enter / F3 next,
// Shift+Enter / Shift+F3 previous), the graph laid out by dagre as an SVG (every node a tab stop;
// arrows follow the edges — down to a consumer, up to a producer — or move across a rank; Enter
// shows the details), a details pane, and the error text when the file could not be read. Graphs
// too large to lay out at once are drawn a window of nodes at a time around the focused node.
// Colours come from the VS Code theme's variables in onnx-graph.css; every string is set as text.
import { el } from '../shared/dom';
import '../shared/panel.css';
import './onnx-graph.css';
import { isOnnxEditorMessage, isOnnxEditorState, type OnnxCommand, type OnnxEditorRequest, type OnnxEditorState, type OnnxGraphView } from '../../protocol/onnx-editor';
import { button, hint, toolbar } from '../shared/toolbar';
import { layoutGraph, type Layout } from './layout';
import { detailRows, edgesOf, matches, MAX_LAID_OUT, neighbour, opHistogram, stepMatch, summaryLine, windowOf, type Arrow, type ViewEdge } from './model';

interface Api {
  postMessage(m: OnnxEditorRequest): void;
  getState(): unknown;
  setState(s: OnnxEditorState): void;
}
declare function acquireVsCodeApi(): Api;
const api: Api = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : { postMessage: () => {}, getState: () => undefined, setState: () => {} };

const SVG = 'http://www.w3.org/2000/svg';
const svgEl = <K extends keyof SVGElementTagNameMap>(tag: K, parent?: Element, attrs: Record<string, string | number> = {}): SVGElementTagNameMap[K] => {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  parent?.appendChild(e);
  return e;
};
const KEYS: Record<string, Arrow> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };
const COMMANDS: [OnnxCommand, string, string][] = [
  ['record', 'Record Activations…', 'Run the model on an input set and save every node’s output (needs a trusted workspace)'],
  ['describe', 'Describe Neurons', 'Describe the model’s units against an input set’s concepts (needs a trusted workspace)'],
  ['circuits', 'Show Circuit Reuse', 'Find the components each task uses and their overlap (needs a trusted workspace)'],
];

function drawLayout(layout: Layout): SVGSVGElement {
  const svg = svgEl('svg', undefined, { width: layout.width, height: layout.height, viewBox: `0 0 ${layout.width} ${layout.height}`, role: 'group', 'aria-label': 'Model graph' });
  const defs = svgEl('defs', svg);
  const marker = svgEl('marker', defs, { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' });
  svgEl('path', marker, { d: 'M0,0 L10,5 L0,10 z', class: 'arrow-head' });
  const edges = svgEl('g', svg, { class: 'edges' });
  for (const e of layout.edges) {
    const g = svgEl('g', edges, { class: 'edge', 'data-from': e.from, 'data-to': e.to });
    svgEl('title', g).textContent = `${e.tensor}  ${e.shape ?? 'shape unknown'}`;
    const d = e.points.map((p, k) => `${k ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ');
    svgEl('path', g, { d, class: 'line', 'marker-end': 'url(#arrow)' });
    if (e.labelAt) svgEl('text', g, { x: e.labelAt.x, y: e.labelAt.y + 4, class: 'edge-label', 'text-anchor': 'middle' }).textContent = e.label;
  }
  const nodes = svgEl('g', svg, { class: 'nodes' });
  for (const p of layout.nodes) {
    const n = p.node;
    const g = svgEl('g', nodes, { class: `node ${n.kind}`, 'data-id': n.id, tabindex: 0, role: 'button', 'aria-label': `${n.kind === 'op' ? n.opType : n.kind} ${n.name}` });
    svgEl('title', g).textContent = n.kind === 'op' ? `${n.opType} ${n.name}` : `graph ${n.kind} ${n.name}`;
    const x = p.x - p.width / 2;
    const y = p.y - p.height / 2;
    svgEl('rect', g, { x, y, width: p.width, height: p.height, rx: n.kind === 'op' ? 3 : p.height / 2, class: 'box' });
    svgEl('rect', g, { x: x - 3, y: y - 3, width: p.width + 6, height: p.height + 6, rx: n.kind === 'op' ? 5 : p.height / 2 + 3, class: 'ring' });
    p.lines.forEach((line, k) => {
      svgEl('text', g, { x: p.x, y: y + 18 + k * 16, 'text-anchor': 'middle', class: k === 0 ? 'op-type' : k === 1 ? 'name' : 'meta' }).textContent = line;
    });
  }
  return svg;
}

function main(): void {
  const root = document.getElementById('app');
  if (!root) return;
  const summary = el('span', 'summary');
  const controls = toolbar(root, summary);
  for (const [command, label, title] of COMMANDS) button(controls, label, title, () => api.postMessage({ type: 'command', command }), command === 'record');
  const histogram = el('ul', 'ops', root);
  histogram.setAttribute('aria-label', 'Operators by count');
  const searchBar = el('div', 'search', root);
  const filter = el('input', 'filter', searchBar);
  filter.type = 'search';
  filter.placeholder = 'Filter: node name, op type or tensor';
  filter.setAttribute('aria-label', 'Filter nodes by name, op type or tensor name');
  filter.spellcheck = false;
  const count = el('span', 'match-count', searchBar);
  count.setAttribute('role', 'status');
  const prev = el('button', 'step', searchBar);
  prev.textContent = '↑';
  prev.title = 'Previous match (Shift+Enter, Shift+F3)';
  prev.setAttribute('aria-label', 'Previous match');
  const next = el('button', 'step', searchBar);
  next.textContent = '↓';
  next.title = 'Next match (Enter, F3)';
  next.setAttribute('aria-label', 'Next match');
  const notice = el('div', 'notice', root);
  notice.setAttribute('role', 'note');
  const errorBox = el('pre', 'error-text', root);
  errorBox.setAttribute('role', 'alert');
  errorBox.hidden = true;
  const body = el('div', 'onnx-body', root);
  const wrap = el('div', 'graph-wrap', body);
  const details = el('aside', 'details', body);
  details.setAttribute('aria-live', 'polite');
  details.setAttribute('aria-label', 'Details of the selected node');
  const help = hint(root, 'Filter: Enter or F3 next match, Shift+Enter previous · Tab: every node in turn · ↓ / ↑: a consumer / a producer of the node · ← / →: across its rank · Enter: details · Home / End: first / last node');

  let view: OnnxGraphView | undefined;
  let edges: ViewEdge[] = [];
  let layout: Layout | undefined;
  let windowStart = -1;
  let found: string[] = [];
  let state: OnnxEditorState = isOnnxEditorState(api.getState()) ? (api.getState() as OnnxEditorState) : {};
  filter.value = state.filter ?? '';
  const save = () => api.setState(state);
  const nodeEl = (id: string) => wrap.querySelector<SVGGElement>(`.node[data-id="${CSS.escape(id)}"]`);

  const showDetails = (id: string | undefined) => {
    details.replaceChildren();
    const n = id === undefined ? undefined : view?.nodes.find((x) => x.id === id);
    if (!n) {
      el('p', 'note', details).textContent = 'Focus a node (Tab, click, or a filter match) for its attributes, tensors and parameters.';
      return;
    }
    el('h2', undefined, details).textContent = n.kind === 'op' ? n.opType : n.kind === 'input' ? 'Graph input' : 'Graph output';
    const table = el('table', 'detail-table', details);
    for (const [label, text] of detailRows(n)) {
      const tr = el('tr', undefined, table);
      el('th', undefined, tr).textContent = label;
      el('td', undefined, tr).textContent = text;
    }
  };

  /** Lays out the window holding `focus` (the whole graph when it is small enough) unless it is drawn already. */
  const draw = (focus: string | undefined) => {
    if (!view) return;
    // A node already drawn keeps the drawing (moving within the window never lays out again).
    if (layout && (focus === undefined || layout.nodes.some((p) => p.node.id === focus))) return;
    const w = windowOf(view.nodes, focus);
    if (layout && w.start === windowStart) return;
    windowStart = w.start;
    layout = layoutGraph(w.nodes, edges);
    wrap.replaceChildren(drawLayout(layout));
    const notes = [...view.notes];
    if (view.nodes.length > MAX_LAID_OUT) notes.unshift(`This graph has ${view.nodes.length.toLocaleString('en-US')} nodes: nodes ${(w.start + 1).toLocaleString('en-US')}–${(w.start + w.nodes.length).toLocaleString('en-US')} (in graph order) are drawn. The filter searches every node and moves the drawing to a match; Home / End go to the first / last node.`);
    notice.replaceChildren(...notes.map((t) => Object.assign(document.createElement('p'), { textContent: t })));
    notice.hidden = notes.length === 0;
    markMatches();
  };

  const markMatches = () => {
    const set = new Set(found);
    for (const g of wrap.querySelectorAll<SVGGElement>('.node')) g.classList.toggle('match', set.has(g.dataset.id ?? ''));
    if (state.selected) nodeEl(state.selected)?.classList.add('selected');
  };

  const select = (id: string | undefined, focus: boolean) => {
    if (!view) return;
    if (id !== undefined) draw(id);
    for (const g of wrap.querySelectorAll('.node.selected')) g.classList.remove('selected');
    state = { ...state, selected: id };
    save();
    showDetails(id);
    if (id === undefined) return;
    const g = nodeEl(id);
    if (!g) return;
    g.classList.add('selected');
    if (focus && document.activeElement !== g) g.focus({ preventScroll: true });
    g.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
    const b = g.getBoundingClientRect();
    const r = wrap.getBoundingClientRect();
    if (b.top < r.top || b.bottom > r.bottom || b.left < r.left || b.right > r.right) g.scrollIntoView?.({ block: 'center', inline: 'center' });
  };

  const runFilter = () => {
    state = { ...state, filter: filter.value };
    save();
    found = view ? matches(view.nodes, filter.value) : [];
    const q = filter.value.trim();
    const at = state.selected !== undefined ? found.indexOf(state.selected) : -1;
    count.textContent = !q ? '' : found.length === 0 ? 'No matches' : `${at >= 0 ? `${at + 1} of ` : ''}${found.length.toLocaleString('en-US')} match${found.length === 1 ? '' : 'es'}`;
    count.classList.toggle('none', Boolean(q) && found.length === 0);
    markMatches();
  };

  const jump = (step: 1 | -1) => {
    const id = stepMatch(found, state.selected, step);
    if (id === undefined) return;
    select(id, false);
    runFilter();
  };

  filter.addEventListener('input', () => {
    runFilter();
    // The first match is shown as one types (the focus stays in the box).
    if (found.length && (state.selected === undefined || !found.includes(state.selected))) {
      select(found[0], false);
      runFilter();
    }
  });
  filter.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' || ev.key === 'F3') {
      ev.preventDefault();
      jump(ev.shiftKey ? -1 : 1);
    } else if (ev.key === 'Escape' && filter.value) {
      ev.preventDefault();
      filter.value = '';
      runFilter();
    } else if (ev.key === 'ArrowDown' && state.selected) {
      ev.preventDefault();
      select(state.selected, true);
    }
  });
  prev.addEventListener('click', () => jump(-1));
  next.addEventListener('click', () => jump(1));
  // F3 anywhere in the page: the next match; Ctrl/Cmd+F: the filter box.
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'F3' && ev.target !== filter) {
      ev.preventDefault();
      jump(ev.shiftKey ? -1 : 1);
      if (state.selected) nodeEl(state.selected)?.focus({ preventScroll: true });
    } else if ((ev.ctrlKey || ev.metaKey) && ev.key.toLowerCase() === 'f') {
      ev.preventDefault();
      filter.focus();
      filter.select();
    }
  });

  wrap.addEventListener('click', (ev) => {
    const id = (ev.target as Element).closest<SVGGElement>('.node')?.dataset.id;
    if (id) select(id, true);
  });
  wrap.addEventListener('focusin', (ev) => {
    const id = (ev.target as Element).closest<SVGGElement>('.node')?.dataset.id;
    if (id && id !== state.selected) select(id, false);
  });
  wrap.addEventListener('keydown', (ev) => {
    if (!view || !layout) return;
    const here = (ev.target as Element).closest<SVGGElement>('.node')?.dataset.id;
    if (!here) return;
    let to: string | undefined;
    if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      select(here, true);
      details.querySelector('h2')?.scrollIntoView?.({ block: 'nearest' });
      return;
    }
    if (ev.key === 'Home') to = view.nodes[0]?.id;
    else if (ev.key === 'End') to = view.nodes[view.nodes.length - 1]?.id;
    else if (KEYS[ev.key]) {
      to = neighbour(here, edges, layout.nodes.map((p) => ({ id: p.node.id, x: p.x, y: p.y })), KEYS[ev.key]);
      // Past the drawn window's edge: the next node in graph order that way.
      if (to === undefined && (KEYS[ev.key] === 'down' || KEYS[ev.key] === 'up')) {
        const k = view.nodes.findIndex((n) => n.id === here);
        to = view.nodes[k + (KEYS[ev.key] === 'down' ? 1 : -1)]?.id;
      }
    } else return;
    ev.preventDefault();
    if (to !== undefined) select(to, true);
  });

  const showError = (source: string, message: string) => {
    view = undefined;
    layout = undefined;
    windowStart = -1;
    summary.textContent = `${source}: not shown`;
    histogram.replaceChildren();
    wrap.replaceChildren();
    details.replaceChildren();
    notice.hidden = true;
    body.hidden = true;
    searchBar.hidden = true;
    controls.hidden = true;
    help.hidden = true;
    errorBox.hidden = false;
    errorBox.textContent = message;
  };

  const showGraph = (v: OnnxGraphView) => {
    view = v;
    edges = edgesOf(v.nodes);
    layout = undefined;
    windowStart = -1;
    errorBox.hidden = true;
    body.hidden = false;
    searchBar.hidden = false;
    controls.hidden = false;
    help.hidden = false;
    summary.textContent = summaryLine(v);
    histogram.replaceChildren();
    for (const [op, k] of opHistogram(v.nodes)) {
      const li = el('li', undefined, histogram);
      el('span', 'op', li).textContent = op;
      el('span', 'n', li).textContent = ` ×${k}`;
    }
    if (state.selected !== undefined && !v.nodes.some((n) => n.id === state.selected)) state = { ...state, selected: undefined };
    draw(state.selected);
    runFilter();
    showDetails(state.selected);
    if (state.selected !== undefined) select(state.selected, false);
    // A graph wider than the view opens on its first node (its input), not on the top-left corner.
    else wrap.querySelector<SVGGElement>('.node')?.scrollIntoView?.({ block: 'nearest', inline: 'center' });
  };

  window.addEventListener('message', (ev: MessageEvent) => {
    const m: unknown = ev.data;
    if (!isOnnxEditorMessage(m)) {
      console.warn('spikeworks ONNX editor: dropped a malformed message');
      return;
    }
    try {
      if (m.type === 'error') showError(m.source, m.message);
      else showGraph(m.view);
    } catch (e) {
      showError(m.type === 'error' ? m.source : m.view.source, `The graph could not be drawn: ${(e as Error).message}`);
    }
  });
  showDetails(undefined);
  api.postMessage({ type: 'ready' });
}

if (typeof document !== 'undefined') main();
