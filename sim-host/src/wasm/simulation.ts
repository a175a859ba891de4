// The WASM backend's run: instantiates the generated module (codegen.ts) over the plan's one
// memory, steps it through the run contract's chunked loop (core/run.ts), records spikes and
// probed traces, and stops on NaN/Inf with the place it happened. Synchronous.
import type { ModelIR, SelectorIR } from '../../../protocol/ir';
import { Growable, growableFloat32, growableInt32 } from '../../../protocol/growable';
import { evalExpr, type EvalEnv } from '../core/expr';
import { probeEverySteps, probeSamples } from '../core/estimate';
import { probesTooLarge, SPIKE_RECORD_BYTES } from '../core/limits';
import { buildPlan, ownOf, synapseProbe, type Plan, type PlanOptions, type PopPlan } from '../core/plan';
import { nanInfMessage, newResult, recordingLimitMessage, stepChunks, type RunCallbacks, type RunResult, type StepPace, type TraceRecord } from '../core/run';
import { compile } from './codegen';

/** Code generation choices (tests and benches compare them). */
export interface CompileOptions {
  simd?: boolean;
  precision?: 'f32' | 'f64';
}

/**
 * An intervention on one run (circuit discovery: sim-host/src/analysis/circuits): without
 * re-planning or recompiling. `cut` projections (plan indices) carry nothing (their row
 * pointers in memory are zeroed for the run, so propagation and plastic pathways skip every
 * synapse); in each of `replace`, the spikes of the neurons in `mask` are dropped after the
 * update, before recording and propagation, and `spikes` (steps ascending, neurons of `mask`)
 * are emitted in their place: none (silence), Poisson at a mean rate, another window's or
 * another run's spikes.
 */
export interface SpikeIntervention {
  cut?: number[];
  replace?: { population: number; mask: Uint8Array; steps: Int32Array; neurons: Int32Array }[];
  /**
   * Called after each step's update (and after `replace`), before its spikes are recorded and
   * delivered: a hardware target's per-step effects on the spike lists and on the weights the
   * delivery reads (targets/memristor/step.ts).
   */
  afterUpdate?: (t: number) => void;
  /** Record only these populations' spikes (plan indices) in this run, instead of what the probes say. */
  record?: number[];
}

/** A NaN/Inf found by the update of step `step`: population (plan index), variable (model order), neuron. */
export interface NanReport {
  population: number;
  variable: number;
  neuron: number;
  step: number;
}

/**
 * A partitioned run's exchange (sim-host/src/partition): this plan updates its own neurons
 * (PopPlan.own) and, every step, trades spikes and probe samples with the other partitions.
 * Partition 0 records; the others only step.
 */
export interface StepExchange {
  readonly index: number;
  /** Throws unless the plan's populations and probes are those the exchange was laid out for. */
  check(pops: readonly PopPlan[], traces: readonly number[]): void;
  /** Where step t's samples of trace k go (one per probed neuron; each partition writes its own). */
  samples(t: number, trace: number): Float32Array;
  /**
   * After update(t): publishes this partition's spikes (and its NaN/Inf report), waits for the
   * others, and fills the spike lists with everyone's; false when another partition stopped the run.
   */
  spikes(t: number, mem32: Int32Array, pops: readonly PopPlan[], nan?: NanReport): boolean;
  /** Step t's NaN/Inf report (after spikes(t)), from whichever partition found it. */
  nan(t: number): NanReport | undefined;
  /** Stops the others at their next exchange. */
  stop(): void;
}

let compilations = 0;
/** Modules compiled by this thread so far (tests: interventions never recompile). */
export function compilationCount(): number {
  return compilations;
}

/** Chunks sized to about 5-20 ms: cancellation is checked often. */
const WASM_PACE: StepPace = { first: 64, max: 100000, fastMs: 5, slowMs: 20 };

