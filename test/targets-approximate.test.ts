// `approximate: conductance` (sim-host/src/targets/approximate.ts): a COBA-style model is refused
// on the targets without it (the refusal names it); with it each conductance input g·(E − v)
// becomes the current g·(E − v_op), v_op = (V_reset + V_th)/2, listed in the report and
// target.json with its measured effect. The planted check: for one synapse the converted current
// equals g(t)·(E − v_op)/C_m at every sample, g(t) from the model as written (its peak the weight,
// closed form) and the factors from the prelude's constants.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emulateOnTarget, PlanError, Simulation } from '../sim-host/src/engine';
import { approximateConductance, CURRENT_NAME } from '../sim-host/src/targets/approximate';
import { targetReport } from '../sim-host/src/target-report';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { complete } from '../language-server/src/features/completion';
import { hover } from '../language-server/src/features/hover';
import { repoRoot } from './helpers/build';
import { freshProgram } from './helpers/corpus';
import { irOf } from './helpers/model';

/** One CobaLIF neuron (prelude: C_m 200 pF, E_e 0 mV, E_i −80 mV, τ_e 5 ms, τ_i 10 ms, V_reset −60 mV, V_th −50 mV) driven once through g_e and once through g_i. */
const ONE = (targets: string) => `model one
population n = CobaLIF[1]
input pre = spike_array[2] {
  times: [2 ms, 30 ms]
  indices: [0, 1]
}
connect pre[0] -> n { rule: all_to_all; weight: 6 nS; target: g_e }
connect pre[1] -> n { rule: all_to_all; weight: 67 nS; target: g_i }
probe spikes(n)
probe g_e(n) every 0.1 ms
probe g_i(n) every 0.1 ms
${targets}
simulate { dt: 0.1 ms; duration: 60 ms; seed: 1 }
`;

const C_M = 200e-12, E_E = 0, E_I = -80e-3, V_OP = (-60e-3 + -50e-3) / 2, TAU_E = 5e-3, TAU_I = 10e-3;

describe('approximate: conductance', () => {
  it('without the setting a conductance model is refused on both targets, and the refusal names the setting', () => {
    const ir = irOf(ONE('target chip = loihi2 { neurons_per_core: 16 }\ntarget spin = spinnaker2 { neurons_per_core: 16 }'));
    for (const t of ['chip', 'spin']) {
      assert.throws(() => emulateOnTarget(ir, {}, t), (e: unknown) => e instanceof PlanError && /conductance synapse/.test(e.message) && /approximate: conductance/.test(e.message) && e.message.includes(`target ${t}`));
    }
  });

  it('the converted weights are w·(E − v_op)/C_m (g_i also × τ_i/τ_e), and the current equals g(t)·(E − v_op)/C_m at every sample', () => {
    const ir = irOf(ONE(''));
    const a = approximateConductance(ir);
    assert.ok(typeof a !== 'string', String(a));
    const [ce, ci] = a.ir.connections;
    assert.equal(ce.target, CURRENT_NAME);
    assert.equal(ci.target, CURRENT_NAME);
    const we = (6e-9 * (E_E - V_OP)) / C_M;
    const wi = ((67e-9 * (E_I - V_OP)) / C_M) * (TAU_I / TAU_E);
    assert.ok(ce.weight.kind === 'const' && Math.abs(ce.weight.value - we) < 1e-9 * Math.abs(we), JSON.stringify(ce.weight));
    assert.ok(ci.weight.kind === 'const' && Math.abs(ci.weight.value - wi) < 1e-9 * Math.abs(wi), JSON.stringify(ci.weight));
    // Dynamics: the model as written gives g_e(t) (peak 6 nS: the weight); the converted model's current over the first
    // spike's window (before the g_i spike at 30 ms) is g_e(t)·(E_e − v_op)/C_m, sample by sample.
    const orig = new Simulation(ir).run();
    const conv = new Simulation({ ...a.ir, probes: [{ ...ir.probes.find((p) => p.variable === 'g_e')!, variable: CURRENT_NAME }] }).run();
    const g = orig.traces.find((t) => t.variable === 'g_e')!.data;
    const s = conv.traces.find((t) => t.variable === CURRENT_NAME)!.data;
    const peak = Math.max(...g.slice(0, 290));
    assert.ok(Math.abs(peak - 6e-9) < 6e-9 * 1e-3, `g_e peak ${peak}`);
    let checked = 0;
    for (let k = 0; k < 290; k++) {
      const want = (g[k] * (E_E - V_OP)) / C_M;
      assert.ok(Math.abs(s[k] - want) <= 1e-5 * Math.abs(we) + 1e-6 * Math.abs(want), `sample ${k}: ${s[k]} vs ${want}`);
      if (g[k] > 0) checked++;
    }
    assert.ok(checked > 200, `${checked} samples with a conductance`);
  });

  it('with the setting: the approximations (and their measured effect) are in the report and target.json, on both targets', () => {
    const ir = irOf(ONE('target chip = loihi2 { neurons_per_core: 16; approximate: conductance }\ntarget spin = spinnaker2 { neurons_per_core: 16; approximate: conductance }'));
    ir.probes = ir.probes.filter((p) => p.variable === 'spikes');
    for (const t of ['chip', 'spin']) {
      const em = emulateOnTarget(ir, {}, t);
      const r = targetReport(em, 'one.snn');
      assert.ok(r.approximations.some((x) => /conductance g_e → current .* v_op = -55 mV/.test(x)), r.approximations.join('\n'));
      assert.ok(r.approximations.some((x) => /g_i .* τ 10 ms → 5 ms .* weights ×2/.test(x)));
      assert.ok(r.approximations.some((x) => /^measured effect of approximate: conductance/.test(x)));
      const tj = em.targetJson as { approximations: string[]; conductance_approximation: { conductance: string; v_op: number; coefficient: number }[] };
      for (const x of r.approximations) assert.ok(tj.approximations.includes(x), x);
      const ge = tj.conductance_approximation.find((x) => x.conductance === 'g_e')!;
      assert.ok(Math.abs(ge.v_op - V_OP) < 1e-12 && Math.abs(ge.coefficient - (E_E - V_OP) / C_M) < 1e-3);
    }
  });

  it('in the editor: examples/coba.snn checks clean, approximate is completed as a key and as its value, and hovered', () => {
    const uri = 'file:///virtual/coba.snn';
    const text = fs.readFileSync(path.join(repoRoot, 'examples/coba.snn'), 'utf8');
    const program = freshProgram();
    program.setText(uri, text);
    const a = program.analyze(uri);
    assert.deepEqual(a.diagnostics.filter((d) => d.severity === 1 || d.severity === 2).map((d) => d.message), []);
    const at = text.indexOf('approximate: conductance }');
    assert.ok(complete(a, text.indexOf('{', text.indexOf('target chip')) + 2).some((c) => c.label === 'approximate'));
    assert.ok(complete(a, at + 'approximate: '.length).some((c) => c.label === 'conductance'));
    const h = hover(a, at + 3);
    assert.ok(h && /v_op = \(V_reset \+ V_th\) \/ 2/.test(JSON.stringify(h)), JSON.stringify(h));
    // The IR says so; a block without it says nothing.
    const ir = irOf({ file: 'examples/coba.snn' });
    assert.deepEqual(ir.targets.map((t) => [t.name, t.approximate]), [['chip', ['conductance']], ['spin', ['conductance']]]);
    assert.ok(!('approximate' in ir.targets[0].settings));
  });
});
