// Runs a model in a worker thread (Node): the way the CLI and the extension host start a
// simulation without blocking their own thread. Resolves with the output (also after a cancel).
import * as os from 'node:os';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ModelIR } from '../../protocol/ir';
import type { AtomSet } from './analysis/describe/atoms';
import type { Activity, DescribeResult } from './analysis/describe/describe';
import type { FromWorker, ProgressDelta, RunOptions, RunOutput, ToWorker } from '../../protocol/sim';
import type { TargetReport } from '../../protocol/target-report';
import type { CircuitsResult, Intervention } from '../../protocol/circuits';
import { discoverCircuits, type Measurer } from './analysis/circuits/discover';

export class RunRefused extends Error {
  constructor(message: string, readonly code: string) {
    super(message);
  }
}

/** The run was ended by `terminate()`: nothing more comes from the worker. */
export class RunTerminated extends Error {
  constructor() {
    super('the simulation was stopped');
  }
}

export interface RunHandle {
  result: Promise<RunOutput>;
  /** Asks the worker to stop; it does so within one chunk of steps (~10 ms). */
  cancel(): void;
  /**
   * Ends the worker at once (also while it builds or compiles, which `cancel` cannot
   * interrupt); `result` then rejects with RunTerminated.
   */
  terminate(): Promise<void>;
}

/**
 * Progress of a run: steps `done` of `total`. While a long build step runs (phase 'build'),
 * `done`/`total` count its rows and `label` says what is built ("building connections …").
 */
export type ProgressCallback = (done: number, total: number, spikes: number, delta?: ProgressDelta, build?: { phase: 'build'; label: string }) => void;

/**
 * Why a worker that ended before answering ended (after an answer the rejection is a no-op): a
 * non-zero code, or 0 — its event loop ran dry with a request still open — which would otherwise
 * leave the run "running" for ever.
 */
export function workerExit(code: number): Error {
  return new Error(code !== 0 ? `simulation worker exited with code ${code}` : 'the simulation worker ended without answering (nothing was left for it to wait on): this is a bug, please report it with the model');
}

export function startRun(ir: ModelIR, options: RunOptions, onProgress?: ProgressCallback, workerFile = path.join(__dirname, 'sim-worker.js')): RunHandle {
  const cancelBuf = new SharedArrayBuffer(4);
  const flag = new Int32Array(cancelBuf);
  const worker = new Worker(workerFile);
  let rejectRun: (e: Error) => void = () => {};
  const result = new Promise<RunOutput>((resolve, reject) => {
    rejectRun = reject;
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'progress') onProgress?.(m.done, m.total, m.spikes, m.delta, m.phase === 'build' ? { phase: 'build', label: m.label ?? 'building' } : undefined);
      else if (m.type === 'done') {
        resolve(m.output);
        void worker.terminate();
      } else if (m.type === 'refused') {
        reject(new RunRefused(m.message, m.code));
        void worker.terminate();
      } else if (m.type === 'failed') {
        reject(new Error(m.message));
        void worker.terminate();
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(workerExit(code)));
  });
  // A caller that ends the run need not also wait for it: no unhandled-rejection noise.
  result.catch(() => {});
  worker.postMessage({ type: 'run', ir, options, cancel: cancelBuf });
  return {
    result,
    cancel: () => Atomics.store(flag, 0, 1),
    terminate: async () => {
      rejectRun(new RunTerminated());
      await worker.terminate();
    },
  };
}

export interface EmulationHandle {
  /** The Target Report as text and as plain data; rejects with RunRefused (the model or target cannot be emulated) or RunTerminated. */
  result: Promise<{ text: string; report: TargetReport }>;
  /** Ends the worker at once (the emulation has no chunked loop to poll a flag). */
  terminate(): Promise<void>;
}

/**
 * One request to a fresh worker answered by one message: `answer` picks the result out of the
 * worker's messages (undefined: not the answer; progress goes to `onProgress`); a refusal or a
 * failure rejects; `terminate` ends the worker at once and rejects with RunTerminated.
 */
export function workerRequest<T>(workerFile: string, request: ToWorker, answer: (m: FromWorker) => T | undefined, onProgress?: (done: number, total: number, phase?: string, label?: string) => void): { result: Promise<T>; terminate(): Promise<void> } {
  const worker = new Worker(workerFile);
  let rejectIt: (e: Error) => void = () => {};
  const result = new Promise<T>((resolve, reject) => {
    rejectIt = reject;
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'progress') return onProgress?.(m.done, m.total, m.phase, m.label);
      let value: T | undefined;
      try {
        value = answer(m);
      } catch (e) {
        // An answer that says the request was refused.
        reject(e as Error);
        return void worker.terminate();
      }
      if (value !== undefined) resolve(value);
      else if (m.type === 'refused') reject(new RunRefused(m.message, m.code));
      else if (m.type === 'failed') reject(new Error(m.message));
      else return;
      void worker.terminate();
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(workerExit(code)));
  });
  result.catch(() => {});
  worker.postMessage(request);
  return {
    result,
    terminate: async () => {
      rejectIt(new RunTerminated());
      await worker.terminate();
    },
  };
}

