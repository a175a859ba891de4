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
import { boundedHost, dataFiles, loadModel, populationPlace, readRootsFor } from '../extension/src/simulation/model';
import { MAX_DATA_BYTES } from '../language-server/src/program';
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

  it('untrusted: no data file is opened; each is declined with the trust message', () => {
    let r!: ReturnType<typeof loadModel>;
    const files = opened(() => (r = loadModel(uri, MODEL, distPrelude, { trusted: false })));
    assert.deepEqual(files.filter((f) => f.includes(`${path.sep}data${path.sep}`)), [], 'no data file opened');
    assert.ok(!r.ok);
    assert.deepEqual([...new Set(r.declined.map((d) => path.basename(d.file)))].sort(), ['cells.csv', 'w.csv']);
    for (const d of r.declined) {
      assert.equal(d.reason, 'untrusted');
      assert.match(d.message, /data files are read once the workspace is trusted/);
    }
    // The default is untrusted too.
    const byDefault = loadModel(uri, MODEL, distPrelude);
    assert.ok(!byDefault.ok && byDefault.declined.every((d) => d.reason === 'untrusted'));
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
      const d = r.declined.find((x) => x.reason === 'outside');
      assert.ok(d, `${target}: ${JSON.stringify(r.declined)}`);
      assert.match(d.message, /outside the workspace/);
      assert.ok(r.errors.some((e) => e.line === 2 && /outside the workspace/.test(e.message)), JSON.stringify(r.errors));
      assert.doesNotMatch(JSON.stringify(r), /TOPSECRET|PATH=/);
    }
  });

  it('a special file or an oversized data file is refused without reading it', () => {
    const big = path.join(dir, 'data', 'big.csv');
    const fd = fs.openSync(big, 'w');
    fs.ftruncateSync(fd, MAX_DATA_BYTES + 1); // sparse
    fs.closeSync(fd);
    const declined: { reason: string; message: string }[] = [];
    const host = boundedHost({ trusted: true, roots: [dir] }, declined as never);
    assert.equal(host.readFile(URI.file(big).toString()), undefined);
    assert.equal(declined[0].reason, 'too-large');
    assert.equal(host.readFile(URI.file('/dev/zero').toString()), undefined);
    const open = boundedHost({ trusted: true }, declined as never);
    assert.equal(open.readFile(URI.file('/dev/zero').toString()), undefined, 'a device, even without roots');
    assert.equal(declined.at(-1)!.reason, 'not-regular');
    assert.equal(host.readFile('https://example.com/x.csv'), undefined);
    assert.equal(host.readFile(URI.file(path.join(dir, 'data', 'cells.csv')).toString()), 'tau_m,v0\n10,-65\n12,-60\n15,-70\n');
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
