// Messages between a simulation host (CLI, extension) and the simulation worker
// (sim-host/src/worker.ts). Plain data; typed arrays are transferred, not copied.
import type { ReadoutOutcome } from './readout';
import type { ModelIR } from './ir';
import type { TargetReport } from './target-report';
import type { CircuitsResult, Intervention } from './circuits';

export interface RunOptions {
  seed?: number;
  /** Overrides `simulate { duration }` (s); the run is refused above 2·10⁹ steps whatever set it. */
  duration?: number;
  /**
   * Memory the run may use, bytes: its own memory, the event files and edge lists it reads, and
   * its recordings (probes are counted before the run and refused when over; spikes stop the run
   * with stopReason 'recording-limit' when they reach what is left). Default 4 GiB.
   */
  memoryLimit?: number;
  /** Directory of the model file (event and edge files are relative to it). */
  baseDir?: string;
  /**
   * Folders event files and edge lists may be read from (after resolving symlinks); files
   * elsewhere are refused. Default: baseDir only. The CLI passes its working folder, the model's
   * folder and each --allow-read; the extension its workspace folders.
   */
  readRoots?: string[];
  progressEveryMs?: number;
  /** Where to run; overrides `simulate { backend }`. auto: WebGPU on a hardware adapter, else WASM. */
  backend?: 'auto' | 'wasm' | 'webgpu';
  /**
   * Workers of a WASM run (sim-host/src/partition): each owns a range of every population's
   * neurons and the synapses onto them; results are bit-identical for any count. Overrides
   * `simulate { threads }`; absent there too: the machine's idle cores for large models (20,000
   * neurons or 10⁶ synapses), else one. More than the cores is allowed
   * (warned by the CLI and the extension). A model the partitioned engine cannot split runs on
   * one thread and says why (RunOutput.threads.note).
   */
  threads?: number;
  /**
   * Streaming: each progress message also carries what was recorded since the previous one
   * (`ProgressDelta`), so that panels can draw while the run goes on.
   */
  stream?: boolean;
  /**
   * Also report long build steps (connection rules that test neuron pairs) as progress messages
   * with `phase: 'build'` (see FromWorker); hosts that do not ask get only run progress.
   */
  buildProgress?: boolean;
  /**
   * Score the model's readouts on the run before answering (RunOutput.readouts); default true.
   * Commands that read something else of the run (a sweep's rates, Describe Neurons) pass false.
   */
  readouts?: boolean;
  /**
   * Run on the model's memristor target of this name (crossbar-mapped weights, faults, read
   * noise: sim-host/src/targets/memristor) instead of on the float weights. A fault sweep's runs.
   */
  target?: string;
  /** Also score the run (RunOutput.metric): the first readout's cross-validated accuracy, or the mean rate of a model without readouts. */
  metric?: boolean;
  /** With `target`: return the first readout's features (RunOutput.readoutFeatures): a fault sweep's fault-free run. */
  readoutFeatures?: boolean;
  /** With `target` and `metric`: the fault-free twin's readout features (same seed), so the worker need not run it. */
  cleanFeatures?: Float64Array[];
}

