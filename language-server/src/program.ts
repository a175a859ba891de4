// The set of .snn files the language knows: open documents (overlays), files read on demand
// through a host, and the prelude. Caches parses and analyses; any edit invalidates analyses
// (imports make files depend on each other), parses are kept per text. Edits are cheap: a file's
// new text is parsed incrementally from its last parse (parser.ts reparse: only the top-level
// items the edit touches), and an open document's check takes over the records of the items
// nothing changed for (check/memo.ts); results equal a fresh Program's (test/incremental.test.ts).
//
// Files a model names are read under a policy (`FileAccess`): in an untrusted workspace no data
// file (`from_file`) is opened at all; otherwise data files must lie inside the allowed roots
// (workspace folders; the CLI's current directory, model folder and --allow-read folders) after
// symlinks are resolved, and imports inside the roots or next to the importing file. Sizes are
// checked before a byte is read (the host stats first). Data files are read and parsed once per
// (real path, mtime, size), across checks.
import { URI, Utils } from 'vscode-uri';
import { quote } from '../../protocol/plain-text';
import type { SnnFile } from './ast';
import { analyze, type CheckMemo, type FileAnalysis, type ModelInfo } from './checker';
import { CsvTable, UNTRUSTED_DATA } from './data-values';
import { readOnnxIo, UNTRUSTED_MODEL } from './onnx-model';

export { UNTRUSTED_MODEL };
import type { OnnxIo } from '../../protocol/onnx-readout';

export { UNTRUSTED_DATA };
import { parse, parseState, reparse, type ParseState } from './parser';

/** Why a host did not read a file (see io/safe-read.ts). */
export type ReadRefusal = 'missing' | 'not-regular' | 'too-large' | 'outside' | 'unreadable' | 'cancelled';

export type HostRefused = { ok: false; reason: ReadRefusal; message: string; size?: number };
export type HostStat = { ok: true; real: string; size: number; mtimeMs: number } | HostRefused;
export type HostText = { ok: true; text: string; real: string; size: number; mtimeMs: number } | HostRefused;
export type HostBytes = { ok: true; bytes: Uint8Array; real: string; size: number; mtimeMs: number } | HostRefused;

export interface ReadRequest {
  /** Files larger than this are refused before reading. */
  maxBytes: number;
  /** When given, the file's real path (symlinks resolved) must lie inside one of these folders. */
  roots?: readonly string[];
}

export interface Host {
  /** Reads a file by URI; undefined when it does not exist or cannot be read. */
  readFile(uri: string): string | undefined;
  /**
   * What `readText` would read, without reading it: the real path, size and mtime (cache keys),
   * or why it is refused. Hosts without a file system leave stat and readText out.
   */
  stat?(uri: string, req: ReadRequest): HostStat;
  /** A bounded read: regular files only, refused above maxBytes before reading, confined to roots. */
  readText?(uri: string, req: ReadRequest): HostText;
  /** readText's bounded read as bytes (model files: ONNX readouts). */
  readBytes?(uri: string, req: ReadRequest): HostBytes;
}

/** Which files a model may make the language read. */
export interface FileAccess {
  /** false (an untrusted workspace): data files are not opened at all. */
  trusted: boolean;
  /**
   * Folders (file-system paths) that data files must lie in, and imports too unless they are next
   * to the importing file. undefined: anywhere (library use, tests). [] (a server without
   * workspace folders): data files only in the folder of the model that names them.
   */
  roots?: string[];
  /** Said after "outside the workspace" (the CLI: how to allow a folder). */
  outsideHint?: string;
}

export interface PreludeFile {
  uri: string;
  text: string;
}

export interface Limits {
  maxSynapses: number;
  memoryBytes: number;
}

export const DEFAULT_LIMITS: Limits = { maxSynapses: 1e9, memoryBytes: 8 * 2 ** 30 };

/** Value files (`from_file`) larger than this are not read (a diagnostic says so). */
export const MAX_DATA_BYTES = 32 * 2 ** 20;

