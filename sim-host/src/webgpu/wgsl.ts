// Plan → one WGSL module (protocol/webgpu.md). Entry points, dispatched in this order per step:
//   pop_k   neuron population k: integrate, refractory, spike test, reset, record
//   poi_k   Poisson source k: Philox word of (source, step >> 2, 5, input), as the WASM engine
//   arc_k / ars_k   spike-array source k: clear flags / set this step's sources from a table
//   dlv_r   ring r (target population × variable): pull this step's spikes through the
//           projections into the ring (CSC, one thread per target neuron, in the WASM engine's
//           order), then add slot t into the variable and clear it
//   tick    the step counter
// Arithmetic follows the WASM engine's f32 path (exponential-Euler models): the same folded
// expressions, constants rounded to f32 the same way, the same exp/expm1 polynomial, the same
// order of operations, so results agree bit for bit where the GPU does IEEE f32 (+, -, ×
// correctly rounded and not contracted into FMA). Explicit methods (rk2/rk4/euler) run in f32
// here but in f64 on WASM: close, not identical.
import type { ExprIR, StatementIR } from '../../../protocol/ir';
import { affine, fold, isConst } from '../core/ir-algebra';
import { gatesInput, heldVariables, type Plan, type PopPlan, type ProjPlan, type RingPlan } from '../core/plan';
import { accessors } from './chunks';
import { CTL, HEAD, type Layout } from './layout';
import { arrivalAfter, plasticKernels } from './plastic';
import { bits, Expr } from './wgsl-expr';

const HELPERS = (k0: number, k1: number) => `
// k(x) = x · 1, the 1 read from memory (word 1 of the plan's memory, unused by the plan): a
// compiler cannot see through it, so a product that is added to something is rounded on its
// own as in the WASM engine, never contracted into a fused multiply-add with the addition.
var<private> ONE: f32;
fn bad(x: f32) -> bool { return (bitcast<u32>(x) & 0x7f800000u) == 0x7f800000u; }
fn k(x: f32) -> f32 { return x * ONE; }
// a / b with b through k(): a divisor the compiler cannot see as a constant is divided by,
// not multiplied by a rounded reciprocal (WGSL allows 2.5 ulp; the WASM engine's f32.div is
// correctly rounded, and so is SwiftShader's division).
fn dv(a: f32, b: f32) -> f32 { return a / k(b); }
fn ld(a: u32) -> f32 { return bitcast<f32>(mr(a)); }
fn st(a: u32, x: f32) { mw(a, bitcast<u32>(x)); }
fn mulhilo(a: u32, b: u32) -> vec2<u32> {
  let al = a & 0xffffu; let ah = a >> 16u; let bl = b & 0xffffu; let bh = b >> 16u;
  let lolo = al * bl; let hilo = ah * bl; let lohi = al * bh;
  let cross = (lolo >> 16u) + (hilo & 0xffffu) + lohi;
  return vec2<u32>(ah * bh + (hilo >> 16u) + (cross >> 16u), a * b);
}
fn philox(c: vec4<u32>) -> vec4<u32> {
  var x = c; var k0 = ${k0 >>> 0}u; var k1 = ${k1 >>> 0}u;
  for (var r = 0; r < 10; r++) {
    let p0 = mulhilo(0xd2511f53u, x.x); let p1 = mulhilo(0xcd9e8d57u, x.z);
    x = vec4<u32>(p1.x ^ x.y ^ k0, p1.y, p0.x ^ x.w ^ k1, p0.y);
    k0 = k0 + 0x9e3779b9u; k1 = k1 + 0xbb67ae85u;
  }
  return x;
}
fn unit(a: u32, b: u32) -> f32 { return f32(a >> 5u) * ${bits(2 ** -27)} + f32(b >> 6u) * ${bits(2 ** -53)}; }
fn sw_u01(c: vec4<u32>) -> f32 { let w = philox(c); return unit(w.x, w.y); }
fn sw_normal(c: vec4<u32>) -> f32 { let w = philox(c); return sqrt(-2f * log(1f - unit(w.x, w.y))) * cos(${bits(2 * Math.PI)} * unit(w.z, w.w)); }
// exp and expm1 as the WASM engine's f32 lanes: Cody–Waite reduction, degree-7 polynomial by
// Estrin's scheme, 2^k from the exponent bits.
fn sw_red(x0: f32) -> vec2<f32> {
  let x = max(min(x0, 88f), -87f);
  let n = round(x * ${bits(Math.LOG2E)});
  return vec2<f32>(n, (x - k(n * ${bits(0.693145751953125)})) - k(n * ${bits(1.4286068203094173e-6)}));
}
fn sw_pow2(n: f32) -> f32 { return bitcast<f32>((i32(n) + 127) << 23u); }
fn sw_poly(r: f32, c0: f32, c1: f32, c2: f32, c3: f32, c4: f32, c5: f32, c6: f32, c7: f32) -> f32 {
  let x2 = r * r;
  let lo = (k(c1 * r) + c0) + k((k(c3 * r) + c2) * x2);
  let hi = (k(c5 * r) + c4) + k((k(c7 * r) + c6) * x2);
  return lo + k(hi * (x2 * x2));
}
fn sw_exp(x: f32) -> f32 {
  let kr = sw_red(x);
  return sw_poly(kr.y, 1f, 1f, 0.5f, ${bits(1 / 6)}, ${bits(1 / 24)}, ${bits(1 / 120)}, ${bits(1 / 720)}, ${bits(1 / 5040)}) * sw_pow2(kr.x);
}
fn sw_expm1(x: f32) -> f32 {
  let kr = sw_red(x);
  let p = sw_poly(kr.y, 1f, 0.5f, ${bits(1 / 6)}, ${bits(1 / 24)}, ${bits(1 / 120)}, ${bits(1 / 720)}, ${bits(1 / 5040)}, ${bits(1 / 40320)});
  let s = sw_pow2(kr.x);
  return k((p * kr.y) * s) + (s - 1f);
}
fn err(t: u32, pop: u32, neuron: u32, v: u32) {
  if (atomicOr(&ctl[${CTL.err}], 1u) == 0u) {
    atomicStore(&ctl[${CTL.errPop}], pop); atomicStore(&ctl[${CTL.errNeuron}], neuron); atomicStore(&ctl[${CTL.errVar}], v);
  }
  atomicMin(&ctl[${CTL.errStep}], t);
}
fn record(t: u32, g: u32) {
  let k = atomicAdd(&ctl[${CTL.recCount}], 1u);
  if (k < REC_CAP) { rec[2u * k] = t; rec[2u * k + 1u] = g; }
}
`;

