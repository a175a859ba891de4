// The crossbar's per-step effects, run by the float engine between a step's update and its
// delivery (wasm/simulation.ts `run(cb, { afterUpdate })`): the engine's integrator is unchanged, the
// effects act on the step's spike lists and on the weights the delivery is about to read.
//   - neuron faults: a dead neuron's spikes are taken off its population's list (never delivered,
//     never recorded); a saturated neuron is put on it every step;
//   - read noise: each synapse read this step (its source spiked) delivers
//     w' + σ_w·N(0, 1), σ_w = σ_r·G in weight units (crossbar.ts), drawn by (synapse, step); the
//     weight array holds the noisy value only for this step's delivery.
// Plastic connections take no read noise (their weights are the rule's state).
import type { Plan } from '../../core/plan';
import { Rng } from '../../core/rng';
import type { CrossbarMap } from './crossbar';
import { DeviceStream } from './device';

/** The hook for `plan` (the crossbar's, weights applied); undefined when the map has no per-step effect. Views are taken at the first call (after the engine has grown the memory). */
export function crossbarStep(plan: Plan, map: CrossbarMap): ((t: number) => void) | undefined {
  const faulty = map.neurons.filter((n) => n.dead.length || n.saturated.length);
  const noisy = map.config.readNoise > 0 ? map.projs.filter((p) => !p.plastic && p.noise.some((x) => x > 0)) : [];
  if (!faulty.length && !noisy.length) return undefined;
  const rng = new Rng(plan.seed);
  let mem32: Int32Array | undefined;
  let memF: Float32Array | undefined;
  const dead = faulty.map((n) => {
    const m = new Uint8Array(plan.pops[n.pop].size);
    for (const i of n.dead) m[i] = 1;
    return m;
  });
  const seen = faulty.map((n) => new Int32Array(plan.pops[n.pop].size).fill(-1));
  return (t: number) => {
    if (!mem32 || mem32.buffer !== plan.memory.buffer) {
      mem32 = new Int32Array(plan.memory.buffer);
      memF = new Float32Array(plan.memory.buffer);
    }
    const m32 = mem32;
    faulty.forEach((n, f) => {
      const pop = plan.pops[n.pop];
      const cAt = pop.countOffset >> 2;
      const lAt = pop.listOffset >> 2;
      const count = m32[cAt];
      const d = dead[f];
      const s = seen[f];
      let out = 0;
      for (let k = 0; k < count; k++) {
        const i = m32[lAt + k];
        if (d[i]) continue;
        s[i] = t;
        m32[lAt + out++] = i;
      }
      for (const i of n.saturated) if (s[i] !== t) {
        s[i] = t;
        m32[lAt + out++] = i;
      }
      m32[cAt] = out;
    });
    for (const p of noisy) {
      const pr = plan.projs[p.proj];
      const src = pr.source;
      const count = m32[src.countOffset >> 2];
      const lAt = src.listOffset >> 2;
      const wAt = pr.weightOffset >> 2;
      for (let k = 0; k < count; k++) {
        const ls = m32[lAt + k] - pr.src[0];
        if (ls < 0 || ls > pr.src[1] - pr.src[0]) continue;
        for (let q = pr.rowptr[ls]; q < pr.rowptr[ls + 1]; q++) memF![wAt + q] = p.mapped[q] + p.noise[q] * rng.normal(q, t, DeviceStream.readNoise, p.proj);
      }
    }
  };
}
