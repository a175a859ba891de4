// The checked model IR → a runnable Brian2 script (`spikeworks export FILE --to brian2`).
// Pure: IR in, Python text out. The script follows the run-time semantics the engine shares
// with Brian2 (LANGUAGE.md, "What a model means"; test/engine/brian2/README.md): exponential
// Euler for affine models, `(unless refractory)` on the held variables, current steps as a
// TimedArray read by a run_regularly at 'start', monitors at 'start'. What Brian2 (or this
// exporter) cannot say is refused with the item it comes from and what to change.
import type { ConnectionIR, DimIR, ExprIR, ModelDefIR, ModelIR, PopulationIR, SelectorIR, StatementIR, ValueIR } from '../protocol/ir';
import { brianExpr, brianUnit, dimAdd, dimSub, DIMLESS, fmtNum, quantity, SECOND, Unsupported, type ExprEnv } from './expr';
import type { ExportResult, Refusal, Where } from './refusal';

/** Names a Brian2 variable cannot have: Python keywords and Brian2's own names. */
const PY_RESERVED = new Set(['False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif', 'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or', 'pass', 'raise', 'return', 'try', 'while', 'with', 'yield', 'lastspike', 'not_refractory', 'xi', 't', 'dt', 'i', 'j', 'N', 'inf', 'rand', 'randn']);

/** A Python string literal. */
const py = (s: string) => JSON.stringify(s);
const ident = /^[A-Za-z][A-Za-z0-9_]*$/;

/** The dimension of a synapse model's variable: weight-unit ones in the unit of the driven variable. */
function synDim(d: { dim: DimIR; weightUnit?: boolean }, weight: DimIR): DimIR {
  return d.weightUnit ? dimAdd(d.dim, weight) : d.dim;
}

function modelEnv(m: ModelDefIR, weight: DimIR = DIMLESS): (kind: 'param' | 'state' | 'alias', name: string) => DimIR | undefined {
  return (kind, name) => {
    const list = kind === 'param' ? m.parameters : kind === 'state' ? m.state : m.aliases;
    const hit = (list as { name: string; dim: DimIR; weightUnit?: boolean }[]).find((x) => x.name === name);
    if (hit) return synDim(hit, weight);
    if (m.kind === 'synapse' && kind === 'state' && name === 'w') return weight;
    return undefined;
  };
}

/** A value for a group variable: a Brian2 assignment's right-hand side (a quantity, an array or a string drawn per element). */
function valueRhs(v: ValueIR, dim: DimIR): string {
  const u = brianUnit(dim);
  if (v.kind === 'const') return quantity(v.value, dim);
  if (v.kind === 'list') return `np.array([${v.values.map(fmtNum).join(', ')}])${u === '1' ? '' : `*${u}`}`;
  const [a, b] = v.args;
  const q = (x: number) => `(${quantity(x, dim)})`;
  switch (v.dist) {
    case 'normal':
      return py(`${q(a)} + ${q(b)}*randn()`);
    case 'uniform':
      return py(`${q(a)} + (${q(b)} - ${q(a)})*rand()`);
    case 'lognormal':
      return py(`${q(a)}*exp(${fmtNum(b)}*randn())`);
    case 'exponential':
      return py(`-${q(a)}*log(1 - rand())`);
  }
}

class Writer {
  readonly lines: string[] = [];
  readonly refusals: Refusal[] = [];
  readonly warnings: Refusal[] = [];
  /** Named connections → the name of their weight in the script. */
  readonly weightNames = new Map<string, string>();
  /** Lines written once every group exists (linked variables). */
  readonly after: string[] = [];
  line(s = '') {
    this.lines.push(s);
  }
  refuse(where: Where, message: string) {
    this.refusals.push({ where, message });
  }
}

/** Brian2's equations of a neuron model: ODEs (held ones `(unless refractory)`), driven state, named expressions, parameters. */
function neuronEquations(m: ModelDefIR, held: Set<string>, linked: Set<string> = new Set(), written: Set<string> = new Set()): string[] {
  const env: ExprEnv = { dim: modelEnv(m) };
  const eqs: string[] = [];
  const odeVars = new Set(m.odes.map((o) => o.variable));
  for (const o of m.odes) {
    const d = env.dim('state', o.variable)!;
    eqs.push(`d${o.variable}/dt = ${brianExpr(o.rhs, env, dimSub(d, SECOND))} : ${brianUnit(d)}${held.has(o.variable) ? ' (unless refractory)' : ''}`);
  }
  for (const s of m.state) if (!odeVars.has(s.name)) eqs.push(`${s.name} : ${brianUnit(s.dim)}`);
  for (const a of m.aliases) eqs.push(`${a.name} = ${brianExpr(a.expr, env, a.dim)} : ${brianUnit(a.dim)}`);
  for (const p of m.parameters) eqs.push(`${p.name} : ${brianUnit(p.dim)}${linked.has(p.name) ? ' (linked)' : written.has(p.name) ? '' : ' (constant)'}`);
  return eqs;
}

