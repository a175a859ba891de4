// expm1, exprel and tanh written inline as WebAssembly on any lanes (scalar f64/f32, f64x2,
// f32x4), so that models calling them (Hodgkin–Huxley rate functions, tanh networks) run on the
// SIMD neuron loops instead of calling a JavaScript import per neuron and step. Branch-free:
// every special case is a select, so the scalar tail and the vector loop compute the same bits.
//
// The scheme (Cody & Waite range reduction, then a polynomial; Muller, "Elementary Functions",
// ch. 6 and 11, describes both):
//   x = k·ln2 + r, k = nearest(x/ln2), |r| ≤ ln2/2, r = (x − k·ln2hi) − k·ln2lo with ln2hi short
//   enough that k·ln2hi is exact;
//   expm1(r) = r·q(r), q(r) = Σ_{j=0..n} r^j/(j+1)! = 1 + r·q1(r) (Taylor: n = 12 in f64,
//   truncation < 1.2e-17 relative at |r| = ln2/2; n = 6 in f32, < 1.5e-8), q1's high terms by
//   Estrin's scheme, its last two by Horner; expm1(r) is evaluated as r + r·(r·q1), so that the
//   rounding errors sit in a correction |r|/2 the size of the result;
//   expm1(x) = 2^k·expm1(r) + (2^k − 1) (an exact scaling, an exact difference for the |k| used,
//   one rounding in the sum; no cancellation for small x, where k = 0 and the result is
//   expm1(r) itself);
//   exprel(x) = q(x) = 1 + x·q1(x) where k = 0 (|x| ≤ ln2/2: no division at all, exprel(0) = 1),
//   else expm1(x)/x;
//   tanh(x) = sign(x)·e/(e + 2) with e = expm1(2|x|) ≥ 0 (no cancellation near 0), |x| capped
//   where tanh rounds to ±1.
// Accuracy, measured against a 300-bit reference in test/lanes-math.test.ts: f64 expm1, exprel
// and tanh within 2 ulp over their ranges (the test states the largest error it found); f32
// within 2 f32 ulp. Range: x is clamped to [LO, HI] (f64 [−40, 709], f32 [−20, 88]) before the
// reduction: below LO, e^x − 1 rounds to −1 anyway; above HI the result is +Infinity (in f64 that
// is from 709 on instead of ln(max double) ≈ 709.78 — a model there has overflowed anyway).
// NaN stays NaN.
import { Code, T } from './emitter';

export type ArithOp = 'add' | 'sub' | 'mul' | 'div' | 'min' | 'max' | 'neg' | 'abs' | 'sqrt' | 'nearest' | 'pmin' | 'pmax';
export type CmpOp = 'lt' | 'le' | 'gt' | 'ge' | 'eq' | 'ne';

/** What the functions here need of a lane set (codegen.ts `Lanes` has it). */
export interface LaneOps {
  /** f32 arithmetic (else f64). */
  f32: boolean;
  /** Local type of a value. */
  type: T;
  num(c: Code, x: number): void;
  op(c: Code, op: ArithOp): void;
  cmp(c: Code, op: CmpOp): void;
  /** a, b, condition → condition ? a : b */
  select(c: Code): void;
  /** 2^k for an integral value local k (k = NaN — exp of NaN — must not trap: the product is NaN anyway) */
  pow2(c: Code, k: number): void;
}

/** Scratch locals of one function for these routines, made on first use and reused. */
export class MathTemps {
  private locals: number[] = [];
  constructor(private c: Code, private type: T) {}
  get(k: number): number {
    while (this.locals.length <= k) this.locals.push(this.c.local(this.type));
    return this.locals[k];
  }
}

interface Consts {
  lo: number;
  hi: number;
  ln2hi: number;
  ln2lo: number;
  /** tanh(x) rounds to 1 from here on */
  tanhOne: number;
  /** Taylor coefficients of q: 1/(j+1)! */
  q: number[];
}

const taylorQ = (n: number) => Array.from({ length: n + 1 }, (_, j) => 1 / factorial(j + 1));
function factorial(n: number): number {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return f;
}

// ln2hi: ln 2 rounded to 32 (f64) or 16 (f32) significant bits, so k·ln2hi is exact for the k
// in range; ln2lo = ln 2 − ln2hi rounded.
const F64: Consts = { lo: -40, hi: 709, ln2hi: 0.6931471803691238, ln2lo: 1.9082149292705877e-10, tanhOne: 20, q: taylorQ(12) };
const F32: Consts = { lo: -20, hi: 88, ln2hi: 0.693145751953125, ln2lo: 1.4286068203094173e-6, tanhOne: 9, q: taylorQ(6) };

/** The constants of a lane set (exported for the tests). */
export const mathConsts = (L: Pick<LaneOps, 'f32'>): Readonly<Consts> => (L.f32 ? F32 : F64);

/**
 * Cody–Waite reduction of the value on the stack (consumed): x = the value clamped to [lo, hi],
 * k = nearest(x/ln2), r = (x − k·ln2hi) − k·ln2lo, into the locals [x, k, r].
 */
export function emitCodyWaite(c: Code, L: LaneOps, [x, k, r]: [number, number, number], lo: number, hi: number): void {
  const K = mathConsts(L);
  L.num(c, hi);
  L.op(c, 'pmin');
  L.num(c, lo);
  L.op(c, 'pmax');
  c.tee(x);
  L.num(c, Math.LOG2E);
  L.op(c, 'mul');
  L.op(c, 'nearest');
  c.set(k);
  c.get(x);
  for (const part of [K.ln2hi, K.ln2lo]) {
    c.get(k);
    L.num(c, part);
    L.op(c, 'mul');
    L.op(c, 'sub');
  }
  c.set(r);
}

