// The extension's Emulate on Target runs in the simulation worker (sim-host/src/host.ts
// startEmulation), not on the host's thread: the report it returns is the one the engine makes
// in-process, the host's event loop keeps turning meanwhile, a model the target cannot run is
// refused with the engine's reason, and terminate ends it at once.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emulateOnTarget } from '../sim-host/src/engine';
import { emulationText } from '../sim-host/src/emulation-text';
import { targetReport } from '../sim-host/src/target-report';
import { RunRefused, RunTerminated, startEmulation } from '../sim-host/src/host';
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
