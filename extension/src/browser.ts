// The web extension (package.json `browser`: vscode.dev, github.dev, any VS Code whose
// extension host is a Web Worker). The language server runs as a Web Worker of its own
// (dist/server-browser.js, the prelude embedded; its files open from dist/prelude); New Model…
// writes through workspace.fs. Runs
// are not available here yet (the engine's worker, the panels and the run store are written for
// Node): the run commands say so in one sentence instead of failing or being missing.
import * as vscode from 'vscode';
import { LanguageClient, type LanguageClientOptions } from 'vscode-languageclient/browser';
import { registerNewModel } from './new-model';
import { Notifier } from './notify';
import { RUN_COMMANDS, WEB_RUN_MESSAGE } from './web-commands';

export { RUN_COMMANDS, WEB_RUN_MESSAGE };

let client: LanguageClient | undefined;

/** The scheme of the prelude's documents in the browser server (language-server/src/browser-main.ts). */
const PRELUDE_SCHEME = 'spikeworks-prelude';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('Spikeworks', { log: true });
  context.subscriptions.push(log);
  const notify = new Notifier(vscode.window);
  for (const id of RUN_COMMANDS) {
    context.subscriptions.push(vscode.commands.registerCommand(id, () => notify.info(WEB_RUN_MESSAGE)));
  }
  registerNewModel(context, log);
  // The browser server names the built-in library spikeworks-prelude:/<file>.snn (hover and
  // go-to-definition lead there): its text is the extension's own dist/prelude copy.
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(PRELUDE_SCHEME, {
      async provideTextDocumentContent(uri) {
        const name = uri.path.replace(/^\/+/, '');
        if (!/^[\w-]+\.snn$/.test(name)) return undefined;
        return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, 'dist', 'prelude', name)));
      },
    }),
  );

  const serverMain = vscode.Uri.joinPath(context.extensionUri, 'dist', 'server-browser.js');
  const clientOptions: LanguageClientOptions = {
    // Any scheme: in the browser documents are vscode-vfs:, vscode-test-web:, untitled: …
    documentSelector: [{ language: 'snn' }],
    outputChannel: log,
    // The browser server reads no files but open documents: trust changes nothing it does.
    initializationOptions: () => ({ trusted: vscode.workspace.isTrusted }),
  };
  log.info(`starting language server ${serverMain.toString(true)} (Web Worker)`);
  client = new LanguageClient('spikeworks', 'Spikeworks Language Server', new Worker(serverMain.toString(true)), clientOptions);
  context.subscriptions.push(
    vscode.commands.registerCommand('spikeworks.restartServer', async () => {
      log.info('restarting language server');
      await client?.stop();
      await client?.start();
    }),
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
