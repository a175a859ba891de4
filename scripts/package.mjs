// `npm run package`: builds dist/, packages the extension with @vscode/vsce into
// spikeworks-<version>.vsix, lists the VSIX and fails (exit 1, naming each problem) when a file
// the manifest or the code needs is missing, a file that must not ship is inside (sources, tests,
// node_modules, source maps, secrets), or the VSIX is over the size budget.
//   node scripts/package.mjs [--out FILE] [--no-build]
//   node scripts/package.mjs --target linux-x64     a platform VSIX that also carries Dawn (WebGPU)
//   node scripts/package.mjs --check FILE.vsix [--target T]   only list and check a VSIX
// What goes in is the allow-list in .vscodeignore. Plain ESM JavaScript (no build step); the
// checker (`checkPackage`) takes a file list so that tests can feed it broken packages.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withDirLock } from './dir-lock.mjs';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Size budget of the VSIX file (compressed bytes). Measured 2026-12-06: 1.12 MiB for 0.1.0
 * (desktop and web bundles without source maps, the icon and the screenshot); the budget leaves
 * room to grow but catches a stray node_modules, source maps (+7 MB) or a runtime blob added by
 * mistake. ONNX models need onnxruntime-web's 14.8 MB .wasm (3.8 MB compressed): 8 MiB.
 */
export const SIZE_BUDGET_BYTES = 8 * 1024 * 1024;

/**
 * The one package the bundles load from node_modules at run time: `webgpu` (Dawn, a native
 * module), which dist/sim-worker.js resolves for the WebGPU backend in Node. It is optional (no
 * Dawn: runs asking for WebGPU run on WASM and say why) and 20–40 MB per platform, so the
 * universal VSIX leaves it out and a platform VSIX (`--target`, as vsce names targets) carries
 * that platform's binary only. Target → folder of node_modules/webgpu/dist.
 */
export const DAWN_TARGETS = {
  'linux-x64': 'linux-x64',
  'linux-arm64': 'linux-arm64',
  'darwin-x64': 'darwin-universal',
  'darwin-arm64': 'darwin-universal',
  'win32-x64': 'win32-x64',
  'win32-arm64': 'win32-arm64',
};

/**
 * Budget of a platform VSIX. Measured 2026-12-06: linux-x64 8.1 MiB (Dawn's 20.5 MB binary
 * compresses to about 7 MB), darwin-arm64 6.9 MiB, win32-arm64 16.4 MiB (Windows binaries are 33–39 MB).
 */
export const TARGET_SIZE_BUDGET_BYTES = 20 * 1024 * 1024;

/** The files of the webgpu package a platform VSIX carries (relative to the extension's root). */
export function dawnFiles(target, root = repoRoot) {
  const dir = DAWN_TARGETS[target];
  if (!dir) throw new Error(`no Dawn (webgpu) binary for target ${target}; targets: ${Object.keys(DAWN_TARGETS).join(', ')}`);
  const base = 'node_modules/webgpu';
  const platformDir = join(root, base, 'dist', dir);
  const binaries = existsSync(platformDir) ? readdirSync(platformDir).sort().map((f) => `${base}/dist/${dir}/${f}`) : [`${base}/dist/${dir}/dawn.node`];
  return [`${base}/package.json`, `${base}/index.js`, `${base}/LICENSE.md`, ...binaries];
}

/**
 * Files the code loads at run time that package.json does not name: the language server and the
 * simulation worker (extension/src/extension.ts, simulation/runner.ts, simulation/sweep.ts), the
 * web extension's Worker language server (extension/src/browser.ts), the panels' bundles
 * (extension/src/panels/html.ts; onnx-graph: the .onnx editor, extension/src/onnx-editor.ts), the language reference the diagnostics link to, the CLI
 * bundle, h5wasm for NIR files (io/nir-file.ts) and onnxruntime-web's WASM runtime for ONNX models
 * (sim-host/src/onnx/runtime.ts). Paths relative to the extension's root.
 */
export const RUNTIME_FILES = [
  'dist/server.js',
  'dist/server-browser.js',
  'dist/sim-worker.js',
  'dist/onnx-inspect.js',
  'dist/cli.js',
  'dist/h5wasm.mjs',
  'dist/ort/ort-wasm-simd-threaded.wasm',
  'dist/ort/ort-wasm-simd-threaded.mjs',
  'dist/LANGUAGE.md',
  ...['raster', 'traces', 'sweep', 'onnx-graph'].flatMap((p) => [`dist/webviews/${p}.js`, `dist/webviews/${p}.css`]),
];

/**
 * Also required: the manifest, the Marketplace page, the changelog and the licence. vsce stores
 * them under its own names (readme.md, changelog.md, LICENSE.txt): any of the names counts.
 */
