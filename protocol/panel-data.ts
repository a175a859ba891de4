// What the extension tells both result panels about a run (shared by protocol/raster.ts and
// protocol/traces.ts): the run's shape, streamed spikes and samples, its status, the shared
// time cursor. Plain data; typed arrays travel as such. Spikes travel as protocol/sim.ts's
// PopulationSpikes, the one shape from the engine to the panels.
import type { ModelIR } from './ir';
import type { PopulationShape, PopulationSpikes } from './sim';

export const PANEL_PROTOCOL_VERSION = 1;

/** A population as the plan orders them (RunOutput.populations), and whether it is recorded. */
export interface PopulationInfo extends PopulationShape {
  /** Whether its spikes are recorded (a `probe spikes(...)` names it, or none is given). */
  recorded: boolean;
}

/** Populations whose spikes the engine records (PopulationInfo.recorded): those named by spike probes, or all. */
export function recordedPopulations(ir: ModelIR): Set<string> {
  const named = ir.probes.filter((p) => p.variable === 'spikes').flatMap((p) => p.targets.map((t) => t.name));
  return new Set(named.length ? named : [...ir.populations.map((p) => p.name), ...ir.inputs.filter((i) => i.kind !== 'current_step').map((i) => i.name)]);
}

export interface TraceInfo {
  population: string;
  variable: string;
  /** SI unit symbol of the variable ("V", "S", "A", "" when dimensionless, or a product). */
  unit: string;
  /** Neuron indices, or synapse indices when `synapses` is set. */
  neurons: number[];
  /** Seconds between samples. */
  every: number;
  /** A probe of a named connection (`w(conn)`): `population` is the connection, one series per synapse. */
  synapses?: boolean;
}

export interface RunInfo {
  /** Changes with every run; messages for another run are ignored. */
  runId: string;
  /** URI of the model file. */
  document: string;
  /** File name for titles and export names. */
  fileName: string;
  model: string;
  dt: number;
  /** Steps the run will take (duration / dt). */
  steps: number;
  seed: number;
  backend: string;
  /**
   * The plan's population order (raster rows, colours, the store's order); empty until the
   * worker has published it: the runner then sends the same run again with it, before any spikes.
   */
  populations: PopulationInfo[];
}

export type RunStatus = 'running' | 'done' | 'cancelled' | 'failed';

/** New samples of a probed variable; sample k of neuron m of the whole trace at data[(k - from) · n + m]. */
export interface TraceChunk {
  trace: TraceInfo;
  from: number;
  data: Float32Array;
}

/** The run of the same file before the one shown (the traces panel overlays it, dimmed). */
export interface PreviousRun {
  run: RunInfo;
  stepsDone: number;
  spikes: PopulationSpikes[];
  chunks: TraceChunk[];
}

/** extension → panel, both panels. */
export type RunMessage =
  /** A run (new, or restored from disk): drop what is shown. */
  | { type: 'run'; run: RunInfo }
  /** New spikes of populations of RunInfo.populations (by name), in step order within each. */
  | { type: 'spikes'; runId: string; spikes: PopulationSpikes[] }
  | { type: 'samples'; runId: string; chunks: TraceChunk[] }
  /** `readouts`: the run's readout scores as plain text, one short line each (protocol/readout.ts readoutShort), once it has ended. */
  | { type: 'status'; runId: string; status: RunStatus; stepsDone: number; message?: string; readouts?: string[] }
  /** Nothing to show (no run yet, or the stored results are gone); `message` says what to do. */
  | { type: 'empty'; message: string }
  /** The shared time cursor (seconds), or null when it is hidden. */
  | { type: 'cursor'; time: number | null }
  /** A time window (seconds) chosen in the other panel. */
  | { type: 'window'; from: number; to: number }
  /** The previous run of the same file (null: none), for run `runId` ("Compare runs"). */
  | { type: 'previous'; runId: string; previous: PreviousRun | null };

/** panel → extension, both panels. */
export type PanelMessage =
  /** The page has loaded (also after a reload): send everything. */
  | { type: 'ready' }
  | { type: 'cursor'; time: number | null }
  | { type: 'window'; from: number; to: number }
  /** Save a file: `data` is text (SVG, CSV) or a data: URL (PNG). */
  | { type: 'export'; format: 'png' | 'svg' | 'csv'; fileName: string; data: string }
  /** Show a population's definition in the editor. */
  | { type: 'reveal'; population: string };

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null;

