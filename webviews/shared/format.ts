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
