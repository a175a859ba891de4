// Weights → crossbar conductances → the weights the crossbar delivers, with its faults. Each
// connection (projection) is one crossbar: rows are its sources, columns its targets. Per synapse:
//   1. the ideal conductance(s): `differential` G⁺ = G_min + span·max(w, 0)/w_max, G⁻ likewise for
//      −w; `single` G = G_min + span·|w|/w_max (the sign kept by the column), span = G_max − G_min,
//      w_max the connection's largest |w|;
//   2. programming to one of L evenly spaced levels;
//   3. device-to-device variation G·exp(σ·N(0, 1)), one draw per device;
//   4. stuck-at faults: SA0 sets the device to G_min, SA1 to G_max (on one device of the pair,
//      chosen by a draw); positions `random` (the ⌈ratio·n⌉ synapses of smallest draw) or
//      `important` (the largest |w|, ties by the draw) — nested, so a larger ratio keeps the
//      smaller ratio's faults;
//   5. first-order IR drop G/(1 + G·r_wire·(j + 1 + rows − i)) (series wire only: no sneak paths);
//   6. read back: w' = (G⁺ − G⁻)·w_max/span, or ±(G − G_min)·w_max/span.
// Neuron faults: the ⌈ratio·size⌉ neurons of smallest draw of each neuron population are dead
// (their spikes never leave) or saturated (they spike every step).
// Every draw is Philox (core/rng.ts) keyed by the run's seed, counted by synapse or neuron id
// (device.ts DeviceStream), so the map depends on (seed, plan, settings) alone.
import type { Plan, ProjPlan } from '../../core/plan';
import { Rng } from '../../core/rng';
import { DeviceStream, MIXED_SA0_SHARE, type CrossbarConfig } from './device';

/** Per synapse fault code: none, or which device is stuck where. */
export const FAULT = { none: 0, sa0: 1, sa1: 2 } as const;

export interface ProjCrossbar {
  /** Index of the projection in the plan. */
  proj: number;
  name: string;
  rows: number;
  cols: number;
  synapses: number;
  /** The largest |w| (the weight at full span). */
  wMax: number;
  /** Weights as written (plan) and as the crossbar delivers them. */
  ideal: Float32Array;
  mapped: Float32Array;
  /** Per synapse: FAULT code; `faultDevice` 0 = G⁺ (or the single device), 1 = G⁻. */
  fault: Uint8Array;
  faultDevice: Uint8Array;
  /** Per synapse: σ of the delivered weight's read noise (w' units); all 0 without read noise. */
  noise: Float32Array;
  /** Constant weight the plan delivered without reading memory (cleared on the mapped plan). */
  plastic: boolean;
}

export interface NeuronFaults {
  population: string;
  pop: number;
  dead: Int32Array;
  saturated: Int32Array;
}

export interface CrossbarMap {
  config: CrossbarConfig;
  projs: ProjCrossbar[];
  neurons: NeuronFaults[];
  /** FNV-1a over every fault code, device and faulty neuron: equal maps, equal digests. */
  digest: string;
}

const projName = (plan: Plan, pr: ProjPlan) => {
  const c = plan.ir.connections[pr.connection];
  const base = c.name ?? `${pr.source.name} -> ${pr.target.name}`;
  return pr.pathway ? `${base} (pathway ${pr.pathway + 1})` : base;
};

/** The k = round(ratio·n) chosen indices: those of smallest key (a total order with the tie-break). */
function chooseK(n: number, ratio: number, order: (a: number, b: number) => number): Int32Array {
  const k = Math.min(n, Math.round(ratio * n));
  if (k === 0) return new Int32Array(0);
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  idx.sort(order);
  return idx.slice(0, k);
}

