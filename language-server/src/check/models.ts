// Phase 2: the file's neuron and synapse models (declarations, units, equations, methods,
// statements), and the environment of names inside a model (also used per connection).
import type * as A from '../ast';
import { degreeIn } from '../linearity';
import { Severity, type Diagnostic } from '../diagnostics';
import { ExprChecker, unitOf } from '../expressions';
import { closest } from '../parser';
import { BUILTIN_NAMES, METHODS } from '../schema';
import { DIMENSIONLESS, TIME, WEIGHT, dimName, div, isDimensionless, sameDim } from '../units';
import { substWeight, walk, collectTimeConstants, docOfDecl, exprText, noiseRefs } from './util';
import type { Binding, Env, Ty } from '../expressions';
import type { Dim } from '../units';
import type { VarInfo, ModelInfo } from '../analysis';
import type { Checker } from './context';
import { checkValueRange } from './values';
import { checkRefractory } from './refractory';
import { checkCompartments } from './compartments';

// ---- neuron and synapse models -------------------------------------------------------------
export function checkModel(cx: Checker, def: A.ModelDef): ModelInfo {
  const modelSym = cx.sym(def.kind, def.name, def, { doc: def.doc, detail: `${def.kind} ${def.name.name}` });
  const info: ModelInfo = { def, sym: modelSym, uri: cx.uri, vars: new Map(), timeConstants: [] };
  const isSyn = def.kind === 'synapse';
  const reserved = new Set([...Object.keys(BUILTIN_NAMES), ...(isSyn ? ['w', 'target', 'pre', 'post', 'mod'] : [])]);
  const declare = (kind: VarInfo['kind'], name: A.Ident, decl: VarInfo['decl'], dim: Dim | null, value?: number, required?: boolean) => {
    if (reserved.has(name.name)) {
      cx.err(name, `'${name.name}' is a built-in name (${isSyn ? 't, dt, i, N, w, target, pre, post, mod' : 't, dt, i, N'}); choose another`, 'reserved');
      return;
    }
    if (info.vars.has(name.name)) {
      cx.err(name, `'${name.name}' is already declared in ${def.name.name}`, 'duplicate');
      return;
    }
    const sym = cx.sym(kind, name, decl, { container: def.name.name, dim, value, doc: docOfDecl(cx.file, decl) });
    info.vars.set(name.name, { sym, kind, dim, value, required, decl });
  };
  const declDim = (d: A.Decl): Dim | null | undefined => {
    if (!d.unit) return undefined;
    const w = d.unit.terms.find((t) => t.symbol === 'weight');
    if (w && !isSyn) {
      cx.err(w, "'weight' (the unit of a connection's weight) exists only in synapse models; give a physical unit", 'misplaced');
      return null;
    }
    return unitOf(d.unit, cx)?.dim ?? null;
  };
  // Parameters may refer to each other in any order: evaluate lazily with cycle detection.
  const paramDecls = new Map<string, A.Decl>();
  for (const p of def.parameters) if (!paramDecls.has(p.name.name)) paramDecls.set(p.name.name, p);
  const paramTy = new Map<string, Binding>();
  const evalParam = (name: string): Binding | undefined => {
    const got = paramTy.get(name);
    if (got) return got;
    const p = paramDecls.get(name);
    if (!p) return undefined;
    paramTy.set(name, { dim: null, pending: true });
    const unitDim = declDim(p);
    let b: Binding = { dim: unitDim ?? null };
    if (p.value) {
      const t = cx.ex.check(p.value, paramEnv);
      if (t.dist) cx.err(p.value, 'a parameter default must be a constant; set per-neuron values from a distribution in the population', 'bad-expression');
      if (unitDim) cx.ex.expectDim(p.value, t, unitDim, `parameter ${name}`);
      b = { dim: unitDim ?? t.dim ?? (t.value === 0 ? DIMENSIONLESS : null), value: t.value };
      checkValueRange(cx, p.value, t, name, b.dim);
      if (t.bool) cx.err(p.value, `parameter ${name} must be a value, not a condition`, 'not-value');
    }
    paramTy.set(name, b);
    return b;
  };
  const paramEnv: Env = {
    context: `a parameter of ${def.name.name}`,
    lookup: (name, span) => {
      const b = paramTy.get(name);
      if (b?.pending) {
        cx.err(span, `parameter '${name}' depends on itself`, 'cycle');
        return { dim: null };
      }
      const r = evalParam(name);
      if (r) {
        const v = info.vars.get(name);
        return { ...r, sym: v?.sym };
      }
      return undefined;
    },
    names: () => paramDecls.keys(),
  };
  for (const p of def.parameters) {
    const b = evalParam(p.name.name) ?? { dim: null };
    declare('parameter', p.name, p, b.dim, b.value, !p.value);
    // Refresh the binding's symbol now that it exists.
  }
  // Re-resolve references made before the symbols existed: re-check parameters cheaply.
  fixParamRefs(cx, def, info);
  // State variables.
  for (const s of def.state) {
    const unitDim = declDim(s);
    let dim: Dim | null = unitDim ?? null;
    let value: number | undefined;
    if (s.value) {
      const t = cx.ex.check(s.value, modelEnv(cx, info, 'init'));
      if (unitDim) cx.ex.expectDim(s.value, t, unitDim, `the initial value of ${s.name.name}`);
      else dim = t.dim ?? DIMENSIONLESS;
      value = t.value;
    } else if (!unitDim) dim = DIMENSIONLESS;
    declare('state', s.name, s, dim, value);
  }
  // Named expressions, then ODEs.
  const aliases = def.equations.filter((e): e is A.Alias => e.kind === 'alias');
  const aliasDecl = new Map<string, A.Alias>();
  for (const a of aliases) {
    if (info.vars.has(a.name.name) && !aliasDecl.has(a.name.name)) {
      const v = info.vars.get(a.name.name)!;
      cx.err(a.name, `'${a.name.name}' is a ${v.kind === 'state' ? 'state variable' : 'parameter'} of ${def.name.name}; an equation for it is written d${a.name.name}/dt = ...`, 'duplicate');
      continue;
    }
    if (aliasDecl.has(a.name.name)) {
      cx.err(a.name, `'${a.name.name}' is already defined in ${def.name.name}`, 'duplicate');
      continue;
    }
    aliasDecl.set(a.name.name, a);
  }
  const aliasTy = new Map<string, Binding>();
  const env = modelEnv(cx, info, 'equation', (name, span) => {
    const a = aliasDecl.get(name);
    if (!a) return undefined;
    const got = aliasTy.get(name);
    if (got?.pending) {
      cx.err(span, `'${name}' is defined in terms of itself`, 'cycle');
      return { dim: null };
    }
    if (got) return got;
    aliasTy.set(name, { dim: null, pending: true });
    const t = cx.ex.check(a.rhs, env);
    const b: Binding = { dim: t.dim, value: undefined };
    aliasTy.set(name, b);
    return b;
  });
  for (const a of aliasDecl.values()) {
    const b = env.lookup(a.name.name, a.name) ?? { dim: null };
    declare('alias', a.name, a, b.dim);
  }
  // Bind alias symbols for references made while computing.
  for (const [name, b] of aliasTy) b.sym = info.vars.get(name)?.sym;
  const odeSeen = new Set<string>();
  const weightOdes: A.Ode[] = [];
  for (const eq of def.equations) {
    if (eq.kind !== 'ode') continue;
    if (isSyn && eq.variable.name === 'w') {
      // The weight of a plastic synapse may follow an ODE (checked with the statements).
      weightOdes.push(eq);
      continue;
    }
    const v = info.vars.get(eq.variable.name);
    if (!v || v.kind !== 'state') {
      const guess = closest(eq.variable.name, [...info.vars.values()].filter((x) => x.kind === 'state').map((x) => x.sym.name));
      cx.err(eq.variable, `d${eq.variable.name}/dt: '${eq.variable.name}' is not a state variable of ${def.name.name}${guess ? ` (did you mean '${guess}'?)` : '; declare it in state { }'}`, 'unknown-name');
      cx.ex.check(eq.rhs, env);
      continue;
    }
    cx.ref(eq.variable, v.sym);
    if (odeSeen.has(eq.variable.name)) cx.err(eq.variable, `d${eq.variable.name}/dt is defined twice`, 'duplicate');
    odeSeen.add(eq.variable.name);
    const t = cx.ex.check(eq.rhs, env);
    if (v.dim && t.dim) {
      const want = div(v.dim, TIME);
      if (!sameDim(want, t.dim)) {
        if (t.bare) cx.ex.bareNumber(eq.rhs, want, `d${eq.variable.name}/dt`);
        else cx.err(eq.rhs, `unit mismatch: ${dimName(t.dim)} vs ${dimName(want)} (the right side of d${eq.variable.name}/dt must be ${dimName(want)}: the unit of ${eq.variable.name} per second)`, 'unit-mismatch');
      }
    }
    if (t.bool) cx.err(eq.rhs, 'an equation needs a value, not a condition', 'not-value');
    collectTimeConstants(eq.rhs, info);
  }
  checkNoise(cx, def, isSyn);
  if (def.method && !METHODS.includes(def.method.name)) {
    cx.err(def.method, `unknown integration method '${def.method.name}'; use one of ${METHODS.join(', ')}`, 'unknown-name');
  }
  if (def.method?.name === 'exponential') {
    // Exponential Euler with calls held over the step: x must enter affinely outside calls.
    const aliasList = [...aliasDecl.values()];
    const aliasNames = new Set(aliasDecl.keys());
    for (const eq of def.equations) {
      if (eq.kind !== 'ode' || degreeIn(eq.rhs, eq.variable.name, aliasList, aliasNames, true) <= 1) continue;
      cx.err(eq.rhs, `method exponential needs d${eq.variable.name}/dt = a + b·${eq.variable.name} with ${eq.variable.name} outside function calls appearing only linearly (calls are held over the step); use rk2 or rk4 for this equation`, 'bad-method');
    }
  }
  if (def.spike) {
    if (isSyn) cx.err(def.spike, 'synapse models do not spike; spike conditions belong in neuron models', 'misplaced');
    const t = cx.ex.check(def.spike, env);
    if (!t.bool && t.dim !== null) cx.err(def.spike, `a spike condition must be a comparison (e.g. v > V_th), this is a value of ${dimName(t.dim)}`, 'not-boolean');
  }
  checkRefractory(cx, def, info, env, odeSeen);
  if (def.reset) {
    if (isSyn) cx.err(def.reset[0] ?? def, 'synapse models have on_pre/on_post, not reset', 'misplaced');
    checkStatements(cx, def.reset, env, info, 'reset');
  }
  if ((def.onPre || def.onPost) && !isSyn) {
    cx.err(def.onPre?.[0] ?? def.onPost?.[0] ?? def.name, 'on_pre/on_post belong in synapse models; a neuron uses reset { }', 'misplaced');
  }
  if (isSyn) checkWeightUse(cx, info, env, weightOdes);
  else {
    if (def.onPre) checkStatements(cx, def.onPre, env, info, 'on_pre');
    if (def.onPost) checkStatements(cx, def.onPost, env, info, 'on_post');
  }
  if (def.summed) checkSummed(cx, def, env, info, isSyn);
  checkCompartments(cx, def, info);
  if (!isSyn && !def.spike && def.state.length > 0 && !cx.isPrelude) {
    // A neuron that never spikes is legal (e.g. an astrocyte), but worth a hint.
    cx.diags.push({ start: def.name.start, end: def.name.end, severity: Severity.Hint, message: `${def.name.name} has no spike condition: it never spikes`, code: 'no-spike' });
  }
  return info;
}


