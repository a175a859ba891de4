// The VSIX (issue 23): the package checker in scripts/package.mjs on listings it must accept and
// reject, that it knows every file package.json and the extension's code name, that
// engines.vscode matches the API the code is compiled against, and the real VSIX built by vsce:
// complete, nothing that must not ship, under the budget, and `package.mjs --check` failing (exit
// 1, naming the file) on a copy with a runtime file left out.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { after, describe, it } from 'node:test';
import {
  checkPackage,
  DAWN_TARGETS,
  dawnFiles,
  ensureVsix,
  inspectVsix,
  listZip,
  manifestFiles,
  readManifest,
  requiredFiles,
  runVsce,
  RUNTIME_FILES,
  SIZE_BUDGET_BYTES,
  TARGET_SIZE_BUDGET_BYTES,
  type ZipEntry,
} from '../scripts/package.mjs';
import { ensureBuilt, repoRoot } from './helpers/build';
import { readZip, writeZip } from './helpers/zip';

const manifest = readManifest();

/** A complete, good listing as vsce writes it: every required file under extension/. */
function goodListing(): ZipEntry[] {
  return [
    { path: 'extension.vsixmanifest', size: 2000 },
    { path: '[Content_Types].xml', size: 600 },
    ...['package.json', 'readme.md', 'changelog.md', 'LICENSE.txt', ...requiredFiles(manifest)].map((p) => ({ path: `extension/${p}`, size: 100 })),
  ];
}

const without = (entries: ZipEntry[], path: string) => {
  assert.ok(entries.some((e) => e.path === `extension/${path}`), `the good listing has ${path}`);
  return entries.filter((e) => e.path !== `extension/${path}`);
};

