// The checker: names, dimensions, value ranges, sizes. Produces the diagnostics of one file and
// the semantic information (symbols, references, types) the LSP features and the lowering use.
import type * as A from './ast';
import { fileValueArgs, isFileValue, UNTRUSTED_DATA, type CsvTable } from './data-values';
import { degreeIn } from './linearity';
import { Severity, type Diagnostic } from './diagnostics';
import { ExprChecker, unitOf, type Binding, type Env, type Sink, type Ty } from './expressions';
import { closest } from './parser';
import {
  BUILTIN_NAMES, CONCEPT, CONNECT, DEFAULT_SPACING, SEGMENTS, INPUT_KINDS, METHODS, POPULATION, READOUT_KINDS, RULES, SIMULATE, TARGET_KINDS, TASK,
  type PropSpec, type Schema,
} from './schema';
import type { Sym } from './symbols';
import { LineIndex } from './text';
import { quote } from '../../protocol/plain-text';
import {
  DIMENSIONLESS, FREQUENCY, TIME, WEIGHT, dimName, div, formatQuantity, isDimensionless, preferredUnit, sameDim, type Dim,
} from './units';

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
}

export interface Estimate {
  node: A.ConnectDef | A.PopulationDef;
  synapses: number;
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
  simulate: { dt?: number; duration?: number; seed?: number; backend?: string };
  /** Resolved imports: path literal → uri. */
  imports: { node: A.ImportDecl; uri?: string }[];
  /** `from_file(...)` values that read clean: the call → the file as written and its values in SI units. */
  fileValues: Map<A.Expr, { file: string; values: number[] }>;
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
}

const MAX_DIAGNOSTICS = 500;
const noLookup = (): undefined => undefined;
const noNames = (): string[] => [];

const KIND_WORDS: Record<string, string> = {
  population: 'population', input: 'input', connection: 'connection', readout: 'readout', task: 'task', concept: 'concept', target: 'target',
};

// ---- entry -------------------------------------------------------------------------------

export function analyze(uri: string, file: A.SnnFile, ctx: CheckContext, isPrelude = false): FileAnalysis {
  return new FileChecker(uri, file, ctx, isPrelude).run();
}

class FileChecker implements Sink {
  private diags: Diagnostic[] = [];
  private symbols: Sym[] = [];
  private refs: FileAnalysis['references'] = [];
  private models = new Map<string, ModelInfo>();
  private own: ModelInfo[] = [];
  private network = new Map<string, NetItem>();
  private estimates: Estimate[] = [];
  private ex = new ExprChecker(this);
  private simulate: FileAnalysis['simulate'] = {};
  private imports: FileAnalysis['imports'] = [];
  private fileValues: FileAnalysis['fileValues'] = new Map();

  constructor(private uri: string, private file: A.SnnFile, private ctx: CheckContext, private isPrelude: boolean) {}

  diag(d: Diagnostic): void {
    this.diags.push(d);
  }
  ref(span: A.Span, sym: Sym): void {
    this.refs.push({ span: { start: span.start, end: span.end }, sym });
  }
  private err(span: A.Span, message: string, code: string, fixes?: Diagnostic['fixes']): void {
    this.diags.push({ start: span.start, end: span.end, severity: Severity.Error, message, code, fixes });
  }
  private warn(span: A.Span, message: string, code: string, fixes?: Diagnostic['fixes']): void {
    this.diags.push({ start: span.start, end: span.end, severity: Severity.Warning, message, code, fixes });
  }
  private sym(kind: Sym['kind'], name: A.Ident, full: A.Span, extra: Partial<Sym> = {}): Sym {
    const s: Sym = { kind, name: name.name, uri: this.uri, span: { start: name.start, end: name.end }, full: { start: full.start, end: full.end }, ...extra };
    this.symbols.push(s);
    this.refs.push({ span: s.span, sym: s });
    return s;
  }

  /** Event files (`input x = event_file[n] { file: … }`) and edge lists (`rule: from_file("…")`): the engine reads them; say now what it would refuse. */
  private checkRunFiles(items: readonly A.Item[]): void {
    if (!this.ctx.statRunFile) return;
    const check = (e: A.Expr | undefined) => {
      if (e?.kind !== 'string') return;
      // An unterminated string names no file yet: its syntax error says enough.
      if (this.file.errors.some((x) => x.start < e.end && e.start < x.end)) return;
      const why = this.ctx.statRunFile!(this.uri, e.value);
      if (why) this.err(e, why, 'missing-file');
    };
    for (const it of items) {
      if (it.kind === 'input' && it.type?.name === 'event_file') check(it.props.find((p) => p.key.name === 'file')?.value);
      if (it.kind === 'connect') {
        const rule = it.props.find((p) => p.key.name === 'rule')?.value;
        if (rule?.kind === 'call' && rule.callee.name === 'from_file') check(rule.args[0]?.value);
      }
    }
  }

  run(): FileAnalysis {
    for (const e of this.file.errors) this.diags.push({ start: e.start, end: e.end, severity: Severity.Error, message: e.message, code: e.code });
    if (!this.isPrelude) for (const [k, m] of this.ctx.preludeModels()) this.models.set(k, m);
    const items = this.file.items;
    let modelSeen = false;
    for (const it of items) {
      if (it.kind === 'model') {
        if (modelSeen) this.err(it, "only one 'model' line per file", 'duplicate');
        else if (it !== items[0]) this.err(it, "'model' must come first in the file", 'misplaced');
        modelSeen = true;
        this.sym('model', it.name, it);
      } else if (it.kind === 'import') this.checkImport(it);
    }
    // Models first: network items refer to them regardless of order.
    const ownNames = new Map<string, A.Ident>();
    for (const it of items) {
      if (it.kind !== 'neuron' && it.kind !== 'synapse') continue;
      const prev = ownNames.get(it.name.name);
      if (prev) {
        this.err(it.name, `'${it.name.name}' is already defined (line ${this.lineOf(prev.start)})`, 'duplicate');
        continue;
      }
      ownNames.set(it.name.name, it.name);
      const existing = this.models.get(it.name.name);
      if (existing && existing.uri !== this.uri && !this.isPreludeModel(existing)) {
        this.err(it.name, `'${it.name.name}' is already defined in an imported file`, 'duplicate');
      }
      const info = this.checkModel(it);
      this.own.push(info);
      this.models.set(it.name.name, info);
    }
    this.declareNetwork(items);
    for (const it of items) {
      switch (it.kind) {
        case 'population':
          this.checkPopulation(it);
          break;
        case 'connect':
          this.checkConnect(it);
          break;
        case 'probe':
          this.checkProbe(it);
          break;
        case 'input':
        case 'readout':
        case 'target':
        case 'concept':
        case 'task':
          this.checkBlock(it);
          break;
      }
    }
    const sims = items.filter((i): i is A.BlockDef => i.kind === 'simulate');
    sims.slice(1).forEach((s) => this.err(s.keyword, "only one 'simulate' block per model", 'duplicate'));
    if (sims[0]) this.checkSimulate(sims[0]);
    this.checkRunFiles(items);
    this.checkTimeConstants();
    const totals = this.checkSize();
    if (this.diags.length > MAX_DIAGNOSTICS) {
      // Garbage input: the first errors say enough; thousands more only slow the editor down.
      const extra = this.diags.length - MAX_DIAGNOSTICS;
      this.diags.sort((x, y) => x.start - y.start);
      this.diags.length = MAX_DIAGNOSTICS;
      this.diags.push({ start: 0, end: 0, severity: Severity.Error, code: 'too-many-errors', message: `${extra} more problems not shown; is this a .snn file?` });
    }
    return {
      uri: this.uri, file: this.file, diagnostics: this.diags, symbols: this.symbols, references: this.refs,
      models: this.models, ownModels: this.own, network: this.network, estimates: this.estimates, totals, simulate: this.simulate, imports: this.imports, fileValues: this.fileValues,
    };
  }

  private isPreludeModel(m: ModelInfo): boolean {
    return this.ctx.preludeModels().get(m.def.name.name) === m;
  }

  private lines?: LineIndex;
  private lineOf(offset: number): number {
    this.lines ??= new LineIndex(this.file.text);
    return this.lines.position(offset).line + 1;
  }

  // ---- imports -----------------------------------------------------------------------------
  private checkImport(it: A.ImportDecl): void {
    const r = this.ctx.importFile(this.uri, it.path.value);
    this.imports.push({ node: it, uri: r.uri });
    if (r.error) {
      this.err(it.path, r.error, r.cycle ? 'import-cycle' : 'import');
      return;
    }
    if (!r.analysis) return;
    // A cycle found while checking the imported file runs through this file too: say so here.
    const me = decodeURIComponent(this.uri.split('/').pop() ?? '');
    const cycle = r.analysis.diagnostics.find((d) => d.code === 'import-cycle' && d.message.includes(me));
    if (cycle) {
      this.err(it.path, cycle.message, 'import-cycle');
      if (r.analysis.diagnostics.every((d) => d.severity !== Severity.Error || d.code === 'import-cycle')) {
        for (const m of r.analysis.ownModels) if (!this.models.has(m.def.name.name)) this.models.set(m.def.name.name, m);
        return;
      }
    }
    for (const m of r.analysis.ownModels) {
      const prev = this.models.get(m.def.name.name);
      if (prev && !this.isPreludeModel(prev) && prev !== m) this.err(it.path, `'${m.def.name.name}' is defined both here and in an imported file`, 'duplicate');
      this.models.set(m.def.name.name, m);
    }
    const first = r.analysis.diagnostics.filter((d) => d.severity === Severity.Error).sort((x, y) => x.start - y.start)[0];
    if (first && !cycle) {
      // `run` and `export` refuse a model whose imports have errors: `check` says so as an error,
      // naming the imported file's first error and, through chains of imports, the one behind it.
      const pos = new LineIndex(r.analysis.file.text).position(first.start);
      const name = quote(decodeURIComponent((r.uri ?? it.path.value).split('/').pop() ?? it.path.value), 120);
      const at = `${name}:${pos.line + 1}:${pos.character + 1}`;
      const origin = first.code === 'import-errors' && first.origin ? first.origin : `${at}: ${quote(first.message, 160)}`;
      const message = `'${quote(it.path.value, 120)}' has errors; the first is at ${first.code === 'import-errors' && first.origin ? `${at}, from ${origin}` : origin}`;
      this.diags.push({ start: it.path.start, end: it.path.end, severity: Severity.Error, message, code: 'import-errors', origin });
    }
  }

