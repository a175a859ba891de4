// What the Loihi and SpiNNaker emulations share around their neuron kernels (the recording is
// core/spike-record.ts): spike delivery through per-connection delay rings — a spike at tick t
// with a delay of d ticks is summed into the row read at t + lead + d, per target and channel,
// each row keeping the list of targets it touched so that reading it costs what it received, not
// the population's size. Loihi: one channel, Dense's one-step lead; SpiNNaker: excitatory and
// inhibitory channels, no lead.
import type { ChipConnection } from './program';

/** What a ring needs of a converted connection (its delay: ticks past `lead`). */
export interface RingProj extends Omit<ChipConnection, 'name'> {
  /** Per synapse; its channel is `type[q]` (0 without `type`). */
  weights: ArrayLike<number>;
  type?: Uint8Array;
}

/** One connection's ring: `slots` rows of its target neurons, per channel. */
export interface Ring {
  nt: number;
  slots: number;
  acc: (Int32Array | Float64Array)[];
  touched: Int32Array;
  count: Int32Array;
  mark: Uint8Array;
}

export class DelayRings {
  readonly rings: Ring[];
  /** The connections into each population: their ring indices. */
  readonly into: number[][];
  /** Synaptic events delivered so far (one per synapse of a spiking source). */
  synOps = 0;

  /**
   * `channel(size)` makes one accumulator row block (Int32Array: sums wrap as the chip's
   * register; Float64Array: exact).
   */
  constructor(readonly projs: RingProj[], pops: number, readonly lead: number, channels: number, channel: (size: number) => Int32Array | Float64Array) {
    this.rings = projs.map((p) => {
      const nt = p.tgt[1] - p.tgt[0] + 1;
      const slots = p.maxDelay + lead + 1;
      return { nt, slots, acc: Array.from({ length: channels }, () => channel(slots * nt)), touched: new Int32Array(slots * nt), count: new Int32Array(slots), mark: new Uint8Array(slots * nt) };
    });
    this.into = Array.from({ length: pops }, (_, k) => projs.flatMap((p, j) => (p.target === k ? [j] : [])));
  }

  /**
   * Reads and clears ring j's row for tick t: `take(i, sums)` for each target (local index) it
   * received input for, `sums` the channel arrays and `at` the entry.
   */
  drain(j: number, t: number, take: (i: number, acc: (Int32Array | Float64Array)[], at: number) => void): void {
    const r = this.rings[j];
    const slot = t % r.slots;
    const row = slot * r.nt;
    const { touched, mark, acc } = r;
    const n = r.count[slot];
    for (let q = 0; q < n; q++) {
      const i = touched[row + q];
      take(i, acc, row + i);
      for (let c = 0; c < acc.length; c++) acc[c][row + i] = 0;
      mark[row + i] = 0;
    }
    r.count[slot] = 0;
  }

  /** This tick's spikes (fired[k]: the first nFired[k] local indices) into every connection's rows. */
  deliver(t: number, fired: Int32Array[], nFired: Int32Array): void {
    for (let j = 0; j < this.projs.length; j++) {
      const p = this.projs[j];
      const nf = nFired[p.source];
      if (nf === 0) continue;
      const r = this.rings[j];
      const out = fired[p.source];
      const { rowptr, col, weights, type, delay } = p;
      const [s0, s1] = p.src;
      const base = t + this.lead + (typeof delay === 'number' ? delay : 0);
      for (let m = 0; m < nf; m++) {
        const s = out[m];
        if (s < s0 || s > s1) continue;
        const a = rowptr[s - s0];
        const b = rowptr[s - s0 + 1];
        this.synOps += b - a;
        // one loop per form (kept apart so that each stays a tight loop): one delay for all
        // synapses (one row) or one per synapse; one channel or each synapse's
        if (typeof delay !== 'number') addPerDelay(r, base, delay, col, weights, type, a, b);
        else if (type !== undefined) addTyped(r, (base % r.slots) * r.nt, base % r.slots, col, weights, type, a, b);
        else addOne(r, (base % r.slots) * r.nt, base % r.slots, col, weights, a, b);
      }
    }
  }
}

/** Synapses a..b into row `row` (slot `slot`) of channel 0. */
function addOne(r: Ring, row: number, slot: number, col: Int32Array, weights: ArrayLike<number>, a: number, b: number): void {
  const { mark, touched, count } = r;
  const a0 = r.acc[0];
  for (let q = a; q < b; q++) {
    const c = col[q];
    const at = row + c;
    if (mark[at] === 0) {
      mark[at] = 1;
      touched[row + count[slot]++] = c;
    }
    a0[at] += weights[q];
  }
}

/** Synapses a..b into row `row` (slot `slot`), each into channel type[q] (0 or the last). */
function addTyped(r: Ring, row: number, slot: number, col: Int32Array, weights: ArrayLike<number>, type: Uint8Array, a: number, b: number): void {
  const { mark, touched, count } = r;
  const a0 = r.acc[0];
  const a1 = r.acc[r.acc.length - 1];
  for (let q = a; q < b; q++) {
    const c = col[q];
    const at = row + c;
    if (mark[at] === 0) {
      mark[at] = 1;
      touched[row + count[slot]++] = c;
    }
    if (type[q] !== 0) a1[at] += weights[q];
    else a0[at] += weights[q];
  }
}

/** Synapses a..b, each into the row of base + delay[q]. */
function addPerDelay(r: Ring, base: number, delay: Int32Array, col: Int32Array, weights: ArrayLike<number>, type: Uint8Array | undefined, a: number, b: number): void {
  const { mark, touched, count, slots, nt } = r;
  const a0 = r.acc[0];
  const a1 = r.acc[r.acc.length - 1];
  for (let q = a; q < b; q++) {
    const slot = (base + delay[q]) % slots;
    const row = slot * nt;
    const c = col[q];
    const at = row + c;
    if (mark[at] === 0) {
      mark[at] = 1;
      touched[row + count[slot]++] = c;
    }
    if (type !== undefined && type[q] !== 0) a1[at] += weights[q];
    else a0[at] += weights[q];
  }
}
