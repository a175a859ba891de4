// The page's engine runs on one thread unless the page is cross-origin isolated (no
// SharedArrayBuffer for workers to share): what a run says about its threads (RunOutput.threads)
// and the plain text the run's status line shows. No DOM: tested directly (test/playground-threads.test.ts).
import type { RunOutput } from '../../protocol/sim';
import { NOT_ISOLATED_NOTE } from '../../protocol/threads';

/** RunOptions.threads for the page's engine: 1 where the page may not share memory; else the model's. */
export function pageRunThreads(isolated: boolean): number | undefined {
  return isolated ? undefined : 1;
}

/**
 * The run's threads: on a page that is not isolated, a model asking for more than one thread ran
 * (on WASM) on one and says why; otherwise what the engine reported.
 */
export function pageThreads(modelThreads: number | undefined, isolated: boolean, out: Pick<RunOutput, 'threads' | 'backend'>): RunOutput['threads'] {
  if (!isolated && out.backend !== 'webgpu' && modelThreads !== undefined && modelThreads > 1) return { requested: modelThreads, used: 1, note: NOT_ISOLATED_NOTE };
  return out.threads;
}

/** `threads: <why fewer>` when there is a note, else `threads: <used>`; undefined without threads. Plain text. */
export function threadsStatus(t: RunOutput['threads']): string | undefined {
  if (!t) return undefined;
  return `threads: ${t.note ?? t.used}`;
}
