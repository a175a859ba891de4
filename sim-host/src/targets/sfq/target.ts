// The SFQ target's emulated run as the engine façade reports it (engine.ts emulateOnTarget):
// the chip's pulse-level run and the float run of the same plan (same seed, connectivity, inputs)
// it is compared with, its resources, energy and target.json. The float run is passed in (a
// target never imports another backend).
import type { ModelIR } from '../../../../protocol/ir';
import { fidelity, type PopFidelity } from '../../core/fidelity';
import { buildPlan, type Plan, type PlanOptions } from '../../core/plan';
import type { RunResult } from '../../core/run';
import { SFQ_NAME } from './backend';
import { convertPlanSfq, type QuantStep } from './convert';
import { emulateSfq, type SfqActivity } from './emulate';
import { sfqParams } from './params';
import { inferencesOf, sfqEnergy, sfqResources, sfqTargetJson, type SfqEnergy, type SfqResources } from './report';

export interface SfqEmulation {
  target: { name: string; kind: string; backend: string };
  float: RunResult;
  emulated: RunResult;
  fidelity: PopFidelity[];
  resources: { kind: 'sfq'; sfq: SfqResources };
  violations: { where: string; message: string }[];
  energy: SfqEnergy;
  quantisation: QuantStep[];
  approximations: string[];
  targetJson: unknown;
  activity: SfqActivity;
}

export function emulateSfqTarget(ir: ModelIR, opts: PlanOptions, t: ModelIR['targets'][number], floatRun: (plan: Plan) => RunResult): SfqEmulation {
  const params = sfqParams(t.settings);
  const plan = buildPlan(ir, opts);
  const program = convertPlanSfq(plan, params);
  const float = floatRun(plan);
  const run = emulateSfq(plan, params, {}, program);
  const res = sfqResources(program);
  const simS = run.result.stepsDone * plan.dt;
  return {
    target: { name: t.name, kind: 'sfq', backend: SFQ_NAME },
    float, emulated: run.result, fidelity: fidelity(float, run.result),
    resources: { kind: 'sfq', sfq: res }, violations: [],
    energy: sfqEnergy(program, run.activity, res, simS, inferencesOf(ir)),
    quantisation: program.steps, approximations: program.approximations,
    targetJson: sfqTargetJson(program, res, plan.seed), activity: run.activity,
  };
}
