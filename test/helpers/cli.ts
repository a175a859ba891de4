// A temporary folder for CLI tests: model files written into it and the built CLI spawned there
// with a wall-clock limit (a hang is a failure, status null, not a stuck test). Not a test file.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { distCli, ensureBuilt } from './build';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function cliSandbox(prefix: string): { dir: string; model: (name: string, text: string) => string; cli: (args: string[], timeoutMs?: number) => CliResult } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    dir,
    model(name, text) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      return file;
    },
    cli(args, timeoutMs = 60_000) {
      ensureBuilt();
      const r = spawnSync(process.execPath, [distCli, ...args], { cwd: dir, encoding: 'utf8', timeout: timeoutMs, killSignal: 'SIGKILL' });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
  };
}
