// The bit-accurate Loihi run of a converted plan (convert.ts): the compartments in a generated
// WebAssembly int32 kernel (kernel.ts), the delivery into the delay rings generated too
// (common/delivery-kernel.ts), the rest in TypeScript: every step, per compartment, as
// Lava's PyLifModelBitAcc with the
// refractory hold of its LIFRefractory model —
//   a_in = Σ over connections of (Σ w_int of last step's spikes) shifted by weight_exp
//   u = wrap24( trunc0(u·(4096 − (du + 1)) / 4096) + (a_in << 6) )
//   v = sat24( trunc0(v·(4096 − dv) / 4096) + u + (bias_mant << bias_exp) )   (held at 0 while refractory)
//   spike when v > vth << 6; then v = 0
// and the dense synapses' one-step delay (a spike at t is input at t + 1 + delay). Poisson and
// spike-array inputs spike exactly as on the other backends (the same counter-based draws), so
// a run can be compared with WASM neuron by neuron.
import { growableFloat32 } from '../../../../protocol/growable';
import { probeEverySteps } from '../../core/estimate';
import type { Plan } from '../../core/plan';
import { SourceSpikes } from '../../core/sources';
import { SpikeRecord } from '../../core/spike-record';
import { newResult, stepChunks, type RunCallbacks, type RunResult, type StepPace, type TraceRecord } from '../../core/run';
import { DelayRings } from '../common/delivery';
import { convertPlan, type LoihiProgram } from './convert';
import { compartments, stepCompartments } from './compartment';
import * as F from './fixed';

const PACE: StepPace = { first: 64, max: 100000, fastMs: 5, slowMs: 20 };

/** Operation counts of a run (the energy estimate's events). */
export interface LoihiActivity {
  /** Compartment updates (neurons × steps). */
  neuronUpdates: number;
  /** Synaptic operations (one per synapse of a spiking source). */
  synOps: number;
  /** Spikes sent (neurons that fired). */
  spikesOut: number;
}

export interface LoihiRun {
  result: RunResult;
  program: LoihiProgram;
  activity: LoihiActivity;
}

/** Runs `plan` as Loihi would; `program` when converted before (the report shows it). */
export interface LoihiOptions {
  /** The delivery into the rings: generated WebAssembly (default) or the TypeScript loops (common/delivery.ts). */
  delivery?: 'wasm' | 'ts';
}

export function emulateLoihi(plan: Plan, cb: RunCallbacks = {}, program: LoihiProgram = convertPlan(plan), opts: LoihiOptions = {}): LoihiRun {
  const t0 = performance.now();
  const pops = program.pops;
  const steps = plan.steps;
  // Per projection: ring of (maxDelay + 2) rows × its target neurons of dendritic sums (Dense's one-step lead).
  const rings = new DelayRings(program.projs, pops.length, 1, 1, (n) => new Int32Array(n), opts.delivery !== 'ts');
  const lif = pops.map((lp) => {
    if (lp.kind !== 'lif') return undefined;
    const n = lp.size;
    const bias = new Int32Array(n);
    for (let i = 0; i < n; i++) bias[i] = F.effectiveBias(lp.biasMant[i], lp.biasExp[i]);
    const c = compartments(lp.size, lp.du, lp.dv, lp.vth, lp.refractory, bias);
    c.u.set(lp.u0);
    c.v.set(lp.v0);
    return c;
  });
  const sources = new SourceSpikes(plan);
  // Spikes of this step per population (local indices), and the recording.
  // (a neuron population's are its compartments' own output array)
  const fired = plan.pops.map((p, k) => lif[k]?.out ?? new Int32Array(p.size));
  const nFired = new Int32Array(plan.pops.length);
  const record = new SpikeRecord(plan);
  // State probes: v and the synaptic current, as float values of the model's variables.
  const traces: { rec: TraceRecord; every: number; sample: () => void; data: ReturnType<typeof growableFloat32> }[] = [];
  for (const pr of plan.ir.probes) {
    if (pr.variable === 'spikes' || pr.variable === 'rate') continue;
    for (const sel of pr.targets) {
      const k = plan.pops.findIndex((p) => p.name === sel.name);
      const lp = pops[k];
      const st = lif[k];
      if (!lp || !st || lp.kind !== 'lif') continue;
      const idx: number[] = [];
      for (let i = Math.max(0, sel.from); i <= Math.min(sel.to, lp.size - 1); i++) idx.push(i);
      const every = probeEverySteps(pr.every, plan.dt);
      const data = growableFloat32(idx.length * Math.ceil(steps / every));
      const isV = pr.variable === lp.shape!.v;
      const sample = () => {
        for (const i of idx) data.push(isV ? st.v[i] / lp.scale + lp.vReset : lp.uPerS ? st.u[i] / lp.uPerS : 0);
      };
      traces.push({ rec: { population: sel.name, variable: pr.variable, neurons: idx, every: every * plan.dt, data: new Float32Array(0) }, every, sample, data });
    }
  }
  const result = newResult(plan, traces.map((t) => t.rec), { plan_s: 0, compile_s: 0 });
  const activity: LoihiActivity = { neuronUpdates: 0, synOps: 0, spikesOut: 0 };
  const finish = () => {
    record.finish(result);
    for (const t of traces) t.rec.data = t.data.view();
  };
  const done = (): LoihiRun => {
    result.timings.run_s = (performance.now() - t0) / 1000;
    finish();
    activity.synOps = rings.synOps;
    return { result, program, activity };
  };
  // a_in from a connection's row: its sums shifted by weight_exp (truncated toward −∞ when
  // negative) — DelayRings.drain written out (no callback per target: the hot loop)
  const drainInto = (j: number, t: number, ain: Int32Array) => {
    const p = program.projs[j];
    const e = p.weightExp;
    const base = p.tgt[0];
    const m = 2 ** Math.abs(e);
    const r = rings.rings[j];
    const slot = t % r.slots;
    const row = slot * r.nt;
    const { touched, mark } = r;
    const a0 = r.acc[0];
    const n = r.count[slot];
    for (let q = 0; q < n; q++) {
      const i = touched[row + q];
      const at = row + i;
      const x = a0[at];
      ain[base + i] += e >= 0 ? x * m : Math.floor(x / m);
      a0[at] = 0;
      mark[at] = 0;
    }
    r.count[slot] = 0;
  };
  // the rings' memory goes back for the next run also when a run throws
  try {
    for (const chunk of stepChunks(result, cb, PACE, finish, t0)) {
      for (let t = chunk.from; t < chunk.to; t++) {
        for (const tr of traces) if (t % tr.every === 0) tr.sample();
        // Neurons and inputs spike.
        for (let k = 0; k < pops.length; k++) {
          const lp = pops[k];
          const out = fired[k];
          let nf = 0;
          const st = lif[k];
          if (st) {
            st.ain.fill(0);
            for (const j of rings.into[k]) drainInto(j, t, st.ain);
            nf = stepCompartments(st, st.ain, t);
            activity.neuronUpdates += lp.size;
          } else nf = sources.step(k, t, out);
          nFired[k] = nf;
        }
        if (!record.step(result, t, fired, nFired)) return done();
        for (let k = 0; k < pops.length; k++) if (pops[k].kind === 'lif') activity.spikesOut += nFired[k];
        // Dense synapses: this step's spikes into the row read at t + 1 + delay.
        rings.deliver(t, fired, nFired);
      }
    }
    return done();
  } finally {
    rings.release();
  }
}
