// Fidelity of a hardware target's run against the float run of the same plan (same seed,
// connectivity, inputs): per population the rate error and the correlation of per-neuron spike
// counts. Used by the targets' reports (sim-host/src/targets/*).
import type { RunResult } from './run';

export interface PopFidelity {
  population: string;
  rate_float_hz: number;
  rate_target_hz: number;
  /** (target − float) / float; null when the float rate is 0. */
  rate_error: number | null;
  /** Pearson correlation of per-neuron spike counts; null when either is constant. */
  count_correlation: number | null;
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
    out.push({ population: s.name, rate_float_hz: rf, rate_target_hz: re, rate_error: rf === 0 ? null : (re - rf) / rf, count_correlation: pearson(cf, ce) });
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