function statements(ss: StatementIR[], env: ExprEnv, targetDim: (t: StatementIR['target']) => DimIR | undefined): string {
  return ss
    .map((s) => {
      const t = s.target;
      const name = t.kind === 'weight' ? env.weightName ?? 'w' : t.kind === 'target' ? `${env.target?.name ?? '?'}_post` : t.kind === 'pre' ? `${t.name}_pre` : t.kind === 'post' ? `${t.name}_post` : t.name;
      if (t.kind === 'target' && !env.target) throw new Unsupported('a statement writes `target` but the connection names no target');
      const d = targetDim(t);
      const want = s.op === '*=' || s.op === '/=' ? DIMLESS : d;
      return `${name} ${s.op} ${brianExpr(s.value, env, want)}`;
    })
    .join('\n');
}

function hasXi(e: ExprIR): boolean {
  if (e.op === 'div' && e.args[0].op === 'call' && e.args[0].fn === 'randn') return true;
  return 'args' in e && (e.args as ExprIR[]).some(hasXi);
}

function methodOf(m: ModelDefIR): string {
  if (m.odes.some((o) => hasXi(o.rhs))) return 'euler';
  switch (m.method) {
    case 'euler':
    case 'rk2':
    case 'rk4':
      return m.method;
    case 'exact':
    case 'exponential':
      return 'exponential_euler';
    default:
      return m.odes.every((o) => o.linear) ? 'exponential_euler' : 'rk2';
  }
}

/** The variables held while refractory: `holding [...]`, else the state variables `reset` assigns; only those with an ODE. */
function heldVars(m: ModelDefIR): Set<string> {
  const odes = new Set(m.odes.map((o) => o.variable));
  if (!m.refractory && !m.refractory_when) return new Set();
  const names = m.refractory_holds ?? m.reset.filter((s) => s.target.kind === 'state').map((s) => (s.target as { name: string }).name);
  return new Set(names.filter((n) => odes.has(n)));
}

function population(w: Writer, ir: ModelIR, p: PopulationIR, k: number): void {
  const where: Where = { kind: 'population', name: p.name, index: k };
  const m = ir.models[p.model];
  if (!m) return w.refuse(where, `model ${p.model} is not in the IR`);
  // Links: Brian2's linked_var, set once every group exists; the readers integrate first
  // (order=-1) so that they read their sources' start-of-step values, as a link does.
  for (const l of p.links ?? []) {
    if (ir.populations.find((x) => x.name === l.source)?.links?.length) w.refuse(where, `${l.parameter} links to ${l.source}, which links to others itself: Brian2 reads such chains in one order only; link to the original source`);
    w.after.push(`groups[${py(p.name)}].${l.parameter} = linked_var(groups[${py(l.source)}], ${py(l.variable)}${l.index ? `, index=np.array([${l.index.join(', ')}], dtype=int)` : ''})`);
  }
  if (!ident.test(p.name)) w.refuse(where, `the name ${p.name} is not a Brian2 identifier`);
  const env: ExprEnv = { dim: modelEnv(m) };
  const bad = [...m.parameters, ...m.state, ...m.aliases].map((x) => x.name).filter((n) => PY_RESERVED.has(n));
  if (bad.length) return w.refuse({ kind: 'model', name: m.name, uri: m.source.uri, line: m.source.line }, `${bad.join(', ')} cannot be a variable name in Brian2 (a Python keyword or a name Brian2 reserves): rename ${bad.length > 1 ? 'them' : 'it'}`);
  let eqs: string[];
  let threshold: string | undefined;
  let reset: string | undefined;
  let refractory = 'False';
  try {
    // Parameters a scheduled operation writes are not constant during the run.
    const written = new Set((p.schedules ?? []).flatMap((sc) => sc.statements.filter((st) => st.target.kind === 'param').map((st) => (st.target as { name: string }).name)));
    eqs = neuronEquations(m, heldVars(m), new Set((p.links ?? []).map((l) => l.parameter)), written);
    threshold = m.spike ? brianExpr(m.spike, env) : undefined;
    reset = m.reset.length ? statements(m.reset, env, (t) => ('name' in t ? env.dim(t.kind === 'param' ? 'param' : 'state', t.name) : undefined)) : undefined;
    if (m.refractory_when) refractory = py(brianExpr(m.refractory_when, env));
    else if (m.refractory) refractory = m.refractory.op === 'const' ? quantity(m.refractory.value, SECOND) : py(brianExpr(m.refractory, env, SECOND));
  } catch (e) {
    if (e instanceof Unsupported) return w.refuse({ kind: 'model', name: m.name, uri: m.source.uri, line: m.source.line }, e.message);
    throw e;
  }
  w.line(`# population ${p.name} = ${p.model}[${p.size}]`);
  w.line(`eqs = '''`);
  for (const e of eqs) w.line(e);
  w.line(`'''`);
  const args = [`${p.size}`, 'eqs', `method=${py(methodOf(m))}`];
  if (threshold) args.push(`threshold=${py(threshold)}`);
  if (reset) args.push(`reset=${py(reset)}`);
  if (threshold) args.push(`refractory=${refractory}`);
  args.push(`namespace={}`, `name=${py(p.name)}`);
  if (p.links?.length) args.push('order=-1');
  w.line(`G = groups[${py(p.name)}] = NeuronGroup(${args.join(', ')})`);
  const linked = new Set((p.links ?? []).map((l) => l.parameter));
  for (const par of m.parameters) {
    if (linked.has(par.name)) continue;
    const v = p.parameters[par.name] ?? (par.default !== undefined ? ({ kind: 'const', value: par.default } as ValueIR) : undefined);
    if (!v) {
      w.refuse(where, `parameter ${par.name} has no value`);
      continue;
    }
    w.line(`G.${par.name} = ${valueRhs(v, par.dim)}`);
  }
  schedules(w, p, m, env);
  for (const s of m.state) {
    const v = p.init[s.name];
    if (v) w.line(`G.${s.name} = ${valueRhs(v, s.dim)}`);
    else if (s.init.op === 'const') w.line(`G.${s.name} = ${quantity(s.init.value, s.dim)}`);
    else w.line(`G.${s.name} = ${py(brianExpr(s.init, env, s.dim))}`);
  }
  w.line();
}

