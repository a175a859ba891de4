// The partitioned engine (sim-host/src/partition, issue 24) beyond bit-identity on the examples
// (test/partition-digests.test.ts): ownership ranges, where a NaN is reported, cancel, the
// recording limit, refusals per worker, what cannot be split, more workers than neurons.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { RunOutput } from '../protocol/sim';
import { checkRun, partitionBytes, PlanError } from '../sim-host/src/core/limits';
import { estimateMemory } from '../sim-host/src/core/estimate';
import { ownRange } from '../sim-host/src/core/plan';
import { RunRefused, startRun } from '../sim-host/src/host';
import { runPartitioned } from '../sim-host/src/partition/run';
import { chooseThreads } from '../sim-host/src/partition/threads';
import { distWorker, ensureBuilt } from './helpers/build';
import { irOf } from './helpers/model';

ensureBuilt();

function run(ir: ReturnType<typeof irOf>, options: Parameters<typeof startRun>[1], onProgress?: Parameters<typeof startRun>[2]) {
  return startRun(ir, { backend: 'wasm', ...options }, onProgress, distWorker);
}

const same = (a: RunOutput, b: RunOutput) => {
  assert.deepEqual(a.spikes.map((s) => [s.name, Array.from(s.steps), Array.from(s.neurons)]), b.spikes.map((s) => [s.name, Array.from(s.steps), Array.from(s.neurons)]));
  assert.deepEqual(a.traces.map((t) => Array.from(t.data)), b.traces.map((t) => Array.from(t.data)));
};

describe('ownership ranges', () => {
  it('cover every neuron once, in order, cut at multiples of four', () => {
    for (const size of [1, 3, 4, 5, 17, 100, 3200, 77169]) {
      for (const count of [1, 2, 3, 5, 8, 16]) {
        let next = 0;
        for (let w = 0; w < count; w++) {
          const [from, to] = ownRange(size, w, count);
          assert.equal(from, next, `size ${size}, ${count} workers, worker ${w}`);
          assert.ok(to >= from && to <= size);
          if (to < size) assert.equal(to % 4, 0);
          next = to;
        }
        assert.equal(next, size);
      }
    }
  });
});

/** One population of n leaky neurons, connected to itself at probability p with `weight`. */
function leakyNet(n: number, p: number, weight: string): string {
  return `model net
neuron L {
  parameters { tau = 10 ms }
  state { v = 0 mV }
  equations { dv/dt = -v / tau }
}
population p = L[${n}]
connect p -> p { rule: random(p = ${p}); weight: ${weight}; target: v }
simulate { dt: 0.1 ms; duration: 10 ms }
`;
}

// v grows by e^(I·dt / 0.1 ms) per step: only neuron 13 of b (I = 3) grows, to Inf after about
// 30 steps; it belongs to the last worker that owns any of b, whatever the count.
const blowUp = `model blow
neuron Grow {
  parameters { I = 0 }
  state { v = 1 mV }
  equations { dv/dt = v * I / (0.1 ms) }
}
population a = Grow[16]
population b = Grow[16] { I = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0] }
probe v(b[10..15]) every 0.1 ms
simulate { dt: 0.1 ms; duration: 20 ms; seed: 1 }
`;

