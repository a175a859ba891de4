// IR → execution plan: one linear memory holding structure-of-arrays state (Float32Array per
// population and variable), per-neuron parameters, refractory counters, spike lists, synapses
// in CSR by presynaptic neuron and delay ring buffers. Connectivity, initial values, weights
// and delays are drawn here from the counter-based generator (rng.ts). No I/O: the files a
// model reads come in `files`; a plan is a function of (IR, seed, files). Refusals before
// drawing are limits.ts's checkRun (steps, estimate.ts's memory estimate, kernel work, probes).
import type { ConnectionIR, ExprIR, ModelDefIR, ModelIR, SelectorIR, StatementIR } from '../../../protocol/ir';
import { expectedSynapses, type MemoryEstimate } from './estimate';
import { parseEdgeList, parseEventFile, SpikeSchedule, type InputFile, type InputFileKind } from './input-files';
import { checkRun, fmtBytes, PlanError } from './limits';
import { evalExpr } from './expr';
import { Rng, Stream, draw } from './rng';
import { inSynapseOrder } from './values';
import { compileCondition, holds } from './index-rule';

export interface PopPlan {
  index: number;
  name: string;
  kind: 'neuron' | 'poisson' | 'spike_array' | 'event_file';
  size: number;
  model?: ModelDefIR;
  /** Byte offsets of Float32Array[size] per state variable. */
  state: Map<string, number>;
  /** Homogeneous parameters as numbers; heterogeneous ones as offsets of Float32Array[size]. */
  params: Map<string, { value: number } | { offset: number }>;
  refrOffset: number;
  /** Refractory period in steps (constant) or offset of Int32Array[size]. */
  refrSteps: { value: number } | { offset: number };
  countOffset: number;
  listOffset: number;
  /** Initial state, copied into memory before the run. */
  initial: Map<string, Float32Array>;
  /** Poisson: spike probability per step (constant) or offset of Float32Array[size]. */
  poissonP?: { value: number } | { offset: number };
  poissonSteps?: [number, number];
  /** Poisson: the four Philox words of the current block of four steps, per source. */
  poissonWordsOffset?: number;
  /** spike_array / event_file: the sources spiking at each step. */
  arraySpikes?: SpikeSchedule;
  /** Scheduled operations (IR `schedules`) in steps: every `every` steps from 0, or at the steps `at`. */
  schedules?: { every?: number; at?: number[]; statements: StatementIR[] }[];
  /** Linked parameters (IR `links`), copied at the start of every step. */
  links?: LinkPlan[];
  /**
   * A partition's own neurons [from, to) (PlanOptions.partition): the only ones it updates,
   * whose input it receives and whose spikes it sends. Absent: all of them.
   */
  own?: [number, number];
}

/**
 * A linked parameter: the Float32Array[size] at `offset` is set, at the start of every step,
 * from the source's Float32Array at `from`: element i from element i (`same`), from element 0
 * (`one`), or from element index[i] (Int32Array[size] at `index`, written by the plan).
 * `from` undefined: the source variable is a constant parameter, copied once (initial values).
 */
export interface LinkPlan {
  parameter: string;
  offset: number;
  source: PopPlan;
  variable: string;
  from?: number;
  map: { kind: 'same' } | { kind: 'one' } | { kind: 'index'; offset: number };
}

export interface RingPlan {
  target: PopPlan;
  variable: string;
  slots: number;
  offset: number;
}

export interface ProjPlan {
  index: number;
  /** Index of its connection in ir.connections. */
  connection: number;
  source: PopPlan;
  target: PopPlan;
  src: [number, number];
  tgt: [number, number];
  ring: RingPlan;
  synapses: number;
  rowptrOffset: number;
  colOffset: number;
  weightOffset: number;
  /** Constant delay in steps, or offset of Int32Array[synapses]. */
  delay: { value: number } | { offset: number };
  /** Row pointers (kept in JS too, small); columns, weights and delays live only in memory. */
  rowptr: Int32Array;
  plastic?: PlasticPlan;
  /** Every synapse has this weight (static, constant): propagation reads no weight array. */
  constWeight?: number;
  /** Dendritic segments (the connection's `segments`): CSR columns are segment indices. */
  segments?: SegmentPlan;
  /** A connection's pathway after the first (1, 2, …): the first one's synapses, its own statement, weights' sign and delay. */
  pathway?: number;
}

/**
 * Per-segment coincidence counters of a projection with dendritic segments. Segment g (of
 * G = count × target neurons) belongs to local target neuron floor(g / count). A synapse is
 * active during the `steps` steps from its last presynaptic spike; `window` holds, for each of
 * the last `steps` steps (row t mod steps), how many of each segment's active synapses became
 * active then, so that expiring a step is one subtraction per segment.
 */
export interface SegmentPlan {
  count: number;
  threshold: number;
  /** Window in steps (≥ 1). */
  steps: number;
  /** Segments in this projection (count × local target neurons). */
  segments: number;
  /** Int32Array[segments]: active synapses per segment. */
  activeOffset: number;
  /** Int32Array[segments]: 1 from a segment's event until its count falls below threshold. */
  firedOffset: number;
  /** Int32Array[steps × segments]: synapses that became active at each step of the window. */
  windowOffset: number;
  /** Int32Array[synapses]: step of each synapse's last presynaptic spike. */
  lastOffset: number;
}

/** A projection whose synapses carry state and run a synapse model's statements. */
export interface PlasticPlan {
  model: ModelDefIR;
  params: Map<string, number>;
  /** Per-synapse state variables: offset of Float32Array[synapses]. */
  state: Map<string, number>;
  /** Step of each synapse's last update (event-driven decay of its traces). */
  lastOffset: number;
  /** Local source index of each synapse. */
  srcOffset: number;
  /** Synapses by target (CSC): colptr[nt + 1] and synapse ids. */
  colptrOffset: number;
  synIdxOffset: number;
  /**
   * Delayed presynaptic spikes: `slots` rows of `capacity` entries + a count per slot. With a
   * constant delay an entry is a local source index; with per-synapse delays (`delayRuns`) it is
   * the first synapse of a run of one source's synapses that share a delay (rows are sorted by
   * delay), so one entry stands for all synapses due in the same step.
   */
  queue?: { slots: number; capacity: number; rowsOffset: number; countsOffset: number; delayRuns: boolean };
  /** The population `mod.x` reads (its neuron 0). */
  mod?: PopPlan;
}

export interface CurrentStep {
  pop: PopPlan;
  variable: string;
  from: number;
  to: number;
  steps: number[];
  values: number[];
}