/**
 * Scheduled operations as run_regularly at 'start' (before the update, in block order):
 * `every T` with dt=T; `at` on every step, each statement weighted by whether the step's time is
 * one of the listed times (Brian2's abstract code has no `if`; test/engine/brian2/schedule_lif.py).
 */
function schedules(w: Writer, p: PopulationIR, m: ModelDefIR, env: ExprEnv): void {
  (p.schedules ?? []).forEach((sc, k) => {
    const dimOfTarget = (t: StatementIR['target']) => ('name' in t ? env.dim(t.kind === 'param' ? 'param' : 'state', t.name) : undefined);
    let code: string;
    try {
      if (sc.every !== undefined) code = statements(sc.statements, env, dimOfTarget);
      else {
        const flag = `int(${(sc.at ?? []).map((t) => `abs(t - ${quantity(t, SECOND)}) < 0.5*dt`).join(' or ')})`;
        code = sc.statements
          .map((st) => {
            const name = (st.target as { name: string }).name;
            const d = dimOfTarget(st.target);
            const v = brianExpr(st.value, env, st.op === '*=' || st.op === '/=' ? DIMLESS : d);
            switch (st.op) {
              case '=':
                return `${name} = ${name} + ${flag} * ((${v}) - ${name})`;
              case '+=':
              case '-=':
                return `${name} ${st.op} ${flag} * (${v})`;
              default:
                return `${name} ${st.op} (1 + ${flag} * ((${v}) - 1))`;
            }
          })
          .join('\n');
      }
    } catch (e) {
      if (e instanceof Unsupported) return w.refuse({ kind: 'population', name: p.name }, e.message);
      throw e;
    }
    const dt = sc.every !== undefined ? `dt=${quantity(sc.every, SECOND)}, ` : '';
    w.line(`extra.append(G.run_regularly(${py(code)}, ${dt}when='start', order=${k}, name=${py(`${p.name}_sched_${k}`)}))`);
  });
}

const sliceOf = (s: SelectorIR, size: number) => (s.from === 0 && s.to >= size - 1 ? `groups[${py(s.name)}]` : `groups[${py(s.name)}][${s.from}:${s.to + 1}]`);

function sizeOf(ir: ModelIR, name: string): number | undefined {
  const inp = ir.inputs.find((i) => i.name === name);
  return ir.populations.find((p) => p.name === name)?.size ?? (inp && inp.kind !== 'current_step' ? inp.size : undefined);
}