  // ---- neuron and synapse models -------------------------------------------------------------
  private checkModel(def: A.ModelDef): ModelInfo {
    const modelSym = this.sym(def.kind, def.name, def, { doc: def.doc, detail: `${def.kind} ${def.name.name}` });
    const info: ModelInfo = { def, sym: modelSym, uri: this.uri, vars: new Map(), timeConstants: [] };
    const isSyn = def.kind === 'synapse';
    const reserved = new Set([...Object.keys(BUILTIN_NAMES), ...(isSyn ? ['w', 'target', 'pre', 'post', 'mod'] : [])]);
    const declare = (kind: VarInfo['kind'], name: A.Ident, decl: VarInfo['decl'], dim: Dim | null, value?: number, required?: boolean) => {
      if (reserved.has(name.name)) {
        this.err(name, `'${name.name}' is a built-in name (${isSyn ? 't, dt, i, N, w, target, pre, post, mod' : 't, dt, i, N'}); choose another`, 'reserved');
        return;
      }
      if (info.vars.has(name.name)) {
        this.err(name, `'${name.name}' is already declared in ${def.name.name}`, 'duplicate');
        return;
      }
      const sym = this.sym(kind, name, decl, { container: def.name.name, dim, value, doc: docOfDecl(this.file, decl) });
      info.vars.set(name.name, { sym, kind, dim, value, required, decl });
    };
    const declDim = (d: A.Decl): Dim | null | undefined => {
      if (!d.unit) return undefined;
      const w = d.unit.terms.find((t) => t.symbol === 'weight');
      if (w && !isSyn) {
        this.err(w, "'weight' (the unit of a connection's weight) exists only in synapse models; give a physical unit", 'misplaced');
        return null;
      }
      return unitOf(d.unit, this)?.dim ?? null;
    };
    // Parameters may refer to each other in any order: evaluate lazily with cycle detection.
    const paramDecls = new Map<string, A.Decl>();
    for (const p of def.parameters) if (!paramDecls.has(p.name.name)) paramDecls.set(p.name.name, p);
    const paramTy = new Map<string, Binding>();
    const evalParam = (name: string): Binding | undefined => {
      const got = paramTy.get(name);
      if (got) return got;
      const p = paramDecls.get(name);
      if (!p) return undefined;
      paramTy.set(name, { dim: null, pending: true });
      const unitDim = declDim(p);
      let b: Binding = { dim: unitDim ?? null };
      if (p.value) {
        const t = this.ex.check(p.value, paramEnv);
        if (t.dist) this.err(p.value, 'a parameter default must be a constant; set per-neuron values from a distribution in the population', 'bad-expression');
        if (unitDim) this.ex.expectDim(p.value, t, unitDim, `parameter ${name}`);
        b = { dim: unitDim ?? t.dim ?? (t.value === 0 ? DIMENSIONLESS : null), value: t.value };
        this.checkValueRange(p.value, t, name, b.dim);
        if (t.bool) this.err(p.value, `parameter ${name} must be a value, not a condition`, 'not-value');
      }
      paramTy.set(name, b);
      return b;
    };
    const paramEnv: Env = {
      context: `a parameter of ${def.name.name}`,
      lookup: (name, span) => {
        const b = paramTy.get(name);
        if (b?.pending) {
          this.err(span, `parameter '${name}' depends on itself`, 'cycle');
          return { dim: null };
        }
        const r = evalParam(name);
        if (r) {
          const v = info.vars.get(name);
          return { ...r, sym: v?.sym };
        }
        return undefined;
      },
      names: () => paramDecls.keys(),
    };
    for (const p of def.parameters) {
      const b = evalParam(p.name.name) ?? { dim: null };
      declare('parameter', p.name, p, b.dim, b.value, !p.value);
      // Refresh the binding's symbol now that it exists.
    }
    // Re-resolve references made before the symbols existed: re-check parameters cheaply.
    this.fixParamRefs(def, info);
    // State variables.
    for (const s of def.state) {
      const unitDim = declDim(s);
      let dim: Dim | null = unitDim ?? null;
      let value: number | undefined;
      if (s.value) {
        const t = this.ex.check(s.value, this.modelEnv(info, 'init'));
        if (unitDim) this.ex.expectDim(s.value, t, unitDim, `the initial value of ${s.name.name}`);
        else dim = t.dim ?? DIMENSIONLESS;
        value = t.value;
      } else if (!unitDim) dim = DIMENSIONLESS;
      declare('state', s.name, s, dim, value);
    }
    // Named expressions, then ODEs.
    const aliases = def.equations.filter((e): e is A.Alias => e.kind === 'alias');
    const aliasDecl = new Map<string, A.Alias>();
    for (const a of aliases) {
      if (info.vars.has(a.name.name) && !aliasDecl.has(a.name.name)) {
        const v = info.vars.get(a.name.name)!;
        this.err(a.name, `'${a.name.name}' is a ${v.kind === 'state' ? 'state variable' : 'parameter'} of ${def.name.name}; an equation for it is written d${a.name.name}/dt = ...`, 'duplicate');
        continue;
      }
      if (aliasDecl.has(a.name.name)) {
        this.err(a.name, `'${a.name.name}' is already defined in ${def.name.name}`, 'duplicate');
        continue;
      }
      aliasDecl.set(a.name.name, a);
    }
    const aliasTy = new Map<string, Binding>();
    const env = this.modelEnv(info, 'equation', (name, span) => {
      const a = aliasDecl.get(name);
      if (!a) return undefined;
      const got = aliasTy.get(name);
      if (got?.pending) {
        this.err(span, `'${name}' is defined in terms of itself`, 'cycle');
        return { dim: null };
      }
      if (got) return got;
      aliasTy.set(name, { dim: null, pending: true });
      const t = this.ex.check(a.rhs, env);
      const b: Binding = { dim: t.dim, value: undefined };
      aliasTy.set(name, b);
      return b;
    });
    for (const a of aliasDecl.values()) {
      const b = env.lookup(a.name.name, a.name) ?? { dim: null };
      declare('alias', a.name, a, b.dim);
    }
    // Bind alias symbols for references made while computing.
    for (const [name, b] of aliasTy) b.sym = info.vars.get(name)?.sym;
    const odeSeen = new Set<string>();
    for (const eq of def.equations) {
      if (eq.kind !== 'ode') continue;
      if (isSyn && eq.variable.name === 'w') {
        // The weight of a plastic synapse may follow an ODE.
        const t = this.ex.check(eq.rhs, env);
        if (t.dim && !sameDim(t.dim, div(WEIGHT, TIME))) this.err(eq.rhs, `unit mismatch: ${dimName(t.dim)} vs weight/second (the right side of dw/dt must be the weight's unit per second)`, 'unit-mismatch');
        continue;
      }
      const v = info.vars.get(eq.variable.name);
      if (!v || v.kind !== 'state') {
        const guess = closest(eq.variable.name, [...info.vars.values()].filter((x) => x.kind === 'state').map((x) => x.sym.name));
        this.err(eq.variable, `d${eq.variable.name}/dt: '${eq.variable.name}' is not a state variable of ${def.name.name}${guess ? ` (did you mean '${guess}'?)` : '; declare it in state { }'}`, 'unknown-name');
        this.ex.check(eq.rhs, env);
        continue;
      }
      this.ref(eq.variable, v.sym);
      if (odeSeen.has(eq.variable.name)) this.err(eq.variable, `d${eq.variable.name}/dt is defined twice`, 'duplicate');
      odeSeen.add(eq.variable.name);
      const t = this.ex.check(eq.rhs, env);
      if (v.dim && t.dim) {
        const want = div(v.dim, TIME);
        if (!sameDim(want, t.dim)) {
          if (t.bare) this.ex.bareNumber(eq.rhs, want, `d${eq.variable.name}/dt`);
          else this.err(eq.rhs, `unit mismatch: ${dimName(t.dim)} vs ${dimName(want)} (the right side of d${eq.variable.name}/dt must be ${dimName(want)}: the unit of ${eq.variable.name} per second)`, 'unit-mismatch');
        }
      }
      if (t.bool) this.err(eq.rhs, 'an equation needs a value, not a condition', 'not-value');
      collectTimeConstants(eq.rhs, info);
    }
    if (def.method && !METHODS.includes(def.method.name)) {
      this.err(def.method, `unknown integration method '${def.method.name}'; use one of ${METHODS.join(', ')}`, 'unknown-name');
    }
    if (def.method?.name === 'exponential') {
      // Exponential Euler with calls held over the step: x must enter affinely outside calls.
      const aliasList = [...aliasDecl.values()];
      const aliasNames = new Set(aliasDecl.keys());
      for (const eq of def.equations) {
        if (eq.kind !== 'ode' || degreeIn(eq.rhs, eq.variable.name, aliasList, aliasNames, true) <= 1) continue;
        this.err(eq.rhs, `method exponential needs d${eq.variable.name}/dt = a + b·${eq.variable.name} with ${eq.variable.name} outside function calls appearing only linearly (calls are held over the step); use rk2 or rk4 for this equation`, 'bad-method');
      }
    }
    if (def.spike) {
      if (isSyn) this.err(def.spike, 'synapse models do not spike; spike conditions belong in neuron models', 'misplaced');
      const t = this.ex.check(def.spike, env);
      if (!t.bool && t.dim !== null) this.err(def.spike, `a spike condition must be a comparison (e.g. v > V_th), this is a value of ${dimName(t.dim)}`, 'not-boolean');
    }
    if (def.refractory) {
      const t = this.ex.check(def.refractory, env);
      this.ex.expectDim(def.refractory, t, TIME, 'the refractory period');
      if (t.value !== undefined && t.value < 0) this.err(def.refractory, 'the refractory period must not be negative', 'out-of-range');
    }
    if (def.reset) {
      if (isSyn) this.err(def.reset[0] ?? def, 'synapse models have on_pre/on_post, not reset', 'misplaced');
      this.checkStatements(def.reset, env, info, 'reset');
    }
    if ((def.onPre || def.onPost) && !isSyn) {
      this.err(def.onPre?.[0] ?? def.onPost?.[0] ?? def.name, 'on_pre/on_post belong in synapse models; a neuron uses reset { }', 'misplaced');
    }
    if (def.onPre) this.checkStatements(def.onPre, env, info, 'on_pre');
    if (def.onPost) this.checkStatements(def.onPost, env, info, 'on_post');
    if (!isSyn && !def.spike && def.state.length > 0 && !this.isPrelude) {
      // A neuron that never spikes is legal (e.g. an astrocyte), but worth a hint.
      this.diags.push({ start: def.name.start, end: def.name.end, severity: Severity.Hint, message: `${def.name.name} has no spike condition: it never spikes`, code: 'no-spike' });
    }
    return info;
  }

  /** Parameter references were recorded before their symbols existed; attach them now. */
  private fixParamRefs(def: A.ModelDef, info: ModelInfo): void {
    const known = new Set<number>();
    for (const r of this.refs) if (r.span.start >= def.start && r.span.start < def.end) known.add(r.span.start);
    for (const p of def.parameters) {
      if (!p.value) continue;
      walk(p.value, (e) => {
        if (e.kind === 'name') {
          const v = info.vars.get(e.name);
          if (v && !known.has(e.start)) this.ref(e, v.sym);
        }
      });
    }
  }

  /** Names visible inside a model: parameters, state, named expressions, built-ins, synapse extras. */
  private modelEnv(info: ModelInfo, mode: 'init' | 'equation', extra?: (name: string, span: A.Span) => Binding | undefined, overrides?: { w?: Dim | null; target?: Dim | null; post?: ModelInfo; pre?: ModelInfo; mod?: ModelInfo }): Env {
    const isSyn = info.def.kind === 'synapse';
    const env: Env = {
      context: `a parameter${mode === 'equation' ? ', state variable or named expression' : ''} of ${info.def.name.name}`,
      allowRandom: mode === 'equation',
      lookup: (name, span) => {
        const v = info.vars.get(name);
        if (v && (mode === 'equation' || v.kind === 'parameter')) {
          // A synapse used by a connection: `weight` stands for the connection's weight unit.
          const dim = v.dim && overrides?.w ? substWeight(v.dim, overrides.w) : v.dim;
          return { dim, value: v.kind === 'parameter' ? v.value : undefined, sym: v.sym };
        }
        const x = extra?.(name, span);
        if (x) return x;
        if (mode === 'init' && v) return undefined;
        const b = BUILTIN_NAMES[name];
        if (b && (mode === 'equation' || name === 'N' || name === 'i')) return { dim: b.dim };
        if (isSyn && mode === 'equation') {
          if (name === 'w') return { dim: overrides && 'w' in overrides ? overrides.w ?? null : WEIGHT };
          if (name === 'target') return { dim: overrides && 'target' in overrides ? overrides.target ?? null : WEIGHT };
        }
        return undefined;
      },
      member: (object, member) => {
        if (!isSyn || !['pre', 'post', 'mod'].includes(object)) {
          this.err(member, `'${object}.${member.name}': only pre., post. and mod. are allowed, in synapse models`, 'bad-expression');
          return undefined;
        }
        const m = overrides?.[object as 'pre' | 'post' | 'mod'];
        if (!m) return { dim: null }; // checked when a connection uses the synapse
        const v = m.vars.get(member.name);
        if (!v) {
          this.err(member, `${m.def.name.name} (the ${object === 'mod' ? 'modulating' : object + 'synaptic'} model) has no variable '${member.name}'`, 'unknown-name');
          return undefined;
        }
        return { dim: v.dim, sym: v.sym };
      },
      names: function* () {
        for (const [k, v] of info.vars) if (mode === 'equation' || v.kind === 'parameter') yield k;
        yield* Object.keys(BUILTIN_NAMES);
        if (isSyn) yield* ['w', 'target'];
      },
    };
    return env;
  }

