// A LIF-shaped population's model evaluated with its (homogeneous) parameters, for the hardware
// conversions (loihi2, spinnaker2, sfq): its shape (lif-shape.ts), the threshold θ and reset V_r,
// any expression of it at given state values, dV/dt per neuron at given V and S. Parameters that
// differ between neurons are refused. A conversion that comes out NaN or ±∞ is refused at the
// population and at the parameter behind it (nonFinite).
import type { ExprIR, ModelDefIR } from '../../../protocol/ir';
import { evalExpr, type EvalEnv } from './expr';
import { lifShape, type LifShape } from './lif-shape';
import { PlanError } from './limits';
import type { PopPlan } from './plan';

export interface LifEval {
  shape: LifShape;
  /** The population's one value of a parameter (NaN when it has none). */
  param: (name: string) => number;
  /** An expression of the model at these state values (others 0), dt = the plan's. */
  evalAt: (e: ExprIR, state: Record<string, number>) => number;
  /** The threshold of `spike when V > θ` and the reset value of `reset { V = V_r }`. */
  vTh: number;
  vR: number;
  /** The equations of V and of the synaptic current S (if any). */
  vOde?: ModelDefIR['odes'][number];
  sOde?: ModelDefIR['odes'][number];
  /** The constant-drive states of neuron i (its initial values). */
  constsAt: (i: number) => Record<string, number>;
  /** dV/dt of neuron i at V and S. */
  f: (V: number, S: number, i: number) => number;
}

/** `who` names the conversion in the refusal of per-neuron parameters ("the SpiNNaker conversion takes one value per population"). */
export function lifEval(pop: PopPlan, dt: number, who: string): LifEval {
  const m = pop.model!;
  const where = `population ${pop.name}`;
  const shape = lifShape(m);
  if (typeof shape === 'string') throw new PlanError(`${where}: ${shape}`, 'unsupported');
  const param = (name: string) => {
    const p = pop.params.get(name);
    if (!p) return NaN;
    if ('value' in p) return p.value;
    throw new PlanError(`${where}: parameter ${name} differs between neurons; ${who} takes one value per population`, 'unsupported');
  };
  const aliases = new Map(m.aliases.map((a) => [a.name, a.expr]));
  const evalAt = (e: ExprIR, st: Record<string, number>) => {
    const env: EvalEnv = { param, state: (x) => st[x] ?? 0, alias: (x) => (aliases.has(x) ? evalExpr(aliases.get(x)!, env) : NaN), builtin: (b) => (b === 'dt' ? dt : NaN) };
    return evalExpr(e, env);
  };
  const vTh = evalAt((m.spike as Extract<ExprIR, { args: [ExprIR, ExprIR] }>).args[1], {});
  const vR = evalAt(m.reset[0].value, {});
  if (!Number.isFinite(vTh) || !Number.isFinite(vR)) throw nonFinite(pop, 'the threshold or reset');
  const vOde = m.odes.find((o) => o.variable === shape.v);
  const sOde = shape.s ? m.odes.find((o) => o.variable === shape.s) : undefined;
  const constsAt = (i: number) => Object.fromEntries(shape.consts.map((c) => [c, pop.initial.get(c)![i]]));
  const f = (V: number, S: number, i: number) => (vOde ? evalAt(vOde.rhs, { ...constsAt(i), [shape.v]: V, ...(shape.s ? { [shape.s as string]: S } : {}) }) : 0);
  return { shape, param, evalAt, vTh, vR, vOde, sOde, constsAt, f };
}

/**
 * The parameter of `pop` furthest from 1 in SI units by orders of magnitude, when more than 50
 * (no physical LIF parameter is: capacitances are ~1e-12 F, resistances ~1e8 Ω): the likely
 * cause of a conversion that overflows or cancels to nothing. The editor's warning
 * (language-server/src/check/target.ts) uses the same bound.
 */
export function extremeParam(pop: PopPlan): { name: string; value: number } | undefined {
  let worst: { name: string; value: number } | undefined;
  let orders = 50;
  for (const [name, p] of pop.params) {
    if (!('value' in p) || p.value === 0) continue;
    const o = Number.isFinite(p.value) ? Math.abs(Math.log10(Math.abs(p.value))) : Infinity;
    if (o > orders) {
      orders = o;
      worst = { name, value: p.value };
    }
  }
  return worst;
}

/**
 * The refusal for a conversion that came out NaN or ±∞ (`what`, e.g. "the drive of neuron 0";
 * `how` what went wrong with it): located at the population and, where one stands out
 * (extremeParam), at the parameter behind it.
 */
export function nonFinite(pop: PopPlan, what: string, how = 'is not a finite number (NaN in conversion)'): PlanError {
  const worst = extremeParam(pop);
  const why = worst ? `; ${worst.name} = ${worst.value.toPrecision(3)} (SI) is far outside what the chip's numbers hold` : '';
  return new PlanError(`population ${pop.name}: ${what} ${how}${why}`, 'input', { kind: 'population', name: pop.name, property: worst?.name });
}
