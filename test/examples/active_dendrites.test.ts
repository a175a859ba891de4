// Active dendrites on sparse representations (Ahmad & Hawkins 2016): the false-match rate of
// random segments on random sparse patterns agrees with the paper's combinatorial formula within
// sampling error for four (s, θ); segments storing a union of 4 patterns recognise each of them.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ACTIVE, N_CELLS, OFFSET, PATTERNS, PERIOD, UNION_K, UNION_SEGMENTS, patterns, patternsCsv, unionEdgesCsv, unionSynapses } from './active_dendrites_data';
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
  { pop: 'seg_24_2', s: 24, theta: 2 },
  { pop: 'seg_32_3', s: 32, theta: 3 },
  { pop: 'seg_32_4', s: 32, theta: 4 },
  { pop: 'seg_64_6', s: 64, theta: 6 },
];

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

  it('a segment spikes exactly for the patterns with >= θ of its synapses active (engine vs its drawn synapses)', () => {
    for (const g of GROUPS) {
      const { rowptr, col } = sim.connectivity(projIndex(sim, 'cells', g.pop));
      const syn: Set<number>[] = Array.from({ length: 400 }, () => new Set());
      for (let i = 0; i < N_CELLS; i++) for (let k = rowptr[i]; k < rowptr[i + 1]; k++) syn[col[k]].add(i);
      syn.forEach((s) => assert.equal(s.size, g.s));
      const expected = new Set<string>();
      pats.forEach((p, k) => syn.forEach((s, j) => p.filter((c) => s.has(c)).length >= g.theta && expected.add(`${k}:${j}`)));
      const sp = r.spikes.get(g.pop)!;
      const got = new Set<string>();
      for (let m = 0; m < sp.steps.length; m++) got.add(`${patternOf(sp.steps[m], r.dt)}:${sp.neurons[m]}`);
      assert.equal(got.size, sp.steps.length, `${g.pop}: a segment spiked twice for one pattern`);
      assert.deepEqual([...got].sort(), [...expected].sort(), `${g.pop}: spikes differ from the overlaps`);
    }
  });

  it('false-match rates agree with the formula within 3.5 binomial standard errors for four (s, θ)', () => {
    for (const g of GROUPS) {
      const trials = 400 * PATTERNS;
      const hits = r.spikes.get(g.pop)!.steps.length;
      const p = falseMatch(N_CELLS, ACTIVE, g.s, g.theta);
      const se = Math.sqrt((p * (1 - p)) / trials);
      const z = (hits / trials - p) / se;
      console.log(`  s = ${g.s}, θ = ${g.theta}: measured ${(hits / trials).toExponential(3)} (${hits}/${trials}), formula ${p.toExponential(3)}, z = ${z.toFixed(2)}`);
      assert.ok(Math.abs(z) < 3.5, `s = ${g.s}, θ = ${g.theta}: measured ${hits / trials}, formula ${p} (z = ${z})`);
    }
  });

  it('union: each of 16 segments recognises all 4 patterns it stores and (P ~ 1e-8) none of the other 146', () => {
    const sp = r.spikes.get('union_seg')!;
    const fired = new Set<string>();
    for (let m = 0; m < sp.steps.length; m++) fired.add(`${patternOf(sp.steps[m], r.dt)}:${sp.neurons[m]}`);
    const syn = unionSynapses();
    let recognised = 0;
    let falseMatches = 0;
    for (let j = 0; j < UNION_SEGMENTS; j++) {
      for (let k = 0; k < PATTERNS; k++) {
        const stored = Math.floor(k / UNION_K) === j;
        if (stored) recognised += fired.has(`${k}:${j}`) ? 1 : 0;
        else falseMatches += fired.has(`${k}:${j}`) ? 1 : 0;
      }
    }
    const meanS = syn.reduce((x, s) => x + s.length, 0) / syn.length;
    const p = falseMatch(N_CELLS, ACTIVE, Math.round(meanS), 10);
    console.log(`  union of ${UNION_K} (~${meanS.toFixed(1)} synapses, θ = 10): recognised ${recognised}/${UNION_SEGMENTS * UNION_K}; false matches ${falseMatches}/${UNION_SEGMENTS * (PATTERNS - UNION_K)} (formula ${p.toExponential(1)})`);
    assert.equal(recognised, UNION_SEGMENTS * UNION_K);
    assert.equal(falseMatches, 0);
  });
});
