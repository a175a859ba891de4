// Explicit per-neuron and per-synapse values (lists in .snn, ValueIR kind 'list'): the engine
// puts every listed weight and delay on the synapse the language says (all_to_all: the
// sources × targets matrix row by row; one_to_one: per pair), also without autapses, and every
// listed parameter on its neuron.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Simulation } from '../sim-host/src/engine';
import { readColumn } from '../language-server/src/data-values';
import { dataFiles } from '../extension/src/simulation/model';
import { repoRoot } from './helpers/build';
import { irOf as lowerText } from './helpers/model';

function irOf(text: string) {
  return lowerText(text, { at: '.scratch/explicit-values.snn' });
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

describe('values from a file (from_file)', () => {
  const file = path.join(repoRoot, 'test', 'corpus', 'valid', 'file_values.snn');
  const ir = lowerText({ file });

  it('lowers to lists in SI units that name their file; the engine puts each row on its neuron / synapse', () => {
    const a = ir.populations.find((p) => p.name === 'a')!;
    assert.deepEqual(a.parameters.tau_m, { kind: 'list', values: [0.01, 0.02, 0.0305], file: 'data/cells.csv' });
    assert.ok(a.init.v.kind === 'list' && a.init.v.values.every((x, k) => Math.abs(x - [-0.07, -0.065, -0.06][k]) < 1e-15));
    const sim = new Simulation(ir);
    sim.run();
    const { rowptr, col } = sim.connectivity(0);
    const w = sim.weights(0);
    const d = sim.delays(0);
    const rows = [[100, 1], [0, 2], [50, 3], [60, 4], [0, 5], [200, 6]];
    for (let i = 0; i < 3; i++) {
      for (let k = rowptr[i]; k < rowptr[i + 1]; k++) {
        const [pa, ms] = rows[i * 2 + col[k]];
        assert.ok(Math.abs(w[k] - pa * 1e-12) <= 1e-6 * pa * 1e-12, `synapse ${i}->${col[k]}: ${w[k]}`);
        assert.equal(d[k], Math.round(ms / 0.1));
      }
    }
    const gain = sim.plan.pops.find((p) => p.name === 'rates')!.initial.get('param:gain')!;
    assert.deepEqual([...gain].map((x) => Math.round(x * 10)), [15, 5, 1]);
  });

  it("the extension's data files (workspace trust) include every file values were read from", () => {
    assert.deepEqual(dataFiles(ir).sort(), ['data/cells.csv', 'data/synapses.csv']);
  });

  it('method exponential: dr/dt = (tanh(...) - r)/tau steps as r + (tanh(...) - r)(1 - exp(-dt/tau)) with tanh held', () => {
    const text = `
neuron Unit {
  parameters { tau = 10 ms }
  state { r: 1 = 0.2; x: 1 = 0.7 }
  equations { dr/dt = (tanh(2*x + 3*r) - r) / tau }
  method exponential
}
population u = Unit[1]
probe r(u) every 0.1 ms
simulate { dt: 0.1 ms; duration: 1 ms; seed: 1 }
`;
    const res = new Simulation(lowerText(text, { at: '.scratch/exponential.snn' })).run();
    const got = res.traces[0].data;
    const k = Math.exp(-1e-4 / 1e-2);
    let r = 0.2;
    for (let t = 0; t < got.length; t++) {
      assert.ok(Math.abs(got[t] - r) < 1e-6, `step ${t}: ${got[t]} vs ${r}`);
      r = Math.fround(k * r + (1 - k) * Math.tanh(1.4 + 3 * r));
    }
  });
});

describe('readColumn (data-values.ts)', () => {
  it('reads a header and a column; skips comments and blank lines; CRLF', () => {
    const r = readColumn('# c\r\na, b\r\n\r\n1,2\r\n -3.5e-1 , 4\r\n', 'b');
    assert.deepEqual(r, { ok: true, values: [2, 4], columns: ['a', 'b'] });
    assert.deepEqual(readColumn('a,b\n1,2\n', 'a'), { ok: true, values: [1], columns: ['a', 'b'] });
  });
  it('names line and column of the first bad place', () => {
    assert.deepEqual(readColumn('', 'a'), { ok: false, line: 1, column: 1, message: 'the file is empty: expected a header row naming the columns, then one row per value' });
    const cases: [string, number, number, string][] = [
      ['a\n1\nx\n', 3, 1, 'this field is not a number'],
      ['a,b\n1,2\n3,\n', 3, 3, "'b'"],
      ['a,b\n1,2,3\n', 2, 5, '3 fields'],
      ['a\n1e999\n', 2, 1, 'too large'],
      ['a\nNaN\n', 2, 1, 'not a number'],
      ['a\n0x10\n', 2, 1, 'not a number'],
      ['1,2\n3,4\n', 1, 1, 'the first row must name the columns'],
    ];
    for (const [text, line, column, fragment] of cases) {
      const r = readColumn(text, text.startsWith('a,b') ? 'b' : 'a');
      assert.ok(!r.ok && r.line === line && r.column === column && r.message.includes(fragment), `${JSON.stringify(text)}: ${JSON.stringify(r)}`);
    }
  });
  it('never echoes file text: a header that is not column names, a field that is not a number', () => {
    // /etc/passwd-like and /proc/self/environ-like first rows: no field of them is quoted back.
    const passwd = 'root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n';
    const r1 = readColumn(passwd, 'tau');
    assert.ok(!r1.ok);
    assert.equal(r1.message, "no column 'tau' in the header row; the first row does not name columns (it must be a header row such as tau,w)");
    const environ = 'SECRET_TOKEN=hunter2\u0000HOME=/root\u0000PATH=/usr/bin\n';
    const r2 = readColumn(environ, 'w');
    assert.ok(!r2.ok && !r2.message.includes('hunter2') && !r2.message.includes('SECRET') && r2.message.includes('does not name columns'), JSON.stringify(r2));
    const r3 = readColumn('tau\n1\nsecret-value-42\n', 'tau');
    assert.ok(!r3.ok && r3.line === 3 && r3.column === 1 && !r3.message.includes('secret'), JSON.stringify(r3));
    // Column names are listed (they are what the user needs), at most 12 of them.
    const wide = `${Array.from({ length: 30 }, (_, k) => `c${k}`).join(',')}\n${Array(30).fill(1).join(',')}\n`;
    const r4 = readColumn(wide, 'tau');
    assert.ok(!r4.ok);
    assert.match(r4.message, /columns: 'c0', 'c1', .*'c11', … \(18 more\)$/);
    assert.ok(!r4.message.includes("'c12'"));
  });
});
