// "Spikeworks: Show Circuit Reuse": lowers the active .snn document (the editor's text, as
// Describe Neurons does), asks which task (or all of them) to find circuits for, runs circuit
// discovery on the simulation worker pool (sim-host/src/host.ts startCircuits) under one
// cancellable progress notification, and shows the Circuits panel (extension/src/panels/circuits.ts).
// A model with no task that has a readout is refused with what to add, at its line; a cancelled
// analysis shows what it had found, marked partial.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { CircuitsError, tasksToAnalyse } from '../../../sim-host/src/analysis/circuits/index';
import { RunRefused, RunTerminated, startCircuits } from '../../../sim-host/src/host';
import type { Notifier } from '../notify';
import type { CircuitsPanels } from '../panels/circuits';
import { documentModel } from './document-model';
import { circuitTasks, itemPlace } from './model';
import { circuitSettings, runSettings } from './settings';

export async function showCircuitReuse(doc: vscode.TextDocument, extensionPath: string, notify: Notifier, log: vscode.LogOutputChannel, panels: CircuitsPanels): Promise<void> {
  const model = documentModel(doc, extensionPath, notify, 'to find its circuits');
  if (!model) return;
  const { ir, name, roots } = model;
  // What circuit discovery itself refuses (no task with a readout), said at the line it concerns.
  const refuse = (e: CircuitsError) => {
    const at = e.where ? itemPlace(doc.uri.toString(), doc.getText(), e.where) : undefined;
    void notify.error(`Show Circuit Reuse: ${at ? `${name}:${at.line}:${at.column}: ` : ''}${e.message}`);
  };
  try {
    tasksToAnalyse(ir);
  } catch (e) {
    if (!(e instanceof CircuitsError)) throw e;
    refuse(e);
    return;
  }
  const tasks = circuitTasks(ir);
  let task: string | undefined;
  if (tasks.length > 1) {
    const all = { label: 'All tasks', description: `${tasks.length} tasks: circuits, reuse between each pair, patching`, task: undefined as string | undefined };
    const pick = await notify.pick([all, ...tasks.map((t) => ({ label: t, description: 'this task’s circuit only', task: t as string | undefined }))], { title: 'Show Circuit Reuse', placeHolder: 'Which task’s circuit to find' });
    if (!pick) return;
    task = pick.task;
  }
  const settings = runSettings(doc.uri);
  const circuit = circuitSettings(doc.uri);
  const result = await notify.progress({ location: vscode.ProgressLocation.Notification, title: `Circuits: ${name}${task ? ` (${task})` : ''}`, cancellable: true }, async (progress, token) => {
    const handle = startCircuits(
      ir,
      { ...circuit, ...(task !== undefined ? { task } : {}), ...(settings.seed !== undefined ? { seed: settings.seed } : {}), baseDir: path.dirname(doc.uri.fsPath), readRoots: roots, source: name },
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
      if (e instanceof CircuitsError) refuse(e);
      else if (!(e instanceof RunTerminated) && !(e instanceof RunRefused && e.code === 'cancelled')) void notify.error(`Show Circuit Reuse failed: ${(e as Error).message}`);
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
