// `spikeworks export FILE [--to ir|brian2|pynn] [--backend …] [--out FILE]`: the model IR (JSON),
// or a script for another simulator written from it (interop/). An exporter's refusals are
// printed as `path:line:column: error: message` at the item they come from.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { ModelIR } from '../../protocol/ir';
import { toBrian2 } from '../../interop/brian2';
import { toPyNN, type PyNNBackend } from '../../interop/pynn';
import type { ExportResult, Refusal } from '../../interop/refusal';
import { pathOfUri } from '../../language-server/src/ide';
import { checkWorkspace, loadModel } from './load';

export type ExportTarget = 'ir' | 'brian2' | 'pynn';

export interface ExportArgs {
  file: string;
  to: ExportTarget;
  out?: string;
  backend?: string;
}

/** The IR as the CLI writes it: indented objects, numeric arrays on one line. */
export function irJson(ir: ModelIR): string {
  return JSON.stringify(ir, null, 1).replace(/\[\s+([-+\d.eE,\s]+?)\s+\]/g, (_m, inner: string) => `[${inner.replace(/\s+/g, '')}]`) + '\n';
}

/** `path:line:column` of a refusal's item (the model file's first line when it cannot be found). */
export function refusalPlace(file: string, r: Refusal): string {
  const abs = path.resolve(file);
  const shown = (p: string) => path.relative(process.cwd(), p) || p;
  if (r.where.uri && r.where.line) return `${shown(pathOfUri(r.where.uri) ?? r.where.uri)}:${r.where.line}:1`;
  const at = checkWorkspace([abs]).locateItem(URI.file(abs).toString(), r.where);
  return `${shown(abs)}:${at ? `${at.line}:${at.column}` : '1:1'}`;
}

export function exportCommand(a: ExportArgs): number {
  const ir = loadModel(a.file, 'nothing exported');
  if (!ir) return 1;
  let text: string;
  if (a.to === 'ir') text = irJson(ir);
  else {
    let r: ExportResult;
    if (a.to === 'brian2') r = toBrian2(ir, path.basename(a.file));
    else r = toPyNN(ir, { backend: (a.backend ?? 'brian2') as PyNNBackend, source: path.basename(a.file) });
    for (const w of r.warnings) process.stderr.write(`${refusalPlace(a.file, w)}: warning: ${w.message}\n`);
    if (!r.ok) {
      for (const e of r.refusals) process.stderr.write(`${refusalPlace(a.file, e)}: error: ${e.message}\n`);
      process.stderr.write(`spikeworks: the model cannot be exported to ${a.to === 'brian2' ? 'Brian2' : 'PyNN'} as it is; nothing written\n`);
      return 1;
    }
    text = r.text;
  }
  if (a.out) fs.writeFileSync(a.out, text);
  else process.stdout.write(text);
  return 0;
}