function neuronKernel(plan: Plan, p: PopPlan, lay: Layout): string {
  const m = p.model!;
  const f = (e: ExprIR) => fold(e, (name) => {
    const q = p.params.get(name);
    return q && 'value' in q ? q.value : undefined;
  }, plan.dt, p.size);
  const aliases = new Map<string, ExprIR>();
  for (const a of m.aliases) aliases.set(a.name, f(a.expr));
  const X = new Expr(plan, p, aliases);
  const names = m.state.map((s) => s.name);
  const id = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '_');
  const old = new Map(names.map((s) => [s, `o_${id(s)}`]));
  const neu = new Map(names.map((s) => [s, `n_${id(s)}`]));
  const off = (s: string) => `${p.state.get(s)! >> 2}u`;
  const L: string[] = [HEAD(`pop_${p.index}`), `  if (i >= ${p.size}u) { return; }`];
  for (const s of names) L.push(`  let ${old.get(s)} = ld(${off(s)} + i);`);
  L.push(`  var r = bitcast<i32>(mr(${p.refrOffset >> 2}u + i));`, '  r = r - select(0, 1, r > 0);', '  let held = r > 0;');
  for (const s of names) L.push(`  var ${neu.get(s)} = ${old.get(s)};`);
  const odes = m.odes.map((o) => ({ variable: o.variable, rhs: f(o.rhs), linear: o.linear }));
  const method = m.method ?? (odes.every((o) => o.linear) ? 'exact' : 'rk2');
  const dt = plan.dt;
  if (method === 'exact' && odes.every((o) => o.linear)) {
    for (const o of odes) {
      const ab = affine(o.rhs, o.variable, aliases);
      const x = old.get(o.variable)!;
      const out = neu.get(o.variable)!;
      const a = ab && f(ab.a);
      const b = ab && f(ab.b);
      if (!a || !b || (isConst(b) && b.value === 0)) L.push(`  ${out} = ${x} + k(${X.value(a ?? o.rhs, old)} * ${bits(dt)});`);
      else if (isConst(a) && isConst(b)) {
        const phi = Math.expm1(b.value * dt) / b.value;
        L.push(`  ${out} = ${x} + k((k(${bits(b.value)} * ${x}) + ${bits(a.value)}) * ${bits(phi)});`);
      } else {
        const v = id(o.variable);
        L.push(`  { let bl = ${X.value(b, old)};`);
        L.push(`    let phi = select(${bits(dt)}, dv(sw_expm1(bl * ${bits(dt)}), bl), abs(bl * ${bits(dt)}) > ${bits(1e-12)});`);
        L.push(`    ${out} = ${x} + k((k(bl * ${x}) + ${X.value(a, old)}) * phi); } // ${v}`);
      }
    }
  } else {
    // Explicit methods in f32 (the WASM engine uses f64 here).
    let n = 0;
    const derivs = (vals: Map<string, string>): Map<string, string> => {
      const out = new Map<string, string>();
      for (const o of odes) {
        const d = `d${n++}`;
        L.push(`  let ${d} = ${X.value(o.rhs, vals)};`);
        out.set(o.variable, d);
      }
      return out;
    };
    const shifted = (k: Map<string, string>, h: number) => {
      const vals = new Map(old);
      for (const [v, d] of k) {
        const s = `s${n++}`;
        L.push(`  let ${s} = ${old.get(v)} + k(${d} * ${bits(h)});`);
        vals.set(v, s);
      }
      return vals;
    };
    const k1 = derivs(old);
    if (method === 'euler') for (const [v, d] of k1) L.push(`  ${neu.get(v)} = ${old.get(v)} + k(${d} * ${bits(dt)});`);
    else if (method === 'rk4') {
      const k2 = derivs(shifted(k1, dt / 2));
      const k3 = derivs(shifted(k2, dt / 2));
      const k4 = derivs(shifted(k3, dt));
      for (const [v] of k1) L.push(`  ${neu.get(v)} = ${old.get(v)} + k((((${k1.get(v)} + k(${k2.get(v)} * 2f)) + k(${k3.get(v)} * 2f)) + ${k4.get(v)}) * ${bits(dt / 6)});`);
    } else {
      const k2 = derivs(shifted(k1, dt / 2));
      for (const [v, d] of k2) L.push(`  ${neu.get(v)} = ${old.get(v)} + k(${d} * ${bits(dt)});`);
    }
  }
  const heldVars = heldVariables(m);
  for (const s of heldVars) if (neu.has(s)) L.push(`  ${neu.get(s)} = select(${neu.get(s)}, ${old.get(s)}, held);`);
  names.forEach((s, k) => L.push(`  if (bad(${neu.get(s)})) { err(t, ${p.index}u, i, ${k}u); }`));
  for (const s of names) L.push(`  st(${off(s)} + i, ${neu.get(s)});`);
  const spiked = `lists[${lay.flagBase[p.index]}u + atomicAdd(&ctl[${CTL.words + p.index}u], 1u)] = i;`;
  if (m.spike) {
    L.push(`  if (${X.cond(m.spike, neu)} & !held) {`);
    L.push(`    ${spiked}`);
    const rv = new Map(names.map((s) => [s, `z_${id(s)}`]));
    for (const s of names) L.push(`    var ${rv.get(s)} = ${neu.get(s)};`);
    for (const st of m.reset) L.push(`    ${statement(st, rv, X, f)}`);
    for (const s of names) L.push(`    st(${off(s)} + i, ${rv.get(s)});`);
    L.push(`    r = ${'value' in p.refrSteps ? String(p.refrSteps.value) : `bitcast<i32>(mr(${p.refrSteps.offset >> 2}u + i))`};`);
    L.push(`    record(t, ${lay.recBase[p.index]}u + i);`);
    L.push('  }');
  }
  L.push(`  mw(${p.refrOffset >> 2}u + i, bitcast<u32>(r));`, '}');
  return L.join('\n');
}