describe('package checker (scripts/package.mjs checkPackage)', () => {
  it('accepts a complete listing under the budget', () => {
    assert.deepEqual(checkPackage(goodListing(), { manifest, vsixBytes: 1_000_000 }), []);
  });

  it('names a missing runtime file, walkthrough page, grammar, template, prelude file or document', () => {
    const cases: [string, RegExp][] = [
      ['dist/sim-worker.js', /^missing: dist\/sim-worker\.js \(needed at run time\)$/],
      ['dist/server.js', /^missing: dist\/server\.js/],
      ['dist/extension.js', /^missing: dist\/extension\.js \(named in package\.json\)$/],
      ['dist/browser.js', /^missing: dist\/browser\.js \(named in package\.json\)$/],
      ['dist/server-browser.js', /^missing: dist\/server-browser\.js \(needed at run time\)$/],
      ['dist/webviews/raster.js', /^missing: dist\/webviews\/raster\.js/],
      ['extension/walkthrough/run.md', /^missing: extension\/walkthrough\/run\.md \(named in package\.json\)$/],
      ['syntaxes/snn.tmLanguage.json', /^missing: syntaxes\/snn\.tmLanguage\.json \(named in package\.json\)$/],
      ['extension/templates/coba_ei.snn', /^missing: extension\/templates\/coba_ei\.snn/],
      ['dist/prelude/neurons.snn', /^missing: dist\/prelude\/neurons\.snn/],
      ['media/icon.png', /^missing: media\/icon\.png \(named in package\.json\)$/],
      ['LICENSE.txt', /^missing: LICENSE\.txt/],
      ['changelog.md', /^missing: changelog\.md/],
    ];
    for (const [path, expected] of cases) {
      const problems = checkPackage(without(goodListing(), path), { manifest, vsixBytes: 1_000_000 });
      assert.equal(problems.length, 1, `${path}: ${problems.join('; ')}`);
      assert.match(problems[0]!, expected);
    }
  });

  it('names a required file that is empty', () => {
    const entries = goodListing().map((e) => (e.path === 'extension/dist/server.js' ? { ...e, size: 0 } : e));
    assert.deepEqual(checkPackage(entries, { manifest, vsixBytes: 1 }), ['empty: dist/server.js']);
  });

  it('rejects sources, tests, node_modules, source maps, secrets and build files, and names each', () => {
    const bad = [
      'extension/src/extension.ts',
      'language-server/src/lexer.ts',
      'test/package.test.ts',
      'dist/extension.js.map',
      'node_modules/vscode-languageclient/lib/main.js',
      '.env',
      '.env.local',
      'keys/deploy.pem',
      'id_ed25519',
      '.npmrc',
      'tsconfig.json',
      'scripts/package.mjs',
      'spikeworks-0.0.9.vsix',
      '.git/config',
      'dist/playground/app.js',
      'playground/index.html',
      'dist/monaco-editor/editor.main.js',
      'dist/codicon.ttf',
    ];
    for (const path of bad) {
      const problems = checkPackage([...goodListing(), { path: `extension/${path}`, size: 10 }], { manifest, vsixBytes: 1_000_000 });
      assert.equal(problems.length, 1, `${path}: ${problems.join('; ')}`);
      assert.match(problems[0]!, new RegExp(`^must not ship: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(`));
    }
    // Type declarations and ordinary runtime files are fine.
    const ok = ['dist/types.d.ts', 'dist/webviews/extra.js', 'media/banner.png'];
    assert.deepEqual(checkPackage([...goodListing(), ...ok.map((p) => ({ path: `extension/${p}`, size: 10 }))], { manifest, vsixBytes: 1 }), []);
  });

  it('fails a package over the size budget, saying both sizes', () => {
    const problems = checkPackage(goodListing(), { manifest, vsixBytes: SIZE_BUDGET_BYTES + 1 });
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /^the VSIX is 8\.00 MiB, over the budget of 8\.00 MiB$/);
    assert.deepEqual(checkPackage(goodListing(), { manifest, vsixBytes: SIZE_BUDGET_BYTES }), []);
    assert.match(checkPackage(goodListing(), { manifest, vsixBytes: 2_000_000, budget: 1_000_000 })[0]!, /1\.91 MiB, over the budget of 976\.6 KiB/);
  });

  it('a platform VSIX (--target) must carry that platform\'s Dawn and no other node_modules file', () => {
    const dawn = dawnFiles('linux-x64');
    assert.ok(dawn.includes('node_modules/webgpu/dist/linux-x64/dawn.node') && dawn.includes('node_modules/webgpu/index.js'), dawn.join(', '));
    const withDawn = [...goodListing(), ...dawn.map((p) => ({ path: `extension/${p}`, size: 100 }))];
    assert.deepEqual(checkPackage(withDawn, { manifest, target: 'linux-x64', vsixBytes: 8_000_000 }), []);
    // The universal VSIX must not carry it.
    assert.ok(checkPackage(withDawn, { manifest, vsixBytes: 1_000_000 }).every((p) => /^must not ship: node_modules\/webgpu\/.* \(node_modules/.test(p)));
    // Missing binary, another platform's binary, another package.
    const noBinary = withDawn.filter((e) => e.path !== 'extension/node_modules/webgpu/dist/linux-x64/dawn.node');
    assert.deepEqual(checkPackage(noBinary, { manifest, target: 'linux-x64', vsixBytes: 1 }), ['missing: node_modules/webgpu/dist/linux-x64/dawn.node (WebGPU in Node for linux-x64)']);
    const extra = [...withDawn, { path: 'extension/node_modules/webgpu/dist/win32-x64/dawn.node', size: 1 }, { path: 'extension/node_modules/debug/index.js', size: 1 }];
    assert.equal(checkPackage(extra, { manifest, target: 'linux-x64', vsixBytes: 1 }).length, 2);
    // Its budget is the platform budget.
    assert.match(checkPackage(withDawn, { manifest, target: 'linux-x64', vsixBytes: TARGET_SIZE_BUDGET_BYTES + 1 })[0]!, /over the budget of 20\.00 MiB/);
    assert.equal(DAWN_TARGETS['darwin-arm64'], 'darwin-universal');
    assert.throws(() => dawnFiles('alpine-x64'), /no Dawn \(webgpu\) binary for target alpine-x64/);
  });

  it('knows every file path package.json names (a new contribution kind would be missed otherwise)', () => {
    // Every string in the manifest that is the path of a file in the repository.
    const found = new Set<string>();
    const walk = (v: unknown) => {
      if (typeof v === 'string') {
        const p = v.replace(/^\.\//, '');
        if (/^[\w.-]+(\/[\w.-]+)*\.\w+$/.test(p) && p !== 'package.json') {
          try {
            if (statSync(join(repoRoot, p)).isFile()) found.add(p);
          } catch {
            /* not a file */
          }
        }
      } else if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk({ ...manifest, bin: undefined, scripts: undefined });
    const named = manifestFiles(manifest);
    for (const p of found) assert.ok(named.includes(p), `package.json names ${p}, which the checker does not require`);
    assert.ok(found.size >= 8, `only ${found.size} file paths found in package.json`);
    // The walkthrough pages are among them.
    for (const p of readdirSync(join(repoRoot, 'extension', 'walkthrough'))) assert.ok(named.includes(`extension/walkthrough/${p}`), p);
  });

  it('requires every dist/ file the extension code opens by name', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(dir, e.name));
        else if (e.name.endsWith('.ts')) files.push(join(dir, e.name));
      }
    };
    walk(join(repoRoot, 'extension', 'src'));
    const opened = new Set<string>();
    for (const f of files) {
      for (const m of readFileSync(f, 'utf8').matchAll(/'dist',\s*'([\w.-]+\.(?:js|md|css))'/g)) opened.add(`dist/${m[1]}`);
    }
    assert.ok(opened.has('dist/server.js') && opened.has('dist/sim-worker.js') && opened.has('dist/server-browser.js'), [...opened].join(', '));
    const required = requiredFiles(manifest);
    for (const p of opened) assert.ok(required.includes(p), `${p} is opened by the extension but not required in the package`);
    for (const p of RUNTIME_FILES) assert.ok(required.includes(p));
  });
});