function inputs(w: Writer, ir: ModelIR): void {
  ir.inputs.forEach((inp, k) => {
    const where: Where = { kind: 'input', name: inp.name, index: k };
    switch (inp.kind) {
      case 'poisson': {
        let rates: string;
        if (inp.rate.kind === 'const') rates = quantity(inp.rate.value, [0, 0, -1, 0, 0, 0, 0]);
        else if (inp.rate.kind === 'list') rates = `np.array([${inp.rate.values.map(fmtNum).join(', ')}])*hertz`;
        else return w.refuse(where, 'a Poisson rate drawn from a distribution is not exported to Brian2: give a rate or a list of rates');
        if (inp.start !== undefined || inp.stop !== undefined) {
          if (inp.rate.kind !== 'const') return w.refuse(where, 'a Poisson source with start/stop and per-neuron rates is not exported to Brian2: use one rate');
          const cond = [inp.start !== undefined ? `t >= ${quantity(inp.start, SECOND)}` : '', inp.stop !== undefined ? `t < ${quantity(inp.stop, SECOND)}` : ''].filter(Boolean).join(' and ');
          rates = py(`${rates}*int(${cond})`);
        }
        w.line(`groups[${py(inp.name)}] = PoissonGroup(${inp.size}, rates=${rates}, name=${py(inp.name)})`);
        return;
      }
      case 'spike_array': {
        // Brian2's SpikeGeneratorGroup refuses a neuron spiking twice in one time step; our
        // engine delivers both spikes, so the script would mean something else.
        const seen = new Set<string>();
        for (let k = 0; k < inp.times.length; k++) {
          const key = `${inp.indices[k]}:${Math.round(inp.times[k] / ir.simulate.dt)}`;
          if (seen.has(key)) return w.refuse(where, `neuron ${inp.indices[k]} of ${inp.name} spikes more than once in the time step at ${fmtNum(Math.round(inp.times[k] / ir.simulate.dt) * ir.simulate.dt * 1e3)} ms; Brian2's SpikeGeneratorGroup allows one spike per neuron and step (ours delivers both): merge them or shorten dt`);
          seen.add(key);
        }
      }
        w.line(`groups[${py(inp.name)}] = SpikeGeneratorGroup(${inp.size}, np.array([${inp.indices.join(', ')}], dtype=int), np.array([${inp.times.map(fmtNum).join(', ')}])*second${inp.period !== undefined ? `, period=${quantity(inp.period, SECOND)}` : ''}, name=${py(inp.name)})`);
        return;
      case 'event_file':
        return w.refuse(where, `event files (${inp.file}) are not exported to Brian2: write the events as a spike_array`);
      case 'current_step': {
        const tgt = ir.populations.find((p) => p.name === inp.target.name);
        const m = tgt && ir.models[tgt.model];
        const st = m?.state.find((s) => s.name === inp.target.variable);
        if (!tgt || !m || !st) return w.refuse(where, `the target ${inp.target.name}.${inp.target.variable} is not a state variable of a population`);
        // SETS the variable from step round(times[k]/dt) on, before that step's update; before
        // the first time it keeps its value: a TimedArray of values and one of "switched on".
        const all = inp.target.from === 0 && inp.target.to >= tgt.size - 1;
        const sel = all ? '1' : `int(i >= ${inp.target.from} and i <= ${inp.target.to})`;
        w.line(`# input ${inp.name}: current_step on ${inp.target.name}[${inp.target.from}..${inp.target.to}].${inp.target.variable}`);
        w.line(`_vals, _on = step_arrays([${inp.times.map(fmtNum).join(', ')}], [${inp.values.map(fmtNum).join(', ')}])`);
        w.line(`groups[${py(inp.target.name)}].namespace[${py(`${inp.name}_values`)}] = TimedArray(_vals*${brianUnit(st.dim) === '1' ? '1' : brianUnit(st.dim)}, dt=defaultclock.dt)`);
        w.line(`groups[${py(inp.target.name)}].namespace[${py(`${inp.name}_on`)}] = TimedArray(_on, dt=defaultclock.dt)`);
        const v = inp.target.variable;
        const on = `${inp.name}_on(t)*${sel}`;
        w.line(`extra.append(groups[${py(inp.target.name)}].run_regularly(${py(`${v} = ${on}*${inp.name}_values(t) + (1 - ${on})*${v}`)}, when='start', order=-1, name=${py(`${inp.name}_set`)}))`);
        return;
      }
    }
  });
  w.line();
}

