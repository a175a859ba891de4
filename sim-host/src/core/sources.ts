// The spikes of a plan's spike sources (Poisson inputs, spike arrays, event files) step by step,
// exactly as the WASM engine draws them (Poisson: word (t & 3) of Philox(source, t >> 2, 5,
// input) as u32 / 2^32 below rate·dt; protocol/rng.md), for backends that step sources
// themselves (the hardware targets), so that their runs compare with WASM neuron by neuron.
import type { Plan } from './plan';
import { philox } from './rng';

export class SourceSpikes {
  private readonly words: (Uint32Array | undefined)[];
  private readonly prob: (Float64Array | undefined)[];
  private readonly tmp = new Uint32Array(4);
  private readonly k0: number;
  private readonly k1: number;

  constructor(private readonly plan: Plan) {
    this.k0 = plan.seed >>> 0;
    this.k1 = Math.floor(plan.seed / 4294967296) >>> 0;
    this.words = plan.pops.map((p) => (p.kind === 'poisson' ? new Uint32Array(4 * p.size) : undefined));
    this.prob = plan.pops.map((p) => {
      if (!p.poissonP) return undefined;
      if ('value' in p.poissonP) return new Float64Array(p.size).fill(p.poissonP.value);
      return Float64Array.from(p.initial.get('poisson-p')!);
    });
  }

  /** Writes the indices of source population k's spikes at step t into `out`; returns how many. */
  step(k: number, t: number, out: Int32Array): number {
    const pp = this.plan.pops[k];
    let nf = 0;
    if (pp.kind === 'poisson') {
      const [start, stop] = pp.poissonSteps ?? [0, this.plan.steps];
      if (t < start || t >= stop) return 0;
      const w = this.words[k]!;
      const lane = t & 3;
      const refresh = lane === 0 || t === start;
      const prob = this.prob[k]!;
      for (let i = 0; i < pp.size; i++) {
        if (refresh) {
          philox(i, t >>> 2, 5, pp.index, this.k0, this.k1, this.tmp);
          w.set(this.tmp, 4 * i);
        }
        if (w[4 * i + lane] / 4294967296 < prob[i]) out[nf++] = i;
      }
    } else if (pp.arraySpikes) {
      const list = pp.arraySpikes.at(t);
      if (list) for (let m = 0; m < list.length; m++) out[nf++] = list[m];
    }
    return nf;
  }
}
