// The thin bridge between Monaco and the language server in a Web Worker
// (language-server/src/browser-main.ts): JSON-RPC over postMessage (vscode-jsonrpc/browser),
// LSP on one side, Monaco's provider API on the other. Diagnostics become markers (the LSP
// diagnostics are kept for quick fixes), and completion, hover, definition, references, rename,
// formatting, quick fixes, outline, inlay hints and semantic tokens are registered as Monaco
// providers. Positions: LSP is 0-based, Monaco 1-based (both count UTF-16 code units).
import { BrowserMessageReader, BrowserMessageWriter, createMessageConnection, type MessageConnection } from 'vscode-jsonrpc/browser';
import type * as lsp from 'vscode-languageserver-protocol';
import { LOWER_MODEL, type LowerModelParams, type LowerModelResult } from '../../language-server/src/browser-requests';
import { monaco } from './monaco';

type Model = monaco.editor.ITextModel;

export const LANGUAGE_ID = 'snn';
const OWNER = 'spikeworks';

export const toRange = (r: lsp.Range): monaco.IRange => ({ startLineNumber: r.start.line + 1, startColumn: r.start.character + 1, endLineNumber: r.end.line + 1, endColumn: r.end.character + 1 });
export const toLspRange = (r: monaco.IRange): lsp.Range => ({ start: { line: r.startLineNumber - 1, character: r.startColumn - 1 }, end: { line: r.endLineNumber - 1, character: r.endColumn - 1 } });
const toLspPosition = (p: monaco.IPosition): lsp.Position => ({ line: p.lineNumber - 1, character: p.column - 1 });

const SEVERITY: Record<number, monaco.MarkerSeverity> = { 1: monaco.MarkerSeverity.Error, 2: monaco.MarkerSeverity.Warning, 3: monaco.MarkerSeverity.Info, 4: monaco.MarkerSeverity.Hint };

/** LSP CompletionItemKind (1-based) → Monaco's. */
const K = monaco.languages.CompletionItemKind;
const COMPLETION_KIND: Record<number, monaco.languages.CompletionItemKind> = {
  1: K.Text, 2: K.Method, 3: K.Function, 4: K.Constructor, 5: K.Field, 6: K.Variable, 7: K.Class, 8: K.Interface, 9: K.Module, 10: K.Property,
  11: K.Unit, 12: K.Value, 13: K.Enum, 14: K.Keyword, 15: K.Snippet, 16: K.Color, 17: K.File, 18: K.Reference, 19: K.Folder, 20: K.EnumMember,
  21: K.Constant, 22: K.Struct, 23: K.Event, 24: K.Operator, 25: K.TypeParameter,
};

const markdown = (c: lsp.Hover['contents'] | lsp.MarkupContent | string | undefined): monaco.IMarkdownString[] => {
  if (!c) return [];
  if (typeof c === 'string') return [{ value: c }];
  if (Array.isArray(c)) return c.map((x) => ({ value: typeof x === 'string' ? x : x.value }));
  return [{ value: (c as lsp.MarkupContent).value }];
};

const textEdits = (edits: lsp.TextEdit[] | null | undefined): monaco.languages.TextEdit[] => (edits ?? []).map((e) => ({ range: toRange(e.range), text: e.newText }));

/** The URIs of LSP `changes` that Monaco holds models for, as a Monaco workspace edit. */
function workspaceEdit(e: lsp.WorkspaceEdit | null | undefined): monaco.languages.WorkspaceEdit {
  const edits: monaco.languages.IWorkspaceTextEdit[] = [];
  for (const [uri, list] of Object.entries(e?.changes ?? {})) {
    const resource = monaco.Uri.parse(uri);
    if (!monaco.editor.getModel(resource)) continue;
    for (const te of list) edits.push({ resource, textEdit: { range: toRange(te.range), text: te.newText }, versionId: undefined });
  }
  return { edits };
}

export interface BridgeEvents {
  /** Markers of a model were replaced (after each check). */
  onDiagnostics?: (uri: string, diagnostics: lsp.Diagnostic[]) => void;
}

export class LspBridge {
  readonly worker: Worker;
  private connection: MessageConnection;
  private diagnostics = new Map<string, lsp.Diagnostic[]>();
  private versions = new Map<string, number>();
  private legend: lsp.SemanticTokensLegend = { tokenTypes: [], tokenModifiers: [] };
  readonly ready: Promise<void>;

