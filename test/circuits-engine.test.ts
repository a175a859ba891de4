// Interventions in the engine for circuit discovery (issue 18): one plan and one compiled module,
// masks changed between runs. Silencing a population equals the model without its outgoing
// synapses; cutting a connection equals the model without it; replaying a population's own
// spikes reproduces the clean run exactly; nothing is compiled again between runs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SimulationEngine } from '../sim-host/src/circuits-engine';
import { compilationCount, Simulation, type RunResult } from '../sim-host/src/engine';
import { irOf } from './helpers/model';

// a and c drive b; b drives d. Every rule is deterministic or drawn per projection index, and the
// connections the comparisons drop come last, so the rest of the plan is drawn the same way.
const model = (withAB: boolean, withBD = true) => `
model interventions
input drive = poisson[30] { rate: 40 Hz }
input other = poisson[20] { rate: 30 Hz }
population a = LIF[20] { v = uniform(-70 mV, -52 mV) }
population b = LIF[20]
population c = LIF[20] { v = uniform(-70 mV, -52 mV) }
population d = LIF[10]
connect drive -> a { rule: fixed_indegree(k = 10); weight: 300 pA; delay: 1 ms; target: I_syn }
connect other -> c { rule: fixed_indegree(k = 8); weight: 300 pA; delay: 1 ms; target: I_syn }
connect c -> b { rule: where(j == i); weight: 900 pA; delay: 1 ms; target: I_syn }
${withBD ? 'connect bd: b -> d { rule: where(j == i % 10); weight: 700 pA; delay: 2 ms; target: I_syn }' : ''}
${withAB ? 'connect ab: a -> b { rule: where(j == (i + 3) % 20); weight: 900 pA; delay: 1 ms; target: I_syn }' : ''}
simulate { dt: 0.1 ms; duration: 300 ms; seed: 5 }
`;

const spikes = (r: RunResult, name: string) => {
  const s = r.spikes.find((x) => x.name === name)!;
  return { steps: Array.from(s.steps), neurons: Array.from(s.neurons) };
};

describe('circuits: interventions in the engine', () => {
  const ir = irOf(model(true));
  const popIndex = (e: SimulationEngine, name: string) => e.sim.plan.pops.findIndex((p) => p.name === name);

  it('silencing a population gives it no spikes and runs as the model without its outgoing synapses', () => {
    const e = new SimulationEngine(ir);
    const clean = e.run({ cut: [], replace: [] });
    assert.ok(spikes(clean, 'a').steps.length > 50, 'a fires in the clean run');
    const silenced = e.run({ cut: [], replace: [{ population: 'a', mask: new Uint8Array(20).fill(1), steps: new Int32Array(0), neurons: new Int32Array(0) }] });
    assert.equal(spikes(silenced, 'a').steps.length, 0);
    const without = new Simulation(irOf(model(false))).run();
    for (const p of ['b', 'c', 'd']) assert.deepEqual(spikes(silenced, p), spikes(without, p), p);
    assert.notDeepEqual(spikes(silenced, 'b'), spikes(clean, 'b'), 'a matters for b');
  });

  it('cutting a connection runs as the model without it, and the next run has it again', () => {
    const e = new SimulationEngine(ir);
    const k = ir.connections.findIndex((c) => c.name === 'ab');
    const cut = e.run({ cut: [k], replace: [] });
    const without = new Simulation(irOf(model(false))).run();
    for (const p of ['a', 'b', 'c', 'd']) assert.deepEqual(spikes(cut, p), spikes(without, p), p);
    const again = e.run({ cut: [], replace: [] });
    const fresh = new Simulation(ir).run();
    for (const p of ['a', 'b', 'c', 'd']) assert.deepEqual(spikes(again, p), spikes(fresh, p), p);
  });

  it('patching a population with its own clean activity reproduces the clean run exactly; another run\'s activity changes it', () => {
    const e = new SimulationEngine(ir);
    const clean = e.run({ cut: [], replace: [] });
    const own = spikes(clean, 'b');
    const patched = e.run({ cut: [], replace: [{ population: 'b', mask: new Uint8Array(20).fill(1), steps: Int32Array.from(own.steps), neurons: Int32Array.from(own.neurons) }] });
    for (const p of ['a', 'b', 'c', 'd']) assert.deepEqual(spikes(patched, p), spikes(clean, p), p);
    // half of b replaced by its spikes shifted by 50 ms: b's kept half is unchanged at first, d differs
    const mask = new Uint8Array(20).fill(1, 0, 10);
    const shift = 500;
    const moved = own.steps.map((s, k) => [s + shift, own.neurons[k]] as const).filter(([s, i]) => i < 10 && s < clean.steps);
    const other = e.run({ cut: [], replace: [{ population: 'b', mask, steps: Int32Array.from(moved.map((x) => x[0])), neurons: Int32Array.from(moved.map((x) => x[1])) }] });
    const got = spikes(other, 'b');
    const lower = got.steps.map((s, k) => [s, got.neurons[k]]).filter(([, i]) => i < 10);
    assert.deepEqual(lower, moved.map((x) => [x[0], x[1]]), 'the replaced neurons spike exactly as injected');
    const upper = (r: { steps: number[]; neurons: number[] }) => r.steps.map((s, k) => [s, r.neurons[k]]).filter(([, i]) => i >= 10);
    assert.deepEqual(upper(got), upper(own), 'the others keep their spikes (nothing feeds back into b)');
    assert.notDeepEqual(spikes(other, 'd'), spikes(clean, 'd'));
  });

  it('runs under changing masks never compile again, and a reset run equals the first', () => {
    const e = new SimulationEngine(ir);
    const before = compilationCount();
    const first = e.run({ cut: [], replace: [] });
    for (let k = 0; k < 6; k++) {
      const mask = new Uint8Array(20);
      mask.fill(1, k, k + 5);
      e.run({ cut: k % 2 ? [0] : [], replace: [{ population: ['a', 'b', 'c'][k % 3], mask, steps: new Int32Array(0), neurons: new Int32Array(0) }] });
    }
    const last = e.run({ cut: [], replace: [] });
    assert.equal(compilationCount(), before, 'no module compiled after the first');
    assert.ok(popIndex(e, 'a') >= 0);
    for (const p of ['a', 'b', 'c', 'd', 'drive', 'other']) assert.deepEqual(spikes(last, p), spikes(first, p), p);
    new Simulation(ir);
    assert.equal(compilationCount(), before + 1, 'the counter counts compilations');
  });
});
