// Plastic synapses on the GPU (protocol/webgpu.md, "Plastic synapses"): synapse models whose
// equations are event-driven (affine with constant coefficients, integrated in closed form from
// each synapse's last update, as the WASM engine does), e.g. the prelude's PairSTDP.
// Per plastic projection p, per step, after the neurons and sources:
//   plq_p  (delays only) each spiking source files itself (constant delay) or the first synapse
//          of each run of its same-delay synapses (per-synapse delays) into slot (t + d) of a
//          queue held in the bucket buffer
//   pre_p  one thread per due source (or run): on_pre for each of its synapses, in row order.
//          `target += x` stores x per synapse and files the synapse into its target's arrival
//          slots; the ring delivery (wgsl.ts dlv_r) adds them in the WASM engine's order
//   pst_p  one thread per spike of the target population: on_post for each incoming synapse
//          (by-target index of the plan)
// Each synapse is updated by exactly one thread per pathway and step (a source spikes at most
// once per step; a synapse is in one row and one column), so updates need no atomics and
// results do not depend on scheduling. Arithmetic is f32 (the WASM engine computes synapse
// statements in f64 and rounds on store): weights agree within f32 rounding, not bit for bit.
import type { ConnectionIR, ExprIR, ModelIR, StatementIR } from '../../../protocol/ir';
import { affine, fold, isConst } from '../core/ir-algebra';
import { isPlastic, type Plan, type ProjPlan } from '../core/plan';
import { CTL, HEAD, type Layout } from './layout';
import { bits, Expr } from './wgsl-expr';

/** Why the WebGPU backend cannot run this connection's synapse model, or undefined if it can. */
export function plasticRefusal(ir: ModelIR, c: ConnectionIR): string | undefined {
  const m = c.synapse ? ir.models[c.synapse.model] : undefined;
  if (!m || !isPlastic(m)) return undefined;
  const name = `synapse model ${m.name}`;
  if (c.modulated_by) return `${name} is modulated by another population (modulated_by)`;
  if (m.summed?.length) return `${name} sets a summed variable (summed), which runs on WASM only for now`;
  const params = new Map(Object.entries(c.synapse!.parameters));
  for (const o of m.odes) {
    const ab = o.variable === 'w' ? undefined : affine(fold(o.rhs, (p) => params.get(p), ir.simulate.dt, 1), o.variable, new Map());
    const ok = ab && isConst(fold(ab.a, (p) => params.get(p), ir.simulate.dt, 1)) && isConst(fold(ab.b, (p) => params.get(p), ir.simulate.dt, 1));
    if (!ok) return `${name} has clock-driven equations (d${o.variable}/dt is not affine with constant coefficients)`;
  }
  const uses = (e: ExprIR): string | undefined => {
    if (e.op === 'mod') return 'mod.';
    if (e.op === 'call' && (e.fn === 'rand' || e.fn === 'randn')) return `${e.fn}()`;
    if (e.op === 'alias') return `the named expression ${e.name}`;
    if ('args' in e) for (const a of e.args) {
      const u = uses(a as ExprIR);
      if (u) return u;
    }
    return undefined;
  };
  const check = (stmts: StatementIR[], where: 'on_pre' | 'on_post'): string | undefined => {
    let targets = 0;
    for (const st of stmts) {
      const u = uses(st.value);
      if (u) return `${name}'s ${where} uses ${u}`;
      if (st.target.kind === 'pre' || st.target.kind === 'post') return `${name}'s ${where} writes ${st.target.kind}.${st.target.name} (a neuron variable)`;
      if (st.target.kind === 'target') {
        if (where === 'on_post') return `${name}'s on_post writes its target variable`;
        if (st.op !== '+=' && st.op !== '-=') return `${name}: 'target ${st.op} …'`;
        if (++targets > 1) return `${name}'s on_pre writes its target twice`;
      }
    }
    return undefined;
  };
  return check(m.on_pre, 'on_pre') ?? check(m.on_post, 'on_post');
}

/** Bucket-buffer words of a plastic projection besides arrival counts and slots: contributions and the delay queue. */
export function plasticWords(pr: ProjPlan, at: number): { words: number; plastic: NonNullable<Layout['csc'][number]['plastic']> } {
  const q = pr.plastic!.queue;
  const contrib = at;
  const qcount = contrib + pr.synapses;
  const qrows = qcount + (q ? q.slots : 0);
  const words = pr.synapses + (q ? q.slots + q.slots * q.capacity : 0);
  return { words, plastic: { contrib, qcount, qrows } };
}

