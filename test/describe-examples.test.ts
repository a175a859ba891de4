// Describe Neurons on the research examples (issue 17: "the research examples get descriptions
// that say what their papers say"), end to end through `spikeworks describe --format json`:
// ring-attractor cells by preferred heading, checked against the ring's own index → angle map
// (cell k sits at 360°·k/512, the planted truth, not our analysis); NALSM liquid cells by digit,
// checked against each cell's mean response per digit counted from the run (its best digit).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { buildAtoms, describeUnits, modelWindows } from '../sim-host/src/analysis/describe/index';
import { distCli, ensureBuilt, repoRoot } from './helpers/build';
import { counts, loadExample, runIR } from './examples/helpers';

interface DescribedUnit {
  unit: number;
  selective: boolean;
  formula: string;
  p: number;
  q: number;
}
interface Described {
  windows: number;
  populations: { population: string; units: DescribedUnit[] }[];
}

/** The labels a formula asks for (not those after AND NOT), temporal atoms unwrapped: `sustained(heading=45)` → `heading=45`. */
export function positiveLabels(formula: string): string[] {
  const tokens = formula.split(/ (AND NOT|AND|OR) /);
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i += 2) {
    if (i > 0 && tokens[i - 1] === 'AND NOT') continue;
    let t = tokens[i];
    const count = (c: string) => t.split(c).length - 1;
    // Grouping parentheses (formulaString wraps a leading run): unbalanced ones at either end.
    while (t.startsWith('(') && count('(') > count(')')) t = t.slice(1);
    while (t.endsWith(')') && count(')') > count('(')) t = t.slice(0, -1);
    out.push(t.replace(/^(onset|sustained|after)\((.*)\)$/, '$2'));
  }
  return out;
}

const circ = (a: number, b: number) => Math.abs(((((a - b) % 360) + 540) % 360) - 180);

/** Circular mean of angles in degrees. */
function circularMean(deg: number[]): number {
  const x = deg.reduce((s, d) => s + Math.cos((d * Math.PI) / 180), 0);
  const y = deg.reduce((s, d) => s + Math.sin((d * Math.PI) / 180), 0);
  return ((Math.atan2(y, x) * 180) / Math.PI + 360) % 360;
}

