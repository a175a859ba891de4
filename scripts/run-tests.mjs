// `npm test`: type check, build, then every test/**/*.test.ts (except test/electron) in one
// `node --test` run. Node 20 does not expand globs, so the files are listed here.
//   npm test                      all tests
//   npm test -- lsp units         only files whose path contains "lsp" or "units"
//   npm test -- --test-name-pattern=hover    options starting with -- go to node --test
//   SPIKEWORKS_SKIP_TYPECHECK=1 / SPIKEWORKS_SKIP_BUILD=1 skip those phases
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { repoRoot } from './code-server.mjs';

const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith('-'));
const nodeTestArgs = args.filter((a) => a.startsWith('-'));

/** Runs a command in the repo root with inherited output; exits on failure. */
function phase(title, cmd, cmdArgs) {
  console.log(`\n> ${title}`);
  const started = Date.now();
  const r = spawnSync(cmd, cmdArgs, { cwd: repoRoot, stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (r.error) {
    console.error(`${title}: ${r.error.message}`);
    process.exit(1);
  }
  if (r.status !== 0) {
    console.error(`${title} failed (exit ${r.status ?? r.signal}) after ${seconds} s`);
    process.exit(r.status || 1);
  }
  console.log(`  ${title}: ok (${seconds} s)`);
}

/** test/**\/*.test.ts, sorted, without test/electron (that suite needs a downloaded VS Code). */
function findTests(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === 'node_modules' || path === join(repoRoot, 'test', 'electron')) continue;
      found.push(...findTests(path));
    } else if (entry.name.endsWith('.test.ts')) {
      found.push(path);
    }
  }
  return found;
}

if (!process.env.SPIKEWORKS_SKIP_TYPECHECK) {
  const tsc = join(repoRoot, 'node_modules', '.bin', 'tsc');
  if (existsSync(tsc)) phase('type check (tsc -p tsconfig.json)', tsc, ['-p', 'tsconfig.json']);
  else phase('type check (npx tsc -p tsconfig.json)', 'npx', ['--no-install', 'tsc', '-p', 'tsconfig.json']);
}
if (!process.env.SPIKEWORKS_SKIP_BUILD) phase('build (node esbuild.mjs)', process.execPath, ['esbuild.mjs']);

const testDir = join(repoRoot, 'test');
const files = (existsSync(testDir) ? findTests(testDir) : [])
  .map((f) => relative(repoRoot, f))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s) || f.split(sep).join('/').includes(s)))
  .sort();
if (files.length === 0) {
  console.error(filters.length ? `no test file matches ${filters.join(', ')}` : 'no test files under test/');
  process.exit(1);
}

console.log(`\n> node --test (${files.length} file${files.length === 1 ? '' : 's'})`);
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', ...nodeTestArgs, ...files],
  { cwd: repoRoot, stdio: 'inherit' },
);
process.exit(r.status ?? 1);