describe('engines.vscode (package.json)', () => {
  const minVersion = (range: string) => {
    const m = /^(?:\^|>=\s*|~)?(\d+)\.(\d+)\.(\d+)$/.exec(range.trim());
    assert.ok(m, `${range}: expected ^X.Y.Z, ~X.Y.Z, >=X.Y.Z or X.Y.Z`);
    return [Number(m[1]), Number(m[2]), Number(m[3])] as const;
  };
  const cmp = (a: readonly number[], b: readonly number[]) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;

  it('is at least the VS Code API the code is compiled against (@types/vscode)', () => {
    const engine = minVersion(manifest.engines.vscode);
    const types = JSON.parse(readFileSync(join(repoRoot, 'node_modules', '@types', 'vscode', 'package.json'), 'utf8')).version as string;
    const t = minVersion(types);
    // The types describe VS Code major.minor's API: a newer one would let the code call API that
    // users on the oldest VS Code engines.vscode admits do not have.
    assert.ok(cmp([t[0], t[1], 0], [engine[0], engine[1], 0]) <= 0, `@types/vscode ${types} is newer than engines.vscode ${manifest.engines.vscode}`);
    // …and the devDependency cannot drift to a newer minor on the next install.
    const dev = manifest.devDependencies['@types/vscode'] as string;
    assert.match(dev, /^(~|)\d+\.\d+\.\d+$/, `@types/vscode should be pinned to a minor version (~X.Y.Z), is ${dev}`);
    assert.ok(cmp(minVersion(dev), engine) <= 0, `@types/vscode ${dev} is above engines.vscode ${manifest.engines.vscode}`);
  });

  it('admits the VS Code the end-to-end suite runs (code-server 4.100.3 is VS Code 1.100.3)', () => {
    assert.ok(cmp(minVersion(manifest.engines.vscode), [1, 100, 3]) <= 0, manifest.engines.vscode);
    assert.match(manifest.engines.vscode, /^\^/, 'a caret range: any later 1.x VS Code');
  });
});

