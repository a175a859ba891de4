// The Target Report panel's data and drawing, in Node: the plain-data report the worker sends
// (sim-host/src/target-report.ts) against the emulation it comes from and the chip's published
// limits, the message guards, the table cells, the per-core metrics and the chart's bars.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { isTargetReport, isTargetReportMessage, isTargetReportState, type TargetReport } from '../protocol/target-report';
import { emulateOnTarget } from '../sim-host/src/engine';
import { targetReport } from '../sim-host/src/target-report';
import type { Painter } from '../webviews/shared/painter';
import type { Theme } from '../webviews/shared/theme';
import { chartHeight, drawCores } from '../webviews/target-report/chart';
import { coreMetrics, energyLines, fidelityRows, quantRows, reportJson, titleLine } from '../webviews/target-report/model';
import { irOf } from './helpers/model';

const theme: Theme = { background: '#000', foreground: '#fff', muted: '#888', grid: '#444', focus: '#00f', cursor: '#fff', selection: '#333', highContrast: false, series: ['#00a', '#a00', '#0a0'] };
const OVER = '#f00';

/** A hand-made report: two cores of population a, one of b; core 1 over the input-axon limit. */
function handMade(): TargetReport {
  return {
    format: 'spikeworks-target-report/1', file: '<b>x</b>.snn', target: { name: 'chip', kind: 'loihi2', backend: 'loihi2-emu' }, seed: 1, dt: 1e-4, simulated_s: 0.1,
    fidelity: [
      { population: 'a', rate_float_hz: 10, rate_target_hz: 9, rate_error: -0.1, count_correlation: 0.5, van_rossum: 1 },
      { population: 'b', rate_float_hz: 0, rate_target_hz: 2, rate_error: null, count_correlation: null, van_rossum: 0.25 },
    ],
    resources: {
      neurons_per_core: 100, chips: 1, limits: { in_axons: 4096, out_axons: 4096, synapse_bits: 1_048_576 }, notes: [],
      cores: [
        { core: 0, population: 'a', first: 0, last: 99, in_axons: 1024, out_axons: 10, synapse_bits: 1000 },
        { core: 1, population: 'a', first: 100, last: 149, in_axons: 5000, out_axons: 20, synapse_bits: 2000 },
        { core: 2, population: 'b', first: 0, last: 9, in_axons: 2048, out_axons: 30, synapse_bits: 0 },
      ],
    },
    violations: [], energy: { source: 'none', j_per_sim_s: null, chip_s_per_sim_s: null },
    quantisation: [{ where: 'population a', what: 'τ → dv', ideal: 20.5, used: 20, error: 0.5 / 20.5 }], approximations: [],
  };
}

