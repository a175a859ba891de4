// Dendritic segments on the engine (LANGUAGE.md "Dendritic segments"): a segment's event comes
// exactly when θ distinct synapses have received a spike within the window — coincidence,
// the window's edge, a synapse spiking twice, once per crossing, re-arming — and lands on
// neuron floor(g / count) of the segment index g the rule drew.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModelIR } from '../protocol/ir';
import { Simulation } from '../sim-host/src/engine';
import { irOf as lowerText } from './helpers/model';

function irOf(text: string): ModelIR {
  return lowerText(text, { at: '.scratch/engine-segments.snn' });
}

// Spikes (ms) of four sources; the comments give what segment A (sources 0-2, θ = 2, 1 ms) sees.
const SPIKES: [number, number][] = [
  [10, 0], [10.5, 1], // 0.5 ms apart: event at 10.5 ms
  [12, 2], // the others expired at 11.0 / 11.5 ms: no event
  [20, 0], [21, 1], // exactly one window apart: no event
  [30, 0], [30.5, 0], // one synapse twice is one active synapse: no event ...
  [31.2, 1], // ... but its second spike kept it active until 31.4 ms: event at 31.2 ms
  [40, 0], [40.1, 1], [40.2, 2], // the count passes 2 and reaches 3: one event, at 40.1 ms
  [50, 0], [50.3, 1], // the segment re-armed when the count fell: event at 50.3 ms
  [60, 2], [60, 3], // (segment A: one active synapse) m[1]'s two segments both fire at 60 ms
];

const MODEL = `
neuron Counter {
  state { d: 1 = 0 }
  spike when d > 1000
}
input src = spike_array[4] { times: [${SPIKES.map(([t]) => `${t} ms`).join(', ')}]; indices: [${SPIKES.map(([, i]) => i).join(', ')}] }
population a = Counter[1]
population m = Counter[2]
connect src[0..2] -> a { rule: all_to_all; weight: 1; target: d; segments: { count: 1; threshold: 2; window: 1 ms } }
connect src -> m { rule: one_to_one; weight: 0.5; target: d; segments: { count: 2; threshold: 1 } }
probe d(a, m) every 0.1 ms
simulate { dt: 0.1 ms; duration: 70 ms }
`;

describe('dendritic segments', () => {
  const ir = irOf(MODEL);
  const r = new Simulation(ir).run();
  const d = (pop: string, neuron: number) => {
    const rec = r.traces.find((t) => t.population === pop)!;
    const n = rec.neurons.length;
    return Array.from({ length: rec.data.length / n }, (_, s) => rec.data[s * n + rec.neurons.indexOf(neuron)]);
  };

  it('lowers segments to the IR with the window defaulting to one step', () => {
    assert.deepEqual(ir.connections[0].segments, { count: 1, threshold: 2, window: 1e-3 });
    assert.deepEqual(ir.connections[1].segments, { count: 2, threshold: 1, window: 1e-4 });
  });

  it('fires once per crossing of θ distinct synapses active within the window, at the right steps', () => {
    // An event at step s adds w after the thresholds of step s: visible from sample s + 1.
    const events = [105, 312, 401, 503];
    const got = d('a', 0);
    const want = got.map((_, s) => events.filter((e) => e < s).length);
    assert.deepEqual(got, want);
  });

  it('sends each segment event to neuron floor(g / count) of the segment index g the rule drew', () => {
    // one_to_one: source i -> segment i = neuron floor(i / 2), segment i mod 2; θ = 1 with a
    // one-step window: every spike is an event of its own.
    const m0 = d('m', 0);
    const m1 = d('m', 1);
    const spikesOf = (srcs: number[]) => SPIKES.filter(([, i]) => srcs.includes(i)).map(([t]) => Math.round(t * 10));
    assert.deepEqual(m0, m0.map((_, s) => 0.5 * spikesOf([0, 1]).filter((e) => e < s).length));
    assert.deepEqual(m1, m1.map((_, s) => 0.5 * spikesOf([2, 3]).filter((e) => e < s).length));
    assert.equal(m1[601] - m1[600], 1, 'both segments of m[1] fire in the step of 60 ms');
  });
});
