// Plan → WebAssembly module. Per neuron population, one generated loop integrates the model's
// equations (exponential Euler for equations affine in their variable, else euler/rk2/rk4),
// applies refractoriness, tests the spike condition and applies the reset. Poisson inputs,
// spike propagation through CSR + delay ring buffers, and ring delivery are generated too.
// Parameters that are the same for all neurons are folded into constants.
// State is f32 in memory and f64 while computing.
import type { ExprIR, ModelDefIR, StatementIR } from '../../../protocol/ir';
import { PlanError, type Plan, type PlasticPlan, type PopPlan, type ProjPlan } from '../plan';
import { Code, ModuleBuilder, Op, T, V } from './emitter';

const M0 = 0xd2511f53;
const M1 = 0xcd9e8d57;
const W0 = 0x9e3779b9;
const W1 = 0xbb67ae85;

interface Fns {
  exp: number;
  log: number;
  sin: number;
  cos: number;
  tanh: number;
  pow: number;
  u01: number;
  normal: number;
  words: number;
}

export interface Compiled {
  bytes: Uint8Array;
  pages: number;
}

export function compile(plan: Plan, options: { simd?: boolean } = {}): Compiled {
  const mb = new ModuleBuilder();
  const pages = Math.ceil(plan.bytes / 65536) + 1;
  mb.importMemory('env', 'memory', pages);
  const fns: Fns = {
    log: mb.importFunc('math', 'log', [T.f64], [T.f64]),
    sin: mb.importFunc('math', 'sin', [T.f64], [T.f64]),
    cos: mb.importFunc('math', 'cos', [T.f64], [T.f64]),
    tanh: mb.importFunc('math', 'tanh', [T.f64], [T.f64]),
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
  const deliver = mb.declare([T.i32], [], 'deliver');
  const popFns = plan.pops.map((p) => {
    const f = mb.declare([T.i32], []);
    if (p.kind === 'neuron') {
      // Neurons in pairs with f64x2 SIMD where the model allows it, the rest one by one.
      f.code.i32(0).i32(0).mem(Op.i32_store, 2, p.countOffset);
      let start = 0;
      if (options.simd !== false && vectorizable(p.model!) && p.size >= 2) {
        const spike = mb.declare([T.i32, T.i32], []);
        new PopulationCodegen(plan, p, spike.code, fns).emitSpikeFn();
        start = p.size - (p.size % 2);
        new VectorPopulationCodegen(plan, p, f.code, fns, spike.index).emit();
      }
      if (start < p.size) new PopulationCodegen(plan, p, f.code, fns).emit(start);
    } else if (p.kind === 'poisson') emitPoisson(plan, p, f.code, fns);
    return f.index;
  });
  // update(t): clock-driven synapse equations, then every population, in order.
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
  for (const proj of plan.projs) if (!proj.plastic) emitPropagate(plan, proj, deliver.code);
  for (const proj of plan.projs) if (proj.plastic) new SynapseCodegen(plan, proj, deliver.code, fns).emitPre();
  for (const proj of plan.projs) if (proj.plastic) new SynapseCodegen(plan, proj, deliver.code, fns).emitPost();
  for (const ring of plan.rings) emitRingApply(ring, deliver.code);
  return { bytes: mb.encode(), pages };
}

// ---- math --------------------------------------------------------------------------------------

/**
 * exp(x) in f64, inline: 2^k · p(r) with r = x - k·ln2 (|r| ≤ ln2/2). x is clamped to
 * [-708, 709]: below, the result is 0 to within f64 range; above, it overflows anyway.
 * Consumes the f64 on the stack, leaves exp of it. `tmp` are three f64 locals.
 */
export function emitExpInline(c: Code, tmp: [number, number, number]): void {
  const [x, k, r] = tmp;
  c.f64(709).op(Op.f64_min).f64(-708).op(Op.f64_max).tee(x);
  c.f64(Math.LOG2E).op(Op.f64_mul).op(Op.f64_nearest).set(k);
  c.get(x).get(k).f64(0.6931471803691238).op(Op.f64_mul).op(Op.f64_sub).get(k).f64(1.9082149292705877e-10).op(Op.f64_mul).op(Op.f64_sub).set(r);
  // Degree-7 Taylor polynomial (relative error < 6e-9, below f32 resolution) evaluated by
  // Estrin's scheme: short dependency chains, so consecutive neurons overlap in the CPU.
  const C = [1, 1, 1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040];
  const pair = (i: number) => c.f64(C[i + 1]).get(r).op(Op.f64_mul).f64(C[i]).op(Op.f64_add); // C[i] + C[i+1]·r
  // x := r², reused as scratch (x is no longer needed)
  pair(0);
  pair(2);
  c.get(r).get(r).op(Op.f64_mul).tee(x).op(Op.f64_mul).op(Op.f64_add); // (c0 + c1 r) + r²(c2 + c3 r)
  pair(4);
  pair(6);
  c.get(x).op(Op.f64_mul).op(Op.f64_add); // (c4 + c5 r) + r²(c6 + c7 r)
  c.get(x).get(x).op(Op.f64_mul).op(Op.f64_mul).op(Op.f64_add); // … + r⁴(…)
  // 2^k from the exponent bits.
  c.get(k).op(Op.i64_trunc_f64_s).i64(1023n).op(Op.i64_add).i64(52n).op(Op.i64_shl).op(Op.f64_reinterpret_i64).op(Op.f64_mul);
}

function emitExp(c: Code): void {
  c.get(0);
  emitExpInline(c, [c.local(T.f64), c.local(T.f64), c.local(T.f64)]);
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

// ---- expressions -------------------------------------------------------------------------------

type Folded = ExprIR;

function isConst(e: ExprIR): e is { op: 'const'; value: number } {
  return e.op === 'const';
}
const K = (value: number): ExprIR => ({ op: 'const', value });

/** Substitutes homogeneous parameters and dt, folds constant arithmetic. */
function fold(e: ExprIR, consts: (name: string) => number | undefined, dt: number, n: number): Folded {
  switch (e.op) {
    case 'param': {
      const v = consts(e.name);
      return v === undefined ? e : K(v);
    }
    case 'builtin':
      return e.name === 'dt' ? K(dt) : e.name === 'N' ? K(n) : e;
    case 'neg': {
      const a = fold(e.args[0], consts, dt, n);
      return isConst(a) ? K(-a.value) : { op: 'neg', args: [a] };
    }
    case 'not': {
      const a = fold(e.args[0], consts, dt, n);
      return isConst(a) ? K(a.value ? 0 : 1) : { op: 'not', args: [a] };
    }
    case 'call': {
      const args = e.args.map((x) => fold(x, consts, dt, n));
      if (e.fn !== 'rand' && e.fn !== 'randn' && args.every(isConst)) {
        const v = constCall(e.fn, args.map((x) => (x as { value: number }).value));
        if (v !== undefined) return K(v);
      }
      return { op: 'call', fn: e.fn, args };
    }
    case 'const':
    case 'state':
    case 'alias':
    case 'weight':
    case 'target':
    case 'pre':
    case 'post':
    case 'mod':
      return e;
    default: {
      const a = fold(e.args[0], consts, dt, n);
      const b = fold(e.args[1], consts, dt, n);
      if (isConst(a) && isConst(b)) {
        const x = a.value;
        const y = b.value;
        const r = { add: x + y, sub: x - y, mul: x * y, div: x / y, pow: Math.pow(x, y), lt: +(x < y), le: +(x <= y), gt: +(x > y), ge: +(x >= y), eq: +(x === y), ne: +(x !== y), and: +(!!x && !!y), or: +(!!x || !!y) }[e.op];
        return K(r);
      }
      if (e.op === 'mul' && ((isConst(a) && a.value === 0) || (isConst(b) && b.value === 0))) return K(0);
      if (e.op === 'mul' && isConst(a) && a.value === 1) return b;
      if (e.op === 'mul' && isConst(b) && b.value === 1) return a;
      if ((e.op === 'add' || e.op === 'sub') && isConst(b) && b.value === 0) return a;
      if (e.op === 'add' && isConst(a) && a.value === 0) return b;
      if (e.op === 'div' && isConst(b) && b.value === 1) return a;
      return { op: e.op, args: [a, b] };
    }
  }
}

function constCall(fn: string, a: number[]): number | undefined {
  const f: Record<string, (...x: number[]) => number> = {
    exp: Math.exp, log: Math.log, sqrt: Math.sqrt, abs: Math.abs, sin: Math.sin, cos: Math.cos, tanh: Math.tanh,
    sigmoid: (x) => 1 / (1 + Math.exp(-x)), relu: (x) => Math.max(0, x), heaviside: (x) => (x > 0 ? 1 : 0),
    min: Math.min, max: Math.max, clip: (x, lo, hi) => Math.min(Math.max(x, lo), hi),
  };
  return f[fn]?.(...a);
}

/** rhs = a + b·x for an affine rhs (aliases expanded); undefined when not affine. */
function affine(e: ExprIR, x: string, aliases: Map<string, ExprIR>, depth = 0): { a: ExprIR; b: ExprIR } | undefined {
  if (depth > 64) return undefined;
  const zero = K(0);
  const rec = (y: ExprIR) => affine(y, x, aliases, depth + 1);
  const add = (p: ExprIR, q: ExprIR): ExprIR => (isConst(p) && p.value === 0 ? q : isConst(q) && q.value === 0 ? p : { op: 'add', args: [p, q] });
  const mul = (p: ExprIR, q: ExprIR): ExprIR => (isConst(p) && p.value === 0) || (isConst(q) && q.value === 0) ? zero : { op: 'mul', args: [p, q] };
  const noX = (y: { a: ExprIR; b: ExprIR }) => isConst(y.b) && y.b.value === 0;
  switch (e.op) {
    case 'state':
      return e.name === x ? { a: zero, b: K(1) } : { a: e, b: zero };
    case 'alias': {
      const def = aliases.get(e.name);
      if (!def) return { a: e, b: zero };
      const r = rec(def);
      return r && noX(r) ? { a: e, b: zero } : r;
    }
    case 'neg': {
      const r = rec(e.args[0]);
      return r && { a: { op: 'neg', args: [r.a] }, b: isConst(r.b) ? K(-r.b.value) : { op: 'neg', args: [r.b] } };
    }
    case 'add':
    case 'sub': {
      const p = rec(e.args[0]);
      const q = rec(e.args[1]);
      if (!p || !q) return undefined;
      if (e.op === 'add') return { a: add(p.a, q.a), b: add(p.b, q.b) };
      return { a: { op: 'sub', args: [p.a, q.a] }, b: noX(q) ? p.b : { op: 'sub', args: [p.b, q.b] } };
    }
    case 'mul': {
      const p = rec(e.args[0]);
      const q = rec(e.args[1]);
      if (!p || !q) return undefined;
      if (noX(p)) return { a: mul(p.a, q.a), b: mul(p.a, q.b) };
      if (noX(q)) return { a: mul(p.a, q.a), b: mul(p.b, q.a) };
      return undefined;
    }
    case 'div': {
      const p = rec(e.args[0]);
      const q = rec(e.args[1]);
      if (!p || !q || !noX(q)) return undefined;
      return { a: { op: 'div', args: [p.a, q.a] }, b: isConst(p.b) && p.b.value === 0 ? zero : { op: 'div', args: [p.b, q.a] } };
    }
    default: {
      // Anything else must not involve x at all.
      const r = mentions(e, x, aliases, 0) ? undefined : { a: e, b: zero };
      return r;
    }
  }
}

function mentions(e: ExprIR, x: string, aliases: Map<string, ExprIR>, depth: number): boolean {
  if (depth > 64) return true;
  if (e.op === 'state') return e.name === x;
  if (e.op === 'alias') {
    const d = aliases.get(e.name);
    return d ? mentions(d, x, aliases, depth + 1) : false;
  }
  if ('args' in e) return e.args.some((a) => mentions(a, x, aliases, depth + 1));
  return false;
}

// ---- expressions to code ----------------------------------------------------------------------

/** Emits IR expressions as f64 (values) or i32 (conditions); subclasses resolve the names. */
abstract class ExprCodegen {
  protected i = 0;
  protected t = 0;
  protected aliasCache = new Map<string, number>();
  protected randSite = 0;
  constructor(protected plan: Plan, protected c: Code, protected fns: Fns, protected objectIndex: number) {}

  /** Emits names (state, parameters, …); returns false for operators and constants. */
  protected abstract leaf(e: ExprIR, vals: Map<string, number>): boolean;

  protected timeOffset = 0;
  protected expTmp?: [number, number, number];

  /** exp of the f64 on the stack, inlined (a call per neuron and step costs as much as the math). */
  protected exp(): void {
    this.expTmp ??= [this.c.local(T.f64), this.c.local(T.f64), this.c.local(T.f64)];
    emitExpInline(this.c, this.expTmp);
  }

  /** Emits an f64 value of `e` with state variables read from `vals`. */
  protected value(e: ExprIR, vals: Map<string, number>): void {
    const c = this.c;
    if (this.leaf(e, vals)) return;
    switch (e.op) {
      case 'const':
        c.f64(e.value);
        return;
      case 'neg':
        this.value(e.args[0], vals);
        c.op(Op.f64_neg);
        return;
      case 'not':
        this.cond(e.args[0], vals);
        c.op(Op.i32_eqz).op(Op.f64_convert_i32_u);
        return;
      case 'call':
        this.callFn(e.fn, e.args, vals);
        return;
      case 'add':
      case 'sub':
      case 'mul':
      case 'div': {
        this.value(e.args[0], vals);
        this.value(e.args[1], vals);
        c.op({ add: Op.f64_add, sub: Op.f64_sub, mul: Op.f64_mul, div: Op.f64_div }[e.op]);
        return;
      }
      case 'pow': {
        const ex = e.args[1];
        if (isConst(ex) && (ex.value === 2 || ex.value === 3)) {
          const l = c.local(T.f64);
          this.value(e.args[0], vals);
          c.tee(l).get(l).op(Op.f64_mul);
          if (ex.value === 3) c.get(l).op(Op.f64_mul);
          return;
        }
        this.value(e.args[0], vals);
        this.value(ex, vals);
        c.call(this.fns.pow);
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
        this.cond(e, vals);
        c.op(Op.f64_convert_i32_u);
        return;
      default:
        c.f64(NaN);
    }
  }

  /** Emits an i32 truth value of `e`. */
  protected cond(e: ExprIR, vals: Map<string, number>): void {
    const c = this.c;
    const cmp: Record<string, number> = { lt: Op.f64_lt, le: Op.f64_le, gt: Op.f64_gt, ge: Op.f64_ge, eq: Op.f64_eq, ne: Op.f64_ne };
    if (e.op in cmp && 'args' in e) {
      const [l, r] = e.args as [ExprIR, ExprIR];
      this.value(l, vals);
      this.value(r, vals);
      c.op(cmp[e.op]);
    } else if ((e.op === 'and' || e.op === 'or') && 'args' in e) {
      this.cond(e.args[0], vals);
      this.cond(e.args[1], vals);
      c.op(e.op === 'and' ? Op.i32_and : Op.i32_or);
    } else if (e.op === 'not') {
      this.cond(e.args[0], vals);
      c.op(Op.i32_eqz);
    } else {
      this.value(e, vals);
      c.f64(0).op(Op.f64_ne);
    }
  }

  protected callFn(fn: string, args: ExprIR[], vals: Map<string, number>): void {
    const c = this.c;
    const one = () => this.value(args[0], vals);
    switch (fn) {
      case 'exp':
        one();
        this.exp();
        return;
      case 'log':
      case 'sin':
      case 'cos':
      case 'tanh':
        one();
        c.call(this.fns[fn]);
        return;
      case 'sqrt':
        one();
        c.op(Op.f64_sqrt);
        return;
      case 'abs':
        one();
        c.op(Op.f64_abs);
        return;
      case 'sigmoid':
        c.f64(1).f64(1);
        one();
        c.op(Op.f64_neg);
        this.exp();
        c.op(Op.f64_add).op(Op.f64_div);
        return;
      case 'relu':
        one();
        c.f64(0).op(Op.f64_max);
        return;
      case 'heaviside':
        one();
        c.f64(0).op(Op.f64_gt).op(Op.f64_convert_i32_u);
        return;
      case 'min':
      case 'max':
        this.value(args[0], vals);
        this.value(args[1], vals);
        c.op(fn === 'min' ? Op.f64_min : Op.f64_max);
        return;
      case 'clip':
        this.value(args[0], vals);
        this.value(args[1], vals);
        c.op(Op.f64_max);
        this.value(args[2], vals);
        c.op(Op.f64_min);
        return;
      case 'rand':
      case 'randn': {
        // Counter: (element, step, 6 + 16·site, object)
        const site = this.randSite++;
        c.get(this.i).get(this.t).i32(6 + 16 * site).i32(this.objectIndex).call(fn === 'rand' ? this.fns.u01 : this.fns.normal);
        return;
      }
      default:
        c.f64(NaN);
    }
  }

}

// ---- neuron populations ------------------------------------------------------------------------

class PopulationCodegen extends ExprCodegen {
  private aliases = new Map<string, ExprIR>();

  constructor(plan: Plan, private pop: PopPlan, c: Code, fns: Fns) {
    super(plan, c, fns, pop.index);
  }

  protected leaf(e: ExprIR, vals: Map<string, number>): boolean {
    const c = this.c;
    switch (e.op) {
      case 'state': {
        const l = vals.get(e.name);
        if (l === undefined) c.f64(NaN);
        else c.get(l);
        return true;
      }
      case 'param': {
        const p = this.pop.params.get(e.name);
        if (!p) c.f64(NaN);
        else if ('value' in p) c.f64(p.value);
        else c.get(this.i).i32(2).op(Op.i32_shl).mem(Op.f32_load, 2, p.offset).op(Op.f64_promote_f32);
        return true;
      }
      case 'alias': {
        let l = this.aliasCache.get(e.name);
        if (l === undefined) {
          l = c.local(T.f64);
          this.value(this.aliases.get(e.name) ?? K(NaN), vals);
          c.set(l);
          this.aliasCache.set(e.name, l);
        }
        c.get(l);
        return true;
      }
      case 'builtin':
        if (e.name === 't') c.get(this.t).op(Op.f64_convert_i32_s).f64(this.plan.dt).op(Op.f64_mul).f64(this.timeOffset).op(Op.f64_add);
        else if (e.name === 'i') c.get(this.i).op(Op.f64_convert_i32_u);
        else if (e.name === 'dt') c.f64(this.plan.dt);
        else c.f64(this.pop.size);
        return true;
    }
    return false;
  }

  private get model(): ModelDefIR {
    return this.pop.model!;
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

  /** The scalar loop over neurons [start, N); spikes append to the list after `count` in memory. */
  emit(start = 0): void {
    const c = this.c;
    const m = this.model;
    const pop = this.pop;
    this.t = 0;
    this.i = c.local(T.i32);
    const refr = c.local(T.i32);
    const held = c.local(T.i32);
    const count = c.local(T.i32);
    for (const a of m.aliases) this.aliases.set(a.name, this.fold(a.expr));
    const names = m.state.map((s) => s.name);
    const old = new Map<string, number>();
    const neu = new Map<string, number>();
    for (const s of names) {
      old.set(s, c.local(T.f64));
      neu.set(s, c.local(T.f64));
    }
    const heldVars = new Set(m.reset.filter((s) => s.target.kind === 'state').map((s) => (s.target as { name: string }).name));
    const odes = m.odes.map((o) => ({ variable: o.variable, rhs: this.fold(o.rhs), linear: o.linear }));
    const allLinear = odes.every((o) => o.linear);
    const method = m.method ?? (allLinear ? 'exact' : 'rk2');

    c.i32(0).mem(Op.i32_load, 2, pop.countOffset).set(count);
    c.i32(start).set(this.i);
    c.get(this.i).i32(pop.size).op(Op.i32_lt_u).begin(Op.if);
    c.begin(Op.loop);
    // load state
    for (const s of names) c.get(this.i).i32(2).op(Op.i32_shl).mem(Op.f32_load, 2, pop.state.get(s)!).op(Op.f64_promote_f32).set(old.get(s)!);
    c.get(this.i).i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, pop.refrOffset).set(refr);
    // Refractory, as Brian2: the counter is set to round(t_ref/dt) at a spike and counts down
    // at the start of each step; the step is held while it is still > 0 (so the reset
    // variables are held for the steps strictly between the spike and spike + t_ref), and
    // spikes are possible again once it is 0.
    c.get(refr).i32(0).op(Op.i32_gt_s).begin(Op.if).get(refr).i32(1).op(Op.i32_sub).set(refr).end();
    c.get(refr).i32(0).op(Op.i32_gt_s).set(held);
    // integrate: new values from old ones
    for (const s of names) c.get(old.get(s)!).set(neu.get(s)!);
    this.integrate(odes, method, old, neu);
    // refractory: variables the reset assigns keep their values
    for (const s of heldVars) {
      if (!neu.has(s)) continue;
      c.get(old.get(s)!).get(neu.get(s)!).get(held).op(Op.select).set(neu.get(s)!);
    }
    // NaN/Inf check: x - x is 0 for finite x; one test per neuron on the sum over variables.
    // Only the first occurrence is reported; the host then finds the variable.
    if (names.length) {
      names.forEach((s, k) => {
        c.get(neu.get(s)!).get(neu.get(s)!).op(Op.f64_sub);
        if (k > 0) c.op(Op.f64_add);
      });
      c.f64(0).op(Op.f64_ne).i32(0).mem(Op.i32_load, 2, this.plan.errOffset).op(Op.i32_eqz).op(Op.i32_and).begin(Op.if);
      c.i32(0).i32(1).mem(Op.i32_store, 2, this.plan.errOffset);
      c.i32(0).i32(pop.index).mem(Op.i32_store, 2, this.plan.errOffset + 4);
      // variable: the first non-finite one
      c.i32(0).i32(-1).mem(Op.i32_store, 2, this.plan.errOffset + 8);
      for (let k = names.length - 1; k >= 0; k--) {
        const l = neu.get(names[k])!;
        c.get(l).get(l).op(Op.f64_sub).f64(0).op(Op.f64_ne).begin(Op.if).i32(0).i32(k).mem(Op.i32_store, 2, this.plan.errOffset + 8).end();
      }
      c.i32(0).get(this.i).mem(Op.i32_store, 2, this.plan.errOffset + 12);
      c.i32(0).get(this.t).mem(Op.i32_store, 2, this.plan.errOffset + 16);
      c.end();
    }
    if (m.spike) {
      this.aliasCache.clear();
      c.get(refr).op(Op.i32_eqz);
      this.cond(m.spike, neu);
      c.op(Op.i32_and).begin(Op.if);
      // record the spike
      c.get(count).i32(2).op(Op.i32_shl).get(this.i).mem(Op.i32_store, 2, pop.listOffset);
      c.get(count).i32(1).op(Op.i32_add).set(count);
      // reset, in order, each statement seeing the previous ones
      for (const st of m.reset) this.statement(st, neu);
      if ('value' in pop.refrSteps) c.i32(pop.refrSteps.value).set(refr);
      else c.get(this.i).i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, pop.refrSteps.offset).set(refr);
      c.end();
    }
    // store
    for (const s of names) c.get(this.i).i32(2).op(Op.i32_shl).get(neu.get(s)!).op(Op.f32_demote_f64).mem(Op.f32_store, 2, pop.state.get(s)!);
    c.get(this.i).i32(2).op(Op.i32_shl).get(refr).mem(Op.i32_store, 2, pop.refrOffset);
    c.get(this.i).i32(1).op(Op.i32_add).tee(this.i).i32(pop.size).op(Op.i32_lt_u).br(Op.br_if, 0);
    c.end(); // loop
    c.end(); // if
    c.i32(0).get(count).mem(Op.i32_store, 2, pop.countOffset);
  }

  /** spike(i, t): records neuron i's spike, applies the reset and starts its refractory period. */
  emitSpikeFn(): void {
    const c = this.c;
    const m = this.model;
    const pop = this.pop;
    this.i = 0;
    this.t = 1;
    for (const a of m.aliases) this.aliases.set(a.name, this.fold(a.expr));
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
    const dt = this.plan.dt;
    if (method === 'exact' && odes.every((o) => o.linear)) {
      // Exponential Euler: each variable exactly, the others frozen at their old values.
      for (const o of odes) {
        this.aliasCache.clear();
        const ab = affine(o.rhs, o.variable, this.aliases);
        const x = old.get(o.variable)!;
        const out = neu.get(o.variable)!;
        if (!ab) {
          c.get(x);
          this.value(o.rhs, old);
          c.f64(dt).op(Op.f64_mul).op(Op.f64_add).set(out);
          continue;
        }
        const a = this.fold(ab.a);
        const b = this.fold(ab.b);
        if (isConst(b) && b.value === 0) {
          // dx/dt = a (independent of x): x + a·dt
          c.get(x);
          this.value(a, old);
          c.f64(dt).op(Op.f64_mul).op(Op.f64_add).set(out);
        } else if (isConst(a) && isConst(b)) {
          const E = Math.exp(b.value * dt);
          c.get(x).f64(E).op(Op.f64_mul).f64((a.value / b.value) * (E - 1)).op(Op.f64_add).set(out);
        } else {
          // x·e^{b dt} + (a/b)(e^{b dt} - 1); for |b dt| tiny, (e^{b dt}-1)/b → dt
          const bl = c.local(T.f64);
          const E = c.local(T.f64);
          this.value(b, old);
          c.set(bl);
          c.get(bl).f64(dt).op(Op.f64_mul);
          this.exp();
          c.set(E);
          c.get(x).get(E).op(Op.f64_mul);
          this.value(a, old);
          c.get(E).f64(1).op(Op.f64_sub).get(bl).op(Op.f64_div);
          c.f64(dt);
          c.get(bl).f64(dt).op(Op.f64_mul).op(Op.f64_abs).f64(1e-12).op(Op.f64_gt);
          c.op(Op.select);
          c.op(Op.f64_mul).op(Op.f64_add).set(out);
        }
      }
      return;
    }
    // Explicit methods on the whole system.
    const derivs = (vals: Map<string, number>, tOffset: number): Map<string, number> => {
      this.aliasCache.clear();
      this.timeOffset = tOffset;
      const out = new Map<string, number>();
      for (const o of odes) {
        const d = c.local(T.f64);
        this.value(o.rhs, vals);
        c.set(d);
        out.set(o.variable, d);
      }
      this.timeOffset = 0;
      return out;
    };
    const shifted = (base: Map<string, number>, k: Map<string, number>, h: number): Map<string, number> => {
      const vals = new Map(base);
      for (const [v, d] of k) {
        const l = c.local(T.f64);
        c.get(base.get(v)!).get(d).f64(h).op(Op.f64_mul).op(Op.f64_add).set(l);
        vals.set(v, l);
      }
      return vals;
    };
    const k1 = derivs(old, 0);
    if (method === 'euler') {
      for (const [v, d] of k1) c.get(old.get(v)!).get(d).f64(dt).op(Op.f64_mul).op(Op.f64_add).set(neu.get(v)!);
      return;
    }
    if (method === 'rk4') {
      const k2 = derivs(shifted(old, k1, dt / 2), dt / 2);
      const k3 = derivs(shifted(old, k2, dt / 2), dt / 2);
      const k4 = derivs(shifted(old, k3, dt), dt);
      for (const [v] of k1) {
        c.get(old.get(v)!);
        c.get(k1.get(v)!).get(k2.get(v)!).f64(2).op(Op.f64_mul).op(Op.f64_add).get(k3.get(v)!).f64(2).op(Op.f64_mul).op(Op.f64_add).get(k4.get(v)!).op(Op.f64_add);
        c.f64(dt / 6).op(Op.f64_mul).op(Op.f64_add).set(neu.get(v)!);
      }
      return;
    }
    // rk2 (midpoint, as Brian2's 'rk2')
    const k2 = derivs(shifted(old, k1, dt / 2), dt / 2);
    for (const [v, d] of k2) c.get(old.get(v)!).get(d).f64(dt).op(Op.f64_mul).op(Op.f64_add).set(neu.get(v)!);
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
  c.i32(0).set(count);
  c.get(t).i32(start).op(Op.i32_ge_s).get(t).i32(stop).op(Op.i32_lt_s).op(Op.i32_and).begin(Op.if);
  c.get(t).i32(3).op(Op.i32_and).tee(lane).op(Op.i32_eqz).get(t).i32(start).op(Op.i32_eq).op(Op.i32_or).set(refresh);
  c.get(lane).i32(2).op(Op.i32_shl).set(lane);
  c.i32(0).set(i);
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
  c.get(i).i32(1).op(Op.i32_add).tee(i).i32(pop.size).op(Op.i32_lt_u).br(Op.br_if, 0);
  c.end();
  c.end();
  c.i32(0).get(count).mem(Op.i32_store, 2, pop.countOffset);
}

function emitPropagate(plan: Plan, proj: ProjPlan, c: Code): void {
  void plan;
  const t = 0;
  const k = c.local(T.i32);
  const n = c.local(T.i32);
  const r = c.local(T.i32);
  const s = c.local(T.i32);
  const end = c.local(T.i32);
  const base = c.local(T.i32);
  const ring = proj.ring;
  const N = ring.target.size;
  const [from, to] = proj.src;
  c.i32(0).mem(Op.i32_load, 2, proj.source.countOffset).set(n);
  c.i32(0).set(k);
  c.get(k).get(n).op(Op.i32_lt_u).begin(Op.if);
  c.begin(Op.loop);
  c.begin(Op.block);
  // r = spike index - from; skip sources outside the selector
  c.get(k).i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, proj.source.listOffset).i32(from).op(Op.i32_sub).tee(r);
  c.i32(to - from).op(Op.i32_gt_u).br(Op.br_if, 0);
  c.get(r).i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, proj.rowptrOffset).set(s);
  c.get(r).i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, proj.rowptrOffset + 4).set(end);
  if ('value' in proj.delay) {
    // ring slot ((t + d) mod D), as a byte offset of the slot's row
    c.get(t).i32(proj.delay.value).op(Op.i32_add).i32(ring.slots).op(Op.i32_rem_u).i32(N * 4).op(Op.i32_mul).i32(ring.offset + proj.tgt[0] * 4).op(Op.i32_add).set(base);
  }
  c.get(s).get(end).op(Op.i32_lt_u).begin(Op.if);
  c.begin(Op.loop);
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
  c.get(s).i32(1).op(Op.i32_add).tee(s).get(end).op(Op.i32_lt_u).br(Op.br_if, 0);
  c.end();
  c.end();
  c.end(); // block
  c.get(k).i32(1).op(Op.i32_add).tee(k).get(n).op(Op.i32_lt_u).br(Op.br_if, 0);
  c.end();
  c.end();
}

