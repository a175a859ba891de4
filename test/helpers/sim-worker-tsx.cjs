// The simulation worker from its TypeScript sources (tsx's require hook), for tests of worker
// requests whose bundled form needs files beside dist/ (onnxruntime-web's .wasm).
require('tsx/cjs');
require('../../sim-host/src/worker.ts');
