// Connection rules as conditions on the indices, `rule: where(condition, p = …)` (Brian2's
// connect(condition=…, p=…)): the synapses the plan draws are exactly the pairs the condition
// holds for (i, j within the connection's source and target; N_pre, N_post their sizes), `%` is
// floored as Python's, p keeps about that fraction of them, the estimate counts them exactly,
// and a condition over too many pairs is refused by the checker and the engine alike.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ModelIR } from '../protocol/ir';
import { buildPlan, type Plan } from '../sim-host/src/core/plan';
import { estimateMemory } from '../sim-host/src/core/estimate';
import { checkRun, PlanError } from '../sim-host/src/core/limits';
import { MAX_CONDITION_PAIRS } from '../sim-host/src/core/index-rule';
import { irOf, outcomeOf } from './helpers/model';

/** The (i, j) pairs of connection `k`'s synapses, local to its source and target selectors. */
function pairs(plan: Plan, k: number): string[] {
  const out: string[] = [];
  for (const pr of plan.projs) {
    if (pr.connection !== k) continue;
    const col = new Int32Array(plan.memory.buffer, pr.colOffset, pr.synapses);
    for (let r = 0; r + 1 < pr.rowptr.length; r++) for (let s = pr.rowptr[r]; s < pr.rowptr[r + 1]; s++) out.push(`${r},${col[s]}`);
  }
  return out.sort();
}

function expected(ns: number, nt: number, f: (i: number, j: number) => boolean): string[] {
  const out: string[] = [];
  for (let i = 0; i < ns; i++) for (let j = 0; j < nt; j++) if (f(i, j)) out.push(`${i},${j}`);
  return out.sort();
}

const model = (rules: string[], sizes = [30, 20]) => `population a = CobaLIF[${sizes[0]}]
population b = CobaLIF[${sizes[1]}]
${rules.map((r) => `connect a -> b { rule: ${r}; weight: 1 nS; target: g_e }`).join('\n')}
simulate { dt: 0.1 ms; duration: 10 ms }
`;

describe('where(): connection rules as index conditions', () => {
  it('draws exactly the pairs the condition holds for', () => {
    const rules = [
      'where(j == (i + 1) % N_post)',
      'where(abs(i - j) < 3)',
      'where(j == (i - 1) % N_post)', // floored: i = 0 connects to j = N_post - 1
      'where(i == 2 * j or (j > 15 and not (i < 25)))',
      'where(cos(2 * pi * (i - j) / N_pre) > 0.5 and i != j)',
      'where(N_pre == 30 and N_post == 20 and i + j == 29)',
    ];
    const refs: ((i: number, j: number) => boolean)[] = [
      (i, j) => j === (i + 1) % 20,
      (i, j) => Math.abs(i - j) < 3,
      (i, j) => j === (((i - 1) % 20) + 20) % 20,
      (i, j) => i === 2 * j || (j > 15 && !(i < 25)),
      (i, j) => Math.cos((2 * Math.PI * (i - j)) / 30) > 0.5 && i !== j,
      (i, j) => i + j === 29,
    ];
    const ir = irOf(model(rules));
    assert.equal(ir.connections[0].rule.kind, 'where');
    const plan = buildPlan(ir);
    rules.forEach((r, k) => {
      const want = expected(30, 20, refs[k]);
      assert.ok(want.length > 0, r);
      assert.deepEqual(pairs(plan, k), want, r);
    });
    assert.ok(pairs(plan, 2).includes('0,19'), 'floored remainder: (0 - 1) % 20 = 19');
    // The estimate counts the pairs exactly.
    const est = estimateMemory(ir);
    assert.equal(est.synapses, rules.reduce((n, _r, k) => n + expected(30, 20, refs[k]).length, 0));
  });

  it('i and j number the selected slices; autapses: false leaves out i == j within one population', () => {
    const ir = irOf(`population a = CobaLIF[40]
connect a[10..19] -> a[20..29] { rule: where(j == i); weight: 1 nS; target: g_e }
connect a -> a { rule: where(abs(i - j) <= 1); weight: 1 nS; target: g_e; autapses: false }
simulate { dt: 0.1 ms; duration: 10 ms }
`);
    const plan = buildPlan(ir);
    assert.deepEqual(pairs(plan, 0), expected(10, 10, (i, j) => i === j));
    const pr = plan.projs.find((x) => x.connection === 0)!;
    assert.deepEqual([pr.src, pr.tgt], [[10, 19], [20, 29]]);
    assert.deepEqual(pairs(plan, 1), expected(40, 40, (i, j) => Math.abs(i - j) === 1));
  });

  it('p keeps each pair that meets the condition with probability p (the same draws for the same seed)', () => {
    const ir = irOf(model(['where(abs(i - j) < 50, p = 0.25)'], [400, 400]));
    const rule = ir.connections[0].rule;
    assert.deepEqual(rule.kind === 'where' && rule.p, 0.25);
    const all = new Set(expected(400, 400, (i, j) => Math.abs(i - j) < 50));
    const got = pairs(buildPlan(ir), 0);
    assert.ok(got.every((x) => all.has(x)), 'only pairs that meet the condition');
    const frac = got.length / all.size;
    // ~39,000 pairs: the fraction's SD is 0.0022.
    assert.ok(Math.abs(frac - 0.25) < 0.012, `fraction ${frac}`);
    assert.deepEqual(pairs(buildPlan(ir), 0), got);
    assert.ok(Math.abs(estimateMemory(ir).synapses - all.size * 0.25) < 1e-6);
  });

  it('more pairs than a build may test: a located checker error, and the engine refuses the IR before counting', () => {
    const text = model(['where(j == i)'], [20000, 20000]);
    const out = outcomeOf(text);
    assert.ok(!out.ok);
    const d = out.diagnostics.find((x) => /tests its condition on every pair/.test(x.message));
    assert.ok(d, JSON.stringify(out.diagnostics.map((x) => x.message)));
    assert.equal(d.line, 3);
    // The same model, lowered with small sizes then enlarged, as a tool could hand the engine.
    const ir: ModelIR = irOf(model(['where(j == i)'], [20, 20]));
    ir.populations[0].size = 20000;
    ir.populations[1].size = 20000;
    ir.connections[0].sources[0].to = 19999;
    ir.connections[0].targets[0].to = 19999;
    assert.ok(20000 * 20000 > MAX_CONDITION_PAIRS);
    const t0 = performance.now();
    assert.throws(() => checkRun(ir, {}), (e: unknown) => e instanceof PlanError && e.code === 'limit' && /test its condition on 4\.00e\+8 neuron pairs/.test(e.message));
    assert.ok(performance.now() - t0 < 1000, 'refused before counting');
  });
});
