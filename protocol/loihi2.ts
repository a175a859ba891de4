// Loihi's per-core and per-chip limits and the expected use of a core, shared by the engine's
// emulation report (sim-host/src/targets/loihi2/report.ts counts the drawn synapses exactly) and
// the editor's target check (language-server/src/check/target.ts, expected values before any
// synapse is drawn). Sources: nengo-loihi block.py (MAX_COMPARTMENTS, MAX_IN_AXONS,
// MAX_OUT_AXONS, MAX_SYNAPSE_BITS), SANA-FE arch/loihi.yaml (128 cores); RESEARCH.md §A1.

/** sPyNNaker's neurons per core (its row length); SpiNNaker 2 has 152 cores per chip. */
export const SPINNAKER_NEURONS_PER_CORE = 256;

export const LOIHI_LIMITS = { compartments: 1024, inAxons: 4096, outAxons: 4096, synapseBits: 1_048_576, coresPerChip: 128 } as const;

/** Bits one synapse takes in this estimate: an 8-bit weight, the target's index in its core, 6 delay bits when delays are used. */
export function loihiBitsPerSynapse(neuronsPerCore: number, delays: boolean): number {
  return 8 + Math.ceil(Math.log2(Math.max(2, neuronsPerCore))) + (delays ? 6 : 0);
}

/** A (source, target) pair of a connection with its expected synapses. */
export interface CorePair {
  source: string;
  target: string;
  sources: number;
  targets: number;
  synapses: number;
  delays: boolean;
}

/** Expected use of the first (fullest) core of `population`, and which pair contributes most to each figure. */
export interface CoreEstimate {
  population: string;
  cores: number;
  inAxons: number;
  outAxons: number;
  synapseBits: number;
  /** Index into the pairs of the largest contributor: input axons / synapse bits (incoming), output axons (outgoing). */
  mostIn?: number;
  mostOut?: number;
}

/**
 * Expected figures for a core of m = min(npc, size) neurons: input axons Σ sources·(1 − (1 − f/sources)^m)
 * over incoming pairs (f: synapses per target neuron), synapses m·f·bits, output axons
 * m · Σ target cores · (1 − (1 − o/targets)^min(npc, targets)) over outgoing pairs (o: synapses per source neuron).
 */
export function expectedCoreUse(population: string, size: number, neuronsPerCore: number, pairs: CorePair[]): CoreEstimate {
  const npc = Math.max(1, neuronsPerCore);
  const m = Math.min(npc, size);
  let inAxons = 0;
  let syn = 0;
  let outAxons = 0;
  let mostIn: number | undefined;
  let mostOut: number | undefined;
  let bestIn = -1;
  let bestOut = -1;
  const delays = pairs.some((p) => p.delays);
  pairs.forEach((p, k) => {
    if (p.target === population && p.targets > 0 && p.sources > 0) {
      const f = p.synapses / p.targets;
      const a = p.sources * (1 - Math.pow(Math.max(0, 1 - f / p.sources), m));
      inAxons += a;
      syn += m * f;
      if (a > bestIn) {
        bestIn = a;
        mostIn = k;
      }
    }
    if (p.source === population && p.targets > 0 && p.sources > 0) {
      const o = p.synapses / p.sources;
      const cores = Math.ceil(p.targets / npc);
      const reach = cores * (1 - Math.pow(Math.max(0, 1 - o / p.targets), Math.min(npc, p.targets)));
      const a = m * reach;
      outAxons += a;
      if (a > bestOut) {
        bestOut = a;
        mostOut = k;
      }
    }
  });
  return { population, cores: Math.ceil(size / npc), inAxons: Math.round(inAxons), outAxons: Math.round(outAxons), synapseBits: Math.round(syn * loihiBitsPerSynapse(npc, delays)), mostIn, mostOut };
}
