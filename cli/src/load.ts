// Reading a model for a CLI command: check, lower, and on errors print them as
// `path:line:col: error: message` (1-based) and say what was not done.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { ModelIR } from '../../protocol/ir';
import { lower } from '../../language-server/src/lower';
import { loadPrelude, nodeHost } from '../../language-server/src/node-host';
import { Program, type FileAccess } from '../../language-server/src/program';
import { LineIndex } from '../../language-server/src/text';

/** Folders given with --allow-read (absolute), besides the current directory and the model's folder. */
let allowedReadDirs: string[] = [];

export function setAllowedReadDirs(dirs: string[]): void {
  allowedReadDirs = dirs.map((d) => path.resolve(d));
}

/**
 * What a command may read: the user ran it, so the workspace is trusted, but files a model names
 * (data files, imports) must lie in the current directory, a model's folder or an --allow-read
 * folder (imports may also sit next to the file that imports them).
 */
export function cliAccess(modelFiles: string[]): FileAccess {
  const roots = [process.cwd(), ...modelFiles.map((f) => path.dirname(path.resolve(f))), ...allowedReadDirs];
  return { trusted: true, roots: [...new Set(roots)], outsideHint: 'for the CLI, the workspace is the current folder and the model\'s folder; --allow-read DIR adds a folder' };
}

/** The model's IR, or undefined after printing why there is none (`what` = "not run", …). */
export function loadModel(file: string, what: string): ModelIR | undefined {
  const abs = path.resolve(file);
  if (!fs.existsSync(abs)) {
    process.stderr.write(`spikeworks: ${file}: file not found\n`);
    return undefined;
  }
  const program = new Program(nodeHost, loadPrelude());
  program.setAccess(cliAccess([abs]));
  const r = lower(program, URI.file(abs).toString());
  if (r.ok) return r.ir;
  for (const f of r.errors) {
    const p = path.relative(process.cwd(), URI.parse(f.uri).fsPath) || f.uri;
    const lines = new LineIndex(program.getText(f.uri) ?? '');
    for (const d of f.diagnostics) {
      const pos = lines.position(d.start);
      process.stderr.write(`${p}:${pos.line + 1}:${pos.character + 1}: error: ${d.message}\n`);
    }
  }
  process.stderr.write(`spikeworks: the model has errors; ${what}\n`);
  return undefined;
}
