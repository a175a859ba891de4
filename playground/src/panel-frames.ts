// The result panels in the page: the extension's raster and traces panels, each in a same-origin
// frame (panels/*.html), spoken to with the extension's own typed messages (protocol/panel-data.ts):
// the page plays the extension's part (panels.ts): it replays the run to a panel that says
// 'ready', relays the shared cursor and time window between the two, saves exports as downloads
// and answers 'reveal' by showing the population in the editor.
import { isPanelMessage, type PanelMessage, type RunMessage } from '../../protocol/panel-data';

export type PanelKind = 'raster' | 'traces';

export interface PanelHost {
  /** Everything a (re)loaded panel needs, or undefined when there is no run yet. */
  replay(): RunMessage[] | undefined;
  save(fileName: string, data: string, format: 'png' | 'svg' | 'csv'): void;
  reveal(population: string): void;
}

interface Frame {
  kind: PanelKind;
  iframe: HTMLIFrameElement;
  ready: boolean;
}

export class PanelFrames {
  private frames: Frame[] = [];

  constructor(containers: Record<PanelKind, HTMLElement>, private readonly host: PanelHost) {
    for (const kind of ['raster', 'traces'] as const) {
      const iframe = document.createElement('iframe');
      iframe.title = kind === 'raster' ? 'Spike raster' : 'Traces';
      iframe.className = `panel-frame panel-${kind}`;
      containers[kind].append(iframe);
      this.frames.push({ kind, iframe, ready: false });
    }
    window.addEventListener('message', (e) => this.receive(e));
  }

  /** Loads the panels' pages into their frames. */
  load(): void {
    for (const f of this.frames) if (!f.iframe.src) f.iframe.src = `panels/${f.kind}.html`;
  }

  frame(kind: PanelKind): HTMLIFrameElement {
    return this.frames.find((f) => f.kind === kind)!.iframe;
  }

  /** Sends a run message to every panel that is ready (the others get the replay when they are). */
  post(m: RunMessage, except?: Frame): void {
    for (const f of this.frames) if (f.ready && f !== except) f.iframe.contentWindow?.postMessage(m, location.origin);
  }

  setTheme(theme: 'light' | 'dark'): void {
    for (const f of this.frames) {
      const body = f.iframe.contentDocument?.body;
      if (body) body.className = `vscode-${theme}`;
    }
  }

  private receive(e: MessageEvent): void {
    if (e.origin !== location.origin) return;
    const f = this.frames.find((x) => x.iframe.contentWindow === e.source);
    const data = e.data as { spikeworksPanel?: unknown; message?: unknown } | null;
    if (!f || !data || data.spikeworksPanel !== f.kind) return;
    if (!isPanelMessage(data.message)) {
      console.warn(`${f.kind} panel: ignored a malformed message`);
      return;
    }
    this.handle(f, data.message);
  }

  private handle(f: Frame, m: PanelMessage): void {
    switch (m.type) {
      case 'ready': {
        f.ready = true;
        const all = this.host.replay() ?? [{ type: 'empty', message: 'No results yet: press Run (Ctrl+Enter).' } as RunMessage];
        for (const r of all) f.iframe.contentWindow?.postMessage(r, location.origin);
        return;
      }
      case 'cursor':
        this.post({ type: 'cursor', time: m.time }, f);
        return;
      case 'window':
        this.post({ type: 'window', from: m.from, to: m.to }, f);
        return;
      case 'export':
        this.host.save(m.fileName, m.data, m.format);
        return;
      case 'reveal':
        this.host.reveal(m.population);
        return;
    }
  }
}
