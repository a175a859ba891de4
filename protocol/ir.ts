// The model IR: the one contract between the language and the engine. Plain JSON (no classes),
// versioned, every value in SI base units (seconds, volts, siemens, amperes, farads ...),
// equations as expression trees. Schema: protocol/ir.schema.json. Documentation: protocol/README.md.

export const IR_VERSION = 1;

/** Exponents of the SI base dimensions [metre, kilogram, second, ampere, kelvin, mole, candela]. */
export type DimIR = [number, number, number, number, number, number, number];

/** `remainder`: the floored remainder a − b·floor(a/b) (Python's %); only in a connection rule's condition. */
export type BinaryOpIR = 'add' | 'sub' | 'mul' | 'div' | 'remainder' | 'pow' | 'lt' | 'le' | 'gt' | 'ge' | 'eq' | 'ne' | 'and' | 'or';

export type ExprIR =
  | { op: 'const'; value: number }
  /** A parameter, state variable or named expression of the model being evaluated. */
  | { op: 'param' | 'state' | 'alias'; name: string }
  /** `j`, `N_pre`, `N_post`: only in a connection rule's condition (`i` is the presynaptic index there). */
  | { op: 'builtin'; name: 't' | 'dt' | 'i' | 'N' | 'j' | 'N_pre' | 'N_post' }
  /** Synapse models: the synapse's weight and the postsynaptic target variable. */
  | { op: 'weight' }
  | { op: 'target' }
  /** Synapse models: a variable of the pre-/postsynaptic or modulating neuron. */
  | { op: 'pre' | 'post' | 'mod'; name: string }
  | { op: BinaryOpIR; args: [ExprIR, ExprIR] }
  | { op: 'neg' | 'not'; args: [ExprIR] }
  | { op: 'call'; fn: string; args: ExprIR[] };

export type AssignTargetIR =
  | { kind: 'state'; name: string }
  /** A population's scheduled operations only: a parameter of its model (stored per neuron). */
  | { kind: 'param'; name: string }
  | { kind: 'weight' }
  | { kind: 'target' }
  | { kind: 'pre' | 'post'; name: string };

export interface StatementIR {
  target: AssignTargetIR;
  op: '=' | '+=' | '-=' | '*=' | '/=';
  value: ExprIR;
}

/**
 * A constant or a distribution to draw per neuron / per synapse from the counter-based RNG, or
 * (connection weights and delays) explicit values per synapse: for `all_to_all` the
 * sources × targets matrix row by row (source i, target j at i·n_targets + j; entries of
 * synapses that do not exist, such as autapses, are ignored), for `one_to_one` one per pair.
 */
export type ValueIR =
  | { kind: 'const'; value: number }
  | { kind: 'dist'; dist: 'normal' | 'uniform' | 'lognormal' | 'exponential'; args: number[] }
  /** `file`: the data file the values were read from (`from_file`), as written in the model. */
  | { kind: 'list'; values: number[]; file?: string };

export interface ModelDefIR {
  kind: 'neuron' | 'synapse';
  name: string;
  /** Where it was defined, for messages (1-based line). */
  source: { uri: string; line: number };
  parameters: { name: string; dim: DimIR; default?: number; weightUnit?: boolean }[];
  state: { name: string; dim: DimIR; init: ExprIR; weightUnit?: boolean }[];
  /** Named expressions, in dependency order. */
  aliases: { name: string; dim: DimIR; expr: ExprIR }[];
  /**
   * dx/dt = rhs. `linear`: rhs is affine in x (exact / exponential-Euler integration).
   * `method: 'exponential'`: rhs is affine in x outside function calls; calls are held at their
   * start-of-step values and the step is x + (a + b·x)·expm1(b·dt)/b (LANGUAGE.md).
   */
  odes: { variable: string; rhs: ExprIR; linear: boolean }[];
  method: 'exact' | 'exponential' | 'euler' | 'rk2' | 'rk4' | null;
  spike: ExprIR | null;
  reset: StatementIR[];
  /** Refractory period (seconds) after a spike; null without one or with `refractory_when`. */
  refractory: ExprIR | null;
  /**
   * `refractory when cond`: refractory from a spike until a step begins with `cond` false
   * (Brian2: not_refractory = not_refractory or not cond, before the state update).
   */
  refractory_when?: ExprIR;
  /** `holding [...]`: the state variables held while refractory; absent: those `reset` assigns. */
  refractory_holds?: string[];
  on_pre: StatementIR[];
  on_post: StatementIR[];
  /**
   * Synapse models: `target = expr` (one statement), Brian2's `(summed)`: every step, before the
   * neurons are integrated, the target variable of each postsynaptic neuron of a connection is
   * set to the sum of expr over its synapses (start-of-step values; 0 without synapses).
   */
  summed?: StatementIR[];
}

/** A population or input slice: neurons from..to inclusive. */
export interface SelectorIR {
  name: string;
  from: number;
  to: number;
}

export interface PopulationIR {
  name: string;
  model: string;
  size: number;
  /** Parameter values that differ from the model's defaults (constant or per-neuron). */
  parameters: Record<string, ValueIR>;
  /** Initial values of state variables set by the population (others use the model's init). */
  init: Record<string, ValueIR>;
  layout?: { kind: 'ring' | 'line' | 'grid'; rows?: number; cols?: number; spacing?: number };
  /** Scheduled operations (`every` / `at` blocks), in order. */
  schedules?: ScheduleIR[];
  /** Linked parameters (`I_mod = linked(drive.v)`), each read from another population every step. */
  links?: LinkIR[];
}

