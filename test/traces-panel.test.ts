// The traces panel's chart logic (issue 13): units of synapse probes, tick labels of small SI
// values, synapse wording and summary, per-neuron colours, legend and cursor readout.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { URI } from 'vscode-uri';
import { isRunMessage } from '../protocol/panel-data';
import { loadModel, traceUnit } from '../extension/src/simulation/model';
import type { Painter, TextStyle } from '../webviews/shared/painter';
import type { Theme } from '../webviews/shared/theme';
import { drawChart, type ChartSpec } from '../webviews/traces/chart';
import { traceChartSpec, tracesCsv, type Trace } from '../webviews/traces/trace-spec';
import { distPrelude, ensureBuilt, repoRoot } from './helpers/build';

const theme: Theme = {
  background: '#1e1e1e', foreground: '#cccccc', muted: '#999999', grid: '#444444', focus: '#007fd4', cursor: '#ffffff',
  selection: '#264f78', highContrast: false, series: ['#3794ff', '#f14c4c', '#89d185', '#d18616', '#b180d7', '#cca700'],
};

/** A Painter that records what is drawn. */
class Recorder implements Painter {
  texts: { s: string; x: number; y: number; style: TextStyle }[] = [];
  lines: { stroke: string; n: number }[] = [];
  fills: { fill: string }[] = [];
  rect(_x: number, _y: number, _w: number, _h: number, fill: string): void { this.fills.push({ fill }); }
  strokeRect(): void {}
  line(): void {}
  polyline(_xs: ArrayLike<number>, _ys: ArrayLike<number>, n: number, stroke: string): void { this.lines.push({ stroke, n }); }
  polygon(_xs: ArrayLike<number>, _ys: ArrayLike<number>, _n: number, fill: string): void { this.fills.push({ fill }); }
  text(s: string, x: number, y: number, style: TextStyle): void { this.texts.push({ s, x, y, style }); }
  measure(s: string, size = 11): number { return s.length * size * 0.6; }
}

const box = { x: 0, y: 0, w: 800, h: 200 };
function draw(spec: ChartSpec): Recorder {
  const r = new Recorder();
  drawChart(r, box, spec, theme);
  return r;
}
/** Y tick labels: right-aligned texts left of the plot. */
const yTicks = (r: Recorder) => r.texts.filter((t) => t.style.align === 'right' && t.style.baseline === 'middle' && !t.style.vertical).map((t) => t.s);

function trace(population: string, variable: string, unit: string, n: number, samples: number, f: (k: number, m: number) => number, synapses = false): Trace {
  const data = new Float32Array(n * samples);
  for (let k = 0; k < samples; k++) for (let m = 0; m < n; m++) data[k * n + m] = f(k, m);
  return { info: { population, variable, unit, neurons: Array.from({ length: n }, (_, m) => m), every: 0.01, ...(synapses ? { synapses: true } : {}) }, data, samples };
}
const view = (cursor: number | null = null) => ({ window: [0, 1] as [number, number], cursor, columns: 700, theme, colorIndex: 0 });

