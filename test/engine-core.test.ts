// The engine core's contract (issue 22): a run is a function of (IR, seed, files) — planning does
// no I/O, the files come read (node-files.ts on Node) or the plan refuses naming the file; one
// memory estimate (estimateMemory) is what the refusal reports; the run contract's spike shape
// (populations and PopulationSpikes in plan order).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { ModelIR } from '../protocol/ir';
import { buildPlan } from '../sim-host/src/core/plan';
import { fmtBytes } from '../sim-host/src/core/limits';
import { estimateMemory, PlanError, readRunFiles, runOnBackend, Simulation, spikesOf } from '../sim-host/src/engine';
import { repoRoot } from './helpers/build';
import { irOf as lowerText, READ_ONLY_HOST } from './helpers/model';

// The IR names files the engine reads from another folder: the checker's stat is left out.
let n = 0;
function irOf(text: string): ModelIR {
  return lowerText(text, { at: path.join(repoRoot, '.scratch', `engine-core-${n++}.snn`), host: READ_ONLY_HOST });
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-core-'));
fs.writeFileSync(path.join(dir, 'ev.csv'), 'time,index\n0.001,1\n0.0025,3\n0.0025,0\n');
fs.writeFileSync(path.join(dir, 'edges.csv'), '0,1\n1,2\n2,3\n3,0\n');
const model = `input dvs = event_file[4] { file: "ev.csv" }
population a = LIF[4]
connect dvs -> a { rule: one_to_one; weight: 30 mV; target: v }
connect a -> a { rule: from_file("edges.csv"); weight: 1 mV; target: v }
simulate { dt: 0.1 ms; duration: 10 ms }
`;

describe('engine core: a run is a function of (IR, seed, files)', () => {
  it('the plan reads no file: without the files it is refused naming the file; a partial map names the missing one', () => {
    const ir = irOf(model);
    assert.throws(() => buildPlan(ir), (e: unknown) => e instanceof PlanError && e.code === 'input' && /event file ev\.csv: this run reads files, not available here/.test(e.message));
    const only = new Map([['ev.csv', { bytes: new TextEncoder().encode('0.001,1\n'), name: 'ev.csv' }]]);
    assert.throws(() => buildPlan(ir, { files: only }), (e: unknown) => e instanceof PlanError && /edge list edges\.csv: it was not read before planning/.test(e.message));
  });

  it('files handed in as bytes (no disk) give the spikes of files read from the disk', () => {
    const ir = irOf(model);
    const fromDisk = new Simulation(ir, { baseDir: dir }).run();
    const files = new Map<string, { bytes: Uint8Array; name: string }>([
      ['ev.csv', { bytes: fs.readFileSync(path.join(dir, 'ev.csv')), name: 'ev.csv' }],
      ['edges.csv', { bytes: fs.readFileSync(path.join(dir, 'edges.csv')), name: 'edges.csv' }],
    ]);
    const fromBytes = new Simulation(ir, { files }).run();
    assert.ok(spikesOf(fromDisk, 'a')!.steps.length > 0, 'the model spikes');
    assert.deepEqual(fromBytes.spikes, fromDisk.spikes);
    // The Node step reads them keyed by the path as written, named by the resolved path.
    const read = readRunFiles(ir, { baseDir: dir });
    assert.deepEqual([...read.keys()], ['ev.csv', 'edges.csv']);
    assert.equal(read.get('ev.csv')!.name, path.join(dir, 'ev.csv'));
    // A malformed file is reported at its line, under the name the map gives it.
    const bad = new Map(files).set('edges.csv', { bytes: new TextEncoder().encode('0,1\n9,9\n'), name: 'somewhere/edges.csv' });
    assert.throws(() => new Simulation(ir, { files: bad }), (e: unknown) => e instanceof PlanError && /^somewhere\/edges\.csv:2: expected 'source,target'/.test(e.message));
  });

  it('the result lists every population and the recorded spikes in plan order', async () => {
    const ir = irOf(model);
    const r = await runOnBackend(ir, { baseDir: dir }, 'wasm');
    assert.deepEqual(r.result.populations, [{ name: 'a', size: 4 }, { name: 'dvs', size: 4 }]);
    assert.deepEqual(r.result.spikes.map((s) => [s.name, s.size]), [['a', 4], ['dvs', 4]]);
    assert.deepEqual([...spikesOf(r.result, 'dvs')!.steps], [10, 25, 25]);
  });
});

describe('engine core: one memory estimate', () => {
  const big = 'population e = LIF[20000]\nconnect e -> e { rule: random(p = 0.2); weight: 1 mV; target: v }\nprobe v(e[0..99])\nsimulate { dt: 0.1 ms; duration: 1 s }\n';
  it('the refusal reports estimateMemory as it is', () => {
    const ir = irOf(big);
    const est = estimateMemory(ir);
    assert.ok(est.synapses === 20000 * 20000 * 0.2 && est.total === est.stateBytes + est.synapseBytes + est.ringBytes);
    assert.equal(est.probeBytes, 100 * 10000 * 4);
    assert.equal(est.totalWithProbes, est.total + est.probeBytes);
    assert.throws(() => buildPlan(ir, { memoryLimit: est.total - 1 }), (e: unknown) => e instanceof PlanError && e.code === 'memory'
      && e.message.startsWith(`this run needs about ${fmtBytes(est.total)} (state ${fmtBytes(est.stateBytes)}, 80,000,000 synapses ${fmtBytes(est.synapseBytes)}, delay buffers ${fmtBytes(est.ringBytes)})`));
    // Over the run's own memory but not its probes: the probes are what is refused, with the estimate's figures.
    assert.throws(() => buildPlan(ir, { memoryLimit: est.totalWithProbes - 1 }), (e: unknown) => e instanceof PlanError && e.code === 'memory'
      && e.message.startsWith(`the probes would record about ${fmtBytes(est.probeBytes)} (the largest: ${est.largestProbe})`));
  });
  it('a shorter duration shrinks only the probes', () => {
    const ir = irOf(big);
    const a = estimateMemory(ir);
    const b = estimateMemory(ir, { duration: 0.1 });
    assert.equal(b.total, a.total);
    assert.equal(b.probeBytes, a.probeBytes / 10);
  });
});
