// Plan → WebAssembly module. Per neuron population, one generated loop integrates the model's
// equations (exponential Euler for equations affine in their variable, else euler/rk2/rk4),
// applies refractoriness, tests the spike condition and applies the reset. Poisson inputs,
// spike propagation through CSR + delay ring buffers, and ring delivery are generated too.
// Parameters that are the same for all neurons are folded into constants.
// State is f32 in memory and f64 while computing.
import type { ExprIR, ModelDefIR, StatementIR } from '../../../protocol/ir';
import { affine, fold, isConst, K } from '../core/ir-algebra';
import { PlanError } from '../core/limits';
import { Stream } from '../core/rng';
import { gatesInput, heldVariables, ownOf, type Plan, type PlasticPlan, type PopPlan, type ProjPlan } from '../core/plan';
import { Code, ModuleBuilder, Op, Sat, T, V } from './emitter';
import { emitCodyWaite, emitExprel, emitTanh, MathTemps, type ArithOp, type CmpOp, type LaneOps } from './lanes-math';

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

interface Fns {
  exp: number;
  log: number;
  sin: number;
  cos: number;
  pow: number;
  u01: number;
  normal: number;
  words: number;
}

export interface Compiled {
  bytes: Uint8Array;
  pages: number;
}

export function compile(plan: Plan, options: { simd?: boolean; precision?: 'f32' | 'f64' } = {}): Compiled {
  const mb = new ModuleBuilder();
  const pages = Math.ceil(plan.bytes / 65536) + 1;
  mb.importMemory('env', 'memory', pages);
  const fns: Fns = {
    log: mb.importFunc('math', 'log', [T.f64], [T.f64]),
    sin: mb.importFunc('math', 'sin', [T.f64], [T.f64]),
    cos: mb.importFunc('math', 'cos', [T.f64], [T.f64]),
    pow: mb.importFunc('math', 'pow', [T.f64, T.f64], [T.f64]),
    exp: -1,
    u01: -1,
    normal: -1,
    words: -1,
  };
  const exp = mb.declare([T.f64], [T.f64]);
  fns.exp = exp.index;
  emitExp(exp.code);
  const k0 = plan.seed >>> 0;
  const k1 = Math.floor(plan.seed / 4294967296) >>> 0;
  const u01 = mb.declare([T.i32, T.i32, T.i32, T.i32], [T.f64]);
  fns.u01 = u01.index;
  emitPhilox(u01.code, k0, k1, false, fns);
  const normal = mb.declare([T.i32, T.i32, T.i32, T.i32], [T.f64]);
  fns.normal = normal.index;
  emitPhilox(normal.code, k0, k1, true, fns);

  const words = mb.declare([T.i32, T.i32, T.i32, T.i32, T.i32], []);
  fns.words = words.index;
  emitPhilox(words.code, k0, k1, 'store', fns);

  const update = mb.declare([T.i32], [], 'update');
  // schedule(t): the populations' scheduled operations due at step t (only where a model has some).
  if (plan.pops.some((p) => p.schedules?.length)) {
    const schedule = mb.declare([T.i32], [], 'schedule');
    for (const p of plan.pops) if (p.schedules?.length) new ScheduleCodegen(plan, p, schedule.code, fns).emitSchedule();
  }
  // link(t): linked parameters from their sources, after the scheduled operations, before the
  // probes sample and anything is integrated (only where a population has links).
  if (plan.pops.some((p) => p.links?.some((l) => l.from !== undefined))) emitLinks(plan, mb.declare([T.i32], [], 'link').code);
  const deliver = mb.declare([T.i32], [], 'deliver');
  const popFns = plan.pops.map((p) => {
    const f = mb.declare([T.i32], []);
    if (p.kind === 'neuron') {
      // Neurons four (f32x4) or two (f64x2) at a time where the model allows it, the rest one
      // by one at the same precision; both loops call the same spike function.
      f.code.i32(0).i32(0).mem(Op.i32_store, 2, p.countOffset);
      const spike = mb.declare([T.i32, T.i32], []);
      new NeuronCodegen(plan, p, spike.code, fns).emitSpikeFn();
      const [vec, scalar] = lanesFor(p.model!, options);
      // A refractory condition (`refractory when`) is evaluated on scalar lanes only.
      // Only the plan's own neurons (a partition's range, else all).
      const [lo, hi] = ownOf(p);
      const vecEnd = options.simd !== false && !p.model!.refractory_when ? hi - ((hi - lo) % vec.width) : lo;
      new NeuronCodegen(plan, p, f.code, fns, vec).emit(lo, vecEnd, spike.index);
      new NeuronCodegen(plan, p, f.code, fns, scalar).emit(vecEnd, hi, spike.index);
    } else if (p.kind === 'poisson') emitPoisson(plan, p, f.code, fns);
    return f.index;
  });
  // update(t): summed variables (from start-of-step values, as Brian2's summed updaters run
  // just before the groups), clock-driven synapse equations, then every population, in order.
  emitSummedVariables(plan, update.code, fns);
  for (const proj of plan.projs) {
    if (!proj.plastic || !proj.plastic.model.odes.length) continue;
    const g = new SynapseCodegen(plan, proj, update.code, fns);
    if (!g.eventDriven()) g.emitClock();
  }
  for (const [k, p] of plan.pops.entries()) {
    if (p.kind === 'neuron' || p.kind === 'poisson') update.code.get(0).call(popFns[k]);
  }
  // deliver(t): propagate this step's spikes into the ring buffers (static synapses), run
  // plastic synapses' on_pre then on_post (as Brian2's pre and post pathways), then apply slot t.
  for (const proj of plan.projs) if (!proj.plastic && !proj.segments) emitPropagate(proj, deliver.code);
  for (const proj of plan.projs) if (proj.segments) emitSegments(proj, proj.segments, deliver.code);
  for (const proj of plan.projs) if (proj.plastic) new SynapseCodegen(plan, proj, deliver.code, fns).emitPre();
  for (const proj of plan.projs) if (proj.plastic) new SynapseCodegen(plan, proj, deliver.code, fns).emitPost();
  for (const ring of plan.rings) emitRingApply(ring, deliver.code, options.simd !== false);
  return { bytes: mb.encode(), pages };
}

// ---- math --------------------------------------------------------------------------------------

/**
 * exp(x), inline, on any lanes: 2^k · p(r) with r = x - k·ln2 (|r| ≤ ln2/2), p the degree-7
 * Taylor polynomial (relative error < 7e-9, below f32 state resolution) evaluated by Estrin's
 * scheme — short dependency chains, so consecutive neurons overlap in the CPU. x is clamped
 * to [-708, 709] (f32: [-87, 88]). With `m1`, expm1(x) = 2^k·(r·q(r)) + (2^k - 1), q(r) =
 * (p(r) - 1)/r to degree 7: no cancellation for small x, where e^x - 1 would lose every digit
 * that e^x shares with 1. Consumes the value on the stack; `tmp` are three locals of the
 * lanes' type.
 */
export function emitExpLanes(c: Code, L: Lanes, tmp: [number, number, number], m1 = false): void {
  const [x, k, r] = tmp;
  const n = (v: number) => L.num(c, v);
  // ln 2 = hi + lo with hi short enough that k·hi is exact (Cody–Waite)
  emitCodyWaite(c, L, tmp, L.f32 ? -87 : -708, L.f32 ? 88 : 709);
  const C = m1 ? [1, 1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040, 1 / 40320] : [1, 1, 1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040];
  const pair = (i: number) => {
    // C[i] + C[i+1]·r
    n(C[i + 1]);
    c.get(r);
    L.op(c, 'mul');
    n(C[i]);
    L.op(c, 'add');
  };
  // x := r², reused as scratch (x is no longer needed)
  pair(0);
  pair(2);
  c.get(r).get(r);
  L.op(c, 'mul');
  c.tee(x);
  L.op(c, 'mul');
  L.op(c, 'add'); // (c0 + c1 r) + r²(c2 + c3 r)
  pair(4);
  pair(6);
  c.get(x);
  L.op(c, 'mul');
  L.op(c, 'add'); // (c4 + c5 r) + r²(c6 + c7 r)
  c.get(x).get(x);
  L.op(c, 'mul');
  L.op(c, 'mul');
  L.op(c, 'add'); // … + r⁴(…)
  if (!m1) {
    L.pow2(c, k);
    L.op(c, 'mul');
    return;
  }
  c.get(r);
  L.op(c, 'mul');
  L.pow2(c, k);
  c.tee(x);
  L.op(c, 'mul');
  c.get(x);
  n(1);
  L.op(c, 'sub');
  L.op(c, 'add');
}

function emitExp(c: Code): void {
  c.get(0);
  emitExpLanes(c, SCALAR, [c.local(T.f64), c.local(T.f64), c.local(T.f64)]);
}

/** Philox4x32-10 of (c0..c3) under the seed; returns a uniform [0,1) or, with `normal`, N(0,1). */
function emitPhilox(c: Code, k0: number, k1: number, normal: boolean | 'store', fns: Fns): void {
  const [c0, c1, c2, c3] = [0, 1, 2, 3];
  const key0 = c.local(T.i32);
  const key1 = c.local(T.i32);
  const p0 = c.local(T.i64);
  const p1 = c.local(T.i64);
  const n = c.local(T.i32);
  const t = c.local(T.i32);
  c.i32(k0 | 0).set(key0).i32(k1 | 0).set(key1).i32(0).set(n);
  c.begin(Op.loop);
  c.i64(BigInt(M0)).get(c0).op(Op.i64_extend_i32_u).op(Op.i64_mul).set(p0);
  c.i64(BigInt(M1)).get(c2).op(Op.i64_extend_i32_u).op(Op.i64_mul).set(p1);
  // c0' = hi(p1) ^ c1 ^ key0 ; c1' = lo(p1) ; c2' = hi(p0) ^ c3 ^ key1 ; c3' = lo(p0)
  c.get(p1).i64(32n).op(Op.i64_shr_u).op(Op.i32_wrap_i64).get(c1).op(Op.i32_xor).get(key0).op(Op.i32_xor).set(t);
  c.get(p1).op(Op.i32_wrap_i64).set(c1);
  c.get(t).set(c0);
  c.get(p0).i64(32n).op(Op.i64_shr_u).op(Op.i32_wrap_i64).get(c3).op(Op.i32_xor).get(key1).op(Op.i32_xor).set(c2);
  c.get(p0).op(Op.i32_wrap_i64).set(c3);
  c.get(key0).i32(W0 | 0).op(Op.i32_add).set(key0);
  c.get(key1).i32(W1 | 0).op(Op.i32_add).set(key1);
  c.get(n).i32(1).op(Op.i32_add).tee(n).i32(10).op(Op.i32_lt_u).br(Op.br_if, 0);
  c.end();
  const unit = (a: number, b: number) => {
    c.get(a).i32(5).op(Op.i32_shr_u).op(Op.f64_convert_i32_u).f64(67108864).op(Op.f64_mul);
    c.get(b).i32(6).op(Op.i32_shr_u).op(Op.f64_convert_i32_u).op(Op.f64_add).f64(1 / 9007199254740992).op(Op.f64_mul);
  };
  if (normal === 'store') {
    // philox4(c0, c1, c2, c3, addr): the four words to memory at addr
    c.get(4).get(c0).mem(Op.i32_store, 2, 0);
    c.get(4).get(c1).mem(Op.i32_store, 2, 4);
    c.get(4).get(c2).mem(Op.i32_store, 2, 8);
    c.get(4).get(c3).mem(Op.i32_store, 2, 12);
    return;
  }
  if (!normal) {
    unit(c0, c1);
    return;
  }
  // Box–Muller: sqrt(-2 ln(1 - u1)) · cos(2π u2)
  c.f64(-2).f64(1);
  unit(c0, c1);
  c.op(Op.f64_sub).call(fns.log).op(Op.f64_mul).op(Op.f64_sqrt);
  c.f64(2 * Math.PI);
  unit(c2, c3);
  c.op(Op.f64_mul).call(fns.cos).op(Op.f64_mul);
}

