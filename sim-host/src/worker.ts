// The simulation worker: Node worker_threads entry (the same module runs as a Web Worker once a
// browser host posts the same messages). Builds, compiles and runs; streams progress; a cancel
// flag in shared memory stops it between chunks of steps (chunks are sized to ~10 ms).
import type { FromWorker, PopulationShape, PopulationSpikes, ProgressDelta, RunOutput, ToWorker, TraceDelta } from '../../protocol/sim';
import type { AtomSet } from './analysis/describe/atoms';
import { describeUnits } from './analysis/describe/describe';
import { modelComponents } from './analysis/circuits/components';
import { localMeasurer } from './circuits-engine';
import { onnxCircuitsInWorker } from './onnx/circuits-worker';
import { evaluateAllReadouts, ReadoutError } from './analysis/readout/index';
import { inFileOf } from './analysis/readout/data';
import { readReadoutModel, type NodeFileOptions } from './node-files';
import { onnxReadoutLoader } from './onnx/readout';
import type { ModelIR } from '../../protocol/ir';
import { emulationText } from './emulation-text';
import { targetReport } from './target-report';
import { emulateOnTarget, PlanError, runOnBackend, runOnCrossbar, runWasm, type EngineOptions, type RunResult } from './engine';
import { isPartitionData, partitionMember } from './partition/run';
import { faultMetric, hasFaults, readoutFeaturesOf, runMetric, withoutFaults } from './sweep-metric';
import { handleOnnx, isOnnxRequest } from './onnx-worker';

type Port = { postMessage(m: FromWorker, transfer?: ArrayBuffer[]): void; on?(e: 'message', f: (m: ToWorker) => void): void };

/** The plan's population order, as the engine's run result publishes it. */
export function planPopulations(r: RunResult): PopulationShape[] {
  return r.populations;
}

/** The typed arrays' buffers of some spikes and traces: transferred, never copied. */
function buffersOf(spikes: PopulationSpikes[], traces: { data: Float32Array }[]): ArrayBuffer[] {
  return [...spikes.flatMap((s) => [s.steps.buffer as ArrayBuffer, s.neurons.buffer as ArrayBuffer]), ...traces.map((t) => t.data.buffer as ArrayBuffer)];
}

export function toOutput(r: RunResult): RunOutput {
  return {
    dt: r.dt, steps: r.steps, stepsDone: r.stepsDone, seed: r.seed, cancelled: r.cancelled, error: r.error, stopReason: r.stopReason,
    populations: planPopulations(r),
    // The records' own buffers (views of the engine's growable arrays, fresh trace copies) are
    // transferred as they are: copying them would double the results' memory at the end.
    spikes: r.spikes,
    traces: r.traces,
    synapses: r.synapses, memoryBytes: r.memoryBytes, timings: r.timings,
  };
}

/**
 * What a streaming run recorded since the last call: the tails of the spike and trace records
 * (copies, so they can be transferred), and on the first call the plan's population order.
 * Costs one copy of the new data per progress message.
 */
export class DeltaTracker {
  private spikesSent = new Map<string, number>();
  private samplesSent: number[] = [];
  private planSent = false;

  next(r: RunResult): ProgressDelta {
    const spikes: PopulationSpikes[] = [];
    for (const rec of r.spikes) {
      const from = this.spikesSent.get(rec.name) ?? 0;
      if (rec.steps.length <= from) continue;
      spikes.push({ name: rec.name, size: rec.size, steps: rec.steps.slice(from), neurons: rec.neurons.slice(from) });
      this.spikesSent.set(rec.name, rec.steps.length);
    }
    const traces: TraceDelta[] = [];
    r.traces.forEach((t, k) => {
      const n = t.neurons.length;
      const samples = n > 0 ? Math.floor(t.data.length / n) : 0;
      const from = this.samplesSent[k] ?? 0;
      if (samples <= from) return;
      traces.push({ population: t.population, variable: t.variable, neurons: t.neurons.slice(), every: t.every, from, data: t.data.slice(from * n, samples * n) });
      this.samplesSent[k] = samples;
    });
    if (this.planSent) return { spikes, traces };
    this.planSent = true;
    return { populations: planPopulations(r), spikes, traces };
  }
}

