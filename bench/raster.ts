// `npm run bench:raster`: the spike raster panel (dist/webviews/raster.js) in headless Chromium
// with 10 M spikes (20,000 neurons, 10 s at dt = 0.1 ms, rate-modulated), driven by the same
// input events a user makes (wheel zoom in time and in neurons, drag pans, keyboard), twice (the
// first pass meets each drawing path cold, before the JIT has compiled it). Frame time
// = from the event to the frame's pixels (the panel's render, then a 1-pixel read-back that
// waits for the GPU or the canvas). Prints figures, screenshots to test-results/, and ends with
// {"bench":"raster","spikes":…,"frame_ms":<95th percentile of both passes' frames>,…}.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const root = join(__dirname, '..');
const SPIKES = Number(process.env.SPIKES ?? 10_000_000);
const CHROMIUM = process.env.SPIKEWORKS_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
/**
 * Only for the forced-WebGL run: WebGL emulated on the CPU (SwiftShader). It also makes Chromium
 * composite its pages through SwiftShader GL, which slows every other drawing path, so the
 * auto and canvas runs use Chromium as it comes (software compositing without a GPU, as VS Code
 * has on a machine without one).
 */
const SWIFTSHADER = ['--enable-unsafe-swiftshader', '--use-angle=swiftshader'];

/** Enough of a VS Code dark theme for the panel's CSS variables. */
const THEME = `
body { --vscode-editor-background:#1f1f1f; --vscode-editor-foreground:#cccccc; --vscode-foreground:#cccccc;
  --vscode-descriptionForeground:#9d9d9d; --vscode-charts-lines:rgba(204,204,204,0.25); --vscode-focusBorder:#0078d4;
  --vscode-charts-blue:#3794ff; --vscode-charts-red:#f14c4c; --vscode-charts-green:#89d185; --vscode-charts-orange:#d18616;
  --vscode-charts-purple:#b180d7; --vscode-charts-yellow:#cca700; --vscode-font-family:system-ui, sans-serif; --vscode-font-size:13px;
  --vscode-badge-background:#616161; --vscode-badge-foreground:#f8f8f8; --vscode-editorHoverWidget-background:#252526; }`;

async function main(): Promise<void> {
  const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'ignore' });
  if (build.status !== 0) throw new Error('build failed');
  const js = readFileSync(join(root, 'dist', 'webviews', 'raster.js'));
  const css = readFileSync(join(root, 'dist', 'webviews', 'raster.css'));
  const pageJs = readFileSync(join(__dirname, 'raster-page.js'));
  const http = createServer((req, res) => {
    if (req.url?.startsWith('/raster.js')) return res.writeHead(200, { 'content-type': 'text/javascript' }).end(js);
    if (req.url?.startsWith('/page.js')) return res.writeHead(200, { 'content-type': 'text/javascript' }).end(pageJs);
    if (req.url?.startsWith('/raster.css')) return res.writeHead(200, { 'content-type': 'text/css' }).end(css);
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<!doctype html><html><head><meta charset="utf-8"><style>${THEME}</style><link rel="stylesheet" href="/raster.css"></head><body class="vscode-dark"><div id="app"></div><script src="/raster.js"></script><script src="/page.js"></script></body></html>`);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/`;
  const plain = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  const emulatedGl = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...ARGS, ...SWIFTSHADER] });
  const results: Record<string, { median: number; p95: number; max: number; mean: number; frames: number; grid: number; exact: number; renderer: string; load_ms: number; cold: number; warm: number }> = {};
  mkdirSync(join(root, 'test-results'), { recursive: true });
  try {
    for (const renderer of ['auto', 'webgl', 'canvas'] as const) {
      const page = await (renderer === 'webgl' ? emulatedGl : plain).newPage({ viewport: { width: 1200, height: 800 } });
      page.on('pageerror', (e) => console.error('page error:', e.message));
      await page.goto(renderer === 'auto' ? url : `${url}?renderer=${renderer}`);
      await page.waitForFunction('window.spikeworksRaster && window.benchGenerate');
      const load = (await page.evaluate(`window.benchGenerate(${SPIKES})`)) as { total: number; ms: number };
      type Pass = { times: number[]; grid: number; exact: number; renderer: string; parts: [number, number, number, number, string, number][] };
      // Two passes of the same input: the first meets every code path cold (JIT), the second warm.
      const first = (await page.evaluate('window.benchInteract()')) as Pass;
      const second = (await page.evaluate('window.benchInteract()')) as Pass;
      const r: Pass = { times: [...first.times, ...second.times], grid: first.grid + second.grid, exact: first.exact + second.exact, renderer: first.renderer, parts: [...first.parts, ...second.parts] };
      const firstSorted = [...first.times].sort((a, b) => a - b);
      const secondSorted = [...second.times].sort((a, b) => a - b);
      if (process.env.BENCH_DETAIL) for (const [k, p] of r.parts.entries()) console.log(k, r.times[k].toFixed(1), p.map((x) => (typeof x === 'number' ? x.toFixed(1) : x)).join(' '));
      await page.screenshot({ path: join(root, 'test-results', `bench-raster-${renderer}.png`) });
      await page.close();
      const sorted = [...r.times].sort((a, b) => a - b);
      const q = (f: number) => sorted[Math.min(sorted.length - 1, Math.floor(f * sorted.length))];
      const p95Of = (x: number[]) => x[Math.min(x.length - 1, Math.floor(0.95 * x.length))];
      results[renderer] = { median: q(0.5), p95: q(0.95), max: sorted[sorted.length - 1], mean: sorted.reduce((a, b) => a + b, 0) / sorted.length, frames: sorted.length, grid: r.grid, exact: r.exact, renderer: r.renderer, load_ms: load.ms, cold: p95Of(firstSorted), warm: p95Of(secondSorted) };
      if (load.total !== SPIKES) throw new Error(`the panel holds ${load.total} spikes, expected ${SPIKES}`);
      console.log(`${renderer.padEnd(6)} (${r.renderer}): ${sorted.length} frames (${r.grid} from the grid, ${r.exact} exact), median ${q(0.5).toFixed(2)} ms, p95 ${q(0.95).toFixed(2)} ms (first pass ${p95Of(firstSorted).toFixed(2)}, second ${p95Of(secondSorted).toFixed(2)}), max ${sorted[sorted.length - 1].toFixed(2)} ms; ${SPIKES.toLocaleString('en-US')} spikes loaded in ${load.ms.toFixed(0)} ms`);
    }
  } finally {
    await plain.close();
    await emulatedGl.close();
    http.close();
  }
  const main = results.auto;
  console.log(JSON.stringify({ bench: 'raster', spikes: SPIKES, frame_ms: +main.p95.toFixed(2), median_ms: +main.median.toFixed(2), max_ms: +main.max.toFixed(2), renderer: main.renderer, frames: main.frames, first_pass_frame_ms: +main.cold.toFixed(2), second_pass_frame_ms: +main.warm.toFixed(2), webgl_frame_ms: +results.webgl.p95.toFixed(2), canvas_frame_ms: +results.canvas.p95.toFixed(2), load_ms: Math.round(main.load_ms) }));
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