// ---- lanes: scalar f64, f64x2, scalar f32, f32x4 ------------------------------------------------


/**
 * The instruction set the expression and integration code is written against: one value per
 * neuron (f64 or f32; conditions i32) or a vector of them (f64x2 with i64x2 masks, f32x4 with
 * i32x4 masks). A scalar and a vector lane set of the same precision compute the same
 * arithmetic in the same order, so a population's vector loop and its scalar tail agree bit
 * for bit. `pmin`/`pmax` are b < a ? b : a and a < b ? b : a (one instruction on vectors;
 * a NaN in a stays NaN), used where the sign of zero does not matter.
 */
export interface Lanes extends LaneOps {
  vector: boolean;
  /** Neurons per value. */
  width: 1 | 2 | 4;
  /** An f64 on the stack → a value (all lanes). */
  splat(c: Code): void;
  logic(c: Code, op: 'and' | 'or' | 'not'): void;
  /** condition → 1 or 0 */
  condToValue(c: Code): void;
  /** element(s) of a Float32Array at byte offset `offset`, for neuron index local `i` */
  loadF32(c: Code, i: number, offset: number): void;
  /** address, value → stored as f32 at address + offset */
  storeF32(c: Code, offset: number): void;
  /** element(s) of an Int32Array (i32, or i32x4 lanes of which the first `width` count) */
  loadI32(c: Code, i: number, offset: number): void;
  /** address, i32 lanes → stored */
  storeI32(c: Code, offset: number): void;
  /** i32 lanes > 0 → a condition */
  positive(c: Code): void;
  /** condition local → i32 truth of lane `lane` */
  laneTrue(c: Code, mask: number, lane: number): void;
  /** condition → i32: any lane true */
  anyTrue(c: Code): void;
  /** the neuron index(es) as value */
  index(c: Code, i: number): void;
}

const F64_OPS: Record<ArithOp, number> = { add: Op.f64_add, sub: Op.f64_sub, mul: Op.f64_mul, div: Op.f64_div, min: Op.f64_min, max: Op.f64_max, neg: Op.f64_neg, abs: Op.f64_abs, sqrt: Op.f64_sqrt, nearest: Op.f64_nearest, pmin: Op.f64_min, pmax: Op.f64_max };
const F64_CMP: Record<CmpOp, number> = { lt: Op.f64_lt, le: Op.f64_le, gt: Op.f64_gt, ge: Op.f64_ge, eq: Op.f64_eq, ne: Op.f64_ne };
const F32_OPS: Record<ArithOp, number> = { add: Op.f32_add, sub: Op.f32_sub, mul: Op.f32_mul, div: Op.f32_div, min: Op.f32_min, max: Op.f32_max, neg: Op.f32_neg, abs: Op.f32_abs, sqrt: Op.f32_sqrt, nearest: Op.f32_nearest, pmin: Op.f32_min, pmax: Op.f32_max };
const F32_CMP: Record<CmpOp, number> = { lt: Op.f32_lt, le: Op.f32_le, gt: Op.f32_gt, ge: Op.f32_ge, eq: Op.f32_eq, ne: Op.f32_ne };
const V64_OPS: Record<ArithOp, number> = { add: V.f64x2_add, sub: V.f64x2_sub, mul: V.f64x2_mul, div: V.f64x2_div, min: V.f64x2_min, max: V.f64x2_max, neg: V.f64x2_neg, abs: V.f64x2_abs, sqrt: V.f64x2_sqrt, nearest: V.f64x2_nearest, pmin: V.f64x2_pmin, pmax: V.f64x2_pmax };
const V64_CMP: Record<CmpOp, number> = { lt: V.f64x2_lt, le: V.f64x2_le, gt: V.f64x2_gt, ge: V.f64x2_ge, eq: V.f64x2_eq, ne: V.f64x2_ne };
const V32_OPS: Record<ArithOp, number> = { add: V.f32x4_add, sub: V.f32x4_sub, mul: V.f32x4_mul, div: V.f32x4_div, min: V.f32x4_min, max: V.f32x4_max, neg: V.f32x4_neg, abs: V.f32x4_abs, sqrt: V.f32x4_sqrt, nearest: V.f32x4_nearest, pmin: V.f32x4_pmin, pmax: V.f32x4_pmax };
const V32_CMP: Record<CmpOp, number> = { lt: V.f32x4_lt, le: V.f32x4_le, gt: V.f32x4_gt, ge: V.f32x4_ge, eq: V.f32x4_eq, ne: V.f32x4_ne };

const scalarCommon = {
  vector: false,
  width: 1,
  logic: (c: Code, op: 'and' | 'or' | 'not') => void c.op(op === 'and' ? Op.i32_and : op === 'or' ? Op.i32_or : Op.i32_eqz),
  select: (c: Code) => void c.op(Op.select),
  loadI32: (c: Code, i: number, offset: number) => void c.get(i).i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, offset),
  storeI32: (c: Code, offset: number) => void c.mem(Op.i32_store, 2, offset),
  positive: (c: Code) => void c.i32(0).op(Op.i32_gt_s),
  laneTrue: (c: Code, mask: number) => void c.get(mask),
  anyTrue: () => undefined,
} as const;

const vectorCommon = {
  vector: true,
  type: T.v128,
  logic: (c: Code, op: 'and' | 'or' | 'not') => void c.simd(op === 'and' ? V.and : op === 'or' ? V.or : V.not),
  select: (c: Code) => void c.simd(V.bitselect),
  anyTrue: (c: Code) => void c.simd(V.any_true),
} as const;

export const SCALAR: Lanes = {
  ...scalarCommon,
  f32: false,
  type: T.f64,
  num: (c, x) => void c.f64(x),
  splat: () => undefined,
  op: (c, op) => void c.op(F64_OPS[op]),
  cmp: (c, op) => void c.op(F64_CMP[op]),
  condToValue: (c) => void c.op(Op.f64_convert_i32_u),
  loadF32: (c, i, offset) => void c.get(i).i32(2).op(Op.i32_shl).mem(Op.f32_load, 2, offset).op(Op.f64_promote_f32),
  storeF32: (c, offset) => void c.op(Op.f32_demote_f64).mem(Op.f32_store, 2, offset),
  index: (c, i) => void c.get(i).op(Op.f64_convert_i32_u),
  pow2: (c, k) => void c.get(k).sat(Sat.i64_trunc_sat_f64_s).i64(1023n).op(Op.i64_add).i64(52n).op(Op.i64_shl).op(Op.f64_reinterpret_i64),
};

export const PAIRS: Lanes = {
  ...vectorCommon,
  width: 2,
  f32: false,
  num: (c, x) => void c.f64x2(x),
  splat: (c) => void c.simd(V.f64x2_splat),
  op: (c, op) => void c.simd(V64_OPS[op]),
  cmp: (c, op) => void c.simd(V64_CMP[op]),
  condToValue: (c) => {
    // mask → bitselect(1, 0, mask): needs the mask last on the stack
    const m = c.local(T.v128);
    c.set(m).f64x2(1).f64x2(0).get(m).simd(V.bitselect);
  },
  loadF32: (c, i, offset) => void c.get(i).i32(2).op(Op.i32_shl).simd(V.load64_zero, { align: 3, offset }).simd(V.f64x2_promote_low),
  storeF32: (c, offset) => void c.simd(V.f32x4_demote_zero).simd(V.store64_lane, { align: 3, offset }, 0),
  loadI32: (c, i, offset) => void c.get(i).i32(2).op(Op.i32_shl).simd(V.load64_zero, { align: 3, offset }),
  storeI32: (c, offset) => void c.simd(V.store64_lane, { align: 3, offset }, 0),
  positive: (c) => void c.i32(0).simd(V.i32x4_splat).simd(V.i32x4_gt_s).simd(V.i64x2_extend_low_s),
  laneTrue: (c, mask, lane) => void c.get(mask).simd(V.i64x2_extract, undefined, lane).op(Op.i32_wrap_i64),
  index: (c, i) => void c.get(i).simd(V.i32x4_splat).i32x4([0, 1, 0, 0]).simd(V.i32x4_add).simd(V.f64x2_convert_low_i32x4_s),
  // 2^k without an f64x2 → i64x2 conversion: k + 1.5·2^52 holds k in the low mantissa bits.
  pow2: (c, k) => void c.get(k).f64x2(6755399441055744).simd(V.f64x2_add).f64x2(6755399441055744).simd(V.i64x2_sub).i64(1023n).simd(V.i64x2_splat).simd(V.i64x2_add).i32(52).simd(V.i64x2_shl),
};

export const SCALAR32: Lanes = {
  ...scalarCommon,
  f32: true,
  type: T.f32,
  num: (c, x) => void c.f32(x),
  splat: (c) => void c.op(Op.f32_demote_f64),
  op: (c, op) => void c.op(F32_OPS[op]),
  cmp: (c, op) => void c.op(F32_CMP[op]),
  condToValue: (c) => void c.op(Op.f32_convert_i32_u),
  loadF32: (c, i, offset) => void c.get(i).i32(2).op(Op.i32_shl).mem(Op.f32_load, 2, offset),
  storeF32: (c, offset) => void c.mem(Op.f32_store, 2, offset),
  index: (c, i) => void c.get(i).op(Op.f32_convert_i32_u),
  pow2: (c, k) => void c.get(k).sat(Sat.i32_trunc_sat_f32_s).i32(127).op(Op.i32_add).i32(23).op(Op.i32_shl).op(Op.f32_reinterpret_i32),
};

export const QUADS: Lanes = {
  ...vectorCommon,
  width: 4,
  f32: true,
  num: (c, x) => void c.f32x4(x),
  splat: (c) => void c.op(Op.f32_demote_f64).simd(V.f32x4_splat),
  op: (c, op) => void c.simd(V32_OPS[op]),
  cmp: (c, op) => void c.simd(V32_CMP[op]),
  condToValue: (c) => {
    const m = c.local(T.v128);
    c.set(m).f32x4(1).f32x4(0).get(m).simd(V.bitselect);
  },
  loadF32: (c, i, offset) => void c.get(i).i32(2).op(Op.i32_shl).simd(V.v128_load, { align: 2, offset }),
  storeF32: (c, offset) => void c.simd(V.v128_store, { align: 2, offset }),
  loadI32: (c, i, offset) => void c.get(i).i32(2).op(Op.i32_shl).simd(V.v128_load, { align: 2, offset }),
  storeI32: (c, offset) => void c.simd(V.v128_store, { align: 2, offset }),
  positive: (c) => void c.i32(0).simd(V.i32x4_splat).simd(V.i32x4_gt_s),
  laneTrue: (c, mask, lane) => void c.get(mask).simd(V.i32x4_extract, undefined, lane),
  index: (c, i) => void c.get(i).simd(V.i32x4_splat).i32x4([0, 1, 2, 3]).simd(V.i32x4_add).simd(V.f32x4_convert_i32x4_s),
  // k + 1.5·2^23 holds k in the low mantissa bits; its bits minus those of 1.5·2^23 are k.
  pow2: (c, k) => void c.get(k).f32x4(12582912).simd(V.f32x4_add).i32x4([0x4b400000, 0x4b400000, 0x4b400000, 0x4b400000]).simd(V.i32x4_sub).i32x4([127, 127, 127, 127]).simd(V.i32x4_add).i32(23).simd(V.i32x4_shl),
};

