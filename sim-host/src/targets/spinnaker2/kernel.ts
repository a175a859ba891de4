// The neuron update of sPyNNaker's IF_curr_exp (emulate.ts documents it, fixed.ts defines the
// operations) as a generated WebAssembly function over int32 arrays in its memory, the products
// in i64: mulRN(a, b) = sat32((a·b + 2^14) >> 15) and decay_s1615(x, d) = (x·d) >> 32 (d an
// unsigned u0.32), the input I = exc − inh + I_offset and α = mulRN(I, R) + V_rest kept in i64
// as the TypeScript path keeps them exact in float64, V stored wrapped to 32 bits as an
// Int32Array stores it — so that it is bit-identical to the TypeScript update (updateNeurons).
//
// update(vP, excP, inhP, timerP, ioffP, outP, n, R, vRest, expTC, vThresh, vReset, tRefract,
// synDecay) → spikes; pointers are byte offsets of Int32Array[n]; the spiking indices go to out.
// update4: the same four neurons at a time (i32x4, products in i64x2).
// Exact while |R| and |exp_TC| ≤ 2^29 (their products with a 35-bit operand stay within i64):
// `kernelFits` says so; otherwise the TypeScript update runs.
import { Body, I32, I64, OP, V128, wasmModule } from '../common/wasm-bytes';

const [vP, eP, hP, tP, oP, outP, N, R, VREST, EXP, VTH, VRESET, TREF, DEC] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13];
// locals: i32 I, NF, OFF, TM; i64 IN, AL
const [I, NF, OFF, TM, IN, AL] = [14, 15, 16, 17, 18, 19];

function updateBody(): number[] {
  const b = new Body();
  const addr = (p: number) => b.get(p).get(OFF).op(OP.add);
  const load = (p: number) => addr(p).op(OP.load, 2, 0);
  const load64 = (p: number) => load(p).op(OP.extend_s);
  // sat32((top of stack + 2^14) >> 15), in i64, through the scratch local
  const roundSat = (scratch: number) => {
    b.k64(16384).op(OP.add64).k64(15).op(OP.shr_s64).set(scratch);
    b.k64(2147483647).get(scratch).get(scratch).k64(2147483647).op(OP.gt_s64, OP.select).set(scratch);
    b.k64(-2147483648).get(scratch).get(scratch).k64(-2147483648).op(OP.lt_s64, OP.select);
  };
  // x = decay_s1615(x, synDecay) for the array at p
  const decay = (p: number) => {
    addr(p);
    load64(p).get(DEC).op(OP.extend_u, OP.mul64).k64(32).op(OP.shr_s64, OP.wrap64);
    b.op(OP.store, 2, 0);
  };
  b.k(0).set(NF).k(0).set(I);
  b.op(OP.block, 0x40, OP.loop, 0x40);
  b.get(I).get(N).op(OP.ge_s, OP.br_if, 1);
  b.get(I).k(2).op(OP.shl).set(OFF);
  load(tP).set(TM);
  b.get(TM).k(0).op(OP.le_s, OP.if, 0x40);
  // I = exc − inh + I_offset; α = mulRN(I, R) + V_rest; V = α − mulRN(exp_TC, α − V)
  load64(eP);
  load64(hP).op(OP.sub64);
  load64(oP).op(OP.add64).set(IN);
  b.get(IN).get(R).op(OP.extend_s, OP.mul64);
  roundSat(IN);
  b.get(VREST).op(OP.extend_s, OP.add64).set(AL);
  addr(vP);
  b.get(AL);
  b.get(EXP).op(OP.extend_s);
  b.get(AL);
  load64(vP).op(OP.sub64, OP.mul64);
  roundSat(IN);
  b.op(OP.sub64, OP.wrap64, OP.store, 2, 0);
  b.op(OP.else);
  addr(tP).get(TM).k(1).op(OP.sub, OP.store, 2, 0);
  b.op(OP.end);
  // V ≥ V_thresh spikes: V = V_reset, timer = T_refract
  load(vP).get(VTH).op(OP.ge_s, OP.if, 0x40);
  addr(vP).get(VRESET).op(OP.store, 2, 0);
  addr(tP).get(TREF).op(OP.store, 2, 0);
  b.get(outP).get(NF).k(2).op(OP.shl, OP.add).get(I).op(OP.store, 2, 0);
  b.get(NF).k(1).op(OP.add).set(NF);
  b.op(OP.end);
  decay(eP);
  decay(hP);
  b.get(I).k(1).op(OP.add).set(I);
  b.op(OP.br, 0, OP.end, OP.end);
  b.get(NF);
  return b.c;
}

