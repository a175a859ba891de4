// The run contract every backend honours: what a run returns (RunResult), what it calls back
// (progress, cancel), and the one chunked step loop that paces both: chunks of steps sized to a
// backend's target time, progress about every `progressEveryMs`, cancellation polled between
// chunks. A backend steps each chunk its own way (WASM synchronously, WebGPU awaiting read-backs).
import type { PopulationShape, PopulationSpikes, RunOutput, TraceData } from '../../../protocol/sim';
import type { Plan } from './plan';

export { nanInfMessage, recordingLimitMessage } from './messages';

/** A probed variable's samples (protocol/sim.ts). */
export type TraceRecord = TraceData;

/**
 * A run as a backend returns it: protocol/sim.ts's RunOutput without the backend's name, with
 * every population of the plan (`populations`, plan order) and the spikes of the recorded ones
 * (`spikes`, plan order: all populations unless probes name some).
 */
export type RunResult = Omit<RunOutput, 'spikes' | 'populations' | 'backend' | 'backendNote'> & {
  populations: PopulationShape[];
  spikes: PopulationSpikes[];
};

export interface RunCallbacks {
  /** Called about every `progressEveryMs` with the steps done. */
  onProgress?: (done: number, total: number, result: RunResult) => void;
  /** Polled between chunks of steps; true stops the run (what was recorded is kept). */
  shouldStop?: () => boolean;
  progressEveryMs?: number;
}

/** The recorded spikes of population `name`, if it was recorded. */
export function spikesOf(r: Pick<RunResult, 'spikes'>, name: string): PopulationSpikes | undefined {
  return r.spikes.find((s) => s.name === name);
}

/** A fresh result for `plan`: nothing stepped yet. */
/** Synapses a plan holds (a pathway after the first shares its connection's). */
export function planSynapses(plan: Plan): number {
  return plan.projs.reduce((a, p) => a + (p.pathway ? 0 : p.synapses), 0);
}

export function newResult(plan: Plan, traces: TraceRecord[], timings: { plan_s: number; compile_s: number }): RunResult {
  return {
    dt: plan.dt, steps: plan.steps, stepsDone: 0, seed: plan.seed, cancelled: false,
    populations: plan.pops.map((p) => ({ name: p.name, size: p.size })), spikes: [], traces,
    timings: { ...timings, run_s: 0 }, synapses: planSynapses(plan), memoryBytes: plan.bytes,
  };
}

/** How a backend's chunks grow and shrink: from `first` steps, doubled under fastMs, halved over slowMs, at most `max`. */
export interface StepPace {
  first: number;
  max: number;
  fastMs: number;
  slowMs: number;
}

/** A chunk of steps [from, to): the backend steps it, and may end it earlier by lowering `to`. */
export interface StepChunk {
  readonly from: number;
  to: number;
}

/**
 * The chunked step loop: yields chunks until the run's steps are done. After each chunk it sets
 * `result.stepsDone`, resizes the next chunk from the time this one took, reports progress
 * (calling `collect` first, so the result holds what was recorded) and stops when `shouldStop`
 * says so (`result.cancelled`). A backend that stops early (NaN/Inf, limits, device lost) sets
 * its own result fields and leaves the loop (break or return).
 */
export function* stepChunks(result: RunResult, cb: RunCallbacks, pace: StepPace, collect: () => void, t0: number): Generator<StepChunk, void, void> {
  const total = result.steps;
  let lastReport = t0;
  const every = cb.progressEveryMs ?? 100;
  let chunk = pace.first;
  let t = 0;
  while (t < total) {
    const c: StepChunk = { from: t, to: Math.min(total, t + chunk) };
    const c0 = performance.now();
    yield c;
    t = c.to;
    result.stepsDone = t;
    const took = performance.now() - c0;
    chunk = Math.max(1, Math.min(pace.max, Math.round(chunk * (took > pace.slowMs ? 0.5 : took < pace.fastMs ? 2 : 1))));
    const now = performance.now();
    if (cb.onProgress && now - lastReport >= every) {
      lastReport = now;
      result.timings.run_s = (now - t0) / 1000;
      collect();
      cb.onProgress(t, total, result);
    }
    if (cb.shouldStop?.()) {
      result.cancelled = true;
      return;
    }
  }
}

/** The size of population `name` (every population of the plan is listed, recorded or not). */
export function sizeOf(r: Pick<RunResult, 'populations'>, name: string): number | undefined {
  return r.populations.find((p) => p.name === name)?.size;
}
