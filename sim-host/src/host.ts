// Runs a model in a worker thread (Node): the way the CLI and the extension host start a
// simulation without blocking their own thread. Resolves with the output (also after a cancel).
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ModelIR } from '../../protocol/ir';
import type { AtomSet } from './analysis/describe/atoms';
import type { Activity, DescribeResult } from './analysis/describe/describe';
import type { FromWorker, ProgressDelta, RunOptions, RunOutput, ToWorker } from '../../protocol/sim';
import type { TargetReport } from '../../protocol/target-report';

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
    worker.on('exit', (code) => {
      if (code !== 0) reject(new Error(`simulation worker exited with code ${code}`));
    });
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
function workerRequest<T>(workerFile: string, request: ToWorker, answer: (m: FromWorker) => T | undefined, onProgress?: (done: number, total: number) => void): { result: Promise<T>; terminate(): Promise<void> } {
  const worker = new Worker(workerFile);
  let rejectIt: (e: Error) => void = () => {};
  const result = new Promise<T>((resolve, reject) => {
    rejectIt = reject;
    worker.on('message', (m: FromWorker) => {
      if (m.type === 'progress') return onProgress?.(m.done, m.total);
      const value = answer(m);
      if (value !== undefined) resolve(value);
      else if (m.type === 'refused') reject(new RunRefused(m.message, m.code));
      else if (m.type === 'failed') reject(new Error(m.message));
      else return;
      void worker.terminate();
    });
    worker.on('error', reject);
    worker.on('exit', (code) => {
      if (code !== 0) reject(new Error(`simulation worker exited with code ${code}`));
    });
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
