// `npm run test:electron`: the extension's integration suite (suite.cjs) inside a desktop VS Code
// that @vscode/test-electron downloads (needs internet, or VSCODE_EXECUTABLE pointing at a local
// VS Code). Not part of `npm test`. On a Linux box without a display: `xvfb-run -a npm run test:electron`.
//   VSCODE_VERSION=1.100.3   which VS Code to download (default: latest stable)
//   VSCODE_EXECUTABLE=/path  use this VS Code instead of downloading one
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');

const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

// A copy of examples/, so that nothing the suite edits (or hot exit backs up) reaches the repo.
const tmp = mkdtempSync(join(tmpdir(), 'spikeworks-electron-'));
const workspace = join(tmp, 'examples');
cpSync(join(repoRoot, 'examples'), workspace, { recursive: true });

// The CLI's spike count for coba.snn with the seed the suite runs it with (section d).
const SEED = 2;
const cli = spawnSync(process.execPath, [join(repoRoot, 'dist', 'cli.js'), 'run', join(workspace, 'coba.snn'), '--format', 'json', '--seed', String(SEED)], { encoding: 'utf8', maxBuffer: 1 << 24 });
if (cli.status !== 0) {
  console.error(`spikeworks run failed: ${cli.stderr}`);
  process.exit(1);
}
const cliSpikes = JSON.parse(cli.stdout.trim().split('\n').pop()).populations.reduce((a, p) => a + p.spikes, 0);

let code = 1;
try {
  code = await runTests({
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: join(here, 'suite.cjs'),
    version: process.env.VSCODE_VERSION,
    vscodeExecutablePath: process.env.VSCODE_EXECUTABLE,
    extensionTestsEnv: { SPIKEWORKS_SEED: String(SEED), SPIKEWORKS_CLI_SPIKES: String(cliSpikes) },
    launchArgs: [
      workspace,
      '--disable-extensions', // other extensions; the one under development still loads
      `--user-data-dir=${join(tmp, 'user-data')}`, // fresh: no restored editors or settings
    ],
  });
} catch (err) {
  console.error('VS Code integration tests failed:', err instanceof Error ? err.message : err);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
process.exit(code);