// SIMD opcodes (after 0xfd).
const S = {
  load: 0x00, store: 0x0b, shuffle: 0x0d, splat32: 0x11, splat64: 0x12, and: 0x4e, bitselect: 0x52, any_true: 0x53,
  or: 0x50, le_s32: 0x3d, ge_s32: 0x3f, bitmask32: 0xa4, shr_s32: 0xac, shr_u32: 0xad, add32: 0xae, sub32: 0xb1, mul32: 0xb5,
  ext_lo: 0xc7, ext_hi: 0xc8, shr_s64: 0xcc, add64: 0xce, sub64: 0xd1, mul64: 0xd5, lt_s64: 0xd8, gt_s64: 0xd9,
  extmul_lo: 0xdc, extmul_hi: 0xdd,
} as const;
// The low 32 bits of each i64 lane of two vectors: lanes 0, 1 of the first, then of the second.
const NARROW = [0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27];
// The high 32 bits of each i64 lane of two vectors (= the low 32 bits of the lane >> 32, without
// i64x2.shr_s, which x86 has no instruction for).
const HIGH = [4, 5, 6, 7, 12, 13, 14, 15, 20, 21, 22, 23, 28, 29, 30, 31];

// SIMD locals after the 14 parameters: i32 I, NF, OFF, MASK, LANE, FAST; v128 below.
const [SI, SNF, SOFF, SMASK, SLANE, FAST] = [14, 15, 16, 17, 18, 19];
const V0 = 20;
const SIMD_LOCALS = 28;
const [VT, VA, VE, VH, VO, VV, VTMP, VLO, VHI, VNV, VS, R64, EXP64, REST64, MAX64, MIN64, RND64, DSPL, DMV, VTHV, RESETV, TREFV, ONEV, EXPV, RESTV, RND32, M15, BOUND] = Array.from({ length: SIMD_LOCALS }, (_, k) => V0 + k);
/** The 32-bit path's bound on |exc|, |inh|, |I_offset|, |V| and |V_rest| (see simdBody). */
const B28 = 2 ** 28;

/**
 * The same update four neurons at a time (the loop runs over n rounded up to 4; the padding
 * lanes' spikes are not written out). decay_s1615 is i64x2.extmul of the int32 lanes by
 * decay − 2^32, its high words taken, plus x where the decay is ≥ 2^31. The membrane update takes
 * one of two exact routes per four lanes:
 * - 32-bit, when R = 2^15 (then mulRN(I, R) = I), 0 ≤ exp_TC ≤ 2^15 and |exc|, |inh|, |I_offset|,
 *   |V|, |V_rest| < 2^28, so that I, α and d = α − V fit in int32 (|d| < 2^31): mulRN(exp_TC, d)
 *   = exp_TC·(d >> 15) + ((exp_TC·(d & 0x7fff) + 2^14) >> 15) exactly (the first term is a whole
 *   multiple of 2^15), each product below 2^31;
 * - otherwise in two i64x2 halves with saturation, as the scalar kernel.
 */