/** Checks a message that came from a webview (never trust its shape). */
export function isPanelMessage(m: unknown): m is PanelMessage {
  if (!isObj(m)) return false;
  switch (m.type) {
    case 'ready':
      return true;
    case 'cursor':
      return m.time === null || isNum(m.time);
    case 'window':
      return isNum(m.from) && isNum(m.to) && m.from < m.to;
    case 'export':
      return (m.format === 'png' || m.format === 'svg' || m.format === 'csv') && typeof m.fileName === 'string' && typeof m.data === 'string';
    case 'reveal':
      return typeof m.population === 'string';
    default:
      return false;
  }
}

/** The state a panel keeps with vscode.setState and gets back after a reload. */
export interface PanelState {
  version: typeof PANEL_PROTOCOL_VERSION;
  /** URI of the model file whose results the panel shows. */
  document: string;
  /** The run the view belongs to (a new run starts with the whole run in view). */
  runId?: string;
  /** The visible time window (seconds) and, for the raster, rows [r0, r1). */
  view?: { t0: number; t1: number; r0?: number; r1?: number };
  cursor?: number | null;
  /** The raster's marks (protocol/raster.ts RasterHighlight), checked by the raster when restored. */
  highlight?: unknown;
}

export function isPanelState(s: unknown): s is PanelState {
  return isObj(s) && s.version === PANEL_PROTOCOL_VERSION && typeof s.document === 'string';
}

const isStr = (x: unknown): x is string => typeof x === 'string';
const STATUSES: readonly string[] = ['running', 'done', 'cancelled', 'failed'] satisfies RunStatus[];

function isSpikes(s: unknown): s is PopulationSpikes {
  return isObj(s) && isStr(s.name) && s.steps instanceof Int32Array && s.neurons instanceof Int32Array && s.steps.length === s.neurons.length;
}

function isTraceChunk(c: unknown): c is TraceChunk {
  if (!isObj(c) || !isObj(c.trace) || !(c.data instanceof Float32Array) || !Number.isSafeInteger(c.from) || (c.from as number) < 0) return false;
  const t = c.trace;
  return isStr(t.population) && isStr(t.variable) && Array.isArray(t.neurons) && t.neurons.length > 0 && c.data.length % t.neurons.length === 0;
}

function isRunInfo(r: unknown): r is RunInfo {
  return (
    isObj(r) &&
    isStr(r.runId) && isStr(r.document) && isStr(r.fileName) &&
    isNum(r.dt) && r.dt > 0 && isNum(r.steps) && r.steps >= 0 &&
    Array.isArray(r.populations) && r.populations.every((p) => isObj(p) && isStr(p.name) && isNum(p.size) && typeof p.recorded === 'boolean')
  );
}

/**
 * Checks a message that came from the extension (the panels' own guard: a message of another
 * shape is dropped, not half-handled). Spike and sample chunks that are not typed arrays of
 * matching lengths make the whole message malformed.
 */
export function isRunMessage(m: unknown): m is RunMessage {
  if (!isObj(m)) return false;
  switch (m.type) {
    case 'run':
      return isRunInfo(m.run);
    case 'spikes':
      return isStr(m.runId) && Array.isArray(m.spikes) && m.spikes.every(isSpikes);
    case 'samples':
      return isStr(m.runId) && Array.isArray(m.chunks) && m.chunks.every(isTraceChunk);
    case 'status':
      return isStr(m.runId) && STATUSES.includes(m.status as string) && isNum(m.stepsDone) && (m.message === undefined || isStr(m.message)) && (m.readouts === undefined || (Array.isArray(m.readouts) && m.readouts.every(isStr)));
    case 'empty':
      return isStr(m.message);
    case 'cursor':
      return m.time === null || isNum(m.time);
    case 'window':
      return isNum(m.from) && isNum(m.to) && m.from < m.to;
    case 'previous':
      return isStr(m.runId) && (m.previous === null || (isObj(m.previous) && isRunInfo(m.previous.run) && isNum(m.previous.stepsDone) && Array.isArray(m.previous.spikes) && m.previous.spikes.every(isSpikes) && Array.isArray(m.previous.chunks) && m.previous.chunks.every(isTraceChunk)));
    default:
      return false;
  }
}
