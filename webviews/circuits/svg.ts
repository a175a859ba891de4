// The Circuits panel's drawing: the laid-out graph as an SVG element whose every colour and font
// is written out (read from the VS Code theme when drawn), so that the element serialised is a
// self-contained SVG file. Nodes are coloured by the tasks whose circuits hold them (a bar per
// task), components shared by two or more tasks carry a ring in the foreground colour and a
// "shared" tag, components in no circuit are dashed and muted; stroke width is importance.
// Every string from the model is set with textContent.
import { clip, type Layout, type PlacedEdge, type PlacedNode, type Point } from './layout';

const NS = 'http://www.w3.org/2000/svg';

export interface Palette {
  background: string;
  surface: string;
  foreground: string;
  muted: string;
  grid: string;
  focus: string;
  font: string;
  /** One colour per task, in result.tasks order. */
  tasks: string[];
}

function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>, parent?: Element): SVGElementTagNameMap[K] {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  parent?.appendChild(e);
  return e;
}

function text(parent: Element, s: string, attrs: Record<string, string | number>): SVGTextElement {
  const t = svgEl('text', attrs, parent);
  t.textContent = s;
  return t;
}

/** Stroke width for an importance (1.5 px for none up to 6 px for the largest). */
export function strokeFor(importance: number, max: number): number {
  return +(1.5 + 4.5 * Math.max(0, Math.min(1, importance / max))).toFixed(2);
}

/** The colour a component is stroked with: its task's, the foreground when shared, muted when in no circuit. */
export function colourFor(tasks: number[], p: Palette): string {
  if (tasks.length === 0) return p.muted;
  if (tasks.length > 1) return p.foreground;
  return p.tasks[tasks[0] % p.tasks.length];
}

const LEGEND_ROW = 22;

/** Legend items drawn at the top of the SVG; returns its height. */
function legend(svg: SVGSVGElement, taskNames: string[], p: Palette, width: number, top: number): number {
  const g = svgEl('g', { class: 'legend', transform: `translate(16, ${top})` }, svg);
  let x = 0;
  let y = 0;
  const item = (draw: (at: SVGGElement) => void, label: string) => {
    const w = 22 + Math.min(label.length, 64) * 6.6 + 18;
    if (x > 0 && x + w > width - 32) {
      x = 0;
      y += LEGEND_ROW;
    }
    const at = svgEl('g', { transform: `translate(${x}, ${y})` }, g);
    draw(at);
    text(at, clip(label, 64), { x: 20, y: 11, fill: p.muted, 'font-size': 12 });
    x += w;
  };
  taskNames.forEach((name, k) => item((at) => svgEl('rect', { x: 0, y: 1, width: 14, height: 12, rx: 2, fill: p.tasks[k % p.tasks.length] }, at), `task ${name}`));
  item((at) => {
    svgEl('rect', { x: 0, y: 1, width: 14, height: 12, rx: 3, fill: p.surface, stroke: p.foreground, 'stroke-width': 1.5 }, at);
    svgEl('rect', { x: -2.5, y: -1.5, width: 19, height: 17, rx: 5, fill: 'none', stroke: p.foreground, 'stroke-width': 1 }, at);
  }, 'shared by 2+ tasks');
  item((at) => svgEl('rect', { x: 0, y: 1, width: 14, height: 12, rx: 3, fill: p.surface, stroke: p.muted, 'stroke-dasharray': '3 2' }, at), 'in no circuit');
  item((at) => {
    svgEl('line', { x1: 0, y1: 4, x2: 14, y2: 4, stroke: p.muted, 'stroke-width': 1.5 }, at);
    svgEl('line', { x1: 0, y1: 11, x2: 14, y2: 11, stroke: p.muted, 'stroke-width': 5 }, at);
  }, 'line width = importance (metric drop when removed alone)');
  return top + y + LEGEND_ROW + 8;
}

/** A smooth curve through every one of dagre's points (Catmull-Rom as cubic Béziers). */
function pathOf(points: Point[]): string {
  const f = (q: Point) => `${q.x.toFixed(1)},${q.y.toFixed(1)}`;
  if (points.length < 2) return points.length ? `M${f(points[0])}` : '';
  let d = `M${f(points[0])}`;
  for (let k = 0; k < points.length - 1; k++) {
    const p0 = points[Math.max(0, k - 1)];
    const p1 = points[k];
    const p2 = points[k + 1];
    const p3 = points[Math.min(points.length - 1, k + 2)];
    const c1 = { x: p1.x + (p2.x - p0.x) / 6, y: p1.y + (p2.y - p0.y) / 6 };
    const c2 = { x: p2.x - (p3.x - p1.x) / 6, y: p2.y - (p3.y - p1.y) / 6 };
    d += ` C${f(c1)} ${f(c2)} ${f(p2)}`;
  }
  return d;
}