function simdBody(): number[] {
  const b = new Body();
  const vload = (p: number) => b.get(p).get(SOFF).op(OP.add).v(S.load).op(4, 0);
  const vstoreAt = (p: number) => b.get(p).get(SOFF).op(OP.add);
  const splat64 = (l: number, n: number) => b.k64(n).v(S.splat64).set(l);
  // sat32((x + 2^14) >> 15) of the i64x2 on the stack
  const roundSat = () => {
    b.get(RND64).v(S.add64).k(15).v(S.shr_s64).set(VTMP);
    b.get(MAX64).get(VTMP).get(VTMP).get(MAX64).v(S.gt_s64).v(S.bitselect).set(VTMP);
    b.get(MIN64).get(VTMP).get(VTMP).get(MIN64).v(S.lt_s64).v(S.bitselect);
  };
  const half = (ext: number, out: number) => {
    // IN = exc − inh + I_offset; α = mulRN(IN, R) + V_rest; V' = α − mulRN(exp_TC, α − V)
    b.get(VE).v(ext).get(VH).v(ext).v(S.sub64).get(VO).v(ext).v(S.add64).get(R64).v(S.mul64);
    roundSat();
    b.get(REST64).v(S.add64).set(out);
    b.get(out);
    b.get(EXP64).get(out).get(VV).v(ext).v(S.sub64).v(S.mul64);
    roundSat();
    b.v(S.sub64).set(out);
  };
  const decay = (x: number, p: number) => {
    vstoreAt(p);
    b.get(x).get(DSPL).v(S.extmul_lo);
    b.get(x).get(DSPL).v(S.extmul_hi);
    b.v(S.shuffle).op(...HIGH);
    b.get(x).get(DMV).v(S.and).v(S.add32);
    b.v(S.store).op(4, 0);
  };
  b.get(R).op(OP.extend_s).v(S.splat64).set(R64);
  b.get(EXP).op(OP.extend_s).v(S.splat64).set(EXP64);
  b.get(VREST).op(OP.extend_s).v(S.splat64).set(REST64);
  splat64(MAX64, 2147483647);
  splat64(MIN64, -2147483648);
  splat64(RND64, 16384);
  b.get(DEC).v(S.splat32).set(DSPL);
  b.get(DEC).k(31).op(OP.shr_s).v(S.splat32).set(DMV);
  b.get(VTH).v(S.splat32).set(VTHV);
  b.get(VRESET).v(S.splat32).set(RESETV);
  b.get(TREF).v(S.splat32).set(TREFV);
  b.k(1).v(S.splat32).set(ONEV);
  b.get(EXP).v(S.splat32).set(EXPV);
  b.get(VREST).v(S.splat32).set(RESTV);
  b.k(16384).v(S.splat32).set(RND32);
  b.k(0x7fff).v(S.splat32).set(M15);
  b.k(B28).v(S.splat32).set(BOUND);
  // FAST = R == 2^15 && 0 ≤ exp_TC ≤ 2^15 && −2^28 ≤ V_rest < 2^28
  b.get(R).k(32768).op(OP.eq);
  b.get(EXP).k(0).op(OP.ge_s, OP.and).get(EXP).k(32768).op(OP.le_s, OP.and);
  b.get(VREST).k(B28).op(OP.add).k(2 * B28).op(OP.lt_u, OP.and).set(FAST);
  b.k(0).set(SNF).k(0).set(SI);
  b.op(OP.block, 0x40, OP.loop, 0x40);
  b.get(SI).get(N).op(OP.ge_s, OP.br_if, 1);
  b.get(SI).k(2).op(OP.shl).set(SOFF);
  vload(tP).set(VT);
  b.get(VT).k(0).v(S.splat32).v(S.le_s32).set(VA);
  vload(eP).set(VE);
  vload(hP).set(VH);
  vload(oP).set(VO);
  vload(vP).set(VV);
  // the 32-bit route when every lane's operands are within ±2^28: ((x + 2^28) as u32) >> 29 == 0
  b.get(FAST);
  for (const x of [VE, VH, VO, VV]) {
    b.get(x).get(BOUND).v(S.add32);
    if (x !== VE) b.v(S.or);
  }
  b.k(29).v(S.shr_u32).v(S.any_true).op(OP.eqz, OP.and);
  b.op(OP.if, V128);
  b.get(VE).get(VH).v(S.sub32).get(VO).v(S.add32).get(RESTV).v(S.add32).set(VLO); // α
  b.get(VLO).get(VV).v(S.sub32).set(VHI); // d
  b.get(VLO);
  b.get(EXPV).get(VHI).k(15).v(S.shr_s32).v(S.mul32);
  b.get(EXPV).get(VHI).get(M15).v(S.and).v(S.mul32).get(RND32).v(S.add32).k(15).v(S.shr_s32);
  b.v(S.add32).v(S.sub32);
  b.op(OP.else);
  half(S.ext_lo, VLO);
  half(S.ext_hi, VHI);
  b.get(VLO).get(VHI).v(S.shuffle).op(...NARROW);
  b.op(OP.end);
  // active lanes take the new V and keep the timer; the others keep V and count down
  b.get(VV).get(VA).v(S.bitselect).set(VNV);
  b.get(VT).get(VT).get(ONEV).v(S.sub32).get(VA).v(S.bitselect).set(VT);
  b.get(VNV).get(VTHV).v(S.ge_s32).set(VS);
  vstoreAt(vP).get(RESETV).get(VNV).get(VS).v(S.bitselect).v(S.store).op(4, 0);
  vstoreAt(tP).get(TREFV).get(VT).get(VS).v(S.bitselect).v(S.store).op(4, 0);
  b.get(VS).v(S.any_true).op(OP.if, 0x40);
  b.get(VS).v(S.bitmask32).set(SMASK);
  b.k(0).set(SLANE);
  b.op(OP.block, 0x40, OP.loop, 0x40);
  b.get(SLANE).k(4).op(OP.ge_s, OP.br_if, 1);
  b.get(SMASK).get(SLANE).op(OP.shr_u).k(1).op(OP.and);
  b.get(SI).get(SLANE).op(OP.add).get(N).op(OP.lt_s, OP.and, OP.if, 0x40);
  b.get(outP).get(SNF).k(2).op(OP.shl, OP.add).get(SI).get(SLANE).op(OP.add).op(OP.store, 2, 0);
  b.get(SNF).k(1).op(OP.add).set(SNF);
  b.op(OP.end);
  b.get(SLANE).k(1).op(OP.add).set(SLANE);
  b.op(OP.br, 0, OP.end, OP.end);
  b.op(OP.end);
  decay(VE, eP);
  decay(VH, hP);
  b.get(SI).k(4).op(OP.add).set(SI);
  b.op(OP.br, 0, OP.end, OP.end);
  b.get(SNF);
  return b.c;
}

