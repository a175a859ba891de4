// The run summary's CV of inter-spike intervals costs memory and time in proportion to the
// spikes, not to the population (issue 12 follow-up): a population of 2^31 - 1 neurons with a
// few spikes is summarised at once, and ordinary runs give the old numbers bit for bit.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RunOutput } from '../protocol/sim';
import { cvIsi, summarize } from '../sim-host/src/output';

/** The algorithm before this change (per-neuron arrays as long as the largest index), kept as the reference. */
function oldCvIsi(steps: Int32Array, neurons: Int32Array): number | null {
  let size = 0;
  for (let k = 0; k < neurons.length; k++) if (neurons[k] >= size) size = neurons[k] + 1;
  const last = new Int32Array(size).fill(-1);
  const n = new Int32Array(size);
  const sx = new Float64Array(size);
  const sxx = new Float64Array(size);
  for (let k = 0; k < steps.length; k++) {
    const i = neurons[k];
    if (last[i] >= 0) {
      const x = steps[k] - last[i];
      n[i]++;
      sx[i] += x;
      sxx[i] += x * x;
    }
    last[i] = steps[k];
  }
  let total = 0;
  let count = 0;
  for (let i = 0; i < size; i++) {
    if (n[i] < 2) continue;
    const m = sx[i] / n[i];
    const v = Math.max(0, sxx[i] / n[i] - m * m);
    if (m > 0) {
      total += Math.sqrt(v) / m;
      count++;
    }
  }
  return count ? total / count : null;
}

/** Spikes of a population in step order, as the engine records them. */
function spikesOf(list: [step: number, neuron: number][]): { steps: Int32Array; neurons: Int32Array } {
  const sorted = [...list].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return { steps: Int32Array.from(sorted, (s) => s[0]), neurons: Int32Array.from(sorted, (s) => s[1]) };
}

function runOutput(name: string, size: number, spikes: { steps: Int32Array; neurons: Int32Array }, stepsDone: number): RunOutput {
  return {
    dt: 1e-4,
    steps: stepsDone,
    stepsDone,
    seed: 1,
    cancelled: false,
    populations: [{ name, size }],
    spikes: [{ name, size, ...spikes }],
    traces: [],
    synapses: 0,
    memoryBytes: 0,
    timings: { plan_s: 0, compile_s: 0, run_s: 0 },
  };
}

/** A small deterministic generator (xorshift32) for the ordinary cases. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

/** Random spikes: `count` spikes of neurons drawn below `maxNeuron`, steps below `steps`. */
function randomSpikes(seed: number, count: number, maxNeuron: number, steps: number): { steps: Int32Array; neurons: Int32Array } {
  const r = rng(seed);
  const list: [number, number][] = [];
  for (let k = 0; k < count; k++) list.push([Math.floor(r() * steps), Math.floor(r() * maxNeuron)]);
  return spikesOf(list);
}

/** Coefficient of variation of one neuron's intervals, by the two-pass textbook formula. */
function cvOf(intervals: number[]): number {
  const mean = intervals.reduce((a, b) => a + b, 0) / intervals.length;
  const variance = intervals.reduce((a, x) => a + (x - mean) ** 2, 0) / intervals.length;
  return Math.sqrt(variance) / mean;
}

/**
 * Runs `f` with the typed-array constructors refusing any array longer than `maxLength`
 * (so a regression fails here instead of allocating gigabytes), and returns its result.
 */
function withSmallTypedArrays<T>(maxLength: number, f: () => T): T {
  const names = ['Int32Array', 'Uint32Array', 'Float64Array', 'Float32Array', 'Uint8Array', 'Int8Array', 'Uint16Array', 'Int16Array', 'BigInt64Array', 'BigUint64Array', 'ArrayBuffer'] as const;
  const g = globalThis as unknown as Record<string, unknown>;
  const saved = names.map((n) => g[n]);
  for (const n of names) {
    const ctor = g[n] as new (...args: unknown[]) => object;
    g[n] = new Proxy(ctor, {
      construct(target, args, newTarget) {
        const len = typeof args[0] === 'number' ? args[0] : 0;
        if (len > maxLength) throw new Error(`${n}(${len}) allocated (limit ${maxLength})`);
        return Reflect.construct(target, args, newTarget);
      },
    });
  }
  try {
    return f();
  } finally {
    names.forEach((n, i) => (g[n] = saved[i]));
  }
}

