// The Circuits panel's host (webviews/circuits/): one panel per model, sent the result
// (protocol/circuits.ts) with the model's URI when it (re)loads; a component's definition
// revealed in the .snn source on request (a population, a group's population, a projection's
// connection: extension/src/simulation/model.ts componentPlace); SVG and PNG (drawn by the page)
// and JSON (the result, as the CLI's --format json writes it) saved through a save dialog;
// revived after a window reload from the state the page keeps (WebviewPanelSerializer).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isCircuitsPanelRequest, type CircuitsPanelRequest, type CircuitsResult } from '../../../protocol/circuits';
import { CIRCUITS_VIEW_TYPE, componentFor, isCircuitsPanelState, type CircuitsShow } from '../../../protocol/circuits-panel';
import type { Notifier } from '../notify';
import { componentPlace, fileName } from '../simulation/model';
import { panelHtml, webviewOptions } from './html';
import { pngBytes } from './png';
import { modelText, showPlace } from './reveal';

interface Open {
  panel: vscode.WebviewPanel;
  document: string;
  result?: CircuitsResult;
}

export class CircuitsPanels implements vscode.Disposable {
  private open: Open[] = [];
  private disposables: vscode.Disposable[] = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly notify: Notifier,
  ) {
    this.disposables.push(
      vscode.window.registerWebviewPanelSerializer(CIRCUITS_VIEW_TYPE, {
        // The page restores its own drawing from getState; the host needs the model and the result (reveal, JSON).
        deserializeWebviewPanel: async (panel, state: unknown) => {
          const o = this.adopt(panel, isCircuitsPanelState(state) ? state.document : '');
          if (isCircuitsPanelState(state)) o.result = state.result;
        },
      }),
    );
  }

  /** Shows `result` of the model `document` (a URI string) in its panel, opening one beside the editor. */
  show(document: string, result: CircuitsResult): void {
    let o = this.open.find((x) => x.document === document);
    if (!o) o = this.adopt(vscode.window.createWebviewPanel(CIRCUITS_VIEW_TYPE, 'Circuits', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(this.extensionUri)), document);
    else o.panel.reveal(undefined, true);
    o.result = result;
    o.panel.title = `Circuits: ${result.source}`;
    this.post(o);
  }

  private adopt(panel: vscode.WebviewPanel, document: string): Open {
    const o: Open = { panel, document };
    panel.webview.options = webviewOptions(this.extensionUri);
    // The PNG export draws the SVG through an image loaded from a blob: URL the page makes itself.
    panel.webview.html = panelHtml(panel.webview, this.extensionUri, 'circuits', 'Circuits', { imgSrc: ['blob:'] });
    panel.onDidDispose(() => (this.open = this.open.filter((x) => x !== o)));
    panel.webview.onDidReceiveMessage((m: unknown) => {
      if (!isCircuitsPanelRequest(m)) {
        this.log.warn('circuits panel: ignored a malformed message');
        return;
      }
      void this.onRequest(o, m).catch((e: Error) => void this.notify.error(`Circuits panel: ${e.message}`));
    });
    this.open.push(o);
    return o;
  }

  private async onRequest(o: Open, m: CircuitsPanelRequest): Promise<void> {
    if (m.type === 'ready') this.post(o);
    else if (m.type === 'reveal') await this.reveal(o, m.component);
    else if (m.format === 'json') {
      if (o.result) await this.save(o, 'json', `${JSON.stringify(o.result, null, 1)}\n`);
    } else if (m.format === 'svg') {
      if (!/^<\?xml[^>]*\?>\s*<svg[\s>]/.test(m.data)) throw new Error('the SVG export was not an SVG document');
      await this.save(o, 'svg', m.data);
    } else {
      const bytes = pngBytes(m.data);
      if (!bytes) throw new Error('the PNG export was not a PNG data URL');
      await this.save(o, 'png', bytes);
    }
  }

  private post(o: Open): void {
    if (!o.result) return;
    const m: CircuitsShow = { type: 'circuits', document: o.document, result: o.result };
    void o.panel.webview.postMessage(m);
  }

  private async save(o: Open, format: 'json' | 'svg' | 'png', data: string | Uint8Array): Promise<void> {
    const stem = (o.result?.source ?? 'model').replace(/\.snn$/, '').replace(/[^\w.\- ]+/g, '_').slice(0, 100) || 'model';
    const near = o.document ? vscode.Uri.joinPath(vscode.Uri.parse(o.document), '..', `${stem}-circuits.${format}`) : undefined;
    const target = await vscode.window.showSaveDialog({ ...(near ? { defaultUri: near } : {}), filters: { [format.toUpperCase()]: [format] }, title: `Export circuits (${format.toUpperCase()})` });
    if (!target) return;
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    await vscode.workspace.fs.writeFile(target, bytes);
    this.log.info(`exported ${target.fsPath || target.toString()} (${bytes.length.toLocaleString('en-US')} bytes)`);
    void this.notify.info(`Saved ${path.basename(target.path)}`);
  }

  /** Opens the model at the definition of component `id` (the editor's text when open, else the file on disk). */
  private async reveal(o: Open, id: string): Promise<void> {
    const c = o.result && componentFor(o.result, id);
    if (!o.document || !c) {
      void this.notify.warn(o.document ? `${id} is not a component of this result.` : 'This panel does not know its model any more: run “Spikeworks: Show Circuit Reuse” again.');
      return;
    }
    const model = modelText(o.document);
    if (!model.ok) {
      this.log.warn(`cannot read ${o.document} to find ${c.label}: ${model.message}`);
      void this.notify.warn(`Cannot read ${fileName(o.document)} to find ${c.label}.`);
      return;
    }
    const place = componentPlace(o.document, model.text, c, path.join(this.extensionUri.fsPath, 'dist'));
    if (!place) {
      void this.notify.warn(`${c.kind === 'projection' ? `Connection ${c.label}` : `Population ${c.population}`} is not defined in ${fileName(o.document)} (was it renamed since the analysis?).`);
      return;
    }
    await showPlace(place);
  }

  dispose(): void {
    for (const o of this.open) o.panel.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
