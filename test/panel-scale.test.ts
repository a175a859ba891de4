// The panels' work and memory follow what was recorded, not the population's size: the traces'
// rate / ISI / CV and the raster's row-block index for a population of 10⁷ or 2³² + 5 neurons
// with a few spikes (issue 12, item 15). Expected values are computed here independently.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpikeStore } from '../webviews/raster/spike-store';
import { isiHistogram, populationRate } from '../webviews/traces/stats';

const DT = 1e-4;
const TOTAL = 2000;

/** 20 spikes of a few neurons far apart (one near the top of the Int32 range), in step order. */
function fewSpikes(): { steps: Int32Array; neurons: Int32Array } {
  const byNeuron: [number, number[]][] = [
    [0, [10, 40, 100, 190, 300, 330]],
    [4_999_999, [5, 25, 45, 65, 85]],
    [9_999_999, [7, 507, 1007, 1999]],
    [2 ** 31 - 1, [50, 51, 900]],
    [123_457, [1500, 1600]],
  ];
  const all = byNeuron.flatMap(([n, ss]) => ss.map((s) => [s, n] as const)).sort((a, b) => a[0] - b[0]);
  assert.equal(all.length, 20);
  return { steps: Int32Array.from(all, (x) => x[0]), neurons: Int32Array.from(all, (x) => x[1]) };
}

/** Intervals per neuron, grouped the plain way. */
function intervals(steps: Int32Array, neurons: Int32Array, size: number): number[][] {
  const seen = new Map<number, number[]>();
  steps.forEach((s, k) => {
    if (neurons[k] >= size) return;
    const list = seen.get(neurons[k]) ?? [];
    list.push(s);
    seen.set(neurons[k], list);
  });
  return [...seen.values()].map((ss) => ss.slice(1).map((s, k) => s - ss[k]));
}

/** The CLI's cv_isi definition: mean over neurons with ≥ 2 intervals of std/mean (population std). */
function expectedCv(isis: number[][]): number | null {
  const cvs = isis.filter((xs) => xs.length >= 2).map((xs) => {
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length);
    return sd / mean;
  });
  return cvs.length ? cvs.reduce((a, b) => a + b, 0) / cvs.length : null;
}

function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}

