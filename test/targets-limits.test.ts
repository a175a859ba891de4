// The chips' limits at their edges (issue 15): a NaN in conversion is a located diagnostic in the
// editor and a located error from `spikeworks emulate` (file:line:col, exit 1, no stack trace),
// and a delay just inside each chip's range runs and delivers its spike on time while one tick
// beyond is refused at the connection's delay.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { emulateOnTarget, PlanError } from '../sim-host/src/engine';
import { buildPlan } from '../sim-host/src/core/plan';
import { Simulation } from '../sim-host/src/wasm/simulation';
import { emulateLoihi } from '../sim-host/src/targets/loihi2/emulate';
import { emulateSpinnaker } from '../sim-host/src/targets/spinnaker2/emulate';
import { distCli, ensureBuilt } from './helpers/build';
import { irOf } from './helpers/model';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-limits-'));

/** A model with population b's line 5 set to `line`, both targets declared. */
function nanModel(line: string): string {
  return `population exc = LIF[10] {
  tau_m = 20 ms; R_m = 100 Mohm; E_l = -49 mV; V_th = -50 mV; V_reset = -60 mV; t_ref = 5 ms; tau_syn = 5 ms
}
population b = LIF[10] {
  ${line}
}
connect exc -> b { rule: random(p = 0.5); weight: 20 pA; target: I_syn }
target spin = spinnaker2 { }
target chip = loihi2 { }
simulate { dt: 0.1 ms; duration: 10 ms }
`;
}

function cli(args: string[]) {
  return spawnSync(process.execPath, [distCli, ...args], { encoding: 'utf8', timeout: 120_000 });
}

// Each case: the line, the parameter, the column of its value on line 5.
const CASES = [
  { line: 'E_l = 1e305 mV', param: 'E_l', col: 9 },
  { line: 'tau_m = 1e-310 ms', param: 'tau_m', col: 11 },
  { line: 'R_m = 1e300 Mohm', param: 'R_m', col: 9 },
];

describe('a NaN in conversion: located, never a crash', () => {
  for (const c of CASES) {
    it(`${c.line}: editor warning and emulate error at 5:${c.col} on both chips`, () => {
      ensureBuilt();
      const file = path.join(dir, `${c.param}.snn`);
      fs.writeFileSync(file, nanModel(c.line));
      const shown = path.relative(process.cwd(), file);
      const check = cli(['check', file]);
      assert.match(check.stdout + check.stderr, new RegExp(`:5:${c.col}: warning: ${c.param} = .* far outside what a chip's numbers hold`));
      for (const t of ['spin', 'chip']) {
        const r = cli(['emulate', file, '--target', t]);
        assert.equal(r.status, 1, r.stderr);
        const first = r.stderr.split('\n')[0];
        assert.equal(first.slice(0, shown.length + `:5:${c.col}: error: `.length), `${shown}:5:${c.col}: error: `, r.stderr);
        assert.match(first, /population b: .*\((NaN|0) in conversion\)/);
        assert.match(first, new RegExp(`${c.param} = `));
        assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      }
    });
  }
  it('the engine says which parameter (PlanError.where)', () => {
    const ir = irOf(nanModel('E_l = 1e305 mV'));
    for (const t of ['spin', 'chip']) {
      assert.throws(() => emulateOnTarget(ir, {}, t), (e: unknown) => e instanceof PlanError && e.code === 'input' && e.where?.kind === 'population' && e.where.name === 'b' && e.where.property === 'E_l');
    }
  });
  it('ordinary values give no such warning (examples/cuba.snn)', () => {
    ensureBuilt();
    const r = cli(['check', 'examples/cuba.snn']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, /far outside/);
  });
});

/** One input spike at 2 ms into one neuron through `delay` (dt 1 ms). */
function delayModel(delay: string): string {
  return `input src = spike_array[1] { times: [2 ms]; indices: [0] }
population b = LIF[1] {
  tau_m = 20 ms; R_m = 100 Mohm; E_l = -60 mV; V_th = -50 mV; V_reset = -60 mV; t_ref = 5 ms; tau_syn = 5 ms
}
connect src -> b { rule: all_to_all; weight: 5 nA; target: I_syn; delay: ${delay} }
target spin = spinnaker2 { }
target chip = loihi2 { }
simulate { dt: 1 ms; duration: 200 ms }
`;
}

const firstSpike = (r: { spikes: { name: string; steps: Int32Array }[] }) => r.spikes.find((s) => s.name === 'b')!.steps[0];

describe('delay limits at the boundary', () => {
  it('SpiNNaker: 143 steps = 144 ticks (16 + 8 × 16) runs and delivers on time; 144 steps = 145 ticks is refused at the delay', () => {
    const ir = irOf(delayModel('143 ms'));
    const plan = buildPlan(ir, {});
    const run = emulateSpinnaker(plan);
    assert.equal(run.program.projs[0].maxDelay, 144);
    const float = new Simulation(ir, {}).run();
    const s = firstSpike(run.result);
    assert.ok(s >= 2 + 143, `the spike arrives after its delay (b fired at step ${s})`);
    assert.ok(Math.abs(s - firstSpike(float)) <= 1, `chip ${s} vs float ${firstSpike(float)}`);
    assert.throws(() => emulateSpinnaker(buildPlan(irOf(delayModel('144 ms')), {})), /a delay of 145 ticks exceeds SpiNNaker's 16 \+ 8 × 16 = 144/);
  });
  it('Loihi: 62 steps runs and delivers on time; 63 is refused at the delay', () => {
    const ir = irOf(delayModel('62 ms'));
    const run = emulateLoihi(buildPlan(ir, {}));
    assert.equal(run.program.projs[0].maxDelay, 62);
    const float = new Simulation(ir, {}).run();
    const s = firstSpike(run.result);
    assert.ok(s >= 2 + 62, `b fired at step ${s}`);
    assert.ok(Math.abs(s - firstSpike(float)) <= 1, `chip ${s} vs float ${firstSpike(float)}`);
    assert.throws(() => emulateLoihi(buildPlan(irOf(delayModel('63 ms')), {})), /a delay of 63 steps exceeds Loihi's 62/);
  });
  it('emulate names the delay\'s place: file:5:col of the value', () => {
    ensureBuilt();
    const file = path.join(dir, 'delay.snn');
    for (const [delay, target, re] of [['144 ms', 'spin', /exceeds SpiNNaker's/], ['63 ms', 'chip', /exceeds Loihi's 62/]] as const) {
      const text = delayModel(delay);
      fs.writeFileSync(file, text);
      const col = text.split('\n')[4].indexOf(delay) + 1;
      const r = cli(['emulate', file, '--target', target]);
      assert.equal(r.status, 1, r.stderr);
      assert.ok(r.stderr.startsWith(`${path.relative(process.cwd(), file)}:5:${col}: error: `), r.stderr);
      assert.match(r.stderr, re);
    }
  });
});