describe('Target Report panel', () => {
  it('the worker report is plain data matching the emulation, with the chip limits and every core', () => {
    const ir = irOf({ file: 'examples/cuba.snn' });
    const em = emulateOnTarget(ir, { duration: 0.05, baseDir: 'examples' }, 'chip');
    const r = targetReport(em, 'cuba.snn');
    assert.ok(isTargetReport(r));
    assert.deepEqual(JSON.parse(JSON.stringify(r)), r, 'survives JSON (no typed arrays, no undefined)');
    assert.deepEqual(r.fidelity.map((f) => [f.population, f.rate_float_hz, f.rate_target_hz]), em.fidelity.map((f) => [f.population, f.rate_float_hz, f.rate_target_hz]));
    // Loihi's per-core limits as published (nengo-loihi block.py): 4,096 axons each way, 2^20 synapse bits.
    assert.deepEqual(r.resources.limits, { in_axons: 4096, out_axons: 4096, synapse_bits: 2 ** 20 });
    // Every neuron of every population sits on exactly one core (the model's sizes).
    const sizes = new Map(ir.populations.map((p) => [p.name, p.size]));
    for (const [name, size] of sizes) {
      const held = r.resources.cores.filter((c) => c.population === name).reduce((a, c) => a + c.last - c.first + 1, 0);
      assert.equal(held, size, name);
    }
    const m = coreMetrics(r);
    assert.deepEqual(m.map((x) => x.label), ['neurons', 'input axons', 'output axons', 'synapse bits']);
    assert.ok(m[0].values.every((v) => v <= 128), 'neurons_per_core: 128 in cuba.snn');
    assert.equal(r.energy.source.includes('estimate'), true);
    assert.ok(r.energy.j_per_sim_s! > 0);
  });

  it('SpiNNaker: no axon limits drawn, the real-time slow-down noted, energy not estimated', () => {
    const em = emulateOnTarget(irOf({ file: 'examples/cuba.snn' }), { duration: 0.02, baseDir: 'examples' }, 'spin');
    const r = targetReport(em, 'cuba.snn');
    assert.ok(isTargetReport(r));
    assert.equal(r.resources.limits, null);
    assert.deepEqual(coreMetrics(r).map((x) => x.label), ['neurons']);
    assert.ok(coreMetrics(r)[0].values.every((v) => v <= 256));
    assert.ok(r.resources.notes.some((n) => /slow-down ×10 at dt 0\.1 ms/.test(n)), r.resources.notes.join('; '));
    assert.equal(r.energy.j_per_sim_s, null);
    assert.match(energyLines(r).figure, /Not estimated/);
  });

  it('SFQ: energy per inference without and with the cryocooler, one row per population, pulse by pulse', () => {
    const em = emulateOnTarget(irOf({ file: 'examples/sfq_xor.snn' }), { seed: 2 }, 'chip');
    const r = targetReport(em, 'sfq_xor.snn');
    assert.ok(isTargetReport(r));
    assert.deepEqual(JSON.parse(JSON.stringify(r)), r);
    assert.equal(r.target.kind, 'sfq');
    const pi = r.energy.per_inference!;
    assert.equal(pi.inferences, 4);
    assert.ok(pi.j > 0 && Math.abs(pi.j_with_cooling / pi.j - (1 + pi.cryo_overhead)) < 1e-12);
    assert.match(energyLines(r).figure, /per inference on the chip, .* with the cryocooler \(× 401\); 4 inferences/);
    assert.deepEqual(r.resources.cores.map((c) => c.population), ['h_or', 'h_and', 'out', 'in_a', 'in_b', 'in_b2'], 'plan order: populations, then sources');
    assert.match(titleLine(r), /emulated pulse by pulse by sfq-emu/);
    assert.ok(!isTargetReport({ ...r, energy: { ...r.energy, per_inference: { ...pi, j: '1' } } }), 'a malformed per_inference is dropped');
  });

  it('guards drop malformed messages and states', () => {
    const r = handMade();
    assert.ok(isTargetReportMessage({ type: 'report', document: 'file:///x.snn', report: r }));
    assert.ok(!isTargetReportMessage({ type: 'report', report: r }), 'document is required');
    assert.ok(!isTargetReportMessage({ type: 'report', document: 'x', report: { ...r, fidelity: [{ ...r.fidelity[0], rate_float_hz: '10' }] } }));
    assert.ok(!isTargetReportMessage({ type: 'report', document: 'x', report: { ...r, target: { ...r.target, kind: 'truenorth' } } }));
    assert.ok(!isTargetReportMessage({ type: 'report', document: 'x', report: { ...r, resources: { ...r.resources, cores: [{ core: 0 }] } } }));
    assert.ok(isTargetReportState({ document: 'x', report: r }));
    assert.ok(!isTargetReportState({ report: r }));
    assert.deepEqual(JSON.parse(reportJson(r)), r);
  });

  it('table cells: signed rate error, a dash where undefined, the quantisation error in percent', () => {
    const r = handMade();
    assert.deepEqual(fidelityRows(r), [
      ['a', '10.000', '9.000', '−10.00 %', '0.500', '1.000'],
      ['b', '0.000', '2.000', '–', '–', '0.250'],
    ]);
    assert.deepEqual(quantRows(r), [['population a', 'τ → dv', '20.5', '20', '2.44 %']]);
  });

  it('metrics mark the cores over their limit; the chart draws bars in proportion, the excess over a limit in the error colour', () => {
    const r = handMade();
    const m = coreMetrics(r);
    assert.deepEqual(m.find((x) => x.label === 'input axons')!.over, [1]);
    assert.deepEqual(m.find((x) => x.label === 'neurons')!.values, [100, 50, 10]);
    const rects: { x: number; y: number; w: number; h: number; fill: string }[] = [];
    const lines: { y1: number; y2: number; stroke: string; dash?: number[] }[] = [];
    const texts: string[] = [];
    const p: Painter = {
      rect: (x, y, w, h, fill) => void rects.push({ x, y, w, h, fill }),
      strokeRect: () => {},
      line: (_x1, y1, _x2, y2, stroke, _w, dash) => void lines.push({ y1, y2, stroke, dash }),
      polyline: () => {},
      polygon: () => {},
      text: (s) => void texts.push(s),
      measure: (s) => s.length * 6,
    };
    drawCores(p, r, 600, theme, OVER);
    // One bar per core per metric; the one over its limit (core 1's input axons) is two rects: up to the limit, the excess.
    const bars = rects.slice(1);
    assert.equal(bars.length, 4 * 3 + 1);
    for (const b of bars) assert.ok([b.x, b.y, b.w, b.h].every(Number.isFinite) && b.h >= 0 && b.y + b.h <= chartHeight(r));
    // Input axons (second strip): heights in proportion to 1024 : 5000 : 2048; the 5000 bar is 4096 in a's colour and 904 in the error colour.
    const axons = bars.slice(3, 7);
    const [a0, upTo, excess, b2] = axons;
    assert.ok(Math.abs(upTo.h / a0.h - 4096 / 1024) < 1e-9);
    assert.ok(Math.abs(excess.h / a0.h - 904 / 1024) < 1e-9);
    assert.ok(Math.abs(excess.y + excess.h - upTo.y) < 1e-9, 'the excess sits on the part up to the limit');
    assert.ok(Math.abs(b2.h / a0.h - 2) < 1e-9);
    assert.deepEqual(axons.map((b) => b.fill), ['#00a', '#00a', OVER, '#a00']);
    // The dashed limit line of that strip sits at 4096 on the same scale: its height above the base over the 1024 bar's is 4.
    const limits = lines.filter((l) => l.dash?.length);
    assert.equal(limits.length, 4);
    const base = axons[0].y + axons[0].h;
    assert.ok(Math.abs((base - limits[1].y1) / axons[0].h - 4) < 1e-9);
    assert.ok(texts.includes('limit 4,096'));
  });

  it('the page sets text from the model with textContent only (never markup)', () => {
    for (const f of fs.readdirSync('webviews/target-report').filter((x) => x.endsWith('.ts'))) {
      const src = fs.readFileSync(path.join('webviews/target-report', f), 'utf8');
      assert.ok(!/innerHTML|outerHTML|insertAdjacentHTML|document\.write/.test(src), f);
    }
  });
});
