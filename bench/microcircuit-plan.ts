// What bench/microcircuit-run.ts prices and hands to Brian2, as pure functions (tested in
// test/microcircuit-bench.test.ts): Brian2 standalone's memory for a synapse count, the rates
// over the second half of a run, the network as the JSON spec that
// bench/brian2/microcircuit_standalone.py builds, and the published full-scale rates.
import type { ModelIR, ValueIR } from '../protocol/ir';

/**
 * Full-scale rates (Hz, L2/3e … L6i) of the Potjans & Diesmann (2014) model: the paper shows them
 * only as bars (fig. 6); these are the values its reference implementation records as the
 * full-scale network's mean rates (INM-6/microcircuit-PD14-model, PyNEST/src/microcircuit/
 * parameter_definitions.py, `full_mean_rates`, measured with NEST at N_scaling = K_scaling = 1).
 * bench/microcircuit.ts's RATES_FULL are these rounded to 0.1 Hz.
 */
export const PUBLISHED_RATES = [0.903, 2.965, 4.414, 5.876, 7.569, 8.633, 1.105, 7.829];

/**
 * Bytes per synapse in Brian2 2.5 C++ standalone for a Synapses with a per-synapse weight and
 * delay (double precision): _synaptic_pre, _synaptic_post (int32), w, delay (float64),
 * N_incoming, N_outgoing (int32, per synapse), and its spike queue's synapse index and delay in
 * steps (int32 each) = 40 B; std::vector growth leaves up to 2× capacity in the arrays filled by
 * push_back (pre, post, the queue's index lists), +12 B at worst.
 */
export const BRIAN2_BYTES_PER_SYNAPSE = 40 + 12;

/** Brian2 standalone's memory for `synapses` synapses and `neurons` neurons (plus what it has besides: the binary, the Python process, code generation), bytes. */
export function brian2Memory(synapses: number, neurons: number): { bytes: number; perSynapse: number; overhead: number } {
  // neuron state: v, I_syn, I_e, lastspike, not_refractory, the spike counter and 5 per-target constants × 8 (float64)
  const state = neurons * 8 * (5 + 40);
  const overhead = 512 * 2 ** 20;
  return { bytes: synapses * BRIAN2_BYTES_PER_SYNAPSE + state + overhead, perSynapse: BRIAN2_BYTES_PER_SYNAPSE, overhead };
}

/** Each population's rate over the steps from half the run on (step ≥ round(steps / 2)), Hz. */
export function lateRates(spikes: readonly { name: string; size: number; steps: Int32Array }[], steps: number, dt: number): Record<string, number> {
  const from = Math.round(steps / 2);
  const span = (steps - from) * dt;
  const out: Record<string, number> = {};
  for (const p of spikes) {
    let n = 0;
    for (let k = 0; k < p.steps.length; k++) if (p.steps[k] >= from) n++;
    out[p.name] = span > 0 && p.size > 0 ? n / p.size / span : NaN;
  }
  return out;
}

/** The network as bench/brian2/microcircuit_standalone.py reads it (SI units). */
export interface Brian2Spec {
  dt: number;
  duration: number;
  seed: number;
  populations: { name: string; size: number; model: string; params: Record<string, number>; I_e: number; v: { dist: string; args: number[] } }[];
  pool: { name: string; size: number; rate: number };
  connections: {
    source: string;
    target: string;
    rule: { kind: 'random'; p: number } | { kind: 'fixed_indegree'; k: number };
    weight: { kind: 'const'; value: number } | { kind: 'normal'; mean: number; sd: number };
    delay: { kind: 'uniform'; lo: number; hi: number } | null;
  }[];
}

const constOf = (v: ValueIR | undefined, what: string): number => {
  if (!v) return 0;
  if (v.kind !== 'const') throw new Error(`${what} must be a constant for the Brian2 mirror`);
  return v.value;
};

/**
 * The lowered microcircuit as the Brian2 script's spec: refuses (naming the part) anything the
 * script does not mirror, so that both sides always run the same network.
 */
