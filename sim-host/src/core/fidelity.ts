// Fidelity of a hardware target's run against the float run of the same plan (same seed,
// connectivity, inputs): per population the rate error and the correlation of per-neuron spike
// counts, and the mean van Rossum distance between each neuron's two spike trains. Used by the
// targets' reports (sim-host/src/targets/*).
import type { RunResult } from './run';

export interface PopFidelity {
  population: string;
  rate_float_hz: number;
  rate_target_hz: number;
  /** (target − float) / float; null when the float rate is 0. */
  rate_error: number | null;
  /** Pearson correlation of per-neuron spike counts; null when either is constant. */
  count_correlation: number | null;
  /** Mean over neurons of the van Rossum distance (τ = VR_TAU), in its dimensionless form (van Rossum 2001): D² = ½ Σ over the exponential kernel products. */
  van_rossum: number;
}

/** The van Rossum time constant (seconds). */
export const VR_TAU = 0.01;

/** Σ_i Σ_j e^(−|a_i − b_j|/τ) over two sorted trains, O(n + m): a running sum forward and backward. */
function kernelSum(a: number[], b: number[], tau: number): number {
  let total = 0;
  // b_j ≥ a_i: Σ_i e^(−(b_j − a_i)/τ) accumulated while walking forward
  let acc = 0;
  let last = -Infinity;
  let i = 0;
  for (const t of b) {
    while (i < a.length && a[i] <= t) {
      acc = acc * Math.exp(-(a[i] - last) / tau) + 1;
      last = a[i++];
    }
    if (i > 0) total += acc * Math.exp(-(t - last) / tau);
  }
  // b_j < a_i, walking backward
  acc = 0;
  last = Infinity;
  i = a.length - 1;
  for (let k = b.length - 1; k >= 0; k--) {
    const t = b[k];
    while (i >= 0 && a[i] > t) {
      acc = acc * Math.exp(-(last - a[i]) / tau) + 1;
      last = a[i--];
    }
    if (i < a.length - 1) total += acc * Math.exp(-(last - t) / tau);
  }
  return total;
}

/** The van Rossum distance between two sorted spike trains (seconds). */
export function vanRossum(a: number[], b: number[], tau = VR_TAU): number {
  const d2 = 0.5 * (kernelSum(a, a, tau) + kernelSum(b, b, tau)) - kernelSum(a, b, tau);
  return Math.sqrt(Math.max(0, d2));
}

export function fidelity(float: RunResult, target: RunResult): PopFidelity[] {
  const out: PopFidelity[] = [];
  const secs = (r: RunResult) => r.stepsDone * r.dt;
  for (const s of float.spikes) {
    const e = target.spikes.find((x) => x.name === s.name);
    if (!e) continue;
    const cf = new Float64Array(s.size);
    const ce = new Float64Array(s.size);
    for (const n of s.neurons) cf[n]++;
    for (const n of e.neurons) ce[n]++;
    const rf = s.steps.length / s.size / secs(float);
    const re = e.steps.length / e.size / secs(target);
    const trains = (x: typeof s, dt: number) => {
      const t: number[][] = Array.from({ length: x.size }, () => []);
      for (let m = 0; m < x.steps.length; m++) t[x.neurons[m]].push(x.steps[m] * dt);
      return t;
    };
    const tf = trains(s, float.dt);
    const te = trains(e, target.dt);
    let vr = 0;
    for (let n = 0; n < s.size; n++) vr += vanRossum(tf[n], te[n]);
    out.push({ population: s.name, rate_float_hz: rf, rate_target_hz: re, rate_error: rf === 0 ? null : (re - rf) / rf, count_correlation: pearson(cf, ce), van_rossum: s.size ? vr / s.size : 0 });
  }
  return out;
}

function pearson(a: Float64Array, b: Float64Array): number | null {
  const n = a.length;
  if (n < 2) return null;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i];
    mb += b[i];
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa === 0 || sbb === 0 ? null : sab / Math.sqrt(saa * sbb);
}
