// What every exported picture carries (PNG and SVG alike, drawn through a Painter): a header
// with the title (the model's name), the model file, seed, duration and dt, and the legend
// (one swatch per population). PNGs are drawn at EXPORT_SCALE device pixels per CSS pixel or
// more, so that they stay sharp in a paper or on a high-density screen.
import type { RunInfo } from '../../protocol/panel-data';
import { formatInterval, formatTime } from './format';
import type { Painter } from './painter';
import type { Theme } from './theme';

/** Device pixels per CSS pixel of an exported PNG, at least. */
export const EXPORT_SCALE = 2;
/** Height of the header above the exported plot, CSS pixels. */
export const HEADER_HEIGHT = 52;

export interface ExportLegend {
  label: string;
  color: string;
}

/** The scale of an exported PNG: the screen's, at least EXPORT_SCALE. */
export function exportScale(devicePixelRatio: number): number {
  return Math.max(EXPORT_SCALE, Math.ceil(devicePixelRatio || 1));
}

/** The header's second line: "model.snn · seed 1 · 1.5 s simulated · dt 0.1 ms · wasm". */
export function exportSubtitle(info: RunInfo, simulatedSteps: number, what: string): string {
  const duration = simulatedSteps * info.dt;
  const planned = info.steps * info.dt;
  const dur = simulatedSteps < info.steps ? `${formatTime(duration, duration)} of ${formatTime(planned, planned)}` : formatTime(planned, planned);
  return `${info.fileName} · seed ${info.seed} · duration ${dur} · dt ${formatInterval(info.dt)} · ${what}`;
}

/** Draws the header in [0, width) × [0, HEADER_HEIGHT). */
export function drawExportHeader(p: Painter, width: number, info: RunInfo, subtitle: string, legend: ExportLegend[], theme: Theme): void {
  p.text(info.model || info.fileName, 8, 8, { color: theme.foreground, baseline: 'top', bold: true, size: 15 });
  p.text(subtitle, 8, 29, { color: theme.muted, baseline: 'top', size: 11 });
  // Legend on the right of the title line, right-aligned.
  let x = width - 8;
  for (const e of [...legend].reverse()) {
    const w = p.measure(e.label) + 20;
    if (x - w < width * 0.45) break;
    x -= w;
    p.rect(x, 10, 10, 10, e.color);
    p.text(e.label, x + 14, 15, { color: theme.foreground, baseline: 'middle' });
    x -= 6;
  }
  p.line(0, HEADER_HEIGHT - 0.5, width, HEADER_HEIGHT - 0.5, theme.grid, 1);
}
