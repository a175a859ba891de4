// Inside a result panel's frame (dist/playground/panels/*.html): the `acquireVsCodeApi` VS Code
// injects into a webview, played by the page. The extension's panel bundle (webviews/) runs
// unchanged: what it posts goes to the page (window.parent) tagged with the panel's name, the
// page's messages arrive as window 'message' events as in VS Code, and the state it keeps lives
// in the frame's sessionStorage. The page sets the theme class (vscode-light / vscode-dark).
const panel = /traces/.test(location.pathname) ? 'traces' : 'raster';
const key = `spikeworks-panel-state-${panel}`;
const page = window.parent;

(window as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => ({
  postMessage: (message: unknown) => page.postMessage({ spikeworksPanel: panel, message }, location.origin),
  getState: () => {
    try {
      return JSON.parse(sessionStorage.getItem(key) ?? 'null') ?? undefined;
    } catch {
      return undefined;
    }
  },
  setState: (s: unknown) => {
    try {
      sessionStorage.setItem(key, JSON.stringify(s));
    } catch {
      // Storage full or refused: the state is only lost on a reload.
    }
  },
});

// The page's theme when the frame loads (later changes: the page sets the class itself).
try {
  const theme = page.document.documentElement.dataset.theme;
  if (theme === 'light' || theme === 'dark') document.body.className = `vscode-${theme}`;
} catch {
  // Not inside the playground page: the default (dark) class stays.
}
