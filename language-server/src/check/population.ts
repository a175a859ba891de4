// Phase 4, population items: the model, the size, initial values (constants, distributions,
// lists, data-file columns), properties and layout.
import type * as A from '../ast';
import { isFileValue } from '../data-values';
import { closest } from '../parser';
import { POPULATION } from '../schema';
import { DIMENSIONLESS } from '../units';
import { layoutOf } from './util';
import { checkSchedules } from './schedule';
import { linkedCall, recordLink } from './linked';
import type { Ty } from '../expressions';
import type { Checker } from './context';
import { constInt, checkValueRange, checkProps, checkFileValue } from './values';
import { MAX_PER_NEURON_VALUES, perNeuronValues, randomCall, usesNeuronIndex } from '../per-neuron';
import type { Dim } from '../units';

export function checkPopulation(cx: Checker, p: A.PopulationDef): void {
  const item = cx.network.get(p.name.name);
  const model = cx.models.get(p.model.name);
  if (!model) {
    const guess = closest(p.model.name, [...cx.models.values()].filter((m) => m.def.kind === 'neuron').map((m) => m.def.name.name));
    cx.err(p.model, `unknown neuron model '${p.model.name}'${guess ? ` (did you mean '${guess}'?)` : ''}`, 'unknown-name',
      guess ? [{ kind: 'replace', start: p.model.start, end: p.model.end, text: guess, title: `Change to '${guess}'` }] : undefined);
  } else {
    cx.ref(p.model, model.sym);
    if (model.def.kind !== 'neuron') cx.err(p.model, `'${p.model.name}' is a synapse model; a population needs a neuron model`, 'wrong-kind');
  }
  const size = constInt(cx, p.size, 'the population size', 1);
  if (item && item.kind === 'population' && item.node === p) {
    item.model = model?.def.kind === 'neuron' ? model : undefined;
    item.size = size;
    item.sym.detail = `population ${p.name.name} = ${p.model.name}[${size ?? '?'}]`;
  }
  const seen = new Set<string>();
  for (const a of p.inits) {
    if (a.target.kind !== 'name') {
      cx.err(a.target, 'expected a parameter or state variable name', 'not-assignable');
      continue;
    }
    const name = a.target.name;
    if (a.op !== '=') cx.err(a, `use '=' to set ${name} in a population`, 'syntax');
    if (seen.has(name)) cx.err(a.target, `'${name}' is set twice`, 'duplicate');
    seen.add(name);
    const v = model?.vars.get(name);
    const link = linkedCall(a.value);
    if (link) {
      // Another population's variable, read every step: judged in linked.ts.
      if (!model) continue;
      if (!v) {
        const guess = closest(name, [...model.vars.values()].filter((x) => x.kind === 'parameter').map((x) => x.sym.name));
        cx.err(a.target, `${model.def.name.name} has no parameter '${name}'${guess ? ` (did you mean '${guess}'?)` : ''}`, 'unknown-name',
          guess ? [{ kind: 'replace', start: a.target.start, end: a.target.end, text: guess, title: `Change to '${guess}'` }] : undefined);
        continue;
      }
      cx.ref(a.target, v.sym);
      recordLink(cx, p, a, link, v, model, size);
      continue;
    }
    const fromFile = isFileValue(a.value) ? a.value : undefined;
    const diags0 = cx.diags.length;
    const t: Ty = fromFile
      ? { dim: null }
      : cx.ex.check(a.value, { ...cx.constEnv('a constant or a distribution', true), context: 'a constant or a distribution', lookup: (n) => (n === 'N' || n === 'i' ? { dim: DIMENSIONLESS } : undefined) });
    if (!model) continue;
    if (!v || v.kind === 'alias') {
      const guess = closest(name, [...model.vars.values()].filter((x) => x.kind !== 'alias').map((x) => x.sym.name));
      cx.err(a.target, `${model.def.name.name} has no parameter or state variable '${name}'${guess ? ` (did you mean '${guess}'?)` : ''}`, 'unknown-name',
        guess ? [{ kind: 'replace', start: a.target.start, end: a.target.end, text: guess, title: `Change to '${guess}'` }] : undefined);
      continue;
    }
    cx.ref(a.target, v.sym);
    if (fromFile) {
      // One value per neuron, read from a column of a data file.
      const fv = checkFileValue(cx, fromFile, name, v.dim, `${name} (${v.kind} of ${model.def.name.name})`);
      if (fv && size !== undefined && fv.values.length !== size) {
        cx.err(fromFile, `${fv.file} has ${fv.values.length} values of ${name} (column '${fv.column}'); population ${p.name.name} has ${size} neurons (one row per neuron)`, 'size-mismatch');
      }
      if (fv?.values.length) checkValueRange(cx, fromFile, { dim: v.dim, value: fv.values.reduce((x, y) => Math.min(x, y)) }, name, v.dim);
      continue;
    }
    if (a.value.kind === 'list') {
      // One value per neuron: constants of the variable's unit, as many as the population has.
      const items = a.value.items;
      t.list?.forEach((x, k) => {
        if (x.value === undefined && x.dim !== null) cx.err(items[k], `each value of ${name} in the list must be a constant`, 'not-constant');
        else if (v.dim && cx.ex.expectDim(items[k], x, v.dim, `each value of ${name} (${v.kind} of ${model.def.name.name})`)) checkValueRange(cx, items[k], x, name, v.dim);
      });
      if (size !== undefined && items.length !== size) cx.err(a.value, `${items.length} values of ${name} listed; population ${p.name.name} has ${size} neurons (one value per neuron)`, 'size-mismatch');
      continue;
    }
    const dimOk = !v.dim || cx.ex.expectDim(a.value, t, v.dim, `${name} (${v.kind} of ${model.def.name.name})`);
    if (usesNeuronIndex(a.value)) {
      if (dimOk && !t.bool && cx.diags.length === diags0) checkPerNeuron(cx, p, a.value, name, v.dim, size);
      continue;
    }
    checkValueRange(cx, a.value, t, name, v.dim);
  }
  if (model) {
    for (const v of model.vars.values()) {
      if (v.required && !seen.has(v.sym.name)) {
        cx.err(p.name, `population ${p.name.name} must set parameter '${v.sym.name}' of ${model.def.name.name} (it has no default)`, 'missing-parameter');
      }
    }
  }
  checkSchedules(cx, p, model?.def.kind === 'neuron' ? model : undefined);
  checkProps(cx, p.props, POPULATION, `population ${p.name.name}`);
  const layout = p.props.find((q) => q.key.name === 'layout')?.value;
  if (layout && size !== undefined) {
    if (layout.kind === 'name' && layout.name === 'grid') cx.err(layout, `give the grid's shape: grid(rows = R, cols = C) with R × C = ${size}`, 'bad-value');
    const g = layoutOf(p, (e) => cx.ex.check(e, cx.constEnv('a constant')).value);
    if (g?.kind === 'grid' && g.rows && g.cols && g.rows * g.cols !== size) cx.err(layout, `grid(rows = ${g.rows}, cols = ${g.cols}) holds ${g.rows * g.cols} neurons but ${p.name.name} has ${size}`, 'size-mismatch');
  }
}