function connection(w: Writer, ir: ModelIR, c: ConnectionIR, k: number): void {
  const where: Where = { kind: 'connection', name: c.name, index: k };
  const label = c.name ?? `connection ${k + 1}`;
  if (c.segments) return w.refuse(where, 'dendritic segments have no Brian2 equivalent in this exporter: remove `segments`');
  if (c.modulated_by) return w.refuse(where, 'modulated synapses (modulated_by) are not exported to Brian2 yet');
  if (c.rule.kind === 'distance' || c.rule.kind === 'ring_kernel') return w.refuse(where, `the ${c.rule.kind} rule is not exported to Brian2 yet: write the connectivity as where(…) or random(p)`);
  if (c.rule.kind === 'from_file') return w.refuse(where, `edge lists (from_file ${c.rule.file}) are not exported to Brian2`);
  if ((c.rule.kind === 'one_to_one' || c.rule.kind === 'where') && (c.sources.length > 1 || c.targets.length > 1)) return w.refuse(where, `a ${c.rule.kind} rule over several sources or targets is not exported: write one connection per pair`);
  const syn = c.synapse ? ir.models[c.synapse.model] : undefined;
  const tgtPop = ir.populations.find((p) => p.name === c.targets[0].name);
  const tgtModel = tgtPop && ir.models[tgtPop.model];
  const targetDim = c.target && tgtModel ? modelEnv(tgtModel)('state', c.target) : undefined;
  const preModel = (() => {
    const p = ir.populations.find((x) => x.name === c.sources[0].name);
    return p && ir.models[p.model];
  })();
  // Without `target:` (pathways, inline statements) the weight has the unit of the
  // postsynaptic variable a statement adds it to.
  const viaPost = [...(c.pathways ?? []).flatMap((p) => p.on_pre), ...(c.on_pre ?? [])].find((s) => s.target.kind === 'post' && s.value.op === 'weight');
  const weightDim = targetDim ?? (viaPost && tgtModel ? modelEnv(tgtModel)('state', (viaPost.target as { name: string }).name) : undefined) ?? DIMLESS;
  const hasW = (m?: ModelDefIR) => !!m && [...m.parameters, ...m.state, ...m.aliases].some((x) => x.name === 'w');
  const wn = hasW(preModel) || hasW(tgtModel) ? 'w_syn' : 'w';
  if (c.name) w.weightNames.set(c.name, wn);
  const env: ExprEnv = {
    dim: syn ? modelEnv(syn, weightDim) : (kind, name) => (kind === 'state' && name === 'w' ? weightDim : undefined),
    pre: (n) => (preModel ? modelEnv(preModel)('state', n) ?? modelEnv(preModel)('param', n) : undefined),
    post: (n) => (tgtModel ? modelEnv(tgtModel)('state', n) ?? modelEnv(tgtModel)('param', n) : undefined),
    weight: weightDim,
    weightName: wn,
    ...(c.target && targetDim ? { target: { name: c.target, dim: targetDim } } : {}),
  };
  const stDim = (t: StatementIR['target']) =>
    t.kind === 'weight' ? weightDim : t.kind === 'target' ? targetDim : t.kind === 'pre' ? env.pre!(t.name) : t.kind === 'post' ? env.post!(t.name) : env.dim(t.kind === 'param' ? 'param' : 'state', t.name);
  let model: string[] = [];
  let onPre: string;
  let onPost = '';
  try {
    const odes = new Set(syn?.odes.map((o) => o.variable) ?? []);
    if (syn) {
      for (const o of syn.odes) {
        const d = env.dim('state', o.variable)!;
        model.push(`d${o.variable === 'w' ? wn : o.variable}/dt = ${brianExpr(o.rhs, env, dimSub(d, SECOND))} : ${brianUnit(d)} (clock-driven)`);
      }
      for (const s of syn.state) if (!odes.has(s.name)) model.push(`${s.name} : ${brianUnit(synDim(s, weightDim))}`);
      for (const a of syn.aliases) model.push(`${a.name} = ${brianExpr(a.expr, env, synDim(a, weightDim))} : ${brianUnit(synDim(a, weightDim))}`);
      for (const s of syn.summed ?? []) {
        if (s.target.kind !== 'target' || !c.target || !targetDim) throw new Unsupported('a summed statement must assign `target`');
        model.push(`${c.target}_post = ${brianExpr(s.value, env, targetDim)} : ${brianUnit(targetDim)} (summed)`);
      }
    }
    if (!odes.has('w')) model.unshift(`${wn} : ${brianUnit(weightDim)}`);
    if (c.pathways) {
      onPre = `{${c.pathways.map((p) => `${py(p.name)}: ${py(statements(p.on_pre, env, stDim))}`).join(', ')}}`;
    } else {
      const pre = c.on_pre ?? syn?.on_pre ?? [];
      onPre = py(statements(pre, env, stDim));
    }
    const post = c.on_post ?? syn?.on_post ?? [];
    if (post.length) onPost = py(statements(post, env, stDim));
  } catch (e) {
    if (e instanceof Unsupported) return w.refuse(syn ? { kind: 'model', name: syn.name, uri: syn.source.uri, line: syn.source.line } : where, e.message);
    throw e;
  }
  const ns = syn ? `{${syn.parameters.map((p) => `${py(p.name)}: ${quantity(c.synapse!.parameters[p.name] ?? p.default ?? NaN, synDim(p, weightDim))}`).join(', ')}}` : '{}';
  const method = syn && syn.odes.length ? methodOf(syn) : undefined;
  const nSrc = c.sources.map((s) => s.to - s.from + 1);
  const nTgt = c.targets.map((s) => s.to - s.from + 1);
  const fixed = c.rule.kind === 'fixed_indegree' || c.rule.kind === 'fixed_outdegree';
  w.line(`# ${label}: ${c.sources.map((s) => s.name).join(', ')} -> ${c.targets.map((s) => s.name).join(', ')}, ${c.rule.kind}`);
  if (fixed) {
    const ids = (sels: SelectorIR[]) => `[${sels.map((s) => `(${py(s.name)}, ${s.from}, ${s.to + 1})`).join(', ')}]`;
    w.line(`_pairs = fixed_degree(${py(c.rule.kind)}, ${(c.rule as { k: number }).k}, ${ids(c.sources)}, ${ids(c.targets)}, autapses=${c.autapses ? 'True' : 'False'})`);
  }
  c.sources.forEach((s, a) => {
    c.targets.forEach((t, b) => {
      const sizeS = sizeOf(ir, s.name) ?? 0;
      const sizeT = sizeOf(ir, t.name) ?? 0;
      const name = `${c.name ?? `c${k + 1}`}${c.sources.length * c.targets.length > 1 ? `_${s.name}_${t.name}` : ''}`;
      const args = [sliceOf(s, sizeS), sliceOf(t, sizeT), `model=${py(model.join('\n'))}`, `on_pre=${onPre}`];
      if (onPost) args.push(`on_post=${onPost}`);
      if (method) args.push(`method=${py(method)}`);
      args.push(`namespace=${ns}`, `name=${py(name)}`);
      w.line(`S = synapses[${py(name)}] = Synapses(${args.join(', ')})`);
      const self = s.name === t.name && !c.autapses ? (s.from === t.from ? 'i != j' : `i + ${s.from} != j + ${t.from}`) : undefined;
      const rule = c.rule;
      switch (rule.kind) {
        case 'all_to_all':
          w.line(self ? `S.connect(condition=${py(self)})` : 'S.connect()');
          break;
        case 'one_to_one':
          w.line(self ? `S.connect(condition=${py(`(${self}) and i == j`)})` : `S.connect(j='i')`);
          break;
        case 'random':
          w.line(self ? `S.connect(condition=${py(self)}, p=${fmtNum(rule.p)})` : `S.connect(p=${fmtNum(rule.p)})`);
          break;
        case 'where': {
          const cond = brianExpr(rule.condition, { dim: () => undefined });
          const full = self ? `(${cond}) and ${self}` : cond;
          w.line(`S.connect(condition=${py(full)}${rule.p !== undefined ? `, p=${fmtNum(rule.p)}` : ''})`);
          break;
        }
        default:
          w.line(`_i, _j = _pairs[(${a}, ${b})]`);
          w.line('if len(_i): S.connect(i=_i, j=_j)');
      }
      // Values per synapse: the sources × targets matrix row by row (one per pair for one_to_one).
      const perSynapse = (v: number[], dim: DimIR) => `np.array([${v.map(fmtNum).join(', ')}])[${rule.kind === 'one_to_one' ? 'S.i[:]' : `S.i[:]*${nTgt[0]} + S.j[:]`}]${brianUnit(dim) === '1' ? '' : `*${brianUnit(dim)}`}`;
      const lists = c.weight.kind === 'list' || c.delay?.kind === 'list';
      if (lists && (nSrc.length > 1 || nTgt.length > 1 || (rule.kind !== 'one_to_one' && rule.kind !== 'all_to_all'))) return w.refuse(where, 'values given per synapse are exported for one_to_one and all_to_all connections between one source and one target only: write one connection per pair');
      w.line(`S.${wn} = ${c.weight.kind === 'list' ? perSynapse(c.weight.values, weightDim) : valueRhs(c.weight, weightDim)}`);
      if (syn) for (const st of syn.state) if (st.name !== 'w') w.line(`S.${st.name} = ${st.init.op === 'const' ? quantity(st.init.value, synDim(st, weightDim)) : py(brianExpr(st.init, env, synDim(st, weightDim)))}`);
      if (c.pathways) {
        for (const p of c.pathways) if (p.delay !== undefined) w.line(`S.${p.name}.delay = ${quantity(p.delay, SECOND)}`);
      } else if (c.delay) {
        if (c.delay.kind === 'const') w.line(`S.delay = ${quantity(c.delay.value, SECOND)}`);
        else if (c.delay.kind === 'dist') w.line(`S.delay = ${py(`clip(${JSON.parse(valueRhs(c.delay, SECOND))}, dt, 1e9*second)`)}`);
        else w.line(`S.delay = ${perSynapse(c.delay.values, SECOND)}`);
      }
    });
  });
  w.line();
}

