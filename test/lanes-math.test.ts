// The inline expm1 / exprel / tanh of sim-host/src/wasm/lanes-math.ts on every lane set (scalar
// f64, f64x2, scalar f32, f32x4), against an independent reference: the Taylor series of e^x in
// 400-bit fixed point (BigInt), written from the definitions, not from the code under test.
// Errors in ulps of the exact value; the vector lanes must equal the scalar ones bit for bit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PAIRS, QUADS, SCALAR, SCALAR32, type Lanes } from '../sim-host/src/wasm/codegen';
import { ModuleBuilder, Op, T, V } from '../sim-host/src/wasm/emitter';
import { emitExpm1, emitExprel, emitTanh, MathTemps } from '../sim-host/src/wasm/lanes-math';

type Fn = 'expm1' | 'exprel' | 'tanh';
const EMIT = { expm1: emitExpm1, exprel: emitExprel, tanh: emitTanh };

/** fn over n values in memory (f64 or f32 by the lanes' precision): out[k] = fn(in[k]). */
function kernel(L: Lanes, fn: Fn): (xs: number[]) => Float64Array | Float32Array {
  const mb = new ModuleBuilder();
  mb.importMemory('env', 'memory', 64);
  const f = mb.declare([T.i32], [], 'run');
  const c = f.code;
  const i = c.local(T.i32);
  const bytes = L.f32 ? 4 : 8;
  const OUT = 1 << 21;
  const load = () => {
    c.get(i).i32(bytes).op(Op.i32_mul);
    if (L.vector) c.simd(V.v128_load, { align: 2, offset: 0 });
    else c.mem(L.f32 ? Op.f32_load : Op.f64_load, 2, 0);
  };
  const temps = new MathTemps(c, L.type);
  c.i32(0).set(i);
  c.begin(Op.loop);
  c.get(i).i32(bytes).op(Op.i32_mul);
  load();
  EMIT[fn](c, L, temps);
  if (L.vector) c.simd(V.v128_store, { align: 2, offset: OUT });
  else c.mem(L.f32 ? Op.f32_store : Op.f64_store, 2, OUT);
  c.get(i).i32(L.width).op(Op.i32_add).tee(i).get(0).op(Op.i32_lt_u).br(Op.br_if, 0);
  c.end();
  const memory = new WebAssembly.Memory({ initial: 64 });
  const inst = new WebAssembly.Instance(new WebAssembly.Module(mb.encode() as Uint8Array<ArrayBuffer>), { env: { memory } });
  const run = inst.exports.run as (n: number) => void;
  return (xs) => {
    const n = Math.ceil(xs.length / 4) * 4;
    const A = L.f32 ? Float32Array : Float64Array;
    new A(memory.buffer, 0, n).fill(0).set(xs);
    run(n);
    return new A(memory.buffer, OUT, xs.length).slice();
  };
}

// ---- reference: fixed point with F fractional bits -------------------------------------------

const F = 400n;
const ONE = 1n << F;

/** A double as fixed point (exact while its lowest bit is ≥ 2^−F). */
function fix(x: number): bigint {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  const bits = dv.getBigUint64(0);
  const sign = bits >> 63n ? -1n : 1n;
  const ex = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & ((1n << 52n) - 1n);
  if (ex) mant |= 1n << 52n;
  const shift = BigInt(Math.max(ex, 1) - 1075) + F;
  if (shift < 0n) throw new Error(`${x} is below the reference's resolution`);
  return sign * (mant << shift);
}

/** e^y for fixed-point |y| ≤ 1: Σ y^k/k! */
function expSmall(y: bigint): bigint {
  let sum = ONE;
  let term = ONE;
  for (let k = 1n; k < 200n; k++) {
    term = (term * y) / (k << F);
    if (term === 0n) break;
    sum += term;
  }
  return sum;
}

/** e^x − 1 in fixed point, x a double in [−60, 709]: small |x| by the series of (e^x − 1) itself; else e^(x/2^s) squared s times. */
function expm1Ref(x: number): bigint {
  const X = fix(x);
  if (Math.abs(x) < 0.5) {
    // Σ_{k≥1} x^k/k!: no subtraction of nearly equal numbers
    let sum = 0n;
    let term = ONE;
    for (let k = 1n; k < 200n; k++) {
      term = (term * X) / (k << F);
      if (term === 0n) break;
      sum += term;
    }
    return sum;
  }
  const neg = x < 0;
  const abs = neg ? -X : X;
  let s = 0n;
  while (abs >> s > ONE) s++;
  let e = expSmall(abs >> s);
  for (let k = 0n; k < s; k++) e = (e * e) >> F;
  if (neg) e = (ONE * ONE) / e;
  return e - ONE;
}

const exprelRef = (x: number) => (expm1Ref(x) * ONE) / fix(x);
function tanhRef(x: number): bigint {
  const e = expm1Ref(2 * x);
  return (e * ONE) / (e + 2n * ONE);
}

