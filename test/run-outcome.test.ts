// extension/src/simulation/outcome.ts: what the extension shows while a long connection rule is
// built (the engine's opt-in build progress) and how a finished run ends: NaN/Inf fails with an
// error; the recording limit ends cleanly (kept like a cancelled run) with the engine's message
// as a warning that names spikeworks.memoryLimitMB. Model text in either never becomes a link.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Notifier, type MessageWindow, type ProgressStep } from '../extension/src/notify';
import { buildProgressMessage, readoutReport, runEnd } from '../extension/src/simulation/outcome';
import { evaluateReadouts } from '../sim-host/src/analysis/readout';
import { startRun } from '../sim-host/src/host';
import { distWorker, ensureBuilt } from './helpers/build';
import type { ModelIR } from '../protocol/ir';
import { Simulation } from '../sim-host/src/engine';
import { irOf as lowerText } from './helpers/model';
import { plantedReadoutText } from './helpers/readout-model';

// VS Code's notification link form (as in test/notify.test.ts).
const LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/;

function irOf(text: string): ModelIR {
  return lowerText(text, { at: '.scratch/run-outcome.snn' });
}

describe('run progress and ends in the extension (outcome.ts)', () => {
  it('build progress reads "building connections … n %" from the engine label and rows done', () => {
    const label = 'building connections ring (ring_kernel)';
    assert.equal(buildProgressMessage(label, 0, 3000), 'building connections ring (ring_kernel) … 0 %');
    assert.equal(buildProgressMessage(label, 1263, 3000), 'building connections ring (ring_kernel) … 42 %');
    assert.equal(buildProgressMessage(label, 2999, 3000), 'building connections ring (ring_kernel) … 99 %');
    assert.equal(buildProgressMessage(label, 5000, 3000), 'building connections ring (ring_kernel) … 100 %', 'clamped');
    assert.equal(buildProgressMessage('', 1, 0), 'building connections … 0 %', 'no rows, no label');
  });

  it('a connection named like a link is shown plain in the progress notification', async () => {
    const reported: string[] = [];
    const window = {
      withProgress: async (_o: unknown, task: (p: { report(s: ProgressStep): void }, t: unknown) => Thenable<unknown>) =>
        task({ report: (s) => void reported.push(s.message ?? '') }, { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) }),
    } as unknown as MessageWindow;
    const label = 'building connections [go](command:workbench.action.terminal.new) (distance)';
    await new Notifier(window).progress({ location: 15 as never, title: 'Simulating m.snn' }, async (progress) => {
      progress.report({ message: buildProgressMessage(label, 1, 4) });
    });
    assert.equal(reported.length, 1);
    assert.match(reported[0], /… 25 %$/);
    assert.doesNotMatch(reported[0], LINK);
  });

  it('the recording limit ends the run cleanly: kept as cancelled, the engine message as a warning naming the setting', () => {
    const ir = irOf('population a = LIF[2000] { I_e = 2 nA; v = uniform(-70 mV, -50 mV) }\nsimulate { dt: 0.1 ms; duration: 100 s }\n');
    const out = new Simulation(ir, { memoryLimit: 16 * 2 ** 20 }).run();
    assert.equal(out.stopReason, 'recording-limit');
    const end = runEnd(out);
    assert.equal(end.status, 'cancelled');
    assert.equal(end.notice, 'warning');
    assert.equal(end.message, out.error);
    assert.match(end.message!, /memory limit of 16\.0 MiB/);
    assert.match(end.message!, /spikeworks\.memoryLimitMB/);
  });

  it('NaN/Inf fails with the engine message as an error; cancel and a full run end without a notice', () => {
    const nan = irOf('neuron Runaway {\n  parameters { tau = 1 ms }\n  state { x: 1 = 1 }\n  equations { dx/dt = x*x / tau }\n  method euler\n}\npopulation p = Runaway[3]\nsimulate { dt: 0.1 ms; duration: 1 s }\n');
    const out = new Simulation(nan, {}).run();
    assert.equal(out.stopReason, 'nan-inf', out.error);
    assert.deepEqual(runEnd(out), { status: 'failed', message: out.error, notice: 'error' });
    assert.deepEqual(runEnd({ cancelled: true }), { status: 'cancelled' });
    assert.deepEqual(runEnd({ cancelled: false }), { status: 'done' });
    assert.deepEqual(runEnd({ cancelled: false, error: 'GPU device lost', stopReason: 'device-lost' }), { status: 'failed', message: 'GPU device lost', notice: 'error' });
  });

  it('readouts: the worker scores them before it answers (as in process), the notice and the raster header say them as plain text', async () => {
    const ir = irOf(plantedReadoutText({
      windows: 10, at: [20, 60], label: (w) => (w % 2 ? 'right' : 'left'), extra: 'population inh = LIF[1]\n',
      readouts: 'readout side = ridge { from: exc; task: t }\nreadout other = ridge { from: inh; task: t }',
    }) + 'simulate { dt: 0.1 ms; duration: 1 s; seed: 4 }\n');
    ensureBuilt();
    const out = await startRun(ir, { backend: 'wasm' }, undefined, distWorker).result;
    assert.ok(out.readouts, 'the worker adds the readouts');
    assert.deepEqual(out.readouts, evaluateReadouts(ir, new Simulation(ir, {}).run()));
    const skipped = await startRun(ir, { backend: 'wasm', readouts: false }, undefined, distWorker).result;
    assert.equal(skipped.readouts, undefined, 'readouts: false (sweeps, Describe Neurons) skips them');
    const report = readoutReport('m.snn', out)!;
    assert.deepEqual(report.panel, ['side 100.0 % (chance 50.0 %)', 'other: not evaluated']);
    assert.equal(report.notice, 'm.snn: readout side 100.0 % correct (chance 50.0 %, 10 windows of t); 1 readout not evaluated (see the Spikeworks output)');
    assert.match(report.log[1], /^m\.snn: not evaluated: readout other \(in run-outcome\.snn\) reads the spikes of inh, which are not recorded/);
    assert.equal(readoutReport('m.snn', { readouts: undefined }), undefined, 'no readouts, no report');
    // through the one notification path: plain text
    const shown: string[] = [];
    const window = { showInformationMessage: async (m: string) => void shown.push(m) } as unknown as MessageWindow;
    await new Notifier(window).info(`Spikeworks: ${report.notice}`);
    assert.equal(shown.length, 1);
    assert.doesNotMatch(shown[0], LINK);
    assert.match(shown[0], /readout side 100\.0 % correct/);
  });
});
