// The one memory estimate of a run, from its IR alone (no connection is drawn: expected synapse
// counts): the engine refuses runs with it before planning, and the editor shows it. Pure and
// cheap; importable without Node (no imports beyond protocol/ and values.ts).
import type { ConnectionIR, ModelIR } from '../../../protocol/ir';
import { valueMax } from './values';

/** Bytes a run is expected to take, and what they are for. */
export interface MemoryEstimate {
  /** Neuron and source state, parameters, refractory counters and spike lists. */
  stateBytes: number;
  /** Synapse arrays (CSR columns, weights, per-synapse delays, while building twice that) and row pointers. */
  synapseBytes: number;
  /** Delay ring buffers. */
  ringBytes: number;
  /** The run's own memory, stateBytes + synapseBytes + ringBytes: what the memory limit is checked against first. */
  total: number;
  /** Expected synapse count (a fractional expectation for random rules). */
  synapses: number;
  /** Samples the probes of population variables record over the run (f32); synapse probes are counted once drawn. */
  probeBytes: number;
  /** The largest of those probes, in words ("v(exc): 3,200 neurons × 10,000 samples"). */
  largestProbe?: string;
  /** total + probeBytes: what the run needs before any spike is recorded or file read. */
  totalWithProbes: number;
}

export interface EstimateOptions {
  /** Simulated seconds (default: the model's `simulate` block). */
  duration?: number;
}

/** Samples a probe takes in `steps` steps, one every `everySteps` (at steps 0, every, 2·every, …). */
export function probeSamples(steps: number, everySteps: number): number {
  return steps > 0 ? Math.floor((steps - 1) / everySteps) + 1 : 0;
}

/** A probe's sampling interval in steps. */
export function probeEverySteps(every: number | undefined, dt: number): number {
  return Math.max(1, Math.round((every ?? dt) / dt));
}

/** Bytes the probes of population variables will record (f32 samples); synapse probes are counted once drawn. */
export function populationProbeBytes(ir: ModelIR, steps: number, dt: number): { bytes: number; largest?: string } {
  let bytes = 0;
  let largest: { bytes: number; what: string } | undefined;
  for (const pr of ir.probes) {
    if (pr.variable === 'spikes' || pr.variable === 'rate') continue;
    const everySteps = probeEverySteps(pr.every, dt);
    for (const sel of pr.targets) {
      const pop = ir.populations.find((p) => p.name === sel.name);
      if (!pop) continue;
      const neurons = Math.max(0, Math.min(sel.to, pop.size - 1) - Math.max(0, sel.from) + 1);
      const b = neurons * probeSamples(steps, everySteps) * 4;
      bytes += b;
      if (!largest || b > largest.bytes) largest = { bytes: b, what: `${pr.variable}(${sel.name}): ${neurons.toLocaleString('en-US')} neurons × ${probeSamples(steps, everySteps).toLocaleString('en-US')} samples` };
    }
  }
  return { bytes, largest: largest?.what };
}

/** Expected synapse count of a connection (before drawing), for the memory check. */
export function expectedSynapses(c: ConnectionIR, ns: number, nt: number): number {
  const r = c.rule;
  switch (r.kind) {
    case 'all_to_all':
      return ns * nt;
    case 'one_to_one':
      return Math.min(ns, nt);
    case 'random':
      return ns * nt * r.p;
    case 'fixed_indegree':
      return nt * r.k;
    case 'fixed_outdegree':
      return ns * r.k;
    case 'distance':
    case 'ring_kernel':
      return ns * nt * r.p_max;
    default:
      return 0;
  }
}

/**
 * The memory a run of `ir` is expected to take (the engine refuses runs with exactly this
 * figure before it draws anything; the editor shows it). No connection is drawn: synapse
 * counts are expectations from the rules (edge lists count 0 here; their files are counted as
 * read).
 */
export function estimateMemory(ir: ModelIR, options: EstimateOptions = {}): MemoryEstimate {
  const dt = ir.simulate.dt;
  const duration = options.duration ?? ir.simulate.duration;
  const stepsRaw = Math.round(duration / dt);
  const steps = Number.isFinite(stepsRaw) && stepsRaw > 0 ? Math.min(stepsRaw, 2e9) : 0;
  const sizes = new Map<string, number>();
  let stateBytes = 0;
  for (const p of ir.populations) {
    sizes.set(p.name, p.size);
    const vars = ir.models[p.model]?.state.length ?? 1;
    stateBytes += p.size * (vars * 4 * 2 + 4 + 4 + 4 * Object.keys(p.parameters).length);
  }
  for (const i of ir.inputs) if (i.kind !== 'current_step') {
    sizes.set(i.name, i.size);
    stateBytes += i.size * 8;
  }
  let synapses = 0;
  let synapseBytes = 0;
  let ringBytes = 0;
  for (const c of ir.connections) {
    const maxDelay = c.delay ? valueMax(c.delay) : 0;
    for (const s of c.sources) for (const t of c.targets) {
      const ns = s.to - s.from + 1;
      const nt = t.to - t.from + 1;
      const n = expectedSynapses(c, ns, nt * (c.segments?.count ?? 1));
      synapses += n;
      // CSR: column + weight (+ delay) per synapse, row pointers, and the edge list used while building.
      synapseBytes += n * (4 + 4 + (c.delay && c.delay.kind !== 'const' ? 4 : 0)) * 2 + (ns + 1) * 4;
      ringBytes += (Math.round(maxDelay / dt) + 1) * (sizes.get(t.name) ?? nt) * 4;
    }
  }
  const total = stateBytes + synapseBytes + ringBytes;
  const probes = populationProbeBytes(ir, steps, dt);
  return { stateBytes, synapseBytes, ringBytes, total, synapses, probeBytes: probes.bytes, largestProbe: probes.largest, totalWithProbes: total + probes.bytes };
}

