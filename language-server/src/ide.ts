// The language's one way in for code outside language-server/ (the CLI, the extension's run
// path, benchmarks, engine tests): model text or a file in, the model IR or located diagnostics
// out. Like rust-analyzer's `ide` crate, this is a façade: callers never build a Program, call
// lower() or turn offsets into lines themselves; the language's internals (program.ts,
// checker.ts, lower.ts) may change shape behind it.
//
// Contract:
// - `lowerModel(source, options)` (one-shot) and `ModelWorkspace#lowerModel(uri)` (a long-lived
//   set of files with caches: data files read once per version, parses kept) check the file and
//   its imports and give `{ ok: true, ir }` or `{ ok: false, diagnostics, awaitingTrust }`.
// - Every diagnostic names its file (uri and, for file: URIs, the file-system path), 1-based
//   line and column of its start and end (columns in UTF-16 code units, as LSP counts them),
//   severity, code and message. An error inside an imported file is located in that file.
// - Files are read through the caller's Host under the caller's FileAccess (trust, roots); with
//   an untrusted policy no data file is opened, and `awaitingTrust` lists every data file of the
//   model and its imports (however deep) that waits for trust.
// - `ModelWorkspace#check(uri)` gives all of one file's diagnostics (errors, warnings, …) in
//   text order, for `spikeworks check`.
// - `ModelWorkspace#size(uri)` gives the size the editor shows (neurons, expected synapses, the
//   memory estimate, per connection too): the engine's own estimate (sim-host core/estimate.ts)
//   fed with the checker's facts, so the editor's figure is the one a run is refused with.
// - `findPopulation` / `findInput` / `findConnection` locate a population's, an input's or a
//   connection's definition in a file or its imports (no data file is read).
// On Node, ide-node.ts gives the host (`nodeHost`: bounded reads of regular files) and the
// prelude (`preludeAt(dir)`: each folder's prelude read once per process).
import { URI } from 'vscode-uri';
import type { DimIR, ModelIR } from '../../protocol/ir';
import type { SnnFile } from './ast';
import type { Diagnostic } from './diagnostics';
import { SEVERITY_NAMES } from './diagnostics';
import { lex } from './lexer';
import { lower } from './lower';
import { Program, type FileAccess, type Host, type Limits, type PreludeFile } from './program';
import { LineIndex } from './text';
import { div as unitDiv, lookupUnit } from './units';

export type { FileAccess, Host, PreludeFile };

/** What to lower: a file on disk (path), or a URI with the editor's (possibly unsaved) text. */
export type ModelSource = { file: string } | { uri: string; text?: string };

export type SeverityName = Exclude<(typeof SEVERITY_NAMES)[number], ''>;

/** A diagnostic with its place: file, 1-based line/column of start and end. */
export interface LocatedDiagnostic {
  uri: string;
  /** The file-system path of a file: URI (undefined for other schemes). */
  path?: string;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units. */
  column: number;
  endLine: number;
  endColumn: number;
  severity: SeverityName;
  code: string;
  message: string;
  /** Code 'untrusted': the data file (absolute path) that was not read because the workspace is not trusted. */
  dataFile?: string;
}

export type ModelOutcome =
  | { ok: true; ir: ModelIR }
  | {
      ok: false;
      /** The errors that stop lowering: the model file's first, then each import's, in text order within a file. */
      diagnostics: LocatedDiagnostic[];
      /** 'untrusted' diagnostics of the model and every file it imports, however deep (each with dataFile). */
      awaitingTrust: LocatedDiagnostic[];
    };

export interface WorkspaceOptions {
  /** How files are read (nodeHost on Node). */
  host: Host;
  /** The built-in model library (node-host's loadPrelude, or preludeAt). */
  prelude: PreludeFile[];
  /** What a model may make the language read; default: trusted, anywhere (library use, tests). */
  access?: FileAccess;
  /** The editor's size limits (spikeworks.maxSynapses, spikeworks.memoryLimitMB); default 1e9 synapses, 8 GiB. */
  limits?: Partial<Limits>;
}

/** A model's size as the editor shows it (inlay hints, the size check). */
export interface ModelSize {
  neurons: number;
  /** Expected synapses (edge lists count 0 until read). */
  synapses: number;
  /** The run's memory estimate in bytes (state, synapses, delay buffers; probes and recorded spikes come on top). */
  bytes: number;
  /** Each connection with an estimate, in text order: its 1-based line, synapses and bytes. */
  connections: { line: number; synapses: number; bytes: number }[];
}

/** A 0-based place, as LSP uses (for editors). */
export interface Place {
  uri: string;
  start: { line: number; character: number };
  end: { line: number; character: number };
}

/** The URI of a source: a file path becomes a file: URI. */
export function uriOfSource(source: ModelSource): string {
  return 'file' in source ? URI.file(source.file).toString() : source.uri;
}

