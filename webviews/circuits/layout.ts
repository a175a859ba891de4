// The Circuits panel's graph laid out by dagre (layered, left to right, edges routed around
// nodes): node boxes sized to their text, a self-projection as a loop, labels of projections
// placed by the layout. Pure (runs in the page and in Node tests).
import dagre from '@dagrejs/dagre';
import type { Graph, GraphEdge, GraphNode } from './model';

export interface Point {
  x: number;
  y: number;
}
export interface PlacedNode extends GraphNode {
  /** Centre and size. */
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface PlacedEdge extends GraphEdge {
  points: Point[];
  /** Where the projection's label sits (undefined when it has none). */
  labelAt?: Point;
  /** A projection of a node onto itself: `points` are the loop's two ends on the top of the box. */
  loop?: boolean;
}
export interface Layout {
  width: number;
  height: number;
  nodes: PlacedNode[];
  edges: PlacedEdge[];
}

/** Text longer than this is cut with an ellipsis in the drawing (the full text is in its tooltip). */
export const MAX_LABEL = 28;
export const NODE_HEIGHT = 50;
/** Room above a box for its self-projection's loop and label. */
export const LOOP_ROOM = 40;
const CHAR = 7.2;
const MARGIN = 16;

export function clip(s: string, n = MAX_LABEL): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

export function nodeWidth(n: GraphNode): number {
  return Math.max(110, Math.ceil(Math.max(clip(n.label).length * (CHAR + 0.6), clip(n.detail, 34).length * (CHAR - 0.8))) + 28);
}

export function layoutGraph(graph: Graph): Layout {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: 'LR', nodesep: 28, ranksep: 90, edgesep: 16, marginx: MARGIN, marginy: MARGIN });
  g.setDefaultEdgeLabel(() => ({}));
  // Self-projections are drawn here as a loop over the box (dagre's own self-loops sit badly in
  // a left-to-right layout): the node is laid out taller by the loop's room.
  const looped = new Set(graph.edges.filter((e) => e.from === e.to).map((e) => e.from));
  for (const n of graph.nodes) g.setNode(n.id, { width: nodeWidth(n), height: NODE_HEIGHT + (looped.has(n.id) ? LOOP_ROOM : 0) });
  graph.edges.forEach((e, k) => {
    if (e.from === e.to) return;
    const text = e.partOf ? '' : clip(e.label, 20);
    g.setEdge(e.from, e.to, text ? { width: text.length * 6.4 + 8, height: 14, labelpos: 'c' } : { width: 0, height: 0 }, `e${k}`);
  });
  dagre.layout(g);
  const nodes = graph.nodes.map((n) => {
    const p = g.node(n.id);
    const shift = looped.has(n.id) ? LOOP_ROOM / 2 : 0;
    return { ...n, x: p.x, y: p.y + shift, width: p.width, height: NODE_HEIGHT };
  });
  const at = new Map(nodes.map((n) => [n.id, n]));
  const edges = graph.edges.map((e, k): PlacedEdge => {
    if (e.from === e.to) {
      const n = at.get(e.from)!;
      const top = n.y - n.height / 2;
      const left = n.x - n.width / 2;
      return { ...e, loop: true, points: [{ x: left + 22, y: top }, { x: left + 62, y: top }], ...(e.label ? { labelAt: { x: left + 42, y: top - LOOP_ROOM + 8 } } : {}) };
    }
    const p = g.edge({ v: e.from, w: e.to, name: `e${k}` });
    const points = (p.points ?? []).map((q: Point) => ({ x: q.x, y: q.y }));
    // Ends on a box laid out taller for its loop: moved onto the box as drawn.
    const onBox = (q: Point | undefined, id: string) => {
      const n = at.get(id)!;
      if (q && looped.has(id)) q.y = Math.min(n.y + n.height / 2, Math.max(n.y - n.height / 2, q.y));
    };
    onBox(points[0], e.from);
    onBox(points[points.length - 1], e.to);
    const labelled = !e.partOf && e.label && typeof p.x === 'number' && typeof p.y === 'number';
    return { ...e, points, ...(labelled ? { labelAt: { x: p.x!, y: p.y! } } : {}) };
  });
  const info = g.graph();
  // The layout's size, grown to hold every point.
  let width = info.width ?? 0;
  let height = info.height ?? 0;
  for (const e of edges) for (const q of e.points) {
    width = Math.max(width, q.x + MARGIN);
    height = Math.max(height, q.y + MARGIN);
  }
  return { width: Math.ceil(width), height: Math.ceil(height), nodes, edges };
}
