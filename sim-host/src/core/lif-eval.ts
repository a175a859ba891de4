// A LIF-shaped population's model evaluated with its (homogeneous) parameters, for the hardware
// conversions (spinnaker2, sfq): its shape (lif-shape.ts), the threshold θ and reset V_r, and
// any expression of it at given state values. Parameters that differ between neurons are refused.
import type { ExprIR } from '../../../protocol/ir';
import { evalExpr, type EvalEnv } from './expr';
import { lifShape, type LifShape } from './lif-shape';
import { PlanError } from './limits';
import type { PopPlan } from './plan';

export interface LifEval {
  shape: LifShape;
  /** An expression of the model at these state values (others 0), dt = the plan's. */
  evalAt: (e: ExprIR, state: Record<string, number>) => number;
  /** The threshold of `spike when V > θ` and the reset value of `reset { V = V_r }`. */
  vTh: number;
  vR: number;
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
  if (!Number.isFinite(vTh) || !Number.isFinite(vR)) throw new PlanError(`${where}: threshold or reset is not a finite number (NaN in conversion)`, 'input');
  return { shape, evalAt, vTh, vR };
}
