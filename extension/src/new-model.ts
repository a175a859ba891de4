// "Spikeworks: New Model…": picks a template (extension/src/templates.ts), writes it as a new file
// in a folder — the one clicked in the Explorer, else the first workspace folder — under a name
// not taken yet (never overwriting), and opens it. Without a folder the model opens as an
// untitled .snn document. A template id as argument (walkthrough links, tests) skips the pick.
import * as vscode from 'vscode';
import { Notifier } from './notify';
import { freeFileName, templateById, TEMPLATES, type ModelTemplate } from './templates';

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

async function chooseTemplate(arg: unknown, notify: Notifier): Promise<ModelTemplate | undefined> {
  const given = templateById(arg);
  if (given) return given;
  const pick = await notify.pick(
    TEMPLATES.map((t) => ({ label: t.label, description: t.description, id: t.id })),
    // Run from the walkthrough, the step's completion redraws the page and takes the focus:
    // the pick stays open (Escape still closes it).
    { title: 'New Spikeworks Model', placeHolder: 'Start from a template', ignoreFocusOut: true },
  );
  return pick ? templateById(pick.id) : undefined;
}

export async function newModel(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, notify: Notifier, arg?: unknown): Promise<vscode.Uri | undefined> {
  const template = await chooseTemplate(arg, notify);
  if (!template) return undefined;
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, template.file));
  const text = new TextDecoder().decode(bytes);
  const folder = arg instanceof vscode.Uri ? arg : vscode.workspace.workspaceFolders?.[0]?.uri;
  let doc: vscode.TextDocument;
  if (folder) {
    const name = await freeFileName(template.fileName, (n) => exists(vscode.Uri.joinPath(folder, n)));
    const uri = vscode.Uri.joinPath(folder, name);
    await vscode.workspace.fs.writeFile(uri, bytes);
    log.info(`new model ${uri.fsPath} from the template ${template.id}`);
    doc = await vscode.workspace.openTextDocument(uri);
  } else {
    doc = await vscode.workspace.openTextDocument({ language: 'snn', content: text });
    log.info(`new untitled model from the template ${template.id}`);
    void notify.info(`New model from "${template.label}": save it as a .snn file to keep it.`);
  }
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc.uri;
}

export function registerNewModel(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  const notify = new Notifier(vscode.window);
  context.subscriptions.push(vscode.commands.registerCommand('spikeworks.newModel', (arg: unknown) => newModel(context, log, notify, arg)));
}
