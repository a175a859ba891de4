// The checker: names, dimensions, value ranges, sizes. Produces the diagnostics of one file and
// the semantic information (symbols, references, types) the LSP features and the lowering use.
// This module is the API (analyze, FileAnalysis and the types it holds); the checks themselves are
// in check/ (run.ts: the phases; one module per concern).
import type * as A from './ast';
import type { CheckMemo } from './check/memo';
import { runChecks } from './check/run';

export type { VarInfo, ModelInfo, Estimate, FileAnalysis, NetItem, CheckContext } from './analysis';
import type { CheckContext, FileAnalysis } from './analysis';

// ---- entry -------------------------------------------------------------------------------

/**
 * One file's analysis. `memo` (optional): the memo of this file's previous check, updated in
 * place to this check's; what an edit did not touch is taken over from it (check/memo.ts).
 */
export function analyze(uri: string, file: A.SnnFile, ctx: CheckContext, isPrelude = false, memo?: CheckMemo): FileAnalysis {
  if (!memo) return runChecks(uri, file, ctx, isPrelude);
  const next: CheckMemo = { items: new Map() };
  const a = runChecks(uri, file, ctx, isPrelude, { ...memo }, next);
  Object.assign(memo, next);
  return a;
}

export type { CheckMemo } from './check/memo';

export { exprText, fmtBytes, fmtCount, layoutOf, noiseRefs, walk } from './check/util';
