// The ONNX model commands (Explorer context menu and the editor title of a .onnx file, the
// graph editor's buttons): Record Activations… (an input set, the nodes — all by default — and
// where to write: .npy per node and a JSON index), Describe Neurons (→ the Descriptions panel, with
// ANN units) and Show Circuit Reuse (→ the Circuits panel). They run the model off the extension
// host's thread (a worker) under one cancellable progress notification, and refuse, saying why,
// in an untrusted workspace (onnx-gate.ts).
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { OnnxCommand } from '../../protocol/onnx-editor';
import type { Notifier } from './notify';
import { ONNX_COMMAND_IDS, onnxRefusal, onnxTarget } from './onnx-gate';

/** A job on a worker: its result, a polite stop (the result then holds what was done) and a hard one. */
export interface OnnxHandle<T> {
  result: Promise<T>;
  cancel(): void;
  terminate(): Promise<void>;
}

export type OnnxProgress = (done: number, total: number, label?: string) => void;

/** What the commands run (sim-host's workers); commands.ts wires the real ones. */
export interface OnnxRunners<R, D, C> {
  /** The model's nodes as Record Activations names them (throws a message naming the file). */
  nodes(model: string): { name: string; opType: string }[];
  record(model: string, inputs: string, outDir: string, nodes: readonly string[] | undefined, progress: OnnxProgress): OnnxHandle<R>;
  recorded(result: R): string;
  describe?(model: string, inputs: string, progress: OnnxProgress): OnnxHandle<D>;
  showDescriptions?(model: vscode.Uri, result: D): void;
  /** One task set per task (NAME.npy + NAME.csv: the task is NAME). */
  circuits?(model: string, taskSets: readonly string[], progress: OnnxProgress): OnnxHandle<C>;
  showCircuits?(model: vscode.Uri, result: C): void;
}

export const INPUT_SET_FILTERS = { 'Input sets (.npy, .csv)': ['npy', 'csv'] };

/** Runs `start` under a cancellable progress notification; undefined when cancelled or failed (the failure said). */
export async function withWorker<T>(notify: Notifier, title: string, unit: string, start: (progress: OnnxProgress) => OnnxHandle<T>): Promise<T | undefined> {
  return notify.progress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    let handle: OnnxHandle<T>;
    try {
      // Reading the model and the input set can refuse them (a file that does not fit, a CSV error at its line).
      handle = start((done, total, label) => progress.report({ message: `${label ? `${label}: ` : ''}${done.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} ${unit}` }));
    } catch (e) {
      void notify.error(`${title}: ${(e as Error).message}`);
      return undefined;
    }
    let grace: NodeJS.Timeout | undefined;
    let stopped = false;
    const sub = token.onCancellationRequested(() => {
      stopped = true;
      handle.cancel();
      grace = setTimeout(() => void handle.terminate(), 3000);
    });
    try {
      return await handle.result;
    } catch (e) {
      if (!stopped) void notify.error(`${title} failed: ${(e as Error).message}`);
      return undefined;
    } finally {
      sub.dispose();
      clearTimeout(grace);
    }
  });
}

