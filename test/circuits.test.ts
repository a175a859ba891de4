// Circuit discovery (issue 18) on planted ground truth: a generated two-task network with a
// planted shared sub-circuit, task-specific parts and distractors. Each recovered circuit
// against the planted one (F1), the measured reuse against the planted reuse, the random-ablation
// control against the circuit's ablation, Merullo-style patching in the direction and size the
// construction predicts; an independent reference (circuit membership computed from the drawn
// synapses, neuron by neuron, not from any search) and a brute-force search over every subset
// on a tiny instance that the greedy search must agree with.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { isCircuitsResult, type CircuitsResult, type Intervention } from '../protocol/circuits';
import type { ModelIR } from '../protocol/ir';
import { checkThreshold, CircuitsError, modelComponents, plantedCircuitsText, PLANTED_CIRCUITS, searchOrder, tasksToAnalyse, circuitsText } from '../sim-host/src/analysis/circuits/index';
import { circuitsInProcess, localMeasurer } from '../sim-host/src/circuits-engine';
import { Simulation } from '../sim-host/src/engine';
import { repoRoot } from './helpers/build';
import { irOf } from './helpers/model';

const f1 = (got: string[], want: string[]): number => {
  const hit = got.filter((x) => want.includes(x)).length;
  return hit === 0 ? 0 : (2 * hit) / (got.length + want.length);
};
const inter = (a: string[], b: string[]) => a.filter((x) => b.includes(x));
const jaccard = (a: string[], b: string[]) => inter(a, b).length / new Set([...a, ...b]).size;
const overlap = (a: string[], b: string[]) => inter(a, b).length / Math.min(a.length, b.length);

const EXAMPLE = path.join(repoRoot, 'examples/two_task_circuits.snn');

/**
 * The circuit each task's construction implies, from the drawn synapses: a neuron or synapse is
 * on the task's path when it is reached from the task's stimulus through synapses strong enough
 * to make a spike alone (≥ 1 nA onto these LIF cells) and reaches the readout's population the
 * same way. A component belongs to the circuit when one of its neurons (or synapses) does.
 */
function constructionCircuits(ir: ModelIR): Record<string, string[]> {
  const sim = new Simulation(ir);
  const plan = sim.plan;
  const set = modelComponents(ir);
  type Syn = { pre: string; i: number; post: string; j: number; connection: number };
  const syns: Syn[] = [];
  plan.projs.forEach((pr, k) => {
    const { rowptr, col } = sim.connectivity(k);
    const w = sim.weights(k);
    for (let r = 0; r + 1 < rowptr.length; r++) {
      for (let s = rowptr[r]; s < rowptr[r + 1]; s++) {
        if (Math.abs(pr.constWeight ?? w[s]) >= 1e-9) syns.push({ pre: pr.source.name, i: pr.src[0] + r, post: pr.target.name, j: pr.tgt[0] + col[s], connection: pr.connection });
      }
    }
  });
  const key = (p: string, i: number) => `${p}:${i}`;
  const flood = (start: string[], forward: boolean) => {
    const seen = new Set(start);
    let frontier = start;
    while (frontier.length) {
      const next: string[] = [];
      for (const s of syns) {
        const [a, b] = forward ? [key(s.pre, s.i), key(s.post, s.j)] : [key(s.post, s.j), key(s.pre, s.i)];
        if (frontier.includes(a) && !seen.has(b)) {
          seen.add(b);
          next.push(b);
        }
      }
      frontier = next;
    }
    return seen;
  };
  const out: Record<string, string[]> = {};
  for (const r of ir.readouts) {
    const task = ir.tasks.find((t) => t.name === r.task)!;
    const size = (p: string) => plan.pops.find((x) => x.name === p)!.size;
    const from = flood(task.stimuli.flatMap((p) => Array.from({ length: size(p) }, (_, i) => key(p, i))), true);
    const to = flood(Array.from({ length: size(r.from) }, (_, i) => key(r.from, i)), false);
    const on = (p: string, i: number) => from.has(key(p, i)) && to.has(key(p, i));
    const members: string[] = [];
    for (const c of set.searchable) {
      if (c.kind === 'projection') {
        if (syns.some((s) => s.connection === c.connection && on(s.pre, s.i) && on(s.post, s.j))) members.push(c.id);
      } else {
        for (let i = c.neurons![0]; i < c.neurons![1]; i++) {
          if (on(c.population, i)) {
            members.push(c.id);
            break;
          }
        }
      }
    }
    out[task.name] = members;
  }
  return out;
}