// ---- expressions to code ----------------------------------------------------------------------

/** Emits IR expressions as values or conditions of its lanes; subclasses resolve the names. */
abstract class ExprCodegen {
  protected i = 0;
  protected t = 0;
  protected aliasCache = new Map<string, number>();
  protected randSite = 0;
  /** Counter word c2 of rand()/randn(): randStream + 16·call site (protocol/rng.md). */
  protected randStream = 6;
  protected timeOffset = 0;
  protected expTmp?: [number, number, number];
  protected mathTmp?: MathTemps;
  /** Inside withShared: the subtrees the scope repeats (by key) and the locals of those computed so far. */
  private shared?: { keys: Set<string>; locals: Map<string, number> };
  constructor(protected plan: Plan, protected c: Code, protected fns: Fns, protected objectIndex: number, protected L: Lanes = SCALAR) {}

  /** Emits names (parameters, named expressions, …); returns false for operators and constants. */
  protected abstract leaf(e: ExprIR, vals: Map<string, number>): boolean;

  /** The definition of a named expression, where the subclass has them. */
  protected aliasDef(_name: string): ExprIR | undefined {
    return undefined;
  }

  /**
   * Runs `body` (which emits `exprs`) with every subtree that `exprs` and the named expressions
   * they use repeat computed once, at its first use, into a local (Hodgkin–Huxley's membrane
   * equation splits into a + b·v with m³h and n⁴ in both). The scope must read one set of
   * values throughout; the operations and their order are those of recomputing, so are the
   * results. Subtrees drawing random numbers are never shared (each call site is its own draw).
   */
  protected withShared(exprs: ExprIR[], body: () => void): void {
    const count = new Map<string, number>();
    const seen = new Set<string>();
    const visit = (e: ExprIR) => {
      if (e.op === 'alias') {
        const d = seen.has(e.name) ? undefined : this.aliasDef(e.name);
        seen.add(e.name);
        if (d) visit(d);
        return;
      }
      if (!('args' in e)) return;
      const k = shareKey(e);
      if (k !== undefined) {
        const n = (count.get(k) ?? 0) + 1;
        count.set(k, n);
        if (n > 1) return;
      }
      e.args.forEach(visit);
    };
    exprs.forEach(visit);
    this.shared = { keys: new Set([...count].filter(([, n]) => n > 1).map(([k]) => k)), locals: new Map() };
    try {
      body();
    } finally {
      this.shared = undefined;
    }
  }

  protected num(x: number): void {
    this.L.num(this.c, x);
  }

  /** exp (or expm1) of the value on the stack, inlined (a call per neuron and step costs as much as the math). */
  protected exp(m1 = false): void {
    const c = this.c;
    this.expTmp ??= [c.local(this.L.type), c.local(this.L.type), c.local(this.L.type)];
    emitExpLanes(c, this.L, this.expTmp, m1);
  }

  /** Emits the value of `e` with state variables read from `vals` (a repeated subtree from its local, inside withShared). */
  protected value(e: ExprIR, vals: Map<string, number>): void {
    const sh = this.shared;
    const k = sh && sh.keys.size ? shareKey(e) : undefined;
    if (!sh || k === undefined || !sh.keys.has(k)) return this.compute(e, vals);
    const l = sh.locals.get(k);
    if (l !== undefined) {
      this.c.get(l);
      return;
    }
    this.compute(e, vals);
    const nl = this.c.local(this.L.type);
    this.c.tee(nl);
    sh.locals.set(k, nl);
  }

  private compute(e: ExprIR, vals: Map<string, number>): void {
    const c = this.c;
    const L = this.L;
    if (e.op === 'state') {
      // a state variable: the local holding its value in this update
      const l = vals.get(e.name);
      if (l === undefined) this.num(NaN);
      else c.get(l);
      return;
    }
    if (this.leaf(e, vals)) return;
    switch (e.op) {
      case 'const':
        this.num(e.value);
        return;
      case 'neg':
        this.value(e.args[0], vals);
        L.op(c, 'neg');
        return;
      case 'call':
        this.callFn(e.fn, e.args, vals);
        return;
      case 'add':
      case 'sub':
      case 'mul':
      case 'div':
        this.value(e.args[0], vals);
        this.value(e.args[1], vals);
        L.op(c, e.op);
        return;
      case 'pow': {
        const ex = e.args[1];
        if (isConst(ex) && (ex.value === 2 || ex.value === 3)) {
          const l = c.local(L.type);
          this.value(e.args[0], vals);
          c.tee(l).get(l);
          L.op(c, 'mul');
          if (ex.value === 3) {
            c.get(l);
            L.op(c, 'mul');
          }
          return;
        }
        this.value(e.args[0], vals);
        this.value(ex, vals);
        if (L.vector) this.perLane(2, () => c.call(this.fns.pow));
        else c.call(this.fns.pow);
        return;
      }
      case 'lt':
      case 'le':
      case 'gt':
      case 'ge':
      case 'eq':
      case 'ne':
      case 'and':
      case 'or':
      case 'not':
        this.cond(e, vals);
        L.condToValue(c);
        return;
    }
    this.num(NaN);
  }

  /** Emits the truth value (i32, or an i64x2 mask) of `e`. */
  protected cond(e: ExprIR, vals: Map<string, number>): void {
    const c = this.c;
    const L = this.L;
    if (e.op in F64_CMP && 'args' in e) {
      const [l, r] = e.args as [ExprIR, ExprIR];
      this.value(l, vals);
      this.value(r, vals);
      L.cmp(c, e.op as CmpOp);
    } else if ((e.op === 'and' || e.op === 'or') && 'args' in e) {
      this.cond(e.args[0], vals);
      this.cond(e.args[1] as ExprIR, vals);
      L.logic(c, e.op);
    } else if (e.op === 'not') {
      this.cond(e.args[0], vals);
      L.logic(c, 'not');
    } else {
      this.value(e, vals);
      this.num(0);
      L.cmp(c, 'ne');
    }
  }

  protected callFn(fn: string, args: ExprIR[], vals: Map<string, number>): void {
    const c = this.c;
    const L = this.L;
    const one = () => this.value(args[0], vals);
    switch (fn) {
      case 'exp':
        one();
        this.exp();
        return;
      case 'exprel':
      case 'tanh':
        one();
        this.mathTmp ??= new MathTemps(c, L.type);
        (fn === 'exprel' ? emitExprel : emitTanh)(c, L, this.mathTmp);
        return;
      case 'sqrt':
      case 'abs':
        one();
        L.op(c, fn);
        return;
      case 'sigmoid':
        this.num(1);
        this.num(1);
        one();
        L.op(c, 'neg');
        this.exp();
        L.op(c, 'add');
        L.op(c, 'div');
        return;
      case 'relu':
        one();
        this.num(0);
        L.op(c, 'max');
        return;
      case 'heaviside':
        one();
        this.num(0);
        L.cmp(c, 'gt');
        L.condToValue(c);
        return;
      case 'min':
      case 'max':
        this.value(args[0], vals);
        this.value(args[1], vals);
        L.op(c, fn);
        return;
      case 'clip':
        this.value(args[0], vals);
        this.value(args[1], vals);
        L.op(c, 'max');
        this.value(args[2], vals);
        L.op(c, 'min');
        return;
    }
    switch (fn) {
      case 'log':
      case 'sin':
      case 'cos':
        one();
        if (L.vector) this.perLane(1, () => c.call(this.fns[fn]));
        else c.call(this.fns[fn]);
        return;
      case 'rand':
      case 'randn': {
        // Counter: (element, step, 6 + 16·site, object); scheduled operations 7 + 16·site
        const site = this.randSite++;
        const draw = (lane: number) => {
          c.get(this.i);
          if (lane) c.i32(lane).op(Op.i32_add);
          c.get(this.t).i32(this.randStream + 16 * site).i32(this.objectIndex).call(fn === 'rand' ? this.fns.u01 : this.fns.normal);
        };
        if (L.vector) this.perLane(0, draw);
        else draw(0);
        return;
      }
    }
    this.num(NaN);
  }

  /**
   * f64x2 lanes (lanesFor never gives f32x4 to a model calling these): `call` once per lane, on
   * that lane's `args` values (taken from the stack) — the scalar loop's calls, neuron by neuron,
   * so the results are the same bits — and the two results as one vector.
   */
  private perLane(args: 0 | 1 | 2, call: (lane: number) => void): void {
    const c = this.c;
    if (this.L.f32 || this.L.width !== 2) throw new Error('per-lane calls run on f64x2 lanes only');
    const locals = Array.from({ length: args }, () => c.local(T.v128));
    for (let k = args - 1; k >= 0; k--) c.set(locals[k]);
    for (const lane of [0, 1]) {
      for (const l of locals) c.get(l).simd(V.f64x2_extract, undefined, lane);
      call(lane);
      if (lane === 0) c.simd(V.f64x2_splat);
      else c.simd(V.f64x2_replace, undefined, 1);
    }
  }
}

const SHAREABLE = new Set(['add', 'sub', 'mul', 'div', 'neg', 'pow', 'call']);
const shareKeys = new WeakMap<ExprIR, string | null>();

/** The key of an operation withShared may compute once (its whole subtree), or undefined. */
function shareKey(e: ExprIR): string | undefined {
  if (!SHAREABLE.has(e.op)) return undefined;
  let k = shareKeys.get(e);
  if (k === undefined) {
    const text = JSON.stringify(e);
    k = /"fn":"randn?"/.test(text) ? null : text;
    shareKeys.set(e, k);
  }
  return k ?? undefined;
}

// ---- neuron populations ------------------------------------------------------------------------

/** Calls the vector loops make once per lane (imports, or the generators with the lane's neuron as counter): f64x2 only. */
const LANE_CALLS = new Set(['log', 'sin', 'cos', 'rand', 'randn']);

/**
 * The arithmetic of a model's update: f32 (f32x4 + scalar f32) for models integrated by
 * exponential Euler — affine equations whose state is stored as f32 anyway, where f32 steps
 * add rounding far below the f32 state's own; f64 (f64x2 + scalar f64) for explicit methods
 * (rk2, rk4, euler), whose intermediate stages are sensitive (a fast Izhikevich upstroke), and
 * for models calling exprel or tanh (Hodgkin–Huxley rates: their f32 error has not been held
 * to the precision tests; they ran f64 when these were imports and still do). `precision`
 * forces one.
 */
export function lanesFor(m: ModelDefIR, options: { precision?: 'f32' | 'f64' } = {}): [Lanes, Lanes] {
  const exact = ((m.method ?? 'exact') === 'exact' && m.odes.every((o) => o.linear)) || m.method === 'exponential';
  const f32 = options.precision ? options.precision === 'f32' && !perLaneCalls(m) : exact && !perLaneCalls(m) && !calls(m, F64_CALLS);
  return f32 ? [QUADS, SCALAR32] : [PAIRS, SCALAR];
}

