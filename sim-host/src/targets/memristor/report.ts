// What a crossbar run reports besides its spikes: the mapping (crossbars per connection,
// conductance range and levels), the fault map's summary and digest, the weight error of each
// crossbar, and target.json (the settings and every faulty device and neuron, so that anyone can
// replay the map).
import type { ReportCrossbar } from '../../../../protocol/target-report';
import type { CrossbarMap } from './crossbar';
import { crossbarSummary, FAULT } from './crossbar';

/** The crossbar's part of the report: protocol/target-report.ts's shape, so that the panel and target.json read the same fields. */
export type CrossbarReport = ReportCrossbar;

export function crossbarReport(map: CrossbarMap): CrossbarReport {
  const c = map.config;
  return {
    mapping: c.mapping,
    g_min_s: c.gMin,
    g_max_s: c.gMax,
    levels: c.levels,
    variability: c.variability,
    read_noise: c.readNoise,
    r_wire_ohm: c.rWire,
    fault: { ratio: c.faultRatio, type: c.faultType, position: c.faultPosition, neuron_ratio: c.neuronFaultRatio, neuron_type: c.neuronFaultType },
    digest: map.digest,
    crossbars: crossbarSummary(map),
    neurons: map.neurons.map((n) => ({ population: n.population, dead: n.dead.length, saturated: n.saturated.length })),
  };
}

/** Notes: what the crossbar does not model for this plan. */
export function crossbarNotes(map: CrossbarMap): string[] {
  const l: string[] = [];
  const plastic = map.projs.filter((p) => p.plastic).map((p) => p.name);
  if (plastic.length) l.push(`plastic connections (${plastic.join(', ')}): the initial weights are mapped; the rule's updates are not held to conductance levels or faults, and take no read noise`);
  if (map.config.rWire > 0) l.push('IR drop is first order: each device in series with the wire from its row driver to its column end, no sneak currents and no loading by other devices');
  return l;
}

export function crossbarTargetJson(map: CrossbarMap, report: CrossbarReport): unknown {
  return {
    format: 'spikeworks-target/1',
    target: 'memristor',
    ...report,
    faults: map.projs.map((p) => {
      const sa0: number[] = [];
      const sa1: number[] = [];
      for (let k = 0; k < p.synapses; k++) {
        if (p.fault[k] === FAULT.sa0) sa0.push(k);
        else if (p.fault[k] === FAULT.sa1) sa1.push(k);
      }
      return { connection: p.name, sa0, sa1, device: map.config.mapping === 'differential' ? [...sa0, ...sa1].sort((a, b) => a - b).map((k) => (p.faultDevice[k] ? '-' : '+')).join('') : undefined };
    }),
    neuron_faults: map.neurons.map((n) => ({ population: n.population, dead: [...n.dead], saturated: [...n.saturated] })),
  };
}
