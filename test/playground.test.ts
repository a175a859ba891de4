// `npm start` opens a scratch copy of examples/ (issue 13): experiments, auto-save and exports
// must never overwrite the repository's tracked files, and a second start keeps the user's edits.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../scripts/code-server.mjs';
import { defaultPlayground, preparePlayground } from '../scripts/playground.mjs';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-playground-'));
const examples = path.join(repoRoot, 'examples');

function snnFiles(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.snn') || f.endsWith('.csv')).sort();
}

describe('npm start: the playground folder', () => {
  it('the default folder is not the tracked examples/ nor inside it, and is git-ignored', () => {
    const places = defaultPlayground(repoRoot);
    assert.equal(path.resolve(places.examples), examples);
    const rel = path.relative(examples, places.playground);
    assert.ok(rel.startsWith('..'), `the playground ${places.playground} is inside examples/`);
    const ignore = fs.readFileSync(path.join(repoRoot, '.gitignore'), 'utf8').split('\n');
    const top = path.relative(repoRoot, places.playground).split(path.sep)[0];
    assert.ok(ignore.includes(top) || ignore.includes(`${top}/`), `${top} is git-ignored`);
  });

  it('start.mjs opens the prepared playground, never examples/', () => {
    const start = fs.readFileSync(path.join(repoRoot, 'scripts', 'start.mjs'), 'utf8');
    assert.match(start, /preparePlayground\(/);
    assert.match(start, /workspace: playground/);
    assert.doesNotMatch(start, /workspace: examples/);
  });

  it('the first start copies every example and data file; the tracked files are untouched by edits there', () => {
    const playground = path.join(tmp, 'a', 'playground');
    const r = preparePlayground({ examples, playground });
    assert.equal(r.created, true);
    assert.notEqual(fs.realpathSync(r.folder), fs.realpathSync(examples));
    assert.deepEqual(snnFiles(r.folder), snnFiles(examples));
    const before = fs.readFileSync(path.join(examples, 'coba.snn'), 'utf8');
    fs.writeFileSync(path.join(r.folder, 'coba.snn'), '// my experiment\n');
    assert.equal(fs.readFileSync(path.join(examples, 'coba.snn'), 'utf8'), before);
  });

  it('a second start keeps edits, new files and deletions', () => {
    const playground = path.join(tmp, 'b', 'playground');
    preparePlayground({ examples, playground });
    fs.writeFileSync(path.join(playground, 'coba.snn'), '// my experiment\n');
    fs.writeFileSync(path.join(playground, 'mine.snn'), 'population a = LIF[1]\n');
    fs.rmSync(path.join(playground, 'xor_ei.snn'));
    const again = preparePlayground({ examples, playground });
    assert.equal(again.created, false);
    assert.equal(fs.readFileSync(path.join(playground, 'coba.snn'), 'utf8'), '// my experiment\n');
    assert.ok(fs.existsSync(path.join(playground, 'mine.snn')));
    assert.ok(!fs.existsSync(path.join(playground, 'xor_ei.snn')), 'a deleted example does not come back');
  });

  it('refuses a playground that is examples/ itself or inside it', () => {
    assert.throws(() => preparePlayground({ examples, playground: examples }), /must not be the examples folder/);
    assert.throws(() => preparePlayground({ examples, playground: path.join(examples, 'scratch') }), /must not be the examples folder/);
    assert.ok(!fs.existsSync(path.join(examples, 'scratch')));
  });
});
