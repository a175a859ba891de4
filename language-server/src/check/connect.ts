// Phase 4, connect items: sources and targets, the target variable, rule, weight, delay,
// segments, the synapse model (re-checked with the concrete models and weight unit) or inline
// statements, and the synapse estimate.
import type * as A from '../ast';
import { isFileValue } from '../data-values';
import { ExprChecker } from '../expressions';
import { closest } from '../parser';
import { BUILTIN_NAMES, CONNECT, SEGMENTS, RULES } from '../schema';
import { TIME, dimName, formatQuantity, sameDim } from '../units';
import { substWeight, usesMember, layoutOf, exprText } from './util';
import type { Diagnostic } from '../diagnostics';
import type { Env, Sink, Ty } from '../expressions';
import type { Dim } from '../units';
import type { ModelInfo, Estimate, NetItem } from '../analysis';
import type { Checker } from './context';
import type { RuleIR } from '../../../protocol/ir';
import { valueIR } from '../value-ir';
import { modelEnv, checkStatements } from './models';
import { checkSelector, propMap, checkProps, checkValue, checkFileValue } from './values';
import { checkWhereRule } from './index-rule';
import { checkPathways, pathwaysOf } from './pathways';

export function checkConnect(cx: Checker, c: A.ConnectDef): void {
  const srcs = c.sources.map((s) => checkSelector(cx, s, ['population', 'input'], 'population or input'));
  const tgts = c.targets.map((s) => checkSelector(cx, s, ['population'], 'population'));
  srcs.forEach((s, k) => {
    if (s.item?.kind === 'input' && !s.item.spiking) cx.err(c.sources[k], `'${c.sources[k].name.name}' is a current input; it drives a variable directly (target:) and cannot be a spike source`, 'wrong-kind');
  });
  const where = 'connect';
  const anchor = c.keyword;
  const props = propMap(cx, c.props, CONNECT, where);
  const targetModels = tgts.map((t) => (t.item?.kind === 'population' ? t.item.model : undefined)).filter((m): m is ModelInfo => !!m);
  // A synapse model with `summed` sets its target every step; its weight has its own unit.
  const spName = props.get('synapse')?.value;
  const spCallee = spName?.kind === 'call' ? spName.callee.name : spName?.kind === 'name' ? spName.name : undefined;
  const spModel = spCallee ? cx.models.get(spCallee) : undefined;
  const summed = spModel?.def.kind === 'synapse' && spModel.def.summed?.length ? spModel : undefined;
  // Target variable
  let targetDim: Dim | null | undefined;
  const tp = props.get('target');
  if (tp) {
    if (tp.value.kind !== 'name') cx.err(tp.value, 'target must name a state variable of the target population(s)', 'bad-value');
    else {
      const name = tp.value.name;
      for (const m of new Set(targetModels)) {
        const v = m.vars.get(name);
        if (!v || v.kind !== 'state') {
          const guess = closest(name, [...m.vars.values()].filter((x) => x.kind === 'state').map((x) => x.sym.name));
          cx.err(tp.value, `${m.def.name.name} has no state variable '${name}'${guess ? ` (did you mean '${guess}'?)` : ''}`, 'unknown-name',
            guess ? [{ kind: 'replace', start: tp.value.start, end: tp.value.end, text: guess, title: `Change to '${guess}'` }] : undefined);
          continue;
        }
        cx.ref(tp.value, v.sym);
        if (summed && m.def.equations.some((eq) => eq.kind === 'ode' && eq.variable.name === name)) {
          cx.err(tp.value, `${summed.def.name.name} sets '${name}' every step to the sum over the synapses (summed), but ${m.def.name.name} integrates it (d${name}/dt): sum into a state variable without an equation`, 'conflict');
        }
        if (targetDim && v.dim && !sameDim(targetDim, v.dim)) cx.err(tp.value, `'${name}' has different units in the target populations (${dimName(targetDim)} vs ${dimName(v.dim)})`, 'unit-mismatch');
        targetDim = targetDim ?? v.dim;
      }
    }
  }
  const connName = c.name ? `connection ${c.name.name}` : `connect ${c.sources.map((x) => x.name.name).join(', ')} -> ${c.targets.map((x) => x.name.name).join(', ')}`;
  const driven = tp?.value.kind === 'name' ? tp.value : inlineTarget(props.get('on_pre'));
  if (driven) for (const t of c.targets) cx.deferred.drives.push({ expr: driven, pop: t.name.name, variable: driven.name, kind: summed ? 'summed' : 'deliveries', item: connName });
  // Dendritic segments: the rule draws for count × (target neurons) segments.
  const segp = props.get('segments');
  const seg = segp ? checkSegments(cx, segp) : undefined;
  const perTarget = seg?.count ?? 1;
  const ruleTgts = tgts.map((t) => ({ count: t.count === undefined ? undefined : t.count * perTarget }));
  // Rule
  const rp = props.get('rule');
  let rule: RuleIR | undefined;
  if (!rp) cx.err(anchor, `connect needs 'rule:' (e.g. rule: ${CONNECT.rule.example})`, 'missing-property');
  else rule = checkRule(cx, rp.value, c, srcs, ruleTgts);
  // Weight
  const wp = props.get('weight');
  const weightWant = summed ? undefined : targetDim;
  let weightTy: Ty | undefined;
  if (!wp) cx.err(anchor, `connect needs 'weight:' (e.g. weight: ${CONNECT.weight.example})`, 'missing-property');
  else if (wp.value.kind === 'list') {
    weightTy = checkSynapseList(cx, wp.value, rp?.value, srcs, tgts, 'weight', weightWant ?? undefined);
  } else if (isFileValue(wp.value)) {
    const fv = checkFileValue(cx, wp.value, 'weight', weightWant, 'the weight');
    if (fv) checkSynapseCount(cx, wp.value, rp?.value, srcs, tgts, 'weight', fv.values.length, fv.file);
    weightTy = { dim: weightWant ?? fv?.dim ?? null };
  } else {
    weightTy = cx.ex.check(wp.value, cx.constEnv('a constant or a distribution', true));
    if (weightWant) cx.ex.expectDim(wp.value, weightTy, weightWant, `the weight (in the unit of ${exprText(tp!.value)})`);
  }
  // A summed model's weight has its own unit (a gap junction's conductance for a current):
  // its statement, re-checked with the concrete models, relates the two.
  const weightDim = weightWant ?? (weightTy?.dim && !weightTy.bare ? weightTy.dim : weightTy?.dim ?? null);
  // Delay
  const dp = props.get('delay');
  if (dp && dp.value.kind === 'list') {
    const t = checkSynapseList(cx, dp.value, rp?.value, srcs, tgts, 'delay', TIME);
    const vals = (t.list ?? []).map((x) => x.value).filter((x): x is number => x !== undefined);
    vals.forEach((x, k) => {
      if (x < 0) cx.err((dp.value as A.ListLit).items[k], 'a delay must not be negative', 'out-of-range');
    });
    if (vals.length) cx.deferred.delays.push({ expr: dp.value, min: Math.min(...vals) });
  } else if (dp && isFileValue(dp.value)) {
    const fv = checkFileValue(cx, dp.value, 'delay', TIME, 'the delay');
    if (fv) {
      checkSynapseCount(cx, dp.value, rp?.value, srcs, tgts, 'delay', fv.values.length, fv.file);
      const min = fv.values.reduce((x, y) => Math.min(x, y), Infinity);
      if (min < 0) cx.err(dp.value, `${fv.file} has a negative delay (${formatQuantity(min, TIME)}); delays must not be negative`, 'out-of-range');
      else if (fv.values.length) cx.deferred.delays.push({ expr: dp.value, min });
    }
  } else if (dp) {
    const t = checkValue(cx, dp, CONNECT.delay, where);
    const lo = t.value ?? (t.dist?.dist === 'uniform' ? t.dist.args[0] : t.dist?.dist === 'normal' ? t.dist.args[0] - 3 * t.dist.args[1] : undefined);
    cx.deferred.delays.push({ expr: dp.value, min: lo, unbounded: t.dist?.dist === 'exponential' || t.dist?.dist === 'lognormal' });
  }
  // Synapse model or inline statements
  const sp = props.get('synapse');
  const onPre = props.get('on_pre');
  const onPost = props.get('on_post');
  if (sp) checkSynapseUse(cx, sp, weightDim, targetDim, tgts, srcs, props);
  if (onPre || onPost) {
    if (sp) cx.err((onPre ?? onPost)!.key, 'give either a synapse model (synapse:) or inline on_pre/on_post statements, not both', 'conflict');
    for (const pr of [onPre, onPost]) if (pr) checkInlineStatements(cx, pr, targetModels, weightDim);
  }
  const pw = props.get('pathways');
  if (pw) checkPathways(cx, pw, props, (pr) => checkInlineStatements(cx, pr, targetModels, weightDim));
  else if (!(onPre || onPost) && !sp && !tp && wp) {
    cx.err(anchor, "connect needs 'target:' (the postsynaptic variable, e.g. target: g_e) or 'on_pre:' statements", 'missing-property');
  }
  if (segp && seg) checkSegmentUse(cx, segp, seg, props, weightTy, srcs);
  const mb = props.get('modulated_by');
  if (mb) checkValue(cx, mb, CONNECT.modulated_by, where);
  const ap = props.get('autapses');
  if (ap) checkValue(cx, ap, CONNECT.autapses, where);
  // Estimate: the engine's facts of each (source, target) pair; size.ts prices them (with dt) through core/estimate.
  if (rule && srcs.every((x) => x.count !== undefined) && tgts.every((x) => x.count !== undefined)) {
    const pairs: Estimate['pairs'] = [];
    c.sources.forEach((s, i) => c.targets.forEach((t, j) => pairs.push({ source: s.name.name, target: t.name.name, sources: srcs[i].count!, targets: tgts[j].count! * perTarget })));
    const typed = { ty: (x: A.Expr): Ty => cx.typeOf(x), types: cx.types, fileValues: cx.fileValues };
    const paths = pathwaysOf(cx, props.get('pathways'));
    cx.estimates.push({ node: c, rule, pairs, ...(dp ? { delay: valueIR(typed, dp.value) } : {}), ...(paths ? { pathways: paths.map((x) => x.delay ?? 0) } : {}), synapses: 0, bytes: 0 });
  }
}


