// What an emulated run reports: resources (populations partitioned onto cores under Loihi's
// per-core limits), fidelity against the float run of the same plan, an energy/time estimate
// from per-event costs, and target.json (the integers used, so that anyone can replay the run).
import { LOIHI_LIMITS, loihiBitsPerSynapse } from '../../../../protocol/loihi2';
import type { LoihiActivity } from './emulate';
import type { LoihiProgram } from './convert';
import { uniqInts as uniq } from '../common/program';


/**
 * Per-event costs, Loihi 1 (Davies et al. 2018, IEEE Micro 38(1), Table 1, as quoted in
 * RESEARCH.md §A1 — marked there as from memory; SANA-FE's arch/loihi.yaml, derived from the same
 * paper, has 24.0 pJ per synaptic op): an ESTIMATE, not a measurement; no public figures exist for Loihi 2.
 */
export const LOIHI_COSTS = {
  source: 'Davies et al. 2018 (IEEE Micro), Table 1, Loihi 1 — estimate',
  synOpPJ: 23.6, synOpNs: 3.5,
  neuronUpdatePJ: 52, neuronUpdateNs: 5.3,
  spikePJ: 81 - 52, syncNs: 1400,
};

export interface CoreUse {
  core: number;
  population: string;
  neurons: [number, number];
  inAxons: number;
  outAxons: number;
  synapses: number;
  synapseBits: number;
}

export interface Violation {
  where: string;
  message: string;
}

export interface Resources {
  neuronsPerCore: number;
  cores: CoreUse[];
  chips: number;
  /** Bits one synapse takes (estimate: weight bits + target index bits + delay bits). */
  bitsPerSynapse: number;
  violations: Violation[];
}

/**
 * Partitions each population into ceil(size / neuronsPerCore) cores of consecutive neurons and
 * counts per core: input axons (distinct presynaptic neurons with a synapse into the core),
 * output axons (Σ over its neurons of the cores they reach), synapses into the core × bits.
 */
export function mapCores(program: LoihiProgram, neuronsPerCore: number, coresAvailable?: number): Resources {
  const npc = Math.min(neuronsPerCore, LOIHI_LIMITS.compartments);
  const cores: CoreUse[] = [];
  const firstCore: number[] = [];
  for (const p of program.pops) {
    firstCore.push(cores.length);
    if (p.kind !== 'lif') continue;
    for (let a = 0; a < p.size; a += npc) cores.push({ core: cores.length, population: p.name, neurons: [a, Math.min(p.size, a + npc) - 1], inAxons: 0, outAxons: 0, synapses: 0, synapseBits: 0 });
  }
  const maxDelay = Math.max(0, ...program.projs.map((p) => p.maxDelay));
  const bitsPerSynapse = loihiBitsPerSynapse(npc, maxDelay > 0);
  const inSets = cores.map(() => new Set<number>());
  const outSets = new Map<string, Set<number>>();
  program.projs.forEach((pr) => {
    for (let ls = 0; ls + 1 < pr.rowptr.length; ls++) {
      for (let q = pr.rowptr[ls]; q < pr.rowptr[ls + 1]; q++) {
        const tgt = pr.tgt[0] + pr.col[q];
        const core = firstCore[pr.target] + Math.floor(tgt / npc);
        const c = cores[core];
        if (!c) continue;
        c.synapses++;
        inSets[core].add(pr.source * 1e7 + pr.src[0] + ls);
        const key = `${pr.source}:${pr.src[0] + ls}`;
        let s = outSets.get(key);
        if (!s) outSets.set(key, (s = new Set()));
        s.add(core);
      }
    }
  });
  cores.forEach((c, k) => {
    c.inAxons = inSets[k].size;
    c.synapseBits = c.synapses * bitsPerSynapse;
  });
  for (const [key, set] of outSets) {
    const [src, n] = key.split(':').map(Number);
    if (program.pops[src].kind !== 'lif') continue;
    const core = firstCore[src] + Math.floor(n / npc);
    if (cores[core]) cores[core].outAxons += set.size;
  }
  const violations: Violation[] = [];
  const fix = `lower neurons_per_core (now ${npc}) or split the population`;
  for (const c of cores) {
    const where = `population ${c.population}, core ${c.core}`;
    if (c.inAxons > LOIHI_LIMITS.inAxons) violations.push({ where, message: `${c.inAxons.toLocaleString('en-US')} input axons on core ${c.core}, the limit is 4,096: ${fix}` });
    if (c.outAxons > LOIHI_LIMITS.outAxons) violations.push({ where, message: `${c.outAxons.toLocaleString('en-US')} output axons on core ${c.core}, the limit is 4,096: ${fix}` });
    if (c.synapseBits > LOIHI_LIMITS.synapseBits) violations.push({ where, message: `${c.synapseBits.toLocaleString('en-US')} synapse bits on core ${c.core}, the limit is 1,048,576: ${fix}` });
  }
  const chips = Math.ceil(cores.length / LOIHI_LIMITS.coresPerChip);
  if (coresAvailable !== undefined && cores.length > coresAvailable) violations.push({ where: 'target', message: `the model needs ${cores.length} cores, the target has ${coresAvailable}: raise cores or neurons_per_core` });
  return { neuronsPerCore: npc, cores, chips, bitsPerSynapse, violations };
}

