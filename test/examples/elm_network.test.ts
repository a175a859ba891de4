// Expressive Leaky Memory neuron (Spieler et al.): the engine's ELM cells, driven by random
// (Poisson) input in a network, match an independent implementation of the equations
// (test/examples/elm_reference.ts) step by step within 1e-4, spikes included; and the slowest
// memory unit still holds the input event 1.5 s after it ended.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { elmParams, runElm } from './elm_reference';
import { loadExample, runSim, spikeTimes, trace } from './helpers';

const CHECKED = [0, 1, 2, 3, 4]; // the probed cells (every step)
const TOL = 1e-4;

describe('examples/elm_network.snn', () => {
  const ir = loadExample('elm_network');
  const { sim, result } = runSim(ir, { seed: 1 });
  const dt = result.dt;
  const steps = result.steps;
  const elm = sim.plan.pops.find((p) => p.name === 'elm')!;
  const defaults = Object.fromEntries(ir.models.ELM.parameters.map((p) => [p.name, p.default!]));

  /** Per-cell parameter value as drawn for the run (constant or per neuron). */
  const param = (name: string, cell: number) => {
    const v = elm.initial.get(`param:${name}`);
    if (v) return v[cell];
    const pv = ir.populations.find((p) => p.name === 'elm')!.parameters[name];
    return pv?.kind === 'const' ? pv.value : defaults[name];
  };

  /** Input to each checked cell: the weights of every spike arriving in each step. */
  function inputs(): Map<number, Float64Array> {
    const out = new Map(CHECKED.map((c) => [c, new Float64Array(steps)]));
    sim.plan.projs.forEach((pr, k) => {
      if (pr.target.name !== 'elm') return;
      const conn = ir.connections.find((c) => c.sources.some((s) => s.name === pr.source.name) && c.targets.some((t) => t.name === 'elm'))!;
      assert.equal(conn.weight.kind, 'const');
      assert.equal(conn.delay?.kind, 'const');
      const w = conn.weight.kind === 'const' ? conn.weight.value : 0;
      const d = Math.round((conn.delay?.kind === 'const' ? conn.delay.value : 0) / dt);
      const { rowptr, col } = sim.connectivity(k);
      const sp = result.spikes.get(pr.source.name);
      assert.ok(sp, `spikes of ${pr.source.name} are recorded`);
      for (let m = 0; m < sp.steps.length; m++) {
        const i = sp.neurons[m] - pr.src[0];
        if (i < 0 || i >= rowptr.length - 1) continue;
        const at = sp.steps[m] + d; // on_pre runs at the end of step t + delay
        for (let q = rowptr[i]; q < rowptr[i + 1]; q++) {
          const arr = out.get(col[q] + pr.tgt[0]);
          if (arr && at < steps) arr[at] += w;
        }
      }
    });
    return out;
  }

  it('matches the reference implementation step by step within 1e-4 (s, m1, m2, m3; 5 cells × 30,000 steps)', () => {
    const inp = inputs();
    let worst = 0;
    let spikesChecked = 0;
    for (const cell of CHECKED) {
      const p = elmParams(Object.fromEntries(Object.keys(defaults).map((k) => [k, param(k, cell)])));
      const ref = runElm(p, dt, steps, inp.get(cell)!);
      ['s', 'm1', 'm2', 'm3'].forEach((v, j) => {
        const got = trace(result, 'elm', v, cell);
        assert.equal(got.length, steps);
        for (let t = 0; t < steps; t++) {
          const err = Math.abs(got[t] - ref.states[t][j]);
          if (err > worst) worst = err;
          if (err > TOL) assert.fail(`cell ${cell}, ${v} at step ${t}: engine ${got[t]}, reference ${ref.states[t][j]}`);
        }
      });
      const engineSpikes = spikeTimes(result, 'elm', cell).map((x) => Math.round(x / dt));
      assert.deepEqual(engineSpikes, ref.spikes, `cell ${cell}: spike steps differ`);
      spikesChecked += ref.spikes.length;
    }
    console.log(`  largest |engine - reference| ${worst.toExponential(2)} over ${CHECKED.length} cells × ${steps} steps; ${spikesChecked} spikes identical`);
    assert.ok(spikesChecked > 0, 'the checked cells never spiked: the comparison would not cover the spike condition');
  });

  it('memory on three timescales: after the event m1 forgets within ~50 ms, m3 still remembers 1.5 s later', () => {
    const mean = (v: string, from: number, to: number) => {
      let s = 0;
      let n = 0;
      for (const c of CHECKED) {
        const tr = trace(result, 'elm', v, c);
        for (let t = Math.round(from / dt); t < Math.round(to / dt); t++) (s += tr[t]), n++;
      }
      return s / n;
    };
    const before = { m1: mean('m1', 0.8, 1.0), m3: mean('m3', 0.8, 1.0) };
    const after = { m1: mean('m1', 1.6, 1.7), m3: mean('m3', 2.9, 3.0) };
    const peak = { m1: mean('m1', 1.45, 1.5), m3: mean('m3', 1.45, 1.5) };
    console.log(`  m1 ${before.m1.toFixed(3)} before, ${peak.m1.toFixed(3)} at the end of the event, ${after.m1.toFixed(3)} 100-200 ms after; m3 ${before.m3.toFixed(3)} before, ${peak.m3.toFixed(3)} at the end of the event, ${after.m3.toFixed(3)} 1.4-1.5 s after`);
    // m1 (tau 5 ms) has lost most of what the event added 100 ms after it ...
    assert.ok(after.m1 - before.m1 < (peak.m1 - before.m1) / 3, 'm1 still holds the event');
    // ... m3 (tau 300-800 ms) keeps more than a third of it 1.4 s after
    assert.ok(after.m3 - before.m3 > (peak.m3 - before.m3) / 3, 'm3 has forgotten the event');
  });
});
