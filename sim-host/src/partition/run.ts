// A partitioned WASM run on Node (partition/README.md): partition 0 plans, steps and records on
// this thread; partitions 1 … n-1 run in worker threads started here (the simulation worker's
// own file, sim-worker.js, which calls partitionMember when its workerData says so). All plan
// in parallel, each its own part; a refusal anywhere stops all and is reported by partition 0.
import { Worker } from 'node:worker_threads';
import type { ModelIR } from '../../../protocol/ir';
import { PlanError } from '../core/limits';
import type { PlanOptions } from '../core/plan';
import { planSynapses, type RunCallbacks, type RunResult } from '../core/run';
import { Simulation, type CompileOptions } from '../wasm/simulation';
import { exchangeBytes, exchangeShape, SharedExchange, type RefusalCode } from './layout';
import { rowSpace, SharedRows } from './rows';

/** What a partition worker is started with (worker_threads workerData). */
export interface PartitionData {
  partition: { index: number; count: number; ir: ModelIR; options: PlanOptions & CompileOptions; shared: SharedArrayBuffer; rows?: { shared: SharedArrayBuffer; capacity: number; maxRows: number } };
}

/** Whether `data` (a worker's workerData) starts a partition. */
export function isPartitionData(data: unknown): data is PartitionData {
  return typeof data === 'object' && data !== null && 'partition' in data;
}

function refusalOf(e: unknown): { message: string; code: RefusalCode | 'failed' } {
  if (e instanceof PlanError) return { message: e.message, code: e.code };
  return { message: (e as Error)?.stack ?? String(e), code: 'failed' };
}

/**
 * Runs `ir` on `count` workers; `opts` must hold the files the model reads (read before:
 * node-files.ts). Synchronous on this thread, which waits at each step's barrier: call it from
 * a worker thread (the simulation worker), not from a thread that must stay responsive.
 */
export function runPartitioned(ir: ModelIR, opts: PlanOptions & CompileOptions, count: number, cb: RunCallbacks, workerFile: string): RunResult {
  const shape = exchangeShape(ir);
  const shared = new SharedArrayBuffer(exchangeBytes(shape, count));
  // connection rows drawn together (rows.ts), where the space for them is reasonable
  const space = rowSpace(ir, count);
  const rows = space && { shared: new SharedArrayBuffer(space.bytes), capacity: space.capacity, maxRows: space.maxRows };
  // Functions do not cross to workers: they stop with the exchange, partition 0 reports progress.
  const { shouldStop, onBuildProgress, ...plain } = opts;
  const ex = new SharedExchange(shared, shape, count, 0, () => !!shouldStop?.());
  const workers: Worker[] = [];
  try {
    for (let w = 1; w < count; w++) {
      const data: PartitionData = { partition: { index: w, count, ir, options: plain, shared, rows } };
      const worker = new Worker(workerFile, { workerData: data });
      // A worker that dies (out of memory, a crash) stops the run instead of leaving it waiting.
      worker.on('error', (e) => ex.refuse(`worker ${w} of ${count} failed: ${e.message}`, 'failed'));
      worker.on('exit', (code) => {
        if (code !== 0) ex.refuse(`worker ${w} of ${count} ended with exit code ${code}`, 'failed');
      });
      workers.push(worker);
    }
    let sim: Simulation;
    try {
      sim = new Simulation(ir, { ...opts, partition: { index: 0, count, rows: rows && new SharedRows(rows.shared, ex, rows) }, exchange: ex, shouldStop: () => !!shouldStop?.() || ex.stopped(), onBuildProgress });
    } catch (e) {
      const other = ex.refusal();
      ex.refuse(refusalOf(e).message, refusalOf(e).code);
      // Another worker's refusal stopped this one's build: that refusal is the reason.
      if (other && e instanceof PlanError && e.code === 'cancelled' && !shouldStop?.()) throw new PlanError(other.message, other.code === 'failed' ? 'unsupported' : other.code);
      throw e;
    }
    ex.setStats(planSynapses(sim.plan), sim.memoryBytes());
    if (!ex.arrive()) {
      const r = ex.refusal();
      if (shouldStop?.()) throw new PlanError('cancelled while building', 'cancelled');
      if (!r) throw new Error('partitioned run: stopped before its first step with no reason given');
      if (r.code === 'failed') throw new Error(r.message);
      throw new PlanError(r.message, r.code);
    }
    const totals = ex.totals();
    sim.shareMemoryLimit(totals.bytes - sim.memoryBytes());
    const result = sim.run(cb);
    result.synapses = totals.synapses;
    result.memoryBytes = totals.bytes;
    // Partition 0 stopped early without a reason of its own: another worker failed.
    const early = !result.error && !result.cancelled && result.stepsDone < result.steps;
    const r = ex.refusal();
    if (early && r) throw r.code === 'failed' ? new Error(r.message) : new PlanError(r.message, r.code);
    // cancelled while waiting for a worker that never came (its thread gone): a cancelled run
    if (early && shouldStop?.()) result.cancelled = true;
    else if (early) throw new Error(`partitioned run: stopped at step ${result.stepsDone} of ${result.steps} with no reason given`);
    return result;
  } finally {
    ex.stop();
    for (const w of workers) w.unref();
  }
}

/** A partition worker's whole life: plan its part, meet the others, step until the run ends. */
export function partitionMember(data: PartitionData): void {
  const { index, count, ir, options, shared, rows } = data.partition;
  const ex = new SharedExchange(shared, exchangeShape(ir), count, index);
  let sim: Simulation;
  try {
    sim = new Simulation(ir, { ...options, partition: { index, count, rows: rows && new SharedRows(rows.shared, ex, rows) }, exchange: ex, shouldStop: () => ex.stopped() });
  } catch (e) {
    const r = refusalOf(e);
    // stopped by another's refusal or a cancel: nothing to add
    if (!(e instanceof PlanError && e.code === 'cancelled')) ex.refuse(r.message, r.code);
    else ex.stop();
    return;
  }
  ex.setStats(planSynapses(sim.plan), sim.memoryBytes());
  if (!ex.arrive()) return;
  try {
    sim.run({}, { record: [] });
  } catch (e) {
    const r = refusalOf(e);
    ex.refuse(r.message, r.code);
  }
}