describe('circuits: the planted two-task network', () => {
  it('examples/two_task_circuits.snn is the generator\'s output', () => {
    assert.equal(fs.readFileSync(EXAMPLE, 'utf8'), plantedCircuitsText().text);
  });

  it('the construction (drawn synapses, neuron by neuron) implies exactly the planted circuits', () => {
    const ir = irOf({ file: 'examples/two_task_circuits.snn' });
    const built = constructionCircuits(ir);
    for (const [task, want] of Object.entries(PLANTED_CIRCUITS)) assert.deepEqual([...built[task]].sort(), [...want].sort(), task);
  });

  const results = new Map<Intervention, Promise<CircuitsResult>>();
  const resultOf = (intervention: Intervention) => {
    if (!results.has(intervention)) results.set(intervention, circuitsInProcess(irOf({ file: 'examples/two_task_circuits.snn' }), { intervention, seed: 1, controlDraws: 20, source: 'two_task_circuits.snn' }));
    return results.get(intervention)!;
  };

  for (const intervention of ['silence', 'mean', 'resample', 'patch'] as const) {
    it(`recovers each task's planted circuit with F1 ≥ 0.9 and the planted reuse within 0.1 (${intervention})`, async () => {
      const r = await resultOf(intervention);
      assert.ok(isCircuitsResult(r), 'a CircuitsResult');
      assert.equal(r.cancelled, false);
      for (const t of r.tasks) {
        const want = PLANTED_CIRCUITS[t.task];
        assert.ok(f1(t.components, want) >= 0.9, `${t.task}: F1 ${f1(t.components, want)} (got ${t.components.join(', ')})`);
        assert.ok(t.metric.clean >= 0.9, `${t.task} is solved by the intact network (${t.metric.clean})`);
        assert.ok(t.metric.circuitOnly >= t.metric.clean - 0.1, `${t.task}: the circuit alone keeps the accuracy (${t.metric.circuitOnly})`);
      }
      const [a, b] = [PLANTED_CIRCUITS.task_a, PLANTED_CIRCUITS.task_b];
      assert.equal(r.reuse.length, 1);
      const u = r.reuse[0];
      assert.ok(Math.abs(u.jaccard - jaccard(a, b)) <= 0.1, `Jaccard ${u.jaccard} vs planted ${jaccard(a, b)}`);
      assert.ok(Math.abs(u.overlap - overlap(a, b)) <= 0.1, `overlap ${u.overlap} vs planted ${overlap(a, b)}`);
      assert.deepEqual([...u.shared].sort(), inter(a, b).sort());
    });
  }

  for (const intervention of ['silence', 'mean', 'resample'] as const) {
    it(`the random-ablation control drops the metric less than removing the circuit (${intervention})`, async () => {
      const r = await resultOf(intervention);
      for (const t of r.tasks) {
        const m = t.metric;
        assert.equal(m.control.draws, 20);
        assert.ok(m.circuitAblated <= m.chance + 0.1, `${t.task}: without its circuit the task is at chance (${m.circuitAblated})`);
        assert.ok(m.clean - m.control.mean < m.clean - m.circuitAblated - 0.15, `${t.task}: control drop ${(m.clean - m.control.mean).toFixed(3)} vs circuit drop ${(m.clean - m.circuitAblated).toFixed(3)}`);
        assert.ok(m.control.sd > 0, 'the draws differ');
      }
    });
  }

  it('patching task B\'s shared components with their activity in task A\'s run drops B to chance, as planted (and the reverse)', async () => {
    // Prediction from the construction: in task_a's own run (cue_b silent) hub[20..39] and
    // relay[20..39] are silent, and they are the only way cue_b reaches out_b. B's run with the
    // shared hub and relay from A's run therefore gives out_b nothing: B falls from ≥ 0.9 to
    // chance (0.5 ± 0.1), a drop of at least 0.35. Symmetrically for A.
    const r = await resultOf('silence');
    assert.equal(r.patches.length, 2);
    for (const p of r.patches) {
      assert.deepEqual([...p.components].sort(), ['pop:hub', 'pop:relay', 'proj:hub_relay']);
      assert.ok(p.before >= 0.9, `${p.to} before: ${p.before}`);
      assert.ok(Math.abs(p.after - 0.5) <= 0.1, `${p.to} after: ${p.after}`);
      assert.ok(p.before - p.after >= 0.35, 'down by at least 0.35');
    }
  });

  it('the text report has a table per task, the control, reuse and patching', async () => {
    const text = circuitsText(await resultOf('silence'));
    assert.match(text, /Task task_a \(readout read_a\): 8 components/);
    assert.match(text, /control \(8 random components removed, 20 draws\): [\d.]+ % ± [\d.]+ %/);
    assert.match(text, /task_a \/ task_b: 3 shared \(relay, hub_relay, hub\), Jaccard 0\.23, overlap coefficient 0\.38/);
    assert.match(text, /task_a → task_b: 100\.0 % → 50\.0 %|task_a → task_b: 9\d\.\d % → [45]\d\.\d %/);
  });
});

