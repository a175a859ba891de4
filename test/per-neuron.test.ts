// Per-neuron expressions in population assignments (issue 13): `I_e = i * 10 pA`,
// `v = -70 mV + i * 0.1 mV`, `tau_m = 10 ms + i / N * 10 ms` give each neuron its own value, in
// the IR (a per-neuron list) and in the engine's state (float32); random draws that depend on i
// or N, values that are not finite for some neuron, and populations too large to enumerate are
// located errors, never a silent 0.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Simulation } from '../sim-host/src/engine';
import { MAX_PER_NEURON_VALUES } from '../language-server/src/per-neuron';
import { irOf, outcomeOf } from './helpers/model';

const N = 50;
const MODEL = `model per_neuron
population cells = LIF[${N}] {
  I_e = i * 10 pA
  v = -70 mV + i * 0.1 mV
  tau_m = 10 ms + i / N * 10 ms
}
simulate { dt: 0.1 ms; duration: 1 ms; seed: 1 }
`;

/** The values the test expects, computed here in SI units (not by the language). */
const expected = {
  I_e: Array.from({ length: N }, (_, k) => k * 1e-11),
  v: Array.from({ length: N }, (_, k) => -0.07 + k * 1e-4),
  tau_m: Array.from({ length: N }, (_, k) => 0.01 + (k / N) * 0.01),
};

function close(got: ArrayLike<number>, want: number[], rel: number, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  for (let k = 0; k < want.length; k++) {
    assert.ok(Math.abs(got[k] - want[k]) <= rel * Math.max(Math.abs(want[k]), 1e-30), `${what}[${k}]: ${got[k]} vs ${want[k]}`);
  }
}

describe('per-neuron expressions (i, N) in a population', () => {
  const ir = irOf(MODEL, { at: '.scratch/per_neuron.snn' });
  const pop = ir.populations[0];

  it('lower to one value per neuron in the IR', () => {
    for (const [name, where] of [['I_e', pop.init], ['v', pop.init], ['tau_m', pop.parameters]] as const) {
      const v = where[name];
      assert.equal(v?.kind, 'list', `${name} is ${JSON.stringify(v)}`);
      if (v?.kind === 'list') close(v.values, expected[name], 1e-12, name);
    }
  });

  it("the engine stores each neuron's value (float32) before the first step", () => {
    const sim = new Simulation(ir);
    const p = sim.plan.pops.find((x) => x.name === 'cells')!;
    const f32 = (xs: number[]) => xs.map((x) => Math.fround(x));
    close(p.initial.get('I_e')!, f32(expected.I_e), 1e-6, 'I_e');
    close(p.initial.get('v')!, f32(expected.v), 1e-6, 'v');
    close(p.initial.get('param:tau_m')!, f32(expected.tau_m), 1e-6, 'tau_m');
    assert.notEqual(p.initial.get('I_e')![N - 1], 0);
  });

  function errors(text: string) {
    const r = outcomeOf(text, { at: '.scratch/per_neuron_bad.snn' });
    assert.equal(r.ok, false, 'the model must not lower');
    return r.ok ? [] : r.diagnostics.map((d) => ({ line: d.line, column: d.column, code: d.code, message: d.message }));
  }

  it('a distribution whose arguments use i is a located error', () => {
    const e = errors('population cells = LIF[5] {\n  v = normal(-70 mV + i * 1 mV, 1 mV)\n}\n');
    assert.deepEqual(e.map((x) => [x.line, x.column, x.code]), [[2, 7, 'bad-expression']]);
    assert.match(e[0].message, /normal\(\) cannot be part of a per-neuron expression/);
  });

  it('rand() with i is a located error', () => {
    const e = errors('population cells = LIF[5] {\n  I_e = i * rand() * 1 pA\n}\n');
    assert.ok(e.length >= 1 && e.every((x) => x.line === 2), JSON.stringify(e));
    assert.ok(e.some((x) => /rand\(\)/.test(x.message)), JSON.stringify(e));
  });

  it('a value that is not finite for some neuron names the neuron', () => {
    const e = errors('population cells = LIF[5] {\n  I_e = 1 pA / i\n}\n');
    assert.deepEqual(e.map((x) => [x.line, x.column, x.code]), [[2, 9, 'not-finite']]);
    assert.match(e[0].message, /neuron i = 0/);
  });

  it('a time constant per neuron is range-checked by its smallest value', () => {
    const e = errors('population cells = LIF[5] {\n  tau_m = 4 ms - i * 1 ms\n}\n');
    assert.deepEqual(e.map((x) => [x.line, x.column, x.code]), [[2, 11, 'out-of-range']]);
  });

  it('a population above the bound is refused with the figures, without enumerating it', () => {
    const size = 100_000_000;
    const t0 = Date.now();
    const e = errors(`population cells = LIF[${size}] {\n  I_e = i * 10 pA\n}\n`);
    assert.ok(Date.now() - t0 < 5000, 'refused quickly');
    const big = e.find((x) => x.code === 'too-large' && x.line === 2);
    assert.ok(big, JSON.stringify(e));
    assert.match(big.message, new RegExp(`${size}.*${MAX_PER_NEURON_VALUES}`));
  });
});
