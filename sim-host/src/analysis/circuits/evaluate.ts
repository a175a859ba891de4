// One measurement of circuit discovery: the model run with some components removed (or patched
// from another run) and every task's metric read from that run. Pure: the engine arrives as a
// `CircuitEngine` (the WASM Simulation with one plan and one module, masks changed between runs:
// sim-host/src/circuits-engine.ts), the metric as a function (the readout core's cross-validated
// accuracy). Replacement spikes are built here from reference runs made once.
import type { Intervention } from '../../../../protocol/circuits';
import type { ModelIR } from '../../../../protocol/ir';
import { Rng } from '../../core/rng';
import type { RunResult } from '../../core/run';
import type { Component, ComponentSet } from './components';
import { populationSizes } from './components';

/** The random stream of mean-ablation spikes: counter (neuron, step, ABLATION_STREAM, population). */
export const ABLATION_STREAM = 8;

/** Spikes standing in for a population's masked neurons (steps ascending, then neurons ascending). */
export interface Replacement {
  population: string;
  mask: Uint8Array;
  steps: Int32Array;
  neurons: Int32Array;
}

/** What the engine applies to one run: connections (IR indices) cut, populations' spikes replaced. */
export interface EngineIntervention {
  cut: number[];
  replace: Replacement[];
  /** Record only these populations (absent: all of them). */
  record?: string[];
}

export interface CircuitEngine {
  /** The model's run under `x` (every run starts from the same initial state). */
  run(x: EngineIntervention): RunResult;
}

/**
 * A task's metric on a run (`reference`: the same condition's run without removals, where a
 * frozen readout is fitted): its value and chance level. Throws on a readout that cannot be scored.
 */
export type MetricFn = (ir: ModelIR, readout: string, run: RunResult, reference: RunResult) => { value: number; chance: number };

/**
 * One run to measure. `removed`: components taken out with the analysis's intervention;
 * `task`: whose windows are the trials (resample and patch draw replacement activity from the
 * task's other windows); `only`: run with the stimuli of the other tasks silenced (this task's
 * "own run"); `patch`: these components' spikes taken from the `from` task's own run.
 */
export interface Condition {
  removed: string[];
  task?: string;
  only?: string;
  patch?: { components: string[]; from: string };
}

export interface TaskInfo {
  task: string;
  readout: string;
  population: string;
  windows: { from: number; to: number; label: string }[];
  stimuli: string[];
}

/** The tasks circuit discovery can score: those a ridge readout reads (a readout names its task, or the model has one). */
export function readoutTasks(ir: ModelIR): TaskInfo[] {
  const out: TaskInfo[] = [];
  for (const r of ir.readouts) {
    if (r.kind !== 'ridge') continue; // circuits retrain a ridge readout per run; a fixed ONNX model is scored after runs only (analysis/readout/fixed.ts)
    const taskName = r.task ?? (ir.tasks.length === 1 ? ir.tasks[0].name : undefined);
    const task = ir.tasks.find((t) => t.name === taskName);
    if (!task) continue;
    out.push({ task: task.name, readout: r.name, population: r.from, windows: task.windows, stimuli: task.stimuli });
  }
  return out;
}

type Spikes = { steps: Int32Array; neurons: Int32Array };

export class Evaluator {
  runs = 0;
  private sizes: Map<string, number>;
  private popIndex: Map<string, number>;
  private refs = new Map<string, RunResult>();
  private poisson = new Map<string, Spikes>();
  private tasks: TaskInfo[];
  private readoutPopulations: string[];
  private rng: Rng;

  constructor(
    readonly ir: ModelIR,
    private engine: CircuitEngine,
    private metric: MetricFn,
    private components: ComponentSet,
    private options: { intervention: Intervention; seed: number },
  ) {
    this.sizes = populationSizes(ir);
    this.popIndex = new Map([...this.sizes.keys()].map((n, k) => [n, k]));
    this.tasks = readoutTasks(ir);
    this.readoutPopulations = [...new Set(this.tasks.map((t) => t.population))];
    this.rng = new Rng(options.seed);
  }

  /** Every task's metric (by readout) under `c`. */
  measure(c: Condition): Record<string, number> {
    const run = this.runUnder(c);
    const ref = this.reference(c.only);
    const out: Record<string, number> = {};
    for (const t of this.tasks) out[t.readout] = this.metric(this.ir, t.readout, run, ref).value;
    return out;
  }

  /** Chance level per readout (from the clean run). */
  chance(): Record<string, number> {
    const run = this.reference(undefined);
    return Object.fromEntries(this.tasks.map((t) => [t.readout, this.metric(this.ir, t.readout, run, run).chance]));
  }