/**
 * A synapse model's weight ODE and on_pre/on_post statements, checked with `weight` standing
 * for any unit. Where that fails but they hold for a dimensionless weight (a dimensionless trace
 * added to the weight: `w = clip(w + apre, 0, 1)`, Brian2's usual STDP), the model is one for
 * dimensionless weights: no error here, `info.weightDim` says so, and a connection whose weight
 * has a unit is refused where it uses the model (checkSynapseUse).
 */
function checkWeightUse(cx: Checker, info: ModelInfo, env: Env, weightOdes: A.Ode[]): void {
  const def = info.def;
  const run = (e: Env, w: Dim) => {
    for (const eq of weightOdes) {
      const t = cx.ex.check(eq.rhs, e);
      const want = div(w, TIME);
      if (t.dim && !sameDim(t.dim, want)) cx.err(eq.rhs, `unit mismatch: ${dimName(t.dim)} vs ${w === WEIGHT ? 'weight/second' : dimName(want)} (the right side of dw/dt must be the weight's unit per second)`, 'unit-mismatch');
    }
    if (def.onPre) checkStatements(cx, def.onPre, e, info, 'on_pre');
    if (def.onPost) checkStatements(cx, def.onPost, e, info, 'on_post');
  };
  const saved = cx.diags;
  const generic: Diagnostic[] = [];
  cx.diags = generic;
  try {
    run(env, WEIGHT);
  } finally {
    cx.diags = saved;
  }
  const failed = generic.some((d) => d.severity === Severity.Error && d.code === 'unit-mismatch');
  if (failed) {
    // The same statements with a dimensionless weight, silently (own types, no references).
    const trial: Diagnostic[] = [];
    const ex = cx.ex;
    const refs = cx.refs.length;
    cx.diags = trial;
    cx.ex = new ExprChecker({ diag: (d) => trial.push(d), ref: () => undefined, source: cx.source }, new Map());
    try {
      run(modelEnv(cx, info, 'equation', undefined, { w: DIMENSIONLESS, target: DIMENSIONLESS }), DIMENSIONLESS);
    } finally {
      cx.diags = saved;
      cx.ex = ex;
      cx.refs.length = refs;
    }
    if (!trial.some((d) => d.severity === Severity.Error)) {
      const first = generic.find((d) => d.severity === Severity.Error)!;
      info.weightDim = { dim: DIMENSIONLESS, at: { start: first.start, end: first.end } };
      for (const d of generic) if (d.severity !== Severity.Error) cx.diags.push(d);
      return;
    }
  }
  for (const d of generic) cx.diags.push(d);
}

