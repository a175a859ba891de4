// `npm test`: type check, build, then every test/**/*.test.ts (except test/electron), each file
// in its own `node --test` process, scheduled by scripts/test-schedule.mjs: up to two files at
// once (most files wait on Python, a browser or code-server as much as they compute; never two
// end-to-end files together), longest first, then the files that time themselves (stop within N ms, timer ticks) one at a time with
// nothing beside them. Node 20 does not expand globs, so the files are listed here.
//   npm test                      all tests
//   npm test -- lsp units         only files whose path contains "lsp" or "units"
//   npm test -- --test-name-pattern=hover    options starting with -- go to node --test
//   SPIKEWORKS_SKIP_TYPECHECK=1 / SPIKEWORKS_SKIP_BUILD=1 skip those phases
//   SPIKEWORKS_TEST_JOBS=1        one file at a time (default: 2, or 1 on a one-core machine)
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative, sep } from 'node:path';
import { ensureCodeServer, repoRoot } from './code-server.mjs';
import { canStart, formatReport, parseSummary, plan } from './test-schedule.mjs';

const args = process.argv.slice(2);
const filters = args.filter((a) => !a.startsWith('-'));
const nodeTestArgs = args.filter((a) => a.startsWith('-'));
const started = Date.now();

/** Runs a command in the repo root with inherited output; exits on failure. */
async function phase(title, cmd, cmdArgs) {
  console.log(`\n> ${title}`);
  const t0 = Date.now();
  const child = spawn(cmd, cmdArgs, { cwd: repoRoot, stdio: 'inherit' });
  const r = await new Promise((res) => {
    child.on('error', (error) => res({ error }));
    child.on('close', (status, signal) => res({ status, signal }));
  });
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
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

const testDir = join(repoRoot, 'test');
const files = (existsSync(testDir) ? findTests(testDir) : [])
  .map((f) => relative(repoRoot, f).split(sep).join('/'))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error(filters.length ? `no test file matches ${filters.join(', ')}` : 'no test files under test/');
  process.exit(1);
}

// code-server (an npm install of about a minute on a clean clone, network and a native build)
// is installed while the type check and the first test files run; the end-to-end files start
// once it is there (they would install it themselves otherwise, one after another).
const needsCodeServer = files.some((f) => f.startsWith('test/e2e/'));
let codeServerReady = !needsCodeServer;
const codeServer = needsCodeServer
  ? ensureCodeServer().then(
      () => (codeServerReady = true),
      (e) => {
        // Each end-to-end file tries again and fails with the reason in its own output.
        console.error(`code-server install failed: ${e.message}`);
        codeServerReady = true;
      },
    )
  : Promise.resolve();

if (!process.env.SPIKEWORKS_SKIP_TYPECHECK) {
  const tsc = join(repoRoot, 'node_modules', '.bin', 'tsc');
  if (existsSync(tsc)) await phase('type check (tsc -p tsconfig.json)', tsc, ['-p', 'tsconfig.json']);
  else await phase('type check (npx tsc -p tsconfig.json)', 'npx', ['--no-install', 'tsc', '-p', 'tsconfig.json']);
}
if (!process.env.SPIKEWORKS_SKIP_BUILD) await phase('build (node esbuild.mjs)', process.execPath, ['esbuild.mjs']);

const cores = availableParallelism();
const jobs = Math.max(1, Number(process.env.SPIKEWORKS_TEST_JOBS) || Math.min(2, cores));
const { pooled, alone } = plan(files);
console.log(`\n> node --test (${files.length} file${files.length === 1 ? '' : 's'}: ${pooled.length} up to ${jobs} at a time, then ${alone.length} alone)`);

/** Runs one test file; its output is shown live when `live`, else all at once when it ends (never interleaved). */
function runFile(file, live) {
  const t0 = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...nodeTestArgs, file], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const chunks = [];
  const take = (stream, to) =>
    stream.on('data', (d) => {
      chunks.push(d);
      if (live) to.write(d);
    });
  take(child.stdout, process.stdout);
  take(child.stderr, process.stderr);
  return new Promise((res) => {
    child.on('error', (e) => chunks.push(Buffer.from(`\ncould not start node --test: ${e.message}\n`)));
    child.on('close', (code, signal) => {
      const out = Buffer.concat(chunks).toString('utf8');
      const seconds = (Date.now() - t0) / 1000;
      const result = { file, code: code ?? 1, signal, seconds, summary: parseSummary(out), silent: out.trim() === '' };
      if (!live) process.stdout.write(out);
      const ok = result.code === 0;
      const why = result.silent && !ok ? '; no output at all: node --test was sent SIGTERM or SIGINT' : '';
      console.log(`${ok ? '✔' : '✖'} ${file} (${seconds.toFixed(1)} s${ok ? '' : `, exit ${code ?? signal}${why}`})\n`);
      res(result);
    });
  });
}

const results = [];
// Pooled files: up to `jobs` at once, in plan order, skipping over a file that may not start
// yet (an end-to-end file while code-server installs or while another one runs).
await new Promise((done) => {
  const queue = [...pooled];
  const running = [];
  const next = () => {
    while (running.length < jobs && queue.length) {
      const i = queue.findIndex((f) => (codeServerReady || !f.startsWith('test/e2e/')) && canStart(f, running));
      if (i < 0) {
        if (running.length === 0) void codeServer.then(next);
        return;
      }
      const [file] = queue.splice(i, 1);
      running.push(file);
      void runFile(file, jobs === 1).then((r) => {
        results.push(r);
        running.splice(running.indexOf(file), 1);
        if (queue.length === 0 && running.length === 0) done();
        else next();
      });
    }
  };
  if (queue.length === 0) done();
  else next();
});
await codeServer;
// Files that time themselves: one at a time, nothing beside them.
for (const file of alone) results.push(await runFile(file, true));

const report = formatReport(results, (Date.now() - started) / 1000);
console.log(report.text);
process.exit(report.ok ? 0 : 1);