export interface Plan {
  ir: ModelIR;
  dt: number;
  steps: number;
  seed: number;
  pops: PopPlan[];
  projs: ProjPlan[];
  rings: RingPlan[];
  currentSteps: CurrentStep[];
  /** NaN/Inf report: [flag, population, variable, neuron, step] as Int32 at this offset. */
  errOffset: number;
  bytes: number;
  /** The run's memory limit (bytes): its own memory, files read and its recordings together. */
  memoryLimit: number;
  /** Bytes of event files and edge lists read while building (counted against the limit). */
  inputFileBytes: number;
  estimate: MemoryEstimate;
  /** The run's memory, synapses already in it (plan.ts's Allocator). */
  memory: WebAssembly.Memory;
}

export interface PlanOptions {
  /**
   * Largest memory the run may use (bytes): its linear memory (WASM32: at most 4 GiB), the
   * files it reads and its recordings (spikes, probes) together. Default 4 GiB.
   */
  memoryLimit?: number;
  seed?: number;
  duration?: number;
  /**
   * The event files and edge lists the model reads, keyed by the path as the IR writes it
   * (input-files.ts inputFilesOf), read before planning (node-files.ts on Node). A model that
   * reads a file missing here is refused naming it: planning does no I/O.
   */
  files?: ReadonlyMap<string, InputFile>;
  /** Polled while building; true stops the build (PlanError 'cancelled'). */
  shouldStop?: () => boolean;
  /** Build progress of long steps (connection rules that test neuron pairs), about every 100 ms. */
  onBuildProgress?: (done: number, total: number, what: string) => void;
  /**
   * Plan partition `index` of `count` (sim-host/src/partition): every neuron's state is laid
   * out, but the partition owns a range of each population's neurons and sources (ownRange) and
   * keeps only the synapses onto its own neurons, drawn with their whole-network indices, so that
   * every value is the one the whole plan draws. The memory limit holds per partition.
   */
  partition?: { index: number; count: number; rows?: RowSharing };
}

/**
 * Drawing a projection's rows (by source) shared among a partitioned run's workers: each draws
 * some rows with `draw` (the same counters the whole plan uses) and gets every row back, in
 * order; undefined when they do not fit the shared space (then each worker draws every row).
 * Every worker calls it for the same projections in the same order (it meets the others).
 */
export interface RowSharing {
  rows(ns: number, draw: (i: number, push: (j: number) => void) => void): { rowptr: Int32Array; col: Int32Array } | undefined;
}

/**
 * Neurons [from, to) of a population of `size` that partition `index` of `count` owns:
 * contiguous ranges in order, cut at multiples of four (whole SIMD lanes), the last one
 * shorter or empty.
 */
export function ownRange(size: number, index: number, count: number): [number, number] {
  const chunk = Math.max(4, Math.ceil(size / count / 4) * 4);
  const from = Math.min(size, index * chunk);
  return [from, Math.min(size, from + chunk)];
}

/** A population's neurons this plan updates: its partition's range, else all. */
export function ownOf(p: PopPlan): [number, number] {
  return p.own ?? [0, p.size];
}

/**
 * Lays out the run's memory and owns it: a WebAssembly.Memory that grows as space is
 * allocated, so that synapse arrays are written into it once, where the run reads them, with
 * no second copy in JS (peak memory ≈ the run's own). Views from f32/i32 are invalidated by
 * the next alloc (a grow detaches the buffer): take them after allocating.
 */
class Allocator {
  bytes = 64; // keep address 0 unused
  readonly memory = new WebAssembly.Memory({ initial: 1 });
  constructor(private limit: number) {}
  alloc(n: number, align = 16): number {
    this.bytes = Math.ceil(this.bytes / align) * align;
    const at = this.bytes;
    this.bytes += Math.max(n, 4);
    if (this.bytes > this.limit) throw new PlanError(`this run needs more than ${fmtBytes(this.limit)} (found while drawing its synapses); reduce population sizes or connection probabilities`, 'memory');
    const pages = Math.ceil(this.bytes / 65536);
    const have = this.memory.buffer.byteLength / 65536;
    if (pages > have) this.memory.grow(pages - have);
    return at;
  }
  /** Gives back the end of the last allocation (untouched memory stays zero). */
  trim(end: number): void {
    this.bytes = Math.min(this.bytes, Math.max(64, end));
  }
  f32(offset: number, n: number): Float32Array {
    return new Float32Array(this.memory.buffer, offset, n);
  }
  i32(offset: number, n: number): Int32Array {
    return new Int32Array(this.memory.buffer, offset, n);
  }
}

/**
 * A selector's neurons, refused when they are not all in the population: clamping would run
 * another slice than the one written (and an empty one, from > to after clamping, broke the
 * synapse drawing). The checker reports this with its place; this guards IR from elsewhere.
 */
function selectorRange(sel: SelectorIR, size: number, what: string): [number, number] {
  if (!(Number.isInteger(sel.from) && Number.isInteger(sel.to) && sel.from >= 0 && sel.from <= sel.to && sel.to < size)) {
    throw new PlanError(`${what}: ${sel.name}[${sel.from}..${sel.to}] is not a slice of ${sel.name} (size ${size}, indices 0..${size - 1})`);
  }
  return [sel.from, sel.to];
}