  private checkStatements(stmts: A.Assign[], env: Env, info: ModelInfo | undefined, where: string, assignable?: (name: string) => Binding | undefined): void {
    for (const s of stmts) {
      let target: Ty = { dim: null };
      if (s.target.kind === 'name') {
        const name = s.target.name;
        const v = info?.vars.get(name);
        const isSyn = info?.def.kind === 'synapse';
        if (assignable) {
          const b = assignable(name);
          if (!b) this.err(s.target, `cannot assign '${name}' in ${where}: not a variable of the target model`, 'unknown-name');
          else {
            if (b.sym) this.ref(s.target, b.sym);
            target = { dim: b.dim };
          }
        } else if (v) {
          if (v.kind !== 'state') this.err(s.target, `cannot assign '${name}' in ${where}: it is a ${v.kind === 'parameter' ? 'parameter' : 'named expression'}; only state variables change`, 'not-assignable');
          this.ref(s.target, v.sym);
          target = { dim: v.dim };
        } else if (isSyn && (name === 'w' || name === 'target')) {
          target = this.ex.check(s.target, env);
        } else {
          target = this.ex.check(s.target, env);
        }
      } else if (s.target.kind === 'member') {
        target = this.ex.check(s.target, env);
      } else this.err(s.target, 'expected a variable name on the left of the assignment', 'not-assignable');
      const value = this.ex.check(s.value, env);
      if (value.bool) this.err(s.value, 'cannot assign a condition to a variable', 'not-value');
      if (s.op === '*=' || s.op === '/=') {
        if (value.dim && !isDimensionless(value.dim)) this.err(s.value, `'${s.op}' needs a dimensionless factor, this is ${dimName(value.dim)}`, 'unit-mismatch');
      } else if (target.dim) this.ex.expectDim(s.value, value, target.dim, `the value assigned to ${exprText(s.target)}`);
    }
  }

  // ---- network ------------------------------------------------------------------------------
  private declareNetwork(items: A.Item[]): void {
    const add = (name: A.Ident | undefined, mk: (sym: Sym) => NetItem, kind: Sym['kind'], full: A.Span, detail: string, doc?: string) => {
      if (!name) return;
      const prev = this.network.get(name.name);
      if (prev) {
        this.err(name, `'${name.name}' is already defined (${KIND_WORDS[prev.kind]} at offset ${prev.sym.span.start})`.replace(/ at offset \d+/, ''), 'duplicate');
        return;
      }
      if (this.models.has(name.name) && this.own.some((m) => m.def.name.name === name.name)) {
        this.err(name, `'${name.name}' is already the name of a ${this.models.get(name.name)!.def.kind} model`, 'duplicate');
        return;
      }
      const sym = this.sym(kind, name, full, { detail, doc });
      this.network.set(name.name, mk(sym));
    };
    for (const it of items) {
      if (it.kind === 'population') {
        add(it.name, (sym) => ({ kind: 'population', node: it, sym }), 'population', it, `population ${it.name.name} = ${it.model.name}[…]`, it.doc);
      } else if (it.kind === 'connect' && it.name) {
        add(it.name, (sym) => ({ kind: 'connection', node: it, sym }), 'connection', it, `connection ${it.name!.name}`);
      } else if (it.kind === 'input') {
        const spec = it.type ? INPUT_KINDS[it.type.name] : undefined;
        add(it.name, (sym) => ({ kind: 'input', node: it, sym, spiking: spec?.spiking ?? true }), 'input', it, `input ${it.name?.name} = ${it.type?.name ?? '?'}`, it.doc);
      } else if (it.kind === 'readout' || it.kind === 'task' || it.kind === 'concept' || it.kind === 'target') {
        const k = it.kind;
        add(it.name, (sym) => ({ kind: k, node: it, sym }), k, it, `${k} ${it.name?.name}`, it.doc);
      }
    }
  }

  private constInt(e: A.Expr | undefined, what: string, min = 0): number | undefined {
    if (!e) return undefined;
    const t = this.ex.check(e, this.constEnv(what));
    if (t.dim && !isDimensionless(t.dim)) {
      this.err(e, `${what} is a count and has no unit; this is ${dimName(t.dim)}`, 'unit-mismatch');
      return undefined;
    }
    if (t.value === undefined) {
      if (t.dim !== null || e.kind !== 'error') this.err(e, `${what} must be a constant whole number`, 'not-constant');
      return undefined;
    }
    if (!Number.isInteger(t.value) || t.value < min) {
      this.err(e, `${what} must be a whole number ≥ ${min}, got ${t.value}`, 'out-of-range');
      return undefined;
    }
    return t.value;
  }

  private constEnvs = new Map<string, Env>();
  /** Environment of constant expressions (no names); shared, as it is built very often. */
  private constEnv(context: string, allowDist = false): Env {
    const key = `${allowDist ? 1 : 0}${context}`;
    let env = this.constEnvs.get(key);
    if (!env) {
      env = { context, allowDist, lookup: noLookup, names: noNames };
      this.constEnvs.set(key, env);
    }
    return env;
  }

  private checkPopulation(p: A.PopulationDef): void {
    const item = this.network.get(p.name.name);
    const model = this.models.get(p.model.name);
    if (!model) {
      const guess = closest(p.model.name, [...this.models.values()].filter((m) => m.def.kind === 'neuron').map((m) => m.def.name.name));
      this.err(p.model, `unknown neuron model '${p.model.name}'${guess ? ` (did you mean '${guess}'?)` : ''}`, 'unknown-name',
        guess ? [{ kind: 'replace', start: p.model.start, end: p.model.end, text: guess, title: `Change to '${guess}'` }] : undefined);
    } else {
      this.ref(p.model, model.sym);
      if (model.def.kind !== 'neuron') this.err(p.model, `'${p.model.name}' is a synapse model; a population needs a neuron model`, 'wrong-kind');
    }
    const size = this.constInt(p.size, 'the population size', 1);
    if (item && item.kind === 'population' && item.node === p) {
      item.model = model?.def.kind === 'neuron' ? model : undefined;
      item.size = size;
      item.sym.detail = `population ${p.name.name} = ${p.model.name}[${size ?? '?'}]`;
    }
    const seen = new Set<string>();
    for (const a of p.inits) {
      if (a.target.kind !== 'name') {
        this.err(a.target, 'expected a parameter or state variable name', 'not-assignable');
        continue;
      }
      const name = a.target.name;
      if (a.op !== '=') this.err(a, `use '=' to set ${name} in a population`, 'syntax');
      if (seen.has(name)) this.err(a.target, `'${name}' is set twice`, 'duplicate');
      seen.add(name);
      const v = model?.vars.get(name);
      const fromFile = isFileValue(a.value) ? a.value : undefined;
      const t: Ty = fromFile
        ? { dim: null }
        : this.ex.check(a.value, { ...this.constEnv('a constant or a distribution', true), context: 'a constant or a distribution', lookup: (n) => (n === 'N' || n === 'i' ? { dim: DIMENSIONLESS } : undefined) });
      if (!model) continue;
      if (!v || v.kind === 'alias') {
        const guess = closest(name, [...model.vars.values()].filter((x) => x.kind !== 'alias').map((x) => x.sym.name));
        this.err(a.target, `${model.def.name.name} has no parameter or state variable '${name}'${guess ? ` (did you mean '${guess}'?)` : ''}`, 'unknown-name',
          guess ? [{ kind: 'replace', start: a.target.start, end: a.target.end, text: guess, title: `Change to '${guess}'` }] : undefined);
        continue;
      }
      this.ref(a.target, v.sym);
      if (fromFile) {
        // One value per neuron, read from a column of a data file.
        const fv = this.checkFileValue(fromFile, name, v.dim, `${name} (${v.kind} of ${model.def.name.name})`);
        if (fv && size !== undefined && fv.values.length !== size) {
          this.err(fromFile, `${fv.file} has ${fv.values.length} values of ${name} (column '${fv.column}'); population ${p.name.name} has ${size} neurons (one row per neuron)`, 'size-mismatch');
        }
        if (fv?.values.length) this.checkValueRange(fromFile, { dim: v.dim, value: fv.values.reduce((x, y) => Math.min(x, y)) }, name, v.dim);
        continue;
      }
      if (a.value.kind === 'list') {
        // One value per neuron: constants of the variable's unit, as many as the population has.
        const items = a.value.items;
        t.list?.forEach((x, k) => {
          if (x.value === undefined && x.dim !== null) this.err(items[k], `each value of ${name} in the list must be a constant`, 'not-constant');
          else if (v.dim && this.ex.expectDim(items[k], x, v.dim, `each value of ${name} (${v.kind} of ${model.def.name.name})`)) this.checkValueRange(items[k], x, name, v.dim);
        });
        if (size !== undefined && items.length !== size) this.err(a.value, `${items.length} values of ${name} listed; population ${p.name.name} has ${size} neurons (one value per neuron)`, 'size-mismatch');
        continue;
      }
      if (v.dim) this.ex.expectDim(a.value, t, v.dim, `${name} (${v.kind} of ${model.def.name.name})`);
      this.checkValueRange(a.value, t, name, v.dim);
    }
    if (model) {
      for (const v of model.vars.values()) {
        if (v.required && !seen.has(v.sym.name)) {
          this.err(p.name, `population ${p.name.name} must set parameter '${v.sym.name}' of ${model.def.name.name} (it has no default)`, 'missing-parameter');
        }
      }
    }
    this.checkProps(p.props, POPULATION, `population ${p.name.name}`);
    const layout = p.props.find((q) => q.key.name === 'layout')?.value;
    if (layout && size !== undefined) {
      if (layout.kind === 'name' && layout.name === 'grid') this.err(layout, `give the grid's shape: grid(rows = R, cols = C) with R × C = ${size}`, 'bad-value');
      const g = layoutOf(p, (e) => this.ex.check(e, this.constEnv('a constant')).value);
      if (g?.kind === 'grid' && g.rows && g.cols && g.rows * g.cols !== size) this.err(layout, `grid(rows = ${g.rows}, cols = ${g.cols}) holds ${g.rows * g.cols} neurons but ${p.name.name} has ${size}`, 'size-mismatch');
    }
  }

  /** Range checks that follow from names: time constants and rates are not negative. */
  private checkValueRange(e: A.Expr, t: Ty, name: string, dim: Dim | null | undefined): void {
    const lo = t.value ?? (t.dist?.dist === 'uniform' ? t.dist.args[0] : undefined);
    if (lo === undefined || !dim) return;
    if ((sameDim(dim, TIME) || sameDim(dim, FREQUENCY)) && lo < 0) {
      this.err(e, `${name} is a ${sameDim(dim, TIME) ? 'time' : 'rate'} and must not be negative (got ${formatQuantity(lo, dim)})`, 'out-of-range');
    }
    if (/^tau/.test(name) && sameDim(dim, TIME) && lo === 0) this.err(e, `time constant ${name} must be positive`, 'out-of-range');
  }

