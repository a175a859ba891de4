// Per-neuron expressions in a population's assignments: `I_e = i * 10 pA`, `v = -70 mV + i * 0.1 mV`,
// `x = i / N`. The neuron index `i` (0 … N−1) and the population size `N` make such an expression
// one value per neuron. The checker and lowering evaluate it here for i = 0 … N−1, folding exactly
// as the checker folds a constant (float64 in SI units; the engine stores the values as float32, as
// it does constants and lists), and lowering hands the values on as the IR's per-neuron `list`.
// Random draws cannot depend on i or N (the checker refuses them); the number of neurons an
// expression is evaluated for is bounded (MAX_PER_NEURON_VALUES).
import { MATH_FUNCTIONS } from '../../protocol/functions';
import type * as A from './ast';
import { DISTRIBUTIONS } from './schema';
import { ExprChecker, type Env } from './expressions';

/** The most neurons a per-neuron expression is evaluated for (each value travels in the IR). */
export const MAX_PER_NEURON_VALUES = 1_000_000;

/** Whether `e` uses the neuron index `i` or the population size `N`. */
export function usesNeuronIndex(e: A.Expr): boolean {
  return findName(e, (n) => n === 'i' || n === 'N') !== undefined;
}

/** The first call of a distribution (normal(…), uniform(…) …) or of rand()/randn() inside `e`. */
export function randomCall(e: A.Expr): A.Call | undefined {
  let found: A.Call | undefined;
  visit(e, (x) => {
    if (!found && x.kind === 'call' && (DISTRIBUTIONS[x.callee.name] || x.callee.name === 'rand' || x.callee.name === 'randn')) found = x;
  });
  return found;
}

function findName(e: A.Expr, test: (name: string) => boolean): A.NameRef | undefined {
  let found: A.NameRef | undefined;
  visit(e, (x) => {
    if (!found && x.kind === 'name' && test(x.name)) found = x;
  });
  return found;
}

function visit(e: A.Expr, f: (e: A.Expr) => void): void {
  const stack: A.Expr[] = [e];
  while (stack.length) {
    const x = stack.pop()!;
    f(x);
    if (x.kind === 'binary') stack.push(x.left, x.right);
    else if (x.kind === 'unary') stack.push(x.operand);
    else if (x.kind === 'call') for (const a of x.args) stack.push(a.value);
    else if (x.kind === 'list') stack.push(...x.items);
    else if (x.kind === 'range') stack.push(x.from, x.to);
    else if (x.kind === 'index') stack.push(x.object, x.index);
  }
}

export type PerNeuron = { ok: true; values: number[] } | { ok: false; neuron: number };

/**
 * The value of `e` for each neuron i = 0 … size−1 (N = size), in SI units, folded as the checker
 * folds constants (expressions.ts): parts without i or N are folded by the checker once, the rest
 * is compiled to a function of (i, N) with the checker's operations, where a result that is not a
 * finite number stays not a number (as the checker drops it). `{ ok: false, neuron }`: the first
 * neuron whose value is not a finite number.
 */
export function perNeuronValues(e: A.Expr, size: number): PerNeuron {
  const f = compile(e, new ExprChecker({ diag: () => undefined, ref: () => undefined }));
  const values = new Array<number>(size);
  for (let k = 0; k < size; k++) {
    const v = f(k, size);
    if (!Number.isFinite(v)) return { ok: false, neuron: k };
    values[k] = v;
  }
  return { ok: true, values };
}

type Fn = (i: number, n: number) => number;

const CONST_ENV: Env = { context: 'a constant', allowDist: false, names: () => [], lookup: () => undefined };
const fin = (x: number) => (Number.isFinite(x) ? x : NaN);

function compile(e: A.Expr, ex: ExprChecker): Fn {
  if (!usesNeuronIndex(e)) {
    const v = ex.check(e, CONST_ENV).value;
    const c = v === undefined ? NaN : v;
    return () => c;
  }
  switch (e.kind) {
    case 'name':
      return e.name === 'i' ? (i) => i : (_, n) => n;
    case 'unary': {
      const a = compile(e.operand, ex);
      if (e.op === '+') return a;
      if (e.op === '-') return (i, n) => -a(i, n);
      return () => NaN;
    }
    case 'binary': {
      const a = compile(e.left, ex);
      const b = compile(e.right, ex);
      switch (e.op) {
        case '+': return (i, n) => fin(a(i, n) + b(i, n));
        case '-': return (i, n) => fin(a(i, n) - b(i, n));
        case '*': return (i, n) => fin(a(i, n) * b(i, n));
        case '/': return (i, n) => {
          const y = b(i, n);
          return y === 0 ? NaN : fin(a(i, n) / y);
        };
        case '^': return (i, n) => fin(Math.pow(a(i, n), b(i, n)));
        default: return () => NaN;
      }
    }
    case 'call': {
      const args = e.args.map((x) => compile(x.value, ex));
      const name = e.callee.name;
      const f = MATH_FUNCTIONS[name];
      if (!f) return () => NaN;
      return (i, n) => fin(f(...args.map((a) => a(i, n))));
    }
    default:
      return () => NaN;
  }
}