let compiled: WebAssembly.Module | undefined;

/** The compiled module (once per process). */
export function spinKernelModule(): WebAssembly.Module {
  const params = new Array(14).fill(I32);
  compiled ??= wasmModule([
    { name: 'update', params, result: I32, locals: [[4, I32], [2, I64]], code: updateBody() },
    { name: 'update4', params, result: I32, locals: [[6, I32], [SIMD_LOCALS, V128]], code: simdBody() },
  ]);
  return compiled;
}

export type UpdateFn = (vP: number, excP: number, inhP: number, timerP: number, ioffP: number, outP: number, n: number, r: number, vRest: number, expTC: number, vThresh: number, vReset: number, tRefract: number, synDecay: number) => number;

/** Whether the kernel is exact for these constants (see the header). */
export function kernelFits(rMembrane: number, expTC: number): boolean {
  return Math.abs(rMembrane) <= 2 ** 29 && Math.abs(expTC) <= 2 ** 29;
}

/**
 * A memory for `arrays` Int32Array[n] one after the other (n rounded up to 4 apart), their byte
 * offsets, and the updates over it: `update` one neuron at a time, `update4` four (SIMD).
 */
export function spinKernelMemory(n: number, arrays: number): { memory: WebAssembly.Memory; at: number[]; update: UpdateFn; update4: UpdateFn } {
  const stride = Math.ceil(n / 4) * 4;
  const pages = Math.max(1, Math.ceil((4 * stride * arrays + 64) / 65536));
  const memory = new WebAssembly.Memory({ initial: pages });
  const inst = new WebAssembly.Instance(spinKernelModule(), { env: { memory } });
  const at = Array.from({ length: arrays }, (_, k) => 64 + 4 * stride * k);
  return { memory, at, update: inst.exports.update as UpdateFn, update4: inst.exports.update4 as UpdateFn };
}