/** What a run records: its probes' samplers and sizes, and how many spikes fit in the memory left. */
interface Recording {
  traces: { rec: TraceRecord; sample: (out: Growable<Float32Array>) => void; valueAt?: (i: number) => number; everySteps: number; values: number }[];
  probedSpikes: Set<string>;
  /** Spikes that may be recorded before the run stops ('recording-limit'). */
  maxSpikes: number;
  spikeBudget: number;
}

export class Simulation {
  readonly plan: Plan;
  private memory: WebAssembly.Memory;
  private exports!: { update: (t: number) => void; deliver: (t: number) => void; schedule?: (t: number) => void; link?: (t: number) => void };
  private compileS = 0;
  private planS = 0;
  private recording!: Recording;
  /** The memory right after loading (opts.resettable): `reset()` copies it back. */
  private image?: Uint8Array;
  /** A partitioned run's exchange (opts.exchange): this plan is one partition of the run. */
  private exchange?: StepExchange;

  /** Plans `ir` (its files, if it reads any, in opts.files) and compiles it; or compiles a plan drawn before. */
  constructor(source: ModelIR | { plan: Plan }, opts: PlanOptions & CompileOptions & { resettable?: boolean; exchange?: StepExchange } = {}) {
    const t0 = performance.now();
    this.plan = 'plan' in source ? source.plan : buildPlan(source, opts);
    const t1 = performance.now();
    this.planS = (t1 - t0) / 1000;
    const compiled = compile(this.plan, { simd: opts.simd, precision: opts.precision });
    compilations++;
    this.memory = this.plan.memory;
    const have = this.memory.buffer.byteLength / 65536;
    if (compiled.pages > have) this.memory.grow(compiled.pages - have);
    const mod = new WebAssembly.Module(compiled.bytes as Uint8Array<ArrayBuffer>);
    const inst = new WebAssembly.Instance(mod, {
      env: { memory: this.memory },
      math: { log: Math.log, sin: Math.sin, cos: Math.cos, pow: Math.pow },
    });
    this.exports = inst.exports as unknown as Simulation['exports'];
    this.compileS = (performance.now() - t1) / 1000;
    this.load();
    this.recording = this.planRecording();
    if (opts.resettable) this.image = new Uint8Array(this.memory.buffer).slice();
    if (opts.exchange) {
      opts.exchange.check(this.plan.pops, this.recording.traces.map((t) => t.rec.neurons.length));
      this.exchange = opts.exchange;
    }
  }