function emitRingApply(ring: Plan['rings'][number], c: Code): void {
  const t = 0;
  const j = c.local(T.i32);
  const row = c.local(T.i32);
  const a = c.local(T.i32);
  const N = ring.target.size;
  const varOff = ring.target.state.get(ring.variable)!;
  // As Brian2: input to a variable the reset holds is dropped while the neuron is refractory
  // (from its spike step to the step before spike + t_ref, i.e. while the counter is > 0).
  const m = ring.target.model;
  const gated = !!m?.refractory && m.reset.some((st) => st.target.kind === 'state' && st.target.name === ring.variable);
  c.get(t).i32(ring.slots).op(Op.i32_rem_u).i32(N * 4).op(Op.i32_mul).i32(ring.offset).op(Op.i32_add).set(row);
  c.i32(0).set(j);
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
  c.get(j).i32(1).op(Op.i32_add).tee(j).i32(N).op(Op.i32_lt_u).br(Op.br_if, 0);
  c.end();
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
      const off = pop?.state.get(name);
      if (off === undefined) {
        c.f64(NaN);
        return;
      }
      index();
      c.i32(2).op(Op.i32_shl).mem(Op.f32_load, 2, off).op(Op.f64_promote_f32);
    };
    switch (e.op) {
      case 'state': {
        const l = vals.get(e.name);
        if (l === undefined) c.f64(NaN);
        else c.get(l);
        return true;
      }
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

  /** Equations integrable in closed form between events: affine, constant coefficients, not w. */
  eventDriven(): boolean {
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
    const sAddr = () => c.get(this.s).i32(2).op(Op.i32_shl);
    if (proj.synapses === 0) return;
    c.i32(0).set(this.s);
    c.begin(Op.loop);
    sAddr().mem(Op.i32_load, 2, proj.colOffset).set(this.j);
    sAddr().mem(Op.i32_load, 2, pl.srcOffset).set(this.r);
    sAddr().mem(Op.f32_load, 2, proj.weightOffset).op(Op.f64_promote_f32).set(this.w);
    for (const [name, off] of pl.state) sAddr().mem(Op.f32_load, 2, off).op(Op.f64_promote_f32).set(this.vals.get(name)!);
    const vals = new Map(this.vals);
    vals.set('w', this.w);
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
        this.wRead = true;
        this.value(this.fold(o.rhs), this.vals);
        this.wRead = false;
        c.f64(dt).op(Op.f64_mul).op(Op.f64_add).set(out);
      }
      next.push([x, out]);
    }
    for (const [x, out] of next) c.get(out).set(x);
    sAddr().get(this.w).op(Op.f32_demote_f64).mem(Op.f32_store, 2, proj.weightOffset);
    for (const [name, off] of pl.state) sAddr().get(this.vals.get(name)!).op(Op.f32_demote_f64).mem(Op.f32_store, 2, off);
    c.get(this.s).i32(1).op(Op.i32_add).tee(this.s).i32(proj.synapses).op(Op.i32_lt_u).br(Op.br_if, 0);
    c.end();
  }
  private wRead = false;

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
    const c = this.c;
    const pl = this.pl;
    const proj = this.proj;
    this.locals();
    const k = c.local(T.i32);
    const n = c.local(T.i32);
    const end = c.local(T.i32);
    const [from, to] = proj.src;
    const ns = to - from + 1;
    let listOffset = proj.source.listOffset;
    let countAddr: () => void = () => c.i32(0).mem(Op.i32_load, 2, proj.source.countOffset);
    let filtered = true;
    if (pl.queue) {
      // Push this step's spikes (as local source indices) into slot (t + d) mod slots.
      const q = pl.queue;
      const slot = c.local(T.i32);
      c.get(this.t).i32(q.slots - 1).op(Op.i32_add).i32(q.slots).op(Op.i32_rem_u).set(slot);
      c.i32(0).mem(Op.i32_load, 2, proj.source.countOffset).set(n);
      c.i32(0).set(k);
      c.get(k).get(n).op(Op.i32_lt_u).begin(Op.if).begin(Op.loop).begin(Op.block);
      c.get(k).i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, proj.source.listOffset).i32(from).op(Op.i32_sub).tee(this.r).i32(to - from).op(Op.i32_gt_u).br(Op.br_if, 0);
      // rows[slot·ns + count[slot]] = r; count[slot]++
      c.get(slot).i32(ns).op(Op.i32_mul).get(slot).i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, q.countsOffset).op(Op.i32_add).i32(2).op(Op.i32_shl).get(this.r).mem(Op.i32_store, 2, q.rowsOffset);
      c.get(slot).i32(2).op(Op.i32_shl).get(slot).i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, q.countsOffset).i32(1).op(Op.i32_add).mem(Op.i32_store, 2, q.countsOffset);
      c.end();
      c.get(k).i32(1).op(Op.i32_add).tee(k).get(n).op(Op.i32_lt_u).br(Op.br_if, 0).end().end();
      // Then run the slot due now: t mod slots.
      const due = c.local(T.i32);
      c.get(this.t).i32(q.slots).op(Op.i32_rem_u).set(due);
      countAddr = () => c.get(due).i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, q.countsOffset);
      listOffset = q.rowsOffset;
      filtered = false;
      const base = c.local(T.i32);
      c.get(due).i32(ns * 4).op(Op.i32_mul).set(base);
      countAddr();
      c.set(n);
      c.get(due).i32(2).op(Op.i32_shl).i32(0).mem(Op.i32_store, 2, q.countsOffset);
      this.preLoop(k, n, end, () => c.get(base).get(k).i32(2).op(Op.i32_shl).op(Op.i32_add).mem(Op.i32_load, 2, listOffset), filtered, from, to);
      return;
    }
    countAddr();
    c.set(n);
    this.preLoop(k, n, end, () => c.get(k).i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, listOffset), filtered, from, to);
  }

  private preLoop(k: number, n: number, end: number, loadSpike: () => void, filtered: boolean, from: number, to: number): void {
    const c = this.c;
    const proj = this.proj;
    c.i32(0).set(k);
    c.get(k).get(n).op(Op.i32_lt_u).begin(Op.if).begin(Op.loop).begin(Op.block);
    loadSpike();
    if (filtered) c.i32(from).op(Op.i32_sub).tee(this.r).i32(to - from).op(Op.i32_gt_u).br(Op.br_if, 0);
    else c.set(this.r);
    c.get(this.r).i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, proj.rowptrOffset).set(this.s);
    c.get(this.r).i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, proj.rowptrOffset + 4).set(end);
    c.get(this.s).get(end).op(Op.i32_lt_u).begin(Op.if).begin(Op.loop);
    c.get(this.s).i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, proj.colOffset).set(this.j);
    this.body(this.pl.model.on_pre);
    c.get(this.s).i32(1).op(Op.i32_add).tee(this.s).get(end).op(Op.i32_lt_u).br(Op.br_if, 0).end().end();
    c.end();
    c.get(k).i32(1).op(Op.i32_add).tee(k).get(n).op(Op.i32_lt_u).br(Op.br_if, 0).end().end();
  }

  /** For each postsynaptic spike of this step, every incoming synapse: on_post. */
  emitPost(): void {
    if (!this.pl.model.on_post.length) return;
    const c = this.c;
    const pl = this.pl;
    const proj = this.proj;
    this.locals();
    const k = c.local(T.i32);
    const n = c.local(T.i32);
    const q = c.local(T.i32);
    const end = c.local(T.i32);
    const [from, to] = proj.tgt;
    c.i32(0).mem(Op.i32_load, 2, proj.target.countOffset).set(n);
    c.i32(0).set(k);
    c.get(k).get(n).op(Op.i32_lt_u).begin(Op.if).begin(Op.loop).begin(Op.block);
    c.get(k).i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, proj.target.listOffset).i32(from).op(Op.i32_sub).tee(this.j).i32(to - from).op(Op.i32_gt_u).br(Op.br_if, 0);
    c.get(this.j).i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, pl.colptrOffset).set(q);
    c.get(this.j).i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, pl.colptrOffset + 4).set(end);
    c.get(q).get(end).op(Op.i32_lt_u).begin(Op.if).begin(Op.loop);
    c.get(q).i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, pl.synIdxOffset).tee(this.s);
    c.i32(2).op(Op.i32_shl).mem(Op.i32_load, 2, pl.srcOffset).set(this.r);
    this.body(pl.model.on_post);
    c.get(q).i32(1).op(Op.i32_add).tee(q).get(end).op(Op.i32_lt_u).br(Op.br_if, 0).end().end();
    c.end();
    c.get(k).i32(1).op(Op.i32_add).tee(k).get(n).op(Op.i32_lt_u).br(Op.br_if, 0).end().end();
  }
}