/** A loop from the first point up and back down to the second (a self-projection). */
function loopOf(points: Point[]): { d: string; tail: Point } {
  const [a, b] = points;
  const rise = 34;
  const c1 = { x: a.x - 8, y: a.y - rise };
  const c2 = { x: b.x + 8, y: b.y - rise };
  return { d: `M${a.x},${a.y} C${c1.x},${c1.y} ${c2.x},${c2.y} ${b.x},${b.y}`, tail: c2 };
}

/** An arrowhead at the last point, pointing along the last segment. */
function arrow(points: Point[], size: number): string {
  const b = points[points.length - 1];
  const a = points[points.length - 2] ?? { x: b.x - 1, y: b.y };
  const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  const ux = (b.x - a.x) / len;
  const uy = (b.y - a.y) / len;
  const l = 6 + size * 1.2;
  const w = 3.5 + size * 0.6;
  const bx = b.x - ux * l;
  const by = b.y - uy * l;
  return `${b.x.toFixed(1)},${b.y.toFixed(1)} ${(bx - uy * w).toFixed(1)},${(by + ux * w).toFixed(1)} ${(bx + uy * w).toFixed(1)},${(by - ux * w).toFixed(1)}`;
}

function drawEdge(parent: SVGGElement, e: PlacedEdge, max: number, p: Palette, aria: (id: string) => string): void {
  if (e.points.length < 2) return;
  const colour = e.partOf ? p.muted : colourFor(e.tasks, p);
  const width = e.partOf ? 1.2 : strokeFor(e.importance, max);
  const g = svgEl('g', { class: `edge${e.partOf ? ' part-of' : ''}${e.tasks.length > 1 ? ' shared' : ''}`, 'data-tasks': e.tasks.join(' ') }, parent);
  if (e.component) {
    g.setAttribute('data-id', e.component.id);
    g.setAttribute('data-from', e.from);
    g.setAttribute('data-to', e.to);
    g.setAttribute('tabindex', '0');
    g.setAttribute('role', 'button');
    g.setAttribute('aria-label', aria(e.component.id));
    svgEl('title', {}, g).textContent = aria(e.component.id);
  }
  const loop = e.loop ? loopOf(e.points) : undefined;
  const d = loop ? loop.d : pathOf(e.points);
  // A wide transparent path under the line: easier to click.
  if (e.component) svgEl('path', { d, fill: 'none', stroke: 'transparent', 'stroke-width': 12, class: 'hit' }, g);
  svgEl('path', { d, fill: 'none', stroke: colour, 'stroke-width': width, 'stroke-linecap': 'round', class: 'line', ...(e.partOf || e.tasks.length === 0 ? { 'stroke-dasharray': e.partOf ? '2 4' : '6 4' } : {}) }, g);
  if (!e.partOf) svgEl('polygon', { points: arrow(loop ? [loop.tail, e.points[1]] : e.points, width), fill: colour }, g);
  if (e.labelAt && e.label) {
    const label = clip(e.label, 20);
    svgEl('rect', { x: e.labelAt.x - label.length * 3.2 - 4, y: e.labelAt.y - 8, width: label.length * 6.4 + 8, height: 15, rx: 3, fill: p.background, opacity: 0.85 }, g);
    text(g, label, { x: e.labelAt.x, y: e.labelAt.y + 4, 'text-anchor': 'middle', fill: p.muted, 'font-size': 11 });
  }
}