const F64_CALLS = new Set(['exprel', 'tanh']);

/** Whether the update calls a function the vector loops call lane by lane (f64x2 only): log, trig, the generators, pow beyond squares and cubes. */
function perLaneCalls(m: ModelDefIR): boolean {
  let found = false;
  walk(m, (e) => {
    if (e.op === 'call' && LANE_CALLS.has(e.fn)) found = true;
    if (e.op === 'pow' && !(isConst(e.args[1]) && (e.args[1].value === 2 || e.args[1].value === 3))) found = true;
  });
  return found;
}

/** Every node of the model's update expressions (equations, aliases, spike condition). */
function walk(m: ModelDefIR, f: (e: ExprIR) => void): void {
  const visit = (e: ExprIR) => {
    f(e);
    if ('args' in e) e.args.forEach(visit);
  };
  m.odes.forEach((o) => visit(o.rhs));
  m.aliases.forEach((a) => visit(a.expr));
  if (m.spike) visit(m.spike);
}

/** Whether the model's update calls one of `fns`. */
function calls(m: ModelDefIR, fns: Set<string>): boolean {
  let found = false;
  walk(m, (e) => {
    if (e.op === 'call' && fns.has(e.fn)) found = true;
  });
  return found;
}

/**
 * A neuron population's update loop, on scalar lanes (neurons [start, N)) or on f64x2 pairs
 * (neurons [0, N - N mod 2)): load state, count the refractory counter down (or, for
 * `refractory when`, clear it where the condition is false), integrate, hold the held
 * variables (plan.ts heldVariables) while refractory, check for NaN/Inf, store, and call the spike
 * function where the condition holds (spikes are rare; the reset runs there, on stored values).
 */
class NeuronCodegen extends ExprCodegen {
  private aliases = new Map<string, ExprIR>();

  constructor(plan: Plan, private pop: PopPlan, c: Code, fns: Fns, L: Lanes = SCALAR) {
    super(plan, c, fns, pop.index, L);
    for (const a of pop.model!.aliases) this.aliases.set(a.name, this.fold(a.expr));
  }

  protected aliasDef(name: string): ExprIR | undefined {
    return this.aliases.get(name);
  }

  protected leaf(e: ExprIR, vals: Map<string, number>): boolean {
    const c = this.c;
    switch (e.op) {
      case 'param': {
        const p = this.pop.params.get(e.name);
        if (!p) this.num(NaN);
        else if ('value' in p) this.num(p.value);
        else this.L.loadF32(c, this.i, p.offset);
        return true;
      }
      case 'alias': {
        let l = this.aliasCache.get(e.name);
        if (l === undefined) {
          l = c.local(this.L.type);
          this.value(this.aliases.get(e.name) ?? K(NaN), vals);
          c.set(l);
          this.aliasCache.set(e.name, l);
        }
        c.get(l);
        return true;
      }
      case 'builtin':
        if (e.name === 't') {
          c.get(this.t).op(Op.f64_convert_i32_s).f64(this.plan.dt).op(Op.f64_mul).f64(this.timeOffset).op(Op.f64_add);
          this.L.splat(c);
        } else if (e.name === 'i') this.L.index(c, this.i);
        else this.num(e.name === 'dt' ? this.plan.dt : this.pop.size);
        return true;
    }
    return false;
  }

  private fold(e: ExprIR): ExprIR {
    return fold(
      e,
      (name) => {
        const p = this.pop.params.get(name);
        return p && 'value' in p ? p.value : undefined;
      },
      this.plan.dt,
      this.pop.size,
    );
  }

  /** The loop; `spikeFn` is spike(i, t) (see emitSpikeFn). */
  emit(start: number, end: number, spikeFn: number): void {
    const c = this.c;
    const L = this.L;
    const m = this.pop.model!;
    const pop = this.pop;
    const lanes = L.width;
    if (end <= start) return;
    this.t = 0;
    this.i = c.local(T.i32);
    const refr = c.local(L.vector ? T.v128 : T.i32);
    const held = c.local(L.vector ? T.v128 : T.i32);
    const bad = c.local(L.type);
    const names = m.state.map((s) => s.name);
    const old = new Map<string, number>();
    const neu = new Map<string, number>();
    for (const s of names) {
      old.set(s, c.local(L.type));
      neu.set(s, c.local(L.type));
    }
    const heldVars = heldVariables(m);
    const odes = m.odes.map((o) => ({ variable: o.variable, rhs: this.fold(o.rhs), linear: o.linear }));
    const method = m.method ?? (odes.every((o) => o.linear) ? 'exact' : 'rk2');
    const addr = () => c.get(this.i).i32(2).op(Op.i32_shl);

    this.num(0);
    c.set(bad);
    c.i32(start).set(this.i);
    c.begin(Op.loop);
    for (const s of names) L.loadF32(c, this.i, pop.state.get(s)!), c.set(old.get(s)!);
    // Refractory, as Brian2: the counter is set to round(t_ref/dt) at a spike and counts down
    // at the start of each step; the step is held while it is still > 0 (the reset variables
    // are held for the steps strictly between the spike and spike + t_ref), and spikes are
    // possible again once it is 0. Vector: counter += (counter > 0 ? -1 : 0), lane-wise.
    L.loadI32(c, this.i, pop.refrOffset);
    c.tee(refr);
    if (m.refractory_when) {
      // `refractory when cond` (scalar lanes only, see emitNeurons): Brian2's
      // not_refractory = not_refractory or not cond, on the start-of-step state, before the
      // update — counter = cond ? counter : 0.
      if (L.vector) throw new Error('refractory when runs on scalar lanes');
      c.i32(0);
      this.aliasCache.clear();
      this.cond(m.refractory_when, old);
      this.aliasCache.clear();
      c.op(Op.select).tee(refr);
    } else if (L.vector) c.get(refr).i32(0).simd(V.i32x4_splat).simd(V.i32x4_gt_s).simd(V.i32x4_add).tee(refr);
    else c.get(refr).i32(0).op(Op.i32_gt_s).op(Op.i32_sub).tee(refr);
    L.positive(c);
    c.set(held);
    for (const s of names) c.get(old.get(s)!).set(neu.get(s)!);
    this.integrate(odes, method, old, neu);
    for (const s of heldVars) {
      if (!neu.has(s)) continue;
      c.get(old.get(s)!).get(neu.get(s)!).get(held);
      L.select(c);
      c.set(neu.get(s)!);
    }
    // NaN/Inf: x - x is 0 for finite x; summed over variables and neurons, tested once after
    // the loop (the engine then finds the first non-finite neuron and variable in memory).
    for (const s of names) {
      c.get(neu.get(s)!).get(neu.get(s)!);
      L.op(c, 'sub');
      c.get(bad);
      L.op(c, 'add');
      c.set(bad);
    }
    // store state and counters
    for (const s of names) {
      addr().get(neu.get(s)!);
      L.storeF32(c, pop.state.get(s)!);
    }
    addr().get(refr);
    L.storeI32(c, pop.refrOffset);
    // spikes: condition ∧ not refractory
    if (m.spike) {
      this.aliasCache.clear();
      this.cond(m.spike, neu);
      c.get(held);
      L.logic(c, 'not');
      L.logic(c, 'and');
      if (L.vector) {
        const spk = c.local(T.v128);
        c.tee(spk);
        L.anyTrue(c);
        c.begin(Op.if);
        for (let lane = 0; lane < lanes; lane++) {
          L.laneTrue(c, spk, lane);
          c.begin(Op.if);
          c.get(this.i).i32(lane).op(Op.i32_add).get(this.t).call(spikeFn);
          c.end();
        }
        c.end();
      } else c.begin(Op.if).get(this.i).get(this.t).call(spikeFn).end();
    }
    c.get(this.i).i32(lanes).op(Op.i32_add).tee(this.i).i32(end).op(Op.i32_lt_u).br(Op.br_if, 0);
    c.end();
    if (names.length) {
      c.get(bad);
      this.num(0);
      L.cmp(c, 'ne');
      L.anyTrue(c);
      c.i32(0).mem(Op.i32_load, 2, this.plan.errOffset).op(Op.i32_eqz).op(Op.i32_and).begin(Op.if);
      c.i32(0).i32(1).mem(Op.i32_store, 2, this.plan.errOffset);
      c.i32(0).i32(pop.index).mem(Op.i32_store, 2, this.plan.errOffset + 4);
      c.i32(0).i32(-1).mem(Op.i32_store, 2, this.plan.errOffset + 8);
      c.i32(0).i32(-1).mem(Op.i32_store, 2, this.plan.errOffset + 12);
      c.i32(0).get(this.t).mem(Op.i32_store, 2, this.plan.errOffset + 16);
      c.end();
    }
  }