/**
 * A parameter of a population's model that reads a variable of another population (Brian2's
 * `linked_var(source, variable, index=…)`): at the start of every step, after scheduled
 * operations and summed variables and before any population is integrated, neuron i's
 * `parameter` is set to `source.variable[index[i]]` (start-of-step values: the order the
 * populations are integrated in does not matter). `index` absent: i when the source has as many
 * neurons, 0 when it has one. The source is a population (not an input), not the reader itself;
 * `variable` is a state variable or a parameter that is not itself linked.
 */
export interface LinkIR {
  parameter: string;
  source: string;
  variable: string;
  index?: number[];
}

/**
 * Statements run on every neuron of a population at the start of a step (before the state
 * update, as Brian2's run_regularly in its 'start' slot): with `every` (seconds, a whole number
 * k of steps) on steps 0, k, 2k, …; with `at` (seconds, whole steps) on those steps only.
 * Exactly one of the two. Targets are state variables or parameters of the population's model;
 * rand()/randn() in them draw from stream 7 + 16·site (protocol/rng.md).
 */
export interface ScheduleIR {
  every?: number;
  at?: number[];
  statements: StatementIR[];
}

export type RuleIR =
  | { kind: 'all_to_all' | 'one_to_one' }
  | { kind: 'random'; p: number }
  | { kind: 'fixed_indegree' | 'fixed_outdegree'; k: number }
  | { kind: 'distance' | 'ring_kernel'; sigma: number; p_max: number }
  | { kind: 'from_file'; file: string }
  /**
   * Every pair (i, j) of source index i and target index j (within the connection's one source
   * and one target selector) for which `condition` is nonzero, each kept with probability `p`
   * (default 1). The condition reads builtins i, j, N_pre, N_post only.
   */
  | { kind: 'where'; condition: ExprIR; p?: number };

export interface ConnectionIR {
  name?: string;
  sources: SelectorIR[];
  targets: SelectorIR[];
  rule: RuleIR;
  weight: ValueIR;
  delay?: ValueIR;
  /** Postsynaptic state variable driven by `target` in the synapse's statements. */
  target?: string;
  /** Synapse model and its parameter values (defaults merged with overrides), or inline statements. */
  synapse?: { model: string; parameters: Record<string, number> };
  on_pre?: StatementIR[];
  on_post?: StatementIR[];
  /**
   * Several presynaptic pathways over the same synapses (Brian2's on_pre={'up': …, 'down': …}
   * with S.up.delay): each runs its own `on_pre` statement (x += w or x -= w) after its own
   * constant `delay` (seconds; absent: none). With pathways the connection has no `on_pre`,
   * `target`, `delay`, synapse model or segments of its own.
   */
  pathways?: { name: string; delay?: number; on_pre: StatementIR[] }[];
  modulated_by?: string;
  autapses: boolean;
  /**
   * Dendritic segments: the rule's targets are `count` segments per target neuron (target
   * index j·count + q is segment q of neuron j). A synapse is active for `window` seconds after
   * a presynaptic spike; a segment emits one event (the connection's `on_pre`, `target += w`,
   * on its neuron) on the step its number of active synapses reaches `threshold`, and again
   * only after it has fallen below.
   */
  segments?: { count: number; threshold: number; window: number };
}

export type InputIR =
  | { kind: 'poisson'; name: string; size: number; rate: ValueIR; start?: number; stop?: number }
  | { kind: 'spike_array'; name: string; size: number; times: number[]; indices: number[]; period?: number }
  | { kind: 'event_file'; name: string; size: number; file: string }
  | { kind: 'current_step'; name: string; target: SelectorIR & { variable: string }; times: number[]; values: number[] };

export interface ProbeIR {
  variable: string;
  targets: SelectorIR[];
  /** Sampling interval in seconds (state probes); absent for spikes. */
  every?: number;
}

export interface ModelIR {
  version: typeof IR_VERSION;
  name: string;
  /** URI of the main file. */
  source: string;
  models: Record<string, ModelDefIR>;
  populations: PopulationIR[];
  inputs: InputIR[];
  connections: ConnectionIR[];
  probes: ProbeIR[];
  readouts: { name: string; kind: 'ridge' | 'onnx'; from: string; alpha?: number; bin?: number; task?: string; file?: string }[];
  /** A window's `label` is its first label; `labels` (when it has several, or a feature) all of them, `feature=value` or a plain label. */
  tasks: { name: string; stimuli: string[]; windows: { from: number; to: number; label: string; labels?: string[] }[] }[];
  concepts: { name: string; stimulus: string; from: number; to: number; description?: string }[];
  /**
   * `approximate`: what the emulation may approximate instead of refusing (`conductance`).
   * `options`: settings whose value is a name (`mapping: differential`, `fault_type: sa1`).
   */
  targets: { name: string; kind: string; settings: Record<string, number>; approximate?: 'conductance'[]; options?: Record<string, string> }[];
  simulate: {
    dt: number;
    duration: number;
    seed: number;
    backend: 'auto' | 'wasm' | 'webgpu';
    /** `threads: N`: the WASM engine's worker count (a partitioned run); absent: the run's default (the machine's idle cores for large models, else one). */
    threads?: number;
  };
}
