// The chart of one probed variable (a trace): pure, so it is unit-tested in Node. Up to
// MAX_DISTINCT series get one theme colour each and a legend with their value at the cursor;
// more (and every synapse probe) are summarised: mean ± SD over time as a band, the mean as a
// line, and for synapses a histogram of the values at the cursor (or the last sample).
import type { TraceInfo } from '../../protocol/panel-data';
import { countOf, dimensionlessScale, displayUnit, formatCount, formatInterval, formatTick, formatTime, formatValue } from '../shared/format';
import { distinctColors, MAX_DISTINCT, seriesColor, type Theme } from '../shared/theme';
import type { ChartSpec, LegendEntry, Series } from './chart';
import { formatSeconds, headerUnit, TIME_COLUMN, timeDecimals } from '../../protocol/units';
import { decimate, populationRate } from './stats';

export interface Trace {
  info: TraceInfo;
  data: Float32Array;
  samples: number;
}

export interface TraceView {
  window: [number, number];
  cursor: number | null;
  /** Plot width in pixels (one min/max pair per column). */
  columns: number;
  theme: Theme;
  /** The population's colour index. */
  colorIndex: number;
  /** The same variable in the previous run of the file, drawn dimmed ("Compare runs"). */
  previous?: Trace;
  /** What the legend says of the previous run (e.g. its seed). */
  previousLabel?: string;
}

/** Opacity of the previous run's lines. */
export const PREVIOUS_OPACITY = 0.35;

const HISTOGRAM_BINS = 30;

/** "neuron"/"synapse" with a count: "7,887 synapses". */
export function elementCount(info: TraceInfo, n = info.neurons.length): string {
  return countOf(n, info.synapses ? 'synapse' : 'neuron');
}

/** The label of series m: `exc[3]`, or `ee#12` for synapse 12 of connection ee. */
export function seriesLabel(info: TraceInfo, m: number): string {
  return info.synapses ? `${info.population}#${info.neurons[m]}` : `${info.population}[${info.neurons[m]}]`;
}

/** Mean and SD over all series at sample indices spread over [i0, i1) (at most `columns` of them). */
export function meanBand(t: Trace, i0: number, i1: number, columns: number): { idx: number[]; mean: number[]; sd: number[]; lo: number; hi: number } {
  const a = Math.max(0, Math.floor(i0));
  const b = Math.min(t.samples, Math.ceil(i1));
  const stride = Math.max(1, Math.ceil((b - a) / Math.max(1, columns)));
  const idx: number[] = [];
  const mean: number[] = [];
  const sd: number[] = [];
  let lo = Infinity;
  let hi = -Infinity;
  for (let s = a; s < b; s += stride) {
    const { mean: mu, sd: sigma, count } = stats(t, s);
    if (!count) continue;
    idx.push(s);
    mean.push(mu);
    sd.push(sigma);
    lo = Math.min(lo, mu - sigma);
    hi = Math.max(hi, mu + sigma);
  }
  return { idx, mean, sd, lo, hi };
}

/** Mean, population SD and count of the finite values of sample s. */
function stats(t: Trace, s: number): { mean: number; sd: number; count: number; min: number; max: number } {
  const n = t.info.neurons.length;
  let sum = 0;
  let sq = 0;
  let count = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let m = 0; m < n; m++) {
    const v = t.data[s * n + m];
    if (!Number.isFinite(v)) continue;
    sum += v;
    sq += v * v;
    count++;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = count ? sum / count : NaN;
  return { mean, sd: count ? Math.sqrt(Math.max(0, sq / count - mean * mean)) : NaN, count, min, max };
}

