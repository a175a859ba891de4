// The VS Code dark theme's variables for panel screenshots in headless Chromium (panel-shot.ts, report-shot.ts).
export const THEME = `
body { --vscode-editor-background:#1f1f1f; --vscode-editor-foreground:#cccccc; --vscode-foreground:#cccccc;
  --vscode-descriptionForeground:#9d9d9d; --vscode-charts-lines:rgba(204,204,204,0.25); --vscode-focusBorder:#0078d4;
  --vscode-charts-blue:#3794ff; --vscode-charts-red:#f14c4c; --vscode-charts-green:#89d185; --vscode-charts-orange:#d18616;
  --vscode-charts-purple:#b180d7; --vscode-charts-yellow:#cca700; --vscode-font-family:system-ui, sans-serif; --vscode-font-size:13px;
  --vscode-terminal-ansiCyan:#11a8cd; --vscode-terminal-ansiMagenta:#bc3fbc; --vscode-terminal-ansiBrightGreen:#23d18b;
  --vscode-terminal-ansiWhite:#e5e5e5; --vscode-terminal-ansiBrightYellow:#f5f543; --vscode-terminal-ansiBrightMagenta:#d670d6;
  --vscode-badge-background:#616161; --vscode-badge-foreground:#f8f8f8; --vscode-editorHoverWidget-background:#252526;
  --vscode-editorWidget-background:#252526; --vscode-widget-border:#454545; }`;