  runUnder(c: Condition): RunResult {
    if (!c.removed.length && !c.patch && !c.only) return this.reference(undefined);
    const ref = this.reference(c.only);
    const cut = new Set<number>();
    const masks = new Map<string, Uint8Array>();
    const maskOf = (pop: string) => {
      let m = masks.get(pop);
      if (!m) masks.set(pop, (m = new Uint8Array(this.sizes.get(pop) ?? 0)));
      return m;
    };
    for (const id of c.removed) {
      const comp = this.components.byId.get(id);
      if (!comp) throw new Error(`no component '${id}'`);
      if (comp.kind === 'projection') cut.add(comp.connection!);
      else maskOf(comp.population).fill(1, comp.neurons![0], comp.neurons![1]);
    }
    const replace: Replacement[] = [];
    for (const [pop, mask] of masks) replace.push(this.replacement(pop, mask, ref, c.task));
    const stimulusMasks = c.only ? this.silencedStimuli(c.only) : [];
    const patchMasks = new Map<string, Uint8Array>();
    for (const id of c.patch?.components ?? []) {
      const comp = this.components.byId.get(id);
      if (!comp || comp.kind === 'projection') continue;
      let m = patchMasks.get(comp.population);
      if (!m) patchMasks.set(comp.population, (m = new Uint8Array(this.sizes.get(comp.population) ?? 0)));
      m.fill(1, comp.neurons![0], comp.neurons![1]);
    }
    const source = c.patch ? this.reference(c.patch.from) : undefined;
    const parts = new Map<string, Replacement[]>();
    const add = (r: Replacement) => parts.set(r.population, [...(parts.get(r.population) ?? []), r]);
    for (const r of stimulusMasks) add(r);
    for (const [pop, mask] of patchMasks) add(own(pop, mask, source!));
    for (const r of replace) add(r);
    this.runs++;
    // Only what the metric reads is recorded (the replacements come from reference runs).
    return this.engine.run({ cut: [...cut].sort((a, b) => a - b), replace: [...parts.values()].map(merge), record: this.readoutPopulations });
  }

  /** The run without removals: all stimuli, or only task `only`'s. Made once each. */
  reference(only: string | undefined): RunResult {
    const key = only ?? '';
    let r = this.refs.get(key);
    if (!r) {
      this.runs++;
      r = this.engine.run({ cut: [], replace: only ? this.silencedStimuli(only) : [] });
      this.refs.set(key, r);
    }
    return r;
  }

  /** The stimuli of every other task that are not also `task`'s, silenced. */
  private silencedStimuli(task: string): Replacement[] {
    const mine = new Set(this.ir.tasks.find((t) => t.name === task)?.stimuli ?? []);
    const others = new Set(this.ir.tasks.filter((t) => t.name !== task).flatMap((t) => t.stimuli).filter((s) => !mine.has(s) && this.sizes.has(s)));
    return [...others].map((s) => ({ population: s, mask: new Uint8Array(this.sizes.get(s)!).fill(1), steps: new Int32Array(0), neurons: new Int32Array(0) }));
  }

  private replacement(pop: string, mask: Uint8Array, ref: RunResult, task: string | undefined): Replacement {
    const none = { population: pop, mask, steps: new Int32Array(0), neurons: new Int32Array(0) };
    switch (this.options.intervention) {
      case 'silence':
      case 'zero':
        return none;
      case 'mean':
        return own(pop, mask, { spikes: [{ name: pop, size: mask.length, ...this.meanSpikes(pop) }] } as RunResult);
      case 'resample':
      case 'patch': {
        const info = this.tasks.find((t) => t.task === task) ?? this.tasks[0];
        const spikes = ref.spikes.find((s) => s.name === pop);
        if (!info || !spikes) return none;
        return { ...shifted(pop, mask, spikes, info.windows, ref.dt, this.options.intervention === 'resample' ? this.permutation(info.windows.length) : differentLabel(info.windows), ref.steps) };
      }
    }
  }

