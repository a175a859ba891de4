// Results must not move silently: the SHA-256 of spikes.bin, spikes.csv and each trace CSV
// from `spikeworks run <model> --out DIR --backend wasm --csv` for every example, the benchmark
// model, the engine's reference models and test/digests/inputs_rules.snn (periodic spike arrays, random
// connectivity at several p, distance kernels, an event file, an edge list), each with a short
// --duration. test/digests.json was generated BEFORE the engine's hardening (issue 12) and is
// only regenerated on purpose: SPIKEWORKS_WRITE_DIGESTS=1 npm test -- digests. On purpose so far:
// issue 13 (coba.snn's seed 2; the trace CSVs' header units and fixed time decimals — before
// regenerating, all 29 trace files were compared as numbers with the old format's: 41,627 rows,
// 187,602 values, the same text for every value and the same times).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { ensureBuilt } from './helpers/build';
import { DIGESTS, MODELS, runDigests } from './helpers/digests';

describe('result digests (ordinary models keep byte-identical results)', () => {
  ensureBuilt();
  if (process.env.SPIKEWORKS_WRITE_DIGESTS) {
    it('writes test/digests.json', () => {
      const all: Record<string, Record<string, string>> = {};
      for (const [model, duration] of MODELS) all[`${model} --duration ${duration}`] = runDigests(model, duration);
      fs.writeFileSync(DIGESTS, JSON.stringify(all, null, 1) + '\n');
    });
    return;
  }
  const expected = JSON.parse(fs.readFileSync(DIGESTS, 'utf8')) as Record<string, Record<string, string>>;
  it('the digest list covers every model it names', () => {
    assert.deepEqual(Object.keys(expected).sort(), MODELS.map(([m, d]) => `${m} --duration ${d}`).sort());
  });
  for (const [model, duration] of MODELS) {
    it(`${model} (--duration ${duration} s): spikes.bin and traces unchanged`, () => {
      const want = expected[`${model} --duration ${duration}`];
      assert.ok(want?.['spikes.bin'], `no digest recorded for ${model}`);
      assert.deepEqual(runDigests(model, duration), want);
    });
  }
});
