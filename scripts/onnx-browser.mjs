// esbuild options for the page bundle of the ONNX runtime (dist/onnx-browser.js, an IIFE that
// defines globalThis.spikeworksOnnx; sim-host/src/onnx/browser-run.ts). onnxruntime-web/wasm is its
// browser build with the runtime's JS module embedded: the page passes the .wasm's bytes.
export const onnxBrowserOptions = {
  entryPoints: { 'onnx-browser': 'sim-host/src/onnx/browser-run.ts' },
  bundle: true,
  platform: 'browser',
  format: 'iife',
  target: 'es2022',
  minify: true,
  // the runtime's Node-only branches (never taken in a page)
  external: ['node:os', 'node:fs', 'node:path', 'node:url', 'node:worker_threads', 'node:module'],
};
