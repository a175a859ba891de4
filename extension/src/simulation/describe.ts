// "Spikeworks: Describe Neurons": runs the model (the worker thread, as Run Simulation does),
// counts each recorded population's spikes in the model's task windows and describes every
// neuron (sim-host/src/analysis/describe, in the worker as well) under one cancellable progress notification, then shows
// the Descriptions panel (webviews/describe/: groups of neurons sharing a description, sortable,
// filterable, CSV / JSON export). Bad input (no tasks or concepts, windows after the run, no
// recorded spikes) is a notification saying what to add and on which line.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isDescribePanelRequest, type DescribePanelMessage, type DescribePanelRequest, type DescriptionsView } from '../../../protocol/describe-panel';
import type { ModelIR } from '../../../protocol/ir';
import type { RasterHighlight } from '../../../protocol/raster';
import type { RunOutput } from '../../../protocol/sim';
import {
  buildAtoms, describablePopulations, populationHoverText, rasterHighlight, descriptionsCsv, descriptionsJson, descriptionsView, modelWindows, problemPlace, spikeCounts,
  type PopulationResult, type WindowProblem,
} from '../../../sim-host/src/analysis/describe/index';
import { RunRefused, RunTerminated, startDescribe, startRun } from '../../../sim-host/src/host';
import type { Notifier } from '../notify';
import { panelHtml, webviewOptions } from '../panels/html';
import { documentModel } from './document-model';
import { runSettings } from './settings';
import { runWarning } from './threads';

interface Shown {
  view: DescriptionsView;
  csv: string;
  json: string;
  model: vscode.Uri;
  /** The run described, as the result panels hold it (undefined: a run of the file was in progress). */
  runId?: string;
  /** Units of an ONNX model (no run, no raster). */
  ann?: boolean;
}

/** How the descriptions reach the raster (wired in commands.ts: the Runner and the Panels). */
export interface RasterLink {
  /** Keeps the run described as the file's latest run (its raster shows it); its run id. */
  adoptRun(document: string, ir: ModelIR, output: RunOutput, backend: string): string | undefined;
  /** The run the file's result panels show now. */
  latestRunId(document: string): string | undefined;
  highlight(document: string, runId: string, highlight: RasterHighlight): void;
}

