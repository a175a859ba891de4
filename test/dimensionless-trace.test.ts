// Dimensionless traces added to dimensionless weights (issue 14, item 8): a synapse model whose
// weight statements hold only for a dimensionless weight (Brian2's usual STDP form
// `w = clip(w + apre, 0, 1)` with a dimensionless trace apre) checks clean and runs when the
// connection's weight is dimensionless, is refused where a connection with a weight in siemens
// uses it, and a model wrong for every weight unit is still an error in the model.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Simulation } from '../sim-host/src/engine';
import { irOf, outcomeOf } from './helpers/model';

const MODEL = `model dimless
neuron Rate {
  parameters { tau = 10 ms; I = 0 }
  state { x = 0 }
  equations { dx/dt = (I - x) / tau }
  spike when x > 100
}
synapse DimTrace {
  parameters { tau_pre = 20 ms; A = 0.1 }
  state { apre = 0 }
  equations { dapre/dt = -apre / tau_pre }
  on_pre { target += w; apre += A; w = clip(w + apre, 0, 1) }
}
input cue = spike_array[1] { times: [10 ms, 20 ms, 25 ms, 30 ms]; indices: [0, 0, 0, 0] }
population b = Rate[1]
population c = CobaLIF[1]
`;
const RUN = `connect ab: cue -> b { rule: all_to_all; weight: 0.5; target: x; synapse: DimTrace }
probe w(ab) every 1 ms
simulate { dt: 0.1 ms; duration: 40 ms }
`;

const errors = (text: string) => {
  const o = outcomeOf(text);
  return o.ok ? [] : o.diagnostics.filter((d) => d.severity === 'error');
};

describe('dimensionless traces added to dimensionless weights', () => {
  it('checks clean and runs: w steps by the decayed trace at each presynaptic spike, clipped at 1', () => {
    const ir = irOf(MODEL + RUN);
    const r = new Simulation(ir, { seed: 1 }).run();
    const tr = r.traces.find((t) => t.variable === 'w')!;
    const at = (ms: number) => tr.data[Math.round(ms / 1e3 / tr.every)];
    // apre: +0.1 at each spike, decaying with 20 ms; w += apre after the increment.
    const a2 = 0.1 * Math.exp(-10 / 20) + 0.1;
    const a3 = a2 * Math.exp(-5 / 20) + 0.1;
    const want: [number, number][] = [[5, 0.5], [15, 0.6], [22, 0.6 + a2], [27, 0.6 + a2 + a3], [35, 1]];
    for (const [ms, w] of want) assert.ok(Math.abs(at(ms) - w) < 1e-6, `w at ${ms} ms: ${at(ms)}, expected ${w}`);
  });

  it('a connection whose weight has a unit cannot use it: one located error naming the model and the units', () => {
    const text = MODEL + 'connect ac: cue -> c { rule: all_to_all; weight: 5 nS; target: g_e; synapse: DimTrace }\nsimulate { dt: 0.1 ms; duration: 40 ms }\n';
    const e = errors(text);
    assert.equal(e.length, 1, JSON.stringify(e.map((d) => d.message)));
    assert.match(e[0].message, /DimTrace adds dimensionless values to its weight \(line 12\), so it needs a dimensionless weight; this connection's weight is siemens/);
    assert.equal(e[0].line, 17);
  });

  it('a trace in the wrong unit for every weight is still an error in the model', () => {
    const bad = MODEL.replace('state { apre = 0 }', 'state { apre = 0 mV }').replace('A = 0.1', 'A = 0.1 mV');
    const e = errors(bad + RUN);
    assert.ok(e.some((d) => /unit mismatch/.test(d.message) && d.line === 12), JSON.stringify(e.map((d) => [d.line, d.message])));
  });

  it('a model whose statements hold for any weight unit is unchanged (prelude PairSTDP with nS weights and a dimensionless target alike)', () => {
    assert.deepEqual(errors(MODEL + 'connect ac: cue -> c { rule: all_to_all; weight: 1 nS; target: g_e; synapse: PairSTDP(w_max = 10 nS) }\nsimulate { dt: 0.1 ms; duration: 40 ms }\n'), []);
    assert.deepEqual(errors(MODEL + 'connect ab: cue -> b { rule: all_to_all; weight: 0.5; target: x; synapse: PairSTDP(w_max = 1) }\nsimulate { dt: 0.1 ms; duration: 40 ms }\n'), []);
  });
});
