// The memristor target's settings as a sweep or a report names them: the word-valued ones with
// their words, the numeric ones with their SI dimension. sim-host/src/targets/memristor/device.ts
// reads them from a target block; sim-host/src/sweep/spec.ts sweeps them (`--sweep fault_type=sa0,sa1`).
import type { DimIR } from './ir';

export const CROSSBAR_WORDS: Record<string, readonly string[]> = {
  mapping: ['differential', 'single'],
  fault_type: ['sa0', 'sa1', 'mixed'],
  fault_position: ['random', 'important'],
  neuron_fault_type: ['dead', 'saturated'],
};

const ONE: DimIR = [0, 0, 0, 0, 0, 0, 0];
export const CROSSBAR_NUMBERS: Record<string, DimIR> = {
  fault_ratio: ONE,
  neuron_fault_ratio: ONE,
  levels: ONE,
  variability: ONE,
  read_noise: ONE,
  g_min: [-2, -1, 3, 2, 0, 0, 0],
  g_max: [-2, -1, 3, 2, 0, 0, 0],
  r_wire: [2, 1, -3, -2, 0, 0, 0],
};

/** Short names a sweep accepts (`position` for fault_position). */
export const CROSSBAR_ALIASES: Record<string, string> = { position: 'fault_position', neuron_fault: 'neuron_fault_type', fault_rate: 'fault_ratio' };
