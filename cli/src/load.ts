// Reading a model for a CLI command: check, lower, and on errors print them as
// `path:line:col: error: message` (1-based) and say what was not done.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ModelIR } from '../../protocol/ir';
import { formatDiagnostic, lowerModel, ModelWorkspace, type FileAccess } from '../../language-server/src/ide';
import { nodeHost, preludeAt } from '../../language-server/src/ide-node';

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
  const r = lowerModel({ file: abs }, { host: nodeHost, prelude: preludeAt(), access: cliAccess([abs]) });
  if (r.ok) return r.ir;
  for (const d of r.diagnostics) process.stderr.write(`${formatDiagnostic(d, shownPath(d))}\n`);
  process.stderr.write(`spikeworks: the model has errors; ${what}\n`);
  return undefined;
}

/** A diagnostic's file as the CLI shows it: relative to the current folder. */
export function shownPath(d: { uri: string; path?: string }): string {
  return path.relative(process.cwd(), d.path ?? '') || d.uri;
}

/** The files `check` looks at, read as a command reads them (see cliAccess). */
export function checkWorkspace(files: string[]): ModelWorkspace {
  return new ModelWorkspace({ host: nodeHost, prelude: preludeAt(), access: cliAccess(files) });
}