/** host → worker */
export type ToWorker =
  | {
      type: 'run';
      ir: ModelIR;
      options: RunOptions;
      /** Int32Array over a SharedArrayBuffer: the host sets [0] = 1 to stop the run. */
      cancel: SharedArrayBuffer;
    }
  | {
      /** Emulation on the hardware target named `target` (and the float run beside it); answered by `emulated`. Stopped by ending the worker. */
      type: 'emulate';
      ir: ModelIR;
      options: Pick<RunOptions, 'seed' | 'duration' | 'baseDir' | 'readRoots'>;
      target: string;
      /** The model file's name, for the report's title. */
      file?: string;
    }
  | {
      /**
       * Describe Neurons on one population's activity (sim-host/src/analysis/describe): answered by
       * `progress` messages (phase 'describe': units done of total) and `described`.
       */
      type: 'describe';
      /** counts[u · windows + w]: unit u's spikes in window w. */
      activity: { units: number; windows: number; counts: Float64Array | Uint32Array | Int32Array };
      atoms: DescribeAtoms;
      options: { seed?: number };
      /** Int32Array over a SharedArrayBuffer: the host sets [0] = 1 to stop the analysis. */
      cancel: SharedArrayBuffer;
    }
  | {
      /**
       * Record Activations on an ONNX model (sim-host/src/onnx/record.ts): runs the model on the
       * input set and writes one .npy per node and activations.json to `outDir`; answered by
       * `progress` (phase 'record': inputs done of total) and `onnx-recorded`.
       */
      type: 'onnx-record';
      model: Uint8Array;
      inputs: OnnxInputSetData;
      nodes?: string[];
      outDir: string;
      /** The model file's name, for the index. */
      source: string;
      cancel: SharedArrayBuffer;
    }
  | {
      /**
       * Describe Neurons on an ONNX model's units (sim-host/src/onnx/describe.ts): records the
       * nodes, then describes them; answered by `progress` (phase 'record', then 'describe': units
       * done of all the nodes' units) and `onnx-described`.
       */
      type: 'onnx-describe';
      model: Uint8Array;
      inputs: OnnxInputSetData;
      nodes?: string[];
      options: { seed?: number; permutations?: number; exemplars?: number; lambda?: number };
      /** The model file's name, for the view's title. */
      source: string;
      cancel: SharedArrayBuffer;
    }
  | {
      /**
       * Circuit discovery (sim-host/src/analysis/circuits): this worker plans and compiles the
       * model once and keeps it for the `circuits-measure` requests that follow; answered by
       * `circuits-ready`. One of a pool (sim-host/src/host.ts startCircuits).
       */
      type: 'circuits-init';
      ir: ModelIR;
      options: { intervention: Intervention; seed: number; retrain?: boolean; split?: number; baseDir?: string; readRoots?: string[] };
      /** Int32Array over a SharedArrayBuffer: the host sets [0] = 1 to stop between runs. */
      cancel: SharedArrayBuffer;
    }
  | {
      /** Runs of the network under these conditions, answered by `progress` (phase 'circuits': runs done) and `circuits-measured` (fewer values when cancelled). */
      type: 'circuits-measure';
      id: number;
      conditions: CircuitCondition[];
    }
  | {
      /**
       * Circuits on an ONNX model's attention heads (sim-host/src/onnx/circuits.ts), the whole
       * analysis in this worker; answered by `progress` (phase 'circuits') and `onnx-circuits-done`.
       */
      type: 'onnx-circuits';
      model: Uint8Array;
      /** One per task: inputs (N × the model input's shape, float32) and a logit index per input. */
      sets: { task: string; inputs: { data: Float32Array; dims: number[] }; labels: Int32Array }[];
      options: { task?: string; threshold?: number; intervention?: 'zero' | 'mean' | 'patch'; seed?: number; controlDraws?: number; source?: string; output?: string; units?: string[] };
      /** Int32Array over a SharedArrayBuffer: the host sets [0] = 1 to stop between runs. */
      cancel: SharedArrayBuffer;
    };

/** One run of circuit discovery (the analysis's Condition, plain data; protocol/ does not import the analysis). */
export interface CircuitCondition {
  removed: string[];
  task?: string;
  only?: string;
  patch?: { components: string[]; from: string };
}

/** The atom set of a Describe Neurons request (the analysis's AtomSet, plain data; protocol/ does not import the analysis). */
export interface DescribeAtoms {
  windows: number;
  words: number;
  atoms: unknown[];
  masks: Uint32Array;
}

/** A population as the plan orders them: the order of spikes.bin, the raster's rows and every list of populations. */
export interface PopulationShape {
  name: string;
  size: number;
}