/** One synapse's pathway: load, decay since its last update, statements, store; `target` filed. */
function body(plan: Plan, pr: ProjPlan, stmts: StatementIR[], lay: Layout): string[] {
  const pl = pr.plastic!;
  const c = lay.csc[pr.index];
  const f = (e: ExprIR) => fold(e, (name) => pl.params.get(name), plan.dt, pr.synapses);
  const id = (s: string) => `y_${s.replace(/[^A-Za-z0-9_]/g, '_')}`;
  const vals = new Map<string, string>([...pl.state.keys()].map((s) => [s, id(s)]));
  const neuronVar = (pop: ProjPlan['source'], name: string, idx: string) => {
    const off = pop.state.get(name);
    return off === undefined ? bits(NaN) : `ld(${off >> 2}u + ${idx})`;
  };
  const X = new Expr(plan, pr.target, new Map(), (e) => {
    switch (e.op) {
      case 'weight': return 'w_';
      case 'param': return bits(pl.params.get(e.name) ?? NaN);
      case 'target': return neuronVar(pr.target, pr.ring.variable, `${pr.tgt[0]}u + j`);
      case 'post': return neuronVar(pr.target, e.name, `${pr.tgt[0]}u + j`);
      case 'pre': return neuronVar(pr.source, e.name, `${pr.src[0]}u + r`);
      case 'builtin': return e.name === 'i' ? 'f32(s)' : undefined;
    }
    return undefined;
  });
  const L: string[] = [`var w_ = ld(${pr.weightOffset >> 2}u + s);`];
  for (const [name, off] of pl.state) L.push(`var ${vals.get(name)} = ld(${off >> 2}u + s);`);
  if (pl.model.odes.length) {
    L.push(`let dl = f32(bitcast<i32>(t) - bitcast<i32>(mr(${pl.lastOffset >> 2}u + s))) * ${bits(plan.dt)};`);
    for (const o of pl.model.odes) {
      const x = vals.get(o.variable)!;
      const ab = affine(f(o.rhs), o.variable, new Map())!;
      const a = (f(ab.a) as { value: number }).value;
      const b = (f(ab.b) as { value: number }).value;
      if (b === 0) L.push(`${x} = ${x} + k(dl * ${bits(a)});`);
      else L.push(`{ let e = sw_exp(dl * ${bits(b)}); ${x} = k(${x} * e) + k((e - 1f) * ${bits(a / b)}); }`);
    }
  }
  let filed = false;
  for (const st of stmts) {
    const v = X.value(f(st.value), vals);
    const tg = st.target;
    if (tg.kind === 'target') {
      L.push(`bs(${c.plastic!.contrib}u + s, bitcast<u32>(${st.op === '-=' ? '-' : ''}(${v})));`);
      filed = true;
      continue;
    }
    const l = tg.kind === 'weight' ? 'w_' : tg.kind === 'state' ? vals.get(tg.name) : undefined;
    if (!l) continue; // refused before planning (plasticRefusal)
    L.push(st.op === '=' ? `${l} = ${v};` : `${l} = ${l} ${st.op[0]} k(${v});`);
  }
  L.push(`st(${pr.weightOffset >> 2}u + s, w_);`);
  for (const [name, off] of pl.state) L.push(`st(${off >> 2}u + s, ${vals.get(name)});`);
  L.push(`mw(${pl.lastOffset >> 2}u + s, t);`);
  if (filed) L.push(`bs(${c.bucket}u + syn[${c.colptr}u + j] + ba(${c.count}u + j, 1u), s);`);
  return L;
}

const spikeOf = (popIndex: number, lay: Layout, from: number, to: number, out: string) =>
  `  if (i >= atomicLoad(&ctl[${CTL.words + popIndex}u])) { return; }
  let ${out} = lists[${lay.flagBase[popIndex]}u + i] - ${from}u;
  if (${out} > ${to - from}u) { return; }`;

