// What the Loihi and SpiNNaker emulations share around their neuron kernels (the recording is
// core/spike-record.ts): spike delivery through per-connection delay rings — a spike at tick t
// with a delay of d ticks is summed into the row read at t + lead + d, per target and channel,
// each row keeping the list of targets it touched so that reading it costs what it received, not
// the population's size. Loihi: one channel, Dense's one-step lead; SpiNNaker: excitatory and
// inhibitory channels, no lead. With `wasm` a connection with one delay for all its synapses is
// delivered by delivery-kernel.ts (the emulations' default; the loop below is its reference).
import { deliverKernel, type DeliverFn } from './delivery-kernel';
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
  mark: Uint8Array | Int32Array;
  /** In the WebAssembly memory (DelayRings' `wasm`): byte offsets of the arrays. */
  at?: { rowptr: number; col: number; w: number; type: number; mark: number; touched: number; count: number; acc0: number; acc1: number };
}

export class DelayRings {
  readonly rings: Ring[];
  /** The connections into each population: their ring indices. */
  readonly into: number[][];
  /** Synaptic events delivered so far (one per synapse of a spiking source). */
  synOps = 0;

  /** The WebAssembly delivery (`wasm`): the function, the spike buffer's offset and view. */
  private readonly kernel?: { deliver: DeliverFn; spP: number; spikes: Int32Array };
  private readonly lease?: Lease;

  /**
   * `channel(size)` makes one accumulator row block (Int32Array: sums wrap as the chip's
   * register; Float64Array: exact). `wasm`: int32 sums, the rings and the connections' CSR in
   * one WebAssembly memory, and a connection with one delay for all synapses delivered there
   * (delivery-kernel.ts; the same sums as the TypeScript loops).
   */
  constructor(readonly projs: RingProj[], pops: number, readonly lead: number, channels: number, channel: (size: number) => Int32Array | Float64Array, wasm = false) {
    const dims = projs.map((p) => ({ nt: p.tgt[1] - p.tgt[0] + 1, slots: p.maxDelay + lead + 1 }));
    this.into = Array.from({ length: pops }, (_, k) => projs.flatMap((p, j) => (p.target === k ? [j] : [])));
    if (!wasm) {
      this.rings = dims.map(({ nt, slots }) => ({ nt, slots, acc: Array.from({ length: channels }, () => channel(slots * nt)), touched: new Int32Array(slots * nt), count: new Int32Array(slots), mark: new Uint8Array(slots * nt) }));
      return;
    }
    // int32 words: the spike buffer (the largest source range), then per ring rowptr, col, w,
    // type, mark, touched, count, the channels
    const words = (p: RingProj, j: number) => p.rowptr.length + 3 * p.col.length + (2 + channels) * dims[j].slots * dims[j].nt + dims[j].slots;
    const spWords = Math.max(1, ...projs.map((p) => p.src[1] - p.src[0] + 1));
    const total = 16 + spWords + projs.reduce((a, p, j) => a + words(p, j) + 4, 0);
    const bytes = 4 * total;
    const lease = leaseMemory(bytes);
    this.lease = lease;
    const { memory } = lease;
    let next = 64;
    const take = (n: number) => {
      const view = new Int32Array(memory.buffer, next, n);
      next += 4 * n;
      return view;
    };
    const spikes = take(spWords);
    this.kernel = { deliver: lease.deliver, spP: spikes.byteOffset, spikes };
    this.rings = projs.map((p, j) => {
      const { nt, slots } = dims[j];
      const rowptr = take(p.rowptr.length);
      rowptr.set(p.rowptr);
      const col = take(p.col.length);
      col.set(p.col);
      const w = take(p.col.length);
      w.set(p.weights);
      const type = take(p.col.length);
      // (a reused memory holds the last run's arrays)
      if (p.type) type.set(p.type);
      else type.fill(0);
      const mark = take(slots * nt).fill(0);
      const touched = take(slots * nt);
      const count = take(slots).fill(0);
      const acc = Array.from({ length: channels }, () => take(slots * nt).fill(0));
      const at = { rowptr: rowptr.byteOffset, col: col.byteOffset, w: w.byteOffset, type: type.byteOffset, mark: mark.byteOffset, touched: touched.byteOffset, count: count.byteOffset, acc0: acc[0].byteOffset, acc1: acc[channels - 1].byteOffset };
      return { nt, slots, acc, touched, count, mark, at };
    });
  }

  /** Done with the rings (the emulation ended): their memory may serve the next DelayRings. */
  release(): void {
    if (this.lease) this.lease.busy = false;
  }

  // Reading a row (ring j's row for tick t: slot t % slots, its count[slot] touched targets, each
  // entry's sums cleared with its mark, then the count) is each emulation's own loop, as each
  // turns the sums into its chip's input (a callback per target cost more than the loop).

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
      const k = this.kernel;
      if (k && r.at && typeof delay === 'number' && nf <= k.spikes.length) {
        const { at } = r;
        const slot = base % r.slots;
        const sp = k.spikes;
        for (let m = 0; m < nf; m++) sp[m] = out[m];
        this.synOps += k.deliver(k.spP, nf, s0, s1, at.rowptr, at.col, at.w, at.type, at.mark, at.touched, at.count + 4 * slot, at.acc0, at.acc1, slot * r.nt);
        continue;
      }
      // the reference loop (and the per-synapse delays)
      const d = typeof delay === 'number' ? undefined : delay;
      const { acc, touched, count, mark, nt, slots } = r;
      const a0 = acc[0];
      const a1 = acc[acc.length - 1];
      for (let m = 0; m < nf; m++) {
        const s = out[m];
        if (s < s0 || s > s1) continue;
        const ls = s - s0;
        const a = rowptr[ls];
        const b = rowptr[ls + 1];
        this.synOps += b - a;
        // one row for all synapses when the delay is one for all
        let slot = base % slots;
        let row = slot * nt;
        for (let q = a; q < b; q++) {
          if (d) {
            slot = (base + d[q]) % slots;
            row = slot * nt;
          }
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
    }
  }
}

interface Lease {
  memory: WebAssembly.Memory;
  deliver: DeliverFn;
  busy: boolean;
}

// One memory kept for the next DelayRings once released: a fresh memory's pages are each faulted
// in on first touch, which for a connection of 10^5 synapses costs as much as many ticks. Runs
// are synchronous, so one is in use at a time; a DelayRings made while it is (not released: a
// run that threw, two sets of rings at once) gets a memory of its own.
let pooled: Lease | undefined;

function leaseMemory(bytes: number): Lease {
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  if (pooled && !pooled.busy) {
    const have = pooled.memory.buffer.byteLength / 65536;
    if (have < pages) pooled.memory.grow(pages - have);
    pooled.busy = true;
    return pooled;
  }
  const memory = new WebAssembly.Memory({ initial: pages });
  const lease = { memory, deliver: deliverKernel(memory), busy: true };
  pooled ??= lease;
  return lease;
}
