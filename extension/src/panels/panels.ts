// The result panels (spike raster, traces) of each model file: opens them, feeds them the run
// (everything so far when a panel (re)loads, then what streams in), relays the shared time
// cursor and window between a model's panels, saves exports, jumps to populations, and
// revives panels after a window reload (WebviewPanelSerializer + the state each page keeps).
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isPanelState, type PanelMessage, type RunMessage } from '../../../protocol/panel-data';
import { isFromRaster, RASTER_VIEW_TYPE, type RasterHighlight, type ToRaster } from '../../../protocol/raster';
import { isFromTraces, TRACES_VIEW_TYPE } from '../../../protocol/traces';
import type { Notifier } from '../notify';
import { fileName, populationPlace } from '../simulation/model';
import type { Runner } from '../simulation/runner';
import { panelHtml, webviewOptions } from './html';
import { pngBytes } from './png';
import { modelText, showPlace } from './reveal';

export type PanelKind = 'raster' | 'traces';

const KINDS: Record<PanelKind, { viewType: string; bundle: string; title: string; accepts: (m: unknown) => m is PanelMessage }> = {
  raster: { viewType: RASTER_VIEW_TYPE, bundle: 'raster', title: 'Spike Raster', accepts: isFromRaster },
  traces: { viewType: TRACES_VIEW_TYPE, bundle: 'traces', title: 'Traces', accepts: isFromTraces },
};

/** Spikes per message when a panel is sent a whole run. */
const REPLAY_CHUNK = 1 << 20;

class ResultPanel {
  ready = false;
  /** The run whose previous run this panel was sent last. */
  previousFor?: string;
  constructor(
    readonly kind: PanelKind,
    readonly panel: vscode.WebviewPanel,
    readonly document: string,
  ) {}

  post(m: RunMessage | ToRaster): void {
    if (this.ready) void this.panel.webview.postMessage(m);
  }
}

