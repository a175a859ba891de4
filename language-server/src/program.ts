// The set of .snn files the language knows: open documents (overlays), files read on demand
// through a host, and the prelude. Caches parses and analyses; any edit invalidates analyses
// (imports make files depend on each other), parses are kept per text.
import { URI, Utils } from 'vscode-uri';
import type { SnnFile } from './ast';
import { analyze, type FileAnalysis, type ModelInfo } from './checker';
import { parse } from './parser';

export interface Host {
  /** Reads a file by URI; undefined when it does not exist or cannot be read. */
  readFile(uri: string): string | undefined;
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

/** Files larger than this are not analysed (a diagnostic says so). */
export const MAX_FILE_BYTES = 4 * 2 ** 20;

export class Program {
  private overlays = new Map<string, string>();
  private parses = new Map<string, { text: string; ast: SnnFile }>();
  private analyses = new Map<string, FileAnalysis>();
  /** The latest analysis of each file, kept across edits (see completionAnalysis). */
  private lastAnalyses = new Map<string, FileAnalysis>();
  private inProgress: string[] = [];
  private preludeCache?: Map<string, ModelInfo>;
  private preludeAnalyses: FileAnalysis[] = [];
  limits: Limits = { ...DEFAULT_LIMITS };

  constructor(private host: Host, readonly prelude: PreludeFile[]) {}

  setText(uri: string, text: string): void {
    if (this.overlays.get(uri) === text) return;
    this.overlays.set(uri, text);
    this.invalidate();
  }

  close(uri: string): void {
    this.lastAnalyses.delete(uri);
    if (this.overlays.delete(uri)) this.invalidate();
  }

  invalidate(): void {
    this.analyses.clear();
  }

  isPrelude(uri: string): boolean {
    return this.prelude.some((p) => p.uri === uri);
  }

  getText(uri: string): string | undefined {
    const o = this.overlays.get(uri);
    if (o !== undefined) return o;
    const p = this.prelude.find((f) => f.uri === uri);
    if (p) return p.text;
    return this.host.readFile(uri);
  }

  openUris(): string[] {
    return [...this.overlays.keys()];
  }

  getAst(uri: string): SnnFile | undefined {
    const text = this.getText(uri);
    if (text === undefined) return undefined;
    const hit = this.parses.get(uri);
    if (hit && hit.text === text) return hit.ast;
    const ast = parse(text.length > MAX_FILE_BYTES ? '' : text);
    if (text.length > MAX_FILE_BYTES) {
      ast.text = text;
      ast.errors.push({ start: 0, end: 0, code: 'too-large', message: `file is ${(text.length / 2 ** 20).toFixed(1)} MiB; files over ${MAX_FILE_BYTES / 2 ** 20} MiB are not checked` });
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
      limits: this.limits,
    };
  }

  resolveImport(from: string, path: string): string {
    const base = URI.parse(from);
    if (/^[a-z][a-z0-9+.-]*:/i.test(path) && !/^[a-z]:[\\/]/i.test(path)) return URI.parse(path).toString();
    if (path.startsWith('/')) return base.with({ path }).toString();
    return Utils.joinPath(Utils.dirname(base), path).toString();
  }

  /** A data file named by a model (`from_file`), relative to the model like an import. */
  private readData(from: string, path: string): { uri: string; text?: string; error?: string } {
    if (!path.trim()) return { uri: from, error: 'empty file path' };
    const uri = this.resolveImport(from, path);
    const text = this.getText(uri);
    if (text === undefined) return { uri, error: `cannot find '${path}' (looked for ${URI.parse(uri).fsPath || uri})` };
    if (text.length > MAX_DATA_BYTES) return { uri, error: `'${path}' is ${(text.length / 2 ** 20).toFixed(1)} MiB; value files over ${MAX_DATA_BYTES / 2 ** 20} MiB are not read` };
    return { uri, text };
  }

  private importFile(from: string, path: string): { uri?: string; analysis?: FileAnalysis; error?: string; cycle?: boolean } {
    if (!path.trim()) return { error: 'empty import path' };
    const uri = this.resolveImport(from, path);
    if (uri === from) return { uri, error: `'${path}' is this file: a file cannot import itself` };
    const k = this.inProgress.indexOf(uri);
    if (k >= 0) {
      const chain = [...this.inProgress.slice(k), uri].map((u) => Utils.basename(URI.parse(u))).join(' → ');
      return { uri, error: `import cycle: ${chain}`, cycle: true };
    }
    if (this.getText(uri) === undefined) return { uri, error: `cannot find '${path}' (looked for ${URI.parse(uri).fsPath || uri})` };
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
      const a = analyze(uri, ast, this.context(), this.isPrelude(uri));
      this.analyses.set(uri, a);
      this.lastAnalyses.set(uri, a);
      return a;
    } finally {
      this.inProgress.pop();
    }
  }
}