export function traceChartSpec(t: Trace, o: TraceView): ChartSpec {
  const info = t.info;
  const [w0, w1] = o.window;
  const n = info.neurons.length;
  const every = info.every;
  const i0 = Math.floor(w0 / every) - 1;
  const i1 = Math.ceil(w1 / every) + 2;
  const columns = Math.max(10, Math.floor(o.columns));
  const summary = info.synapses || n > MAX_DISTINCT;
  const band = summary ? meanBand(t, i0, i1, columns) : undefined;
  const lines = summary ? [] : info.neurons.map((_, m) => decimate(t.data.subarray(0, t.samples * n), n, m, i0, i1, columns));
  let lo = band?.lo ?? Infinity;
  let hi = band?.hi ?? -Infinity;
  for (const l of lines) for (let k = 0; k < l.count; k++) {
    const v = l.val[k];
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  // The previous run: per-series lines (or its mean when summarised), in the same range.
  const prev = o.previous && o.previous.info.neurons.length === n && o.previous.samples > 0 ? o.previous : undefined;
  const prevEvery = prev?.info.every ?? every;
  const prevLines = prev
    ? summary
      ? [(() => {
          const b = meanBand(prev, Math.floor(w0 / prevEvery) - 1, Math.ceil(w1 / prevEvery) + 2, columns);
          return { idx: Float64Array.from(b.idx), val: Float64Array.from(b.mean), count: b.idx.length };
        })()]
      : prev.info.neurons.map((_, m) => decimate(prev.data.subarray(0, prev.samples * n), n, m, Math.floor(w0 / prevEvery) - 1, Math.ceil(w1 / prevEvery) + 2, columns))
    : [];
  for (const l of prevLines) for (let k = 0; k < l.count; k++) {
    const v = l.val[k];
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (!(hi >= lo)) [lo, hi] = [0, 1];
  const mag = Math.max(Math.abs(lo), Math.abs(hi));
  const dimless = info.unit === '' ? dimensionlessScale(mag) : undefined;
  const unit = dimless ? { scale: dimless.scale, unit: '' } : displayUnit(info.unit, mag);
  const unitText = dimless?.label || unit.unit;
  const withUnit = (v: number) => `${formatValue(v / unit.scale)}${unit.unit ? ` ${unit.unit}` : dimless?.label ? ` ${dimless.label}` : ''}`;
  const pad = (hi - lo) * 0.06 || Math.abs(hi) * 0.05 || 1e-12;
  const popColor = seriesColor(o.theme, o.colorIndex);
  const colors = distinctColors(o.theme, summary ? 0 : n);
  const cursorSample = o.cursor !== null && t.samples > 0 ? Math.round(o.cursor / every) : -1;
  const atCursor = cursorSample >= 0 && cursorSample < t.samples;

  let series: Series[];
  let legend: LegendEntry[];
  let note = `${elementCount(info)}, every ${formatInterval(every)}`;
  if (band) {
    series = [{ label: 'mean', color: popColor, xs: band.idx.map((i) => i * every), ys: band.mean.map((v) => v / unit.scale), n: band.idx.length, width: 1.75 }];
    const st = atCursor ? stats(t, cursorSample) : undefined;
    legend = [
      { label: 'mean', color: popColor, value: st ? withUnit(st.mean) : undefined },
      { label: '± SD', color: popColor, swatch: 'band', value: st ? withUnit(st.sd) : undefined },
      { label: 'n', color: 'transparent', value: formatCount(st?.count ?? n) },
    ];
    if (st) note = `at ${formatTime(o.cursor!, w1 - w0)}: mean ${formatValue(st.mean / unit.scale)} ± ${formatValue(st.sd / unit.scale)}${unit.unit ? ` ${unit.unit}` : dimless?.label ? ` ${dimless.label}` : ''} (n = ${elementCount(info, st.count)})`;
    else note += ` · mean ± SD`;
  } else {
    series = lines.map((l, m) => ({
      label: seriesLabel(info, m),
      color: colors[m],
      xs: Array.from(l.idx.subarray(0, l.count), (i) => i * every),
      ys: Array.from(l.val.subarray(0, l.count), (v) => v / unit.scale),
      n: l.count,
    }));
    legend = series.map((s, m) => ({ label: s.label, color: s.color, value: atCursor ? withUnit(t.data[cursorSample * n + m]) : undefined }));
    if (atCursor) note = `at ${formatTime(o.cursor!, w1 - w0)} (values in the legend)`;
  }
  if (prevLines.length) {
    const dimmed: Series[] = prevLines.map((l, m) => ({
      label: `${summary ? 'mean' : seriesLabel(info, m)} (previous run)`,
      color: summary ? popColor : colors[m],
      xs: Array.from(l.idx.subarray(0, l.count), (i) => i * prevEvery),
      ys: Array.from(l.val.subarray(0, l.count), (v) => v / unit.scale),
      n: l.count,
      opacity: PREVIOUS_OPACITY,
    }));
    series = [...dimmed, ...series];
    note += ` · dimmed: previous run${o.previousLabel ? ` (${o.previousLabel})` : ''}`;
  }
  const range = n > 1 ? `${info.neurons[0]}…${info.neurons[n - 1]}` : `${info.neurons[0]}`;
  const spec: ChartSpec = {
    title: `${info.variable} · ${info.population}${info.synapses ? ` (${elementCount(info)})` : `[${range}]`}`,
    note,
    xLabel: 'time',
    yLabel: unitText ? `${info.variable} (${unitText})` : info.variable,
    x0: w0,
    x1: w1,
    y0: (lo - pad) / unit.scale,
    y1: (hi + pad) / unit.scale,
    xFormat: formatTime,
    series,
    legend,
    cursor: o.cursor,
    empty: 'no samples yet',
  };
  if (band && band.idx.length) {
    spec.band = { xs: band.idx.map((i) => i * every), lo: band.mean.map((v, k) => (v - band.sd[k]) / unit.scale), hi: band.mean.map((v, k) => (v + band.sd[k]) / unit.scale), n: band.idx.length, color: popColor };
  }
  if (info.synapses && t.samples > 0) spec.histogram = histogramSpec(t, atCursor ? cursorSample : t.samples - 1, unit, unitText, popColor, w1 - w0);
  return spec;
}

/** The distribution of the values at sample s (counts per bin over [min, max]). */
/** `span`: the chart's time window, so that the title's time reads like the cursor note's. */
function histogramSpec(t: Trace, s: number, unit: { scale: number }, unitText: string, color: string, span: number): ChartSpec {
  const info = t.info;
  const n = info.neurons.length;
  const st = stats(t, s);
  let lo = st.min / unit.scale;
  let hi = st.max / unit.scale;
  if (!(hi > lo)) {
    const w = Math.abs(lo) * 0.05 || 1;
    lo -= w;
    hi += w;
  }
  const counts = new Array<number>(HISTOGRAM_BINS).fill(0);
  for (let m = 0; m < n; m++) {
    const v = t.data[s * n + m] / unit.scale;
    if (!Number.isFinite(v)) continue;
    counts[Math.min(HISTOGRAM_BINS - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * HISTOGRAM_BINS)))]++;
  }
  const edges = Array.from({ length: HISTOGRAM_BINS + 1 }, (_, k) => lo + ((hi - lo) * k) / HISTOGRAM_BINS);
  const top = Math.max(1, ...counts);
  const time = s * info.every;
  return {
    title: `${info.variable} · ${info.population} at ${formatTime(time, span)}: distribution of ${elementCount(info, st.count)}`,
    note: st.count ? `mean ${formatValue(st.mean / unit.scale)} ± ${formatValue(st.sd / unit.scale)}${unitText ? ` ${unitText}` : ''} · move the cursor to pick the time` : 'no finite values',
    xLabel: unitText ? `${info.variable} (${unitText})` : info.variable,
    yLabel: 'synapses',
    x0: lo,
    x1: hi,
    y0: 0,
    y1: top * 1.08,
    xFormat: (v, span) => formatTick(v, span / 5),
    series: [{ label: 'count', color, xs: edges, ys: counts, n: HISTOGRAM_BINS, step: true }],
    empty: 'no samples yet',
  };
}