export function buildPlan(ir: ModelIR, opts: PlanOptions = {}): Plan {
  const seed = opts.seed ?? ir.simulate.seed;
  const { dt, steps, totalLimit, limit, estimate: est } = checkRun(ir, { ...opts, partitions: opts.partition?.count });
  const part = opts.partition;
  const owned = (p: PopPlan): void => {
    if (part && part.count > 1) p.own = ownRange(p.size, part.index, part.count);
  };
  // Event files and edge lists come read (files, keyed by the path as the IR writes it); each
  // use is counted against the memory limit, as when they were read here.
  let inputFileBytes = 0;
  const readInput = (file: string, what: InputFileKind): InputFile => {
    const f = opts.files?.get(file);
    if (!f) throw new PlanError(`cannot read the ${what} ${file}: ${opts.files ? 'it was not read before planning' : 'this run reads files, not available here'}`, 'input');
    inputFileBytes += f.bytes.length;
    return f;
  };
  const rng = new Rng(seed);
  const mem = new Allocator(limit);
  const pops: PopPlan[] = [];
  const byName = new Map<string, PopPlan>();
  const errOffset = mem.alloc(32);

  const newPop = (name: string, kind: PopPlan['kind'], size: number, model?: ModelDefIR): PopPlan => {
    const p: PopPlan = {
      index: pops.length, name, kind, size, model, state: new Map(), params: new Map(),
      refrOffset: 0, refrSteps: { value: 0 }, countOffset: mem.alloc(4), listOffset: mem.alloc(4 * size), initial: new Map(),
    };
    pops.push(p);
    byName.set(name, p);
    return p;
  };

  for (const popIR of ir.populations) {
    const model = ir.models[popIR.model];
    const p = newPop(popIR.name, 'neuron', popIR.size, model);
    owned(p);
    const n = popIR.size;
    // Parameters: defaults, overridden by the population (constant or per neuron).
    const perNeuron = new Map<string, Float64Array>();
    // A parameter a scheduled operation assigns is stored per neuron, whatever its value.
    const assigned = new Set((popIR.schedules ?? []).flatMap((sc) => sc.statements.flatMap((st) => (st.target.kind === 'param' ? [st.target.name] : []))));
    // So is a linked parameter (set from its source every step; planLinks fills it).
    for (const l of popIR.links ?? []) assigned.add(l.parameter);
    model.parameters.forEach((par, k) => {
      const v = popIR.parameters[par.name];
      if ((v && v.kind !== 'const') || assigned.has(par.name)) {
        const arr = new Float64Array(n);
        for (let i = 0; i < n; i++) arr[i] = v ? draw(rng, v, i, 1000 + k, Stream.init, p.index) : par.default ?? 0;
        perNeuron.set(par.name, arr);
        const off = mem.alloc(4 * n);
        p.params.set(par.name, { offset: off });
        p.initial.set(`param:${par.name}`, Float32Array.from(arr));
      } else {
        p.params.set(par.name, { value: v ? v.value : par.default ?? 0 });
      }
    });
    const paramAt = (name: string, i: number) => {
      const a = perNeuron.get(name);
      if (a) return a[i];
      const c = p.params.get(name);
      return c && 'value' in c ? c.value : NaN;
    };
    // State: population initial values, else the model's init expression per neuron.
    const values = new Map<string, Float64Array>();
    model.state.forEach((sv, k) => {
      p.state.set(sv.name, mem.alloc(4 * n));
      const arr = new Float64Array(n);
      const v = popIR.init[sv.name];
      for (let i = 0; i < n; i++) {
        arr[i] = v
          ? draw(rng, v, i, k, Stream.init, p.index)
          : evalExpr(sv.init, {
              param: (x) => paramAt(x, i),
              state: (x) => values.get(x)?.[i] ?? NaN,
              builtin: (b) => (b === 'i' ? i : b === 'N' ? n : b === 'dt' ? dt : 0),
            });
      }
      values.set(sv.name, arr);
      p.initial.set(sv.name, Float32Array.from(arr));
    });
    if (popIR.schedules?.length) p.schedules = scheduleSteps(popIR.schedules, dt, p.name);
    p.refrOffset = mem.alloc(4 * n);
    if (model.refractory) {
      const stepsOf = (i: number) => Math.max(0, Math.round(evalExpr(model.refractory!, { param: (x) => paramAt(x, i), state: () => NaN, builtin: (b) => (b === 'dt' ? dt : b === 'i' ? i : b === 'N' ? n : 0) }) / dt));
      const first = stepsOf(0);
      let same = true;
      const arr = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        arr[i] = stepsOf(i);
        if (arr[i] !== first) same = false;
      }
      if (same) p.refrSteps = { value: first };
      else {
        p.refrSteps = { offset: mem.alloc(4 * n) };
        p.initial.set('refr-steps', new Float32Array(arr.buffer.slice(0)));
      }
    } else if (model.refractory_when) {
      // `refractory when`: the counter is 1 from a spike until a step begins with the condition
      // false (the backends clear it there instead of counting down).
      p.refrSteps = { value: 1 };
    }
  }

  planLinks(ir, pops, mem);

  const currentSteps: CurrentStep[] = [];
  for (const inp of ir.inputs) {
    switch (inp.kind) {
      case 'poisson': {
        const p = newPop(inp.name, 'poisson', inp.size);
        owned(p);
        if (inp.rate.kind === 'const') p.poissonP = { value: inp.rate.value * dt };
        else {
          const arr = new Float32Array(inp.size);
          for (let i = 0; i < inp.size; i++) arr[i] = draw(rng, inp.rate, i, 0, Stream.init, p.index) * dt;
          p.poissonP = { offset: mem.alloc(4 * inp.size) };
          p.initial.set('poisson-p', arr);
        }
        p.poissonSteps = [Math.round((inp.start ?? 0) / dt), inp.stop !== undefined ? Math.round(inp.stop / dt) : steps];
        p.poissonWordsOffset = mem.alloc(16 * inp.size);
        break;
      }
      case 'spike_array': {
        const p = newPop(inp.name, 'spike_array', inp.size);
        const period = inp.period ? Math.max(1, Math.round(inp.period / dt)) : 0;
        p.arraySpikes = new SpikeSchedule(period, steps);
        for (let k = 0; k < inp.times.length; k++) p.arraySpikes.add(Math.round(inp.times[k] / dt), inp.indices[k]);
        break;
      }
      case 'event_file': {
        const p = newPop(inp.name, 'event_file', inp.size);
        const f = readInput(inp.file, 'event file');
        p.arraySpikes = parseEventFile(f.bytes, f.name, inp.size, dt, steps);
        break;
      }
      case 'current_step':
        break;
    }
  }
  for (const pr of ir.probes) {
    for (const sel of pr.targets) {
      const pop = byName.get(sel.name);
      if (pop) selectorRange(sel, pop.size, `probe ${pr.variable}(${sel.name})`);
    }
  }
  for (const inp of ir.inputs) {
    if (inp.kind !== 'current_step') continue;
    const pop = byName.get(inp.target.name)!;
    const [from, to] = selectorRange(inp.target, pop.size, `current_step ${inp.name}`);
    currentSteps.push({ pop, variable: inp.target.variable, from, to, steps: inp.times.map((x) => Math.round(x / dt)), values: inp.values });
  }

  // Projections: one per (source selector, target selector) pair of each connection.
  const rings = new Map<string, RingPlan>();
  const projs: ProjPlan[] = [];
  const pending: { ring: RingPlan; maxDelay: number }[] = [];
  ir.connections.forEach((whole, connection) => {
    // With pathways the synapses are drawn for the first (its statement and delay); the others
    // are projections over the same columns (below).
    const c = firstPathway(whole);
    const synModel = c.synapse ? ir.models[c.synapse.model] : undefined;
    const plasticModel = synModel && isPlastic(synModel) ? synModel : undefined;
    const stmt = plasticModel ? { variable: c.target ?? '', sign: 1 } : deliveredStatement(c);
    for (const s of c.sources) for (const t of c.targets) {
      const source = byName.get(s.name)!;
      const target = byName.get(t.name)!;
      const src = selectorRange(s, source.size, `connection ${whole.name ?? connection + 1}, source`);
      const tgt = selectorRange(t, target.size, `connection ${whole.name ?? connection + 1}, target`);
      const variable = stmt.variable;
      if (!target.state.has(variable)) throw new PlanError(`connection into ${t.name}: ${target.model?.name} has no state variable '${variable}'`);
      const key = `${target.name}.${variable}`;
      let ring = rings.get(key);
      if (!ring) {
        ring = { target, variable, slots: 1, offset: 0 };
        rings.set(key, ring);
      }
      const projIndex = projs.length;
      const layoutOf = (name: string) => ir.populations.find((q) => q.name === name)?.layout;
      // With dendritic segments the rule's targets are the segments: g = j·count + q.
      const K = c.segments?.count ?? 1;
      const tgtPos = positions(layoutOf(t.name), target.size, tgt[0]);
      const tgtAngle = angles(target.size, tgt[0]);
      const where = { src: positions(layoutOf(s.name), source.size, src[0]), tgt: (g: number) => tgtPos(Math.floor(g / K)), srcAngle: angles(source.size, src[0]), tgtAngle: (g: number) => tgtAngle(Math.floor(g / K)) };
      // Columns are drawn straight into the run's memory where the rule allows (a typed array
      // from the expected count, trimmed to the drawn one), else copied there once.
      let sinkAt = -1;
      const sink = (capacity: number) => {
        // a partition keeps some of them (below): drawn outside memory, then filtered into it
        if (target.own || mem.bytes + 4 * capacity > limit) return new Int32Array(capacity);
        sinkAt = mem.alloc(4 * capacity);
        return mem.i32(sinkAt, capacity);
      };
      const build: BuildHooks = { readInput, shouldStop: opts.shouldStop, progress: opts.onBuildProgress, label: `${c.name ?? `${s.name} -> ${t.name}`} (${c.rule.kind})`, rows: part && part.count > 1 ? part.rows : undefined };
      const full = connect(c, rng, projIndex, src[1] - src[0] + 1, (tgt[1] - tgt[0] + 1) * K, !c.segments && source === target && src[0] === tgt[0], where, sink, build);
      // A partition's synapses: those onto its own neurons, with their indices in the whole
      // network (weights and delays are drawn by those, as the whole plan draws them).
      const kept = target.own ? keepTargets(full, target.own[0] - tgt[0], target.own[1] - tgt[0], K) : undefined;
      const drawn = kept ?? full;
      const counter = kept ? (k: number) => kept.global[k] : (k: number) => k;
      const nsyn = drawn.col.length;
      const rowptr = drawn.rowptr;
      let colOffset: number;
      if (sinkAt >= 0 && drawn.col.buffer === mem.memory.buffer && drawn.col.byteOffset === sinkAt) {
        colOffset = sinkAt;
        mem.trim(sinkAt + 4 * nsyn);
      } else {
        colOffset = mem.alloc(4 * nsyn);
        mem.i32(colOffset, nsyn).set(drawn.col);
      }
      // the columns as they are now (a view: take it after the last allocation before use)
      const built = () => ({ rowptr, col: mem.i32(colOffset, nsyn) });
      const rowptrOffset = mem.alloc(4 * rowptr.length);
      const weightOffset = mem.alloc(4 * nsyn);
      let delay: ProjPlan['delay'] = { value: 0 };
      let delays: Int32Array | undefined;
      let maxDelay = 0;
      if (c.delay) {
        if (c.delay.kind === 'const') {
          delay = { value: Math.max(0, Math.round(c.delay.value / dt)) };
          maxDelay = delay.value;
        } else {
          delay = { offset: mem.alloc(4 * nsyn) };
          delays = mem.i32(delay.offset, nsyn);
          const dv = inSynapseOrder(c.delay, c.rule, built(), tgt[1] - tgt[0] + 1);
          const tick = rowTicker(build, nsyn, 1, 'drawing delays of');
          for (let k = 0; k < nsyn; k++) {
            tick(k);
            delays[k] = Math.max(1, Math.round(draw(rng, dv, dv.kind === 'list' ? k : counter(k), 0, Stream.delay, projIndex) / dt));
            if (delays[k] > maxDelay) maxDelay = delays[k];
          }
        }
      }
      // Weights are drawn straight into the run's memory.
      const weight = mem.f32(weightOffset, nsyn);
      const wv = inSynapseOrder(c.weight, c.rule, built(), tgt[1] - tgt[0] + 1);
      const tick = wv.kind === 'const' ? () => undefined : rowTicker(build, nsyn, 1, 'drawing weights of');
      for (let k = 0; k < nsyn; k++) {
        tick(k);
        weight[k] = stmt.sign * draw(rng, wv, wv.kind === 'list' ? k : counter(k), 0, Stream.weight, projIndex);
      }
      pending.push({ ring, maxDelay });
      let plastic: PlasticPlan | undefined;
      if (plasticModel) {
        if (delays) sortRowsByDelay(built(), weight, delays);
        plastic = plasticPlan(plasticModel, c, rowptr, colOffset, nsyn, tgt[1] - tgt[0] + 1, src[1] - src[0] + 1, 'offset' in delay ? { maxDelay, delays: mem.i32(delay.offset, nsyn) } : delay, mem, byName, dt);
      }
      let segments: SegmentPlan | undefined;
      if (c.segments) {
        if (plastic || delays || ('value' in delay && delay.value > 0)) throw new PlanError('segment connections take no synapse model and no delays');
        segments = segmentPlan(c.segments, (tgt[1] - tgt[0] + 1) * K, nsyn, dt, mem);
      }
      mem.i32(rowptrOffset, rowptr.length).set(rowptr);
      projs.push({
        index: projIndex, connection, source, target, src, tgt, ring, synapses: nsyn, rowptrOffset, colOffset, weightOffset,
        delay, rowptr, plastic,
        constWeight: !plastic && c.weight.kind === 'const' ? Math.fround(stmt.sign * c.weight.value) : undefined,
        segments,
      });
      (whole.pathways ?? []).slice(1).forEach((pw, k) => {
        const st = deliveredStatement({ ...whole, on_pre: pw.on_pre });
        if (!target.state.has(st.variable)) throw new PlanError(`connection into ${t.name}: ${target.model?.name} has no state variable '${st.variable}'`);
        const key2 = `${target.name}.${st.variable}`;
        let ring2 = rings.get(key2);
        if (!ring2) {
          ring2 = { target, variable: st.variable, slots: 1, offset: 0 };
          rings.set(key2, ring2);
        }
        const steps2 = Math.max(0, Math.round((pw.delay ?? 0) / dt));
        // Its own weights: the first pathway's with this pathway's sign.
        const w2 = mem.alloc(4 * nsyn);
        mem.f32(w2, nsyn).set(mem.f32(weightOffset, nsyn).map((x) => x * st.sign * stmt.sign));
        pending.push({ ring: ring2, maxDelay: steps2 });
        projs.push({
          index: projs.length, connection, source, target, src, tgt, ring: ring2, synapses: nsyn, rowptrOffset, colOffset, weightOffset: w2,
          delay: { value: steps2 }, rowptr, pathway: k + 1,
          constWeight: c.weight.kind === 'const' ? Math.fround(st.sign * c.weight.value) : undefined,
        });
      });
    }
  });
  for (const { ring, maxDelay } of pending) ring.slots = Math.max(ring.slots, maxDelay + 1);
  for (const ring of rings.values()) ring.offset = mem.alloc(4 * ring.slots * ring.target.size);
  for (const cs of currentSteps) {
    if (!cs.pop.state.has(cs.variable)) throw new PlanError(`current_step target ${cs.pop.name}.${cs.variable} is not a state variable`);
  }
  if (mem.bytes > limit) throw new PlanError(`this run needs ${fmtBytes(mem.bytes)}, more than the ${fmtBytes(limit)} allowed; reduce population sizes or connection probabilities`, 'memory');
  return { ir, dt, steps, seed, pops, projs, rings: [...rings.values()], currentSteps, errOffset, bytes: mem.bytes, memoryLimit: totalLimit, inputFileBytes, estimate: est, memory: mem.memory };
}

