// The SFQ chip's resources (junctions, fan-in and fan-out, static bias power), its energy from
// the run's counted events, and target.json (format spikeworks-target/1, target sfq).
//
// Energy: dynamic = Σ over event types of events × switchings per event (params.ts SWITCHINGS)
// × I_c·Φ0 (one junction switching dissipates about I_c·Φ0); static = static bias power × the
// simulated time; per inference = (dynamic + static) / inferences (the windows of the model's
// first task, or 1); with the cryocooler: × (1 + W per W at 4 K).
import type { ModelIR } from '../../../../protocol/ir';
import type { TargetReport } from '../../../../protocol/target-report';
import type { SfqProgram } from './convert';
import type { SfqActivity } from './emulate';
import { BIAS_FRACTION, JUNCTIONS, PHI0, SFQ_STREAM, SWITCHINGS, fmtJ, fmtW } from './params';

export interface SfqResources {
  clock_hz: number;
  ticks_per_step: number;
  neurons: number;
  inputs: number;
  synapses: number;
  junctions: number;
  max_fan_in: number;
  max_fan_out: number;
  /** Static bias power, W (the target's static_power, else junctions × 0.7·I_c × bias_voltage). */
  static_w: number;
  static_source: string;
  populations: { name: string; kind: 'neuron' | 'source'; size: number; threshold?: number; quantum?: number; leak?: number }[];
  notes: string[];
}

export interface SfqEnergy {
  source: string;
  switchings: number;
  dynamic_j: number;
  static_j: number;
  total_j: number;
  total_cooled_j: number;
  inferences: number;
  j_per_inference: number;
  j_per_inference_cooled: number;
  /** Joules per simulated second (total / simulated time), without the cryocooler. */
  energy_j_per_sim_s: number;
  /** Chip time per simulated second: the chip runs the model's time itself (1). */
  time_s_per_sim_s: number;
  cryo_overhead: number;
  i_c: number;
}

/** Fan-in "a few 100:1" (Schneider et al., JAP 128, 214903, 2020; RESEARCH.md §A4). */
export const FAN_IN_NOTE = 300;

export function sfqResources(prog: SfqProgram): SfqResources {
  const p = prog.params;
  let neurons = 0;
  let inputs = 0;
  for (const sp of prog.pops) (sp.kind === 'neuron' ? (neurons += sp.size) : (inputs += sp.size));
  const fanIn = prog.pops.map((sp) => new Int32Array(sp.size));
  const fanOut = prog.pops.map((sp) => new Int32Array(sp.size));
  let synapses = 0;
  for (const pr of prog.projs) {
    synapses += pr.col.length;
    for (let ls = 0; ls + 1 < pr.rowptr.length; ls++) {
      fanOut[pr.source][pr.src[0] + ls] += pr.rowptr[ls + 1] - pr.rowptr[ls];
      for (let q = pr.rowptr[ls]; q < pr.rowptr[ls + 1]; q++) fanIn[pr.target][pr.tgt[0] + pr.col[q]]++;
    }
  }
  const max = (a: Int32Array[]) => a.reduce((m, x) => x.reduce((mm, y) => Math.max(mm, y), m), 0);
  const junctions = inputs * JUNCTIONS.input + synapses * JUNCTIONS.synapse + neurons * JUNCTIONS.neuron;
  const estimated = junctions * BIAS_FRACTION * p.i_c * p.bias_voltage;
  const static_w = p.static_power ?? estimated;
  const static_source = p.static_power !== undefined ? 'the target\'s static_power' : `${junctions} junctions × ${BIAS_FRACTION}·I_c × ${p.bias_voltage * 1e3} mV bias voltage (RSFQ resistive bias; energy-efficient SFQ variants have almost none)`;
  const notes = [
    `clock ${+(p.clock / 1e9).toPrecision(4)} GHz, ${prog.ticks} tick(s) per step`,
    `${junctions} Josephson junctions (estimate: ${JUNCTIONS.input} per input, ${JUNCTIONS.synapse} per synapse, ${JUNCTIONS.neuron} per neuron)`,
    `static bias power ${fmtW(static_w)} (${static_source})`,
    `largest fan-in ${max(fanIn)}, fan-out ${max(fanOut)}`,
  ];
  if (max(fanIn) > FAN_IN_NOTE) notes.push(`a fan-in of ${max(fanIn)} exceeds the "few 100:1" that SFQ mergers are expected to reach (Schneider et al. 2020)`);
  return {
    clock_hz: p.clock, ticks_per_step: prog.ticks, neurons, inputs, synapses, junctions, max_fan_in: max(fanIn), max_fan_out: max(fanOut), static_w, static_source,
    populations: prog.pops.map((sp) => (sp.kind === 'neuron' ? { name: sp.name, kind: sp.kind, size: sp.size, threshold: sp.threshold, quantum: sp.quantum, leak: sp.leak } : { name: sp.name, kind: sp.kind, size: sp.size })),
    notes,
  };
}

