// Several on_pre pathways on one connection (Brian2's on_pre={'up': …, 'down': …} with
// S.up.delay): the synapses are drawn once and every pathway delivers over the same ones, each
// its own statement (x += w, x -= w) after its own delay; the run's synapse count and a weight
// probe see the synapses once; WebGPU refuses them with a stated reason (the run falls back).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildPlan } from '../sim-host/src/core/plan';
import { Simulation } from '../sim-host/src/engine';
import { webgpuRefusal } from '../sim-host/src/webgpu/backend';
import { irOf } from './helpers/model';

const ACC = `neuron Acc {
  state { x = 0; y = 0 }
  spike when x > 100
}
input kick = spike_array[1] { times: [10 ms]; indices: [0] }
population p = Acc[3]
connect k: kick -> p {
  rule: all_to_all
  weight: [1, 2, 4]
  pathways: { up: { delay: 1 ms; on_pre: x += w }; side: { delay: 3 ms; on_pre: y += w }; down: { delay: 5 ms; on_pre: x -= w } }
}
probe x(p) every 0.1 ms
probe y(p) every 0.1 ms
probe w(k)
simulate { dt: 0.1 ms; duration: 20 ms }
`;

describe('connection pathways', () => {
  it('lowers to one connection with its pathways (name, delay, statement)', () => {
    const ir = irOf(ACC);
    assert.equal(ir.connections.length, 1);
    const c = ir.connections[0];
    assert.deepEqual(c.pathways?.map((p) => [p.name, p.delay, p.on_pre[0].op, p.on_pre[0].target]), [
      ['up', 1e-3, '+=', { kind: 'post', name: 'x' }],
      ['side', 3e-3, '+=', { kind: 'post', name: 'y' }],
      ['down', 5e-3, '-=', { kind: 'post', name: 'x' }],
    ]);
    assert.equal(c.on_pre, undefined);
    assert.equal(c.delay, undefined);
  });

  it('each pathway delivers its own statement after its own delay, over the same synapses and weights', () => {
    const r = new Simulation(irOf(ACC), { seed: 1 }).run();
    const tr = (v: string) => r.traces.find((t) => t.population === 'p' && t.variable === v)!;
    const at = (v: string, ms: number) => [0, 1, 2].map((n) => tr(v).data[Math.round(ms * 10) * 3 + n]);
    // The kick at 10 ms arrives after each pathway's delay (recorded from the next sample on).
    assert.deepEqual(at('x', 10.5), [0, 0, 0]);
    assert.deepEqual(at('x', 11.5), [1, 2, 4]);
    assert.deepEqual(at('y', 12.5), [0, 0, 0]);
    assert.deepEqual(at('y', 13.5), [1, 2, 4]);
    assert.deepEqual(at('x', 14.5), [1, 2, 4]);
    assert.deepEqual(at('x', 15.5), [0, 0, 0]);
    assert.deepEqual(at('y', 19.5), [1, 2, 4]);
    // The synapses once: in the run's count and in the weight probe.
    assert.equal(r.synapses, 3);
    const w = r.traces.find((t) => t.variable === 'w')!;
    assert.deepEqual([...w.data.slice(0, 3)], [1, 2, 4]);
  });

  it('a random rule is drawn once: every pathway reads the same columns, with its own ring, delay and sign', () => {
    const ir = irOf(`population a = CobaLIF[200]
connect ee: a -> a {
  rule: random(p = 0.1)
  weight: uniform(1 nS, 3 nS)
  pathways: { fast: { delay: 1 ms; on_pre: g_e += w }; slow: { delay: 8 ms; on_pre: g_i += w }; neg: { on_pre: g_e -= w } }
}
simulate { dt: 0.1 ms; duration: 10 ms }
`);
    const plan = buildPlan(ir);
    const ps = plan.projs.filter((p) => p.connection === 0);
    assert.equal(ps.length, 3);
    assert.ok(ps[0].synapses > 3000);
    for (const p of ps.slice(1)) {
      assert.equal(p.colOffset, ps[0].colOffset);
      assert.equal(p.rowptrOffset, ps[0].rowptrOffset);
      assert.equal(p.synapses, ps[0].synapses);
    }
    assert.deepEqual(ps.map((p) => ('value' in p.delay ? p.delay.value : -1)), [10, 80, 0]);
    assert.deepEqual(ps.map((p) => p.ring.variable), ['g_e', 'g_i', 'g_e']);
    assert.equal(ps[0].ring, ps[2].ring);
    const w = (k: number) => new Float32Array(plan.memory.buffer, ps[k].weightOffset, ps[k].synapses);
    assert.deepEqual([...w(1)], [...w(0)]);
    assert.deepEqual([...w(2)], [...w(0)].map((x) => -x));
    assert.ok(w(0).every((x) => x >= 1e-9 && x <= 3e-9));
  });

  it('WebGPU refuses pathways, saying so', () => {
    assert.equal(webgpuRefusal(irOf(ACC)), 'the WebGPU backend does not run connection pathways yet');
  });
});
