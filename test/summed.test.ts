// Summed variables (issue 14, item 3): a synapse model's `summed { target = expr }` sets the
// connection's target variable of every postsynaptic neuron, every step, to the sum of expr over
// its synapses (Brian2's `(summed)`). Planted cases with answers known in closed form; the Brian2
// comparison (examples/gap_junctions.snn) is in brian2.test.ts, the misuse errors in
// test/corpus/invalid/summed_misuse.snn.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Simulation, type RunResult } from '../sim-host/src/engine';
import { webgpuRefusal } from '../sim-host/src/webgpu/backend';
import { irOf } from './helpers/model';

/** Samples of `pop.variable` for neuron position m of the probe. */
function trace(r: RunResult, pop: string, variable: string, m = 0): number[] {
  const tr = r.traces.find((t) => t.population === pop && t.variable === variable);
  assert.ok(tr, `no trace ${pop}.${variable}`);
  const out: number[] = [];
  for (let k = m; k < tr.data.length; k += tr.neurons.length) out.push(tr.data[k]);
  return out;
}

const SUM = `
model planted_sum
neuron Held { state { v = 0 } }
neuron Reader { state { I = 0 } }
synapse Sum { summed { target = w * pre.v } }
population src = Held[50] { v = i }
population dst = Reader[3]
population pair = Reader[50]
connect all: src -> dst { rule: all_to_all; weight: 0.5; synapse: Sum; target: I }
connect one: src -> pair { rule: one_to_one; weight: 0.25; synapse: Sum; target: I }
probe I(dst, pair) every 0.1 ms
simulate { dt: 0.1 ms; duration: 1 ms; seed: 1 }
`;

describe('summed variables', () => {
  it('set each target to the sum over its synapses, every step (planted: 0.5·Σi and 0.25·i)', () => {
    const r = new Simulation(irOf(SUM)).run();
    for (let m = 0; m < 3; m++) {
      const I = trace(r, 'dst', 'I', m);
      // A sample is the start of its step: the first precedes any sum, each later one shows the
      // previous step's sum (the same every step: set, not accumulated).
      assert.equal(I[0], 0);
      for (let k = 1; k < I.length; k++) assert.equal(I[k], 0.5 * (49 * 50) / 2);
    }
    const tr = r.traces.find((t) => t.population === 'pair')!;
    for (let m = 0; m < tr.neurons.length; m++) assert.equal(trace(r, 'pair', 'I', m).at(-1), 0.25 * tr.neurons[m]);
  });

  it('couple two leaky integrators as the closed-form solution says (difference and sum)', () => {
    // dv_a/dt = (1 - v_a + w(v_b - v_a))/tau, dv_b/dt = (0 - v_b + w(v_a - v_b))/tau, both from 0:
    // the sum s = v_a + v_b obeys ds/dt = (1 - s)/tau, the difference d = v_a - v_b
    // dd/dt = (1 - (1 + 2w)d)/tau, so d(t) = (1 - e^{-(1+2w)t/tau})/(1 + 2w).
    const w = 0.3;
    const tau = 10e-3;
    const text = `
model planted_pair
neuron Leaky {
  parameters { v0 = 0; tau = 10 ms }
  state { v = 0; I_gap = 0 }
  equations { dv/dt = (v0 - v + I_gap) / tau }
}
synapse Gap { summed { target = w * (pre.v - post.v) } }
population p = Leaky[2] { v0 = 1 - i }
connect gap: p -> p { rule: all_to_all; weight: ${w}; synapse: Gap; target: I_gap; autapses: false }
probe v(p) every 1 ms
simulate { dt: 0.01 ms; duration: 40 ms; seed: 1 }
`;
    const r = new Simulation(irOf(text)).run();
    const a = trace(r, 'p', 'v', 0);
    const b = trace(r, 'p', 'v', 1);
    let worstD = 0;
    let worstS = 0;
    for (let k = 1; k < a.length; k++) {
      const t = k * 1e-3;
      worstD = Math.max(worstD, Math.abs(a[k] - b[k] - (1 - Math.exp(-(1 + 2 * w) * t / tau)) / (1 + 2 * w)));
      worstS = Math.max(worstS, Math.abs(a[k] + b[k] - (1 - Math.exp(-t / tau))));
    }
    // The coupling is held over each step (start-of-step values, as in Brian2): first order in dt.
    assert.ok(worstD < 2e-4, `difference off by ${worstD}`);
    assert.ok(worstS < 2e-5, `sum off by ${worstS}`);
    // Without the coupling the difference would reach 1, not 1/(1 + 2w) = 0.625.
    assert.ok(Math.abs(a.at(-1)! - b.at(-1)! - 1 / (1 + 2 * w)) < 2e-3);
  });

  it('read per-synapse state integrated every step (an NMDA-like trace: x += 1 per spike, summed w·x)', () => {
    const text = `
model planted_trace
neuron Reader { state { g = 0 } }
synapse Slow {
  parameters { tau_x = 5 ms }
  state { x = 0 }
  equations { dx/dt = -x / tau_x }
  on_pre { x += 1 }
  summed { target = w * x }
}
input spikes = spike_array[1] { times: [2 ms, 4 ms]; indices: [0, 0] }
population r = Reader[1]
connect s: spikes -> r { rule: all_to_all; weight: 3; synapse: Slow; target: g }
probe g(r) every 0.1 ms
simulate { dt: 0.1 ms; duration: 10 ms; seed: 1 }
`;
    const g = trace(new Simulation(irOf(text)).run(), 'r', 'g');
    const E = Math.exp(-0.1 / 5);
    // Spike in step 20: x = 1 after its delivery; step 21's sum reads it, sampled at step 22.
    for (let k = 0; k <= 21; k++) assert.equal(g[k], 0, `g[${k}]`);
    assert.ok(Math.abs(g[22] - 3) < 1e-6, `g[22] = ${g[22]}`);
    for (let k = 23; k <= 41; k++) assert.ok(Math.abs(g[k] / g[k - 1] - E) < 1e-5, `decay at ${k}: ${g[k] / g[k - 1]}`);
    // The second spike (step 40) adds 1 to what is left: 3·(1 + E^20) at step 42.
    assert.ok(Math.abs(g[42] - 3 * (1 + E ** 20)) < 1e-4, `g[42] = ${g[42]}`);
  });

  it('are refused by the WebGPU backend with a stated reason (runs fall back to WASM)', () => {
    assert.match(webgpuRefusal(irOf({ file: 'examples/gap_junctions.snn' })) ?? '', /summed variable/);
  });
});