/** Kernels of one plastic projection, with their thread counts, in dispatch order. */
export function plasticKernels(plan: Plan, pr: ProjPlan, lay: Layout): { code: string; step: { entry: string; threads: number }[] } {
  const pl = pr.plastic!;
  const c = lay.csc[pr.index].plastic!;
  const q = pl.queue;
  const parts: string[] = [];
  const step: { entry: string; threads: number }[] = [];
  const row = (r: string) => `mr(${pr.rowptrOffset >> 2}u + ${r})`;
  const onPre = body(plan, pr, pl.model.on_pre, lay).map((l) => `      ${l}`).join('\n');
  const synapse = `      let j = mr(${pr.colOffset >> 2}u + s);`;
  if (!q) {
    parts.push(`${HEAD(`pre_${pr.index}`)}
${spikeOf(pr.source.index, lay, pr.src[0], pr.src[1], 'r')}
    for (var s = ${row('r')}; s < ${row('r + 1u')}; s++) {
${synapse}
${onPre}
    }
}`);
    step.push({ entry: `pre_${pr.index}`, threads: pr.source.size });
  } else {
    const slotRow = (slot: string) => `${c.qrows}u + (${slot}) * ${q.capacity}u`;
    const file = (slot: string, v: string) => `bs(${slotRow(slot)} + ba(${c.qcount}u + ${slot}, 1u), ${v});`;
    if (!q.delayRuns) {
      const d = (pr.delay as { value: number }).value;
      parts.push(`${HEAD(`plq_${pr.index}`)}
${spikeOf(pr.source.index, lay, pr.src[0], pr.src[1], 'r')}
  let slot = (t + ${d}u) % ${q.slots}u;
  ${file('slot', 'r')}
}`);
    } else {
      const delay = `mr(${(pr.delay as { offset: number }).offset >> 2}u + s)`;
      parts.push(`${HEAD(`plq_${pr.index}`)}
${spikeOf(pr.source.index, lay, pr.src[0], pr.src[1], 'r')}
  var prev = 0xffffffffu;
  for (var s = ${row('r')}; s < ${row('r + 1u')}; s++) {
    let d = ${delay};
    if (d != prev) {
      let slot = (t + d) % ${q.slots}u;
      ${file('slot', 's')}
      prev = d;
    }
  }
}`);
    }
    step.push({ entry: `plq_${pr.index}`, threads: pr.source.size });
    const due = `  let slot = t % ${q.slots}u;
  if (i >= bl(${c.qcount}u + slot)) { return; }
  let e = bl(${slotRow('slot')} + i);`;
    if (!q.delayRuns) {
      parts.push(`${HEAD(`pre_${pr.index}`)}
${due}
  let r = e;
    for (var s = ${row('r')}; s < ${row('r + 1u')}; s++) {
${synapse}
${onPre}
    }
}`);
    } else {
      const delay = (s: string) => `mr(${(pr.delay as { offset: number }).offset >> 2}u + ${s})`;
      parts.push(`${HEAD(`pre_${pr.index}`)}
${due}
  let r = mr(${pl.srcOffset >> 2}u + e);
  let d = ${delay('e')};
  let end = ${row('r + 1u')};
    for (var s = e; s < end && ${delay('s')} == d; s++) {
${synapse}
${onPre}
    }
}`);
    }
    step.push({ entry: `pre_${pr.index}`, threads: q.capacity });
  }
  if (pl.model.on_post.length) {
    const onPost = body(plan, pr, pl.model.on_post, lay).map((l) => `    ${l}`).join('\n');
    parts.push(`${HEAD(`pst_${pr.index}`)}
${spikeOf(pr.target.index, lay, pr.tgt[0], pr.tgt[1], 'j')}
  for (var q = mr(${(pl.colptrOffset >> 2)}u + j); q < mr(${(pl.colptrOffset >> 2) + 1}u + j); q++) {
    let s = mr(${pl.synIdxOffset >> 2}u + q);
    let r = mr(${pl.srcOffset >> 2}u + s);
${onPost}
  }
}`);
    step.push({ entry: `pst_${pr.index}`, threads: pr.target.size });
  }
  return { code: parts.join('\n'), step };
}

/**
 * WGSL: whether arrival u is added after arrival v into the same ring cell, in the WASM
 * engine's order. Constant delay: by synapse index (due sources in index order, rows in
 * order). Per-synapse delays: queue entries are added in the order they were filed, i.e. the
 * longer delay (filed earlier) first, then by synapse index.
 */
export function arrivalAfter(pr: ProjPlan): string {
  if (!pr.plastic?.queue?.delayRuns) return '(u > v)';
  const d = (x: string) => `mr(${(pr.delay as { offset: number }).offset >> 2}u + ${x})`;
  return `(${d('u')} < ${d('v')} || (${d('u')} == ${d('v')} && u > v))`;
}

