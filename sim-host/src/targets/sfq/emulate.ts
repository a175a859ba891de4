// The SFQ chip's run of a converted plan (convert.ts), clock tick by clock tick (`ticks` per
// model step). Per tick τ:
//   1. every pulse arriving at a synapse at τ passes when u < p (u = word 0 of
//      Philox(q, τ, 12, projection) / 2^32, q the synapse's index in its projection: protocol/rng.md)
//      and then adds (w > 0) or removes (w < 0) one quantum of the target neuron's counter c;
//   2. every neuron with c ≠ 0 loses k of its |c| quanta towards 0, k ~ Binomial(|c|, λ) by the
//      inverse CDF of u = wordsToUnit(words 0, 1 of Philox(i, τ, 13, population));
//   3. a neuron with c ≥ threshold emits a pulse and c = 0.
// A pulse emitted at τ reaches each of its synapses at τ + delay (delay = D·ticks + 1 for the plan's
// D steps). Sources (Poisson, spike arrays) emit at the first tick of each step, drawn as on WASM
// (core/sources.ts). A neuron is recorded at step t when it fired at any tick of that step.
import { growableInt32, type Growable } from '../../../../protocol/growable';
import { PlanError } from '../../core/limits';
import type { Plan } from '../../core/plan';
import { newResult, stepChunks, type RunCallbacks, type RunResult, type StepPace } from '../../core/run';
import { philox, wordsToUnit } from '../../core/rng';
import { SourceSpikes } from '../../core/sources';
import { SpikeRecord } from '../../core/spike-record';
import { convertPlanSfq, type SfqProgram, type SfqProj } from './convert';
import { SFQ_STREAM, type SfqParams } from './params';

const PACE: StepPace = { first: 64, max: 100000, fastMs: 5, slowMs: 20 };

/** What happened on the chip, counted per event type (the energy's inputs, params.ts SWITCHINGS). */
export interface SfqActivity {
  /** Pulses the sources (inputs) emitted. */
  input_pulses: number;
  /** Pulses that reached a synapse (each is one pass-or-block decision). */
  synapse_arrivals: number;
  /** Of those, the ones the synapse passed. */
  synapse_passes: number;
  /** Quanta that leaked out of counters. */
  leaks: number;
  /** Pulses the neurons emitted (all of them, also a second one within a step). */
  neuron_pulses: number;
  /** Clock ticks run. */
  ticks: number;
}

export interface SfqRun {
  result: RunResult;
  program: SfqProgram;
  activity: SfqActivity;
}

/** Binomial(n, lambda) by the inverse CDF of u ∈ [0, 1). */
function binomial(n: number, lambda: number, u: number): number {
  if (lambda >= 1) return n;
  const r = lambda / (1 - lambda);
  let pk = (1 - lambda) ** n;
  let cdf = pk;
  let k = 0;
  while (u >= cdf && k < n) {
    pk *= ((n - k) / (k + 1)) * r;
    k++;
    cdf += pk;
  }
  return k;
}

