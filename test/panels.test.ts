// The result panels' data side, in Node: the raster's spike store (time order, row blocks,
// coarse grids) and count images against brute force, view clamping, the traces' statistics
// against the CLI's CV, exports, the panel message guards, the extension's run record and
// store, the model helpers, and streaming from the real worker (deltas add up to the output).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { URI } from 'vscode-uri';
import { isPanelMessage, isPanelState, isRunMessage, type RunMessage } from '../protocol/panel-data';
import { isFromTraces } from '../protocol/traces';
import { dataFiles, loadModel, populationPlace, simulateBlocks, traceUnit, unitSymbol } from '../extension/src/simulation/model';
import { RunRecord } from '../extension/src/simulation/run-record';
import { loadRun, runDir, saveRun } from '../extension/src/simulation/run-store';
import type { FromWorker } from '../protocol/sim';
import { RunTerminated, startRun } from '../sim-host/src/host';
import { handle } from '../sim-host/src/worker';
import { cvIsi } from '../sim-host/src/output';
import { densityImage, opacity } from '../webviews/raster/density';
import { colourPixels } from '../webviews/raster/render';
import { spikePaths, spikesCsv } from '../webviews/raster/export';
import { SpikeStore } from '../webviews/raster/spike-store';
import { clampView, fullView, pan, zoom } from '../webviews/raster/view';
import { loadState, memoryApi, onMessage, saveState } from '../webviews/shared/host';
import { decimate, isiHistogram, populationRate } from '../webviews/traces/stats';
import { distPrelude, distWorker, ensureBuilt, repoRoot } from './helpers/build';

/** Deterministic pseudo-random spikes: per population in step order. */
function randomRun(sizes: number[], steps: number, perPop: number, seed = 7) {
  let s = seed >>> 0;
  const rand = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  return sizes.map((size) => {
    const st = Array.from({ length: perPop }, () => Math.floor(rand() * steps)).sort((a, b) => a - b);
    return { size, steps: Int32Array.from(st), neurons: Int32Array.from(st, () => Math.floor(rand() * size)) };
  });
}

function storeOf(sizes: number[], steps: number, perPop: number, chunks = 1): { store: SpikeStore; data: ReturnType<typeof randomRun> } {
  const data = randomRun(sizes, steps, perPop);
  const store = new SpikeStore(sizes.map((size, k) => ({ name: `p${k}`, size })), steps);
  data.forEach((d, k) => {
    const per = Math.ceil(d.steps.length / chunks);
    for (let a = 0; a < d.steps.length; a += per) store.append(k, d.steps.slice(a, a + per), d.neurons.slice(a, a + per));
  });
  return { store, data };
}

/** Spikes with step in [s0, s1) and global row in [r0, r1), by brute force. */
function bruteCount(data: ReturnType<typeof randomRun>, s0: number, s1: number, r0: number, r1: number): number {
  let row = 0;
  let n = 0;
  for (const d of data) {
    for (let m = 0; m < d.steps.length; m++) if (d.steps[m] >= s0 && d.steps[m] < s1 && row + d.neurons[m] >= r0 && row + d.neurons[m] < r1) n++;
    row += d.size;
  }
  return n;
}

