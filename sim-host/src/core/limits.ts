// What a run may take, refused before anything is drawn: steps, kernel work, memory (the
// estimate of estimate.ts against the limit), probes. PlanError is every refusal's type.
import type { ConnectionIR, ModelIR } from '../../../protocol/ir';
import { estimateMemory, fmtBytes, type MemoryEstimate } from './estimate';
import { MAX_CONDITION_PAIRS } from './index-rule';

/**
 * A run refused before it starts. memory: over the memory limit (the run's own arrays, its
 * recordings, or a file it reads); unsupported: not run by this backend; input: an event file
 * or edge list that cannot be read or is malformed; limit: more steps, or more build work, than
 * a run may take; cancelled: stopped while building.
 */
export class PlanError extends Error {
  constructor(
    message: string,
    readonly code: 'memory' | 'unsupported' | 'input' | 'limit' | 'cancelled' = 'unsupported',
    /** The model item (and its property) the refusal is about, for a located message. */
    readonly where?: PlanWhere,
  ) {
    super(message);
  }
}

/** A population or connection of the model by its name (a connection without one: by its index), and a property of it. */
export interface PlanWhere {
  kind: 'population' | 'connection';
  name?: string;
  index?: number;
  property?: string;
}

/** Most steps a run may take: the checker's limit, below 2³¹ so that spike steps (i32) never wrap. */
export const MAX_STEPS = 2e9;
/**
 * Most neuron pairs a distance or ring_kernel rule may test while building (one random draw
 * each, about 10⁷ per second): beyond this a build would take minutes to hours.
 */
export const MAX_KERNEL_PAIRS = 4e8;
/** Largest event file or edge list read (also counted against the memory limit). */
export const MAX_INPUT_FILE_BYTES = 256 * 2 ** 20;

/**
 * Bytes a recorded spike may take in the engine's records: 8 (step and neuron, i32 each),
 * twice that in arrays that grow by doubling, plus the old array while one is being copied.
 */
export const SPIKE_RECORD_BYTES = 24;

/** The refusal of a run whose probes alone would exceed the memory left to them. */
export function probesTooLarge(probeBytes: number, largest: string | undefined, runBytes: number, limit: number): PlanError {
  return new PlanError(
    `the probes would record about ${fmtBytes(probeBytes)}${largest ? ` (the largest: ${largest})` : ''}; with the run's ${fmtBytes(runBytes)} that is more than the ${fmtBytes(limit)} allowed (spikeworks.memoryLimitMB / --memory-limit); probe fewer neurons (probe v(pop[0..9])), sample less often (probe v(pop) every 1 ms), shorten the run, or raise the limit`,
    'memory',
  );
}

/** The step count of a run, refused above MAX_STEPS whatever set the duration. */
export function runSteps(duration: number, dt: number): number {
  const steps = Math.round(duration / dt);
  if (!(steps >= 0 && steps <= MAX_STEPS)) {
    const n = Number.isFinite(steps) ? steps.toExponential(2) : String(steps);
    throw new PlanError(`duration ${+duration.toPrecision(6)} s at dt ${+(dt * 1000).toPrecision(6)} ms is ${n} steps, more than the ${MAX_STEPS.toExponential(0)} a run may take; use a larger dt or a shorter duration`, 'limit');
  }
  return steps;
}

/** The most a WASM32 memory may hold (4 GiB less a page). */
export const WASM_MAX = 4 * 2 ** 30 - 2 ** 16;

export { fmtBytes };

/** Neuron pairs a connection's kernel rule tests (distance, ring_kernel, where: every pair), else 0. */
function kernelPairs(ir: ModelIR, c: ConnectionIR): number {
  if (c.rule.kind !== 'distance' && c.rule.kind !== 'ring_kernel' && c.rule.kind !== 'where') return 0;
  const size = (name: string): number => {
    const pop = ir.populations.find((p) => p.name === name);
    if (pop) return pop.size;
    const inp = ir.inputs.find((i) => i.name === name);
    return inp && inp.kind !== 'current_step' ? inp.size : 0;
  };
  let pairs = 0;
  for (const s of c.sources) for (const t of c.targets) {
    const ns = Math.max(0, Math.min(s.to, size(s.name) - 1) - Math.max(0, s.from) + 1);
    const nt = Math.max(0, Math.min(t.to, size(t.name) - 1) - Math.max(0, t.from) + 1) * (c.segments?.count ?? 1);
    pairs += ns * nt;
  }
  return pairs;
}

function connectionName(c: ConnectionIR): string {
  return c.name ?? `${c.sources.map((x) => x.name).join(', ')} -> ${c.targets.map((x) => x.name).join(', ')}`;
}