export class DescribeRunner implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private shown: Shown | undefined;
  /** The latest descriptions per model (document URI), for the hover over a population. */
  private readonly latest = new Map<string, DescriptionsView>();
  private readonly hover: vscode.Disposable;

  constructor(private readonly extensionUri: vscode.Uri, private readonly log: vscode.LogOutputChannel, private readonly notify: Notifier, private readonly raster?: RasterLink) {
    this.hover = vscode.languages.registerHoverProvider('snn', {
      provideHover: (doc, position) => {
        const view = this.latest.get(doc.uri.toString());
        const range = view && doc.getWordRangeAtPosition(position, /[A-Za-z_][A-Za-z0-9_]*/);
        const text = range && populationHoverText(view, doc.getText(range));
        if (!text) return undefined;
        const md = new vscode.MarkdownString();
        for (const line of text.split('\n')) md.appendText(line).appendMarkdown('  \n');
        return new vscode.Hover(md, range);
      },
    });
  }

  dispose(): void {
    this.panel?.dispose();
    this.hover.dispose();
  }

  async run(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    const text = doc.getText();
    const model = documentModel(doc, this.extensionUri.fsPath, this.notify, 'to describe its neurons');
    if (!model) return;
    const { ir, name, roots } = model;
    const refuse = (p: WindowProblem) => {
      const at = p.code === 'unknown-population' ? undefined : problemPlace(text, p);
      void this.notify.error(`Describe Neurons: ${at ? `${name}:${at.line}:${at.column}: ` : ''}${p.message}`);
    };
    const settings = runSettings(doc.uri);
    const win = modelWindows(ir, ir.simulate.duration);
    const hard = win.problems.filter((p) => p.code !== 'few-windows');
    const pops = describablePopulations(ir, []);
    if (hard.length || pops.problems.length) {
      refuse(hard[0] ?? pops.problems[0]);
      return;
    }
    for (const p of win.problems) void this.notify.warn(`Describe Neurons: ${p.message}`);
    const threadsWarning = runWarning(name, settings.threads, ir, settings.backend ?? ir.simulate.backend);
    if (threadsWarning) this.log.warn(threadsWarning);
    const results = await this.notify.progress({ location: vscode.ProgressLocation.Notification, title: `Describe Neurons: ${name}`, cancellable: true }, async (progress, token) => {
      let stop = false;
      const handle = startRun(
        ir,
        { seed: settings.seed, memoryLimit: settings.memoryLimitBytes, baseDir: path.dirname(doc.uri.fsPath), readRoots: roots, backend: settings.backend, threads: settings.threads, readouts: false },
        (done, total) => progress.report({ message: `running: ${total ? Math.round((100 * done) / total) : 0} %` }),
        path.join(this.extensionUri.fsPath, 'dist', 'sim-worker.js'),
      );
      let grace: NodeJS.Timeout | undefined;
      const sub = token.onCancellationRequested(() => {
        stop = true;
        handle.cancel();
        grace = setTimeout(() => void handle.terminate(), 2000);
      });
      try {
        const out = await handle.result;
        if (out.cancelled || stop) return undefined;
        const ran = out.stepsDone * out.dt;
        if (win.windows.some((w) => w.end > ran + 1e-9)) {
          void this.notify.error(`Describe Neurons: the run stopped at ${ran.toFixed(3)} s${out.error ? ` (${out.error})` : ''}, before the last window ended.`);
          return undefined;
        }
        const atoms = buildAtoms(win.windows);
        const done: PopulationResult[] = [];
        for (const pop of pops.names) {
          const spikes = out.spikes.find((s) => s.name === pop);
          if (!spikes) continue;
          const counts = spikeCounts(spikes, out.dt, win.windows);
          // The analysis runs in the simulation worker too, never on the extension host's thread.
          const analysis = startDescribe(
            { units: spikes.size, windows: win.windows.length, counts },
            atoms,
            { seed: settings.seed ?? ir.simulate.seed ?? 1 },
            (n, total) => progress.report({ message: `describing ${pop}: ${n} of ${total} neurons` }),
            path.join(this.extensionUri.fsPath, 'dist', 'sim-worker.js'),
          );
          const onStop = token.onCancellationRequested(() => {
            analysis.cancel();
            setTimeout(() => void analysis.terminate(), 2000);
          });
          let result;
          try {
            result = await analysis.result;
          } finally {
            onStop.dispose();
          }
          done.push({ population: pop, result });
          if (result.cancelled) break;
        }
        return { atoms, done, out };
      } catch (e) {
        if (!(e instanceof RunTerminated) && !(e instanceof RunRefused && e.code === 'cancelled')) void this.notify.error(`Describe Neurons failed: ${(e as Error).message}`);
        return undefined;
      } finally {
        sub.dispose();
        clearTimeout(grace);
      }
    });
    if (!results) return;
    const view = descriptionsView(name, win.windows, win.source, results.atoms.atoms.length, results.done);
    this.log.info(`${name}: described ${results.done.length} populations over ${win.windows.length} windows`);
    this.latest.set(key, view);
    // The run described becomes the file's latest run: a row's click marks it in that raster.
    const runId = this.raster?.adoptRun(key, ir, results.out, results.out.backend ?? settings.backend ?? 'auto');
    this.show({ view, csv: descriptionsCsv(results.done), json: descriptionsJson(ir.name, win.windows, win.source, results.atoms.atoms, results.done), model: doc.uri, runId });
  }

  /** Descriptions of an ONNX model's units (Describe Neurons on a .onnx file, extension/src/onnx-commands.ts). */
  showModelUnits(model: vscode.Uri, view: DescriptionsView, csv: string, json: string): void {
    this.show({ view, csv, json, model, ann: true });
  }

  private show(shown: Shown): void {
    this.shown = shown;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('spikeworks.descriptions', 'Descriptions', vscode.ViewColumn.Beside, webviewOptions(this.extensionUri));
      this.panel.webview.html = panelHtml(this.panel.webview, this.extensionUri, 'describe', 'Descriptions');
      this.panel.onDidDispose(() => (this.panel = undefined));
      this.panel.webview.onDidReceiveMessage((m: unknown) => {
        if (!isDescribePanelRequest(m) || !this.shown) return;
        if (m.type === 'ready') this.post(this.shown.view);
        else if (m.type === 'raster') this.showInRaster(m, this.shown);
        else void this.save(m.format, this.shown).catch((e: Error) => void this.notify.error(`Could not save the export: ${e.message}`));
      });
    } else this.panel.reveal(undefined, true);
    this.panel.title = `Descriptions: ${shown.view.title}`;
    this.post(shown.view);
  }

  /** A row was picked: the raster of the run described, with the group's neurons and exemplar windows marked. */
  private showInRaster(m: Extract<DescribePanelRequest, { type: 'raster' }>, shown: Shown): void {
    const highlight = rasterHighlight(shown.view, m.population, m.formula);
    if (!highlight || !this.raster) return;
    const document = shown.model.toString();
    if (shown.ann) {
      void this.notify.info(`Describe Neurons: ${path.basename(shown.model.path)} is an ONNX model: its units' exemplars are input indices (the Exemplars column), there is no raster to mark.`);
      return;
    }
    if (!shown.runId) {
      void this.notify.warn(`Describe Neurons: ${path.basename(shown.model.path)} was running when it was described; describe it again to see the exemplars in the raster.`);
      return;
    }
    if (this.raster.latestRunId(document) !== shown.runId) {
      void this.notify.warn(`Describe Neurons: the raster of ${path.basename(shown.model.path)} shows a newer run than the one described; describe it again to see the exemplars there.`);
      return;
    }
    this.raster.highlight(document, shown.runId, highlight);
  }

  private post(view: DescriptionsView): void {
    const m: DescribePanelMessage = { type: 'descriptions', view };
    void this.panel?.webview.postMessage(m);
  }

  private async save(format: 'csv' | 'json', shown: Shown): Promise<void> {
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(shown.model, '..', `descriptions.${format}`),
      filters: format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
      title: `Export descriptions (${format.toUpperCase()})`,
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, Buffer.from(format === 'csv' ? shown.csv : shown.json, 'utf8'));
    this.log.info(`exported ${target.fsPath || target.toString()}`);
    void this.notify.info(`Saved ${path.basename(target.path)}`);
  }
}
