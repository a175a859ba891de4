// Expressive Leaky Memory neuron (Spieler et al.): the engine's ELM cells, with weights read
// from a file and driven by random (Poisson) input in a network, match an independent
// implementation of the paper's discrete-time equations (test/examples/elm_reference.ts) step
// by step within 1e-4 — trace, memory units, output and spikes — for two weight files; the
// slow memory unit still holds an input event after the fast one has forgotten it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ModelIR } from '../../protocol/ir';
import { spikesOf, type RunResult, type Simulation } from '../../sim-host/src/engine';
import { elmParams, runElm } from './elm_reference';
import { WEIGHT_FILES, weightsCsv } from './elm_weights';
import { examplesDir, loadText, runSim, spikeTimes, trace } from './helpers';

const CHECKED = [0, 1, 2, 3, 4]; // the probed cells (every step)
const TOL = 1e-4;
const text = readFileSync(join(examplesDir, 'elm_network.snn'), 'utf8');

/** The example with its weights read from `file` (the example itself reads the first file). */
function variant(file: string): { ir: ModelIR; sim: Simulation; result: RunResult } {
  const ir = loadText(text.replaceAll('"data/elm_weights.csv"', `"${file}"`), `elm_${file.replace(/\W/g, '_')}`);
  const { sim, result } = runSim(ir, { seed: 1 });
  return { ir, sim, result };
}

/** Per-cell parameter value as the run used it (a file's column, a drawn value, or the default). */
function paramsOf(ir: ModelIR, sim: Simulation, cell: number): Record<string, number> {
  const elm = sim.plan.pops.find((p) => p.name === 'elm')!;
  const pop = ir.populations.find((p) => p.name === 'elm')!;
  const out: Record<string, number> = {};
  for (const p of ir.models.ELM.parameters) {
    const drawn = elm.initial.get(`param:${p.name}`);
    const pv = pop.parameters[p.name];
    out[p.name] = drawn ? drawn[cell] : pv?.kind === 'const' ? pv.value : pv?.kind === 'list' ? pv.values[cell] : p.default!;
  }
  return out;
}

/** Input to each checked cell: the weights of the spikes delivered at the end of each step. */
function delivered(ir: ModelIR, sim: Simulation, result: RunResult): Map<number, Float64Array> {
  const dt = result.dt;
  const out = new Map(CHECKED.map((c) => [c, new Float64Array(result.steps)]));
  sim.plan.projs.forEach((pr, k) => {
    if (pr.target.name !== 'elm') return;
    const conn = ir.connections.find((c) => c.sources.some((s) => s.name === pr.source.name) && c.targets.some((t) => t.name === 'elm'))!;
    assert.equal(conn.weight.kind, 'const');
    assert.equal(conn.delay?.kind, 'const');
    const w = conn.weight.kind === 'const' ? conn.weight.value : 0;
    const d = Math.round((conn.delay?.kind === 'const' ? conn.delay.value : 0) / dt);
    const { rowptr, col } = sim.connectivity(k);
    const sp = spikesOf(result, pr.source.name);
    assert.ok(sp, `spikes of ${pr.source.name} are recorded`);
    for (let m = 0; m < sp.steps.length; m++) {
      const i = sp.neurons[m] - pr.src[0];
      if (i < 0 || i >= rowptr.length - 1) continue;
      const at = sp.steps[m] + d; // on_pre runs at the end of step t + delay
      for (let q = rowptr[i]; q < rowptr[i + 1]; q++) {
        const arr = out.get(col[q] + pr.tgt[0]);
        if (arr && at < result.steps) arr[at] += w;
      }
    }
  });
  return out;
}

