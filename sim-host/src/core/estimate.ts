// The one memory estimate of a run, from its IR alone (no connection is drawn: expected synapse
// counts): the engine refuses runs with it before planning, and the editor's size check and inlay
// hints show it. The per-part functions below are the whole formula: estimateMemory composes them
// from the IR, the language server's checker from what it checked (the same facts, before
// lowering); test/estimate.test.ts holds the two equal. Pure and cheap; importable without Node
// (no imports beyond protocol/, values.ts and index-rule.ts).
import type { ModelIR, PopulationIR, RuleIR, ValueIR } from '../../../protocol/ir';
import { valueMax } from './values';
import { conditionPairs } from './index-rule';

export { MAX_CONDITION_PAIRS } from './index-rule';

/** A byte count as the estimate's messages and the editor show it (1,023 B, 12 KiB, 3.4 MiB, 1.2 GiB). */
export function fmtBytes(b: number): string {
  if (b >= 2 ** 30) return `${(b / 2 ** 30).toFixed(1)} GiB`;
  if (b >= 2 ** 20) return `${(b / 2 ** 20).toFixed(1)} MiB`;
  if (b >= 2 ** 10) return `${(b / 2 ** 10).toFixed(0)} KiB`;
  return `${Math.round(b)} B`;
}

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

/** Spacing of neurons laid out without one (metres): the language's default. */
export const DEFAULT_LAYOUT_SPACING = 10e-6;

/**
 * Expected synapse count of one (source selector, target selector) pair of a rule, before
 * drawing: `ns` sources, `nt` targets (segments included). Distance rules use the source
 * population's layout (the Gaussian's mass over its spacing); without one they count every pair
 * at p_max, an upper bound. Edge lists count 0 here: their file is counted as read.
 */
export function expectedSynapses(rule: RuleIR, ns: number, nt: number, sourceLayout?: PopulationIR['layout']): number {
  switch (rule.kind) {
    case 'all_to_all':
      return ns * nt;
    case 'one_to_one':
      return Math.min(ns, nt);
    case 'random':
      return ns * nt * rule.p;
    case 'fixed_indegree':
      return nt * rule.k;
    case 'fixed_outdegree':
      return ns * rule.k;
    case 'where':
      return conditionPairs(rule, ns, nt) * (rule.p ?? 1);
    case 'ring_kernel':
      return sourceLayout ? ns * nt * rule.p_max * Math.min(1, rule.sigma / Math.sqrt(2 * Math.PI)) : ns * nt * rule.p_max;
    case 'distance': {
      if (!sourceLayout) return ns * nt * rule.p_max;
      // Expected sources within reach of one target.
      const s = sourceLayout.spacing ?? DEFAULT_LAYOUT_SPACING;
      const reach = sourceLayout.kind === 'grid' ? (2 * Math.PI * rule.sigma * rule.sigma) / (s * s) : (Math.sqrt(2 * Math.PI) * rule.sigma) / s;
      return nt * rule.p_max * Math.min(ns, Math.max(1, reach));
    }
    default:
      return 0;
  }
}

/** Bytes of one population's state: each state variable twice (now and next), refractory counter, spike flag, and its per-population parameters per neuron. */
export function populationBytes(size: number, stateVars: number, parameters: number): number {
  return size * (stateVars * 4 * 2 + 4 + 4 + 4 * parameters);
}

/**
 * Bytes of a population's links besides their parameters (counted per neuron with the others):
 * the source neuron each neuron reads, an Int32Array per link given an index.
 */
export function linkIndexBytes(size: number, indexed: number): number {
  return size * 4 * indexed;
}

/** Bytes of a spike source (poisson, spike array, event file) of `size` neurons. */
export function sourceBytes(size: number): number {
  return size * 8;
}

/** One (source selector, target selector) pair of a connection, as the estimate sees it. */
export interface PairShape {
  /** Neurons the source selector takes. */
  sources: number;
  /** Neurons the target selector takes, times the connection's segments per neuron. */
  targets: number;
  /** Neurons of the whole target population (its delay ring spans them all). */
  targetPopulation: number;
  /** The source population's layout (distance rules). */
  sourceLayout?: PopulationIR['layout'];
}

