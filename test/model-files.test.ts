// The extension's model loading (extension/src/simulation/model.ts): which data files a model
// reads (for the trust wait: from_file values, edge lists, event files), and
// that checking a model opens no data file before the workspace is trusted, none outside the
// given folders, and nothing that is not a regular file or is over the size limit.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { URI } from 'vscode-uri';
import { dataFiles, filesAwaitingTrust, loadModel, populationPlace, readRootsFor } from '../extension/src/simulation/model';
import { MAX_DATA_BYTES } from '../language-server/src/program';
import type { ReadPolicy } from '../extension/src/simulation/model';
import { distPrelude, ensureBuilt } from './helpers/build';

const MODEL = `model files
population a = LIF[3] {
  tau_m = from_file("data/cells.csv", unit = ms)
  v = from_file("data/cells.csv", column = "v0", unit = mV)
}
population b = LIF[2]
input ev = event_file[3] { file: "data/events.csv" }
input drive = poisson[3] { rate: 5 Hz }
connect a -> b { rule: all_to_all; weight: from_file("data/w.csv", column = "w", unit = pA); target: I_syn }
connect ev -> a { rule: from_file("data/edges.csv"); weight: 1 nA; target: I_syn }
connect drive -> a { rule: one_to_one; weight: 1 nA; target: I_syn }
simulate { dt: 0.1 ms; duration: 10 ms }
`;

let root: string;
let dir: string;
let uri: string;

/** Paths of the files `f` opened (fs.openSync / readFileSync), by watching the calls. */
function opened(f: () => void): string[] {
  const seen: string[] = [];
  // The CommonJS module object (what the compiled sources' `import * as fs` reads through).
  const mfs = require('node:fs') as { openSync: typeof fs.openSync; readFileSync: typeof fs.readFileSync };
  const open = mfs.openSync;
  const read = mfs.readFileSync;
  mfs.openSync = ((p: fs.PathLike, ...rest: unknown[]) => {
    seen.push(String(p));
    return (open as (...a: unknown[]) => number)(p, ...rest);
  }) as typeof fs.openSync;
  mfs.readFileSync = ((p: fs.PathOrFileDescriptor, ...rest: unknown[]) => {
    seen.push(String(p));
    return (read as (...a: unknown[]) => unknown)(p, ...rest);
  }) as typeof fs.readFileSync;
  try {
    f();
  } finally {
    mfs.openSync = open;
    mfs.readFileSync = read;
  }
  return seen;
}