function probes(w: Writer, ir: ModelIR): void {
  const spiking = new Set<string>();
  ir.probes.forEach((p, k) => {
    const where: Where = { kind: 'probe', index: k };
    for (const [q, t] of p.targets.entries()) {
      if (p.variable === 'spikes') {
        if (spiking.has(t.name)) continue;
        spiking.add(t.name);
        w.line(`monitors.append((${py(t.name)}, None, SpikeMonitor(groups[${py(t.name)}], name=${py(`spikes_${t.name}`)})))`);
        continue;
      }
      const every = quantity(p.every ?? ir.simulate.dt, SECOND);
      const mon = `${t.name}_${p.variable}_${k}_${q}`;
      if (ir.connections.some((c) => c.name === t.name)) {
        const keys = ir.connections.filter((c) => c.name === t.name).flatMap((c) => c.sources.flatMap((s) => c.targets.map((u) => `${c.name}${c.sources.length * c.targets.length > 1 ? `_${s.name}_${u.name}` : ''}`)));
        if (keys.length !== 1) {
          w.refuse(where, `probing ${p.variable} of a connection over several sources or targets is not exported`);
          continue;
        }
        const bv = p.variable === 'w' ? w.weightNames.get(t.name) ?? 'w' : p.variable;
        w.line(`monitors.append((${py(t.name)}, ${py(p.variable)}, StateMonitor(synapses[${py(keys[0])}], ${py(bv)}, record=True, dt=${every}, when='start', name=${py(mon)})))`);
        continue;
      }
      if (!ir.populations.some((x) => x.name === t.name)) {
        w.refuse(where, `probing ${p.variable} of ${t.name} is not exported (only populations and named connections)`);
        continue;
      }
      w.line(`monitors.append((${py(t.name)}, ${py(p.variable)}, StateMonitor(groups[${py(t.name)}], ${py(p.variable)}, record=np.arange(${t.from}, ${t.to + 1}), dt=${every}, when='start', name=${py(mon)})))`);
    }
  });
}

