// Circuit discovery (issue 18; RESEARCH.md §C): per task an ACDC-style greedy search (Conmy et
// al. 2023) over the components, visited from the readout backwards — a component is removed for
// good when removing it (with the others removed so far) lowers the task's metric by less than
// the threshold —, each component's importance (the drop when it alone is removed), the metric
// of the circuit alone and of the network without it, a control (as many random components
// removed, several draws: mean ± SD), reuse per pair of tasks (Jaccard and overlap coefficient)
// and Merullo et al.'s patch (task B's own run with the shared components' activity from task
// A's own run). Measurements arrive through `measure` (in process, or a pool of workers), in
// batches: the tasks' searches advance together.
import type { CircuitsResult, Intervention, PatchResult, TaskCircuit, TaskPairReuse } from '../../../../protocol/circuits';
import type { ModelIR } from '../../../../protocol/ir';
import { Rng } from '../../core/rng';
import { modelComponents, searchOrder, type ComponentSet } from './components';
import { ABLATION_STREAM, readoutTasks, type Condition, type TaskInfo } from './evaluate';

export interface DiscoverOptions {
  /** Only this task (default: every task a readout reads). */
  task?: string;
  /** Default 0.05 (in the metric's units: accuracy). */
  threshold?: number;
  intervention?: Intervention;
  seed?: number;
  /** Draws of the random-ablation control. Default 10. */
  controlDraws?: number;
  /** Besides the model's own slices, cut every population into this many groups. */
  split?: number;
  /** Score each run with a readout cross-validated on that run alone, instead of the intact network's (metric.ts). */
  retrain?: boolean;
  source?: string;
  shouldStop?: () => boolean;
  onProgress?: (done: number, total: number, label?: string) => void;
}

/** Every task's metric (by readout) for each condition, in order; and chance per readout. */
export interface Measurer {
  measure(conditions: Condition[]): Promise<Record<string, number>[]>;
  chance(): Promise<Record<string, number>>;
  /** Synapses per connection (ir.connections order), for the projections' sizes. */
  synapses(): Promise<number[]>;
  /** Runs of the network made so far (reference runs included); absent: the conditions measured. */
  runs?(): number;
}

export const DEFAULT_THRESHOLD = 0.05;
export const DEFAULT_CONTROL_DRAWS = 10;

/** Bad input to circuit discovery; `where`: the model item it is about (for a file:line:column). */
export class CircuitsError extends Error {
  constructor(message: string, readonly where?: { kind: 'task' | 'readout'; name: string }) {
    super(message);
  }
}

/** The tasks to analyse, or a CircuitsError saying why there are none. */
export function tasksToAnalyse(ir: ModelIR, task?: string): TaskInfo[] {
  const all = readoutTasks(ir);
  if (task !== undefined) {
    if (!ir.tasks.some((t) => t.name === task)) {
      const names = ir.tasks.map((t) => t.name);
      const near = names.find((n) => editDistance(n, task) <= Math.max(1, Math.floor(task.length / 3)));
      throw new CircuitsError(`no task '${task}' in the model${near ? ` (did you mean '${near}'?)` : names.length ? ` (tasks: ${names.join(', ')})` : ''}`);
    }
    const mine = all.filter((t) => t.task === task);
    if (!mine.length) throw new CircuitsError(`task '${task}' has no readout: add \`readout r = ridge { from: <population>; task: ${task} }\``, { kind: 'task', name: task });
    return mine;
  }
  if (!all.length) throw new CircuitsError(ir.tasks.length ? `no task has a readout: add \`readout r = ridge { from: <population>; task: ${ir.tasks[0].name} }\`` : 'the model has no task with a readout: circuit discovery measures a readout\'s accuracy on a task', ir.tasks.length ? { kind: 'task', name: ir.tasks[0].name } : undefined);
  return all;
}

export function checkThreshold(threshold: number): void {
  if (!(threshold > 0 && threshold <= 1)) throw new CircuitsError(`the threshold must be in (0, 1] (a drop of the task's accuracy), not ${threshold}`);
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length][b.length];
}