/** The crossbar map of a plan: weights, faults, noise amplitudes. Reads the plan, changes nothing. */
export function mapCrossbar(plan: Plan, cfg: CrossbarConfig): CrossbarMap {
  const rng = new Rng(plan.seed);
  const span = cfg.gMax - cfg.gMin;
  const dG = span / (cfg.levels - 1);
  const level = (g: number) => cfg.gMin + Math.round((g - cfg.gMin) / dG) * dG;
  const projs: ProjCrossbar[] = [];
  const byCols = new Map<number, ProjCrossbar>();
  for (const pr of plan.projs) {
    const n = pr.synapses;
    const ideal = new Float32Array(plan.memory.buffer, pr.weightOffset, n).slice();
    const base = pr.pathway ? byCols.get(pr.colOffset) : undefined;
    if (base) {
      // Another pathway of the same synapses: the same devices, this pathway's sign.
      const mapped = new Float32Array(n);
      const noise = new Float32Array(n);
      for (let k = 0; k < n; k++) {
        const s = base.ideal[k] === 0 ? 1 : Math.sign(ideal[k] / base.ideal[k]) || 1;
        mapped[k] = s * base.mapped[k];
        noise[k] = base.noise[k];
      }
      projs.push({ ...base, proj: pr.index, name: projName(plan, pr), ideal, mapped, noise });
      continue;
    }
    const rows = pr.src[1] - pr.src[0] + 1;
    const cols = pr.tgt[1] - pr.tgt[0] + 1;
    let wMax = 0;
    let neg = 0;
    for (let k = 0; k < n; k++) {
      wMax = Math.max(wMax, Math.abs(ideal[k]));
      if (ideal[k] < 0) neg++;
    }
    const colSign = neg > n / 2 ? -1 : 1;
    const c = pr.index;
    // Faults: which synapses, which type, which device.
    const fault = new Uint8Array(n);
    const faultDevice = new Uint8Array(n);
    if (cfg.faultRatio > 0 && n > 0) {
      const u = new Float64Array(n);
      for (let k = 0; k < n; k++) u[k] = rng.uniform(k, 0, DeviceStream.fault, c);
      const chosen = cfg.faultPosition === 'important'
        ? chooseK(n, cfg.faultRatio, (a, b) => Math.abs(ideal[b]) - Math.abs(ideal[a]) || u[a] - u[b] || a - b)
        : chooseK(n, cfg.faultRatio, (a, b) => u[a] - u[b] || a - b);
      for (const k of chosen) {
        const t = cfg.faultType === 'mixed' ? (rng.uniform(k, 1, DeviceStream.fault, c) < MIXED_SA0_SHARE ? 'sa0' : 'sa1') : cfg.faultType;
        fault[k] = FAULT[t];
        faultDevice[k] = cfg.mapping === 'differential' && rng.uniform(k, 2, DeviceStream.fault, c) >= 0.5 ? 1 : 0;
      }
    }
    const mapped = new Float32Array(n);
    const noise = new Float32Array(n);
    const toW = span > 0 && wMax > 0 ? wMax / span : 0;
    const rowOf = new Int32Array(n);
    for (let i = 0; i < rows; i++) for (let q = pr.rowptr[i]; q < pr.rowptr[i + 1]; q++) rowOf[q] = i;
    const col = new Int32Array(plan.memory.buffer, pr.colOffset, n);
    // One device: ideal conductance → programmed level → variation → stuck → IR drop.
    const device = (g: number, k: number, d: number): number => {
      let G = level(g);
      if (cfg.variability > 0) G *= Math.exp(cfg.variability * rng.normal(k, d, DeviceStream.variation, c));
      if (fault[k] !== FAULT.none && faultDevice[k] === d) G = fault[k] === FAULT.sa0 ? cfg.gMin : cfg.gMax;
      if (cfg.rWire > 0) {
        const j = pr.segments ? Math.floor(col[k] / pr.segments.count) : col[k];
        G = G / (1 + G * cfg.rWire * (j + 1 + rows - rowOf[k]));
      }
      return G;
    };
    for (let k = 0; k < n; k++) {
      const w = ideal[k];
      const a = wMax > 0 ? Math.abs(w) / wMax : 0;
      if (cfg.mapping === 'differential') {
        const gp = device(cfg.gMin + span * (w > 0 ? a : 0), k, 0);
        const gn = device(cfg.gMin + span * (w < 0 ? a : 0), k, 1);
        mapped[k] = (gp - gn) * toW;
        noise[k] = cfg.readNoise * Math.hypot(gp, gn) * toW;
      } else {
        const s = w > 0 ? 1 : w < 0 ? -1 : colSign;
        const g = device(cfg.gMin + span * a, k, 0);
        mapped[k] = s * (g - cfg.gMin) * toW;
        noise[k] = cfg.readNoise * g * toW;
      }
    }
    const p: ProjCrossbar = { proj: pr.index, name: projName(plan, pr), rows, cols, synapses: n, wMax, ideal, mapped, fault, faultDevice, noise, plastic: !!pr.plastic };
    projs.push(p);
    byCols.set(pr.colOffset, p);
  }
  const neurons: NeuronFaults[] = [];
  if (cfg.neuronFaultRatio > 0) {
    for (const pop of plan.pops) {
      if (pop.kind !== 'neuron') continue;
      const u = Float64Array.from({ length: pop.size }, (_, i) => rng.uniform(i, 0, DeviceStream.neuronFault, pop.index));
      const chosen = chooseK(pop.size, cfg.neuronFaultRatio, (a, b) => u[a] - u[b] || a - b).sort();
      neurons.push({ population: pop.name, pop: pop.index, dead: cfg.neuronFaultType === 'dead' ? chosen : new Int32Array(0), saturated: cfg.neuronFaultType === 'saturated' ? chosen : new Int32Array(0) });
    }
  }
  return { config: cfg, projs, neurons, digest: mapDigest(projs, neurons) };
}

