// IR algebra shared by every backend's code generator: constant folding (homogeneous
// parameters, dt, N and constant arithmetic substituted) and the affine form rhs = a + b·x of an
// equation in its own variable (exponential Euler needs it). Pure functions over protocol/ir.ts.
import { MATH_FUNCTIONS } from '../../../protocol/functions';
import type { ExprIR } from '../../../protocol/ir';

type Folded = ExprIR;

export function isConst(e: ExprIR): e is { op: 'const'; value: number } {
  return e.op === 'const';
}
/** A constant expression. */
export const K = (value: number): ExprIR => ({ op: 'const', value });

/** Substitutes homogeneous parameters and dt, folds constant arithmetic. */
export function fold(e: ExprIR, consts: (name: string) => number | undefined, dt: number, n: number): Folded {
  switch (e.op) {
    case 'param': {
      const v = consts(e.name);
      return v === undefined ? e : K(v);
    }
    case 'builtin':
      return e.name === 'dt' ? K(dt) : e.name === 'N' ? K(n) : e;
    case 'neg': {
      const a = fold(e.args[0], consts, dt, n);
      return isConst(a) ? K(-a.value) : { op: 'neg', args: [a] };
    }
    case 'not': {
      const a = fold(e.args[0], consts, dt, n);
      return isConst(a) ? K(a.value ? 0 : 1) : { op: 'not', args: [a] };
    }
    case 'call': {
      const args = e.args.map((x) => fold(x, consts, dt, n));
      if (e.fn !== 'rand' && e.fn !== 'randn' && args.every(isConst)) {
        const v = constCall(e.fn, args.map((x) => (x as { value: number }).value));
        if (v !== undefined) return K(v);
      }
      return { op: 'call', fn: e.fn, args };
    }
    case 'const':
    case 'state':
    case 'alias':
    case 'weight':
    case 'target':
    case 'pre':
    case 'post':
    case 'mod':
      return e;
    default: {
      const a = fold(e.args[0], consts, dt, n);
      const b = fold(e.args[1], consts, dt, n);
      if (isConst(a) && isConst(b)) {
        const x = a.value;
        const y = b.value;
        const r = { add: x + y, sub: x - y, mul: x * y, div: x / y, remainder: x - y * Math.floor(x / y), pow: Math.pow(x, y), lt: +(x < y), le: +(x <= y), gt: +(x > y), ge: +(x >= y), eq: +(x === y), ne: +(x !== y), and: +(!!x && !!y), or: +(!!x || !!y) }[e.op];
        return K(r);
      }
      if (e.op === 'mul' && ((isConst(a) && a.value === 0) || (isConst(b) && b.value === 0))) return K(0);
      if (e.op === 'mul' && isConst(a) && a.value === 1) return b;
      if (e.op === 'mul' && isConst(b) && b.value === 1) return a;
      if ((e.op === 'add' || e.op === 'sub') && isConst(b) && b.value === 0) return a;
      if (e.op === 'add' && isConst(a) && a.value === 0) return b;
      if (e.op === 'div' && isConst(b) && b.value === 1) return a;
      return { op: e.op, args: [a, b] };
    }
  }
}

function constCall(fn: string, a: number[]): number | undefined {
  return MATH_FUNCTIONS[fn]?.(...a);
}

/**
 * rhs = a + b·x for an affine rhs (aliases expanded); undefined when not affine. With
 * `frozenCalls` (method exponential) a function call belongs to `a` whatever its arguments:
 * it is evaluated at the start of the step like the other variables.
 */
export function affine(e: ExprIR, x: string, aliases: Map<string, ExprIR>, frozenCalls = false, depth = 0): { a: ExprIR; b: ExprIR } | undefined {
  if (depth > 64) return undefined;
  const zero = K(0);
  const rec = (y: ExprIR) => affine(y, x, aliases, frozenCalls, depth + 1);
  const add = (p: ExprIR, q: ExprIR): ExprIR => (isConst(p) && p.value === 0 ? q : isConst(q) && q.value === 0 ? p : { op: 'add', args: [p, q] });
  const mul = (p: ExprIR, q: ExprIR): ExprIR => (isConst(p) && p.value === 0) || (isConst(q) && q.value === 0) ? zero : { op: 'mul', args: [p, q] };
  const noX = (y: { a: ExprIR; b: ExprIR }) => isConst(y.b) && y.b.value === 0;
  switch (e.op) {
    case 'state':
      return e.name === x ? { a: zero, b: K(1) } : { a: e, b: zero };
    case 'alias': {
      const def = aliases.get(e.name);
      if (!def) return { a: e, b: zero };
      const r = rec(def);
      return r && noX(r) ? { a: e, b: zero } : r;
    }
    case 'neg': {
      const r = rec(e.args[0]);
      return r && { a: { op: 'neg', args: [r.a] }, b: isConst(r.b) ? K(-r.b.value) : { op: 'neg', args: [r.b] } };
    }
    case 'add':
    case 'sub': {
      const p = rec(e.args[0]);
      const q = rec(e.args[1]);
      if (!p || !q) return undefined;
      if (e.op === 'add') return { a: add(p.a, q.a), b: add(p.b, q.b) };
      return { a: { op: 'sub', args: [p.a, q.a] }, b: noX(q) ? p.b : { op: 'sub', args: [p.b, q.b] } };
    }
    case 'mul': {
      const p = rec(e.args[0]);
      const q = rec(e.args[1]);
      if (!p || !q) return undefined;
      if (noX(p)) return { a: mul(p.a, q.a), b: mul(p.a, q.b) };
      if (noX(q)) return { a: mul(p.a, q.a), b: mul(p.b, q.a) };
      return undefined;
    }
    case 'div': {
      const p = rec(e.args[0]);
      const q = rec(e.args[1]);
      if (!p || !q || !noX(q)) return undefined;
      return { a: { op: 'div', args: [p.a, q.a] }, b: isConst(p.b) && p.b.value === 0 ? zero : { op: 'div', args: [p.b, q.a] } };
    }
    default: {
      // Anything else must not involve x at all (a call may, when calls are held).
      if (frozenCalls && e.op === 'call') return { a: e, b: zero };
      const r = mentions(e, x, aliases, 0) ? undefined : { a: e, b: zero };
      return r;
    }
  }
}

function mentions(e: ExprIR, x: string, aliases: Map<string, ExprIR>, depth: number): boolean {
  if (depth > 64) return true;
  if (e.op === 'state') return e.name === x;
  if (e.op === 'alias') {
    const d = aliases.get(e.name);
    return d ? mentions(d, x, aliases, depth + 1) : false;
  }
  if ('args' in e) return e.args.some((a) => mentions(a, x, aliases, depth + 1));
  return false;
}