/** Counters of a segment projection; every synapse starts inactive (last spike long ago). */
function segmentPlan(seg: NonNullable<ConnectionIR['segments']>, segments: number, nsyn: number, dt: number, mem: Allocator): SegmentPlan {
  const steps = Math.max(1, Math.round(seg.window / dt));
  const plan: SegmentPlan = {
    count: seg.count, threshold: seg.threshold, steps, segments,
    activeOffset: mem.alloc(4 * segments), firedOffset: mem.alloc(4 * segments),
    windowOffset: mem.alloc(4 * steps * segments), lastOffset: mem.alloc(4 * nsyn),
  };
  mem.i32(plan.lastOffset, nsyn).fill(-0x40000000);
  return plan;
}

/** A synapse model with its own state, equations or on_post: its synapses are plastic. */
/**
 * What a probe of `variable` (`w` or a synapse variable) on connection `name`, synapses
 * from..to, reads from the plan's memory: regions copied in order, the synapse numbers
 * (counted across the connection's projections) and each synapse's global pre/post neuron.
 * Undefined when `name` is not a connection or it has no such variable.
 */
export function synapseProbe(plan: Plan, name: string, from: number, to: number, variable: string): { indices: number[]; parts: { byteOffset: number; n: number }[]; synapses: { pre: number[]; post: number[] } } | undefined {
  const ci = plan.ir.connections.findIndex((c) => c.name === name);
  if (ci < 0) return undefined;
  const parts: { byteOffset: number; n: number }[] = [];
  const pre: number[] = [];
  const post: number[] = [];
  let total = 0;
  for (const pr of plan.projs) {
    if (pr.connection !== ci || pr.pathway) continue;
    const off = variable === 'w' ? pr.weightOffset : pr.plastic?.state.get(variable);
    if (off === undefined) return undefined;
    const col = new Int32Array(plan.memory.buffer, pr.colOffset, pr.synapses);
    const a = Math.max(0, from - total);
    const b = Math.min(pr.synapses - 1, to - total);
    if (b >= a) {
      parts.push({ byteOffset: off + 4 * a, n: b - a + 1 });
      for (let r = 0; r + 1 < pr.rowptr.length; r++) {
        for (let s = Math.max(pr.rowptr[r], a); s < Math.min(pr.rowptr[r + 1], b + 1); s++) {
          pre.push(pr.src[0] + r);
          post.push(pr.tgt[0] + col[s]);
        }
      }
    }
    total += pr.synapses;
  }
  const indices: number[] = [];
  for (let k = Math.max(0, from); k <= Math.min(to, total - 1); k++) indices.push(k);
  return { indices, parts, synapses: { pre, post } };
}

