// Finding what is under the cursor: the symbol referenced there, the item around it.
import type * as A from '../ast';
import type { FileAnalysis } from '../checker';
import type { Sym } from '../symbols';

export function symbolAt(a: FileAnalysis, offset: number): { span: A.Span; sym: Sym } | undefined {
  let best: { span: A.Span; sym: Sym } | undefined;
  for (const r of a.references) {
    if (r.span.start <= offset && offset <= r.span.end) {
      if (!best || r.span.end - r.span.start < best.span.end - best.span.start) best = r;
    }
  }
  return best;
}

export function sameSym(x: Sym, y: Sym): boolean {
  return x.uri === y.uri && x.span.start === y.span.start && x.name === y.name;
}

/** The top-level item whose extent contains `offset` (end inclusive, for typing at the end). */
export function itemAt(file: A.SnnFile, offset: number): A.Item | undefined {
  let found: A.Item | undefined;
  for (const it of file.items) {
    if (it.start <= offset && offset <= it.end) found = it;
    if (it.start > offset) break;
  }
  return found;
}
