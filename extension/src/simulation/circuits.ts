// "Spikeworks: Show Circuit Reuse": lowers the active .snn document (the editor's text, as
// Describe Neurons does), asks which task (or all of them) to find circuits for, runs circuit
// discovery on the simulation worker pool (sim-host/src/host.ts startCircuits) under one
// cancellable progress notification, and shows the Circuits panel (extension/src/panels/circuits.ts).
// A model with no task that has a readout is refused with what to add; a cancelled analysis
// shows what it had found, marked partial.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CircuitsResult } from '../../../protocol/circuits';
import type { ModelIR } from '../../../protocol/ir';
import * as host from '../../../sim-host/src/host';
import type { Notifier } from '../notify';
import type { CircuitsPanels } from '../panels/circuits';
import { documentModel } from './document-model';
import { scoredTasks } from './model';
import { runSettings } from './settings';

// The contract of startCircuits (api.md): until it is on this branch, it is looked up on host.ts
// at run time, and the command says it is missing instead of running anything else.
interface CircuitsHandle {
  result: Promise<CircuitsResult>;
  cancel(): void;
  terminate(): Promise<void>;
}
type StartCircuits = (
  ir: ModelIR,
  options: { task?: string; seed?: number; baseDir?: string; readRoots?: string[]; source?: string },
  onProgress?: (done: number, total: number, label?: string) => void,
  workerFile?: string,
) => CircuitsHandle;
const startCircuits = (host as unknown as { startCircuits?: StartCircuits }).startCircuits;

export async function showCircuitReuse(doc: vscode.TextDocument, extensionPath: string, notify: Notifier, log: vscode.LogOutputChannel, panels: CircuitsPanels): Promise<void> {
  const model = documentModel(doc, extensionPath, notify, 'to find its circuits');
  if (!model) return;
  const { ir, name, roots } = model;
  const tasks = scoredTasks(ir);
  if (tasks.length === 0) {
    void notify.error(
      ir.tasks.length === 0
        ? `Show Circuit Reuse: ${name} has no task. Add a task with labelled windows (task trials { stimulus: cue; window 0 ms .. 100 ms: "A" }) and a readout that scores it (readout r = ridge { from: exc; task: trials }).`
        : `Show Circuit Reuse: no readout scores a task of ${name} (${ir.tasks.map((t) => t.name).join(', ')}). Add one: readout r = ridge { from: <population>; task: ${ir.tasks[0].name} }.`,
    );
    return;
  }
  let task: string | undefined;
  if (tasks.length > 1) {
    const all = { label: 'All tasks', description: `${tasks.length} tasks: circuits, reuse between each pair, patching`, task: undefined as string | undefined };
    const pick = await notify.pick([all, ...tasks.map((t) => ({ label: t, description: 'this task’s circuit only', task: t as string | undefined }))], { title: 'Show Circuit Reuse', placeHolder: 'Which task’s circuit to find' });
    if (!pick) return;
    task = pick.task;
  }
  if (!startCircuits) {
    void notify.error('Show Circuit Reuse: circuit discovery (startCircuits) is not in this build of Spikeworks.');
    return;
  }
  const settings = runSettings(doc.uri);
  const result = await notify.progress({ location: vscode.ProgressLocation.Notification, title: `Circuits: ${name}${task ? ` (${task})` : ''}`, cancellable: true }, async (progress, token) => {
    const handle = startCircuits(
      ir,
      { ...(task !== undefined ? { task } : {}), ...(settings.seed !== undefined ? { seed: settings.seed } : {}), baseDir: path.dirname(doc.uri.fsPath), readRoots: roots, source: name },
      (done, total, label) => progress.report({ message: `${label ? `${label}: ` : ''}${done} of ${total} runs` }),
      path.join(extensionPath, 'dist', 'sim-worker.js'),
    );
    let grace: NodeJS.Timeout | undefined;
    const sub = token.onCancellationRequested(() => {
      handle.cancel();
      // A cancelled analysis answers with what it found; a worker that does not answer is ended.
      grace = setTimeout(() => void handle.terminate(), 5000);
    });
    try {
      return await handle.result;
    } catch (e) {
      if (!token.isCancellationRequested) void notify.error(`Show Circuit Reuse failed: ${(e as Error).message}`);
      return undefined;
    } finally {
      sub.dispose();
      clearTimeout(grace);
    }
  });
  if (!result) return;
  log.info(`${name}: circuits of ${result.tasks.length} tasks over ${result.components.length} components, ${result.runs} runs in ${result.seconds.toFixed(1)} s${result.cancelled ? ' (cancelled: partial)' : ''}`);
  if (result.cancelled) void notify.warn(`Show Circuit Reuse: stopped early; the panel shows what was found so far.`);
  panels.show(doc.uri.toString(), result);
}
