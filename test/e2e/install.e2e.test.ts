// Installing the VSIX the way users do (issue 23): code-server 4.100.3 (VS Code 1.100.3)
// `--install-extension` accepts the packaged extension and unpacks exactly the VSIX's files into
// its extensions folder (not a link to this checkout), and refuses a copy whose engines.vscode
// asks for a newer VS Code, naming the VS Code version it has. No browser needed.
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ensureCodeServer, installVsix, installVsixRaw, repoRoot } from '../../scripts/code-server.mjs';
import { ensureVsix, listZip, readManifest } from '../../scripts/package.mjs';
import { ensureBuilt } from '../helpers/build';
import { readZip, writeZip } from '../helpers/zip';

/** Every file under `dir`, relative to it, sorted. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

describe('installing the VSIX into code-server', { timeout: 300_000 }, () => {
  let tmp = '';
  let vsix = '';
  const manifest = readManifest();

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'spikeworks-install-'));
    await ensureCodeServer();
    ensureBuilt();
    vsix = ensureVsix();
  }, { timeout: 300_000 });

  after(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('installs it: a real folder with exactly the VSIX files, listed in extensions.json', () => {
    const runDir = join(tmp, 'ok');
    const folder = installVsix(runDir, vsix);
    assert.equal(relative(join(runDir, 'ext'), folder), `${manifest.publisher}.${manifest.name}-${manifest.version}`);
    assert.ok(!lstatSync(folder).isSymbolicLink(), 'installed, not linked');
    assert.ok(!realpathSync(folder).startsWith(realpathSync(repoRoot)), 'the installed copy lives outside the checkout');
    const packed = listZip(vsix).filter((e) => e.path.startsWith('extension/')).map((e) => e.path.slice('extension/'.length)).sort();
    // VS Code adds its own metadata file (.vsixmanifest) next to the extension's files.
    assert.deepEqual(filesUnder(folder).filter((f) => f !== '.vsixmanifest'), packed);
    assert.equal(JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')).version, manifest.version);
    const listed = JSON.parse(readFileSync(join(runDir, 'ext', 'extensions.json'), 'utf8')) as { identifier: { id: string }; metadata?: { source?: string } }[];
    const ours = listed.find((e) => e.identifier.id === `${manifest.publisher}.${manifest.name}`);
    assert.equal(ours?.metadata?.source, 'vsix');
    // Installing again (a re-run of the suite on the same folder) replaces it.
    assert.equal(installVsix(runDir, vsix), folder);
  });

  it('is refused by a VS Code older than engines.vscode, with the version named', () => {
    const newer = join(tmp, 'newer-engine.vsix');
    const files = readZip(vsix).map((f) => {
      if (f.path !== 'extension/package.json') return f;
      const pkg = JSON.parse(f.data.toString('utf8'));
      pkg.engines.vscode = '^1.999.0';
      return { path: f.path, data: Buffer.from(JSON.stringify(pkg, null, 2)) };
    });
    writeZip(newer, files);
    const runDir = join(tmp, 'refused');
    const r = installVsixRaw(runDir, newer);
    assert.notEqual(r.status, 0, r.output);
    assert.match(r.output, /Unable to install extension 'spikeworks\.spikeworks' as it is not compatible with VS Code '1\.100\.\d+'/);
    const ext = join(runDir, 'ext');
    assert.deepEqual(existsSync(ext) ? readdirSync(ext).filter((n) => n.startsWith('spikeworks.')) : [], [], 'nothing of it was installed');
    // And the same VSIX with the real engines.vscode installs (the refusal is the version's).
    assert.ok(installVsix(join(tmp, 'same-runDir-ok'), vsix));
  });
});