describe('raster spike store and count images', () => {
  it('appends in chunks, keeps order, drops spikes outside the run or population', () => {
    const { store, data } = storeOf([300, 100], 5000, 20_000, 7);
    assert.equal(store.total, 40_000);
    assert.deepEqual([...store.spikes(1).steps], [...data[1].steps]);
    assert.equal(store.append(0, Int32Array.from([4999, 5000, 10]), Int32Array.from([0, 0, 0])), 1, 'a step past the run or before the last one is dropped');
    assert.equal(store.append(1, Int32Array.from([4999]), Int32Array.from([100])), 0, 'a neuron outside the population is dropped');
    assert.equal(store.popOfRow(299), 0);
    assert.equal(store.popOfRow(300), 1);
    assert.equal(store.popOfRow(400), -1);
  });

  it('an exact frame counts every spike in view once (1-pixel markers)', () => {
    const { store, data } = storeOf([300, 100], 5000, 20_000);
    for (const v of [fullView({ steps: 5000, rows: 400 }), { t0: 1200, t1: 3100, r0: 250, r1: 330 }, { t0: 0, t1: 500, r0: 0, r1: 400 }]) {
      const w = Math.floor(v.t1 - v.t0); // ≥ 1 pixel per step and row: 1×1 markers, no overlap loss
      const h = Math.floor(v.r1 - v.r0);
      const f = densityImage(store, v, Math.min(w, 2000), Math.min(h, 400), undefined, Infinity);
      assert.equal(f.mode, 'exact');
      const sum = f.counts.reduce((a, b) => a + b, 0);
      assert.equal(sum, bruteCount(data, v.t0, v.t1, v.r0, v.r1), `view ${JSON.stringify(v)}`);
      assert.equal(f.visible, sum);
    }
  });

  it('zoomed in, each spike is a marker: the count image equals painting every marker (also those reaching in from outside), painted or box-filtered', () => {
    // 20 k spikes a population: few marker pixels, painted one by one; 2 M: more marker pixels
    // than the image has, counted at the corners and box-filtered.
    for (const [perPop, filtered] of [[20_000, false], [2_000_000, true]] as const) {
      const { store, data } = storeOf([300, 100], 5000, perPop);
      // The third view has rows 40 pixels tall: a 12-pixel marker in the middle of its row (too
      // few marker pixels there for the box filter, so painted).
      const views = [{ t0: 1000.5, t1: 1050.5, r0: 280.3, r1: 300.3 }, { t0: 10, t1: 70, r0: 295, r1: 310 }, ...(filtered ? [] : [{ t0: 10, t1: 70, r0: 297.6, r1: 302.6 }])];
      for (const v of views) {
        const w = 160;
        const h = 200;
        const f = densityImage(store, v, w, h, undefined, Infinity);
        const sx = w / (v.t1 - v.t0);
        const sy = h / (v.r1 - v.r0);
        const mw = Math.max(1, Math.min(4, Math.round(sx)));
        const mh = sy >= 3 ? Math.min(12, Math.floor(sy) - 1) : Math.max(1, Math.round(sy));
        const pad = Math.max(0, Math.floor((sy - mh) / 2));
        assert.ok(mw > 1 && mh > 1, `markers ${mw}×${mh}`);
        const estimate = store.estimateVisible(Math.floor(v.t0), Math.ceil(v.t1), Math.floor(v.r0), Math.ceil(v.r1));
        assert.equal(estimate * mw * mh > w * h, filtered, `${perPop} spikes: ${estimate.toFixed(0)} × ${mw}×${mh} marker pixels`);
        const want = new Float32Array(w * h);
        let row = 0;
        for (const d of data) {
          for (let m = 0; m < d.steps.length; m++) {
            const x0 = Math.floor((d.steps[m] - v.t0) * sx);
            const y0 = Math.floor((row + d.neurons[m] - v.r0) * sy) + pad;
            if (x0 >= w || y0 >= h || x0 + mw <= 0 || y0 + mh <= 0) continue;
            for (let y = Math.max(0, y0); y < Math.min(h, y0 + mh); y++) for (let x = Math.max(0, x0); x < Math.min(w, x0 + mw); x++) want[y * w + x]++;
          }
          row += d.size;
        }
        assert.equal(f.mode, 'exact');
        assert.ok(want.some((c) => c > 0), 'the view shows some spikes');
        assert.deepEqual([...f.counts], [...want], `${perPop} spikes, view ${JSON.stringify(v)}`);
        assert.equal(f.max, Math.max(...want));
      }
    }
  });

  it('row-block segments give exactly the spikes of a few neurons, also for spikes that arrived after the index', () => {
    const { store, data } = storeOf([20_000], 100_000, 200_000);
    const count = (n0: number, n1: number, s0: number, s1: number) => {
      let n = 0;
      for (const seg of store.segments(0, s0, s1, n0, n1)) for (let m = seg.a; m < seg.b; m++) if (seg.neurons[m] >= n0 && seg.neurons[m] < n1) n++;
      return n;
    };
    assert.equal(count(5000, 5100, 0, 100_000), bruteCount(data, 0, 100_000, 5000, 5100));
    assert.equal(count(130, 150, 20_000, 70_000), bruteCount(data, 20_000, 70_000, 130, 150));
    // Spikes appended after the index was built (within its 1 s rebuild throttle) still count.
    store.append(0, Int32Array.from([99_999, 99_999]), Int32Array.from([5050, 19_999]));
    assert.equal(count(5000, 5100, 0, 100_000), bruteCount(data, 0, 100_000, 5000, 5100) + 1);
  });

  it('a grid frame holds the same total as the spikes in a whole view, within 1 %', () => {
    const { store } = storeOf([16_000, 4_000], 100_000, 500_000);
    const f = densityImage(store, fullView({ steps: 100_000, rows: 20_000 }), 1100, 700, undefined, 1000);
    assert.equal(f.mode, 'grid');
    const sum = f.counts.reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(sum - 1_000_000) / 1_000_000 < 0.01, `grid total ${sum}`);
    // And the same picture as an exact frame: busy pixels agree in where they are.
    const e = densityImage(store, fullView({ steps: 100_000, rows: 20_000 }), 1100, 700, undefined, Infinity);
    assert.equal(e.mode, 'exact');
    let both = 0;
    let either = 0;
    for (let i = 0; i < e.counts.length; i++) {
      if (e.counts[i] > 0 || f.counts[i] > 0) either++;
      if (e.counts[i] > 0 && f.counts[i] > 0) both++;
    }
    assert.ok(both / either > 0.6, `exact and grid frames overlap on ${((100 * both) / either).toFixed(0)} % of painted pixels`);
  });

  it('every grid table gives the brute-force count of any cell box, also when brought up to date while spikes stream in', () => {
    const sizes = [3000, 1000];
    const steps = 50_000;
    const data = randomRun(sizes, steps, 60_000, 11);
    const streamed = new SpikeStore(sizes.map((size, k) => ({ name: `p${k}`, size })), steps);
    // Ten progress messages, each with every population's spikes up to a step; tables read in between.
    for (let part = 1; part <= 10; part++) {
      const until = (steps * part) / 10;
      data.forEach((d, k) => {
        const have = streamed.count(k);
        let end = have;
        while (end < d.steps.length && d.steps[end] < until) end++;
        streamed.append(k, d.steps.slice(have, end), d.neurons.slice(have, end));
      });
      for (const g of streamed.grids) streamed.table(g);
    }
    assert.ok(streamed.grids.length >= 3, `${streamed.grids.length} grids`);
    let rand = 5;
    const next = (n: number) => (rand = (Math.imul(rand, 1664525) + 1013904223) >>> 0) % n;
    for (const g of streamed.grids) {
      assert.equal(g.dirtyFrom, Infinity);
      assert.equal(g.sum(0, g.gt, 0, g.gr), 120_000, `${g.gt}×${g.gr} holds every spike`);
      for (let i = 0; i < 20; i++) {
        const c0 = next(g.gt);
        const c1 = c0 + 1 + next(g.gt - c0);
        const r0 = next(g.gr);
        const r1 = r0 + 1 + next(g.gr - r0);
        // Cell c covers steps [c / tScale, (c + 1) / tScale): the box's steps and rows, exactly.
        const s0 = Math.ceil(c0 / g.tScale - 1e-9);
        const s1 = Math.ceil(c1 / g.tScale - 1e-9);
        const row0 = Math.ceil(r0 / g.rScale - 1e-9);
        const row1 = Math.ceil(r1 / g.rScale - 1e-9);
        assert.equal(g.sum(c0, c1, r0, r1), bruteCount(data, s0, s1, row0, row1), `${g.gt}×${g.gr} box [${c0}, ${c1}) × [${r0}, ${r1})`);
      }
    }
  });

  it('views zoomed into time over all neurons, or into neurons over the whole run, come from a grid and keep their spikes', () => {
    const { store, data } = storeOf([16_000, 4_000], 100_000, 500_000);
    for (const v of [
      { t0: 40_000, t1: 50_000, r0: 0, r1: 20_000 },
      { t0: 0, t1: 100_000, r0: 2000, r1: 6000 },
    ]) {
      const f = densityImage(store, v, 1100, 700, undefined, 1000);
      assert.equal(f.mode, 'grid', JSON.stringify(v));
      const sum = f.counts.reduce((a, b) => a + b, 0);
      const truth = bruteCount(data, v.t0, v.t1, v.r0, v.r1);
      assert.ok(Math.abs(sum - truth) / truth < 0.01, `${JSON.stringify(v)}: grid total ${sum.toFixed(0)} vs ${truth}`);
    }
  });

  it('after a run the store prepares its tables and indexes piece by piece, then frames find them ready', () => {
    const { store } = storeOf([16_000, 4_000], 100_000, 200_000);
    const pieces = store.pendingWork();
    assert.ok(pieces >= 5, `${pieces} pieces (grid tables + row-block indexes)`);
    let calls = 0;
    while (store.prepareStep()) calls++;
    assert.equal(calls + 1, pieces, 'one piece per call');
    assert.equal(store.pendingWork(), 0);
    assert.ok(store.grids.every((g) => g.dirtyFrom === Infinity));
    store.append(1, Int32Array.from([99_999]), Int32Array.from([3]));
    assert.ok(store.pendingWork() >= store.grids.length, 'a new spike makes the tables and its index stale');
  });

  it('colours a count image: empty pixels are the background, the busiest its row colour', () => {
    const counts = new Float32Array([0, 1, 5, 0, 0, 5]);
    const px = new Uint32Array(6);
    colourPixels({ width: 3, height: 2, counts, max: 5, mode: 'exact', visible: 11 }, Uint8Array.from([255, 0, 0, 255, 0, 0, 255, 255]), [10, 20, 30], px);
    const word = (r: number, g: number, b: number) => ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
    assert.equal(px[0], word(10, 20, 30));
    assert.equal(px[2], word(255, 0, 0));
    assert.equal(px[5], word(0, 0, 255));
    assert.equal(px[3], word(10, 20, 30));
    const mid = px[1] & 255;
    assert.ok(mid > 10 && mid < 255, `one spike of five: red ${mid} between background and full`);
  });

  it('one spike is clearly visible, more spikes are darker', () => {
    assert.equal(opacity(0, 10), 0);
    assert.equal(opacity(1, 1), 1);
    assert.ok(opacity(1, 100) >= 0.2 && opacity(1, 100) < opacity(50, 100));
    assert.equal(opacity(100, 100), 1);
  });

  it('views stay inside the run and zoom about the pointer', () => {
    const e = { steps: 10_000, rows: 4000 };
    const v = zoom(fullView(e), e, 'time', 0.5, 0.25);
    assert.equal(v.t0, 1250);
    assert.equal(v.t1, 6250);
    assert.deepEqual([v.r0, v.r1], [0, 4000]);
    const p = pan(v, e, -10, 0);
    assert.equal(p.t0, 0);
    assert.equal(p.t1 - p.t0, 5000);
    const tiny = clampView({ t0: 5, t1: 5, r0: 3, r1: 3 }, e);
    assert.ok(tiny.t1 - tiny.t0 >= 10 && tiny.r1 - tiny.r0 >= 4);
    assert.deepEqual(clampView({ t0: NaN, t1: 3, r0: -Infinity, r1: 9 }, e), { t0: 0, t1: 10_000, r0: 0, r1: 4000 });
  });
});