function statement(st: StatementIR, vals: Map<string, string>, X: Expr, f: (e: ExprIR) => ExprIR): string {
  if (st.target.kind !== 'state') return '';
  const l = vals.get(st.target.name);
  if (!l) return '';
  const v = X.value(f(st.value), vals);
  if (st.op === '=') return `${l} = ${v};`;
  return `${l} = ${l} ${st.op[0]} ${v};`;
}

function poissonKernel(plan: Plan, p: PopPlan, lay: Layout): string {
  const [start, stop] = p.poissonSteps ?? [0, plan.steps];
  const pp = p.poissonP!;
  let test: string;
  if ('value' in pp) {
    const thr = Math.ceil(pp.value * 2 ** 32);
    test = thr >= 2 ** 32 ? 'true' : thr <= 0 ? 'false' : `w < ${thr}u`;
  } else test = `(w < tab[${lay.poissonThr.get(p.index)}u + i] || tab[${lay.poissonThr.get(p.index)}u + i] == 0xffffffffu)`;
  return `${HEAD(`poi_${p.index}`)}
  if (i >= ${p.size}u) { return; }
  if (t >= ${start}u && t < ${stop}u) {
    let w4 = philox(vec4<u32>(i, t >> 2u, 5u, ${p.index}u));
    let w = w4[t & 3u];
    if (${test}) {
      lists[${lay.flagBase[p.index]}u + atomicAdd(&ctl[${CTL.words + p.index}u], 1u)] = i;
      record(t, ${lay.recBase[p.index]}u + i);
    }
  }
}`;
}

