// One population's (or synapse's) expressions in f32 WGSL, constants as exact f32 bit patterns.
// Shared by the neuron kernels (wgsl.ts) and the plastic-synapse kernels (plastic.ts).
import type { ExprIR } from '../../../protocol/ir';
import { isConst } from '../core/ir-algebra';
import type { Plan, PopPlan } from '../core/plan';

export const bits = (x: number) => {
  const b = new Uint32Array(new Float32Array([x]).buffer)[0];
  return `bitcast<f32>(0x${b.toString(16)}u)`;
};

function fnName(e: ExprIR & { op: 'call' }): string {
  return e.fn;
}

/** One population's (or one synapse's) expressions in f32 WGSL. */
export class Expr {
  randSite = 0;
  /** `leaf` answers first for the leaves of another context (a synapse's weight, pre., post.). */
  constructor(private plan: Plan, private pop: PopPlan, private aliases: Map<string, ExprIR>, private leaf?: (e: ExprIR) => string | undefined) {}

  value(e: ExprIR, vals: Map<string, string>): string {
    const l = this.leaf?.(e);
    if (l !== undefined) return l;
    switch (e.op) {
      case 'const':
        return bits(e.value);
      case 'state':
        return vals.get(e.name) ?? bits(NaN);
      case 'param': {
        const p = this.pop.params.get(e.name);
        if (!p) return bits(NaN);
        return 'value' in p ? bits(p.value) : `ld(${p.offset >> 2}u + i)`;
      }
      case 'alias': {
        const a = this.aliases.get(e.name);
        return a ? this.value(a, vals) : bits(NaN);
      }
      case 'builtin':
        if (e.name === 't') return `(f32(t) * ${bits(this.plan.dt)})`;
        if (e.name === 'i') return 'f32(i)';
        return bits(e.name === 'dt' ? this.plan.dt : this.pop.size);
      case 'neg':
        return `(-${this.value(e.args[0], vals)})`;
      case 'add':
      case 'sub':
      case 'mul':
      case 'div': {
        const o = { add: '+', sub: '-', mul: '*', div: '/' }[e.op];
        // A product added to something goes through k() (see HELPERS): no FMA contraction.
        const arg = (x: ExprIR) => (e.op === 'add' || e.op === 'sub') && (x.op === 'mul' || x.op === 'neg' || x.op === 'pow') ? `k(${this.value(x, vals)})` : this.value(x, vals);
        if (e.op === 'div') return `dv(${arg(e.args[0])}, ${arg(e.args[1])})`;
        return `(${arg(e.args[0])} ${o} ${arg(e.args[1])})`;
      }
      case 'pow': {
        const ex = e.args[1];
        const x = this.value(e.args[0], vals);
        if (isConst(ex) && ex.value === 2) return `(${x} * ${x})`;
        if (isConst(ex) && ex.value === 3) return `((${x} * ${x}) * ${x})`;
        return `pow(${x}, ${this.value(ex, vals)})`;
      }
      case 'call':
        return this.call(e, vals);
      case 'lt': case 'le': case 'gt': case 'ge': case 'eq': case 'ne': case 'and': case 'or': case 'not':
        return `select(0f, 1f, ${this.cond(e, vals)})`;
    }
    return bits(NaN);
  }

  cond(e: ExprIR, vals: Map<string, string>): string {
    const cmp: Record<string, string> = { lt: '<', le: '<=', gt: '>', ge: '>=', eq: '==', ne: '!=' };
    if (e.op in cmp && 'args' in e) return `(${this.value(e.args[0], vals)} ${cmp[e.op]} ${this.value(e.args[1] as ExprIR, vals)})`;
    if ((e.op === 'and' || e.op === 'or') && 'args' in e) return `(${this.cond(e.args[0], vals)} ${e.op === 'and' ? '&' : '|'} ${this.cond(e.args[1] as ExprIR, vals)})`;
    if (e.op === 'not') return `(!${this.cond(e.args[0], vals)})`;
    return `(${this.value(e, vals)} != 0f)`;
  }

  private call(e: ExprIR & { op: 'call' }, vals: Map<string, string>): string {
    const a = e.args.map((x) => () => this.value(x, vals));
    switch (fnName(e)) {
      case 'exp': return `sw_exp(${a[0]()})`;
      case 'sqrt': return `sqrt(${a[0]()})`;
      case 'abs': return `abs(${a[0]()})`;
      case 'sigmoid': return `(1f / (1f + sw_exp((-${a[0]()}))))`;
      case 'relu': return `max(${a[0]()}, 0f)`;
      case 'heaviside': return `select(0f, 1f, ${a[0]()} > 0f)`;
      case 'min': return `min(${a[0]()}, ${a[1]()})`;
      case 'max': return `max(${a[0]()}, ${a[1]()})`;
      case 'clip': return `min(max(${a[0]()}, ${a[1]()}), ${a[2]()})`;
      case 'log': return `log(${a[0]()})`;
      case 'sin': return `sin(${a[0]()})`;
      case 'cos': return `cos(${a[0]()})`;
      case 'tanh': return `tanh(${a[0]()})`;
      case 'rand':
      case 'randn': {
        const site = this.randSite++;
        return `${e.fn === 'rand' ? 'sw_u01' : 'sw_normal'}(vec4<u32>(i, t, ${6 + 16 * site}u, ${this.pop.index}u))`;
      }
    }
    return bits(NaN);
  }
}