const PRELUDE = `import argparse
import json
import sys

import warnings

import numpy as np

warnings.filterwarnings('ignore', category=FutureWarning)  # numpy/pythran chatter at import
from brian2 import *  # noqa: F401,F403  (units and Brian2 objects, as Brian2's examples do)

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument('--seed', type=int, default=SEED, help='random seed (default: the model\\'s)')
ap.add_argument('--duration', type=float, default=DURATION, help='simulated time in seconds')
ap.add_argument('--out', default='OUTNAME', help='results file (JSON, SI units)')
ap.add_argument('--device', choices=['runtime', 'cpp_standalone'], default='runtime',
                help='cpp_standalone writes a C++ project (Brian2GeNN: set_device("genn") instead)')
ap.add_argument('--build-dir', default='output', help='C++ standalone project folder')
ap.add_argument('--codegen', choices=['numpy', 'cython'], default='numpy', help='runtime code generation target')
args = ap.parse_args()

if args.device == 'cpp_standalone':
    set_device('cpp_standalone', directory=args.build_dir)
else:
    prefs.codegen.target = args.codegen
defaultclock.dt = DT
seed(args.seed)
np.random.seed(args.seed)
N_STEPS = int(round(args.duration / float(defaultclock.dt))) + 2


def step_arrays(times, values):
    """A current_step's values per step (from round(t/dt) on) and whether it has switched on yet."""
    vals = np.zeros(N_STEPS)
    on = np.zeros(N_STEPS)
    for t_k, v_k in zip(times, values):
        k = int(round(t_k / float(defaultclock.dt)))
        if k < N_STEPS:
            vals[k:] = v_k
            on[k:] = 1
    return vals, on


def fixed_degree(kind, k, sources, targets, autapses):
    """fixed_indegree: for every target, k distinct sources drawn from all the sources together
    (fixed_outdegree: k distinct targets for every source); returns {(source slot, target slot): (i, j)}
    with i, j relative to each slot's neurons."""
    def space(sels):
        ids = [(name, n) for name, a, b in sels for n in range(a, b)]
        slot = np.concatenate([np.full(b - a, s) for s, (_, a, b) in enumerate(sels)])
        off = np.concatenate([[0], np.cumsum([b - a for _, a, b in sels])])
        return ids, slot, off
    src, slot_s, off_s = space(sources)
    tgt, slot_t, off_t = space(targets)
    one, other = (tgt, src) if kind == 'fixed_indegree' else (src, tgt)
    where_other = {key: y for y, key in enumerate(other)}
    n = len(other)
    drawn = []
    for x in range(len(one)):
        y_self = None if autapses else where_other.get(one[x])
        if y_self is None:
            pick = np.random.choice(n, size=min(k, n), replace=False)
        else:
            pick = np.random.choice(n - 1, size=min(k, n - 1), replace=False)
            pick[pick >= y_self] += 1
        drawn.append(pick)
    counts = np.array([len(p) for p in drawn])
    xs = np.repeat(np.arange(len(one)), counts)
    ys = np.concatenate(drawn) if drawn else np.zeros(0, dtype=int)
    ii, jj = (ys, xs) if kind == 'fixed_indegree' else (xs, ys)
    out = {}
    for a in range(len(sources)):
        for b in range(len(targets)):
            m = (slot_s[ii] == a) & (slot_t[jj] == b)
            out[(a, b)] = (ii[m] - off_s[a], jj[m] - off_t[b])
    return out


groups = {}
synapses = {}
monitors = []
extra = []
`;

