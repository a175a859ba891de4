// What both result panels share: the run they show and its status, dispatch of the extension's
// messages (guarded in host.ts; messages of another run dropped here), the empty/status
// message over the plot, the shared time cursor, the state kept across reloads, theme changes.
// A panel extends RunPanel and keeps only what is its own (its data, drawing, input, export).
import type { PanelState, PopulationInfo, PreviousRun, RunInfo, RunMessage, RunStatus, TraceChunk } from '../../protocol/panel-data';
import { PANEL_PROTOCOL_VERSION } from '../../protocol/panel-data';
import type { PopulationSpikes } from '../../protocol/sim';
import { el } from './dom';
import { loadState, onMessage, post, saveState } from './host';
import { onThemeChange, readTheme, type Theme } from './theme';

export abstract class RunPanel {
  protected info?: RunInfo;
  protected status: RunStatus = 'running';
  protected stepsDone = 0;
  protected statusMessage?: string;
  /** The run's readout scores, short plain lines, once it has ended (shown as text, never markup). */
  protected readouts: string[] = [];
  /** The shared time cursor (seconds), and whether it was pinned (a click) rather than following the mouse. */
  protected cursor: number | null = null;
  protected pinned = false;
  protected theme: Theme = readTheme();
  /** Text over the plot: waiting, empty, nothing recorded (hidden when empty). */
  protected readonly message = el('div', 'message');
  /** The state saved before a reload, given to the first run shown (if it is that run). */
  private restored: PanelState | undefined = loadState();
  private persistTimer?: number;

  constructor() {
    this.showMessage('Waiting for a run…');
    onThemeChange(() => {
      this.theme = readTheme();
      this.themeChanged();
    });
  }

  /** Listens for the extension's messages, then says the page is ready (the extension replays the run). */
  listen(): void {
    onMessage((m) => this.handle(m));
    post({ type: 'ready' });
  }

  handle(m: RunMessage): void {
    switch (m.type) {
      case 'run': {
        const saved = this.restored;
        this.restored = undefined;
        this.info = m.run;
        this.status = 'running';
        this.stepsDone = 0;
        this.statusMessage = undefined;
        this.readouts = [];
        const same = saved?.runId === m.run.runId && saved.document === m.run.document ? saved : undefined;
        this.cursor = same?.view ? (same.cursor ?? null) : null;
        this.pinned = this.cursor !== null;
        this.showRun(m.run, same?.view);
        if (same) this.restoreState(same);
        this.persist();
        return;
      }
      case 'spikes':
        if (m.runId === this.info?.runId) this.addSpikes(m.spikes);
        return;
      case 'samples':
        if (m.runId === this.info?.runId) this.addSamples(m.chunks);
        return;
      case 'previous':
        if (m.runId === this.info?.runId) this.showPrevious(m.previous);
        return;
      case 'status':
        if (m.runId === this.info?.runId) this.statusChanged(() => {
          this.status = m.status;
          this.stepsDone = m.stepsDone;
          this.statusMessage = m.message;
          this.readouts = m.readouts ?? [];
        });
        return;
      case 'empty':
        this.info = undefined;
        this.showEmpty();
        this.showMessage(m.message);
        return;
      case 'cursor':
        this.cursor = m.time;
        this.pinned = m.time !== null;
        this.requestRender();
        return;
      case 'window':
        if (this.info) this.showWindow(m.from, m.to);
        return;
    }
  }

  /** A new run (or the same run with its populations): drop what is shown; `view` is the saved view of this run after a reload. */
  protected abstract showRun(run: RunInfo, view: PanelState['view']): void;
  protected abstract addSpikes(spikes: PopulationSpikes[]): void;
  protected addSamples(_chunks: TraceChunk[]): void {}
  /** The previous run of the file, to compare with (the raster does not use it). */
  protected showPrevious(_previous: PreviousRun | null): void {}
  /** The status changes when `apply` is called (a panel may look at what it showed before). */
  protected abstract statusChanged(apply: () => void): void;
  /** No run to show: drop the data (the message is shown by the base). */
  protected abstract showEmpty(): void;
  /** A time window (seconds) chosen in the other panel. */
  protected abstract showWindow(from: number, to: number): void;
  /** The view to keep across a reload (seconds; rows for the raster). */
  protected abstract viewState(info: RunInfo): PanelState['view'];
  abstract requestRender(): void;
  /** After a reload: what else the panel kept with this run (the raster's marks). */
  protected restoreState(_saved: PanelState): void {}
  /** What else to keep across a reload besides the view and the cursor. */
  protected extraState(): Partial<PanelState> {
    return {};
  }

  protected themeChanged(): void {
    this.requestRender();
  }

  /** The recorded populations of a run, each with its place in the run's order (its colour). */
  protected recordedPopulations(run: RunInfo): (PopulationInfo & { k: number })[] {
    return run.populations.map((p, k) => ({ ...p, k })).filter((p) => p.recorded);
  }

  protected showMessage(text: string): void {
    this.message.textContent = text;
    this.message.hidden = !text;
  }

  /** How far the run is, in words: "running 42%", "done", "stopped", "failed". */
  protected statusText(): string {
    if (this.status === 'running') return `running ${Math.floor((100 * this.stepsDone) / Math.max(1, this.info?.steps ?? 1))}%`;
    return this.status === 'cancelled' ? 'stopped' : this.status;
  }

  /** Moves the cursor (null hides it), tells the other panel unless `share` is false, and keeps it. */
  protected setCursor(time: number | null, share = true): void {
    if (time === this.cursor) return;
    this.cursor = time;
    if (share) post({ type: 'cursor', time });
    this.persist();
    this.requestRender();
  }

  /** Saves the view and the pinned cursor for a reload (at most every 150 ms). */
  protected persist(): void {
    const info = this.info;
    if (!info) return;
    clearTimeout(this.persistTimer);
    this.persistTimer = window.setTimeout(() => {
      saveState({ version: PANEL_PROTOCOL_VERSION, document: info.document, runId: info.runId, view: this.viewState(info), cursor: this.pinned ? this.cursor : null, ...this.extraState() });
    }, 150);
  }
}
