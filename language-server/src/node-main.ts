// Node entry of the language server (IPC when started by VS Code, stdio with --stdio).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { loadPrelude, nodeHost } from './node-host';
import { MAX_FILE_BYTES, Program } from './program';
import { startServer } from './server';

const MAX_FILES = 5000;
const SKIP = new Set(['node_modules', '.git', 'dist', 'out', '.spikeworks']);

/** The size of a file without opening it (Infinity when it cannot be stat'ed). */
function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return Infinity;
  }
}

// Lists regular .snn files (symlinks are not followed) of at most MAX_FILE_BYTES: the scan never
// opens a file, and references/rename never read a huge one (the Program stats before reading).
function listSnnFiles(folders: string[]): string[] {
  const out: string[] = [];
  const visit = (dir: string, depth: number) => {
    if (out.length >= MAX_FILES || depth > 12) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory() && !SKIP.has(e.name) && !e.name.startsWith('.')) visit(path.join(dir, e.name), depth + 1);
      else if (e.isFile() && e.name.endsWith('.snn') && sizeOf(path.join(dir, e.name)) <= MAX_FILE_BYTES) out.push(URI.file(path.join(dir, e.name)).toString());
      if (out.length >= MAX_FILES) return;
    }
  };
  for (const f of folders) {
    const u = URI.parse(f);
    if (u.scheme === 'file') visit(u.fsPath, 0);
  }
  return out;
}

/** The language reference next to the bundle (dist/LANGUAGE.md, copied by esbuild.mjs) or in the source tree. */
function referenceUri(): string | undefined {
  for (const p of [path.join(__dirname, 'LANGUAGE.md'), path.join(__dirname, '..', 'LANGUAGE.md')]) {
    if (fs.existsSync(p)) return URI.file(p).toString();
  }
  return undefined;
}

const connection = createConnection(ProposedFeatures.all);
startServer(connection, { program: new Program(nodeHost, loadPrelude()), listWorkspaceFiles: listSnnFiles, referenceUri: referenceUri() });
