// The language server, independent of transport: node-main.ts (stdio/IPC) and browser-main.ts
// (Web Worker) create the connection and the Program and call startServer. Every handler is
// guarded: a bug or a strange document yields an empty answer and a log line, never a crash.
import {
  CodeActionKind, CompletionItemKind, DiagnosticSeverity, DocumentSymbol, FoldingRangeKind, InlayHint, InsertTextFormat,
  MarkupKind, ResponseError, SymbolKind, TextDocumentSyncKind, TextDocuments, TextEdit,
  type CodeAction, type CompletionItem, type Connection, type Diagnostic as LspDiagnostic, type InitializeResult, type Range, type WorkspaceEdit,
  type WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { complete, type ItemKind } from './features/completion';
import { FORMAT_INDENT, format } from './features/format';
import { referenceHref, sectionForCode } from './reference-links';
import { inlayHints } from './features/hints';
import { hover } from './features/hover';
import { definition, prepareRename, references, rename } from './features/navigation';
import { foldingRanges, outline, type OutlineNode } from './features/outline';
import { semanticTokens, TOKEN_MODIFIERS, TOKEN_TYPES } from './features/tokens';
import { MAX_FILE_BYTES, type Program } from './program';
import { LineIndex } from './text';

export interface ServerOptions {
  program: Program;
  /** Lists .snn files of the workspace folders (for references and rename across files). */
  listWorkspaceFiles?: (folders: string[]) => string[];
  /**
   * The URI of the language reference (LANGUAGE.md) that diagnostics (`codeDescription.href`)
   * and keyword hovers link to; without it, no links (the browser entry has no file to link to).
   */
  referenceUri?: string;
}

const DIAGNOSTICS_DEBOUNCE_MS = 40;

/** The client tells the server that the user trusted the workspace (VS Code's workspace trust). */
export const SET_TRUSTED = 'spikeworks/setTrusted';

/**
 * `initializationOptions.trusted` (the VS Code client always sends it): false = an untrusted
 * workspace, where language features run but no data file is opened. Clients without a trust
 * concept leave it out: trusted, still confined to the workspace folders.
 */
export function trustedFromInit(options: unknown): boolean {
  const t = options && typeof options === 'object' ? (options as { trusted?: unknown }).trusted : undefined;
  return t !== false;
}

/** File-system paths of the workspace folders (the roots files named by models must lie in). */
function rootsOf(folders: string[]): string[] {
  return folders.map((f) => URI.parse(f)).filter((u) => u.scheme === 'file').map((u) => u.fsPath);
}

const COMPLETION_KINDS: Record<ItemKind, CompletionItemKind> = {
  keyword: CompletionItemKind.Keyword,
  model: CompletionItemKind.Class,
  parameter: CompletionItemKind.Constant,
  state: CompletionItemKind.Variable,
  alias: CompletionItemKind.Function,
  property: CompletionItemKind.Property,
  population: CompletionItemKind.Module,
  unit: CompletionItemKind.Unit,
  function: CompletionItemKind.Function,
  value: CompletionItemKind.EnumMember,
  snippet: CompletionItemKind.Snippet,
};

const SYMBOL_KINDS: Record<OutlineNode['kind'], SymbolKind> = {
  neuron: SymbolKind.Class,
  synapse: SymbolKind.Interface,
  population: SymbolKind.Module,
  connection: SymbolKind.Event,
  input: SymbolKind.Event,
  readout: SymbolKind.Function,
  task: SymbolKind.Enum,
  concept: SymbolKind.EnumMember,
  target: SymbolKind.Package,
  parameter: SymbolKind.Constant,
  state: SymbolKind.Variable,
  alias: SymbolKind.Function,
  model: SymbolKind.Namespace,
  probe: SymbolKind.Field,
  simulate: SymbolKind.Object,
  section: SymbolKind.Namespace,
};

export function startServer(connection: Connection, opts: ServerOptions): void {
  const { program } = opts;
  const documents = new TextDocuments(TextDocument);
  let workspaceFiles: string[] = [];
  let folders: string[] = [];
  let hasConfig = false;
  let hasFolderEvents = false;
  const pending = new Set<string>();
  let scheduled = false;

  const guard = <A extends unknown[], R>(name: string, fallback: R, f: (...args: A) => R) => (...args: A): R => {
    try {
      return f(...args);
    } catch (e) {
      connection.console.error(`${name} failed: ${(e as Error).stack ?? e}`);
      return fallback;
    }
  };

  const linesCache = new Map<string, LineIndex>();
  const lines = (uri: string): LineIndex => {
    const text = program.getText(uri) ?? '';
    const hit = linesCache.get(uri);
    if (hit && hit.text === text) return hit;
    const li = new LineIndex(text);
    linesCache.set(uri, li);
    return li;
  };
  const range = (uri: string, start: number, end: number): Range => ({ start: lines(uri).position(start), end: lines(uri).position(end) });
  const offsetOf = (uri: string, pos: { line: number; character: number }) => lines(uri).offset(pos);
  const allUris = () => [...new Set([...program.openUris(), ...workspaceFiles])];

  const codeDescription = (code: string | undefined) => {
    const section = opts.referenceUri ? sectionForCode(code) : undefined;
    return section ? { codeDescription: { href: referenceHref(opts.referenceUri!, section) } } : {};
  };
  const publish = guard('diagnostics', undefined, (uri: string) => {
    const a = program.analyze(uri);
    const diagnostics: LspDiagnostic[] = a.diagnostics.map((d) => ({
      range: range(uri, d.start, d.end),
      severity: d.severity as DiagnosticSeverity,
      message: d.message,
      code: d.code,
      ...codeDescription(d.code),
      source: 'spikeworks',
      data: d.fixes,
    }));
    void connection.sendDiagnostics({ uri, version: documents.get(uri)?.version, diagnostics });
  });

  const flush = () => {
    scheduled = false;
    // Imports make files depend on each other: re-check every open file.
    for (const d of documents.all()) pending.add(d.uri);
    const uris = [...pending];
    pending.clear();
    for (const u of uris) if (documents.get(u)) publish(u);
  };
  const schedule = (uri: string) => {
    pending.add(uri);
    if (!scheduled) {
      scheduled = true;
      // A short debounce: while the user types, completion (parse only) answers first and
      // the full check runs once the burst of edits pauses.
      setTimeout(flush, DIAGNOSTICS_DEBOUNCE_MS);
    }
  };

  connection.onInitialize((params): InitializeResult => {
    hasConfig = !!params.capabilities.workspace?.configuration;
    hasFolderEvents = !!params.capabilities.workspace?.workspaceFolders;
    folders = (params.workspaceFolders ?? []).map((f) => f.uri);
    if (!folders.length && params.rootUri) folders = [params.rootUri];
    program.setAccess({ trusted: trustedFromInit(params.initializationOptions), roots: rootsOf(folders) });
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: [' ', ':', '=', '.', '('], resolveProvider: false },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        foldingRangeProvider: true,
        documentFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        inlayHintProvider: true,
        semanticTokensProvider: { legend: { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] }, full: true },
        // Folders added or removed later change where data files may be read from.
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'spikeworks-language-server', version: '0.1.0' },
    };
  });

  const loadConfig = async () => {
    if (!hasConfig) return;
    try {
      const c = await connection.workspace.getConfiguration('spikeworks');
      if (c && typeof c.maxSynapses === 'number' && c.maxSynapses > 0) program.limits.maxSynapses = c.maxSynapses;
      if (c && typeof c.memoryLimitMB === 'number' && c.memoryLimitMB > 0) program.limits.memoryBytes = c.memoryLimitMB * 2 ** 20;
      program.invalidate();
      for (const d of documents.all()) schedule(d.uri);
    } catch (e) {
      connection.console.warn(`could not read settings: ${(e as Error).message}`);
    }
  };

  /** Lists the .snn files of the workspace folders (references and rename across files). */
  const scanWorkspace = () => {
    if (!opts.listWorkspaceFiles) return;
    try {
      workspaceFiles = opts.listWorkspaceFiles(folders);
    } catch (e) {
      connection.console.warn(`workspace scan failed: ${(e as Error).message}`);
    }
  };

  /** Workspace folders added or removed: new roots for data files, the workspace rescanned, open files re-checked. */
  const changeFolders = (e: WorkspaceFoldersChangeEvent) => {
    const key = (uri: string) => URI.parse(uri).toString();
    const removed = new Set(e.removed.map((f) => key(f.uri)));
    const next = [...folders.filter((f) => !removed.has(key(f))), ...e.added.map((f) => f.uri)];
    folders = next.filter((f, i) => next.findIndex((g) => key(g) === key(f)) === i);
    program.setAccess({ ...program.getAccess(), roots: rootsOf(folders) });
    scanWorkspace();
    for (const d of documents.all()) schedule(d.uri);
  };

  connection.onInitialized(() => {
    scanWorkspace();
    // The client's support was announced in initialize (the getter throws without it).
    if (hasFolderEvents) connection.workspace.onDidChangeWorkspaceFolders(guard('didChangeWorkspaceFolders', undefined, changeFolders));
    void loadConfig();
  });
  connection.onDidChangeConfiguration(() => void loadConfig());
  connection.onNotification(SET_TRUSTED, guard(SET_TRUSTED, undefined, (p: unknown) => {
    const trusted = !!p && typeof p === 'object' && (p as { trusted?: unknown }).trusted === true;
    if (trusted === program.getAccess().trusted) return;
    connection.console.info(trusted ? 'workspace trusted: data files are read' : 'workspace not trusted: data files are not read');
    program.setAccess({ ...program.getAccess(), trusted });
    for (const d of documents.all()) schedule(d.uri);
  }));
  connection.onDidChangeWatchedFiles(() => {
    program.invalidate();
    scanWorkspace();
    for (const d of documents.all()) schedule(d.uri);
  });

  documents.onDidOpen((e) => {
    program.setText(e.document.uri, e.document.getText());
    schedule(e.document.uri);
  });
  documents.onDidChangeContent((e) => {
    program.setText(e.document.uri, e.document.getText());
    schedule(e.document.uri);
  });
  documents.onDidClose((e) => {
    program.close(e.document.uri);
    linesCache.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
    for (const d of documents.all()) schedule(d.uri);
  });

  connection.onCompletion(guard('completion', [] as CompletionItem[], (p) => {
    const uri = p.textDocument.uri;
    const a = program.completionAnalysis(uri);
    return complete(a, offsetOf(uri, p.position)).map((c): CompletionItem => ({
      label: c.label,
      kind: COMPLETION_KINDS[c.kind],
      detail: c.detail,
      documentation: c.doc ? { kind: MarkupKind.Markdown, value: c.doc } : undefined,
      insertText: c.insertText,
      insertTextFormat: c.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      sortText: c.sortText,
    }));
  }));

  connection.onHover(guard('hover', null, (p) => {
    const uri = p.textDocument.uri;
    const h = hover(program.analyze(uri), offsetOf(uri, p.position), opts.referenceUri);
    return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: range(uri, h.start, h.end) } : null;
  }));

  const loc = (l: { uri: string; start: number; end: number }) => ({ uri: l.uri, range: range(l.uri, l.start, l.end) });

  connection.onDefinition(guard('definition', null, (p) => {
    const uri = p.textDocument.uri;
    const d = definition(program, uri, offsetOf(uri, p.position));
    return d ? loc(d) : null;
  }));

  connection.onReferences(guard('references', [], (p) => {
    const uri = p.textDocument.uri;
    return references(program, uri, offsetOf(uri, p.position), allUris(), p.context.includeDeclaration).map(loc);
  }));

  connection.onPrepareRename((p) => {
    try {
      const uri = p.textDocument.uri;
      const r = prepareRename(program, uri, offsetOf(uri, p.position));
      if (!r.ok) return new ResponseError(0, r.message);
      return { range: range(uri, r.start, r.end), placeholder: r.name };
    } catch (e) {
      connection.console.error(`prepareRename failed: ${(e as Error).stack}`);
      return null;
    }
  });

  connection.onRenameRequest((p) => {
    try {
      const uri = p.textDocument.uri;
      const r = rename(program, uri, offsetOf(uri, p.position), p.newName, allUris());
      if ('error' in r) return new ResponseError(0, r.error);
      const changes: WorkspaceEdit['changes'] = {};
      for (const [u, ls] of r.edits) changes[u] = ls.map((l) => TextEdit.replace(range(u, l.start, l.end), p.newName));
      return { changes };
    } catch (e) {
      connection.console.error(`rename failed: ${(e as Error).stack}`);
      return null;
    }
  });

  connection.onDocumentSymbol(guard('documentSymbol', [] as DocumentSymbol[], (p) => {
    const uri = p.textDocument.uri;
    const conv = (n: OutlineNode): DocumentSymbol => ({
      name: n.name || '?', detail: n.detail, kind: SYMBOL_KINDS[n.kind],
      range: range(uri, n.start, n.end), selectionRange: range(uri, n.selStart, n.selEnd), children: n.children.map(conv),
    });
    return outline(program.analyze(uri)).map(conv);
  }));

  connection.onFoldingRanges(guard('folding', [], (p) => {
    const uri = p.textDocument.uri;
    const ast = program.getAst(uri);
    if (!ast) return [];
    return foldingRanges(ast, (o) => lines(uri).position(o).line).map((f) => ({ startLine: f.startLine, endLine: f.endLine, kind: f.comment ? FoldingRangeKind.Comment : undefined }));
  }));

  connection.onDocumentFormatting(guard('formatting', [] as TextEdit[], (p) => {
    const uri = p.textDocument.uri;
    const text = program.getText(uri) ?? '';
    if (text.length > MAX_FILE_BYTES) return [];
    const indent = p.options.insertSpaces ? ' '.repeat(Math.max(1, Math.min(8, p.options.tabSize))) : '\t';
    const out = format(text, indent === FORMAT_INDENT || indent === '\t' ? indent : FORMAT_INDENT);
    if (out === text) return [];
    return [TextEdit.replace(range(uri, 0, text.length), out)];
  }));

  connection.onCodeAction(guard('codeAction', [] as CodeAction[], (p) => {
    const uri = p.textDocument.uri;
    const actions: CodeAction[] = [];
    for (const d of p.context.diagnostics) {
      const fixes = d.data as import('./diagnostics').Fix[] | undefined;
      if (!Array.isArray(fixes)) continue;
      for (const f of fixes) {
        if (f.kind === 'addUnit') {
          actions.push({ title: `Add unit ${f.unit}`, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: { changes: { [uri]: [TextEdit.insert(lines(uri).position(f.offset), ` ${f.unit}`)] } } });
        } else if (f.kind === 'replace') {
          actions.push({ title: f.title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: { changes: { [uri]: [TextEdit.replace(range(uri, f.start, f.end), f.text)] } } });
        }
      }
    }
    return actions;
  }));

  connection.languages.inlayHint.on(guard('inlayHint', [] as InlayHint[], (p) => {
    const uri = p.textDocument.uri;
    const from = offsetOf(uri, p.range.start);
    const to = offsetOf(uri, p.range.end);
    return inlayHints(program.analyze(uri), from, to).map((h) => ({ position: lines(uri).position(h.offset), label: h.label, tooltip: h.tooltip, paddingLeft: false }));
  }));

  connection.languages.semanticTokens.on(guard('semanticTokens', { data: [] as number[] }, (p) => {
    const uri = p.textDocument.uri;
    if ((program.getText(uri)?.length ?? 0) > MAX_FILE_BYTES) return { data: [] };
    return { data: semanticTokens(program.analyze(uri), lines(uri), (u) => program.isPrelude(u)) };
  }));

  documents.listen(connection);
  connection.listen();
}
