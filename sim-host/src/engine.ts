// The engine's public façade (Node): what callers outside sim-host import. A run is a function of
// (IR, seed, files): the Node step (node-files.ts) reads the files a model names, the plan
// (core/plan.ts) draws everything else, a backend (wasm/, webgpu/) steps it through the run
// contract (core/run.ts). Browser code imports core/ and a backend directly instead.
import * as os from 'node:os';
import * as path from 'node:path';
import type { ModelIR } from '../../protocol/ir';
import { runPartitioned } from './partition/run';
import { chooseThreads, type ThreadChoice } from './partition/threads';
import type { Backend } from './core/backend';
import type { PlanOptions } from './core/plan';
import type { RunCallbacks } from './core/run';
import { runOnChoice, type BackendChoice, type BackendRun } from './core/select';
import { readRunFiles, withNodeFiles, type NodeFileOptions } from './node-files';
import { wasmBackend } from './wasm/backend';
import { Simulation as WasmSimulation, type CompileOptions } from './wasm/simulation';
import { webgpuBackend } from './webgpu/backend';
import { buildPlan } from './core/plan';
import { PlanError } from './core/limits';
import type { RunResult } from './core/run';
import { emulateLoihi } from './targets/loihi2/emulate';
import { loihiCannotRun } from './targets/loihi2/backend';
import { energy, mapCores, targetJson, type EnergyEstimate, type Resources } from './targets/loihi2/report';
import { fidelity, type PopFidelity } from './core/fidelity';
import { lifCannotRun } from './core/lif-shape';
import { emulateSpinnaker } from './targets/spinnaker2/emulate';
import { mapSpinnaker, SPINNAKER_ENERGY, spinnakerTargetJson, type SpinResources } from './targets/spinnaker2/report';
import type { QuantStep } from './targets/loihi2/convert';
import { getGpu, type Gpu } from './webgpu/device';
import { approximateConductance, type ConductanceApproximation } from './targets/approximate';
import { emulateSfqTarget, type SfqEmulation } from './targets/sfq/target';
import { crossbarConfig, CrossbarSettingError } from './targets/memristor/device';
import { applyCrossbar, mapCrossbar, type CrossbarMap } from './targets/memristor/crossbar';
import { crossbarStep } from './targets/memristor/step';
import { crossbarNotes, crossbarReport, crossbarTargetJson, type CrossbarReport } from './targets/memristor/report';

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
export { compilationCount, type SpikeIntervention } from './wasm/simulation';

/** Options of a run on Node: the plan's, where its files are, and WASM code generation. */
export type EngineOptions = PlanOptions & NodeFileOptions & CompileOptions & { resettable?: boolean };

/**
 * A WASM run's workers: `threads` (RunOptions.threads) over the model's `threads:`, else this
 * machine's idle cores for large models (partition/threads.ts); `workerFile`: the simulation worker
 * that partitions 1 … n-1 run in (default: sim-worker.js beside this bundle).
 */
export interface ThreadOptions {
  threads?: number;
  workerFile?: string;
}

function partitionWorkerFile(t: ThreadOptions): string {
  return t.workerFile ?? path.join(__dirname, 'sim-worker.js');
}

/**
 * A partitioned run without a memory limit of its own may use 4 GiB per worker (each its own
 * WebAssembly memory), but not more than 80 % of this machine's memory together.
 */
function partitionedLimit<T extends EngineOptions>(opts: T, threads: ThreadChoice): T {
  if (opts.memoryLimit !== undefined || threads.used < 2) return opts;
  return { ...opts, memoryLimit: Math.min(threads.used * 4 * 2 ** 30, Math.floor(0.8 * os.totalmem())) };
}

/** `opts` with the run's files read, checked for its workers (the partition option itself stays out: the plan is not yet a partition's). */
function withFilesFor<T extends EngineOptions>(ir: ModelIR, opts: T, threads: ThreadChoice): T {
  const o = partitionedLimit(opts, threads);
  if (o.files || threads.used < 2) return withNodeFiles(ir, o);
  return { ...o, files: readRunFiles(ir, { ...o, partition: { index: 0, count: threads.used } }) };
}