function mapDigest(projs: ProjCrossbar[], neurons: NeuronFaults[]): string {
  let h = 0x811c9dc5;
  const add = (x: number) => {
    h ^= x & 0xff;
    h = Math.imul(h, 0x01000193) >>> 0;
  };
  for (const p of projs) {
    add(p.proj);
    for (let k = 0; k < p.synapses; k++) if (p.fault[k]) {
      add(k);
      add(k >>> 8);
      add(k >>> 16);
      add(p.fault[k] * 2 + p.faultDevice[k]);
    }
  }
  for (const n of neurons) {
    add(n.pop);
    for (const i of n.dead) add(i), add(i >>> 8);
    add(0xfe);
    for (const i of n.saturated) add(i), add(i >>> 8);
  }
  return h.toString(16).padStart(8, '0');
}

/**
 * Writes the crossbar's weights into `plan` (a plan drawn for this run alone, never the float
 * run's): the weight arrays, and `constWeight` cleared so that the engine reads them.
 */
export function applyCrossbar(plan: Plan, map: CrossbarMap): void {
  for (const p of map.projs) {
    const pr = plan.projs[p.proj];
    new Float32Array(plan.memory.buffer, pr.weightOffset, pr.synapses).set(p.mapped);
    pr.constWeight = undefined;
  }
}

/** Counts per connection: synapses, SA0 and SA1 faults; the RMS relative weight error. */
export function crossbarSummary(map: CrossbarMap): { connection: string; rows: number; cols: number; synapses: number; sa0: number; sa1: number; w_max: number; rms_error: number }[] {
  return map.projs.map((p) => {
    let sa0 = 0;
    let sa1 = 0;
    let se = 0;
    let si = 0;
    for (let k = 0; k < p.synapses; k++) {
      if (p.fault[k] === FAULT.sa0) sa0++;
      else if (p.fault[k] === FAULT.sa1) sa1++;
      se += (p.mapped[k] - p.ideal[k]) ** 2;
      si += p.ideal[k] ** 2;
    }
    return { connection: p.name, rows: p.rows, cols: p.cols, synapses: p.synapses, sa0, sa1, w_max: p.wMax, rms_error: si > 0 ? Math.sqrt(se / si) : 0 };
  });
}
