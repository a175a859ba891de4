// Values read from a data file named by the model (LANGUAGE.md "Values from a file"):
//   tau_2 = from_file("data/elm.csv", column = "tau_2", unit = ms)
// in a population (one value per neuron) or as a connection's weight/delay (one per synapse).
// The file is CSV: a header row naming the columns, then one row per value; blank lines and
// lines starting with '#' are skipped. Numbers in the file carry no unit: the model gives it.
// Pure functions: reading the file is the checker's context's job, errors come back as data.
import type * as A from './ast';
import { DIMENSIONLESS, lookupUnit, mul, pow, type Dim } from './units';

/** The function name of a file value. */
export const FILE_VALUE = 'from_file';

export function isFileValue(e: A.Expr): e is A.Call {
  return e.kind === 'call' && e.callee.name === FILE_VALUE;
}

export interface FileValueArgs {
  path?: A.StringLit;
  column?: A.StringLit;
  unit?: { node: A.Expr; dim: Dim; scale: number };
}

export interface ArgProblem {
  span: A.Span;
  message: string;
  code: string;
}

/** The arguments of `from_file(path, column = "name", unit = u)`; problems are returned, not thrown. */
export function fileValueArgs(call: A.Call): { args: FileValueArgs; problems: ArgProblem[] } {
  const args: FileValueArgs = {};
  const problems: ArgProblem[] = [];
  const usage = `${FILE_VALUE}("file.csv", column = "name", unit = ms)`;
  call.args.forEach((a, k) => {
    const key = a.name?.name;
    if (key === undefined) {
      if (k !== 0) problems.push({ span: a, message: `${FILE_VALUE} takes one path, then column = and unit = (${usage})`, code: 'bad-value' });
      else if (a.value.kind !== 'string') problems.push({ span: a.value, message: `the file of ${FILE_VALUE} must be a path in quotes (${usage})`, code: 'bad-value' });
      else args.path = a.value;
    } else if (key === 'column') {
      if (a.value.kind !== 'string') problems.push({ span: a.value, message: 'column must be a column name in quotes, e.g. column = "w_in"', code: 'bad-value' });
      else args.column = a.value;
    } else if (key === 'unit') {
      const u = unitOf(a.value);
      if ('bad' in u) problems.push({ span: u.bad, message: `unit must be a unit such as ms, pA or mV/ms (${u.why})`, code: 'bad-value' });
      else args.unit = { node: a.value, ...u };
    } else {
      problems.push({ span: a.name!, message: `${FILE_VALUE} has no argument '${key}' (it takes a path, column = "name" and unit = …)`, code: 'bad-value' });
    }
  });
  if (!args.path && !problems.length) problems.push({ span: call, message: `${FILE_VALUE} needs the file's path: ${usage}`, code: 'bad-value' });
  return { args, problems };
}

/**
 * A unit written as an expression (`ms`, `mV/ms`, `uS/cm^2`, `1`): its dimension and the factor
 * to SI. `bad` is the part that is not a unit.
 */
export function unitOf(e: A.Expr, depth = 0): { dim: Dim; scale: number } | { bad: A.Span; why: string } {
  if (depth > 20) return { bad: e, why: 'too deeply nested' };
  switch (e.kind) {
    case 'name': {
      const u = lookupUnit(e.name);
      return u ? { dim: u.dim, scale: u.scale } : { bad: e, why: `'${e.name}' is not a unit` };
    }
    case 'number':
      if (e.value === 1 && !e.unit) return { dim: DIMENSIONLESS, scale: 1 };
      return { bad: e, why: 'a number here must be 1 (dimensionless)' };
    case 'binary': {
      if (e.op === '^') {
        const b = unitOf(e.left, depth + 1);
        if ('bad' in b) return b;
        const p = e.right.kind === 'number' ? e.right.value : e.right.kind === 'unary' && e.right.op === '-' && e.right.operand.kind === 'number' ? -e.right.operand.value : NaN;
        if (!Number.isInteger(p)) return { bad: e.right, why: 'the power must be a whole number' };
        return { dim: pow(b.dim, p), scale: b.scale ** p };
      }
      if (e.op !== '*' && e.op !== '/') return { bad: e, why: `'${e.op}' does not combine units` };
      const l = unitOf(e.left, depth + 1);
      if ('bad' in l) return l;
      const r = unitOf(e.right, depth + 1);
      if ('bad' in r) return r;
      return e.op === '*' ? { dim: mul(l.dim, r.dim), scale: l.scale * r.scale } : { dim: mul(l.dim, pow(r.dim, -1)), scale: l.scale / r.scale };
    }
    default:
      return { bad: e, why: 'expected a unit symbol' };
  }
}

export type ColumnResult =
  | { ok: true; values: number[]; columns: string[] }
  /** `line` and `column` are 1-based places in the data file. */
  | { ok: false; line: number; column: number; message: string };

/** Splits one CSV line at commas: each field's text (trimmed) and 1-based start column. */
function fields(line: string): { text: string; col: number }[] {
  const out: { text: string; col: number }[] = [];
  let start = 0;
  for (let k = 0; k <= line.length; k++) {
    if (k === line.length || line[k] === ',') {
      const raw = line.slice(start, k);
      const lead = raw.length - raw.trimStart().length;
      out.push({ text: raw.trim(), col: start + lead + 1 });
      start = k + 1;
    }
  }
  return out;
}

/** A plain decimal number (no units, no hex, no Infinity/NaN). */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Reads column `name` of a CSV text: a header row of names, then one number per row. The first
 * malformed place (unknown column, short row, a field that is not a number) is the error.
 */
export function readColumn(text: string, name: string): ColumnResult {
  const lines = text.split(/\r\n|\n|\r/);
  let header: string[] | undefined;
  let at = -1;
  const values: number[] = [];
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n];
    const t = line.trim();
    if (t === '' || t.startsWith('#')) continue;
    const fs = fields(line);
    if (!header) {
      header = fs.map((f) => f.text);
      at = header.indexOf(name);
      if (at < 0) {
        const bad = fs.find((f) => NUMBER.test(f.text));
        const hint = bad ? ' (the first row must name the columns)' : '';
        return { ok: false, line: n + 1, column: 1, message: `no column '${name}' in the header row${hint}; columns: ${header.map((h) => `'${h}'`).join(', ')}` };
      }
      continue;
    }
    if (fs.length !== header.length) {
      return { ok: false, line: n + 1, column: fs.length < header.length ? line.length + 1 : fs[header.length].col, message: `${fs.length} fields; the header names ${header.length}` };
    }
    const f = fs[at];
    if (!NUMBER.test(f.text)) return { ok: false, line: n + 1, column: f.col, message: `${f.text === '' ? 'an empty field' : `'${f.text.length > 24 ? `${f.text.slice(0, 24)}…` : f.text}'`} is not a number (column '${name}')` };
    const x = Number(f.text);
    if (!Number.isFinite(x)) return { ok: false, line: n + 1, column: f.col, message: `'${f.text}' is too large for a number (column '${name}')` };
    values.push(x);
  }
  if (!header) return { ok: false, line: 1, column: 1, message: 'the file is empty: expected a header row naming the columns, then one row per value' };
  return { ok: true, values, columns: header };
}