  /** A seeded random derangement of n windows (each window gets another's activity). */
  private permutation(n: number): number[] {
    const p = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.rng.uniform(i, 0, ABLATION_STREAM, 0xffff) * (i + 1));
      [p[i], p[j]] = [p[j], p[i]];
    }
    // Fixed points swap with their neighbour: no window keeps its own activity.
    for (let i = 0; i < n && n > 1; i++) if (p[i] === i) [p[i], p[(i + 1) % n]] = [p[(i + 1) % n], p[i]];
    return p;
  }

  /** Poisson spikes at each neuron's mean rate in the clean run, drawn by (neuron, step). */
  private meanSpikes(pop: string): Spikes {
    let s = this.poisson.get(pop);
    if (s) return s;
    const ref = this.reference(undefined);
    const rec = ref.spikes.find((x) => x.name === pop);
    const size = this.sizes.get(pop) ?? 0;
    const p = new Float64Array(size);
    if (rec) for (let k = 0; k < rec.neurons.length; k++) p[rec.neurons[k]] += 1;
    for (let i = 0; i < size; i++) p[i] /= Math.max(1, ref.stepsDone);
    const steps: number[] = [];
    const neurons: number[] = [];
    const index = this.popIndex.get(pop) ?? 0;
    for (let t = 0; t < ref.steps; t++) {
      for (let i = 0; i < size; i++) {
        if (p[i] > 0 && this.rng.uniform(i, t, ABLATION_STREAM, index) < p[i]) {
          steps.push(t);
          neurons.push(i);
        }
      }
    }
    s = { steps: Int32Array.from(steps), neurons: Int32Array.from(neurons) };
    this.poisson.set(pop, s);
    return s;
  }
}

/** The masked neurons' own spikes in `run` (a patch; with the run's own activity, the clean run again). */
function own(pop: string, mask: Uint8Array, run: Pick<RunResult, 'spikes'>): Replacement {
  const rec = run.spikes.find((s) => s.name === pop);
  const steps: number[] = [];
  const neurons: number[] = [];
  if (rec) {
    for (let k = 0; k < rec.steps.length; k++) {
      if (mask[rec.neurons[k]]) {
        steps.push(rec.steps[k]);
        neurons.push(rec.neurons[k]);
      }
    }
  }
  return { population: pop, mask, steps: Int32Array.from(steps), neurons: Int32Array.from(neurons) };
}

/** For each window, the next one (cyclically) whose label differs: the activity of another stimulus. */
function differentLabel(windows: { label: string }[]): number[] {
  return windows.map((w, i) => {
    for (let k = 1; k < windows.length; k++) {
      const j = (i + k) % windows.length;
      if (windows[j].label !== w.label) return j;
    }
    return i;
  });
}

/**
 * The masked neurons' spikes with each window's taken from window `source[w]` at the same
 * offset (cut to the window's length); outside every window, their own.
 */
function shifted(pop: string, mask: Uint8Array, rec: { steps: Int32Array; neurons: Int32Array }, windows: { from: number; to: number }[], dt: number, source: number[], steps: number): Replacement {
  const step = (t: number) => Math.round(t / dt);
  const owner = new Int32Array(steps).fill(-1);
  windows.forEach((w, k) => owner.fill(k, Math.max(0, step(w.from)), Math.min(steps, step(w.to))));
  const byStep: number[][] = Array.from({ length: steps }, () => []);
  for (let k = 0; k < rec.steps.length; k++) if (mask[rec.neurons[k]] && owner[rec.steps[k]] < 0) byStep[rec.steps[k]].push(rec.neurons[k]);
  const fed: number[][] = windows.map(() => []);
  source.forEach((src, w) => fed[src].push(w));
  for (let k = 0; k < rec.steps.length; k++) {
    const t = rec.steps[k];
    const i = rec.neurons[k];
    if (!mask[i]) continue;
    const from = owner[t];
    if (from < 0) continue;
    for (const w of fed[from]) {
      const t2 = step(windows[w].from) + (t - step(windows[from].from));
      if (t2 < step(windows[w].to) && t2 < steps && t2 >= 0) byStep[t2].push(i);
    }
  }
  const outSteps: number[] = [];
  const outNeurons: number[] = [];
  byStep.forEach((list, t) => {
    list.sort((a, b) => a - b);
    for (const i of list) {
      outSteps.push(t);
      outNeurons.push(i);
    }
  });
  return { population: pop, mask, steps: Int32Array.from(outSteps), neurons: Int32Array.from(outNeurons) };
}

/** Several replacements of one population as one: masks or-ed, spikes merged (ascending, no repeats). */
function merge(parts: Replacement[]): Replacement {
  if (parts.length === 1) return parts[0];
  const mask = new Uint8Array(parts[0].mask.length);
  for (const p of parts) for (let i = 0; i < mask.length; i++) mask[i] |= p.mask[i];
  const all: [number, number][] = [];
  for (const p of parts) for (let k = 0; k < p.steps.length; k++) all.push([p.steps[k], p.neurons[k]]);
  all.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const uniq = all.filter((x, k) => k === 0 || x[0] !== all[k - 1][0] || x[1] !== all[k - 1][1]);
  return { population: parts[0].population, mask, steps: Int32Array.from(uniq.map((x) => x[0])), neurons: Int32Array.from(uniq.map((x) => x[1])) };
}

export type { Component };
