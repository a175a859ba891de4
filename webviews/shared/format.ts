// Numbers for axes and labels: "nice" tick positions, times in s/ms, SI prefixes for units.

/** Tick values in [lo, hi], about `count` of them, on a 1-2-5 grid. */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi) || count < 1) return [];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return out;
}

/** A time in seconds for an axis whose span is `span` seconds. */
export function formatTime(t: number, span: number): string {
  if (span >= 2) return `${+t.toFixed(span >= 20 ? 0 : 1)} s`;
  const ms = t * 1000;
  const digits = span >= 0.5 ? 0 : span >= 0.05 ? 1 : span >= 0.005 ? 2 : 3;
  return `${ms.toFixed(digits)} ms`;
}

const PREFIXES: [number, string][] = [[1e9, 'G'], [1e6, 'M'], [1e3, 'k'], [1, ''], [1e-3, 'm'], [1e-6, 'µ'], [1e-9, 'n'], [1e-12, 'p'], [1e-15, 'f']];

/** The scale and prefixed unit for values of magnitude `max` in `unit` ("V" → 1e-3, "mV"). */
export function displayUnit(unit: string, max: number): { scale: number; unit: string } {
  if (!unit || unit.includes('·') || unit.includes('/') || !(max > 0)) return { scale: 1, unit };
  const [scale, prefix] = PREFIXES.find(([s]) => max >= s * 0.999) ?? PREFIXES[PREFIXES.length - 1];
  return { scale, unit: prefix + unit };
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A count with its noun, singular for one: "1 neuron", "7,887 synapses". */
export function countOf(n: number, noun: string): string {
  return `${formatCount(n)} ${noun}${Math.round(n) === 1 ? '' : 's'}`;
}

/** A tick label for `v` on an axis whose ticks are `step` apart: enough decimals for the step, exponent form for extreme magnitudes. */
export function formatTick(v: number, step: number): string {
  if (v === 0 || !Number.isFinite(v)) return String(v === 0 ? 0 : v);
  const decimals = Math.max(0, -Math.floor(Math.log10(Math.abs(step)) + 1e-9));
  if (decimals > 4 || Math.abs(v) >= 1e6) {
    const sig = Math.max(1, Math.floor(Math.log10(Math.abs(v))) + decimals + 1);
    return v.toExponential(Math.min(6, sig - 1));
  }
  return v.toFixed(decimals);
}

/** A value for a readout (already in a display unit): 2 decimals in [0.01, 100), 1 above, 3 significant digits otherwise. */
export function formatValue(v: number): string {
  const a = Math.abs(v);
  if (v === 0) return '0';
  if (a >= 0.01 && a < 100) return v.toFixed(2);
  if (a >= 100 && a < 1e6) return v.toFixed(1);
  return v.toPrecision(3);
}

/** Powers of 1000 for a dimensionless axis of magnitude `max` (1e-9 → ×10⁻⁹): scale and a label suffix. */
export function dimensionlessScale(max: number): { scale: number; label: string } {
  if (!(max > 0) || (max >= 1e-2 && max < 1e4)) return { scale: 1, label: '' };
  const e = 3 * Math.floor(Math.log10(max) / 3);
  return { scale: 10 ** e, label: `×1e${e}` };
}

/** An interval such as dt or a sampling period, without padding zeros: 0.1 ms, 2.5 ms, 1.5 s. */
export function formatInterval(s: number): string {
  return s < 1 ? `${+(s * 1000).toPrecision(4)} ms` : `${+s.toPrecision(4)} s`;
}
