// Node entry of the language server (IPC when started by VS Code, stdio with --stdio).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { loadPrelude, nodeHost } from './node-host';
import { Program } from './program';
import { startServer } from './server';

const MAX_FILES = 5000;
const SKIP = new Set(['node_modules', '.git', 'dist', 'out', '.spikeworks']);

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
      else if (e.isFile() && e.name.endsWith('.snn')) out.push(URI.file(path.join(dir, e.name)).toString());
      if (out.length >= MAX_FILES) return;
    }
  };
  for (const f of folders) {
    const u = URI.parse(f);
    if (u.scheme === 'file') visit(u.fsPath, 0);
  }
  return out;
}

const connection = createConnection(ProposedFeatures.all);
startServer(connection, { program: new Program(nodeHost, loadPrelude()), listWorkspaceFiles: listSnnFiles });
