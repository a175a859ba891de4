// Evaluating IR expressions in JavaScript: used once per neuron at set-up (initial values that
// depend on parameters), never in the simulation loop (that is compiled to WASM).
import { MATH_FUNCTIONS } from '../../../protocol/functions';
import type { ExprIR } from '../../../protocol/ir';

export interface EvalEnv {
  param(name: string): number;
  state(name: string): number;
  alias?(name: string): number;
  builtin(name: 't' | 'dt' | 'i' | 'N' | 'j' | 'N_pre' | 'N_post'): number;
}

export function evalExpr(e: ExprIR, env: EvalEnv): number {
  switch (e.op) {
    case 'const':
      return e.value;
    case 'param':
      return env.param(e.name);
    case 'state':
      return env.state(e.name);
    case 'alias':
      return env.alias ? env.alias(e.name) : NaN;
    case 'builtin':
      return env.builtin(e.name);
    case 'neg':
      return -evalExpr(e.args[0], env);
    case 'not':
      return evalExpr(e.args[0], env) ? 0 : 1;
    case 'call': {
      const a = e.args.map((x) => evalExpr(x, env));
      return callFn(e.fn, a);
    }
    case 'weight':
    case 'target':
    case 'pre':
    case 'post':
    case 'mod':
      return NaN;
    default: {
      const [l, r] = [evalExpr(e.args[0], env), evalExpr(e.args[1], env)];
      switch (e.op) {
        case 'add': return l + r;
        case 'sub': return l - r;
        case 'mul': return l * r;
        case 'div': return l / r;
        case 'pow': return Math.pow(l, r);
        case 'remainder': return l - r * Math.floor(l / r);
        case 'lt': return l < r ? 1 : 0;
        case 'le': return l <= r ? 1 : 0;
        case 'gt': return l > r ? 1 : 0;
        case 'ge': return l >= r ? 1 : 0;
        case 'eq': return l === r ? 1 : 0;
        case 'ne': return l !== r ? 1 : 0;
        case 'and': return l && r ? 1 : 0;
        case 'or': return l || r ? 1 : 0;
      }
      return NaN;
    }
  }
}

export function callFn(fn: string, a: number[]): number {
  const f = MATH_FUNCTIONS[fn];
  return f ? f(...a) : NaN;
}