describe('traces panel: synapse probes', () => {
  ensureBuilt();
  it('w(conn) has the unit of the variable the connection drives', () => {
    for (const [file, conn] of [['calcium_stdp.snn', 'plastic'], ['lsm_astro_stdp.snn', 'ee']]) {
      const p = path.join(repoRoot, 'examples', file);
      const loaded = loadModel(URI.file(p).toString(), readFileSync(p, 'utf8'), distPrelude);
      assert.ok(loaded.ok, file);
      assert.equal(traceUnit(loaded.ir, conn, 'w'), 'A', file);
    }
  });

  it('small weights: prefixed unit on the axis, distinct tick labels, synapse wording, a summary instead of one line per synapse', () => {
    // 7,887 synapses with weights around 60 pA ± 10 pA.
    const t = trace('ee', 'w', 'A', 7887, 101, (k, m) => (60 + 10 * Math.sin(m) - k * 0.05) * 1e-12, true);
    const spec = traceChartSpec(t, view());
    assert.match(spec.yLabel, /\(pA\)/);
    assert.match(spec.note ?? '', /7,887 synapses/);
    assert.doesNotMatch(`${spec.title} ${spec.note}`, /neurons?\b/);
    assert.ok(spec.series.length <= 3, `${spec.series.length} series drawn for 7,887 synapses`);
    assert.ok(spec.band, 'a mean ± SD band');
    const ticks = yTicks(draw(spec));
    assert.ok(ticks.length >= 2);
    assert.equal(new Set(ticks).size, ticks.length, `tick labels repeat: ${ticks.join(' ')}`);
    assert.ok(ticks.every((s) => !/^-?0\.0+$/.test(s)), ticks.join(' '));
  });

  it('a dimensionless tiny value still gets readable ticks', () => {
    const t = trace('ee', 'w', '', 3, 50, (k) => 1e-9 * (1 + k / 50), true);
    const ticks = yTicks(draw(traceChartSpec(t, view())));
    assert.equal(new Set(ticks).size, ticks.length, ticks.join(' '));
    assert.ok(ticks.every((s) => !/^-?0\.0+$/.test(s)), ticks.join(' '));
  });

  it('the y axis title does not overlap the tick labels', () => {
    const t = trace('ee', 'w', '', 2, 50, (k, m) => 1e-9 * (1 + k / 50 + m));
    const r = draw(traceChartSpec(t, view()));
    const title = r.texts.find((x) => x.style.vertical)!;
    const left = Math.min(...r.texts.filter((x) => x.style.align === 'right' && x.style.baseline === 'middle' && !x.style.vertical).map((x) => x.x - r.measure(x.s)));
    assert.ok(title.x + 6 <= left, `axis title at ${title.x}, tick labels from ${left}`);
  });

  it('a histogram of the weights at the cursor (or the end)', () => {
    const t = trace('ee', 'w', 'A', 1000, 11, (k, m) => (m < 500 ? 20 : 80) * 1e-12 * (k === 10 ? 1 : 0.5), true);
    const spec = traceChartSpec(t, view());
    assert.ok(spec.histogram, 'histogram spec');
    const h = spec.histogram!;
    assert.equal(h.series[0].n > 0, true);
    const total = Array.from(h.series[0].ys).reduce((a, b) => a + b, 0);
    assert.equal(total, 1000);
    assert.match(h.title, /100 ms|0\.1 s/); // the end: sample 10 at 10 ms each
    assert.match(h.xLabel + h.title, /pA/);
  });

  it("the histogram's time reads like the cursor note's (one format for the window)", () => {
    // every 10 ms, 301 samples (3 s); window 0-3 s, cursor at 1.2 s: both say "1.2 s".
    const t = trace('ee', 'w', 'A', 20, 301, (k, m) => (1 + m) * 1e-12 * (1 + k / 300), true);
    const spec = traceChartSpec(t, { ...view(1.2), window: [0, 3] as [number, number] });
    assert.match(spec.note ?? '', /^at 1\.2 s:/);
    assert.match(spec.histogram!.title, / at 1\.2 s: /);
  });
});

describe('traces panel: neurons', () => {
  it('few neurons: one colour each, a legend, values per neuron at the cursor', () => {
    const t = trace('exc', 'v', 'V', 3, 101, (k, m) => -0.07 + 0.01 * m + 0.0001 * k);
    const spec = traceChartSpec(t, view(0.5));
    const colours = new Set(spec.series.map((s) => s.color));
    assert.equal(colours.size, 3);
    assert.deepEqual(spec.legend?.map((l) => l.label), ['exc[0]', 'exc[1]', 'exc[2]']);
    assert.equal(new Set(spec.legend?.map((l) => l.color)).size, 3);
    // at 0.5 s: sample 50 → -70 + 10 m + 5 mV, read per neuron in the legend
    assert.match(spec.legend![0].value ?? '', /^-65\.0+ mV$/);
    assert.match(spec.legend![2].value ?? '', /^-45\.0+ mV$/);
    const r = draw(spec);
    for (const l of ['exc[0]', 'exc[1]', 'exc[2]', '-65.00 mV', '-55.00 mV']) assert.ok(r.texts.some((x) => x.s === l), `legend ${l} drawn`);
  });

  it('many neurons: a band, and mean ± SD with n at the cursor', () => {
    const t = trace('exc', 'v', 'V', 40, 101, (_k, m) => -0.07 + 0.001 * m);
    const spec = traceChartSpec(t, view(0.5));
    assert.ok(spec.band);
    assert.ok(spec.series.length <= 3);
    // mean of -70 … -31 mV = -50.5 mV, SD (population) = 11.54 mV
    assert.match(spec.note ?? '', /mean -50\.5\d* ± 11\.5\d* mV/);
    assert.match(spec.note ?? '', /n = 40/);
  });
});

