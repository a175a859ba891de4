// Drawing primitives with two back ends, so that axes, labels and bands are drawn by one piece
// of code to the screen (2D canvas) and to an SVG export.

export interface TextStyle {
  color: string;
  align?: 'left' | 'center' | 'right';
  baseline?: 'top' | 'middle' | 'bottom';
  size?: number;
  bold?: boolean;
  /** Rotate −90° (vertical axis titles). */
  vertical?: boolean;
}

export interface Painter {
  rect(x: number, y: number, w: number, h: number, fill: string, opacity?: number): void;
  strokeRect(x: number, y: number, w: number, h: number, stroke: string, width?: number): void;
  line(x1: number, y1: number, x2: number, y2: number, stroke: string, width?: number, dash?: number[]): void;
  polyline(xs: ArrayLike<number>, ys: ArrayLike<number>, n: number, stroke: string, width?: number, opacity?: number): void;
  /** A filled closed polygon (bands). */
  polygon(xs: ArrayLike<number>, ys: ArrayLike<number>, n: number, fill: string, opacity?: number): void;
  text(s: string, x: number, y: number, style: TextStyle): void;
  measure(s: string, size?: number): number;
}

export const FONT_FAMILY = 'var(--vscode-font-family, system-ui, sans-serif)';

function fontFamily(): string {
  return getComputedStyle(document.body).getPropertyValue('--vscode-font-family').trim() || 'system-ui, sans-serif';
}