// ---- SIMD neuron loop ----------------------------------------------------------------------------

const VECTOR_CALLS = new Set(['exp', 'sqrt', 'abs', 'sigmoid', 'relu', 'heaviside', 'min', 'max', 'clip']);

/** Models whose update uses only operations with an f64x2 form (no rand, log, trig, pow). */
export function vectorizable(m: ModelDefIR): boolean {
  let ok = true;
  const visit = (e: ExprIR) => {
    if (e.op === 'call' && !VECTOR_CALLS.has(e.fn)) ok = false;
    if (e.op === 'pow' && !(isConst(e.args[1]) && (e.args[1].value === 2 || e.args[1].value === 3))) ok = false;
    if (e.op === 'builtin' && e.name === 't') ok = false;
    if ('args' in e) e.args.forEach(visit);
  };
  m.odes.forEach((o) => visit(o.rhs));
  m.aliases.forEach((a) => visit(a.expr));
  if (m.spike) visit(m.spike);
  return ok && (m.method === null || m.method === 'exact' || m.method === 'euler' || m.method === 'rk2' || m.method === 'rk4');
}

/**
 * The neuron update on two neurons at a time (f64x2), for i in [0, N - N mod 2): the same
 * arithmetic as the scalar loop, lane by lane, so results are identical. Spikes are rare:
 * when any lane crosses threshold, the scalar spike function records it and applies the reset.
 */