/** A population's scheduled operations in whole steps (the checker made the times whole steps). */
/**
 * The populations' linked parameters: each against its source (a population other than the
 * reader, a state variable or a parameter that is not linked itself, sizes or an index that
 * fit). The parameter starts as the source's initial value; an index array is written into the
 * run's memory here, as synapses are.
 */
function planLinks(ir: ModelIR, pops: PopPlan[], mem: Allocator): void {
  const linked = new Set(ir.populations.flatMap((q) => (q.links ?? []).map((l) => `${q.name}.${l.parameter}`)));
  for (const [k, popIR] of ir.populations.entries()) {
    const p = pops[k];
    for (const l of popIR.links ?? []) {
      const what = `population ${p.name}: ${l.parameter} = linked(${l.source}.${l.variable})`;
      const src = pops.find((q) => q.name === l.source && q.kind === 'neuron');
      if (!src) throw new PlanError(`${what}: ${l.source} is not a population`);
      if (src === p) throw new PlanError(`${what}: a link reads another population`);
      if (linked.has(`${src.name}.${l.variable}`)) throw new PlanError(`${what}: ${l.source}.${l.variable} is linked itself (links are not chained)`);
      const par = p.params.get(l.parameter);
      if (!par || !('offset' in par) || !p.model!.parameters.some((x) => x.name === l.parameter)) throw new PlanError(`${what}: ${l.parameter} is not a parameter of ${p.model!.name}`);
      const sp = src.params.get(l.variable);
      const from = src.state.get(l.variable) ?? (sp && 'offset' in sp ? sp.offset : undefined);
      if (from === undefined && !sp) throw new PlanError(`${what}: ${l.variable} is not a state variable or parameter of ${src.model!.name}`);
      const n = p.size;
      let map: LinkPlan['map'];
      let at: (i: number) => number;
      if (l.index) {
        if (l.index.length !== n || l.index.some((x) => !(Number.isInteger(x) && x >= 0 && x < src.size))) throw new PlanError(`${what}: the index needs ${n} whole numbers in 0..${src.size - 1}`);
        const off = mem.alloc(4 * n);
        mem.i32(off, n).set(l.index);
        map = { kind: 'index', offset: off };
        at = (i) => l.index![i];
      } else if (src.size === n) {
        map = { kind: 'same' };
        at = (i) => i;
      } else if (src.size === 1) {
        map = { kind: 'one' };
        at = () => 0;
      } else throw new PlanError(`${what}: ${l.source} has ${src.size} neurons and ${p.name} ${n}; give an index`);
      const init = from !== undefined ? src.initial.get(src.state.has(l.variable) ? l.variable : `param:${l.variable}`)! : undefined;
      const value = sp && 'value' in sp ? sp.value : NaN;
      p.initial.set(`param:${l.parameter}`, Float32Array.from({ length: n }, (_, i) => (init ? init[at(i)] : value)));
      (p.links ??= []).push({ parameter: l.parameter, offset: par.offset, source: src, variable: l.variable, from, map });
    }
  }
}

