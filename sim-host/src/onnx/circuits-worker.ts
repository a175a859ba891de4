// The `onnx-circuits` request in the simulation worker (sim-host/src/worker.ts dispatches here;
// host.ts startOnnxCircuits sends it): the whole analysis in this thread, progress posted, the
// host's cancel flag read between runs.
import type { FromWorker, ToWorker } from '../../../protocol/sim';
import { CircuitsError } from '../analysis/circuits/discover';
import { onnxCircuits } from './circuits';

export async function onnxCircuitsInWorker(msg: Extract<ToWorker, { type: 'onnx-circuits' }>, port: { postMessage(m: FromWorker): void }): Promise<void> {
  const stop = new Int32Array(msg.cancel);
  try {
    const result = await onnxCircuits(msg.model, msg.sets, {
      ...msg.options,
      shouldStop: () => Atomics.load(stop, 0) !== 0,
      onProgress: (done, total, label) => port.postMessage({ type: 'progress', phase: 'circuits', done, total, spikes: 0, label }),
    });
    port.postMessage({ type: 'onnx-circuits-done', result });
  } catch (e) {
    if (!(e instanceof CircuitsError)) throw e;
    port.postMessage({ type: 'onnx-circuits-done', error: e.message });
  }
}