class VectorPopulationCodegen {
  private i = 0;
  private t = 0;
  private aliases = new Map<string, ExprIR>();
  private aliasCache = new Map<string, number>();
  private expTmp?: [number, number, number];

  constructor(private plan: Plan, private pop: PopPlan, private c: Code, private fns: Fns, private spikeFn: number) {}

  private fold(e: ExprIR): ExprIR {
    return fold(e, (name) => {
      const p = this.pop.params.get(name);
      return p && 'value' in p ? p.value : undefined;
    }, this.plan.dt, this.pop.size);
  }

  emit(): void {
    const c = this.c;
    const pop = this.pop;
    const m = pop.model!;
    this.t = 0;
    this.i = c.local(T.i32);
    const refr = c.local(T.v128);
    const held = c.local(T.v128);
    const ready = c.local(T.v128);
    const spk = c.local(T.v128);
    for (const a of m.aliases) this.aliases.set(a.name, this.fold(a.expr));
    const names = m.state.map((s) => s.name);
    const old = new Map<string, number>();
    const neu = new Map<string, number>();
    for (const s of names) {
      old.set(s, c.local(T.v128));
      neu.set(s, c.local(T.v128));
    }
    const heldVars = new Set(m.reset.filter((s) => s.target.kind === 'state').map((s) => (s.target as { name: string }).name));
    const odes = m.odes.map((o) => ({ variable: o.variable, rhs: this.fold(o.rhs), linear: o.linear }));
    const method = m.method ?? (odes.every((o) => o.linear) ? 'exact' : 'rk2');
    const end = pop.size - (pop.size % 2);
    const addr = () => c.get(this.i).i32(2).op(Op.i32_shl);
    c.i32(0).set(this.i);
    c.begin(Op.loop);
    for (const s of names) addr().simd(V.load64_zero, { align: 3, offset: pop.state.get(s)! }).simd(V.f64x2_promote_low).set(old.get(s)!);
    // refractory counters (two i32 lanes): count down where > 0; held where still > 0
    addr().simd(V.load64_zero, { align: 3, offset: pop.refrOffset }).tee(refr);
    c.get(refr).i32(0).simd(V.i32x4_splat).simd(V.i32x4_gt_s).simd(V.i32x4_add).tee(refr);
    c.i32(0).simd(V.i32x4_splat).simd(V.i32x4_gt_s).simd(V.i64x2_extend_low_s).set(held);
    c.get(held).simd(V.not).set(ready);
    for (const s of names) c.get(old.get(s)!).set(neu.get(s)!);
    this.integrate(odes, method, old, neu);
    for (const s of heldVars) {
      if (!neu.has(s)) continue;
      c.get(old.get(s)!).get(neu.get(s)!).get(held).simd(V.bitselect).set(neu.get(s)!);
    }
    // NaN/Inf: any lane of Σ(x - x) ≠ 0 → let the scalar path find and report it
    if (names.length) {
      names.forEach((s, k) => {
        c.get(neu.get(s)!).get(neu.get(s)!).simd(V.f64x2_sub);
        if (k > 0) c.simd(V.f64x2_add);
      });
      c.f64x2(0).simd(V.f64x2_ne).simd(V.any_true).i32(0).mem(Op.i32_load, 2, this.plan.errOffset).op(Op.i32_eqz).op(Op.i32_and).begin(Op.if);
      c.i32(0).i32(1).mem(Op.i32_store, 2, this.plan.errOffset);
      c.i32(0).i32(pop.index).mem(Op.i32_store, 2, this.plan.errOffset + 4);
      c.i32(0).i32(-1).mem(Op.i32_store, 2, this.plan.errOffset + 8);
      for (let lane = 1; lane >= 0; lane--) {
        for (let k = names.length - 1; k >= 0; k--) {
          const l = neu.get(names[k])!;
          c.get(l).simd(V.f64x2_extract, undefined, lane).get(l).simd(V.f64x2_extract, undefined, lane).op(Op.f64_sub).f64(0).op(Op.f64_ne).begin(Op.if);
          c.i32(0).i32(k).mem(Op.i32_store, 2, this.plan.errOffset + 8);
          c.i32(0).get(this.i).i32(lane).op(Op.i32_add).mem(Op.i32_store, 2, this.plan.errOffset + 12);
          c.end();
        }
      }
      c.i32(0).get(this.t).mem(Op.i32_store, 2, this.plan.errOffset + 16);
      c.end();
    }
    // store state and counters
    for (const s of names) addr().get(neu.get(s)!).simd(V.f32x4_demote_zero).simd(V.store64_lane, { align: 3, offset: pop.state.get(s)! }, 0);
    addr().get(refr).simd(V.store64_lane, { align: 3, offset: pop.refrOffset }, 0);
    // spikes: condition ∧ not refractory, handled lane by lane by the scalar spike function
    if (m.spike) {
      this.aliasCache.clear();
      this.cond(m.spike, neu);
      c.get(ready).simd(V.and).tee(spk).simd(V.any_true).begin(Op.if);
      for (let lane = 0; lane < 2; lane++) {
        c.get(spk).simd(V.i64x2_extract, undefined, lane).op(Op.i32_wrap_i64).begin(Op.if);
        c.get(this.i).i32(lane).op(Op.i32_add).get(this.t).call(this.spikeFn);
        c.end();
      }
      c.end();
    }
    c.get(this.i).i32(2).op(Op.i32_add).tee(this.i).i32(end).op(Op.i32_lt_u).br(Op.br_if, 0);
    c.end();
  }

