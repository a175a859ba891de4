// Checks shared by the item checks: property blocks against a schema, constant values, ranges,
// selectors and references to network items, values read from data files.
import type * as A from '../ast';
import { fileValueArgs, UNTRUSTED_DATA } from '../data-values';
import { closest } from '../parser';
import { quote } from '../../../protocol/plain-text';
import { DIMENSIONLESS, FREQUENCY, TIME, dimName, formatQuantity, isDimensionless, preferredUnit, sameDim } from '../units';
import { KIND_WORDS } from './util';
import type { Ty } from '../expressions';
import type { PropSpec, Schema } from '../schema';
import type { Dim } from '../units';
import type { NetItem } from '../analysis';
import type { Checker } from './context';

export function constInt(cx: Checker, e: A.Expr | undefined, what: string, min = 0): number | undefined {
  if (!e) return undefined;
  const t = cx.ex.check(e, cx.constEnv(what));
  if (t.dim && !isDimensionless(t.dim)) {
    cx.err(e, `${what} is a count and has no unit; this is ${dimName(t.dim)}`, 'unit-mismatch');
    return undefined;
  }
  if (t.value === undefined) {
    if (t.dim !== null || e.kind !== 'error') cx.err(e, `${what} must be a constant whole number`, 'not-constant');
    return undefined;
  }
  if (!Number.isInteger(t.value) || t.value < min) {
    cx.err(e, `${what} must be a whole number ≥ ${min}, got ${t.value}`, 'out-of-range');
    return undefined;
  }
  return t.value;
}


/** Range checks that follow from names: time constants and rates are not negative. */
export function checkValueRange(cx: Checker, e: A.Expr, t: Ty, name: string, dim: Dim | null | undefined): void {
  const lo = t.value ?? (t.dist?.dist === 'uniform' ? t.dist.args[0] : undefined);
  if (lo === undefined || !dim) return;
  if ((sameDim(dim, TIME) || sameDim(dim, FREQUENCY)) && lo < 0) {
    cx.err(e, `${name} is a ${sameDim(dim, TIME) ? 'time' : 'rate'} and must not be negative (got ${formatQuantity(lo, dim)})`, 'out-of-range');
  }
  if (/^tau/.test(name) && sameDim(dim, TIME) && lo === 0) cx.err(e, `time constant ${name} must be positive`, 'out-of-range');
}


export function resolveNet(cx: Checker, id: A.Ident, want: NetItem['kind'][], what: string): NetItem | undefined {
  const item = cx.network.get(id.name);
  if (!item || !want.includes(item.kind)) {
    const cands = [...cx.network.values()].filter((x) => want.includes(x.kind)).map((x) => x.sym.name);
    const guess = closest(id.name, cands);
    cx.err(id, item ? `'${id.name}' is a ${KIND_WORDS[item.kind]}, expected ${what}` : `unknown ${what} '${id.name}'${guess ? ` (did you mean '${guess}'?)` : ''}`, 'unknown-name',
      guess && !item ? [{ kind: 'replace', start: id.start, end: id.end, text: guess, title: `Change to '${guess}'` }] : undefined);
    return undefined;
  }
  cx.ref(id, item.sym);
  return item;
}


export function sizeOf(cx: Checker, item: NetItem | undefined): number | undefined {
  if (!item) return undefined;
  if (item.kind === 'population') return item.size;
  if (item.kind === 'input') return item.size;
  return undefined;
}


/** A selector `pop` or `pop[a..b]` / `pop[k]`: returns the number of neurons selected. */
export function checkSelector(cx: Checker, sel: A.Selector, want: NetItem['kind'][], what: string): { item?: NetItem; count?: number } {
  const item = resolveNet(cx, sel.name, want, what);
  const size = sizeOf(cx, item);
  if (!sel.range) return { item, count: size };
  const env = cx.constEnv('a constant index');
  const r = sel.range;
  if (r.kind === 'range') {
    const a = cx.ex.check(r.from, env);
    const b = cx.ex.check(r.to, env);
    if (a.value === undefined || b.value === undefined) return { item, count: undefined };
    if (!Number.isInteger(a.value) || !Number.isInteger(b.value) || a.value < 0 || b.value < a.value) {
      cx.err(r, 'a slice is a..b with whole numbers 0 ≤ a ≤ b (both ends included)', 'out-of-range');
      return { item };
    }
    if (size !== undefined && b.value >= size) cx.err(r, `index ${b.value} is outside ${sel.name.name} (size ${size}, indices 0..${size - 1})`, 'out-of-range');
    return { item, count: b.value - a.value + 1 };
  }
  const k = cx.ex.check(r, env);
  if (k.value === undefined || !Number.isInteger(k.value) || k.value < 0) {
    cx.err(r, 'an index is a constant whole number ≥ 0', 'out-of-range');
    return { item };
  }
  if (size !== undefined && k.value >= size) cx.err(r, `index ${k.value} is outside ${sel.name.name} (size ${size})`, 'out-of-range');
  return { item, count: 1 };
}


