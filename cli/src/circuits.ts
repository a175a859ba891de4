// `spikeworks circuits FILE [--task T] [--threshold X] [--intervention silence|mean|resample|patch]
// [--seed N] [--draws K] [--workers N] [--retrain] [--format text|json]`: circuit discovery
// (sim-host/src/analysis/circuits) on a pool of worker threads: per task the components whose
// removal lowers its readout's accuracy by more than the threshold, beside a random-ablation
// control; reuse per pair of tasks; Merullo-style patching. Progress on a terminal; Ctrl-C stops
// it and prints what was found so far. Bad input says what is wrong, with the model's
// file:line:column where it comes from the file.
// Exit codes: 0 done, 1 nothing to analyse (the message says why), 2 bad usage or internal
// failure, 130 stopped.
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { Intervention } from '../../protocol/circuits';
import { CircuitsError, circuitsText, tasksToAnalyse } from '../../sim-host/src/analysis/circuits/index';
import { RunRefused, RunTerminated, startCircuits, type CircuitsHandle } from '../../sim-host/src/host';
import { stopOnCtrlC } from './interrupt';
import { checkWorkspace, loadModel } from './load';
import { readRoots } from './run';

export const INTERVENTIONS: readonly Intervention[] = ['silence', 'mean', 'resample', 'patch'];

export interface CircuitsArgs {
  file: string;
  task?: string;
  threshold?: number;
  intervention?: Intervention;
  seed?: number;
  draws?: number;
  workers?: number;
  retrain?: boolean;
  format: 'text' | 'json';
}

/** `file:line:column` of a model item (the file's first line when it cannot be found). */
function placeOf(file: string, where: { kind: string; name: string } | undefined): string {
  const abs = path.resolve(file);
  const shown = path.relative(process.cwd(), abs) || abs;
  const at = where ? checkWorkspace([abs]).locateItem(URI.file(abs).toString(), where) : undefined;
  return `${shown}:${at ? `${at.line}:${at.column}` : '1:1'}`;
}

export async function circuitsCommand(a: CircuitsArgs): Promise<number> {
  const ir = loadModel(a.file, 'no circuits found');
  if (!ir) return 1;
  try {
    tasksToAnalyse(ir, a.task);
  } catch (e) {
    if (!(e instanceof CircuitsError)) throw e;
    // A --task the model lacks is the command line's mistake; the others are the file's.
    if (a.task !== undefined && !ir.tasks.some((t) => t.name === a.task)) process.stderr.write(`spikeworks: ${e.message}\n`);
    else process.stderr.write(`${placeOf(a.file, e.where)}: error: ${e.message}\n`);
    process.stderr.write('spikeworks: no circuits found\n');
    return 1;
  }
  const handle = startCircuits(ir, {
    task: a.task, threshold: a.threshold, intervention: a.intervention, seed: a.seed, controlDraws: a.draws, workers: a.workers, retrain: a.retrain,
    baseDir: path.dirname(path.resolve(a.file)), readRoots: readRoots(a.file), source: path.basename(a.file),
  }, circuitsProgress('runs'));
  return reportCircuits(handle, a.format, (e) => (e instanceof RunRefused ? `${e.code === 'readout' ? '' : 'run refused: '}${e.message}` : undefined));
}

/** Progress on a terminal's stderr: `circuits: done/total <what> (label)`. */
export function circuitsProgress(what: string): (done: number, total: number, label?: string) => void {
  const tty = process.stderr.isTTY === true;
  return (done, total, label) => {
    if (tty) process.stderr.write(`\rcircuits: ${done}/${total} ${what}${label ? ` (${label})` : ''}\x1b[K`);
  };
}

/**
 * Waits for a circuits analysis (spiking or ONNX), Ctrl-C stopping it, and prints its result;
 * `refused` says why a rejection is the input's fault (exit 1), undefined for a failure (exit 2).
 */
export async function reportCircuits(handle: CircuitsHandle, format: 'text' | 'json', refused: (e: unknown) => string | undefined): Promise<number> {
  const tty = process.stderr.isTTY === true;
  const end = stopOnCtrlC(handle, 'the analysis');
  try {
    const r = await handle.result;
    if (tty) process.stderr.write('\r\x1b[K');
    process.stdout.write(format === 'json' ? JSON.stringify(r, null, 1) + '\n' : circuitsText(r));
    return r.cancelled ? 130 : 0;
  } catch (e) {
    if (tty) process.stderr.write('\n');
    if (e instanceof RunTerminated) {
      process.stderr.write('spikeworks: stopped; no circuits found\n');
      return 130;
    }
    const why = refused(e);
    if (why !== undefined) {
      process.stderr.write(`spikeworks: ${why}\nspikeworks: no circuits found\n`);
      return 1;
    }
    process.stderr.write(`spikeworks: circuit discovery failed: ${(e as Error).message}\n`);
    return 2;
  } finally {
    end();
  }
}
