// Phase 4, block items (input, readout, target, concept, task), and phase 5, the simulate block.
import type * as A from '../ast';
import { closest } from '../parser';
import { CONCEPT, INPUT_KINDS, READOUT_KINDS, SIMULATE, TARGET_KINDS, TASK } from '../schema';
import { TIME, formatQuantity } from '../units';
import { exprText } from './util';
import type { Ty } from '../expressions';
import type { Dim } from '../units';
import type { Checker } from './context';
import { constInt, checkSelector, checkProps } from './values';

export function checkBlock(cx: Checker, b: A.BlockDef): void {
  const where = `${b.kind}${b.name ? ' ' + b.name.name : ''}`;
  const anchor = b.name ?? b.keyword;
  switch (b.kind) {
    case 'input': {
      const spec = b.type ? INPUT_KINDS[b.type.name] : undefined;
      if (!b.type) return;
      if (!spec) {
        const guess = closest(b.type.name, Object.keys(INPUT_KINDS));
        cx.err(b.type, `unknown input kind '${b.type.name}'; use ${Object.keys(INPUT_KINDS).join(', ')}${guess ? ` (did you mean '${guess}'?)` : ''}`, 'unknown-name',
          guess ? [{ kind: 'replace', start: b.type.start, end: b.type.end, text: guess, title: `Change to '${guess}'` }] : undefined);
        return;
      }
      const item = b.name ? cx.network.get(b.name.name) : undefined;
      if (spec.sized) {
        if (!b.size) cx.err(b.type, `${b.type.name} needs a size: ${b.type.name}[N]`, 'syntax');
        const n = constInt(cx, b.size, 'the input size', 1);
        if (item?.kind === 'input' && item.node === b) {
          item.size = n;
          item.sym.detail = `input ${b.name!.name} = ${b.type.name}[${n ?? '?'}]`;
        }
      } else if (b.size) cx.err(b.size, `${b.type.name} has no size; it drives the variable named by target:`, 'syntax');
      const vals = checkProps(cx, b.props, spec.schema, where, anchor);
      if (b.type.name === 'spike_array') {
        const times = vals.get('times')?.ty.list;
        const idx = vals.get('indices')?.ty.list;
        const n = item?.kind === 'input' ? item.size : undefined;
        if (times && idx && times.length !== idx.length) cx.err(vals.get('indices')!.prop.value, `times has ${times.length} entries but indices has ${idx.length}; they pair up one to one`, 'size-mismatch');
        if (idx && n !== undefined) idx.forEach((x, k) => {
          if (x.value !== undefined && x.value >= n) cx.err((vals.get('indices')!.prop.value as A.ListLit).items[k], `index ${x.value} is outside ${b.name?.name} (size ${n})`, 'out-of-range');
        });
        times?.forEach((x, k) => {
          if (x.value !== undefined && x.value < 0) cx.err((vals.get('times')!.prop.value as A.ListLit).items[k], 'spike times must not be negative', 'out-of-range');
        });
      }
      if (b.type.name === 'current_step') checkCurrentStep(cx, vals);
      if (b.type.name === 'poisson') {
        const r = vals.get('rate');
        const d = r?.ty.dist;
        // the largest rate a source may get: the constant, or the distribution's upper end
        const hi = r?.ty.value ?? (d?.dist === 'uniform' ? d.args[1] : d?.dist === 'normal' ? d.args[0] + 3 * d.args[1] : undefined);
        if (r && hi !== undefined && !cx.deferred.rates.some((x) => x.expr === r.prop.value)) cx.deferred.rates.push({ expr: r.prop.value, value: hi });
      }
      const increasing = (key: string, what: string) => {
        const e = vals.get(key)?.prop.value;
        const l = vals.get(key)?.ty.list;
        if (!l || e?.kind !== 'list') return;
        for (let k = 1; k < l.length; k++) {
          if (l[k].value !== undefined && l[k - 1].value !== undefined && l[k].value! < l[k - 1].value!) {
            cx.err(e.items[k], `${what} must be in increasing order`, 'out-of-range');
            return;
          }
        }
      };
      if (b.type.name === 'current_step') increasing('times', 'the step times');
      const start = vals.get('start')?.ty.value;
      const stop = vals.get('stop')?.ty.value;
      if (start !== undefined && stop !== undefined && stop <= start) cx.err(vals.get('stop')!.prop.value, 'stop must come after start', 'out-of-range');
      const period = vals.get('period')?.ty.value;
      const times = vals.get('times');
      if (period !== undefined && times?.ty.list && times.prop.value.kind === 'list') {
        times.ty.list.forEach((x, k) => {
          if (x.value !== undefined && x.value >= period) cx.err((times.prop.value as A.ListLit).items[k], `spike time ${formatQuantity(x.value, TIME)} is not inside the period (${formatQuantity(period, TIME)})`, 'out-of-range');
        });
      }
      return;
    }
    case 'readout': {
      if (!b.type) return;
      const spec = READOUT_KINDS[b.type.name];
      if (!spec) {
        cx.err(b.type, `unknown readout kind '${b.type.name}'; use ${Object.keys(READOUT_KINDS).join(', ')}`, 'unknown-name');
        return;
      }
      checkProps(cx, b.props, spec.schema, where, anchor);
      return;
    }
    case 'target': {
      if (!b.type) return;
      const spec = TARGET_KINDS[b.type.name];
      if (!spec) {
        const guess = closest(b.type.name, Object.keys(TARGET_KINDS));
        cx.err(b.type, `unknown hardware target '${b.type.name}'; use ${Object.keys(TARGET_KINDS).join(', ')}${guess ? ` (did you mean '${guess}'?)` : ''}`, 'unknown-name');
        return;
      }
      checkProps(cx, b.props, spec.schema, where, anchor);
      return;
    }
    case 'concept':
      checkProps(cx, b.props, CONCEPT, where, anchor);
      return;
    case 'task': {
      checkProps(cx, b.props, TASK, where, anchor);
      const seen: [number, number][] = [];
      for (const w of b.windows) {
        const t = cx.ex.check(w.range, cx.constEnv('a constant'));
        if (w.range.kind !== 'range') cx.err(w.range, 'a window is a time range: window 0 ms .. 200 ms: "label"', 'bad-value');
        else {
          cx.ex.expectDim(w.range.from, t.range![0], TIME, 'the window start');
          cx.ex.expectDim(w.range.to, t.range![1], TIME, 'the window end');
          const [a, z] = t.range!;
          if (a.value !== undefined && z.value !== undefined) {
            if (z.value <= a.value) cx.err(w.range, 'a window must end after it starts', 'out-of-range');
            const clash = seen.find((q) => a.value! < q[1] && q[0] < z.value!);
            if (clash) cx.warn(w.range, `this window overlaps the window ${formatQuantity(clash[0], TIME)} .. ${formatQuantity(clash[1], TIME)}`, 'overlap');
            seen.push([a.value, z.value]);
            cx.deferred.windows.push({ expr: w.range, end: z.value });
          }
        }
        checkWindowLabels(cx, w);
      }
      if (b.windows.length === 0) cx.warn(anchor, `task ${b.name?.name ?? ''} has no windows (window 0 ms .. 100 ms: "label")`, 'empty');
      return;
    }
  }
}