/** The file-system path of a file: URI, else undefined. */
export function pathOfUri(uri: string): string | undefined {
  try {
    const u = URI.parse(uri);
    return u.scheme === 'file' ? u.fsPath : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A set of files (open texts over a host) under one read policy, with the language's caches.
 * Keep one for many models (the CLI's files, a test's models); texts set here shadow the disk.
 */
export class ModelWorkspace {
  private readonly program: Program;

  constructor(options: WorkspaceOptions) {
    this.program = new Program(options.host, options.prelude);
    if (options.access) this.program.setAccess(options.access);
    if (options.limits) this.program.limits = { ...this.program.limits, ...options.limits };
  }

  /** Sets (or replaces) a file's text; it shadows the file on disk. */
  setText(uri: string, text: string): void {
    this.program.setText(uri, text);
  }

  /** Changes what models may read (trust, roots); everything is checked again. */
  setAccess(access: FileAccess): void {
    this.program.setAccess(access);
  }

  /** Checks and lowers `uri` (its text set here or read from the host). */
  lowerModel(uri: string): ModelOutcome {
    const r = lower(this.program, uri);
    if (r.ok) return { ok: true, ir: r.ir };
    const diagnostics = r.errors.flatMap((f) => this.locate(f.uri, f.diagnostics));
    return { ok: false, diagnostics, awaitingTrust: this.untrustedReads(uri) };
  }

  /** Every diagnostic of one file (not of its imports: those show as an error at the import), in text order. */
  check(uri: string): LocatedDiagnostic[] {
    const ds = this.program
      .analyze(uri)
      .diagnostics.slice()
      .sort((x, y) => x.start - y.start || x.severity - y.severity);
    return this.locate(uri, ds);
  }

  /** The size the editor shows for `uri` (see ModelSize). */
  size(uri: string): ModelSize {
    const a = this.program.analyze(uri);
    const lines = new LineIndex(this.program.getText(uri) ?? '');
    return {
      ...a.totals,
      connections: a.estimates.map((e) => ({ line: lines.position(e.node.start).line + 1, synapses: e.synapses, bytes: e.bytes })),
    };
  }

  /** Where population `name` is defined: the file `uri` first, then its imports (depth-first). */
  findPopulation(uri: string, name: string): Place | undefined {
    return this.findItem(uri, (it) => (it.kind === 'population' && it.name.name === name ? it.name : undefined));
  }

  /** Where input `name` (`input cue = poisson[…]`) is defined: the file `uri` first, then its imports. */
  findInput(uri: string, name: string): Place | undefined {
    return this.findItem(uri, (it) => (it.kind === 'input' && it.name?.name === name ? it.name : undefined));
  }

  /**
   * Where a connection is defined: the one named `name` when given and found, else the first
   * `connect` from `source` to `target` (selectors by population name, ranges ignored); the file
   * `uri` first, then its imports. The place is the name, or the header `connect a -> b`.
   */
  findConnection(uri: string, c: { name?: string; source: string; target?: string }): Place | undefined {
    const named = c.name === undefined ? undefined : this.findItem(uri, (it) => (it.kind === 'connect' && it.name?.name === c.name ? it.name : undefined));
    return named ?? this.findItem(uri, (it) => {
      if (it.kind !== 'connect' || !it.sources.some((s) => s.name.name === c.source)) return undefined;
      if (c.target !== undefined && !it.targets.some((t) => t.name.name === c.target)) return undefined;
      const last = it.targets[it.targets.length - 1] ?? it.sources[it.sources.length - 1];
      return { start: it.start, end: last.end };
    });
  }

  /** The span `match` picks among the items of `uri`, else of its imports (depth-first, no data file read). */
  private findItem(uri: string, match: (item: SnnFile['items'][number]) => { start: number; end: number } | undefined): Place | undefined {
    const seen = new Set<string>();
    const visit = (u: string, depth: number): Place | undefined => {
      if (seen.has(u) || depth > 20) return undefined;
      seen.add(u);
      const ast = this.program.getAst(u);
      if (!ast) return undefined;
      for (const it of ast.items) {
        const span = match(it);
        if (span) {
          const lines = new LineIndex(ast.text);
          return { uri: u, start: lines.position(span.start), end: lines.position(span.end) };
        }
      }
      for (const it of ast.items) {
        if (it.kind !== 'import') continue;
        const found = visit(this.program.resolveImport(u, it.path.value), depth + 1);
        if (found) return found;
      }
      return undefined;
    };
    return visit(uri, 0);
  }

  /**
   * Where an item of the model is written, for messages about the IR (exporters): a population,
   * input, probe, … by name, or the `index`-th of its kind among the items of `uri` (connections
   * and probes may be unnamed; items of imported files are not searched). With `property`: the
   * value of that property or assignment in the item's body where it is written there (else the
   * item). 1-based line and column.
   */
  locateItem(uri: string, item: { kind: string; name?: string; index?: number; property?: string }): { line: number; column: number } | undefined {
    const ast = this.program.getAst(uri);
    if (!ast) return undefined;
    const astKind = item.kind === 'connection' ? 'connect' : item.kind;
    const mine = ast.items.filter((it) => it.kind === astKind && astKind !== 'model');
    const nameOf = (it: (typeof ast.items)[number]) => ('name' in it && it.name && typeof it.name === 'object' && 'name' in it.name ? it.name.name : undefined);
    let hit = item.name !== undefined ? mine.find((it) => nameOf(it) === item.name) : undefined;
    if (!hit && item.index !== undefined && item.name === undefined) hit = mine[item.index];
    if (!hit) return undefined;
    let at = hit.start;
    if (item.property !== undefined) {
      const init = 'inits' in hit ? hit.inits.find((a) => a.target.kind === 'name' && a.target.name === item.property) : undefined;
      const prop = 'props' in hit ? hit.props.find((p) => p.key.name === item.property) : undefined;
      at = (init ?? prop)?.value.start ?? at;
    }
    const p = new LineIndex(ast.text).position(at);
    return { line: p.line + 1, column: p.character + 1 };
  }

  private locate(uri: string, ds: readonly Diagnostic[]): LocatedDiagnostic[] {
    const text = this.program.getText(uri) ?? '';
    const lines = new LineIndex(text);
    const path = pathOfUri(uri);
    return ds.map((d) => {
      const s = lines.position(d.start);
      const e = lines.position(d.end);
      const dataFile = d.code === 'untrusted' ? this.untrustedFile(uri, text, d) : undefined;
      return {
        uri,
        ...(path !== undefined ? { path } : {}),
        line: s.line + 1,
        column: s.character + 1,
        endLine: e.line + 1,
        endColumn: e.character + 1,
        severity: SEVERITY_NAMES[d.severity] as SeverityName,
        code: d.code,
        message: d.message,
        ...(dataFile !== undefined ? { dataFile } : {}),
      };
    });
  }

  /** An 'untrusted' diagnostic points at the from_file path literal: the file, relative to `uri`. */
  private untrustedFile(uri: string, text: string, d: Diagnostic): string | undefined {
    const literal = lex(text.slice(d.start, d.end)).tokens.find((t) => t.kind === 'string');
    return literal ? pathOfUri(this.program.resolveImport(uri, literal.text)) : undefined;
  }

  /** The 'untrusted' diagnostics (with their data file) of `uri` and of every file it imports, however deep. */
  private untrustedReads(uri: string): LocatedDiagnostic[] {
    const out: LocatedDiagnostic[] = [];
    const seen = new Set<string>();
    const queue = [uri];
    while (queue.length) {
      const u = queue.pop()!;
      if (seen.has(u) || this.program.getText(u) === undefined) continue;
      seen.add(u);
      const a = this.program.analyze(u);
      const located = this.locate(u, a.diagnostics.filter((d) => d.code === 'untrusted'));
      for (const e of located) if (e.dataFile !== undefined) out.push(e);
      for (const imp of a.imports) if (imp.uri) queue.push(imp.uri);
    }
    return out;
  }
}

/**
 * Checks and lowers one model: a file, or a URI with its text (imports are read through the
 * host). A fresh workspace each call; use a ModelWorkspace to keep caches across models.
 */
export function lowerModel(source: ModelSource, options: WorkspaceOptions): ModelOutcome {
  const ws = new ModelWorkspace(options);
  const uri = uriOfSource(source);
  if (!('file' in source) && source.text !== undefined) ws.setText(uri, source.text);
  return ws.lowerModel(uri);
}

/** `path:line:col: severity: message`, the path as given by `shown` (default: the file's path, else its URI). */
export function formatDiagnostic(d: LocatedDiagnostic, shown: string = d.path ?? d.uri): string {
  return `${shown}:${d.line}:${d.column}: ${d.severity}: ${d.message}`;
}

/**
 * A quantity as a command line writes it (`300pA`, `0.5 nS`, `10 Hz`, `2`, `1 mV/ms`): its value
 * in SI base units and its dimension (the IR's seven bases), read with the language's own unit
 * table; or why it is not one. Used by `spikeworks sweep --set` (the engine does not import the
 * language).
 */
export function parseQuantity(text: string): { ok: true; value: number; dim: DimIR } | { ok: false; message: string } {
  const m = /^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*([A-Za-z%][A-Za-z0-9]*(?:\s*\/\s*[A-Za-z][A-Za-z0-9]*)?)?\s*$/.exec(text);
  if (!m) return { ok: false, message: `'${text}' is not a number with an optional unit (e.g. 300 pA)` };
  const value = Number(m[1]);
  if (!Number.isFinite(value)) return { ok: false, message: `'${text}' is not a finite number` };
  if (!m[2]) return { ok: true, value, dim: [0, 0, 0, 0, 0, 0, 0] };
  const [num, den] = m[2].split('/').map((s) => s.trim());
  const a = lookupUnit(num);
  const b = den === undefined ? undefined : lookupUnit(den);
  if (!a) return { ok: false, message: `unknown unit '${num}' in '${text}'` };
  if (den !== undefined && !b) return { ok: false, message: `unknown unit '${den}' in '${text}'` };
  const dim = b ? unitDiv(a.dim, b.dim) : a.dim;
  if (dim[7] !== 0) return { ok: false, message: `'${text}': the symbolic unit 'weight' has no SI value` };
  return { ok: true, value: value * (b ? a.scale / b.scale : a.scale), dim: [dim[0], dim[1], dim[2], dim[3], dim[4], dim[5], dim[6]] };
}
