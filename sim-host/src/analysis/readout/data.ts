// From a model and its run to a readout's data: per window of the readout's task, the spike
// counts of its population in bins of `bin` (the whole window without one), concatenated per
// neuron (feature neuron × bins + bin), and the window's class (its first label; classes in the
// order their first window appears). Ridge readouts are cross-validated on it (evaluate.ts), a
// fixed model (ONNX) is applied to it as is (fixed.ts). What is wrong is a ReadoutError that
// names the readout, and the task or population it comes from, so callers can place it.

import type { ModelIR } from '../../../../protocol/ir';
import type { PopulationSpikes } from '../../../../protocol/sim';
import { spikesOf, type RunResult } from '../../core/run';

/** Per window of the readout's task: the binned spike counts of the readout's population (bins of `bin` within the window, concatenated per neuron) and its class index. */
export interface ReadoutData {
  readout: string;
  task: string;
  population: string;
  features: Float64Array[];
  labels: number[];
  classes: string[];
  bins: number;
}

/** What keeps a readout from being evaluated; `message` names the readout. */
export class ReadoutError extends Error {
  constructor(
    message: string,
    /** The readout, and where the problem lies: the task (and window index) or population. */
    readonly where: { readout: string; task?: string; window?: number; population?: string },
  ) {
    super(message);
    this.name = 'ReadoutError';
  }
}

/** The most values (windows × neurons × bins) a readout's data may hold: 200 MB as Float64. */
export const MAX_READOUT_VALUES = 2.5e7;

export const fmtTime = (s: number): string => (Math.abs(s) >= 1 ? `${+s.toFixed(4)} s` : `${+(s * 1000).toFixed(3)} ms`);

/** " (in model.snn)": the file a model comes from, for messages, or '' when unknown. */
export function inFileOf(ir: Pick<ModelIR, 'source'>): string {
  const file = fileOf(ir);
  return file ? ` (in ${file})` : '';
}