/** Event files and edge lists larger than this are refused (the engine's cap, sim-host/src/node-files.ts). */
export const MAX_RUN_FILE_BYTES = 256 * 2 ** 20;

/** Files larger than this are not analysed (a diagnostic says so). */
export const MAX_FILE_BYTES = 4 * 2 ** 20;

/** Imports deeper than this (a chain of files each importing the next) are not followed. */
export const MAX_IMPORT_DEPTH = 64;


/** An ONNX readout's model file as the checker sees it: its inputs and outputs, or why not. */
export interface ModelRead {
  uri: string;
  io?: { inputs: OnnxIo[]; outputs: OnnxIo[] };
  error?: string;
  /** Not read: the workspace is not trusted (the shape is checked once it is). */
  untrusted?: boolean;
}

export interface DataRead {
  uri: string;
  table?: CsvTable;
  error?: string;
}

function mib(n: number): string {
  return `${(n / 2 ** 20).toFixed(1)} MiB`;
}

/** The folder of a file URI as a file-system path (undefined for other schemes). */
function folderOf(uri: string): string | undefined {
  const u = URI.parse(uri);
  return u.scheme === 'file' ? Utils.dirname(u).fsPath : undefined;
}

/** Whether file URI `uri` lies lexically inside folder `dir` (a file-system path). */
function lexicallyInside(uri: string, dir: string): boolean {
  const u = URI.parse(uri);
  if (u.scheme !== 'file') return false;
  const root = URI.file(dir).path.replace(/\/+$/, '');
  return u.path === root || u.path.startsWith(`${root}/`);
}

export class Program {
  private overlays = new Map<string, string>();
  private parses = new Map<string, { text: string; ast: SnnFile }>();
  /** Per open document: what its last check produced, for the next check to take over (check/memo.ts). */
  private memos = new Map<string, CheckMemo>();
  /** The latest parse of each file in a form an edit can update (see parser.ts reparse). */
  private parseStates = new Map<string, ParseState>();
  private analyses = new Map<string, FileAnalysis>();
  /** The latest analysis of each file, kept across edits (see completionAnalysis). */
  private lastAnalyses = new Map<string, FileAnalysis>();
  private inProgress: string[] = [];
  private preludeCache?: Map<string, ModelInfo>;
  private preludeAnalyses: FileAnalysis[] = [];
  /** Disk texts of .snn files by URI, kept while their (real path, size, mtime) stay the same. */
  private sources = new Map<string, { real: string; size: number; mtimeMs: number; text: string }>();
  /** Why a .snn file was not read (too large, not a regular file), by URI. */
  private sourceRefusals = new Map<string, HostRefused>();
  /** Parsed data files by URI, kept while their (real path, size, mtime) stay the same. */
  private dataTables = new Map<string, { real: string; size: number; mtimeMs: number; table: CsvTable }>();
  /** Data tables of open documents (no file identity): by text. */
  private overlayTables = new Map<string, CsvTable>();
  /** Per check (cleared by invalidate): each file is looked at once, whatever the number of uses. */
  private seenSources = new Map<string, string | undefined>();
  private seenData = new Map<string, DataRead>();
  /** ONNX readouts' model files by URI, kept while their (real path, size, mtime) stay the same. */
  private models = new Map<string, { real: string; size: number; mtimeMs: number; read: ModelRead }>();
  private seenModels = new Map<string, ModelRead>();
  private access: FileAccess = { trusted: true };
  limits: Limits = { ...DEFAULT_LIMITS };

  constructor(private host: Host, readonly prelude: PreludeFile[]) {}

  setText(uri: string, text: string): void {
    if (this.overlays.get(uri) === text) return;
    this.overlays.set(uri, text);
    this.invalidate();
  }

  close(uri: string): void {
    this.lastAnalyses.delete(uri);
    this.memos.delete(uri);
    if (this.overlays.delete(uri)) this.invalidate();
  }

  invalidate(): void {
    this.analyses.clear();
    this.seenSources.clear();
    this.seenData.clear();
    this.seenModels.clear();
  }

