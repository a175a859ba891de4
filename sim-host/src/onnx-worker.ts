// The simulation worker's ONNX requests (protocol/sim.ts 'onnx-record', 'onnx-describe'): record
// the nodes on the input set in batches, then write the recording or describe its units. The
// cancel flag is polled between batches and between units; progress goes back as messages.
import * as path from 'node:path';
import type { FromWorker, ToWorker } from '../../protocol/sim';
import { descriptionsView } from './analysis/describe/report';
import { describeRecording } from './onnx/describe';
import { recordActivations } from './onnx/record';
import { writeRecording, type OnnxDescribeOutput } from './onnx-recording';

type Port = { postMessage(m: FromWorker): void };
type OnnxRequest = Extract<ToWorker, { type: 'onnx-record' | 'onnx-describe' }>;

export const isOnnxRequest = (m: ToWorker): m is OnnxRequest => m.type === 'onnx-record' || m.type === 'onnx-describe';

export async function handleOnnx(msg: OnnxRequest, port: Port): Promise<void> {
  const stop = new Int32Array(msg.cancel);
  const shouldStop = () => Atomics.load(stop, 0) !== 0;
  try {
    const rec = await recordActivations(msg.model, msg.inputs, {
      nodes: msg.nodes,
      source: msg.source,
      shouldStop,
      onProgress: (done, total) => port.postMessage({ type: 'progress', phase: 'record', done, total, spikes: 0 }),
    });
    if (msg.type === 'onnx-record') {
      port.postMessage({ type: 'onnx-recorded', index: writeRecording(msg.outDir, rec, msg.source, msg.inputs.source) });
      return;
    }
    const set = rec.cancelled ? { count: rec.count, labels: msg.inputs.labels.slice(0, rec.count), concepts: msg.inputs.concepts.map((c) => ({ ...c, values: c.values.slice(0, rec.count) })) } : msg.inputs;
    const d = rec.cancelled
      ? { results: [], windows: [], atoms: [], cancelled: true }
      : await describeRecording(rec.nodes, set, {
          ...msg.options,
          shouldStop,
          onProgress: (done, total, node) => port.postMessage({ type: 'progress', phase: 'describe', done, total, spikes: 0, label: node }),
        });
    const view = descriptionsView(path.basename(msg.source), d.windows, msg.inputs.source, d.atoms.length, d.results);
    const output: OnnxDescribeOutput = { view: { ...view, cancelled: d.cancelled }, results: d.results, windows: d.windows, atoms: d.atoms, cancelled: d.cancelled };
    port.postMessage({ type: 'onnx-described', output });
  } catch (e) {
    port.postMessage({ type: 'failed', message: (e as Error).message });
  }
}