const EPILOGUE = `
net = Network(*groups.values(), *synapses.values(), *[m for _, _, m in monitors], *extra)
net.run(args.duration * second, namespace={})  # cpp_standalone: builds, compiles and runs here

dt_s = float(defaultclock.dt)
results = {'model': MODEL, 'seed': args.seed, 'dt': dt_s, 'duration': args.duration, 'spikes': {}, 'traces': {}}
for name, var, mon in monitors:
    if var is None:
        results['spikes'][name] = {'i': np.asarray(mon.i[:]).tolist(), 't': np.asarray(mon.t[:] / second).tolist()}
    else:
        values = np.asarray(getattr(mon, mon.record_variables[0]))
        rec = np.asarray(mon.record) if not isinstance(mon.record, bool) else np.arange(values.shape[0])
        tr = results['traces'].setdefault(name + '.' + var, {'t': np.asarray(mon.t[:] / second).tolist(), 'neurons': [], 'values': []})
        tr['neurons'] += rec.tolist()
        tr['values'] += values.tolist()
with open(args.out, 'w') as f:
    json.dump(results, f)
print('wrote ' + args.out + ': ' + ', '.join(f'{k} {len(v["i"])} spikes' for k, v in results['spikes'].items()), file=sys.stderr)
`;

/** The Brian2 script of a checked model, or what stops it being written. */
export function toBrian2(ir: ModelIR, sourceLabel = ir.source): ExportResult {
  const w = new Writer();
  ir.readouts.forEach((r, k) => w.warnings.push({ where: { kind: 'readout', name: r.name, index: k }, message: `readout ${r.name} is not exported (train it on the script's spikes)` }));
  ir.targets.forEach((t, k) => w.warnings.push({ where: { kind: 'target', name: t.name, index: k }, message: `hardware target ${t.name} is not exported` }));
  w.line(`"""Brian2 script of the Spikeworks model ${ir.name}, exported from ${sourceLabel.replace(/"""/g, '')}.`);
  w.line('');
  w.line(`Run: python3 THIS.py [--seed N] [--duration S] [--out FILE.json] [--device runtime|cpp_standalone]`);
  w.line('Writes a JSON file with SI units: {"model", "seed", "dt", "duration",');
  w.line(' "spikes": {group: {"i": [neuron index], "t": [spike time, s]}},');
  w.line(' "traces": {"group.variable": {"t": [s], "neurons": [index], "values": [[per neuron] ...]}}}.');
  w.line('Spikes are stamped at the start of the step whose update crossed the threshold and traces');
  w.line('are sampled at the start of a step, as Brian2 and Spikeworks both do.');
  w.line('"""');
  w.line(
    PRELUDE.replace('SEED', String(ir.simulate.seed))
      .replace('DURATION', fmtNum(ir.simulate.duration))
      .replace('OUTNAME', `${ir.name.replace(/[^A-Za-z0-9_-]/g, '_')}_brian2.json`)
      .replace('DT', quantity(ir.simulate.dt, SECOND)),
  );
  ir.populations.forEach((p, k) => population(w, ir, p, k));
  for (const l of w.after) w.line(l);
  inputs(w, ir);
  ir.connections.forEach((c, k) => connection(w, ir, c, k));
  probes(w, ir);
  w.line(EPILOGUE.replace('MODEL', py(ir.name)));
  if (w.refusals.length) return { ok: false, refusals: w.refusals, warnings: w.warnings };
  return { ok: true, text: w.lines.join('\n'), warnings: w.warnings };
}
