// Phase 4, probe items: what is recorded, from what, and how often.
import type * as A from '../ast';
import { closest } from '../parser';
import { compartmentNames } from './compartments';
import { TIME, formatQuantity } from '../units';
import type { Checker } from './context';
import { checkSelector } from './values';

export function checkProbe(cx: Checker, p: A.ProbeDef): void {
  const v = p.variable.name;
  for (const sel of p.targets) {
    const r = checkSelector(cx, sel, ['population', 'input', 'connection'], 'population, input or named connection');
    const item = r.item;
    if (!item || v === 'spikes' || v === 'rate') {
      if (item?.kind === 'connection' && (v === 'spikes' || v === 'rate')) cx.err(sel, `a connection has no ${v}; probe a population`, 'wrong-kind');
      continue;
    }
    if (item.kind === 'population' && item.model) {
      const x = item.model.vars.get(v);
      if (!x || x.kind === 'parameter') {
        const inCompartments = compartmentNames(item.model, v);
        const guess = inCompartments[0] ?? closest(v, [...item.model.vars.values()].filter((y) => y.kind !== 'parameter').map((y) => y.sym.name).concat(['spikes', 'rate']));
        const where = inCompartments.length ? `; its compartments have ${inCompartments.join(', ')}` : '';
        cx.err(p.variable, `${item.model.def.name.name} (population ${sel.name.name}) has no state variable or named expression '${v}'${where}${guess ? ` (did you mean '${guess}'?)` : ''}`, 'unknown-name',
          guess ? [{ kind: 'replace', start: p.variable.start, end: p.variable.end, text: guess, title: `Change to '${guess}'` }] : undefined);
      } else cx.ref(p.variable, x.sym);
    } else if (item.kind === 'connection') {
      const syn = item.node.props.find((q) => q.key.name === 'synapse')?.value;
      const sname = syn?.kind === 'call' ? syn.callee.name : syn?.kind === 'name' ? syn.name : undefined;
      const sm = sname ? cx.models.get(sname) : undefined;
      if (v !== 'w' && !sm?.vars.get(v)) cx.err(p.variable, `connection ${sel.name.name} has no variable '${v}' (it has w${sm ? ', ' + [...sm.vars.values()].filter((x) => x.kind === 'state').map((x) => x.sym.name).join(', ') : ''})`, 'unknown-name');
    } else if (item.kind === 'input') cx.err(p.variable, `an input has only spikes to probe`, 'wrong-kind');
  }
  if (p.targets.length === 0 && p.variable) cx.err(p.variable, 'probe what? e.g. probe spikes(exc)', 'syntax');
  if (p.every) {
    const t = cx.ex.check(p.every, cx.constEnv('a constant'));
    cx.ex.expectDim(p.every, t, TIME, 'the probe interval');
    if (t.value !== undefined && t.value <= 0) cx.err(p.every, `the probe interval must be positive, got ${formatQuantity(t.value, TIME)}`, 'out-of-range');
    else if (t.value !== undefined) cx.deferred.intervals.push({ expr: p.every, value: t.value });
  }
}
