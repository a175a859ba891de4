// Runs a sweep (sim-host/src/sweep/) on a pool of worker threads (Node): each run is a normal
// run through host.ts startRun with its point's IR and its own seed; at most `workers` at once.
// Progress counts runs (and the fraction of the running ones); cancel stops every worker
// (runs stopped part-way are left out of the results) and starts no more. Per run only summary
// statistics are kept (rates, CV of ISIs); the spikes are dropped as soon as they are counted.
import * as path from 'node:path';
import type { ModelIR } from '../../protocol/ir';
import type { RunOutput } from '../../protocol/sim';
import { RunRefused, RunTerminated, startRun, type RunHandle } from './host';
import { cvIsi } from './output';
import { applyRun, type SweepRun, type SweepSpec } from './sweep/spec';
import { hasFaults, withoutFaults } from './sweep-metric';
import type { PopulationStat, SweepResult, SweepRow } from './sweep/results';

export interface SweepPoolOptions {
  workers: number;
  duration?: number;
  /** Memory limit of each run, bytes (the sweep's limit shared by the workers: sweep/estimate.ts). */
  runMemoryLimit?: number;
  baseDir?: string;
  readRoots?: string[];
  backend?: 'auto' | 'wasm' | 'webgpu';
  /**
   * WASM workers of each run (RunOptions.threads). Absent: the model's `simulate { threads }`,
   * else 1 — the pool's runs already fill the cores, so a run does not default to all of them.
   */
  threads?: number;
  /** Run every point on the model's memristor target of this name (a fault sweep: RunOptions.target). */
  target?: string;
  /** Score every run (RunOptions.metric: the first readout's accuracy, or the mean rate); rows carry it. */
  metric?: boolean;
  /** A fault sweep: run each seed's fault-free crossbar once and share its readout features (default); false: every faulty run runs its own. */
  shareClean?: boolean;
  /** Runs finished of total, and the fraction of the whole sweep done (finished plus the running runs' steps). */
  onProgress?: (runsDone: number, runsTotal: number, fraction: number) => void;
  /** A run finished (in completion order). */
  onRow?: (row: SweepRow) => void;
  workerFile?: string;
}

export interface SweepHandle {
  result: Promise<SweepResult>;
  /** Stops every running worker (within one chunk of steps) and starts no more runs. */
  cancel(): void;
  /** Ends every worker at once. */
  terminate(): Promise<void>;
}

/** A run's summary statistics from its output (the spikes are not kept). */
export function rowOf(run: SweepRun, out: RunOutput): SweepRow {
  const simS = out.stepsDone * out.dt;
  const populations: PopulationStat[] = out.spikes.map((p) => ({
    name: p.name,
    size: p.size,
    spikes: p.steps.length,
    rate_hz: simS > 0 && p.size > 0 ? p.steps.length / p.size / simS : 0,
    cv_isi: cvIsi(p.steps, p.neurons),
  }));
  return { run, sim_s: simS, ...(out.error ? { error: out.error } : {}), ...(out.metric ? { metric: out.metric } : {}), populations };
}