/** Inline statements (a connection's or a pathway's on_pre/on_post): names are postsynaptic variables, `w` is the weight. */
function checkInlineStatements(cx: Checker, pr: A.Property, targetModels: ModelInfo[], weightDim: Dim | null): void {
  if (!pr.statements) return;
  const m = targetModels[0];
  const env: Env = {
    context: `a variable of the target model${m ? ` ${m.def.name.name}` : ''} or w`,
    allowRandom: true,
    lookup: (name) => {
      if (name === 'w') return { dim: weightDim };
      const v = m?.vars.get(name);
      if (v) return { dim: v.dim, sym: v.sym, value: v.kind === 'parameter' ? v.value : undefined };
      const b = BUILTIN_NAMES[name];
      return b ? { dim: b.dim } : undefined;
    },
    names: function* () {
      yield 'w';
      if (m) yield* m.vars.keys();
    },
  };
  checkStatements(cx, pr.statements, env, undefined, pr.key.name, (name) => {
    if (name === 'w') return { dim: weightDim };
    const v = m?.vars.get(name);
    return v && v.kind === 'state' ? { dim: v.dim, sym: v.sym } : m ? undefined : { dim: null };
  });
  checkInlineRunnable(cx, pr);
}

/**
 * An explicit list of per-synapse weights or delays: constants of one dimension, one per
 * synapse of a rule whose synapses are known in advance (all_to_all: the sources × targets
 * matrix row by row; one_to_one: one per pair), for a single source and target selector.
 */
