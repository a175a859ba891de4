// One memory estimator (sim-host/src/core/estimate.ts) for the editor and the engine: the size the
// editor shows (inlay hints, the size check: ModelWorkspace#size, fed with the checker's facts)
// must be the figure the engine refuses a run with (checkRun on the lowered IR), for every
// example, the bench models, the engine's reference models and planted models that reach every
// part of the formula; a model just over a limit is refused by both with the same figure, one
// just under it by neither. A tiny model is priced by hand from the formula's documentation.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { URI } from 'vscode-uri';
import { ModelWorkspace } from '../language-server/src/ide';
import { nodeHost } from '../language-server/src/ide-node';
import { estimateMemory, fmtBytes } from '../sim-host/src/core/estimate';
import { checkRun, PlanError } from '../sim-host/src/core/limits';
import { generateModel } from '../bench/model-gen';
import { repoRoot } from './helpers/build';
import { irOf, prelude } from './helpers/model';

const snnIn = (dir: string) => fs.readdirSync(path.join(repoRoot, dir)).filter((f) => f.endsWith('.snn')).sort().map((f) => path.join(dir, f));

/** Models that reach each part of the formula: delays (constant, list, distribution), layouts, spike sources, parameters, segments. */
const PLANTED: Record<string, string> = {
  'delays.snn': `population a = CobaLIF[50] {
  g_l = 12 nS
  v = uniform(-70 mV, -60 mV)
}
population b = CobaLIF[30]
input noise = poisson[40] { rate: 5 Hz }
input kick = current_step { target: b.I_e; times: [0 ms, 10 ms]; values: [0 nA, 1 nA] }
connect a -> b { rule: random(p = 0.3); weight: 1 nS; delay: uniform(1 ms, 4 ms); target: g_e }
connect a[0..1] -> b[0..1] { rule: all_to_all; weight: 1 nS; delay: [1 ms, 2 ms, 3 ms, 2.5 ms]; target: g_e }
connect noise -> a, b { rule: fixed_indegree(k = 3); weight: 2 nS; delay: 2 ms; target: g_e }
connect b -> a { rule: fixed_outdegree(k = 4); weight: 1 nS; target: g_i }
simulate { dt: 0.1 ms; duration: 50 ms }
`,
  'layouts.snn': `population ring = CobaLIF[60] { layout: ring; spacing: 15 um }
population sheet = CobaLIF[100] { layout: grid(rows = 10, cols = 10); spacing: 20 um }
population line = CobaLIF[40] { layout: line }
connect ring -> ring { rule: ring_kernel(sigma = 0.3, p_max = 0.5); weight: 1 nS; target: g_e; autapses: false }
connect sheet -> line { rule: distance(sigma = 50 um, p_max = 0.4); weight: 1 nS; delay: 1.5 ms; target: g_e }
connect line -> sheet { rule: distance(sigma = 30 um, p_max = 0.2); weight: 1 nS; target: g_i }
simulate { dt: 0.05 ms; duration: 20 ms }
`,
  'conditions.snn': `population a = CobaLIF[300]
population b = CobaLIF[200]
connect a -> b { rule: where(abs(i - j) < 5, p = 0.3); weight: 1 nS; delay: uniform(1 ms, 3 ms); target: g_e }
connect b -> b { rule: where(j == (i + 1) % N_post); weight: 1 nS; target: g_e }
connect a[0..99] -> a { rule: where(j % 7 == i % 7 and i != j); weight: 1 nS; delay: 1 ms; target: g_i }
simulate { dt: 0.1 ms; duration: 20 ms }
`,
  'pathways.snn': `population a = CobaLIF[300]
population b = CobaLIF[200]
connect a -> b { rule: random(p = 0.2); weight: 1 nS; pathways: { fast: { delay: 1 ms; on_pre: g_e += w }; slow: { delay: 7.5 ms; on_pre: g_i += w }; now: { on_pre: g_e -= w } } }
connect b -> a { rule: fixed_indegree(k = 20); weight: uniform(1 nS, 2 nS); pathways: { only: { delay: 2 ms; on_pre: g_e += w } } }
simulate { dt: 0.1 ms; duration: 20 ms }
`,
};

const ws = () => new ModelWorkspace({ host: nodeHost, prelude: prelude() });

function cases(): { name: string; uri: string; text?: string }[] {
  const files = [...snnIn('examples'), ...snnIn('bench/models'), ...snnIn('test/engine')];
  const out: { name: string; uri: string; text?: string }[] = files.map((f) => ({ name: f, uri: URI.file(path.join(repoRoot, f)).toString() }));
  for (const [name, text] of Object.entries(PLANTED)) out.push({ name, uri: URI.file(path.join(repoRoot, '.scratch', name)).toString(), text });
  out.push({ name: 'generated bench model (1,000 lines)', uri: URI.file(path.join(repoRoot, '.scratch', 'generated.snn')).toString(), text: generateModel(1000).text });
  return out;
}