function scheduleSteps(list: NonNullable<ModelIR['populations'][number]['schedules']>, dt: number, pop: string): NonNullable<PopPlan['schedules']> {
  const steps = (x: number, what: string) => {
    const k = Math.round(x / dt);
    if (!(Math.abs(x / dt - k) <= 1e-4) || k < 0) throw new PlanError(`population ${pop}: ${what} ${x} s is not a whole number of steps of dt = ${dt} s`);
    return k;
  };
  return list.map((sc) => {
    if (sc.every !== undefined) {
      const k = steps(sc.every, 'the interval of every');
      if (k < 1) throw new PlanError(`population ${pop}: the interval of every is shorter than dt`);
      return { every: k, statements: sc.statements };
    }
    return { at: [...new Set((sc.at ?? []).map((x) => steps(x, 'the time of at')))].sort((a, b) => a - b), statements: sc.statements };
  });
}

/** The state variables held while refractory: `holding [...]`, else those `reset` assigns. */
export function heldVariables(m: ModelDefIR): Set<string> {
  if (m.refractory_holds) return new Set(m.refractory_holds);
  return new Set(m.reset.filter((s) => s.target.kind === 'state').map((s) => (s.target as { name: string }).name));
}

/** Whether input to `variable` is dropped while the neuron is refractory (Brian2 conditions
 * every write to an `(unless refractory)` variable on not_refractory). */
export function gatesInput(m: ModelDefIR | undefined, variable: string): boolean {
  return !!m && (!!m.refractory || !!m.refractory_when) && heldVariables(m).has(variable);
}

/** Synapse models run per synapse (plasticPlan): with state, on_post or a summed variable. */
export function isPlastic(m: ModelDefIR): boolean {
  return m.state.length > 0 || m.on_post.length > 0 || m.odes.length > 0 || !!m.summed?.length;
}

/** Orders each source's synapses by delay (carrying column and weight along), stably. */
function sortRowsByDelay(built: { rowptr: Int32Array; col: Int32Array }, weight: Float32Array, delays: Int32Array): void {
  for (let r = 0; r + 1 < built.rowptr.length; r++) {
    const a = built.rowptr[r];
    const b = built.rowptr[r + 1];
    if (b - a < 2) continue;
    const idx = Array.from({ length: b - a }, (_, k) => a + k).sort((x, y) => delays[x] - delays[y] || x - y);
    const col = idx.map((k) => built.col[k]);
    const w = idx.map((k) => weight[k]);
    const d = idx.map((k) => delays[k]);
    built.col.set(col, a);
    weight.set(w, a);
    delays.set(d, a);
  }
}

function plasticPlan(model: ModelDefIR, c: ConnectionIR, rowptr: Int32Array, colOffset: number, nsyn: number, nt: number, ns: number, delay: ProjPlan['delay'] | { maxDelay: number; delays: Int32Array }, mem: Allocator, byName: Map<string, PopPlan>, dt: number): PlasticPlan {
  const params = new Map(Object.entries(c.synapse!.parameters));
  const state = new Map<string, number>();
  for (const sv of model.state) state.set(sv.name, mem.alloc(4 * nsyn));
  let queue: PlasticPlan['queue'];
  if ('delays' in delay) {
    // One entry per (source, distinct delay) run; a slot can hold them all.
    let runs = 0;
    for (let r = 0; r < ns; r++) for (let s = rowptr[r]; s < rowptr[r + 1]; s++) if (s === rowptr[r] || delay.delays[s] !== delay.delays[s - 1]) runs++;
    const slots = delay.maxDelay + 1;
    queue = { slots, capacity: runs, rowsOffset: mem.alloc(4 * slots * runs), countsOffset: mem.alloc(4 * slots), delayRuns: true };
  } else if ('value' in delay && delay.value > 0) {
    const slots = delay.value + 1;
    queue = { slots, capacity: ns, rowsOffset: mem.alloc(4 * slots * ns), countsOffset: mem.alloc(4 * slots), delayRuns: false };
  }
  const plan: PlasticPlan = {
    model, params, state, lastOffset: mem.alloc(4 * nsyn), srcOffset: mem.alloc(4 * nsyn),
    colptrOffset: mem.alloc(4 * (nt + 1)), synIdxOffset: mem.alloc(4 * nsyn), queue,
    mod: c.modulated_by ? byName.get(c.modulated_by) : undefined,
  };
  // Everything is allocated: fill memory (views stay valid from here on).
  for (const sv of model.state) {
    const v = evalExpr(sv.init, { param: (x) => params.get(x) ?? NaN, state: () => NaN, builtin: (b) => (b === 'dt' ? dt : 0) });
    mem.f32(state.get(sv.name)!, nsyn).fill(v);
  }
  const col = mem.i32(colOffset, nsyn);
  // Source of each synapse and the by-target index (for on_post).
  const srcOf = mem.i32(plan.srcOffset, nsyn);
  for (let r = 0; r < ns; r++) for (let s = rowptr[r]; s < rowptr[r + 1]; s++) srcOf[s] = r;
  const colptr = mem.i32(plan.colptrOffset, nt + 1);
  for (let s = 0; s < nsyn; s++) colptr[col[s] + 1]++;
  for (let j = 0; j < nt; j++) colptr[j + 1] += colptr[j];
  const fill = colptr.slice(0, nt);
  const synIdx = mem.i32(plan.synIdxOffset, nsyn);
  for (let s = 0; s < nsyn; s++) synIdx[fill[col[s]]++] = s;
  return plan;
}