/** Parameter references were recorded before their symbols existed; attach them now. */
export function fixParamRefs(cx: Checker, def: A.ModelDef, info: ModelInfo): void {
  const known = new Set<number>();
  for (const r of cx.refs) if (r.span.start >= def.start && r.span.start < def.end) known.add(r.span.start);
  for (const p of def.parameters) {
    if (!p.value) continue;
    walk(p.value, (e) => {
      if (e.kind === 'name') {
        const v = info.vars.get(e.name);
        if (v && !known.has(e.start)) cx.ref(e, v.sym);
      }
    });
  }
}


/**
 * White noise: `xi` stands directly in a neuron's differential equations, once per equation
 * (each equation's xi is its own noise), and such a model is integrated by Euler–Maruyama
 * (method euler, the default then): exact/exponential/rk2/rk4 are refused with a fix.
 */
function checkNoise(cx: Checker, def: A.ModelDef, isSyn: boolean): void {
  let noisy = false;
  for (const eq of def.equations) {
    const refs = noiseRefs(eq.rhs);
    if (!refs.length) continue;
    if (eq.kind !== 'ode' || isSyn) {
      refs.forEach((r) => cx.err(r, `xi (white noise) stands directly in a neuron's differential equation (dx/dt = … + sigma * xi), not in ${isSyn ? 'a synapse model' : 'a named expression'}`, 'bad-noise'));
      continue;
    }
    noisy = true;
    refs.slice(1).forEach((r) => cx.err(r, `xi appears once per equation (it is one noise source); write d${eq.variable.name}/dt = f + g * xi`, 'bad-noise'));
  }
  const statements = [...(def.reset ?? []), ...(def.onPre ?? []), ...(def.onPost ?? []), ...(def.summed ?? [])];
  const elsewhere = [def.spike, def.refractory, def.refractoryWhen?.condition, ...statements.flatMap((s) => [s.target, s.value])];
  for (const r of elsewhere.flatMap(noiseRefs)) cx.err(r, 'xi (white noise) stands only in differential equations', 'bad-noise');
  const m = def.method;
  if (noisy && m && m.name !== 'euler' && METHODS.includes(m.name)) {
    cx.err(m, `stochastic equations (xi) are integrated by Euler–Maruyama: method euler (${m.name} would treat the noise as a smooth input)`, 'bad-method', [{ kind: 'replace', start: m.start, end: m.end, text: 'euler', title: 'Use method euler' }]);
  }
}