  private resolveNet(id: A.Ident, want: NetItem['kind'][], what: string): NetItem | undefined {
    const item = this.network.get(id.name);
    if (!item || !want.includes(item.kind)) {
      const cands = [...this.network.values()].filter((x) => want.includes(x.kind)).map((x) => x.sym.name);
      const guess = closest(id.name, cands);
      this.err(id, item ? `'${id.name}' is a ${KIND_WORDS[item.kind]}, expected ${what}` : `unknown ${what} '${id.name}'${guess ? ` (did you mean '${guess}'?)` : ''}`, 'unknown-name',
        guess && !item ? [{ kind: 'replace', start: id.start, end: id.end, text: guess, title: `Change to '${guess}'` }] : undefined);
      return undefined;
    }
    this.ref(id, item.sym);
    return item;
  }

  private sizeOf(item: NetItem | undefined): number | undefined {
    if (!item) return undefined;
    if (item.kind === 'population') return item.size;
    if (item.kind === 'input') return item.size;
    return undefined;
  }

  /** A selector `pop` or `pop[a..b]` / `pop[k]`: returns the number of neurons selected. */
  private checkSelector(sel: A.Selector, want: NetItem['kind'][], what: string): { item?: NetItem; count?: number } {
    const item = this.resolveNet(sel.name, want, what);
    const size = this.sizeOf(item);
    if (!sel.range) return { item, count: size };
    const env = this.constEnv('a constant index');
    const r = sel.range;
    if (r.kind === 'range') {
      const a = this.ex.check(r.from, env);
      const b = this.ex.check(r.to, env);
      if (a.value === undefined || b.value === undefined) return { item, count: undefined };
      if (!Number.isInteger(a.value) || !Number.isInteger(b.value) || a.value < 0 || b.value < a.value) {
        this.err(r, 'a slice is a..b with whole numbers 0 ≤ a ≤ b (both ends included)', 'out-of-range');
        return { item };
      }
      if (size !== undefined && b.value >= size) this.err(r, `index ${b.value} is outside ${sel.name.name} (size ${size}, indices 0..${size - 1})`, 'out-of-range');
      return { item, count: b.value - a.value + 1 };
    }
    const k = this.ex.check(r, env);
    if (k.value === undefined || !Number.isInteger(k.value) || k.value < 0) {
      this.err(r, 'an index is a constant whole number ≥ 0', 'out-of-range');
      return { item };
    }
    if (size !== undefined && k.value >= size) this.err(r, `index ${k.value} is outside ${sel.name.name} (size ${size})`, 'out-of-range');
    return { item, count: 1 };
  }

  private propMap(props: A.Property[], schema: Schema, where: string): Map<string, A.Property> {
    const m = new Map<string, A.Property>();
    for (const p of props) {
      if (!schema[p.key.name]) {
        const guess = closest(p.key.name, Object.keys(schema));
        this.err(p.key, `unknown property '${p.key.name}' in ${where}${guess ? ` (did you mean '${guess}'?)` : `; expected one of ${Object.keys(schema).join(', ')}`}`, 'unknown-property',
          guess ? [{ kind: 'replace', start: p.key.start, end: p.key.end, text: guess, title: `Change to '${guess}'` }] : undefined);
        continue;
      }
      if (m.has(p.key.name)) this.err(p.key, `'${p.key.name}' is set twice`, 'duplicate');
      m.set(p.key.name, p);
    }
    return m;
  }

  /** Generic property checks against a schema; returns values of simple quantity properties. */
  private checkProps(props: A.Property[], schema: Schema, where: string, anchor?: A.Span): Map<string, { prop: A.Property; ty: Ty }> {
    const m = this.propMap(props, schema, where);
    const out = new Map<string, { prop: A.Property; ty: Ty }>();
    for (const [key, spec] of Object.entries(schema)) {
      const p = m.get(key);
      if (!p) {
        if (spec.required && anchor) this.err(anchor, `${where} needs '${key}:'${spec.example ? ` (e.g. ${key}: ${spec.example})` : ''}`, 'missing-property');
        continue;
      }
      out.set(key, { prop: p, ty: this.checkValue(p, spec, where) });
    }
    return out;
  }

  private checkValue(p: A.Property, spec: PropSpec, where: string): Ty {
    const v = spec.value;
    const e = p.value;
    const label = `${p.key.name} in ${where}`;
    switch (v.kind) {
      case 'quantity': {
        const t = this.ex.check(e, this.constEnv('a constant', v.dist));
        if (t.bool) {
          this.err(e, `${label} must be a value, not a condition`, 'not-value');
          return t;
        }
        this.ex.expectDim(e, t, v.dim, p.key.name);
        const values = t.dist ? (t.dist.dist === 'uniform' ? [t.dist.args[0], t.dist.args[1]] : t.dist.dist === 'normal' ? [t.dist.args[0]] : []) : t.value !== undefined ? [t.value] : [];
        if (!t.dist && t.value === undefined && t.dim !== null && e.kind !== 'error') this.err(e, `${p.key.name} must be a constant`, 'not-constant');
        for (const x of values) {
          if (v.min !== undefined && (x < v.min || (v.minExclusive && x === v.min))) {
            this.err(e, `${p.key.name} must be ${v.minExclusive ? '>' : '≥'} ${formatQuantity(v.min, v.dim)}, got ${formatQuantity(x, v.dim)}`, 'out-of-range');
          }
          if (v.max !== undefined && x > v.max) this.err(e, `${p.key.name} must be ≤ ${formatQuantity(v.max, v.dim)}, got ${formatQuantity(x, v.dim)}`, 'out-of-range');
          if (v.integer && !Number.isInteger(x)) this.err(e, `${p.key.name} must be a whole number, got ${x}`, 'out-of-range');
        }
        return t;
      }
      case 'enum': {
        if (e.kind !== 'name' || !v.values.includes(e.name)) {
          const guess = e.kind === 'name' ? closest(e.name, v.values) : undefined;
          this.err(e, `${p.key.name} must be one of ${v.values.join(', ')}${guess ? ` (did you mean '${guess}'?)` : ''}`, 'bad-value',
            guess ? [{ kind: 'replace', start: e.start, end: e.end, text: guess, title: `Change to '${guess}'` }] : undefined);
          return { dim: null };
        }
        return { dim: null, str: e.name };
      }
      case 'bool':
        if (e.kind !== 'bool') this.err(e, `${p.key.name} must be true or false`, 'bad-value');
        return { dim: null, value: e.kind === 'bool' ? Number(e.value) : undefined };
      case 'string':
        if (e.kind !== 'string') this.err(e, `${p.key.name} must be a string in quotes (e.g. ${spec.example ?? '"file.csv"'})`, 'bad-value');
        return { dim: null, str: e.kind === 'string' ? e.value : undefined };
      case 'ref': {
        if (v.many && e.kind === 'list') {
          for (const x of e.items) {
            if (x.kind !== 'name') this.err(x, `${p.key.name} lists ${v.to} names`, 'bad-value');
            else this.resolveNet({ name: x.name, start: x.start, end: x.end }, [v.to], `${v.to}`);
          }
          return { dim: null };
        }
        if (e.kind !== 'name') {
          this.err(e, `${p.key.name} must name a ${v.to}`, 'bad-value');
          return { dim: null };
        }
        this.resolveNet({ name: e.name, start: e.start, end: e.end }, [v.to], `${v.to}`);
        return { dim: null, str: e.name };
      }
      case 'timeRange': {
        const t = this.ex.check(e, this.constEnv('a constant'));
        if (e.kind !== 'range') this.err(e, `${p.key.name} must be a time range such as 100 ms .. 200 ms`, 'bad-value');
        else {
          this.ex.expectDim(e.from, t.range![0], TIME, 'the start of the range');
          this.ex.expectDim(e.to, t.range![1], TIME, 'the end of the range');
          const [a, b] = t.range!;
          if (a.value !== undefined && b.value !== undefined && b.value <= a.value) this.err(e, 'the end of a time range must come after its start', 'out-of-range');
        }
        return t;
      }
      case 'list': {
        if (e.kind !== 'list') {
          this.err(e, `${p.key.name} must be a list [a, b, …]`, 'bad-value');
          return { dim: null };
        }
        const t = this.ex.check(e, this.constEnv('a constant'));
        const dim = v.dim === 'target' ? undefined : v.dim;
        t.list?.forEach((x, k) => {
          if (dim) this.ex.expectDim(e.items[k], x, dim, `each element of ${p.key.name}`);
          if (v.integer && x.value !== undefined && (!Number.isInteger(x.value) || x.value < 0)) this.err(e.items[k], `each element of ${p.key.name} must be a whole number ≥ 0`, 'out-of-range');
          if (x.value === undefined && x.dim !== null) this.err(e.items[k], 'list elements must be constants', 'not-constant');
        });
        return t;
      }
      case 'layout': {
        const ok = (e.kind === 'name' && ['ring', 'line', 'grid'].includes(e.name)) || (e.kind === 'call' && e.callee.name === 'grid');
        if (!ok) this.err(e, `layout must be ring, line or grid(rows = R, cols = C)`, 'bad-value');
        if (e.kind === 'call') {
          const names = e.args.map((a) => a.name?.name);
          for (const a of e.args) this.constInt(a.value, `grid ${a.name?.name ?? 'size'}`, 1);
          if (!(names.includes('rows') && names.includes('cols')) && e.args.length !== 2) this.err(e, 'grid needs rows and cols: grid(rows = 10, cols = 20)', 'bad-arguments');
        }
        return { dim: null };
      }
      default:
        return { dim: null }; // checked by the caller (connect-specific kinds)
    }
  }