  /** spike(i, t): records neuron i's spike, applies the reset and starts its refractory period. */
  emitSpikeFn(): void {
    const c = this.c;
    const m = this.pop.model!;
    const pop = this.pop;
    this.i = 0;
    this.t = 1;
    const vals = new Map<string, number>();
    for (const sv of m.state) vals.set(sv.name, c.local(T.f64));
    const count = c.local(T.i32);
    c.i32(0).mem(Op.i32_load, 2, pop.countOffset).tee(count).i32(2).op(Op.i32_shl).get(this.i).mem(Op.i32_store, 2, pop.listOffset);
    c.i32(0).get(count).i32(1).op(Op.i32_add).mem(Op.i32_store, 2, pop.countOffset);
    for (const [name, l] of vals) c.get(this.i).i32(2).op(Op.i32_shl).mem(Op.f32_load, 2, pop.state.get(name)!).op(Op.f64_promote_f32).set(l);
    for (const st of m.reset) this.statement(st, vals);
    for (const [name, l] of vals) c.get(this.i).i32(2).op(Op.i32_shl).get(l).op(Op.f32_demote_f64).mem(Op.f32_store, 2, pop.state.get(name)!);
    c.get(this.i).i32(2).op(Op.i32_shl);
    if ('value' in pop.refrSteps) c.i32(pop.refrSteps.value);
    else c.get(this.i).i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, pop.refrSteps.offset);
    c.mem(Op.i32_store, 2, pop.refrOffset);
  }

  private integrate(odes: { variable: string; rhs: ExprIR; linear: boolean }[], method: string, old: Map<string, number>, neu: Map<string, number>): void {
    const c = this.c;
    const L = this.L;
    const dt = this.plan.dt;
    const held = method === 'exponential';
    if ((method === 'exact' && odes.every((o) => o.linear)) || held) {
      // Exponential Euler: each variable exactly, the others frozen at their old values (and,
      // for method exponential, function calls too, the variable's own occurrences included).
      // Every equation reads the old values: named expressions and repeated subtrees are
      // computed once for all of them.
      const parts = odes.map((o) => {
        const ab = affine(o.rhs, o.variable, this.aliases, held);
        return { o, a: ab && this.fold(ab.a), b: ab && this.fold(ab.b) };
      });
      this.aliasCache.clear();
      this.withShared(parts.flatMap(({ o, a, b }) => (a && b ? [a, b] : [o.rhs])), () => parts.forEach((p) => this.exponentialStep(p, old, neu)));
      return;
    }
    // Explicit methods on the whole system.
    const derivs = (vals: Map<string, number>, tOffset: number): Map<string, number> => {
      this.aliasCache.clear();
      this.timeOffset = tOffset;
      const out = new Map<string, number>();
      this.withShared(odes.map((o) => o.rhs), () => {
        for (const o of odes) {
          const d = c.local(L.type);
          this.value(o.rhs, vals);
          c.set(d);
          out.set(o.variable, d);
        }
      });
      this.timeOffset = 0;
      return out;
    };
    const shifted = (base: Map<string, number>, k: Map<string, number>, h: number): Map<string, number> => {
      const vals = new Map(base);
      for (const [v, d] of k) {
        const l = c.local(L.type);
        this.step(base.get(v)!, () => c.get(d), h, l);
        vals.set(v, l);
      }
      return vals;
    };
    const k1 = derivs(old, 0);
    if (method === 'euler') {
      for (const [v, d] of k1) this.step(old.get(v)!, () => c.get(d), dt, neu.get(v)!);
      return;
    }
    if (method === 'rk4') {
      const k2 = derivs(shifted(old, k1, dt / 2), dt / 2);
      const k3 = derivs(shifted(old, k2, dt / 2), dt / 2);
      const k4 = derivs(shifted(old, k3, dt), dt);
      for (const [v] of k1) {
        this.step(old.get(v)!, () => {
          // k1 + 2 k2 + 2 k3 + k4
          c.get(k1.get(v)!).get(k2.get(v)!);
          this.num(2);
          L.op(c, 'mul');
          L.op(c, 'add');
          c.get(k3.get(v)!);
          this.num(2);
          L.op(c, 'mul');
          L.op(c, 'add');
          c.get(k4.get(v)!);
          L.op(c, 'add');
        }, dt / 6, neu.get(v)!);
      }
      return;
    }
    // rk2 (midpoint, as Brian2's 'rk2')
    const k2 = derivs(shifted(old, k1, dt / 2), dt / 2);
    for (const [v, d] of k2) this.step(old.get(v)!, () => c.get(d), dt, neu.get(v)!);
  }

  /** out = x + h·d */
  private step(x: number, d: () => void, h: number, out: number): void {
    this.c.get(x);
    d();
    this.num(h);
    this.L.op(this.c, 'mul');
    this.L.op(this.c, 'add');
    this.c.set(out);
  }

  /** One equation's exponential-Euler step from the old values into `neu`: x + (a + b·x)·φ, φ = expm1(b·dt)/b. */
  private exponentialStep({ o, a, b }: { o: { variable: string; rhs: ExprIR }; a?: ExprIR; b?: ExprIR }, old: Map<string, number>, neu: Map<string, number>): void {
    const c = this.c;
    const L = this.L;
    const dt = this.plan.dt;
    const x = old.get(o.variable)!;
    const out = neu.get(o.variable)!;
    if (!a || !b || (isConst(b) && b.value === 0)) {
      // dx/dt independent of x (or not decomposable): x + rhs·dt
      this.step(x, () => this.value(a ?? o.rhs, old), dt, out);
    } else if (isConst(a) && isConst(b)) {
      // x + (a + b·x)·φ, φ = expm1(b·dt)/b: the exact step written as an increment, so
      // that a decay factor close to 1 (slow time constants) is not rounded to the
      // arithmetic's precision — in f32 that rounding would bias every step the same way.
      const phi = Math.expm1(b.value * dt) / b.value;
      c.get(x);
      this.num(b.value);
      c.get(x);
      L.op(c, 'mul');
      this.num(a.value);
      L.op(c, 'add');
      this.num(phi);
      L.op(c, 'mul');
      L.op(c, 'add');
      c.set(out);
    } else {
      // x + (a + b·x)·φ, φ = expm1(b·dt)/b, → dt for |b·dt| tiny
      const bl = c.local(L.type);
      this.value(b, old);
      c.tee(bl);
      this.num(dt);
      L.op(c, 'mul');
      this.exp(true);
      c.get(bl);
      L.op(c, 'div');
      this.num(dt);
      c.get(bl);
      this.num(dt);
      L.op(c, 'mul');
      L.op(c, 'abs');
      this.num(1e-12);
      L.cmp(c, 'gt');
      L.select(c);
      const phi = c.local(L.type);
      c.set(phi);
      c.get(x);
      c.get(bl).get(x);
      L.op(c, 'mul');
      this.value(a, old);
      L.op(c, 'add');
      c.get(phi);
      L.op(c, 'mul');
      L.op(c, 'add');
      c.set(out);
    }
  }

  private statement(st: StatementIR, vals: Map<string, number>): void {
    if (st.target.kind !== 'state') return;
    const l = vals.get(st.target.name);
    if (l === undefined) return;
    const c = this.c;
    this.aliasCache.clear();
    if (st.op === '=') this.value(this.fold(st.value), vals);
    else {
      c.get(l);
      this.value(this.fold(st.value), vals);
      c.op({ '+=': Op.f64_add, '-=': Op.f64_sub, '*=': Op.f64_mul, '/=': Op.f64_div }[st.op]);
    }
    c.set(l);
  }
}

/**
 * A population's scheduled operations (`every` / `at` blocks) in schedule(t): for each block
 * due at step t, every neuron's state variables and assigned parameters are read into f64
 * locals, the statements run in order (later ones see earlier assignments, as in Brian2's
 * abstract code), and the values are stored back. Scalar f64, like the reset; rand()/randn()
 * draw from stream 7 + 16·site with counter (neuron, step, stream, population).
 */
class ScheduleCodegen extends NeuronCodegen {
  private params = new Map<string, { local: number; offset: number }>();

  constructor(plan: Plan, private spop: PopPlan, c: Code, fns: Fns) {
    super(plan, spop, c, fns);
    this.randStream = Stream.schedule;
  }

  protected leaf(e: ExprIR, vals: Map<string, number>): boolean {
    if (e.op === 'param') {
      const p = this.params.get(e.name);
      if (p) {
        this.c.get(p.local);
        return true;
      }
    }
    return super.leaf(e, vals);
  }

  emitSchedule(): void {
    const c = this.c;
    const pop = this.spop;
    const m = pop.model!;
    this.t = 0;
    this.i = c.local(T.i32);
    const vals = new Map<string, number>();
    for (const sv of m.state) vals.set(sv.name, c.local(T.f64));
    for (const sc of pop.schedules ?? []) {
      for (const st of sc.statements) {
        if (st.target.kind !== 'param' || this.params.has(st.target.name)) continue;
        const p = pop.params.get(st.target.name);
        if (!p || !('offset' in p)) throw new PlanError(`population ${pop.name}: the scheduled operation assigns ${st.target.name}, which is not stored per neuron`);
        this.params.set(st.target.name, { local: c.local(T.f64), offset: p.offset });
      }
    }
    const addr = () => c.get(this.i).i32(2).op(Op.i32_shl);
    const held = m.refractory || m.refractory_when ? heldVariables(m) : new Set<string>();
    for (const sc of pop.schedules ?? []) {
      // due: t mod every == 0, or t one of the at steps
      if (sc.every !== undefined) c.get(this.t).i32(sc.every).op(Op.i32_rem_u).op(Op.i32_eqz);
      else {
        const at = sc.at ?? [];
        if (!at.length) continue;
        at.forEach((s, k) => {
          c.get(this.t).i32(s).op(Op.i32_eq);
          if (k > 0) c.op(Op.i32_or);
        });
      }
      c.begin(Op.if);
      c.i32(0).set(this.i);
      c.begin(Op.loop);
      for (const [name, l] of vals) addr().mem(Op.f32_load, 2, pop.state.get(name)!).op(Op.f64_promote_f32).set(l);
      for (const p of this.params.values()) addr().mem(Op.f32_load, 2, p.offset).op(Op.f64_promote_f32).set(p.local);
      for (const st of sc.statements) {
        const l = st.target.kind === 'state' ? vals.get(st.target.name) : st.target.kind === 'param' ? this.params.get(st.target.name)?.local : undefined;
        if (l === undefined) throw new PlanError(`population ${pop.name}: a scheduled operation assigns ${'name' in st.target ? st.target.name : st.target.kind}, not a variable of ${m.name}`);
        this.aliasCache.clear();
        if (st.op === '=') this.value(st.value, vals);
        else {
          c.get(l);
          this.value(st.value, vals);
          c.op({ '+=': Op.f64_add, '-=': Op.f64_sub, '*=': Op.f64_mul, '/=': Op.f64_div }[st.op]);
        }
        if (st.target.kind === 'state' && held.has(st.target.name)) {
          // As Brian2's conditional write: a variable the reset holds keeps its value while the
          // neuron is refractory (counter > 0, from the spike step to spike + t_ref).
          c.get(l);
          addr().mem(Op.i32_load, 2, pop.refrOffset).op(Op.i32_eqz);
          c.op(Op.select);
        }
        c.set(l);
      }
      for (const [name, l] of vals) addr().get(l).op(Op.f32_demote_f64).mem(Op.f32_store, 2, pop.state.get(name)!);
      for (const p of this.params.values()) addr().get(p.local).op(Op.f32_demote_f64).mem(Op.f32_store, 2, p.offset);
      c.get(this.i).i32(1).op(Op.i32_add).tee(this.i).i32(pop.size).op(Op.i32_lt_u).br(Op.br_if, 0);
      c.end();
      c.end();
    }
  }
}

// ---- inputs, propagation, delivery ------------------------------------------------------------

/**
 * Poisson sources: one Philox call per source gives the uniforms of four consecutive steps
 * (counter (source, step >> 2, 5, input); word step & 3, as u32 / 2^32), kept in memory.
 */
function emitPoisson(plan: Plan, pop: PopPlan, c: Code, fns: Fns): void {
  const t = 0;
  const i = c.local(T.i32);
  const count = c.local(T.i32);
  const refresh = c.local(T.i32);
  const lane = c.local(T.i32);
  const [start, stop] = pop.poissonSteps ?? [0, plan.steps];
  const wordsAt = pop.poissonWordsOffset!;
  // Only the plan's own sources (a partition's range, else all).
  const [lo, hi] = ownOf(pop);
  c.i32(0).set(count);
  c.get(t).i32(start).op(Op.i32_ge_s).get(t).i32(stop).op(Op.i32_lt_s).op(Op.i32_and).i32(hi > lo ? 1 : 0).op(Op.i32_and).begin(Op.if);
  c.get(t).i32(3).op(Op.i32_and).tee(lane).op(Op.i32_eqz).get(t).i32(start).op(Op.i32_eq).op(Op.i32_or).set(refresh);
  c.get(lane).i32(2).op(Op.i32_shl).set(lane);
  c.i32(lo).set(i);
  c.begin(Op.loop);
  c.get(refresh).begin(Op.if);
  c.get(i).get(t).i32(2).op(Op.i32_shr_u).i32(5).i32(pop.index).get(i).i32(4).op(Op.i32_shl).i32(wordsAt).op(Op.i32_add).call(fns.words);
  c.end();
  // u = word / 2^32
  c.get(i).i32(4).op(Op.i32_shl).get(lane).op(Op.i32_add).mem(Op.i32_load, 2, wordsAt).op(Op.f64_convert_i32_u).f64(1 / 4294967296).op(Op.f64_mul);
  const p = pop.poissonP!;
  if ('value' in p) c.f64(p.value);
  else c.get(i).i32(2).op(Op.i32_shl).mem(Op.f32_load, 2, p.offset).op(Op.f64_promote_f32);
  c.op(Op.f64_lt).begin(Op.if);
  c.get(count).i32(2).op(Op.i32_shl).get(i).mem(Op.i32_store, 2, pop.listOffset);
  c.get(count).i32(1).op(Op.i32_add).set(count);
  c.end();
  c.get(i).i32(1).op(Op.i32_add).tee(i).i32(hi).op(Op.i32_lt_u).br(Op.br_if, 0);
  c.end();
  c.end();
  c.i32(0).get(count).mem(Op.i32_store, 2, pop.countOffset);
}