describe('raster exports', () => {
  it('CSV lists the spikes in view, with times in seconds', () => {
    const { store, data } = storeOf([50, 50], 1000, 500);
    const v = { t0: 100, t1: 400, r0: 20, r1: 80 };
    const csv = spikesCsv(store, v, 1e-4);
    const rows = csv.text.trim().split('\n');
    assert.equal(rows[0], 'population,neuron,time_s');
    assert.equal(rows.length - 1, bruteCount(data, 100, 400, 20, 80));
    assert.equal(csv.rows, rows.length - 1);
    for (const r of rows.slice(1)) {
      const [pop, neuron, t] = r.split(',');
      const row = (pop === 'p1' ? 50 : 0) + Number(neuron);
      assert.ok(row >= 20 && row < 80 && Number(t) >= 0.01 - 1e-12 && Number(t) < 0.04, r);
    }
    assert.equal(spikesCsv(store, v, 1e-4, 3).rows, 3);
    assert.ok(spikesCsv(store, v, 1e-4, 3).truncated);
  });

  it('SVG paths have one mark per spike in view, or none when there are too many', () => {
    const { store, data } = storeOf([50, 50], 1000, 500);
    const v = fullView({ steps: 1000, rows: 100 });
    const paths = spikePaths(store, v, 0, 0, 1000, 100)!;
    const marks = paths.reduce((a, d) => a + (d.match(/M/g)?.length ?? 0), 0);
    assert.equal(marks, bruteCount(data, 0, 1000, 0, 100));
    assert.equal(spikePaths(store, v, 0, 0, 1000, 100, 10), undefined);
  });
});

