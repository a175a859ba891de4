// The spike recording of a backend that steps in TypeScript (the hardware targets): which
// populations are recorded (all, unless spike or rate probes name some), each step's spikes
// appended, the memory limit on recorded spikes, and RunResult.spikes at the end.
import { growableInt32 } from '../../../protocol/growable';
import { SPIKE_RECORD_BYTES } from './limits';
import type { Plan } from './plan';
import { recordingLimitMessage, type RunResult } from './run';

export class SpikeRecord {
  /** Per population (plan order): recorded or not. */
  readonly recorded: boolean[];
  private readonly rec: { steps: ReturnType<typeof growableInt32>; neurons: ReturnType<typeof growableInt32> }[];
  private readonly max: number;
  private count = 0;

  constructor(private readonly plan: Plan) {
    const probed = new Set(plan.ir.probes.filter((p) => p.variable === 'spikes' || p.variable === 'rate').flatMap((p) => p.targets.map((t) => t.name)));
    this.recorded = plan.pops.map((p) => probed.size === 0 || probed.has(p.name));
    this.rec = plan.pops.map(() => ({ steps: growableInt32(), neurons: growableInt32() }));
    this.max = Math.floor(Math.max(0, plan.memoryLimit - plan.bytes) / SPIKE_RECORD_BYTES);
  }

  /**
   * Appends step t's spikes: fired[k][0 .. n[k]) of each recorded population k. When they would
   * pass the memory limit nothing is appended, `result` gets the recording-limit error and
   * stepsDone = t, and it returns false (the run stops).
   */
  step(result: RunResult, t: number, fired: ArrayLike<number>[], n: ArrayLike<number>): boolean {
    let add = 0;
    for (let k = 0; k < this.rec.length; k++) if (this.recorded[k]) add += n[k];
    if (this.count + add > this.max) {
      result.error = recordingLimitMessage(this.plan.memoryLimit, this.max * SPIKE_RECORD_BYTES, this.max, t, this.plan.dt);
      result.stopReason = 'recording-limit';
      result.stepsDone = t;
      return false;
    }
    this.count += add;
    for (let k = 0; k < this.rec.length; k++) {
      if (!this.recorded[k]) continue;
      const r = this.rec[k];
      const out = fired[k];
      for (let m = 0; m < n[k]; m++) {
        r.steps.push(t);
        r.neurons.push(out[m]);
      }
    }
    return true;
  }

  /** result.spikes: the recorded populations in plan order. */
  finish(result: RunResult): void {
    result.spikes = [];
    this.plan.pops.forEach((p, k) => {
      if (this.recorded[k]) result.spikes.push({ name: p.name, size: p.size, steps: this.rec[k].steps.view(), neurons: this.rec[k].neurons.view() });
    });
  }
}