export class Panels implements vscode.Disposable {
  private panels: ResultPanel[] = [];
  private cursors = new Map<string, number | null>();
  /** The time window last selected in a model's raster, for the run it was selected in. */
  private windows = new Map<string, { runId: string; from: number; to: number }>();
  /** What the Descriptions panel asked the raster of a model to mark, for the run it belongs to. */
  private highlights = new Map<string, { runId: string; highlight: RasterHighlight }>();
  private disposables: vscode.Disposable[] = [];
  /** The model of the panel that was focused last (commands run from a panel act on it). */
  lastActiveDocument?: string;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly runner: Runner,
    private readonly log: vscode.LogOutputChannel,
    private readonly notify: Notifier,
  ) {
    this.disposables.push(
      runner.onMessage((e) => {
        if (e.message.type === 'run' && !this.panels.some((p) => p.kind === 'raster' && p.document === e.document)) {
          this.show('raster', e.document, true);
        }
        for (const p of this.panels) if (p.document === e.document) p.post(e.message);
        if (e.message.type === 'run') for (const p of this.panels) if (p.kind === 'traces' && p.document === e.document) this.sendPrevious(p, e.message.run.runId);
      }),
    );
    for (const kind of Object.keys(KINDS) as PanelKind[]) {
      this.disposables.push(
        vscode.window.registerWebviewPanelSerializer(KINDS[kind].viewType, {
          deserializeWebviewPanel: async (panel, state: unknown) => {
            if (!isPanelState(state)) {
              // Nothing says which model it showed: an empty panel that says how to fill it.
              this.adopt(kind, panel, '');
              return;
            }
            this.adopt(kind, panel, state.document);
          },
        }),
      );
    }
  }

  /** The model of the focused result panel, if one is focused. */
  activePanelDocument(): string | undefined {
    return this.panels.find((p) => p.panel.active)?.document || undefined;
  }

  /** Opens (or reveals) the `kind` panel of a model file. */
  show(kind: PanelKind, document: string, preserveFocus = false): void {
    const existing = this.panels.find((p) => p.kind === kind && p.document === document);
    if (existing) {
      existing.panel.reveal(undefined, preserveFocus);
      return;
    }
    // Results share one column: beside the editor the first time, then where the others are.
    const column = this.panels.find((p) => p.panel.viewColumn !== undefined)?.panel.viewColumn ?? vscode.ViewColumn.Beside;
    const panel = vscode.window.createWebviewPanel(
      KINDS[kind].viewType,
      `${KINDS[kind].title}: ${fileName(document)}`,
      { viewColumn: column, preserveFocus },
      webviewOptions(this.extensionUri),
    );
    this.adopt(kind, panel, document);
  }

  /**
   * Opens (or reveals) the raster of a model and marks a group of neurons and time windows in
   * run `runId` (the Descriptions panel's row); kept for the panel's reloads while that run is shown.
   */
  highlight(document: string, runId: string, highlight: RasterHighlight): void {
    this.highlights.set(document, { runId, highlight });
    this.show('raster', document);
    for (const p of this.panels) if (p.kind === 'raster' && p.document === document) p.post({ type: 'highlight', runId, highlight });
  }

  private adopt(kind: PanelKind, panel: vscode.WebviewPanel, document: string): void {
    const p = new ResultPanel(kind, panel, document);
    this.panels.push(p);
    panel.webview.options = webviewOptions(this.extensionUri);
    if (document) panel.title = `${KINDS[kind].title}: ${fileName(document)}`;
    panel.webview.html = panelHtml(panel.webview, this.extensionUri, KINDS[kind].bundle, panel.title);
    panel.webview.onDidReceiveMessage((m: unknown) => {
      if (!KINDS[kind].accepts(m)) {
        this.log.warn(`${kind} panel: ignored a malformed message`);
        return;
      }
      void this.onPanelMessage(p, m).catch((e) => this.log.error(`${kind} panel: ${(e as Error).message}`));
    });
    panel.onDidDispose(() => {
      this.panels = this.panels.filter((x) => x !== p);
    });
    panel.onDidChangeViewState((e) => {
      if (e.webviewPanel.active && document) this.lastActiveDocument = document;
    });
    if (panel.active && document) this.lastActiveDocument = document;
  }

  private async onPanelMessage(p: ResultPanel, m: PanelMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        p.ready = true;
        this.replay(p);
        return;
      case 'cursor':
        this.cursors.set(p.document, m.time);
        for (const o of this.panels) if (o !== p && o.document === p.document) o.post({ type: 'cursor', time: m.time });
        return;
      case 'window': {
        const runId = this.runner.latestRun(p.document)?.info.runId;
        if (runId) this.windows.set(p.document, { runId, from: m.from, to: m.to });
        // A hidden panel has no page to take it (its context is not retained): replay() gives it the window when it comes back.
        for (const o of this.panels) if (o !== p && o.document === p.document) o.post({ type: 'window', from: m.from, to: m.to });
        return;
      }
      case 'export':
        await this.save(p, m.format, m.fileName, m.data);
        return;
      case 'reveal':
        await this.reveal(p.document, m.population);
        return;
    }
  }

  /** Sends a (re)loaded panel everything: the run, all spikes and samples so far, its status. */
  private replay(p: ResultPanel): void {
    const r = p.document ? this.runner.latestRun(p.document) : undefined;
    if (!r) {
      p.post({ type: 'empty', message: p.document ? `No results for ${fileName(p.document)} yet: run it with “Spikeworks: Run Simulation”.` : 'Open a .snn model and run “Spikeworks: Run Simulation”.' });
      return;
    }
    const runId = r.info.runId;
    p.post({ type: 'run', run: r.info });
    r.info.populations.forEach(({ name, size }, k) => {
      const all = r.spikes(k);
      for (let from = 0; from < all.steps.length; from += REPLAY_CHUNK) {
        const to = Math.min(all.steps.length, from + REPLAY_CHUNK);
        p.post({ type: 'spikes', runId, spikes: [{ name, size, steps: all.steps.slice(from, to), neurons: all.neurons.slice(from, to) }] });
      }
    });
    const samples = r.allSamples().map((c) => ({ ...c, data: c.data.slice() }));
    if (samples.length) p.post({ type: 'samples', runId, chunks: samples });
    p.post({ type: 'status', runId, status: r.status, stepsDone: r.stepsDone, message: r.message, ...(r.readouts ? { readouts: r.readouts } : {}) });
    const cursor = this.cursors.get(p.document);
    if (cursor !== undefined) p.post({ type: 'cursor', time: cursor });
    if (p.kind === 'traces') this.sendPrevious(p, runId, true);
    const window = this.windows.get(p.document);
    if (p.kind === 'traces' && window?.runId === runId) p.post({ type: 'window', from: window.from, to: window.to });
    const marked = this.highlights.get(p.document);
    if (p.kind === 'raster' && marked?.runId === runId) p.post({ type: 'highlight', runId, highlight: marked.highlight });
  }

  /** Sends a traces panel the run before `runId` (once per run, or again after a reload). */
  private sendPrevious(p: ResultPanel, runId: string, force = false): void {
    if (!p.ready || (!force && p.previousFor === runId)) return;
    p.previousFor = runId;
    const r = this.runner.previousRun(p.document);
    if (!r || r.info.runId === runId) {
      p.post({ type: 'previous', runId, previous: null });
      return;
    }
    const spikes = r.info.populations.map(({ name, size }, k) => ({ name, size, ...r.spikes(k) }));
    p.post({ type: 'previous', runId, previous: { run: r.info, stepsDone: r.stepsDone, spikes: spikes.map((s) => ({ ...s, steps: s.steps.slice(), neurons: s.neurons.slice() })), chunks: r.allSamples().map((c) => ({ ...c, data: c.data.slice() })) } });
  }

  private async save(p: ResultPanel, format: 'png' | 'svg' | 'csv', suggested: string, data: string): Promise<void> {
    const safe = suggested.replace(/[^\w.\- ]+/g, '_').slice(0, 120) || `export.${format}`;
    const dir = p.document ? vscode.Uri.joinPath(vscode.Uri.parse(p.document), '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({
      defaultUri: dir ? vscode.Uri.joinPath(dir, safe) : undefined,
      filters: { [format.toUpperCase()]: [format] },
      title: `Export ${format.toUpperCase()}`,
    });
    if (!target) return;
    let bytes: Uint8Array;
    if (format === 'png') {
      const png = pngBytes(data);
      if (!png) throw new Error('the PNG export was not a PNG data URL');
      bytes = png;
    } else bytes = Buffer.from(data, 'utf8');
    await vscode.workspace.fs.writeFile(target, bytes);
    this.log.info(`exported ${target.fsPath || target.toString()} (${bytes.length.toLocaleString('en-US')} bytes)`);
    void this.notify.info(`Saved ${path.basename(target.path)}`);
  }

  private async reveal(document: string, population: string): Promise<void> {
    if (!document) return;
    const model = modelText(document);
    if (!model.ok) {
      this.log.warn(`cannot read ${document} to find population ${population}: ${model.message}`);
      void this.notify.warn(`Cannot read ${fileName(document)} to find population ${population}.`);
      return;
    }
    const place = populationPlace(document, model.text, population, path.join(this.extensionUri.fsPath, 'dist'));
    if (!place) {
      void this.notify.warn(`Population ${population} is not defined in ${fileName(document)} (was it renamed since the run?).`);
      return;
    }
    await showPlace(place);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    for (const p of this.panels) p.panel.dispose();
    this.panels = [];
  }
}