  private exp(): void {
    const c = this.c;
    this.expTmp ??= [c.local(T.v128), c.local(T.v128), c.local(T.v128)];
    const [x, k, r] = this.expTmp;
    // As emitExpInline, on two lanes; 2^k via the 1.5·2^52 rounding trick (no f64x2→i64x2).
    c.f64x2(709).simd(V.f64x2_min).f64x2(-708).simd(V.f64x2_max).tee(x);
    c.f64x2(Math.LOG2E).simd(V.f64x2_mul).simd(V.f64x2_nearest).set(k);
    c.get(x).get(k).f64x2(0.6931471803691238).simd(V.f64x2_mul).simd(V.f64x2_sub).get(k).f64x2(1.9082149292705877e-10).simd(V.f64x2_mul).simd(V.f64x2_sub).set(r);
    const C = [1, 1, 1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040];
    const pair = (n: number) => c.f64x2(C[n + 1]).get(r).simd(V.f64x2_mul).f64x2(C[n]).simd(V.f64x2_add);
    pair(0);
    pair(2);
    c.get(r).get(r).simd(V.f64x2_mul).tee(x).simd(V.f64x2_mul).simd(V.f64x2_add);
    pair(4);
    pair(6);
    c.get(x).simd(V.f64x2_mul).simd(V.f64x2_add);
    c.get(x).get(x).simd(V.f64x2_mul).simd(V.f64x2_mul).simd(V.f64x2_add);
    const magic = 6755399441055744; // 1.5·2^52: k + magic holds k in the low mantissa bits
    c.get(k).f64x2(magic).simd(V.f64x2_add);
    c.f64x2(magic).simd(V.i64x2_sub);
    c.i64(1023n).simd(V.i64x2_splat).simd(V.i64x2_add).i32(52).simd(V.i64x2_shl);
    c.simd(V.f64x2_mul);
  }

