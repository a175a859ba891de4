// Backend choice for a run: `wasm`, `webgpu`, or `auto` (WebGPU on a hardware adapter, else
// WASM). No adapter, or a model the WebGPU backend does not run yet → WASM, with a note that
// says why. A model too large for the adapter is refused (PlanError 'memory') when WebGPU was
// asked for by name, and runs on WASM under `auto`. Written against the Backend interface: the
// caller (the engine façade, a browser page) hands the backends in.
import type { ModelIR } from '../../../protocol/ir';
import type { Backend } from './backend';
import { PlanError } from './limits';
import { buildPlan, type Plan, type PlanOptions } from './plan';
import type { RunCallbacks, RunResult } from './run';

export type BackendChoice = 'auto' | 'wasm' | 'webgpu';

export interface BackendRun {
  result: RunResult;
  backend: string;
  /** The adapter, when WebGPU ran. */
  adapter?: string;
  /** Why the run is not on the backend asked for. */
  note?: string;
}

export interface Backends {
  wasm: Backend;
  /** The WebGPU backend on this machine's adapter, or why there is none (asked only when needed). */
  webgpu: () => Promise<Backend | string>;
}

export async function runOnChoice(ir: ModelIR, opts: PlanOptions, choice: BackendChoice, backends: Backends, cb: RunCallbacks = {}): Promise<BackendRun> {
  let plan: Plan | undefined;
  let planS = 0;
  const planned = (): Plan => {
    if (!plan) {
      const t0 = performance.now();
      plan = buildPlan(ir, opts);
      planS = (performance.now() - t0) / 1000;
    }
    return plan;
  };
  const run = async (b: Backend, note?: string): Promise<BackendRun> => {
    if (!plan && b.runModel) return { result: await b.runModel(ir, opts, cb), backend: b.name, note };
    const result = await b.run(planned(), cb);
    result.timings.plan_s = planS;
    return { result, backend: b.name, ...(b.device ? { adapter: b.device } : {}), note };
  };
  const wasm = (note?: string) => run(backends.wasm, note);
  if (choice === 'wasm') return wasm();
  const g = await backends.webgpu();
  if (typeof g === 'string') return wasm(choice === 'webgpu' ? `WebGPU unavailable (${g}); ran on WASM` : undefined);
  if (choice === 'auto' && g.software) return wasm(`auto: the only WebGPU adapter is a software one (${g.device}); ran on WASM`);
  const why = g.cannotRun(ir);
  if (why) return wasm(`${why}; ran on WASM`);
  planned();
  try {
    return await run(g);
  } catch (e) {
    if (e instanceof PlanError && (e.code === 'unsupported' || (e.code === 'memory' && choice === 'auto' && e.message.startsWith('WebGPU')))) {
      return wasm(`${e.message.replace(/ \(use backend: wasm\)$/, '')}; ran on WASM`);
    }
    throw e;
  }
}
