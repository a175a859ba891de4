// Active dendrites on sparse representations (Ahmad & Hawkins 2016), written with the
// language's dendritic segments (`segments: { count: 4; threshold: θ; window: 1 ms }`): a cell
// spikes exactly for the patterns that put ≥ θ active synapses on one of its 4 drawn segments;
// its false-match rate agrees with 1 − (1 − P)^4, P the paper's combinatorial formula for one
// segment, within sampling error for four (s, θ); cells whose segments store unions of 4
// patterns recognise each of their 16 patterns.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ACTIVE, N_CELLS, OFFSET, PATTERNS, PERIOD, UNION_K, UNION_SEGMENTS, patterns, patternsCsv, unionEdgesCsv, unionSynapses } from './active_dendrites_data';
import { spikesOf } from '../../sim-host/src/engine';
import { examplesDir, loadExample, projIndex, runSim } from './helpers';

/** ln C(n, k). */
function lnC(n: number, k: number): number {
  if (k < 0 || k > n) return -Infinity;
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
  return s;
}

/** The paper's false-match probability: at least θ of s synapses in a random a-of-n pattern. */
function falseMatch(n: number, a: number, s: number, theta: number): number {
  let p = 0;
  for (let b = theta; b <= Math.min(s, a); b++) p += Math.exp(lnC(s, b) + lnC(n - s, a - b) - lnC(n, a));
  return p;
}

const GROUPS = [
  { pop: 'cell_24_2', s: 24, theta: 2 },
  { pop: 'cell_32_3', s: 32, theta: 3 },
  { pop: 'cell_32_4', s: 32, theta: 4 },
  { pop: 'cell_64_6', s: 64, theta: 6 },
];
const CELLS = 100;
const K = 4; // segments per cell

/** Pattern index of a spike at step `step` (it arrives one step after the pattern's spikes). */
function patternOf(step: number, dt: number): number {
  const k = Math.round((step * dt - OFFSET) / PERIOD);
  assert.ok(Math.abs(step * dt - OFFSET - k * PERIOD) < 1e-4, `spike at ${step * dt} s is not right after a pattern`);
  return k;
}

describe('examples/active_dendrites.snn', () => {
  const ir = loadExample('active_dendrites');
  const { sim, result: r } = runSim(ir);
  const pats = patterns();

  it('ships the generated patterns and union synapses', () => {
    assert.equal(readFileSync(join(examplesDir, 'data', 'dendrite_patterns.csv'), 'utf8'), patternsCsv());
    assert.equal(readFileSync(join(examplesDir, 'data', 'dendrite_union_edges.csv'), 'utf8'), unionEdgesCsv());
    for (const p of pats) assert.equal(new Set(p).size, ACTIVE);
  });

  it('a cell spikes exactly for the patterns with >= θ active synapses on one of its segments (engine vs its drawn segments)', () => {
    for (const g of GROUPS) {
      // The rule's targets are segments: column j·K + q is segment q of cell j.
      const { rowptr, col } = sim.connectivity(projIndex(sim, 'cells', g.pop));
      const syn: Set<number>[] = Array.from({ length: CELLS * K }, () => new Set());
      for (let i = 0; i < N_CELLS; i++) for (let k = rowptr[i]; k < rowptr[i + 1]; k++) syn[col[k]].add(i);
      syn.forEach((s) => assert.equal(s.size, g.s));
      const expected = new Set<string>();
      pats.forEach((p, k) => syn.forEach((s, seg) => p.filter((c) => s.has(c)).length >= g.theta && expected.add(`${k}:${Math.floor(seg / K)}`)));
      const sp = spikesOf(r, g.pop)!;
      const got = new Set<string>();
      for (let m = 0; m < sp.steps.length; m++) got.add(`${patternOf(sp.steps[m], r.dt)}:${sp.neurons[m]}`);
      assert.equal(got.size, sp.steps.length, `${g.pop}: a cell spiked twice for one pattern`);
      assert.deepEqual([...got].sort(), [...expected].sort(), `${g.pop}: spikes differ from the overlaps`);
    }
  });

  it('false-match rates agree with 1 − (1 − P)^4 within 3.5 binomial standard errors for four (s, θ)', () => {
    for (const g of GROUPS) {
      const trials = CELLS * PATTERNS;
      const hits = spikesOf(r, g.pop)!.steps.length;
      // Given the pattern, the 4 independently drawn segments match independently.
      const p = 1 - (1 - falseMatch(N_CELLS, ACTIVE, g.s, g.theta)) ** K;
      const se = Math.sqrt((p * (1 - p)) / trials);
      const z = (hits / trials - p) / se;
      console.log(`  s = ${g.s}, θ = ${g.theta}: measured ${(hits / trials).toExponential(3)} (${hits}/${trials}), formula ${p.toExponential(3)}, z = ${z.toFixed(2)}`);
      assert.ok(Math.abs(z) < 3.5, `s = ${g.s}, θ = ${g.theta}: measured ${hits / trials}, formula ${p} (z = ${z})`);
    }
  });

  it('union: each of 4 cells (4 segments × 4 stored patterns) recognises all 16 patterns it stores and (P ~ 3e-8) none of the other 134', () => {
    const sp = spikesOf(r, 'union_cell')!;
    const fired = new Set<string>();
    for (let m = 0; m < sp.steps.length; m++) fired.add(`${patternOf(sp.steps[m], r.dt)}:${sp.neurons[m]}`);
    const syn = unionSynapses();
    let recognised = 0;
    let falseMatches = 0;
    const unionCells = UNION_SEGMENTS / K;
    for (let j = 0; j < unionCells; j++) {
      for (let k = 0; k < PATTERNS; k++) {
        // Pattern k is stored on segment floor(k / UNION_K), which is segment q of cell floor(k / (UNION_K·K)).
        const stored = Math.floor(k / (UNION_K * K)) === j;
        if (stored) recognised += fired.has(`${k}:${j}`) ? 1 : 0;
        else falseMatches += fired.has(`${k}:${j}`) ? 1 : 0;
      }
    }
    const meanS = syn.reduce((x, s) => x + s.length, 0) / syn.length;
    const p = 1 - (1 - falseMatch(N_CELLS, ACTIVE, Math.round(meanS), 10)) ** K;
    console.log(`  union cells (${K} segments × ${UNION_K} patterns, ~${meanS.toFixed(1)} synapses per segment, θ = 10): recognised ${recognised}/${UNION_SEGMENTS * UNION_K}; false matches ${falseMatches}/${unionCells * (PATTERNS - UNION_K * K)} (formula ${p.toExponential(1)} per cell and pattern)`);
    assert.equal(recognised, UNION_SEGMENTS * UNION_K);
    assert.equal(falseMatches, 0);
  });
});
