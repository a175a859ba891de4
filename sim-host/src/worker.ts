// The simulation worker: Node worker_threads entry (the same module runs as a Web Worker once a
// browser host posts the same messages). Builds, compiles and runs; streams progress; a cancel
// flag in shared memory stops it between chunks of steps (chunks are sized to ~10 ms).
import type { FromWorker, RunOutput, ToWorker } from '../../protocol/sim';
import { Simulation, type RunResult } from './engine';
import { PlanError } from './plan';

type Port = { postMessage(m: FromWorker, transfer?: ArrayBuffer[]): void; on?(e: 'message', f: (m: ToWorker) => void): void };

export function toOutput(r: RunResult): RunOutput {
  return {
    dt: r.dt, steps: r.steps, stepsDone: r.stepsDone, seed: r.seed, cancelled: r.cancelled, error: r.error,
    // The records' own buffers (views of the engine's growable arrays, fresh trace copies) are
    // transferred as they are: copying them would double the results' memory at the end.
    spikes: [...r.spikes].map(([name, s]) => ({ name, size: r.sizes.get(name) ?? 0, steps: s.steps, neurons: s.neurons })),
    traces: r.traces,
    synapses: r.synapses, memoryBytes: r.memoryBytes, timings: r.timings,
  };
}

export function handle(msg: ToWorker, port: Port): void {
  if (msg.type !== 'run') return;
  const cancel = new Int32Array(msg.cancel);
  try {
    const sim = new Simulation(msg.ir, msg.options);
    const result = sim.run({
      progressEveryMs: msg.options.progressEveryMs ?? 100,
      shouldStop: () => Atomics.load(cancel, 0) !== 0,
      onProgress: (done, total, r) => port.postMessage({ type: 'progress', done, total, spikes: [...r.spikes.values()].reduce((a, s) => a + s.steps.length, 0) }),
    });
    const output = toOutput(result);
    const transfer = [...output.spikes.flatMap((s) => [s.steps.buffer as ArrayBuffer, s.neurons.buffer as ArrayBuffer]), ...output.traces.map((t) => t.data.buffer as ArrayBuffer)];
    port.postMessage({ type: 'done', output }, transfer);
  } catch (e) {
    if (e instanceof PlanError) port.postMessage({ type: 'refused', message: e.message, code: e.code });
    else port.postMessage({ type: 'failed', message: (e as Error).stack ?? String(e) });
  }
}

// Node: started by worker_threads.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const wt = typeof process !== 'undefined' && process.versions?.node ? (require('node:worker_threads') as typeof import('node:worker_threads')) : undefined;
if (wt?.parentPort) {
  const port = wt.parentPort;
  port.on('message', (m: ToWorker) => handle(m, { postMessage: (x, t) => port.postMessage(x, t ?? []) }));
}
