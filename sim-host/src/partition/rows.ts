// Drawing a projection's rows together (core/plan.ts RowSharing): worker w draws rows
// [⌊ns·w/n⌋, ⌊ns·(w+1)/n⌋) into its region of a shared buffer, all meet, each reads every
// region in worker order (= the rows in order) and keeps its own targets, as it would from rows
// it drew itself: the counters, hence the synapses and their indices, are the whole plan's.
// Two barriers per projection (the second: nobody overwrites a region another still reads).
// A region too small for its rows (rules whose rows differ a lot) makes every worker draw every
// row of that projection instead. Pure.
import type { ModelIR } from '../../../protocol/ir';
import { expectedSynapses } from '../core/estimate';
import { PlanError } from '../core/limits';
import type { RowSharing } from '../core/plan';
import type { SharedExchange } from './layout';

/** Above this the rows are not shared (each worker draws them all, as without sharing). */
const MAX_SHARED_BYTES = 1024 * 2 ** 20;

/** Shared space for `ir`'s rows on `count` workers: each region 10 % over its expected share; undefined when too large. */
export function rowSpace(ir: ModelIR, count: number): { capacity: number; maxRows: number; bytes: number } | undefined {
  let largest = 0;
  let maxRows = 0;
  const sizeOf = new Map<string, { size: number; layout?: ModelIR['populations'][number]['layout'] }>();
  for (const p of ir.populations) sizeOf.set(p.name, { size: p.size, layout: p.layout });
  for (const i of ir.inputs) if (i.kind !== 'current_step') sizeOf.set(i.name, { size: i.size });
  for (const c of ir.connections) {
    for (const s of c.sources) {
      for (const t of c.targets) {
        const ns = s.to - s.from + 1;
        const nt = (t.to - t.from + 1) * (c.segments?.count ?? 1);
        largest = Math.max(largest, expectedSynapses(c.rule, ns, nt, sizeOf.get(s.name)?.layout));
        maxRows = Math.max(maxRows, ns);
      }
    }
  }
  const capacity = Math.ceil((largest * 1.1) / count) + 4096;
  const bytes = 4 * (2 * count + maxRows + count * capacity);
  return bytes > MAX_SHARED_BYTES ? undefined : { capacity, maxRows, bytes };
}

export class SharedRows implements RowSharing {
  private readonly i32: Int32Array;

  constructor(
    shared: SharedArrayBuffer,
    private readonly ex: SharedExchange,
    private readonly space: { capacity: number; maxRows: number },
  ) {
    this.i32 = new Int32Array(shared);
  }

  rows(ns: number, draw: (i: number, push: (j: number) => void) => void): { rowptr: Int32Array; col: Int32Array } | undefined {
    const { index, count } = this.ex;
    const { capacity, maxRows } = this.space;
    if (ns > maxRows) return undefined; // the same answer in every worker: nobody waits
    const i32 = this.i32;
    const counts = 0;
    const over = count;
    const lengths = 2 * count;
    const regions = 2 * count + maxRows;
    const base = regions + index * capacity;
    const from = Math.floor((ns * index) / count);
    const to = Math.floor((ns * (index + 1)) / count);
    let n = 0;
    for (let i = from; i < to; i++) {
      const start = n;
      draw(i, (j) => {
        if (n < capacity) i32[base + n] = j;
        n++;
      });
      i32[lengths + i] = n - start;
    }
    i32[counts + index] = n;
    i32[over + index] = n > capacity ? 1 : 0;
    this.meet();
    let overflow = false;
    for (let w = 0; w < count; w++) if (i32[over + w]) overflow = true;
    if (overflow) {
      this.meet();
      return undefined;
    }
    const rowptr = new Int32Array(ns + 1);
    for (let i = 0; i < ns; i++) rowptr[i + 1] = rowptr[i] + i32[lengths + i];
    const col = new Int32Array(rowptr[ns]);
    let m = 0;
    for (let w = 0; w < count; w++) {
      const nw = i32[counts + w];
      const at = regions + w * capacity;
      col.set(i32.subarray(at, at + nw), m);
      m += nw;
    }
    this.meet();
    return { rowptr, col };
  }

  private meet(): void {
    if (!this.ex.arrive()) throw new PlanError('stopped while building connections', 'cancelled');
  }
}