  private checkConnect(c: A.ConnectDef): void {
    const srcs = c.sources.map((s) => this.checkSelector(s, ['population', 'input'], 'population or input'));
    const tgts = c.targets.map((s) => this.checkSelector(s, ['population'], 'population'));
    srcs.forEach((s, k) => {
      if (s.item?.kind === 'input' && !s.item.spiking) this.err(c.sources[k], `'${c.sources[k].name.name}' is a current input; it drives a variable directly (target:) and cannot be a spike source`, 'wrong-kind');
    });
    const where = 'connect';
    const anchor = c.keyword;
    const props = this.propMap(c.props, CONNECT, where);
    const targetModels = tgts.map((t) => (t.item?.kind === 'population' ? t.item.model : undefined)).filter((m): m is ModelInfo => !!m);
    const sourceModels = srcs.map((t) => (t.item?.kind === 'population' ? t.item.model : undefined)).filter((m): m is ModelInfo => !!m);
    // Target variable
    let targetDim: Dim | null | undefined;
    const tp = props.get('target');
    if (tp) {
      if (tp.value.kind !== 'name') this.err(tp.value, 'target must name a state variable of the target population(s)', 'bad-value');
      else {
        const name = tp.value.name;
        for (const m of new Set(targetModels)) {
          const v = m.vars.get(name);
          if (!v || v.kind !== 'state') {
            const guess = closest(name, [...m.vars.values()].filter((x) => x.kind === 'state').map((x) => x.sym.name));
            this.err(tp.value, `${m.def.name.name} has no state variable '${name}'${guess ? ` (did you mean '${guess}'?)` : ''}`, 'unknown-name',
              guess ? [{ kind: 'replace', start: tp.value.start, end: tp.value.end, text: guess, title: `Change to '${guess}'` }] : undefined);
            continue;
          }
          this.ref(tp.value, v.sym);
          if (targetDim && v.dim && !sameDim(targetDim, v.dim)) this.err(tp.value, `'${name}' has different units in the target populations (${dimName(targetDim)} vs ${dimName(v.dim)})`, 'unit-mismatch');
          targetDim = targetDim ?? v.dim;
        }
      }
    }
    // Dendritic segments: the rule draws for count × (target neurons) segments.
    const segp = props.get('segments');
    const seg = segp ? this.checkSegments(segp) : undefined;
    const perTarget = seg?.count ?? 1;
    const ruleTgts = tgts.map((t) => ({ count: t.count === undefined ? undefined : t.count * perTarget }));
    // Rule
    const rp = props.get('rule');
    let expectedPerPair: ((ns: number, nt: number) => number) | undefined;
    if (!rp) this.err(anchor, `connect needs 'rule:' (e.g. rule: ${CONNECT.rule.example})`, 'missing-property');
    else expectedPerPair = this.checkRule(rp.value, c, srcs, ruleTgts);
    // Weight
    const wp = props.get('weight');
    let weightTy: Ty | undefined;
    if (!wp) this.err(anchor, `connect needs 'weight:' (e.g. weight: ${CONNECT.weight.example})`, 'missing-property');
    else if (wp.value.kind === 'list') {
      weightTy = this.checkSynapseList(wp.value, rp?.value, srcs, tgts, 'weight', targetDim ?? undefined);
    } else if (isFileValue(wp.value)) {
      const fv = this.checkFileValue(wp.value, 'weight', targetDim, 'the weight');
      if (fv) this.checkSynapseCount(wp.value, rp?.value, srcs, tgts, 'weight', fv.values.length, fv.file);
      weightTy = { dim: targetDim ?? fv?.dim ?? null };
    } else {
      weightTy = this.ex.check(wp.value, this.constEnv('a constant or a distribution', true));
      if (targetDim) this.ex.expectDim(wp.value, weightTy, targetDim, `the weight (in the unit of ${exprText(tp!.value)})`);
    }
    const weightDim = targetDim ?? (weightTy?.dim && !weightTy.bare ? weightTy.dim : weightTy?.dim ?? null);
    // Delay
    const dp = props.get('delay');
    if (dp && dp.value.kind === 'list') {
      const t = this.checkSynapseList(dp.value, rp?.value, srcs, tgts, 'delay', TIME);
      const vals = (t.list ?? []).map((x) => x.value).filter((x): x is number => x !== undefined);
      vals.forEach((x, k) => {
        if (x < 0) this.err((dp.value as A.ListLit).items[k], 'a delay must not be negative', 'out-of-range');
      });
      if (vals.length) this.pendingDelays.push({ expr: dp.value, min: Math.min(...vals) });
    } else if (dp && isFileValue(dp.value)) {
      const fv = this.checkFileValue(dp.value, 'delay', TIME, 'the delay');
      if (fv) {
        this.checkSynapseCount(dp.value, rp?.value, srcs, tgts, 'delay', fv.values.length, fv.file);
        const min = fv.values.reduce((x, y) => Math.min(x, y), Infinity);
        if (min < 0) this.err(dp.value, `${fv.file} has a negative delay (${formatQuantity(min, TIME)}); delays must not be negative`, 'out-of-range');
        else if (fv.values.length) this.pendingDelays.push({ expr: dp.value, min });
      }
    } else if (dp) {
      const t = this.checkValue(dp, CONNECT.delay, where);
      const lo = t.value ?? (t.dist?.dist === 'uniform' ? t.dist.args[0] : t.dist?.dist === 'normal' ? t.dist.args[0] - 3 * t.dist.args[1] : undefined);
      this.pendingDelays.push({ expr: dp.value, min: lo, unbounded: t.dist?.dist === 'exponential' || t.dist?.dist === 'lognormal' });
    }
    // Synapse model or inline statements
    const sp = props.get('synapse');
    const onPre = props.get('on_pre');
    const onPost = props.get('on_post');
    if (sp) this.checkSynapseUse(sp, weightDim, targetDim, tgts, srcs, props);
    if (onPre || onPost) {
      if (sp) this.err((onPre ?? onPost)!.key, 'give either a synapse model (synapse:) or inline on_pre/on_post statements, not both', 'conflict');
      // Inline statements: names are postsynaptic variables, `w` is the weight.
      for (const pr of [onPre, onPost]) {
        if (!pr?.statements) continue;
        const m = targetModels[0];
        const env: Env = {
          context: `a variable of the target model${m ? ` ${m.def.name.name}` : ''} or w`,
          allowRandom: true,
          lookup: (name) => {
            if (name === 'w') return { dim: weightDim };
            const v = m?.vars.get(name);
            if (v) return { dim: v.dim, sym: v.sym, value: v.kind === 'parameter' ? v.value : undefined };
            const b = BUILTIN_NAMES[name];
            return b ? { dim: b.dim } : undefined;
          },
          names: function* () {
            yield 'w';
            if (m) yield* m.vars.keys();
          },
        };
        this.checkStatements(pr.statements, env, undefined, pr.key.name, (name) => {
          if (name === 'w') return { dim: weightDim };
          const v = m?.vars.get(name);
          return v && v.kind === 'state' ? { dim: v.dim, sym: v.sym } : m ? undefined : { dim: null };
        });
      }
    } else if (!sp && !tp && wp) {
      this.err(anchor, "connect needs 'target:' (the postsynaptic variable, e.g. target: g_e) or 'on_pre:' statements", 'missing-property');
    }
    if (segp && seg) this.checkSegmentUse(segp, seg, props, weightTy, srcs);
    const mb = props.get('modulated_by');
    if (mb) this.checkValue(mb, CONNECT.modulated_by, where);
    const ap = props.get('autapses');
    if (ap) this.checkValue(ap, CONNECT.autapses, where);
    // Estimate
    let synapses = 0;
    let known = true;
    for (const s of srcs) for (const t of tgts) {
      if (s.count === undefined || t.count === undefined || !expectedPerPair) known = false;
      else synapses += expectedPerPair(s.count, t.count * perTarget);
    }
    if (known) {
      const plastic = sp ? 1 : 0;
      const synState = sp && sp.value.kind === 'call' ? this.models.get(sp.value.callee.name)?.vars.size ?? 0 : sp && sp.value.kind === 'name' ? this.models.get(sp.value.name)?.vars.size ?? 0 : 0;
      // weight f32 + target index u32 + delay u16 (+ per-synapse plastic state)
      const bytesPer = 4 + 4 + (dp ? 2 : 0) + plastic * 4 * synState;
      this.estimates.push({ node: c, synapses, bytes: synapses * bytesPer + srcs.reduce((a, s) => a + 4 * ((s.count ?? 0) + 1), 0) });
    }
  }

  /**
   * An explicit list of per-synapse weights or delays: constants of one dimension, one per
   * synapse of a rule whose synapses are known in advance (all_to_all: the sources × targets
   * matrix row by row; one_to_one: one per pair), for a single source and target selector.
   */
  private checkSynapseList(e: A.ListLit, rule: A.Expr | undefined, srcs: { count?: number }[], tgts: { count?: number }[], what: string, dim: Dim | undefined): Ty {
    const t = this.ex.check(e, this.constEnv('a constant'));
    t.list?.forEach((x, k) => {
      if (x.value === undefined && x.dim !== null) this.err(e.items[k], `each ${what} in the list must be a constant`, 'not-constant');
      else if (x.bool) this.err(e.items[k], `each ${what} in the list must be a value, not a condition`, 'not-value');
      else if (dim) this.ex.expectDim(e.items[k], x, dim, `each ${what} in the list`);
    });
    this.checkSynapseCount(e, rule, srcs, tgts, what, e.items.length);
    return { dim: dim ?? t.list?.[0]?.dim ?? null, list: t.list };
  }

  /**
   * Per-synapse values (a list, or a file's column when `file` is given) need a rule whose
   * synapses are known before the run, one source and one target, and one value per synapse.
   */
  private checkSynapseCount(e: A.Expr, rule: A.Expr | undefined, srcs: { count?: number }[], tgts: { count?: number }[], what: string, count: number, file?: string): void {
    const ruleName = rule?.kind === 'name' ? rule.name : rule?.kind === 'call' ? rule.callee.name : undefined;
    const values = file ? `${what}s from a file` : `a list of ${what}s`;
    if (ruleName !== 'all_to_all' && ruleName !== 'one_to_one') {
      if (ruleName) this.err(e, `${values} needs rule all_to_all or one_to_one, whose synapses are known before the run; ${ruleName} draws them`, 'bad-value');
      return;
    }
    if (srcs.length !== 1 || tgts.length !== 1) {
      this.err(e, `${values} needs exactly one source and one target (one ${file ? 'column' : 'list'} per connection)`, 'bad-value');
      return;
    }
    const ns = srcs[0].count;
    const nt = tgts[0].count;
    if (ns !== undefined && nt !== undefined) {
      const want = ruleName === 'one_to_one' ? ns : ns * nt;
      const how = ruleName === 'one_to_one' ? `one per pair (${ns})` : `one per source × target (${ns} × ${nt} = ${ns * nt}, row by row: source i, target j at i·${nt} + j)`;
      if (count !== want) this.err(e, file ? `${file} has ${count} ${what}s; ${ruleName} needs ${how}` : `${count} ${what}s listed; ${ruleName} needs ${how}`, 'size-mismatch');
    }
  }

  /**
   * `from_file("f.csv", column = "c", unit = u)`: reads the column through the context (path
   * relative to this file), checks the unit against `dim` and that every row is a number. The
   * values (SI) are kept for lowering. Problems in the data file name its line and column.
   */
  private checkFileValue(call: A.Call, defaultColumn: string, dim: Dim | null | undefined, what: string): { values: number[]; file: string; column: string; dim: Dim } | undefined {
    const { args, problems } = fileValueArgs(call);
    for (const q of problems) this.err(q.span, q.message, q.code);
    if (problems.length || !args.path) return undefined;
    const unit = args.unit;
    const unitText = unit ? this.file.text.slice(unit.node.start, unit.node.end) : '';
    if (dim && !isDimensionless(dim) && !unit) {
      const pu = preferredUnit(dim);
      this.err(call, `${what} is ${dimName(dim)}: say which unit the file's numbers are in${pu ? `, e.g. unit = ${pu.symbol}` : ''}`, 'missing-unit');
      return undefined;
    }
    if (dim && unit && !sameDim(dim, unit.dim)) {
      this.err(unit.node, `unit mismatch: unit = ${unitText} is ${dimName(unit.dim)}, but ${what} is ${dimName(dim)}`, 'unit-mismatch');
      return undefined;
    }
    const column = args.column?.value ?? defaultColumn;
    const path = args.path.value;
    const read = this.ctx.readData?.(this.uri, path);
    if (!read || read.table === undefined) {
      this.err(args.path, read?.error ?? `cannot read '${quote(path, 120)}': data files are not readable here`, read?.error?.includes(UNTRUSTED_DATA) ? 'untrusted' : 'missing-file');
      return undefined;
    }
    const col = read.table.column(column);
    if (!col.ok) {
      this.err(col.message.startsWith('no column') && args.column ? args.column : args.path, `${path}:${col.line}:${col.column}: ${col.message}`, 'bad-data');
      return undefined;
    }
    const scale = unit?.scale ?? 1;
    const values = scale === 1 ? col.values : col.values.map((x) => x * scale);
    this.fileValues.set(call, { file: path, values });
    return { values, file: path, column, dim: unit?.dim ?? DIMENSIONLESS };
  }

  private pendingDelays: { expr: A.Expr; min?: number; unbounded?: boolean }[] = [];
  private pendingSegmentWindows: { expr: A.Expr; value: number }[] = [];

  /** `segments: { count; threshold; window }`: the block's own values (LANGUAGE.md "Dendritic segments"). */
  private checkSegments(p: A.Property): { count?: number; threshold?: number; thresholdExpr?: A.Expr } | undefined {
    if (!p.props) {
      this.err(p.value, `segments takes a block of properties, e.g. segments: ${CONNECT.segments.example}`, 'bad-value');
      return undefined;
    }
    const vals = this.checkProps(p.props, SEGMENTS, 'segments', p.key);
    const w = vals.get('window');
    if (w?.ty.value !== undefined) this.pendingSegmentWindows.push({ expr: w.prop.value, value: w.ty.value });
    const th = vals.get('threshold');
    return { count: vals.get('count')?.ty.value, threshold: th?.ty.value, thresholdExpr: th?.prop.value };
  }