  private integrate(odes: { variable: string; rhs: ExprIR; linear: boolean }[], method: string, old: Map<string, number>, neu: Map<string, number>): void {
    const c = this.c;
    const dt = this.plan.dt;
    if (method === 'exact' && odes.every((o) => o.linear)) {
      for (const o of odes) {
        this.aliasCache.clear();
        const ab = affine(o.rhs, o.variable, this.aliases);
        const x = old.get(o.variable)!;
        const out = neu.get(o.variable)!;
        const a = ab && this.fold(ab.a);
        const b = ab && this.fold(ab.b);
        if (!ab || !a || !b || (isConst(b) && b.value === 0)) {
          c.get(x);
          this.value(ab && a ? a : o.rhs, old);
          c.f64x2(dt).simd(V.f64x2_mul).simd(V.f64x2_add).set(out);
        } else if (isConst(a) && isConst(b)) {
          const E = Math.exp(b.value * dt);
          c.get(x).f64x2(E).simd(V.f64x2_mul).f64x2((a.value / b.value) * (E - 1)).simd(V.f64x2_add).set(out);
        } else {
          const bl = this.c.local(T.v128);
          const E = this.c.local(T.v128);
          this.value(b, old);
          c.set(bl);
          c.get(bl).f64x2(dt).simd(V.f64x2_mul);
          this.exp();
          c.set(E);
          c.get(x).get(E).simd(V.f64x2_mul);
          this.value(a, old);
          c.get(E).f64x2(1).simd(V.f64x2_sub).get(bl).simd(V.f64x2_div);
          c.f64x2(dt);
          c.get(bl).f64x2(dt).simd(V.f64x2_mul).simd(V.f64x2_abs).f64x2(1e-12).simd(V.f64x2_gt);
          c.simd(V.bitselect);
          c.simd(V.f64x2_mul).simd(V.f64x2_add).set(out);
        }
      }
      return;
    }
    const derivs = (vals: Map<string, number>): Map<string, number> => {
      this.aliasCache.clear();
      const out = new Map<string, number>();
      for (const o of odes) {
        const d = c.local(T.v128);
        this.value(o.rhs, vals);
        c.set(d);
        out.set(o.variable, d);
      }
      return out;
    };
    const shifted = (base: Map<string, number>, k: Map<string, number>, h: number): Map<string, number> => {
      const vals = new Map(base);
      for (const [v, d] of k) {
        const l = c.local(T.v128);
        c.get(base.get(v)!).get(d).f64x2(h).simd(V.f64x2_mul).simd(V.f64x2_add).set(l);
        vals.set(v, l);
      }
      return vals;
    };
    const k1 = derivs(old);
    if (method === 'euler') {
      for (const [v, d] of k1) c.get(old.get(v)!).get(d).f64x2(dt).simd(V.f64x2_mul).simd(V.f64x2_add).set(neu.get(v)!);
      return;
    }
    if (method === 'rk4') {
      const k2 = derivs(shifted(old, k1, dt / 2));
      const k3 = derivs(shifted(old, k2, dt / 2));
      const k4 = derivs(shifted(old, k3, dt));
      for (const [v] of k1) {
        c.get(old.get(v)!);
        c.get(k1.get(v)!).get(k2.get(v)!).f64x2(2).simd(V.f64x2_mul).simd(V.f64x2_add).get(k3.get(v)!).f64x2(2).simd(V.f64x2_mul).simd(V.f64x2_add).get(k4.get(v)!).simd(V.f64x2_add);
        c.f64x2(dt / 6).simd(V.f64x2_mul).simd(V.f64x2_add).set(neu.get(v)!);
      }
      return;
    }
    const k2 = derivs(shifted(old, k1, dt / 2));
    for (const [v, d] of k2) c.get(old.get(v)!).get(d).f64x2(dt).simd(V.f64x2_mul).simd(V.f64x2_add).set(neu.get(v)!);
  }