  /** Sets which files models may make the language read (trust, roots); re-checks everything. */
  setAccess(access: FileAccess): void {
    this.access = { ...access, roots: access.roots ? [...access.roots] : undefined };
    this.invalidate();
  }

  getAccess(): FileAccess {
    return { ...this.access, roots: this.access.roots ? [...this.access.roots] : undefined };
  }

  isPrelude(uri: string): boolean {
    return this.prelude.some((p) => p.uri === uri);
  }

  getText(uri: string): string | undefined {
    const o = this.overlays.get(uri);
    if (o !== undefined) return o;
    const p = this.prelude.find((f) => f.uri === uri);
    if (p) return p.text;
    if (this.seenSources.has(uri)) return this.seenSources.get(uri);
    const text = this.readSource(uri);
    this.seenSources.set(uri, text);
    return text;
  }

  /** A .snn file from disk: stat first (refused above MAX_FILE_BYTES without reading), then read once per version. */
  private readSource(uri: string): string | undefined {
    this.sourceRefusals.delete(uri);
    const { host } = this;
    if (!host.stat || !host.readText) return host.readFile(uri);
    const req = { maxBytes: MAX_FILE_BYTES };
    const st = host.stat(uri, req);
    if (!st.ok) {
      if (st.reason === 'too-large' || st.reason === 'not-regular') this.sourceRefusals.set(uri, st);
      this.sources.delete(uri);
      return undefined;
    }
    const hit = this.sources.get(uri);
    if (hit && hit.real === st.real && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return hit.text;
    const r = host.readText(uri, req);
    if (!r.ok) {
      if (r.reason === 'too-large' || r.reason === 'not-regular') this.sourceRefusals.set(uri, r);
      this.sources.delete(uri);
      return undefined;
    }
    this.sources.set(uri, { real: r.real, size: r.size, mtimeMs: r.mtimeMs, text: r.text });
    return r.text;
  }

  /** Why a .snn file could not be read although it exists (too large, not a regular file). */
  private refusalMessage(uri: string): string | undefined {
    const r = this.sourceRefusals.get(uri);
    if (!r) return undefined;
    if (r.reason === 'too-large') return `file is ${mib(r.size ?? 0)}; files over ${MAX_FILE_BYTES / 2 ** 20} MiB are not checked`;
    return 'not a regular file (a folder, pipe or device); only regular files are checked';
  }

  openUris(): string[] {
    return [...this.overlays.keys()];
  }

  getAst(uri: string): SnnFile | undefined {
    const text = this.getText(uri);
    if (text === undefined) {
      const refused = this.refusalMessage(uri);
      if (!refused) return undefined;
      const ast = parse('');
      ast.errors.push({ start: 0, end: 0, code: 'too-large', message: refused });
      return ast;
    }
    const hit = this.parses.get(uri);
    if (hit && hit.text === text) return hit.ast;
    let ast: SnnFile;
    if (text.length > MAX_FILE_BYTES) {
      this.parseStates.delete(uri);
      ast = parse('');
      ast.text = text;
      ast.errors.push({ start: 0, end: 0, code: 'too-large', message: `file is ${mib(text.length)}; files over ${MAX_FILE_BYTES / 2 ** 20} MiB are not checked` });
    } else {
      // An edit re-parses only the items it touches (the old syntax tree is updated in place).
      const prev = this.parseStates.get(uri);
      const st = prev ? reparse(prev, text) : parseState(text);
      this.parseStates.set(uri, st);
      ast = st.ast;
    }
    this.parses.set(uri, { text, ast });
    return ast;
  }

  private preludeModels(): Map<string, ModelInfo> {
    if (this.preludeCache) return this.preludeCache;
    const models = new Map<string, ModelInfo>();
    this.preludeCache = models;
    for (const p of this.prelude) {
      const ast = this.getAst(p.uri)!;
      const a = analyze(p.uri, ast, this.context(), true);
      this.preludeAnalyses.push(a);
      for (const m of a.ownModels) models.set(m.def.name.name, m);
    }
    return models;
  }

  /** Analyses of the prelude files (for tests: the prelude must check clean). */
  preludeDiagnostics(): FileAnalysis[] {
    this.preludeModels();
    return this.preludeAnalyses;
  }

  private context() {
    return {
      preludeModels: () => this.preludeModels(),
      importFile: (from: string, path: string) => this.importFile(from, path),
      readData: (from: string, path: string) => this.readData(from, path),
      statRunFile: (from: string, path: string) => this.statRunFile(from, path),
      readModel: (from: string, path: string) => this.readModel(from, path),
      limits: this.limits,
    };
  }

  resolveImport(from: string, raw: string): string {
    // A lone surrogate (text mangled mid-edit) makes URI encoding throw: write it as U+FFFD.
    const path = raw.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
    const base = URI.parse(from);
    if (/^[a-z][a-z0-9+.-]*:/i.test(path) && !/^[a-z]:[\\/]/i.test(path)) return URI.parse(path).toString();
    // '//x' would read as an authority where the URI has none (vscode-uri throws): one leading slash.
    if (path.startsWith('/')) return base.with({ path: path.replace(/^\/+/, '/') }).toString();
    return Utils.joinPath(Utils.dirname(base), path).toString();
  }

  /** The folders a data file named by `from` must lie in (undefined: anywhere). */
  private dataRoots(from: string): string[] | undefined {
    const { roots } = this.access;
    if (!roots) return undefined;
    if (roots.length) return roots;
    const dir = folderOf(from);
    return dir ? [dir] : [];
  }

  /** A data file named by a model (`from_file`), relative to the model like an import. */
  readData(from: string, path: string): DataRead {
    if (!path.trim()) return { uri: from, error: 'empty file path' };
    const shown = quote(path, 120);
    if (!this.access.trusted) return { uri: from, error: `'${shown}' is not read: ${UNTRUSTED_DATA}` };
    const uri = this.resolveImport(from, path);
    const roots = this.dataRoots(from);
    const key = `${uri}\n${roots?.join('\n') ?? '*'}`;
    const seen = this.seenData.get(key);
    if (seen) return seen;
    const r = this.readDataOnce(uri, shown, roots);
    this.seenData.set(key, r);
    return r;
  }

  /**
   * A file the engine reads at run time (an event file, an edge list): checked, never read, so that
   * `check` and `run` agree — it must exist, be a regular file inside the roots and within the
   * engine's input-file cap. Untrusted: not even looked at (the run waits for trust). Returns the
   * problem, or undefined.
   */
  statRunFile(from: string, path: string): string | undefined {
    if (!path.trim()) return 'empty file path';
    if (!this.access.trusted) return undefined;
    const { host } = this;
    if (!host.stat) return undefined;
    const shown = quote(path, 120);
    const uri = this.resolveImport(from, path);
    const st = host.stat(uri, { maxBytes: MAX_RUN_FILE_BYTES, roots: this.dataRoots(from) });
    if (st.ok) return undefined;
    switch (st.reason) {
      case 'missing': return `cannot find '${shown}' (looked for ${URI.parse(uri).fsPath || uri})`;
      case 'outside': return `'${shown}' is outside the workspace; files outside the workspace folders are not read${this.hint()}`;
      case 'too-large': return `'${shown}' is ${mib(st.size ?? 0)}; event files and edge lists over ${MAX_RUN_FILE_BYTES / 2 ** 20} MiB are not read`;
      case 'not-regular': return `'${shown}' is not a regular file (a folder, pipe or device); only regular files are read`;
      default: return `'${shown}' cannot be read`;
    }
  }

  /**
   * An ONNX readout's model file (`readout r = onnx { file: … }`), relative to the model: read
   * like a run file (inside the roots, at most MAX_RUN_FILE_BYTES, bytes only from a host that
   * reads files), decoded, never run. Untrusted: not opened. A host without bytes: undefined.
   */
  readModel(from: string, path: string): ModelRead | undefined {
    if (!path.trim()) return { uri: from, error: 'empty file path' };
    if (!this.access.trusted) return { uri: from, untrusted: true };
    const { host } = this;
    if (!host.stat || !host.readBytes) return undefined;
    const uri = this.resolveImport(from, path);
    const roots = this.dataRoots(from);
    const key = `${uri}\n${roots?.join('\n') ?? '*'}`;
    const seen = this.seenModels.get(key);
    if (seen) return seen;
    const shown = quote(path, 120);
    const req = { maxBytes: MAX_RUN_FILE_BYTES, roots };
    const refused = (r: HostRefused): ModelRead => {
      this.models.delete(uri);
      switch (r.reason) {
        case 'missing': return { uri, error: `cannot find '${shown}' (looked for ${URI.parse(uri).fsPath || uri})` };
        case 'outside': return { uri, error: `'${shown}' is outside the workspace; model files outside the workspace folders are not read${this.hint()}` };
        case 'too-large': return { uri, error: `'${shown}' is ${mib(r.size ?? 0)}; model files over ${MAX_RUN_FILE_BYTES / 2 ** 20} MiB are not read` };
        case 'not-regular': return { uri, error: `'${shown}' is not a regular file (a folder, pipe or device); only regular files are read` };
        default: return { uri, error: `'${shown}' cannot be read` };
      }
    };
    const read = (): ModelRead => {
      const st = host.stat!(uri, req);
      if (!st.ok) return refused(st);
      const hit = this.models.get(uri);
      if (hit && hit.real === st.real && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return hit.read;
      const r = host.readBytes!(uri, req);
      if (!r.ok) return refused(r);
      const io = readOnnxIo(r.bytes);
      const got: ModelRead = 'error' in io ? { uri, error: `'${shown}': ${io.error}` } : { uri, io };
      this.models.set(uri, { real: r.real, size: r.size, mtimeMs: r.mtimeMs, read: got });
      return got;
    };
    const got = read();
    this.seenModels.set(key, got);
    return got;
  }

  private readDataOnce(uri: string, shown: string, roots: string[] | undefined): DataRead {
    const where = () => URI.parse(uri).fsPath || uri;
    const outside = { uri, error: `'${shown}' is outside the workspace; data files outside the workspace folders are not read${this.hint()}` };
    const overlay = this.overlays.get(uri);
    if (overlay !== undefined) {
      if (roots && !roots.some((d) => lexicallyInside(uri, d))) return outside;
      if (overlay.length > MAX_DATA_BYTES) return { uri, error: `'${shown}' is ${mib(overlay.length)}; value files over ${MAX_DATA_BYTES / 2 ** 20} MiB are not read` };
      let t = this.overlayTables.get(uri);
      if (!t || t.text !== overlay) this.overlayTables.set(uri, (t = new CsvTable(overlay)));
      return { uri, table: t };
    }
    const { host } = this;
    if (!host.stat || !host.readText) {
      // A host without a file system (tests, the browser): no stat, no confinement to check.
      const text = host.readFile(uri);
      if (text === undefined) return { uri, error: `cannot find '${shown}' (looked for ${where()})` };
      if (text.length > MAX_DATA_BYTES) return { uri, error: `'${shown}' is ${mib(text.length)}; value files over ${MAX_DATA_BYTES / 2 ** 20} MiB are not read` };
      let t = this.overlayTables.get(uri);
      if (!t || t.text !== text) this.overlayTables.set(uri, (t = new CsvTable(text)));
      return { uri, table: t };
    }
    const req = { maxBytes: MAX_DATA_BYTES, roots };
    const refused = (r: HostRefused): DataRead => {
      switch (r.reason) {
        case 'missing': return { uri, error: `cannot find '${shown}' (looked for ${where()})` };
        case 'outside': return outside;
        case 'too-large': return { uri, error: `'${shown}' is ${mib(r.size ?? 0)}; value files over ${MAX_DATA_BYTES / 2 ** 20} MiB are not read` };
        case 'not-regular': return { uri, error: `'${shown}' is not a regular file (a folder, pipe or device); only regular files are read` };
        default: return { uri, error: `'${shown}' cannot be read` };
      }
    };
    const st = host.stat(uri, req);
    if (!st.ok) {
      this.dataTables.delete(uri);
      return refused(st);
    }
    const hit = this.dataTables.get(uri);
    if (hit && hit.real === st.real && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return { uri, table: hit.table };
    const r = host.readText(uri, req);
    if (!r.ok) {
      this.dataTables.delete(uri);
      return refused(r);
    }
    const table = new CsvTable(r.text);
    this.dataTables.set(uri, { real: r.real, size: r.size, mtimeMs: r.mtimeMs, table });
    return { uri, table };
  }

  private hint(): string {
    return this.access.outsideHint ? ` (${this.access.outsideHint})` : '';
  }

  /** Whether an import may be read: inside the roots or next to (or below) the importing file. */
  private importAllowed(from: string, uri: string): boolean {
    const { roots } = this.access;
    if (!roots || URI.parse(uri).scheme !== 'file') return true;
    const dirs = [...roots, ...(folderOf(from) ? [folderOf(from)!] : [])];
    if (!dirs.some((d) => lexicallyInside(uri, d))) return false;
    if (this.overlays.has(uri) || !this.host.stat) return true;
    // Symlinks: the real path must be inside too (a missing file is reported later as missing).
    const st = this.host.stat(uri, { maxBytes: Number.MAX_SAFE_INTEGER, roots: dirs });
    return st.ok || st.reason !== 'outside';
  }

  private importFile(from: string, path: string): { uri?: string; analysis?: FileAnalysis; error?: string; cycle?: boolean } {
    if (!path.trim()) return { error: 'empty import path' };
    const uri = this.resolveImport(from, path);
    const shown = quote(path, 120);
    if (uri === from) return { uri, error: `'${shown}' is this file: a file cannot import itself` };
    const k = this.inProgress.indexOf(uri);
    if (k >= 0) {
      const chain = [...this.inProgress.slice(k), uri].map((u) => Utils.basename(URI.parse(u))).join(' → ');
      return { uri, error: `import cycle: ${chain}`, cycle: true };
    }
    if (this.inProgress.length >= MAX_IMPORT_DEPTH) {
      return { uri, error: `import chain deeper than ${MAX_IMPORT_DEPTH} files: '${shown}' is not read (shorten the chain of files importing each other)` };
    }
    if (!this.importAllowed(from, uri)) {
      return { uri, error: `'${shown}' is outside the workspace and not next to this file; it is not read${this.hint()}` };
    }
    if (this.getText(uri) === undefined) {
      const refused = this.refusalMessage(uri);
      if (refused) return { uri, error: `'${shown}': ${refused}` };
      return { uri, error: `cannot find '${shown}' (looked for ${URI.parse(uri).fsPath || uri})` };
    }
    return { uri, analysis: this.analyze(uri) };
  }

  /**
   * An analysis fit for completion, fast while the user types: the current text's syntax tree
   * with the names and models of the last full analysis of this file (completion needs what is
   * declared, not diagnostics). Falls back to a full analysis when there is none yet.
   */
  completionAnalysis(uri: string): FileAnalysis {
    const hit = this.analyses.get(uri);
    if (hit) return hit;
    const last = this.lastAnalyses.get(uri);
    const ast = this.getAst(uri);
    if (!last || !ast) return this.analyze(uri);
    return { ...last, file: ast };
  }

  analyze(uri: string): FileAnalysis {
    const hit = this.analyses.get(uri);
    if (hit) return hit;
    const ast = this.getAst(uri) ?? parse('');
    this.inProgress.push(uri);
    try {
      // Open documents are checked incrementally (the files they import are not edited here),
      // from their second check on: a document checked once (the CLI) does not pay for the records.
      const memo = this.memos.get(uri);
      if (!memo && this.overlays.has(uri)) this.memos.set(uri, { items: new Map() });
      const a = analyze(uri, ast, this.context(), this.isPrelude(uri), memo);
      this.analyses.set(uri, a);
      this.lastAnalyses.set(uri, a);
      return a;
    } finally {
      this.inProgress.pop();
    }
  }
}
