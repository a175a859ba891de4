// The shared memory of a partitioned run and its one barrier per step (partition/README.md).
// Every worker computes the same layout from the IR and the worker count. Per step t, with
// p = t mod 2 (a worker cannot reach step t + 2 before every other has read step t):
//   - each worker writes its own neurons' spikes of every updated population (neuron, Poisson),
//     and the probe samples of its own neurons, into its part of region p;
//   - all meet at the barrier;
//   - each worker reads every worker's spikes, in worker order (= ascending neuron index: the
//     ranges are contiguous and in order), into its spike lists: the lists the whole network
//     would have; worker 0 reads the probe samples and records.
// Pure (Atomics on a SharedArrayBuffer): no Node import.
import type { ModelIR } from '../../../protocol/ir';
import { ownRange, type PopPlan } from '../core/plan';
import type { NanReport, StepExchange } from '../wasm/simulation';

/** What the layout depends on: populations in plan order, and each probe's sample length. */
export interface ExchangeShape {
  pops: { name: string; size: number; exchanged: boolean }[];
  traces: number[];
}

/** The shape of `ir`'s plan (core/plan.ts order: populations, then inputs that are sources). */
export function exchangeShape(ir: ModelIR): ExchangeShape {
  const pops = [
    ...ir.populations.map((p) => ({ name: p.name, size: p.size, exchanged: true })),
    ...ir.inputs.flatMap((i) => (i.kind === 'current_step' ? [] : [{ name: i.name, size: i.size, exchanged: i.kind === 'poisson' }])),
  ];
  const traces: number[] = [];
  for (const pr of ir.probes) {
    for (const sel of pr.targets) {
      if (pr.variable === 'spikes' || pr.variable === 'rate') continue;
      const pop = ir.populations.find((p) => p.name === sel.name);
      const model = pop && ir.models[pop.model];
      if (!pop || !model) continue;
      if (!model.state.some((s) => s.name === pr.variable) && !model.aliases.some((a) => a.name === pr.variable)) continue;
      traces.push(Math.max(0, Math.min(sel.to, pop.size - 1) - Math.max(0, sel.from) + 1));
    }
  }
  return { pops, traces };
}

// Control words (Int32 indices).
const ARRIVED = 0;
const GENERATION = 1;
const STOP = 2;
const CONTROL = 16;
/** Per worker: synapses, memory pages, steps done. */
const STAT_WORDS = 4;
/** Per worker: flag, population, variable, neuron, step. */
const NAN_WORDS = 8;
/** Per worker: a refusal's message (byte length, then UTF-8) and its code. */
const MESSAGE_WORDS = 1024;
/** Milliseconds spent spinning on the generation word before sleeping on it. */
const SPIN_MS = 0.05;

const CODES = ['memory', 'unsupported', 'input', 'limit', 'cancelled'] as const;
export type RefusalCode = (typeof CODES)[number];

interface Offsets {
  stats: number;
  nan: number;
  messages: number;
  /** Int32 index of region p, worker w, population k's slot: [count, spikes...]; -1 when not exchanged. */
  spikes: number[][][];
  /** Float32 index of region p's trace k samples. */
  traces: number[][];
  words: number;
}

function offsets(shape: ExchangeShape, count: number): Offsets {
  let at = CONTROL;
  const stats = at;
  at += STAT_WORDS * count;
  const nan = at;
  at += NAN_WORDS * count;
  const messages = at;
  at += MESSAGE_WORDS * count;
  const spikes: number[][][] = [];
  for (let p = 0; p < 2; p++) {
    const region: number[][] = [];
    for (let w = 0; w < count; w++) {
      region.push(
        shape.pops.map((pop) => {
          if (!pop.exchanged) return -1;
          const [from, to] = ownRange(pop.size, w, count);
          const slot = at;
          at += 1 + (to - from);
          return slot;
        }),
      );
    }
    spikes.push(region);
  }
  const traces: number[][] = [];
  for (let p = 0; p < 2; p++) {
    traces.push(shape.traces.map((n) => {
      const slot = at;
      at += n;
      return slot;
    }));
  }
  return { stats, nan, messages, spikes, traces, words: at };
}

