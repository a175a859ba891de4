// Colouring a count image: each pixel row takes its population's colour, each pixel its opacity
// over the background (density.ts `opacity`). Two implementations of one interface: WebGL2
// (counts as a float texture, colouring in a fragment shader) and a 2D canvas fallback.
import { opacity, type DensityFrame } from './density';

export interface PlotRenderer {
  readonly kind: 'webgl' | 'canvas';
  readonly canvas: HTMLCanvasElement;
  /** `rowColors`: RGBA per pixel row (frame.height × 4); `background`: RGB. */
  draw(frame: DensityFrame, rowColors: Uint8Array, background: [number, number, number]): void;
}

/** Opacity (0–255) by quantised count, so that the per-pixel loop does no log(). */
export function opacityTable(max: number): { table: Uint8Array; scale: number } {
  const scale = max > 0 ? Math.min(8, 65535 / max) : 1;
  const size = Math.min(65536, Math.ceil(max * scale) + 2);
  const table = new Uint8Array(size);
  for (let i = 0; i < size; i++) table[i] = Math.round(255 * opacity(i / scale, max));
  return { table, scale };
}

/** Pixel words (RGBA, little-endian) of a count image: each row in its colour, each pixel blended by its opacity. Pure. */
export function colourPixels(frame: DensityFrame, rowColors: Uint8Array, background: [number, number, number], px: Uint32Array): void {
  const { width: w, height: h, counts } = frame;
  const [br, bg, bb] = background;
  const { table, scale } = opacityTable(frame.max);
  const top = table.length - 1;
  // Per distinct row colour: the 256 blends of it over the background, as pixel words.
  const blends = new Map<number, Uint32Array>();
  const blendOf = (cr: number, cg: number, cb: number) => {
    const key = (cr << 16) | (cg << 8) | cb;
    let lut = blends.get(key);
    if (!lut) {
      lut = new Uint32Array(256);
      for (let a = 0; a < 256; a++) {
        const r = br + Math.round(((cr - br) * a) / 255);
        const g = bg + Math.round(((cg - bg) * a) / 255);
        const b = bb + Math.round(((cb - bb) * a) / 255);
        lut[a] = ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
      }
      blends.set(key, lut);
    }
    return lut;
  };
  // Count 0 has opacity 0, so its blend is the background: one pass writes every pixel.
  for (let y = 0; y < h; y++) {
    const lut = blendOf(rowColors[4 * y], rowColors[4 * y + 1], rowColors[4 * y + 2]);
    const off = y * w;
    for (let x = off; x < off + w; x++) {
      const q = counts[x] * scale;
      px[x] = lut[table[q < top ? q | 0 : top]];
    }
  }
}

export class CanvasRenderer implements PlotRenderer {
  readonly kind = 'canvas' as const;
  private ctx: CanvasRenderingContext2D;
  private image?: ImageData;

  constructor(readonly canvas: HTMLCanvasElement) {
    // CPU-backed: every frame is a putImageData, which a GPU-backed canvas would upload each time.
    this.ctx = canvas.getContext('2d', { alpha: false, willReadFrequently: true })!;
  }

  draw(frame: DensityFrame, rowColors: Uint8Array, background: [number, number, number]): void {
    const { width: w, height: h } = frame;
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    if (!this.image || this.image.width !== w || this.image.height !== h) this.image = this.ctx.createImageData(w, h);
    colourPixels(frame, rowColors, background, new Uint32Array(this.image.data.buffer));
    this.ctx.putImageData(this.image, 0, 0);
  }
}

const VERTEX = `#version 300 es
in vec2 pos;
void main() { gl_Position = vec4(pos, 0.0, 1.0); }`;

const FRAGMENT = `#version 300 es
precision highp float;
uniform sampler2D counts;
uniform sampler2D colors;
uniform float maxCount;
uniform vec3 background;
uniform float height;
out vec4 outColor;
void main() {
  int x = int(gl_FragCoord.x);
  int y = int(height) - 1 - int(gl_FragCoord.y);
  float c = texelFetch(counts, ivec2(x, y), 0).r;
  vec3 col = texelFetch(colors, ivec2(0, y), 0).rgb;
  float a = 0.0;
  if (c > 0.0) {
    float lo = maxCount <= 1.0 ? 1.0 : max(0.2, 0.6 - 0.1 * log2(maxCount));
    if (c < 1.0) a = lo * c;
    else if (maxCount <= 1.0) a = 1.0;
    else a = lo + (1.0 - lo) * min(1.0, log(1.0 + c) / log(1.0 + maxCount));
  }
  outColor = vec4(mix(background, col, a), 1.0);
}`;

export class WebGLRenderer implements PlotRenderer {
  readonly kind = 'webgl' as const;
  private gl: WebGL2RenderingContext;
  get context(): WebGL2RenderingContext {
    return this.gl;
  }
  private program: WebGLProgram;
  private countTex: WebGLTexture;
  private colorTex: WebGLTexture;
  private loc: Record<string, WebGLUniformLocation | null>;

