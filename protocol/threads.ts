// The WASM engine's worker count as users see it (issue 24): its bounds, which count a run asks
// for, the warning when that is more than the machine's cores, and the line a run's summary
// shows (RunOutput.threads). Shared by the checker, the CLI, the extension and the playground.
import type { RunOutput } from './sim';

/** The most workers `simulate { threads }`, `--threads` and the setting may ask for. */
export const MAX_THREADS = 1024;

/** A browser page that is not cross-origin isolated runs the engine on one thread (no SharedArrayBuffer). */
export const NOT_ISOLATED_NOTE = 'ran on one thread (this page is not cross-origin isolated)';

/** A count is a whole number from 1 to MAX_THREADS. */
export function isThreadCount(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= MAX_THREADS;
}


/**
 * The one-line warning when `requested` is more than the machine's `cores` (allowed, but the
 * workers then share cores): `what` names where the count came from (`--threads 8`,
 * `threads: 8 in model.snn`). Undefined when it is not more.
 */
export function threadsWarning(what: string, requested: number, cores: number): string | undefined {
  if (!(requested > cores)) return undefined;
  return `warning: ${what} on a machine with ${cores} core${cores === 1 ? '' : 's'}: allowed, but slower than ${cores}`;
}

/**
 * A run's warning: the override (`--threads`, the extension's setting) when given, else the
 * model's `simulate { threads }`, each named by `name(n)` for the message; absent both, the run
 * takes the cores (no warning). None for a run sent to WebGPU (it has no workers).
 */
export function runThreadsWarning(
  override: { n?: number; name: (n: number) => string },
  model: { n?: number; name: (n: number) => string },
  backend: string,
  cores: number,
): string | undefined {
  if (backend === 'webgpu') return undefined;
  const from = override.n !== undefined ? override : model;
  return from.n === undefined ? undefined : threadsWarning(from.name(from.n), from.n, cores);
}

/** The summary's line: `threads: 2 (asked 4)`, then `; ` and the note when there is one. Plain text. */
export function threadsLine(t: NonNullable<RunOutput['threads']>): string {
  return `threads: ${t.used} (asked ${t.requested})${t.note ? `; ${t.note}` : ''}`;
}