export interface EnergyEstimate {
  source: string;
  /** Joules and chip time (seconds) per simulated second. */
  energy_j_per_sim_s: number;
  time_s_per_sim_s: number;
  events: LoihiActivity;
}

/** E = Σ events × cost; time per step = the busiest core's neuron + synapse time + barrier sync. */
export function energy(activity: LoihiActivity, res: Resources, simSeconds: number, steps: number): EnergyEstimate {
  const c = LOIHI_COSTS;
  const e = (activity.neuronUpdates * c.neuronUpdatePJ + activity.synOps * c.synOpPJ + activity.spikesOut * c.spikePJ) * 1e-12;
  const totalSyn = res.cores.reduce((a, x) => a + x.synapses, 0) || 1;
  let busiest = 0;
  for (const core of res.cores) {
    const n = core.neurons[1] - core.neurons[0] + 1;
    const syn = (activity.synOps * core.synapses) / totalSyn / Math.max(1, steps);
    busiest = Math.max(busiest, n * c.neuronUpdateNs + syn * c.synOpNs);
  }
  const perStep = (busiest + c.syncNs) * 1e-9;
  return { source: c.source, energy_j_per_sim_s: simSeconds > 0 ? e / simSeconds : 0, time_s_per_sim_s: simSeconds > 0 ? (perStep * steps) / simSeconds : 0, events: activity };
}

/** target.json: the integers the run used, per population and per connection (protocol/targets.md). */
export function targetJson(program: LoihiProgram, res: Resources): unknown {
  return {
    format: 'spikeworks-target/1',
    target: 'loihi2',
    dt: program.dt,
    populations: program.pops.map((p) =>
      p.kind === 'lif'
        ? { name: p.name, size: p.size, du: p.du, dv: p.dv, vth: p.vth, bias_mant: uniq(p.biasMant), bias_exp: uniq(p.biasExp), refractory_steps: p.refractory, input: p.input, scale_per_volt: p.scale, v_reset: p.vReset, u0: uniq(p.u0), v0: uniq(p.v0) }
        : { name: p.name, size: p.size, kind: 'source' },
    ),
    connections: program.projs.map((c) => ({
      name: c.name, source: program.pops[c.source].name, target: program.pops[c.target].name, source_range: c.src, target_range: c.tgt,
      sign_mode: c.signMode, weight_exp: c.weightExp, rowptr: [...c.rowptr], col: [...c.col], weights: [...c.weights], delay: typeof c.delay === 'number' ? c.delay : [...c.delay],
    })),
    quantisation: program.steps,
    approximations: program.approximations,
    cores: res.cores,
  };
}
