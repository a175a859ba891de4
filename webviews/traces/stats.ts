// Statistics the traces panel plots, from spike lists in step order: population rate in time
// bins, inter-spike-interval histogram with the CV, and min/max decimation of sampled traces.
// Pure (tested in Node).

/** Population rate (Hz) in bins of `binSteps` steps over [0, totalSteps). */
export function populationRate(steps: Int32Array, size: number, dt: number, totalSteps: number, binSteps: number): Float64Array {
  const bin = Math.max(1, Math.floor(binSteps));
  const bins = Math.max(1, Math.ceil(totalSteps / bin));
  const out = new Float64Array(bins);
  if (size <= 0) return out;
  for (let m = 0; m < steps.length; m++) {
    const b = Math.floor(steps[m] / bin);
    if (b >= 0 && b < bins) out[b]++;
  }
  for (let b = 0; b < bins; b++) {
    const width = Math.min(bin, totalSteps - b * bin) * dt;
    out[b] = width > 0 ? out[b] / size / width : 0;
  }
  return out;
}

export interface IsiHistogram {
  /** Bin edges in seconds (bins + 1). */
  edges: Float64Array;
  counts: Float64Array;
  /** Number of intervals. */
  n: number;
  /** Mean over neurons with ≥ 3 spikes of their ISI coefficient of variation (as the CLI's cv_isi), or null. */
  cv: number | null;
  mean: number | null;
}

/**
 * Inter-spike intervals of spikes with step in [s0, s1), in `bins` bins up to `maxIsi` seconds
 * (default: the 99th percentile, so one outlier does not flatten the picture); `log`: bins
 * equally spaced in log(interval) from one step up (ISI distributions span decades).
 */
export function isiHistogram(steps: Int32Array, neurons: Int32Array, size: number, dt: number, bins: number, s0 = -Infinity, s1 = Infinity, maxIsi?: number, log = false): IsiHistogram {
  // Per-neuron state is kept per neuron that spiked (O(spikes)), never per neuron of the
  // population: a population of 10⁷ (or 2³²) neurons with 20 spikes costs 20 slots.
  const slots = neuronSlots(neurons, steps, size, s0, s1);
  const last = new Int32Array(slots.count).fill(-1);
  const perNeuron = new Float64Array(slots.count * 3); // n, Σx, Σx²
  const isis: number[] = [];
  for (let m = 0; m < steps.length; m++) {
    const i = slots.of[m];
    if (i < 0) continue;
    const s = steps[m];
    const prev = last[i];
    if (prev >= 0) {
      const x = s - prev;
      isis.push(x);
      perNeuron[3 * i]++;
      perNeuron[3 * i + 1] += x;
      perNeuron[3 * i + 2] += x * x;
    }
    last[i] = s;
  }
  let cvSum = 0;
  let cvN = 0;
  for (let i = 0; i < slots.count; i++) {
    const n = perNeuron[3 * i];
    if (n < 2) continue;
    const mean = perNeuron[3 * i + 1] / n;
    const v = Math.max(0, perNeuron[3 * i + 2] / n - mean * mean);
    if (mean > 0) {
      cvSum += Math.sqrt(v) / mean;
      cvN++;
    }
  }
  const nb = Math.max(1, Math.floor(bins));
  const edges = new Float64Array(nb + 1);
  const counts = new Float64Array(nb);
  if (isis.length === 0) return { edges, counts, n: 0, cv: null, mean: null };
  const sorted = Float64Array.from(isis).sort();
  const top = maxIsi !== undefined && maxIsi > 0 ? maxIsi / dt : Math.max(1, sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))]);
  let sum = 0;
  if (log) {
    // Geometric bins from one step (the shortest interval there is) to `top`.
    const ratio = Math.log(Math.max(1.0001, top)) / nb;
    for (let b = 0; b <= nb; b++) edges[b] = Math.exp(b * ratio) * dt;
    for (const x of isis) {
      sum += x;
      const b = Math.floor(Math.log(Math.max(1, x)) / ratio);
      if (b < nb) counts[b]++;
      else if (x <= top) counts[nb - 1]++;
    }
  } else {
    const width = top / nb;
    for (let b = 0; b <= nb; b++) edges[b] = b * width * dt;
    for (const x of isis) {
      sum += x;
      const b = Math.floor(x / width);
      if (b < nb) counts[b]++;
      else if (x === top) counts[nb - 1]++;
    }
  }
  return { edges, counts, n: isis.length, cv: cvN ? cvSum / cvN : null, mean: (sum / isis.length) * dt };
}

/**
 * A compact slot per neuron that spiked in [s0, s1): `of[m]` is spike m's slot (-1: outside the
 * window or the population). Slots are the neuron numbers themselves when the population is no
 * bigger than the spike list (arrays of its size cost no more than the spikes), else numbered
 * in order of first spike through a map — memory and work O(spikes) at any population size.
 */
function neuronSlots(neurons: Int32Array, steps: Int32Array, size: number, s0: number, s1: number): { of: Int32Array; count: number } {
  const of = new Int32Array(steps.length).fill(-1);
  const dense = size <= Math.max(1024, steps.length);
  const ids = new Map<number, number>();
  for (let m = 0; m < steps.length; m++) {
    const s = steps[m];
    const i = neurons[m];
    if (s < s0 || s >= s1 || i < 0 || i >= size) continue;
    if (dense) {
      of[m] = i;
      continue;
    }
    let k = ids.get(i);
    if (k === undefined) {
      k = ids.size;
      ids.set(i, k);
    }
    of[m] = k;
  }
  return { of, count: dense ? Math.max(0, Math.floor(size)) : ids.size };
}

/**
 * Min/max per pixel column of neuron `m` of a trace (`n` neurons interleaved), over sample
 * indices [i0, i1): two points per column, so spikes in the trace survive any zoom.
 */
export function decimate(data: Float32Array, n: number, m: number, i0: number, i1: number, columns: number): { idx: Float64Array; val: Float64Array; count: number } {
  const samples = Math.floor(data.length / Math.max(1, n));
  const a = Math.max(0, Math.floor(i0));
  const b = Math.min(samples, Math.ceil(i1));
  const len = Math.max(0, b - a);
  if (len <= 2 * columns) {
    const idx = new Float64Array(len);
    const val = new Float64Array(len);
    for (let k = 0; k < len; k++) {
      idx[k] = a + k;
      val[k] = data[(a + k) * n + m];
    }
    return { idx, val, count: len };
  }
  const idx = new Float64Array(2 * columns);
  const val = new Float64Array(2 * columns);
  let count = 0;
  for (let c = 0; c < columns; c++) {
    const lo = a + Math.floor((c * len) / columns);
    const hi = a + Math.floor(((c + 1) * len) / columns);
    if (hi <= lo) continue;
    let minI = lo;
    let maxI = lo;
    for (let k = lo; k < hi; k++) {
      const v = data[k * n + m];
      if (v < data[minI * n + m]) minI = k;
      if (v > data[maxI * n + m]) maxI = k;
    }
    const [f, s] = minI <= maxI ? [minI, maxI] : [maxI, minI];
    idx[count] = f;
    val[count++] = data[f * n + m];
    idx[count] = s;
    val[count++] = data[s * n + m];
  }
  return { idx, val, count };
}
