// Spike-time reliability across trials (here: neurons receiving the same frozen input), the
// correlation measure of Schreiber, Fellous, Whitmer, Tiesinga & Sejnowski (2003,
// Neurocomputing 52–54:925–931): each train in [from, to) is convolved with a Gaussian of SD
// sigma, and R is the mean over pairs of the cosine of their filtered signals,
// R = 2/(N(N−1)) Σ_{i<j} s_i·s_j / (|s_i||s_j|): 1 for identical trains, about
// rate·2√π·sigma for independent ones. Also the rate (spikes per neuron per second).
export function reliability(t: readonly number[], i: readonly number[], n: number, from: number, to: number, sigma = 2e-3, bin = 0.25e-3): { r: number; rate: number; silent: number } {
  const bins = Math.round((to - from) / bin);
  const sig = Array.from({ length: n }, () => new Float64Array(bins));
  const reach = Math.ceil((4 * sigma) / bin);
  const kernel = Float64Array.from({ length: 2 * reach + 1 }, (_, k) => Math.exp(-(((k - reach) * bin) ** 2) / (2 * sigma * sigma)));
  let count = 0;
  for (let k = 0; k < t.length; k++) {
    if (t[k] < from || t[k] >= to) continue;
    count++;
    const c = Math.floor((t[k] - from) / bin);
    const s = sig[i[k]];
    for (let d = -reach; d <= reach; d++) if (c + d >= 0 && c + d < bins) s[c + d] += kernel[d + reach];
  }
  const norm = sig.map((s) => Math.sqrt(s.reduce((a, x) => a + x * x, 0)));
  let sum = 0;
  let pairs = 0;
  for (let a = 0; a < n; a++) {
    if (!norm[a]) continue;
    for (let b = a + 1; b < n; b++) {
      if (!norm[b]) continue;
      let dot = 0;
      const x = sig[a];
      const y = sig[b];
      for (let k = 0; k < bins; k++) dot += x[k] * y[k];
      sum += dot / (norm[a] * norm[b]);
      pairs++;
    }
  }
  return { r: pairs ? sum / pairs : 0, rate: count / n / (to - from), silent: norm.filter((x) => !x).length };
}
