// The compartment update as a WebAssembly function, its binary written with common/wasm-bytes.ts
// (a target imports no other backend, so not through wasm/emitter.ts): one loop over a group's
// compartments in int32 arithmetic, the same operations as Lava's PyLifModelBitAcc (compartment.ts documents them).
// step(uP, vP, biasP, ainP, heldP, outP, n, ku, kv, vthEff, refr, t) → spikes, and step4, the same
// four compartments at a time (i32x4 SIMD); pointers are byte offsets of Int32Array[n] in the
// imported memory.

import * as W from '../common/wasm-bytes';

const OP = W.OP;

// Parameters 0-11, then locals.
const [uP, vP, bP, aP, hP, oP, N, KU, KV, VTH, REFR, T] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const [I, NF, X, LO, UU, VV, OFF] = [12, 13, 14, 15, 16, 17, 18];

function body(): number[] {
  const c: number[] = [];
  const k = (n: number) => (c.push(OP.const), W.sleb(n, c));
  const get = (l: number) => c.push(OP.get, l);
  const set = (l: number) => c.push(OP.set, l);
  const load = (base: number) => (get(base), get(OFF), c.push(OP.add, OP.load, 2, 0));
  // decay0(X, k) onto the stack: (X >> 12)·k + (LO >> 12) + (X < 0 & (LO & 4095) != 0), LO = (X & 4095)·k
  const decay = (kl: number) => {
    get(X), k(4095), c.push(OP.and), get(kl), c.push(OP.mul), set(LO);
    get(X), k(12), c.push(OP.shr_s), get(kl), c.push(OP.mul);
    get(LO), k(12), c.push(OP.shr_s), c.push(OP.add);
    get(X), k(0), c.push(OP.lt_s), get(LO), k(4095), c.push(OP.and), k(0), c.push(OP.ne), c.push(OP.and), c.push(OP.add);
  };
  k(0), set(NF), k(0), set(I);
  c.push(OP.block, 0x40, OP.loop, 0x40);
  get(I), get(N), c.push(OP.ge_s, OP.br_if, 1);
  get(I), k(2), c.push(OP.shl), set(OFF);
  // u
  load(uP), set(X);
  decay(KU);
  load(aP), k(6), c.push(OP.shl, OP.add), set(UU);
  get(UU), k(8388608), c.push(OP.gt_s, OP.if, 0x40), get(UU), k(16777216), c.push(OP.sub), set(UU), c.push(OP.end);
  get(UU), k(-8388608), c.push(OP.le_s, OP.if, 0x40), get(UU), k(16777216), c.push(OP.add), set(UU), c.push(OP.end);
  get(uP), get(OFF), c.push(OP.add), get(UU), c.push(OP.store, 2, 0);
  // v, unless held
  c.push(OP.block, 0x40);
  load(hP), get(T), c.push(OP.ge_s, OP.br_if, 0);
  load(vP), set(X);
  decay(KV);
  get(UU), c.push(OP.add), load(bP), c.push(OP.add), set(VV);
  k(8388607), get(VV), get(VV), k(8388607), c.push(OP.gt_s, OP.select), set(VV);
  k(-8388607), get(VV), get(VV), k(-8388607), c.push(OP.lt_s, OP.select), set(VV);
  get(VV), get(VTH), c.push(OP.gt_s, OP.if, 0x40);
  k(0), set(VV);
  get(oP), get(NF), k(2), c.push(OP.shl, OP.add), get(I), c.push(OP.store, 2, 0);
  get(NF), k(1), c.push(OP.add), set(NF);
  get(REFR), k(0), c.push(OP.gt_s, OP.if, 0x40), get(hP), get(OFF), c.push(OP.add), get(T), get(REFR), c.push(OP.add), c.push(OP.store, 2, 0), c.push(OP.end);
  c.push(OP.end);
  get(vP), get(OFF), c.push(OP.add), get(VV), c.push(OP.store, 2, 0);
  c.push(OP.end);
  get(I), k(1), c.push(OP.add), set(I);
  c.push(OP.br, 0, OP.end, OP.end);
  get(NF);
  return c; // locals: 7 × i32
}

const SIMD = {
  load: 0x00, store: 0x0b, splat: 0x11, and: 0x4e, andnot: 0x4f, bitselect: 0x52, any_true: 0x53, bitmask: 0xa4,
  lt_s: 0x39, gt_s: 0x3b, le_s: 0x3d, ge_s: 0x3f, ne: 0x38,
  shl: 0xab, shr_s: 0xac, add: 0xae, sub: 0xb1, mul: 0xb5, min_s: 0xb6, max_s: 0xb8,
} as const;

// Locals of the SIMD body after the 12 parameters: i32 I, NF, OFF, MASK, LANE; v128 X, LO, UU, VV, HM, S.
const [SI, SNF, SOFF, SMASK, SLANE] = [12, 13, 14, 15, 16];
const [VX, VLO, VUU, VVV, VHM, VS] = [17, 18, 19, 20, 21, 22];

/**
 * Four compartments per iteration (i32x4): the same operations lane by lane, the held lanes
 * keeping their v, the spiking lanes reset; spikes are written out in lane order. n is a
 * multiple of 4 (the padding lanes are held forever and never spike).
 */
