// Bundles every entry point of the project. `node esbuild.mjs [--watch] [--minify]`.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { webgpuBrowserOptions } from './scripts/webgpu-browser.mjs';
import { onnxBrowserOptions } from './scripts/onnx-browser.mjs';

const watch = process.argv.includes('--watch');
const minify = process.argv.includes('--minify');

/** Node entry points: extension host, language server (stdio/IPC), CLI. */
const nodeEntries = {
  extension: 'extension/src/extension.ts',
  server: 'language-server/src/node-main.ts',
  cli: 'cli/src/main.ts',
  'sim-worker': 'sim-host/src/worker.ts',
  // The .onnx editor's graph reader (a worker_threads entry; extension/src/onnx-inspect-worker.ts).
  'onnx-inspect': 'extension/src/onnx-inspect-worker.ts',
};

/**
 * In the Node bundles, onnxruntime-web/wasm (the browser build, which treats every host as a page)
 * becomes the package's Node build of the same WASM runtime: it runs threads as worker_threads
 * where the browser build would try to fetch its own module over HTTP.
 */
const ortForNode = {
  name: 'ort-for-node',
  setup(build) {
    build.onResolve({ filter: /^onnxruntime-web\/wasm$/ }, () => ({ path: path.resolve('node_modules/onnxruntime-web/dist/ort.node.min.js') }));
  },
};

const common = {
  bundle: true,
  sourcemap: true,
  minify,
  logLevel: 'info',
};

mkdirSync('dist', { recursive: true });
// The prelude (built-in model library) ships as real .snn files so that hover and
// go-to-definition can open them; the browser entry embeds them as text instead.
cpSync('language-server/prelude', 'dist/prelude', { recursive: true });
// The language reference ships too: diagnostics and hovers link to its sections (reference-links.ts).
cpSync('language-server/LANGUAGE.md', 'dist/LANGUAGE.md');
// onnxruntime-web's WASM build (sim-host/src/onnx/runtime.ts): the bundles load its .mjs and .wasm
// from dist/ort/ (env.wasm.wasmPaths in Node; pages get the .wasm's bytes), never from node_modules.
mkdirSync('dist/ort', { recursive: true });
for (const f of ['ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.mjs']) cpSync(`node_modules/onnxruntime-web/dist/${f}`, `dist/ort/${f}`);

const contexts = [
  await esbuild.context({
    ...common,
    entryPoints: nodeEntries,
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'h5wasm', 'h5wasm/node'],
    plugins: [ortForNode],
  }),
  // h5wasm (HDF5 for NIR files, io/nir-file.ts) as one ES module beside the bundles: the extension
  // and the CLI load it lazily, only when a NIR file is read or written, and need no node_modules.
  await esbuild.context({
    ...common,
    entryPoints: { h5wasm: 'node_modules/h5wasm/dist/node/hdf5_hl.js' },
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    platform: 'node',
    format: 'esm',
    target: 'node20',
    minify: true,
    sourcemap: false,
    logLevel: 'warning',
  }),
  // The web extension (package.json `browser`): runs in a Web Worker extension host.
  await esbuild.context({
    ...common,
    entryPoints: { browser: 'extension/src/browser.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'cjs',
    target: 'es2022',
    external: ['vscode'],
  }),
  await esbuild.context({
    ...common,
    entryPoints: { 'server-browser': 'language-server/src/browser-main.ts' },
    outdir: 'dist',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    loader: { '.snn': 'text' },
  }),
  // The WebGPU backend for a page (navigator.gpu): dist/webgpu-browser.js.
  await esbuild.context({ ...common, ...webgpuBrowserOptions, outdir: 'dist' }),
  // The ONNX runtime for a page or webview (the .wasm's bytes passed in): dist/onnx-browser.js.
  await esbuild.context({ ...common, ...onnxBrowserOptions, sourcemap: false, outdir: 'dist' }),
  // Panel front ends (webviews/): one IIFE + CSS per panel in dist/webviews/.
  await esbuild.context({
    ...common,
    entryPoints: { raster: 'webviews/raster/main.ts', traces: 'webviews/traces/main.ts', sweep: 'webviews/sweep/main.ts', describe: 'webviews/describe/main.ts', 'target-report': 'webviews/target-report/main.ts', circuits: 'webviews/circuits/main.ts', 'onnx-graph': 'webviews/onnx-graph/main.ts' },
    outdir: 'dist/webviews',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    minify: true,
    sourcemap: false,
  }),
];

if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  await Promise.all(contexts.map((c) => c.rebuild()));
  await Promise.all(contexts.map((c) => c.dispose()));
}