/** The workers a WASM run of `ir` gets on this machine. */
export function threadsFor(ir: ModelIR, t: ThreadOptions): ThreadChoice {
  const cores = os.availableParallelism();
  // asked for: the load does not matter
  if ((t.threads ?? ir.simulate.threads) !== undefined) return chooseThreads(ir, t.threads, cores);
  // idle: the cores less the last minute's load (runnable threads), rounded
  return chooseThreads(ir, t.threads, cores, Math.floor(cores - os.loadavg()[0] + 0.5));
}

/**
 * Runs `ir` on the WASM engine, its files read first, on the workers threadsFor chooses: one
 * (this thread) or several (partition/run.ts; this thread waits at every step's barrier, so call
 * it from a worker thread). Results are bit-identical for any worker count.
 */
export function runWasm(ir: ModelIR, opts: EngineOptions & ThreadOptions, cb: RunCallbacks = {}): { result: RunResult; threads: ThreadChoice } {
  const threads = threadsFor(ir, opts);
  const withFiles = withFilesFor(ir, opts, threads);
  if (threads.used > 1) return { result: runPartitioned(ir, withFiles, threads.used, cb, partitionWorkerFile(opts)), threads };
  return { result: new WasmSimulation(ir, withFiles).run(cb), threads };
}

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
export async function runOnBackend(ir: ModelIR, opts: EngineOptions & ThreadOptions, choice: BackendChoice, cb: RunCallbacks = {}, gpu?: Gpu | string): Promise<BackendRun & { threads?: ThreadChoice }> {
  const threads = threadsFor(ir, opts);
  const withFiles = withFilesFor(ir, opts, threads);
  const wasm = wasmBackend(opts);
  let partitioned = false;
  const run = await runOnChoice(ir, withFiles, choice, {
    // On several workers each plans its own part: no whole plan is drawn first.
    wasm: threads.used > 1 ? { ...wasm, runModel: async (m, o, c) => ((partitioned = true), runPartitioned(m, o, threads.used, c, partitionWorkerFile(opts))) } : wasm,
    webgpu: async (): Promise<Backend | string> => {
      const g = gpu ?? (await getGpu());
      return typeof g === 'string' ? g : webgpuBackend(g);
    },
  }, cb);
  if (run.backend !== 'wasm') return run;
  // WebGPU drew the whole plan before it fell back: WASM ran that plan on one thread.
  if (threads.used > 1 && !partitioned) return { ...run, threads: { requested: threads.requested, used: 1, note: 'ran on one thread: the whole plan was drawn for WebGPU before it fell back to WASM' } };
  return { ...run, threads };
}

/** An emulated run and its report (`spikeworks emulate`). */
export interface Emulation {
  target: { name: string; kind: string; backend: string };
  float: RunResult;
  emulated: RunResult;
  fidelity: PopFidelity[];
  /** Loihi: cores, axons, synapse bits per core; SpiNNaker: cores, delay extensions, real-time slow-down. */
  resources: { kind: 'loihi2'; loihi: Resources } | { kind: 'spinnaker2'; spinnaker: SpinResources } | { kind: 'memristor'; crossbar: CrossbarReport } | SfqEmulation['resources'];
  violations: { where: string; message: string }[];
  energy: EnergyEstimate | { source: string } | SfqEmulation['energy'];
  quantisation: QuantStep[];
  approximations: string[];
  /** target.json (protocol/targets.md). */
  targetJson: unknown;
}

/**
 * Runs `ir` on the hardware target the model's `target NAME = KIND { … }` block names (loihi2 or
 * spinnaker2, bit-accurate emulation), and the float WASM engine on the same plan (same seed,
 * connectivity, inputs) for the fidelity. Other kinds are refused (PlanError 'unsupported').
 */
