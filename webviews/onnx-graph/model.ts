// The .onnx editor's view of a graph, pure (tested in Node): edges from the tensors that join
// ops (initializers are folded into their op, not drawn), the op histogram and the summary line,
// the filter's matches, the neighbours the arrow keys go to, and the window of nodes laid out
// when the graph is too large to lay out at once.
import type { OnnxGraphView, OnnxViewNode } from '../../protocol/onnx-editor';

export interface ViewEdge {
  from: string;
  to: string;
  tensor: string;
  shape?: string;
}

/** Graphs with more nodes than this are laid out a window at a time (dagre's time grows fast). */
export const MAX_LAID_OUT = 200;

/** Edges: a tensor written by one node and read by another (graph inputs write, graph outputs read). */
export function edgesOf(nodes: readonly OnnxViewNode[]): ViewEdge[] {
  const producer = new Map<string, { id: string; shape?: string }>();
  for (const n of nodes) for (const t of n.outputs) if (!producer.has(t.name)) producer.set(t.name, { id: n.id, shape: t.shape });
  const out: ViewEdge[] = [];
  for (const n of nodes)
    for (const t of n.inputs) {
      if (t.initializer || !t.name) continue;
      const p = producer.get(t.name);
      if (!p || p.id === n.id) continue;
      out.push({ from: p.id, to: n.id, tensor: t.name, ...((t.shape ?? p.shape) !== undefined ? { shape: t.shape ?? p.shape } : {}) });
    }
  return out;
}

/** Op types by count, most frequent first (ties by name). Graph inputs and outputs are not ops. */
export function opHistogram(nodes: readonly OnnxViewNode[]): [string, number][] {
  const h = new Map<string, number>();
  for (const n of nodes) if (n.kind === 'op') h.set(n.opType, (h.get(n.opType) ?? 0) + 1);
  return [...h].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

/** 1234567 → "1.23 M"; below 10,000 written in full. */
export function formatCount(n: number): string {
  if (n < 10_000) return n.toLocaleString('en-US');
  if (n < 1e6) return `${(n / 1e3).toPrecision(3)} k`;
  if (n < 1e9) return `${(n / 1e6).toPrecision(3)} M`;
  return `${(n / 1e9).toPrecision(3)} G`;
}

export function summaryLine(v: OnnxGraphView): string {
  const ops = v.nodes.filter((n) => n.kind === 'op').length;
  const parts = [
    `${v.source}${v.graphName ? ` (graph ${v.graphName})` : ''}`,
    `${ops.toLocaleString('en-US')} op${ops === 1 ? '' : 's'}`,
    `${formatCount(v.totalParams)} parameter${v.totalParams === 1 ? '' : 's'}`,
    v.opsets ? `opset ${v.opsets}` : 'no opset',
    `IR ${v.irVersion}`,
  ];
  if (v.producer) parts.push(`from ${v.producer}`);
  return parts.join(' · ');
}

/** Nodes whose name, op type or one of whose tensors contains `query` (case-insensitive), in graph order. */
export function matches(nodes: readonly OnnxViewNode[], query: string): string[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const hit = (s: string) => s.toLowerCase().includes(q);
  return nodes.filter((n) => hit(n.name) || hit(n.opType) || n.inputs.some((t) => hit(t.name)) || n.outputs.some((t) => hit(t.name))).map((n) => n.id);
}

/** The match after (step 1) or before (step -1) `current`, wrapping; the first when `current` is not a match. */
export function stepMatch(found: readonly string[], current: string | undefined, step: 1 | -1): string | undefined {
  if (!found.length) return undefined;
  const k = current === undefined ? -1 : found.indexOf(current);
  if (k < 0) return step === 1 ? found[0] : found[found.length - 1];
  return found[(k + step + found.length) % found.length];
}

/**
 * The nodes laid out: all of them when there are at most `max`, else `max` consecutive nodes (graph
 * order is topological in ONNX) centred on `focus`. `start` is the first's index.
 */
export function windowOf(nodes: readonly OnnxViewNode[], focus: string | undefined, max = MAX_LAID_OUT): { start: number; nodes: OnnxViewNode[] } {
  if (nodes.length <= max) return { start: 0, nodes: [...nodes] };
  const at = Math.max(0, focus === undefined ? 0 : nodes.findIndex((n) => n.id === focus));
  const start = Math.min(nodes.length - max, Math.max(0, at - Math.floor(max / 2)));
  return { start, nodes: nodes.slice(start, start + max) };
}

/** Where each arrow key goes from a node: down = first consumer, up = first producer, left/right = the previous/next node of its rank by x. */
export type Arrow = 'up' | 'down' | 'left' | 'right';

export function neighbour(id: string, edges: readonly ViewEdge[], placed: readonly { id: string; x: number; y: number }[], arrow: Arrow): string | undefined {
  if (arrow === 'down') return edges.find((e) => e.from === id)?.to;
  if (arrow === 'up') return edges.find((e) => e.to === id)?.from;
  const here = placed.find((p) => p.id === id);
  if (!here) return undefined;
  // The nearest node that way among those roughly level with this one; else the nearest that way at all.
  const that = placed.filter((p) => p.id !== id && (arrow === 'right' ? p.x > here.x : p.x < here.x));
  const level = that.filter((p) => Math.abs(p.y - here.y) < 30);
  const pool = level.length ? level : that;
  let best: string | undefined;
  let d = Infinity;
  for (const p of pool) {
    const dd = Math.abs(p.x - here.x) + 2 * Math.abs(p.y - here.y);
    if (dd < d) [best, d] = [p.id, dd];
  }
  return best;
}

/** The details pane's lines for one node, as [label, text] rows. */
export function detailRows(n: OnnxViewNode): [string, string][] {
  const rows: [string, string][] = [];
  rows.push(['kind', n.kind === 'op' ? `op ${n.opType}${n.domain ? ` (domain ${n.domain})` : ''}` : n.kind === 'input' ? 'graph input' : 'graph output']);
  rows.push(['name', n.name]);
  const tensor = (t: { name: string; shape?: string; initializer?: boolean }) => `${t.name || '(none)'}  ${t.shape ?? 'shape unknown'}${t.initializer ? '  (initializer)' : ''}`;
  n.inputs.forEach((t, k) => rows.push([k === 0 ? 'inputs' : '', tensor(t)]));
  n.outputs.forEach((t, k) => rows.push([k === 0 ? 'outputs' : '', tensor(t)]));
  if (n.kind === 'op') rows.push(['parameters', `${n.params.toLocaleString('en-US')} in ${n.initializers} initializer${n.initializers === 1 ? '' : 's'}`]);
  n.attributes.forEach(([k, v], i) => rows.push([i === 0 ? 'attributes' : '', `${k} = ${v}`]));
  return rows;
}