describe('the packaged VSIX (vsce)', { timeout: 300_000 }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'spikeworks-vsix-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));
  let vsix = '';
  const vsixFile = () => {
    if (!vsix) {
      ensureBuilt();
      vsix = ensureVsix();
    }
    return vsix;
  };
  const checkCli = (file: string) => spawnSync(process.execPath, [join(repoRoot, 'scripts', 'package.mjs'), '--check', file], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });

  it('holds exactly the runtime files, the documents and the media: no sources, tests, maps or node_modules', () => {
    const lines: string[] = [];
    const { entries, vsixBytes, problems } = inspectVsix(vsixFile(), { print: (l) => lines.push(l) });
    assert.deepEqual(problems, []);
    assert.ok(vsixBytes <= SIZE_BUDGET_BYTES, `${vsixBytes} bytes`);
    assert.match(lines[0]!, /^.*\.vsix: \d+ files, [\d.]+ (KiB|MiB) \(budget 8\.00 MiB\)/);
    const files = entries.filter((e) => e.path.startsWith('extension/')).map((e) => e.path.slice('extension/'.length)).sort();
    // Top level: only these.
    assert.deepEqual([...new Set(files.map((f) => f.split('/')[0]))].sort(), ['LICENSE.txt', 'changelog.md', 'dist', 'extension', 'media', 'package.json', 'readme.md', 'syntaxes']);
    assert.deepEqual(files.filter((f) => f.startsWith('extension/')).map((f) => f.split('/')[1]).filter((v, i, a) => a.indexOf(v) === i).sort(), ['templates', 'walkthrough']);
    assert.deepEqual(files.filter((f) => /\.map$|\.ts$|node_modules|(^|\/)test\//.test(f)), []);
    // The web extension and its worker server are in; the page-only WebGPU bundle is not.
    assert.ok(files.includes('dist/browser.js') && files.includes('dist/server-browser.js'));
    assert.ok(!files.includes('dist/webgpu-browser.js'));
    // The shipped manifest is the repository's.
    const shipped = JSON.parse(readZip(vsixFile()).find((f) => f.path === 'extension/package.json')!.data.toString('utf8'));
    assert.equal(shipped.version, manifest.version);
    assert.equal(shipped.engines.vscode, manifest.engines.vscode);
  });

  it('`package.mjs --check` passes the VSIX and fails (exit 1, naming the file) on a copy without dist/sim-worker.js', () => {
    const good = checkCli(vsixFile());
    assert.equal(good.status, 0, good.stdout + good.stderr);
    assert.match(good.stdout, /^ok: /m);

    const broken = join(tmp, 'no-worker.vsix');
    const files = readZip(vsixFile());
    assert.ok(files.some((f) => f.path === 'extension/dist/sim-worker.js'));
    writeZip(broken, files.filter((f) => f.path !== 'extension/dist/sim-worker.js'));
    assert.equal(listZip(broken).length, files.length - 1);
    const r = checkCli(broken);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /package check FAILED for no-worker\.vsix:\n {2}- missing: dist\/sim-worker\.js \(needed at run time\)\n$/);
  });

  it('`package.mjs --check` fails on a copy that ships a source map and a .env file', () => {
    const files = readZip(vsixFile());
    const broken = join(tmp, 'leaky.vsix');
    writeZip(broken, [...files, { path: 'extension/dist/extension.js.map', data: Buffer.from('{}') }, { path: 'extension/.env', data: Buffer.from('TOKEN=x') }]);
    const r = checkCli(broken);
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /must not ship: dist\/extension\.js\.map \(a source map\)/);
    assert.match(r.stderr, /must not ship: \.env \(an environment file \(secrets\)\)/);
  });

  it('a linux-x64 VSIX carries Dawn where dist/sim-worker.js resolves it, and it loads', { skip: process.platform !== 'linux' || process.arch !== 'x64' ? 'not linux-x64' : false }, async () => {
    vsixFile(); // dist/ built
    const out = join(tmp, 'spikeworks-linux-x64.vsix');
    runVsce(out, { target: 'linux-x64' });
    const { problems, vsixBytes } = inspectVsix(out, { target: 'linux-x64', print: () => {} });
    assert.deepEqual(problems, []);
    assert.ok(vsixBytes > 4_000_000 && vsixBytes <= TARGET_SIZE_BUDGET_BYTES, String(vsixBytes));
    // Unpack the extension folder as VS Code does and resolve 'webgpu' from dist/ as the worker does.
    const ext = join(tmp, 'unpacked');
    for (const f of readZip(out)) {
      if (!f.path.startsWith('extension/')) continue;
      const p = join(ext, f.path.slice('extension/'.length));
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, f.data);
    }
    const where = createRequire(join(ext, 'dist', 'sim-worker.js')).resolve('webgpu');
    assert.equal(where, join(ext, 'node_modules', 'webgpu', 'index.js'));
    const mod = (await import(pathToFileURL(where).href)) as { create: unknown; globals: Record<string, unknown> };
    assert.equal(typeof mod.create, 'function');
    assert.ok('GPUBufferUsage' in mod.globals, Object.keys(mod.globals).join(', '));
  });

  it('is rebuilt only when its inputs change (one package per test run)', () => {
    const first = vsixFile();
    const again = ensureVsix();
    assert.equal(again, first);
    assert.ok(relative(join(repoRoot, 'node_modules', '.cache'), first).startsWith('spikeworks-vsix/'), first);
  });
});
