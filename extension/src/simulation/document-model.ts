// The model of an editor's .snn document for a command that analyses it: checked and lowered
// from the editor's text (unsaved edits included) with the workspace's trust and folders as the
// data files' read policy; a model with errors is a notification naming the first one's line.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ModelIR } from '../../../protocol/ir';
import type { Notifier } from '../notify';
import { fileName, loadModel, readRootsFor } from './model';

export interface DocumentModel {
  ir: ModelIR;
  /** The file's name, for titles and messages. */
  name: string;
  /** The folders its data files may be read from. */
  roots: string[];
}

/** The lowered model, or undefined after telling the user what is wrong (`purpose`: "to find its circuits"). */
export function documentModel(doc: vscode.TextDocument, extensionPath: string, notify: Notifier, purpose: string): DocumentModel | undefined {
  const name = fileName(doc.uri.toString());
  const roots = readRootsFor((vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath), doc.uri.fsPath);
  const loaded = loadModel(doc.uri.toString(), doc.getText(), path.join(extensionPath, 'dist'), { trusted: vscode.workspace.isTrusted, roots });
  if (!loaded.ok) {
    const first = loaded.errors[0];
    void notify.error(`${name} has errors; fix them ${purpose}.${first ? ` (line ${first.line + 1}: ${first.message})` : ''}`);
    return undefined;
  }
  return { ir: loaded.ir, name, roots };
}
