// Backend choice for a run: `wasm`, `webgpu`, or `auto` (WebGPU on a hardware adapter, else
// WASM). No adapter, or a model the WebGPU backend does not run yet → WASM, with a note that
// says why. A model too large for the adapter is refused (PlanError 'memory') when WebGPU was
// asked for by name, and runs on WASM under `auto`.
import type { ModelIR } from '../../../protocol/ir';
import { Simulation, type RunCallbacks, type RunResult } from '../engine';
import { PlanError, type PlanOptions } from '../plan';
import { NoAdapter, WebGPUSimulation } from './backend';
import { getGpu, type Gpu } from './device';

export type BackendChoice = 'auto' | 'wasm' | 'webgpu';

export interface BackendRun {
  result: RunResult;
  backend: 'wasm' | 'webgpu';
  /** The adapter, when WebGPU ran. */
  adapter?: string;
  /** Why the run is not on the backend asked for. */
  note?: string;
}

export async function runOnBackend(ir: ModelIR, opts: PlanOptions, choice: BackendChoice, cb: RunCallbacks = {}, gpu?: Gpu | string): Promise<BackendRun> {
  const wasm = (note?: string): BackendRun => ({ result: new Simulation(ir, opts).run(cb), backend: 'wasm', note });
  if (choice === 'wasm') return wasm();
  const g = gpu ?? (await getGpu());
  if (typeof g === 'string') return wasm(choice === 'webgpu' ? `WebGPU unavailable (${g}); ran on WASM` : undefined);
  if (choice === 'auto' && g.name.endsWith('(software)')) return wasm(`auto: the only WebGPU adapter is a software one (${g.name}); ran on WASM`);
  let sim: WebGPUSimulation;
  try {
    sim = await WebGPUSimulation.create(ir, { ...opts, gpu: g });
  } catch (e) {
    if (e instanceof NoAdapter) return wasm(`WebGPU unavailable (${e.message}); ran on WASM`);
    if (e instanceof PlanError && (e.code === 'unsupported' || (e.code === 'memory' && choice === 'auto' && e.message.startsWith('WebGPU')))) {
      return wasm(`${e.message.replace(/ \(use backend: wasm\)$/, '')}; ran on WASM`);
    }
    throw e;
  }
  try {
    return { result: await sim.run(cb), backend: 'webgpu', adapter: g.name };
  } finally {
    sim.destroy();
  }
}