export function propMap(cx: Checker, props: A.Property[], schema: Schema, where: string): Map<string, A.Property> {
  const m = new Map<string, A.Property>();
  for (const p of props) {
    if (!schema[p.key.name]) {
      const guess = closest(p.key.name, Object.keys(schema));
      cx.err(p.key, `unknown property '${p.key.name}' in ${where}${guess ? ` (did you mean '${guess}'?)` : `; expected one of ${Object.keys(schema).join(', ')}`}`, 'unknown-property',
        guess ? [{ kind: 'replace', start: p.key.start, end: p.key.end, text: guess, title: `Change to '${guess}'` }] : undefined);
      continue;
    }
    if (m.has(p.key.name)) cx.err(p.key, `'${p.key.name}' is set twice`, 'duplicate');
    m.set(p.key.name, p);
  }
  return m;
}


/** Generic property checks against a schema; returns values of simple quantity properties. */
export function checkProps(cx: Checker, props: A.Property[], schema: Schema, where: string, anchor?: A.Span): Map<string, { prop: A.Property; ty: Ty }> {
  const m = propMap(cx, props, schema, where);
  const out = new Map<string, { prop: A.Property; ty: Ty }>();
  for (const [key, spec] of Object.entries(schema)) {
    const p = m.get(key);
    if (!p) {
      if (spec.required && anchor) cx.err(anchor, `${where} needs '${key}:'${spec.example ? ` (e.g. ${key}: ${spec.example})` : ''}`, 'missing-property');
      continue;
    }
    out.set(key, { prop: p, ty: checkValue(cx, p, spec, where) });
  }
  return out;
}


export function checkValue(cx: Checker, p: A.Property, spec: PropSpec, where: string): Ty {
  const v = spec.value;
  const e = p.value;
  const label = `${p.key.name} in ${where}`;
  switch (v.kind) {
    case 'quantity': {
      const t = cx.ex.check(e, cx.constEnv('a constant', v.dist));
      if (t.bool) {
        cx.err(e, `${label} must be a value, not a condition`, 'not-value');
        return t;
      }
      // A value in the wrong unit has one error, not also range errors about its SI number.
      const unitOk = cx.ex.expectDim(e, t, v.dim, p.key.name);
      const values = !unitOk ? [] : t.dist ? (t.dist.dist === 'uniform' ? [t.dist.args[0], t.dist.args[1]] : t.dist.dist === 'normal' ? [t.dist.args[0]] : []) : t.value !== undefined ? [t.value] : [];
      if (!t.dist && t.value === undefined && t.dim !== null && e.kind !== 'error') cx.err(e, `${p.key.name} must be a constant`, 'not-constant');
      for (const x of values) {
        if (v.min !== undefined && (x < v.min || (v.minExclusive && x === v.min))) {
          cx.err(e, `${p.key.name} must be ${v.minExclusive ? '>' : '≥'} ${formatQuantity(v.min, v.dim)}, got ${formatQuantity(x, v.dim)}`, 'out-of-range');
        }
        if (v.max !== undefined && x > v.max) cx.err(e, `${p.key.name} must be ≤ ${formatQuantity(v.max, v.dim)}, got ${formatQuantity(x, v.dim)}`, 'out-of-range');
        if (v.integer && !Number.isInteger(x)) cx.err(e, `${p.key.name} must be a whole number, got ${x}`, 'out-of-range');
      }
      return t;
    }
    case 'enum': {
      if (e.kind !== 'name' || !v.values.includes(e.name)) {
        const guess = e.kind === 'name' ? closest(e.name, v.values) : undefined;
        cx.err(e, `${p.key.name} must be one of ${v.values.join(', ')}${guess ? ` (did you mean '${guess}'?)` : ''}`, 'bad-value',
          guess ? [{ kind: 'replace', start: e.start, end: e.end, text: guess, title: `Change to '${guess}'` }] : undefined);
        return { dim: null };
      }
      return { dim: null, str: e.name };
    }
    case 'bool':
      if (e.kind !== 'bool') cx.err(e, `${p.key.name} must be true or false`, 'bad-value');
      return { dim: null, value: e.kind === 'bool' ? Number(e.value) : undefined };
    case 'string':
      if (e.kind !== 'string') cx.err(e, `${p.key.name} must be a string in quotes (e.g. ${spec.example ?? '"file.csv"'})`, 'bad-value');
      return { dim: null, str: e.kind === 'string' ? e.value : undefined };
    case 'ref': {
      if (v.many && e.kind === 'list') {
        for (const x of e.items) {
          if (x.kind !== 'name') cx.err(x, `${p.key.name} lists ${v.to} names`, 'bad-value');
          else resolveNet(cx, { name: x.name, start: x.start, end: x.end }, [v.to], `${v.to}`);
        }
        return { dim: null };
      }
      if (e.kind !== 'name') {
        cx.err(e, `${p.key.name} must name a ${v.to}`, 'bad-value');
        return { dim: null };
      }
      resolveNet(cx, { name: e.name, start: e.start, end: e.end }, [v.to], `${v.to}`);
      return { dim: null, str: e.name };
    }
    case 'timeRange': {
      const t = cx.ex.check(e, cx.constEnv('a constant'));
      if (e.kind !== 'range') cx.err(e, `${p.key.name} must be a time range such as 100 ms .. 200 ms`, 'bad-value');
      else {
        cx.ex.expectDim(e.from, t.range![0], TIME, 'the start of the range');
        cx.ex.expectDim(e.to, t.range![1], TIME, 'the end of the range');
        const [a, b] = t.range!;
        if (a.value !== undefined && b.value !== undefined && b.value <= a.value) cx.err(e, 'the end of a time range must come after its start', 'out-of-range');
      }
      return t;
    }
    case 'list': {
      if (e.kind !== 'list') {
        cx.err(e, `${p.key.name} must be a list [a, b, …]`, 'bad-value');
        return { dim: null };
      }
      const t = cx.ex.check(e, cx.constEnv('a constant'));
      const dim = v.dim === 'target' ? undefined : v.dim;
      t.list?.forEach((x, k) => {
        if (dim) cx.ex.expectDim(e.items[k], x, dim, `each element of ${p.key.name}`);
        if (v.integer && x.value !== undefined && (!Number.isInteger(x.value) || x.value < 0)) cx.err(e.items[k], `each element of ${p.key.name} must be a whole number ≥ 0`, 'out-of-range');
        if (x.value === undefined && x.dim !== null) cx.err(e.items[k], 'list elements must be constants', 'not-constant');
      });
      return t;
    }
    case 'layout': {
      const ok = (e.kind === 'name' && ['ring', 'line', 'grid'].includes(e.name)) || (e.kind === 'call' && e.callee.name === 'grid');
      if (!ok) cx.err(e, `layout must be ring, line or grid(rows = R, cols = C)`, 'bad-value');
      if (e.kind === 'call') {
        const names = e.args.map((a) => a.name?.name);
        for (const a of e.args) constInt(cx, a.value, `grid ${a.name?.name ?? 'size'}`, 1);
        if (!(names.includes('rows') && names.includes('cols')) && e.args.length !== 2) cx.err(e, 'grid needs rows and cols: grid(rows = 10, cols = 20)', 'bad-arguments');
      }
      return { dim: null };
    }
    default:
      return { dim: null }; // checked by the caller (connect-specific kinds)
  }
}