describe('circuits: components', () => {
  it('populations and inputs, groups where the model slices a population (or a fixed split), one projection per connection, edges, the search order', () => {
    const ir = irOf(`model comps
input src = poisson[10] { rate: 10 Hz }
population p = LIF[30]
population q = LIF[8]
population r = LIF[4]
connect src -> p[0..9] { rule: one_to_one; weight: 1 nA; target: I_syn }
connect named: p[10..29] -> q { rule: all_to_all; weight: 1 nA; target: I_syn }
connect q -> r { rule: all_to_all; weight: 1 nA; target: I_syn }
readout ro = ridge { from: r; task: t }
task t { stimulus: src
  window 0 ms .. 50 ms: A
  window 50 ms .. 100 ms: B }
simulate { dt: 0.1 ms; duration: 100 ms }
`, { at: '.scratch/comps.snn' });
    const set = modelComponents(ir);
    assert.deepEqual(set.all.map((c) => c.id), ['group:p[0..9]', 'group:p[10..29]', 'pop:q', 'pop:r', 'pop:src', 'proj:src->p[0..9]', 'proj:named', 'proj:q->r']);
    assert.deepEqual(set.byId.get('group:p[10..29]')!.range, [10, 30]);
    assert.equal(set.byId.get('pop:r')!.readoutOnly, true);
    assert.deepEqual(set.searchable.map((c) => c.id).includes('pop:r'), false);
    assert.deepEqual(set.edges, [
      { from: 'pop:src', to: 'group:p[0..9]', projection: 'proj:src->p[0..9]' },
      { from: 'group:p[10..29]', to: 'pop:q', projection: 'proj:named' },
      { from: 'pop:q', to: 'pop:r', projection: 'proj:q->r' },
    ]);
    // From the readout backwards; p[0..9] and src have no path to r and are left out.
    assert.deepEqual(searchOrder(set, 'r').map((c) => c.id), ['proj:q->r', 'pop:q', 'proj:named', 'group:p[10..29]']);
    const split = modelComponents(ir, { split: 2 });
    assert.deepEqual(split.all.filter((c) => c.population === 'q' && c.kind !== 'projection').map((c) => c.id), ['group:q[0..3]', 'group:q[4..7]']);
    assert.deepEqual(split.all.filter((c) => c.population === 'p' && c.kind !== 'projection').map((c) => c.label), ['p[0..9]', 'p[10..14]', 'p[15..29]']);
    assert.deepEqual(split.all.filter((c) => c.population === 'r' && c.kind !== 'projection').map((c) => c.id), ['pop:r'], 'a readout population is never split');
  });

  it('another planted instance (other labels, fewer modules) is recovered too', async () => {
    const ir = irOf(plantedCircuitsText({ seed: 11, windows: 30, modules: 5 }).text, { at: '.scratch/planted_11.snn' });
    const r = await circuitsInProcess(ir, { seed: 2 });
    for (const t of r.tasks) assert.ok(f1(t.components, PLANTED_CIRCUITS[t.task]) >= 0.9, `${t.task}: ${t.components.join(', ')}`);
  });
});

