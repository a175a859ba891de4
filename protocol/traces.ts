// The traces panel's channel (extension ↔ webviews/traces): probed variables, population rate
// histogram, ISI distribution. Run data and shared messages are in panel-data.ts.
import type { PanelMessage, RunMessage } from './panel-data';
import { isPanelMessage } from './panel-data';

export const TRACES_VIEW_TYPE = 'spikeworks.traces';

/** extension → traces webview */
export type ToTraces = RunMessage;

/** traces webview → extension (it has no 'reveal'; the shape is checked the same way). */
export type FromTraces = Exclude<PanelMessage, { type: 'reveal' }>;

export const isFromTraces = (m: unknown): m is FromTraces => isPanelMessage(m) && m.type !== 'reveal';
