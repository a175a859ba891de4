// The .onnx editor's parser off the extension host's thread: the worker_threads entry
// (dist/onnx-inspect.js) that inspects the bytes it is sent (sim-host/src/onnx/inspect.ts) and
// answers with the OnnxGraphInfo or the error's text (onnx-inspect.ts starts it).
import { parentPort } from 'node:worker_threads';
import type { OnnxGraphInfo } from '../../protocol/onnx-graph';
import { inspectOnnx } from '../../sim-host/src/onnx/inspect';

export type InspectAnswer = { ok: true; info: OnnxGraphInfo } | { ok: false; message: string };

if (parentPort) {
  const port = parentPort;
  port.on('message', (m: { bytes: Uint8Array; source: string }) => {
    let answer: InspectAnswer;
    try {
      answer = { ok: true, info: inspectOnnx(m.bytes, m.source) };
    } catch (e) {
      answer = { ok: false, message: e instanceof Error ? e.message : String(e) };
    }
    port.postMessage(answer);
  });
}