/** Bytes of the shared memory a run of `shape` on `count` workers needs. */
export function exchangeBytes(shape: ExchangeShape, count: number): number {
  return offsets(shape, count).words * 4;
}

/** One worker's side of the shared memory (the wasm backend's StepExchange). */
export class SharedExchange implements StepExchange {
  private readonly i32: Int32Array;
  private readonly f32: Float32Array;
  private readonly at: Offsets;

  constructor(
    shared: SharedArrayBuffer,
    private readonly shape: ExchangeShape,
    readonly count: number,
    readonly index: number,
    /**
     * Polled while asleep at a barrier (every 100 ms): true stops the run. Partition 0 passes the
     * run's cancel, so that a worker that died without a word (its thread killed) cannot leave
     * the run waiting beyond a cancel.
     */
    private readonly abort?: () => boolean,
  ) {
    this.at = offsets(shape, count);
    if (shared.byteLength < this.at.words * 4) throw new Error(`partition: shared memory of ${shared.byteLength} bytes, ${this.at.words * 4} needed`);
    this.i32 = new Int32Array(shared);
    this.f32 = new Float32Array(shared);
  }

  /** Throws unless `pops` (a plan's) are the populations the layout was made for. */
  check(pops: readonly PopPlan[], traces: readonly number[]): void {
    const same = pops.length === this.shape.pops.length && pops.every((p, k) => p.size === this.shape.pops[k].size && p.name === this.shape.pops[k].name) && traces.length === this.shape.traces.length && traces.every((n, k) => n === this.shape.traces[k]);
    if (!same) throw new Error('partition: the plan does not have the populations and probes the shared layout was made for');
  }

  stopped(): boolean {
    return Atomics.load(this.i32, STOP) !== 0;
  }

  /** Stops every worker at its next barrier (this one is done, cancelled or failed). */
  stop(): void {
    Atomics.store(this.i32, STOP, 1);
    Atomics.notify(this.i32, GENERATION);
  }

  /** Waits for every worker; false when the run is being stopped. */
  arrive(): boolean {
    const i32 = this.i32;
    const gen = Atomics.load(i32, GENERATION);
    if (Atomics.add(i32, ARRIVED, 1) === this.count - 1) {
      Atomics.store(i32, ARRIVED, 0);
      Atomics.add(i32, GENERATION, 1);
      Atomics.notify(i32, GENERATION);
      return !this.stopped();
    }
    // Spin a little (the others usually arrive within microseconds when each has a core), then
    // sleep until the last one arrives (when cores are shared, spinning takes theirs).
    const until = performance.now() + SPIN_MS;
    for (let spin = 1; ; spin++) {
      if (Atomics.load(i32, GENERATION) !== gen) return !this.stopped();
      if (this.stopped()) return false;
      if ((spin & 63) === 0 && performance.now() > until && Atomics.wait(i32, GENERATION, gen, 100) === 'timed-out' && this.abort?.()) {
        this.stop();
        return false;
      }
    }
  }

  /** This worker's figures, before the first step (worker 0 reports the sums). */
  setStats(synapses: number, bytes: number): void {
    const s = this.at.stats + STAT_WORDS * this.index;
    this.i32[s] = synapses;
    this.i32[s + 1] = Math.ceil(bytes / 65536);
  }

  /** Every worker's synapses and memory together (after the first barrier). */
  totals(): { synapses: number; bytes: number } {
    let synapses = 0;
    let bytes = 0;
    for (let w = 0; w < this.count; w++) {
      synapses += this.i32[this.at.stats + STAT_WORDS * w];
      bytes += this.i32[this.at.stats + STAT_WORDS * w + 1] * 65536;
    }
    return { synapses, bytes };
  }