export function emulateSfq(plan: Plan, params: SfqParams, cb: RunCallbacks = {}, program: SfqProgram = convertPlanSfq(plan, params)): SfqRun {
  const t0 = performance.now();
  const { pops, projs, ticks } = program;
  if (plan.steps * ticks >= 2 ** 32) throw new PlanError(`${plan.steps} steps × ${ticks} clock ticks exceed 2^32 ticks (the draws' tick counter); shorten the run or lower the clock`, 'unsupported');
  const phil = philox;
  const k0 = plan.seed >>> 0;
  const k1 = Math.floor(plan.seed / 4294967296) >>> 0;
  const words = new Uint32Array(4);
  const counters = pops.map((p) => (p.kind === 'neuron' ? Int32Array.from(p.c0) : undefined));
  const outOf = pops.map((_, k) => projs.filter((p) => p.source === k));
  const slots = projs.reduce((a, p) => Math.max(a, p.maxDelay), 1) + 1;
  const ring: Growable<Int32Array>[] = Array.from({ length: slots }, () => growableInt32(64));
  const sources = new SourceSpikes(plan);
  const srcOut = plan.pops.map((p) => new Int32Array(p.size));
  const firedAt = pops.map((p) => new Int32Array(p.size).fill(-1));
  const stepFired = plan.pops.map((p) => new Int32Array(p.size));
  const nStep = new Int32Array(plan.pops.length);
  const record = new SpikeRecord(plan);
  const result = newResult(plan, [], { plan_s: 0, compile_s: 0 });
  const activity: SfqActivity = { input_pulses: 0, synapse_arrivals: 0, synapse_passes: 0, leaks: 0, neuron_pulses: 0, ticks: 0 };
  const emit = (k: number, i: number, tau: number) => {
    for (const p of outOf[k]) {
      if (i < p.src[0] || i > p.src[1]) continue;
      const ls = i - p.src[0];
      for (let q = p.rowptr[ls]; q < p.rowptr[ls + 1]; q++) {
        const d = typeof p.delay === 'number' ? p.delay : p.delay[q];
        const slot = ring[(tau + d) % slots];
        slot.push(p.index);
        slot.push(q);
      }
    }
  };
  const byIndex: SfqProj[] = [];
  for (const p of projs) byIndex[p.index] = p;
  const finish = () => record.finish(result);
  for (const chunk of stepChunks(result, cb, PACE, finish, t0)) {
    for (let t = chunk.from; t < chunk.to; t++) {
      nStep.fill(0);
      for (let j = 0; j < ticks; j++) {
        const tau = t * ticks + j;
        if (j === 0) {
          for (let k = 0; k < pops.length; k++) {
            if (pops[k].kind !== 'source') continue;
            const nf = sources.step(k, t, srcOut[k]);
            activity.input_pulses += nf;
            for (let m = 0; m < nf; m++) {
              stepFired[k][nStep[k]++] = srcOut[k][m];
              emit(k, srcOut[k][m], tau);
            }
          }
        }
        // 1. arrivals: pass or block
        const slot = ring[tau % slots];
        const arr = slot.view();
        for (let a = 0; a < arr.length; a += 2) {
          const p = byIndex[arr[a]];
          const q = arr[a + 1];
          activity.synapse_arrivals++;
          phil(q, tau >>> 0, SFQ_STREAM.pass, p.index, k0, k1, words);
          if (words[0] / 4294967296 < p.prob[q]) {
            activity.synapse_passes++;
            counters[p.target]![p.tgt[0] + p.col[q]] += p.sign[q];
          }
        }
        slot.length = 0;
        // 2. leak, 3. threshold
        for (let k = 0; k < pops.length; k++) {
          const sp = pops[k];
          const c = counters[k];
          if (!c) continue;
          const fa = firedAt[k];
          for (let i = 0; i < sp.size; i++) {
            const x = c[i];
            if (x !== 0 && sp.leak > 0) {
              phil(i, tau >>> 0, SFQ_STREAM.leak, sp.index, k0, k1, words);
              const lost = binomial(x < 0 ? -x : x, sp.leak, wordsToUnit(words[0], words[1]));
              if (lost) {
                activity.leaks += lost;
                c[i] = x < 0 ? x + lost : x - lost;
              }
            }
            if (c[i] >= sp.threshold) {
              c[i] = 0;
              activity.neuron_pulses++;
              if (fa[i] !== t) {
                fa[i] = t;
                stepFired[k][nStep[k]++] = i;
              }
              emit(k, i, tau);
            }
          }
        }
        activity.ticks++;
      }
      for (let k = 0; k < pops.length; k++) if (pops[k].kind === 'neuron') stepFired[k].subarray(0, nStep[k]).sort();
      if (!record.step(result, t, stepFired, nStep)) {
        finish();
        return { result, program, activity };
      }
    }
  }
  result.timings.run_s = (performance.now() - t0) / 1000;
  finish();
  return { result, program, activity };
}