  /**
   * How a segment connection may be written: its event is `target += w`, so it needs a target
   * and one constant weight, and takes no synapse model, statements or delays; θ can be reached
   * only if a segment has at least θ synapses.
   */
  private checkSegmentUse(p: A.Property, seg: { threshold?: number; thresholdExpr?: A.Expr }, props: Map<string, A.Property>, weightTy: Ty | undefined, srcs: { count?: number }[]): void {
    for (const k of ['synapse', 'on_pre', 'on_post', 'modulated_by'] as const) {
      const q = props.get(k);
      if (q) this.err(q.key, `a connection with segments delivers each segment event as 'target += w'; it takes no ${k}`, 'conflict');
    }
    const dp = props.get('delay');
    if (dp) this.err(dp.key, 'delays on segment connections are not supported yet: a segment counts spikes in the step they are sent', 'conflict');
    const ap = props.get('autapses');
    if (ap?.value.kind === 'bool' && !ap.value.value) this.err(ap.value, "autapses: false is not supported with segments yet (the rule's targets are segments, not neurons)", 'conflict');
    if (!props.get('target')) this.err(p.key, "segments need 'target:', the variable each segment event increments by w", 'missing-property');
    const wp = props.get('weight');
    if (wp && (wp.value.kind === 'list' || (weightTy && weightTy.value === undefined && weightTy.dim !== null))) {
      this.err(wp.value, 'with segments, weight is the size of every segment event: one constant', 'not-constant');
    }
    const theta = seg.threshold;
    const rule = props.get('rule')?.value;
    if (theta === undefined || !seg.thresholdExpr || !rule) return;
    const name = rule.kind === 'name' ? rule.name : rule.kind === 'call' ? rule.callee.name : undefined;
    let most: number | undefined;
    let how = '';
    if (name === 'fixed_indegree' && rule.kind === 'call') {
      const a = rule.args.find((x, k) => (x.name?.name ?? (k === 0 ? 'k' : '')) === 'k');
      most = a ? this.ex.check(a.value, this.constEnv('a constant')).value : undefined;
      how = `fixed_indegree(k = ${most}) gives each segment ${most}`;
    } else if (name === 'one_to_one') {
      most = 1;
      how = 'one_to_one gives each segment 1';
    } else if (name && name !== 'from_file' && srcs.every((x) => x.count !== undefined)) {
      most = srcs.reduce((a, x) => a + x.count!, 0);
      how = `a segment has at most one synapse per source, ${most}`;
    }
    if (most !== undefined && theta > most) this.err(seg.thresholdExpr, `threshold ${theta} can never be reached: ${how} synapse${most === 1 ? '' : 's'}`, 'out-of-range');
  }

  /** Checks a connectivity rule; returns the expected synapse count per (source, target) pair. */
  private checkRule(e: A.Expr, c: A.ConnectDef, srcs: { count?: number }[], tgts: { count?: number }[]): ((ns: number, nt: number) => number) | undefined {
    const name = e.kind === 'name' ? e.name : e.kind === 'call' ? e.callee.name : undefined;
    const spec = name ? RULES[name] : undefined;
    if (!name || !spec) {
      const guess = name ? closest(name, Object.keys(RULES)) : undefined;
      this.err(e.kind === 'call' ? e.callee : e, `unknown connection rule${name ? ` '${name}'` : ''}; use ${Object.keys(RULES).join(', ')}${guess ? ` (did you mean '${guess}'?)` : ''}`, 'unknown-name',
        guess ? [{ kind: 'replace', start: e.start, end: e.start + name!.length, text: guess, title: `Change to '${guess}'` }] : undefined);
      return undefined;
    }
    const args = new Map<string, number>();
    const given = e.kind === 'call' ? e.args : [];
    given.forEach((a, k) => {
      const argName = a.name?.name ?? spec.args[k]?.name;
      const as = spec.args.find((x) => x.name === argName);
      if (!as) {
        this.err(a, `${name}() has ${spec.args.length ? `arguments ${spec.args.map((x) => x.name).join(', ')}` : 'no arguments'}`, 'bad-arguments');
        return;
      }
      if (as.string) {
        if (a.value.kind !== 'string') this.err(a.value, `${argName} must be a file path in quotes`, 'bad-value');
        return;
      }
      const t = this.ex.check(a.value, this.constEnv('a constant'));
      this.ex.expectDim(a.value, t, as.dim, `${argName} of ${name}()`);
      if (t.value === undefined) {
        if (t.dim !== null) this.err(a.value, `${argName} must be a constant`, 'not-constant');
        return;
      }
      if (as.min !== undefined && t.value < as.min) this.err(a.value, `${argName} must be ≥ ${as.min}, got ${t.value}`, 'out-of-range');
      else if (as.max !== undefined && t.value > as.max) this.err(a.value, `${argName} is a probability and must be in [0, 1], got ${t.value}`, 'out-of-range');
      else if (as.integer && !Number.isInteger(t.value)) this.err(a.value, `${argName} must be a whole number`, 'out-of-range');
      args.set(argName!, t.value);
    });
    for (const as of spec.args) {
      if (as.required && !given.some((a, k) => (a.name?.name ?? spec.args[k]?.name) === as.name)) {
        this.err(e, `${name}() needs ${as.name} (e.g. ${name}(${as.name} = …))`, 'bad-arguments');
      }
    }
    switch (name) {
      case 'all_to_all':
        return (ns, nt) => ns * nt;
      case 'one_to_one':
        srcs.forEach((s, k) => tgts.forEach((t) => {
          if (s.count !== undefined && t.count !== undefined && s.count !== t.count) this.err(c.sources[k], `one_to_one needs equal sizes, got ${s.count} and ${t.count}`, 'size-mismatch');
        }));
        return (ns, nt) => Math.min(ns, nt);
      case 'random':
        return (ns, nt) => ns * nt * (args.get('p') ?? 0);
      case 'fixed_indegree':
        srcs.forEach((s, k) => {
          const kk = args.get('k');
          if (s.count !== undefined && kk !== undefined && kk > s.count) this.err(c.sources[k], `fixed_indegree(k = ${kk}) needs at least ${kk} sources, '${c.sources[k].name.name}' has ${s.count}`, 'out-of-range');
        });
        return (_ns, nt) => nt * (args.get('k') ?? 0);
      case 'fixed_outdegree':
        return (ns) => ns * (args.get('k') ?? 0);
      case 'distance':
      case 'ring_kernel': {
        const layouts = [...c.sources, ...c.targets].map((sel) => {
          const item = this.network.get(sel.name.name);
          return { sel, layout: item?.kind === 'population' ? layoutOf(item.node, (x) => this.ex.check(x, this.constEnv('a constant')).value) : undefined, item };
        });
        const reported = new Set<string>();
        for (const l of layouts) {
          if (!l.item || reported.has(l.sel.name.name)) continue;
          reported.add(l.sel.name.name);
          if (!l.layout) this.err(l.sel, `${name}() places neurons by their layout, but ${l.sel.name.name} has none: add layout: ${name === 'ring_kernel' ? 'ring' : 'ring, line or grid(rows, cols)'} to it`, 'missing-layout');
          else if (name === 'ring_kernel' && l.layout.kind !== 'ring') this.err(l.sel, `ring_kernel() needs ring layouts; ${l.sel.name.name} is laid out as ${l.layout.kind}`, 'missing-layout');
        }
        const pmax = args.get('p_max') ?? 1;
        const sigma = args.get('sigma') ?? 0;
        const src = layouts[0]?.layout;
        return (ns, nt) => {
          if (name === 'ring_kernel') return ns * nt * pmax * Math.min(1, sigma / Math.sqrt(2 * Math.PI));
          // Expected sources within reach of one target: the Gaussian's mass over the layout's spacing.
          const s = src?.spacing ?? DEFAULT_SPACING;
          const reach = src?.kind === 'grid' ? (2 * Math.PI * sigma * sigma) / (s * s) : (Math.sqrt(2 * Math.PI) * sigma) / s;
          return nt * pmax * Math.min(ns, Math.max(1, reach));
        };
      }
      default:
        return undefined; // from_file: unknown until the file is read
    }
  }

  private checkSynapseUse(sp: A.Property, weightDim: Dim | null, targetDim: Dim | null | undefined, tgts: { item?: NetItem }[], srcs: { item?: NetItem }[], props: Map<string, A.Property>): void {
    const e = sp.value;
    const callee = e.kind === 'call' ? e.callee : e.kind === 'name' ? { name: e.name, start: e.start, end: e.end } : undefined;
    if (!callee) {
      this.err(e, 'synapse must name a synapse model, e.g. PairSTDP(w_max = 10 nS)', 'bad-value');
      return;
    }
    const m = this.models.get(callee.name);
    if (!m || m.def.kind !== 'synapse') {
      const guess = closest(callee.name, [...this.models.values()].filter((x) => x.def.kind === 'synapse').map((x) => x.def.name.name));
      this.err(callee, m ? `'${callee.name}' is a neuron model; synapse: needs a synapse model` : `unknown synapse model '${callee.name}'${guess ? ` (did you mean '${guess}'?)` : ''}`, 'unknown-name',
        guess && !m ? [{ kind: 'replace', start: callee.start, end: callee.end, text: guess, title: `Change to '${guess}'` }] : undefined);
      return;
    }
    this.ref(callee, m.sym);
    const subst = (d: Dim | null | undefined): Dim | null => (d && weightDim ? substWeight(d, weightDim) : d ?? null);
    const set = new Set<string>();
    for (const a of e.kind === 'call' ? e.args : []) {
      if (!a.name) {
        this.err(a, `name the parameter: ${callee.name}(${[...m.vars.values()].find((v) => v.kind === 'parameter')?.sym.name ?? 'p'} = …)`, 'bad-arguments');
        continue;
      }
      const v = m.vars.get(a.name.name);
      if (!v || v.kind !== 'parameter') {
        const guess = closest(a.name.name, [...m.vars.values()].filter((x) => x.kind === 'parameter').map((x) => x.sym.name));
        this.err(a.name, `${callee.name} has no parameter '${a.name.name}'${guess ? ` (did you mean '${guess}'?)` : ''}`, 'unknown-name');
        continue;
      }
      this.ref(a.name, v.sym);
      set.add(a.name.name);
      const t = this.ex.check(a.value, this.constEnv('a constant'));
      const want = subst(v.dim);
      if (want) this.ex.expectDim(a.value, t, want, `${a.name.name} of ${callee.name}`);
    }
    for (const v of m.vars.values()) {
      if (v.required && !set.has(v.sym.name)) this.err(callee, `${callee.name} needs parameter '${v.sym.name}' (it has no default): ${callee.name}(${v.sym.name} = …)`, 'missing-parameter');
    }
    // Re-check the synapse's statements against the concrete models (post./pre./mod. members and weight unit).
    const post = tgts.find((t) => t.item?.kind === 'population') as { item?: Extract<NetItem, { kind: 'population' }> } | undefined;
    const pre = srcs.find((t) => t.item?.kind === 'population') as { item?: Extract<NetItem, { kind: 'population' }> } | undefined;
    const modName = props.get('modulated_by')?.value;
    const modItem = modName?.kind === 'name' ? this.network.get(modName.name) : undefined;
    const usesMod = usesMember(m.def, 'mod');
    if (usesMod && !modItem) this.err(callee, `${callee.name} reads mod.… variables: add 'modulated_by:' naming the modulating population`, 'missing-property');
    if (targetDim === undefined && usesMember(m.def, 'target', true)) this.err(callee, `${callee.name} drives 'target': add 'target:' naming the postsynaptic variable`, 'missing-property');
    const sink: Sink = { diag: (d) => this.diags.push(d), ref: () => undefined };
    const ex2 = new ExprChecker(sink);
    const saved = this.ex;
    this.ex = ex2;
    try {
      const info = m;
      const env = this.modelEnv(info, 'equation', undefined, {
        w: weightDim,
        target: targetDim ?? null,
        post: post?.item?.model,
        pre: pre?.item?.model,
        mod: modItem?.kind === 'population' ? modItem.model : undefined,
      });
      const savedDiag = this.diags;
      const collected: Diagnostic[] = [];
      this.diags = collected;
      try {
        for (const stmts of [m.def.onPre, m.def.onPost]) if (stmts) this.checkStatements(stmts, env, info, 'the synapse');
      } finally {
        this.diags = savedDiag;
      }
      for (const d of collected) this.diags.push({ ...d, start: callee.start, end: callee.end, message: `in ${callee.name}: ${d.message}` });
    } finally {
      this.ex = saved;
    }
  }

