// Colours from the VS Code theme (--vscode-* CSS variables), re-read when the theme changes
// (VS Code swaps the body's vscode-light / vscode-dark / vscode-high-contrast class).

export interface Theme {
  background: string;
  foreground: string;
  muted: string;
  grid: string;
  focus: string;
  cursor: string;
  selection: string;
  highContrast: boolean;
  /** Population colours, in order. */
  series: string[];
  /** More distinct colours after `series` (terminal ANSI colours of the theme), for per-neuron lines. */
  extra?: string[];
}

const SERIES_VARS = ['--vscode-charts-blue', '--vscode-charts-red', '--vscode-charts-green', '--vscode-charts-orange', '--vscode-charts-purple', '--vscode-charts-yellow'];
const SERIES_FALLBACK = ['#3794ff', '#f14c4c', '#89d185', '#d18616', '#b180d7', '#cca700'];
const EXTRA_VARS = ['--vscode-terminal-ansiCyan', '--vscode-terminal-ansiMagenta', '--vscode-terminal-ansiBrightGreen', '--vscode-terminal-ansiWhite', '--vscode-terminal-ansiBrightYellow', '--vscode-terminal-ansiBrightMagenta'];
const EXTRA_FALLBACK = ['#11a8cd', '#bc3fbc', '#23d18b', '#e5e5e5', '#f5f543', '#d670d6'];
/** Series with their own colour in a chart at most (more are drawn as a band). */
export const MAX_DISTINCT = 10;

export function readTheme(): Theme {
  const css = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const highContrast = document.body.classList.contains('vscode-high-contrast') || document.body.classList.contains('vscode-high-contrast-light');
  const foreground = v('--vscode-editor-foreground', v('--vscode-foreground', '#cccccc'));
  return {
    background: v('--vscode-editor-background', '#1e1e1e'),
    foreground,
    muted: v('--vscode-descriptionForeground', foreground),
    grid: v('--vscode-charts-lines', 'rgba(128,128,128,0.35)'),
    focus: v('--vscode-focusBorder', '#007fd4'),
    cursor: v('--vscode-editorCursor-foreground', foreground),
    selection: v('--vscode-editor-selectionBackground', 'rgba(38,79,120,0.6)'),
    highContrast,
    series: SERIES_VARS.map((name, k) => v(name, SERIES_FALLBACK[k])),
    extra: EXTRA_VARS.map((name, k) => v(name, EXTRA_FALLBACK[k])),
  };
}

export function seriesColor(theme: Theme, k: number): string {
  return theme.series[k % theme.series.length];
}

/** `n` (≤ MAX_DISTINCT) distinct colours of the theme, the populations' colours first, repeats removed. */
export function distinctColors(theme: Theme, n: number): string[] {
  const all = [...theme.series, ...(theme.extra ?? [])];
  const seen = new Set<string>();
  const out = all.filter((c) => {
    const key = c.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return Array.from({ length: n }, (_, k) => out[k % out.length]);
}

/** Calls `f` after each theme change. */
export function onThemeChange(f: () => void): void {
  new MutationObserver(() => f()).observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-id', 'style'] });
}

/** [r, g, b] 0–255 of any CSS colour (via a 1×1 canvas). */
export function rgb(color: string): [number, number, number] {
  const c = document.createElement('canvas');
  c.width = c.height = 1;
  const g = c.getContext('2d')!;
  g.fillStyle = '#000';
  g.fillStyle = color;
  g.fillRect(0, 0, 1, 1);
  const d = g.getImageData(0, 0, 1, 1).data;
  return [d[0], d[1], d[2]];
}