/** A task window's labels: each a string, name or number, or `feature = value`; a feature named once per window. */
function checkWindowLabels(cx: Checker, w: A.TaskWindow): void {
  const keys = new Map<string, A.Ident>();
  const plain = new Set<string>();
  for (const l of w.labels) {
    const v = l.value;
    if (v.kind !== 'string' && v.kind !== 'name' && v.kind !== 'number') {
      cx.err(v, l.key ? `the value of ${l.key.name} is a string, a name or a number: ${l.key.name} = "left"` : 'a window label is a string, a name or a number (or feature = value)', 'bad-value');
      continue;
    }
    if (l.key) {
      if (keys.has(l.key.name)) cx.err(l.key, `${l.key.name} is already given for this window: one value per feature`, 'duplicate');
      keys.set(l.key.name, l.key);
    } else {
      const text = v.kind === 'string' ? v.value : v.kind === 'name' ? v.name : String(v.value);
      if (plain.has(text)) cx.warn(v, `the label ${text} is given twice for this window`, 'duplicate');
      if (text.includes('=')) cx.err(v, `a label cannot contain '=': write it as a feature, ${text.split('=')[0].trim()} = ${JSON.stringify(text.split('=').slice(1).join('=').trim())}`, 'bad-value');
      plain.add(text);
    }
  }
}