/**
 * What the engine runs of inline statements (core/plan.ts deliveredStatement): one `on_pre`
 * statement `x += w` or `x -= w`. Anything else checked clean and was refused by the run; now
 * it is an error here, pointing to a synapse model, which runs any statements.
 */
function checkInlineRunnable(cx: Checker, pr: A.Property): void {
  const stmts = pr.statements ?? [];
  const model = 'write a synapse model (synapse Name { on_pre { … } }) and use it with synapse: Name';
  if (pr.key.name === 'on_post') {
    if (stmts.length) cx.err(pr.key, `inline on_post statements are not run by the engine yet: ${model}`, 'unsupported');
    return;
  }
  stmts.slice(1).forEach((x) => cx.err(x, `inline on_pre runs one statement (x += w or x -= w); for more, ${model}`, 'unsupported'));
  const first = stmts[0];
  if (first && !((first.op === '+=' || first.op === '-=') && first.value.kind === 'name' && first.value.name === 'w')) {
    cx.err(first, `inline on_pre runs x += w or x -= w only; for another statement, ${model}`, 'unsupported');
  }
}

export function checkSynapseList(cx: Checker, e: A.ListLit, rule: A.Expr | undefined, srcs: { count?: number }[], tgts: { count?: number }[], what: string, dim: Dim | undefined): Ty {
  const t = cx.ex.check(e, cx.constEnv('a constant'));
  t.list?.forEach((x, k) => {
    if (x.value === undefined && x.dim !== null) cx.err(e.items[k], `each ${what} in the list must be a constant`, 'not-constant');
    else if (x.bool) cx.err(e.items[k], `each ${what} in the list must be a value, not a condition`, 'not-value');
    else if (dim) cx.ex.expectDim(e.items[k], x, dim, `each ${what} in the list`);
  });
  checkSynapseCount(cx, e, rule, srcs, tgts, what, e.items.length);
  return { dim: dim ?? t.list?.[0]?.dim ?? null, list: t.list };
}