/** Emulates a model on one of its hardware targets in a worker thread (the host's thread stays free). */
export function startEmulation(ir: ModelIR, options: Pick<RunOptions, 'seed' | 'duration' | 'baseDir' | 'readRoots'>, target: string, workerFile = path.join(__dirname, 'sim-worker.js'), file?: string): EmulationHandle {
  return workerRequest(workerFile, { type: 'emulate', ir, options, target, ...(file ? { file } : {}) }, (m) => (m.type === 'emulated' ? { text: m.text, report: m.report } : undefined));
}

export interface DescribeHandle {
  result: Promise<DescribeResult>;
  /** Asks the worker to stop between units; the result then says `cancelled`. */
  cancel(): void;
  /** Ends the worker at once; `result` rejects with RunTerminated. */
  terminate(): Promise<void>;
}

/** Describe Neurons on one population's activity in a worker thread (the host's thread stays free). */
export function startDescribe(activity: Activity, atoms: AtomSet, options: { seed?: number }, onProgress?: (done: number, total: number) => void, workerFile = path.join(__dirname, 'sim-worker.js')): DescribeHandle {
  const cancelBuf = new SharedArrayBuffer(4);
  const flag = new Int32Array(cancelBuf);
  const counts = activity.counts instanceof Float64Array || activity.counts instanceof Uint32Array || activity.counts instanceof Int32Array ? activity.counts : Float64Array.from(activity.counts);
  const request: ToWorker = { type: 'describe', activity: { units: activity.units, windows: activity.windows, counts }, atoms, options, cancel: cancelBuf };
  const r = workerRequest(workerFile, request, (m) => (m.type === 'described' ? (m.result as DescribeResult) : undefined), onProgress);
  return { ...r, cancel: () => Atomics.store(flag, 0, 1) };
}

export class OnnxCircuitsRefused extends Error {}

/**
 * Circuits on an ONNX model's attention heads (sim-host/src/onnx/circuits.ts) in a worker thread:
 * the task sets (read with onnx-host.ts readTaskSet) travel to it, the result comes back.
 * Progress counts measurements; `cancel` stops between runs (the result says `cancelled`). Rejects
 * with OnnxCircuitsRefused (no heads, a set that does not fit the model, an unknown task) or
 * RunTerminated.
 */
export function startOnnxCircuits(model: Uint8Array, sets: Extract<ToWorker, { type: 'onnx-circuits' }>['sets'], options: Extract<ToWorker, { type: 'onnx-circuits' }>['options'], onProgress?: (done: number, total: number, label?: string) => void, workerFile = path.join(__dirname, 'sim-worker.js')): CircuitsHandle {
  const cancelBuf = new SharedArrayBuffer(4);
  const flag = new Int32Array(cancelBuf);
  const r = workerRequest(workerFile, { type: 'onnx-circuits', model, sets, options, cancel: cancelBuf }, (m) => {
    if (m.type !== 'onnx-circuits-done') return undefined;
    if (m.error !== undefined || !m.result) throw new OnnxCircuitsRefused(m.error ?? 'no result');
    return m.result;
  }, onProgress && ((done, total, _phase, label) => onProgress(done, total, label)));
  return { ...r, cancel: () => Atomics.store(flag, 0, 1) };
}

export interface CircuitsOptions {
  task?: string;
  threshold?: number;
  intervention?: Intervention;
  seed?: number;
  controlDraws?: number;
  /** Worker threads (default: the cores less one, at most 4). */
  workers?: number;
  baseDir?: string;
  readRoots?: string[];
  /** The model file's name, for the result. */
  source?: string;
  /** Score with a readout retrained on each run (analysis/circuits/metric.ts). */
  retrain?: boolean;
  /** Cut every population into this many groups besides the model's own slices. */
  split?: number;
}

export interface CircuitsHandle {
  /** The analysis; a cancelled one resolves with `cancelled: true` and what was found so far. Rejects with CircuitsError (bad task or threshold), RunRefused, or RunTerminated. */
  result: Promise<CircuitsResult>;
  /** Stops every worker between runs. */
  cancel(): void;
  /** Ends every worker at once; `result` rejects with RunTerminated. */
  terminate(): Promise<void>;
}

/**
 * Circuit discovery (sim-host/src/analysis/circuits) on a pool of worker threads: each worker
 * plans and compiles the model once, then measures its share of every batch of runs (one plan,
 * masks changed between runs); the search itself runs here. Progress counts runs.
 */
