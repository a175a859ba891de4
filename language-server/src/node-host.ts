// Node-side file access for the language: reads file:// URIs and the prelude from disk, through
// io/safe-read.ts: regular files only (a FIFO or device never blocks or floods), the size taken
// before a byte is read, confined to roots after symlinks are resolved when roots are given.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { readFileBounded, readTextBounded, statFile } from '../../io/safe-read';
import type { Host, HostBytes, HostRefused, HostStat, HostText, PreludeFile, ReadRequest } from './program';

function fsPathOf(uri: string): string | undefined {
  try {
    const u = URI.parse(uri);
    return u.scheme === 'file' ? u.fsPath : undefined;
  } catch {
    return undefined;
  }
}

const notAFile = (uri: string): HostRefused => ({ ok: false, reason: 'missing', message: `${uri}: not a file on disk` });

/** The language's files on disk. Which roots apply is the Program's policy (FileAccess). */
export const nodeHost: Host = {
  readFile(uri: string): string | undefined {
    const file = fsPathOf(uri);
    if (file === undefined) return undefined;
    // Unbounded callers get the same refusals as bounded ones, at the analysis limit of strings.
    const r = readTextBounded(file, { maxBytes: 256 * 2 ** 20 });
    return r.ok ? r.text : undefined;
  },
  stat(uri: string, req: ReadRequest): HostStat {
    const file = fsPathOf(uri);
    if (file === undefined) return notAFile(uri);
    return statFile(file, req);
  },
  readText(uri: string, req: ReadRequest): HostText {
    const file = fsPathOf(uri);
    if (file === undefined) return notAFile(uri);
    return readTextBounded(file, req);
  },
  readBytes(uri: string, req: ReadRequest): HostBytes {
    const file = fsPathOf(uri);
    if (file === undefined) return notAFile(uri);
    return readFileBounded(file, req);
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