/**
 * A per-neuron expression (it uses the neuron index i or the size N): no random draw in it, at
 * most MAX_PER_NEURON_VALUES neurons, a finite value for every neuron, each in the variable's range.
 */
function checkPerNeuron(cx: Checker, p: A.PopulationDef, e: A.Expr, name: string, dim: Dim | null | undefined, size: number | undefined): void {
  const random = randomCall(e);
  if (random) {
    cx.err(random, `${random.callee.name}() cannot be part of a per-neuron expression (one using i or N); set ${name} either per neuron without random draws, or with a distribution alone`, 'bad-expression');
    return;
  }
  if (size === undefined) return;
  if (size > MAX_PER_NEURON_VALUES) {
    cx.err(e, `${name} uses i or N, so it is computed for each of the ${size} neurons of ${p.name.name}; at most ${MAX_PER_NEURON_VALUES} neurons can have a per-neuron expression (use a constant, a distribution or from_file(…))`, 'too-large');
    return;
  }
  const r = perNeuronValues(e, size);
  if (!r.ok) {
    cx.err(e, `${name} is not a finite number for neuron i = ${r.neuron} of ${p.name.name} (N = ${size}); check the arithmetic (a division by zero?)`, 'not-finite');
    return;
  }
  if (!r.values.length) return;
  const lo = r.values.reduce((x, y) => Math.min(x, y));
  checkValueRange(cx, e, { dim: dim ?? null, value: lo }, name, dim);
}