function arrayKernel(p: PopPlan, lay: Layout): string {
  const a = lay.arrays.get(p.index)!;
  return `${HEAD(`ars_${p.index}`)}
  let a = tab[${a.stepptr}u + t] + i;
  if (a >= tab[${a.stepptr}u + t + 1u]) { return; }
  let n = tab[${a.idx}u + a];
  if (n == 0xffffffffu) { return; }
  lists[${lay.flagBase[p.index]}u + atomicAdd(&ctl[${CTL.words + p.index}u], 1u)] = n;
  record(t, ${lay.recBase[p.index]}u + n);
}`;
}

/**
 * Push: one thread per spike of the source's list walks the spike's CSR row (in the plan's
 * memory) and files each synapse's index into its target's column of arrival slots.
 */
function pushKernel(pr: ProjPlan, lay: Layout): string {
  const c = lay.csc[pr.index];
  const [from, to] = pr.src;
  return `${HEAD(`psh_${pr.index}`)}
  if (i >= atomicLoad(&ctl[${CTL.words + pr.source.index}u])) { return; }
  let r = lists[${lay.flagBase[pr.source.index]}u + i] - ${from}u;
  if (r > ${to - from}u) { return; }
  let s1 = mr(${(pr.rowptrOffset >> 2) + 1}u + r);
  for (var s = mr(${pr.rowptrOffset >> 2}u + r); s < s1; s++) {
    let j = mr(${pr.colOffset >> 2}u + s);
    let k = ba(${c.count}u + j, 1u);
    bs(${c.bucket}u + syn[${c.colptr}u + j] + k, s);
  }
}`;
}

function deliverKernel(plan: Plan, ring: RingPlan, r: number, lay: Layout): string {
  const N = ring.target.size;
  const L: string[] = [HEAD(`dlv_${r}`), `  if (i >= ${N}u) { return; }`];
  // Static projections first, then plastic ones (their on_pre runs after all propagation in
  // the WASM engine), each in plan order.
  const into = plan.projs.filter((pr) => pr.ring === ring);
  for (const pr of [...into.filter((x) => !x.plastic), ...into.filter((x) => x.plastic)]) {
    const c = lay.csc[pr.index];
    const [t0, t1] = pr.tgt;
    // This step's arrivals at target j, sorted by synapse index (= by source, then by position
    // in the source's row: the order in which the WASM engine adds them), then added up.
    const slot = (s: string) => `${c.bucket}u + syn[${c.colptr}u + j] + ${s}`;
    const W = pr.weightOffset >> 2;
    const add = pr.plastic
      ? { pre: `    let a = ${ring.offset >> 2}u + (t % ${ring.slots}u) * ${N}u + i;\n    var acc = ld(a);`, post: '    st(a, acc);', one: `acc = acc + bitcast<f32>(bl(${c.plastic!.contrib}u + s));` }
      : 'value' in pr.delay
      ? { pre: `    let a = ${ring.offset >> 2}u + ((t + ${pr.delay.value}u) % ${ring.slots}u) * ${N}u + i;\n    var acc = ld(a);`, post: '    st(a, acc);', one: `acc = acc + bitcast<f32>(mr(${W}u + s));` }
      : { pre: '', post: '', one: `let a = ${ring.offset >> 2}u + ((t + mr(${pr.delay.offset >> 2}u + s)) % ${ring.slots}u) * ${N}u + i; st(a, ld(a) + bitcast<f32>(mr(${W}u + s)));` };
    const one = add.one;
    L.push(`  if (i >= ${t0}u && i <= ${t1}u) {
    let j = i - ${t0}u;
    let n = bl(${c.count}u + j);
    if (n > 0u) {
      for (var x = 1u; x < n; x++) {
        let v = bl(${slot('x')});
        var y = x;
        loop {
          if (y == 0u) { break; }
          let u = bl(${slot('y - 1u')});
          if (!${arrivalAfter(pr)}) { break; }
          bs(${slot('y')}, u);
          y = y - 1u;
        }
        bs(${slot('y')}, v);
      }
${add.pre}
      for (var x = 0u; x < n; x++) {
        let s = bl(${slot('x')});
        ${one}
      }
${add.post}
      bs(${c.count}u + j, 0u);
    }
  }`);
  }
  const m = ring.target.model;
  const gated = gatesInput(m, ring.variable);
  const v = ring.target.state.get(ring.variable)! >> 2;
  L.push(`  let a = ${ring.offset >> 2}u + (t % ${ring.slots}u) * ${N}u + i;`);
  L.push(`  ${gated ? `if (mr(${ring.target.refrOffset >> 2}u + i) == 0u) ` : ''}{ st(${v}u + i, ld(${v}u + i) + ld(a)); }`);
  L.push('  mw(a, 0u);', '}');
  return L.join('\n');
}

