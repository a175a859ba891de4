// Starts the .onnx editor's graph reader (onnx-inspect-worker.ts, bundled as dist/onnx-inspect.js)
// for one file and ends it after `timeoutMs`: a pathological graph cannot hold the editor, and
// the extension host's thread never parses.
import { Worker } from 'node:worker_threads';
import type { OnnxGraphInfo } from '../../protocol/onnx-graph';
import type { InspectAnswer } from './onnx-inspect-worker';

/** Inspects `bytes` in a worker running `workerFile`; rejects with the inspection's own message, or after `timeoutMs`. */
export function inspectInWorker(bytes: Uint8Array, source: string, workerFile: string, timeoutMs = 30_000): Promise<OnnxGraphInfo> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile);
    const timer = setTimeout(() => {
      reject(new Error(`reading the graph took longer than ${Math.round(timeoutMs / 1000)} s; “spikeworks onnx inspect” reads it without a time limit.`));
      void worker.terminate();
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      void worker.terminate();
    };
    worker.on('message', (a: InspectAnswer) => {
      done();
      if (a.ok) resolve(a.info);
      else reject(new Error(a.message));
    });
    worker.on('error', (e) => {
      done();
      reject(e);
    });
    worker.on('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`the graph reader stopped (exit code ${code})`));
    });
    worker.postMessage({ bytes, source });
  });
}
