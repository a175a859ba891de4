// The chart of one probed variable (a trace): pure, so it is unit-tested in Node.
import type { TraceInfo } from '../../protocol/panel-data';
import { displayUnit, formatTime } from '../shared/format';
import { seriesColor, type Theme } from '../shared/theme';
import type { ChartSpec, Series } from './chart';
import { decimate } from './stats';

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
}

export function traceChartSpec(t: Trace, o: TraceView): ChartSpec {
    const [w0, w1] = o.window;
    const n = t.info.neurons.length;
    const every = t.info.every;
    const i0 = Math.floor(w0 / every) - 1;
    const i1 = Math.ceil(w1 / every) + 2;
    const lines = t.info.neurons.map((_, m) => decimate(t.data.subarray(0, t.samples * n), n, m, i0, i1, Math.max(10, Math.floor(o.columns))));
    let lo = Infinity;
    let hi = -Infinity;
    for (const l of lines) for (let k = 0; k < l.count; k++) {
      const v = l.val[k];
      if (Number.isFinite(v)) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
    if (!(hi >= lo)) [lo, hi] = [0, 1];
    const unit = displayUnit(t.info.unit, Math.max(Math.abs(lo), Math.abs(hi)));
    const pad = (hi - lo) * 0.06 || Math.abs(hi) * 0.05 || 1e-12;
    const color = seriesColor(o.theme, o.colorIndex);
    const series: Series[] = lines.map((l, m) => ({
      label: `${t.info.population}[${t.info.neurons[m]}]`,
      color,
      xs: Array.from(l.idx.subarray(0, l.count), (i) => i * every),
      ys: Array.from(l.val.subarray(0, l.count), (v) => v / unit.scale),
      n: l.count,
      opacity: n > 1 ? 0.35 + 0.65 / Math.sqrt(n) : 1,
    }));
    let note = `${n} neuron${n === 1 ? '' : 's'}, every ${formatTime(every, every * 10)}`;
    if (o.cursor !== null && t.samples > 0) {
      const s = Math.round(o.cursor / every);
      if (s >= 0 && s < t.samples) {
        let sum = 0;
        let mn = Infinity;
        let mx = -Infinity;
        for (let m = 0; m < n; m++) {
          const v = t.data[s * n + m] / unit.scale;
          sum += v;
          mn = Math.min(mn, v);
          mx = Math.max(mx, v);
        }
        const f = (v: number) => v.toFixed(Math.abs(mx - mn) < 10 ? 2 : 1);
        note = `at ${formatTime(o.cursor, w1 - w0)}: mean ${f(sum / n)} ${unit.unit}${n > 1 ? ` (${f(mn)} … ${f(mx)})` : ''}`;
      }
    }
    const range = t.info.neurons.length > 1 ? `${t.info.neurons[0]}…${t.info.neurons[t.info.neurons.length - 1]}` : `${t.info.neurons[0]}`;
    return {
      title: `${t.info.variable} · ${t.info.population}[${range}]`,
      note,
      xLabel: 'time',
      yLabel: unit.unit ? `${t.info.variable} (${unit.unit})` : t.info.variable,
      x0: w0,
      x1: w1,
      y0: (lo - pad) / unit.scale,
      y1: (hi + pad) / unit.scale,
      xFormat: formatTime,
      series,
      cursor: o.cursor,
      empty: 'no samples yet',
    };
  }
