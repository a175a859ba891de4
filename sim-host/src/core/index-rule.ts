// Connection rules written as a condition on indices, `where(j == (i + 1) % N_post, p = …)`
// (Brian2's `S.connect(condition=…, p=…)`): the condition compiled once to a function of the
// pair (i, j) and evaluated over every pair, in the plan (drawing) and in the estimate
// (counting). Pure, no imports beyond protocol/: the language server reaches it through
// estimate.ts.
import { MATH_FUNCTIONS } from '../../../protocol/functions';
import type { ExprIR, RuleIR } from '../../../protocol/ir';

/**
 * Most (source, target) pairs a `where` rule may test, in the build and again in the estimate
 * (the editor's and the engine's alike): about a second each at this bound.
 */
export const MAX_CONDITION_PAIRS = 1e8;

type PairFn = (i: number, j: number) => number;

/**
 * The condition of a `where` rule as a function of (i, j), with N_pre = ns and N_post = nt.
 * Only what the checker lets into a condition: constants, i, j, N_pre, N_post, arithmetic,
 * comparisons, logic and pure functions; anything else is NaN (false).
 */
export function compileCondition(e: ExprIR, ns: number, nt: number): PairFn {
  switch (e.op) {
    case 'const': {
      const v = e.value;
      return () => v;
    }
    case 'builtin':
      if (e.name === 'i') return (i) => i;
      if (e.name === 'j') return (_i, j) => j;
      if (e.name === 'N_pre') return () => ns;
      if (e.name === 'N_post') return () => nt;
      return () => NaN;
    case 'neg': {
      const a = compileCondition(e.args[0], ns, nt);
      return (i, j) => -a(i, j);
    }
    case 'not': {
      const a = compileCondition(e.args[0], ns, nt);
      return (i, j) => (a(i, j) ? 0 : 1);
    }
    case 'call': {
      const f = MATH_FUNCTIONS[e.fn];
      if (!f) return () => NaN;
      const args = e.args.map((x) => compileCondition(x, ns, nt));
      if (args.length === 1) {
        const a = args[0];
        return (i, j) => f(a(i, j));
      }
      return (i, j) => f(...args.map((a) => a(i, j)));
    }
    case 'add': case 'sub': case 'mul': case 'div': case 'remainder': case 'pow':
    case 'lt': case 'le': case 'gt': case 'ge': case 'eq': case 'ne': case 'and': case 'or': {
      const a = compileCondition(e.args[0], ns, nt);
      const b = compileCondition(e.args[1], ns, nt);
      switch (e.op) {
        case 'add': return (i, j) => a(i, j) + b(i, j);
        case 'sub': return (i, j) => a(i, j) - b(i, j);
        case 'mul': return (i, j) => a(i, j) * b(i, j);
        case 'div': return (i, j) => a(i, j) / b(i, j);
        case 'remainder': return (i, j) => {
          const x = a(i, j);
          const y = b(i, j);
          return x - y * Math.floor(x / y);
        };
        case 'pow': return (i, j) => Math.pow(a(i, j), b(i, j));
        case 'lt': return (i, j) => (a(i, j) < b(i, j) ? 1 : 0);
        case 'le': return (i, j) => (a(i, j) <= b(i, j) ? 1 : 0);
        case 'gt': return (i, j) => (a(i, j) > b(i, j) ? 1 : 0);
        case 'ge': return (i, j) => (a(i, j) >= b(i, j) ? 1 : 0);
        case 'eq': return (i, j) => (a(i, j) === b(i, j) ? 1 : 0);
        case 'ne': return (i, j) => (a(i, j) !== b(i, j) ? 1 : 0);
        case 'and': return (i, j) => (a(i, j) && b(i, j) ? 1 : 0);
        case 'or': return (i, j) => (a(i, j) || b(i, j) ? 1 : 0);
      }
      return () => NaN;
    }
    default:
      return () => NaN;
  }
}

/** A condition's value as a truth: nonzero and not NaN. */
export function holds(v: number): boolean {
  return v !== 0 && v === v;
}

const counted = new Map<string, number>();

/**
 * Pairs of ns sources × nt targets for which the condition of a `where` rule holds (before
 * its probability): counted exactly (the editor's estimate and the engine's are this same
 * figure). Above MAX_CONDITION_PAIRS it is ns·nt, an upper bound: such a run is refused anyway
 * (limits.ts). Counts are remembered per (condition, ns, nt).
 */
export function conditionPairs(rule: Extract<RuleIR, { kind: 'where' }>, ns: number, nt: number): number {
  if (!(ns > 0 && nt > 0)) return 0;
  if (ns * nt > MAX_CONDITION_PAIRS) return ns * nt;
  const key = `${ns} ${nt} ${JSON.stringify(rule.condition)}`;
  const hit = counted.get(key);
  if (hit !== undefined) return hit;
  const f = compileCondition(rule.condition, ns, nt);
  let n = 0;
  for (let i = 0; i < ns; i++) for (let j = 0; j < nt; j++) if (holds(f(i, j))) n++;
  if (counted.size >= 256) counted.delete(counted.keys().next().value!);
  counted.set(key, n);
  return n;
}