describe('a partitioned run', { timeout: 120_000 }, () => {
  it('reports a NaN/Inf as the whole network does: same population, neuron, step, and the same traces until then', async () => {
    const ir = irOf(blowUp);
    const one = await run(ir, { threads: 1 }).result;
    assert.equal(one.stopReason, 'nan-inf', 'the model must blow up for this test to mean anything');
    for (const threads of [2, 3]) {
      const r = await run(ir, { threads }).result;
      assert.equal(r.threads?.used, threads);
      assert.equal(r.error, one.error);
      assert.equal(r.stepsDone, one.stepsDone);
      same(r, one);
    }
  });

  it('is cancelled between chunks: every worker stops, and the next run works', async () => {
    const ir = irOf({ file: 'examples/coba.snn' });
    let cancel = () => {};
    const h = run(ir, { threads: 2, duration: 50, progressEveryMs: 20 }, (done) => {
      if (done > 0) cancel();
    });
    cancel = h.cancel;
    const r = await h.result;
    assert.equal(r.cancelled, true);
    assert.ok(r.stepsDone > 0 && r.stepsDone < r.steps, `stepsDone ${r.stepsDone} of ${r.steps}`);
    const again = await run(ir, { threads: 2, duration: 0.05 }).result;
    const ref = await run(ir, { threads: 1, duration: 0.05 }).result;
    same(again, ref);
  });

  it('stops at the recording limit with what fitted, a prefix of the whole run', async () => {
    const ir = irOf({ file: 'examples/coba.snn' });
    const full = await run(ir, { threads: 1, duration: 5 }).result;
    const est = estimateMemory(ir, { duration: 5 });
    // the least the partitioned run accepts: the spikes get what the estimate over-counts
    const limit = Math.ceil(2 * partitionBytes(est, 2)) + est.probeBytes;
    const r = await run(ir, { threads: 2, duration: 5, memoryLimit: limit }).result;
    assert.equal(r.stopReason, 'recording-limit');
    assert.ok(r.stepsDone < full.stepsDone);
    for (let k = 0; k < r.spikes.length; k++) {
      const n = r.spikes[k].steps.length;
      assert.deepEqual(Array.from(r.spikes[k].steps), Array.from(full.spikes[k].steps.subarray(0, n)));
      assert.deepEqual(Array.from(r.spikes[k].neurons), Array.from(full.spikes[k].neurons.subarray(0, n)));
      // and nothing of a step after the stop
      assert.ok(n === 0 || r.spikes[k].steps[n - 1] < r.stepsDone);
    }
  });

  it('reports the build of random connections as progress, and a cancel there stops every worker promptly', async () => {
    // 24,000 neurons at p = 0.05 with normal weights: 29 million synapses, seconds of drawing
    const ir = irOf(leakyNet(24000, 0.05, 'normal(0.1 mV, 0.01 mV)'));
    const labels: string[] = [];
    let cancelledAt = 0;
    const h = run(ir, { threads: 2, buildProgress: true }, (_d, _t, _s, _delta, b) => {
      if (!b) return;
      labels.push(b.label);
      if (!cancelledAt) {
        cancelledAt = performance.now();
        h.cancel();
      }
    });
    await assert.rejects(h.result, (e: unknown) => e instanceof RunRefused && e.code === 'cancelled');
    assert.ok(labels.length > 0 && /building connections p -> p \(random\)/.test(labels[0]), labels.join('; '));
    assert.ok(performance.now() - cancelledAt < 2000, `stopped ${(performance.now() - cancelledAt).toFixed(0)} ms after the cancel`);
  });

  it('draws rows together, and falls back to every worker drawing every row when one worker\'s rows do not fit: same results', async () => {
    // where(i < 100): the first quarter of the rows holds every synapse (40,000, all the first
    // worker's), far over its share of the shared space; the other connection's rows are even
    const ir = irOf(`model uneven
neuron L {
  parameters { tau = 10 ms }
  state { v = 0 mV }
  equations { dv/dt = (2 mV - v) / tau }
  spike when v > 1 mV
  reset { v = 0 mV }
}
population p = L[400] { v = uniform(0 mV, 1 mV) }
connect p -> p { rule: where(i < 100); weight: normal(0.01 mV, 0.002 mV); delay: uniform(0.5 ms, 2 ms); target: v }
connect p -> p { rule: random(p = 0.1); weight: normal(-0.02 mV, 0.002 mV); target: v }
probe spikes(p)
simulate { dt: 0.1 ms; duration: 50 ms; seed: 3 }
`);
    const ref = await run(ir, { threads: 1 }).result;
    assert.ok(ref.spikes[0].steps.length > 100, 'the network must spike for the test to mean anything');
    for (const threads of [2, 3]) {
      const r = await run(ir, { threads }).result;
      assert.equal(r.threads?.used, threads);
      assert.equal(r.synapses, ref.synapses);
      same(r, ref);
    }
  });

  it('runs with more workers than some populations have neurons (empty ranges)', async () => {
    const ir = irOf({ file: 'examples/delay_motif.snn' });
    const ref = await run(ir, { threads: 1, duration: 0.1 }).result;
    const r = await run(ir, { threads: 4, duration: 0.1 }).result;
    assert.equal(r.threads?.used, 4);
    assert.ok(ir.populations.some((p) => p.size < 4 * 4), 'a population smaller than 4 workers × 4 neurons');
    same(r, ref);
  });

  it('says why a model runs on one thread (plastic synapses), and runs it', async () => {
    const ir = irOf({ file: 'examples/lsm_astro_stdp.snn' });
    const r = await run(ir, { threads: 2, duration: 0.05 }).result;
    assert.equal(r.threads?.used, 1);
    assert.equal(r.threads?.requested, 2);
    assert.match(r.threads?.note ?? '', /one thread: connection ee has a synapse model with state/);
  });
});