/** |got − want| in ulps of want (of f64, or f32 with `f32`). */
function ulps(got: number, want: bigint, f32: boolean): number {
  const mag = want < 0n ? -want : want;
  const e = mag.toString(2).length - 1 - Number(F); // floor(log2 |want|)
  const ulp = 1n << BigInt(e - (f32 ? 23 : 52) + Number(F));
  const d = fix(got) - want;
  return Number(((d < 0n ? -d : d) << 20n) / ulp) / 2 ** 20;
}

/** Points: a dense log-spaced sweep of both signs, the reduction's boundaries k·ln2/2, a linear sweep. */
function points(lo: number, hi: number, f32: boolean): number[] {
  const xs: number[] = [];
  for (let m = -12; m <= Math.log10(Math.max(-lo, hi)); m += 0.01) {
    const a = 10 ** m;
    if (a <= hi) xs.push(a);
    if (-a >= lo) xs.push(-a);
  }
  for (let k = -60; k <= 60; k++) for (const d of [-1e-9, 0, 1e-9]) xs.push((k * Math.LN2) / 2 + d);
  // a linear sweep over the range of the Hodgkin–Huxley rate arguments (u = ±(v − θ)/(4–5 mV), v in −100…+60 mV)
  for (let x = -30; x <= 30; x += 0.0137) xs.push(x);
  const r = f32 ? xs.map(Math.fround) : xs;
  return r.filter((x) => x >= lo && x <= hi && x !== 0);
}

const worst = (L: Lanes, fn: Fn, xs: number[], ref: (x: number) => bigint) => {
  const got = kernel(L, fn)(xs);
  let max = 0;
  let at = NaN;
  xs.forEach((x, k) => {
    const u = ulps(got[k], ref(x), L.f32);
    if (!(u <= max)) [max, at] = [u, x];
  });
  return { max, at };
};

describe('inline expm1 / exprel / tanh (lanes-math.ts) against a 400-bit reference', () => {
  const cases: [Fn, (x: number) => bigint, number, number][] = [
    ['expm1', expm1Ref, -40, 700],
    ['exprel', exprelRef, -60, 700],
    ['tanh', tanhRef, -30, 30],
  ];
  for (const [fn, ref, lo, hi] of cases) {
    it(`${fn}: f64 within 2 ulp, f32 within 2 f32 ulp, on [${lo}, ${hi}]`, () => {
      for (const L of [SCALAR, SCALAR32]) {
        const xs = points(L.f32 ? Math.max(lo, -20) : lo, L.f32 ? Math.min(hi, 80) : hi, L.f32);
        const { max, at } = worst(L, fn, xs, ref);
        console.log(`  ${fn} ${L.f32 ? 'f32' : 'f64'}: largest error ${max.toFixed(3)} ulp at x = ${at} (${xs.length} points)`);
        assert.ok(max <= 2, `${fn} ${L.f32 ? 'f32' : 'f64'}: ${max} ulp at x = ${at}`);
      }
    });
  }

  it('vector lanes (f64x2, f32x4) give the scalar lanes\' bits', () => {
    for (const fn of ['expm1', 'exprel', 'tanh'] as Fn[]) {
      for (const [S, Vl] of [[SCALAR, PAIRS], [SCALAR32, QUADS]] as [Lanes, Lanes][]) {
        const xs = points(-50, 100, S.f32).concat([0, -0, 1e-300, -1e-300, 5e-324, NaN, Infinity, -Infinity, 709.5, 750, -800]);
        const a = kernel(S, fn)(xs);
        const b = kernel(Vl, fn)(xs);
        // Object.is per value: NaN equals NaN (its payload bits are the platform's), −0 differs from +0
        assert.deepEqual([...b], [...a], `${fn} ${S.f32 ? 'f32' : 'f64'}`);
      }
    }
  });

  it('special values: 0, tiny, NaN, ±Infinity, overflow, deep underflow', () => {
    for (const L of [SCALAR, PAIRS]) {
      const e = kernel(L, 'expm1')([0, 1e-300, -1e-300, NaN, Infinity, -Infinity, 710, -50, -1000]);
      assert.deepEqual([...e], [0, 1e-300, -1e-300, NaN, Infinity, -1, Infinity, -1, -1]);
      const r = kernel(L, 'exprel')([0, 1e-300, 5e-324, NaN, Infinity, -Infinity, 800, -1000]);
      assert.deepEqual([...r], [1, 1, 1, NaN, Infinity, 0, Infinity, 0.001]);
      const t = kernel(L, 'tanh')([0, 1e-300, -1e-300, NaN, Infinity, -Infinity, 25, -25]);
      assert.deepEqual([...t], [0, 1e-300, -1e-300, NaN, 1, -1, 1, -1]);
    }
  });
});
