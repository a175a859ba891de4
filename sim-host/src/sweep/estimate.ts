// The whole sweep's memory and work, estimated before any run starts from the engine's own
// estimate (core/estimate.ts through core/limits.ts checkRun) of every point: what does not fit
// is refused with the figure and the bound. Pure.
import type { ModelIR } from '../../../protocol/ir';
import { fmtBytes } from '../core/estimate';
import { checkRun, PlanError } from '../core/limits';
import { applyRun, SweepError, type SweepRun, type SweepSpec } from './spec';

/** Simulated steps of all runs of a sweep together. */
export const MAX_SWEEP_STEPS = 2e10;

export interface SweepEstimate {
  runs: number;
  points: number;
  /** Workers that run at once (the asked number, fewer where the memory limit needs it). */
  workers: number;
  /** The largest run's memory (its own memory and probes), bytes. */
  runBytes: number;
  /** runBytes × workers: memory of the runs going at once. */
  peakBytes: number;
  /** Memory limit each run is given (the sweep's limit shared by the workers). */
  runLimit: number;
  /** Steps of one run and of all runs. */
  steps: number;
  totalSteps: number;
  /** Σ over runs of steps × (neurons + expected synapses): the work, for the time estimate. */
  work: number;
}

/**
 * Checks every point as the engine will (steps, memory, kernel work) against its share of
 * `memoryLimit`, the sweep's memory limit for all runs at once; picks how many workers fit.
 * Throws SweepError (the point's values and the engine's reason) for what would be refused.
 */
export function estimateSweep(ir: ModelIR, spec: SweepSpec, runs: SweepRun[], opts: { duration?: number; memoryLimit: number; workers: number }): SweepEstimate {
  let runBytes = 0;
  let steps = 0;
  let work = 0;
  const seen = new Map<number, number>();
  for (const run of runs) {
    const known = seen.get(run.point);
    if (known !== undefined) {
      work += known;
      continue;
    }
    const pointIr = applyRun(ir, spec, run);
    let b;
    try {
      b = checkRun(pointIr, { duration: opts.duration, memoryLimit: opts.memoryLimit });
    } catch (e) {
      if (e instanceof PlanError) throw new SweepError(`point ${spec.axes.map((a, k) => `${a.target} = ${fmtValue(run.values[k], a.display)}`).join(', ')} would be refused: ${e.message}`);
      throw e;
    }
    runBytes = Math.max(runBytes, b.estimate.totalWithProbes);
    steps = b.steps;
    const neurons = pointIr.populations.reduce((n, p) => n + p.size, 0) + pointIr.inputs.reduce((n, i) => n + (i.kind === 'current_step' ? 0 : i.size), 0);
    const w = b.steps * (neurons + b.estimate.synapses);
    seen.set(run.point, w);
    work += w;
  }
  const totalSteps = steps * runs.length;
  if (totalSteps > MAX_SWEEP_STEPS) {
    throw new SweepError(`this sweep simulates ${runs.length} runs × ${steps.toLocaleString('en-US')} steps = ${totalSteps.toExponential(2)} steps, more than the ${MAX_SWEEP_STEPS.toExponential(0)} a sweep may; use fewer points or seeds, or a shorter --duration`);
  }
  const fit = runBytes > 0 ? Math.floor(opts.memoryLimit / runBytes) : opts.workers;
  if (fit < 1) throw new SweepError(`one run needs about ${fmtBytes(runBytes)}, more than the sweep's memory limit of ${fmtBytes(opts.memoryLimit)} (--memory-limit)`);
  const workers = Math.max(1, Math.min(opts.workers, fit, runs.length));
  return { runs: runs.length, points: seen.size, workers, runBytes, peakBytes: runBytes * workers, runLimit: Math.floor(opts.memoryLimit / workers), steps, totalSteps, work };
}

/** A value in its display unit: "250 pA". */
export function fmtValue(si: number, display: { unit: string; scale: number }): string {
  const v = si / display.scale;
  const s = Number.isInteger(v) ? String(v) : Number(v.toPrecision(6)).toString();
  return display.unit && display.unit !== 'SI' ? `${s} ${display.unit}` : s;
}
