// The results of a file's analysis (the types the checks fill and the features read), apart from
// the checks themselves so that check/ can name them without importing checker.ts.
import type * as A from './ast';
import type { CsvTable } from './data-values';
import type { Diagnostic } from './diagnostics';
import type { Sym } from './symbols';
import type { Ty } from './expressions';
import type { Dim } from './units';
import type { RuleIR, ValueIR } from '../../protocol/ir';
import type { OnnxIo } from '../../protocol/onnx-readout';

// ---- results -------------------------------------------------------------------------------

export interface VarInfo {
  sym: Sym;
  kind: 'parameter' | 'state' | 'alias';
  dim: Dim | null;
  /** Default value (parameters) or initial value (state), SI, when constant. */
  value?: number;
  /** A parameter without default must be set by every population. */
  required?: boolean;
  decl: A.Decl | A.Alias;
}

export interface ModelInfo {
  def: A.ModelDef;
  sym: Sym;
  uri: string;
  vars: Map<string, VarInfo>;
  /** Time constants found as divisors in the ODEs: name → SI value. */
  timeConstants: { name: string; value: number }[];
  /**
   * A synapse model whose weight statements hold only for one weight unit (dimensionless:
   * `w = clip(w + apre, 0, 1)` with a dimensionless trace): that unit, and where it shows.
   * Absent when they hold for any weight unit.
   */
  weightDim?: { dim: Dim; at: A.Span };
  /** A neuron with `compartments { … }`: its membrane potentials, flattened (check/compartments.ts). */
  compartments?: { membranes: string[] };
}

/** A connection's memory estimate: the engine's facts of it (core/estimate.ts prices them once dt is known, in the size check). */
export interface Estimate {
  node: A.ConnectDef;
  rule: RuleIR;
  /** Each (source selector, target selector): the populations' names and the neurons each takes (targets × segments). */
  pairs: { source: string; target: string; sources: number; targets: number }[];
  delay?: ValueIR;
  /** The delays (seconds, 0 for none) of the connection's pathways, when it has them. */
  pathways?: number[];
  /** Expected synapses (0 for an edge list: unknown until read). Set by the size check. */
  synapses: number;
  /** Synapse arrays and delay rings, bytes. Set by the size check. */
  bytes: number;
}

export interface FileAnalysis {
  uri: string;
  file: A.SnnFile;
  diagnostics: Diagnostic[];
  /** Symbols defined in this file, models' members included. */
  symbols: Sym[];
  references: { span: A.Span; sym: Sym }[];
  /** Models visible in this file (prelude, imports, own), by name. */
  models: Map<string, ModelInfo>;
  /** Models defined in this file. */
  ownModels: ModelInfo[];
  /** Network items of this file by name. */
  network: Map<string, NetItem>;
  estimates: Estimate[];
  totals: { neurons: number; synapses: number; bytes: number };
  simulate: { dt?: number; duration?: number; seed?: number; backend?: string; threads?: number };
  /** Resolved imports: path literal → uri. */
  imports: { node: A.ImportDecl; uri?: string }[];
  /** `from_file(...)` values that read clean: the call → the file as written and its values in SI units. */
  fileValues: Map<A.Expr, { file: string; values: number[] }>;
  /**
   * The side table lowering reads: the type (dimension) and folded constant value of each
   * expression the checker typed as a whole (property and initial values, sizes, indices, lists,
   * arguments), keyed by the node. (Number literals in equations: expressions.ts literalValue.)
   */
  types: Map<A.Expr, Ty>;
}

export type NetItem =
  | { kind: 'population'; node: A.PopulationDef; sym: Sym; model?: ModelInfo; size?: number }
  | { kind: 'input'; node: A.BlockDef; sym: Sym; size?: number; spiking: boolean }
  | { kind: 'connection'; node: A.ConnectDef; sym: Sym }
  | { kind: 'readout' | 'task' | 'concept' | 'target'; node: A.BlockDef; sym: Sym };

/** What the checker needs from the outside world. */
export interface CheckContext {
  /** Analyses of the prelude files (their models are visible everywhere). */
  preludeModels(): Map<string, ModelInfo>;
  /** Resolves and analyses an import; `error` explains a failure. */
  importFile(fromUri: string, path: string): { uri?: string; analysis?: FileAnalysis; error?: string; cycle?: boolean };
  limits: { maxSynapses: number; memoryBytes: number };
  /** Reads a data file named by the model (path relative to `fromUri`); `error` explains a failure. */
  readData?(fromUri: string, path: string): { uri: string; table?: CsvTable; error?: string };
  /** Checks (never reads) a file the engine reads at run time; the problem, or undefined. */
  statRunFile?(fromUri: string, path: string): string | undefined;
  /** An ONNX readout's model file: its inputs and outputs, or why not (`untrusted`: not read yet); undefined where files are not read. */
  readModel?(fromUri: string, path: string): { uri: string; io?: { inputs: OnnxIo[]; outputs: OnnxIo[] }; error?: string; untrusted?: boolean } | undefined;
}