describe('model data files and how they are read', () => {
  before(() => {
    ensureBuilt();
    root = fs.mkdtempSync(path.join(tmpdir(), 'swk-model-'));
    dir = path.join(root, 'ws');
    fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'data', 'cells.csv'), 'tau_m,v0\n10,-65\n12,-60\n15,-70\n');
    fs.writeFileSync(path.join(dir, 'data', 'w.csv'), 'w\n1\n2\n3\n4\n5\n6\n');
    fs.writeFileSync(path.join(dir, 'data', 'edges.csv'), 'pre,post\n0,1\n2,0\n');
    fs.writeFileSync(path.join(dir, 'data', 'events.csv'), 'time_s,index\n0.001,0\n');
    fs.writeFileSync(path.join(dir, 'model.snn'), MODEL);
    uri = URI.file(path.join(dir, 'model.snn')).toString();
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('dataFiles lists from_file values (parameters, initial values, weights), edge lists and event files', () => {
    let r!: ReturnType<typeof loadModel>;
    const files = opened(() => (r = loadModel(uri, MODEL, distPrelude, { trusted: true, roots: [dir] })));
    assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
    assert.ok(files.some((f) => f.endsWith(path.join('data', 'cells.csv'))), 'trusted and inside: read (the watch sees reads)');
    assert.deepEqual([...dataFiles(r.ir)].sort(), ['data/cells.csv', 'data/edges.csv', 'data/events.csv', 'data/w.csv']);
  });

  it('untrusted: no data file is opened; each is an \'untrusted\' error with the trust message, and waits for trust', () => {
    let r!: ReturnType<typeof loadModel>;
    const files = opened(() => (r = loadModel(uri, MODEL, distPrelude, { trusted: false })));
    assert.deepEqual(files.filter((f) => f.includes(`${path.sep}data${path.sep}`)), [], 'no data file opened');
    assert.ok(!r.ok);
    const untrusted = r.errors.filter((e) => e.code === 'untrusted');
    assert.deepEqual([...new Set(untrusted.map((e) => e.dataFile))].sort(), [path.join(dir, 'data', 'cells.csv'), path.join(dir, 'data', 'w.csv')]);
    for (const e of untrusted) assert.match(e.message, /data files are read once the workspace is trusted/);
    assert.deepEqual(untrusted.map((e) => e.line).sort(), [2, 3, 8]);
    assert.deepEqual(filesAwaitingTrust(r, dir).sort(), [path.join('data', 'cells.csv'), path.join('data', 'w.csv')]);
    // The default is untrusted too.
    const byDefault = loadModel(uri, MODEL, distPrelude);
    assert.ok(!byDefault.ok && byDefault.errors.some((e) => e.code === 'untrusted'));
    assert.deepEqual(filesAwaitingTrust(byDefault, dir).sort(), [path.join('data', 'cells.csv'), path.join('data', 'w.csv')]);
  });

  it('untrusted: a data file named by an imported file (two imports deep) waits for trust too, relative to that file', () => {
    fs.mkdirSync(path.join(dir, 'lib', 'deep'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'lib', 'mid.snn'), 'import "deep/cells.snn"\n');
    fs.writeFileSync(path.join(dir, 'lib', 'deep', 'cells.snn'), 'population deep_cells = LIF[3] { tau_m = from_file("cells.csv", unit = ms) }\n');
    const text = `import "lib/mid.snn"\npopulation b = LIF[2]\nsimulate { dt: 0.1 ms; duration: 10 ms }\n`;
    let r!: ReturnType<typeof loadModel>;
    const files = opened(() => (r = loadModel(uri, text, distPrelude, { trusted: false, roots: [dir] })));
    assert.deepEqual(files.filter((f) => f.endsWith('.csv')), [], 'no data file opened');
    assert.ok(!r.ok);
    assert.deepEqual(filesAwaitingTrust(r, dir), [path.join('lib', 'deep', 'cells.csv')]);
    // A checked model waits for every file it names.
    const ok = loadModel(uri, MODEL, distPrelude, { trusted: true, roots: [dir] });
    assert.deepEqual(filesAwaitingTrust(ok, dir).sort(), ['data/cells.csv', 'data/edges.csv', 'data/events.csv', 'data/w.csv']);
  });

  it('trusted: data outside the folders (a path, a symlink, /proc) is not read, and no contents reach a message', () => {
    const secret = path.join(root, 'secret.csv');
    fs.writeFileSync(secret, 'tau_m,v0\nTOPSECRET,1\n');
    fs.symlinkSync(secret, path.join(dir, 'data', 'link.csv'));
    for (const target of ['../secret.csv', 'data/link.csv', '/proc/self/environ']) {
      const text = MODEL.replace('"data/cells.csv", unit = ms', `"${target}", unit = ms`);
      let r!: ReturnType<typeof loadModel>;
      const files = opened(() => (r = loadModel(uri, text, distPrelude, { trusted: true, roots: [dir] })));
      assert.ok(!r.ok, target);
      assert.ok(!files.some((f) => f === secret || f.startsWith('/proc')), `${target}: opened ${files.join(', ')}`);
      assert.ok(r.errors.some((e) => e.line === 2 && /outside the workspace/.test(e.message)), `${target}: ${JSON.stringify(r.errors)}`);
      assert.deepEqual(filesAwaitingTrust(r, dir), [], `${target}: nothing waits for trust`);
      assert.doesNotMatch(JSON.stringify(r), /TOPSECRET|PATH=/);
    }
  });

  it('a special file or an oversized data file is refused without opening it', () => {
    const big = path.join(dir, 'data', 'big.csv');
    const fd = fs.openSync(big, 'w');
    fs.ftruncateSync(fd, MAX_DATA_BYTES + 1); // sparse
    fs.closeSync(fd);
    const cases: [string, ReadPolicy, RegExp][] = [
      ['data/big.csv', { trusted: true, roots: [dir] }, /is 32\.0 MiB; value files over 32 MiB are not read/],
      ['/dev/zero', { trusted: true, roots: [dir] }, /outside the workspace|not a regular file/],
      ['/dev/zero', { trusted: true }, /'\/dev\/zero' is not a regular file/],
    ];
    for (const [target, policy, why] of cases) {
      const text = MODEL.replace('"data/cells.csv", unit = ms', `"${target}", unit = ms`);
      let r!: ReturnType<typeof loadModel>;
      const files = opened(() => (r = loadModel(uri, text, distPrelude, policy)));
      assert.ok(!r.ok, target);
      assert.ok(!files.some((f) => f === big || f === '/dev/zero'), `${target}: opened ${files.join(', ')}`);
      assert.ok(r.errors.some((e) => e.line === 2 && why.test(e.message)), `${target}: ${JSON.stringify(r.errors)}`);
    }
    // Not a file on disk: not read, said so.
    const remote = loadModel(uri, MODEL.replace('"data/cells.csv", unit = ms', '"https://example.com/x.csv", unit = ms'), distPrelude, { trusted: true, roots: [dir] });
    assert.ok(!remote.ok && remote.errors.some((e) => e.line === 2 && e.code === 'missing-file'), JSON.stringify(remote));
  });

  it('finding a population reads imports only', () => {
    let place: ReturnType<typeof populationPlace>;
    const files = opened(() => (place = populationPlace(uri, MODEL, 'b', distPrelude)));
    assert.equal(place!.start.line, 5);
    assert.deepEqual(files.filter((f) => f.endsWith('.csv')), []);
  });

  it('a run reads from the workspace folders, or from the model’s folder when no folder is open', () => {
    assert.deepEqual(readRootsFor(['/ws/a', '/ws/b'], '/elsewhere/m.snn'), ['/ws/a', '/ws/b']);
    assert.deepEqual(readRootsFor([], '/loose/m.snn'), ['/loose']);
  });
});