function describeExample(file: string, extra: string[] = []): Described {
  const r = spawnSync(process.execPath, [distCli, 'describe', path.join(repoRoot, 'examples', file), '--format', 'json', ...extra], { cwd: repoRoot, encoding: 'utf8', timeout: 300_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Described;
}

describe('describe: the research examples say what their papers say', { timeout: 600_000 }, () => {
  ensureBuilt();

  it('positiveLabels reads a formula\'s asked-for labels', () => {
    assert.deepEqual(positiveLabels('heading=45'), ['heading=45']);
    assert.deepEqual(positiveLabels('sustained(heading=0) OR heading=315'), ['heading=0', 'heading=315']);
    assert.deepEqual(positiveLabels('(heading=0 OR heading=45) AND NOT onset(heading=45)'), ['heading=0', 'heading=45']);
    assert.deepEqual(positiveLabels('A AND NOT B'), ['A']);
  });

  it('ring_attractor.snn: cells are described by their preferred heading, which matches their place on the ring (≥ 90 %)', () => {
    const out = describeExample('ring_attractor.snn', ['--population', 'exc']);
    assert.equal(out.windows, 128, 'the heading tour: 8 headings × 2 visits × 8 windows');
    const exc = out.populations.find((p) => p.population === 'exc')!;
    const N = exc.units.length;
    assert.equal(N, 512);
    const described = exc.units.filter((u) => u.selective);
    let match = 0;
    const misses: string[] = [];
    const errors: number[] = [];
    for (const u of described) {
      const angle = (360 * u.unit) / N;
      const headings = positiveLabels(u.formula).map((l) => /^heading=(\d+)$/.exec(l)).filter((m): m is RegExpExecArray => !!m).map((m) => Number(m[1]));
      // The described preferred heading: its one heading, or the middle of the headings it names.
      const preferred = headings.length ? circularMean(headings) : NaN;
      const err = circ(preferred, angle);
      errors.push(err);
      // Within half the 45° spacing of the cued headings: the nearest heading, or the two it lies between.
      if (headings.length && err <= 22.5) match++;
      else misses.push(`${u.unit} (${angle.toFixed(1)}°): ${u.formula}`);
    }
    const frac = match / described.length;
    const sorted = [...errors].filter(Number.isFinite).sort((a, b) => a - b);
    console.log(`  ring: ${described.length} of ${N} cells described, ${match} (${(100 * frac).toFixed(1)} %) by a heading within 22.5° of their place; median error ${sorted[sorted.length >> 1]?.toFixed(1)}°; misses: ${misses.slice(0, 5).join(' | ')}`);
    assert.ok(described.length >= 0.5 * N, `only ${described.length} of ${N} cells described`);
    assert.ok(frac >= 0.9, `${(100 * frac).toFixed(1)} % match: ${misses.slice(0, 10).join(' | ')}`);
    // Each of the 8 cued headings describes the 40 cells it was cued on (the bump's centre there).
    for (const h of [0, 45, 90, 135, 180, 225, 270, 315]) {
      const centre = Math.round((h * N) / 360);
      const cued = Array.from({ length: 40 }, (_, i) => (centre - 20 + i + N) % N);
      const named = cued.filter((k) => { const u = exc.units[k]; return u.selective && positiveLabels(u.formula).includes(`heading=${h}`); }).length;
      assert.ok(named >= 36, `heading ${h}: ${named} of its 40 cued cells name it`);
    }
  });

  it('lsm_astro_stdp.snn: liquid cells are described by the digits they answer most (their measured mean response)', () => {
    const ir = loadExample('lsm_astro_stdp');
    const win = modelWindows(ir, ir.simulate.duration);
    assert.equal(win.windows.length, 120, '4 digits × 30 repetitions');
    const run = runIR(ir, { seed: 1 });
    // Spikes per cell per window, counted from the run (not by the analysis' own counter).
    const N = ir.populations.find((p) => p.name === 'exc')!.size;
    const W = win.windows.length;
    const perWindow = win.windows.map((w) => counts(run, 'exc', w.start, w.end));
    const activity = new Float32Array(N * W);
    for (let u = 0; u < N; u++) for (let w = 0; w < W; w++) activity[u * W + w] = perWindow[w][u];
    const digitOf = win.windows.map((w) => w.labels[0]);
    // Which digits an atom's windows show: a label its own; after(d) the windows right after d's.
    const digitsOfLabel = (label: string): Set<string> => {
      const after = /^after\((.*)\)$/.exec(label);
      if (!after) return new Set([label]);
      return new Set(win.windows.flatMap((w, i) => (i > 0 && digitOf[i - 1] === after[1] && Math.abs(win.windows[i - 1].end - w.start) < 1e-9 ? [digitOf[i]] : [])));
    };
    const result = describeUnits({ units: N, windows: W, counts: activity }, buildAtoms(win.windows), { seed: 1 });
    const described = result.units.filter((u) => u.selective);
    let best = 0;
    let above = 0;
    const misses: string[] = [];
    for (const u of described) {
      const mean = new Map<string, number>();
      for (const d of ['0', '1', '2', '3']) {
        const ws = digitOf.flatMap((x, i) => (x === d ? [i] : []));
        mean.set(d, ws.reduce((s, w) => s + activity[u.unit * W + w], 0) / ws.length);
      }
      const top = [...mean.entries()].sort((a, b) => b[1] - a[1])[0][0];
      const named = new Set(positiveLabels(u.formula).flatMap((l) => [...digitsOfLabel(l.replace(/^(onset|sustained)\((.*)\)$/, '$2'))]));
      if (named.has(top)) best++;
      else misses.push(`${u.unit}: ${u.formula} (best ${top}: ${[...mean.values()].map((m) => m.toFixed(2)).join('/')})`);
      const inside = [...named].map((d) => mean.get(d)!);
      const outside = [...mean.keys()].filter((d) => !named.has(d)).map((d) => mean.get(d)!);
      const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      if (!outside.length || avg(inside) > avg(outside)) above++;
      else misses.push(`${u.unit}: ${u.formula} answers its digits ${avg(inside).toFixed(2)}, the others ${avg(outside).toFixed(2)}`);
    }
    console.log(`  lsm: ${described.length} of ${N} liquid cells described; the best digit named by ${best} (${(100 * best / Math.max(1, described.length)).toFixed(1)} %), the named digits answered more than the others by ${above}; misses: ${misses.slice(0, 4).join(' | ') || 'none'}`);
    assert.ok(described.length >= 20, `only ${described.length} liquid cells described`);
    assert.ok(best >= 0.9 * described.length, `best digit named for ${best} of ${described.length}: ${misses.slice(0, 8).join(' | ')}`);
    assert.ok(above >= 0.9 * described.length, `the named digits answered more than the others by only ${above} of ${described.length}: ${misses.slice(0, 8).join(' | ')}`);
  });
});
