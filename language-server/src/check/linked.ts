// Linked variables (LANGUAGE.md, "Linked variables"): `population pyr = LIF[100] { I_mod =
// linked(drive.v) }` makes pyr's parameter I_mod read drive's v at the start of every step
// (Brian2's linked_var). The population check (recordLink) judges what the reader's own model
// decides — the name is a parameter, no scheduled operation writes it, its refractory period and
// initial values do not use it — and defers the rest: the source may be declared further down,
// and what it links to may itself be linked. The final phase (checkLinks) then resolves the
// source population and variable, the units, the sizes and the index.
import type * as A from '../ast';
import type { ModelInfo, VarInfo } from '../analysis';
import { closest } from '../parser';
import { perNeuronValues, randomCall } from '../per-neuron';
import { dimName, isDimensionless, sameDim, type Dim } from '../units';
import type { Checker } from './context';
import { MAX_PER_NEURON_VALUES } from '../per-neuron';
import { walk } from './util';

/** The `linked(…)` call a population's assignment is, if it is one. */
export function linkedCall(e: A.Expr): A.Call | undefined {
  return e.kind === 'call' && e.callee.name === 'linked' ? e : undefined;
}

/** The parts of `linked(pop.var, index = expr)`; problems located at the argument. */
export function linkArgs(call: A.Call): { source?: A.Ident; variable?: A.Ident; index?: A.Expr; problems: { span: A.Span; message: string }[] } {
  const problems: { span: A.Span; message: string }[] = [];
  let source: A.Ident | undefined;
  let variable: A.Ident | undefined;
  let index: A.Expr | undefined;
  const positional = call.args.filter((a) => !a.name);
  const first = positional[0]?.value;
  if (first?.kind === 'member' && first.object.kind === 'name') {
    source = { name: first.object.name, start: first.object.start, end: first.object.end };
    variable = first.member;
  } else problems.push({ span: first ?? call, message: "linked(…) takes a population's variable, e.g. linked(drive.v) or linked(drive.v, index = i / 10)" });
  for (const a of positional.slice(1)) problems.push({ span: a, message: 'linked(…) takes one variable; the mapping is given as index = …' });
  for (const a of call.args) {
    if (!a.name) continue;
    if (a.name.name !== 'index') problems.push({ span: a.name, message: `linked(…) has no argument '${a.name.name}'; it takes index = … (which source neuron each neuron reads)` });
    else if (index) problems.push({ span: a.name, message: 'index is given twice' });
    else index = a.value;
  }
  return { source, variable, index, problems };
}

/**
 * A population's `name = linked(…)`, in the population check: `v` is the reader's variable.
 * Records the link for the final phase when the reader's side is sound.
 */
export function recordLink(cx: Checker, p: A.PopulationDef, a: A.Assign, call: A.Call, v: VarInfo, model: ModelInfo, size: number | undefined): void {
  const name = v.sym.name;
  const mname = model.def.name.name;
  if (v.kind !== 'parameter') {
    cx.err(a.target, `linked(…) sets a parameter; '${name}' is a ${v.kind === 'state' ? 'state variable' : 'named expression'} of ${mname}${v.kind === 'state' ? ' (its value is integrated or set by the model)' : ''}: a link sets a parameter declared without a default (parameters { I_mod: mV }), which the equations read`, 'not-linkable');
    return;
  }
  let ok = true;
  // What would read or write the parameter outside the step: the engine has no value for it
  // before the first step, and a write would be overwritten by the next one.
  for (const s of p.schedules ?? []) {
    for (const st of s.statements) {
      if (st.target.kind === 'name' && st.target.name === name) {
        cx.err(st.target, `${name} is linked to another population (line ${cx.lineOf(call.start)}): it is set at the start of every step, so this assignment would be overwritten`, 'link-conflict');
        ok = false;
      }
    }
  }
  const uses = (e: A.Expr | undefined) => {
    let found = false;
    if (e) walk(e, (x) => (found ||= x.kind === 'name' && x.name === name));
    return found;
  };
  if (uses(model.def.refractory)) {
    cx.err(call, `${mname}'s refractory period uses ${name} (line ${cx.lineOf(model.def.refractory!.start)}); it is fixed before the run, when a linked parameter has no value yet: link another parameter`, 'link-conflict');
    ok = false;
  }
  for (const d of model.def.state) {
    if (uses(d.value)) {
      cx.err(call, `the initial value of ${d.name.name} in ${mname} uses ${name} (line ${cx.lineOf(d.start)}); initial values are set before the run, when a linked parameter has no value yet`, 'link-conflict');
      ok = false;
    }
  }
  const args = linkArgs(call);
  for (const q of args.problems) cx.err(q.span, q.message, 'bad-arguments');
  if (!ok || args.problems.length || !args.source || !args.variable) return;
  cx.deferred.links.push({ call, pop: p.name.name, parameter: name, dim: v.dim, size, model: mname, source: args.source, variable: args.variable, index: args.index });
}