/** Refuses, before anything is drawn, kernel rules that would test more than MAX_KERNEL_PAIRS pairs. */
export function refuseKernelWork(ir: ModelIR): void {
  for (const c of ir.connections) {
    if (c.rule.kind === 'where') continue;
    const pairs = kernelPairs(ir, c);
    if (pairs <= MAX_KERNEL_PAIRS) continue;
    throw new PlanError(
      `building connection ${connectionName(c)} (${c.rule.kind}) would test ${pairs.toExponential(2)} neuron pairs (about ${Math.round(pairs / 1e7).toLocaleString('en-US')} s), more than the ${MAX_KERNEL_PAIRS.toExponential(0)} a build may test; use smaller populations, connect slices, or a rule that draws only its synapses (random, fixed_indegree)`,
      'limit',
    );
  }
}

/** Refuses, before the estimate counts them, `where` rules that would test more than MAX_CONDITION_PAIRS pairs. */
export function refuseConditionWork(ir: ModelIR): void {
  for (const c of ir.connections) {
    if (c.rule.kind === 'where') {
      const pairs = kernelPairs(ir, c);
      if (pairs <= MAX_CONDITION_PAIRS) continue;
      throw new PlanError(
        `building connection ${connectionName(c)} (where) would test its condition on ${pairs.toExponential(2)} neuron pairs, more than the ${MAX_CONDITION_PAIRS.toExponential(0)} a build may test; use smaller populations, connect slices, or a rule that draws only its synapses (one_to_one, random, fixed_indegree)`,
        'limit',
      );
    }
  }
}


/**
 * Expected memory of one worker of a partitioned run: every neuron's state and every delay
 * buffer (each worker lays them all out), and its share of the synapses.
 */
export function partitionBytes(est: MemoryEstimate, parts: number): number {
  return est.stateBytes + est.ringBytes + est.synapseBytes / parts;
}

/** What checkRun found: the run's step count, its limits and its memory estimate. */
export interface RunBounds {
  dt: number;
  steps: number;
  /** The run's memory limit (bytes): its own memory, files read and recordings together. */
  totalLimit: number;
  /** The limit on its own memory (the WASM32 bound applies here). */
  limit: number;
  estimate: MemoryEstimate;
}

/**
 * The refusals made before anything is drawn or read, in this order: too many steps, the
 * estimate over the limit, kernel rules testing too many pairs, probes over what is left.
 * Both the plan and the Node file step (node-files.ts, which must not read a file for a run
 * that will be refused) call it.
 */
export function checkRun(ir: ModelIR, opts: { duration?: number; memoryLimit?: number; partitions?: number }): RunBounds {
  const dt = ir.simulate.dt;
  const duration = opts.duration ?? ir.simulate.duration;
  const steps = runSteps(duration, dt);
  const parts = Math.max(1, opts.partitions ?? 1);
  // Partitioned (sim-host/src/partition): each worker has its own memory, of at most 4 GiB;
  // the limit, unless one is given, is that of every worker together.
  const totalLimit = opts.memoryLimit ?? WASM_MAX * parts;
  const limit = Math.min(totalLimit, WASM_MAX);
  // A condition rule's pairs are refused before the estimate counts them.
  refuseConditionWork(ir);
  const est = estimateMemory(ir, { duration });
  if (parts > 1) {
    const worker = partitionBytes(est, parts);
    if (worker > WASM_MAX || worker * parts > totalLimit) {
      throw new PlanError(
        `this run needs about ${fmtBytes(worker)} per worker on ${parts} workers (state and delay buffers ${fmtBytes(est.stateBytes + est.ringBytes)} in each, ${Math.round(est.synapses).toLocaleString('en-US')} synapses ${fmtBytes(est.synapseBytes)} shared among them), ${worker > WASM_MAX ? `more than the ${fmtBytes(WASM_MAX)} one worker addresses (WebAssembly memory); use more threads or reduce population sizes or connection probabilities` : `${fmtBytes(worker * parts)} together, more than the ${fmtBytes(totalLimit)} allowed (spikeworks.memoryLimitMB / --memory-limit)`}`,
        'memory',
      );
    }
  } else if (est.total > limit) {
    throw new PlanError(
      `this run needs about ${fmtBytes(est.total)} (state ${fmtBytes(est.stateBytes)}, ${Math.round(est.synapses).toLocaleString('en-US')} synapses ${fmtBytes(est.synapseBytes)}, delay buffers ${fmtBytes(est.ringBytes)}), more than the ${fmtBytes(limit)} allowed${limit >= WASM_MAX ? ' (the WASM backend addresses at most 4 GiB)' : ' (spikeworks.memoryLimitMB / --memory-limit)'}; reduce population sizes or connection probabilities`,
      'memory',
    );
  }
  refuseKernelWork(ir);
  // the run's own memory: every worker's together when partitioned
  const own = parts > 1 ? partitionBytes(est, parts) * parts : est.total;
  if (own + est.probeBytes > totalLimit) throw probesTooLarge(est.probeBytes, est.largestProbe, own, totalLimit);
  return { dt, steps, totalLimit, limit, estimate: est };
}