export function registerOnnxCommands<R, D, C>(
  context: vscode.ExtensionContext,
  log: vscode.LogOutputChannel,
  notify: Notifier,
  activeModel: () => vscode.Uri | undefined,
  runners: OnnxRunners<R, D, C>,
): void {
  /** The model to act on, or undefined after saying why not. */
  const target = async (command: OnnxCommand, arg: unknown): Promise<vscode.Uri | undefined> => {
    const uri = onnxTarget(arg, activeModel());
    const why = onnxRefusal(command, uri, vscode.workspace.isTrusted);
    if (!why) return uri;
    if (!vscode.workspace.isTrusted && uri) {
      if ((await notify.warn(why, 'Manage Workspace Trust')) === 'Manage Workspace Trust') void vscode.commands.executeCommand('workbench.trust.manage');
    } else void notify.warn(why);
    return undefined;
  };
  const inputSet = async (model: vscode.Uri, title: string): Promise<vscode.Uri | undefined> => {
    const picked = await vscode.window.showOpenDialog({ title: `${title}: the input set`, defaultUri: vscode.Uri.joinPath(model, '..'), canSelectMany: false, filters: INPUT_SET_FILTERS, openLabel: 'Use this input set' });
    return picked?.[0];
  };

  const record = async (arg: unknown) => {
    const model = await target('record', arg);
    if (!model) return;
    const name = path.basename(model.fsPath);
    const inputs = await inputSet(model, 'Record Activations');
    if (!inputs) return;
    // The nodes: every one (the default), or those picked from the graph.
    let nodes: string[] | undefined;
    let graph: { name: string; opType: string }[];
    try {
      graph = runners.nodes(model.fsPath);
    } catch (e) {
      void notify.error(`Record Activations: ${(e as Error).message}`);
      return;
    }
    const all = { label: `Every node (${graph.length.toLocaleString('en-US')})`, description: 'each node’s first output', nodes: undefined as string[] | undefined };
    const choose = { label: 'Choose nodes…', description: 'pick some from the graph', nodes: [] as string[] | undefined };
    const which = await notify.pick([all, choose], { title: 'Record Activations: which nodes', placeHolder: `${name}: record every node, or choose` });
    if (!which) return;
    if (which === choose) {
      const items = graph.map((n) => ({ label: n.name, description: n.opType, node: n.name }));
      const picked = await notify.pickMany(items, { title: 'Record Activations: nodes to record', placeHolder: 'Type to filter by name; Space to tick' });
      if (!picked?.length) return;
      nodes = picked.map((p) => p.node);
    }
    // Where: next to the model, or a folder the user picks.
    const stem = name.replace(/\.onnx$/i, '');
    const near = vscode.Uri.joinPath(model, '..', `${stem}-activations`);
    const place = await notify.pick(
      [
        { label: `Next to the model: ${stem}-activations/`, description: path.dirname(model.fsPath), dir: near as vscode.Uri | undefined },
        { label: 'Choose a folder…', description: '', dir: undefined as vscode.Uri | undefined },
      ],
      { title: 'Record Activations: where to write the .npy files and index.json' },
    );
    if (!place) return;
    let out = place.dir;
    if (!out) out = (await vscode.window.showOpenDialog({ title: 'Record Activations: output folder', canSelectFiles: false, canSelectFolders: true, canSelectMany: false, defaultUri: vscode.Uri.joinPath(model, '..'), openLabel: 'Write here' }))?.[0];
    if (!out) return;
    // A folder that already holds a recording: asked before its files are replaced.
    const index = vscode.Uri.joinPath(out, 'activations.json');
    const exists = await vscode.workspace.fs.stat(index).then(
      () => true,
      () => false,
    );
    if (exists && (await notify.warn(`Record Activations: ${path.basename(out.fsPath)}/ already holds a recording (activations.json). Replace its files?`, 'Replace')) !== 'Replace') return;
    const outDir = out.fsPath;
    const result = await withWorker(notify, `Record Activations: ${name}`, 'inputs', (progress) => runners.record(model.fsPath, inputs.fsPath, outDir, nodes, progress));
    if (result === undefined) return;
    log.info(`onnx record: ${name} → ${outDir}: ${runners.recorded(result)}`);
    const open = await notify.info(`Record Activations: ${runners.recorded(result)}`, 'Reveal in Explorer');
    if (open) void vscode.commands.executeCommand('revealInExplorer', out);
  };

  const describe = async (arg: unknown) => {
    const model = await target('describe', arg);
    if (!model || !runners.describe || !runners.showDescriptions) return;
    const inputs = await inputSet(model, 'Describe Neurons');
    if (!inputs) return;
    const name = path.basename(model.fsPath);
    const result = await withWorker(notify, `Describe Neurons: ${name}`, 'units', (progress) => runners.describe!(model.fsPath, inputs.fsPath, progress));
    if (result !== undefined) runners.showDescriptions(model, result);
  };

  const circuits = async (arg: unknown) => {
    const model = await target('circuits', arg);
    if (!model || !runners.circuits || !runners.showCircuits) return;
    const sets = await vscode.window.showOpenDialog({ title: 'Show Circuit Reuse: one task set per task (NAME.npy with NAME.csv; pick two or more to compare tasks)', defaultUri: vscode.Uri.joinPath(model, '..'), canSelectMany: true, filters: INPUT_SET_FILTERS, openLabel: 'Use these task sets' });
    if (!sets?.length) return;
    // NAME.npy and NAME.csv are one task set: either file names it.
    const bases = [...new Set(sets.map((u) => u.fsPath.replace(/\.(npy|csv)$/i, '')))];
    const name = path.basename(model.fsPath);
    const result = await withWorker(notify, `Circuits: ${name}`, 'runs', (progress) => runners.circuits!(model.fsPath, bases.map((b) => `${b}.npy`), progress));
    if (result !== undefined) runners.showCircuits(model, result);
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(ONNX_COMMAND_IDS.record, record),
    vscode.commands.registerCommand(ONNX_COMMAND_IDS.describe, describe),
    vscode.commands.registerCommand(ONNX_COMMAND_IDS.circuits, circuits),
  );
}
