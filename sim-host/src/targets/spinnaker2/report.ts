// What a SpiNNaker 2 run reports besides its spikes: cores (256 neurons each, 152 per chip),
// delay-extension use, the real-time slow-down of the time step, the energy estimate (none: no
// public per-event figure exists; say so), and target.json (the s16.15 constants and the
// 16-bit weights, so that anyone can replay the run).
import type { SpinProgram } from './convert';
import * as F from './fixed';
import { uniqInts as uniq } from '../common/program';

export interface SpinResources {
  neuronsPerCore: number;
  cores: { core: number; population: string; neurons: [number, number] }[];
  chips: number;
  /** Connections whose delays need delay extensions (more than 16 ticks). */
  delayExtensions: string[];
  /** Wall time per simulated time at real-time pacing: 1 at dt ≥ 1 ms, 1 ms / dt below. */
  realtimeSlowdown: number;
  violations: { where: string; message: string }[];
}

export function mapSpinnaker(program: SpinProgram, neuronsPerCore = F.NEURONS_PER_CORE, coresAvailable?: number): SpinResources {
  const npc = Math.min(neuronsPerCore, F.NEURONS_PER_CORE);
  const cores: SpinResources['cores'] = [];
  for (const p of program.pops) {
    if (p.kind !== 'lif') continue;
    for (let a = 0; a < p.size; a += npc) cores.push({ core: cores.length, population: p.name, neurons: [a, Math.min(p.size, a + npc) - 1] });
  }
  const violations: SpinResources['violations'] = [];
  if (coresAvailable !== undefined && cores.length > coresAvailable) violations.push({ where: 'target', message: `the model needs ${cores.length} cores, the target has ${coresAvailable}: raise cores or neurons_per_core` });
  return {
    neuronsPerCore: npc,
    cores,
    chips: Math.ceil(cores.length / F.CORES_PER_CHIP),
    delayExtensions: program.projs.filter((p) => p.maxDelay > F.DELAY_TICKS).map((p) => p.name),
    realtimeSlowdown: Math.max(1, 1e-3 / program.dt),
    violations,
  };
}

export const SPINNAKER_ENERGY = {
  source: 'none: no public per-event energy figure for SpiNNaker 2 was found (RESEARCH.md §A2); not estimated',
};

export function spinnakerTargetJson(program: SpinProgram, res: SpinResources): unknown {
  return {
    format: 'spikeworks-target/1',
    target: 'spinnaker2',
    dt: program.dt,
    units: 's16.15 (int32 of 2^-15) in mV; synapse decay and init u0.32 (uint32 of 2^-32)',
    populations: program.pops.map((p) =>
      p.kind === 'lif'
        ? { name: p.name, size: p.size, v_rest: p.vRest, v_reset: p.vReset, v_thresh: p.vThresh, exp_tc: p.expTC, r_membrane: p.rMembrane, i_offset: uniq(p.iOffset), t_refract: p.tRefract, syn_decay: p.synDecay, syn_init: p.synInit, v0: uniq(p.v0), exc0: uniq(p.exc0), inh0: uniq(p.inh0) }
        : { name: p.name, size: p.size, kind: 'source' },
    ),
    connections: program.projs.map((c) => ({
      name: c.name, source: program.pops[c.source].name, target: program.pops[c.target].name, source_range: c.src, target_range: c.tgt,
      shift: c.shift, rowptr: [...c.rowptr], col: [...c.col], weights: [...c.weights], type: [...c.type], delay_ticks: typeof c.delay === 'number' ? c.delay : [...c.delay],
    })),
    cores: res.cores,
  };
}
