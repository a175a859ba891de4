// Syntax tree of a .snn file. Plain data; every node carries source offsets [start, end).

export interface Span {
  start: number;
  end: number;
}

export interface Ident extends Span {
  name: string;
}

// ---- units -------------------------------------------------------------------------------

export interface UnitTerm extends Span {
  /** Unit symbol as written, e.g. `mV`, or `weight`, or `1`. */
  symbol: string;
  /** Signed exponent (negative after `/`). */
  exp: number;
}

export interface UnitExpr extends Span {
  terms: UnitTerm[];
}

// ---- expressions -------------------------------------------------------------------------

export type Expr =
  | NumberLit
  | StringLit
  | BoolLit
  | NameRef
  | Binary
  | Unary
  | Call
  | Member
  | Index
  | ListLit
  | RangeExpr
  | ErrorExpr;

export interface NumberLit extends Span {
  kind: 'number';
  value: number;
  unit?: UnitExpr;
}
export interface StringLit extends Span {
  kind: 'string';
  value: string;
}
export interface BoolLit extends Span {
  kind: 'bool';
  value: boolean;
}
export interface NameRef extends Span {
  kind: 'name';
  name: string;
}
export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '^' | '<' | '<=' | '>' | '>=' | '==' | '!=' | 'and' | 'or';
export interface Binary extends Span {
  kind: 'binary';
  op: BinaryOp;
  left: Expr;
  right: Expr;
}
export interface Unary extends Span {
  kind: 'unary';
  op: '-' | '+' | 'not';
  operand: Expr;
}
export interface Arg extends Span {
  name?: Ident;
  value: Expr;
}
export interface Call extends Span {
  kind: 'call';
  callee: Ident;
  args: Arg[];
}
export interface Member extends Span {
  kind: 'member';
  object: Expr;
  member: Ident;
}
export interface Index extends Span {
  kind: 'index';
  object: Expr;
  index: Expr;
}
export interface ListLit extends Span {
  kind: 'list';
  items: Expr[];
}
export interface RangeExpr extends Span {
  kind: 'range';
  from: Expr;
  to: Expr;
}
/** Stands in for an expression the parser could not read; already reported. */
export interface ErrorExpr extends Span {
  kind: 'error';
}

// ---- statements inside models ------------------------------------------------------------

export interface Decl extends Span {
  name: Ident;
  unit?: UnitExpr;
  value?: Expr;
}

export interface Ode extends Span {
  kind: 'ode';
  variable: Ident;
  rhs: Expr;
}
export interface Alias extends Span {
  kind: 'alias';
  name: Ident;
  rhs: Expr;
}
export type Equation = Ode | Alias;

export interface Assign extends Span {
  target: Expr; // NameRef or Member (pre.x / post.x)
  op: '=' | '+=' | '-=' | '*=' | '/=';
  value: Expr;
}

/** `holding [v, w]` (or `holding []`) in a `refractory` statement. */
export interface HoldList extends Span {
  keyword: Ident;
  items: Ident[];
}

export interface Section extends Span {
  keyword: Ident;
}

export interface ModelDef extends Span {
  kind: 'neuron' | 'synapse';
  keyword: Ident;
  name: Ident;
  doc?: string;
  parameters: Decl[];
  state: Decl[];
  equations: Equation[];
  method?: Ident;
  spike?: Expr;
  reset?: Assign[];
  /** `refractory t_ref`: a period (a time). */
  refractory?: Expr;
  /** `refractory when cond`: refractory after a spike until `cond` is false (Brian2's boolean refractory). */
  refractoryWhen?: { keyword: Ident; condition: Expr };
  /** `holding [v, w]` after the period or condition: the variables held while refractory (default: those `reset` assigns). */
  holding?: HoldList;
  onPre?: Assign[];
  onPost?: Assign[];
  /** Synapse models: `summed { target = expr }`, the postsynaptic variable set every step to the sum of expr over its synapses. */
  summed?: Assign[];
  /**
   * `compartments { soma { … } dend { … } couple soma, dend { g: 10 nS } }`: the parser has
   * already flattened it into `parameters`/`state`/`equations` (soma's `v` is `soma_v`, each
   * compartment gets `<c>_I_axial`, each coupling a parameter `<a>_<b>_g`); this keeps the
   * structure for the checks (check/compartments.ts) and the editor.
   */
  compartments?: CompartmentsDef;
  /** Sections with braces, for folding and symbols. */
  sections: Section[];
  bodyStart: number;
}