  private checkProbe(p: A.ProbeDef): void {
    const v = p.variable.name;
    for (const sel of p.targets) {
      const r = this.checkSelector(sel, ['population', 'input', 'connection'], 'population, input or named connection');
      const item = r.item;
      if (!item || v === 'spikes' || v === 'rate') {
        if (item?.kind === 'connection' && (v === 'spikes' || v === 'rate')) this.err(sel, `a connection has no ${v}; probe a population`, 'wrong-kind');
        continue;
      }
      if (item.kind === 'population' && item.model) {
        const x = item.model.vars.get(v);
        if (!x || x.kind === 'parameter') {
          const guess = closest(v, [...item.model.vars.values()].filter((y) => y.kind !== 'parameter').map((y) => y.sym.name).concat(['spikes', 'rate']));
          this.err(p.variable, `${item.model.def.name.name} (population ${sel.name.name}) has no state variable or named expression '${v}'${guess ? ` (did you mean '${guess}'?)` : ''}`, 'unknown-name',
            guess ? [{ kind: 'replace', start: p.variable.start, end: p.variable.end, text: guess, title: `Change to '${guess}'` }] : undefined);
        } else this.ref(p.variable, x.sym);
      } else if (item.kind === 'connection') {
        const syn = item.node.props.find((q) => q.key.name === 'synapse')?.value;
        const sname = syn?.kind === 'call' ? syn.callee.name : syn?.kind === 'name' ? syn.name : undefined;
        const sm = sname ? this.models.get(sname) : undefined;
        if (v !== 'w' && !sm?.vars.get(v)) this.err(p.variable, `connection ${sel.name.name} has no variable '${v}' (it has w${sm ? ', ' + [...sm.vars.values()].filter((x) => x.kind === 'state').map((x) => x.sym.name).join(', ') : ''})`, 'unknown-name');
      } else if (item.kind === 'input') this.err(p.variable, `an input has only spikes to probe`, 'wrong-kind');
    }
    if (p.targets.length === 0 && p.variable) this.err(p.variable, 'probe what? e.g. probe spikes(exc)', 'syntax');
    if (p.every) {
      const t = this.ex.check(p.every, this.constEnv('a constant'));
      this.ex.expectDim(p.every, t, TIME, 'the probe interval');
      if (t.value !== undefined && t.value <= 0) this.err(p.every, `the probe interval must be positive, got ${formatQuantity(t.value, TIME)}`, 'out-of-range');
      else if (t.value !== undefined) this.pendingIntervals.push({ expr: p.every, value: t.value });
    }
  }
  private pendingIntervals: { expr: A.Expr; value: number }[] = [];
  private pendingRates: { expr: A.Expr; value: number }[] = [];

  private checkBlock(b: A.BlockDef): void {
    const where = `${b.kind}${b.name ? ' ' + b.name.name : ''}`;
    const anchor = b.name ?? b.keyword;
    switch (b.kind) {
      case 'input': {
        const spec = b.type ? INPUT_KINDS[b.type.name] : undefined;
        if (!b.type) return;
        if (!spec) {
          const guess = closest(b.type.name, Object.keys(INPUT_KINDS));
          this.err(b.type, `unknown input kind '${b.type.name}'; use ${Object.keys(INPUT_KINDS).join(', ')}${guess ? ` (did you mean '${guess}'?)` : ''}`, 'unknown-name',
            guess ? [{ kind: 'replace', start: b.type.start, end: b.type.end, text: guess, title: `Change to '${guess}'` }] : undefined);
          return;
        }
        const item = b.name ? this.network.get(b.name.name) : undefined;
        if (spec.sized) {
          if (!b.size) this.err(b.type, `${b.type.name} needs a size: ${b.type.name}[N]`, 'syntax');
          const n = this.constInt(b.size, 'the input size', 1);
          if (item?.kind === 'input' && item.node === b) {
            item.size = n;
            item.sym.detail = `input ${b.name!.name} = ${b.type.name}[${n ?? '?'}]`;
          }
        } else if (b.size) this.err(b.size, `${b.type.name} has no size; it drives the variable named by target:`, 'syntax');
        const vals = this.checkProps(b.props, spec.schema, where, anchor);
        if (b.type.name === 'spike_array') {
          const times = vals.get('times')?.ty.list;
          const idx = vals.get('indices')?.ty.list;
          const n = item?.kind === 'input' ? item.size : undefined;
          if (times && idx && times.length !== idx.length) this.err(vals.get('indices')!.prop.value, `times has ${times.length} entries but indices has ${idx.length}; they pair up one to one`, 'size-mismatch');
          if (idx && n !== undefined) idx.forEach((x, k) => {
            if (x.value !== undefined && x.value >= n) this.err((vals.get('indices')!.prop.value as A.ListLit).items[k], `index ${x.value} is outside ${b.name?.name} (size ${n})`, 'out-of-range');
          });
          times?.forEach((x, k) => {
            if (x.value !== undefined && x.value < 0) this.err((vals.get('times')!.prop.value as A.ListLit).items[k], 'spike times must not be negative', 'out-of-range');
          });
        }
        if (b.type.name === 'current_step') this.checkCurrentStep(vals);
        if (b.type.name === 'poisson') {
          const r = vals.get('rate');
          const d = r?.ty.dist;
          // the largest rate a source may get: the constant, or the distribution's upper end
          const hi = r?.ty.value ?? (d?.dist === 'uniform' ? d.args[1] : d?.dist === 'normal' ? d.args[0] + 3 * d.args[1] : undefined);
          if (r && hi !== undefined && !this.pendingRates.some((x) => x.expr === r.prop.value)) this.pendingRates.push({ expr: r.prop.value, value: hi });
        }
        const increasing = (key: string, what: string) => {
          const e = vals.get(key)?.prop.value;
          const l = vals.get(key)?.ty.list;
          if (!l || e?.kind !== 'list') return;
          for (let k = 1; k < l.length; k++) {
            if (l[k].value !== undefined && l[k - 1].value !== undefined && l[k].value! < l[k - 1].value!) {
              this.err(e.items[k], `${what} must be in increasing order`, 'out-of-range');
              return;
            }
          }
        };
        if (b.type.name === 'current_step') increasing('times', 'the step times');
        const start = vals.get('start')?.ty.value;
        const stop = vals.get('stop')?.ty.value;
        if (start !== undefined && stop !== undefined && stop <= start) this.err(vals.get('stop')!.prop.value, 'stop must come after start', 'out-of-range');
        const period = vals.get('period')?.ty.value;
        const times = vals.get('times');
        if (period !== undefined && times?.ty.list && times.prop.value.kind === 'list') {
          times.ty.list.forEach((x, k) => {
            if (x.value !== undefined && x.value >= period) this.err((times.prop.value as A.ListLit).items[k], `spike time ${formatQuantity(x.value, TIME)} is not inside the period (${formatQuantity(period, TIME)})`, 'out-of-range');
          });
        }
        return;
      }
      case 'readout': {
        if (!b.type) return;
        const spec = READOUT_KINDS[b.type.name];
        if (!spec) {
          this.err(b.type, `unknown readout kind '${b.type.name}'; use ${Object.keys(READOUT_KINDS).join(', ')}`, 'unknown-name');
          return;
        }
        this.checkProps(b.props, spec.schema, where, anchor);
        return;
      }
      case 'target': {
        if (!b.type) return;
        const spec = TARGET_KINDS[b.type.name];
        if (!spec) {
          const guess = closest(b.type.name, Object.keys(TARGET_KINDS));
          this.err(b.type, `unknown hardware target '${b.type.name}'; use ${Object.keys(TARGET_KINDS).join(', ')}${guess ? ` (did you mean '${guess}'?)` : ''}`, 'unknown-name');
          return;
        }
        this.checkProps(b.props, spec.schema, where, anchor);
        return;
      }
      case 'concept':
        this.checkProps(b.props, CONCEPT, where, anchor);
        return;
      case 'task': {
        this.checkProps(b.props, TASK, where, anchor);
        const seen: [number, number][] = [];
        for (const w of b.windows) {
          const t = this.ex.check(w.range, this.constEnv('a constant'));
          if (w.range.kind !== 'range') this.err(w.range, 'a window is a time range: window 0 ms .. 200 ms: "label"', 'bad-value');
          else {
            this.ex.expectDim(w.range.from, t.range![0], TIME, 'the window start');
            this.ex.expectDim(w.range.to, t.range![1], TIME, 'the window end');
            const [a, z] = t.range!;
            if (a.value !== undefined && z.value !== undefined) {
              if (z.value <= a.value) this.err(w.range, 'a window must end after it starts', 'out-of-range');
              const clash = seen.find((q) => a.value! < q[1] && q[0] < z.value!);
              if (clash) this.warn(w.range, `this window overlaps the window ${formatQuantity(clash[0], TIME)} .. ${formatQuantity(clash[1], TIME)}`, 'overlap');
              seen.push([a.value, z.value]);
              this.pendingWindows.push({ expr: w.range, end: z.value });
            }
          }
          if (w.label.kind !== 'string' && w.label.kind !== 'name' && w.label.kind !== 'number') this.err(w.label, 'a window label is a string, a name or a number', 'bad-value');
        }
        if (b.windows.length === 0) this.warn(anchor, `task ${b.name?.name ?? ''} has no windows (window 0 ms .. 100 ms: "label")`, 'empty');
        return;
      }
    }
  }
  private pendingWindows: { expr: A.Expr; end: number }[] = [];

  private checkCurrentStep(vals: Map<string, { prop: A.Property; ty: Ty }>): void {
    const tp = vals.get('target');
    const times = vals.get('times');
    const values = vals.get('values');
    let dim: Dim | null = null;
    if (tp) {
      // exc.I_e or exc[0..9].I_e
      const e = tp.prop.value;
      if (e.kind !== 'member') this.err(e, 'target must be population.variable, e.g. exc.I_e or exc[0..9].I_e', 'bad-value');
      else {
        const obj = e.object;
        const sel: A.Selector | undefined =
          obj.kind === 'name' ? { name: { name: obj.name, start: obj.start, end: obj.end }, start: obj.start, end: obj.end }
          : obj.kind === 'index' && obj.object.kind === 'name' ? { name: { name: obj.object.name, start: obj.object.start, end: obj.object.end }, range: obj.index, start: obj.start, end: obj.end }
          : undefined;
        if (!sel) this.err(obj, 'expected a population or a slice such as exc[0..9]', 'bad-value');
        else {
          const r = this.checkSelector(sel, ['population'], 'population');
          const m = r.item?.kind === 'population' ? r.item.model : undefined;
          const v = m?.vars.get(e.member.name);
          if (m && (!v || v.kind !== 'state')) {
            const guess = closest(e.member.name, [...m.vars.values()].filter((x) => x.kind === 'state').map((x) => x.sym.name));
            this.err(e.member, `${m.def.name.name} has no state variable '${e.member.name}'${guess ? ` (did you mean '${guess}'?)` : ''}`, 'unknown-name');
          } else if (v) {
            this.ref(e.member, v.sym);
            dim = v.dim;
          }
        }
      }
    }
    if (values && dim) {
      const list = values.prop.value;
      if (list.kind === 'list') values.ty.list?.forEach((x, k) => this.ex.expectDim(list.items[k], x, dim!, `each value (the unit of ${exprText(tp!.prop.value)})`));
    }
    if (times?.ty.list && values?.ty.list && times.ty.list.length !== values.ty.list.length) {
      this.err(values.prop.value, `times has ${times.ty.list.length} entries but values has ${values.ty.list.length}`, 'size-mismatch');
    }
  }