/**
 * Per-synapse values (a list, or a file's column when `file` is given) need a rule whose
 * synapses are known before the run, one source and one target, and one value per synapse.
 */
export function checkSynapseCount(cx: Checker, e: A.Expr, rule: A.Expr | undefined, srcs: { count?: number }[], tgts: { count?: number }[], what: string, count: number, file?: string): void {
  const ruleName = rule?.kind === 'name' ? rule.name : rule?.kind === 'call' ? rule.callee.name : undefined;
  const values = file ? `${what}s from a file` : `a list of ${what}s`;
  if (ruleName !== 'all_to_all' && ruleName !== 'one_to_one') {
    if (ruleName) cx.err(e, `${values} needs rule all_to_all or one_to_one, whose synapses are known before the run; ${ruleName} draws them`, 'bad-value');
    return;
  }
  if (srcs.length !== 1 || tgts.length !== 1) {
    cx.err(e, `${values} needs exactly one source and one target (one ${file ? 'column' : 'list'} per connection)`, 'bad-value');
    return;
  }
  const ns = srcs[0].count;
  const nt = tgts[0].count;
  if (ns !== undefined && nt !== undefined) {
    const want = ruleName === 'one_to_one' ? ns : ns * nt;
    const how = ruleName === 'one_to_one' ? `one per pair (${ns})` : `one per source × target (${ns} × ${nt} = ${ns * nt}, row by row: source i, target j at i·${nt} + j)`;
    if (count !== want) cx.err(e, file ? `${file} has ${count} ${what}s; ${ruleName} needs ${how}` : `${count} ${what}s listed; ${ruleName} needs ${how}`, 'size-mismatch');
  }
}


/** `segments: { count; threshold; window }`: the block's own values (LANGUAGE.md "Dendritic segments"). */
export function checkSegments(cx: Checker, p: A.Property): { count?: number; threshold?: number; thresholdExpr?: A.Expr } | undefined {
  if (!p.props) {
    cx.err(p.value, `segments takes a block of properties, e.g. segments: ${CONNECT.segments.example}`, 'bad-value');
    return undefined;
  }
  const vals = checkProps(cx, p.props, SEGMENTS, 'segments', p.key);
  const w = vals.get('window');
  if (w?.ty.value !== undefined) cx.deferred.segmentWindows.push({ expr: w.prop.value, value: w.ty.value });
  const th = vals.get('threshold');
  return { count: vals.get('count')?.ty.value, threshold: th?.ty.value, thresholdExpr: th?.prop.value };
}


/**
 * How a segment connection may be written: its event is `target += w`, so it needs a target
 * and one constant weight, and takes no synapse model, statements or delays; θ can be reached
 * only if a segment has at least θ synapses.
 */