export interface Kernels {
  code: string;
  /** Per step, in order: entry point and thread count. */
  step: { entry: string; threads: number }[];
}

export function generate(plan: Plan, lay: Layout): Kernels {
  const k0 = plan.seed >>> 0;
  const k1 = Math.floor(plan.seed / 4294967296) >>> 0;
  const parts = [
    accessors('mem', lay.mem),
    '@group(0) @binding(1) var<storage, read> syn: array<u32>;',
    '@group(0) @binding(2) var<storage, read_write> ctl: array<atomic<u32>>;',
    '@group(0) @binding(3) var<storage, read_write> lists: array<u32>;',
    '@group(0) @binding(4) var<storage, read_write> rec: array<u32>;',
    '@group(0) @binding(5) var<storage, read> tab: array<u32>;',
    accessors('bucket', lay.bucket),
    `const REC_CAP: u32 = ${lay.recCap}u;`,
    HELPERS(k0, k1),
  ];
  const step: Kernels['step'] = [];
  for (const pr of plan.projs) if (pr.segments) throw new Error('wgsl: dendritic segments are refused before planning (backend.ts)');
  for (const p of plan.pops) {
    if (p.kind === 'neuron') {
      parts.push(neuronKernel(plan, p, lay));
      step.push({ entry: `pop_${p.index}`, threads: p.size });
    } else if (p.kind === 'poisson') {
      parts.push(poissonKernel(plan, p, lay));
      step.push({ entry: `poi_${p.index}`, threads: p.size });
    }
  }
  for (const p of plan.pops) {
    if (!p.arraySpikes) continue;
    parts.push(arrayKernel(p, lay));
    step.push({ entry: `ars_${p.index}`, threads: lay.arrays.get(p.index)!.maxPerStep });
  }
  for (const pr of plan.projs) {
    if (pr.plastic) continue;
    parts.push(pushKernel(pr, lay));
    step.push({ entry: `psh_${pr.index}`, threads: pr.source.size });
  }
  for (const pr of plan.projs) {
    if (!pr.plastic) continue;
    const k = plasticKernels(plan, pr, lay);
    parts.push(k.code);
    step.push(...k.step);
  }
  plan.rings.forEach((ring, r) => {
    parts.push(deliverKernel(plan, ring, r, lay));
    step.push({ entry: `dlv_${r}`, threads: ring.target.size });
  });
  const resets = plan.pops.map((p) => `atomicStore(&ctl[${CTL.words + p.index}u], 0u);`);
  // The plastic delay queues' slot of this step has been run: empty it.
  for (const pr of plan.projs) {
    const q = pr.plastic?.queue;
    if (q) resets.push(`bs(${lay.csc[pr.index].plastic!.qcount}u + t % ${q.slots}u, 0u);`);
  }
  parts.push(`@compute @workgroup_size(1) fn tick() { let t = atomicAdd(&ctl[0], 1u); ${resets.join(' ')} }`);
  step.push({ entry: 'tick', threads: 0 });
  return { code: parts.join('\n'), step };
}