export function emulateOnTarget(ir: ModelIR, opts: EngineOptions, targetName: string): Emulation {
  const t = targetOf(ir, targetName);
  if (t.kind === 'sfq') return emulateSfqTarget(ir, withNodeFiles(ir, opts), t, (plan) => new WasmSimulation({ plan }, opts).run());
  if (t.kind === 'memristor') return emulateCrossbar(ir, opts, t.name);
  if (t.kind !== 'loihi2' && t.kind !== 'spinnaker2') throw new PlanError(`target ${t.name}: ${t.kind} is not emulated yet (loihi2, spinnaker2, memristor and sfq are)`, 'unsupported');
  const bits = t.kind === 'loihi2' ? 8 : 16;
  if (t.settings.weight_bits !== undefined && t.settings.weight_bits !== bits) throw new PlanError(`target ${t.name}: weight_bits ${t.settings.weight_bits}: the ${t.kind} emulation uses ${bits}-bit weights (weight_bits: ${bits})`, 'unsupported');
  const cannot = (m: ModelIR) => (t.kind === 'loihi2' ? loihiCannotRun(m) : lifCannotRun(m, 'SpiNNaker'));
  let why = cannot(ir);
  let approx: ConductanceApproximation | undefined;
  if (why && /conductance synapse/.test(why)) {
    if (!t.approximate?.includes('conductance')) throw new PlanError(`${why}; or add \`approximate: conductance\` to target ${t.name} to run each conductance input as a current at an operating point (the report lists the approximation and its measured effect)`, 'unsupported');
    const a = approximateConductance(ir);
    if (typeof a === 'string') throw new PlanError(`target ${t.name}, approximate: conductance: ${a}`, 'unsupported');
    approx = a;
    why = cannot(a.ir);
  }
  if (why) throw new PlanError(why, 'unsupported');
  const runIr = approx?.ir ?? ir;
  const plan = buildPlan(runIr, withNodeFiles(runIr, opts));
  // The float reference is the model as written (same seed, same connectivity); with an
  // approximation the float run of the approximated model measures its effect alone.
  const floatPlan = approx ? buildPlan(ir, withNodeFiles(ir, opts)) : plan;
  const float = new WasmSimulation({ plan: floatPlan }, opts).run();
  const approximated = approx ? new WasmSimulation({ plan }, opts).run() : undefined;
  const extra = approx && approximated ? conductanceNotes(approx, fidelity(float, approximated)) : [];
  const withApprox = (tj: unknown): unknown => (approx ? { ...(tj as object), approximations: [...extra, ...((tj as { approximations?: string[] }).approximations ?? [])], conductance_approximation: approx.steps } : tj);
  if (t.kind === 'spinnaker2') {
    const run = emulateSpinnaker(plan);
    const res = mapSpinnaker(run.program, t.settings.neurons_per_core, t.settings.cores);
    return {
      target: { name: t.name, kind: t.kind, backend: 'spinnaker2-emu' }, float, emulated: run.result, fidelity: fidelity(float, run.result),
      resources: { kind: 'spinnaker2', spinnaker: res }, violations: res.violations, energy: SPINNAKER_ENERGY,
      quantisation: run.program.steps, approximations: [...extra, ...run.program.approximations], targetJson: withApprox(spinnakerTargetJson(run.program, res)),
    };
  }
  const run = emulateLoihi(plan);
  const resources = mapCores(run.program, t.settings.neurons_per_core ?? 1024, t.settings.cores);
  const simS = run.result.stepsDone * plan.dt;
  return {
    target: { name: t.name, kind: t.kind, backend: 'loihi2-emu' },
    float, emulated: run.result,
    fidelity: fidelity(float, run.result),
    resources: { kind: 'loihi2', loihi: resources },
    violations: resources.violations,
    energy: energy(run.activity, resources, simS, run.result.stepsDone),
    quantisation: run.program.steps,
    approximations: [...extra, ...run.program.approximations],
    targetJson: withApprox(targetJson(run.program, resources)),
  };
}

