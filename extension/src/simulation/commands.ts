// The simulation commands, the CodeLens, the editor-title buttons' context key and the panels:
// everything "Run Simulation" needs, wired to one Runner.
import * as vscode from 'vscode';
import { Notifier } from '../notify';
import { Panels, type PanelKind } from '../panels/panels';
import { SimulateCodeLens } from './codelens';
import { Runner } from './runner';
import { BACKENDS, type Backend } from './settings';
import { RunStatusBar } from './status-bar';
import { SweepRunner } from './sweep';
import { TargetReportPanels } from '../panels/target-report';
import { emulateDocument } from './emulate';
import { DescribeRunner } from './describe';
import { CircuitsPanels } from '../panels/circuits';
import { showCircuitReuse } from './circuits';

/**
 * The .snn document a command is about: its argument (CodeLens, editor title), the active
 * editor, the model of the focused result panel, or (from a walkthrough) the visible or last model.
 */
async function targetDocument(arg: unknown, panels: Panels, notify: Notifier, lastModel: vscode.Uri | undefined): Promise<vscode.TextDocument | undefined> {
  const fromPanel = panels.activePanelDocument();
  // A command run from a walkthrough (or another editor that is not text): the .snn model that is
  // visible, else the one last edited.
  const visible = vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'snn')?.document.uri;
  const uri = arg instanceof vscode.Uri ? arg : fromPanel ? vscode.Uri.parse(fromPanel) : (vscode.window.activeTextEditor?.document.uri ?? visible ?? lastModel);
  if (!uri) {
    void notify.info('Open a .snn model to run it.');
    return undefined;
  }
  const doc = await vscode.workspace.openTextDocument(uri);
  if (doc.languageId !== 'snn') {
    void notify.info(`${uri.path.split('/').pop()} is not a Spikeworks model (.snn).`);
    return undefined;
  }
  return doc;
}

/** The Descriptions and Circuits panels, for the ONNX commands (extension.ts) to show their results in. */
export interface ResultPanels {
  runner: Runner;
  describer: DescribeRunner;
  circuits: CircuitsPanels;
  notify: Notifier;
}

export function registerSimulation(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): ResultPanels {
  // Every notification, progress title and quick pick goes through here (model text made plain).
  const notify = new Notifier(vscode.window);
  const status = new RunStatusBar();
  const storage = (context.storageUri ?? context.globalStorageUri).fsPath;
  const runner = new Runner(context.extensionPath, storage, log, status, notify);
  const panels = new Panels(context.extensionUri, runner, log, notify);
  const lens = new SimulateCodeLens(runner);
  const sweeps = new SweepRunner(context.extensionUri, log, notify);
  const describer = new DescribeRunner(context.extensionUri, log, notify, {
    adoptRun: (document, ir, output, backend) => runner.adopt(document, ir, output, backend)?.info.runId,
    latestRunId: (document) => runner.latestRun(document)?.info.runId,
    highlight: (document, runId, highlight) => panels.highlight(document, runId, highlight),
  });
  const reports = new TargetReportPanels(context.extensionUri, log, notify);
  const circuits = new CircuitsPanels(context.extensionUri, log, notify);

  const updateContext = () => {
    void vscode.commands.executeCommand('setContext', 'spikeworks.runningResources', runner.runningDocuments());
    void vscode.commands.executeCommand('setContext', 'spikeworks.running', runner.runningDocuments().length > 0);
  };
  updateContext();

  // The .snn model last active in an editor (for commands run from a walkthrough).
  let lastModel: vscode.Uri | undefined;
  const remember = (e: vscode.TextEditor | undefined) => {
    if (e?.document.languageId === 'snn') lastModel = e.document.uri;
  };
  remember(vscode.window.activeTextEditor);
  context.subscriptions.push(vscode.window.onDidChangeActiveTextEditor(remember));

  const run = async (arg: unknown, backend?: Backend) => {
    const doc = await targetDocument(arg, panels, notify, lastModel);
    return doc ? runner.run(doc, backend) : undefined;
  };
  const showPanel = async (kind: PanelKind, arg: unknown) => {
    const doc = await targetDocument(arg, panels, notify, lastModel);
    if (doc) panels.show(kind, doc.uri.toString());
  };

  context.subscriptions.push(
    status,
    runner,
    panels,
    runner.onDidChangeRunning(updateContext),
    vscode.languages.registerCodeLensProvider({ language: 'snn' }, lens),
    vscode.commands.registerCommand('spikeworks.runSimulation', (arg: unknown) => run(arg)),
    vscode.commands.registerCommand('spikeworks.runWithBackend', async (arg: unknown) => {
      const pick = await notify.pick(
        BACKENDS.map((b) => ({ label: b, description: b === 'auto' ? 'WebGPU on a GPU, else WebAssembly' : b === 'webgpu' ? 'WebGPU (any adapter; WASM with the reason when there is none)' : 'WebAssembly (SIMD)' })),
        { title: 'Run with Backend', placeHolder: 'Simulation backend' },
      );
      return pick ? run(arg, pick.label as Backend) : undefined;
    }),
    vscode.commands.registerCommand('spikeworks.stopSimulation', async (arg: unknown) => {
      const uri = arg instanceof vscode.Uri ? arg.toString() : undefined;
      const active = panels.activePanelDocument() ?? vscode.window.activeTextEditor?.document.uri.toString();
      await runner.stop(uri ?? (active && runner.isRunning(active) ? active : undefined));
    }),
    vscode.commands.registerCommand('spikeworks.showRaster', (arg: unknown) => showPanel('raster', arg)),
    vscode.commands.registerCommand('spikeworks.showTraces', (arg: unknown) => showPanel('traces', arg)),
    sweeps,
    reports,
    vscode.commands.registerCommand('spikeworks.runSweep', async (arg: unknown) => {
      const doc = await targetDocument(arg, panels, notify, lastModel);
      if (doc) await sweeps.run(doc);
    }),
    vscode.commands.registerCommand('spikeworks.emulateOnTarget', async (arg: unknown) => {
      const doc = await targetDocument(arg, panels, notify, lastModel);
      if (doc) await emulateDocument(doc, context.extensionPath, notify, reports);
    }),
    describer,
    vscode.commands.registerCommand('spikeworks.describeNeurons', async (arg: unknown) => {
      const doc = await targetDocument(arg, panels, notify, lastModel);
      if (doc) await describer.run(doc);
    }),
    circuits,
    vscode.commands.registerCommand('spikeworks.showCircuitReuse', async (arg: unknown) => {
      const doc = await targetDocument(arg, panels, notify, lastModel);
      if (doc) await showCircuitReuse(doc, context.extensionPath, notify, log, circuits);
    }),
  );
  return { runner, describer, circuits, notify };
}
