// The page's engine runs on one thread: the page is not cross-origin isolated (no
// SharedArrayBuffer for workers to share), and the partitioned engine's workers are Node's
// worker_threads. What a run says about its threads (RunOutput.threads) and the plain text the
// run's status line shows. No DOM: tested directly (test/playground-threads.test.ts).
import type { RunOutput } from '../../protocol/sim';
import { NOT_ISOLATED_NOTE } from '../../protocol/threads';

/** RunOptions.threads for the page's engine: always one (a model's `threads:` is reported by pageThreads). */
export const PAGE_RUN_THREADS = 1;

/** Why a page that is cross-origin isolated still ran a model's `threads:` on one thread. */
export const PAGE_ENGINE_NOTE = 'ran on one thread (the engine in a page runs on one thread)';

/**
 * The run's threads: a model asking for more than one thread ran (on WASM) on one, and says
 * why; otherwise what the engine reported.
 */
export function pageThreads(modelThreads: number | undefined, isolated: boolean, out: Pick<RunOutput, 'threads' | 'backend'>): RunOutput['threads'] {
  if (out.backend !== 'webgpu' && modelThreads !== undefined && modelThreads > 1) return { requested: modelThreads, used: 1, note: isolated ? PAGE_ENGINE_NOTE : NOT_ISOLATED_NOTE };
  return out.threads;
}

/** `threads: <why fewer>` when there is a note, else `threads: <used>`; undefined without threads. Plain text. */
export function threadsStatus(t: RunOutput['threads']): string | undefined {
  if (!t) return undefined;
  return `threads: ${t.note ?? t.used}`;
}