export function checkCurrentStep(cx: Checker, vals: Map<string, { prop: A.Property; ty: Ty }>): void {
  const tp = vals.get('target');
  const times = vals.get('times');
  const values = vals.get('values');
  let dim: Dim | null = null;
  if (tp) {
    // exc.I_e or exc[0..9].I_e
    const e = tp.prop.value;
    if (e.kind !== 'member') cx.err(e, 'target must be population.variable, e.g. exc.I_e or exc[0..9].I_e', 'bad-value');
    else {
      const obj = e.object;
      const sel: A.Selector | undefined =
        obj.kind === 'name' ? { name: { name: obj.name, start: obj.start, end: obj.end }, start: obj.start, end: obj.end }
        : obj.kind === 'index' && obj.object.kind === 'name' ? { name: { name: obj.object.name, start: obj.object.start, end: obj.object.end }, range: obj.index, start: obj.start, end: obj.end }
        : undefined;
      if (!sel) cx.err(obj, 'expected a population or a slice such as exc[0..9]', 'bad-value');
      else {
        const r = checkSelector(cx, sel, ['population'], 'population');
        const m = r.item?.kind === 'population' ? r.item.model : undefined;
        const v = m?.vars.get(e.member.name);
        if (m && (!v || v.kind !== 'state')) {
          const guess = closest(e.member.name, [...m.vars.values()].filter((x) => x.kind === 'state').map((x) => x.sym.name));
          cx.err(e.member, `${m.def.name.name} has no state variable '${e.member.name}'${guess ? ` (did you mean '${guess}'?)` : ''}`, 'unknown-name');
        } else if (v) {
          cx.ref(e.member, v.sym);
          dim = v.dim;
          cx.deferred.drives.push({ expr: e, pop: sel.name.name, variable: e.member.name, kind: 'current_step', item: 'the current_step input' });
        }
      }
    }
  }
  if (values && dim) {
    const list = values.prop.value;
    if (list.kind === 'list') values.ty.list?.forEach((x, k) => cx.ex.expectDim(list.items[k], x, dim!, `each value (the unit of ${exprText(tp!.prop.value)})`));
  }
  if (times?.ty.list && values?.ty.list && times.ty.list.length !== values.ty.list.length) {
    cx.err(values.prop.value, `times has ${times.ty.list.length} entries but values has ${values.ty.list.length}`, 'size-mismatch');
  }
}


export function checkSimulate(cx: Checker, s: A.BlockDef): void {
  const vals = checkProps(cx, s.props, SIMULATE, 'simulate', s.keyword);
  cx.simulate = {
    dt: vals.get('dt')?.ty.value,
    duration: vals.get('duration')?.ty.value,
    seed: vals.get('seed')?.ty.value,
    backend: vals.get('backend')?.ty.str,
    threads: vals.get('threads')?.ty.value,
  };
  const { dt, duration } = cx.simulate;
  if (dt !== undefined && duration !== undefined && duration < dt) cx.err(vals.get('duration')!.prop.value, `duration (${formatQuantity(duration, TIME)}) is shorter than one time step (${formatQuantity(dt, TIME)})`, 'out-of-range');
  if (dt !== undefined && duration !== undefined && duration / dt > 2e9) cx.err(vals.get('duration')!.prop.value, `${(duration / dt).toExponential(2)} steps is too many; use a larger dt or a shorter duration`, 'out-of-range');
  cx.simProp = vals;
}
