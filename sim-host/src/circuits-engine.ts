// Circuit discovery's engine (sim-host/src/analysis/circuits CircuitEngine): one WASM Simulation
// — one plan, one compiled module — run again and again from its initial memory image, each run
// under its own masks (connections cut, populations' spikes replaced). Nothing is re-planned or
// recompiled between runs.
import type { ModelIR } from '../../protocol/ir';
import type { CircuitsResult, Intervention } from '../../protocol/circuits';
import { modelComponents, type ComponentSet } from './analysis/circuits/components';
import { discoverCircuits, type DiscoverOptions, type Measurer } from './analysis/circuits/discover';
import { Evaluator, type CircuitEngine, type EngineIntervention } from './analysis/circuits/evaluate';
import { frozenAccuracy, retrainedAccuracy } from './analysis/circuits/metric';
import { Simulation, type EngineOptions, type RunResult, type SpikeIntervention } from './engine';

export class SimulationEngine implements CircuitEngine {
  readonly sim: Simulation;
  private popIndex: Map<string, number>;
  private projsOf = new Map<number, number[]>();
  private fresh = true;

  constructor(ir: ModelIR, options: EngineOptions = {}) {
    // Every population recorded (the metric and the replacements read them); no traces.
    this.sim = new Simulation({ ...ir, probes: [] }, { ...options, resettable: true });
    this.popIndex = new Map(this.sim.plan.pops.map((p, k) => [p.name, k]));
    for (const pr of this.sim.plan.projs) this.projsOf.set(pr.connection, [...(this.projsOf.get(pr.connection) ?? []), pr.index]);
  }

  /** Synapses of connection `k` (all its projections). */
  synapses(k: number): number {
    return (this.projsOf.get(k) ?? []).reduce((a, i) => a + (this.sim.plan.projs[i].pathway ? 0 : this.sim.plan.projs[i].synapses), 0);
  }

  run(x: EngineIntervention): RunResult {
    if (!this.fresh) this.sim.reset();
    this.fresh = false;
    const spikeX: SpikeIntervention = {
      cut: x.cut.flatMap((k) => this.projsOf.get(k) ?? []),
      replace: x.replace.flatMap((r) => {
        const population = this.popIndex.get(r.population);
        return population === undefined ? [] : [{ population, mask: r.mask, steps: r.steps, neurons: r.neurons }];
      }),
    };
    return this.sim.run({}, spikeX);
  }
}

/** Circuit discovery in this thread: one engine, the readout accuracy as the metric. */
export function localMeasurer(ir: ModelIR, components: ComponentSet, options: { intervention: Intervention; seed: number; retrain?: boolean } & EngineOptions): Measurer & { evaluator: Evaluator; engine: SimulationEngine } {
  const engine = new SimulationEngine(ir, { ...options, seed: options.seed });
  const evaluator = new Evaluator(ir, engine, options.retrain ? retrainedAccuracy : frozenAccuracy, components, options);
  return {
    evaluator,
    engine,
    measure: async (conds) => conds.map((c) => evaluator.measure(c)),
    chance: async () => evaluator.chance(),
    synapses: async () => ir.connections.map((_, k) => engine.synapses(k)),
    runs: () => evaluator.runs,
  };
}

/** Circuits of `ir` in this thread (tests, small models); the CLI and the extension use startCircuits. */
export async function circuitsInProcess(ir: ModelIR, options: DiscoverOptions & EngineOptions = {}): Promise<CircuitsResult> {
  const components = modelComponents(ir, { split: options.split });
  const seed = options.seed ?? ir.simulate.seed;
  const m = localMeasurer(ir, components, { ...options, intervention: options.intervention ?? 'silence', seed });
  return discoverCircuits(ir, m, { ...options, seed }, components);
}
