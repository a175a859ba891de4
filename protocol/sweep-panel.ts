// The Sweep panel's channel (extension/src/simulation/sweep.ts → webviews/sweep/): the curve of a
// sweep (rate against the swept value, mean ± SD over seeds) and its CSV; the panel asks for the
// CSV to be saved. Plain data, checked on arrival.

/** One curve: a population (and, for two axes, one value of the second axis). */
export interface SweepCurve {
  label: string;
  /** Swept values in the axis's display unit, ascending point order. */
  xs: number[];
  /** Rate mean (Hz) over seeds, its SD (0 for one seed), min and max. */
  mean: number[];
  sd: number[];
  min: number[];
  max: number[];
}

export interface SweepPlot {
  title: string;
  /** x axis title with unit: "n.I_e (pA)". */
  xLabel: string;
  /** y axis title: what the curves are (default `rate (Hz)`; a fault sweep's `accuracy of readout r`). */
  yLabel?: string;
  seeds: number;
  runsDone: number;
  runsTotal: number;
  cancelled: boolean;
  curves: SweepCurve[];
  /** sweep.csv's text (protocol/results.md). */
  csv: string;
}

/** extension → panel */
export type SweepPanelMessage = { type: 'sweep'; plot: SweepPlot };
/** panel → extension */
export type SweepPanelRequest = { type: 'ready' } | { type: 'export-csv' };

const nums = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');

export function isSweepPanelMessage(m: unknown): m is SweepPanelMessage {
  if (typeof m !== 'object' || m === null || (m as { type?: unknown }).type !== 'sweep') return false;
  const p = (m as { plot?: unknown }).plot as Partial<SweepPlot> | undefined;
  if (typeof p !== 'object' || p === null) return false;
  if (typeof p.title !== 'string' || typeof p.xLabel !== 'string' || typeof p.csv !== 'string' || !Array.isArray(p.curves)) return false;
  if (p.yLabel !== undefined && typeof p.yLabel !== 'string') return false;
  if (typeof p.seeds !== 'number' || typeof p.runsDone !== 'number' || typeof p.runsTotal !== 'number' || typeof p.cancelled !== 'boolean') return false;
  return p.curves.every((c: Partial<SweepCurve>) => typeof c === 'object' && c !== null && typeof c.label === 'string' && nums(c.xs) && nums(c.mean) && nums(c.sd) && nums(c.min) && nums(c.max) && [c.mean, c.sd, c.min, c.max].every((a) => a.length === c.xs!.length));
}

export function isSweepPanelRequest(m: unknown): m is SweepPanelRequest {
  const t = typeof m === 'object' && m !== null ? (m as { type?: unknown }).type : undefined;
  return t === 'ready' || t === 'export-csv';
}