describe('traces statistics', () => {
  it('population rate: spikes / neurons / bin width', () => {
    const r = populationRate(Int32Array.from([0, 1, 2, 10, 11, 25]), 2, 1e-3, 30, 10);
    assert.deepEqual([...r].map((x) => +x.toFixed(6)), [150, 100, 50]); // 3, 2, 1 spikes of 2 neurons in 10 ms
    assert.equal(populationRate(new Int32Array(0), 0, 1e-3, 30, 10).length, 3);
  });

  it('ISI histogram: counts every interval; its CV is the CLI summary’s cv_isi', () => {
    const { data } = storeOf([200], 20_000, 6000);
    const d = data[0];
    for (const log of [false, true]) {
      const h = isiHistogram(d.steps, d.neurons, 200, 1e-4, 30, -Infinity, Infinity, 1, log);
      assert.equal(h.n, 6000 - new Set(d.neurons).size);
      assert.equal(h.counts.reduce((a, b) => a + b, 0), h.n, 'every interval is below 1 s here, so every one is binned');
      assert.ok(Math.abs(h.cv! - cvIsi(d.steps, d.neurons)!) < 1e-9, `${h.cv} vs ${cvIsi(d.steps, d.neurons)}`);
      for (let b = 1; b < h.edges.length; b++) assert.ok(h.edges[b] > h.edges[b - 1]);
    }
    const none = isiHistogram(new Int32Array(0), new Int32Array(0), 3, 1e-4, 10);
    assert.equal(none.n, 0);
    assert.equal(none.cv, null);
  });

  it('decimation keeps each column’s extremes', () => {
    const n = 2;
    const data = new Float32Array(2 * 10_000);
    for (let k = 0; k < 10_000; k++) {
      data[k * n] = Math.sin(k / 100);
      data[k * n + 1] = k === 5_555 ? 9 : 0;
    }
    const d = decimate(data, n, 1, 0, 10_000, 100);
    assert.ok(d.count <= 200);
    assert.equal(Math.max(...d.val.subarray(0, d.count)), 9, 'a one-sample spike survives');
    const small = decimate(data, n, 0, 10, 20, 100);
    assert.equal(small.count, 10);
    assert.equal(small.idx[0], 10);
  });
});