/** The one statement a static connection performs: `post.x += sign·w`. */
/** A connection with pathways as its first pathway (statement and constant delay); others unchanged. */
function firstPathway(c: ConnectionIR): ConnectionIR {
  const first = c.pathways?.[0];
  if (!first) return c;
  if (c.synapse || c.segments || c.on_post?.length) throw new PlanError('a connection with pathways takes no synapse model, on_post or segments');
  return { ...c, on_pre: first.on_pre, ...(first.delay !== undefined ? { delay: { kind: 'const', value: first.delay } } : {}) };
}

function deliveredStatement(c: ConnectionIR): { variable: string; sign: number } {
  const stmts: StatementIR[] = c.on_pre ?? (c.synapse ? [{ target: { kind: 'target' }, op: '+=', value: { op: 'weight' } }] : []);
  if (c.on_post?.length) throw new PlanError('on_post statements are not run by the WASM engine yet');
  if (stmts.length !== 1) throw new PlanError(`a static connection delivers one statement (post.x += w); this one has ${stmts.length}`);
  const s = stmts[0];
  const isW = (e: ExprIR) => e.op === 'weight';
  if (!(s.op === '+=' || s.op === '-=') || !isW(s.value)) throw new PlanError("static connections support 'x += w' and 'x -= w' only (for now)");
  const variable = s.target.kind === 'target' ? c.target : s.target.kind === 'post' || s.target.kind === 'state' ? s.target.name : undefined;
  if (!variable) throw new PlanError('the connection does not name its target variable');
  return { variable, sign: s.op === '-=' ? -1 : 1 };
}

/** Draws the synapses of one projection as CSR by (local) source index. */
type Positions = (k: number) => [number, number];

/** Positions (metres) of a population's neurons from its layout (LANGUAGE.md "Layouts"). */
function positions(layout: ModelIR['populations'][number]['layout'], size: number, offset: number): Positions {
  const sp = layout?.spacing ?? 10e-6;
  if (layout?.kind === 'grid' && layout.cols) {
    const cols = layout.cols;
    return (k) => [((k + offset) % cols) * sp, Math.floor((k + offset) / cols) * sp];
  }
  if (layout?.kind === 'ring') {
    const r = (size * sp) / (2 * Math.PI);
    return (k) => {
      const a = (2 * Math.PI * (k + offset)) / size;
      return [r * Math.cos(a), r * Math.sin(a)];
    };
  }
  return (k) => [(k + offset) * sp, 0];
}

/** Angle of each neuron on a ring (radians). */
function angles(size: number, offset: number): (k: number) => number {
  return (k) => (2 * Math.PI * (k + offset)) / size;
}

/** What drawing a projection may do besides drawing: read its edge list, stop, report progress. */
interface BuildHooks {
  readInput: (file: string, what: 'edge list') => InputFile;
  shouldStop?: () => boolean;
  progress?: (done: number, total: number, what: string) => void;
  /** The connection, for progress and messages. */
  label: string;
  /** A partitioned run: rows drawn by the workers together. */
  rows?: RowSharing;
}

/** Calls between rows of a long build: cancellation and progress about every 100 ms. */
function rowTicker(build: BuildHooks | undefined, rows: number, pairsPerRow: number, what = 'building connections'): (row: number) => void {
  if (!build || rows * pairsPerRow < 1e6) return () => undefined;
  let last = performance.now();
  // rows of little work are checked less often (a clock read costs more than the row)
  const mask = pairsPerRow >= 16 ? 15 : 1023;
  return (row) => {
    if ((row & mask) !== 0) return;
    const now = performance.now();
    if (now - last < 100) return;
    last = now;
    if (build.shouldStop?.()) throw new PlanError(`stopped while building connection ${build.label}`, 'cancelled');
    build.progress?.(row, rows, `${what} ${build.label}`);
  };
}