describe('circuits: the greedy search agrees with an exhaustive search on a tiny instance', () => {
  it('the smallest set of components that keeps task_a\'s accuracy (every subset tried) is the greedy circuit', async () => {
    const ir = irOf(plantedCircuitsText({ windows: 10, modules: 0 }).text, { at: '.scratch/tiny_circuits.snn' });
    const set = modelComponents(ir);
    const threshold = 0.05;
    const greedy = await circuitsInProcess(ir, { task: 'task_a', threshold, controlDraws: 2 });
    const m = localMeasurer(ir, set, { intervention: 'silence', seed: ir.simulate.seed });
    const candidates = searchOrder(set, 'out_a').map((c) => c.id);
    assert.ok(candidates.length >= 8 && candidates.length <= 12, `${candidates.length} candidates`);
    const clean = m.evaluator.measure({ removed: [] }).read_a;
    let best: string[][] = [];
    for (let mask = 0; mask < 1 << candidates.length; mask++) {
      const kept = candidates.filter((_, k) => mask & (1 << k));
      if (best.length && kept.length > best[0].length) continue;
      const v = m.evaluator.measure({ removed: candidates.filter((_, k) => !(mask & (1 << k))) }).read_a;
      if (v < clean - threshold) continue;
      if (!best.length || kept.length < best[0].length) best = [kept];
      else best.push(kept);
    }
    assert.equal(best.length, 1, `one smallest faithful set (${best.map((b) => b.join(' ')).join(' | ')})`);
    assert.deepEqual([...greedy.tasks[0].components].sort(), [...best[0]].sort());
  });
});

describe('circuits: bad input', () => {
  const base = plantedCircuitsText({ windows: 4, modules: 0 }).text;
  it('a task with no readout, a task that does not exist (did you mean), no readout at all, a threshold outside (0, 1]', () => {
    const noReadout = irOf(base.replace('readout read_b = ridge { from: out_b; task: task_b }\n', ''), { at: '.scratch/no_readout.snn' });
    assert.throws(() => tasksToAnalyse(noReadout, 'task_b'), (e: Error) => e instanceof CircuitsError && /task 'task_b' has no readout/.test(e.message));
    assert.throws(() => tasksToAnalyse(noReadout, 'task_c'), /no task 'task_c' in the model \(did you mean 'task_a'\?\)/);
    assert.throws(() => tasksToAnalyse(noReadout, 'zzzzzz'), /no task 'zzzzzz' in the model \(tasks: task_a, task_b\)/);
    assert.equal(tasksToAnalyse(noReadout).map((t) => t.task).join(), 'task_a');
    const none = irOf(base.replace(/readout read_. = ridge \{[^}]*\}\n/g, ''), { at: '.scratch/no_readouts.snn' });
    assert.throws(() => tasksToAnalyse(none), /no task has a readout/);
    for (const bad of [0, -0.1, 1.5, NaN]) assert.throws(() => checkThreshold(bad), /threshold must be in \(0, 1\]/);
    assert.doesNotThrow(() => checkThreshold(1));
  });
});