export class CanvasPainter implements Painter {
  private family = fontFamily();
  constructor(private g: CanvasRenderingContext2D) {}
  rect(x: number, y: number, w: number, h: number, fill: string, opacity = 1): void {
    this.g.globalAlpha = opacity;
    this.g.fillStyle = fill;
    this.g.fillRect(x, y, w, h);
    this.g.globalAlpha = 1;
  }
  strokeRect(x: number, y: number, w: number, h: number, stroke: string, width = 1): void {
    this.g.strokeStyle = stroke;
    this.g.lineWidth = width;
    this.g.setLineDash([]);
    this.g.strokeRect(x, y, w, h);
  }
  line(x1: number, y1: number, x2: number, y2: number, stroke: string, width = 1, dash: number[] = []): void {
    const g = this.g;
    g.strokeStyle = stroke;
    g.lineWidth = width;
    g.setLineDash(dash);
    g.beginPath();
    g.moveTo(x1, y1);
    g.lineTo(x2, y2);
    g.stroke();
    g.setLineDash([]);
  }
  polyline(xs: ArrayLike<number>, ys: ArrayLike<number>, n: number, stroke: string, width = 1, opacity = 1): void {
    if (n < 1) return;
    const g = this.g;
    g.globalAlpha = opacity;
    g.strokeStyle = stroke;
    g.lineWidth = width;
    g.lineJoin = 'round';
    g.beginPath();
    g.moveTo(xs[0], ys[0]);
    for (let i = 1; i < n; i++) g.lineTo(xs[i], ys[i]);
    g.stroke();
    g.globalAlpha = 1;
  }
  polygon(xs: ArrayLike<number>, ys: ArrayLike<number>, n: number, fill: string, opacity = 1): void {
    if (n < 3) return;
    const g = this.g;
    g.globalAlpha = opacity;
    g.fillStyle = fill;
    g.beginPath();
    g.moveTo(xs[0], ys[0]);
    for (let i = 1; i < n; i++) g.lineTo(xs[i], ys[i]);
    g.closePath();
    g.fill();
    g.globalAlpha = 1;
  }
  text(s: string, x: number, y: number, st: TextStyle): void {
    const g = this.g;
    g.save();
    g.fillStyle = st.color;
    g.font = `${st.bold ? '600 ' : ''}${st.size ?? 11}px ${this.family}`;
    g.textAlign = st.align ?? 'left';
    g.textBaseline = st.baseline ?? 'alphabetic';
    if (st.vertical) {
      g.translate(x, y);
      g.rotate(-Math.PI / 2);
      g.fillText(s, 0, 0);
    } else g.fillText(s, x, y);
    g.restore();
  }
  measure(s: string, size = 11): number {
    this.g.font = `${size}px ${this.family}`;
    return this.g.measureText(s).width;
  }
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const n2 = (x: number) => (Math.round(x * 100) / 100).toString();

export class SvgPainter implements Painter {
  readonly parts: string[] = [];
  constructor(private measureWith?: CanvasRenderingContext2D) {}
  rect(x: number, y: number, w: number, h: number, fill: string, opacity = 1): void {
    this.parts.push(`<rect x="${n2(x)}" y="${n2(y)}" width="${n2(w)}" height="${n2(h)}" fill="${esc(fill)}"${opacity < 1 ? ` fill-opacity="${n2(opacity)}"` : ''}/>`);
  }
  strokeRect(x: number, y: number, w: number, h: number, stroke: string, width = 1): void {
    this.parts.push(`<rect x="${n2(x)}" y="${n2(y)}" width="${n2(w)}" height="${n2(h)}" fill="none" stroke="${esc(stroke)}" stroke-width="${width}"/>`);
  }
  line(x1: number, y1: number, x2: number, y2: number, stroke: string, width = 1, dash: number[] = []): void {
    this.parts.push(`<line x1="${n2(x1)}" y1="${n2(y1)}" x2="${n2(x2)}" y2="${n2(y2)}" stroke="${esc(stroke)}" stroke-width="${width}"${dash.length ? ` stroke-dasharray="${dash.join(' ')}"` : ''}/>`);
  }
  polyline(xs: ArrayLike<number>, ys: ArrayLike<number>, n: number, stroke: string, width = 1, opacity = 1): void {
    if (n < 1) return;
    const pts: string[] = [];
    for (let i = 0; i < n; i++) pts.push(`${n2(xs[i])},${n2(ys[i])}`);
    this.parts.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${esc(stroke)}" stroke-width="${width}" stroke-linejoin="round"${opacity < 1 ? ` stroke-opacity="${n2(opacity)}"` : ''}/>`);
  }
  polygon(xs: ArrayLike<number>, ys: ArrayLike<number>, n: number, fill: string, opacity = 1): void {
    if (n < 3) return;
    const pts: string[] = [];
    for (let i = 0; i < n; i++) pts.push(`${n2(xs[i])},${n2(ys[i])}`);
    this.parts.push(`<polygon points="${pts.join(' ')}" fill="${esc(fill)}"${opacity < 1 ? ` fill-opacity="${n2(opacity)}"` : ''}/>`);
  }
  text(s: string, x: number, y: number, st: TextStyle): void {
    const anchor = st.align === 'center' ? 'middle' : st.align === 'right' ? 'end' : 'start';
    const base = st.baseline === 'top' ? 'hanging' : st.baseline === 'middle' ? 'central' : st.baseline === 'bottom' ? 'text-after-edge' : 'auto';
    const rot = st.vertical ? ` transform="rotate(-90 ${n2(x)} ${n2(y)})"` : '';
    this.parts.push(`<text x="${n2(x)}" y="${n2(y)}" fill="${esc(st.color)}" font-size="${st.size ?? 11}" text-anchor="${anchor}" dominant-baseline="${base}"${st.bold ? ' font-weight="600"' : ''}${rot}>${esc(s)}</text>`);
  }
  measure(s: string, size = 11): number {
    if (!this.measureWith) return s.length * size * 0.6;
    this.measureWith.font = `${size}px sans-serif`;
    return this.measureWith.measureText(s).width;
  }
  /** Raw SVG markup (already escaped by the caller). */
  raw(markup: string): void {
    this.parts.push(markup);
  }
  document(width: number, height: number, background: string): string {
    return `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif">\n<rect width="100%" height="100%" fill="${esc(background)}"/>\n${this.parts.join('\n')}\n</svg>\n`;
  }
}
