// The Circuits panel's host (webviews/circuits/): one panel per model, sent the result
// (protocol/circuits.ts) with the model's URI when it (re)loads; a component's definition
// revealed in the .snn source on request (a population, a group's population, a projection's
// connection: extension/src/simulation/model.ts componentPlace); SVG and PNG (drawn by the page)
// and JSON (the result, as the CLI's --format json writes it) saved through a save dialog;
// revived after a window reload from the state the page keeps (WebviewPanelSerializer).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isCircuitsPanelRequest, type CircuitsResult } from '../../../protocol/circuits';
import { ONNX_GRAPH_VIEW_TYPE } from '../../../protocol/onnx-editor';
import { CIRCUITS_VIEW_TYPE, componentFor, isCircuitsPanelState, type CircuitsShow } from '../../../protocol/circuits-panel';
import type { Notifier } from '../notify';
import { componentPlace, fileName } from '../simulation/model';
import { ModelPanels, type ModelPanel } from './model-panels';
import { pngBytes } from './png';
import { modelText, showPlace } from './reveal';

export class CircuitsPanels extends ModelPanels<CircuitsResult> {
  constructor(extensionUri: vscode.Uri, log: vscode.LogOutputChannel, notify: Notifier) {
    // The PNG export draws the SVG through an image loaded from a blob: URL the page makes itself.
    super(extensionUri, log, notify, { viewType: CIRCUITS_VIEW_TYPE, bundle: 'circuits', title: 'Circuits', imgSrc: ['blob:'] });
  }

  /** Shows `result` of the model `document` (a URI string) in its panel, opening one beside the editor. */
  show(document: string, result: CircuitsResult): void {
    this.showData(document, result, `Circuits: ${result.source}`);
  }

  protected restore(state: unknown): { document: string; data: CircuitsResult } | undefined {
    return isCircuitsPanelState(state) ? { document: state.document, data: state.result } : undefined;
  }

  protected message(document: string, result: CircuitsResult): CircuitsShow {
    return { type: 'circuits', document, result };
  }

  protected async onRequest(o: ModelPanel<CircuitsResult>, m: unknown): Promise<void> {
    if (!isCircuitsPanelRequest(m)) {
      this.log.warn('circuits panel: ignored a malformed message');
      return;
    }
    if (m.type === 'ready') return;
    if (m.type === 'reveal') return this.reveal(o, m.component);
    if (!o.data) return;
    const stem = o.data.source.replace(/\.snn$/, '').replace(/[^\w.\- ]+/g, '_').slice(0, 100) || 'model';
    const save = (format: string, bytes: Uint8Array) => this.saveNear(o, `${stem}-circuits.${format}`, format, `Export circuits (${format.toUpperCase()})`, bytes);
    if (m.format === 'json') return save('json', Buffer.from(`${JSON.stringify(o.data, null, 1)}\n`, 'utf8'));
    if (m.format === 'svg') {
      if (!/^<\?xml[^>]*\?>\s*<svg[\s>]/.test(m.data)) throw new Error('the SVG export was not an SVG document');
      return save('svg', Buffer.from(m.data, 'utf8'));
    }
    const bytes = pngBytes(m.data);
    if (!bytes) throw new Error('the PNG export was not a PNG data URL');
    return save('png', bytes);
  }

  /** Opens the model at the definition of component `id` (the editor's text when open, else the file on disk). */
  private async reveal(o: ModelPanel<CircuitsResult>, id: string): Promise<void> {
    // An ONNX model's components (heads, units) are in its graph: open it in the graph editor.
    if (o.document && /\.onnx$/i.test(o.document)) {
      await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.parse(o.document), ONNX_GRAPH_VIEW_TYPE);
      return;
    }
    const c = o.data && componentFor(o.data, id);
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
}