/** A condition as a key: the removed set in any order is the same run; `task` matters only where the intervention reads its windows. */
function conditionKey(c: Condition, windowsMatter: boolean): string {
  return JSON.stringify([[...c.removed].sort(), windowsMatter ? (c.task ?? '') : '', c.only ?? '', c.patch ? [[...c.patch.components].sort(), c.patch.from] : null]);
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const sd = (xs: number[]) => {
  if (xs.length < 2) return 0;
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
};

/** |A ∩ B| / |A ∪ B| and |A ∩ B| / min(|A|, |B|). */
export function reuseOf(a: string, ca: string[], b: string, cb: string[]): TaskPairReuse {
  const sb = new Set(cb);
  const shared = ca.filter((x) => sb.has(x));
  const union = new Set([...ca, ...cb]).size;
  return { a, b, shared, jaccard: union ? shared.length / union : 0, overlap: Math.min(ca.length, cb.length) ? shared.length / Math.min(ca.length, cb.length) : 0 };
}

export async function discoverCircuits(ir: ModelIR, m: Measurer, options: DiscoverOptions = {}, set: ComponentSet = modelComponents(ir, { split: options.split })): Promise<CircuitsResult> {
  checkThreshold(options.threshold ?? DEFAULT_THRESHOLD);
  const tasks = tasksToAnalyse(ir, options.task);
  // Components with no path to a task's readout population cannot change it: dropped unmeasured.
  const plan: SearchPlan = {
    source: options.source ?? ir.name,
    seed: options.seed ?? ir.simulate.seed,
    tasks: tasks.map((t) => ({ task: t.task, readout: t.readout, order: searchOrder(set, t.population).map((c) => c.id) })),
    prepare: async () => {
      const synapses = await m.synapses();
      for (const c of set.all) if (c.kind === 'projection') c.size = synapses[c.connection!] ?? 0;
    },
  };
  return searchCircuits(plan, m, { ...options, intervention: options.intervention ?? 'silence' }, set);
}

/**
 * What the search needs from a model of any kind (a spiking network's IR, an ONNX graph): the
 * tasks, each with the components in the order the search visits them (from the task's output
 * backwards; those it cannot reach left out), and a step before the first measurement.
 */
export interface SearchPlan {
  source: string;
  seed: number;
  tasks: { task: string; readout: string; order: string[] }[];
  prepare?: () => Promise<void>;
  /** The metric has no readout to fit (an ONNX model's own logits): `readoutFit` is left out. */
  noReadoutFit?: boolean;
}

/** The measurements the search makes, whatever runs them (Measurer without the IR's synapses). */
export type TaskMeasurer = Omit<Measurer, 'synapses'>;

/**
 * The search, its control, reuse and patching over `plan`'s tasks and `set`'s components (the IR's
 * or an ONNX model's), measured through `m`. `discoverCircuits` is this with a spiking model's plan.
 */
export async function searchCircuits(plan: SearchPlan, m: TaskMeasurer, options: Omit<DiscoverOptions, 'task' | 'split' | 'source'> & { intervention: Intervention }, set: ComponentSet): Promise<CircuitsResult> {
  const t0 = performance.now();
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  checkThreshold(threshold);
  const intervention = options.intervention;
  const seed = plan.seed;
  const draws = options.controlDraws ?? DEFAULT_CONTROL_DRAWS;
  const tasks = plan.tasks;
  const searchable = set.searchable.map((c) => c.id);
  const orders = tasks.map((t) => t.order);
  const reachable = new Set(orders.flat());
  const measured = searchable.filter((id) => reachable.has(id));
  const patchPairs = tasks.flatMap((a) => tasks.filter((b) => b !== a && b.task !== a.task).map((b) => [a, b] as const));
  // clean + importance + per task (search + ablated + control) + patches (before, after)
  // Silence and mean ablation do not depend on the task's windows: one run serves every task.
  const perTask = intervention === 'resample' || intervention === 'patch';
  const total = 1 + measured.length * (perTask ? tasks.length : 1) + orders.reduce((a, o) => a + o.length + 2 + draws, 0) + 2 * patchPairs.length;
  let done = 0;
  let runs = 0;
  let cancelled = false;
  const memo = new Map<string, Record<string, number>>();
  const batch = async (conds: Condition[], label: string): Promise<Record<string, number>[] | undefined> => {
    if (cancelled || options.shouldStop?.()) {
      cancelled = true;
      return undefined;
    }
    // A condition measured before (the search's first step is a component's importance, the
    // circuit alone may be the search's last state) is not run again; nor is one twice in a batch.
    const keys = conds.map((c) => conditionKey(c, perTask));
    const fresh = [...new Set(keys.filter((k) => !memo.has(k)))];
    const out = await m.measure(fresh.map((k) => conds[keys.indexOf(k)]));
    runs += out.length;
    out.forEach((v, i) => memo.set(fresh[i], v));
    // A measurer stopped part-way answers fewer conditions: the batch is incomplete, the analysis ends.
    const complete = out.length === fresh.length;
    done += complete ? conds.length : out.length;
    options.onProgress?.(done, total, label);
    if (!complete || options.shouldStop?.()) cancelled = true;
    return complete ? keys.map((k) => memo.get(k)!) : undefined;
  };
  const chance = await m.chance();
  await plan.prepare?.();
  const cleanM = (await batch([{ removed: [] }], 'clean run'))?.[0];
  const result = (circuits: TaskCircuit[], reuse: TaskPairReuse[] = [], patches: PatchResult[] = []): CircuitsResult => ({
    source: plan.source,
    intervention, threshold, seed, ...(plan.noReadoutFit ? {} : { readoutFit: options.retrain ? 'retrained' as const : 'frozen' as const }),
    components: set.all.map(({ id, kind, label, population, target, range, size }) => ({ id, kind, label, population, ...(target !== undefined ? { target } : {}), ...(range ? { range } : {}), size })),
    edges: set.edges, tasks: circuits, reuse, patches,
    runs: m.runs?.() ?? runs, seconds: (performance.now() - t0) / 1000, cancelled,
  });
  if (!cleanM) return result([]);

  // Importance: each component alone removed (one run gives every task's metric).
  const importance = new Map<string, Record<string, number>>();
  const which = perTask ? tasks : tasks.slice(0, 1);
  const single = await batch(measured.flatMap((id) => which.map((t) => ({ removed: [id], task: t.task }))), 'importance');
  if (single) {
    measured.forEach((id, k) => {
      const r: Record<string, number> = {};
      for (const t of tasks) r[t.readout] = single[k * which.length + (perTask ? which.indexOf(t) : 0)][t.readout];
      importance.set(id, r);
    });
  }

  // The greedy searches, side by side.
  const removed = tasks.map(() => [] as string[]);
  const current = tasks.map((t) => cleanM[t.readout]);
  const maxLen = Math.max(0, ...orders.map((o) => o.length));
  for (let step = 0; step < maxLen && !cancelled; step++) {
    const active = tasks.map((_, k) => k).filter((k) => step < orders[k].length);
    const got = await batch(active.map((k) => ({ removed: [...removed[k], orders[k][step]], task: tasks[k].task })), `search step ${step + 1} of ${maxLen}`);
    if (!got) break;
    active.forEach((k, q) => {
      const v = got[q][tasks[k].readout];
      if (current[k] - v < threshold) {
        removed[k].push(orders[k][step]);
        current[k] = v;
      }
    });
  }
  const circuits: TaskCircuit[] = tasks.map((t, k) => {
    const gone = new Set(removed[k]);
    const components = orders[k].filter((id) => !gone.has(id));
    // Importance of every component the task's readout can be reached from (the circuit's first,
    // in search order); the others cannot change it (0, not measured).
    const imp: Record<string, number> = {};
    for (const id of [...components, ...orders[k].filter((x) => gone.has(x))]) {
      const v = importance.get(id)?.[t.readout];
      if (v !== undefined) imp[id] = cleanM[t.readout] - v;
    }
    return { task: t.task, readout: t.readout, components, importance: imp, metric: { name: 'accuracy', clean: cleanM[t.readout], circuitOnly: current[k], circuitAblated: cleanM[t.readout], control: { mean: cleanM[t.readout], sd: 0, draws: 0 }, chance: chance[t.readout] } };
  });
  if (cancelled) return result(circuits);

  // The circuit ablated, and the control: as many random searchable components, `draws` times.
  const rng = new Rng(seed);
  const conds: Condition[] = [];
  circuits.forEach((c, k) => {
    // The circuit removed; the circuit alone (every other component removed, also those the
    // search dropped unmeasured); then the control's draws.
    const kept = new Set(c.components);
    conds.push({ removed: c.components, task: tasks[k].task }, { removed: searchable.filter((id) => !kept.has(id)), task: tasks[k].task });
    for (let d = 0; d < draws; d++) {
      const pool = [...searchable];
      for (let i = pool.length - 1; i > 0; i--) {
        const j = Math.floor(rng.uniform(i, d, ABLATION_STREAM, 0x10000 + k) * (i + 1));
        [pool[i], pool[j]] = [pool[j], pool[i]];
      }
      conds.push({ removed: pool.slice(0, c.components.length), task: tasks[k].task });
    }
  });
  const ab = await batch(conds, 'circuit ablation and control');
  if (ab) {
    circuits.forEach((c, k) => {
      const base = k * (draws + 2);
      c.metric.circuitAblated = ab[base][c.readout];
      c.metric.circuitOnly = ab[base + 1][c.readout];
      const ctl = ab.slice(base + 2, base + 2 + draws).map((r) => r[c.readout]);
      c.metric.control = { mean: mean(ctl), sd: sd(ctl), draws };
    });
  }
  const reuse: TaskPairReuse[] = [];
  for (let a = 0; a < circuits.length; a++) for (let b = a + 1; b < circuits.length; b++) reuse.push(reuseOf(circuits[a].task, circuits[a].components, circuits[b].task, circuits[b].components));

  // Merullo's patch: B's own run, the shared components' activity from A's own run.
  const patches: PatchResult[] = [];
  if (!cancelled && patchPairs.length) {
    const pc: Condition[] = [];
    const shared = patchPairs.map(([a, b]) => {
      const ca = circuits[tasks.indexOf(a)].components;
      const cb = new Set(circuits[tasks.indexOf(b)].components);
      return ca.filter((id) => cb.has(id));
    });
    patchPairs.forEach(([a, b], k) => pc.push({ removed: [], only: b.task }, { removed: [], only: b.task, patch: { components: shared[k], from: a.task } }));
    const got = await batch(pc, 'patching');
    if (got) patchPairs.forEach(([a, b], k) => patches.push({ from: a.task, to: b.task, components: shared[k], before: got[2 * k][b.readout], after: got[2 * k + 1][b.readout] }));
  }
  return result(circuits, reuse, patches);
}