// Temps: the clamped x, k, r, q(r), powers of r, the unclamped x (expm1/exprel; tanh has its own),
// 2^k and a scratch value.
const X = 0, KK = 1, R = 2, Q = 3, R2 = 4, R4 = 5, X0 = 6, X0_TANH = 7, R8 = 8, S = 9, TMP = 10;

/** Reduction and polynomial for the value on the stack (consumed): sets X, KK, R and Q = q1, where q(r) = 1 + r·q1(r). */
function reduce(c: Code, L: LaneOps, t: MathTemps): void {
  const K = mathConsts(L);
  const n = (v: number) => L.num(c, v);
  const r = t.get(R);
  emitCodyWaite(c, L, [t.get(X), t.get(KK), r], K.lo, K.hi);
  // powers r^2, r^4, r^8 as the Estrin scheme of the high part needs them
  const C = K.q;
  const high = C.slice(3);
  const powers = new Map<number, number>([[1, r]]);
  for (let m = 2, from = r; m < high.length; m *= 2) {
    const l = t.get(m === 2 ? R2 : m === 4 ? R4 : R8);
    c.get(from).get(from);
    L.op(c, 'mul');
    c.set(l);
    powers.set(m, l);
    from = l;
  }
  // H(r) = Σ high[j]·r^j by Estrin: a(r) = lo(r) + r^m·up(r), m the largest power of 2 below the length
  const estrin = (a: number[]): void => {
    if (a.length === 1) return n(a[0]);
    let m = 1;
    while (2 * m < a.length) m *= 2;
    estrin(a.slice(0, m));
    estrin(a.slice(m));
    c.get(powers.get(m)!);
    L.op(c, 'mul');
    L.op(c, 'add');
  };
  estrin(high);
  // Horner tail: q1 = C1 + r(C2 + r·H), so that q = 1 + r·q1
  for (let j = 2; j >= 1; j--) {
    c.get(r);
    L.op(c, 'mul');
    n(C[j]);
    L.op(c, 'add');
  }
  c.set(t.get(Q));
}

/** 2^k·expm1(r) + (2^k − 1) from the temps, expm1(r) = r + r·(r·q1); `inf`: +Infinity where x (X0, unclamped) > HI. */
function combine(c: Code, L: LaneOps, t: MathTemps, inf: boolean): void {
  const [k, r, q, s] = [t.get(KK), t.get(R), t.get(Q), t.get(S)];
  c.get(r);
  c.get(r).get(r).get(q);
  L.op(c, 'mul');
  L.op(c, 'mul');
  L.op(c, 'add');
  L.pow2(c, k);
  c.tee(s);
  L.op(c, 'mul');
  c.get(s);
  L.num(c, 1);
  L.op(c, 'sub');
  L.op(c, 'add');
  if (!inf) return;
  const x0 = t.get(X0);
  const v = t.get(TMP);
  c.set(v);
  L.num(c, Infinity);
  c.get(v);
  c.get(x0);
  L.num(c, mathConsts(L).hi);
  L.cmp(c, 'gt');
  L.select(c);
}

/** expm1(x) of the value on the stack (consumed). */
export function emitExpm1(c: Code, L: LaneOps, t: MathTemps): void {
  c.tee(t.get(X0));
  reduce(c, L, t);
  combine(c, L, t, true);
}

/** exprel(x) = (e^x − 1)/x, exprel(0) = 1, of the value on the stack (consumed). */
export function emitExprel(c: Code, L: LaneOps, t: MathTemps): void {
  const x0 = t.get(X0);
  c.tee(x0);
  reduce(c, L, t);
  // where k = 0: exprel = q(x) = 1 + x·q1 (r = x exactly)
  c.get(t.get(R)).get(t.get(Q));
  L.op(c, 'mul');
  L.num(c, 1);
  L.op(c, 'add');
  combine(c, L, t, true);
  // ÷ x, with x capped at HI so that exprel(+Infinity) is +Infinity, not Infinity/Infinity
  c.get(x0);
  L.num(c, mathConsts(L).hi);
  L.op(c, 'pmin');
  L.op(c, 'div');
  c.get(t.get(KK));
  L.num(c, 0);
  L.cmp(c, 'eq');
  L.select(c);
}

/** tanh(x) of the value on the stack (consumed): sign(x)·e/(e + 2), e = expm1(2|x|). tanh(−0) is +0. */
export function emitTanh(c: Code, L: LaneOps, t: MathTemps): void {
  const x0 = t.get(X0_TANH);
  const e = t.get(TMP);
  c.tee(x0);
  L.op(c, 'abs');
  L.num(c, mathConsts(L).tanhOne);
  L.op(c, 'pmin');
  L.num(c, 2);
  L.op(c, 'mul');
  reduce(c, L, t);
  combine(c, L, t, false);
  c.tee(e);
  c.get(e);
  L.num(c, 2);
  L.op(c, 'add');
  L.op(c, 'div');
  c.tee(e);
  L.op(c, 'neg');
  c.get(e);
  c.get(x0);
  L.num(c, 0);
  L.cmp(c, 'lt');
  L.select(c);
}
