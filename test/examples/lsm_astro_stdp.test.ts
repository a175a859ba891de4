// NALSM (Ivanov & Michmizos 2021): with the astrocyte the liquid's branching factor settles at
// 1.0 ± 0.1 from a supercritical start; without it (plain STDP, or fixed weights) it stays more
// than 0.1 away from 1; a ridge readout on the liquid classifies 4 jittered spike patterns at
// least as well as without the astrocyte and well above chance (25 %).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { examplesDir, loadText, runSim } from './helpers';
import { branchingFactor, ridgeAccuracy, states, stream, withStream } from './lsm_model';

const DURATION = 40; // s: 200 presentations of 200 ms
const TRIALS = DURATION / 0.2;
const SEED = 1;

const text = readFileSync(join(examplesDir, 'lsm_astro_stdp.snn'), 'utf8');
const input = stream(TRIALS, 100 + SEED);
const base = withStream(text, input, DURATION);
/** Plain STDP: the astrocyte gets no input and sits at A = bias = eta_plus (NALSM's STDP-LSM). */
const plain = base.replace(/weight: -?6e-4; target: A/g, 'weight: 0; target: A').replace('bias = -0.1 ', 'bias = 0.1  ');
/** Fixed weights: no plasticity at all. */
const fixed = plain.replace('eta_plus = 0.1)', 'eta_plus = 0)').replace('bias = 0.1  ', 'bias = 0    ').replace('A: 1 = 0.1 ', 'A: 1 = 0   ');

function measure(variant: string, name: string) {
  const { sim, result: r } = runSim(loadText(variant, name), { seed: SEED });
  const bf = branchingFactor(sim, r, ['exc', 'inh'], DURATION - 10, DURATION - 0.05);
  const first = TRIALS / 2; // readout on the second half: train on 2/3, test on the last 1/3
  const X = states(r, 'exc', TRIALS - first, first);
  const y = input.labels.slice(first);
  const ntr = Math.floor(((TRIALS - first) * 2) / 3);
  const acc = ridgeAccuracy(X.slice(0, ntr), y.slice(0, ntr), X.slice(ntr), y.slice(ntr), 10);
  const exc = r.spikes.get('exc')!;
  let late = 0;
  for (const s of exc.steps) if (s * r.dt >= DURATION - 10) late++;
  const rate = late / 400 / 10;
  console.log(`  ${name}: branching factor ${bf.toFixed(3)} (last 10 s), exc ${rate.toFixed(1)} Hz, readout ${(100 * acc).toFixed(1)} % on ${TRIALS - first - ntr} held-out trials`);
  return { bf, acc };
}

describe('examples/lsm_astro_stdp.snn', () => {
  assert.notEqual(plain, base);
  assert.notEqual(fixed, plain);
  const astro = measure(base, 'with astrocyte');
  const stdp = measure(plain, 'plain STDP, no astrocyte');
  const none = measure(fixed, 'fixed weights');

  it('with the astrocyte the branching factor self-organises to 1.0 ± 0.1', () => {
    assert.ok(Math.abs(astro.bf - 1) <= 0.1, `branching factor ${astro.bf}`);
  });

  it('without the astrocyte (plain STDP, or fixed weights) it stays more than 0.1 from 1', () => {
    assert.ok(Math.abs(stdp.bf - 1) > 0.1, `plain STDP: branching factor ${stdp.bf}`);
    assert.ok(Math.abs(none.bf - 1) > 0.1, `fixed weights: branching factor ${none.bf}`);
  });

  it('the ridge readout classifies 4 jittered patterns at least as well as without the astrocyte, and well above chance', () => {
    assert.ok(astro.acc >= stdp.acc && astro.acc >= none.acc, `astrocyte ${astro.acc}, plain STDP ${stdp.acc}, fixed ${none.acc}`);
    assert.ok(astro.acc >= 0.5, `astrocyte ${astro.acc} (chance 0.25)`);
  });
});
