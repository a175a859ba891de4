// The SpiNNaker 2 run of a converted plan (convert.ts): the neuron update in a generated
// WebAssembly kernel (kernel.ts; the TypeScript `updateNeurons` below is the same update, run
// instead when asked or when the kernel would not be exact), the delivery into the ring buffers
// generated too (common/delivery-kernel.ts, where the sums fit int32), their draining, the inputs
// and the recording in TypeScript. Per tick, as sPyNNaker's neuron_impl_standard with the LIF model,
// current input and exponential synapses —
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
import { DelayRings } from '../common/delivery';
import { convertPlanSpinnaker, type SpinPop, type SpinProgram } from './convert';
import { decayS1615, decaySplit, mulRN } from './fixed';
import { kernelFits, spinKernelMemory, type UpdateFn } from './kernel';

const PACE: StepPace = { first: 64, max: 100000, fastMs: 5, slowMs: 20 };

export interface SpinActivity {
  neuronUpdates: number;
  synOps: number;
  spikesOut: number;
}

/** A population's state: int32 arrays in the kernel's memory (at: their byte offsets). */
export interface SpinState {
  v: Int32Array;
  exc: Int32Array;
  inh: Int32Array;
  timer: Int32Array;
  iOffset: Int32Array;
  /** The tick's spiking indices (first `count` entries). */
  out: Int32Array;
  at: number[];
  update: UpdateFn;
}

function spinState(sp: SpinPop): SpinState {
  const n = sp.size;
  const { memory, at, update4 } = spinKernelMemory(n, 6);
  const view = (k: number) => new Int32Array(memory.buffer, at[k], n);
  const st: SpinState = { v: view(0), exc: view(1), inh: view(2), timer: view(3), iOffset: view(4), out: view(5), at, update: update4 };
  st.v.set(sp.v0);
  st.exc.set(sp.exc0);
  st.inh.set(sp.inh0);
  st.iOffset.set(sp.iOffset);
  return st;
}

/**
 * One tick of a population's neurons in TypeScript (the kernel's reference): unless refractory,
 * I = exc − inh + I_offset, α = mulRN(I, R) + V_rest, V = α − mulRN(exp_TC, α − V); V ≥ V_thresh
 * spikes; the buffers decay. Writes the spiking indices to s.out and returns their count.
 */