/** The approximation's notes and its measured effect: the float run of the approximated model against the model as written. */
function conductanceNotes(a: ConductanceApproximation, effect: PopFidelity[]): string[] {
  const pct = (x: number | null) => (x === null ? '–' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`);
  return [
    ...a.notes,
    `measured effect of approximate: conductance (float engine, the approximated model against the model as written, same seed): ${effect.map((f) => `${f.population} ${f.rate_float_hz.toFixed(2)} → ${f.rate_target_hz.toFixed(2)} Hz (${pct(f.rate_error)}, count r ${f.count_correlation === null ? '–' : f.count_correlation.toFixed(3)})`).join('; ')}`,
  ];
}

function targetOf(ir: ModelIR, targetName: string): ModelIR['targets'][number] {
  const t = ir.targets.find((x) => x.name === targetName);
  if (!t) throw new PlanError(`the model has no target named ${targetName}${ir.targets.length ? ` (it has ${ir.targets.map((x) => x.name).join(', ')})` : ''}`, 'input');
  return t;
}

/** A run on a memristive crossbar target: the run, its plan and the crossbar map (faults, weights). */
export interface CrossbarRun {
  result: RunResult;
  map: CrossbarMap;
}

/**
 * Runs `ir` on the memristor target `targetName`: the float WASM engine on a plan of its own
 * whose weights are the crossbar's (targets/memristor/crossbar.ts), with the per-step effects
 * (neuron faults, read noise: targets/memristor/step.ts) between each step's update and delivery.
 * Same seed, connectivity and inputs as the float run. Bad settings: PlanError 'input'.
 */
export function runOnCrossbar(ir: ModelIR, opts: EngineOptions, targetName: string, cb: RunCallbacks = {}): CrossbarRun {
  const t = targetOf(ir, targetName);
  if (t.kind !== 'memristor') throw new PlanError(`target ${t.name} is a ${t.kind}, not a memristor crossbar`, 'input');
  let cfg;
  try {
    cfg = crossbarConfig(t);
  } catch (e) {
    if (e instanceof CrossbarSettingError) throw new PlanError(e.message, 'input');
    throw e;
  }
  const plan = buildPlan(ir, withNodeFiles(ir, opts));
  const map = mapCrossbar(plan, cfg);
  applyCrossbar(plan, map);
  const sim = new WasmSimulation({ plan }, opts);
  const result = sim.run(cb, { afterUpdate: crossbarStep(plan, map) });
  return { result, map };
}

function emulateCrossbar(ir: ModelIR, opts: EngineOptions, targetName: string): Emulation {
  const run = runOnCrossbar(ir, opts, targetName);
  const float = new WasmSimulation(ir, withNodeFiles(ir, opts)).run();
  const report = crossbarReport(run.map);
  const quantisation: QuantStep[] = report.crossbars.map((c) => ({
    where: `connection ${c.connection}`,
    what: `${c.synapses} weights → ${report.mapping} conductances, ${report.levels} levels in [${+(report.g_min_s * 1e6).toPrecision(4)}, ${+(report.g_max_s * 1e6).toPrecision(4)}] µS${c.sa0 + c.sa1 ? `, ${c.sa0} SA0 + ${c.sa1} SA1 faults` : ''}`,
    ideal: c.w_max,
    used: c.w_max,
    error: c.rms_error,
  }));
  return {
    target: { name: targetName, kind: 'memristor', backend: 'memristor-emu' },
    float,
    emulated: run.result,
    fidelity: fidelity(float, run.result),
    resources: { kind: 'memristor', crossbar: report },
    violations: [],
    energy: { source: 'not estimated: the crossbar target models weights, faults and noise, not read energy' },
    quantisation,
    approximations: crossbarNotes(run.map),
    targetJson: crossbarTargetJson(run.map, report),
  };
}
