// Homeostatic threshold ("Need is All You Need: Homeostatic Neural Networks Adapt to Concept
// Shift"): after the input distribution shifts, each neuron's rate returns to its target
// within 10 %; without homeostasis (eta = 0) it does not.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { counts, examplesDir, loadExample, loadText, runIR } from './helpers';

const SEEDS = [1, 2, 3];
const SHIFT = 10; // s, the concept shift in the example
const TOL = 0.1; // the 10 %

describe('examples/homeostatic_threshold.snn', () => {
  const ir = loadExample('homeostatic_threshold');
  const cells = ir.populations.find((p) => p.name === 'cells')!;
  const target = cells.parameters.target_rate.kind === 'const' ? cells.parameters.target_rate.value : NaN;
  assert.equal(target, 10);
  assert.equal(ir.simulate.duration, 25);
  const perCell = (c: Float64Array, span: number) => [...c].map((x) => x / span);
  const rel = (hz: number) => Math.abs(hz - target) / target;

  it('the shift moves the rates: just after it each half is more than 50 % off target', () => {
    for (const seed of SEEDS) {
      const r = runIR(ir, { seed });
      const after = perCell(counts(r, 'cells', SHIFT, SHIFT + 1), 1);
      const mean = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
      const lost = mean(after.slice(0, 30));
      const gained = mean(after.slice(30));
      assert.ok(lost < 0.5 * target, `seed ${seed}: first half at ${lost.toFixed(1)} Hz right after the shift`);
      assert.ok(gained > 1.5 * target, `seed ${seed}: second half at ${gained.toFixed(1)} Hz right after the shift`);
    }
  });

  it('every cell is within 10 % of its target before the shift (5-10 s) and again after it (15-25 s)', () => {
    const worst: string[] = [];
    for (const seed of SEEDS) {
      const r = runIR(ir, { seed });
      const before = perCell(counts(r, 'cells', 5, SHIFT), SHIFT - 5);
      const after = perCell(counts(r, 'cells', 15, 25), 10);
      before.forEach((hz, i) => assert.ok(rel(hz) <= TOL, `seed ${seed}, cell ${i}: ${hz.toFixed(2)} Hz before the shift`));
      after.forEach((hz, i) => assert.ok(rel(hz) <= TOL, `seed ${seed}, cell ${i}: ${hz.toFixed(2)} Hz after the shift`));
      worst.push(`seed ${seed}: ${Math.min(...after).toFixed(2)}-${Math.max(...after).toFixed(2)} Hz`);
    }
    console.log(`  per-cell rates 15-25 s (5-15 s after the shift): ${worst.join(', ')}`);
  });

  it('without homeostasis (eta = 0) the rates do not return: most cells stay > 10 % off target', () => {
    const text = readFileSync(join(examplesDir, 'homeostatic_threshold.snn'), 'utf8');
    assert.ok(text.includes('  eta = 5 mV/s\n'));
    const frozen = loadText(text.replace('  eta = 5 mV/s\n', '  eta = 0 mV/s\n'), 'homeostatic_threshold_frozen');
    for (const seed of SEEDS) {
      const r = runIR(frozen, { seed });
      const after = perCell(counts(r, 'cells', 15, 25), 10);
      const onTarget = after.filter((hz) => rel(hz) <= TOL).length;
      console.log(`  eta = 0, seed ${seed}: ${onTarget}/60 cells within 10 % after the shift`);
      assert.ok(onTarget < 6, `seed ${seed}: ${onTarget} of 60 cells on target without homeostasis`);
    }
  });
});
