// An expression the checker typed, as the IR's ValueIR (constant, list, distribution, values read
// from a file): one function for lowering and for the checker's memory estimate, so both see the
// same delay (and weight) the engine will.
import type * as A from './ast';
import type { ValueIR } from '../../protocol/ir';
import type { Ty } from './expressions';

export interface TypedValues {
  /** The checker's type of `e` (its side table, or a fresh check where it typed no such part). */
  ty(e: A.Expr): Ty;
  /** The checker's types of whole expressions, if any (a list's item types). */
  types: ReadonlyMap<A.Expr, Ty>;
  /** Values read from a file for an expression (from_file(…)). */
  fileValues: ReadonlyMap<A.Expr, { file: string; values: number[] }>;
}

/** The numbers of a list literal, SI; [] for anything else. */
export function listValues(t: TypedValues, e: A.Expr | undefined): number[] {
  if (!e || e.kind !== 'list') return [];
  const checked = t.types.get(e)?.list;
  return e.items.map((x, k) => (checked?.[k] ?? t.ty(x)).value ?? 0);
}

/** `e` as a ValueIR: a list, values from a file, a distribution, or a constant (0 if unknown). */
export function valueIR(t: TypedValues, e: A.Expr): ValueIR {
  if (e.kind === 'list') return { kind: 'list', values: listValues(t, e) };
  const fromFile = t.fileValues.get(e);
  if (fromFile) return { kind: 'list', values: fromFile.values, file: fromFile.file };
  const ty = t.ty(e);
  if (ty.dist) return { kind: 'dist', dist: ty.dist.dist, args: ty.dist.args };
  return { kind: 'const', value: ty.value ?? 0 };
}