/** The editor's size and the engine's estimate of one case. */
function both(c: { uri: string; text?: string }) {
  const w = ws();
  if (c.text !== undefined) w.setText(c.uri, c.text);
  const lowered = w.lowerModel(c.uri);
  assert.ok(lowered.ok, `${c.uri} lowers: ${JSON.stringify(!lowered.ok && lowered.diagnostics.slice(0, 2))}`);
  return { editor: w.size(c.uri), ir: lowered.ir, engine: estimateMemory(lowered.ir) };
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
const figure = (message: string) => /needs about ([\d.]+ (?:B|KiB|MiB|GiB))/.exec(message)?.[1];

describe('one memory estimate for the editor and the engine', () => {
  const all = cases();

  it('covers every example, bench and engine model', () => {
    assert.ok(all.length >= 10 + 1 + 6 + 3, `cases: ${all.length}`);
  });

  for (const c of all) {
    it(`${c.name}: the editor's size is the engine's estimate`, () => {
      const { editor, engine } = both(c);
      assert.ok(engine.total > 0, 'a non-empty estimate');
      assert.ok(close(editor.bytes, engine.total), `bytes: editor ${editor.bytes}, engine ${engine.total}`);
      assert.ok(close(editor.synapses, engine.synapses), `synapses: editor ${editor.synapses}, engine ${engine.synapses}`);
      assert.equal(fmtBytes(editor.bytes), fmtBytes(engine.total));
    });
  }

  for (const c of all.filter((x) => /coba|brunel|delays|layouts|conditions|pathways|microcircuit|generated/.test(x.name))) {
    it(`${c.name}: just over the limit both refuse with the same figure, just under neither does`, () => {
      const { ir, engine } = both(c);
      const over = Math.floor(engine.total) - 1;
      const wOver = new ModelWorkspace({ host: nodeHost, prelude: prelude(), limits: { memoryBytes: over } });
      if (c.text !== undefined) wOver.setText(c.uri, c.text);
      const editorSays = wOver.check(c.uri).find((d) => d.code === 'too-large');
      assert.ok(editorSays, 'the editor flags the model as too large');
      let engineSays = '';
      try {
        checkRun(ir, { memoryLimit: over });
      } catch (e) {
        assert.ok(e instanceof PlanError, String(e));
        engineSays = e.message;
      }
      assert.ok(engineSays.includes('this run needs about'), `the engine refuses on memory: ${engineSays}`);
      assert.equal(figure(editorSays.message), figure(engineSays), `${editorSays.message}\n${engineSays}`);
      assert.equal(figure(engineSays), fmtBytes(engine.total));

      const under = Math.ceil(engine.total) + 1;
      const wUnder = new ModelWorkspace({ host: nodeHost, prelude: prelude(), limits: { memoryBytes: under } });
      if (c.text !== undefined) wUnder.setText(c.uri, c.text);
      assert.equal(wUnder.check(c.uri).filter((d) => d.code === 'too-large').length, 0, 'the editor accepts it');
      try {
        checkRun(ir, { memoryLimit: under + engine.probeBytes });
      } catch (e) {
        assert.ok(!String(e).includes('this run needs about'), `the engine accepts its memory: ${String(e)}`);
      }
    });
  }

  it('a tiny model priced by hand', () => {
    // LIF keeps its state variables twice (now, next), a refractory counter and a spike flag per
    // neuron; one parameter set per population adds one word per neuron. a → b one_to_one with a
    // constant delay of 2 ms at dt 0.5 ms: 10 synapses × (column + weight) × 2 while building,
    // 11 row pointers, a ring of 2 ms / 0.5 ms + 1 = 5 slots × 10 neurons × 4 bytes.
    const text = `population a = CobaLIF[10] { g_l = 12 nS }
population b = CobaLIF[10]
connect a -> b { rule: one_to_one; weight: 1 nS; delay: 2 ms; target: g_e }
simulate { dt: 0.5 ms; duration: 10 ms }
`;
    const ir = irOf(text, { at: '.scratch/tiny.snn' });
    const lifState = ir.models.CobaLIF.state.length;
    assert.ok(lifState >= 1);
    const expected = 10 * (lifState * 8 + 8 + 4) + 10 * (lifState * 8 + 8) + (10 * 8 * 2 + 11 * 4) + 5 * 10 * 4;
    assert.equal(estimateMemory(ir).total, expected);
    const w = ws();
    const uri = URI.file(path.join(repoRoot, '.scratch', 'tiny.snn')).toString();
    w.setText(uri, text);
    assert.equal(w.size(uri).bytes, expected);
    assert.deepEqual(w.size(uri).connections, [{ line: 3, synapses: 10, bytes: 10 * 8 * 2 + 11 * 4 + 5 * 10 * 4 }]);
  });
});
