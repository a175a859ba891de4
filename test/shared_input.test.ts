// examples/shared_input.snn (correlation transfer, de la Rocha et al. 2007): 100 noisy LIF cells
// share one Ornstein–Uhlenbeck input through a linked variable (`s = linked(common.x)`); a
// control population reads a private source per cell (`s = linked(own.x)`). What must hold,
// whatever the engine: pairs without shared input are uncorrelated (ρ ≈ 0 within its sampling
// error), pairs with it are positively correlated but below the input correlation c (ρ_out < ρ_in,
// the transfer is lossy), and the correlation grows with the firing rate (the paper's result).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Simulation, spikesOf, type RunResult } from '../sim-host/src/engine';
import type { ModelIR } from '../protocol/ir';
import { irOf } from './helpers/model';

const WINDOW = 0.1; // s: spike counts per 100 ms
const SKIP = 0.2; // s: the start-up transient

/** Mean Pearson correlation of the spike counts of all pairs of `pop`, and its rate (Hz). */
function countCorrelation(r: RunResult, pop: string, duration: number): { rho: number; rate: number } {
  const s = spikesOf(r, pop)!;
  const bins = Math.floor((duration - SKIP) / WINDOW);
  const counts = Array.from({ length: s.size }, () => new Float64Array(bins));
  for (let k = 0; k < s.steps.length; k++) {
    const b = Math.floor((s.steps[k] * r.dt - SKIP) / WINDOW);
    if (b >= 0 && b < bins) counts[s.neurons[k]][b]++;
  }
  const z = counts.map((c) => {
    const m = c.reduce((a, b) => a + b, 0) / bins;
    const d = c.map((x) => x - m);
    const sd = Math.sqrt(d.reduce((a, b) => a + b * b, 0));
    return sd > 0 ? d.map((x) => x / sd) : undefined;
  });
  let sum = 0;
  let pairs = 0;
  for (let i = 0; i < z.length; i++) for (let j = i + 1; j < z.length; j++) {
    const a = z[i];
    const b = z[j];
    if (!a || !b) continue;
    let dot = 0;
    for (let k = 0; k < bins; k++) dot += a[k] * b[k];
    sum += dot;
    pairs++;
  }
  return { rho: sum / pairs, rate: s.steps.length / s.size / duration };
}

function run(mu: number, duration: number, seed: number) {
  const ir: ModelIR = irOf({ file: 'examples/shared_input.snn' });
  for (const p of ir.populations) if (p.model === 'SharedInputLIF') p.parameters.mu = { kind: 'const', value: mu };
  const r = new Simulation(ir, { seed, duration }).run();
  assert.ok(!r.error, r.error);
  return { shared: countCorrelation(r, 'pairs', duration), control: countCorrelation(r, 'control', duration) };
}

describe('examples/shared_input.snn: correlation transfer through a linked shared input', () => {
  const duration = 10;
  const bins = Math.floor((duration - SKIP) / WINDOW);
  const fast = run(14e-3, duration, 1);
  const slow = run(9e-3, duration, 1);
  console.log(`  shared_input: ρ_out ${fast.shared.rho.toFixed(3)} at ${fast.shared.rate.toFixed(1)} Hz (control ${fast.control.rho.toFixed(3)}, ${fast.control.rate.toFixed(1)} Hz); ${slow.shared.rho.toFixed(3)} at ${slow.shared.rate.toFixed(1)} Hz (control ${slow.control.rho.toFixed(3)})`);

  it('pairs without a shared input are uncorrelated: |ρ| within 3 standard errors of 0', () => {
    // For independent trains each pair's ρ has variance ≈ 1/bins and the pairs' ρ are uncorrelated
    // (E[z_i z_j · z_i z_k] = 0 for j ≠ k), so the mean over 4,950 pairs has s.e. 1/√(bins · 4950).
    const se = 1 / Math.sqrt(bins * 4950);
    for (const r of [fast, slow]) assert.ok(Math.abs(r.control.rho) < 3 * se, `control ρ = ${r.control.rho} (s.e. ${se})`);
  });

  it('pairs sharing the input are correlated, but less than their inputs (0 < ρ_out < c = 0.3)', () => {
    assert.ok(fast.shared.rho > 0.1 && fast.shared.rho < 0.3, `ρ_out = ${fast.shared.rho}`);
    assert.ok(slow.shared.rho > 0.02 && slow.shared.rho < 0.3, `ρ_out = ${slow.shared.rho}`);
  });

  it('the output correlation grows with the firing rate; the shared input leaves the rate unchanged', () => {
    assert.ok(fast.shared.rate > 2 * slow.shared.rate, `${fast.shared.rate} vs ${slow.shared.rate} Hz`);
    assert.ok(fast.shared.rho > slow.shared.rho + 0.03, `${fast.shared.rho} vs ${slow.shared.rho}`);
    for (const r of [fast, slow]) assert.ok(Math.abs(r.shared.rate / r.control.rate - 1) < 0.1, `${r.shared.rate} vs ${r.control.rate} Hz`);
  });
});
