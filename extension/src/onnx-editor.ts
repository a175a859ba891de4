// The .onnx custom editor (viewType spikeworks.onnxGraph, a CustomReadonlyEditorProvider): reads
// the file through vscode.workspace.fs (refused over MAX_ONNX_EDITOR_BYTES, stat'ed first),
// inspects it off the extension host's thread (onnx-inspect-worker.ts over sim-host/src/onnx/inspect.ts:
// protobuf only, no model run — so it works in untrusted workspaces too) and sends the page (webviews/onnx-graph/) the graph or
// the error text (onnx-view.ts). The page is sent the graph again on `ready` (after a reload) and
// when the file changes on disk; its command buttons run the spikeworks.onnx.* commands on the file.
import * as vscode from 'vscode';
import { isOnnxEditorRequest, MAX_ONNX_EDITOR_BYTES, ONNX_GRAPH_VIEW_TYPE, type OnnxEditorMessage } from '../../protocol/onnx-editor';
import { checkOnnx } from '../../sim-host/src/onnx/check';
import type { OnnxGraphInfo } from '../../protocol/onnx-graph';
import { ONNX_COMMAND_IDS } from './onnx-gate';
import { editorMessage } from './onnx-view';
import { panelHtml, webviewRoot } from './panels/html';

type Inspect = (bytes: Uint8Array, source: string) => Promise<OnnxGraphInfo>;

export class OnnxGraphEditor implements vscode.CustomReadonlyEditorProvider<vscode.CustomDocument> {
  /** The model of the editor last active (the commands' target when run from the palette). */
  active: vscode.Uri | undefined;

  static register(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, inspect: Inspect): OnnxGraphEditor {
    const editor = new OnnxGraphEditor(context.extensionUri, log, inspect);
    context.subscriptions.push(vscode.window.registerCustomEditorProvider(ONNX_GRAPH_VIEW_TYPE, editor, { supportsMultipleEditorsPerDocument: true }));
    return editor;
  }

  constructor(private readonly extensionUri: vscode.Uri, private readonly log: vscode.LogOutputChannel, private readonly inspect: Inspect) {}

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => {} };
  }

  async resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): Promise<void> {
    const uri = document.uri;
    const name = uri.path.split('/').pop() || 'model.onnx';
    panel.webview.options = { enableScripts: true, localResourceRoots: [webviewRoot(this.extensionUri)] };
    panel.webview.html = panelHtml(panel.webview, this.extensionUri, 'onnx-graph', `ONNX: ${name}`);
    let message: Promise<OnnxEditorMessage> | undefined;
    const load = () => (message = this.load(uri, name));
    const send = async () => {
      try {
        await panel.webview.postMessage(await (message ?? load()));
      } catch (e) {
        this.log.warn(`onnx editor: could not send ${name}'s graph: ${(e as Error).message}`);
      }
    };
    const disposables: vscode.Disposable[] = [];
    disposables.push(
      panel.webview.onDidReceiveMessage((m: unknown) => {
        if (!isOnnxEditorRequest(m)) {
          this.log.warn('onnx editor: ignored a malformed message');
          return;
        }
        if (m.type === 'ready') void send();
        else void vscode.commands.executeCommand(ONNX_COMMAND_IDS[m.command], uri);
      }),
      panel.onDidChangeViewState((e) => {
        if (e.webviewPanel.active) this.active = uri;
      }),
    );
    if (panel.active) this.active = uri;
    // The file changed on disk: read and send it again (a file: URI only; other schemes are read once).
    if (uri.scheme === 'file') {
      const dir = vscode.Uri.joinPath(uri, '..');
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(dir, name));
      const again = () => {
        load();
        void send();
      };
      disposables.push(watcher, watcher.onDidChange(again), watcher.onDidCreate(again));
    }
    panel.onDidDispose(() => {
      for (const d of disposables) d.dispose();
      if (this.active?.toString() === uri.toString()) this.active = undefined;
    });
    load();
  }

  private async load(uri: vscode.Uri, name: string): Promise<OnnxEditorMessage> {
    let size: number | undefined;
    try {
      size = (await vscode.workspace.fs.stat(uri)).size;
    } catch {
      size = undefined; // read() says why
    }
    const started = Date.now();
    const m = await editorMessage(name, size, async () => vscode.workspace.fs.readFile(uri), this.inspect, MAX_ONNX_EDITOR_BYTES, checkOnnx);
    this.log.info(`onnx editor: ${name} ${m.type === 'graph' ? `inspected (${m.view.nodes.length} nodes)` : `not shown (${m.message})`} in ${Date.now() - started} ms`);
    return m;
  }
}
