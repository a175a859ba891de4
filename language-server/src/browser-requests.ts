// Requests the browser entry of the server (browser-main.ts) answers beyond LSP, for pages that
// host it (the playground): names and shapes only, so a page can import them without the server.
import type { ModelOutcome } from './ide';

/** `spikeworks/lowerModel`: a document's text checked and lowered through the façade (ide.ts). */
export const LOWER_MODEL = 'spikeworks/lowerModel';

export interface LowerModelParams {
  uri: string;
  text: string;
}

export type LowerModelResult = ModelOutcome;
