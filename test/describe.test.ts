// Describe Neurons (issue 17): the analysis core on planted ground truth (groups responding to A;
// B; A AND NOT B; A OR B; the onset of A; a rebound after B; the delay epoch; unresponsive
// units), the shuffled-label control, and an independent reference written here from the
// definitions (MILAN's PMI score, IoU, mutual information, Benjamini–Hochberg) with a naive
// enumeration of every short formula on a small case: none of it calls the core's helpers.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { buildAtoms, describeUnits, plantedActivity, plantedModelText, describeText, formulaString, modelWindows, spikeCounts, PLANTED_GROUPS, PLANTED_POPULATIONS, type WindowMeta } from '../sim-host/src/analysis/describe/index';
import { distCli, ensureBuilt, repoRoot } from './helpers/build';
import { descriptionsCsv, descriptionsView, populationHoverText, rasterHighlight } from '../sim-host/src/analysis/describe/index';
import { isRasterHighlight, isToRaster } from '../protocol/raster';
import { isDescribePanelMessage, isDescribePanelRequest } from '../protocol/describe-panel';
import { rowsOf } from '../webviews/describe/rows';

/** The test's own PRNG (mulberry32), independent of the engine's Philox. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const f1 = (got: string[], want: string[]): number => {
  const hit = got.filter((x) => want.includes(x)).length;
  return hit === 0 ? 0 : (2 * hit) / (got.length + want.length);
};

describe('describe: planted ground truth', () => {
  for (const seed of [7, 11]) {
    it(`every planted group is described by its atoms (F1 ≥ 0.9) and unresponsive units are unselective (seed ${seed})`, () => {
      const p = plantedActivity({ seed });
      const r = describeUnits(p.activity, buildAtoms(p.windows), { seed });
      for (const g of p.groups) {
        if (g.atoms.length === 0) {
          const unsel = g.units.filter((u) => !r.units[u].selective).length / g.units.length;
          assert.ok(unsel >= 0.95, `unresponsive units called unselective: ${(unsel * 100).toFixed(1)} %`);
          continue;
        }
        const mean = g.units.reduce((s, u) => s + (r.units[u].selective ? f1(r.units[u].atoms, g.atoms) : 0), 0) / g.units.length;
        const seen = [...new Set(g.units.map((u) => r.units[u].formula))].slice(0, 4).join(' | ');
        assert.ok(mean >= 0.9, `group ${g.name}: atom F1 ${mean.toFixed(3)} (formulas: ${seen})`);
      }
      // The groups of the result: the planted formulas are among the largest groups.
      const top = r.groups.slice(0, 7).map((g) => g.formula);
      for (const want of ['A', 'B', 'A AND NOT B', 'A OR B', 'onset(A)', 'after(B)', 'epoch=delay']) assert.ok(top.includes(want), `${want} among the largest groups: ${top.join(', ')}`);
    });
  }

  it('with the window labels shuffled, at most 5 % of units get a description at p < 0.05', () => {
    for (const seed of [7, 12]) {
      const p = plantedActivity({ seed });
      const rand = mulberry32(seed);
      const labels = p.windows.map((w) => w.labels);
      for (let i = labels.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [labels[i], labels[j]] = [labels[j], labels[i]];
      }
      const shuffled: WindowMeta[] = p.windows.map((w, i) => ({ ...w, labels: labels[i] }));
      const r = describeUnits(p.activity, buildAtoms(shuffled), { seed, permutations: 400 });
      const described = r.units.filter((d) => d.selective && d.p < 0.05).length / r.units.length;
      assert.ok(described <= 0.05, `shuffled labels (seed ${seed}): ${(described * 100).toFixed(1)} % described`);
      // And the raw p-values are calibrated: about 5 % below 0.05 (not a flood of small ones).
      const raw = r.units.filter((d) => d.p < 0.05).length / r.units.length;
      assert.ok(raw <= 0.12, `raw p < 0.05 under shuffling: ${(raw * 100).toFixed(1)} %`);
    }
  });

  it('a unit that barely fires is unselective and is never given a label', () => {
    const windows: WindowMeta[] = Array.from({ length: 100 }, (_, i) => ({ start: i * 0.1, end: (i + 1) * 0.1, labels: i % 2 ? ['A'] : ['B'] }));
    const counts = new Float32Array(100);
    counts[1] = 3;
    counts[3] = 2;
    const r = describeUnits({ units: 1, windows: 100, counts }, buildAtoms(windows), { permutations: 50 });
    assert.equal(r.units[0].selective, false);
    assert.equal(r.units[0].reason, 'too few active windows');
    assert.equal(r.groups.length, 0);
  });

  it('readable text says what the formula says', () => {
    const windows: WindowMeta[] = [
      { start: 0, end: 1, labels: ['A', 'epoch=cue'] },
      { start: 1, end: 2, labels: ['epoch=delay'] },
      { start: 2, end: 3, labels: ['B', 'epoch=delay'] },
      { start: 3, end: 4, labels: ['stimulus = left'] },
      { start: 4, end: 5, labels: [] },
      { start: 5, end: 6, labels: ['epoch=cue'] },
    ];
    const set = buildAtoms(windows);
    const idx = (name: string) => {
      const i = set.atoms.findIndex((a) => a.name === name);
      assert.ok(i >= 0, `atom ${name} in ${set.atoms.map((a) => a.name).join(', ')}`);
      return i;
    };
    assert.equal(describeText(set.atoms, { atoms: [idx('A'), idx('B')], ops: [2] }), 'fires during `A`, not during `B`');
    assert.equal(describeText(set.atoms, { atoms: [idx('epoch=delay'), idx('after(A)')], ops: [0] }), 'fires during the `delay` epoch and the window right after `A`');
    assert.equal(describeText(set.atoms, { atoms: [idx('A'), idx('B'), idx('stimulus=left')], ops: [1, 2] }), 'fires during (`A` or `B`), not during `stimulus` = `left`');
    assert.equal(formulaString(set.atoms, { atoms: [idx('A'), idx('B'), idx('epoch=cue')], ops: [1, 0] }), '(A OR B) AND epoch=cue');
  });
});

describe('describe: independent reference (definitions, naive enumeration)', () => {
  // A small case: 40 windows, four labels drawn at random, no temporal atoms; units with distinct
  // counts (no ties), so the exemplars are exactly the top k.
  const N = 40;
  const K = 8;
  const LAMBDA = 0.2;
  const ALPHA = 1;
  const GAMMA = 0.03;
  const make = (seed: number) => {
    const rand = mulberry32(seed);
    const names = ['x', 'y', 'z', 'w'];
    const has = names.map(() => Array.from({ length: N }, () => rand() < 0.35));
    const windows: WindowMeta[] = Array.from({ length: N }, (_, i) => ({ start: i, end: i + 1, labels: names.filter((_, a) => has[a][i]) }));
    return { names, has, windows, rand };
  };
  /** Every left-deep formula of up to 3 distinct atoms with AND / OR / AND NOT, as masks. */
  const enumerate = (has: boolean[][]) => {
    const out: { text: string; mask: boolean[]; length: number }[] = [];
    const atoms = has.map((m, a) => ({ a, m })).filter(({ m }) => m.some(Boolean) && !m.every(Boolean));
    const ops: [string, (p: boolean, q: boolean) => boolean][] = [
      ['AND', (p, q) => p && q],
      ['OR', (p, q) => p || q],
      ['AND NOT', (p, q) => p && !q],
    ];
    const grow = (text: string, mask: boolean[], used: number[]) => {
      out.push({ text, mask, length: used.length });
      if (used.length === 3) return;
      for (const { a, m } of atoms) {
        if (used.includes(a)) continue;
        for (const [name, f] of ops) grow(`(${text} ${name} ${a})`, mask.map((v, i) => f(v, m[i])), [...used, a]);
      }
    };
    for (const { a, m } of atoms) grow(String(a), m, [a]);
    return out;
  };

  it('the winner and its score, IoU and mutual information agree with a brute-force reference', () => {
    for (let seed = 1; seed <= 6; seed++) {
      const { has, windows, rand } = make(seed);
      const formulas = enumerate(has);
      // A unit that prefers one random formula's windows, with distinct counts.
      const planted = formulas[Math.floor(rand() * formulas.length)];
      const order = Array.from({ length: N }, (_, i) => i).sort(() => rand() - 0.5);
      const counts = new Float32Array(N);
      order.forEach((w, r) => (counts[w] = 1 + r + (planted.mask[w] && rand() < 0.9 ? 100 : 0)));
      const result = describeUnits({ units: 1, windows: N, counts }, buildAtoms(windows, { temporal: false }), {
        exemplars: K,
        beam: 10_000,
        maxLength: 3,
        lambda: LAMBDA,
        alpha: ALPHA,
        lengthPenalty: GAMMA,
        permutations: 20,
        seed,
      });
      const exemplars = Array.from({ length: N }, (_, i) => i).sort((a, b) => counts[b] - counts[a]).slice(0, K);
      let best = { score: -Infinity, mask: [] as boolean[], text: '' };
      for (const f of formulas) {
        const hits = exemplars.filter((w) => f.mask[w]).length;
        const base = f.mask.filter(Boolean).length;
        if (base === 0) continue;
        const score = Math.log((hits + ALPHA) / (K + 2 * ALPHA)) - LAMBDA * Math.log((base + ALPHA) / (N + 2 * ALPHA)) - GAMMA * (f.length - 1);
        if (score > best.score + 1e-12) best = { score, mask: f.mask, text: f.text };
      }
      const d = result.units[0];
      assert.deepEqual(d.exemplars.slice().sort((a, b) => a - b), exemplars.slice().sort((a, b) => a - b), `seed ${seed}: exemplars`);
      assert.ok(Math.abs(d.score - best.score) < 1e-9, `seed ${seed}: score ${d.score} vs reference ${best.score} (${best.text}; core ${d.formula})`);
      // IoU with the unit's top-|d| windows, from the definition.
      const size = best.mask.filter(Boolean).length;
      const top = new Set(Array.from({ length: N }, (_, i) => i).sort((a, b) => counts[b] - counts[a]).slice(0, size));
      const inter = best.mask.filter((v, i) => v && top.has(i)).length;
      assert.ok(Math.abs(d.iou - inter / (2 * size - inter)) < 1e-9, `seed ${seed}: IoU ${d.iou} vs ${inter / (2 * size - inter)}`);
      // Mutual information between the clipped count and the formula, plug-in, in bits.
      const xs = Array.from(counts, (c) => Math.min(63, Math.floor(c)));
      let mi = 0;
      for (const x of new Set(xs)) {
        for (const v of [false, true]) {
          const pj = xs.filter((y, i) => y === x && best.mask[i] === v).length / N;
          const px = xs.filter((y) => y === x).length / N;
          const pv = best.mask.filter((m) => m === v).length / N;
          if (pj > 0) mi += pj * Math.log2(pj / (px * pv));
        }
      }
      assert.ok(Math.abs(d.mi - mi) < 1e-9, `seed ${seed}: MI ${d.mi} vs ${mi}`);
    }
  });

  it('Benjamini–Hochberg q-values match the definition (min over ranks ≥ r of p·m/rank)', () => {
    const rand = mulberry32(5);
    const windows: WindowMeta[] = Array.from({ length: N }, (_, i) => ({ start: i, end: i + 1, labels: rand() < 0.5 ? ['x'] : ['y', 'z'] }));
    const units = 30;
    const counts = new Float32Array(units * N);
    for (let u = 0; u < units; u++) for (let w = 0; w < N; w++) counts[u * N + w] = Math.floor(rand() * 6) + (u < 10 && windows[w].labels[0] === 'x' ? 5 : 0);
    const r = describeUnits({ units, windows: N, counts }, buildAtoms(windows, { temporal: false }), { permutations: 200, exemplars: 10 });
    const p = r.units.map((d) => d.p);
    const sorted = p.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
    for (let r0 = 0; r0 < units; r0++) {
      let q = 1;
      for (let j = r0; j < units; j++) q = Math.min(q, (sorted[j][0] * units) / (j + 1));
      assert.ok(Math.abs(r.units[sorted[r0][1]].q - q) < 1e-12);
    }
    // The ten planted units are selective for x; p at the permutation floor.
    for (let u = 0; u < 10; u++) assert.equal(r.units[u].formula, 'x', `unit ${u}: ${r.units[u].formula}`);
  });
});

