// What a backend is: something that runs a plan and returns a RunResult through the run contract
// (run.ts). WASM (wasm/), WebGPU (webgpu/) and hardware-emulation targets (targets/) implement
// it; core never imports one (selection, select.ts, is written against this interface).
import type { ModelIR } from '../../../protocol/ir';
import type { Plan, PlanOptions } from './plan';
import type { RunCallbacks, RunResult } from './run';

export interface Backend {
  /** As results and notes name it: 'wasm', 'webgpu', a target's name. */
  readonly name: string;
  /** The device it runs on, where it names one (the WebGPU adapter). */
  readonly device?: string;
  /** A software implementation of a device (SwiftShader): `auto` does not pick it. */
  readonly software?: boolean;
  /**
   * Why it cannot run this model (a feature it does not implement), or undefined. Decided from
   * the IR alone, before a plan is drawn, so that a fallback draws the only plan.
   */
  cannotRun(ir: ModelIR): string | undefined;
  /**
   * Runs the plan (which it must not change before stepping: a fallback may run the same plan
   * on another backend after this one refused it). Rejects with a PlanError when the plan does
   * not fit the device ('memory') or uses something it does not run ('unsupported').
   */
  run(plan: Plan, cb: RunCallbacks): Promise<RunResult>;
  /**
   * Plans and runs the model itself, when no plan has been drawn yet (a partitioned run: each
   * worker draws its own part, sim-host/src/partition). Absent: the caller plans, then `run`.
   */
  runModel?(ir: ModelIR, opts: PlanOptions, cb: RunCallbacks): Promise<RunResult>;
}