/**
 * `summed { target = expr }` (Brian2's `(summed)` variables): one statement that sets the
 * connection's target variable of each postsynaptic neuron to the sum of expr over its synapses,
 * every step. The target is then set, never added to: on_pre/on_post statements cannot also
 * write it.
 */
function checkSummed(cx: Checker, def: A.ModelDef, env: Env, info: ModelInfo, isSyn: boolean): void {
  const stmts = def.summed!;
  if (!isSyn) {
    cx.err(stmts[0] ?? def.name, 'summed belongs in synapse models (it sums over a connection\'s synapses); a neuron computes its own values in equations { }', 'misplaced');
    return;
  }
  const isTarget = (s: A.Assign) => s.target.kind === 'name' && s.target.name === 'target';
  stmts.forEach((s, k) => {
    if (k > 0) cx.err(s, 'summed sets one variable, the connection\'s target: write target = expr1 + expr2, or use a second connection for another variable', 'duplicate');
    else if (!isTarget(s)) cx.err(s.target, `summed sets the connection's target variable: write target = …, and name the postsynaptic variable with target: on the connection`, 'not-assignable', [{ kind: 'replace', start: s.target.start, end: s.target.end, text: 'target', title: 'Sum into target' }]);
    else if (s.op !== '=') {
      const opEnd = s.value.start;
      const opStart = s.target.end;
      cx.err(s, `summed sets target to the sum over the synapses ('target = …'); '${s.op}' would add to a value that is recomputed every step`, 'not-assignable', [{ kind: 'replace', start: opStart, end: opEnd, text: ' = ', title: "Use '='" }]);
    }
  });
  if (stmts[0] && isTarget(stmts[0])) checkStatements(cx, stmts.slice(0, 1), env, info, 'summed');
  else if (stmts[0]) cx.ex.check(stmts[0].value, env);
  for (const s of [...(def.onPre ?? []), ...(def.onPost ?? [])]) {
    if (isTarget(s)) cx.err(s.target, `${def.name.name} sets target every step (summed); on_pre/on_post cannot also change it: give the spike's effect its own variable`, 'conflict');
  }
}