/** This worker's circuit discovery state: one engine (one plan, one module) for every measure request. */
let circuits: { evaluator: ReturnType<typeof localMeasurer>['evaluator']; stop: Int32Array } | undefined;

export function handle(msg: ToWorker, port: Port): void {
  if (isOnnxRequest(msg)) {
    void handleOnnx(msg, port);
    return;
  }
  if (msg.type === 'circuits-init') {
    try {
      const o = msg.options;
      const m = localMeasurer(msg.ir, modelComponents(msg.ir, { split: o.split }), { intervention: o.intervention, seed: o.seed, retrain: o.retrain, baseDir: o.baseDir, readRoots: o.readRoots });
      circuits = { evaluator: m.evaluator, stop: new Int32Array(msg.cancel) };
      port.postMessage({ type: 'circuits-ready', chance: m.evaluator.chance(), synapses: msg.ir.connections.map((_, k) => m.engine.synapses(k)) });
    } catch (e) {
      fail(e, port);
    }
    return;
  }
  if (msg.type === 'circuits-measure') {
    try {
      if (!circuits) throw new Error('circuits-measure before circuits-init');
      const values: Record<string, number>[] = [];
      for (const c of msg.conditions) {
        if (Atomics.load(circuits.stop, 0) !== 0) break;
        values.push(circuits.evaluator.measure(c));
        port.postMessage({ type: 'progress', phase: 'circuits', done: values.length, total: msg.conditions.length, spikes: 0 });
      }
      port.postMessage({ type: 'circuits-measured', id: msg.id, values, runs: circuits.evaluator.runs });
    } catch (e) {
      fail(e, port);
    }
    return;
  }
  if (msg.type === 'onnx-circuits') return void onnxCircuitsInWorker(msg, port).catch((e) => fail(e, port));
  if (msg.type === 'describe') {
    const stop = new Int32Array(msg.cancel);
    try {
      const result = describeUnits(msg.activity, msg.atoms as AtomSet, {
        seed: msg.options.seed,
        shouldStop: () => Atomics.load(stop, 0) !== 0,
        onProgress: (done, total) => port.postMessage({ type: 'progress', phase: 'describe', done, total, spikes: 0 }),
      });
      port.postMessage({ type: 'described', result });
    } catch (e) {
      fail(e, port);
    }
    return;
  }
  if (msg.type === 'emulate') {
    try {
      const em = emulateOnTarget(msg.ir, msg.options, msg.target);
      port.postMessage({ type: 'emulated', text: emulationText(em), report: targetReport(em, msg.file ?? msg.ir.name) });
    } catch (e) {
      fail(e, port);
    }
    return;
  }
  const cancel = new Int32Array(msg.cancel);
  const stream = msg.options.stream ? new DeltaTracker() : undefined;
  const cb = {
    progressEveryMs: msg.options.progressEveryMs ?? 100,
    shouldStop: () => Atomics.load(cancel, 0) !== 0,
    onProgress: (done: number, total: number, r: RunResult) => {
      const spikes = r.spikes.reduce((a, s) => a + s.steps.length, 0);
      if (!stream) return port.postMessage({ type: 'progress', done, total, spikes });
      const delta = stream.next(r);
      port.postMessage({ type: 'progress', done, total, spikes, delta }, buffersOf(delta.spikes, delta.traces));
    },
  };
  // Reading files (bounded, confined, cancellable: node-files.ts) and building; long build steps
  // are reported as progress.
  const options: EngineOptions = {
    ...msg.options,
    shouldStop: cb.shouldStop,
    onBuildProgress: msg.options.buildProgress ? (done, total, label) => port.postMessage({ type: 'progress', phase: 'build', label, done, total, spikes: 0 }) : undefined,
  };
  if (msg.options.target) {
    // A run on a memristor target (a fault sweep's): the float engine on the crossbar's weights.
    try {
      const t = msg.options.target;
      const r = runOnCrossbar(msg.ir, options, t, cb).result;
      let metric;
      if (msg.options.metric && !r.cancelled) {
        // with faults: the same crossbar without them (same seed), for the readout's training —
        // its features from the pool when it ran it once for the seed, else run here
        const given = msg.options.cleanFeatures;
        const clean = !hasFaults(msg.ir, t) ? r : given ?? runOnCrossbar(withoutFaults(msg.ir, t), options, t, { shouldStop: cb.shouldStop }).result;
        if (Array.isArray(clean) || !clean.cancelled) metric = faultMetric(msg.ir, clean, r);
      }
      const features = msg.options.readoutFeatures && !r.cancelled ? readoutFeaturesOf(msg.ir, r) : undefined;
      done({ ...toOutput(r), backend: 'memristor-emu', ...(metric ? { metric } : {}), ...(features ? { readoutFeatures: features } : {}), ...(r.cancelled || (msg.options.metric && !metric) ? { cancelled: true } : {}) }, port);
    } catch (e) {
      fail(e, port);
    }
    return;
  }
  const choice = msg.options.backend ?? msg.ir.simulate.backend ?? 'auto';
  if (choice !== 'wasm') {
    // WebGPU, or auto: asynchronous (sim-host/src/core/select.ts).
    runOnBackend(msg.ir, { ...options, threads: msg.options.threads }, choice, cb).then(
      async (r) => done({ ...toOutput(r.result), backend: r.adapter ? `webgpu (${r.adapter})` : r.backend, backendNote: r.note, ...(r.threads ? { threads: r.threads } : {}), ...(await readoutsOf(msg.ir, r.result, msg.options.readouts, options)), ...(msg.options.metric && !r.result.cancelled ? { metric: runMetric(msg.ir, r.result) } : {}) }, port),
      (e) => fail(e, port),
    );
    return;
  }
  try {
    const { result: r, threads } = runWasm(msg.ir, { ...options, threads: msg.options.threads }, cb);
    const metric = msg.options.metric && !r.cancelled ? { metric: runMetric(msg.ir, r) } : {};
    readoutsOf(msg.ir, r, msg.options.readouts, options).then((ro) => done({ ...toOutput(r), backend: 'wasm', threads, ...ro, ...metric }, port), (e) => fail(e, port));
  } catch (e) {
    fail(e, port);
  }
}