/**
 * For each of this step's spikes of `pop` inside the selector [from, to]: `local` = the
 * neuron's index relative to `from`, then `body`. The body sits in a block: `br 0` at its top
 * level skips to the next spike.
 */
function forEachSpike(c: Code, pop: PopPlan, [from, to]: [number, number], local: number, body: () => void): void {
  const k = c.local(T.i32);
  const n = c.local(T.i32);
  c.i32(0).mem(Op.i32_load, 2, pop.countOffset).set(n);
  c.i32(0).set(k);
  c.get(k).get(n).op(Op.i32_lt_u).begin(Op.if).begin(Op.loop).begin(Op.block);
  c.get(k).i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, pop.listOffset).i32(from).op(Op.i32_sub).tee(local).i32(to - from).op(Op.i32_gt_u).br(Op.br_if, 0);
  body();
  c.end();
  c.get(k).i32(1).op(Op.i32_add).tee(k).get(n).op(Op.i32_lt_u).br(Op.br_if, 0).end().end();
}

/** For s over row `row` of a CSR/CSC index at `ptrOffset` (ptr[row] ≤ s < ptr[row + 1]): `body`. */
function forEachInRow(c: Code, ptrOffset: number, row: number, s: number, end: number, body: () => void): void {
  c.get(row).i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, ptrOffset).set(s);
  c.get(row).i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, ptrOffset + 4).set(end);
  c.get(s).get(end).op(Op.i32_lt_u).begin(Op.if).begin(Op.loop);
  body();
  c.get(s).i32(1).op(Op.i32_add).tee(s).get(end).op(Op.i32_lt_u).br(Op.br_if, 0).end().end();
}

function emitPropagate(proj: ProjPlan, c: Code): void {
  const t = 0;
  const r = c.local(T.i32);
  const s = c.local(T.i32);
  const end = c.local(T.i32);
  const base = c.local(T.i32);
  const ring = proj.ring;
  const N = ring.target.size;
  forEachSpike(c, proj.source, proj.src, r, () => {
    if ('value' in proj.delay) {
      // ring slot ((t + d) mod D), as a byte offset of the slot's row
      c.get(t).i32(proj.delay.value).op(Op.i32_add).i32(ring.slots).op(Op.i32_rem_u).i32(N * 4).op(Op.i32_mul).i32(ring.offset + proj.tgt[0] * 4).op(Op.i32_add).set(base);
    }
    forEachInRow(c, proj.rowptrOffset, r, s, end, () => {
      // address = slot row + 4·col
      if ('value' in proj.delay) c.get(base);
      else {
        c.get(t).get(s).i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, proj.delay.offset).op(Op.i32_add).i32(ring.slots).op(Op.i32_rem_u).i32(N * 4).op(Op.i32_mul).i32(ring.offset + proj.tgt[0] * 4).op(Op.i32_add);
      }
      c.get(s).i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, proj.colOffset).i32(2).op(Op.i32_shl).op(Op.i32_add).tee(r);
      c.get(r).mem(Op.f32_load, 2, 0);
      if (proj.constWeight !== undefined) c.f64(proj.constWeight).op(Op.f32_demote_f64);
      else c.get(s).i32(2).op(Op.i32_shl).mem(Op.f32_load, 2, proj.weightOffset);
      c.op(0x92 /* f32.add */).mem(Op.f32_store, 2, 0);
    });
  });
}

/**
 * Dendritic segments (plan.ts SegmentPlan), in deliver(t) with e = t mod W:
 *   1. expire step t − W: active[g] −= window[e][g]; window[e][g] = 0; re-arm a segment whose
 *      count fell below θ (fired[g] = 0);
 *   2. for each synapse s of each source spiking now, g = col[s]: if s is still active
 *      (last[s] > t − W) move its activation from row last[s] mod W to row e, else
 *      window[e][g] += 1, active[g] += 1, and if active[g] ≥ θ and the segment has not fired,
 *      fired[g] = 1 and w goes into ring slot t of neuron floor(g / count) (applied this step,
 *      as a static synapse with no delay); last[s] = t.
 */
function emitSegments(proj: ProjPlan, seg: NonNullable<ProjPlan['segments']>, c: Code): void {
  const t = 0;
  const g = c.local(T.i32);
  const row = c.local(T.i32);
  const a = c.local(T.i32);
  const x = c.local(T.i32);
  const r = c.local(T.i32);
  const s = c.local(T.i32);
  const end = c.local(T.i32);
  const last = c.local(T.i32);
  const W = seg.steps;
  const G = seg.segments;
  const ring = proj.ring;
  // row = byte offset of window row e
  c.get(t).i32(W).op(Op.i32_rem_u).i32(G * 4).op(Op.i32_mul).set(row);
  // 1. expiry
  c.i32(0).set(g);
  c.begin(Op.loop);
  c.get(g).i32(2).op(Op.i32_shl).set(a);
  c.get(row).get(a).op(Op.i32_add).mem(Op.i32_load, 2, seg.windowOffset).tee(x);
  c.begin(Op.if);
  c.get(a).get(a).mem(Op.i32_load, 2, seg.activeOffset).get(x).op(Op.i32_sub).mem(Op.i32_store, 2, seg.activeOffset);
  c.get(row).get(a).op(Op.i32_add).i32(0).mem(Op.i32_store, 2, seg.windowOffset);
  c.end();
  // fired[g] = fired[g] && active[g] >= θ
  c.get(a).get(a).mem(Op.i32_load, 2, seg.firedOffset).get(a).mem(Op.i32_load, 2, seg.activeOffset).i32(seg.threshold).op(Op.i32_ge_s).op(Op.i32_and).mem(Op.i32_store, 2, seg.firedOffset);
  c.get(g).i32(1).op(Op.i32_add).tee(g).i32(G).op(Op.i32_lt_u).br(Op.br_if, 0);
  c.end();
  // 2. this step's spikes
  forEachSpike(c, proj.source, proj.src, r, () => forEachInRow(c, proj.rowptrOffset, r, s, end, () => {
    c.get(s).i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, proj.colOffset).tee(g).i32(2).op(Op.i32_shl).set(a);
    c.get(s).i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, seg.lastOffset).tee(last);
    c.get(t).i32(W).op(Op.i32_sub).op(Op.i32_gt_s).begin(Op.if);
    // still active: window[last mod W][g] −= 1
    c.get(last).i32(W).op(Op.i32_rem_u).i32(G * 4).op(Op.i32_mul).get(a).op(Op.i32_add).tee(x);
    c.get(x).mem(Op.i32_load, 2, seg.windowOffset).i32(1).op(Op.i32_sub).mem(Op.i32_store, 2, seg.windowOffset);
    c.op(Op.else);
    // newly active: active[g] += 1; an event when it reaches θ and the segment has not fired
    c.get(a).get(a).mem(Op.i32_load, 2, seg.activeOffset).i32(1).op(Op.i32_add).tee(x).mem(Op.i32_store, 2, seg.activeOffset);
    c.get(x).i32(seg.threshold).op(Op.i32_ge_s).get(a).mem(Op.i32_load, 2, seg.firedOffset).op(Op.i32_eqz).op(Op.i32_and).begin(Op.if);
    c.get(a).i32(1).mem(Op.i32_store, 2, seg.firedOffset);
    // ring[t mod D][tgt0 + g / count] += w
    c.get(t).i32(ring.slots).op(Op.i32_rem_u).i32(ring.target.size * 4).op(Op.i32_mul).get(g).i32(seg.count).op(Op.i32_div_u).i32(2).op(Op.i32_shl).op(Op.i32_add).tee(x);
    c.get(x).mem(Op.f32_load, 2, ring.offset + proj.tgt[0] * 4).f64(proj.constWeight ?? 0).op(Op.f32_demote_f64).op(0x92 /* f32.add */).mem(Op.f32_store, 2, ring.offset + proj.tgt[0] * 4);
    c.end();
    c.end();
    // window[e][g] += 1; last[s] = t
    c.get(row).get(a).op(Op.i32_add).tee(x);
    c.get(x).mem(Op.i32_load, 2, seg.windowOffset).i32(1).op(Op.i32_add).mem(Op.i32_store, 2, seg.windowOffset);
    c.get(s).i32(2).op(Op.i32_shl).get(t).mem(Op.i32_store, 2, seg.lastOffset);
  }));
}

function emitRingApply(ring: Plan['rings'][number], c: Code, simd: boolean): void {
  const t = 0;
  const j = c.local(T.i32);
  const row = c.local(T.i32);
  const a = c.local(T.i32);
  const N = ring.target.size;
  const varOff = ring.target.state.get(ring.variable)!;
  // As Brian2: input to a variable the reset holds is dropped while the neuron is refractory
  // (from its spike step to the step before spike + t_ref, i.e. while the counter is > 0).
  const m = ring.target.model;
  const gated = gatesInput(m, ring.variable);
  c.get(t).i32(ring.slots).op(Op.i32_rem_u).i32(N * 4).op(Op.i32_mul).i32(ring.offset).op(Op.i32_add).set(row);
  // Four neurons at a time: var += gated ring entry (a refractory neuron's lane masked to +0),
  // entry = 0; then the rest one by one.
  // Only the plan's own neurons (a partition's range, else all).
  const [lo, hi] = ownOf(ring.target);
  if (hi <= lo) return;
  const N4 = simd ? hi - ((hi - lo) % 4) : lo;
  if (N4 > lo) {
    c.i32(lo * 4).set(a);
    c.begin(Op.loop);
    c.get(a);
    c.get(a).simd(V.v128_load, { align: 2, offset: varOff });
    c.get(row).get(a).op(Op.i32_add).simd(V.v128_load, { align: 2, offset: 0 });
    if (gated) c.get(a).simd(V.v128_load, { align: 2, offset: ring.target.refrOffset }).i32x4([0, 0, 0, 0]).simd(V.i32x4_eq).simd(V.and);
    c.simd(V.f32x4_add).simd(V.v128_store, { align: 2, offset: varOff });
    c.get(row).get(a).op(Op.i32_add).i32x4([0, 0, 0, 0]).simd(V.v128_store, { align: 2, offset: 0 });
    c.get(a).i32(16).op(Op.i32_add).tee(a).i32(N4 * 4).op(Op.i32_lt_u).br(Op.br_if, 0);
    c.end();
  }
  if (N4 === hi) return;
  c.i32(N4).set(j);
  c.begin(Op.loop);
  // var[j] += ring[row + j]; ring[row + j] = 0
  c.get(j).i32(2).op(Op.i32_shl).set(a);
  if (gated) c.get(a).mem(Op.i32_load, 2, ring.target.refrOffset).op(Op.i32_eqz).begin(Op.if);
  c.get(a);
  c.get(a).mem(Op.f32_load, 2, varOff);
  c.get(row).get(a).op(Op.i32_add).mem(Op.f32_load, 2, 0);
  c.op(0x92).mem(Op.f32_store, 2, varOff);
  if (gated) c.end();
  c.get(row).get(a).op(Op.i32_add).f64(0).op(Op.f32_demote_f64).mem(Op.f32_store, 2, 0);
  c.get(j).i32(1).op(Op.i32_add).tee(j).i32(hi).op(Op.i32_lt_u).br(Op.br_if, 0);
  c.end();
}

