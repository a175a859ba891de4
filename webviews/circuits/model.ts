// What the Circuits panel draws and lists, from a CircuitsResult (pure, tested in Node): the graph
// (populations and groups as nodes, projections as edges, a group tied to the population it
// slices), which tasks use each component, its importance, and the rows of the tables.
import type { CircuitComponent, CircuitsResult } from '../../protocol/circuits';

export interface GraphNode {
  id: string;
  label: string;
  /** Second line: kind and size. */
  detail: string;
  /** The component, when the result lists one (an edge's end it does not list is drawn plain). */
  component?: CircuitComponent;
  /** Indices into result.tasks of the tasks whose circuit holds it. */
  tasks: number[];
  /** The largest importance over those tasks, 0 when none. */
  importance: number;
}

export interface GraphEdge {
  from: string;
  to: string;
  /** The projection's component id, or '' for a group's tie to its population. */
  projection: string;
  label: string;
  component?: CircuitComponent;
  tasks: number[];
  importance: number;
  /** A group's tie to the population it slices (drawn dashed, not a projection). */
  partOf?: boolean;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** The largest importance of any component (for the widths), at least a tiny positive number. */
  maxImportance: number;
}

/** Per component id: the indices of the tasks whose circuit holds it. */
export function taskUse(result: CircuitsResult): Map<string, number[]> {
  const use = new Map<string, number[]>();
  result.tasks.forEach((t, k) => {
    for (const c of t.components) {
      const list = use.get(c) ?? [];
      if (!list.includes(k)) list.push(k);
      use.set(c, list);
    }
  });
  return use;
}

/** The largest importance of `id` over the tasks whose circuit holds it (0 when none). */
export function importanceOf(result: CircuitsResult, id: string): number {
  let best = 0;
  for (const t of result.tasks) {
    const v = t.importance[id];
    if (t.components.includes(id) && Number.isFinite(v) && v > best) best = v;
  }
  return best;
}

const plural = (n: number, one: string, many: string) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

export function componentDetail(c: CircuitComponent): string {
  if (c.kind === 'projection') return `projection · ${plural(c.size, 'synapse', 'synapses')}`;
  if (c.kind === 'group') return `group · ${plural(c.size, 'neuron', 'neurons')}`;
  if (c.kind === 'head') return `attention head · ${plural(c.size, 'value', 'values')} per position`;
  if (c.kind === 'unit' || c.kind === 'channel') return c.kind;
  return `population · ${plural(c.size, 'neuron', 'neurons')}`;
}

/** A readable name for an id the result does not list (`pop:exc` → `exc`). */
function bareLabel(id: string): string {
  const k = id.indexOf(':');
  return k >= 0 ? id.slice(k + 1) : id;
}

/** Whether the graph shows every component, or only those in some task's circuit (with the ends of their projections). */
export type Show = 'all' | 'circuits';

/** Graphs with more nodes than this open with only the circuits shown. */
export const SHOW_ALL_UP_TO = 30;

export function defaultShow(result: CircuitsResult): Show {
  return result.components.filter((c) => c.kind !== 'projection').length > SHOW_ALL_UP_TO ? 'circuits' : 'all';
}

export function graphOf(result: CircuitsResult, show: Show = 'all'): Graph {
  const full = graphOfAll(result);
  if (show === 'all') return full;
  const edges = full.edges.filter((e) => !e.partOf && e.tasks.length > 0);
  const keep = new Set([...full.nodes.filter((n) => n.tasks.length > 0).map((n) => n.id), ...edges.flatMap((e) => [e.from, e.to])]);
  const ties = full.edges.filter((e) => e.partOf && keep.has(e.from) && keep.has(e.to));
  return { nodes: full.nodes.filter((n) => keep.has(n.id)), edges: [...edges, ...ties], maxImportance: full.maxImportance };
}

function graphOfAll(result: CircuitsResult): Graph {
  const use = taskUse(result);
  const byId = new Map(result.components.map((c) => [c.id, c]));
  const nodes: GraphNode[] = [];
  const seen = new Set<string>();
  const addNode = (id: string) => {
    if (seen.has(id)) return;
    seen.add(id);
    const c = byId.get(id);
    nodes.push({ id, label: c?.label ?? bareLabel(id), detail: c ? componentDetail(c) : 'not a component', component: c, tasks: use.get(id) ?? [], importance: importanceOf(result, id) });
  };
  for (const c of result.components) if (c.kind !== 'projection') addNode(c.id);
  const edges: GraphEdge[] = [];
  for (const e of result.edges) {
    addNode(e.from);
    addNode(e.to);
    const c = byId.get(e.projection);
    edges.push({ from: e.from, to: e.to, projection: e.projection, label: c?.label ?? bareLabel(e.projection), component: c, tasks: use.get(e.projection) ?? [], importance: importanceOf(result, e.projection) });
  }
  // A group hangs off the population it slices, when that population is drawn.
  for (const c of result.components) {
    const parent = `pop:${c.population}`;
    if (c.kind === 'group' && seen.has(parent)) edges.push({ from: parent, to: c.id, projection: '', label: '', tasks: [], importance: 0, partOf: true });
  }
  const all = [...nodes.map((n) => n.importance), ...edges.map((e) => e.importance)];
  return { nodes, edges, maxImportance: Math.max(1e-12, ...all) };
}