describe('traces panel: CSV export', () => {
  it('fixed time decimals from dt, units in their own column, synapse rows named as such', () => {
    const v = trace('exc', 'v', 'V', 2, 40, (k, m) => -0.07 + k * 1e-4 + m * 1e-3);
    v.info.every = 2.5e-4;
    const w = trace('ee', 'w', 'A', 3, 4, (k, m) => (m + 1) * 1e-12, true);
    w.info.every = 1e-2;
    const csv = tracesCsv([v, w], [{ name: 'exc', size: 2, steps: Int32Array.of(10, 30, 500) }], { dt: 5e-5, steps: 400, stepsDone: 400, binMs: 5, window: [0, 0.02] });
    const rows = csv.trim().split('\n');
    assert.equal(rows[0], 'kind,population,variable,index,time [s],value,unit');
    const times = rows.slice(1).map((r) => r.split(',')[4]);
    assert.ok(times.every((t) => /^\d\.\d{5}$/.test(t)), `times: ${[...new Set(times)].slice(0, 8).join(' ')}`);
    assert.ok(rows.includes(`trace,exc,v,1,0.00025,${Math.fround(-0.07 + 1e-4 + 1e-3)},V`));
    assert.ok(rows.includes(`synapse,ee,w,2,0.01000,${Math.fround(3e-12)},A`));
    assert.ok(rows.some((r) => r.startsWith('rate,exc,rate,,0.00000,') && r.endsWith(',Hz')));
  });
});

describe('traces panel: compare runs', () => {
  it('the previous run is overlaid dimmed, in the same colours, within the y range', () => {
    const now = trace('exc', 'v', 'V', 2, 101, (k, m) => -0.07 + 0.0001 * k + 0.002 * m);
    const before = trace('exc', 'v', 'V', 2, 101, (k, m) => -0.08 + 0.0001 * k + 0.002 * m);
    const plain = traceChartSpec(now, view());
    const spec = traceChartSpec(now, { ...view(), previous: before, previousLabel: 'seed 7' });
    const dimmed = spec.series.filter((s) => (s.opacity ?? 1) < 0.5);
    assert.equal(dimmed.length, 2);
    assert.deepEqual(dimmed.map((s) => s.color), plain.series.map((s) => s.color));
    assert.ok(dimmed.every((s) => /previous run/.test(s.label)));
    assert.ok(spec.y0 * 1e-3 <= -0.08, `y range from ${spec.y0} mV`);
    assert.match(spec.note ?? '', /dimmed: previous run \(seed 7\)/);
    // a synapse probe compares means
    const w = trace('ee', 'w', 'A', 50, 11, (_k, m) => (50 + m) * 1e-12, true);
    const w0 = trace('ee', 'w', 'A', 50, 11, (_k, m) => (20 + m) * 1e-12, true);
    const ws = traceChartSpec(w, { ...view(), previous: w0 });
    assert.equal(ws.series.filter((s) => (s.opacity ?? 1) < 0.5).length, 1);
  });

  it('the previous-run message passes the panels\' guard, a malformed one does not', () => {
    const run = { runId: 'a', document: 'file:///m.snn', fileName: 'm.snn', model: 'm', dt: 1e-4, steps: 10, seed: 1, backend: 'wasm', populations: [] };
    assert.ok(isRunMessage({ type: 'previous', runId: 'b', previous: null }));
    assert.ok(isRunMessage({ type: 'previous', runId: 'b', previous: { run, stepsDone: 10, spikes: [], chunks: [{ trace: { population: 'p', variable: 'v', unit: 'V', neurons: [0], every: 1e-3 }, from: 0, data: new Float32Array(3) }] } }));
    assert.ok(!isRunMessage({ type: 'previous', runId: 'b', previous: { run, stepsDone: 10, spikes: [{ name: 'p', steps: [1], neurons: [0] }], chunks: [] } }));
    assert.ok(!isRunMessage({ type: 'previous', previous: null }));
  });
});

describe('traces panel: time axis', () => {
  it('a narrow chart still labels at least three times, apart', () => {
    const t = trace('exc', 'v', 'V', 2, 600, (k, m) => -0.07 + 1e-5 * k + m * 1e-3);
    const spec = traceChartSpec(t, { ...view(), window: [0.2975, 0.4986] });
    const r = new Recorder();
    drawChart(r, { x: 0, y: 0, w: 500, h: 200 }, spec, theme);
    const labels = r.texts.filter((x) => x.style.align === 'center' && x.style.baseline === 'top' && /ms$/.test(x.s));
    assert.ok(labels.length >= 3, `time labels: ${labels.map((x) => x.s).join(' ')}`);
  });
});
