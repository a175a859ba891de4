// Helpers shared by the checks, the features and the lowering: walking expressions, wording.
import type * as A from '../ast';
import { TIME, sameDim } from '../units';
import type { Dim } from '../units';
import type { ModelInfo } from '../analysis';

/** More diagnostics than this: the first ones are kept and one line says how many more. */
export const MAX_DIAGNOSTICS = 500;
export const noLookup = (): undefined => undefined;
export const noNames = (): string[] => [];

export const KIND_WORDS: Record<string, string> = {
  population: 'population', input: 'input', connection: 'connection', readout: 'readout', task: 'task', concept: 'concept', target: 'target',
};

// ---- helpers -----------------------------------------------------------------------------------

export function fmtCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(n >= 1e10 ? 0 : 1)} billion`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)} million`;
  return Math.round(n).toLocaleString('en-US');
}

/** The engine's byte format, so the editor's figures read as its refusals do. */
export { fmtBytes } from '../../../sim-host/src/core/estimate';

export function substWeight(d: Dim, w: Dim): Dim {
  const k = d[7];
  if (!k) return d;
  const out = d.map((x, i) => (i === 7 ? 0 : x + k * w[i])) as unknown as Dim;
  return out;
}

export function usesMember(def: A.ModelDef, object: string, bare = false): boolean {
  let found = false;
  const visit = (e: A.Expr) => {
    if (bare && e.kind === 'name' && e.name === object) found = true;
    if (!bare && e.kind === 'member' && e.object.kind === 'name' && e.object.name === object) found = true;
  };
  for (const stmts of [def.onPre, def.onPost, def.summed]) for (const s of stmts ?? []) {
    walk(s.target, visit);
    walk(s.value, visit);
  }
  for (const eq of def.equations) walk(eq.rhs, visit);
  return found;
}

/** The layout of a population, with its constants evaluated by `num`. */
export function layoutOf(p: A.PopulationDef, num: (e: A.Expr) => number | undefined): { kind: 'ring' | 'line' | 'grid'; rows?: number; cols?: number; spacing?: number } | undefined {
  const e = p.props.find((q) => q.key.name === 'layout')?.value;
  const sp = p.props.find((q) => q.key.name === 'spacing')?.value;
  const spacing = sp ? num(sp) : undefined;
  if (!e) return undefined;
  if (e.kind === 'name' && (e.name === 'ring' || e.name === 'line' || e.name === 'grid')) return { kind: e.name, spacing };
  if (e.kind === 'call' && e.callee.name === 'grid') {
    const arg = (n: string, k: number) => {
      const a = e.args.find((x) => x.name?.name === n) ?? e.args.filter((x) => !x.name)[k];
      return a ? num(a.value) : undefined;
    };
    return { kind: 'grid', rows: arg('rows', 0), cols: arg('cols', 1), spacing };
  }
  return undefined;
}

/** The white-noise references (`xi`) in an expression, in source order. */
export function noiseRefs(e: A.Expr | undefined): A.NameRef[] {
  const out: A.NameRef[] = [];
  if (e) walk(e, (x) => void (x.kind === 'name' && x.name === 'xi' && out.push(x)));
  return out.sort((a, b) => a.start - b.start);
}

export function walk(e: A.Expr, f: (e: A.Expr) => void): void {
  const stack: A.Expr[] = [e];
  while (stack.length) {
    const x = stack.pop()!;
    f(x);
    switch (x.kind) {
      case 'binary':
        stack.push(x.left, x.right);
        break;
      case 'unary':
        stack.push(x.operand);
        break;
      case 'call':
        for (const a of x.args) stack.push(a.value);
        break;
      case 'member':
        stack.push(x.object);
        break;
      case 'index':
        stack.push(x.object, x.index);
        break;
      case 'list':
        stack.push(...x.items);
        break;
      case 'range':
        stack.push(x.from, x.to);
        break;
    }
  }
}

/** Time constants: parameters of time dimension that divide a term of an ODE (x/tau). */
export function collectTimeConstants(rhs: A.Expr, info: ModelInfo): void {
  walk(rhs, (e) => {
    if (e.kind === 'binary' && e.op === '/' && e.right.kind === 'name') {
      const v = info.vars.get(e.right.name);
      if (v && v.kind === 'parameter' && v.dim && sameDim(v.dim, TIME) && v.value !== undefined && !info.timeConstants.some((t) => t.name === v.sym.name)) {
        info.timeConstants.push({ name: v.sym.name, value: v.value });
      }
    }
  });
}

export function docOfDecl(file: A.SnnFile, d: A.Span): string | undefined {
  // A trailing `// comment` on the declaration's line documents it.
  const eol = file.text.indexOf('\n', d.end);
  const lineEnd = eol < 0 ? file.text.length : eol;
  for (const c of file.comments) {
    if (c.start >= d.end && c.start < lineEnd && !c.block) return c.text.trim() || undefined;
    if (c.start >= lineEnd) break;
  }
  return undefined;
}

export function exprText(e: A.Expr): string {
  switch (e.kind) {
    case 'name':
      return e.name;
    case 'member':
      return `${exprText(e.object)}.${e.member.name}`;
    case 'index':
      return `${exprText(e.object)}[…]`;
    default:
      return 'the expression';
  }
}