/**
 * A connection's expected synapses and bytes: CSR columns, weights, per-synapse delays (twice,
 * while building), row pointers, and a delay ring per pair. With `pathways` (their constant
 * delays, 0 for none): one more weight array per pathway after the first, and a ring per pair
 * and pathway.
 */
export function connectionMemory(rule: RuleIR, pairs: readonly PairShape[], delay: ValueIR | undefined, dt: number, pathways?: readonly number[]): { synapses: number; synapseBytes: number; ringBytes: number } {
  const maxDelay = delay ? valueMax(delay) : 0;
  const perSynapse = 4 + 4 + (delay && delay.kind !== 'const' ? 4 : 0);
  let synapses = 0;
  let synapseBytes = 0;
  let ringBytes = 0;
  for (const p of pairs) {
    const n = expectedSynapses(rule, p.sources, p.targets, p.sourceLayout);
    synapses += n;
    synapseBytes += n * perSynapse * 2 + (p.sources + 1) * 4;
    if (pathways) {
      synapseBytes += Math.max(0, pathways.length - 1) * n * 4;
      for (const d of pathways) ringBytes += (Math.round(d / dt) + 1) * p.targetPopulation * 4;
    } else ringBytes += (Math.round(maxDelay / dt) + 1) * p.targetPopulation * 4;
  }
  return { synapses, synapseBytes, ringBytes };
}

/** The simulated steps of a run of `duration` seconds (0 when not a positive finite count; capped at the step limit). */
export function estimateSteps(duration: number, dt: number): number {
  const stepsRaw = Math.round(duration / dt);
  return Number.isFinite(stepsRaw) && stepsRaw > 0 ? Math.min(stepsRaw, 2e9) : 0;
}

/**
 * The memory a run of `ir` is expected to take (the engine refuses runs with exactly this
 * figure before it draws anything; the editor shows it). No connection is drawn: synapse
 * counts are expectations from the rules (edge lists count 0 here; their files are counted as
 * read).
 */
export function estimateMemory(ir: ModelIR, options: EstimateOptions = {}): MemoryEstimate {
  const dt = ir.simulate.dt;
  const steps = estimateSteps(options.duration ?? ir.simulate.duration, dt);
  const pops = new Map<string, PopulationIR>();
  const sizes = new Map<string, number>();
  let stateBytes = 0;
  for (const p of ir.populations) {
    pops.set(p.name, p);
    sizes.set(p.name, p.size);
    // parameters set per population, those a scheduled operation assigns and linked ones (stored per neuron)
    const params = new Set([...Object.keys(p.parameters), ...(p.schedules ?? []).flatMap((s) => s.statements.flatMap((st) => (st.target.kind === 'param' ? [st.target.name] : []))), ...(p.links ?? []).map((l) => l.parameter)]);
    stateBytes += populationBytes(p.size, ir.models[p.model]?.state.length ?? 1, params.size) + linkIndexBytes(p.size, (p.links ?? []).filter((l) => l.index).length);
  }
  for (const i of ir.inputs) if (i.kind !== 'current_step') {
    sizes.set(i.name, i.size);
    stateBytes += sourceBytes(i.size);
  }
  let synapses = 0;
  let synapseBytes = 0;
  let ringBytes = 0;
  for (const c of ir.connections) {
    const pairs: PairShape[] = [];
    for (const s of c.sources) for (const t of c.targets) {
      const nt = t.to - t.from + 1;
      pairs.push({ sources: s.to - s.from + 1, targets: nt * (c.segments?.count ?? 1), targetPopulation: sizes.get(t.name) ?? nt, sourceLayout: pops.get(s.name)?.layout });
    }
    const m = connectionMemory(c.rule, pairs, c.delay, dt, c.pathways?.map((p) => p.delay ?? 0));
    synapses += m.synapses;
    synapseBytes += m.synapseBytes;
    ringBytes += m.ringBytes;
  }
  const total = stateBytes + synapseBytes + ringBytes;
  const probes = populationProbeBytes(ir, steps, dt);
  return { stateBytes, synapseBytes, ringBytes, total, synapses, probeBytes: probes.bytes, largestProbe: probes.largest, totalWithProbes: total + probes.bytes };
}