/** One compartment; its declarations and equations (already renamed `<name>_x`) are also the model's. */
export interface CompartmentDef extends Span {
  name: Ident;
  /** Names declared in it as written (v, C_m, …), before the `<name>_` prefix. */
  locals: string[];
  parameters: Decl[];
  state: Decl[];
  equations: Equation[];
  /** Its parameters / state / equations blocks (completion). */
  sections: Section[];
}

/** `couple a, b { g: 10 nS }`: an axial conductance between two compartments. */
export interface CoupleDef extends Span {
  keyword: Ident;
  a?: Ident;
  b?: Ident;
  props: Property[];
  /** The model parameter the parser made of `g` (`a_b_g`), when both names and g were read. */
  param?: string;
}

export interface CompartmentsDef extends Span {
  keyword: Ident;
  list: CompartmentDef[];
  couplings: CoupleDef[];
}

// ---- network items -----------------------------------------------------------------------

/**
 * `key: value` inside a block. Statement values (`on_pre: { ... }`) keep their statements;
 * nested property blocks (`segments: { count: 4; threshold: 10 }`) keep their properties.
 */
export interface Property extends Span {
  key: Ident;
  value: Expr;
  statements?: Assign[];
  props?: Property[];
}

export interface Selector extends Span {
  name: Ident;
  range?: Expr;
}

export interface ModelDecl extends Span {
  kind: 'model';
  name: Ident;
}
export interface ImportDecl extends Span {
  kind: 'import';
  path: StringLit;
}
export interface PopulationDef extends Span {
  kind: 'population';
  keyword: Ident;
  name: Ident;
  model: Ident;
  size?: Expr;
  doc?: string;
  inits: Assign[];
  props: Property[];
  /** `every 10 ms { … }` and `at 200 ms { … }` blocks, in order (LANGUAGE.md, scheduled operations). */
  schedules?: ScheduleDef[];
  bodyStart?: number;
}
/**
 * A scheduled operation in a population: `every <interval> { statements }` runs the statements
 * on each neuron on steps where t is a multiple of the interval; `at <time or [times]> { … }`
 * on the steps of the given times only.
 */
export interface ScheduleDef extends Span {
  keyword: Ident;
  /** The interval (every) or a time or list of times (at). */
  when: Expr;
  statements: Assign[];
}
export interface ConnectDef extends Span {
  kind: 'connect';
  keyword: Ident;
  name?: Ident;
  sources: Selector[];
  targets: Selector[];
  props: Property[];
  bodyStart?: number;
}
/** input / readout / target / concept / simulate / task: a named block of properties. */
export interface BlockDef extends Span {
  kind: 'input' | 'readout' | 'target' | 'concept' | 'simulate' | 'task';
  keyword: Ident;
  name?: Ident;
  /** `input x = poisson[100]`: the kind (`poisson`) and size. */
  type?: Ident;
  size?: Expr;
  props: Property[];
  windows: TaskWindow[];
  doc?: string;
  bodyStart?: number;
}
export interface TaskWindow extends Span {
  range: Expr;
  /** The first label's value (a window has at least one label). */
  label: Expr;
  /** Every label: `"left"`, `epoch = delay`, `contrast = 0.5` (a feature = value pair has a key). */
  labels: WindowLabel[];
}
/** One label of a task window: a value, or `feature = value`. */
export interface WindowLabel extends Span {
  key?: Ident;
  value: Expr;
}
export interface ProbeDef extends Span {
  kind: 'probe';
  keyword: Ident;
  variable: Ident;
  targets: Selector[];
  every?: Expr;
}

export type Item = ModelDecl | ImportDecl | ModelDef | PopulationDef | ConnectDef | BlockDef | ProbeDef;

export interface SyntaxError extends Span {
  message: string;
  code: string;
}

export interface SnnFile {
  items: Item[];
  errors: SyntaxError[];
  comments: import('./lexer').Comment[];
  text: string;
}
