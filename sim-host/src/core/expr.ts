// Evaluating IR expressions in JavaScript: used once per neuron at set-up (initial values that
// depend on parameters), never in the simulation loop (that is compiled to WASM).
import type { ExprIR } from '../../../protocol/ir';

export interface EvalEnv {
  param(name: string): number;
  state(name: string): number;
  alias?(name: string): number;
  builtin(name: 't' | 'dt' | 'i' | 'N'): number;
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
  switch (fn) {
    case 'exp': return Math.exp(a[0]);
    case 'log': return Math.log(a[0]);
    case 'sqrt': return Math.sqrt(a[0]);
    case 'abs': return Math.abs(a[0]);
    case 'sin': return Math.sin(a[0]);
    case 'cos': return Math.cos(a[0]);
    case 'tanh': return Math.tanh(a[0]);
    case 'sigmoid': return 1 / (1 + Math.exp(-a[0]));
    case 'relu': return Math.max(0, a[0]);
    case 'heaviside': return a[0] > 0 ? 1 : 0;
    case 'min': return Math.min(a[0], a[1]);
    case 'max': return Math.max(a[0], a[1]);
    case 'clip': return Math.min(Math.max(a[0], a[1]), a[2]);
    default: return NaN;
  }
}
