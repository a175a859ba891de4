// How a run's progress and end are shown, without VS Code types (unit-tested in Node): the
// progress notification's text while long connection rules are built, and what a finished
// worker's output means for the run (its status, the message, and whether it is an error or a
// warning). The texts may quote the model (connection names): they are shown through notify.ts.
import type { RunStatus } from '../../../protocol/panel-data';
import { isReadoutScore, readoutLine, readoutShort } from '../../../protocol/readout';
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

/**
 * How a run's readout scores are shown (plain text; the worker scored them before answering):
 * `panel`, one short line per readout for the raster's header; `notice`, the sentence of the
 * run's notification; `log`, the full lines (why a readout was not evaluated included) for the
 * output channel. Undefined when the model has no readouts.
 */
export function readoutReport(fileName: string, output: Pick<RunOutput, 'readouts'>): { panel: string[]; notice: string; log: string[] } | undefined {
  const rs = output.readouts;
  if (!rs || rs.length === 0) return undefined;
  const scored = rs.filter(isReadoutScore);
  const failed = rs.length - scored.length;
  const parts = scored.map((r) => `readout ${r.readout} ${(100 * r.value).toFixed(1)} % correct (chance ${(100 * r.chance).toFixed(1)} %, ${r.trials} windows of ${r.task})`);
  if (failed) parts.push(`${failed} readout${failed > 1 ? 's' : ''} not evaluated (see the Spikeworks output)`);
  return { panel: rs.map(readoutShort), notice: `${fileName}: ${parts.join('; ')}`, log: rs.map((r) => `${fileName}: ${readoutLine(r)}`) };
}