function connect(c: ConnectionIR, rng: Rng, proj: number, ns: number, nt: number, samePop: boolean, where?: { src: Positions; tgt: Positions; srcAngle: (k: number) => number; tgtAngle: (k: number) => number }, sink: (capacity: number) => Int32Array = (n) => new Int32Array(n), build?: BuildHooks): { rowptr: Int32Array; col: Int32Array } {
  const noSelf = samePop && !c.autapses;
  const rule = c.rule;
  const rowptr = new Int32Array(ns + 1);
  let cols: number[] | Int32Array = [];
  // `perRow`: the draws a row takes, where they are many (progress and cancel between rows)
  const bySource = (emit: (i: number, push: (j: number) => void) => void, perRow = 0) => {
    const tick = perRow > 0 ? rowTicker(build, ns, perRow) : () => undefined;
    const shared = build?.rows?.rows(ns, (i, push) => {
      tick(i);
      emit(i, (j) => {
        if (!(noSelf && i === j)) push(j);
      });
    });
    if (shared) {
      rowptr.set(shared.rowptr);
      return shared.col;
    }
    // Columns in a typed array grown by doubling from the expected count (a number[] would
    // take 2-4× the memory while drawing millions of synapses).
    let out = sink(Math.max(16, Math.ceil(expectedSynapses(c.rule, ns, nt) * 1.05 + 64)));
    let n = 0;
    for (let i = 0; i < ns; i++) {
      tick(i);
      rowptr[i] = n;
      emit(i, (j) => {
        if (noSelf && i === j) return;
        if (n === out.length) {
          const bigger = new Int32Array(out.length * 2);
          bigger.set(out);
          out = bigger;
        }
        out[n++] = j;
      });
    }
    rowptr[ns] = n;
    return out.subarray(0, n); // untouched pages of a generous guess are never resident
  };
  switch (rule.kind) {
    case 'all_to_all':
      cols = bySource((_i, push) => {
        for (let j = 0; j < nt; j++) push(j);
      });
      break;
    case 'one_to_one':
      cols = bySource((i, push) => {
        if (i < nt) push(i);
      });
      break;
    case 'random': {
      const p = rule.p;
      const logq = logOneMinus(p);
      cols = bySource((i, push) => {
        if (!(p > 0)) return;
        if (p >= 1) {
          for (let j = 0; j < nt; j++) push(j);
          return;
        }
        // Geometric skips: the gap to the next target is floor(log(u)/log(1-p)).
        // A gap too large for a double (tiny p) ends the row, as one past the end would.
        let j = -1;
        for (let k = 0; ; k++) {
          const u = rng.uniform(i, k, Stream.connect, proj);
          j += 1 + Math.floor(Math.log(1 - u) / logq);
          if (!(j < nt)) break;
          push(j);
        }
      }, Math.max(1, p * nt));
      break;
    }
    case 'fixed_outdegree':
      cols = bySource((i, push) => {
        for (const j of sample(rng, nt, rule.k, i, proj, noSelf ? i : -1)) push(j);
      }, Math.max(1, rule.k));
      break;
    case 'fixed_indegree': {
      // Drawn per target, then transposed to rows by source (typed arrays: no boxing).
      const kk = Math.max(0, Math.min(rule.k, noSelf ? ns - 1 : ns));
      const src = new Int32Array(nt * kk);
      const tgt = new Int32Array(nt * kk);
      let m = 0;
      const tick = rowTicker(build, nt, Math.max(1, kk));
      for (let j = 0; j < nt; j++) {
        tick(j);
        const picks = sample(rng, ns, rule.k, j, proj, noSelf ? j : -1);
        for (let q = 0; q < picks.length; q++) {
          src[m] = picks[q];
          tgt[m++] = j;
        }
      }
      cols = transpose(src.subarray(0, m), tgt.subarray(0, m), ns, rowptr);
      break;
    }
    case 'distance':
    case 'ring_kernel': {
      const { sigma, p_max } = rule;
      const tick = rowTicker(build, ns, nt);
      cols = bySource((i, push) => {
        tick(i);
        for (let j = 0; j < nt; j++) {
          let d: number;
          if (rule.kind === 'ring_kernel') {
            d = Math.abs(where!.srcAngle(i) - where!.tgtAngle(j)) % (2 * Math.PI);
            d = Math.min(d, 2 * Math.PI - d);
          } else {
            const [x1, y1] = where!.src(i);
            const [x2, y2] = where!.tgt(j);
            d = Math.hypot(x1 - x2, y1 - y2);
          }
          const pc = p_max * Math.exp((-d * d) / (2 * sigma * sigma));
          // pc = 0: no draw can be below it (draws are counter-based: skipping one moves no other)
          if (pc > 0 && rng.uniform(i, j, Stream.connect, proj) < pc) push(j);
        }
      });
      break;
    }
    case 'where': {
      // Every pair tested (bounded by limits.ts); a pair that meets the condition is kept with
      // probability p, drawn per pair from the counter-based stream (no draw when p = 1).
      const f = compileCondition(rule.condition, ns, nt);
      const p = rule.p ?? 1;
      const tick = rowTicker(build, ns, nt);
      cols = bySource((i, push) => {
        tick(i);
        for (let j = 0; j < nt; j++) {
          if (!holds(f(i, j))) continue;
          if (p >= 1 || (p > 0 && rng.uniform(i, j, Stream.connect, proj) < p)) push(j);
        }
      });
      break;
    }
    case 'from_file': {
      if (!build) throw new PlanError(`cannot read the edge list ${rule.file}: this run reads files, not available here`, 'input');
      const { src, tgt } = parseEdgeList(build.readInput(rule.file, 'edge list'), ns, nt);
      cols = transpose(src, tgt, ns, rowptr);
      break;
    }
  }
  return { rowptr, col: cols instanceof Int32Array ? cols : Int32Array.from(cols) };
}

/**
 * log(1 - p) for the geometric skips of random(p). Math.log(1 - p) as it always was (results
 * for ordinary p stay bit-identical), except where 1 - p rounds to 1 (p below about 2⁻⁵³): there
 * it is 0, every gap would be -Infinity or NaN and the draw never ended; log1p(-p) ≈ -p is exact.
 */
export function logOneMinus(p: number): number {
  const l = Math.log(1 - p);
  return l < 0 ? l : Math.log1p(-p);
}

/** k distinct indices from [0, n) (Floyd's algorithm), optionally excluding one, sorted. */
let stamp = new Int32Array(0);
let stampGen = 0;
function sample(rng: Rng, n: number, k: number, row: number, proj: number, exclude: number): Int32Array {
  const pool = exclude >= 0 ? n - 1 : n;
  const kk = Math.max(0, Math.min(k, pool));
  // A generation-stamped marker array instead of a Set: no allocation per row.
  if (stamp.length < pool) stamp = new Int32Array(pool);
  if (++stampGen > 2e9) {
    stamp.fill(0);
    stampGen = 1;
  }
  const out = new Int32Array(kk);
  let m = 0;
  for (let j = pool - kk, d = 0; j < pool; j++, d++) {
    const r = Math.floor(rng.uniform(row, d, Stream.connect, proj) * (j + 1));
    const pick = stamp[r] === stampGen ? j : r;
    stamp[pick] = stampGen;
    out[m++] = exclude >= 0 && pick >= exclude ? pick + 1 : pick;
  }
  return out.sort();
}

/**
 * The synapses of a drawn projection onto local targets [from, to) (of `count` columns each: a
 * projection onto segments), in the same order, with each one's index in the whole projection.
 */
function keepTargets(drawn: { rowptr: Int32Array; col: Int32Array }, from: number, to: number, count: number): { rowptr: Int32Array; col: Int32Array; global: Int32Array } {
  const lo = Math.max(0, from) * count;
  const hi = Math.max(0, to) * count;
  let n = 0;
  for (let k = 0; k < drawn.col.length; k++) if (drawn.col[k] >= lo && drawn.col[k] < hi) n++;
  const col = new Int32Array(n);
  const global = new Int32Array(n);
  const rowptr = new Int32Array(drawn.rowptr.length);
  let m = 0;
  for (let r = 0; r + 1 < drawn.rowptr.length; r++) {
    rowptr[r] = m;
    for (let k = drawn.rowptr[r]; k < drawn.rowptr[r + 1]; k++) {
      const j = drawn.col[k];
      if (j < lo || j >= hi) continue;
      col[m] = j;
      global[m++] = k;
    }
  }
  rowptr[drawn.rowptr.length - 1] = m;
  return { rowptr, col, global };
}

function transpose(src: ArrayLike<number>, tgt: ArrayLike<number>, ns: number, rowptr: Int32Array): Int32Array {
  rowptr.fill(0);
  for (let k = 0; k < src.length; k++) rowptr[src[k] + 1]++;
  for (let i = 0; i < ns; i++) rowptr[i + 1] += rowptr[i];
  const fill = rowptr.slice(0, ns);
  const col = new Int32Array(src.length);
  for (let k = 0; k < src.length; k++) col[fill[src[k]]++] = tgt[k];
  return col;
}