describe('panel messages and state', () => {
  it('accepts well-formed messages and refuses anything else without throwing', () => {
    assert.ok(isPanelMessage({ type: 'ready' }));
    assert.ok(isPanelMessage({ type: 'cursor', time: null }));
    assert.ok(isPanelMessage({ type: 'cursor', time: 0.5 }));
    assert.ok(isPanelMessage({ type: 'export', format: 'svg', fileName: 'a.svg', data: '<svg/>' }));
    assert.ok(isPanelMessage({ type: 'reveal', population: 'exc' }));
    assert.ok(!isFromTraces({ type: 'reveal', population: 'exc' }), 'the traces panel has no reveal');
    for (const bad of [null, undefined, 3, 'ready', [], {}, { type: 'cursor', time: NaN }, { type: 'cursor', time: '1' }, { type: 'window', from: 2, to: 1 }, { type: 'export', format: 'exe', fileName: 'x', data: '' }, { type: 'reveal' }, { type: 'run' }]) {
      assert.equal(isPanelMessage(bad), false, JSON.stringify(bad));
    }
    let s = 1;
    const rand = () => ((s = (Math.imul(s, 48271) + 11) >>> 0) / 2 ** 32);
    const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)];
    for (let i = 0; i < 2000; i++) {
      const m: Record<string, unknown> = { type: pick(['ready', 'cursor', 'window', 'export', 'reveal', 'x', 1]) };
      for (const k of ['time', 'from', 'to', 'format', 'fileName', 'data', 'population']) if (rand() < 0.5) m[k] = pick([null, 1, -1, NaN, 'png', '', {}, [], Infinity]);
      assert.doesNotThrow(() => isPanelMessage(m));
    }
    assert.ok(isPanelState({ version: 1, document: 'file:///a.snn' }));
    assert.ok(!isPanelState({ version: 2, document: 'file:///a.snn' }));
    assert.ok(!isPanelState('x'));
  });

  const run = { runId: 'r', document: 'file:///m.snn', fileName: 'm.snn', model: 'm', dt: 1e-4, steps: 10, seed: 1, backend: 'wasm', populations: [{ name: 'a', size: 3, recorded: true }] };
  const spikes = { name: 'a', size: 3, steps: Int32Array.of(1, 2), neurons: Int32Array.of(0, 2) };
  const trace = { population: 'a', variable: 'v', unit: 'V', neurons: [0, 1], every: 1e-3 };

  it('the panels take the extension’s messages of a known shape only: spikes as PopulationSpikes, typed arrays of equal length', () => {
    const good: RunMessage[] = [
      { type: 'run', run },
      { type: 'run', run: { ...run, populations: [] } },
      { type: 'spikes', runId: 'r', spikes: [spikes] },
      { type: 'samples', runId: 'r', chunks: [{ trace, from: 0, data: Float32Array.of(1, 2, 3, 4) }] },
      { type: 'status', runId: 'r', status: 'done', stepsDone: 10 },
      { type: 'status', runId: 'r', status: 'failed', stepsDone: 3, message: 'NaN' },
      { type: 'status', runId: 'r', status: 'done', stepsDone: 10, readouts: ['r 85.0 % (chance 25.0 %)'] },
      { type: 'empty', message: 'no run' },
      { type: 'cursor', time: null },
      { type: 'window', from: 0, to: 1e-3 },
    ];
    for (const m of good) assert.ok(isRunMessage(m), JSON.stringify(m));
    const bad: unknown[] = [
      null, 'run', {}, { type: 'x' },
      { type: 'run', run: { ...run, populations: [{ name: 'a', size: 3 }] } },
      { type: 'run', run: { ...run, dt: 0 } },
      { type: 'spikes', runId: 'r', chunks: [{ population: 0, steps: Int32Array.of(1), neurons: Int32Array.of(0) }] },
      { type: 'spikes', runId: 'r', spikes: [{ ...spikes, steps: [1, 2] }] },
      { type: 'spikes', runId: 'r', spikes: [{ ...spikes, neurons: Int32Array.of(0) }] },
      { type: 'spikes', runId: 'r', spikes: [{ ...spikes, name: 3 }] },
      { type: 'spikes', spikes: [spikes] },
      { type: 'samples', runId: 'r', chunks: [{ trace, from: 0, data: Float32Array.of(1, 2, 3) }] },
      { type: 'samples', runId: 'r', chunks: [{ trace, from: -1, data: Float32Array.of(1, 2) }] },
      { type: 'status', runId: 'r', status: 'paused', stepsDone: 1 },
      { type: 'status', runId: 'r', status: 'done', stepsDone: 1, readouts: 'r 85 %' },
      { type: 'status', runId: 'r', status: 'done', stepsDone: 1, readouts: [{ readout: 'r', value: 0.85 }] },
      { type: 'empty' },
      { type: 'cursor', time: '1' },
      { type: 'window', from: 1, to: 1 },
    ];
    for (const m of bad) assert.equal(isRunMessage(m), false, String((m as { type?: string } | null)?.type));
  });

  it('the shared host: the state survives a reload only when this version wrote it; malformed messages never reach a panel', () => {
    const api = memoryApi();
    assert.equal(loadState(api), undefined);
    const state = { version: 1 as const, document: 'file:///m.snn', runId: 'r', view: { t0: 0.1, t1: 0.2, r0: 0, r1: 5 }, cursor: 0.15 };
    saveState(state, api);
    assert.deepEqual(loadState(api), state);
    // What VS Code hands back after a reload is a structured clone; an older version's state is dropped.
    api.setState(structuredClone(state));
    assert.deepEqual(loadState(api), state);
    api.setState({ ...state, version: 0 });
    assert.equal(loadState(api), undefined);

    const target = new EventTarget();
    const got: string[] = [];
    const warn = console.warn;
    console.warn = () => {};
    try {
      onMessage((m) => {
        got.push(m.type);
        if (m.type === 'cursor') throw new Error('a panel bug');
      }, target);
      const send = (data: unknown) => target.dispatchEvent(new MessageEvent('message', { data }));
      const error = console.error;
      console.error = () => {};
      try {
        for (const data of [{ type: 'run', run }, { type: 'spikes', runId: 'r', chunks: [] }, { type: 'cursor', time: 1 }, 'junk', { type: 'spikes', runId: 'r', spikes: [spikes] }]) send(data);
      } finally {
        console.error = error;
      }
    } finally {
      console.warn = warn;
    }
    assert.deepEqual(got, ['run', 'cursor', 'spikes'], 'malformed messages dropped; an exception in a handler does not end the listener');
  });
});

