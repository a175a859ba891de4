// A sweep's results: per run the population rates and CVs of inter-spike intervals (summary
// statistics, no spikes), per point mean ± SD over seeds, and the CSV / JSON files. Pure.
import { fmtValue } from './estimate';
import type { SweepCurve, SweepPlot } from '../../../protocol/sweep-panel';
import type { SweepAxis, SweepRun, SweepSpec } from './spec';

export interface PopulationStat {
  name: string;
  size: number;
  spikes: number;
  rate_hz: number;
  /** Mean CV of ISIs over neurons with ≥ 3 spikes; null when none has. */
  cv_isi: number | null;
}

export interface SweepRow {
  run: SweepRun;
  /** Simulated seconds (less than the duration when stopped early). */
  sim_s: number;
  /** The run stopped early (NaN/Inf, recording limit): its figures cover `sim_s`. */
  error?: string;
  populations: PopulationStat[];
  /** The run's metric (RunOptions.metric: a readout's accuracy, or the mean rate); NaN when it could not be measured. */
  metric?: { name: string; value: number; error?: string; retrained?: number };
}

export interface PointSummary {
  point: number;
  values: number[];
  /** Mean and SD over the point's runs of their metric (the runs that measured one). */
  metric?: { name: string; n: number; mean: number; sd: number; retrained?: { mean: number; sd: number } };
  /** Per population: mean and SD (n − 1; 0 for one seed) of the rate over the point's runs, and the mean CV. */
  populations: { name: string; n: number; rate_mean: number; rate_sd: number; cv_mean: number | null }[];
}

export interface SweepResult {
  rows: SweepRow[];
  /** Runs not done (stopped by a cancel). */
  cancelled: boolean;
  runsTotal: number;
}

/** Mean and sample SD. */
export function meanSd(xs: number[]): { mean: number; sd: number } {
  if (!xs.length) return { mean: NaN, sd: NaN };
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  if (xs.length < 2) return { mean, sd: 0 };
  const ss = xs.reduce((a, b) => a + (b - mean) ** 2, 0);
  return { mean, sd: Math.sqrt(ss / (xs.length - 1)) };
}

/** Per point (in point order), the statistics over its seeds. */
export function summarizePoints(rows: SweepRow[]): PointSummary[] {
  const byPoint = new Map<number, SweepRow[]>();
  // in run order, not completion order: the same sums (and digits) whatever the pool did
  for (const r of [...rows].sort((a, b) => a.run.index - b.run.index)) {
    const l = byPoint.get(r.run.point) ?? [];
    l.push(r);
    byPoint.set(r.run.point, l);
  }
  return [...byPoint.entries()].sort((a, b) => a[0] - b[0]).map(([point, rs]) => {
    const names = rs[0].populations.map((p) => p.name);
    const ms = rs.map((r) => r.metric?.value).filter((v): v is number => v !== undefined && Number.isFinite(v));
    const m = rs.find((r) => r.metric)?.metric;
    const rt = rs.map((r) => r.metric?.retrained).filter((v): v is number => v !== undefined && Number.isFinite(v));
    return {
      point,
      values: rs[0].run.values,
      ...(m ? { metric: { name: m.name, n: ms.length, ...meanSd(ms), ...(rt.length ? { retrained: meanSd(rt) } : {}) } } : {}),
      populations: names.map((name) => {
        const stats = rs.map((r) => r.populations.find((p) => p.name === name)).filter((p): p is PopulationStat => !!p);
        const { mean, sd } = meanSd(stats.map((p) => p.rate_hz));
        const cvs = stats.map((p) => p.cv_isi).filter((c): c is number => c !== null);
        return { name, n: stats.length, rate_mean: mean, rate_sd: sd, cv_mean: cvs.length ? meanSd(cvs).mean : null };
      }),
    };
  });
}

/** An axis value as a table shows it: its word, or the number in the display unit. */
export function axisText(a: SweepAxis, v: number): string {
  return a.labels ? (a.labels[v] ?? String(v)) : fmtValue(v, a.display);
}

const metricName = (rows: SweepRow[]) => rows.find((r) => r.metric)?.metric?.name;
const hasRetrained = (rows: SweepRow[]) => rows.some((r) => r.metric?.retrained !== undefined);

