// Scheduled operations in a population (LANGUAGE.md, "Scheduled operations"): `every <interval>
// { statements }` (Brian2's run_regularly) and `at <time or [times]> { statements }`. Item check:
// the statements against the population's model (state variables and parameters assignable,
// units, rand()/randn() allowed, xi not); the interval and times are constants of time, judged
// against dt and the duration in the final phase (checkScheduleTimes).
import type * as A from '../ast';
import { closest } from '../parser';
import { DEFAULT_SIMULATE } from '../schema';
import { TIME, dimName, formatQuantity, isDimensionless } from '../units';
import type { ModelInfo } from '../analysis';
import type { Dim } from '../units';
import type { Checker } from './context';
import { modelEnv } from './models';
import { exprText, noiseRefs } from './util';

export function checkSchedules(cx: Checker, p: A.PopulationDef, model: ModelInfo | undefined): void {
  for (const s of p.schedules ?? []) {
    const every = s.keyword.name === 'every';
    const what = every ? 'the interval of every' : 'the time of at';
    // The interval / times: constants of time.
    const t = cx.ex.check(s.when, { ...cx.constEnv('a constant'), context: 'a constant' });
    const times: { expr: A.Expr; value: number }[] = [];
    if (s.when.kind === 'list') {
      if (every) cx.err(s.when, 'every takes one interval (every 10 ms { … }); a list of times is written at [100 ms, 300 ms] { … }', 'bad-value');
      else if (!s.when.items.length) cx.err(s.when, 'at needs at least one time', 'bad-value');
      s.when.items.forEach((x, k) => {
        const ty = t.list?.[k];
        if (!ty) return;
        if (ty.value === undefined) cx.err(x, `${what} must be a constant time`, 'not-constant');
        else if (cx.ex.expectDim(x, ty, TIME, what)) times.push({ expr: x, value: ty.value });
      });
    } else if (t.dist) cx.err(s.when, `${what} must be a constant time, not a distribution`, 'not-constant');
    else if (t.dim && cx.ex.expectDim(s.when, t, TIME, what)) {
      if (t.value === undefined) cx.err(s.when, `${what} must be a constant time`, 'not-constant');
      else times.push({ expr: s.when, value: t.value });
    }
    for (const x of times) {
      if (every && x.value <= 0) cx.err(x.expr, 'the interval of every must be positive', 'out-of-range');
      else if (!every && x.value < 0) cx.err(x.expr, 'the time of at must not be negative', 'out-of-range');
      else cx.deferred.schedules.push({ expr: x.expr, value: x.value, every });
    }
    if (!s.statements.length) cx.warn(s.keyword, `${s.keyword.name} has no statements: it does nothing`, 'empty-block');
    // An unknown model is reported at the population; its statements have nothing to check against.
    if (!model) continue;
    const env = modelEnv(cx, model, 'equation');
    const name = model.def.name.name;
    for (const st of s.statements) {
      let dim: Dim | null | undefined = null;
      let known = false;
      if (st.target.kind !== 'name') cx.err(st.target, `expected a state variable or parameter of ${name} on the left`, 'not-assignable');
      else {
        const v = model.vars.get(st.target.name);
        if (!v) {
          const guess = closest(st.target.name, [...model.vars.values()].filter((x) => x.kind !== 'alias').map((x) => x.sym.name));
          cx.err(st.target, `${name} has no state variable or parameter '${st.target.name}'${guess ? ` (did you mean '${guess}'?)` : ''}`, 'unknown-name',
            guess ? [{ kind: 'replace', start: st.target.start, end: st.target.end, text: guess, title: `Change to '${guess}'` }] : undefined);
        } else if (v.kind === 'alias') {
          cx.err(st.target, `'${st.target.name}' is a named expression of ${name} (computed from its equation); assign a state variable or parameter`, 'not-assignable');
        } else {
          cx.ref(st.target, v.sym);
          dim = v.dim;
          known = true;
        }
      }
      for (const r of noiseRefs(st.value)) cx.err(r, 'xi (white noise) stands only in differential equations; a scheduled operation draws with randn()', 'bad-noise');
      const value = cx.ex.check(st.value, env);
      if (value.bool) cx.err(st.value, 'cannot assign a condition to a variable', 'not-value');
      else if (value.dist) cx.err(st.value, 'a distribution is drawn once per neuron before the run; in a scheduled operation draw with rand() or randn() (e.g. mu + sigma * randn())', 'bad-expression');
      else if (st.op === '*=' || st.op === '/=') {
        if (value.dim && !isDimensionless(value.dim)) cx.err(st.value, `'${st.op}' needs a dimensionless factor, this is ${dimName(value.dim)}`, 'unit-mismatch');
      } else if (known && dim) cx.ex.expectDim(st.value, value, dim, `the value assigned to ${exprText(st.target)}`);
    }
  }
}

/**
 * Final phase: an interval or time is a whole number of steps (as the engine runs the block at
 * the start of a step; Brian2 would add steps of its own in between), an interval at least dt,
 * a time before the end of the run. The fix rounds to the nearest step.
 */
export function checkScheduleTimes(cx: Checker): void {
  // Without a simulate block (or without dt / duration in it) the run takes the defaults.
  const dt = cx.simulate.dt ?? (cx.simProp?.has('dt') ? undefined : DEFAULT_SIMULATE.dt);
  if (dt === undefined) return;
  const dur = cx.simulate.duration ?? (cx.simProp?.has('duration') ? undefined : DEFAULT_SIMULATE.duration);
  for (const s of cx.deferred.schedules) {
    const steps = s.value / dt;
    const k = Math.round(steps);
    const q = formatQuantity(s.value, TIME);
    if (s.every && s.value < dt - 1e-15) {
      cx.err(s.expr, `the interval ${q} is shorter than the time step dt = ${formatQuantity(dt, TIME)}; use at least ${formatQuantity(dt, TIME)}`, 'out-of-range',
        [{ kind: 'replace', start: s.expr.start, end: s.expr.end, text: formatQuantity(dt, TIME), title: `Use ${formatQuantity(dt, TIME)}` }]);
      continue;
    }
    if (Math.abs(steps - k) > 1e-4) {
      const fix = formatQuantity(Math.max(s.every ? 1 : 0, k) * dt, TIME);
      cx.err(s.expr, `${q} is not a whole number of time steps (dt = ${formatQuantity(dt, TIME)}); ${s.every ? 'the interval' : 'the time'} must be a multiple of dt: use ${fix}`, 'not-multiple-of-dt',
        [{ kind: 'replace', start: s.expr.start, end: s.expr.end, text: fix, title: `Use ${fix}` }]);
      continue;
    }
    if (dur === undefined || k < Math.round(dur / dt)) continue;
    if (s.every) cx.warn(s.expr, `the interval ${q} is not shorter than the run (${formatQuantity(dur, TIME)}): the block runs only at t = 0 ms`, 'out-of-range');
    else cx.err(s.expr, `at ${q} is not before the end of the run (${formatQuantity(dur, TIME)}): the block would never run; use a time below ${formatQuantity(dur, TIME)}`, 'out-of-range');
  }
}