/** A metric's value as shown: accuracy in per cent, anything else to 3 significant digits. */
export function formatMetric(name: string, v: number): string {
  if (!Number.isFinite(v)) return '–';
  return name === 'accuracy' ? `${(100 * v).toFixed(1)} %` : v.toPrecision(3);
}

export const TASK_HEADER = ['task', 'readout', 'metric', 'clean', 'circuit only', 'circuit ablated', 'control (random, same size): mean ± SD', 'chance', 'components'];

export function taskRows(result: CircuitsResult): string[][] {
  return result.tasks.map((t) => {
    const m = t.metric;
    const f = (v: number) => formatMetric(m.name, v);
    return [t.task, t.readout, m.name, f(m.clean), f(m.circuitOnly), f(m.circuitAblated), `${f(m.control.mean)} ± ${f(m.control.sd)} (${plural(m.control.draws, 'draw', 'draws')})`, f(m.chance), String(t.components.length)];
  });
}

export const REUSE_HEADER = ['task A', 'task B', 'shared', 'Jaccard = |A ∩ B| / |A ∪ B|', 'overlap = |A ∩ B| / min(|A|, |B|)', 'shared components'];

export function reuseRows(result: CircuitsResult): string[][] {
  const label = labelOf(result);
  return result.reuse.map((r) => [r.a, r.b, String(r.shared.length), r.jaccard.toFixed(2), r.overlap.toFixed(2), r.shared.map(label).join(', ') || '–']);
}

export const PATCH_HEADER = ['from', 'to', 'patched components', 'before', 'after', 'change'];

export function patchRows(result: CircuitsResult): string[][] {
  const label = labelOf(result);
  const metricOf = (task: string) => result.tasks.find((t) => t.task === task)?.metric.name ?? '';
  return result.patches.map((p) => {
    const name = metricOf(p.to);
    const d = p.after - p.before;
    const change = name === 'accuracy' ? `${d >= 0 ? '+' : '−'}${(100 * Math.abs(d)).toFixed(1)} points` : `${d >= 0 ? '+' : '−'}${Math.abs(d).toPrecision(3)}`;
    return [p.from, p.to, p.components.map(label).join(', ') || '–', formatMetric(name, p.before), formatMetric(name, p.after), change];
  });
}

/** The components table: one row per component, its importance in each task's circuit ('' when outside it). */
export function componentHeader(result: CircuitsResult): string[] {
  return ['component', 'kind', 'size', ...result.tasks.map((t) => `importance in ${t.task}`), 'used by'];
}

/** One row per component: those in more circuits first, then by importance, else in the result's order. */
export function componentRows(result: CircuitsResult): { id: string; cells: string[] }[] {
  const use = taskUse(result);
  const order = result.components.map((c, k) => ({ c, k, n: (use.get(c.id) ?? []).length, imp: importanceOf(result, c.id) }));
  order.sort((a, b) => b.n - a.n || b.imp - a.imp || a.k - b.k);
  return order.map(({ c }) => {
    const tasks = use.get(c.id) ?? [];
    const imp = result.tasks.map((t) => (t.components.includes(c.id) ? (t.importance[c.id] ?? 0).toFixed(3) : ''));
    const usedBy = tasks.length === 0 ? 'no circuit' : `${tasks.map((k) => result.tasks[k].task).join(', ')}${tasks.length > 1 ? ' (shared)' : ''}`;
    return { id: c.id, cells: [c.label, c.kind, c.size.toLocaleString('en-US'), ...imp, usedBy] };
  });
}

function labelOf(result: CircuitsResult): (id: string) => string {
  const byId = new Map(result.components.map((c) => [c.id, c.label]));
  return (id) => byId.get(id) ?? bareLabel(id);
}

/** One line about a component for the details under the graph and its aria label. */
export function describeComponent(result: CircuitsResult, id: string): string {
  const c = result.components.find((x) => x.id === id);
  const head = c ? `${c.label}: ${componentDetail(c)}` : bareLabel(id);
  const uses = result.tasks.filter((t) => t.components.includes(id)).map((t) => `${t.task} (importance ${(t.importance[id] ?? 0).toFixed(3)})`);
  if (!uses.length) return `${head}; in no task's circuit`;
  return `${head}; in the circuit of ${uses.join(', ')}${uses.length > 1 ? '; shared' : ''}`;
}

export function summaryLine(result: CircuitsResult): string {
  const secs = result.seconds >= 10 ? result.seconds.toFixed(0) : result.seconds.toFixed(1);
  return `${result.source}: ${plural(result.tasks.length, 'task', 'tasks')}, ${plural(result.components.length, 'component', 'components')} · intervention ${result.intervention} · threshold ${result.threshold} · seed ${result.seed} · ${plural(result.runs, 'run', 'runs')} in ${secs} s${result.cancelled ? ' · stopped early: partial result' : ''}`;
}

/** The exported picture's second line: how the circuits were found. */
export function exportSubtitle(result: CircuitsResult): string {
  return `${plural(result.tasks.length, 'task', 'tasks')} · intervention ${result.intervention} · threshold ${result.threshold} · seed ${result.seed} · ${plural(result.runs, 'run', 'runs')}${result.cancelled ? ' · stopped early: partial' : ''}`;
}
