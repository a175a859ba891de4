// sim-host/src/worker.ts from source, for a worker thread in a test (workers do not inherit the
// parent's `--import tsx`): used where the bundled worker cannot yet load a dependency
// (onnxruntime-web's WASM in dist/, see sim-host/src/onnx/README.md).
import { register } from 'tsx/esm/api';
import { register as registerCjs } from 'tsx/cjs/api';

register();
registerCjs();
await import(new URL('../../sim-host/src/worker.ts', import.meta.url).href);
