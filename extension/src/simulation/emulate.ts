// "Spikeworks: Emulate on Target": runs the model on a hardware target its `target NAME = KIND
// { … }` blocks describe (loihi2, spinnaker2, sfq: engine.ts emulateOnTarget, the float run on the same
// seed beside it) and shows the Target Report panel (extension/src/panels/target-report.ts:
// fidelity, cores against the limits as a chart, energy estimate, quantisation steps). The
// emulation runs in the simulation worker (sim-host/src/host.ts startEmulation), never on the
// extension host's thread; Cancel ends the worker.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RunRefused, RunTerminated, startEmulation } from '../../../sim-host/src/host';
import type { Notifier } from '../notify';
import type { TargetReportPanels } from '../panels/target-report';
import { fileName, loadModel, readRootsFor } from './model';
import type { TargetReport } from '../../../protocol/target-report';

export async function emulateDocument(doc: vscode.TextDocument, extensionPath: string, notify: Notifier, reports: TargetReportPanels): Promise<void> {
  const key = doc.uri.toString();
  const name = fileName(key);
  const roots = readRootsFor((vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath), doc.uri.fsPath);
  const loaded = loadModel(key, doc.getText(), path.join(extensionPath, 'dist'), { trusted: vscode.workspace.isTrusted, roots });
  if (!loaded.ok) {
    const first = loaded.errors[0];
    void notify.error(`${name} has errors; fix them to emulate it.${first ? ` (line ${first.line + 1}: ${first.message})` : ''}`);
    return;
  }
  const ir = loaded.ir;
  const targets = ir.targets.filter((t) => t.kind === 'loihi2' || t.kind === 'spinnaker2' || t.kind === 'sfq');
  if (!targets.length) {
    void notify.info(`${name} has no loihi2, spinnaker2 or sfq target; add one, e.g. \`target chip = loihi2 { neurons_per_core: 1024 }\`.`);
    return;
  }
  const pick = targets.length === 1 ? { label: targets[0].name } : await notify.pick(targets.map((t) => ({ label: t.name, description: t.kind })), { title: 'Emulate on Target', placeHolder: 'Target' });
  if (!pick) return;
  let report: TargetReport;
  try {
    const body = await notify.progress({ location: vscode.ProgressLocation.Notification, title: `Emulating ${name} on ${pick.label}…`, cancellable: true }, async (_p, token) => {
      const run = startEmulation(ir, { baseDir: path.dirname(doc.uri.fsPath), readRoots: roots }, pick.label, path.join(extensionPath, 'dist', 'sim-worker.js'), name);
      const sub = token.onCancellationRequested(() => void run.terminate());
      try {
        return await run.result;
      } finally {
        sub.dispose();
      }
    });
    report = body.report;
  } catch (e) {
    if (e instanceof RunTerminated) return;
    if (e instanceof RunRefused) {
      void notify.error(`${name} was not emulated on ${pick.label}: ${e.message}`);
      return;
    }
    throw e;
  }
  reports.show(key, report);
}
