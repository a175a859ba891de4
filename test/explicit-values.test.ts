// Explicit per-neuron and per-synapse values (lists in .snn, ValueIR kind 'list'): the engine
// puts every listed weight and delay on the synapse the language says (all_to_all: the
// sources × targets matrix row by row; one_to_one: per pair), also without autapses, and every
// listed parameter on its neuron.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { URI } from 'vscode-uri';
import { lower } from '../language-server/src/lower';
import { loadPrelude, nodeHost } from '../language-server/src/node-host';
import { Program } from '../language-server/src/program';
import { Simulation } from '../sim-host/src/engine';
import { repoRoot } from './helpers/build';

function irOf(text: string) {
  const program = new Program(nodeHost, loadPrelude(path.join(repoRoot, 'language-server')));
  const uri = URI.file(path.join(repoRoot, '.scratch', 'explicit-values.snn')).toString();
  program.setText(uri, text);
  const r = lower(program, uri);
  if (!r.ok) throw new Error(JSON.stringify(r.errors[0].diagnostics.map((d) => d.message)));
  return r.ir;
}

describe('explicit values (lists)', () => {
  const ir = irOf(`
population a = LIF[3] { tau_m = [10 ms, 20 ms, 30 ms] }
population b = LIF[2]
connect a -> b { rule: all_to_all; weight: [1 pA, 2 pA, 3 pA, 4 pA, 5 pA, 6 pA]; delay: [0.1 ms, 0.2 ms, 0.3 ms, 0.4 ms, 0.5 ms, 0.6 ms]; target: I_syn }
connect a -> a { rule: all_to_all; weight: [0 pA, 1 pA, 2 pA, 3 pA, 0 pA, 5 pA, 6 pA, 7 pA, 0 pA]; target: I_syn; autapses: false }
connect a[1..2] -> b { rule: one_to_one; weight: [7 mV, 8 mV]; target: v }
probe spikes(a, b)
simulate { dt: 0.1 ms; duration: 1 ms; seed: 1 }
`);
  const sim = new Simulation(ir);
  sim.run();
  const dt = 1e-4;

  it('all_to_all: weight and delay of synapse (i, j) are entry i·n_targets + j', () => {
    const { rowptr, col } = sim.connectivity(0);
    const w = sim.weights(0);
    assert.ok('offset' in sim.plan.projs[0].delay, 'per-synapse delays');
    const d = sim.delays(0);
    for (let i = 0; i < 3; i++) {
      for (let k = rowptr[i]; k < rowptr[i + 1]; k++) {
        const at = i * 2 + col[k];
        assert.ok(Math.abs(w[k] - (at + 1) * 1e-12) < 1e-18, `synapse ${i}->${col[k]}: ${w[k]}`);
        assert.equal(d[k], Math.round(((at + 1) * 1e-4) / dt));
      }
    }
  });

  it('without autapses the diagonal entries are skipped, the others stay in place', () => {
    const { rowptr, col } = sim.connectivity(1);
    const w = sim.weights(1);
    assert.equal(col.length, 6);
    for (let i = 0; i < 3; i++) {
      for (let k = rowptr[i]; k < rowptr[i + 1]; k++) {
        assert.notEqual(col[k], i);
        assert.ok(Math.abs(w[k] - (i * 3 + col[k]) * 1e-12) < 1e-18);
      }
    }
  });

  it('one_to_one: one value per pair; parameters: one per neuron', () => {
    const w = sim.weights(2);
    assert.deepEqual([...w].map((x) => Math.round(x * 1e4)), [70, 80]);
    const tau = sim.plan.pops.find((p) => p.name === 'a')!.initial.get('param:tau_m')!;
    assert.deepEqual([...tau].map((x) => Math.round(x * 1e3)), [10, 20, 30]);
  });
});