export function startSweep(ir: ModelIR, spec: SweepSpec, runs: SweepRun[], opts: SweepPoolOptions): SweepHandle {
  const workerFile = opts.workerFile ?? path.join(__dirname, 'sim-worker.js');
  const rows: SweepRow[] = [];
  const running = new Map<number, { handle: RunHandle; frac: number }>();
  let next = 0;
  let cancelled = false;
  let failure: Error | undefined;
  const progress = () => {
    let frac = rows.length;
    for (const [k, r] of running) if (k >= 0) frac += r.frac;
    opts.onProgress?.(rows.length, runs.length, runs.length ? frac / runs.length : 1);
  };
  let finish: (r: SweepResult) => void = () => {};
  let fail: (e: Error) => void = () => {};
  const result = new Promise<SweepResult>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  result.catch(() => {});
  const settle = () => {
    if (running.size > 0) return;
    if (failure) fail(failure);
    else finish({ rows, cancelled, runsTotal: runs.length });
  };
  // A fault sweep with a readout: each faulty run's readout is trained on the fault-free crossbar
  // of its seed (sweep-metric.ts). That run is the same for every fault setting of a seed, so it
  // runs once per (seed, fault-free settings), first, and its readout features go to the faulty
  // runs (RunOptions.cleanFeatures) instead of each worker running it again.
  const cleanKey = new Map<number, string>();
  const clean = new Map<string, { ir: ModelIR; seed: number; features?: Float64Array[] }>();
  const target = opts.target;
  if (target !== undefined && opts.metric && ir.readouts.length && opts.shareClean !== false) {
    for (const run of runs) {
      const pir = applyRun(ir, spec, run);
      if (!hasFaults(pir, target)) continue;
      const free = withoutFaults(pir, target);
      const t = free.targets.find((x) => x.name === target);
      const key = `${run.seed}|${JSON.stringify(t?.settings)}|${JSON.stringify(t?.options)}`;
      cleanKey.set(run.index, key);
      if (!clean.has(key)) clean.set(key, { ir: free, seed: run.seed });
    }
  }
  const cleanJobs = [...clean.keys()];
  let nextClean = 0;
  const common = { duration: opts.duration, memoryLimit: opts.runMemoryLimit, baseDir: opts.baseDir, readRoots: opts.readRoots, backend: opts.backend, threads: opts.threads ?? (ir.simulate.threads === undefined ? 1 : undefined), progressEveryMs: 200, readouts: false };
  const launchClean = (key: string): void => {
    const job = clean.get(key)!;
    const index = -1 - nextClean;
    const entry = { handle: startRun(job.ir, { ...common, seed: job.seed, target: target!, readoutFeatures: true }, undefined, workerFile), frac: 0 };
    running.set(index, entry);
    entry.handle.result.then(
      (out) => {
        running.delete(index);
        if (!out.cancelled) job.features = out.readoutFeatures ?? [];
        launch();
        settle();
      },
      (e: Error) => {
        running.delete(index);
        if (!(e instanceof RunTerminated || (e instanceof RunRefused && e.code === 'cancelled')) && !cancelled && !failure) {
          failure = new Error(`the fault-free run of seed ${job.seed}: ${e.message}`);
          for (const r of running.values()) r.handle.cancel();
        }
        launch();
        settle();
      },
    );
  };
  const launch = (): void => {
    while (!cancelled && !failure && nextClean < cleanJobs.length && running.size < Math.max(1, opts.workers)) launchClean(cleanJobs[nextClean++]);
    while (!cancelled && !failure && running.size < Math.max(1, opts.workers) && next < runs.length) {
      const run = runs[next];
      const key = cleanKey.get(run.index);
      const cleanFeatures = key === undefined ? undefined : clean.get(key)!.features;
      // its fault-free twin still runs: wait for it (launch is called again when it ends)
      if (key !== undefined && !cleanFeatures) break;
      next++;
      const entry = { handle: undefined as unknown as RunHandle, frac: 0 };
      entry.handle = startRun(
        applyRun(ir, spec, run),
        { ...common, seed: run.seed, ...(opts.target ? { target: opts.target } : {}), ...(opts.metric ? { metric: true } : {}), ...(cleanFeatures ? { cleanFeatures } : {}) },
        (done, total, _spikes, _delta, build) => {
          if (build) return;
          entry.frac = total ? done / total : 0;
          progress();
        },
        workerFile,
      );
      running.set(run.index, entry);
      entry.handle.result.then(
        (out) => {
          running.delete(run.index);
          // A run stopped by the cancel is partial: left out.
          if (!out.cancelled) {
            const row = rowOf(run, out);
            rows.push(row);
            opts.onRow?.(row);
          }
          progress();
          launch();
          settle();
        },
        (e: Error) => {
          running.delete(run.index);
          if (!(e instanceof RunTerminated || (e instanceof RunRefused && e.code === 'cancelled')) && !cancelled && !failure) {
            failure = e instanceof RunRefused ? new RunRefused(`run ${run.index + 1} (seed ${run.seed}): ${e.message}`, e.code) : new Error(`run ${run.index + 1} (seed ${run.seed}): ${e.message}`);
            for (const r of running.values()) r.handle.cancel();
          }
          launch();
          settle();
        },
      );
    }
  };
  launch();
  settle();
  return {
    result,
    cancel: () => {
      cancelled = true;
      for (const r of running.values()) r.handle.cancel();
    },
    terminate: async () => {
      cancelled = true;
      await Promise.all([...running.values()].map((r) => r.handle.terminate()));
    },
  };
}