/** Junction switchings of a run's events (params.ts SWITCHINGS). */
export function switchings(a: SfqActivity): number {
  return a.input_pulses * SWITCHINGS.input_pulse + a.synapse_arrivals * SWITCHINGS.synapse_arrival + a.synapse_passes * SWITCHINGS.synapse_pass + a.leaks * SWITCHINGS.leak + a.neuron_pulses * SWITCHINGS.neuron_pulse;
}

/** The number of inferences a run holds: the windows of the model's first task, else 1. */
export function inferencesOf(ir: ModelIR): number {
  return Math.max(1, ir.tasks[0]?.windows.length ?? 1);
}

export function sfqEnergy(prog: SfqProgram, a: SfqActivity, res: SfqResources, simulatedS: number, inferences: number): SfqEnergy {
  const p = prog.params;
  const sw = switchings(a);
  const dynamic_j = sw * p.i_c * PHI0;
  const static_j = res.static_w * simulatedS;
  const total_j = dynamic_j + static_j;
  const k = 1 + p.cryo_overhead;
  return {
    source: `estimate: Josephson-junction switchings × I_c·Φ0 (switchings per event: ${Object.entries(SWITCHINGS).map(([e, n]) => `${e} ${n}`).join(', ')} — a modelling choice, not the paper's figures) + static bias power × time; with the cryocooler × (1 + ${p.cryo_overhead} W per W at 4 K)`,
    switchings: sw, dynamic_j, static_j, total_j, total_cooled_j: total_j * k, inferences, j_per_inference: total_j / inferences, j_per_inference_cooled: (total_j * k) / inferences,
    energy_j_per_sim_s: simulatedS > 0 ? total_j / simulatedS : 0, time_s_per_sim_s: 1, cryo_overhead: p.cryo_overhead, i_c: p.i_c,
  };
}

/** target.json: everything an independent replay needs (protocol/targets.md, target sfq). */
export function sfqTargetJson(prog: SfqProgram, res: SfqResources, seed: number): unknown {
  const p = prog.params;
  return {
    format: 'spikeworks-target/1', target: 'sfq', dt: prog.dt, seed,
    clock_hz: p.clock, ticks_per_step: prog.ticks, i_c: p.i_c, phi0: PHI0,
    bias_curve: { kind: 'logistic', bias_p50: p.bias_p50, bias_width: p.bias_width, bias_step: p.bias_step },
    streams: SFQ_STREAM,
    switchings_per_event: SWITCHINGS,
    static_w: res.static_w, cryo_overhead: p.cryo_overhead,
    populations: prog.pops.map((sp) => (sp.kind === 'neuron'
      ? { name: sp.name, index: sp.index, size: sp.size, threshold: sp.threshold, quantum: sp.quantum, leak: sp.leak, c0: Array.from(sp.c0) }
      : { name: sp.name, index: sp.index, size: sp.size, kind: 'source' })),
    connections: prog.projs.map((pr) => ({
      name: pr.name, index: pr.index, source: prog.pops[pr.source].name, target: prog.pops[pr.target].name, source_range: pr.src, target_range: pr.tgt,
      rowptr: Array.from(pr.rowptr), col: Array.from(pr.col), prob: Array.from(pr.prob), sign: Array.from(pr.sign), bias: Array.from(pr.bias),
      delay_ticks: typeof pr.delay === 'number' ? pr.delay : Array.from(pr.delay),
    })),
    quantisation: prog.steps,
    approximations: prog.approximations,
  };
}

/** The resources part of the Target Report (protocol/target-report.ts): one "core" row per population. */
export function sfqReportResources(r: SfqResources): TargetReport['resources'] {
  return {
    neurons_per_core: r.neurons + r.inputs,
    chips: 1,
    cores: r.populations.map((p, k) => ({ core: k, population: p.name, first: 0, last: p.size - 1 })),
    limits: null,
    notes: [...r.notes, ...r.populations.filter((p) => p.kind === 'neuron').map((p) => `${p.name}: fires at ${p.threshold} quanta (one quantum = ${+(p.quantum ?? 1).toPrecision(4)} of its V), leak ${+(p.leak ?? 0).toPrecision(4)} per clock per quantum`)],
  };
}

/** The report's resource and energy lines as text (emulation-text.ts). */
export function sfqText(r: SfqResources, e: SfqEnergy | undefined): string[] {
  const l = [`resources: ${r.neurons} neurons, ${r.inputs} inputs, ${r.synapses} synapses; ${r.notes.join('; ')}`];
  if (e) {
    const n = e.inferences;
    l.push(`energy per inference (${n} in the run): ${fmtJ(e.j_per_inference)} on the chip (junction switchings ${fmtJ(e.dynamic_j / n)} + static bias ${fmtJ(e.static_j / n)}), ${fmtJ(e.j_per_inference_cooled)} with the cryocooler (× ${1 + e.cryo_overhead}); the whole run: ${e.switchings} switchings × I_c·Φ0 = ${fmtJ(e.dynamic_j)}, static ${fmtJ(e.static_j)}`);
  }
  return l;
}
