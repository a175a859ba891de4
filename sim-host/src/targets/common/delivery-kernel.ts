// DelayRings.deliver's loop for one connection with one delay for all its synapses, as a generated
// WebAssembly function over int32 arrays in one memory (wasm-bytes.ts writes it): this tick's
// spikes (local source indices) through the CSR rows into one ring row, each target entered in
// the row's touched list on its first input, each weight added to channel 0 or, where its type is
// not 0, to channel 1 (i32.add wraps as an Int32Array's += does: bit-identical to the TypeScript
// loop, which stays the reference and the path for per-synapse delays).
//
// deliver(spP, nf, s0, s1, rowptrP, colP, wP, typeP, markP, touchedP, countP, acc0P, acc1P, row)
//   → synaptic events; pointers are byte offsets, row the row's first entry (slot · targets),
//   countP the address of the slot's count.
import { Body, I32, OP, wasmModule } from './wasm-bytes';

const [SP, NF, S0, S1, RP, COL, W, TY, MK, TCH, CNT, A0, A1, ROW] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
const [M, S, Q, B, N, C, AT, OPS] = [14, 15, 16, 17, 18, 19, 20, 21];

function deliverBody(): number[] {
  const b = new Body();
  const at4 = (p: number, i: number) => b.get(p).get(i).k(2).op(OP.shl, OP.add);
  b.k(0).set(OPS).k(0).set(M);
  b.get(CNT).op(OP.load, 2, 0).set(N);
  b.op(OP.block, 0x40, OP.loop, 0x40);
  b.get(M).get(NF).op(OP.ge_s, OP.br_if, 1);
  at4(SP, M).op(OP.load, 2, 0).set(S);
  b.get(M).k(1).op(OP.add).set(M);
  // a source outside the connection's range: next spike
  b.get(S).get(S0).op(OP.lt_s).get(S).get(S1).op(OP.gt_s, 0x72 /* i32.or */, OP.br_if, 0);
  b.get(S).get(S0).op(OP.sub).set(S);
  at4(RP, S).op(OP.load, 2, 0).set(Q);
  at4(RP, S).op(OP.load, 2, 4).set(B);
  b.get(OPS).get(B).op(OP.add).get(Q).op(OP.sub).set(OPS);
  b.op(OP.block, 0x40, OP.loop, 0x40);
  b.get(Q).get(B).op(OP.ge_s, OP.br_if, 1);
  at4(COL, Q).op(OP.load, 2, 0).set(C);
  b.get(ROW).get(C).op(OP.add).k(2).op(OP.shl).set(AT);
  // first input of this target in the row: mark it, list it
  b.get(MK).get(AT).op(OP.add, OP.load, 2, 0, OP.eqz, OP.if, 0x40);
  b.get(MK).get(AT).op(OP.add).k(1).op(OP.store, 2, 0);
  b.get(TCH).get(ROW).get(N).op(OP.add).k(2).op(OP.shl, OP.add).get(C).op(OP.store, 2, 0);
  b.get(N).k(1).op(OP.add).set(N);
  b.op(OP.end);
  // acc[type ≠ 0 ? 1 : 0][at] += w
  b.get(A1).get(A0);
  at4(TY, Q).op(OP.load, 2, 0, OP.select).get(AT).op(OP.add).set(C);
  b.get(C).get(C).op(OP.load, 2, 0);
  at4(W, Q).op(OP.load, 2, 0, OP.add, OP.store, 2, 0);
  b.get(Q).k(1).op(OP.add).set(Q);
  b.op(OP.br, 0, OP.end, OP.end);
  b.op(OP.br, 0, OP.end, OP.end);
  b.get(CNT).get(N).op(OP.store, 2, 0);
  b.get(OPS);
  return b.c;
}

export type DeliverFn = (spP: number, nf: number, s0: number, s1: number, rowptrP: number, colP: number, wP: number, typeP: number, markP: number, touchedP: number, countP: number, acc0P: number, acc1P: number, row: number) => number;

let compiled: WebAssembly.Module | undefined;

/** The function over `memory` (the module compiled once per process). */
export function deliverKernel(memory: WebAssembly.Memory): DeliverFn {
  compiled ??= wasmModule([{ name: 'deliver', params: new Array(14).fill(I32), result: I32, locals: [[8, I32]], code: deliverBody() }]);
  return new WebAssembly.Instance(compiled, { env: { memory } }).exports.deliver as DeliverFn;
}
