// The extension's run store (extension/src/simulation/run-store.ts) reads run.json and data.bin
// back after a reload: sizes are checked before anything is read, special files are refused
// without blocking, a damaged or oversized store is discarded (said, and its files removed),
// and no input makes it throw.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RunRecord } from '../extension/src/simulation/run-record';
import { loadRun, runDir, saveRun } from '../extension/src/simulation/run-store';

const info = {
  runId: 'r1',
  document: 'file:///m.snn',
  fileName: 'm.snn',
  model: 'm',
  dt: 1e-4,
  steps: 100,
  seed: 3,
  backend: 'wasm',
  populations: [
    { name: 'a', size: 5, recorded: true },
    { name: 'b', size: 2, recorded: true },
  ],
};

function sampleRun(): RunRecord {
  const r = new RunRecord(info);
  r.addSpikes('a', Int32Array.from([1, 2, 7]), Int32Array.from([0, 4, 3]));
  r.addSpikes('b', Int32Array.from([9]), Int32Array.from([1]));
  r.addSamples({ population: 'a', variable: 'v', unit: 'V', neurons: [0, 1], every: 1e-3 }, 0, Float32Array.from([1, 2, 3, 4, 5, 6]));
  r.status = 'done';
  r.stepsDone = 100;
  return r;
}

let root: string;
let n = 0;

/** A fresh store folder holding the sample run. */
function freshStore(): string {
  const dir = runDir(root, `file:///m${++n}.snn`);
  saveRun(dir, sampleRun());
  return dir;
}

function sparse(file: string, size: number): void {
  const fd = fs.openSync(file, 'w');
  fs.ftruncateSync(fd, size);
  fs.closeSync(fd);
}

/** loadRun, with what it said when it discarded, and how long it took. */
function load(dir: string): { run: RunRecord | undefined; why: string[]; ms: number } {
  const why: string[] = [];
  const t0 = performance.now();
  const run = loadRun(dir, (w) => why.push(w));
  return { run, why, ms: performance.now() - t0 };
}

function assertDiscarded(dir: string, pattern: RegExp): void {
  const r = load(dir);
  assert.equal(r.run, undefined);
  assert.equal(r.why.length, 1, 'one line says why');
  assert.match(r.why[0], pattern);
  assert.ok(r.ms < 500, `took ${r.ms.toFixed(0)} ms`);
  assert.ok(!fs.existsSync(path.join(dir, 'run.json')) && !fs.existsSync(path.join(dir, 'data.bin')), 'the damaged store is removed');
  assert.equal(load(dir).why.length, 0, 'then it reads as no run, silently');
}

