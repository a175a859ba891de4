// The spike raster panel's channel (extension ↔ webviews/raster). The run data and the shared
// messages are in panel-data.ts; this module names the panel and what only it sends and takes:
// the highlight the Descriptions panel asks for (a group's neurons and its exemplar windows).
import type { PanelMessage, RunMessage } from './panel-data';
import { isPanelMessage, isRunMessage } from './panel-data';

export const RASTER_VIEW_TYPE = 'spikeworks.raster';

/** At most this many neurons and windows travel in one highlight (the rest are left out). */
export const HIGHLIGHT_MAX_UNITS = 100_000;
export const HIGHLIGHT_MAX_WINDOWS = 1000;

/**
 * Neurons of one population drawn marked, time windows (seconds) shaded, the view zoomed to the
 * first window. `label` is model text (a description formula): shown as text only.
 */
export interface RasterHighlight {
  population: string;
  units: number[];
  windows: [number, number][];
  label: string;
}

/** extension → raster webview: the run's messages, and a highlight (null clears it) for run `runId`. */
export type ToRaster = RunMessage | { type: 'highlight'; runId: string; highlight: RasterHighlight | null };

/** raster webview → extension */
export type FromRaster = PanelMessage;

export const isFromRaster = (m: unknown): m is FromRaster => isPanelMessage(m);

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** A highlight's shape: neuron indices (non-negative integers), windows [start < end] in seconds. */
export function isRasterHighlight(h: unknown): h is RasterHighlight {
  if (typeof h !== 'object' || h === null) return false;
  const x = h as Partial<RasterHighlight>;
  return (
    typeof x.population === 'string' && typeof x.label === 'string' &&
    Array.isArray(x.units) && x.units.length <= HIGHLIGHT_MAX_UNITS && x.units.every((u) => Number.isSafeInteger(u) && u >= 0) &&
    Array.isArray(x.windows) && x.windows.length <= HIGHLIGHT_MAX_WINDOWS &&
    x.windows.every((w) => Array.isArray(w) && w.length === 2 && isNum(w[0]) && isNum(w[1]) && w[0] >= 0 && w[0] < w[1])
  );
}

/** Checks a message that came from the extension to the raster (never trust its shape). */
export function isToRaster(m: unknown): m is ToRaster {
  if (typeof m === 'object' && m !== null && (m as { type?: unknown }).type === 'highlight') {
    const x = m as { runId?: unknown; highlight?: unknown };
    return typeof x.runId === 'string' && (x.highlight === null || isRasterHighlight(x.highlight));
  }
  return isRunMessage(m);
}