/** The final phase: every recorded link against its source population. */
export function checkLinks(cx: Checker): void {
  const linked = new Set(cx.deferred.links.map((l) => `${l.pop}.${l.parameter}`));
  for (const l of cx.deferred.links) {
    const src = l.source;
    const item = cx.network.get(src.name);
    if (!item || item.kind !== 'population') {
      if (item?.kind === 'input') {
        cx.err(src, `'${src.name}' is an input: its neurons have no variables to link; link a population's variable`, 'not-linkable');
        continue;
      }
      const guess = closest(src.name, [...cx.network.values()].filter((x) => x.kind === 'population' && x.sym.name !== l.pop).map((x) => x.sym.name));
      cx.err(src, item ? `'${src.name}' is not a population; linked(…) reads a population's variable` : `unknown population '${src.name}'${guess ? ` (did you mean '${guess}'?)` : ''}`, 'unknown-name',
        guess && !item ? [{ kind: 'replace', start: src.start, end: src.end, text: guess, title: `Change to '${guess}'` }] : undefined);
      continue;
    }
    cx.ref(src, item.sym);
    if (src.name === l.pop) {
      cx.err(src, `${l.pop}.${l.parameter} is linked to ${l.pop} itself; a link reads another population (couple neurons of one population with a connection)`, 'link-self');
      continue;
    }
    const m = item.model;
    if (!m) continue; // its unknown model is reported at the population
    const sv = m.vars.get(l.variable.name);
    if (!sv) {
      const guess = closest(l.variable.name, [...m.vars.values()].filter((x) => x.kind !== 'alias').map((x) => x.sym.name));
      cx.err(l.variable, `${m.def.name.name} (population ${src.name}) has no variable '${l.variable.name}'${guess ? ` (did you mean '${guess}'?)` : ''}`, 'unknown-name',
        guess ? [{ kind: 'replace', start: l.variable.start, end: l.variable.end, text: guess, title: `Change to '${guess}'` }] : undefined);
      continue;
    }
    cx.ref(l.variable, sv.sym);
    if (sv.kind === 'alias') {
      cx.err(l.variable, `'${l.variable.name}' is a named expression of ${m.def.name.name}; link a state variable or parameter (or a parameter of the reader computed from it)`, 'not-linkable');
      continue;
    }
    if (linked.has(`${src.name}.${l.variable.name}`)) {
      cx.err(l.variable, `${src.name}.${l.variable.name} is itself linked; link to the variable it reads instead (links are not chained)`, 'link-chain');
      continue;
    }
    if (l.dim && sv.dim && !sameDim(l.dim, sv.dim)) {
      cx.err(l.call, `unit mismatch: ${l.parameter} (parameter of ${l.model}) is ${dimName(l.dim)}, but ${src.name}.${l.variable.name} is ${dimName(sv.dim)}`, 'unit-mismatch');
      continue;
    }
    checkIndex(cx, l, item.size);
  }
}

type Link = Checker['deferred']['links'][number];

/** Which source neuron each reader neuron reads: broadcast, one to one, or `index = …`. */
function checkIndex(cx: Checker, l: Link, srcSize: number | undefined): void {
  const n = l.size;
  const src = l.source.name;
  if (!l.index) {
    if (srcSize === undefined || n === undefined || srcSize === 1 || srcSize === n) return;
    const at = l.call.args[0].value.end;
    cx.err(l.call, `${src} has ${srcSize} neurons and ${l.pop} ${n}: a link reads one neuron of ${src} (${src} of size 1) or neuron i (equal sizes); say which with index = …`, 'size-mismatch',
      [{ kind: 'replace', start: at, end: at, text: `, index = i * ${srcSize} / ${n}`, title: `Read neuron ⌊i · ${srcSize} / ${n}⌋ of ${src}` }]);
    return;
  }
  const e = l.index;
  const rnd = randomCall(e);
  if (rnd) {
    cx.err(rnd, 'the index of a link is fixed before the run: no random draws', 'bad-expression');
    return;
  }
  const t = cx.ex.check(e, { ...cx.constEnv('the index of a link'), lookup: (x) => (x === 'i' || x === 'N' ? { dim: [0, 0, 0, 0, 0, 0, 0, 0] as Dim } : undefined) });
  if (t.dim && !isDimensionless(t.dim)) {
    cx.err(e, `the index of a link is a neuron number and has no unit; this is ${dimName(t.dim)}`, 'unit-mismatch');
    return;
  }
  if (t.bool) {
    cx.err(e, 'the index of a link is a neuron number, not a condition', 'not-value');
    return;
  }
  if (n === undefined || srcSize === undefined || t.dim === null) return;
  if (n > MAX_PER_NEURON_VALUES) {
    cx.err(e, `the index is computed for each of the ${n} neurons of ${l.pop}; at most ${MAX_PER_NEURON_VALUES} neurons can have one`, 'too-large');
    return;
  }
  const r = perNeuronValues(e, n);
  if (!r.ok) {
    cx.err(e, `the index is not a finite number for neuron i = ${r.neuron} of ${l.pop} (N = ${n})`, 'not-finite');
    return;
  }
  const bad = r.values.findIndex((x) => !(Math.floor(x) >= 0 && Math.floor(x) < srcSize));
  if (bad >= 0) {
    cx.err(e, `for neuron i = ${bad} of ${l.pop} the index is ${+r.values[bad].toPrecision(6)}${Number.isInteger(r.values[bad]) ? '' : ` (⌊…⌋ = ${Math.floor(r.values[bad])})`}, outside ${src} (size ${srcSize}, indices 0..${srcSize - 1})`, 'out-of-range');
  }
}

/** The source neuron each reader neuron reads (⌊index⌋), for lowering; undefined: i or 0. */
export function linkIndex(e: A.Expr | undefined, size: number): number[] | undefined {
  if (!e) return undefined;
  const r = perNeuronValues(e, size);
  return r.ok ? r.values.map((x) => Math.floor(x)) : undefined;
}