/**
 * `from_file("f.csv", column = "c", unit = u)`: reads the column through the context (path
 * relative to this file), checks the unit against `dim` and that every row is a number. The
 * values (SI) are kept for lowering. Problems in the data file name its line and column.
 */
export function checkFileValue(cx: Checker, call: A.Call, defaultColumn: string, dim: Dim | null | undefined, what: string): { values: number[]; file: string; column: string; dim: Dim } | undefined {
  const { args, problems } = fileValueArgs(call);
  for (const q of problems) cx.err(q.span, q.message, q.code);
  if (problems.length || !args.path) return undefined;
  const unit = args.unit;
  const unitText = unit ? cx.file.text.slice(unit.node.start, unit.node.end) : '';
  if (dim && !isDimensionless(dim) && !unit) {
    const pu = preferredUnit(dim);
    cx.err(call, `${what} is ${dimName(dim)}: say which unit the file's numbers are in${pu ? `, e.g. unit = ${pu.symbol}` : ''}`, 'missing-unit');
    return undefined;
  }
  if (dim && unit && !sameDim(dim, unit.dim)) {
    cx.err(unit.node, `unit mismatch: unit = ${unitText} is ${dimName(unit.dim)}, but ${what} is ${dimName(dim)}`, 'unit-mismatch');
    return undefined;
  }
  const column = args.column?.value ?? defaultColumn;
  const path = args.path.value;
  const read = cx.ctx.readData?.(cx.uri, path);
  if (!read || read.table === undefined) {
    cx.err(args.path, read?.error ?? `cannot read '${quote(path, 120)}': data files are not readable here`, read?.error?.includes(UNTRUSTED_DATA) ? 'untrusted' : 'missing-file');
    return undefined;
  }
  const col = read.table.column(column);
  if (!col.ok) {
    cx.err(col.message.startsWith('no column') && args.column ? args.column : args.path, `${path}:${col.line}:${col.column}: ${col.message}`, 'bad-data');
    return undefined;
  }
  const scale = unit?.scale ?? 1;
  const values = scale === 1 ? col.values : col.values.map((x) => x * scale);
  cx.fileValues.set(call, { file: path, values });
  return { values, file: path, column, dim: unit?.dim ?? DIMENSIONLESS };
}

