// The WASM engine's worker count in the extension (issue 24): the `spikeworks.simulation.threads`
// setting as RunOptions.threads, the output channel's warning when a run asks for more than the
// extension host's cores, and the log line saying where a run ran (backend, note, threads).
// No vscode import: tested directly (test/extension-threads.test.ts).
import * as os from 'node:os';
import type { ModelIR } from '../../../protocol/ir';
import type { RunOutput } from '../../../protocol/sim';
import { isThreadCount, runThreadsWarning, threadsLine } from '../../../protocol/threads';

/** The setting's value as RunOptions.threads: a count from 1 to 1024; 0 (the default) or anything else: undefined. */
export function threadsSetting(raw: unknown): number | undefined {
  return typeof raw === 'number' && isThreadCount(raw) ? raw : undefined;
}

/** The warning for one run (the setting, else the model's `threads:`, above the cores), for the output channel. */
export function runWarning(file: string, setting: number | undefined, ir: ModelIR, backend: string, cores = os.availableParallelism()): string | undefined {
  const w = runThreadsWarning(
    { n: setting, name: (n) => `spikeworks.simulation.threads ${n}` },
    { n: ir.simulate.threads, name: (n) => `threads: ${n} (simulate in ${file})` },
    backend,
    cores,
  );
  return w && `${file}: ${w}`;
}

/** `ran on wasm (why not webgpu); threads: 2 (asked 4); why fewer`: plain text for the log. */
export function ranOn(output: Pick<RunOutput, 'backend' | 'backendNote' | 'threads'>): string {
  return `ran on ${output.backend ?? 'wasm'}${output.backendNote ? ` (${output.backendNote})` : ''}${output.threads ? `; ${threadsLine(output.threads)}` : ''}`;
}