  /** f64x2 value of `e`. */
  private value(e: ExprIR, vals: Map<string, number>): void {
    const c = this.c;
    switch (e.op) {
      case 'const':
        c.f64x2(e.value);
        return;
      case 'state': {
        const l = vals.get(e.name);
        if (l === undefined) c.f64x2(NaN);
        else c.get(l);
        return;
      }
      case 'param': {
        const p = this.pop.params.get(e.name);
        if (!p) c.f64x2(NaN);
        else if ('value' in p) c.f64x2(p.value);
        else c.get(this.i).i32(2).op(Op.i32_shl).simd(V.load64_zero, { align: 3, offset: p.offset }).simd(V.f64x2_promote_low);
        return;
      }
      case 'alias': {
        let l = this.aliasCache.get(e.name);
        if (l === undefined) {
          l = c.local(T.v128);
          this.value(this.aliases.get(e.name) ?? K(NaN), vals);
          c.set(l);
          this.aliasCache.set(e.name, l);
        }
        c.get(l);
        return;
      }
      case 'builtin':
        if (e.name === 'i') c.get(this.i).simd(V.i32x4_splat).simd(V.v128_const).op(0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0).simd(V.i32x4_add).simd(V.f64x2_convert_low_i32x4_s);
        else if (e.name === 'dt') c.f64x2(this.plan.dt);
        else c.f64x2(this.pop.size);
        return;
      case 'neg':
        this.value(e.args[0], vals);
        c.simd(V.f64x2_neg);
        return;
      case 'add':
      case 'sub':
      case 'mul':
      case 'div':
        this.value(e.args[0], vals);
        this.value(e.args[1], vals);
        c.simd({ add: V.f64x2_add, sub: V.f64x2_sub, mul: V.f64x2_mul, div: V.f64x2_div }[e.op]);
        return;
      case 'pow': {
        const l = c.local(T.v128);
        this.value(e.args[0], vals);
        c.tee(l).get(l).simd(V.f64x2_mul);
        if (isConst(e.args[1]) && e.args[1].value === 3) c.get(l).simd(V.f64x2_mul);
        return;
      }
      case 'call':
        this.call(e.fn, e.args, vals);
        return;
      default:
        // a condition used as a value: 1 or 0
        this.cond(e, vals);
        this.maskToValue();
    }
  }