describe('traces statistics scale with spikes, not neurons', () => {
  for (const size of [1e7, 2 ** 32 + 5]) {
    it(`a population of ${size.toLocaleString('en-US')} neurons with 20 spikes: rate, ISI and CV right, at once`, () => {
      const { steps, neurons } = fewSpikes();
      const bin = 100;
      const rate = timed(() => populationRate(steps, size, DT, TOTAL, bin));
      assert.ok(rate.ms < 250, `rate took ${rate.ms.toFixed(0)} ms`);
      assert.equal(rate.value.length, TOTAL / bin);
      for (let b = 0; b < TOTAL / bin; b++) {
        const count = [...steps].filter((s) => s >= b * bin && s < (b + 1) * bin).length;
        assert.ok(Math.abs(rate.value[b] - count / size / (bin * DT)) <= 1e-12 * Math.max(1, rate.value[b]), `bin ${b}`);
      }

      const inNeurons = neurons.filter((n) => n < size);
      const isis = intervals(steps, neurons, size);
      const flat = isis.flat();
      for (const log of [false, true]) {
        const h = timed(() => isiHistogram(steps, neurons, size, DT, 10, -Infinity, Infinity, 1, log));
        assert.ok(h.ms < 250, `ISI took ${h.ms.toFixed(0)} ms`);
        assert.equal(h.value.n, flat.length);
        assert.equal(h.value.n, inNeurons.length - new Set(inNeurons).size);
        assert.equal(h.value.counts.reduce((a, b) => a + b, 0), flat.length, 'all intervals are below 1 s');
        assert.ok(Math.abs(h.value.mean! - (flat.reduce((a, b) => a + b, 0) / flat.length) * DT) < 1e-15);
        const cv = expectedCv(isis);
        assert.ok(cv !== null && Math.abs(h.value.cv! - cv) < 1e-12, `cv ${h.value.cv} vs ${cv}`);
      }

      // A window: only the spikes with step in [s0, s1) count.
      const [s0, s1] = [0, 320];
      const keep = [...steps.keys()].filter((k) => steps[k] >= s0 && steps[k] < s1);
      const wIsis = intervals(Int32Array.from(keep, (k) => steps[k]), Int32Array.from(keep, (k) => neurons[k]), size);
      const w = isiHistogram(steps, neurons, size, DT, 10, s0, s1, 1);
      assert.equal(w.n, wIsis.flat().length);
      const wCv = expectedCv(wIsis);
      assert.ok(wCv !== null && Math.abs(w.cv! - wCv) < 1e-12);
    });
  }

  it('a small population gives the same histogram whichever way neurons are kept', () => {
    // Dense populations take per-neuron arrays, sparse ones a map: the answers are the same.
    const { steps, neurons } = fewSpikes();
    const small = Int32Array.from(neurons, (n) => n % 7);
    const dense = isiHistogram(steps, small, 7, DT, 12, -Infinity, Infinity, undefined, true);
    const sparse = isiHistogram(steps, small, 1e9, DT, 12, -Infinity, Infinity, undefined, true);
    assert.deepEqual([...dense.counts], [...sparse.counts]);
    assert.deepEqual([...dense.edges], [...sparse.edges]);
    assert.equal(dense.cv, sparse.cv);
    assert.equal(dense.n, sparse.n);
    assert.equal(dense.cv, expectedCv(intervals(steps, small, 7)));
  });

  it('spikes of neurons outside the population are ignored, never indexed', () => {
    const steps = Int32Array.from([1, 2, 3, 4, 5, 6]);
    const neurons = Int32Array.from([5, 5, 5, -1, -1, 2 ** 31 - 1]);
    const h = isiHistogram(steps, neurons, 6, DT, 4);
    assert.equal(h.n, 2);
    assert.equal(isiHistogram(steps, neurons, 0, DT, 4).n, 0);
  });
});

describe('raster row-block index scales with spikes, not neurons', () => {
  for (const size of [1e7, 2 ** 32 + 5]) {
    it(`${size.toLocaleString('en-US')} neurons: blocks ≤ spikes, and a few rows give exactly their spikes`, () => {
      const n = 60_000; // above the store's threshold for a row-block index
      let seed = 11;
      const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
      const hot = 1_000_000; // a band of neurons that gets half the spikes, so a few rows hold some
      const steps = Int32Array.from({ length: n }, (_, k) => Math.floor((k * TOTAL) / n));
      const neurons = Int32Array.from({ length: n }, (_, k) => (k % 2 ? hot + Math.floor(rand() * 200) : Math.floor(rand() * Math.min(size, 2 ** 31 - 1))));
      const store = new SpikeStore([{ name: 'big', size }], TOTAL);
      assert.equal(store.append(0, steps, neurons), n);
      const t = timed(() => store.segments(0, 100, 1500, hot + 10, hot + 50));
      assert.ok(t.ms < 500, `segments took ${t.ms.toFixed(0)} ms`);
      const idx = store.blockIndex(0)!;
      assert.ok(idx.starts.length <= n + 2, `${idx.starts.length} blocks for ${n} spikes`);
      let got = 0;
      for (const seg of t.value) for (let m = seg.a; m < seg.b; m++) if (seg.neurons[m] >= hot + 10 && seg.neurons[m] < hot + 50) got++;
      let want = 0;
      for (let m = 0; m < n; m++) if (steps[m] >= 100 && steps[m] < 1500 && neurons[m] >= hot + 10 && neurons[m] < hot + 50) want++;
      assert.ok(want > 0);
      assert.equal(got, want);
    });
  }
});
