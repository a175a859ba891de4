// A real VS Code in the browser for `npm start` and the end-to-end test: installs code-server
// from npm into .spikeworks/code-server, links this repo in as an extension (`npm start`, for
// editing) or installs the packaged VSIX (the end-to-end tests: what users get) and launches it.
// Plain ESM JavaScript so that it runs without a build step. See shared/design/ENVIRONMENT.md.
import { spawn, spawnSync } from 'node:child_process';
import {
  accessSync,
  constants,
  createWriteStream,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withDirLockAsync } from './dir-lock.mjs';

/** Repository root (this file lives in <repo>/scripts). */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Newest code-server whose `engines` accept Node 20; a caret range would pick one needing Node 24. */
export const CODE_SERVER_VERSION = '4.100.3';
/** @vscode/ripgrep version in code-server 4.100.3's tree, and the rg release it downloads. */
const RIPGREP_PKG_VERSION = '1.15.11';
const RIPGREP_RELEASE = 'v13.0.0-10';

const installDir = join(repoRoot, '.spikeworks', 'code-server');
const stampFile = join(installDir, `.installed-${CODE_SERVER_VERSION}`);
const entryScript = join(installDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');

const log = (msg) => console.log(`[code-server] ${msg}`);

/** Full path of an executable on PATH, or undefined. */
export function which(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      if (statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Installs missing apt packages when running as root; otherwise explains what to install. */
function ensureSystemPackages() {
  const missing = [];
  if (!which('rg')) missing.push('ripgrep');
  if (!existsSync('/usr/include/krb5.h') && !existsSync('/usr/include/gssapi/gssapi.h')) missing.push('libkrb5-dev');
  if (missing.length === 0) return;
  const cmd = `apt-get update && apt-get install -y -o DPkg::Lock::Timeout=600 ${missing.join(' ')}`;
  log(`code-server's install needs the Debian/Ubuntu packages: ${missing.join(', ')}`);
  if (process.getuid?.() !== 0 || !which('apt-get')) {
    throw new Error(`missing system packages ${missing.join(', ')}; install them with:\n  sudo ${cmd}`);
  }
  log(`installing them: ${cmd}`);
  const r = spawnSync('sh', ['-c', cmd], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`apt-get failed (exit ${r.status}); run by hand:\n  ${cmd}`);
}

/** The prebuilt rg tarball @vscode/ripgrep looks for on this machine (mirrors its postinstall). */
function ripgrepTarball() {
  const target = {
    x64: 'x86_64-unknown-linux-musl',
    arm64: 'aarch64-unknown-linux-musl',
    arm: 'arm-unknown-linux-gnueabihf',
    ppc64: 'powerpc64le-unknown-linux-gnu',
    s390x: 's390x-unknown-linux-gnu',
  }[process.arch] ?? 'i686-unknown-linux-musl';
  const release = /gnu/.test(target) ? 'v13.0.0-4' : RIPGREP_RELEASE;
  return `ripgrep-${release}-${target}.tar.gz`;
}

/**
 * @vscode/ripgrep downloads rg from GitHub during install, which fails offline; it first looks
 * in `$TMPDIR/vscode-ripgrep-cache-<version>/`, so put the system's rg there as that tarball.
 */
function seedRipgrepCache() {
  if (process.platform !== 'linux') return;
  const rg = which('rg');
  if (!rg) return;
  const cacheDir = join(tmpdir(), `vscode-ripgrep-cache-${RIPGREP_PKG_VERSION}`);
  const tarball = join(cacheDir, ripgrepTarball());
  if (existsSync(tarball)) return;
  mkdirSync(cacheDir, { recursive: true });
  const r = spawnSync('tar', ['czf', tarball, '-C', dirname(rg), 'rg'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`could not create ${tarball}`);
  log(`seeded ripgrep cache ${tarball} from ${rg}`);
}

/** Directory holding include/node/node.h for the running Node, so node-gyp needs no download. */
function localNodeDir() {
  const prefix = resolve(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'node.h')) ? prefix : undefined;
}

/**
 * Installs code-server (exact version) into <repo>/.spikeworks/code-server unless a stamp file
 * says it is already there. Returns the path of the code-server binary.
 */
export async function ensureCodeServer() {
  const bin = join(installDir, 'node_modules', '.bin', 'code-server');
  if (existsSync(stampFile) && existsSync(entryScript)) return bin;
  // Test files side by side (and npm test, which installs it while the first files run) wait
  // for one install instead of starting a second one into the same folder.
  mkdirSync(dirname(installDir), { recursive: true });
  return withDirLockAsync(`${installDir}.lock`, 600_000, 'code-server install', async () => {
    if (existsSync(stampFile) && existsSync(entryScript)) return bin;
    await installCodeServer();
    return bin;
  });
}

async function installCodeServer() {
  log(`installing code-server@${CODE_SERVER_VERSION} into ${installDir} (about a minute, once)`);
  ensureSystemPackages();
  seedRipgrepCache();
  mkdirSync(installDir, { recursive: true });
  for (const f of readdirSync(installDir)) if (f.startsWith('.installed-')) rmSync(join(installDir, f));
  writeFileSync(
    join(installDir, 'package.json'),
    JSON.stringify({ name: 'spikeworks-code-server', private: true, dependencies: { 'code-server': CODE_SERVER_VERSION } }, null, 2) + '\n',
  );

  const env = {
    ...process.env,
    npm_config_unsafe_perm: 'true', // root: let install scripts run as root
    npm_config_yes: 'true', // node-pty runs `npx node-gyp`, which `yes=false` would cancel
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_update_notifier: 'false',
  };
  const nodedir = localNodeDir();
  if (nodedir) env.npm_config_nodedir = nodedir;

  const logFile = join(installDir, 'install.log');
  const out = createWriteStream(logFile);
  const started = Date.now();
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const child = spawn(npm, ['install', '--no-save', '--no-package-lock', '--loglevel=http'], {
    cwd: installDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(out, { end: false });
  child.stderr.pipe(out, { end: false });
  const ticker = setInterval(() => log(`still installing... ${Math.round((Date.now() - started) / 1000)} s`), 15000);
  const code = await new Promise((res) => {
    child.on('error', (err) => {
      out.write(`\n${err.stack}\n`);
      res(-1);
    });
    child.on('close', res);
  });
  clearInterval(ticker);
  await new Promise((res) => out.end(res));
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  if (code !== 0 || !existsSync(entryScript)) {
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
    throw new Error(`npm install code-server@${CODE_SERVER_VERSION} failed (exit ${code}) after ${seconds} s; log ${logFile}:\n${tail}`);
  }
  writeFileSync(stampFile, `${new Date().toISOString()}\n`);
  log(`installed in ${seconds} s`);
}

/** The extension's id and folder name, from package.json. */
function extensionInfo() {
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  const id = `${pkg.publisher}.${pkg.name}`.toLowerCase();
  return { id, folder: `${id}-${pkg.version}` };
}

/**
 * Makes this repository an installed extension of `extDir` by a symlink
 * `extDir/<publisher>.<name>-<version>` → repo root. VS Code only discovers such a link while the
 * folder has no extensions.json (or the file lists it), so a stale extensions.json is removed.
 */
export function installExtension(extDir) {
  const { id, folder } = extensionInfo();
  mkdirSync(extDir, { recursive: true });
  const link = join(extDir, folder);
  // Drop links to other versions of this extension and broken entries of ours.
  for (const name of readdirSync(extDir)) {
    if (name.toLowerCase().startsWith(`${id}-`) && name !== folder) rmSync(join(extDir, name), { recursive: true, force: true });
  }
  let ok = false;
  try {
    ok = lstatSync(link).isSymbolicLink() && resolve(extDir, readlinkSync(link)) === repoRoot;
  } catch {
    ok = false;
  }
  if (!ok) {
    rmSync(link, { recursive: true, force: true });
    symlinkSync(repoRoot, link, 'dir');
  }
  const manifest = join(extDir, 'extensions.json');
  if (existsSync(manifest)) {
    let listed = false;
    try {
      listed = JSON.parse(readFileSync(manifest, 'utf8')).some((e) => e?.relativeLocation === folder);
    } catch {
      listed = false;
    }
    if (!listed) rmSync(manifest); // rescanned from the folder on the next start
  }
  // A previous uninstall may have marked the folder obsolete.
  const obsolete = join(extDir, '.obsolete');
  if (existsSync(obsolete)) rmSync(obsolete);
  return link;
}

/**
 * Installs a packaged extension (`npm run package`, or ensureVsix() in scripts/package.mjs) the
 * way users do: `code-server --install-extension FILE.vsix` into RUN/ext, with the same user data
 * folder and home that launchCodeServer gives code-server for `runDir`. Replaces an earlier
 * install (or a development symlink) of this extension there. Throws with code-server's output
 * when it refuses the VSIX. Returns the installed extension's folder.
 */
export function installVsix(runDir, vsixFile) {
  if (!existsSync(entryScript)) throw new Error('code-server is not installed; call ensureCodeServer() first');
  const { id } = extensionInfo();
  const r = installVsixRaw(runDir, vsixFile);
  if (r.status !== 0 || !/successfully installed/i.test(r.output)) {
    throw new Error(`code-server --install-extension ${vsixFile} failed (exit ${r.status ?? r.signal}):\n${r.output}`);
  }
  const extDir = join(resolve(runDir), 'ext');
  const folder = readdirSync(extDir).find((n) => n.toLowerCase().startsWith(`${id}-`) && !lstatSync(join(extDir, n)).isSymbolicLink());
  if (!folder) throw new Error(`code-server said it installed ${vsixFile}, but ${extDir} has no ${id}-* folder`);
  return join(extDir, folder);
}

/**
 * `code-server --install-extension FILE --force` for `runDir` (RUN/ext, RUN/ud, RUN/home), without
 * judging the outcome: { status, signal, output } (stdout and stderr together).
 */
export function installVsixRaw(runDir, vsixFile) {
  const run = resolve(runDir);
  const dirs = { home: join(run, 'home'), ud: join(run, 'ud'), ext: join(run, 'ext'), config: join(run, 'xdg', 'config'), data: join(run, 'xdg', 'data') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  // A development symlink of this extension (installExtension) would shadow the installed copy.
  const { id } = extensionInfo();
  for (const name of readdirSync(dirs.ext)) {
    const p = join(dirs.ext, name);
    if (name.toLowerCase().startsWith(`${id}-`) && lstatSync(p).isSymbolicLink()) rmSync(p, { force: true });
  }
  const env = { ...process.env, HOME: dirs.home, XDG_CONFIG_HOME: dirs.config, XDG_DATA_HOME: dirs.data };
  for (const k of Object.keys(env)) if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE') delete env[k];
  const r = spawnSync(
    process.execPath,
    [entryScript, '--install-extension', resolve(vsixFile), '--force', '--extensions-dir', dirs.ext, '--user-data-dir', dirs.ud],
    { env, encoding: 'utf8', timeout: 120_000 },
  );
  return { status: r.status, signal: r.signal, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}` };
}

/** A free TCP port on 127.0.0.1. */
export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.on('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/** User settings for a clean editor: no welcome page, walkthroughs, trust prompts or telemetry. */
const CLEAN_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'git.openRepositoryInParentFolders': 'never',
  'window.commandCenter': false,
  'chat.commandCenter.enabled': false,
};

/** Writes RUN/ud/User/settings.json, keeping any setting the user already changed there. */
function writeSettings(userDataDir, extra = {}) {
  const file = join(userDataDir, 'User', 'settings.json');
  mkdirSync(dirname(file), { recursive: true });
  let current = {};
  if (existsSync(file)) {
    try {
      current = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      return; // hand-edited with comments: leave it alone
    }
  }
  writeFileSync(file, JSON.stringify({ ...CLEAN_SETTINGS, ...current, ...extra }, null, 2) + '\n');
}

/**
 * Starts code-server (detached, own process group) serving `workspace` on 127.0.0.1.
 * Everything it writes (home, settings, extensions, logs) stays in `runDir`.
 * Resolves once it listens: { url, port, pid, logFile, exited, stop }.
 */
export async function launchCodeServer({ workspace, port, runDir, trust = false }) {
  if (!existsSync(entryScript)) throw new Error('code-server is not installed; call ensureCodeServer() first');
  const ws = resolve(workspace);
  const run = resolve(runDir);
  port = Number(port) || (await freePort());
  const dirs = {
    home: join(run, 'home'),
    ud: join(run, 'ud'),
    ext: join(run, 'ext'),
    config: join(run, 'xdg', 'config'),
    data: join(run, 'xdg', 'data'),
    cache: join(run, 'xdg', 'cache'),
    state: join(run, 'xdg', 'state'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  // trust: workspace trust enabled (the folder opens in Restricted Mode until trusted), as users have it.
  writeSettings(dirs.ud, trust ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'always' } : {});
  const config = join(run, 'config.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);

  const env = {
    ...process.env,
    HOME: dirs.home,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
    XDG_STATE_HOME: dirs.state,
  };
  // Variables from a surrounding VS Code / code-server would confuse the child.
  for (const k of Object.keys(env)) if (k.startsWith('VSCODE_') || k === 'ELECTRON_RUN_AS_NODE') delete env[k];

  const args = [
    entryScript,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(trust ? [] : ['--disable-workspace-trust']),
    '--disable-getting-started-override',
    '--ignore-last-opened',
    '--config', config,
    '--user-data-dir', dirs.ud,
    '--extensions-dir', dirs.ext,
    ws,
  ];
  const logFile = join(run, 'code-server.log');
  const out = createWriteStream(logFile);
  const child = spawn(process.execPath, args, { cwd: ws, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  const exited = new Promise((res) => child.on('exit', (code, signal) => res(code ?? signal)));
  let alive = true;
  exited.then(() => { alive = false; });

  // Keep draining both pipes into the log for the whole life of the process.
  let seen = '';
  const ready = new Promise((res, rej) => {
    const onData = (chunk) => {
      out.write(chunk);
      if (seen !== null) {
        seen += chunk.toString();
        if (seen.includes('HTTP server listening')) {
          seen = null;
          res();
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', rej);
    exited.then((code) => rej(new Error(`code-server exited (${code}) before listening; log ${logFile}:\n${seen ?? ''}`)));
    setTimeout(() => rej(new Error(`code-server did not listen within 60 s; log ${logFile}:\n${seen ?? ''}`)), 60000).unref();
  });

  const killGroup = (signal) => {
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  };
  // Never leave code-server behind when this process exits.
  const onExit = () => killGroup('SIGKILL');
  process.on('exit', onExit);

  /** Stops code-server and its children (the whole process group). */
  const stop = async () => {
    process.off('exit', onExit);
    if (alive) {
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    killGroup('SIGKILL'); // children such as the file watcher may outlive the main process
    out.end();
  };

  try {
    await ready;
  } catch (err) {
    await stop();
    throw err;
  }
  const folder = encodeURIComponent(ws).replace(/%2F/g, '/');
  return { url: `http://127.0.0.1:${port}/?folder=${folder}`, port, pid, logFile, exited, stop };
}
