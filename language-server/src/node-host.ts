// Node-side file access for the language: reads file:// URIs and the prelude from disk.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { Host, PreludeFile } from './program';

export const nodeHost: Host = {
  readFile(uri: string): string | undefined {
    try {
      const u = URI.parse(uri);
      if (u.scheme !== 'file') return undefined;
      const st = fs.statSync(u.fsPath);
      if (!st.isFile()) return undefined;
      return fs.readFileSync(u.fsPath, 'utf8');
    } catch {
      return undefined;
    }
  },
};

/** Finds the prelude next to the bundle (dist/prelude) or in the source tree. */
export function loadPrelude(from: string = __dirname): PreludeFile[] {
  const candidates = [
    path.join(from, 'prelude'),
    path.join(from, '..', 'prelude'),
    path.join(from, '..', '..', 'language-server', 'prelude'),
    path.join(from, '..', 'language-server', 'prelude'),
  ];
  for (const dir of candidates) {
    if (!fs.existsSync(dir)) continue;
    const names = fs.readdirSync(dir).filter((n) => n.endsWith('.snn')).sort();
    if (names.length === 0) continue;
    return names.map((n) => {
      const file = path.join(dir, n);
      return { uri: URI.file(file).toString(), text: fs.readFileSync(file, 'utf8') };
    });
  }
  throw new Error(`Spikeworks prelude not found (looked in ${candidates.join(', ')})`);
}