function drawNode(parent: SVGGElement, n: PlacedNode, max: number, p: Palette, aria: (id: string) => string): void {
  const x = n.x - n.width / 2;
  const y = n.y - n.height / 2;
  const shared = n.tasks.length > 1;
  const g = svgEl('g', { class: `node${shared ? ' shared' : ''}${n.tasks.length === 0 ? ' unused' : ''}`, 'data-id': n.id, 'data-tasks': n.tasks.join(' '), transform: `translate(${x.toFixed(1)}, ${y.toFixed(1)})` }, parent);
  if (n.component) {
    g.setAttribute('tabindex', '0');
    g.setAttribute('role', 'button');
  }
  g.setAttribute('aria-label', n.component ? aria(n.id) : n.label);
  svgEl('title', {}, g).textContent = n.component ? aria(n.id) : n.label;
  const colour = colourFor(n.tasks, p);
  const width = strokeFor(n.importance, max);
  // Drawn only on the page (its CSS strokes it when the component has the focus); invisible in an export.
  svgEl('rect', { class: 'focus-ring', x: -9, y: -9, width: n.width + 18, height: n.height + 18, rx: 12, fill: 'none', stroke: 'none' }, g);
  if (shared) svgEl('rect', { class: 'ring', x: -5, y: -5, width: n.width + 10, height: n.height + 10, rx: 10, fill: 'none', stroke: p.foreground, 'stroke-width': 1.2, opacity: 0.9 }, g);
  svgEl('rect', { class: 'box', x: 0, y: 0, width: n.width, height: n.height, rx: 6, fill: p.surface, stroke: colour, 'stroke-width': width, ...(n.tasks.length === 0 ? { 'stroke-dasharray': '5 3' } : {}) }, g);
  // One bar per task whose circuit holds it, along the bottom.
  const bars = n.tasks.length;
  if (bars) {
    const bw = (n.width - 16) / bars;
    n.tasks.forEach((t, k) => svgEl('rect', { class: 'task-bar', 'data-task': t, x: 8 + k * bw, y: n.height - 8, width: Math.max(2, bw - 2), height: 4, rx: 1, fill: p.tasks[t % p.tasks.length] }, g));
  }
  text(g, clip(n.label), { class: 'label', x: 12, y: 19, fill: n.tasks.length ? p.foreground : p.muted, 'font-size': 13, 'font-weight': 600 });
  text(g, clip(n.detail, 34), { class: 'detail', x: 12, y: 35, fill: p.muted, 'font-size': 11 });
  if (shared) {
    const tag = 'shared';
    svgEl('rect', { x: n.width - 52, y: -9, width: 46, height: 16, rx: 8, fill: p.foreground }, g);
    text(g, tag, { x: n.width - 29, y: 3, 'text-anchor': 'middle', fill: p.surface, 'font-size': 10, 'font-weight': 600 });
  }
}

/**
 * The graph as an SVG element: a title and subtitle, the legend, then edges under nodes. `aria(id)` describes a
 * component (its tooltip and accessible name). The element is standalone: serialise it to export.
 */
export function drawGraph(layout: Layout, taskNames: string[], maxImportance: number, p: Palette, aria: (id: string) => string, title: string, subtitle: string): SVGSVGElement {
  const width = Math.max(layout.width, 640);
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('xmlns', NS);
  svg.setAttribute('font-family', p.font);
  svg.setAttribute('role', 'group');
  svg.setAttribute('aria-label', title);
  svgEl('title', {}, svg).textContent = title;
  const bg = svgEl('rect', { x: 0, y: 0, width, height: 0, fill: p.background }, svg);
  // The header every export carries: what this is and how it was found.
  text(svg, title, { class: 'head', x: 16, y: 22, fill: p.foreground, 'font-size': 14, 'font-weight': 600 });
  text(svg, subtitle, { class: 'head', x: 16, y: 40, fill: p.muted, 'font-size': 11 });
  const top = legend(svg, taskNames, p, width, 54);
  const body = svgEl('g', { class: 'graph', transform: `translate(${((width - layout.width) / 2).toFixed(1)}, ${top})` }, svg);
  const edges = svgEl('g', { class: 'edges' }, body);
  for (const e of layout.edges) drawEdge(edges, e, maxImportance, p, aria);
  const nodes = svgEl('g', { class: 'nodes' }, body);
  for (const n of layout.nodes) drawNode(nodes, n, maxImportance, p, aria);
  const height = top + layout.height;
  bg.setAttribute('height', String(height));
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  return svg;
}

/** The drawing as an SVG file (the focus outline and other page-only classes carry no style of their own). */
export function svgFile(svg: SVGSVGElement): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(svg)}\n`;
}

/** The drawing as a PNG data URL at `scale` (drawn from the SVG file through an image and a canvas). */
export async function pngOf(svg: SVGSVGElement, scale: number): Promise<string> {
  const width = Number(svg.getAttribute('width'));
  const height = Number(svg.getAttribute('height'));
  const url = URL.createObjectURL(new Blob([svgFile(svg)], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.width = width;
    img.height = height;
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the SVG could not be drawn as an image'));
      img.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    const g = canvas.getContext('2d');
    if (!g) throw new Error('no 2D canvas');
    g.scale(scale, scale);
    g.drawImage(img, 0, 0, width, height);
    return canvas.toDataURL('image/png');
  } finally {
    URL.revokeObjectURL(url);
  }
}
