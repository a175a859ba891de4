// Values read from a data file named by the model (LANGUAGE.md "Values from a file"):
//   tau_2 = from_file("data/elm.csv", column = "tau_2", unit = ms)
// in a population (one value per neuron) or as a connection's weight/delay (one per synapse).
// The file is CSV: a header row naming the columns, then one row per value; blank lines and
// lines starting with '#' are skipped. Numbers in the file carry no unit: the model gives it.
// Pure functions: reading the file is the checker's context's job, errors come back as data.
import type * as A from './ast';
import { DIMENSIONLESS, lookupUnit, mul, pow, type Dim } from './units';

/** The stable phrase of the diagnostic at a `from_file` path in an untrusted workspace. */
export const UNTRUSTED_DATA = 'data files are read once the workspace is trusted';

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

/** A header field that looks like a column name (messages list such names, never other text). */
const COLUMN_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,39}$/;

/** At most this many column names are listed in a message. */
const MAX_LISTED_COLUMNS = 12;

/** The column names of a header for a message, or why there are none (file text is never echoed). */
function describeHeader(header: string[]): string {
  if (header.length === 0 || !header.every((h) => COLUMN_NAME.test(h))) return 'the first row does not name columns (it must be a header row such as tau,w)';
  const listed = header.slice(0, MAX_LISTED_COLUMNS).map((h) => `'${h}'`).join(', ');
  return `columns: ${listed}${header.length > MAX_LISTED_COLUMNS ? `, … (${header.length - MAX_LISTED_COLUMNS} more)` : ''}`;
}

/** A column name from the model, for a message: short and without control characters. */
function named(name: string): string {
  const t = name.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '');
  return t.length > 40 ? `${t.slice(0, 40)}…` : t;
}

/**
 * A CSV text parsed once for any number of `from_file` reads: the lines split once, the header
 * found once, and each column's result kept (200 calls on one file parse it once).
 */
export class CsvTable {
  private lines?: string[];
  private header?: { fields: { text: string; col: number }[]; line: number } | null;
  private columns = new Map<string, ColumnResult>();

  constructor(readonly text: string) {}

  /** Column `name`: its numbers, or the first malformed place (file line and column). */
  column(name: string): ColumnResult {
    const hit = this.columns.get(name);
    if (hit) return hit;
    const r = this.read(name);
    this.columns.set(name, r);
    return r;
  }

  private splitLines(): string[] {
    this.lines ??= this.text.split(/\r\n|\n|\r/);
    return this.lines;
  }

  private findHeader(): { fields: { text: string; col: number }[]; line: number } | null {
    if (this.header !== undefined) return this.header;
    const lines = this.splitLines();
    this.header = null;
    for (let n = 0; n < lines.length; n++) {
      const t = lines[n].trim();
      if (t === '' || t.startsWith('#')) continue;
      this.header = { fields: fields(lines[n]), line: n };
      break;
    }
    return this.header;
  }

  private read(name: string): ColumnResult {
    const head = this.findHeader();
    if (!head) return { ok: false, line: 1, column: 1, message: 'the file is empty: expected a header row naming the columns, then one row per value' };
    const header = head.fields.map((f) => f.text);
    const at = header.indexOf(name);
    if (at < 0) {
      const numeric = head.fields.some((f) => NUMBER.test(f.text));
      const hint = numeric ? ' (the first row must name the columns)' : '';
      return { ok: false, line: head.line + 1, column: 1, message: `no column '${named(name)}' in the header row${hint}; ${describeHeader(header)}` };
    }
    const lines = this.splitLines();
    const values: number[] = [];
    for (let n = head.line + 1; n < lines.length; n++) {
      const line = lines[n];
      const t = line.trim();
      if (t === '' || t.startsWith('#')) continue;
      const fs = fields(line);
      if (fs.length !== header.length) {
        return { ok: false, line: n + 1, column: fs.length < header.length ? line.length + 1 : fs[header.length].col, message: `${fs.length} fields; the header names ${header.length}` };
      }
      const f = fs[at];
      if (!NUMBER.test(f.text)) return { ok: false, line: n + 1, column: f.col, message: `${f.text === '' ? 'an empty field' : 'this field'} is not a number (column '${named(name)}')` };
      const x = Number(f.text);
      if (!Number.isFinite(x)) return { ok: false, line: n + 1, column: f.col, message: `this number is too large (column '${named(name)}')` };
      values.push(x);
    }
    return { ok: true, values, columns: header };
  }
}

/**
 * Reads column `name` of a CSV text: a header row of names, then one number per row. The first
 * malformed place (unknown column, short row, a field that is not a number) is the error.
 * Messages name places and column names, never other text of the file.
 */
export function readColumn(text: string, name: string): ColumnResult {
  return new CsvTable(text).column(name);
}