/**
 * The panel's CSV of the window (protocol/results.md, "Panel exports"): long format, one value
 * a row, `kind,population,variable,index,time [s],value,unit`: times with the decimals that
 * tell steps apart, values in SI units and the unit in its own column (`1` when dimensionless;
 * rates in Hz at bin starts). For a synapse probe `population` is the connection and `index`
 * the synapse.
 */
export function tracesCsv(traces: Trace[], pops: { name: string; size: number; steps: Int32Array }[], o: { dt: number; steps: number; stepsDone: number; binMs: number; window: [number, number] }): string {
  const [w0, w1] = o.window;
  const decimals = timeDecimals(o.dt);
  const field = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const rows = [`kind,population,variable,index,${TIME_COLUMN},value,unit`];
  for (const t of traces) {
    const n = t.info.neurons.length;
    const unit = headerUnit(t.info.unit);
    const kind = t.info.synapses ? 'synapse' : 'trace';
    for (let s = Math.max(0, Math.floor(w0 / t.info.every)); s < t.samples && s * t.info.every <= w1 + 1e-12; s++) {
      const time = formatSeconds(s * t.info.every, decimals);
      for (let m = 0; m < n; m++) rows.push(`${kind},${field(t.info.population)},${field(t.info.variable)},${t.info.neurons[m]},${time},${t.data[s * n + m]},${unit}`);
    }
  }
  const binSteps = Math.max(1, Math.round(o.binMs / 1000 / o.dt));
  for (const p of pops) {
    const rates = populationRate(p.steps, p.size, o.dt, o.steps, binSteps);
    const bins = Math.min(rates.length, Math.floor(o.stepsDone / binSteps));
    for (let b = 0; b < bins; b++) {
      const t = b * binSteps * o.dt;
      if (t + binSteps * o.dt < w0 || t > w1) continue;
      rows.push(`rate,${field(p.name)},rate,,${formatSeconds(t, decimals)},${rates[b]},Hz`);
    }
  }
  return rows.join('\n') + '\n';
}
