// The recording limit of the TypeScript-stepped backends (core/spike-record.ts, shared by the
// loihi2, spinnaker2 and sfq emulations): with room for N spikes a run stops at the first step
// whose spikes would pass N, with the recording-limit error, and what it recorded is exactly the
// full run's spikes before that step.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SPIKE_RECORD_BYTES } from '../sim-host/src/core/limits';
import { buildPlan, type Plan } from '../sim-host/src/core/plan';
import type { RunResult } from '../sim-host/src/core/run';
import { emulateLoihi } from '../sim-host/src/targets/loihi2/emulate';
import { emulateSfq } from '../sim-host/src/targets/sfq/emulate';
import { sfqParams } from '../sim-host/src/targets/sfq/params';
import { emulateSpinnaker } from '../sim-host/src/targets/spinnaker2/emulate';
import { irOf } from './helpers/model';

const ROOM = 200;

function check(name: string, plan: () => Plan, run: (p: Plan) => RunResult): void {
  it(name, () => {
    const full = run(plan());
    const total = full.spikes.reduce((a, s) => a + s.steps.length, 0);
    assert.ok(total > 2 * ROOM, `the full run has ${total} spikes`);
    // the first step at which the count passes ROOM
    const all = full.spikes.flatMap((s) => Array.from(s.steps)).sort((a, b) => a - b);
    const stop = all[ROOM];
    const p = plan();
    p.memoryLimit = p.bytes + ROOM * SPIKE_RECORD_BYTES;
    const cut = run(p);
    assert.equal(cut.stopReason, 'recording-limit');
    assert.equal(cut.stepsDone, stop);
    assert.match(cut.error ?? '', /record/i);
    for (const s of cut.spikes) {
      const f = full.spikes.find((x) => x.name === s.name)!;
      const n = f.steps.findIndex((t) => t >= stop);
      const keep = n < 0 ? f.steps.length : n;
      assert.deepEqual(Array.from(s.steps), Array.from(f.steps.subarray(0, keep)), s.name);
      assert.deepEqual(Array.from(s.neurons), Array.from(f.neurons.subarray(0, keep)), s.name);
    }
  });
}

describe('recording limit on the emulations', () => {
  const cuba = irOf({ file: 'examples/cuba.snn' });
  const short = { ...cuba, simulate: { ...cuba.simulate, duration: 0.05 } };
  check('loihi2', () => buildPlan(short, {}), (p) => emulateLoihi(p).result);
  check('spinnaker2', () => buildPlan(short, {}), (p) => emulateSpinnaker(p).result);
  const xor = irOf({ file: 'examples/sfq_xor.snn' });
  check('sfq', () => buildPlan(xor, {}), (p) => emulateSfq(p, sfqParams(xor.targets[0].settings)).result);
});