const DOCUMENT_FILES = [['package.json'], ['readme.md', 'README.md'], ['changelog.md', 'CHANGELOG.md'], ['LICENSE.txt', 'LICENSE', 'LICENSE.md']];

/** Every file path (relative to the extension's root) package.json refers to. */
export function manifestFiles(manifest) {
  const files = [];
  const add = (p) => {
    if (typeof p === 'string' && p && !/^[a-z]+:/i.test(p)) files.push(p.replace(/^\.\//, ''));
  };
  add(manifest.main);
  add(manifest.browser);
  add(manifest.icon);
  const c = manifest.contributes ?? {};
  for (const l of c.languages ?? []) {
    add(l.configuration);
    if (typeof l.icon === 'string') add(l.icon);
    else if (l.icon) {
      add(l.icon.light);
      add(l.icon.dark);
    }
  }
  for (const g of c.grammars ?? []) add(g.path);
  for (const s of c.snippets ?? []) add(s.path);
  for (const j of c.jsonValidation ?? []) add(j.url);
  for (const w of c.walkthroughs ?? []) {
    for (const step of w.steps ?? []) {
      const m = step.media ?? {};
      add(m.markdown);
      add(m.svg);
      if (typeof m.image === 'string') add(m.image);
      else if (m.image) {
        add(m.image.light);
        add(m.image.dark);
        add(m.image.hc);
      }
    }
  }
  return [...new Set(files)];
}

/**
 * Files the extension needs at run time that live in folders of the repository: every prelude
 * file (copied to dist/prelude) and every New Model template (extension/templates).
 */
export function repoRuntimeFiles(root = repoRoot) {
  const list = (dir, ext) => (existsSync(join(root, dir)) ? readdirSync(join(root, dir)).filter((f) => f.endsWith(ext)).sort() : []);
  return [
    ...list('language-server/prelude', '.snn').map((f) => `dist/prelude/${f}`),
    ...list('extension/templates', '.snn').map((f) => `extension/templates/${f}`),
  ];
}

/** Everything that must be in the package. */
export function requiredFiles(manifest, root = repoRoot) {
  return [...new Set([...manifestFiles(manifest), ...RUNTIME_FILES, ...repoRuntimeFiles(root)])];
}

/** [rule, why] for files that must never ship (paths relative to the extension's root). */
const FORBIDDEN = [
  [/(^|\/)node_modules\//, 'node_modules (the bundles need none of it)'],
  [/(^|\/)(test|tests|__tests__|\.vscode-test)\//, 'a test folder'],
  [/\.test\.[cm]?[jt]s$/, 'a test file'],
  [/(?<!\.d)\.[cm]?tsx?$/, 'a TypeScript source'],
  [/\.map$/, 'a source map'],
  [/(^|\/)src\//, 'a source folder'],
  [/(^|\/)\.env(\.|$)/, 'an environment file (secrets)'],
  [/(^|\/)(\.npmrc|\.netrc|\.git-credentials)$/, 'a credentials file'],
  [/(^|\/)id_(rsa|dsa|ecdsa|ed25519)(\.pub)?$/, 'an SSH key'],
  [/\.(pem|key|p12|pfx|crt)$/i, 'a key or certificate'],
  [/(^|\/)\.git\//, 'git metadata'],
  [/\.vsix$/, 'a packaged extension'],
  [/(^|\/)(tsconfig[^/]*\.json|esbuild\.mjs|package-lock\.json)$/, 'build configuration'],
  [/(^|\/)(scripts|bench|\.ci|\.spikeworks|test-results)\//, 'a development folder'],
  // The playground is a static site of its own (npm run playground), never part of the extension.
  [/(^|\/)(dist\/)?playground\//, 'the playground (a site of its own)'],
  [/(^|\/)(monaco-editor|codicon\.ttf$)/, 'Monaco (the playground\'s editor)'],
];

/** The file list of a VSIX entry list: paths under `extension/`, without that prefix. */
export function extensionPaths(entries) {
  return entries.filter((e) => e.path.startsWith('extension/')).map((e) => ({ ...e, path: e.path.slice('extension/'.length) }));
}

/**
 * Checks a package's contents. `entries`: [{ path, size }] as in the VSIX (`extension/...` and the
 * VSIX's own `extension.vsixmanifest`, `[Content_Types].xml`). `vsixBytes`: the file's size.
 * Returns the problems found (empty: the package is good), one sentence each.
 */
export function checkPackage(entries, { manifest, vsixBytes, target, budget = target ? TARGET_SIZE_BUDGET_BYTES : SIZE_BUDGET_BYTES, root = repoRoot }) {
  const problems = [];
  const dawn = target ? new Set(dawnFiles(target, root)) : new Set();
  if (!entries.some((e) => e.path === 'extension.vsixmanifest')) problems.push('extension.vsixmanifest is missing: not a VSIX');
  const files = extensionPaths(entries);
  const have = new Set(files.map((f) => f.path));
  for (const names of DOCUMENT_FILES) {
    if (!names.some((n) => have.has(n))) problems.push(`missing: ${names[0]}${names.length > 1 ? ` (or ${names.slice(1).join(', ')})` : ''}`);
  }
  for (const need of requiredFiles(manifest, root)) {
    if (!have.has(need)) problems.push(`missing: ${need} (${manifestFiles(manifest).includes(need) ? 'named in package.json' : 'needed at run time'})`);
  }
  for (const need of dawn) if (!have.has(need)) problems.push(`missing: ${need} (WebGPU in Node for ${target})`);
  for (const f of files) {
    if (f.size === 0 && have.has(f.path) && requiredFiles(manifest, root).includes(f.path)) problems.push(`empty: ${f.path}`);
    if (dawn.has(f.path)) continue;
    const bad = FORBIDDEN.find(([re]) => re.test(f.path));
    if (bad) problems.push(`must not ship: ${f.path} (${bad[1]})`);
  }
  if (vsixBytes !== undefined && vsixBytes > budget) {
    problems.push(`the VSIX is ${formatBytes(vsixBytes)}, over the budget of ${formatBytes(budget)}`);
  }
  return problems;
}

/** Entries of a zip file from its central directory: [{ path, size (uncompressed), compressed }]. */
export function listZip(file) {
  return zipDirectory(readFileSync(file), file).map(({ path, size, compressed }) => ({ path, size, compressed }));
}

/**
 * The file entries (not folders) of the zip archive in `buf`, from its central directory: path,
 * sizes, compression method and the offset of the entry's local header. No zip64.
 */
export function zipDirectory(buf, file = 'zip') {
  // End of central directory: signature 0x06054b50, within the last 64 KiB + 22 bytes.
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65_557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file (no end of central directory)`);
  const count = buf.readUInt16LE(eocd + 10);
  let at = buf.readUInt32LE(eocd + 16);
  const entries = [];
  for (let k = 0; k < count; k++) {
    if (buf.readUInt32LE(at) !== 0x02014b50) throw new Error(`${file}: bad central directory entry ${k}`);
    const method = buf.readUInt16LE(at + 10);
    const compressed = buf.readUInt32LE(at + 20);
    const size = buf.readUInt32LE(at + 24);
    const nameLen = buf.readUInt16LE(at + 28);
    const extraLen = buf.readUInt16LE(at + 30);
    const commentLen = buf.readUInt16LE(at + 32);
    const local = buf.readUInt32LE(at + 42);
    const path = buf.toString('utf8', at + 46, at + 46 + nameLen);
    if (!path.endsWith('/')) entries.push({ path, size, compressed, method, local });
    at += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

export function formatBytes(n) {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(2)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
}

export function readManifest(root = repoRoot) {
  return JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
}

/** The default output: spikeworks-<version>.vsix (spikeworks-<target>-<version>.vsix) in the repository root. */
export function defaultVsixPath(manifest = readManifest(), target) {
  return join(repoRoot, `${manifest.name}-${target ? `${target}-` : ''}${manifest.version}.vsix`);
}

/** Runs vsce to write `out` (universal, or for `target` with its Dawn binary). Throws with vsce's output when it fails. */
export function runVsce(out, { target } = {}) {
  const vsce = join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  if (!existsSync(vsce)) throw new Error('@vscode/vsce is not installed (npm install)');
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.partial-${process.pid}.vsix`;
  const args = [
    vsce, 'package',
    '--out', tmp,
    '--allow-missing-repository', // there is no public repository yet
    '--no-rewrite-relative-links', // README images are files in the VSIX (media/), shown from there
  ];
  let ignoreFile;
  if (target) {
    // The allow-list plus this platform's Dawn; vsce collects node_modules only with dependencies on.
    ignoreFile = join(tmpdir(), `spikeworks-vscodeignore-${process.pid}-${target}`);
    const extra = dawnFiles(target).map((f) => `!${f}`).join('\n');
    writeFileSync(ignoreFile, `${readFileSync(join(repoRoot, '.vscodeignore'), 'utf8')}\n# ${target}: Dawn for WebGPU in Node\n${extra}\n`);
    args.push('--target', target, '--dependencies', '--ignoreFile', ignoreFile);
  } else {
    args.push('--no-dependencies'); // the bundles carry their dependencies; nothing from node_modules ships
  }
  const r = spawnSync(process.execPath, args, { cwd: repoRoot, encoding: 'utf8', timeout: 180_000 });
  if (ignoreFile) rmSync(ignoreFile, { force: true });
  if (r.status !== 0) {
    rmSync(tmp, { force: true });
    throw new Error(`vsce package failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  }
  renameSync(tmp, out);
}

/** Lists a VSIX, prints a summary and returns the problems (see checkPackage). */
export function inspectVsix(file, { manifest = readManifest(), target, budget = target ? TARGET_SIZE_BUDGET_BYTES : SIZE_BUDGET_BYTES, print = console.log } = {}) {
  const entries = listZip(file);
  const vsixBytes = statSync(file).size;
  const files = extensionPaths(entries);
  const unpacked = files.reduce((s, f) => s + f.size, 0);
  print(`${relative(process.cwd(), file) || file}: ${files.length} files, ${formatBytes(vsixBytes)} (budget ${formatBytes(budget)}), ${formatBytes(unpacked)} unpacked`);
  const top = new Map();
  for (const f of files) {
    const key = f.path.includes('/') ? `${f.path.split('/')[0]}/` : f.path;
    const t = top.get(key) ?? { n: 0, bytes: 0 };
    t.n++;
    t.bytes += f.size;
    top.set(key, t);
  }
  for (const [k, t] of [...top].sort((a, b) => a[0].localeCompare(b[0]))) print(`  ${k.padEnd(16)} ${String(t.n).padStart(3)} file${t.n === 1 ? ' ' : 's'} ${formatBytes(t.bytes).padStart(11)}`);
  return { entries, vsixBytes, problems: checkPackage(entries, { manifest, vsixBytes, target, budget }) };
}

/** Hash of everything the VSIX is made from (the allow-list's folders, the manifest, the docs). */
export function inputsHash(root = repoRoot) {
  const h = createHash('sha256');
  const walk = (rel) => {
    const abs = join(root, rel);
    if (!existsSync(abs)) return;
    const st = statSync(abs);
    if (st.isDirectory()) {
      for (const e of readdirSync(abs).sort()) walk(rel ? `${rel}/${e}` : e);
    } else if (!rel.endsWith('.map')) {
      h.update(`${rel}\0${st.size}\0`);
      h.update(readFileSync(abs));
    }
  };
  for (const p of ['package.json', '.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE', 'media', 'syntaxes', 'dist', 'extension/walkthrough', 'extension/templates']) walk(p);
  return h.digest('hex').slice(0, 16);
}

/**
 * The VSIX of the current dist/ for the end-to-end tests: node_modules/.cache/spikeworks-vsix/
 * <name>-<version>-<inputs hash>.vsix, packaged (and checked) only when the inputs changed since
 * the last one; a lock directory keeps parallel test processes from packaging at once. dist/
 * must be built already (npm test builds it first). Throws with the problems of a bad package.
 */
export function ensureVsix() {
  const manifest = readManifest();
  const cache = join(repoRoot, 'node_modules', '.cache', 'spikeworks-vsix');
  mkdirSync(cache, { recursive: true });
  return withDirLock(join(cache, 'lock'), 240_000, 'packaging', () => {
    const file = join(cache, `${manifest.name}-${manifest.version}-${inputsHash()}.vsix`);
    if (existsSync(file)) return file;
    for (const old of readdirSync(cache)) if (old.endsWith('.vsix')) rmSync(join(cache, old), { force: true });
    runVsce(file);
    const { problems } = inspectVsix(file, { manifest, print: () => {} });
    if (problems.length) {
      rmSync(file, { force: true });
      throw new Error(`the packaged VSIX is not shippable:\n  ${problems.join('\n  ')}`);
    }
    return file;
  });
}

function main(argv) {
  const arg = (name) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const manifest = readManifest();
  const target = arg('--target');
  if (target && !DAWN_TARGETS[target]) return fail([`--target ${target}: a platform VSIX is for one of ${Object.keys(DAWN_TARGETS).join(', ')}`]);
  let file = arg('--check');
  if (file) {
    file = resolve(file);
  } else {
    file = resolve(arg('--out') ?? defaultVsixPath(manifest, target));
    if (!argv.includes('--no-build')) {
      console.log('> node esbuild.mjs');
      const b = spawnSync(process.execPath, ['esbuild.mjs'], { cwd: repoRoot, stdio: 'inherit' });
      if (b.status !== 0) return fail([`the build failed (exit ${b.status ?? b.signal})`]);
    }
    console.log(`> vsce package → ${basename(file)}`);
    try {
      runVsce(file, { target });
    } catch (e) {
      return fail([e.message]);
    }
  }
  if (!existsSync(file)) return fail([`${file} does not exist`]);
  const { problems } = inspectVsix(file, { manifest, target });
  if (problems.length) return fail(problems, file);
  console.log(`ok: ${basename(file)} has every file the manifest and the code need, nothing that must not ship, and is under the budget`);
  return 0;
}

function fail(problems, file) {
  console.error(`\npackage check FAILED${file ? ` for ${basename(file)}` : ''}:`);
  for (const p of problems) console.error(`  - ${p}`);
  return 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
