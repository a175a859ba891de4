// The spike raster panel's channel (extension ↔ webviews/raster). The run data and the shared
// messages are in panel-data.ts; this module names the panel and what only it sends.
import type { PanelMessage, RunMessage } from './panel-data';
import { isPanelMessage } from './panel-data';

export const RASTER_VIEW_TYPE = 'spikeworks.raster';

/** extension → raster webview */
export type ToRaster = RunMessage;

/** raster webview → extension */
export type FromRaster = PanelMessage;

export const isFromRaster = (m: unknown): m is FromRaster => isPanelMessage(m);
