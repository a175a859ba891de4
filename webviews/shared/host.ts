// The webview side of a panel's channel: typed postMessage, the state VS Code keeps across
// reloads (getState/setState, also what the WebviewPanelSerializer is handed back), and the
// guarded listener for the extension's messages, behind acquireVsCodeApi (a page-level
// function VS Code injects).
import type { PanelMessage, PanelState, RunMessage } from '../../protocol/panel-data';
import { isPanelState, isRunMessage } from '../../protocol/panel-data';

export interface VsCodeApi {
  postMessage(m: unknown): void;
  getState(): unknown;
  setState(s: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** Outside VS Code (the bench page, tests): messages go nowhere, the state lives in memory. */
export function memoryApi(): VsCodeApi {
  let state: unknown;
  return { postMessage: () => {}, getState: () => state, setState: (s) => (state = s) };
}

const api: VsCodeApi = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : memoryApi();

export function post(m: PanelMessage): void {
  api.postMessage(m);
}

/** The state this page saved before a reload, if it is one this version wrote. */
export function loadState(from: VsCodeApi = api): PanelState | undefined {
  const s = from.getState();
  return isPanelState(s) ? s : undefined;
}

export function saveState(s: PanelState, to: VsCodeApi = api): void {
  to.setState(s);
}

/**
 * Calls `f` for each message from the extension that has a known shape (`guard`: protocol/panel-data.ts's
 * isRunMessage unless a panel takes more, as the raster does); anything else is dropped with a
 * console line. An exception in `f` is logged, never left to end the listener.
 */
export function onMessage<M extends { type: string } = RunMessage>(
  f: (m: M) => void,
  target: Pick<Window, 'addEventListener'> = window,
  guard: (m: unknown) => m is M = isRunMessage as unknown as (m: unknown) => m is M,
): void {
  target.addEventListener('message', (e: MessageEvent) => {
    const m: unknown = e.data;
    if (!guard(m)) {
      console.warn('spikeworks panel: dropped a malformed message', (m as { type?: unknown } | null)?.type);
      return;
    }
    try {
      f(m);
    } catch (err) {
      console.error('spikeworks panel: could not handle a message', m.type, err);
    }
  });
}