describe('CV of inter-spike intervals', () => {
  it('summarises a population of 2^31 - 1 neurons with a few spikes quickly and without large arrays', () => {
    const last = 2 ** 31 - 2; // the largest neuron index of the population
    const spikes = spikesOf([
      // neuron `last`: intervals 10, 15
      [10, last], [20, last], [35, last],
      // neuron 0: intervals 10, 25, 30
      [5, 0], [15, 0], [40, 0], [70, 0],
      // neuron 1e9: one interval only, not counted
      [12, 1e9], [50, 1e9],
      // neuron 123456789: intervals 7, 7, 7 (CV 0, counted)
      [1, 123456789], [8, 123456789], [15, 123456789], [22, 123456789],
      // neuron 5: one spike
      [3, 5],
    ]);
    const expected = (cvOf([10, 15]) + cvOf([10, 25, 30]) + cvOf([7, 7, 7])) / 3;
    const out = runOutput('huge', 2 ** 31 - 1, spikes, 100);
    const t0 = performance.now();
    const summary = withSmallTypedArrays(1 << 20, () => summarize(out, 0, 'wasm'));
    const direct = withSmallTypedArrays(1 << 20, () => cvIsi(spikes.steps, spikes.neurons));
    const took = performance.now() - t0;
    assert.ok(took < 1000, `took ${took.toFixed(0)} ms`);
    const pop = summary.populations[0];
    assert.equal(pop.spikes, 14);
    assert.equal(pop.size, 2 ** 31 - 1);
    assert.ok(pop.cv_isi !== null && Math.abs(pop.cv_isi - expected) < 1e-12, `cv_isi ${pop.cv_isi}, expected ${expected}`);
    assert.equal(direct, pop.cv_isi);
  });

  it('gives no CV when no neuron of a huge population has two intervals', () => {
    const spikes = spikesOf([[1, 2 ** 31 - 2], [9, 2 ** 31 - 2], [4, 7]]);
    assert.equal(withSmallTypedArrays(1 << 20, () => cvIsi(spikes.steps, spikes.neurons)), null);
  });

  it('equals the old algorithm bit for bit on ordinary runs', () => {
    const cases: [seed: number, count: number, maxNeuron: number, steps: number][] = [
      [1, 20000, 1000, 10000], // dense, many spikes per neuron
      [2, 5000, 4000, 2000],
      [3, 300, 50, 100000],
      [4, 3000, 1_000_000, 500], // sparse indices: the sorted path
      [5, 40000, 300_000, 100000], // between the two
      [6, 0, 10, 10],
    ];
    for (const [seed, count, maxNeuron, steps] of cases) {
      const s = randomSpikes(seed, count, maxNeuron, steps);
      const want = oldCvIsi(s.steps, s.neurons);
      const got = cvIsi(s.steps, s.neurons);
      assert.ok(Object.is(got, want), `seed ${seed}: ${got} vs old ${want}`);
      if (count >= 20000) assert.notEqual(want, null);
    }
    // a few neurons with many spikes each, and indices far apart (sorted path with long runs)
    const list: [number, number][] = [];
    const r = rng(7);
    for (const neuron of [0, 3, 999_999, 2_000_000]) for (let t = 0, k = 0; k < 500; k++) list.push([(t += 1 + Math.floor(r() * 40)), neuron]);
    const s = spikesOf(list);
    assert.ok(Object.is(cvIsi(s.steps, s.neurons), oldCvIsi(s.steps, s.neurons)));
    assert.notEqual(cvIsi(s.steps, s.neurons), null);
  });
});
