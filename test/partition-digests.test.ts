// Issue 24: a partitioned run gives byte-identical results for any worker count. Every model of
// the result digests (every example, the bench models, the engine's reference models) runs on 2
// and on 3 workers (`spikeworks run --threads N`), and each result file's SHA-256 must be the
// pinned single-threaded one (test/digests.json; test/digests.test.ts holds those to 1 worker,
// except models ≥ 20,000 neurons or 10⁶ synapses, which run on the cores by default). Models the
// engine does not split (plastic synapses, segments, links) run on one thread and must match too.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, it } from 'node:test';
import { ensureBuilt } from './helpers/build';
import { DIGESTS, MODELS, runDigests } from './helpers/digests';

describe('partitioned runs match the single-threaded digests byte for byte', () => {
  ensureBuilt();
  const expected = JSON.parse(fs.readFileSync(DIGESTS, 'utf8')) as Record<string, Record<string, string>>;
  for (const [model, duration] of MODELS) {
    for (const threads of [2, 3]) {
      it(`${model} on ${threads} workers`, () => {
        const want = expected[`${model} --duration ${duration}`];
        assert.ok(want?.['spikes.bin'], `no digest recorded for ${model}`);
        assert.deepEqual(runDigests(model, duration, ['--threads', String(threads)]), want);
      });
    }
  }
});