/**
 * A neuron model's named expression as seen from a synapse: its state variables become
 * `pre.x` / `post.x` / `mod.x`, homogeneous parameters constants, per-neuron ones `#name`
 * reads, nested named expressions expanded.
 */
function neuronAlias(e: ExprIR, kind: 'pre' | 'post' | 'mod', pop: PopPlan, depth = 0): ExprIR {
  if (depth > 100) return K(NaN);
  switch (e.op) {
    case 'state':
      return { op: kind, name: e.name };
    case 'param': {
      const p = pop.params.get(e.name);
      return !p ? K(NaN) : 'value' in p ? K(p.value) : { op: kind, name: `#${e.name}` };
    }
    case 'alias': {
      const a = pop.model?.aliases.find((x) => x.name === e.name);
      return a ? neuronAlias(a.expr, kind, pop, depth + 1) : K(NaN);
    }
    default:
      if ('args' in e) return { ...e, args: e.args.map((x) => neuronAlias(x, kind, pop, depth + 1)) } as ExprIR;
      return e;
  }
}

/**
 * Summed variables: every (population, variable, target range) a summed connection sets is
 * zeroed, then each projection adds its synapses' values (a connection with several sources
 * sums over all of them).
 */
function emitSummedVariables(plan: Plan, c: Code, fns: Fns): void {
  const summed = plan.projs.filter((p) => p.plastic?.model.summed?.length);
  if (!summed.length) return;
  const zeroed = new Set<string>();
  const k = c.local(T.i32);
  for (const proj of summed) {
    const off = proj.target.state.get(proj.ring.variable);
    const key = `${proj.target.index}.${proj.ring.variable}.${proj.tgt[0]}.${proj.tgt[1]}`;
    if (off === undefined || zeroed.has(key)) continue;
    zeroed.add(key);
    c.i32(4 * proj.tgt[0]).set(k);
    c.begin(Op.loop);
    c.get(k).f32(0).mem(Op.f32_store, 2, off);
    c.get(k).i32(4).op(Op.i32_add).tee(k).i32(4 * (proj.tgt[1] + 1)).op(Op.i32_lt_u).br(Op.br_if, 0);
    c.end();
  }
  for (const proj of summed) new SynapseCodegen(plan, proj, c, fns).emitSummed();
}

/**
 * Linked parameters: each reader's Float32Array is set from its source's variable — element i
 * (equal sizes), element 0 (broadcast) or element index[i] — before the probes sample and
 * anything is integrated, so every population reads start-of-step values whatever the order it
 * is integrated in, and a probe of the reader shows the value the step uses.
 */
function emitLinks(plan: Plan, c: Code): void {
  const links = plan.pops.flatMap((p) => (p.links ?? []).map((l) => ({ p, l })));
  if (!links.some(({ l }) => l.from !== undefined)) return;
  const k = c.local(T.i32);
  const x = c.local(T.f32);
  for (const { p, l } of links) {
    if (l.from === undefined) continue; // a constant parameter: its initial value
    const from = l.from;
    const map = l.map;
    if (map.kind === 'one') c.i32(0).mem(Op.f32_load, 2, from).set(x);
    c.i32(0).set(k);
    c.begin(Op.loop);
    c.get(k);
    if (map.kind === 'one') c.get(x);
    else if (map.kind === 'same') c.get(k).mem(Op.f32_load, 2, from);
    else c.get(k).mem(Op.i32_load, 2, map.offset).i32(2).op(Op.i32_shl).mem(Op.f32_load, 2, from);
    c.mem(Op.f32_store, 2, l.offset);
    c.get(k).i32(4).op(Op.i32_add).tee(k).i32(4 * p.size).op(Op.i32_lt_u).br(Op.br_if, 0);
    c.end();
  }
}

// ---- plastic synapses ----------------------------------------------------------------------------

/**
 * Synapse models with state: per-synapse variables in memory, equations integrated in closed
 * form at each event since the synapse's last update (event-driven, as Brian2's
 * `(event-driven)`), statements of on_pre at presynaptic spikes (after the connection's delay)
 * and of on_post at postsynaptic spikes.
 */
class SynapseCodegen extends ExprCodegen {
  private pl: PlasticPlan;
  private s = 0;
  private j = 0;
  private r = 0;
  private w = 0;
  private vals = new Map<string, number>();

  constructor(plan: Plan, private proj: ProjPlan, c: Code, fns: Fns) {
    super(plan, c, fns, 1000 + proj.index);
    this.pl = proj.plastic!;
    this.t = 0;
  }

  private fold(e: ExprIR): ExprIR {
    return fold(e, (name) => this.pl.params.get(name), this.plan.dt, this.proj.synapses);
  }

  protected leaf(e: ExprIR, vals: Map<string, number>): boolean {
    const c = this.c;
    const neuronVar = (pop: PopPlan | undefined, name: string, index: () => void) => {
      // A state variable, a per-neuron parameter ('#name', from neuronAlias) or a named
      // expression of the neuron's model, expanded over that neuron's variables.
      const param = name.startsWith('#') ? pop?.params.get(name.slice(1)) : undefined;
      const off = param && 'offset' in param ? param.offset : pop?.state.get(name);
      if (off === undefined) {
        const alias = pop?.model?.aliases.find((a) => a.name === name);
        if (!pop || !alias || e.op === 'target') c.f64(NaN);
        else this.value(neuronAlias(alias.expr, e.op as 'pre' | 'post' | 'mod', pop), new Map());
        return;
      }
      index();
      c.i32(2).op(Op.i32_shl).mem(Op.f32_load, 2, off).op(Op.f64_promote_f32);
    };
    switch (e.op) {
      case 'param': {
        const v = this.pl.params.get(e.name);
        c.f64(v ?? NaN);
        return true;
      }
      case 'weight':
        c.get(this.w);
        return true;
      case 'target':
        neuronVar(this.proj.target, this.proj.ring.variable, () => c.get(this.j).i32(this.proj.tgt[0]).op(Op.i32_add));
        return true;
      case 'post':
        neuronVar(this.proj.target, e.name, () => c.get(this.j).i32(this.proj.tgt[0]).op(Op.i32_add));
        return true;
      case 'pre':
        neuronVar(this.proj.source, e.name, () => c.get(this.r).i32(this.proj.src[0]).op(Op.i32_add));
        return true;
      case 'mod':
        neuronVar(this.pl.mod, e.name, () => c.i32(0));
        return true;
      case 'builtin':
        if (e.name === 't') c.get(this.t).op(Op.f64_convert_i32_s).f64(this.plan.dt).op(Op.f64_mul);
        else if (e.name === 'dt') c.f64(this.plan.dt);
        else if (e.name === 'i') c.get(this.s).op(Op.f64_convert_i32_u);
        else c.f64(this.proj.synapses);
        return true;
      case 'alias':
        c.f64(NaN);
        return true;
    }
    return false;
  }

  private locals(): void {
    const c = this.c;
    this.s = c.local(T.i32);
    this.j = c.local(T.i32);
    this.r = c.local(T.i32);
    this.w = c.local(T.f64);
    for (const name of this.pl.state.keys()) this.vals.set(name, c.local(T.f64));
  }

  /** Loads synapse s, decays its variables since its last update, runs `stmts`, stores it. */
  private body(stmts: StatementIR[]): void {
    const c = this.c;
    const pl = this.pl;
    const sAddr = () => c.get(this.s).i32(2).op(Op.i32_shl);
    sAddr().mem(Op.f32_load, 2, this.proj.weightOffset).op(Op.f64_promote_f32).set(this.w);
    for (const [name, off] of pl.state) sAddr().mem(Op.f32_load, 2, off).op(Op.f64_promote_f32).set(this.vals.get(name)!);
    if (pl.model.odes.length && this.eventDriven()) {
      // Δ = (t - last[s]) · dt; closed form of dx/dt = a + b·x with constant a, b.
      const delta = c.local(T.f64);
      c.get(this.t);
      sAddr().mem(Op.i32_load, 2, pl.lastOffset);
      c.op(Op.i32_sub).op(Op.f64_convert_i32_s).f64(this.plan.dt).op(Op.f64_mul).set(delta);
      for (const o of pl.model.odes) {
        const x = o.variable === 'w' ? this.w : this.vals.get(o.variable);
        const ab = affine(this.fold(o.rhs), o.variable === 'w' ? '\u0000w' : o.variable, new Map());
        const a = ab && this.fold(ab.a);
        const b = ab && this.fold(ab.b);
        if (x === undefined || !a || !b || !isConst(a) || !isConst(b) || o.variable === 'w') continue; // unreachable: eventDriven()
        if (b.value === 0) c.get(x).get(delta).f64(a.value).op(Op.f64_mul).op(Op.f64_add).set(x);
        else {
          const E = c.local(T.f64);
          c.get(delta).f64(b.value).op(Op.f64_mul);
          this.exp();
          c.set(E);
          c.get(x).get(E).op(Op.f64_mul).get(E).f64(1).op(Op.f64_sub).f64(a.value / b.value).op(Op.f64_mul).op(Op.f64_add).set(x);
        }
      }
    }
    for (const st of stmts) this.statement(st);
    sAddr().get(this.w).op(Op.f32_demote_f64).mem(Op.f32_store, 2, this.proj.weightOffset);
    for (const [name, off] of pl.state) sAddr().get(this.vals.get(name)!).op(Op.f32_demote_f64).mem(Op.f32_store, 2, off);
    sAddr().get(this.t).mem(Op.i32_store, 2, pl.lastOffset);
  }

  /**
   * Equations integrable in closed form between events: affine, constant coefficients, not w;
   * and no summed variable (it reads every synapse's state every step).
   */
  eventDriven(): boolean {
    if (this.pl.model.summed?.length) return false;
    return this.pl.model.odes.every((o) => {
      if (o.variable === 'w') return false;
      const ab = affine(this.fold(o.rhs), o.variable, new Map());
      return !!ab && isConst(this.fold(ab.a)) && isConst(this.fold(ab.b));
    });
  }

