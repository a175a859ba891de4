// Makes sure dist/ (server, CLI, prelude) is at least as new as the sources before a test or
// benchmark spawns it. Rebuilds with `node esbuild.mjs` when a source file is newer; a lock
// directory keeps parallel test processes from building at the same time.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

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

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Rebuilds dist/ when it is missing or older than the sources. Throws when the build fails. */
export function ensureBuilt(): void {
  if (process.env.SPIKEWORKS_SKIP_BUILD && OUTPUTS.every((o) => existsSync(o))) return;
  if (isFresh()) return;
  const lock = join(repoRoot, 'node_modules', '.spikeworks-build.lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // Someone else is building; a lock older than two minutes is stale.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 120_000) rmSync(lock, { recursive: true, force: true });
      } catch {
        /* gone already */
      }
      if (Date.now() > deadline) throw new Error(`build lock ${lock} held for too long`);
      sleep(200);
    }
  }
  try {
    if (isFresh()) return;
    const r = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`node esbuild.mjs failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
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