export function checkSegmentUse(cx: Checker, p: A.Property, seg: { threshold?: number; thresholdExpr?: A.Expr }, props: Map<string, A.Property>, weightTy: Ty | undefined, srcs: { count?: number }[]): void {
  for (const k of ['synapse', 'on_pre', 'on_post', 'modulated_by'] as const) {
    const q = props.get(k);
    if (q) cx.err(q.key, `a connection with segments delivers each segment event as 'target += w'; it takes no ${k}`, 'conflict');
  }
  const dp = props.get('delay');
  if (dp) cx.err(dp.key, 'delays on segment connections are not supported yet: a segment counts spikes in the step they are sent', 'conflict');
  const ap = props.get('autapses');
  if (ap?.value.kind === 'bool' && !ap.value.value) cx.err(ap.value, "autapses: false is not supported with segments yet (the rule's targets are segments, not neurons)", 'conflict');
  if (!props.get('target')) cx.err(p.key, "segments need 'target:', the variable each segment event increments by w", 'missing-property');
  const wp = props.get('weight');
  if (wp && (wp.value.kind === 'list' || (weightTy && weightTy.value === undefined && weightTy.dim !== null))) {
    cx.err(wp.value, 'with segments, weight is the size of every segment event: one constant', 'not-constant');
  }
  const theta = seg.threshold;
  const rule = props.get('rule')?.value;
  if (theta === undefined || !seg.thresholdExpr || !rule) return;
  const name = rule.kind === 'name' ? rule.name : rule.kind === 'call' ? rule.callee.name : undefined;
  let most: number | undefined;
  let how = '';
  if (name === 'fixed_indegree' && rule.kind === 'call') {
    const a = rule.args.find((x, k) => (x.name?.name ?? (k === 0 ? 'k' : '')) === 'k');
    most = a ? cx.ex.check(a.value, cx.constEnv('a constant')).value : undefined;
    how = `fixed_indegree(k = ${most}) gives each segment ${most}`;
  } else if (name === 'one_to_one') {
    most = 1;
    how = 'one_to_one gives each segment 1';
  } else if (name && name !== 'from_file' && srcs.every((x) => x.count !== undefined)) {
    most = srcs.reduce((a, x) => a + x.count!, 0);
    how = `a segment has at most one synapse per source, ${most}`;
  }
  if (most !== undefined && theta > most) cx.err(seg.thresholdExpr, `threshold ${theta} can never be reached: ${how} synapse${most === 1 ? '' : 's'}`, 'out-of-range');
}