  /** Throws when WebGL2 (or float textures) is not available: use CanvasRenderer then. */
  constructor(readonly canvas: HTMLCanvasElement) {
    const gl = canvas.getContext('webgl2', { antialias: false, depth: false, preserveDrawingBuffer: true });
    if (!gl) throw new Error('WebGL2 is not available');
    this.gl = gl;
    const shader = (type: number, src: string) => {
      const s = gl.createShader(type)!;
      gl.shaderSource(s, src);
      gl.compileShader(s);
      if (!gl.getShaderParameter(s, gl.COMPILE_STATUS)) throw new Error(`shader: ${gl.getShaderInfoLog(s)}`);
      return s;
    };
    const p = gl.createProgram()!;
    gl.attachShader(p, shader(gl.VERTEX_SHADER, VERTEX));
    gl.attachShader(p, shader(gl.FRAGMENT_SHADER, FRAGMENT));
    gl.linkProgram(p);
    if (!gl.getProgramParameter(p, gl.LINK_STATUS)) throw new Error(`program: ${gl.getProgramInfoLog(p)}`);
    this.program = p;
    gl.useProgram(p);
    const buf = gl.createBuffer();
    gl.bindBuffer(gl.ARRAY_BUFFER, buf);
    gl.bufferData(gl.ARRAY_BUFFER, new Float32Array([-1, -1, 1, -1, -1, 1, 1, 1]), gl.STATIC_DRAW);
    const pos = gl.getAttribLocation(p, 'pos');
    gl.enableVertexAttribArray(pos);
    gl.vertexAttribPointer(pos, 2, gl.FLOAT, false, 0, 0);
    const texture = (unit: number) => {
      const t = gl.createTexture()!;
      gl.activeTexture(gl.TEXTURE0 + unit);
      gl.bindTexture(gl.TEXTURE_2D, t);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
      gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
      return t;
    };
    this.countTex = texture(0);
    this.colorTex = texture(1);
    this.loc = Object.fromEntries(['counts', 'colors', 'maxCount', 'background', 'height'].map((n) => [n, gl.getUniformLocation(p, n)]));
    gl.uniform1i(this.loc.counts, 0);
    gl.uniform1i(this.loc.colors, 1);
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
    // A 1×1 upload proves float textures work here.
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, 1, 1, 0, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
    gl.activeTexture(gl.TEXTURE0);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.R32F, 1, 1, 0, gl.RED, gl.FLOAT, new Float32Array(1));
    if (gl.getError() !== gl.NO_ERROR) throw new Error('float textures are not available');
  }

  draw(frame: DensityFrame, rowColors: Uint8Array, background: [number, number, number]): void {
    const gl = this.gl;
    const { width: w, height: h } = frame;
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    gl.viewport(0, 0, w, h);
    gl.useProgram(this.program);
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, this.countTex);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.R32F, w, h, 0, gl.RED, gl.FLOAT, frame.counts);
    gl.activeTexture(gl.TEXTURE1);
    gl.bindTexture(gl.TEXTURE_2D, this.colorTex);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, 1, h, 0, gl.RGBA, gl.UNSIGNED_BYTE, rowColors);
    gl.uniform1f(this.loc.maxCount, frame.max);
    gl.uniform3f(this.loc.background, background[0] / 255, background[1] / 255, background[2] / 255);
    gl.uniform1f(this.loc.height, h);
    gl.drawArrays(gl.TRIANGLE_STRIP, 0, 4);
  }
}

/** Whether a WebGL context is drawn by a CPU rasteriser (SwiftShader, llvmpipe …). */
export function isSoftwareGL(gl: WebGL2RenderingContext): boolean {
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const name = String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  return /swiftshader|llvmpipe|softpipe|software|lavapipe/i.test(name);
}

/**
 * WebGL2 on a GPU; the 2D canvas when WebGL2 is missing or only emulated on the CPU (there the
 * canvas is faster: the counting is on the CPU either way). `force` picks one (tests, bench).
 */
export function createRenderer(canvas: HTMLCanvasElement, force?: 'webgl' | 'canvas'): PlotRenderer {
  if (force === 'canvas') return new CanvasRenderer(canvas);
  let reason = '';
  try {
    const r = new WebGLRenderer(canvas);
    if (force === 'webgl' || !isSoftwareGL(r.context)) return r;
    reason = 'WebGL is emulated on the CPU here';
  } catch (e) {
    if (force === 'webgl') throw e;
    reason = (e as Error).message;
  }
  console.info(`spikeworks raster: ${reason}; drawing with a 2D canvas`);
  // A canvas that gave out a WebGL context cannot give a 2D one: use a fresh one.
  const fresh = canvas.cloneNode() as HTMLCanvasElement;
  canvas.replaceWith(fresh);
  return new CanvasRenderer(fresh);
}
