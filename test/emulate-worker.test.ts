// The extension's Emulate on Target and Describe Neurons run in the simulation worker
// (sim-host/src/host.ts startEmulation, startDescribe), not on the host's thread: what they return
// is what the engine or the analysis makes in-process, the host's event loop keeps turning
// meanwhile, a model the target cannot run is refused with the engine's reason, and cancel /
// terminate end them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emulateOnTarget } from '../sim-host/src/engine';
import { emulationText } from '../sim-host/src/emulation-text';
import { targetReport } from '../sim-host/src/target-report';
import { buildAtoms, describeUnits, plantedActivity } from '../sim-host/src/analysis/describe/index';
import { RunRefused, RunTerminated, startDescribe, startEmulation } from '../sim-host/src/host';
import { distWorker, ensureBuilt } from './helpers/build';
import { irOf } from './helpers/model';

/** The report without its timing lines (wall-clock figures differ between two runs). */
const stable = (text: string) => text.split('\n').filter((l) => !/\b(ms|s) wall\b|wall[- ]clock|took|elapsed|slow-down/i.test(l)).join('\n');

describe('Emulate on Target in the simulation worker', () => {
  it('returns the same report as the engine in-process, while the host thread keeps running', async () => {
    ensureBuilt();
    const ir = irOf({ file: 'examples/cuba.snn' });
    const options = { duration: 0.2, baseDir: 'examples' };
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const t0 = performance.now();
    const { text, report } = await startEmulation(ir, options, 'chip', distWorker, 'cuba.snn').result;
    const wall = performance.now() - t0;
    clearInterval(timer);
    const em = emulateOnTarget(ir, options, 'chip');
    const here = emulationText(em);
    // The panel's plain-data report crossed the thread intact: the same as built in-process.
    assert.deepEqual(report, targetReport(em, 'cuba.snn'));
    assert.match(text, /loihi2/i);
    assert.equal(stable(text), stable(here));
    // The host's timer fired through the emulation (on the host's thread it could not have).
    assert.ok(ticks >= Math.floor(wall / 5 / 4), `${ticks} timer ticks in ${wall.toFixed(0)} ms`);
  });

  it('refuses a model the target cannot run, with the engine reason', async () => {
    ensureBuilt();
    const ir = irOf({ file: 'examples/coba.snn' });
    await assert.rejects(startEmulation(ir, { duration: 0.01 }, 'nope', distWorker).result, (e: unknown) => e instanceof RunRefused && /no target named nope/.test(e.message));
  });

  it('terminate ends the emulation at once', async () => {
    ensureBuilt();
    const ir = irOf({ file: 'examples/cuba.snn' });
    const h = startEmulation(ir, { duration: 5, baseDir: 'examples' }, 'spin', distWorker);
    const t0 = performance.now();
    setTimeout(() => void h.terminate(), 100);
    await assert.rejects(h.result, (e: unknown) => e instanceof RunTerminated);
    assert.ok(performance.now() - t0 < 3000, `took ${(performance.now() - t0).toFixed(0)} ms to end`);
  });
});

describe('Describe Neurons in the simulation worker', () => {
  it('gives the in-process result on a planted population, with progress, while the host thread keeps running', async () => {
    ensureBuilt();
    const p = plantedActivity({ seed: 7, perGroup: 10, unresponsive: 20 });
    const atoms = buildAtoms(p.windows);
    let ticks = 0;
    const seen: number[] = [];
    const timer = setInterval(() => ticks++, 5);
    const t0 = performance.now();
    const r = await startDescribe(p.activity, atoms, { seed: 7 }, (done) => seen.push(done), distWorker).result;
    const wall = performance.now() - t0;
    clearInterval(timer);
    const here = describeUnits(p.activity, atoms, { seed: 7 });
    assert.deepEqual(r, here);
    assert.ok(r.units.some((u) => u.selective), 'nothing was described');
    assert.ok(seen.length > 0 && seen.at(-1) === p.activity.units, `progress ${seen.join(',')}`);
    assert.ok(ticks >= Math.floor(wall / 5 / 4), `${ticks} timer ticks in ${wall.toFixed(0)} ms`);
  });

  it('cancel stops it between units (the result says cancelled); terminate ends it at once', async () => {
    ensureBuilt();
    const p = plantedActivity({ seed: 11 });
    const atoms = buildAtoms(p.windows);
    // Cancelled before the worker reaches its first poll (between units), so the race with a fast
    // analysis cannot end it first.
    const h = startDescribe(p.activity, atoms, { seed: 11 }, undefined, distWorker);
    h.cancel();
    const r = await h.result;
    assert.equal(r.cancelled, true);
    const t = startDescribe(p.activity, atoms, { seed: 11 }, undefined, distWorker);
    setTimeout(() => void t.terminate(), 50);
    await assert.rejects(t.result, (e: unknown) => e instanceof RunTerminated);
  });
});
