// A neuron's refractoriness: `refractory t_ref` (a period), `refractory when cond` (Brian2's
// boolean refractory: refractory after a spike until cond is false) and `holding [v, w]` (the
// variables held while refractory; without it, those the reset assigns).
import type * as A from '../ast';
import { closest } from '../parser';
import { TIME, dimName, sameDim } from '../units';
import type { Env } from '../expressions';
import type { ModelInfo } from '../analysis';
import type { Checker } from './context';
import { walk } from './util';

export function checkRefractory(cx: Checker, def: A.ModelDef, info: ModelInfo, env: Env, odeVars: ReadonlySet<string>): void {
  const isSyn = def.kind === 'synapse';
  const first = def.refractory ?? def.refractoryWhen?.keyword ?? def.holding;
  if (first && isSyn) cx.err(first, 'synapse models are not refractory; refractory belongs in neuron models', 'misplaced');
  if (def.refractory) {
    const t = cx.ex.check(def.refractory, env);
    if (t.bool) {
      // Brian2 takes a boolean refractory expression as a condition; here it is written with `when`.
      cx.err(def.refractory, 'a refractory condition is written with when: refractory when <condition> (refractory after a spike until the condition is false)', 'not-time',
        [{ kind: 'replace', start: def.refractory.start, end: def.refractory.start, text: 'when ', title: "Insert 'when'" }]);
    } else {
      cx.ex.expectDim(def.refractory, t, TIME, 'the refractory period');
      if (t.value !== undefined && t.value < 0) cx.err(def.refractory, 'the refractory period must not be negative', 'out-of-range');
    }
  }
  if (def.refractoryWhen) {
    const { keyword, condition } = def.refractoryWhen;
    const t = cx.ex.check(condition, env);
    // No random draws: the engine evaluates the condition outside the streams of the equations.
    walk(condition, (e) => {
      if (e.kind === 'call' && (e.callee.name === 'rand' || e.callee.name === 'randn')) cx.err(e, `a refractory condition draws no random numbers (${e.callee.name}()); compare state variables, e.g. v > -40 mV`, 'bad-expression');
    });
    if (!t.bool && t.dim !== null) {
      const period = sameDim(t.dim, TIME);
      cx.err(condition, `a refractory condition must be a comparison (e.g. v > -40 mV), this is a value of ${dimName(t.dim)}${period ? "; a refractory period is written without when" : ''}`, 'not-boolean',
        period ? [{ kind: 'replace', start: keyword.start, end: condition.start, text: '', title: "Remove 'when' (a refractory period)" }] : undefined);
    }
  }
  if (def.holding) checkHolding(cx, def, def.holding, info, odeVars);
}

/** Each held name is a state variable with an equation (Brian2's `(unless refractory)` flag), once. */
function checkHolding(cx: Checker, def: A.ModelDef, list: A.HoldList, info: ModelInfo, odeVars: ReadonlySet<string>): void {
  const seen = new Set<string>();
  list.items.forEach((item, k) => {
    // Removing an item takes its comma with it (the one after, or before for the last item).
    const next = list.items[k + 1];
    const prev = list.items[k - 1];
    const cut = next ? { start: item.start, end: next.start } : prev ? { start: prev.end, end: item.end } : { start: item.start, end: item.end };
    const remove = [{ kind: 'replace' as const, ...cut, text: '', title: `Remove '${item.name}' from holding` }];
    const v = info.vars.get(item.name);
    if (!v) {
      const guess = closest(item.name, [...info.vars.values()].filter((x) => x.kind === 'state').map((x) => x.sym.name));
      cx.err(item, `'${item.name}' is not a state variable of ${def.name.name}${guess ? ` (did you mean '${guess}'?)` : ''}`, 'unknown-name',
        guess ? [{ kind: 'replace', start: item.start, end: item.end, text: guess, title: `Change to '${guess}'` }] : remove);
      return;
    }
    cx.ref(item, v.sym);
    if (v.kind !== 'state') {
      cx.err(item, `'${item.name}' is a ${v.kind === 'alias' ? 'named expression' : 'parameter'} of ${def.name.name}; only state variables with an equation can be held`, 'bad-hold', remove);
    } else if (!odeVars.has(item.name)) {
      cx.err(item, `'${item.name}' has no equation d${item.name}/dt: holding keeps a variable's equation from integrating while refractory (Brian2's (unless refractory))`, 'bad-hold', remove);
    } else if (seen.has(item.name)) {
      cx.err(item, `'${item.name}' is held twice`, 'duplicate', remove);
    }
    seen.add(item.name);
  });
}
