// Circuit discovery and reuse (sim-host/src/analysis/circuits → `spikeworks circuits`, the
// Circuits panel): per task, the components whose removal changes the task's metric, a control
// of random components of the same size, and per pair of tasks what they share. Plain data, the
// one shape the CLI's JSON, the worker's answer and the panel's message use. Every string is
// shown as text, never as markup.

/** A part of the network an intervention can remove. */
export interface CircuitComponent {
  /**
   * Stable id: `pop:exc`, `proj:exc->inh` (a connection's name when it has one: `proj:ee`),
   * `group:exc[0..49]`; in an ONNX model (sim-host/src/onnx/circuits.ts) `head:L1.H2` (an attention
   * head's output), `unit:NODE[k]` (feature k of a node's output), `channel:NODE[c]`.
   */
  id: string;
  kind: 'population' | 'projection' | 'group' | 'head' | 'unit' | 'channel';
  /** What the user wrote: the population or connection name, or `exc[0..49]`; a head's value name (`L1.H2`). */
  label: string;
  /** The population (for a group: the one it slices; for a projection: its source); for a head, unit or channel: its layer or node. */
  population: string;
  /** For a projection: its target population. */
  target?: string;
  /** For a group: the neuron index range [from, to) in `population`. */
  range?: [number, number];
  /** Number of neurons (population, group) or synapses (projection); a head's width (values per position), 1 for a unit or channel. */
  size: number;
}

/**
 * How a component is removed. Spiking models: silence, mean (Poisson at the mean rate), resample,
 * patch. ONNX models: zero (the value set to 0), mean (its mean over the task's inputs), patch
 * (its value recorded on the other task's inputs).
 */
export type Intervention = 'silence' | 'mean' | 'resample' | 'patch' | 'zero';
export const INTERVENTION_NAMES: readonly Intervention[] = ['silence', 'mean', 'resample', 'patch', 'zero'];

export interface TaskMetric {
  /** `accuracy` (cross-validated readout accuracy; ONNX: argmax of the logits the task's labels use vs the label) unless the readout declares another. */
  name: string;
  /** The intact network's value. */
  clean: number;
  /** The value with every component outside the circuit removed (the circuit alone). */
  circuitOnly: number;
  /** The value with the circuit's components removed. */
  circuitAblated: number;
  /** The control: mean and SD of the value with random components of the circuit's size removed. */
  control: { mean: number; sd: number; draws: number };
  /** Chance level (1 / classes for accuracy). */
  chance: number;
}

export interface TaskCircuit {
  task: string;
  readout: string;
  /** Component ids in the circuit, in the order the search kept them. */
  components: string[];
  /** Per component id: the metric's drop when it alone is removed from the intact network (clean − ablated). */
  importance: Record<string, number>;
  metric: TaskMetric;
}

export interface TaskPairReuse {
  a: string;
  b: string;
  shared: string[];
  /** |A ∩ B| / |A ∪ B|. */
  jaccard: number;
  /** |A ∩ B| / min(|A|, |B|). */
  overlap: number;
}

/** Merullo-style patching: B's run with the shared components' activity taken from A's run (ONNX: B's inputs, the components' values recorded on A's inputs, item by item). */
export interface PatchResult {
  from: string;
  to: string;
  components: string[];
  before: number;
  after: number;
}

export interface CircuitsResult {
  /** The model file's name. */
  source: string;
  intervention: Intervention;
  /** The search's threshold: a component is kept when removing it drops the metric by more than this. */
  threshold: number;
  seed: number;
  /**
   * How the task metric's readout was fitted: on the intact network and scored on each
   * intervened run (`frozen`, the default), or cross-validated on each run alone (`retrained`).
   */
  readoutFit?: 'frozen' | 'retrained';
  components: CircuitComponent[];
  /** Projections between components for drawing: source component id → target component id, with the projection's id. */
  edges: { from: string; to: string; projection: string }[];
  tasks: TaskCircuit[];
  reuse: TaskPairReuse[];
  patches: PatchResult[];
  /** Runs of the network the analysis made, and its wall time. */
  runs: number;
  seconds: number;
  cancelled: boolean;
}

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const str = (v: unknown): v is string => typeof v === 'string';
const obj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const strs = (v: unknown): v is string[] => Array.isArray(v) && v.every(str);

const COMPONENT_KINDS: readonly CircuitComponent['kind'][] = ['population', 'projection', 'group', 'head', 'unit', 'channel'];

function isComponent(c: unknown): c is CircuitComponent {
  if (!obj(c)) return false;
  return str(c.id) && COMPONENT_KINDS.includes(c.kind as CircuitComponent['kind']) && str(c.label) && str(c.population) && num(c.size)
    && (c.target === undefined || str(c.target))
    && (c.range === undefined || (Array.isArray(c.range) && c.range.length === 2 && c.range.every(num)));
}

function isMetric(m: unknown): m is TaskMetric {
  if (!obj(m) || !obj(m.control)) return false;
  return str(m.name) && num(m.clean) && num(m.circuitOnly) && num(m.circuitAblated) && num(m.chance) && num(m.control.mean) && num(m.control.sd) && num(m.control.draws);
}

function isTask(t: unknown): t is TaskCircuit {
  if (!obj(t) || !obj(t.importance)) return false;
  return str(t.task) && str(t.readout) && strs(t.components) && Object.values(t.importance).every(num) && isMetric(t.metric);
}

/** A CircuitsResult checked field by field (a file, a worker's answer or a panel message may be anything). */
export function isCircuitsResult(v: unknown): v is CircuitsResult {
  if (!obj(v)) return false;
  return str(v.source) && INTERVENTION_NAMES.includes(v.intervention as Intervention)
    && num(v.threshold) && num(v.seed) && (v.readoutFit === undefined || v.readoutFit === 'frozen' || v.readoutFit === 'retrained') && num(v.runs) && num(v.seconds) && typeof v.cancelled === 'boolean'
    && Array.isArray(v.components) && v.components.every(isComponent)
    && Array.isArray(v.edges) && v.edges.every((e) => obj(e) && str(e.from) && str(e.to) && str(e.projection))
    && Array.isArray(v.tasks) && v.tasks.every(isTask)
    && Array.isArray(v.reuse) && v.reuse.every((r) => obj(r) && str(r.a) && str(r.b) && strs(r.shared) && num(r.jaccard) && num(r.overlap))
    && Array.isArray(v.patches) && v.patches.every((p) => obj(p) && str(p.from) && str(p.to) && strs(p.components) && num(p.before) && num(p.after));
}

/** extension → panel */
export type CircuitsPanelMessage = { type: 'circuits'; result: CircuitsResult };
/** panel → extension: ready, reveal a component's definition, export (the SVG/PNG drawn by the panel travels as text / base64). */
export type CircuitsPanelRequest =
  | { type: 'ready' }
  | { type: 'reveal'; component: string }
  | { type: 'export'; format: 'json' }
  | { type: 'export'; format: 'svg'; data: string }
  | { type: 'export'; format: 'png'; data: string };

export function isCircuitsPanelMessage(m: unknown): m is CircuitsPanelMessage {
  return obj(m) && m.type === 'circuits' && isCircuitsResult(m.result);
}

export function isCircuitsPanelRequest(m: unknown): m is CircuitsPanelRequest {
  if (!obj(m)) return false;
  if (m.type === 'ready') return true;
  if (m.type === 'reveal') return str(m.component);
  if (m.type !== 'export') return false;
  if (m.format === 'json') return true;
  return (m.format === 'svg' || m.format === 'png') && str(m.data) && m.data.length <= 64 * 1024 * 1024;
}