  /**
   * Clock-driven synapse equations (when they are not event-driven): every synapse, every step,
   * before the neurons' thresholds — exact for variables with constant coefficients, Euler
   * otherwise (Brian2's default for such synapses).
   */
  emitClock(): void {
    const c = this.c;
    const pl = this.pl;
    const proj = this.proj;
    this.locals();
    const dt = this.plan.dt;
    if (proj.synapses === 0) return;
    this.forEachSynapse((sAddr) => {
      const next: [number, number][] = [];
      for (const o of pl.model.odes) {
        const x = o.variable === 'w' ? this.w : this.vals.get(o.variable)!;
        const out = c.local(T.f64);
        const ab = o.variable === 'w' ? undefined : affine(this.fold(o.rhs), o.variable, new Map());
        const a = ab && this.fold(ab.a);
        const b = ab && this.fold(ab.b);
        this.aliasCache.clear();
        if (a && b && isConst(a) && isConst(b) && b.value !== 0) {
          const E = Math.exp(b.value * dt);
          c.get(x).f64(E).op(Op.f64_mul).f64((a.value / b.value) * (E - 1)).op(Op.f64_add).set(out);
        } else {
          c.get(x);
          this.value(this.fold(o.rhs), this.vals);
          c.f64(dt).op(Op.f64_mul).op(Op.f64_add).set(out);
        }
        next.push([x, out]);
      }
      for (const [x, out] of next) c.get(out).set(x);
      sAddr().get(this.w).op(Op.f32_demote_f64).mem(Op.f32_store, 2, proj.weightOffset);
      for (const [name, off] of pl.state) sAddr().get(this.vals.get(name)!).op(Op.f32_demote_f64).mem(Op.f32_store, 2, off);
    });
  }

  /** Every synapse s in order: loads its target (j) and source (r) index, weight and state, then `body`. */
  private forEachSynapse(body: (sAddr: () => Code) => void): void {
    const c = this.c;
    const pl = this.pl;
    const proj = this.proj;
    const sAddr = () => c.get(this.s).i32(2).op(Op.i32_shl);
    c.i32(0).set(this.s);
    c.begin(Op.loop);
    sAddr().mem(Op.i32_load, 2, proj.colOffset).set(this.j);
    sAddr().mem(Op.i32_load, 2, pl.srcOffset).set(this.r);
    sAddr().mem(Op.f32_load, 2, proj.weightOffset).op(Op.f64_promote_f32).set(this.w);
    for (const [name, off] of pl.state) sAddr().mem(Op.f32_load, 2, off).op(Op.f64_promote_f32).set(this.vals.get(name)!);
    body(sAddr);
    c.get(this.s).i32(1).op(Op.i32_add).tee(this.s).i32(proj.synapses).op(Op.i32_lt_u).br(Op.br_if, 0);
    c.end();
  }

  /** Adds this projection's summed expression of every synapse to its target neuron's variable. */
  emitSummed(): void {
    const st = this.pl.model.summed?.[0];
    const proj = this.proj;
    if (!st || proj.synapses === 0) return;
    const off = proj.target.state.get(proj.ring.variable);
    if (off === undefined) throw new PlanError(`synapse model ${this.pl.model.name}: the summed target ${proj.ring.variable} is not a state variable of ${proj.target.model?.name}`);
    const c = this.c;
    const pl = this.pl;
    this.locals();
    const addr = c.local(T.i32);
    this.forEachSynapse(() => {
      c.get(this.j).i32(proj.tgt[0]).op(Op.i32_add).i32(2).op(Op.i32_shl).tee(addr);
      c.get(addr).mem(Op.f32_load, 2, off).op(Op.f64_promote_f32);
      this.aliasCache.clear();
      this.value(this.fold(st.value), this.vals);
      c.op(Op.f64_add).op(Op.f32_demote_f64).mem(Op.f32_store, 2, off);
    });
  }

  private statement(st: StatementIR): void {
    const c = this.c;
    const value = () => {
      this.aliasCache.clear();
      this.value(this.fold(st.value), this.vals);
    };
    const combine = (load: () => void) => {
      if (st.op === '=') value();
      else {
        load();
        value();
        c.op({ '+=': Op.f64_add, '-=': Op.f64_sub, '*=': Op.f64_mul, '/=': Op.f64_div }[st.op]);
      }
    };
    const tg = st.target;
    if (tg.kind === 'weight' || (tg.kind === 'state' && this.vals.has(tg.name))) {
      const l = tg.kind === 'weight' ? this.w : this.vals.get(tg.name)!;
      combine(() => c.get(l));
      c.set(l);
      return;
    }
    if (tg.kind === 'target') {
      if (st.op !== '+=' && st.op !== '-=') throw new PlanError(`synapse model ${this.pl.model.name}: 'target ${st.op} …' — only += and -= reach the postsynaptic variable`);
      // into the ring slot delivered at the end of this step
      const ring = this.proj.ring;
      const addr = c.local(T.i32);
      c.get(this.t).i32(ring.slots).op(Op.i32_rem_u).i32(ring.target.size * 4).op(Op.i32_mul).get(this.j).i32(this.proj.tgt[0]).op(Op.i32_add).i32(2).op(Op.i32_shl).op(Op.i32_add).tee(addr);
      c.get(addr).mem(Op.f32_load, 2, ring.offset).op(Op.f64_promote_f32);
      value();
      c.op(st.op === '+=' ? Op.f64_add : Op.f64_sub).op(Op.f32_demote_f64).mem(Op.f32_store, 2, ring.offset);
      return;
    }
    if (tg.kind === 'post' || tg.kind === 'pre') {
      const pop = tg.kind === 'post' ? this.proj.target : this.proj.source;
      const off = pop.state.get(tg.name);
      if (off === undefined) throw new PlanError(`synapse model ${this.pl.model.name}: ${tg.kind}.${tg.name} is not a state variable of ${pop.model?.name}`);
      const addr = c.local(T.i32);
      if (tg.kind === 'post') c.get(this.j).i32(this.proj.tgt[0]);
      else c.get(this.r).i32(this.proj.src[0]);
      c.op(Op.i32_add).i32(2).op(Op.i32_shl).tee(addr);
      combine(() => c.get(addr).mem(Op.f32_load, 2, off).op(Op.f64_promote_f32));
      c.op(Op.f32_demote_f64).mem(Op.f32_store, 2, off);
    }
  }

  /** For each presynaptic spike (delayed through the queue), every outgoing synapse: on_pre. */
  emitPre(): void {
    if (!this.pl.model.on_pre.length) return; // e.g. a summed-only model (gap junctions)
    const c = this.c;
    const pl = this.pl;
    const proj = this.proj;
    this.locals();
    const end = c.local(T.i32);
    const q = pl.queue;
    if (q?.delayRuns) return this.emitPreDelayRuns(q, end);
    const onPre = () =>
      forEachInRow(c, proj.rowptrOffset, this.r, this.s, end, () => {
        c.get(this.s).i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, proj.colOffset).set(this.j);
        this.body(pl.model.on_pre);
      });
    if (!q) return forEachSpike(c, proj.source, proj.src, this.r, onPre);
    // A constant delay d: this step's spikes (local source indices) go into slot (t + d) mod
    // slots, then the sources queued for now run.
    const slot = c.local(T.i32);
    c.get(this.t).i32(q.slots - 1).op(Op.i32_add).i32(q.slots).op(Op.i32_rem_u).set(slot);
    forEachSpike(c, proj.source, proj.src, this.r, () => this.enqueue(q, slot, this.r));
    this.forEachDue(q, this.r, onPre);
  }

  /** rows[slot·capacity + counts[slot]] = value; counts[slot]++ */
  private enqueue(q: NonNullable<PlasticPlan['queue']>, slot: number, value: number): void {
    const c = this.c;
    c.get(slot).i32(q.capacity).op(Op.i32_mul).get(slot).i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, q.countsOffset).op(Op.i32_add).i32(2).op(Op.i32_shl).get(value).mem(Op.i32_store, 2, q.rowsOffset);
    c.get(slot).i32(2).op(Op.i32_shl).get(slot).i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, q.countsOffset).i32(1).op(Op.i32_add).mem(Op.i32_store, 2, q.countsOffset);
  }

  /** Empties slot t mod slots: for each entry, `into` = the entry, then `body`. */
  private forEachDue(q: NonNullable<PlasticPlan['queue']>, into: number, body: () => void): void {
    const c = this.c;
    const slot = c.local(T.i32);
    const n = c.local(T.i32);
    const k = c.local(T.i32);
    c.get(this.t).i32(q.slots).op(Op.i32_rem_u).set(slot);
    c.get(slot).i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, q.countsOffset).set(n);
    c.get(slot).i32(2).op(Op.i32_shl).i32(0).mem(Op.i32_store, 2, q.countsOffset);
    c.i32(0).set(k);
    c.get(k).get(n).op(Op.i32_lt_u).begin(Op.if).begin(Op.loop);
    c.get(slot).i32(q.capacity * 4).op(Op.i32_mul).get(k).i32(2).op(Op.i32_shl).op(Op.i32_add).mem(Op.i32_load, 2, q.rowsOffset).set(into);
    body();
    c.get(k).i32(1).op(Op.i32_add).tee(k).get(n).op(Op.i32_lt_u).br(Op.br_if, 0).end().end();
  }

  /**
   * Per-synapse delays: each spiking source pushes, for every run of its synapses sharing a
   * delay d (rows are sorted by delay), the run's first synapse into slot (t + d) mod slots;
   * then the runs due now execute on_pre.
   */
  private emitPreDelayRuns(q: NonNullable<PlasticPlan['queue']>, end: number): void {
    const c = this.c;
    const pl = this.pl;
    const proj = this.proj;
    if (!('offset' in proj.delay)) throw new Error('delay-run queue without per-synapse delays');
    const delayAt = proj.delay.offset;
    const d = c.local(T.i32);
    const prev = c.local(T.i32);
    const slot = c.local(T.i32);
    const syn = (l: number) => c.get(l).i32(2).op(Op.i32_shl);
    forEachSpike(c, proj.source, proj.src, this.r, () => {
      c.i32(-1).set(prev);
      forEachInRow(c, proj.rowptrOffset, this.r, this.s, end, () => {
        syn(this.s).mem(Op.i32_load, 2, delayAt).tee(d).get(prev).op(Op.i32_ne).begin(Op.if);
        c.get(this.t).get(d).op(Op.i32_add).i32(q.slots).op(Op.i32_rem_u).set(slot);
        this.enqueue(q, slot, this.s);
        c.get(d).set(prev);
        c.end();
      });
    });
    // A run due now: from its first synapse to its source's row end or the first synapse with
    // another delay.
    this.forEachDue(q, this.s, () => {
      syn(this.s).mem(Op.i32_load, 2, pl.srcOffset).set(this.r);
      c.get(this.r).i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, proj.rowptrOffset + 4).set(end);
      syn(this.s).mem(Op.i32_load, 2, delayAt).set(d);
      c.begin(Op.loop);
      syn(this.s).mem(Op.i32_load, 2, proj.colOffset).set(this.j);
      this.body(pl.model.on_pre);
      // next synapse while in the row and at the same delay
      c.get(this.s).i32(1).op(Op.i32_add).tee(this.s).get(end).op(Op.i32_lt_u).begin(Op.if);
      syn(this.s).mem(Op.i32_load, 2, delayAt).get(d).op(Op.i32_eq).br(Op.br_if, 1);
      c.end();
      c.end();
    });
  }

  /** For each postsynaptic spike of this step, every incoming synapse (by-target index): on_post. */
  emitPost(): void {
    if (!this.pl.model.on_post.length) return;
    const c = this.c;
    const pl = this.pl;
    this.locals();
    const q = c.local(T.i32);
    const end = c.local(T.i32);
    forEachSpike(c, this.proj.target, this.proj.tgt, this.j, () =>
      forEachInRow(c, pl.colptrOffset, this.j, q, end, () => {
        c.get(q).i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, pl.synIdxOffset).tee(this.s);
        c.i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, pl.srcOffset).set(this.r);
        this.body(pl.model.on_post);
      }),
    );
  }
}
