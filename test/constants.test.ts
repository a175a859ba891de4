// pi and e (issue 14, item 8): dimensionless constants wherever no variable has the name.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Simulation } from '../sim-host/src/engine';
import { irOf } from './helpers/model';

const MODEL = `
neuron Osc {
  parameters { f = 10 Hz; A = 1 mV }
  state { v: mV = 0 mV }
  equations { dv/dt = A * 2 * pi * f * cos(2 * pi * f * t) }
}
neuron HasE {
  parameters { e = 3 }
  state { x = 0 }
  equations { dx/dt = e / (1 s) }
}
population o = Osc[3] { A = 1 mV * e^(i - 1) }
population h = HasE[1] { }
probe v(o) every 1 ms
probe x(h) every 1 ms
simulate { dt: 0.01 ms; duration: 25 ms }
`;

describe('pi and e', () => {
  it('fold in constants and per-neuron values, and run in equations: v = A·sin(2π f t) with A = e^(i-1) mV', () => {
    const ir = irOf(MODEL);
    const a = ir.populations[0].parameters.A;
    assert.equal(a.kind, 'list');
    const amps = a.kind === 'list' ? a.values : [];
    [Math.exp(-1), 1, Math.E].forEach((x, k) => assert.ok(Math.abs(amps[k] - 1e-3 * x) < 1e-15, `A[${k}] = ${amps[k]}`));
    const r = new Simulation(ir).run();
    const tr = r.traces.find((t) => t.population === 'o')!;
    for (let k = 0; k * 3 < tr.data.length; k += 5) {
      const t = k * 1e-3;
      for (let m = 0; m < 3; m++) {
        const want = amps[m] * Math.sin(2 * Math.PI * 10 * t);
        assert.ok(Math.abs(tr.data[k * 3 + m] - want) < 2e-3 * amps[m], `v(o[${m}]) at ${t} s: ${tr.data[k * 3 + m]} vs ${want}`);
      }
    }
  });
  it('a variable named e (or pi) is that variable, not the constant', () => {
    const r = new Simulation(irOf(MODEL)).run();
    const x = r.traces.find((t) => t.population === 'h')!.data;
    assert.ok(Math.abs(x[24] - 3 * 0.024) < 1e-6, `x = ${x[24]}: e was not the parameter e = 3`);
  });
  it('fold in a population value: tau_m = 10 ms * pi', () => {
    const ir = irOf('population p = LIF[2] { tau_m = 10 ms * pi / e }\n');
    assert.deepEqual(ir.populations[0].parameters.tau_m, { kind: 'const', value: (0.01 * Math.PI) / Math.E });
  });
});
