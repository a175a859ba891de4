// The ONNX graph laid out by dagre, top to bottom: each op a box sized to its text (op type, name,
// output shape, parameters), graph inputs and outputs as rounded boxes, each tensor an edge whose
// label (its shape) beside it. Pure (runs in the page and in Node tests).
import dagre from '@dagrejs/dagre';
import type { OnnxViewNode } from '../../protocol/onnx-editor';
import { formatCount, type ViewEdge } from './model';

export interface Point {
  x: number;
  y: number;
}
export interface PlacedNode {
  node: OnnxViewNode;
  /** Centre and size. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** The box's lines of text, first the op type. */
  lines: string[];
}
export interface PlacedEdge extends ViewEdge {
  points: Point[];
  labelAt?: Point;
  label: string;
}
export interface Layout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

const CHAR = 7;
const LINE = 16;
const MARGIN = 16;
export const MAX_TEXT = 32;

export function clip(s: string, n = MAX_TEXT): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

/** What a node's box says: its op type, its name (when it differs), its first output's shape, its parameters. */
export function boxLines(n: OnnxViewNode): string[] {
  if (n.kind !== 'op') {
    const t = n.kind === 'input' ? n.outputs[0] : n.inputs[0];
    return [n.kind === 'input' ? 'input' : 'output', clip(n.name), clip(t?.shape ?? 'shape unknown')];
  }
  const lines = [clip(n.opType), clip(n.name)];
  const shapes = n.outputs.map((t) => t.shape ?? '?');
  if (shapes.length) lines.push(clip(shapes.length > 1 ? `${shapes[0]} +${shapes.length - 1}` : shapes[0]));
  if (n.initializers > 0) lines.push(`${formatCount(n.params)} params · ${n.initializers} init`);
  return lines;
}

export function layoutGraph(nodes: readonly OnnxViewNode[], edges: readonly ViewEdge[]): Layout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 38, edgesep: 10, marginx: MARGIN, marginy: MARGIN });
  g.setDefaultEdgeLabel(() => ({}));
  const lines = new Map<string, string[]>();
  for (const n of nodes) {
    const l = boxLines(n);
    lines.set(n.id, l);
    g.setNode(n.id, { width: Math.max(96, Math.ceil(Math.max(...l.map((s) => s.length)) * CHAR) + 20), height: l.length * LINE + 12 });
  }
  const here = new Set(nodes.map((n) => n.id));
  const drawn = edges.filter((e) => here.has(e.from) && here.has(e.to));
  drawn.forEach((e, k) => {
    const text = clip(e.shape ?? '', 24);
    g.setEdge(e.from, e.to, text ? { width: text.length * 6 + 6, height: 12, labelpos: 'r', labeloffset: 6 } : { width: 0, height: 0 }, `e${k}`);
  });
  dagre.layout(g);
  const placed = nodes.map((n): PlacedNode => {
    const p = g.node(n.id);
    return { node: n, x: p.x, y: p.y, width: p.width, height: p.height, lines: lines.get(n.id)! };
  });
  const edgesOut = drawn.map((e, k): PlacedEdge => {
    const p = g.edge({ v: e.from, w: e.to, name: `e${k}` });
    const label = clip(e.shape ?? '', 24);
    return { ...e, label, points: (p.points ?? []).map((q: Point) => ({ x: q.x, y: q.y })), ...(label && typeof p.x === 'number' && typeof p.y === 'number' ? { labelAt: { x: p.x, y: p.y } } : {}) };
  });
  const info = g.graph();
  let width = info.width ?? 0;
  let height = info.height ?? 0;
  for (const e of edgesOut)
    for (const q of e.points) {
      width = Math.max(width, q.x + MARGIN);
      height = Math.max(height, q.y + MARGIN);
    }
  return { width: Math.ceil(width), height: Math.ceil(height), nodes: placed, edges: edgesOut };
}