/** The file a model comes from (its URI's last part), or '' when unknown. */
function fileOf(ir: Pick<ModelIR, 'source'>): string {
  const s = ir.source ?? '';
  const last = s.split(/[\\/]/).pop() ?? '';
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** The readout's data: its task's windows as trials. Throws ReadoutError on what keeps it from being evaluated. */
export function readoutData(ir: ModelIR, readout: string, run: RunResult): ReadoutData {
  const inFile = inFileOf(ir);
  const r = ir.readouts.find((x) => x.name === readout);
  if (!r) throw new ReadoutError(`no readout ${readout} in the model${inFile} (readouts: ${ir.readouts.map((x) => x.name).join(', ') || 'none'})`, { readout });
  const where = { readout };
  // A fixed model (ONNX) is not trained: it needs its file, and none of cross-validation's demands.
  const fixed = r.kind === 'onnx';
  if (fixed && !r.file) throw new ReadoutError(`readout ${readout}${inFile} is an ONNX readout without file: give the model's path (file: "readout.onnx")`, where);
  let taskName = r.task;
  if (taskName === undefined) {
    if (ir.tasks.length === 1) taskName = ir.tasks[0].name;
    else throw new ReadoutError(`readout ${readout}${inFile} names no task, and the model has ${ir.tasks.length === 0 ? 'none' : `${ir.tasks.length} (${ir.tasks.map((t) => t.name).join(', ')})`}: add task: <name> to the readout${ir.tasks.length === 0 ? ' and a task with labelled windows (task trials { stimulus: cue; window 0 ms .. 100 ms: "A" })' : ''}`, where);
  }
  const task = ir.tasks.find((t) => t.name === taskName);
  if (!task) throw new ReadoutError(`readout ${readout}${inFile}: no task ${taskName} in the model`, { readout, task: taskName });
  const at = { readout, task: task.name };
  if (task.windows.length === 0) throw new ReadoutError(`readout ${readout}${inFile}: task ${task.name} has no windows, so there is nothing to train or test it on: give the task labelled windows (window 0 ms .. 200 ms: "A")`, at);
  const pop = run.populations.find((p) => p.name === r.from);
  if (!pop) throw new ReadoutError(`readout ${readout}${inFile} reads ${r.from}, which the run does not have (populations: ${run.populations.map((p) => p.name).join(', ')})`, { readout, population: r.from });
  const spikes = spikesOf(run, r.from);
  if (!spikes) {
    const recorded = run.spikes.map((s) => s.name);
    throw new ReadoutError(`readout ${readout}${inFile} reads the spikes of ${r.from}, which are not recorded (probes record ${recorded.join(', ') || 'no spikes'}): add ${r.from} to the spike probe (probe spikes(${[...recorded, r.from].join(', ')}))`, { readout, population: r.from });
  }
  if (pop.size === 0) throw new ReadoutError(`readout ${readout}${inFile} reads ${r.from}, which has no neurons`, { readout, population: r.from });
  const dt = run.dt;
  const ran = run.stepsDone;
  const lengths = task.windows.map((w) => w.to - w.from);
  task.windows.forEach((w, i) => {
    if (Math.round(w.to / dt) > ran) {
      throw new ReadoutError(`readout ${readout}${inFile}: window ${i + 1} of task ${task.name} (${fmtTime(w.from)} .. ${fmtTime(w.to)}) ends after the run (${fmtTime(ran * dt)}${run.stepsDone < run.steps ? ', which stopped early' : ''}): shorten the window or lengthen simulate { duration }`, { ...at, window: i });
    }
  });
  let bins = 1;
  let binSteps = Infinity;
  if (r.bin !== undefined) {
    if (!(r.bin > 0)) throw new ReadoutError(`readout ${readout}${inFile}: bin must be positive (got ${fmtTime(r.bin)})`, where);
    const per = lengths.map((len) => Math.ceil(len / r.bin! - 1e-9));
    const first = per[0];
    const odd = per.findIndex((b) => b !== first);
    if (odd >= 0) {
      throw new ReadoutError(`readout ${readout}${inFile}: bins of ${fmtTime(r.bin)} cut the windows of task ${task.name} into different numbers of bins (window 1: ${first}, window ${odd + 1}: ${per[odd]}); a readout needs every window to give the same features: give the windows one length, or drop bin: to count whole windows`, { ...at, window: odd });
    }
    bins = Math.max(1, first);
    binSteps = r.bin / dt;
  }
  // Classes in the order their first window appears; every class needs two windows to be both trained and tested.
  const classes: string[] = [];
  const labels = task.windows.map((w) => {
    let k = classes.indexOf(w.label);
    if (k < 0) k = classes.push(w.label) - 1;
    return k;
  });
  const counts = classes.map(() => 0);
  for (const y of labels) counts[y]++;
  const lone = fixed ? -1 : counts.findIndex((c) => c < 2);
  if (lone >= 0) {
    throw new ReadoutError(`readout ${readout}${inFile}: class "${classes[lone]}" of task ${task.name} has one window (window ${labels.indexOf(lone) + 1}); cross-validation trains on some windows of a class and tests on others: give every class at least two windows`, { ...at, window: labels.indexOf(lone) });
  }
  if (classes.length < 2 && !fixed) throw new ReadoutError(`readout ${readout}${inFile}: every window of task ${task.name} has the label "${classes[0]}"; a readout needs at least two classes`, at);
  const values = task.windows.length * pop.size * bins;
  if (values > MAX_READOUT_VALUES) {
    throw new ReadoutError(`readout ${readout}${inFile}: ${task.windows.length} windows × ${pop.size} neurons of ${r.from} × ${bins} bins are ${values.toExponential(2)} values, over the ${MAX_READOUT_VALUES.toExponential(1)} a readout holds: ${bins > 1 ? 'use a wider bin (or none), ' : ''}read a smaller population or give the task fewer windows`, { readout, population: r.from });
  }
  const features = binnedCounts(spikes, dt, task.windows, bins, binSteps);
  return { readout, task: task.name, population: r.from, features, labels, classes, bins };
}

/** Spike counts per window: feature neuron·bins + bin; spikes at steps [round(from/dt), round(to/dt)). */
export function binnedCounts(spikes: PopulationSpikes, dt: number, windows: readonly { from: number; to: number }[], bins: number, binSteps: number): Float64Array[] {
  const n = spikes.size;
  const { steps, neurons } = spikes;
  let sorted = true;
  for (let k = 1; k < steps.length && sorted; k++) if (steps[k] < steps[k - 1]) sorted = false;
  let order: Int32Array | undefined;
  if (!sorted) {
    order = Int32Array.from({ length: steps.length }, (_, k) => k);
    order.sort((a, b) => steps[a] - steps[b]);
  }
  const stepAt = (k: number) => steps[order ? order[k] : k];
  const first = (s: number) => {
    let lo = 0;
    let hi = steps.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (stepAt(mid) < s) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  return windows.map((w) => {
    const x = new Float64Array(n * bins);
    const a = Math.round(w.from / dt);
    const z = Math.round(w.to / dt);
    for (let k = first(a); k < steps.length; k++) {
      const q = order ? order[k] : k;
      const s = steps[q];
      if (s >= z) break;
      const b = bins === 1 ? 0 : Math.min(bins - 1, Math.floor((s - a) / binSteps + 1e-9));
      x[neurons[q] * bins + b]++;
    }
    return x;
  });
}