describe('describe: from a model and its run (spikeworks describe)', () => {
  ensureBuilt();
  const cli = (args: string[]) => spawnSync(process.execPath, [distCli, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  const example = path.join(repoRoot, 'examples', 'planted_selectivity.snn');

  it('examples/planted_selectivity.snn is the generator\'s output', () => {
    assert.equal(fs.readFileSync(example, 'utf8'), plantedModelText());
  });

  it('the simulated spikes of the planted example are described by their planted atoms (end to end)', () => {
    const r = cli(['describe', example, '--format', 'json']);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { windows: number; populations: { population: string; units: { selective: boolean; atoms: string[]; formula: string }[] }[] };
    assert.equal(out.windows, 360);
    PLANTED_POPULATIONS.forEach((name, gi) => {
      const pop = out.populations.find((p) => p.population === name)!;
      if (gi === PLANTED_GROUPS.length) {
        const unsel = pop.units.filter((u) => !u.selective).length / pop.units.length;
        assert.ok(unsel >= 0.95, `${name}: ${(unsel * 100).toFixed(0)} % unselective`);
        return;
      }
      const want = PLANTED_GROUPS[gi].atoms;
      const mean = pop.units.reduce((s, u) => s + (u.selective ? f1(u.atoms, want) : 0), 0) / pop.units.length;
      assert.ok(mean >= 0.9, `${name} (${PLANTED_GROUPS[gi].name}): F1 ${mean.toFixed(3)}: ${pop.units.map((u) => u.formula).join(' | ')}`);
    });
  });

  it('the human table groups neurons by description', () => {
    const r = cli(['describe', example, '--population', 'a_not_b_cells', '--permutations', '200']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /a_not_b_cells: \d+ of 20 neurons described/);
    assert.match(r.stdout, /A AND NOT B +\d+ +[\d.]+ +fires during `A`, not during `B`/);
  });

  it('bad input says what to add, at the model\'s line and column', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-describe-'));
    try {
      const base = ['model m', 'population exc = LIF[10]', 'input cue = poisson[5] { rate: 10 Hz }'];
      const write = (name: string, lines: string[]) => {
        const f = path.join(dir, name);
        fs.writeFileSync(f, lines.join('\n') + '\n');
        return f;
      };
      const none = cli(['describe', write('none.snn', [...base, 'probe spikes(exc)', 'simulate { dt: 0.1 ms; duration: 200 ms }'])]);
      assert.equal(none.status, 1);
      assert.match(none.stderr, /none\.snn:5:1: error: the model has no task windows and no concepts.*add a task/);
      const late = cli(['describe', write('late.snn', [...base, 'task t {', '  stimulus: cue', '  window 0 ms .. 100 ms: "A"', '  window 100 ms .. 300 ms: "B"', '}', 'probe spikes(exc)', 'simulate { dt: 0.1 ms; duration: 200 ms }'])]);
      assert.equal(late.status, 1);
      assert.match(late.stderr, /late\.snn:7:3: error: window 2 of task t \(100 ms \.\. 300 ms\) ends after the run \(200 ms\)/);
      const task = ['task t {', '  stimulus: cue', ...Array.from({ length: 10 }, (_, i) => `  window ${i * 20} ms .. ${(i + 1) * 20} ms: "${i % 2 ? 'A' : 'B'}"`), '}'];
      const unrecorded = cli(['describe', write('unrecorded.snn', [...base, ...task, 'simulate { dt: 0.1 ms; duration: 200 ms }'])]);
      assert.equal(unrecorded.status, 1);
      assert.match(unrecorded.stderr, /unrecorded\.snn:\d+:1: error: no population's spikes are recorded: add probe spikes\(exc\)/);
      const unknown = cli(['describe', write('ok.snn', [...base, ...task, 'probe spikes(exc)', 'simulate { dt: 0.1 ms; duration: 200 ms }']), '--population', 'inh']);
      assert.equal(unknown.status, 1);
      assert.match(unknown.stderr, /no population inh in the model \(populations: exc\)/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('windows and counts from a model: concepts label overlapping windows; spikes counted in [start, end)', () => {
    const w = modelWindows(
      {
        tasks: [{ name: 't', stimuli: ['cue'], windows: [{ from: 0, to: 0.1, label: 'A' }, { from: 0.1, to: 0.2, label: 'B', labels: ['B', 'epoch=delay'] }] }],
        concepts: [{ name: 'edge', stimulus: 'cue', from: 0.12, to: 0.3 }],
      },
      1,
    );
    assert.deepEqual(w.windows.map((x) => x.labels), [['A'], ['B', 'epoch=delay', 'edge']]);
    const counts = spikeCounts({ name: 'p', size: 2, steps: Int32Array.from([0, 999, 1000, 1500, 2000]), neurons: Int32Array.from([0, 0, 1, 1, 1]) }, 1e-4, w.windows);
    assert.deepEqual(Array.from(counts), [2, 0, 0, 2]);
    const bins = modelWindows({ tasks: [], concepts: [{ name: 'edge', stimulus: 'cue', from: 0.1, to: 0.2 }] }, 0.5, 0.1);
    assert.deepEqual(bins.windows.map((x) => x.labels.join()), ['', 'edge', '', '', '']);
  });
});

describe('describe: the Descriptions panel\'s data', () => {
  const p = plantedActivity({ seed: 7, perGroup: 10, unresponsive: 20 });
  const result = describeUnits(p.activity, buildAtoms(p.windows), { seed: 7, permutations: 200 });
  const view = descriptionsView('planted', p.windows, 'trials', 12, [{ population: 'cells', result }]);

  it('groups carry their neurons, mean scores and the first neuron\'s exemplar windows in seconds', () => {
    assert.ok(isDescribePanelMessage({ type: 'descriptions', view }));
    const g = view.populations[0].groups.find((x) => x.formula === 'A AND NOT B')!;
    assert.ok(g.units.length >= 9, `${g.units.length}`);
    const first = result.units[g.units[0]];
    assert.deepEqual(g.exemplars, first.exemplars.map((w) => [p.windows[w].start, p.windows[w].end]));
    assert.equal(view.populations[0].unselective, result.units.filter((u) => !u.selective).length);
  });

  it('malformed messages are refused; requests are only ready and export csv/json', () => {
    assert.equal(isDescribePanelMessage({ type: 'descriptions', view: { ...view, windows: '360' } }), false);
    const bad = JSON.parse(JSON.stringify(view));
    bad.populations[0].groups[0].exemplars = [[0]];
    assert.equal(isDescribePanelMessage({ type: 'descriptions', view: bad }), false);
    assert.ok(isDescribePanelRequest({ type: 'export', format: 'json' }));
    assert.equal(isDescribePanelRequest({ type: 'export', format: 'html' }), false);
  });

  it('rows filter on population, formula and text, and sort by score, neurons or formula', () => {
    const onset = rowsOf(view, 'ONSET', 'score');
    assert.ok(onset.length >= 1 && onset.every((r) => /onset/i.test(r.group.formula + r.group.text)));
    const byScore = rowsOf(view, '', 'score').map((r) => r.group.meanScore);
    assert.deepEqual(byScore, [...byScore].sort((a, b) => b - a));
    const byNeurons = rowsOf(view, '', 'neurons').map((r) => r.group.units.length);
    assert.deepEqual(byNeurons, [...byNeurons].sort((a, b) => b - a));
    assert.equal(rowsOf(view, 'no such thing', 'score').length, 0);
  });

  it('the hover over a population lists its main descriptions, largest groups first', () => {
    const text = populationHoverText(view, 'cells', 3)!;
    const lines = text.split('\n');
    assert.match(lines[0], /^Describe Neurons \(planted\): \d+ of 90 neurons of cells described, \d+ unselective$/);
    assert.equal(lines.length, 5);
    assert.match(lines[1], /^\d+ × .+: fires during /);
    assert.match(lines[4], /more in the Descriptions panel/);
    assert.equal(populationHoverText(view, 'other'), undefined);
  });

  it('the CSV has one row per neuron; a formula-like cell is quoted and defused', () => {
    const csv = descriptionsCsv([{ population: '=cmd', result }]).trim().split('\n');
    assert.equal(csv.length, 1 + result.units.length);
    assert.equal(csv[0], 'population,neuron,selective,formula,text,score,iou,mi_bits,p,q');
    assert.ok(csv[1].startsWith(`"'=cmd",0,`), csv[1]);
  });

  it('a row\'s raster highlight: the group\'s neurons and exemplar windows, a typed message checked on arrival', () => {
    const g = view.populations[0].groups.find((x) => x.formula === 'A AND NOT B')!;
    const h = rasterHighlight(view, 'cells', 'A AND NOT B')!;
    assert.deepEqual(h, { population: 'cells', units: g.units, windows: g.exemplars, label: 'A AND NOT B' });
    assert.ok(h.windows.length > 0 && h.windows.every(([a, b]) => a < b));
    assert.equal(rasterHighlight(view, 'cells', 'no such formula'), undefined);
    assert.equal(rasterHighlight(view, 'other', 'A AND NOT B'), undefined);
    assert.ok(isToRaster({ type: 'highlight', runId: 'r', highlight: h }));
    assert.ok(isToRaster({ type: 'highlight', runId: 'r', highlight: null }));
    assert.ok(isToRaster({ type: 'cursor', time: 0.1 }), 'the run\'s own messages still pass');
    for (const bad of [{ ...h, units: [1.5] }, { ...h, units: [-1] }, { ...h, windows: [[0.2, 0.1]] }, { ...h, windows: [[0, Infinity]] }, { ...h, label: 3 }, { ...h, population: undefined }]) {
      assert.equal(isRasterHighlight(bad), false, JSON.stringify(bad));
      assert.equal(isToRaster({ type: 'highlight', runId: 'r', highlight: bad }), false);
    }
    assert.equal(isToRaster({ type: 'highlight', highlight: h }), false, 'a highlight names its run');
    assert.ok(isDescribePanelRequest({ type: 'raster', population: 'cells', formula: 'A' }));
    assert.equal(isDescribePanelRequest({ type: 'raster', population: 'cells' }), false);
  });
});