/**
 * The one shape of spikes, from the engine through the worker to the panels: a run's output, a
 * streamed delta (the spikes since the previous progress message) and a panel's 'spikes'
 * message are lists of these, in the plan's population order.
 */
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
  /**
   * What stopped it early: state became NaN/Inf, the recorded spikes reached the memory limit
   * (what was recorded until then is kept), or the GPU device was lost (WebGPU).
   */
  stopReason?: 'nan-inf' | 'recording-limit' | 'device-lost';
  /** Every population and spike source (not current steps) in the plan's order. */
  populations: PopulationShape[];
  /** The recorded populations' spikes, in the plan's order. */
  spikes: PopulationSpikes[];
  traces: TraceData[];
  synapses: number;
  memoryBytes: number;
  timings: { plan_s: number; compile_s: number; run_s: number };
  /** The backend that ran (wasm, or webgpu with its adapter). */
  backend?: string;
  /** Why the run is not on the backend asked for (no adapter, unsupported feature). */
  backendNote?: string;
  /** WASM runs: the workers asked for and used; `note` says why fewer were used (a model that cannot be split, a browser page that is not cross-origin isolated). */
  threads?: { requested: number; used: number; note?: string };
  /** RunOptions.readoutFeatures: the first readout's features per window (analysis/readout readoutData). */
  readoutFeatures?: Float64Array[];
  /**
   * The model's readouts scored on the run (sim-host/src/analysis/readout), in the model's order,
   * computed by the worker before it answers; absent when the model has none (or `readouts: false`).
   */
  readouts?: ReadoutOutcome[];
  /** RunOptions.metric: what was measured (`accuracy` of readout NAME, or `mean rate (Hz)`), its value, or why none. */
  metric?: RunMetric;
}

export interface RunMetric {
  name: string;
  /** NaN when it could not be measured (`error` says why). */
  value: number;
  error?: string;
  /** A fault sweep's run: the readout retrained (cross-validated) on the faulty run, beside `value` (trained fault-free). */
  retrained?: number;
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
  /** The plan's population order (as RunOutput.populations): on the first delta of a run only. */
  populations?: PopulationShape[];
  /** New spikes since the previous progress message, in step order within each population. */
  spikes: PopulationSpikes[];
  traces: TraceDelta[];
}

/** An ONNX input set (protocol/onnx-inputs.md; read by sim-host/src/onnx/input-set.ts). */
export interface OnnxInputSetData {
  /** Inputs. */
  count: number;
  /** One input's shape (the model input's shape without its batch dimension). */
  shape: number[];
  /** [count, …shape], row-major. */
  data: Float32Array;
  /** One per input ('' where the file gives none). */
  labels: string[];
  /** Concept columns in file order: per input its value ('' = the concept does not apply). */
  concepts: { name: string; values: string[] }[];
  /** The files it came from, for messages and reports. */
  source: string;
}

/**
 * worker → host. A progress message with `phase: 'build'` reports a long build step (`label`,
 * e.g. "building connections ee (distance)"): `done` of `total` rows, no steps run yet; without
 * `phase` (or 'run') `done` and `total` are steps.
 */
export type FromWorker =
  | { type: 'progress'; done: number; total: number; spikes: number; delta?: ProgressDelta; phase?: 'build' | 'run' | 'describe' | 'circuits' | 'record'; label?: string }
  /** Record Activations done: the index written to activations.json (sim-host/src/onnx-host.ts RecordIndex). */
  | { type: 'onnx-recorded'; index: unknown }
  /** Describe Neurons on an ONNX model done (sim-host/src/onnx-host.ts OnnxDescribeOutput, plain data). */
  | { type: 'onnx-described'; output: unknown }
  | { type: 'done'; output: RunOutput }
  /** The Target Report of an `emulate` request: as plain text (sim-host/src/emulation-text.ts, the CLI's) and as plain data for the panel (sim-host/src/target-report.ts). */
  | { type: 'emulated'; text: string; report: TargetReport }
  /** The result of a `describe` request (the analysis's DescribeResult, plain data). */
  | { type: 'described'; result: unknown }
  /** A circuits worker is ready: chance level per readout, synapses per connection. */
  | { type: 'circuits-ready'; chance: Record<string, number>; synapses: number[] }
  /** Every task's metric (by readout) per condition of a `circuits-measure` request, in order; `runs`: runs made so far by this worker. */
  | { type: 'circuits-measured'; id: number; values: Record<string, number>[]; runs: number }
  /** The result of an `onnx-circuits` request (protocol/circuits.ts CircuitsResult); `error` set when the analysis refused its input (a CircuitsError's message). */
  | { type: 'onnx-circuits-done'; result?: CircuitsResult; error?: string }
  | { type: 'refused'; message: string; code: string }
  | { type: 'failed'; message: string };