  private maskToValue(): void {
    const m = this.c.local(T.v128);
    this.c.set(m).f64x2(1).f64x2(0).get(m).simd(V.bitselect);
  }

  /** i64x2 mask of `e`. */
  private cond(e: ExprIR, vals: Map<string, number>): void {
    const c = this.c;
    const cmp: Record<string, number> = { lt: V.f64x2_lt, le: V.f64x2_le, gt: V.f64x2_gt, ge: V.f64x2_ge, eq: V.f64x2_eq, ne: V.f64x2_ne };
    if (e.op in cmp && 'args' in e) {
      const [l, r] = e.args as [ExprIR, ExprIR];
      this.value(l, vals);
      this.value(r, vals);
      c.simd(cmp[e.op]);
    } else if ((e.op === 'and' || e.op === 'or') && 'args' in e) {
      this.cond(e.args[0], vals);
      this.cond(e.args[1]!, vals);
      c.simd(e.op === 'and' ? V.and : V.or);
    } else if (e.op === 'not') {
      this.cond(e.args[0], vals);
      c.simd(V.not);
    } else {
      this.value(e, vals);
      c.f64x2(0).simd(V.f64x2_ne);
    }
  }

  private call(fn: string, args: ExprIR[], vals: Map<string, number>): void {
    const c = this.c;
    const one = () => this.value(args[0], vals);
    switch (fn) {
      case 'exp':
        one();
        this.exp();
        return;
      case 'sqrt':
        one();
        c.simd(V.f64x2_sqrt);
        return;
      case 'abs':
        one();
        c.simd(V.f64x2_abs);
        return;
      case 'sigmoid': {
        c.f64x2(1).f64x2(1);
        one();
        c.simd(V.f64x2_neg);
        this.exp();
        c.simd(V.f64x2_add).simd(V.f64x2_div);
        return;
      }
      case 'relu':
        one();
        c.f64x2(0).simd(V.f64x2_max);
        return;
      case 'heaviside':
        one();
        c.f64x2(0).simd(V.f64x2_gt);
        this.maskToValue();
        return;
      case 'min':
      case 'max':
        this.value(args[0], vals);
        this.value(args[1], vals);
        c.simd(fn === 'min' ? V.f64x2_min : V.f64x2_max);
        return;
      case 'clip':
        this.value(args[0], vals);
        this.value(args[1], vals);
        c.simd(V.f64x2_max);
        this.value(args[2], vals);
        c.simd(V.f64x2_min);
        return;
      default:
        c.f64x2(NaN);
    }
  }
}