/** Names visible inside a model: parameters, state, named expressions, built-ins, synapse extras. */
export function modelEnv(cx: Checker, info: ModelInfo, mode: 'init' | 'equation', extra?: (name: string, span: A.Span) => Binding | undefined, overrides?: { w?: Dim | null; target?: Dim | null; post?: ModelInfo; pre?: ModelInfo; mod?: ModelInfo }): Env {
  const isSyn = info.def.kind === 'synapse';
  const env: Env = {
    context: `a parameter${mode === 'equation' ? ', state variable or named expression' : ''} of ${info.def.name.name}`,
    allowRandom: mode === 'equation',
    lookup: (name, span) => {
      const v = info.vars.get(name);
      if (v && (mode === 'equation' || v.kind === 'parameter')) {
        // A synapse used by a connection: `weight` stands for the connection's weight unit.
        const dim = v.dim && overrides?.w ? substWeight(v.dim, overrides.w) : v.dim;
        return { dim, value: v.kind === 'parameter' ? v.value : undefined, sym: v.sym };
      }
      const x = extra?.(name, span);
      if (x) return x;
      if (mode === 'init' && v) return undefined;
      const b = BUILTIN_NAMES[name];
      if (b && (mode === 'equation' || name === 'N' || name === 'i')) return { dim: b.dim };
      if (isSyn && mode === 'equation') {
        if (name === 'w') return { dim: overrides && 'w' in overrides ? overrides.w ?? null : WEIGHT };
        if (name === 'target') return { dim: overrides && 'target' in overrides ? overrides.target ?? null : WEIGHT };
      }
      return undefined;
    },
    member: (object, member) => {
      if (!isSyn || !['pre', 'post', 'mod'].includes(object)) {
        cx.err(member, `'${object}.${member.name}': only pre., post. and mod. are allowed, in synapse models`, 'bad-expression');
        return undefined;
      }
      const m = overrides?.[object as 'pre' | 'post' | 'mod'];
      if (!m) return { dim: null }; // checked when a connection uses the synapse
      const v = m.vars.get(member.name);
      if (!v) {
        cx.err(member, `${m.def.name.name} (the ${object === 'mod' ? 'modulating' : object + 'synaptic'} model) has no variable '${member.name}'`, 'unknown-name');
        return undefined;
      }
      return { dim: v.dim, sym: v.sym };
    },
    names: function* () {
      for (const [k, v] of info.vars) if (mode === 'equation' || v.kind === 'parameter') yield k;
      yield* Object.keys(BUILTIN_NAMES);
      if (isSyn) yield* ['w', 'target'];
    },
  };
  return env;
}


