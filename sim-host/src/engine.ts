// The engine's public façade (Node): what callers outside sim-host import. A run is a function of
// (IR, seed, files): the Node step (node-files.ts) reads the files a model names, the plan
// (core/plan.ts) draws everything else, a backend (wasm/, webgpu/) steps it through the run
// contract (core/run.ts). Browser code imports core/ and a backend directly instead.
import type { ModelIR } from '../../protocol/ir';
import type { Backend } from './core/backend';
import type { PlanOptions } from './core/plan';
import type { RunCallbacks } from './core/run';
import { runOnChoice, type BackendChoice, type BackendRun } from './core/select';
import { withNodeFiles, type NodeFileOptions } from './node-files';
import { wasmBackend } from './wasm/backend';
import { Simulation as WasmSimulation, type CompileOptions } from './wasm/simulation';
import { webgpuBackend } from './webgpu/backend';
import { getGpu, type Gpu } from './webgpu/device';

export { estimateMemory, type EstimateOptions, type MemoryEstimate } from './core/estimate';
export type { InputFile } from './core/input-files';
export { MAX_KERNEL_PAIRS, MAX_STEPS, PlanError, SPIKE_RECORD_BYTES } from './core/limits';
export type { PlanOptions } from './core/plan';
export { nanInfMessage, recordingLimitMessage, sizeOf, spikesOf, type RunCallbacks, type RunResult, type TraceRecord } from './core/run';
export type { BackendChoice, BackendRun } from './core/select';
export type { Backend } from './core/backend';
export { readRunFiles, type NodeFileOptions } from './node-files';
export { NoAdapter, WebGPUSimulation } from './webgpu/backend';
export { getGpu, newGpu, SWIFTSHADER_ICD, type Gpu } from './webgpu/device';

/** Options of a run on Node: the plan's, where its files are, and WASM code generation. */
export type EngineOptions = PlanOptions & NodeFileOptions & CompileOptions;

/**
 * The WASM simulation of wasm/simulation.ts, its files read first on Node (unless opts.files
 * holds them): `new Simulation(ir, { baseDir })` plans, compiles, and `run()` steps.
 */
export class Simulation extends WasmSimulation {
  constructor(ir: ModelIR, opts: EngineOptions = {}) {
    super(ir, withNodeFiles(ir, opts));
  }
}

/**
 * Runs `ir` on the backend `choice` names (core/select.ts: fallbacks to WASM with a note), its
 * files read first. `gpu`: an adapter (or why there is none) instead of this machine's.
 */
export async function runOnBackend(ir: ModelIR, opts: EngineOptions, choice: BackendChoice, cb: RunCallbacks = {}, gpu?: Gpu | string): Promise<BackendRun> {
  const withFiles = withNodeFiles(ir, opts);
  return runOnChoice(ir, withFiles, choice, {
    wasm: wasmBackend(opts),
    webgpu: async (): Promise<Backend | string> => {
      const g = gpu ?? (await getGpu());
      return typeof g === 'string' ? g : webgpuBackend(g);
    },
  }, cb);
}