  /** Bytes of this run's memory (a partition's: its own). */
  memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }

  /**
   * A partitioned run's other partitions take `bytes` of the run's memory limit too: partition 0,
   * which records, has that much less for the spikes.
   */
  shareMemoryLimit(bytes: number): void {
    const r = this.recording;
    r.spikeBudget = Math.max(0, r.spikeBudget - bytes);
    r.maxSpikes = Math.floor(r.spikeBudget / SPIKE_RECORD_BYTES);
  }

  /** Back to the state before the first run (needs `resettable`): the same plan and module run again. */
  reset(): void {
    if (!this.image) throw new Error('reset() needs a Simulation built with resettable: true');
    new Uint8Array(this.memory.buffer).set(this.image);
  }

  /**
   * The probes' samplers, and the memory the recordings may take: probes are counted exactly
   * (samples × neurons × 4 bytes) and refused when they do not fit; spikes get what is left.
   */
  private planRecording(): Recording {
    const plan = this.plan;
    const memF = new Float32Array(this.memory.buffer);
    const probedSpikes = new Set<string>();
    const traces: Recording['traces'] = [];
    let probeBytes = 0;
    let largest: { bytes: number; what: string } | undefined;
    for (const pr of plan.ir.probes) {
      for (const sel of pr.targets) {
        if (pr.variable === 'spikes' || pr.variable === 'rate') {
          probedSpikes.add(sel.name);
          continue;
        }
        const probe = this.prober(sel, pr.variable, memF);
        if (!probe) continue;
        const everySteps = probeEverySteps(pr.every, plan.dt);
        const samples = probeSamples(plan.steps, everySteps);
        const values = samples * probe.indices.length;
        probeBytes += 4 * values;
        if (!largest || 4 * values > largest.bytes) largest = { bytes: 4 * values, what: `${pr.variable}(${sel.name}): ${probe.indices.length.toLocaleString('en-US')} ${probe.synapses ? 'synapses' : 'neurons'} × ${samples.toLocaleString('en-US')} samples` };
        traces.push({ rec: { population: sel.name, variable: pr.variable, neurons: probe.indices, every: everySteps * plan.dt, data: new Float32Array(0), ...(probe.synapses ? { synapses: probe.synapses } : {}) }, sample: probe.sample, valueAt: probe.valueAt, everySteps, values });
      }
    }
    const runBytes = this.memory.buffer.byteLength + plan.inputFileBytes;
    if (runBytes + probeBytes > plan.memoryLimit) throw probesTooLarge(probeBytes, largest?.what, runBytes, plan.memoryLimit);
    const spikeBudget = plan.memoryLimit - runBytes - probeBytes;
    return { traces, probedSpikes, spikeBudget, maxSpikes: Math.floor(spikeBudget / SPIKE_RECORD_BYTES) };
  }

  /** Copies initial state and per-neuron parameters into memory (the plan wrote the synapses). */
  private load(): void {
    const buf = this.memory.buffer;
    const f32 = (off: number, n: number) => new Float32Array(buf, off, n);
    for (const p of this.plan.pops) {
      for (const [name, off] of p.state) f32(off, p.size).set(p.initial.get(name)!);
      for (const [name, par] of p.params) if ('offset' in par) f32(par.offset, p.size).set(p.initial.get(`param:${name}`)!);
      if ('offset' in p.refrSteps) new Uint8Array(buf, p.refrSteps.offset, 4 * p.size).set(new Uint8Array(p.initial.get('refr-steps')!.buffer));
      if (p.poissonP && 'offset' in p.poissonP) f32(p.poissonP.offset, p.size).set(p.initial.get('poisson-p')!);
    }
  }

  /**
   * What a probe `variable(selector)` samples: a population's state variable or named
   * expression (evaluated here from the stored state), or a named connection's w or synapse
   * variable (every synapse of its projections, in their CSR order). Undefined when the
   * selector names nothing recordable (the checker reports those).
   */
  private prober(sel: SelectorIR, variable: string, memF: Float32Array): { indices: number[]; sample: (out: Growable<Float32Array>) => void; valueAt?: (i: number) => number; synapses?: { pre: number[]; post: number[] } } | undefined {
    const plan = this.plan;
    const pop = plan.pops.find((p) => p.name === sel.name);
    if (pop) {
      const indices: number[] = [];
      for (let i = Math.max(0, sel.from); i <= Math.min(sel.to, pop.size - 1); i++) indices.push(i);
      const off = pop.state.get(variable);
      if (off !== undefined) return { indices, sample: (out) => { for (const i of indices) out.push(memF[(off >> 2) + i]); }, valueAt: (i) => memF[(off >> 2) + i] };
      const alias = pop.model?.aliases.find((a) => a.name === variable);
      if (!alias || !pop.model) return undefined;
      const model = pop.model;
      let i = 0;
      const aliases = new Map(model.aliases.map((a) => [a.name, a.expr]));
      const env: EvalEnv = {
        param: (x) => {
          const p = pop.params.get(x);
          return !p ? NaN : 'value' in p ? p.value : memF[(p.offset >> 2) + i];
        },
        state: (x) => {
          const o = pop.state.get(x);
          return o === undefined ? NaN : memF[(o >> 2) + i];
        },
        alias: (x) => {
          const e = aliases.get(x);
          return e ? evalExpr(e, env) : NaN;
        },
        builtin: (b) => (b === 'dt' ? plan.dt : b === 'i' ? i : b === 'N' ? pop.size : NaN),
      };
      return {
        indices,
        sample: (out) => {
          for (i of indices) out.push(evalExpr(alias.expr, env));
        },
        valueAt: (k) => {
          i = k;
          return evalExpr(alias.expr, env);
        },
      };
    }
    const probe = synapseProbe(plan, sel.name, sel.from, sel.to, variable);
    if (!probe) return undefined;
    return {
      indices: probe.indices,
      synapses: probe.synapses,
      sample: (out) => {
        for (const p of probe.parts) for (let k = 0; k < p.n; k++) out.push(memF[(p.byteOffset >> 2) + k]);
      },
    };
  }

  /** Connectivity of projection `k` as stored for the run: CSR by (local) source index. */
  connectivity(k: number): { rowptr: Int32Array; col: Int32Array } {
    const pr = this.plan.projs[k];
    return { rowptr: pr.rowptr, col: new Int32Array(this.memory.buffer, pr.colOffset, pr.synapses).slice() };
  }

  /** Delay of each synapse of projection `k`, in steps (same order as connectivity(k)). */
  delays(k: number): Int32Array {
    const pr = this.plan.projs[k];
    if ('value' in pr.delay) return new Int32Array(pr.synapses).fill(pr.delay.value);
    return new Int32Array(this.memory.buffer, pr.delay.offset, pr.synapses).slice();
  }

  /** Current weights of projection `k` (plastic synapses change them during the run). */
  weights(k: number): Float32Array {
    const pr = this.plan.projs[k];
    return new Float32Array(this.memory.buffer, pr.weightOffset, pr.synapses).slice();
  }

  /** Runs the plan (once; a resettable Simulation again after `reset()`), under an intervention if one is given. */
  run(cb: RunCallbacks = {}, intervention?: SpikeIntervention): RunResult {
    if (!intervention) return this.runPlain(cb);
    const cut = (intervention.cut ?? []).map((k) => this.plan.projs[k]);
    const ptrs = cut.flatMap((pr) => [{ offset: pr.rowptrOffset, n: pr.rowptr.length }, ...(pr.plastic ? [{ offset: pr.plastic.colptrOffset, n: pr.tgt[1] - pr.tgt[0] + 2 }] : [])]);
    const saved = ptrs.map((p) => new Int32Array(this.memory.buffer, p.offset, p.n).slice());
    for (const p of ptrs) new Int32Array(this.memory.buffer, p.offset, p.n).fill(0);
    try {
      const replace = intervention.replace?.length ? this.replacer(intervention.replace) : undefined;
      const after = intervention.afterUpdate;
      return this.runPlain(cb, replace && after ? (t) => (replace(t), after(t)) : (replace ?? after), intervention.record);
    } finally {
      ptrs.forEach((p, k) => new Int32Array(this.memory.buffer, p.offset, p.n).set(saved[k]));
    }
  }

  /** Rewrites step t's spike lists of the replaced populations in memory (kept ascending by neuron). */
  private replacer(replace: NonNullable<SpikeIntervention['replace']>): (t: number) => void {
    const mem32 = new Int32Array(this.memory.buffer);
    const parts = replace.map((r) => ({ ...r, pop: this.plan.pops[r.population], next: 0, scratch: new Int32Array(this.plan.pops[r.population].size) }));
    return (t) => {
      for (const r of parts) {
        const base = r.pop.listOffset >> 2;
        const n = mem32[r.pop.countOffset >> 2];
        while (r.next < r.steps.length && r.steps[r.next] < t) r.next++;
        let k = 0;
        let m = 0;
        let j = r.next;
        // Merge the kept spikes (ascending) with this step's injected ones (ascending).
        while (k < n || (j < r.steps.length && r.steps[j] === t)) {
          const own = k < n ? mem32[base + k] : Infinity;
          if (k < n && r.mask[own]) {
            k++;
            continue;
          }
          const inj = j < r.steps.length && r.steps[j] === t ? r.neurons[j] : Infinity;
          if (inj < own) {
            r.scratch[m++] = inj;
            j++;
          } else {
            r.scratch[m++] = own;
            k++;
          }
        }
        r.next = j;
        for (let q = 0; q < m; q++) mem32[base + q] = r.scratch[q];
        mem32[r.pop.countOffset >> 2] = m;
      }
    };
  }

  private runPlain(cb: RunCallbacks, override?: (t: number) => void, record?: number[]): RunResult {
    const plan = this.plan;
    const buf = this.memory.buffer;
    const mem32 = new Int32Array(buf);
    const memF = new Float32Array(buf);
    const spikes = plan.pops.map(() => ({ steps: growableInt32(), neurons: growableInt32() }));
    // Probes: spikes are always recorded for the probed populations; traces per probe, each
    // sized once for all its samples (planRecording counted them against the memory limit).
    const { probedSpikes, maxSpikes } = this.recording;
    // (a partition other than 0 records nothing)
    const traces = this.recording.traces.map((t) => ({ ...t, samples: growableFloat32(this.exchange && this.exchange.index !== 0 ? 1 : t.values) }));
    const recordAll = probedSpikes.size === 0;
    const recorded = record ? plan.pops.map((_, k) => record.includes(k)) : plan.pops.map((p) => recordAll || probedSpikes.has(p.name));
    let spikeCount = 0;
    const arrayPops = plan.pops.filter((p) => p.arraySpikes);
    const csByStep = new Map<number, { cs: Plan['currentSteps'][number]; value: number }[]>();
    for (const cs of plan.currentSteps) {
      cs.steps.forEach((s, k) => {
        const l = csByStep.get(s) ?? [];
        l.push({ cs, value: cs.values[k] });
        csByStep.set(s, l);
      });
    }
    const result = newResult(plan, traces.map((t) => t.rec), { plan_s: this.planS, compile_s: this.compileS });
    const finish = () => {
      result.spikes = [];
      plan.pops.forEach((p, k) => {
        if (recorded[k]) result.spikes.push({ name: p.name, size: p.size, steps: spikes[k].steps.view(), neurons: spikes[k].neurons.view() });
      });
      for (const t of traces) t.rec.data = t.samples.view(); // a view: progress reports must not copy every sample each time
    };
    const { update, deliver, schedule, link } = this.exports;
    const t0 = performance.now();
    const errAt = plan.errOffset >> 2;
    const ex = this.exchange;
    // A partition samples its own neurons into the exchange; partition 0 records everyone's.
    const ownPositions = ex ? traces.map((tr) => ownProbePositions(tr.rec, plan.pops.find((p) => p.name === tr.rec.population)!)) : [];
    const nanFound = (): NanReport => {
      const pop = plan.pops[mem32[errAt + 1]];
      let varIndex = mem32[errAt + 2];
      let neuron = mem32[errAt + 3];
      if (neuron < 0) {
        // The update loop flags its population; the first non-finite neuron (then
        // variable, in declaration order) is found in the stored state.
        const vars = pop.model?.state ?? [];
        const [lo, hi] = ownOf(pop);
        search: for (let i = lo; i < hi; i++) {
          for (let k = 0; k < vars.length; k++) {
            if (!Number.isFinite(memF[(pop.state.get(vars[k].name)! >> 2) + i])) {
              neuron = i;
              varIndex = k;
              break search;
            }
          }
        }
      }
      return { population: pop.index, variable: varIndex, neuron, step: mem32[errAt + 4] };
    };
    const stopped = (t: number) => {
      result.stepsDone = t;
      result.timings.run_s = (performance.now() - t0) / 1000;
      finish();
      return result;
    };
    for (const chunk of stepChunks(result, cb, WASM_PACE, finish, t0)) {
      for (let t = chunk.from; t < chunk.to; t++) {
        const sets = csByStep.get(t);
        if (sets) for (const { cs, value } of sets) memF.fill(value, (cs.pop.state.get(cs.variable)! >> 2) + cs.from, (cs.pop.state.get(cs.variable)! >> 2) + cs.to + 1);
        // Scheduled operations (every / at), in the start slot as Brian2's run_regularly: before
        // probes sample and before the state update.
        // Linked parameters from their sources' start-of-step values: before the scheduled
        // operations (which may read them) and again after (which may change the sources), so
        // that the probes and the update see the values the step uses.
        if (link && schedule) link(t);
        if (schedule) schedule(t);
        if (link) link(t);
        if (ex) {
          traces.forEach((tr, k) => {
            if (t % tr.everySteps !== 0) return;
            const out = ex.samples(t, k);
            const [from, to] = ownPositions[k];
            for (let q = from; q < to; q++) out[q] = tr.valueAt!(tr.rec.neurons[q]);
          });
        } else {
          for (const tr of traces) {
            if (t % tr.everySteps !== 0) continue;
            tr.sample(tr.samples);
          }
        }
        update(t);
        for (const p of arrayPops) {
          const list = p.arraySpikes!.at(t);
          const n = list ? list.length : 0;
          if (list) {
            const base = p.listOffset >> 2;
            for (let k = 0; k < n; k++) mem32[base + k] = list[k];
          }
          mem32[p.countOffset >> 2] = n;
        }
        if (override) override(t);
        if (ex) {
          if (!ex.spikes(t, mem32, plan.pops, mem32[errAt] !== 0 ? nanFound() : undefined)) return stopped(t);
          if (ex.index === 0) {
            traces.forEach((tr, k) => {
              if (t % tr.everySteps !== 0) return;
              const got = ex.samples(t, k);
              for (let q = 0; q < got.length; q++) tr.samples.push(got[q]);
            });
          }
        }
        // The step's spikes must fit in what is left for recording, else stop before them.
        let stepSpikes = 0;
        for (let k = 0; k < plan.pops.length; k++) if (recorded[k]) stepSpikes += mem32[plan.pops[k].countOffset >> 2];
        if (spikeCount + stepSpikes > maxSpikes) {
          result.error = recordingLimitMessage(plan.memoryLimit, this.recording.spikeBudget, maxSpikes, t, plan.dt);
          result.stopReason = 'recording-limit';
          return stopped(t);
        }
        spikeCount += stepSpikes;
        for (let k = 0; k < plan.pops.length; k++) {
          if (!recorded[k]) continue;
          const p = plan.pops[k];
          const n = mem32[p.countOffset >> 2];
          if (n === 0) continue;
          const base = p.listOffset >> 2;
          const rec = spikes[k];
          for (let m = 0; m < n; m++) {
            rec.steps.push(t);
            rec.neurons.push(mem32[base + m]);
          }
        }
        const nan = ex ? ex.nan(t) : mem32[errAt] !== 0 ? nanFound() : undefined;
        if (nan) {
          const pop = plan.pops[nan.population];
          const variable = pop.model?.state[nan.variable]?.name ?? '?';
          result.error = nanInfMessage(pop.name, variable, nan.neuron, nan.step, plan.dt);
          result.stopReason = 'nan-inf';
          return stopped(t + 1);
        }
        deliver(t);
      }
    }
    result.timings.run_s = (performance.now() - t0) / 1000;
    finish();
    return result;
  }
}

/** Positions [from, to) of a probe's neurons (consecutive, ascending) that `pop`'s plan owns. */
function ownProbePositions(rec: TraceRecord, pop: PopPlan): [number, number] {
  const [lo, hi] = ownOf(pop);
  const n = rec.neurons.length;
  let from = 0;
  while (from < n && rec.neurons[from] < lo) from++;
  let to = from;
  while (to < n && rec.neurons[to] < hi) to++;
  return [from, to];
}
