// What the chips' conversions (loihi2/convert.ts, spinnaker2/convert.ts) share: the quantisation
// step they report, the fields of a converted connection, and reading a LIF-shaped population's
// equations (core/lif-shape.ts) as numbers — one parameter value per population, the right-hand
// sides evaluated at chosen V and S, per neuron's constant drive.
import type { ExprIR, ModelDefIR } from '../../../../protocol/ir';
import type { ReportQuantStep } from '../../../../protocol/target-report';
import { evalExpr, type EvalEnv } from '../../core/expr';
import type { LifShape } from '../../core/lif-shape';
import { PlanError, type PlanWhere } from '../../core/limits';
import type { PopPlan } from '../../core/plan';

/** One quantisation step: the ideal value, what the chip uses, and the relative error (the report's own type). */
export type QuantStep = ReportQuantStep;

/** A converted connection's rows (plan indices and local ranges, CSR) and delays. */
export interface ChipConnection {
  name: string;
  source: number;
  target: number;
  src: [number, number];
  tgt: [number, number];
  rowptr: Int32Array;
  col: Int32Array;
  /** Ticks (past the chip's fixed lead), per synapse or one for all. */
  delay: number | Int32Array;
  maxDelay: number;
}

/** |used − ideal| / |ideal|; 0 when both are 0. */
export const relError = (used: number, ideal: number) => (ideal === 0 ? (used === 0 ? 0 : Infinity) : Math.abs(used - ideal) / Math.abs(ideal));

/** One number when every entry is the same, else the list (target.json). */
export const uniqInts = (a: Int32Array) => (a.every((x) => x === a[0]) ? a[0] ?? 0 : [...a]);

/** A population's equations as numbers. */
export interface LifEquations {
  /** The population's one value of a parameter (NaN when it has none). */
  param: (name: string) => number;
  /** An expression at state values `st` (others 0), aliases expanded, dt known. */
  evalAt: (e: ExprIR, st: Record<string, number>) => number;
  vOde?: ModelDefIR['odes'][number];
  sOde?: ModelDefIR['odes'][number];
  /** dV/dt of neuron i at V and S (its constant-drive states from the initial values). */
  f: (V: number, S: number, i: number) => number;
  /** The constant-drive states of neuron i. */
  constsAt: (i: number) => Record<string, number>;
}

export function lifEquations(pop: PopPlan, sh: LifShape, dt: number, chip: string): LifEquations {
  const m = pop.model!;
  const param = (name: string) => {
    const p = pop.params.get(name);
    if (!p) return NaN;
    if ('value' in p) return p.value;
    throw new PlanError(`population ${pop.name}: parameter ${name} differs between neurons; the ${chip} conversion takes one value per population`, 'unsupported');
  };
  const aliases = new Map(m.aliases.map((a) => [a.name, a.expr]));
  const evalAt = (e: ExprIR, st: Record<string, number>) => {
    const env: EvalEnv = {
      param,
      state: (x) => st[x] ?? 0,
      alias: (x) => {
        const d = aliases.get(x);
        return d ? evalExpr(d, env) : NaN;
      },
      builtin: (b) => (b === 'dt' ? dt : NaN),
    };
    return evalExpr(e, env);
  };
  const vOde = m.odes.find((o) => o.variable === sh.v);
  const sOde = sh.s ? m.odes.find((o) => o.variable === sh.s) : undefined;
  const constsAt = (i: number) => Object.fromEntries(sh.consts.map((c) => [c, pop.initial.get(c)![i]]));
  const f = (V: number, S: number, i: number) => (vOde ? evalAt(vOde.rhs, { ...constsAt(i), [sh.v]: V, ...(sh.s ? { [sh.s as string]: S } : {}) }) : 0);
  return { param, evalAt, vOde, sOde, f, constsAt };
}

/**
 * The parameter of `pop` furthest from 1 in SI units by orders of magnitude, when more than 50
 * (no physical LIF parameter is: capacitances are ~1e-12 F, resistances ~1e8 Ω): the likely
 * cause of a conversion that overflows or cancels to nothing.
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

/** Where a connection's refusal points: the connection by name (or index) and a property of it. */
export const connectionWhere = (name: string | undefined, index: number, property?: string): PlanWhere => ({ kind: 'connection', ...(name !== undefined ? { name } : {}), index, ...(property ? { property } : {}) });
