// The VS Code client: starts the bundled language server, wires its output channel, and
// registers the simulation commands and result panels (simulation/, panels/).
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { registerNewModel } from './new-model';
import { registerNirCommands } from './nir-commands';
import { Notifier } from './notify';
import { registerOnnxCommands } from './onnx-commands';
import { OnnxGraphEditor } from './onnx-editor';
import { onnxRunners } from './onnx-runners';
import { inspectInWorker } from './onnx-inspect';
import { registerSimulation } from './simulation/commands';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('Spikeworks', { log: true });
  context.subscriptions.push(log);
  // Simulation commands and panels first: they work (and panels revive) even if the server fails.
  const panels = registerSimulation(context, log);
  registerNewModel(context, log);
  registerNirCommands(context, log, new Notifier(vscode.window));
  // The .onnx graph editor (parsing only: works in untrusted workspaces too).
  const onnxEditor = OnnxGraphEditor.register(context, log, (bytes, source) => inspectInWorker(bytes, source, context.asAbsolutePath(path.join('dist', 'onnx-inspect.js'))));
  // Record Activations, Describe Neurons and Show Circuit Reuse on a .onnx model (need trust).
  registerOnnxCommands(context, log, panels.notify, () => onnxEditor.active, onnxRunners(context.asAbsolutePath(path.join('dist', 'sim-worker.js')), panels));
  const serverModule = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'snn' },
      { scheme: 'untitled', language: 'snn' },
    ],
    outputChannel: log,
    synchronize: { fileEvents: vscode.workspace.createFileSystemWatcher('**/*.snn') },
    // In an untrusted workspace the server checks models but opens no data file (from_file);
    // it is told when the user grants trust and re-checks with the values read.
    // A function: a restart after trust was granted sends the current state.
    initializationOptions: () => ({ trusted: vscode.workspace.isTrusted }),
  };
  // The client reads `spikeworks.trace.server` itself (id `spikeworks` below).
  client = new LanguageClient('spikeworks', 'Spikeworks Language Server', serverOptions, clientOptions);
  log.info(`starting language server ${serverModule}`);
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      log.info('workspace trusted: the language server now reads data files');
      // A client not running yet sends the current trust in initializationOptions when it starts.
      if (client?.isRunning()) client.sendNotification('spikeworks/setTrusted', { trusted: true }).catch((e: Error) => log.warn(`setTrusted: ${e.message}`));
    }),
  );
  await client.start();
  context.subscriptions.push(
    vscode.commands.registerCommand('spikeworks.restartServer', async () => {
      log.info('restarting language server');
      await client?.restart();
    }),
  );
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
