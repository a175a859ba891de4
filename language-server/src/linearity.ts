// How an equation's right side depends on its own variable, from the syntax tree: the
// polynomial degree (exponential Euler, `method exact`, needs degree ≤ 1) and, for
// `method exponential`, the degree counting only occurrences outside function calls (those
// inside calls are held at the start of the step).
import type * as A from './ast';

/**
 * Polynomial degree of `e` in variable `x` (named expressions expanded); Infinity if nonlinear.
 * With `frozenCalls`, a function call counts as a constant whatever its arguments.
 */
export function degreeIn(e: A.Expr, x: string, aliases: A.Alias[], aliasNames: Set<string>, frozenCalls = false, depth = 0): number {
  if (depth > 50) return Infinity;
  const d = (y: A.Expr) => degreeIn(y, x, aliases, aliasNames, frozenCalls, depth + 1);
  switch (e.kind) {
    case 'name':
      if (e.name === x) return 1;
      if (aliasNames.has(e.name)) {
        const a = aliases.find((q) => q.name.name === e.name);
        return a ? d(a.rhs) : 0;
      }
      return 0;
    case 'unary':
      return d(e.operand);
    case 'binary':
      switch (e.op) {
        case '+':
        case '-':
          return Math.max(d(e.left), d(e.right));
        case '*':
          return d(e.left) + d(e.right);
        case '/':
          return d(e.right) === 0 ? d(e.left) : Infinity;
        case '^':
          return d(e.left) === 0 && d(e.right) === 0 ? 0 : Infinity;
        default:
          return d(e.left) === 0 && d(e.right) === 0 ? 0 : Infinity;
      }
    case 'call':
      return frozenCalls || e.args.every((a) => d(a.value) === 0) ? 0 : Infinity;
    default:
      return 0;
  }
}