  private checkSimulate(s: A.BlockDef): void {
    const vals = this.checkProps(s.props, SIMULATE, 'simulate', s.keyword);
    this.simulate = {
      dt: vals.get('dt')?.ty.value,
      duration: vals.get('duration')?.ty.value,
      seed: vals.get('seed')?.ty.value,
      backend: vals.get('backend')?.ty.str,
    };
    const { dt, duration } = this.simulate;
    if (dt !== undefined && duration !== undefined && duration < dt) this.err(vals.get('duration')!.prop.value, `duration (${formatQuantity(duration, TIME)}) is shorter than one time step (${formatQuantity(dt, TIME)})`, 'out-of-range');
    if (dt !== undefined && duration !== undefined && duration / dt > 2e9) this.err(vals.get('duration')!.prop.value, `${(duration / dt).toExponential(2)} steps is too many; use a larger dt or a shorter duration`, 'out-of-range');
    this.simProp = vals;
  }
  private simProp?: Map<string, { prop: A.Property; ty: Ty }>;

  /** dt against the fastest time constant, delays and probe intervals against dt. */
  private checkTimeConstants(): void {
    const dt = this.simulate.dt;
    if (dt === undefined) return;
    const dtProp = this.simProp?.get('dt')?.prop.value;
    for (const d of this.pendingDelays) {
      if (d.unbounded) this.diags.push({ start: d.expr.start, end: d.expr.end, severity: Severity.Information, code: 'short-delays', message: `this distribution draws delays shorter than dt = ${formatQuantity(dt, TIME)}; they are rounded up to one step (use uniform(lo, hi) with lo ≥ dt to avoid that)` });
      else if (d.min !== undefined && d.min < dt - 1e-15) this.err(d.expr, `delay ${formatQuantity(d.min, TIME)} is shorter than the time step dt = ${formatQuantity(dt, TIME)}; use at least ${formatQuantity(dt, TIME)}`, 'out-of-range');
    }
    for (const w of this.pendingSegmentWindows) {
      if (w.value < dt - 1e-15) this.err(w.expr, `the segment window ${formatQuantity(w.value, TIME)} is shorter than the time step dt = ${formatQuantity(dt, TIME)}; use at least ${formatQuantity(dt, TIME)}`, 'out-of-range');
    }
    for (const p of this.pendingIntervals) {
      if (p.value < dt - 1e-15) this.err(p.expr, `the probe interval ${formatQuantity(p.value, TIME)} is shorter than dt = ${formatQuantity(dt, TIME)}`, 'out-of-range');
    }
    // A Poisson source spikes with probability rate·dt per step, at most once: the rate is
    // reproduced only while rate·dt is small (Brian2's PoissonGroup works the same way).
    for (const r of this.pendingRates) {
      const p = r.value * dt;
      if (p >= 0.1) {
        this.warn(r.expr, `rate × dt = ${formatQuantity(r.value, FREQUENCY)} × ${formatQuantity(dt, TIME)} = ${+p.toPrecision(3)}: a Poisson source spikes at most once per step, so ${p >= 1 ? 'it spikes every step and the rate is capped at 1/dt' : 'the spike train is less random than a Poisson process'}; use a smaller dt or more sources at a lower rate`, 'poisson-rate');
      }
    }
    const dur = this.simulate.duration;
    for (const w of this.pendingWindows) {
      if (dur !== undefined && w.end > dur + 1e-12) this.warn(w.expr, `this window ends after the simulation (${formatQuantity(dur, TIME)})`, 'out-of-range');
    }
    if (!dtProp) return;
    // Fastest time constant among the models the populations use, with their overrides.
    let fastest: { name: string; value: number; where: string } | undefined;
    for (const item of this.network.values()) {
      if (item.kind !== 'population' || !item.model) continue;
      for (const tc of item.model.timeConstants) {
        let value = tc.value;
        const override = item.node.inits.find((a) => a.target.kind === 'name' && a.target.name === tc.name);
        const fromFile = override && this.fileValues.get(override.value);
        if (fromFile) {
          if (fromFile.values.length) value = fromFile.values.reduce((x, y) => Math.min(x, y));
        } else if (override && !isFileValue(override.value)) {
          const t = this.ex.check(override.value, { ...this.constEnv('', true), lookup: () => ({ dim: DIMENSIONLESS }) });
          value = t.value ?? (t.dist?.dist === 'uniform' ? t.dist.args[0] : t.dist?.dist === 'normal' ? t.dist.args[0] : value);
        }
        if (value > 0 && (!fastest || value < fastest.value)) fastest = { name: tc.name, value, where: `${item.model.def.name.name} in population ${item.sym.name}` };
      }
    }
    if (fastest && dt > fastest.value / 5) {
      const sev = dt > fastest.value ? Severity.Error : Severity.Warning;
      this.diags.push({
        start: dtProp.start, end: dtProp.end, severity: sev, code: 'dt-too-coarse',
        message: `dt = ${formatQuantity(dt, TIME)} is too coarse for the fastest time constant ${fastest.name} = ${formatQuantity(fastest.value, TIME)} (${fastest.where}); use dt ≤ ${formatQuantity(fastest.value / 10, TIME)}`,
      });
    }
  }

  private checkSize(): FileAnalysis['totals'] {
    let neurons = 0;
    let stateBytes = 0;
    for (const item of this.network.values()) {
      if (item.kind === 'population' && item.size) {
        neurons += item.size;
        const vars = item.model ? [...item.model.vars.values()].filter((v) => v.kind === 'state').length + 1 : 1;
        stateBytes += item.size * vars * 4;
      } else if (item.kind === 'input' && item.size) neurons += item.size;
    }
    const synapses = this.estimates.reduce((a, e) => a + e.synapses, 0);
    const bytes = stateBytes + this.estimates.reduce((a, e) => a + e.bytes, 0);
    const { maxSynapses, memoryBytes } = this.ctx.limits;
    const anchor = this.estimates.reduce<Estimate | undefined>((a, e) => (!a || e.synapses > a.synapses ? e : a), undefined);
    if (synapses > maxSynapses && anchor) {
      const c = anchor.node as A.ConnectDef;
      this.err(c.keyword, `the model has about ${fmtCount(synapses)} synapses, above the limit of ${fmtCount(maxSynapses)} (spikeworks.maxSynapses); lower the connection probability or the population sizes`, 'too-large');
    } else if (bytes > memoryBytes && (anchor || this.network.size)) {
      const at = anchor ? (anchor.node as A.ConnectDef).keyword : [...this.network.values()][0].sym.span;
      this.err(at, `the model needs about ${fmtBytes(bytes)} (state ${fmtBytes(stateBytes)}, synapses ${fmtBytes(bytes - stateBytes)}), above the limit of ${fmtBytes(memoryBytes)} (spikeworks.memoryLimitMB); reduce sizes or connectivity`, 'too-large');
    }
    return { neurons, synapses, bytes };
  }
}

// ---- helpers -----------------------------------------------------------------------------------

export function fmtCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(n >= 1e10 ? 0 : 1)} billion`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(n >= 1e7 ? 0 : 1)} million`;
  return Math.round(n).toLocaleString('en-US');
}

export function fmtBytes(b: number): string {
  if (b >= 2 ** 30) return `${(b / 2 ** 30).toFixed(1)} GiB`;
  if (b >= 2 ** 20) return `${(b / 2 ** 20).toFixed(1)} MiB`;
  if (b >= 2 ** 10) return `${(b / 2 ** 10).toFixed(0)} KiB`;
  return `${b} B`;
}

function substWeight(d: Dim, w: Dim): Dim {
  const k = d[7];
  if (!k) return d;
  const out = d.map((x, i) => (i === 7 ? 0 : x + k * w[i])) as unknown as Dim;
  return out;
}

function usesMember(def: A.ModelDef, object: string, bare = false): boolean {
  let found = false;
  const visit = (e: A.Expr) => {
    if (bare && e.kind === 'name' && e.name === object) found = true;
    if (!bare && e.kind === 'member' && e.object.kind === 'name' && e.object.name === object) found = true;
  };
  for (const stmts of [def.onPre, def.onPost]) for (const s of stmts ?? []) {
    walk(s.target, visit);
    walk(s.value, visit);
  }
  for (const eq of def.equations) walk(eq.rhs, visit);
  return found;
}

/** The layout of a population, with its constants evaluated by `num`. */
export function layoutOf(p: A.PopulationDef, num: (e: A.Expr) => number | undefined): { kind: 'ring' | 'line' | 'grid'; rows?: number; cols?: number; spacing?: number } | undefined {
  const e = p.props.find((q) => q.key.name === 'layout')?.value;
  const sp = p.props.find((q) => q.key.name === 'spacing')?.value;
  const spacing = sp ? num(sp) : undefined;
  if (!e) return undefined;
  if (e.kind === 'name' && (e.name === 'ring' || e.name === 'line' || e.name === 'grid')) return { kind: e.name, spacing };
  if (e.kind === 'call' && e.callee.name === 'grid') {
    const arg = (n: string, k: number) => {
      const a = e.args.find((x) => x.name?.name === n) ?? e.args.filter((x) => !x.name)[k];
      return a ? num(a.value) : undefined;
    };
    return { kind: 'grid', rows: arg('rows', 0), cols: arg('cols', 1), spacing };
  }
  return undefined;
}

export function walk(e: A.Expr, f: (e: A.Expr) => void): void {
  const stack: A.Expr[] = [e];
  while (stack.length) {
    const x = stack.pop()!;
    f(x);
    switch (x.kind) {
      case 'binary':
        stack.push(x.left, x.right);
        break;
      case 'unary':
        stack.push(x.operand);
        break;
      case 'call':
        for (const a of x.args) stack.push(a.value);
        break;
      case 'member':
        stack.push(x.object);
        break;
      case 'index':
        stack.push(x.object, x.index);
        break;
      case 'list':
        stack.push(...x.items);
        break;
      case 'range':
        stack.push(x.from, x.to);
        break;
    }
  }
}

/** Time constants: parameters of time dimension that divide a term of an ODE (x/tau). */
function collectTimeConstants(rhs: A.Expr, info: ModelInfo): void {
  walk(rhs, (e) => {
    if (e.kind === 'binary' && e.op === '/' && e.right.kind === 'name') {
      const v = info.vars.get(e.right.name);
      if (v && v.kind === 'parameter' && v.dim && sameDim(v.dim, TIME) && v.value !== undefined && !info.timeConstants.some((t) => t.name === v.sym.name)) {
        info.timeConstants.push({ name: v.sym.name, value: v.value });
      }
    }
  });
}

function docOfDecl(file: A.SnnFile, d: A.Span): string | undefined {
  // A trailing `// comment` on the declaration's line documents it.
  const eol = file.text.indexOf('\n', d.end);
  const lineEnd = eol < 0 ? file.text.length : eol;
  for (const c of file.comments) {
    if (c.start >= d.end && c.start < lineEnd && !c.block) return c.text.trim() || undefined;
    if (c.start >= lineEnd) break;
  }
  return undefined;
}

export function exprText(e: A.Expr): string {
  switch (e.kind) {
    case 'name':
      return e.name;
    case 'member':
      return `${exprText(e.object)}.${e.member.name}`;
    case 'index':
      return `${exprText(e.object)}[…]`;
    default:
      return 'the expression';
  }
}