  /** `worker` runs language-server/src/browser-main.ts (ls-worker.js). */
  constructor(worker: Worker, private readonly events: BridgeEvents = {}) {
    this.worker = worker;
    this.connection = createMessageConnection(new BrowserMessageReader(this.worker), new BrowserMessageWriter(this.worker));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: lsp.PublishDiagnosticsParams) => this.publish(p));
    this.connection.onNotification('window/logMessage', (p: lsp.LogMessageParams) => (p.type === 1 ? console.error : console.debug)(`language server: ${p.message}`));
    this.connection.listen();
    this.ready = this.initialize();
  }

  private async initialize(): Promise<void> {
    const init = (await this.connection.sendRequest('initialize', {
      processId: null,
      rootUri: null,
      workspaceFolders: null,
      capabilities: { textDocument: { publishDiagnostics: { relatedInformation: false } } },
      initializationOptions: { trusted: true },
    } satisfies lsp.InitializeParams)) as lsp.InitializeResult;
    this.legend = (init.capabilities.semanticTokensProvider as lsp.SemanticTokensOptions | undefined)?.legend ?? this.legend;
    await this.connection.sendNotification('initialized', {});
    this.registerProviders();
  }

  private publish(p: lsp.PublishDiagnosticsParams): void {
    const model = monaco.editor.getModel(monaco.Uri.parse(p.uri));
    if (!model) return;
    // Diagnostics of an older version than the model's are dropped (a newer check follows).
    if (p.version !== undefined && p.version !== null && p.version !== this.versions.get(p.uri)) return;
    this.diagnostics.set(p.uri, p.diagnostics);
    monaco.editor.setModelMarkers(model, OWNER, p.diagnostics.map((d) => ({
      ...toRange(d.range),
      severity: SEVERITY[d.severity ?? 1],
      message: typeof d.message === 'string' ? d.message : d.message.value,
      code: typeof d.code === 'string' || typeof d.code === 'number' ? String(d.code) : undefined,
      source: d.source,
    })));
    this.events.onDiagnostics?.(p.uri, p.diagnostics);
  }

  /** Opens `model` in the server and keeps it in step with every edit (incremental sync). */
  open(model: Model): monaco.IDisposable {
    const uri = model.uri.toString();
    this.versions.set(uri, model.getVersionId());
    void this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: LANGUAGE_ID, version: model.getVersionId(), text: model.getValue() } });
    const sub = model.onDidChangeContent((e) => {
      this.versions.set(uri, model.getVersionId());
      void this.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: model.getVersionId() },
        contentChanges: e.changes.map((c) => ({ range: toLspRange(c.range), rangeLength: c.rangeLength, text: c.text })),
      });
    });
    return {
      dispose: () => {
        sub.dispose();
        this.versions.delete(uri);
        this.diagnostics.delete(uri);
        void this.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
      },
    };
  }

  /** The text checked and lowered to the model IR by the server (browser-requests.ts). */
  lowerModel(uri: string, text: string): Promise<LowerModelResult> {
    return this.connection.sendRequest(LOWER_MODEL, { uri, text } satisfies LowerModelParams) as Promise<LowerModelResult>;
  }

  private request<R>(method: string, params: unknown, token?: monaco.CancellationToken): Promise<R | null> {
    return this.connection.sendRequest(method, params).then(
      (r) => (token?.isCancellationRequested ? null : (r as R)),
      (e: Error) => {
        console.warn(`${method}: ${e.message}`);
        return null;
      },
    );
  }

  private doc(model: Model, position?: monaco.IPosition) {
    return { textDocument: { uri: model.uri.toString() }, ...(position ? { position: toLspPosition(position) } : {}) };
  }

  private registerProviders(): void {
    const L = monaco.languages;
    L.registerCompletionItemProvider(LANGUAGE_ID, {
      triggerCharacters: [' ', ':', '=', '.', '('],
      provideCompletionItems: async (model, position, _ctx, token) => {
        const items = (await this.request<lsp.CompletionItem[] | lsp.CompletionList>('textDocument/completion', this.doc(model, position), token)) ?? [];
        const list = Array.isArray(items) ? items : items.items;
        const word = model.getWordUntilPosition(position);
        const range = { startLineNumber: position.lineNumber, startColumn: word.startColumn, endLineNumber: position.lineNumber, endColumn: word.endColumn };
        return {
          suggestions: list.map((c) => ({
            label: c.label,
            kind: COMPLETION_KIND[c.kind ?? 1] ?? K.Text,
            detail: c.detail,
            documentation: typeof c.documentation === 'string' ? c.documentation : c.documentation ? { value: c.documentation.value } : undefined,
            insertText: c.insertText ?? c.label,
            insertTextRules: c.insertTextFormat === 2 ? L.CompletionItemInsertTextRule.InsertAsSnippet : undefined,
            sortText: c.sortText,
            range,
          })),
        };
      },
    });
    L.registerHoverProvider(LANGUAGE_ID, {
      provideHover: async (model, position, token) => {
        const h = await this.request<lsp.Hover>('textDocument/hover', this.doc(model, position), token);
        return h ? { contents: markdown(h.contents), range: h.range ? toRange(h.range) : undefined } : null;
      },
    });
    L.registerDefinitionProvider(LANGUAGE_ID, {
      provideDefinition: async (model, position, token) => {
        const d = await this.request<lsp.Location | lsp.Location[]>('textDocument/definition', this.doc(model, position), token);
        const list = d ? (Array.isArray(d) ? d : [d]) : [];
        return list.filter((l) => monaco.editor.getModel(monaco.Uri.parse(l.uri))).map((l) => ({ uri: monaco.Uri.parse(l.uri), range: toRange(l.range) }));
      },
    });
    L.registerReferenceProvider(LANGUAGE_ID, {
      provideReferences: async (model, position, context, token) => {
        const r = await this.request<lsp.Location[]>('textDocument/references', { ...this.doc(model, position), context }, token);
        return (r ?? []).filter((l) => monaco.editor.getModel(monaco.Uri.parse(l.uri))).map((l) => ({ uri: monaco.Uri.parse(l.uri), range: toRange(l.range) }));
      },
    });
    L.registerRenameProvider(LANGUAGE_ID, {
      resolveRenameLocation: async (model, position, token) => {
        try {
          const r = (await this.connection.sendRequest('textDocument/prepareRename', this.doc(model, position))) as { range: lsp.Range; placeholder: string } | null;
          if (token.isCancellationRequested || !r) return { range: new monaco.Range(position.lineNumber, position.column, position.lineNumber, position.column), text: '', rejectReason: 'This cannot be renamed.' };
          return { range: toRange(r.range), text: r.placeholder };
        } catch (e) {
          return { range: new monaco.Range(position.lineNumber, position.column, position.lineNumber, position.column), text: '', rejectReason: (e as Error).message };
        }
      },
      provideRenameEdits: async (model, position, newName) => {
        try {
          return workspaceEdit((await this.connection.sendRequest('textDocument/rename', { ...this.doc(model, position), newName })) as lsp.WorkspaceEdit | null);
        } catch (e) {
          return { edits: [], rejectReason: (e as Error).message };
        }
      },
    });
    L.registerDocumentFormattingEditProvider(LANGUAGE_ID, {
      provideDocumentFormattingEdits: async (model, options, token) =>
        textEdits(await this.request<lsp.TextEdit[]>('textDocument/formatting', { ...this.doc(model), options: { tabSize: options.tabSize, insertSpaces: options.insertSpaces } }, token)),
    });
    L.registerCodeActionProvider(LANGUAGE_ID, {
      provideCodeActions: async (model, range, context, token) => {
        // The LSP diagnostics behind the markers asked about (they carry the fixes as data).
        const all = this.diagnostics.get(model.uri.toString()) ?? [];
        const asked = all.filter((d) => context.markers.some((m) => m.message === d.message && monaco.Range.areIntersectingOrTouching(toRange(d.range), m)));
        const actions = (await this.request<lsp.CodeAction[]>('textDocument/codeAction', { ...this.doc(model), range: toLspRange(range), context: { diagnostics: asked } }, token)) ?? [];
        return {
          actions: actions.map((a) => ({
            title: a.title,
            kind: a.kind,
            isPreferred: a.isPreferred,
            diagnostics: context.markers.filter((m) => a.diagnostics?.some((d) => d.message === m.message)),
            edit: workspaceEdit(a.edit),
          })),
          dispose: () => {},
        };
      },
    }, { providedCodeActionKinds: ['quickfix'] });
    L.registerDocumentSymbolProvider(LANGUAGE_ID, {
      provideDocumentSymbols: async (model, token) => {
        const conv = (s: lsp.DocumentSymbol): monaco.languages.DocumentSymbol => ({
          name: s.name, detail: s.detail ?? '', kind: (s.kind - 1) as monaco.languages.SymbolKind, tags: [], range: toRange(s.range), selectionRange: toRange(s.selectionRange), children: (s.children ?? []).map(conv),
        });
        return ((await this.request<lsp.DocumentSymbol[]>('textDocument/documentSymbol', this.doc(model), token)) ?? []).map(conv);
      },
    });
    L.registerInlayHintsProvider(LANGUAGE_ID, {
      provideInlayHints: async (model, range, token) => {
        const hints = (await this.request<lsp.InlayHint[]>('textDocument/inlayHint', { ...this.doc(model), range: toLspRange(range) }, token)) ?? [];
        return {
          hints: hints.map((h) => ({ position: { lineNumber: h.position.line + 1, column: h.position.character + 1 }, label: typeof h.label === 'string' ? h.label : h.label.map((p) => p.value).join(''), tooltip: typeof h.tooltip === 'string' ? h.tooltip : undefined, paddingLeft: h.paddingLeft })),
          dispose: () => {},
        };
      },
    });
    L.registerDocumentSemanticTokensProvider(LANGUAGE_ID, {
      getLegend: () => this.legend,
      provideDocumentSemanticTokens: async (model, _last, token) => {
        const t = await this.request<lsp.SemanticTokens>('textDocument/semanticTokens/full', this.doc(model), token);
        return t ? { data: new Uint32Array(t.data), resultId: t.resultId } : null;
      },
      releaseDocumentSemanticTokens: () => {},
    });
  }
}