function header(spec: SweepSpec, rows: SweepRow[]): string[] {
  const pops = rows[0]?.populations.map((p) => p.name) ?? [];
  const m = metricName(rows);
  return [
    ...spec.axes.map((a) => (a.display.unit && a.display.unit !== 'SI' ? `${a.target} (${a.display.unit})` : a.target)),
    'seed',
    ...(m ? [m] : []),
    ...(hasRetrained(rows) ? ['retrained accuracy'] : []),
    ...pops.flatMap((p) => [`${p}.rate (Hz)`, `${p}.cv_isi`, `${p}.spikes`]),
    'sim (s)',
    'error',
  ];
}

function csvCell(s: string): string {
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** sweep.csv: one row per run (point and seed), a header with units; axis values in their display unit. */
export function sweepCsv(spec: SweepSpec, rows: SweepRow[]): string {
  const sorted = [...rows].sort((a, b) => a.run.index - b.run.index);
  const lines = [header(spec, sorted).map(csvCell).join(',')];
  const m = metricName(sorted);
  const rt = hasRetrained(sorted);
  for (const r of sorted) {
    const cells = [
      ...spec.axes.map((a, k) => (a.labels ? csvCell(axisText(a, r.run.values[k])) : String(Number((r.run.values[k] / a.display.scale).toPrecision(12))))),
      String(r.run.seed),
      ...(m ? [r.metric && Number.isFinite(r.metric.value) ? String(r.metric.value) : ''] : []),
      ...(rt ? [r.metric?.retrained !== undefined ? String(r.metric.retrained) : ''] : []),
      ...r.populations.flatMap((p) => [String(p.rate_hz), p.cv_isi === null ? '' : String(p.cv_isi), String(p.spikes)]),
      String(r.sim_s),
      csvCell(r.error ?? ''),
    ];
    lines.push(cells.join(','));
  }
  return lines.join('\n') + '\n';
}

/** sweep.json: the spec (SI values), every run and the per-point summaries. */
export function sweepJson(spec: SweepSpec, result: SweepResult, extra: Record<string, unknown> = {}): unknown {
  const rows = [...result.rows].sort((a, b) => a.run.index - b.run.index);
  return {
    axes: spec.axes.map((a) => ({ target: a.target, unit_si: a.dim, display_unit: a.display.unit, values: a.values, ...(a.labels ? { labels: a.labels } : {}) })),
    seeds: spec.seeds,
    base_seed: spec.baseSeed,
    runs_total: result.runsTotal,
    runs_done: rows.length,
    cancelled: result.cancelled,
    ...extra,
    runs: rows.map((r) => ({ point: r.run.point, values: r.run.values, seed: r.run.seed, sim_s: r.sim_s, ...(r.error ? { error: r.error } : {}), ...(r.metric ? { metric: { ...r.metric, value: Number.isFinite(r.metric.value) ? r.metric.value : null } } : {}), populations: r.populations })),
    points: summarizePoints(rows),
  };
}

/** The table the CLI prints: per point the swept values, then per population rate mean ± SD (and CV). */
export function sweepTable(spec: SweepSpec, rows: SweepRow[]): string {
  const points = summarizePoints(rows);
  if (!points.length) return 'no run finished\n';
  const pops = points[0].populations.map((p) => p.name);
  const seeds = Math.max(...points.map((p) => p.populations[0]?.n ?? 0));
  const m = points.find((p) => p.metric)?.metric?.name;
  const rt = points.some((p) => p.metric?.retrained);
  const head = [...spec.axes.map((a) => a.target), ...(m ? [m] : []), ...(rt ? ['retrained'] : []), ...pops.flatMap((p) => [`${p} rate (Hz)`, `${p} CV`])];
  const body = points.map((pt) => [
    ...spec.axes.map((a, k) => axisText(a, pt.values[k])),
    ...(m ? [pt.metric && pt.metric.n ? (seeds > 1 ? `${pt.metric.mean.toFixed(3)} ± ${pt.metric.sd.toFixed(3)}` : pt.metric.mean.toFixed(3)) : '-'] : []),
    ...(rt ? [pt.metric?.retrained ? (seeds > 1 ? `${pt.metric.retrained.mean.toFixed(3)} ± ${pt.metric.retrained.sd.toFixed(3)}` : pt.metric.retrained.mean.toFixed(3)) : '-'] : []),
    ...pt.populations.flatMap((p) => [seeds > 1 ? `${p.rate_mean.toFixed(2)} ± ${p.rate_sd.toFixed(2)}` : p.rate_mean.toFixed(2), p.cv_mean === null ? '-' : p.cv_mean.toFixed(2)]),
  ]);
  const widths = head.map((h, k) => Math.max(h.length, ...body.map((r) => r[k].length)));
  const line = (cells: string[]) => cells.map((c, k) => (k < spec.axes.length ? c.padEnd(widths[k]) : c.padStart(widths[k]))).join('  ');
  return [line(head), ...body.map(line)].join('\n') + '\n';
}

/**
 * The Sweep panel's curves (protocol/sweep-panel.ts): rate against the first axis (in its display
 * unit), one curve per recorded population and, with two axes, per value of the second; per
 * point mean, SD, min and max over the seeds that finished.
 */
export function sweepPlot(spec: SweepSpec, result: SweepResult, title: string): SweepPlot {
  const [xAxis, group] = spec.axes;
  const rows = [...result.rows].sort((a, b) => a.run.index - b.run.index);
  const m = metricName(rows);
  if (m) return metricPlot(spec, result, rows, title, m);
  const pops = rows[0]?.populations.map((p) => p.name) ?? [];
  const groups = group ? group.values : [undefined];
  const curves: SweepCurve[] = [];
  for (const pop of pops) {
    for (const g of groups) {
      const c: SweepCurve = { label: g === undefined ? pop : `${pop}, ${group!.target} = ${fmtValue(g, group!.display)}`, xs: [], mean: [], sd: [], min: [], max: [] };
      for (const x of xAxis.values) {
        const rates = rows
          .filter((r) => r.run.values[0] === x && (g === undefined || r.run.values[1] === g))
          .flatMap((r) => r.populations.filter((p) => p.name === pop).map((p) => p.rate_hz));
        if (!rates.length) continue;
        const { mean, sd } = meanSd(rates);
        c.xs.push(x / xAxis.display.scale);
        c.mean.push(mean);
        c.sd.push(sd);
        c.min.push(Math.min(...rates));
        c.max.push(Math.max(...rates));
      }
      curves.push(c);
    }
  }
  const unit = xAxis.display.unit && xAxis.display.unit !== 'SI' ? ` (${xAxis.display.unit})` : '';
  return { title, xLabel: `${xAxis.target}${unit}`, seeds: spec.seeds, runsDone: rows.length, runsTotal: result.runsTotal, cancelled: result.cancelled, curves, csv: sweepCsv(spec, result.rows) };
}

/**
 * With a metric (a fault sweep's readout accuracy): one curve of the metric against the first
 * axis per combination of the other axes' values; per point mean, SD, min and max over the seeds
 * whose run measured it.
 */
function metricPlot(spec: SweepSpec, result: SweepResult, rows: SweepRow[], title: string, name: string): SweepPlot {
  const xAxis = spec.axes[0];
  const rest = spec.axes.slice(1);
  const combos: number[][] = rest.reduce<number[][]>((acc, a) => acc.flatMap((c) => a.values.map((v) => [...c, v])), [[]]);
  const curves: SweepCurve[] = combos.map((combo) => {
    const c: SweepCurve = { label: combo.length ? combo.map((v, k) => `${rest[k].target} = ${axisText(rest[k], v)}`).join(', ') : name, xs: [], mean: [], sd: [], min: [], max: [] };
    for (const x of xAxis.values) {
      const vs = rows
        .filter((r) => r.run.values[0] === x && combo.every((v, k) => r.run.values[k + 1] === v))
        .map((r) => r.metric?.value)
        .filter((v): v is number => v !== undefined && Number.isFinite(v));
      if (!vs.length) continue;
      const { mean, sd } = meanSd(vs);
      c.xs.push(x / xAxis.display.scale);
      c.mean.push(mean);
      c.sd.push(sd);
      c.min.push(Math.min(...vs));
      c.max.push(Math.max(...vs));
    }
    return c;
  });
  const unit = xAxis.display.unit && xAxis.display.unit !== 'SI' ? ` (${xAxis.display.unit})` : '';
  return { title, xLabel: `${xAxis.target}${unit}`, yLabel: name, seeds: spec.seeds, runsDone: rows.length, runsTotal: result.runsTotal, cancelled: result.cancelled, curves, csv: sweepCsv(spec, result.rows) };
}
