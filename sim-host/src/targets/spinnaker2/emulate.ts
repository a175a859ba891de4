// The SpiNNaker 2 run of a converted plan (convert.ts), in TypeScript integer arithmetic (not
// generated WASM): per tick, as sPyNNaker's neuron_impl_standard with the LIF model, current input
// and exponential synapses —
//   each connection's ring-buffer sum for this tick (Σ 16-bit weights) << shift is added to the
//     excitatory or inhibitory buffer through decay_s1615(input, init)
//   unless refractory: I = exc − inh + I_offset; α = mulRN(I, R) + V_rest; V = α − mulRN(exp_TC, α − V)
//   (refractory: the timer counts down instead)
//   spike when V ≥ V_thresh: V = V_reset, timer = T_refract
//   exc, inh = decay_s1615(·, synapse decay)
// A spike at tick t with a delay of d ticks is input at tick t + d. Sources spike as on WASM.
import type { Plan } from '../../core/plan';
import { newResult, stepChunks, type RunCallbacks, type RunResult, type StepPace } from '../../core/run';
import { SourceSpikes } from '../../core/sources';
import { SpikeRecord } from '../../core/spike-record';
import { convertPlanSpinnaker, type SpinProgram } from './convert';
import { decayS1615, mulRN } from './fixed';

const PACE: StepPace = { first: 64, max: 100000, fastMs: 5, slowMs: 20 };

export interface SpinActivity {
  neuronUpdates: number;
  synOps: number;
  spikesOut: number;
}

export function emulateSpinnaker(plan: Plan, cb: RunCallbacks = {}, program: SpinProgram = convertPlanSpinnaker(plan)): { result: RunResult; program: SpinProgram; activity: SpinActivity } {
  const t0 = performance.now();
  // local bindings: a module's exports may be getters (bundlers), too slow for the inner loop
  const mul = mulRN;
  const dec = decayS1615;
  const pops = program.pops;
  const rings = program.projs.map((p) => {
    const nt = p.tgt[1] - p.tgt[0] + 1;
    const slots = p.maxDelay + 1;
    return { nt, slots, exc: new Float64Array(slots * nt), inh: new Float64Array(slots * nt), touched: new Int32Array(slots * nt), count: new Int32Array(slots), mark: new Uint8Array(slots * nt) };
  });
  const intoPop = pops.map((_, k) => program.projs.map((p, j) => ({ p, j })).filter((x) => x.p.target === k));
  const st = pops.map((sp) => (sp.kind === 'lif' ? { v: Int32Array.from(sp.v0), exc: Int32Array.from(sp.exc0), inh: Int32Array.from(sp.inh0), timer: new Int32Array(sp.size) } : undefined));
  const sources = new SourceSpikes(plan);
  const fired = plan.pops.map((p) => new Int32Array(p.size));
  const nFired = new Int32Array(plan.pops.length);
  const record = new SpikeRecord(plan);
  const result = newResult(plan, [], { plan_s: 0, compile_s: 0 });
  const activity: SpinActivity = { neuronUpdates: 0, synOps: 0, spikesOut: 0 };
  const finish = () => record.finish(result);
  for (const chunk of stepChunks(result, cb, PACE, finish, t0)) {
    for (let t = chunk.from; t < chunk.to; t++) {
      for (let k = 0; k < pops.length; k++) {
        const sp = pops[k];
        const s = st[k];
        const out = fired[k];
        let nf = 0;
        if (s) {
          const { v, exc, inh, timer } = s;
          // this tick's ring-buffer entries into the synaptic buffers
          for (const { p, j } of intoPop[k]) {
            const r = rings[j];
            const slot = t % r.slots;
            const row = slot * r.nt;
            const m = 2 ** p.shift;
            // only the entries this slot received (its list of touched targets)
            for (let q = 0; q < r.count[slot]; q++) {
              const i = r.touched[row + q];
              const e = r.exc[row + i];
              const h = r.inh[row + i];
              if (e !== 0) exc[p.tgt[0] + i] += dec(e * m, sp.synInit);
              if (h !== 0) inh[p.tgt[0] + i] += dec(h * m, sp.synInit);
              r.exc[row + i] = 0;
              r.inh[row + i] = 0;
              r.mark[row + i] = 0;
            }
            r.count[slot] = 0;
          }
          for (let i = 0; i < sp.size; i++) {
            if (timer[i] <= 0) {
              const input = exc[i] - inh[i] + sp.iOffset[i];
              const alpha = mul(input, sp.rMembrane) + sp.vRest;
              v[i] = alpha - mul(sp.expTC, alpha - v[i]);
            } else timer[i]--;
            if (v[i] >= sp.vThresh) {
              v[i] = sp.vReset;
              timer[i] = sp.tRefract;
              out[nf++] = i;
            }
            if (exc[i] !== 0) exc[i] = dec(exc[i], sp.synDecay);
            if (inh[i] !== 0) inh[i] = dec(inh[i], sp.synDecay);
          }
          activity.neuronUpdates += sp.size;
          activity.spikesOut += nf;
        } else nf = sources.step(k, t, out);
        nFired[k] = nf;
      }
      if (!record.step(result, t, fired, nFired)) {
        finish();
        return { result, program, activity };
      }
      for (let j = 0; j < program.projs.length; j++) {
        const p = program.projs[j];
        const nf = nFired[p.source];
        if (nf === 0) continue;
        const r = rings[j];
        const out = fired[p.source];
        for (let m = 0; m < nf; m++) {
          const s = out[m];
          if (s < p.src[0] || s > p.src[1]) continue;
          const ls = s - p.src[0];
          const a = p.rowptr[ls];
          const b = p.rowptr[ls + 1];
          activity.synOps += b - a;
          for (let q = a; q < b; q++) {
            const d = typeof p.delay === 'number' ? p.delay : p.delay[q];
            const slot = (t + d) % r.slots;
            const at = slot * r.nt + p.col[q];
            if (r.mark[at] === 0) {
              r.mark[at] = 1;
              r.touched[slot * r.nt + r.count[slot]++] = p.col[q];
            }
            if (p.type[q]) r.inh[at] += p.weights[q];
            else r.exc[at] += p.weights[q];
          }
        }
      }
    }
  }
  result.timings.run_s = (performance.now() - t0) / 1000;
  finish();
  return { result, program, activity };
}