export function updateNeurons(sp: SpinPop, s: SpinState): number {
  // local bindings: a module's exports may be getters (bundlers), too slow for the inner loop
  const mul = mulRN;
  const dec = decayS1615;
  const { v, exc, inh, timer, iOffset, out } = s;
  let nf = 0;
  for (let i = 0; i < sp.size; i++) {
    if (timer[i] <= 0) {
      const input = exc[i] - inh[i] + iOffset[i];
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
  return nf;
}

/** The same tick in the generated kernel. */
function updateKernel(sp: SpinPop, s: SpinState): number {
  const [v, e, h, t, o, out] = s.at;
  return s.update(v, e, h, t, o, out, sp.size, sp.rMembrane, sp.vRest, sp.expTC, sp.vThresh, sp.vReset, sp.tRefract, sp.synDecay);
}

/**
 * Whether every ring row's sums fit an Int32Array (then they are the exact sums a Float64Array
 * holds, in half the memory and in the array type the Loihi emulation's rings use): a row receives
 * each synapse at most once when each source index spikes at most once a tick (neurons, Poisson
 * inputs; a spike array's list may repeat an index), so Σ of a target's incoming weights per
 * channel bounds its sum.
 */
function sumsFitInt32(plan: Plan, program: SpinProgram): boolean {
  return program.projs.every((p) => {
    const kind = plan.pops[p.source].kind;
    if (kind !== 'neuron' && kind !== 'poisson') return false;
    const sums = new Float64Array(2 * (p.tgt[1] - p.tgt[0] + 1));
    for (let q = 0; q < p.col.length; q++) sums[2 * p.col[q] + p.type[q]] += p.weights[q];
    return sums.every((x) => x < 2 ** 31);
  });
}

export interface SpinRun {
  result: RunResult;
  program: SpinProgram;
  activity: SpinActivity;
  /** Each population's state after the last tick (sources: undefined). */
  states: (SpinState | undefined)[];
}

export interface SpinOptions {
  /** The neuron update: the generated WebAssembly kernel (default) or the TypeScript one. */
  update?: 'wasm' | 'ts';
  /**
   * The delivery into the rings: generated WebAssembly where the sums fit int32 (default) or the
   * TypeScript loops (common/delivery.ts).
   */
  delivery?: 'wasm' | 'ts';
}

export function emulateSpinnaker(plan: Plan, cb: RunCallbacks = {}, program: SpinProgram = convertPlanSpinnaker(plan), opts: SpinOptions = {}): SpinRun {
  const t0 = performance.now();
  const dec = decaySplit;
  const pops = program.pops;
  const wide = !sumsFitInt32(plan, program);
  const rings = new DelayRings(program.projs, pops.length, 0, 2, (n) => (wide ? new Float64Array(n) : new Int32Array(n)), !wide && opts.delivery !== 'ts');
  const st = pops.map((sp) => (sp.kind === 'lif' ? spinState(sp) : undefined));
  const step = pops.map((sp) => (opts.update !== 'ts' && kernelFits(sp.rMembrane, sp.expTC) ? updateKernel : updateNeurons));
  const sources = new SourceSpikes(plan);
  const fired = plan.pops.map((p, k) => st[k]?.out ?? new Int32Array(p.size));
  const nFired = new Int32Array(plan.pops.length);
  const recorder = new SpikeRecord(plan);
  const result = newResult(plan, [], { plan_s: 0, compile_s: 0 });
  const activity: SpinActivity = { neuronUpdates: 0, synOps: 0, spikesOut: 0 };
  const done = (): SpinRun => {
    result.timings.run_s = (performance.now() - t0) / 1000;
    recorder.finish(result);
    activity.synOps = rings.synOps;
    return { result, program, activity, states: st };
  };
  // this tick's ring-buffer sums into the synaptic buffers: Σ weights << shift through
  // decay_s1615(·, init) — DelayRings.drain written out here (no callback per target: the hot loop)
  const drainInto = (j: number, t: number, exc: Int32Array, inh: Int32Array, init: number) => {
    // decay_s1615(·, init), init split once
    const dh = Math.floor(init / 65536);
    const dl = init - dh * 65536;
    const p = program.projs[j];
    const m = 2 ** p.shift;
    const base = p.tgt[0];
    const r = rings.rings[j];
    const slot = t % r.slots;
    const row = slot * r.nt;
    const { touched, mark } = r;
    const a0 = r.acc[0];
    const a1 = r.acc[1];
    const n = r.count[slot];
    for (let q = 0; q < n; q++) {
      const i = touched[row + q];
      const at = row + i;
      const e = a0[at];
      const h = a1[at];
      if (e !== 0) {
        exc[base + i] += dec(e * m, dh, dl);
        a0[at] = 0;
      }
      if (h !== 0) {
        inh[base + i] += dec(h * m, dh, dl);
        a1[at] = 0;
      }
      mark[at] = 0;
    }
    r.count[slot] = 0;
  };
  // the rings' memory goes back for the next run also when a run throws
  try {
    for (const chunk of stepChunks(result, cb, PACE, () => recorder.finish(result), t0)) {
      for (let t = chunk.from; t < chunk.to; t++) {
        for (let k = 0; k < pops.length; k++) {
          const sp = pops[k];
          const s = st[k];
          let nf = 0;
          if (s) {
            for (const j of rings.into[k]) drainInto(j, t, s.exc, s.inh, sp.synInit);
            nf = step[k](sp, s);
            activity.neuronUpdates += sp.size;
            activity.spikesOut += nf;
          } else nf = sources.step(k, t, fired[k]);
          nFired[k] = nf;
        }
        if (!recorder.step(result, t, fired, nFired)) return done();
        rings.deliver(t, fired, nFired);
      }
    }
    return done();
  } finally {
    rings.release();
  }
}
