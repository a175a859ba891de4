// Makes sure dist/ (server, CLI, prelude) is at least as new as the sources before a test or
// benchmark spawns it. Rebuilds with `node esbuild.mjs` when a source file is newer; a lock
// directory keeps parallel test processes from building at the same time.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { withDirLock } from '../../scripts/dir-lock.mjs';

export const repoRoot = resolve(__dirname, '..', '..');
export const distServer = join(repoRoot, 'dist', 'server.js');
export const distCli = join(repoRoot, 'dist', 'cli.js');
export const distPrelude = join(repoRoot, 'dist', 'prelude');

const SOURCES = ['io', 'language-server/src', 'language-server/prelude', 'cli/src', 'sim-host/src', 'protocol', 'esbuild.mjs'];
export const distWorker = join(repoRoot, 'dist', 'sim-worker.js');
const OUTPUTS = [distServer, distCli, distWorker, join(distPrelude, 'neurons.snn')];

function newest(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const e of readdirSync(path)) m = Math.max(m, newest(join(path, e)));
  return m;
}

function isFresh(): boolean {
  if (!OUTPUTS.every((o) => existsSync(o))) return false;
  const built = Math.min(...OUTPUTS.map((o) => statSync(o).mtimeMs));
  const src = Math.max(...SOURCES.map((s) => join(repoRoot, s)).filter(existsSync).map(newest));
  return built >= src;
}

/** Rebuilds dist/ when it is missing or older than the sources. Throws when the build fails. */
export function ensureBuilt(): void {
  if (process.env.SPIKEWORKS_SKIP_BUILD && OUTPUTS.every((o) => existsSync(o))) return;
  if (isFresh()) return;
  withDirLock(join(repoRoot, 'node_modules', '.spikeworks-build.lock'), 120_000, 'build', () => {
    if (isFresh()) return;
    const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`node esbuild.mjs failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  });
}

/**
 * Runs the built CLI with `args` in `cwd`, sends SIGINT after `afterMs`, and waits for the exit
 * (SIGKILL after 10 s more). `ms`: from the SIGINT to the exit.
 */
export async function interruptCli(args: string[], cwd: string, afterMs = 2000): Promise<{ code: number | null; stderr: string; ms: number }> {
  ensureBuilt();
  const child = spawn(process.execPath, [distCli, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await new Promise((r) => setTimeout(r, afterMs));
  const t0 = performance.now();
  child.kill('SIGINT');
  const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
  const code = await exited;
  clearTimeout(kill);
  return { code, stderr, ms: performance.now() - t0 };
}