  /** This worker could not plan or run: its message for worker 0, and every worker stops. */
  refuse(message: string, code: RefusalCode | 'failed'): void {
    const m = this.at.messages + MESSAGE_WORDS * this.index;
    const bytes = new TextEncoder().encode(message.slice(0, 1500));
    const room = (MESSAGE_WORDS - 2) * 4;
    const n = Math.min(bytes.length, room);
    new Uint8Array(this.i32.buffer, (m + 2) * 4, n).set(bytes.subarray(0, n));
    this.i32[m + 1] = code === 'failed' ? -1 : CODES.indexOf(code);
    Atomics.store(this.i32, m, n + 1);
    this.stop();
  }

  /** The first refusal among the workers, in worker order. */
  refusal(): { message: string; code: RefusalCode | 'failed' } | undefined {
    for (let w = 0; w < this.count; w++) {
      const m = this.at.messages + MESSAGE_WORDS * w;
      const n = Atomics.load(this.i32, m);
      if (n === 0) continue;
      const bytes = new Uint8Array(this.i32.buffer, (m + 2) * 4, n - 1).slice();
      const code = this.i32[m + 1];
      return { message: new TextDecoder().decode(bytes), code: code < 0 ? 'failed' : CODES[code] ?? 'unsupported' };
    }
    return undefined;
  }

  samples(t: number, trace: number): Float32Array {
    const at = this.at.traces[t & 1][trace];
    return this.f32.subarray(at, at + this.shape.traces[trace]);
  }

  spikes(t: number, mem32: Int32Array, pops: readonly PopPlan[], nan?: NanReport): boolean {
    const i32 = this.i32;
    const region = this.at.spikes[t & 1];
    const mine = region[this.index];
    for (let k = 0; k < pops.length; k++) {
      const slot = mine[k];
      if (slot < 0) continue;
      const p = pops[k];
      const n = mem32[p.countOffset >> 2];
      i32[slot] = n;
      copy(mem32, p.listOffset >> 2, i32, slot + 1, n);
    }
    if (nan) {
      const e = this.at.nan + NAN_WORDS * this.index;
      i32.set([nan.population, nan.variable, nan.neuron, nan.step], e + 1);
      Atomics.store(i32, e, 1); // after its fields: a reader that sees the flag sees them
    }
    if (!this.arrive()) return false;
    for (let k = 0; k < pops.length; k++) {
      if (mine[k] < 0) continue;
      const p = pops[k];
      const list = p.listOffset >> 2;
      let m = 0;
      for (let w = 0; w < this.count; w++) {
        const slot = region[w][k];
        const n = i32[slot];
        copy(i32, slot + 1, mem32, list + m, n);
        m += n;
      }
      mem32[p.countOffset >> 2] = m;
    }
    return true;
  }

  /**
   * Step t's report as the whole network would give it: the first population (plan order) with
   * NaN/Inf, its first neuron. Only step t's: a worker ahead may already have written step t + 1's.
   */
  nan(t: number): NanReport | undefined {
    let first: NanReport | undefined;
    for (let w = 0; w < this.count; w++) {
      const e = this.at.nan + NAN_WORDS * w;
      if (Atomics.load(this.i32, e) === 0 || this.i32[e + 4] !== t) continue;
      const r = { population: this.i32[e + 1], variable: this.i32[e + 2], neuron: this.i32[e + 3], step: this.i32[e + 4] };
      if (!first || r.population < first.population) first = r;
    }
    return first;
  }
}

/** n words from `from` at a to `to` at b: a loop for the few spikes of a step (no view allocated), set() for many. */
function copy(from: Int32Array, a: number, to: Int32Array, b: number, n: number): void {
  if (n > 64) to.set(from.subarray(a, a + n), b);
  else for (let q = 0; q < n; q++) to[b + q] = from[a + q];
}