export function checkStatements(cx: Checker, stmts: A.Assign[], env: Env, info: ModelInfo | undefined, where: string, assignable?: (name: string) => Binding | undefined): void {
  for (const s of stmts) {
    let target: Ty = { dim: null };
    if (s.target.kind === 'name') {
      const name = s.target.name;
      const v = info?.vars.get(name);
      const isSyn = info?.def.kind === 'synapse';
      if (assignable) {
        const b = assignable(name);
        if (!b) cx.err(s.target, `cannot assign '${name}' in ${where}: not a variable of the target model`, 'unknown-name');
        else {
          if (b.sym) cx.ref(s.target, b.sym);
          target = { dim: b.dim };
        }
      } else if (v) {
        if (v.kind !== 'state') cx.err(s.target, `cannot assign '${name}' in ${where}: it is a ${v.kind === 'parameter' ? 'parameter' : 'named expression'}; only state variables change`, 'not-assignable');
        cx.ref(s.target, v.sym);
        target = { dim: v.dim };
      } else if (isSyn && (name === 'w' || name === 'target')) {
        target = cx.ex.check(s.target, env);
      } else {
        target = cx.ex.check(s.target, env);
      }
    } else if (s.target.kind === 'member') {
      target = cx.ex.check(s.target, env);
    } else cx.err(s.target, 'expected a variable name on the left of the assignment', 'not-assignable');
    const value = cx.ex.check(s.value, env);
    if (value.bool) cx.err(s.value, 'cannot assign a condition to a variable', 'not-value');
    if (s.op === '*=' || s.op === '/=') {
      if (value.dim && !isDimensionless(value.dim)) cx.err(s.value, `'${s.op}' needs a dimensionless factor, this is ${dimName(value.dim)}`, 'unit-mismatch');
    } else if (target.dim) cx.ex.expectDim(s.value, value, target.dim, `the value assigned to ${exprText(s.target)}`);
  }
}