/** Checks a connectivity rule; returns it as the IR writes it (the size check prices it with the engine's estimate). */
export function checkRule(cx: Checker, e: A.Expr, c: A.ConnectDef, srcs: { count?: number }[], tgts: { count?: number }[]): RuleIR | undefined {
  const name = e.kind === 'name' ? e.name : e.kind === 'call' ? e.callee.name : undefined;
  const spec = name ? RULES[name] : undefined;
  if (!name || !spec) {
    const guess = name ? closest(name, Object.keys(RULES)) : undefined;
    cx.err(e.kind === 'call' ? e.callee : e, `unknown connection rule${name ? ` '${name}'` : ''}; use ${Object.keys(RULES).join(', ')}${guess ? ` (did you mean '${guess}'?)` : ''}`, 'unknown-name',
      guess ? [{ kind: 'replace', start: e.start, end: e.start + name!.length, text: guess, title: `Change to '${guess}'` }] : undefined);
    return undefined;
  }
  if (name === 'where') return checkWhereRule(cx, e, c, srcs, tgts);
  const args = new Map<string, number>();
  const given = e.kind === 'call' ? e.args : [];
  given.forEach((a, k) => {
    const argName = a.name?.name ?? spec.args[k]?.name;
    const as = spec.args.find((x) => x.name === argName);
    if (!as) {
      cx.err(a, `${name}() has ${spec.args.length ? `arguments ${spec.args.map((x) => x.name).join(', ')}` : 'no arguments'}`, 'bad-arguments');
      return;
    }
    if (as.string) {
      if (a.value.kind !== 'string') cx.err(a.value, `${argName} must be a file path in quotes`, 'bad-value');
      return;
    }
    const t = cx.ex.check(a.value, cx.constEnv('a constant'));
    cx.ex.expectDim(a.value, t, as.dim, `${argName} of ${name}()`);
    if (t.value === undefined) {
      if (t.dim !== null) cx.err(a.value, `${argName} must be a constant`, 'not-constant');
      return;
    }
    if (as.min !== undefined && t.value < as.min) cx.err(a.value, `${argName} must be ≥ ${as.min}, got ${t.value}`, 'out-of-range');
    else if (as.max !== undefined && t.value > as.max) cx.err(a.value, `${argName} is a probability and must be in [0, 1], got ${t.value}`, 'out-of-range');
    else if (as.integer && !Number.isInteger(t.value)) cx.err(a.value, `${argName} must be a whole number`, 'out-of-range');
    args.set(argName!, t.value);
  });
  for (const as of spec.args) {
    if (as.required && !given.some((a, k) => (a.name?.name ?? spec.args[k]?.name) === as.name)) {
      cx.err(e, `${name}() needs ${as.name} (e.g. ${name}(${as.name} = …))`, 'bad-arguments');
    }
  }
  switch (name) {
    case 'all_to_all':
      return { kind: 'all_to_all' };
    case 'one_to_one':
      srcs.forEach((s, k) => tgts.forEach((t) => {
        if (s.count !== undefined && t.count !== undefined && s.count !== t.count) cx.err(c.sources[k], `one_to_one needs equal sizes, got ${s.count} and ${t.count}`, 'size-mismatch');
      }));
      return { kind: 'one_to_one' };
    case 'random':
      return { kind: 'random', p: args.get('p') ?? 0 };
    case 'fixed_indegree':
      srcs.forEach((s, k) => {
        const kk = args.get('k');
        if (s.count !== undefined && kk !== undefined && kk > s.count) cx.err(c.sources[k], `fixed_indegree(k = ${kk}) needs at least ${kk} sources, '${c.sources[k].name.name}' has ${s.count}`, 'out-of-range');
      });
      return { kind: 'fixed_indegree', k: args.get('k') ?? 0 };
    case 'fixed_outdegree':
      return { kind: 'fixed_outdegree', k: args.get('k') ?? 0 };
    case 'distance':
    case 'ring_kernel': {
      const layouts = [...c.sources, ...c.targets].map((sel) => {
        const item = cx.network.get(sel.name.name);
        return { sel, layout: item?.kind === 'population' ? layoutOf(item.node, (x) => cx.ex.check(x, cx.constEnv('a constant')).value) : undefined, item };
      });
      const reported = new Set<string>();
      for (const l of layouts) {
        if (!l.item || reported.has(l.sel.name.name)) continue;
        reported.add(l.sel.name.name);
        if (!l.layout) cx.err(l.sel, `${name}() places neurons by their layout, but ${l.sel.name.name} has none: add layout: ${name === 'ring_kernel' ? 'ring' : 'ring, line or grid(rows, cols)'} to it`, 'missing-layout');
        else if (name === 'ring_kernel' && l.layout.kind !== 'ring') cx.err(l.sel, `ring_kernel() needs ring layouts; ${l.sel.name.name} is laid out as ${l.layout.kind}`, 'missing-layout');
      }
      return { kind: name, sigma: args.get('sigma') ?? 0, p_max: args.get('p_max') ?? 1 };
    }
    case 'from_file': {
      // Its synapses are unknown until the file is read: the estimate counts the file as read.
      const f = given.find((a, k) => (a.name?.name ?? spec.args[k]?.name) === 'file')?.value;
      return { kind: 'from_file', file: f?.kind === 'string' ? f.value : '' };
    }
    default:
      return undefined;
  }
}


function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let k = text.indexOf('\n'); k >= 0 && k < offset; k = text.indexOf('\n', k + 1)) n++;
  return n;
}

