// The memristive crossbar's device and fault settings, read from a `target NAME = memristor { … }`
// block's IR (settings and options) with their defaults. Each default and its source
// (RESEARCH.md §A3; protocol/targets.md lists them too):
//   mapping        differential   MemTorch's layers default to Scheme.DoubleColumn (a G⁺/G⁻ pair)
//   g_max          1 mS           CrossSim Rmin = 1 kΩ
//   g_min          100 µS         CrossSim Rmax = 10 kΩ
//   levels         32             NeuroSim V1.3 training wrapper max_level = 32
//   variability    0              NeuroSim d2dVari = 0 (typical measured σ 0.1–0.3 when set)
//   read_noise     0              CrossSim's read noise is opt-in
//   r_wire         0              IR drop off
//   fault ratios   0; fault_type sa0, fault_position random, neuron_fault_type dead
import { CROSSBAR_WORDS } from '../../../../protocol/crossbar';
import type { ModelIR } from '../../../../protocol/ir';

export type Mapping = 'differential' | 'single';
export type FaultType = 'sa0' | 'sa1' | 'mixed';
export type FaultPosition = 'random' | 'important';
export type NeuronFaultType = 'dead' | 'saturated';

export interface CrossbarConfig {
  mapping: Mapping;
  /** Siemens. */
  gMin: number;
  gMax: number;
  levels: number;
  /** σ of the device-to-device log-normal factor exp(σ·N(0, 1)). */
  variability: number;
  /** σ_r of the per-read factor (1 + σ_r·N(0, 1)). */
  readNoise: number;
  /** Ohm per cell of wire (first-order IR drop); 0: off. */
  rWire: number;
  faultRatio: number;
  faultType: FaultType;
  faultPosition: FaultPosition;
  neuronFaultRatio: number;
  neuronFaultType: NeuronFaultType;
}

export const CROSSBAR_DEFAULTS: CrossbarConfig = {
  mapping: 'differential',
  gMin: 100e-6,
  gMax: 1e-3,
  levels: 32,
  variability: 0,
  readNoise: 0,
  rWire: 0,
  faultRatio: 0,
  faultType: 'sa0',
  faultPosition: 'random',
  neuronFaultRatio: 0,
  neuronFaultType: 'dead',
};

/** SA0 : SA1 measured on an HfOx test chip (Chen et al. 2015: 1.75 % and 9.04 %): `mixed` faults are SA0 with this probability. */
export const MIXED_SA0_SHARE = 1.75 / (1.75 + 9.04);

/**
 * Counter streams (third Philox word) of the crossbar's draws, beside core/rng.ts's Stream
 * (1–7, equations 6 + 16k, schedules 7 + 16k): 12–15 are used by nothing else.
 * (synapse, device 0/1, 12, projection) variation; (synapse, draw, 13, projection) faults;
 * (synapse, step, 14, projection) read noise; (neuron, draw, 15, population) neuron faults.
 */
export const DeviceStream = { variation: 12, fault: 13, readNoise: 14, neuronFault: 15 } as const;

export class CrossbarSettingError extends Error {}

const ENUMS = CROSSBAR_WORDS;

/** The config of target `name` of `ir` (a memristor block); bad values throw CrossbarSettingError naming the setting. */
export function crossbarConfig(t: ModelIR['targets'][number]): CrossbarConfig {
  const s = t.settings;
  const o = t.options ?? {};
  for (const [k, v] of Object.entries(o)) {
    const allowed = ENUMS[k];
    if (allowed && !allowed.includes(v)) throw new CrossbarSettingError(`target ${t.name}: ${k} must be one of ${allowed.join(', ')}, got ${v}`);
  }
  const c: CrossbarConfig = {
    mapping: (o.mapping as Mapping | undefined) ?? CROSSBAR_DEFAULTS.mapping,
    gMin: s.g_min ?? CROSSBAR_DEFAULTS.gMin,
    gMax: s.g_max ?? CROSSBAR_DEFAULTS.gMax,
    levels: s.levels ?? CROSSBAR_DEFAULTS.levels,
    variability: s.variability ?? CROSSBAR_DEFAULTS.variability,
    readNoise: s.read_noise ?? CROSSBAR_DEFAULTS.readNoise,
    rWire: s.r_wire ?? CROSSBAR_DEFAULTS.rWire,
    faultRatio: s.fault_ratio ?? s.fault_rate ?? CROSSBAR_DEFAULTS.faultRatio,
    faultType: (o.fault_type as FaultType | undefined) ?? CROSSBAR_DEFAULTS.faultType,
    faultPosition: (o.fault_position as FaultPosition | undefined) ?? CROSSBAR_DEFAULTS.faultPosition,
    neuronFaultRatio: s.neuron_fault_ratio ?? CROSSBAR_DEFAULTS.neuronFaultRatio,
    neuronFaultType: (o.neuron_fault_type as NeuronFaultType | undefined) ?? CROSSBAR_DEFAULTS.neuronFaultType,
  };
  const bad = (m: string) => new CrossbarSettingError(`target ${t.name}: ${m}`);
  for (const [k, v] of [['fault_ratio', c.faultRatio], ['neuron_fault_ratio', c.neuronFaultRatio]] as const) if (!(v >= 0 && v <= 1)) throw bad(`${k} must be within [0, 1], got ${v}`);
  if (!(Number.isInteger(c.levels) && c.levels >= 2)) throw bad(`levels must be a whole number ≥ 2, got ${c.levels}`);
  if (!(c.gMin >= 0 && c.gMax > c.gMin)) throw bad(`g_min (${c.gMin} S) must be ≥ 0 and below g_max (${c.gMax} S)`);
  for (const [k, v] of [['variability', c.variability], ['read_noise', c.readNoise], ['r_wire', c.rWire]] as const) if (!(v >= 0 && Number.isFinite(v))) throw bad(`${k} must be ≥ 0, got ${v}`);
  return c;
}