export function brian2Spec(ir: ModelIR, opts: { duration?: number; seed?: number } = {}): Brian2Spec {
  const pools = ir.inputs.filter((i) => i.kind === 'poisson');
  if (pools.length !== 1 || ir.inputs.length !== 1) throw new Error('the Brian2 mirror takes exactly one input, a poisson pool');
  const pool = pools[0] as Extract<ModelIR['inputs'][number], { kind: 'poisson' }>;
  if (pool.start !== undefined || pool.stop !== undefined) throw new Error(`${pool.name}: a poisson pool with start or stop is not mirrored`);
  const populations = ir.populations.map((p) => {
    const params: Record<string, number> = {};
    for (const [k, v] of Object.entries(p.parameters)) params[k] = constOf(v, `${p.name}.${k}`);
    const v = p.init?.v;
    if (!v || v.kind !== 'dist' || v.dist !== 'normal') throw new Error(`${p.name}: v must start at normal(mean, sd) for the Brian2 mirror`);
    const extra = Object.keys(p.init ?? {}).filter((k) => k !== 'v' && k !== 'I_e');
    if (extra.length) throw new Error(`${p.name}: initial ${extra.join(', ')} not mirrored in Brian2`);
    return { name: p.name, size: p.size, model: p.model, params, I_e: constOf(p.init?.I_e, `${p.name}.I_e`), v: { dist: v.dist, args: [...v.args] } };
  });
  const sizes = new Map<string, number>([...populations.map((p) => [p.name, p.size] as const), [pool.name, pool.size]]);
  const connections = ir.connections.map((c) => {
    const name = `${c.sources.map((s) => s.name).join(', ')} -> ${c.targets.map((t) => t.name).join(', ')}`;
    if (c.sources.length !== 1 || c.targets.length !== 1) throw new Error(`${name}: one source and one target only`);
    const [s, t] = [c.sources[0], c.targets[0]];
    if (s.from !== 0 || s.to !== (sizes.get(s.name) ?? 0) - 1 || t.from !== 0 || t.to !== (sizes.get(t.name) ?? 0) - 1) throw new Error(`${name}: whole populations only`);
    if (c.target !== 'I_syn' || c.on_pre?.length !== 1 || c.on_pre[0].op !== '+=' || c.pathways || c.synapse || c.segments) throw new Error(`${name}: only target: I_syn (I_syn += w) is mirrored`);
    const rule: Brian2Spec['connections'][number]['rule'] =
      c.rule.kind === 'random' ? { kind: 'random', p: c.rule.p } : c.rule.kind === 'fixed_indegree' ? { kind: 'fixed_indegree', k: c.rule.k } : (() => {
        throw new Error(`${name}: rule ${c.rule.kind} not mirrored`);
      })();
    const w = c.weight;
    const weight: Brian2Spec['connections'][number]['weight'] =
      w.kind === 'const' ? { kind: 'const', value: w.value } : w.kind === 'dist' && w.dist === 'normal' ? { kind: 'normal', mean: w.args[0], sd: w.args[1] } : (() => {
        throw new Error(`${name}: weight must be a constant or normal(mean, sd)`);
      })();
    const d = c.delay;
    const delay: Brian2Spec['connections'][number]['delay'] = !d ? null : d.kind === 'dist' && d.dist === 'uniform' ? { kind: 'uniform', lo: d.args[0], hi: d.args[1] } : (() => {
      throw new Error(`${name}: delay must be absent or uniform(lo, hi)`);
    })();
    return { source: s.name, target: t.name, rule, weight, delay };
  });
  return {
    dt: ir.simulate.dt,
    duration: opts.duration ?? ir.simulate.duration,
    seed: opts.seed ?? ir.simulate.seed ?? 1,
    populations,
    pool: { name: pool.name, size: pool.size, rate: constOf(pool.rate, `${pool.name}.rate`) },
    connections,
  };
}