export function checkSynapseUse(cx: Checker, sp: A.Property, weightDim: Dim | null, targetDim: Dim | null | undefined, tgts: { item?: NetItem }[], srcs: { item?: NetItem }[], props: Map<string, A.Property>): void {
  const e = sp.value;
  const callee = e.kind === 'call' ? e.callee : e.kind === 'name' ? { name: e.name, start: e.start, end: e.end } : undefined;
  if (!callee) {
    cx.err(e, 'synapse must name a synapse model, e.g. PairSTDP(w_max = 10 nS)', 'bad-value');
    return;
  }
  const m = cx.models.get(callee.name);
  if (!m || m.def.kind !== 'synapse') {
    const guess = closest(callee.name, [...cx.models.values()].filter((x) => x.def.kind === 'synapse').map((x) => x.def.name.name));
    cx.err(callee, m ? `'${callee.name}' is a neuron model; synapse: needs a synapse model` : `unknown synapse model '${callee.name}'${guess ? ` (did you mean '${guess}'?)` : ''}`, 'unknown-name',
      guess && !m ? [{ kind: 'replace', start: callee.start, end: callee.end, text: guess, title: `Change to '${guess}'` }] : undefined);
    return;
  }
  cx.ref(callee, m.sym);
  const subst = (d: Dim | null | undefined): Dim | null => (d && weightDim ? substWeight(d, weightDim) : d ?? null);
  const set = new Set<string>();
  for (const a of e.kind === 'call' ? e.args : []) {
    if (!a.name) {
      cx.err(a, `name the parameter: ${callee.name}(${[...m.vars.values()].find((v) => v.kind === 'parameter')?.sym.name ?? 'p'} = …)`, 'bad-arguments');
      continue;
    }
    const v = m.vars.get(a.name.name);
    if (!v || v.kind !== 'parameter') {
      const guess = closest(a.name.name, [...m.vars.values()].filter((x) => x.kind === 'parameter').map((x) => x.sym.name));
      cx.err(a.name, `${callee.name} has no parameter '${a.name.name}'${guess ? ` (did you mean '${guess}'?)` : ''}`, 'unknown-name');
      continue;
    }
    cx.ref(a.name, v.sym);
    set.add(a.name.name);
    const t = cx.ex.check(a.value, cx.constEnv('a constant'));
    const want = subst(v.dim);
    if (want) cx.ex.expectDim(a.value, t, want, `${a.name.name} of ${callee.name}`);
  }
  for (const v of m.vars.values()) {
    if (v.required && !set.has(v.sym.name)) cx.err(callee, `${callee.name} needs parameter '${v.sym.name}' (it has no default): ${callee.name}(${v.sym.name} = …)`, 'missing-parameter');
  }
  // A model written for dimensionless weights (a dimensionless trace added to w): only with such a weight.
  if (m.weightDim && weightDim && !sameDim(m.weightDim.dim, weightDim)) {
    const line = m.uri === cx.uri ? ` (line ${lineOf(cx.file.text, m.weightDim.at.start)})` : '';
    cx.err(callee, `${callee.name} adds ${dimName(m.weightDim.dim)} values to its weight${line}, so it needs a ${dimName(m.weightDim.dim)} weight; this connection's weight is ${dimName(weightDim)}${targetDim ? ` (the unit of its target)` : ''}: use a synapse model whose traces are in the weight's unit (A_plus: weight) or a ${dimName(m.weightDim.dim)} target`, 'unit-mismatch');
    return;
  }
  // Re-check the synapse's statements against the concrete models (post./pre./mod. members and weight unit).
  const post = tgts.find((t) => t.item?.kind === 'population') as { item?: Extract<NetItem, { kind: 'population' }> } | undefined;
  const pre = srcs.find((t) => t.item?.kind === 'population') as { item?: Extract<NetItem, { kind: 'population' }> } | undefined;
  const modName = props.get('modulated_by')?.value;
  const modItem = modName?.kind === 'name' ? cx.network.get(modName.name) : undefined;
  const usesMod = usesMember(m.def, 'mod');
  if (usesMod && !modItem) cx.err(callee, `${callee.name} reads mod.… variables: add 'modulated_by:' naming the modulating population`, 'missing-property');
  if (targetDim === undefined && usesMember(m.def, 'target', true)) cx.err(callee, `${callee.name} drives 'target': add 'target:' naming the postsynaptic variable`, 'missing-property');
  const sink: Sink = { diag: (d) => cx.diags.push(d), ref: () => undefined };
  const ex2 = new ExprChecker(sink, cx.ex.types);
  const saved = cx.ex;
  cx.ex = ex2;
  try {
    const info = m;
    const env = modelEnv(cx, info, 'equation', undefined, {
      w: weightDim,
      target: targetDim ?? null,
      post: post?.item?.model,
      pre: pre?.item?.model,
      mod: modItem?.kind === 'population' ? modItem.model : undefined,
    });
    const savedDiag = cx.diags;
    const collected: Diagnostic[] = [];
    cx.diags = collected;
    try {
      for (const stmts of [m.def.onPre, m.def.onPost, m.def.summed?.slice(0, 1)]) if (stmts) checkStatements(cx, stmts, env, info, 'the synapse');
    } finally {
      cx.diags = savedDiag;
    }
    for (const d of collected) cx.diags.push({ ...d, start: callee.start, end: callee.end, message: `in ${callee.name}: ${d.message}` });
  } finally {
    cx.ex = saved;
  }
}



/** The variable an inline `on_pre: x += w` delivers into. */
function inlineTarget(pr: A.Property | undefined): A.NameRef | undefined {
  const t = pr?.statements?.[0]?.target;
  return t?.kind === 'name' ? t : undefined;
}
