// Hippocampal CA3 content-addressable memory (Casanueva-Morato et al.): after learning four
// patterns (three orthogonal, one overlapping another), a 50 % fragment recalls the whole
// pattern with overlap >= 0.9; a forgetting phase removes one pattern and leaves the others.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunResult } from '../../sim-host/src/engine';
import { counts, loadExample, runIR } from './helpers';

const SEEDS = [1, 2, 3];
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, k) => a + k);
const PATTERNS: Record<string, number[]> = { A: range(0, 9), B: range(20, 29), C: range(40, 49), D: range(8, 17) };

/** Cells that fire at least twice (of the four volleys) in the window. */
function recalled(r: RunResult, from: number, to: number): number[] {
  const c = counts(r, 'ca3', from, to);
  return [...c.keys()].filter((i) => c[i] >= 2);
}

/** Overlap of two cell sets as binary vectors: |R ∩ P| / sqrt(|R| |P|) (1 = identical). */
function overlap(r: number[], p: number[]): number {
  const inter = r.filter((i) => p.includes(i)).length;
  return r.length && p.length ? inter / Math.sqrt(r.length * p.length) : 0;
}

describe('examples/ca3_memory.snn', () => {
  const ir = loadExample('ca3_memory');
  const windows = ir.tasks.find((t) => t.name === 'recall')!.windows;
  const runs = SEEDS.map((seed) => runIR(ir, { seed }));
  const recall = (r: RunResult, label: string) => {
    const w = windows.find((x) => x.label === label);
    assert.ok(w, `no recall window "${label}"`);
    return recalled(r, w.from, w.to);
  };
  const at = (r: RunResult, from: number) => {
    const w = windows.find((x) => Math.abs(x.from - from) < 1e-9)!;
    return recalled(r, w.from, w.to);
  };

  it('the fragments are half patterns, and D overlaps A', () => {
    assert.equal(PATTERNS.A.filter((i) => PATTERNS.D.includes(i)).length, 2);
    for (const [k, r] of runs.entries()) {
      // before learning a fragment recalls only itself: overlap sqrt(1/2) ~ 0.71 < 0.9
      for (const [label, p] of [['A (untrained)', PATTERNS.A], ['D (untrained)', PATTERNS.D]] as const) {
        const got = recall(r, label);
        assert.deepEqual(got, p.slice(0, 5), `seed ${SEEDS[k]} ${label}: ${got}`);
        assert.ok(overlap(got, p) < 0.9);
      }
    }
  });

  it('after learning, each 50 % fragment recalls its whole pattern with overlap >= 0.9 (orthogonal and overlapping)', () => {
    const lows: number[] = [];
    for (const [k, r] of runs.entries()) {
      ['A', 'B', 'C', 'D'].forEach((name, j) => {
        const got = at(r, 2.89 + 0.2 * j);
        const ov = overlap(got, PATTERNS[name]);
        lows.push(ov);
        assert.ok(ov >= 0.9, `seed ${SEEDS[k]}, ${name}: recalled ${got.join(',')} (overlap ${ov.toFixed(2)})`);
      });
    }
    console.log(`  overlap after learning: min ${Math.min(...lows).toFixed(2)} over 4 patterns × ${SEEDS.length} seeds`);
  });

  it('forgetting A removes it (its fragment recalls only itself) and leaves B, C and the overlapping D', () => {
    const kept: number[] = [];
    for (const [k, r] of runs.entries()) {
      const a = recall(r, 'A (forgotten)');
      const ovA = overlap(a, PATTERNS.A);
      assert.ok(ovA < 0.9, `seed ${SEEDS[k]}: A still recalled after forgetting (${a.join(',')}, overlap ${ovA.toFixed(2)})`);
      assert.ok(a.every((i) => i <= 4), `seed ${SEEDS[k]}: the forgotten fragment recruits ${a.join(',')}`);
      ['B', 'C', 'D'].forEach((name, j) => {
        const got = at(r, 4.59 + 0.2 * j);
        const ov = overlap(got, PATTERNS[name]);
        kept.push(ov);
        assert.ok(ov >= 0.9, `seed ${SEEDS[k]}, ${name} after forgetting A: ${got.join(',')} (overlap ${ov.toFixed(2)})`);
      });
      console.log(`  seed ${SEEDS[k]}: after forgetting, A's fragment recalls ${a.join(',')} (overlap ${ovA.toFixed(2)})`);
    }
    console.log(`  overlap of B, C, D after forgetting A: min ${Math.min(...kept).toFixed(2)}`);
  });

  it('uncued cells (18-19, 30-39, 50-59) never fire', () => {
    for (const [k, r] of runs.entries()) {
      const c = counts(r, 'ca3', 0, r.steps * r.dt);
      const silent = [18, 19, ...range(30, 39), ...range(50, 59)];
      assert.deepEqual(silent.filter((i) => c[i] > 0), [], `seed ${SEEDS[k]}`);
    }
  });
});