export function startCircuits(ir: ModelIR, options: CircuitsOptions, onProgress?: (done: number, total: number, label?: string) => void, workerFile = path.join(__dirname, 'sim-worker.js')): CircuitsHandle {
  const count = Math.max(1, Math.floor(options.workers ?? Math.min(4, Math.max(1, os.availableParallelism() - 1))));
  const seed = options.seed ?? ir.simulate.seed;
  const intervention = options.intervention ?? 'silence';
  const cancelBuf = new SharedArrayBuffer(4);
  const flag = new Int32Array(cancelBuf);
  let rejectIt: (e: Error) => void = () => {};
  let ended = false;
  const workers: Worker[] = [];
  // Per worker: the pending request's resolver.
  const pending = new Map<Worker, (m: FromWorker) => void>();
  const failed = new Promise<never>((_, reject) => (rejectIt = reject));
  failed.catch(() => {});
  const ask = (w: Worker, msg: ToWorker) => new Promise<FromWorker>((resolve) => {
    pending.set(w, resolve);
    w.postMessage(msg);
  });
  // Progress: the analysis's own count (it counts conditions answered from its memo too) plus the
  // runs the workers have made of the current batch.
  let batchBase = 0;
  let batchTotal = 0;
  let label: string | undefined;
  let lastTotal = 0;
  // Runs done in the current batch, per worker (kept until the batch ends: progress never goes back).
  const batchDone = new Map<Worker, number>();
  const report = () => {
    let inFlight = 0;
    for (const d of batchDone.values()) inFlight += d;
    onProgress?.(Math.min(batchBase + inFlight, lastTotal || batchBase + inFlight), lastTotal || batchBase + batchTotal, label);
  };
  for (let k = 0; k < count; k++) {
    const w = new Worker(workerFile);
    workers.push(w);
    w.on('message', (m: FromWorker) => {
      if (m.type === 'progress') {
        batchDone.set(w, m.done);
        return report();
      }
      if (m.type === 'refused') return rejectIt(new RunRefused(m.message, m.code));
      if (m.type === 'failed') return rejectIt(new Error(m.message));
      const p = pending.get(w);
      pending.delete(w);
      p?.(m);
    });
    w.on('error', (e) => rejectIt(e));
    w.on('exit', (code) => {
      if (code !== 0 && !ended) rejectIt(new Error(`circuits worker exited with code ${code}`));
    });
  }
  const init = Promise.all(workers.map((w) => ask(w, { type: 'circuits-init', ir, options: { intervention, seed, retrain: options.retrain, split: options.split, baseDir: options.baseDir, readRoots: options.readRoots }, cancel: cancelBuf })));
  let nextId = 0;
  const runsOf = new Map<Worker, number>();
  const measurer: Measurer = {
    runs: () => [...runsOf.values()].reduce((a, b) => a + b, 0),
    chance: async () => ((await Promise.race([init, failed]))[0] as Extract<FromWorker, { type: 'circuits-ready' }>).chance,
    synapses: async () => ((await Promise.race([init, failed]))[0] as Extract<FromWorker, { type: 'circuits-ready' }>).synapses,
    measure: async (conditions) => {
      batchTotal = conditions.length;
      batchDone.clear();
      // Contiguous shares, as even as they can be.
      const shares = workers.map((_, k) => conditions.slice(Math.floor((k * conditions.length) / workers.length), Math.floor(((k + 1) * conditions.length) / workers.length)));
      const answers = await Promise.race([Promise.all(workers.map((w, k) => (shares[k].length ? ask(w, { type: 'circuits-measure', id: nextId++, conditions: shares[k] }) : Promise.resolve(undefined)))), failed]);
      const values: Record<string, number>[] = [];
      answers.forEach((a, k) => a?.type === 'circuits-measured' && runsOf.set(workers[k], a.runs));
      for (let k = 0; k < workers.length; k++) {
        const got = (answers[k] as Extract<FromWorker, { type: 'circuits-measured' }> | undefined)?.values ?? [];
        values.push(...got);
        // A cancelled share is short: what follows it would be misplaced.
        if (got.length < shares[k].length) break;
      }
      batchDone.clear();
      return values;
    },
  };
  const end = async () => {
    ended = true;
    await Promise.all(workers.map((w) => w.terminate()));
  };
  const result = discoverCircuits(ir, measurer, {
    task: options.task, threshold: options.threshold, intervention, seed, controlDraws: options.controlDraws, split: options.split, retrain: options.retrain, source: options.source,
    shouldStop: () => Atomics.load(flag, 0) !== 0,
    onProgress: (done, total, l) => {
      batchBase = done;
      lastTotal = total;
      label = l;
      onProgress?.(done, total, l);
    },
  });
  const final = Promise.race([result, failed]).finally(() => void end());
  final.catch(() => {});
  return {
    result: final,
    cancel: () => Atomics.store(flag, 0, 1),
    terminate: async () => {
      rejectIt(new RunTerminated());
      await end();
    },
  };
}
