// The webview side of a panel's channel: typed postMessage and the state VS Code keeps across
// reloads (getState/setState), behind acquireVsCodeApi (a page-level function VS Code injects).
import type { PanelMessage, PanelState, RunMessage } from '../../protocol/panel-data';
import { isPanelState } from '../../protocol/panel-data';

interface VsCodeApi {
  postMessage(m: unknown): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const api: VsCodeApi =
  typeof acquireVsCodeApi === 'function'
    ? acquireVsCodeApi()
    : { postMessage: () => {}, getState: () => undefined, setState: () => {} }; // outside VS Code (bench)

export function post(m: PanelMessage): void {
  api.postMessage(m);
}

export function loadState(): PanelState | undefined {
  const s = api.getState();
  return isPanelState(s) ? s : undefined;
}

export function saveState(s: PanelState): void {
  api.setState(s);
}

/** Calls `f` for each message from the extension that has a known `type`. */
export function onMessage(f: (m: RunMessage) => void): void {
  window.addEventListener('message', (e: MessageEvent) => {
    const m = e.data as RunMessage;
    if (typeof m !== 'object' || m === null || typeof m.type !== 'string') return;
    try {
      f(m);
    } catch (err) {
      console.error('spikeworks panel: could not handle a message', m.type, err);
    }
  });
}
