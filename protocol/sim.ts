// Messages between a simulation host (CLI, extension) and the simulation worker
// (sim-host/src/worker.ts). Plain data; typed arrays are transferred, not copied.
import type { ModelIR } from './ir';

export interface RunOptions {
  seed?: number;
  duration?: number;
  /** Memory the run may use, bytes. */
  memoryLimit?: number;
  /** Directory of the model file (event and edge files are relative to it). */
  baseDir?: string;
  /**
   * When given, event and edge files are read only inside these folders (after resolving
   * symlinks): the extension passes its workspace folders.
   */
  readRoots?: string[];
  progressEveryMs?: number;
  /** Where to run; overrides `simulate { backend }`. auto: WebGPU on a hardware adapter, else WASM. */
  backend?: 'auto' | 'wasm' | 'webgpu';
  /**
   * Streaming: each progress message also carries what was recorded since the previous one
   * (`ProgressDelta`), so that panels can draw while the run goes on.
   */
  stream?: boolean;
}

/** host → worker */
export type ToWorker = {
  type: 'run';
  ir: ModelIR;
  options: RunOptions;
  /** Int32Array over a SharedArrayBuffer: the host sets [0] = 1 to stop the run. */
  cancel: SharedArrayBuffer;
};

export interface PopulationSpikes {
  name: string;
  size: number;
  /** Step index of each spike; time = step · dt. */
  steps: Int32Array;
  neurons: Int32Array;
}

export interface TraceData {
  population: string;
  variable: string;
  neurons: number[];
  /** Seconds between samples; sample k is at time k · every. */
  every: number;
  /** Sample k of neuron m at data[k · neurons.length + m], SI units. */
  data: Float32Array;
  /**
   * A probe of a named connection (w or a synapse variable): `population` is the connection's
   * name, `neurons` are synapse indices, and each synapse's pre- and postsynaptic neuron.
   */
  synapses?: { pre: number[]; post: number[] };
}

export interface RunOutput {
  dt: number;
  steps: number;
  stepsDone: number;
  seed: number;
  cancelled: boolean;
  /** Why the run stopped before its last step (NaN/Inf report, GPU device lost). */
  error?: string;
  /** What stopped it early: state became NaN/Inf, or the GPU device was lost (WebGPU). */
  stopReason?: 'nan-inf' | 'device-lost';
  spikes: PopulationSpikes[];
  traces: TraceData[];
  synapses: number;
  memoryBytes: number;
  timings: { plan_s: number; compile_s: number; run_s: number };
  /** The backend that ran (wasm, or webgpu with its adapter). */
  backend?: string;
  /** Why the run is not on the backend asked for (no adapter, unsupported feature). */
  backendNote?: string;
}

/** New spikes of one population since the previous progress message (step order). */
export interface SpikeDelta {
  name: string;
  size: number;
  steps: Int32Array;
  neurons: Int32Array;
}

/** New samples of one probed variable: samples `from`, `from + 1`, … (layout as TraceData.data). */
export interface TraceDelta {
  population: string;
  variable: string;
  neurons: number[];
  every: number;
  from: number;
  data: Float32Array;
}

/** What a streaming run recorded since its previous progress message (typed arrays transferred). */
export interface ProgressDelta {
  spikes: SpikeDelta[];
  traces: TraceDelta[];
}

/** worker → host */
export type FromWorker =
  | { type: 'progress'; done: number; total: number; spikes: number; delta?: ProgressDelta }
  | { type: 'done'; output: RunOutput }
  | { type: 'refused'; message: string; code: string }
  | { type: 'failed'; message: string };
