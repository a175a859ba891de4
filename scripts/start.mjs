// `npm start`: builds the extension, then opens a scratch copy of examples/ (.spikeworks/playground/,
// copied on the first start and kept as the user leaves it) in VS Code with the extension loaded:
// the desktop `code` if it is on PATH, otherwise code-server in the browser (installed on first use).
// The tracked examples/ are never opened: edits, auto-save and exports land in the playground.
//   npm start [-- --port N] [-- --code-server]      (env SPIKEWORKS_PORT works too)
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureCodeServer, installExtension, launchCodeServer, repoRoot, which } from './code-server.mjs';
import { defaultPlayground, preparePlayground } from './playground.mjs';

const argv = process.argv.slice(2);
const portArg = argv.indexOf('--port');
const port = portArg >= 0 ? argv[portArg + 1] : argv.find((a) => a.startsWith('--port='))?.slice(7) ?? process.env.SPIKEWORKS_PORT;
if (port !== undefined && !/^\d+$/.test(port)) {
  console.error(`invalid port: ${port}`);
  process.exit(2);
}
const forceCodeServer = argv.includes('--code-server');
const places = defaultPlayground(repoRoot);
const { folder: playground, created } = preparePlayground(places);
const where = created
  ? `Copied examples/ to ${playground} (a scratch folder: edit freely; delete it to get fresh copies).`
  : `Opening your playground ${playground} (your edits are kept; delete it to get fresh copies of examples/).`;

// 1. Build dist/ (extension, language server, CLI).
const build = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

// 2a. Desktop VS Code: it loads the extension from the repo itself.
const code = forceCodeServer ? undefined : which('code');
if (code) {
  console.log(where);
  console.log(`Opening ${playground} in VS Code (${code}) with the extension from ${repoRoot}`);
  const child = spawn(code, [`--extensionDevelopmentPath=${repoRoot}`, playground], { stdio: 'inherit' });
  child.on('exit', (status) => process.exit(status ?? 0));
} else {
  // 2b. code-server, kept running until Ctrl-C / SIGTERM.
  const runDir = join(repoRoot, '.spikeworks', 'run');
  try {
    await ensureCodeServer();
    installExtension(join(runDir, 'ext'));
    const server = await launchCodeServer({ workspace: playground, port, runDir });
    console.log('');
    console.log(`Spikeworks is running in VS Code (code-server): ${server.url}`);
    console.log(where);
    console.log(`(log: ${server.logFile}; press Ctrl-C to stop)`);
    let stopping = false;
    const shutdown = async (signal) => {
      if (stopping) return;
      stopping = true;
      console.log(`\n${signal}: stopping code-server`);
      await server.stop();
      process.exit(0);
    };
    process.on('SIGINT', () => shutdown('SIGINT'));
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGHUP', () => shutdown('SIGHUP'));
    // `kill <npm pid>` makes npm exit without passing the signal on: stop when orphaned.
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) shutdown('parent process exited');
    }, 1000).unref();
    const status = await server.exited;
    if (!stopping) {
      console.error(`code-server exited unexpectedly (${status}); see ${server.logFile}`);
      await server.stop();
      process.exit(1);
    }
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
