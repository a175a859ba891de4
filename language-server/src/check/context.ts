// The state one file's check shares between its phases and checks: what has been found so far
// (diagnostics, symbols, references, models, network items, estimates) and the deferred record
// the final phase consumes. Check functions (one module per concern) take it as `cx`.
import type * as A from '../ast';
import type { CheckContext, Estimate, FileAnalysis, ModelInfo, NetItem } from '../analysis';
import { Severity, type Diagnostic } from '../diagnostics';
import { ExprChecker, type Env, type Sink, type Ty } from '../expressions';
import type { Sym } from '../symbols';
import type { Dim } from '../units';
import { LineIndex } from '../text';
import { noLookup, noNames } from './util';

export class Checker implements Sink {
  diags: Diagnostic[] = [];
  symbols: Sym[] = [];
  refs: FileAnalysis['references'] = [];
  /** Models visible in this file by name: the prelude, then imports, then the file's own. */
  models = new Map<string, ModelInfo>();
  own: ModelInfo[] = [];
  network = new Map<string, NetItem>();
  estimates: Estimate[] = [];
  /** Types and folds expressions; swapped for a collecting one while a synapse is re-checked per connection. */
  ex: ExprChecker;
  /** The type and folded value of each expression the checks typed (FileAnalysis.types). */
  types = new Map<A.Expr, Ty>();
  simulate: FileAnalysis['simulate'] = {};
  /** The simulate block's checked properties (dt's expression anchors the time-constant check). */
  simProp?: Map<string, { prop: A.Property; ty: Ty }>;
  imports: FileAnalysis['imports'] = [];
  fileValues: FileAnalysis['fileValues'] = new Map();
  /** Filled by the item checks, consumed by the final phase (deferred.ts). */
  deferred: Deferred = { delays: [], segmentWindows: [], intervals: [], rates: [], windows: [], drives: [], schedules: [], links: [] };
  private lines?: LineIndex;
  private constEnvs = new Map<string, Env>();
  private silent?: ExprChecker;

  constructor(readonly uri: string, readonly file: A.SnnFile, readonly ctx: CheckContext, readonly isPrelude: boolean) {
    this.ex = new ExprChecker(this, this.types);
  }

  diag(d: Diagnostic): void {
    this.diags.push(d);
  }
  get source(): string {
    return this.file.text;
  }
  ref(span: A.Span, sym: Sym): void {
    this.refs.push({ span: { start: span.start, end: span.end }, sym });
  }
  err(span: A.Span, message: string, code: string, fixes?: Diagnostic['fixes']): void {
    this.diags.push({ start: span.start, end: span.end, severity: Severity.Error, message, code, fixes });
  }
  warn(span: A.Span, message: string, code: string, fixes?: Diagnostic['fixes']): void {
    this.diags.push({ start: span.start, end: span.end, severity: Severity.Warning, message, code, fixes });
  }
  /** Declares a symbol of this file (and its defining reference). */
  sym(kind: Sym['kind'], name: A.Ident, full: A.Span, extra: Partial<Sym> = {}): Sym {
    const s: Sym = { kind, name: name.name, uri: this.uri, span: { start: name.start, end: name.end }, full: { start: full.start, end: full.end }, ...extra };
    this.symbols.push(s);
    this.refs.push({ span: s.span, sym: s });
    return s;
  }

  isPreludeModel(m: ModelInfo): boolean {
    return this.ctx.preludeModels().get(m.def.name.name) === m;
  }

  lineOf(offset: number): number {
    this.lines ??= new LineIndex(this.file.text);
    return this.lines.position(offset).line + 1;
  }

  /**
   * The type the checks gave `e`, or else a silent fold of it as a constant (distributions
   * allowed) — what lowering reads, for facts the estimate needs of parts no check typed alone.
   */
  typeOf(e: A.Expr): Ty {
    const t = this.types.get(e);
    if (t) return t;
    this.silent ??= new ExprChecker({ diag: () => undefined, ref: () => undefined });
    return this.silent.check(e, this.constEnv('', true));
  }

  /** Environment of constant expressions (no names); shared, as it is built very often. */
  constEnv(context: string, allowDist = false): Env {
    const key = `${allowDist ? 1 : 0}${context}`;
    let env = this.constEnvs.get(key);
    if (!env) {
      env = { context, allowDist, lookup: noLookup, names: noNames };
      this.constEnvs.set(key, env);
    }
    return env;
  }
}

/** Values the final phase compares with dt and the duration, each with the expression to anchor at. */
export interface Deferred {
  /** Connection delays: the smallest value (or `unbounded` for distributions without a floor). */
  delays: { expr: A.Expr; min?: number; unbounded?: boolean }[];
  /** Dendritic segment windows. */
  segmentWindows: { expr: A.Expr; value: number }[];
  /** Probe intervals (`every`). */
  intervals: { expr: A.Expr; value: number }[];
  /** Poisson rates: the largest rate a source may get. */
  rates: { expr: A.Expr; value: number }[];
  /** Task windows: their ends, against the duration. */
  windows: { expr: A.Expr; end: number }[];
  /**
   * What writes a population's variable from outside its model: a connection's deliveries
   * (`target:`, inline on_pre), a summed connection (set every step), a current_step input. A
   * summed variable may have no other writer (deferred.ts checkDrives).
   */
  drives: { expr: A.Expr; pop: string; variable: string; kind: 'summed' | 'deliveries' | 'current_step'; item: string }[];
  /** Scheduled operations: every block's interval, every time of an at block (check/schedule.ts). */
  schedules: { expr: A.Expr; value: number; every: boolean }[];
  /**
   * Linked parameters (`I_mod = linked(drive.v, index = …)`) whose reader side is sound: the
   * source, its variable, units and sizes are checked once every population is known (linked.ts).
   */
  links: { call: A.Call; pop: string; parameter: string; dim: Dim | null; size?: number; model: string; source: A.Ident; variable: A.Ident; index?: A.Expr }[];
}