describe('examples/elm_network.snn', () => {
  const runs = WEIGHT_FILES.map((w) => ({ ...w, ...variant(w.file) }));

  it('the weight files are the ones test/examples/elm_weights.ts writes, and the model reads them', () => {
    for (const w of WEIGHT_FILES) assert.equal(readFileSync(join(examplesDir, w.file), 'utf8'), weightsCsv(w.seed), `${w.file} differs from its generator`);
    const { ir } = runs[0];
    const tau2 = ir.populations[0].parameters.tau_2;
    assert.ok(tau2.kind === 'list' && tau2.file === 'data/elm_weights.csv' && tau2.values.length === 100);
    const first = readFileSync(join(examplesDir, WEIGHT_FILES[0].file), 'utf8').split('\n')[2].split(',');
    assert.ok(Math.abs(tau2.values[0] - Number(first[1]) * 1e-3) < 1e-15, 'tau_2 of cell 0 is the file\'s first row, in ms');
    // the two files give different cells
    const other = runs[1].ir.populations[0].parameters.w2_11;
    const mine = ir.populations[0].parameters.w2_11;
    assert.ok(other.kind === 'list' && mine.kind === 'list' && other.values[0] !== mine.values[0]);
  });

  for (const run of runs) {
    it(`${run.file}: s, m1-m3 and y match the paper's equations step by step within 1e-4, spikes identical (5 cells × 30,000 steps)`, () => {
      const { ir, sim, result } = run;
      const steps = result.steps;
      const inp = delivered(ir, sim, result);
      let worst = 0;
      let worst64 = 0;
      let spikesChecked = 0;
      for (const cell of CHECKED) {
        const p = elmParams(paramsOf(ir, sim, cell));
        // The paper's input x_t is what reached s by the start of engine step t: the spikes
        // delivered at the end of step t-1. Engine step t then computes the paper's m_t, y_t
        // (the probes see them at the start of step t+1).
        const x = new Float64Array(steps);
        const d = inp.get(cell)!;
        for (let t = 1; t < steps; t++) x[t] = d[t - 1];
        const ref = runElm(p, result.dt, x);
        const ref64 = runElm(p, result.dt, x, false);
        const compare = (name: string, got: Float32Array, want: Float64Array, want64: Float64Array, shift: number) => {
          assert.equal(got.length, steps);
          for (let t = 0; t + shift < steps; t++) {
            const e = Math.abs(got[t + shift] - want[t]);
            worst = Math.max(worst, e);
            worst64 = Math.max(worst64, Math.abs(got[t + shift] - want64[t]));
            if (e > TOL) assert.fail(`cell ${cell}, ${name} at step ${t}: engine ${got[t + shift]}, paper ${want[t]}`);
          }
        };
        compare('s', trace(result, 'elm', 's', cell), ref.s, ref64.s, 0);
        ['m1', 'm2', 'm3'].forEach((v, k) => compare(v, trace(result, 'elm', v, cell), ref.m[k], ref64.m[k], 1));
        compare('y', trace(result, 'elm', 'y', cell), ref.y, ref64.y, 1);
        const engineSpikes = spikeTimes(result, 'elm', cell).map((t) => Math.round(t / result.dt));
        assert.deepEqual(engineSpikes, ref.spikes, `cell ${cell}: spike steps differ`);
        spikesChecked += ref.spikes.length;
      }
      console.log(`  ${run.file}: largest |engine - paper| ${worst.toExponential(2)} (float64 reference ${worst64.toExponential(2)}) over ${CHECKED.length} cells × ${steps} steps; ${spikesChecked} spikes identical`);
      assert.ok(worst64 < TOL, `the float64 reference differs by ${worst64}`);
      assert.ok(spikesChecked > 0, 'the checked cells never spiked: the comparison would not cover the spike condition');
    });
  }

  it('memory on several timescales: 300 ms after the event m1 has forgotten it, m3 still holds it', () => {
    for (const { file, result } of runs) {
      const dt = result.dt;
      const mean = (v: string, from: number, to: number) => {
        let s = 0;
        let n = 0;
        for (const c of CHECKED) {
          const tr = trace(result, 'elm', v, c);
          for (let t = Math.round(from / dt); t < Math.round(to / dt); t++) (s += tr[t]), n++;
        }
        return s / n;
      };
      const kept = (v: string) => (mean(v, 1.75, 1.8) - mean(v, 0.8, 1.0)) / (mean(v, 1.45, 1.5) - mean(v, 0.8, 1.0));
      const m1 = kept('m1');
      const m3 = kept('m3');
      console.log(`  ${file}: 250-300 ms after the event m1 keeps ${(100 * m1).toFixed(0)} %, m3 ${(100 * m3).toFixed(0)} % of what the event added`);
      assert.ok(m1 < 1 / 3, `${file}: m1 still holds the event (${m1})`);
      assert.ok(m3 > 1 / 3, `${file}: m3 has forgotten the event (${m3})`);
    }
  });
});