describe('run store read-back', () => {
  before(() => (root = fs.mkdtempSync(path.join(tmpdir(), 'swk-runstore-'))));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('reads back what it saved, and a missing store silently as no run', () => {
    const r = load(freshStore());
    assert.deepEqual(r.why, []);
    assert.deepEqual([...r.run!.spikes(0).steps], [1, 2, 7]);
    assert.deepEqual([...r.run!.allSamples()[0].data], [1, 2, 3, 4, 5, 6]);
    // a run's readout lines come back with it
    const rec = sampleRun();
    rec.readouts = ['r 85.0 % (chance 25.0 %)', 'clf: not evaluated'];
    const dir = runDir(root, 'file:///with-readouts.snn');
    saveRun(dir, rec);
    assert.deepEqual(load(dir).run!.readouts, rec.readouts);
    assert.equal(r.run!.readouts, undefined);
    const none = load(path.join(root, 'nothing'));
    assert.equal(none.run, undefined);
    assert.deepEqual(none.why, []);
  });

  it('a data.bin bigger than run.json says (a sparse 1.5 GiB file) is discarded without reading it', () => {
    const dir = freshStore();
    sparse(path.join(dir, 'data.bin'), 1.5 * 2 ** 30);
    const rss = process.memoryUsage().rss;
    assertDiscarded(dir, /data\.bin is 1\.50 GiB, run\.json says/);
    assert.ok(process.memoryUsage().rss - rss < 256 * 2 ** 20, 'not read into memory');
  });

  it('a run.json that claims more data than the limit is discarded before data.bin is opened', () => {
    const dir = freshStore();
    const meta = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8'));
    meta.spikes = [2 ** 40, 0];
    fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify(meta));
    assertDiscarded(dir, /not read back/);
  });

  it('an oversized run.json (sparse, 100 MiB) is discarded without reading it', () => {
    const dir = freshStore();
    sparse(path.join(dir, 'run.json'), 100 * 2 ** 20);
    assertDiscarded(dir, /run\.json is 100\.0 MiB/);
  });

  it('special files (a FIFO, /dev/zero) are refused without blocking', () => {
    for (const name of ['run.json', 'data.bin']) {
      const dir = freshStore();
      fs.rmSync(path.join(dir, name));
      execFileSync('mkfifo', [path.join(dir, name)]);
      assertDiscarded(dir, /pipe \(FIFO\)/);
    }
    const dir = freshStore();
    fs.rmSync(path.join(dir, 'data.bin'));
    fs.symlinkSync('/dev/zero', path.join(dir, 'data.bin'));
    assertDiscarded(dir, /device/);
  });

  it('malformed fields are discarded with the reason', () => {
    const cases: [string, (m: Record<string, any>) => void, RegExp][] = [
      ['not JSON', () => {}, /not valid JSON/],
      ['version', (m) => (m.version = 99), /version 99/],
      ['negative count', (m) => (m.spikes = [-1, 0]), /spike counts/],
      ['fractional count', (m) => (m.spikes = [1.5, 0]), /spike counts/],
      ['counts vs populations', (m) => (m.spikes = [3]), /spike counts/],
      ['trace not a whole number of samples', (m) => (m.traces[0].values = 5), /traces/],
      ['trace with no neurons', (m) => (m.traces[0].info.neurons = []), /traces/],
      ['status', (m) => (m.status = 'exploded'), /status/],
      ['readouts', (m) => (m.readouts = [{ value: 1 }]), /readouts/],
      ['population', (m) => (m.info.populations[0] = { name: 3 }), /run description/],
      ['dt', (m) => (m.info.dt = -1), /run description/],
    ];
    for (const [label, mutate, pattern] of cases) {
      const dir = freshStore();
      const file = path.join(dir, 'run.json');
      if (label === 'not JSON') fs.writeFileSync(file, '{"version": 1, ');
      else {
        const meta = JSON.parse(fs.readFileSync(file, 'utf8'));
        mutate(meta);
        fs.writeFileSync(file, JSON.stringify(meta));
      }
      assertDiscarded(dir, pattern);
    }
  });

  it('random damage never throws: each store reads back whole or is discarded with a reason', () => {
    let s = 5;
    const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const values = [null, -1, 0, 1.5, 2 ** 53, 'x', [], {}, true, 1e308, NaN];
    const paths = (o: unknown, at: (string | number)[] = []): (string | number)[][] =>
      typeof o === 'object' && o !== null ? Object.entries(o).flatMap(([k, v]) => [[...at, Array.isArray(o) ? Number(k) : k], ...paths(v, [...at, Array.isArray(o) ? Number(k) : k])]) : [];
    for (let i = 0; i < 300; i++) {
      const dir = freshStore();
      const meta = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8'));
      const all = paths(meta);
      const at = all[Math.floor(rand() * all.length)];
      let o = meta;
      for (const k of at.slice(0, -1)) o = o[k];
      o[at[at.length - 1]] = values[Math.floor(rand() * values.length)];
      fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify(meta));
      if (rand() < 0.3) fs.truncateSync(path.join(dir, 'data.bin'), Math.floor(rand() * 60));
      let r!: ReturnType<typeof load>;
      assert.doesNotThrow(() => (r = load(dir)), JSON.stringify(at));
      assert.ok(r.run ? r.why.length === 0 : r.why.length === 1, `${JSON.stringify(at)}: ${r.why.join('; ')}`);
      if (r.run) assert.equal(r.run.spikeCount(), 4);
    }
  });
});
