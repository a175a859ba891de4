// The engine in a Web Worker: sim-host/src/worker.ts's handler (the same one the CLI and the
// extension run on a worker thread) behind the worker's postMessage. WASM always; WebGPU where
// the browser exposes navigator.gpu to workers. No file system: a model that reads files is
// stopped by the page before it gets here.
import type { FromWorker, ToWorker } from '../../protocol/sim';
import { handle } from '../../sim-host/src/worker';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (e: MessageEvent<ToWorker>) => handle(e.data, { postMessage: (m: FromWorker, transfer?: ArrayBuffer[]) => self.postMessage(m, transfer ?? []) });
