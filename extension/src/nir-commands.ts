// "Spikeworks: Export to NIR…" and "Spikeworks: Import NIR…": the model in the editor as a NIR
// graph (interop/nir.ts toNir, written by io/nir-file.ts through the bundled h5wasm) and a NIR
// file as a new, unsaved .snn document (nirToSnn). What NIR cannot say is refused at its line; a
// file that is not NIR is refused with the reason. The file is read only when the user picks it.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { writeNir } from '../../io/nir-file';
import { nirGraphOf, snnOfNir } from './nir';
import type { Notifier } from './notify';
import { fileName, readRootsFor } from './simulation/model';

export function registerNirCommands(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, notify: Notifier): void {
  const distDir = path.join(context.extensionPath, 'dist');
  context.subscriptions.push(
    vscode.commands.registerCommand('spikeworks.exportNir', async (arg: unknown) => {
      const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
      const doc = uri && (await vscode.workspace.openTextDocument(uri));
      if (!doc || doc.languageId !== 'snn') return void notify.info('Open a .snn model to export it to NIR.');
      const name = fileName(doc.uri.toString());
      const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
      const r = nirGraphOf(doc.uri.toString(), doc.getText(), distDir, { trusted: vscode.workspace.isTrusted, roots: readRootsFor(folders, doc.uri.fsPath) });
      for (const w of r.warnings) log.warn(`${name}:${w}`);
      if (!r.graph) {
        for (const e of r.errors) log.error(`${name}:${e}`);
        return void notify.error(`${name} cannot be said in NIR as it is; nothing written. ${name}:${r.errors[0] ?? ''}${r.errors.length > 1 ? ` (and ${r.errors.length - 1} more in the Spikeworks output)` : ''}`);
      }
      const base = doc.uri.scheme === 'file' ? doc.uri.fsPath.replace(/\.snn$/i, '') : name.replace(/\.snn$/i, '');
      const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(`${base}.nir`), filters: { NIR: ['nir'] }, title: 'Export to NIR' });
      if (!target) return;
      try {
        await writeNir(target.fsPath, r.graph);
      } catch (e) {
        return void notify.error(`${path.basename(target.fsPath)} was not written: ${(e as Error).message}`);
      }
      const nodes = Object.keys(r.graph.nodes).length;
      void notify.info(`Wrote ${path.basename(target.fsPath)}: ${nodes} NIR nodes, ${r.graph.edges.length} edges${r.warnings.length ? `; ${r.warnings.length} warning(s) in the Spikeworks output` : ''}.`);
    }),
    vscode.commands.registerCommand('spikeworks.importNir', async (arg: unknown) => {
      const picked = arg instanceof vscode.Uri ? [arg] : await vscode.window.showOpenDialog({ canSelectMany: false, filters: { NIR: ['nir'] }, title: 'Import NIR' });
      const file = picked?.[0];
      if (!file) return;
      if (file.scheme !== 'file') return void notify.error(`${file.path.split('/').pop()}: NIR files are read from disk only.`);
      const r = await notify.progress({ location: vscode.ProgressLocation.Notification, title: `Importing ${path.basename(file.fsPath)}…` }, () => snnOfNir(file.fsPath));
      if ('error' in r) return void notify.error(`Not imported: ${r.error}`);
      const doc = await vscode.workspace.openTextDocument({ language: 'snn', content: r.text });
      await vscode.window.showTextDocument(doc);
    }),
  );
}
