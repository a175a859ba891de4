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

/** The VS Code light theme's variables (Light Modern), for the same screenshots in light. */
export const THEME_LIGHT = `
body { --vscode-editor-background:#ffffff; --vscode-editor-foreground:#3b3b3b; --vscode-foreground:#3b3b3b;
  --vscode-descriptionForeground:#717171; --vscode-charts-lines:rgba(59,59,59,0.25); --vscode-focusBorder:#005fb8;
  --vscode-charts-blue:#1a85ff; --vscode-charts-red:#e51400; --vscode-charts-green:#388a34; --vscode-charts-orange:#d18616;
  --vscode-charts-purple:#652d90; --vscode-charts-yellow:#bf8803; --vscode-font-family:system-ui, sans-serif; --vscode-font-size:13px;
  --vscode-terminal-ansiCyan:#0598bc; --vscode-terminal-ansiMagenta:#bc05bc; --vscode-terminal-ansiBrightGreen:#14ce14;
  --vscode-terminal-ansiWhite:#555555; --vscode-terminal-ansiBrightYellow:#b5ba00; --vscode-terminal-ansiBrightMagenta:#bc05bc;
  --vscode-badge-background:#cccccc; --vscode-badge-foreground:#3b3b3b; --vscode-editorHoverWidget-background:#f8f8f8;
  --vscode-editorWidget-background:#f8f8f8; --vscode-widget-border:#e5e5e5; --vscode-list-hoverBackground:#f2f2f2;
  --vscode-button-background:#005fb8; --vscode-button-foreground:#ffffff; --vscode-button-hoverBackground:#0258a8;
  --vscode-button-secondaryBackground:#e5e5e5; --vscode-button-secondaryForeground:#3b3b3b; --vscode-button-secondaryHoverBackground:#cccccc;
  --vscode-dropdown-background:#ffffff; --vscode-dropdown-foreground:#3b3b3b; --vscode-dropdown-border:#cecece; --vscode-dropdown-listBackground:#ffffff;
  --vscode-settings-dropdownBackground:#ffffff; --vscode-settings-dropdownForeground:#3b3b3b; --vscode-settings-dropdownBorder:#cecece; }`;
