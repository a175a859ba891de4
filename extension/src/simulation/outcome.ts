// How a run's progress and end are shown, without VS Code types (unit-tested in Node): the
// progress notification's text while long connection rules are built, and what a finished
// worker's output means for the run (its status, the message, and whether it is an error or a
// warning). The texts may quote the model (connection names): they are shown through notify.ts.
import type { RunStatus } from '../../../protocol/panel-data';
import type { RunOutput } from '../../../protocol/sim';

/** "building connections a -> b (distance) … 42 %": the engine's label and how far it got. */
export function buildProgressMessage(label: string, done: number, total: number): string {
  const pct = total > 0 && Number.isFinite(done) ? Math.max(0, Math.min(100, Math.floor((100 * done) / total))) : 0;
  return `${label.trim() || 'building connections'} … ${pct} %`;
}

/** How a run that produced an output ends. */
export interface RunEnd {
  status: Exclude<RunStatus, 'running'>;
  /** The engine's message (why it stopped early), when there is one. */
  message?: string;
  /** How the message is shown: an error (NaN/Inf, device lost) or a warning (recording limit). */
  notice?: 'error' | 'warning';
}

/**
 * A run stopped by NaN/Inf (or any engine error) failed; one stopped because the recorded spikes
 * used up the memory limit ended cleanly with what it recorded: kept like a cancelled run, its
 * message (naming the limit and spikeworks.memoryLimitMB) shown as a warning.
 */
export function runEnd(output: Pick<RunOutput, 'cancelled' | 'error' | 'stopReason'>): RunEnd {
  if (output.stopReason === 'recording-limit') {
    return { status: 'cancelled', message: output.error ?? 'recorded spikes reached the memory limit (spikeworks.memoryLimitMB)', notice: 'warning' };
  }
  if (output.error) return { status: 'failed', message: output.error, notice: 'error' };
  return { status: output.cancelled ? 'cancelled' : 'done' };
}
