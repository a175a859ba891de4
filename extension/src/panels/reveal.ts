// Jumping from a panel to a definition in the model: the model's text (the editor's when it is
// open, else the file on disk, bounded as the checker reads it) and the editor opened at a place.
import * as vscode from 'vscode';
import { readTextBounded } from '../../../io/safe-read';
import { MAX_FILE_BYTES } from '../../../language-server/src/program';
import type { Place } from '../simulation/model';

/** The text of the model `document` (a URI string): the open editor's, else the file's; or why not. */
export function modelText(document: string): { ok: true; text: string } | { ok: false; message: string } {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === document);
  if (open) return { ok: true, text: open.getText() };
  const uri = vscode.Uri.parse(document);
  const read = uri.scheme === 'file' ? readTextBounded(uri.fsPath, { maxBytes: MAX_FILE_BYTES }) : undefined;
  return read?.ok ? { ok: true, text: read.text } : { ok: false, message: read?.message ?? 'not a file on disk' };
}

/** Shows `place` selected, in the column where its file is visible (else the first). */
export async function showPlace(place: Place): Promise<void> {
  const column = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === place.uri)?.viewColumn ?? vscode.ViewColumn.One;
  const selection = new vscode.Range(place.start.line, place.start.character, place.end.line, place.end.character);
  await vscode.window.showTextDocument(vscode.Uri.parse(place.uri), { viewColumn: column, selection });
}
