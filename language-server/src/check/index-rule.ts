// Connection rules as a condition on indices: `rule: where(j == (i + 1) % N_post, p = 0.5)`
// (Brian2's `S.connect(condition='j == (i + 1) % N_post', p=0.5)`). The condition is typed
// here (a condition on i, j, N_pre, N_post, constants and pure functions: no state, no
// randomness), bounded (every pair is tested: sim-host/src/core/index-rule.ts) and written as
// the IR's `where` rule, which lowering writes the same way (conditionIR).
import type * as A from '../ast';
import type { Env } from '../expressions';
import { literalValue } from '../expressions';
import type { ExprIR, RuleIR } from '../../../protocol/ir';
import { CONSTANTS } from '../schema';
import { DIMENSIONLESS } from '../units';
import { MAX_CONDITION_PAIRS } from '../../../sim-host/src/core/estimate';
import type { Checker } from './context';

const BIN: Partial<Record<A.BinaryOp, Exclude<ExprIR['op'], 'const' | 'param' | 'state' | 'alias' | 'builtin' | 'weight' | 'target' | 'pre' | 'post' | 'mod' | 'neg' | 'not' | 'call'>>> = {
  '+': 'add', '-': 'sub', '*': 'mul', '/': 'div', '%': 'remainder', '^': 'pow', '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge', '==': 'eq', '!=': 'ne', and: 'and', or: 'or',
};

/** The names a condition may read, all dimensionless. */
export const CONDITION_NAMES: Record<string, string> = {
  i: 'the presynaptic index (0 … N_pre − 1, within the connection\'s source)',
  j: 'the postsynaptic index (0 … N_post − 1, within the connection\'s target)',
  N_pre: 'the number of source neurons',
  N_post: 'the number of target neurons',
};

/**
 * A checked condition as the IR writes it (the checker, for the size estimate, and lowering
 * alike). Only what checkWhereRule lets through reaches here; anything else is undefined.
 */
export function conditionIR(e: A.Expr): ExprIR | undefined {
  switch (e.kind) {
    case 'number': {
      const v = literalValue(e);
      return v === undefined ? undefined : { op: 'const', value: v };
    }
    case 'bool':
      return { op: 'const', value: e.value ? 1 : 0 };
    case 'name':
      if (e.name === 'i' || e.name === 'j' || e.name === 'N_pre' || e.name === 'N_post') return { op: 'builtin', name: e.name };
      if (Object.hasOwn(CONSTANTS, e.name)) return { op: 'const', value: CONSTANTS[e.name].value };
      return undefined;
    case 'unary': {
      const a = conditionIR(e.operand);
      if (!a) return undefined;
      return e.op === '+' ? a : { op: e.op === '-' ? 'neg' : 'not', args: [a] };
    }
    case 'binary': {
      const op = BIN[e.op];
      const a = conditionIR(e.left);
      const b = conditionIR(e.right);
      return op && a && b ? { op, args: [a, b] } : undefined;
    }
    case 'call': {
      const args = e.args.map((x) => conditionIR(x.value));
      return args.every((x): x is ExprIR => !!x) ? { op: 'call', fn: e.callee.name, args } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * `where(condition, p = …)`: one source and one target selector, a condition (a comparison or
 * logic of them) on i, j, N_pre and N_post, an optional constant probability, and at most
 * MAX_CONDITION_PAIRS pairs to test.
 */
export function checkWhereRule(cx: Checker, e: A.Expr, c: A.ConnectDef, srcs: { count?: number }[], tgts: { count?: number }[]): RuleIR | undefined {
  if (e.kind !== 'call' || !e.args.length || e.args[0].name) {
    cx.err(e, 'where() needs a condition on the indices first, e.g. where(j == (i + 1) % N_post)', 'bad-arguments');
    return undefined;
  }
  const [cond, ...rest] = e.args;
  let p: number | undefined;
  let ok = true;
  for (const a of rest) {
    if (a.name?.name !== 'p') {
      cx.err(a, 'where() takes a condition and p (the probability of each pair that meets it), e.g. where(abs(i - j) < 3, p = 0.5)', 'bad-arguments');
      ok = false;
      continue;
    }
    const t = cx.ex.check(a.value, cx.constEnv('a constant'));
    cx.ex.expectDim(a.value, t, DIMENSIONLESS, 'p of where()');
    if (t.value === undefined) {
      if (t.dim !== null) cx.err(a.value, 'p must be a constant (a probability in [0, 1])', 'not-constant');
      ok = false;
    } else if (t.value < 0 || t.value > 1) {
      cx.err(a.value, `p is a probability and must be in [0, 1], got ${t.value}`, 'out-of-range');
      ok = false;
    } else p = t.value;
  }
  if (c.sources.length !== 1 || c.targets.length !== 1) {
    cx.err(e.callee, 'where() numbers the pairs of one source and one target (i and j): connect one source to one target per connection', 'bad-value');
    ok = false;
  }
  const ns = srcs.length === 1 ? srcs[0].count : undefined;
  const nt = tgts.length === 1 ? tgts[0].count : undefined;
  const env: Env = {
    context: 'i, j, N_pre or N_post (a condition reads the indices of the pair and the sizes only)',
    lookup: (name) => {
      if (name === 'i' || name === 'j') return { dim: DIMENSIONLESS };
      if (name === 'N_pre') return { dim: DIMENSIONLESS, value: ns };
      if (name === 'N_post') return { dim: DIMENSIONLESS, value: nt };
      return undefined;
    },
    names: () => Object.keys(CONDITION_NAMES),
    allowRemainder: true,
  };
  const t = cx.ex.check(cond.value, env);
  if (t.dim !== null && !t.bool) {
    cx.err(cond.value, 'the condition must be true or false for each pair: a comparison such as j == (i + 1) % N_post or abs(i - j) < 3', 'not-boolean');
    ok = false;
  }
  if (ns !== undefined && nt !== undefined && ns * nt > MAX_CONDITION_PAIRS) {
    cx.err(e, `where() tests its condition on every pair: ${ns} × ${nt} = ${(ns * nt).toExponential(2)} pairs, more than the ${MAX_CONDITION_PAIRS.toExponential(0)} a build may test; connect slices or use a rule that draws only its synapses (one_to_one, random, fixed_indegree)`, 'out-of-range');
    ok = false;
  }
  const condition = conditionIR(cond.value);
  if (!ok || !condition) return undefined;
  return { kind: 'where', condition, ...(p !== undefined && p !== 1 ? { p } : {}) };
}
