// Helpers of the chip-emulation tests (test/targets-*.test.ts).
import type { Plan } from '../../sim-host/src/core/plan';
import type { RunResult } from '../../sim-host/src/core/run';

/** A run's spikes as `population index:step:neuron`, sorted (to compare with a reference's). */
export function spikeKeys(plan: Plan, result: RunResult): string[] {
  const keys: string[] = [];
  result.spikes.forEach((s) => {
    const k = plan.pops.findIndex((p) => p.name === s.name);
    for (let m = 0; m < s.steps.length; m++) keys.push(`${k}:${s.steps[m]}:${s.neurons[m]}`);
  });
  return keys.sort();
}