describe('a worker that never comes', () => {
  it('cannot hold the run beyond a cancel: it ends cancelled', () => {
    // a "partition worker" that starts and does nothing (as one whose thread was killed)
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-partition-'));
    const file = path.join(dir, 'idle.js');
    fs.writeFileSync(file, 'setTimeout(() => {}, 60000);\n');
    const ir = irOf({ file: 'examples/coba.snn' });
    const t0 = performance.now();
    try {
      assert.throws(() => runPartitioned(ir, { duration: 0.05, shouldStop: () => performance.now() - t0 > 1500 }, 2, {}, file), (e: PlanError) => e instanceof PlanError && e.code === 'cancelled');
      assert.ok(performance.now() - t0 < 5000, `ended ${(performance.now() - t0).toFixed(0)} ms after the start`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('memory per worker', () => {
  // 60,000 neurons at p = 0.2: 720 million synapses, about 8.6 GiB of synapse arrays.
  const big = irOf(leakyNet(6000, 0.2, '0.1 mV'));
  // the checker bounds what the editor accepts: grown here, in the IR
  big.populations[0].size = 60000;
  for (const c of big.connections) for (const sel of [...c.sources, ...c.targets]) sel.to = 59999;
  it('refuses a model too big for one WebAssembly memory even when split, naming the need per worker', () => {
    assert.throws(() => checkRun(big, { partitions: 2 }), (e: PlanError) => e.code === 'memory' && /per worker on 2 workers/.test(e.message) && /use more threads/.test(e.message));
    assert.throws(() => checkRun(big, {}), (e: PlanError) => e.code === 'memory');
  });
  it('accepts it on enough workers: the per-worker need falls below 4 GiB', () => {
    const est = estimateMemory(big);
    const parts = Math.ceil(est.synapseBytes / (4 * 2 ** 30 - est.stateBytes - est.ringBytes)) + 1;
    assert.ok(parts > 2);
    const b = checkRun(big, { partitions: parts });
    assert.ok(partitionBytes(b.estimate, parts) < 4 * 2 ** 30);
  });
  it('holds an explicit memory limit for all workers together', () => {
    const est = estimateMemory(big);
    assert.throws(() => checkRun(big, { partitions: 8, memoryLimit: 8 * partitionBytes(est, 8) - 1 }), /together, more than/);
  });
});

describe('thread choice', () => {
  const small = irOf({ file: 'examples/delay_motif.snn' });
  const large = irOf({ file: 'bench/models/microcircuit_10pct.snn' });
  it('uses the cores for large models by default, one thread for small ones, and what is asked otherwise', () => {
    assert.deepEqual(chooseThreads(small, undefined, 8), { requested: 1, used: 1 });
    assert.deepEqual(chooseThreads(large, undefined, 8), { requested: 8, used: 8 });
    assert.deepEqual(chooseThreads(small, 3, 2), { requested: 3, used: 3 });
    assert.deepEqual(chooseThreads({ ...large, simulate: { ...large.simulate, threads: 4 } }, undefined, 2), { requested: 4, used: 4 });
    assert.deepEqual(chooseThreads({ ...large, simulate: { ...large.simulate, threads: 4 } }, 1, 2), { requested: 1, used: 1 });
  });
  it('by default leaves busy cores alone, and says so; what is asked for is used whatever the load', () => {
    assert.deepEqual(chooseThreads(large, undefined, 8, 3), { requested: 8, used: 3, note: 'ran on 3 threads: 5 of the 8 cores are busy (set threads: to use them all)' });
    assert.equal(chooseThreads(large, undefined, 2, 0.4).used, 1);
    assert.deepEqual(chooseThreads(large, 4, 2, 0), { requested: 4, used: 4 });
  });
});