describe('the extension’s run data', () => {
  const info = { runId: 'r1', document: 'file:///m.snn', fileName: 'm.snn', model: 'm', dt: 1e-4, steps: 100, seed: 3, backend: 'wasm', populations: [{ name: 'a', size: 5, recorded: true }, { name: 'b', size: 2, recorded: true }] };
  const trace = { population: 'a', variable: 'v', unit: 'V', neurons: [0, 1], every: 1e-3 };

  it('a run record accumulates chunks and survives the store; a damaged store reads as no run', () => {
    const r = new RunRecord(info);
    r.addSpikes('a', Int32Array.from([1, 2]), Int32Array.from([0, 4]));
    r.addSpikes('a', Int32Array.from([7]), Int32Array.from([3]));
    r.addSpikes('b', Int32Array.from([9]), Int32Array.from([1]));
    assert.equal(r.addSpikes('zzz', Int32Array.from([1]), Int32Array.from([1])), undefined);
    r.addSamples(trace, 0, Float32Array.from([1, 2, 3, 4]));
    r.addSamples(trace, 2, Float32Array.from([5, 6]));
    assert.equal(r.addSamples(trace, 9, Float32Array.from([7, 8])), undefined, 'a gap is refused');
    r.status = 'done';
    r.stepsDone = 100;
    assert.equal(r.spikeCount(), 4);
    assert.equal(r.sampleCount('a', 'v'), 3);
    const root = mkdtempSync(path.join(tmpdir(), 'swk-store-'));
    try {
      const dir = runDir(root, info.document);
      saveRun(dir, r);
      const back = loadRun(dir)!;
      assert.deepEqual(back.info, info);
      assert.equal(back.status, 'done');
      assert.deepEqual([...back.spikes(0).steps], [1, 2, 7]);
      assert.deepEqual([...back.spikes(0).neurons], [0, 4, 3]);
      assert.deepEqual([...back.spikes(1).steps], [9]);
      assert.deepEqual([...back.allSamples()[0].data], [1, 2, 3, 4, 5, 6]);
      writeFileSync(path.join(dir, 'data.bin'), 'short');
      assert.equal(loadRun(dir), undefined);
      writeFileSync(path.join(dir, 'run.json'), '{not json');
      assert.equal(loadRun(dir), undefined);
      assert.equal(loadRun(path.join(root, 'nothing')), undefined);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('a run starts without populations; the plan’s order is set once, and spikes are kept by it', () => {
    const r = new RunRecord({ ...info, populations: [] });
    assert.equal(r.addSpikes('a', Int32Array.from([1]), Int32Array.from([0])), undefined, 'no population before the plan publishes them');
    assert.ok(r.setPopulations(info.populations));
    assert.deepEqual(r.info.populations, info.populations);
    assert.equal(r.setPopulations([{ name: 'z', size: 1, recorded: true }]), false, 'the order is set once');
    assert.deepEqual(r.info.populations, info.populations);
    assert.equal(r.populationIndex('b'), 1);
    assert.equal(r.populationIndex('zzz'), -1);
    const added = r.addSpikes('b', Int32Array.from([4, 6]), Int32Array.from([1, 0]))!;
    assert.deepEqual({ name: added.name, size: added.size, steps: [...added.steps] }, { name: 'b', size: 2, steps: [4, 6] });
    assert.deepEqual(r.allSpikes().map((s) => [s.name, s.size, [...s.neurons]]), [['b', 2, [1, 0]]]);
  });

  it('model helpers: simulate blocks, population places, data files, units', () => {
    const text = readFileSync(path.join(repoRoot, 'examples', 'coba.snn'), 'utf8');
    const uri = URI.file(path.join(repoRoot, 'examples', 'coba.snn')).toString();
    const blocks = simulateBlocks(text);
    assert.equal(blocks.length, 1);
    assert.equal(text.slice(blocks[0].start, blocks[0].keywordEnd), 'simulate');
    assert.ok(blocks[0].hasDuration);
    assert.equal(simulateBlocks('simulate { dt: 0.1 ms }')[0].hasDuration, false);
    assert.deepEqual(simulateBlocks('}{ garbage (( '), []);
    const place = populationPlace(uri, text, 'inh', distPrelude)!;
    assert.equal(text.split('\n')[place.start.line].slice(place.start.character, place.end.character), 'inh');
    assert.equal(populationPlace(uri, text, 'nope', distPrelude), undefined);
    const loaded = loadModel(uri, text, distPrelude);
    assert.ok(loaded.ok);
    assert.equal(traceUnit(loaded.ir, 'exc', 'v'), 'V');
    assert.deepEqual(dataFiles(loaded.ir), []);
    const broken = loadModel(uri, text.replace('-55 mV', '-55 nS'), distPrelude);
    assert.ok(!broken.ok && broken.errors.length > 0);
    assert.equal(unitSymbol([-2, -1, 3, 2, 0, 0, 0]), 'S');
    assert.equal(unitSymbol([0, 0, 0, 0, 0, 0, 0]), '');
    assert.equal(unitSymbol([1, 0, -2, 0, 0, 0, 0]), 'm·s^-2');
  });
});

describe('streaming from the worker', () => {
  ensureBuilt();
  const coba = () => {
    const text = readFileSync(path.join(repoRoot, 'examples', 'coba.snn'), 'utf8');
    const r = loadModel(URI.file(path.join(repoRoot, 'examples', 'coba.snn')).toString(), text, distPrelude);
    assert.ok(r.ok);
    return r.ir;
  };

  it('progress deltas plus the tail are exactly the run’s spikes and samples', async () => {
    const ir = coba();
    const got = new Map<string, number[]>();
    const samples = new Map<string, number>();
    let messages = 0;
    const h = startRun(ir, { seed: 2, duration: 0.6, stream: true, progressEveryMs: 20 }, (_d, _t, _s, delta) => {
      if (!delta) return;
      messages++;
      for (const s of delta.spikes) got.set(s.name, [...(got.get(s.name) ?? []), ...s.steps]);
      for (const t of delta.traces) {
        assert.equal(t.from, samples.get(t.variable) ?? 0, 'trace deltas follow each other without gaps');
        samples.set(t.variable, t.from + t.data.length / t.neurons.length);
      }
    }, distWorker);
    const out = await h.result;
    assert.ok(messages >= 2, `only ${messages} progress messages with data`);
    for (const s of out.spikes) {
      const streamed = got.get(s.name) ?? [];
      assert.ok(streamed.length > 0 && streamed.length <= s.steps.length);
      assert.deepEqual(streamed, [...s.steps.subarray(0, streamed.length)], `${s.name}: streamed spikes differ from the output`);
    }
    assert.ok((samples.get('v') ?? 0) > 0);
  });

  it('the plan publishes its population order: on the first delta only and in the output; spike sources after the populations, current steps left out', async () => {
    const text = [
      'model order',
      'input cue = spike_array[4] { times: [1 ms, 2 ms, 3 ms]; indices: [0, 1, 3] }',
      'population b = LIF[7]',
      'input kick = current_step { target: b[0..2].I_e; times: [1 ms]; values: [0.5 nA] }',
      'input noise = poisson[5] { rate: 200 Hz }',
      'population a = LIF[3]',
      'connect noise -> a { rule: all_to_all; weight: 0.5 mV; target: v }',
      'simulate { dt: 0.1 ms; duration: 2 s; seed: 1 }',
    ].join('\n');
    const loaded = loadModel(URI.file(path.join(repoRoot, 'order.snn')).toString(), text, distPrelude);
    assert.ok(loaded.ok, JSON.stringify(!loaded.ok && loaded.errors));
    const ir = loaded.ir;
    const published: unknown[] = [];
    let deltas = 0;
    const h = startRun(ir, { seed: 1, stream: true, progressEveryMs: 5 }, (_d, _t, _s, delta) => {
      if (!delta) return;
      deltas++;
      if (delta.populations) published.push(delta.populations);
    }, distWorker);
    const out = await h.result;
    const expected = [{ name: 'b', size: 7 }, { name: 'a', size: 3 }, { name: 'cue', size: 4 }, { name: 'noise', size: 5 }];
    assert.deepEqual(out.populations, expected);
    assert.ok(deltas >= 2, `only ${deltas} progress messages with data`);
    assert.deepEqual(published, [expected], 'the first delta carries the order, no later one');
    assert.deepEqual(out.spikes.map((s) => [s.name, s.size]), expected.map((p) => [p.name, p.size]), 'spikes in the plan order');
  });

  it('the worker transfers the buffers of every spike and sample it sends (deltas and output): none is copied on the way', async () => {
    const sent: { m: FromWorker; transfer: ArrayBuffer[] }[] = [];
    handle(
      { type: 'run', ir: coba(), options: { seed: 2, duration: 0.1, stream: true, progressEveryMs: 0, backend: 'wasm' }, cancel: new SharedArrayBuffer(4) },
      { postMessage: (m, transfer = []) => sent.push({ m, transfer }) },
    );
    // The run's answer comes after its readouts are scored (asynchronously: ONNX readouts).
    for (let i = 0; i < 2000 && !sent.some((x) => x.m.type === 'done' || x.m.type === 'failed'); i++) await new Promise((r) => setTimeout(r, 5));
    const done = sent.find((x) => x.m.type === 'done');
    assert.ok(done && done.m.type === 'done');
    const deltas = sent.filter((x) => x.m.type === 'progress' && x.m.delta);
    assert.ok(deltas.length >= 2, `${deltas.length} progress messages with data`);
    let spikes = 0;
    const check = (what: string, arrays: { buffer: ArrayBufferLike }[], transfer: ArrayBuffer[]) => {
      for (const a of arrays) assert.ok(transfer.includes(a.buffer as ArrayBuffer), `${what}: a buffer is not transferred`);
    };
    for (const { m, transfer } of deltas) {
      if (m.type !== 'progress' || !m.delta) continue;
      spikes += m.delta.spikes.reduce((a, s) => a + s.steps.length, 0);
      check('delta', [...m.delta.spikes.flatMap((s) => [s.steps, s.neurons]), ...m.delta.traces.map((t) => t.data)], transfer);
    }
    assert.ok(spikes > 0, 'the deltas hold spikes');
    check('output', [...done.m.output.spikes.flatMap((s) => [s.steps, s.neurons]), ...done.m.output.traces.map((t) => t.data)], done.transfer);
    assert.deepEqual(done.m.output.populations, [{ name: 'exc', size: 3200 }, { name: 'inh', size: 800 }]);
  });

  it('terminate() ends a run at once, even while it builds', async () => {
    const h = startRun(coba(), { seed: 2, duration: 100, stream: true }, undefined, distWorker);
    const t0 = performance.now();
    await h.terminate();
    await assert.rejects(h.result, (e: unknown) => e instanceof RunTerminated);
    assert.ok(performance.now() - t0 < 200, `terminate took ${(performance.now() - t0).toFixed(0)} ms`);
  });
});