function simdBody(): number[] {
  const c: number[] = [];
  const k = (n: number) => (c.push(OP.const), W.sleb(n, c));
  const get = (l: number) => c.push(OP.get, l);
  const set = (l: number) => c.push(OP.set, l);
  const v = (op: number) => (c.push(0xfd), W.uleb(op, c));
  const splat = (n: number) => (k(n), v(SIMD.splat));
  const splatL = (l: number) => (get(l), v(SIMD.splat));
  const addr = (base: number) => (get(base), get(SOFF), c.push(OP.add));
  const vload = (base: number) => (addr(base), v(SIMD.load), c.push(4, 0));
  // decay0 of VX by the scalar local kl, onto the stack
  const decay = (kl: number) => {
    get(VX), splat(4095), v(SIMD.and), splatL(kl), v(SIMD.mul), set(VLO);
    get(VX), k(12), v(SIMD.shr_s), splatL(kl), v(SIMD.mul);
    get(VLO), k(12), v(SIMD.shr_s), v(SIMD.add);
    // − (X < 0 & (LO & 4095) ≠ 0): the mask lanes are −1
    get(VX), splat(0), v(SIMD.lt_s), get(VLO), splat(4095), v(SIMD.and), splat(0), v(SIMD.ne), v(SIMD.and), v(SIMD.sub);
  };
  k(0), set(SNF), k(0), set(SI);
  c.push(OP.block, 0x40, OP.loop, 0x40);
  get(SI), get(N), c.push(OP.ge_s, OP.br_if, 1);
  get(SI), k(2), c.push(OP.shl), set(SOFF);
  vload(uP), set(VX);
  decay(KU);
  vload(aP), k(6), v(SIMD.shl), v(SIMD.add), set(VUU);
  // wrap: above 2^23 − 2^24; then at or below −2^23 + 2^24
  get(VUU), get(VUU), splat(8388608), v(SIMD.gt_s), splat(16777216), v(SIMD.and), v(SIMD.sub), set(VUU);
  get(VUU), get(VUU), splat(-8388608), v(SIMD.le_s), splat(16777216), v(SIMD.and), v(SIMD.add), set(VUU);
  addr(uP), get(VUU), v(SIMD.store), c.push(4, 0);
  vload(hP), splatL(T), v(SIMD.ge_s), set(VHM);
  vload(vP), set(VX);
  decay(KV);
  get(VUU), v(SIMD.add), vload(bP), v(SIMD.add), splat(8388607), v(SIMD.min_s), splat(-8388607), v(SIMD.max_s), set(VVV);
  get(VVV), splatL(VTH), v(SIMD.gt_s), get(VHM), v(SIMD.andnot), set(VS);
  get(VVV), get(VS), v(SIMD.andnot), set(VVV);
  // held lanes keep their old v (VX)
  addr(vP), get(VX), get(VVV), get(VHM), v(SIMD.bitselect), v(SIMD.store), c.push(4, 0);
  get(VS), v(SIMD.any_true), c.push(OP.if, 0x40);
  get(VS), v(SIMD.bitmask), set(SMASK);
  k(0), set(SLANE);
  c.push(OP.block, 0x40, OP.loop, 0x40);
  get(SLANE), k(4), c.push(OP.ge_s, OP.br_if, 1);
  get(SMASK), get(SLANE), c.push(0x76 /* i32.shr_u */), k(1), c.push(OP.and, OP.if, 0x40);
  get(oP), get(SNF), k(2), c.push(OP.shl, OP.add), get(SI), get(SLANE), c.push(OP.add), c.push(OP.store, 2, 0);
  get(SNF), k(1), c.push(OP.add), set(SNF);
  get(REFR), k(0), c.push(OP.gt_s, OP.if, 0x40);
  get(hP), get(SOFF), c.push(OP.add), get(SLANE), k(2), c.push(OP.shl, OP.add), get(T), get(REFR), c.push(OP.add), c.push(OP.store, 2, 0);
  c.push(OP.end);
  c.push(OP.end);
  get(SLANE), k(1), c.push(OP.add), set(SLANE);
  c.push(OP.br, 0, OP.end, OP.end);
  c.push(OP.end);
  get(SI), k(4), c.push(OP.add), set(SI);
  c.push(OP.br, 0, OP.end, OP.end);
  get(SNF);
  return c; // locals: 5 × i32, 6 × v128
}

let compiled: WebAssembly.Module | undefined;

/** The compiled module (once per process). */
export function kernelModule(): WebAssembly.Module {
  const params = new Array(12).fill(W.I32);
  compiled ??= W.wasmModule([
    { name: 'step', params, result: W.I32, locals: [[7, W.I32]], code: body() },
    { name: 'step4', params, result: W.I32, locals: [[5, W.I32], [6, W.V128]], code: simdBody() },
  ]);
  return compiled;
}

export type StepFn = (uP: number, vP: number, bP: number, aP: number, hP: number, oP: number, n: number, ku: number, kv: number, vth: number, refr: number, t: number) => number;

/**
 * A memory for `arrays` Int32Array[stride] one after the other (stride = n rounded up to 4), and
 * the step functions over it: `step` one compartment at a time, `step4` four (SIMD; n must then
 * be the stride, with held padding lanes).
 */
export function kernelMemory(n: number, arrays: number): { memory: WebAssembly.Memory; stride: number; step: StepFn; step4: StepFn } {
  const stride = Math.ceil(n / 4) * 4;
  const pages = Math.max(1, Math.ceil((4 * stride * arrays + 64) / 65536));
  const memory = new WebAssembly.Memory({ initial: pages });
  const inst = new WebAssembly.Instance(kernelModule(), { env: { memory } });
  return { memory, stride, step: inst.exports.step as StepFn, step4: inst.exports.step4 as StepFn };
}