/**
 * The model's readouts scored on the run, here in the worker so that no host thread waits on
 * them (bounded: sim-host/src/analysis/readout/evaluate.ts); ONNX readouts read their model file
 * as the run reads its files (node-files.ts: confined to the run's folders, bounded) and run it
 * with onnxruntime-web (onnx/readout.ts). A failure of the analysis itself becomes each
 * readout's error; the run's results are kept.
 */
export async function readoutsOf(ir: ModelIR, r: RunResult, wanted = true, files: NodeFileOptions & { shouldStop?: () => boolean } = {}): Promise<Pick<RunOutput, 'readouts'>> {
  if (!wanted || ir.readouts.length === 0) return {};
  const read = (file: string, readout: string): Uint8Array => {
    const got = readReadoutModel(file, files);
    if ('error' in got) throw new ReadoutError(`readout ${readout}${inFileOf(ir)}: ${got.error}`, { readout });
    return got.bytes;
  };
  try {
    return { readouts: await evaluateAllReadouts(ir, r, onnxReadoutLoader(read, inFileOf(ir))) };
  } catch (e) {
    return { readouts: ir.readouts.map((x) => ({ readout: x.name, error: `the readout could not be evaluated (internal error: ${(e as Error).message})` })) };
  }
}

function done(output: RunOutput, port: Port): void {
  port.postMessage({ type: 'done', output }, buffersOf(output.spikes, output.traces));
}

function fail(e: unknown, port: Port): void {
  if (e instanceof PlanError) port.postMessage({ type: 'refused', message: e.message, code: e.code });
  else if (e instanceof ReadoutError) port.postMessage({ type: 'refused', message: e.message, code: 'readout' });
  else port.postMessage({ type: 'failed', message: (e as Error).stack ?? String(e) });
}

// Node: started by worker_threads.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const wt = typeof process !== 'undefined' && process.versions?.node ? (require('node:worker_threads') as typeof import('node:worker_threads')) : undefined;
if (wt && isPartitionData(wt.workerData)) {
  // One partition of a partitioned run (partition/run.ts): no messages, shared memory only.
  partitionMember(wt.workerData);
} else if (wt?.parentPort) {
  const port = wt.parentPort;
  port.on('message', (m: ToWorker) => handle(m, { postMessage: (x, t) => port.postMessage(x, t ?? []) }));
}
