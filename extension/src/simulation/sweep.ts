// "Spikeworks: Run Sweep…": asks for an axis (the CLI's --set syntax, checked against the model
// as it is typed) and the seeds per point, estimates the whole sweep with the engine's figures,
// runs it on the pool of worker threads (sim-host/src/sweep-pool.ts, off the extension host's
// thread) under a cancellable progress notification, and shows the Sweep panel (webviews/sweep/:
// rate against the swept value, mean ± SD over seeds, CSV export).
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseQuantity } from '../../../language-server/src/ide';
import { isSweepPanelRequest, type SweepPanelMessage, type SweepPlot } from '../../../protocol/sweep-panel';
import { startSweep } from '../../../sim-host/src/sweep-pool';
import { estimateSweep } from '../../../sim-host/src/sweep/estimate';
import { sweepPlot } from '../../../sim-host/src/sweep/results';
import { parseAxis, sweepRuns, type SweepSpec } from '../../../sim-host/src/sweep/spec';
import type { Notifier } from '../notify';
import { panelHtml, webviewOptions } from '../panels/html';
import { fileName, loadModel, readRootsFor } from './model';
import { runSettings } from './settings';
import { runWarning } from './threads';

export class SweepRunner implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private plot: SweepPlot | undefined;
  private lastAxis = '';

  constructor(private readonly extensionUri: vscode.Uri, private readonly log: vscode.LogOutputChannel, private readonly notify: Notifier) {}

  dispose(): void {
    this.panel?.dispose();
  }

  async run(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    const name = fileName(key);
    const roots = readRootsFor((vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath), doc.uri.fsPath);
    const loaded = loadModel(key, doc.getText(), path.join(this.extensionUri.fsPath, 'dist'), { trusted: vscode.workspace.isTrusted, roots });
    if (!loaded.ok) {
      const first = loaded.errors[0];
      void this.notify.error(`${name} has errors; fix them to run a sweep.${first ? ` (line ${first.line + 1}: ${first.message})` : ''}`);
      return;
    }
    const ir = loaded.ir;
    const check = (v: string): string | undefined => {
      const arg = v.trim();
      try {
        parseAxis(ir, arg, parseQuantity);
        return undefined;
      } catch (e) {
        const prefix = `--set ${arg}: `;
        const m = e instanceof Error ? e.message : String(e);
        return m.startsWith(prefix) ? m.slice(prefix.length) : m;
      }
    };
    const axis = await vscode.window.showInputBox({
      title: `Run Sweep: ${name}`,
      prompt: 'Axis: target=from:to:count or target=v1,v2,… (population.parameter, input.rate, connection.weight, seed, or a memristor target\'s setting such as xbar.fault_ratio=0:0.3:7 or xbar.fault_type=sa0,sa1), e.g. exc.I_e=0pA:500pA:11',
      value: this.lastAxis,
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? check(v) : 'an axis, e.g. exc.I_e=0pA:500pA:11'),
    });
    if (!axis) return;
    this.lastAxis = axis.trim();
    const seedsText = await vscode.window.showInputBox({
      title: `Run Sweep: ${name}`,
      prompt: 'Seeds per point (statistics over seeds: mean ± SD)',
      value: '1',
      ignoreFocusOut: true,
      validateInput: (v) => (/^\s*\d+\s*$/.test(v) && Number(v) >= 1 && Number(v) <= 1000 ? undefined : 'a whole number from 1 to 1000'),
    });
    if (!seedsText) return;
    const settings = runSettings(doc.uri);
    let spec: SweepSpec;
    let runs;
    let est;
    try {
      spec = { axes: [parseAxis(ir, this.lastAxis, parseQuantity)], seeds: Number(seedsText), baseSeed: settings.seed ?? ir.simulate.seed };
      runs = sweepRuns(spec);
      const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
      est = estimateSweep(ir, spec, runs, { memoryLimit: settings.memoryLimitBytes, workers: Math.max(1, cores - 1) });
    } catch (e) {
      void this.notify.error(`Sweep not run: ${(e as Error).message}`);
      return;
    }
    const ref = spec.axes[0].ref;
    const device = ref.kind === 'device' ? ref.target : undefined;
    const threadsWarning = runWarning(name, settings.threads, ir, settings.backend ?? ir.simulate.backend);
    if (threadsWarning) this.log.warn(threadsWarning);
    this.log.info(`${name}: sweep of ${est.runs} runs (${est.points} points × ${spec.seeds} seeds) on ${est.workers} workers`);
    const title = `Sweep ${name}: ${spec.axes[0].target}`;
    const result = await this.notify.progress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      let reported = 0;
      const handle = startSweep(ir, spec, runs, {
        workers: est.workers, runMemoryLimit: est.runLimit, baseDir: path.dirname(doc.uri.fsPath), readRoots: roots, backend: settings.backend, threads: settings.threads,
        workerFile: path.join(this.extensionUri.fsPath, 'dist', 'sim-worker.js'),
        // a memristor target's setting as the axis: a fault sweep on that target, scored by the model's readout
        ...(device ? { target: device, metric: true } : {}),
        onProgress: (done, total, frac) => {
          const pct = Math.round(frac * 100);
          if (pct > reported) {
            progress.report({ increment: pct - reported, message: `${done} of ${total} runs` });
            reported = pct;
          }
        },
      });
      let grace: NodeJS.Timeout | undefined;
      const sub = token.onCancellationRequested(() => {
        handle.cancel();
        grace = setTimeout(() => void handle.terminate(), 2000);
      });
      try {
        return await handle.result;
      } catch (e) {
        void this.notify.error(`Sweep failed: ${(e as Error).message}`);
        return undefined;
      } finally {
        sub.dispose();
        clearTimeout(grace);
      }
    });
    if (!result) return;
    if (result.rows.length === 0) {
      void this.notify.info('Sweep stopped before any run finished.');
      return;
    }
    this.show(sweepPlot(spec, result, name), doc.uri);
  }

  private show(plot: SweepPlot, model: vscode.Uri): void {
    this.plot = plot;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('spikeworks.sweep', 'Sweep', vscode.ViewColumn.Beside, webviewOptions(this.extensionUri));
      this.panel.webview.html = panelHtml(this.panel.webview, this.extensionUri, 'sweep', 'Sweep');
      this.panel.onDidDispose(() => (this.panel = undefined));
      this.panel.webview.onDidReceiveMessage((m: unknown) => {
        if (!isSweepPanelRequest(m)) return;
        if (m.type === 'ready' && this.plot) this.post(this.plot);
        else if (m.type === 'export-csv' && this.plot) void this.saveCsv(this.plot.csv, model).catch((e: Error) => void this.notify.error(`Could not save the CSV: ${e.message}`));
      });
    } else this.panel.reveal(undefined, true);
    this.panel.title = `Sweep: ${plot.title}`;
    this.post(plot);
  }

  private post(plot: SweepPlot): void {
    const m: SweepPanelMessage = { type: 'sweep', plot };
    void this.panel?.webview.postMessage(m);
  }

  private async saveCsv(csv: string, model: vscode.Uri): Promise<void> {
    const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(model, '..', 'sweep.csv'), filters: { CSV: ['csv'] }, title: 'Export sweep CSV' });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, Buffer.from(csv, 'utf8'));
    this.log.info(`exported ${target.fsPath || target.toString()}`);
    void this.notify.info(`Saved ${path.basename(target.path)}`);
  }
}
