// Builds the playground (playground/) into dist/playground/: a static site, no server code.
//   app.js/.css        the page: Monaco (only the editor features it uses), the LSP bridge, the run
//   ls-worker.js       the language server (language-server/src/browser-main.ts) in a Web Worker
//   engine-worker.js   the engine (sim-host/src/worker.ts's handler) in a Web Worker: WASM, WebGPU
//   editor-worker.js   Monaco's own worker (diffs, word ranges)
//   panels/raster.*, panels/traces.*   the extension's result panels, built from the same sources
//   sw.js              the service worker that caches this build (offline once loaded)
// Everything a page loads comes from the same origin; no file here fetches anything else.
import * as esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE_STUBS } from './webgpu-browser.mjs';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const playgroundDist = join(repoRoot, 'dist', 'playground');

/** The examples (examples/*.snn) as a module: `export default [{ name, text }]`, embedded in app.js. */
const EXAMPLES = {
  name: 'playground-examples',
  setup(build) {
    build.onResolve({ filter: /^playground:examples$/ }, () => ({ path: 'examples', namespace: 'playground-examples' }));
    build.onLoad({ filter: /.*/, namespace: 'playground-examples' }, () => {
      const dir = join(repoRoot, 'examples');
      const files = readdirSync(dir).filter((f) => f.endsWith('.snn')).sort();
      const list = files.map((f) => ({ name: f, text: readFileSync(join(dir, f), 'utf8') }));
      return { contents: `export default ${JSON.stringify(list)};`, loader: 'js', watchFiles: files.map((f) => join(dir, f)) };
    });
  },
};

/**
 * node:worker_threads in sim-host/src/worker.ts is reached only under Node: an empty module in the
 * page. The partitioned engine names `Worker` (partition/run.ts) and asks `os.availableParallelism()`,
 * `os.loadavg()` and `os.totalmem()` (engine.ts threadsFor, partitionedLimit): the page has one core to offer (it is not cross-origin isolated, so its
 * engine never shares memory between workers), and a Worker it would start says why it cannot.
 */
const NO_NODE = {
  'node:os': 'export const availableParallelism = () => 1; export const loadavg = () => [0, 0, 0]; export const totalmem = () => 2 ** 31; export default { availableParallelism, loadavg, totalmem };',
  'node:worker_threads': 'export class Worker { constructor() { throw new Error("worker threads are not available in a page"); } } export default { Worker };',
};
const NO_WORKER_THREADS = {
  name: 'no-worker-threads',
  setup(build) {
    build.onResolve({ filter: /^node:(worker_threads|crypto|os)$/ }, (a) => ({ path: a.path, namespace: 'no-node' }));
    build.onLoad({ filter: /.*/, namespace: 'no-node' }, (a) => ({ contents: NO_NODE[a.path] ?? 'export default {};', loader: 'js' }));
  },
};

/** `monaco-editor/esm/…` straight to the file: the package's exports map reaches .js files only, not its CSS. */
const MONACO_FILES = {
  name: 'monaco-files',
  setup(build) {
    build.onResolve({ filter: /^monaco-editor\/esm\// }, (a) => ({ path: join(repoRoot, 'node_modules', a.path) }));
  },
};

const common = {
  absWorkingDir: repoRoot,
  bundle: true,
  platform: 'browser',
  target: 'es2022',
  logLevel: 'warning',
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"' },
};

/** Every file of `dir`, relative, '/'-separated. */
function listFiles(dir, base = dir) {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? listFiles(p, base) : [relative(base, p).split('\\').join('/')];
  });
}

/** The HTML of a result panel's frame: the extension's panel bundle behind the playground's acquireVsCodeApi. */
function panelHtml(bundle, title) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'">
<title>${title}</title>
<link rel="stylesheet" href="panel-theme.css">
<link rel="stylesheet" href="${bundle}.css">
</head>
<body class="vscode-dark">
<script src="panel-host.js"></script>
<div id="app" data-title="${title}"></div>
<script src="${bundle}.js"></script>
</body>
</html>
`;
}

/**
 * Builds dist/playground/. `minify` (default true): the size the budget is measured on.
 * Returns the files written (relative to dist/playground/).
 */
export async function buildPlayground({ minify = true, outDir = playgroundDist } = {}) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, 'panels'), { recursive: true });
  const opts = { ...common, minify, sourcemap: false };
  await Promise.all([
    esbuild.build({
      ...opts,
      entryPoints: { app: 'playground/src/main.ts' },
      outdir: outDir,
      format: 'iife',
      loader: { '.ttf': 'file', '.snn': 'text' },
      assetNames: '[name]',
      plugins: [EXAMPLES, MONACO_FILES, NO_WORKER_THREADS, NODE_STUBS],
    }),
    esbuild.build({ ...opts, entryPoints: { 'ls-worker': 'language-server/src/browser-main.ts' }, outdir: outDir, format: 'iife', loader: { '.snn': 'text' } }),
    esbuild.build({ ...opts, entryPoints: { 'engine-worker': 'playground/src/engine-worker.ts' }, outdir: outDir, format: 'iife', plugins: [NO_WORKER_THREADS, NODE_STUBS] }),
    esbuild.build({ ...opts, entryPoints: { 'editor-worker': 'node_modules/monaco-editor/esm/vs/editor/editor.worker.js' }, outdir: outDir, format: 'iife', plugins: [MONACO_FILES] }),
    // The result panels: the extension's own sources (webviews/), the same build options as esbuild.mjs.
    esbuild.build({
      ...opts,
      entryPoints: { raster: 'webviews/raster/main.ts', traces: 'webviews/traces/main.ts', 'panel-host': 'playground/src/panel-host.ts' },
      outdir: join(outDir, 'panels'),
      format: 'iife',
      minify: true,
    }),
  ]);
  cpSync(join(repoRoot, 'playground', 'index.html'), join(outDir, 'index.html'));
  cpSync(join(repoRoot, 'playground', 'panel-theme.css'), join(outDir, 'panels', 'panel-theme.css'));
  cpSync(join(repoRoot, 'media', 'icon.png'), join(outDir, 'icon.png'));
  writeFileSync(join(outDir, 'panels', 'raster.html'), panelHtml('raster', 'Spike raster'));
  writeFileSync(join(outDir, 'panels', 'traces.html'), panelHtml('traces', 'Traces'));
  // The service worker: the build's file list and a hash of their contents (a new build, a new cache).
  const files = listFiles(outDir).filter((f) => f !== 'sw.js').sort();
  const hash = createHash('sha256');
  for (const f of files) hash.update(f).update(readFileSync(join(outDir, f)));
  const sw = await esbuild.build({ ...opts, entryPoints: ['playground/src/sw.ts'], write: false, format: 'iife' });
  const precache = ['./', ...files.map((f) => `./${f}`)];
  writeFileSync(join(outDir, 'sw.js'), `self.SPIKEWORKS_BUILD=${JSON.stringify({ version: hash.digest('hex').slice(0, 16), files: precache })};\n${sw.outputFiles[0].text}`);
  return [...files, 'sw.js'];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = performance.now();
  buildPlayground({ minify: !process.argv.includes('--no-minify') }).then(
    (files) => console.log(`dist/playground/: ${files.length} files in ${Math.round(performance.now() - t0)} ms`),
    (e) => {
      console.error(e.message);
      process.exit(1);
    },
  );
}
