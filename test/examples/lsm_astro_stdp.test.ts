// NALSM (Ivanov & Michmizos 2021), supercritical start (E->E weights uniform 60-100 pA), seeds
// 1-3, 30 s each: with the astrocyte the liquid's branching factor settles at 1.0 ± 0.1; without
// it (plain STDP, NALSM's STDP-LSM, or fixed weights, its LSM) it stays more than 0.1 from 1; a
// ridge readout of the liquid classifies 8 spike patterns jittered by 30 ms at least as well as
// either liquid without the astrocyte, and well above chance (12.5 %).
// The subcritical start is in lsm_astro_stdp_subcritical.test.ts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { examplesDir } from './helpers';
import { crossValidate } from '../../sim-host/src/analysis/readout';
import { runLiquid, type LiquidRun, type Variant } from './lsm_model';

const SEEDS = [1, 2, 3];
const TASK = { duration: 30, classes: 8, jitter: 0.03 };
const START = 'uniform(60 pA, 100 pA)';
const VARIANTS: Variant[] = ['astrocyte', 'plain STDP', 'fixed weights'];

describe('examples/lsm_astro_stdp.snn, supercritical start', () => {
  const text = readFileSync(join(examplesDir, 'lsm_astro_stdp.snn'), 'utf8');
  const runs = new Map<Variant, LiquidRun[]>(VARIANTS.map((v) => [v, SEEDS.map((seed) => runLiquid(text, v, START, seed, TASK))]));
  const readout = new Map<Variant, number>();
  for (const v of VARIANTS) {
    let correct = 0;
    let trials = 0;
    for (const r of runs.get(v)!) {
      const cv = crossValidate(r.X, r.y, TASK.classes, { alpha: 10, folds: 5 });
      correct += cv.correct;
      trials += cv.trials;
    }
    readout.set(v, correct / trials);
    const rs = runs.get(v)!;
    console.log(`  ${v}: branching factor ${rs.map((r) => r.bf.toFixed(3)).join(' / ')} (seeds ${SEEDS.join(', ')}; last 10 s), exc ${rs.map((r) => r.rate.toFixed(1)).join(' / ')} Hz; readout ${(100 * correct / trials).toFixed(1)} % of ${trials} trials`);
  }

  it('with the astrocyte the branching factor self-organises to 1.0 ± 0.1 (every seed)', () => {
    for (const [k, r] of runs.get('astrocyte')!.entries()) assert.ok(Math.abs(r.bf - 1) <= 0.1, `seed ${SEEDS[k]}: branching factor ${r.bf}`);
  });

  it('without the astrocyte (plain STDP, or fixed weights) it stays more than 0.1 from 1 (every seed)', () => {
    for (const v of ['plain STDP', 'fixed weights'] as const) {
      for (const [k, r] of runs.get(v)!.entries()) assert.ok(Math.abs(r.bf - 1) > 0.1, `${v}, seed ${SEEDS[k]}: branching factor ${r.bf}`);
    }
  });

  it('a ridge readout classifies 8 patterns jittered by 30 ms at least as well as without the astrocyte, and well above chance', () => {
    const astro = readout.get('astrocyte')!;
    for (const v of ['plain STDP', 'fixed weights'] as const) assert.ok(astro >= readout.get(v)!, `astrocyte ${astro}, ${v} ${readout.get(v)}`);
    assert.ok(astro >= 0.5, `astrocyte ${astro} (chance 0.125)`);
    assert.ok(astro < 0.98, `astrocyte ${astro}: the task is at ceiling and the comparison says nothing`);
  });
});
