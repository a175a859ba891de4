// The façade's Node side (ide.ts has no Node code): the disk host and the prelude, read once per
// folder per process, so that callers never load the prelude per model.
import { loadPrelude, nodeHost } from './node-host';
import type { PreludeFile } from './program';

export { nodeHost };

const preludes = new Map<string, PreludeFile[]>();

/**
 * The prelude found from `dir` (node-host's search: `dir/prelude`, `dir/../prelude`, the source
 * tree's language-server/prelude, …), loaded on first use. Default: next to the bundle.
 */
export function preludeAt(dir: string = __dirname): PreludeFile[] {
  let p = preludes.get(dir);
  if (!p) preludes.set(dir, (p = loadPrelude(dir)));
  return p;
}
