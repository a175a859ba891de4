// One panel per model file showing one piece of data (a Target Report, a Circuits result): opened
// beside the editor or revealed, sent its data when it (re)loads (`ready`), revived after a window
// reload from the state its page keeps (WebviewPanelSerializer), and exports saved next to the
// model through a save dialog. A panel kind says how to restore, what to send and what to do with
// the page's requests.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Notifier } from '../notify';
import { panelHtml, webviewOptions } from './html';

export interface ModelPanel<T> {
  panel: vscode.WebviewPanel;
  /** The model's URI ('' when a revived panel's state did not say). */
  document: string;
  data?: T;
}

export interface PanelKind {
  viewType: string;
  /** dist/webviews/<bundle>.js and .css */
  bundle: string;
  title: string;
  imgSrc?: 'blob:'[];
}

export abstract class ModelPanels<T> implements vscode.Disposable {
  private open: ModelPanel<T>[] = [];
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    protected readonly extensionUri: vscode.Uri,
    protected readonly log: vscode.LogOutputChannel,
    protected readonly notify: Notifier,
    private readonly kind: PanelKind,
  ) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(kind.viewType, {
        // The page restores its own view from getState; the host needs the model and the data back (exports, reveal).
        deserializeWebviewPanel: async (panel, state: unknown) => {
          const r = this.restore(state);
          const o = this.adopt(panel, r?.document ?? '');
          if (r) o.data = r.data;
        },
      }),
    );
  }

  /** The model and data a revived page's state holds, if it is a state this version wrote. */
  protected abstract restore(state: unknown): { document: string; data: T } | undefined;
  /** The message that shows `data` in the page. */
  protected abstract message(document: string, data: T): unknown;
  /** A message from the page (anything: check it); `ready` is answered by the base. */
  protected abstract onRequest(o: ModelPanel<T>, m: unknown): Promise<void>;

  /** Shows `data` of the model `document` (a URI string) in its panel, opening one beside the editor. */
  protected showData(document: string, data: T, title: string): void {
    let o = this.open.find((x) => x.document === document);
    if (!o) o = this.adopt(vscode.window.createWebviewPanel(this.kind.viewType, this.kind.title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(this.extensionUri)), document);
    else o.panel.reveal(undefined, true);
    o.data = data;
    o.panel.title = title;
    this.post(o);
  }

  private adopt(panel: vscode.WebviewPanel, document: string): ModelPanel<T> {
    const o: ModelPanel<T> = { panel, document };
    panel.webview.options = webviewOptions(this.extensionUri);
    panel.webview.html = panelHtml(panel.webview, this.extensionUri, this.kind.bundle, this.kind.title, this.kind.imgSrc ? { imgSrc: this.kind.imgSrc } : {});
    panel.onDidDispose(() => (this.open = this.open.filter((x) => x !== o)));
    panel.webview.onDidReceiveMessage((m: unknown) => {
      if (typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'ready') return this.post(o);
      void this.onRequest(o, m).catch((e: Error) => void this.notify.error(`${this.kind.title} panel: ${e.message}`));
    });
    this.open.push(o);
    return o;
  }

  private post(o: ModelPanel<T>): void {
    if (o.data !== undefined) void o.panel.webview.postMessage(this.message(o.document, o.data));
  }

  /** Asks where to save `bytes` (`name` next to the model first) and writes them there. */
  protected async saveNear(o: ModelPanel<T>, name: string, format: string, title: string, bytes: Uint8Array): Promise<void> {
    const near = o.document ? vscode.Uri.joinPath(vscode.Uri.parse(o.document), '..', name) : undefined;
    const target = await vscode.window.showSaveDialog({ ...(near ? { defaultUri: near } : {}), filters: { [format.toUpperCase()]: [format] }, title });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, bytes);
    this.log.info(`exported ${target.fsPath || target.toString()} (${bytes.length.toLocaleString('en-US')} bytes)`);
    void this.notify.info(`Saved ${path.basename(target.path)}`);
  }

  dispose(): void {
    for (const o of this.open) o.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
