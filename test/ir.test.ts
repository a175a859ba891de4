// Lowering to the model IR: schema-valid JSON in SI units, refused for files with errors.
import Ajv2020 from 'ajv/dist/2020';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { nonFinitePath } from '../language-server/src/lower';
import type { ModelIR } from '../protocol/ir';
import { outcomeOf } from './helpers/model';

const root = path.resolve(__dirname, '..');
const schema = JSON.parse(fs.readFileSync(path.join(root, 'protocol/ir.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

function lowerFile(file: string) {
  return outcomeOf({ file });
}

function lowerText(name: string, text: string) {
  return outcomeOf(text, { at: `.scratch/${name}` });
}

test('every example lowers to schema-valid IR', () => {
  const files = fs.readdirSync(path.join(root, 'examples')).filter((f) => f.endsWith('.snn'));
  assert.ok(files.length >= 1);
  for (const f of files) {
    const r = lowerFile(`examples/${f}`);
    assert.ok(r.ok, `${f} did not lower: ${!r.ok ? JSON.stringify(r.diagnostics[0]) : ''}`);
    const ok = validate(JSON.parse(JSON.stringify(r.ir)));
    assert.ok(ok, `${f}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
  }
});

test('COBA lowers with SI values, sizes, rules and the default on_pre', () => {
  const r = lowerFile('examples/coba.snn');
  assert.ok(r.ok);
  const ir: ModelIR = r.ir;
  assert.equal(ir.version, 1);
  assert.equal(ir.name, 'coba');
  assert.deepEqual(ir.populations.map((p) => [p.name, p.model, p.size]), [['exc', 'CobaLIF', 3200], ['inh', 'CobaLIF', 800]]);
  const m = ir.models.CobaLIF;
  const param = (n: string) => m.parameters.find((p) => p.name === n)!;
  assert.equal(param('C_m').default, 200e-12);
  assert.deepEqual(param('C_m').dim, [-2, -1, 4, 2, 0, 0, 0]);
  assert.ok(Math.abs(param('E_i').default! + 0.08) < 1e-15);
  assert.equal(param('tau_e').default, 0.005);
  // Every ODE of the COBA neuron is affine in its own variable (exact integration).
  assert.deepEqual(m.odes.map((o) => [o.variable, o.linear]), [['v', true], ['g_e', true], ['g_i', true]]);
  assert.deepEqual(ir.populations[0].init.v, { kind: 'dist', dist: 'normal', args: [-0.055, 0.005] });
  const c = ir.connections[0];
  assert.deepEqual(c.rule, { kind: 'random', p: 0.02 });
  assert.deepEqual(c.weight, { kind: 'const', value: 6e-9 });
  assert.equal(c.target, 'g_e');
  assert.deepEqual(c.on_pre, [{ target: { kind: 'target' }, op: '+=', value: { op: 'weight' } }]);
  assert.deepEqual(c.targets.map((t) => [t.name, t.from, t.to]), [['exc', 0, 3199], ['inh', 0, 799]]);
  assert.deepEqual(ir.probes[1], { variable: 'v', targets: [{ name: 'exc', from: 0, to: 9 }], every: 0.001 });
  assert.deepEqual(ir.simulate, { dt: 1e-4, duration: 1, seed: 2, backend: 'auto' });
});

test('nonlinear equations, synapse models and inputs lower faithfully', () => {
  const r = lowerText('lower1.snn', `
population a = AdEx[10]
population b = LIF[20] { tau_m = uniform(10 ms, 30 ms) }
input ext = poisson[5] { rate: 12 Hz }
input step = current_step { target: b[0..4].I_e; times: [0 ms, 100 ms]; values: [100 pA, 0 pA] }
connect ab: a -> b { rule: fixed_indegree(k = 3); weight: 2 pA; target: I_syn; synapse: PairSTDP(w_max = 10 pA); delay: 1.5 ms }
connect ext -> b { rule: all_to_all; weight: 0.5 mV; on_pre: v += w }
simulate { dt: 0.1 ms; duration: 200 ms; seed: 3 }
`);
  assert.ok(r.ok, !r.ok ? JSON.stringify(r.diagnostics) : '');
  const ir = r.ir;
  assert.ok(validate(JSON.parse(JSON.stringify(ir))), JSON.stringify(validate.errors?.slice(0, 3)));
  const adex = ir.models.AdEx;
  assert.equal(adex.odes.find((o) => o.variable === 'v')!.linear, false, 'exp(v) is not linear in v');
  assert.equal(adex.odes.find((o) => o.variable === 'w')!.linear, true);
  assert.equal(adex.method, 'rk2');
  assert.deepEqual(ir.populations[1].parameters.tau_m, { kind: 'dist', dist: 'uniform', args: [0.01, 0.03] });
  const stdp = ir.models.PairSTDP;
  assert.equal(stdp.kind, 'synapse');
  assert.ok(stdp.parameters.find((p) => p.name === 'w_max')!.weightUnit);
  const ab = ir.connections[0];
  assert.equal(ab.synapse!.model, 'PairSTDP');
  assert.ok(Math.abs(ab.synapse!.parameters.w_max - 10e-12) < 1e-24);
  assert.equal(ab.synapse!.parameters.tau_plus, 0.02);
  assert.deepEqual(ab.delay, { kind: 'const', value: 0.0015 });
  assert.deepEqual(ab.rule, { kind: 'fixed_indegree', k: 3 });
  assert.deepEqual(ir.connections[1].on_pre, [{ target: { kind: 'post', name: 'v' }, op: '+=', value: { op: 'weight' } }]);
  assert.deepEqual(ir.inputs[0], { kind: 'poisson', name: 'ext', size: 5, rate: { kind: 'const', value: 12 } });
  assert.deepEqual(ir.inputs[1], { kind: 'current_step', name: 'step', target: { name: 'b', from: 0, to: 4, variable: 'I_e' }, times: [0, 0.1], values: [1e-10, 0] });
});

test('a file with errors does not lower, and says where', () => {
  const r = lowerText('lower2.snn', 'population a = LIF[10] { v = -65 }\n');
  assert.equal(r.ok, false);
  if (!r.ok) {
    assert.match(r.diagnostics[0].message, /needs a unit of volt/);
    assert.deepEqual([r.diagnostics[0].line, r.diagnostics[0].column], [1, 'population a = LIF[10] { v = -'.length + 1]);
  }
});

test('constants that fold to NaN or infinity are errors at their expression and never reach the IR', () => {
  const cases: [string, string][] = [
    ['1e308 * 10 s', 'infinity'],
    ['log(0) * 1 ms', 'minus infinity'],
    ['sqrt(-1) * 1 ms', 'not a number'],
    ['exp(1000) * 1 ms', 'infinity'],
  ];
  for (const [k, [expr, words]] of cases.entries()) {
    const head = 'population a = LIF[2] { tau_m = ';
    const r = lowerText(`nan${k}.snn`, `${head}${expr} }\n`);
    assert.equal(r.ok, false, `${expr} lowered: ${r.ok ? JSON.stringify(r.ir.populations[0]) : ''}`);
    if (r.ok) continue;
    const d = r.diagnostics.find((x) => x.code === 'not-finite');
    assert.ok(d, `${expr}: ${JSON.stringify(r.diagnostics)}`);
    assert.ok(d.message.includes(words), d.message);
    // At the expression that folds to it: the product 1e308 * 10 s, the call log(0) ...
    const want = expr.startsWith('1e308') ? expr : expr.slice(0, expr.indexOf(' *'));
    assert.deepEqual([d.line, d.column, d.endLine, d.endColumn], [1, head.length + 1, 1, head.length + want.length + 1], expr);
  }
});

test('nonFinitePath finds NaN/Infinity anywhere in an IR-shaped value; schema-valid IR has none', () => {
  assert.equal(nonFinitePath({ a: [1, 2, { b: [3, NaN] }] }), 'ir.a[2].b[1]');
  assert.equal(nonFinitePath({ a: { value: -Infinity } }), 'ir.a.value');
  assert.equal(nonFinitePath({ a: [1, 2], b: 'x', c: null }), undefined);
  const r = lowerFile('examples/coba.snn');
  assert.ok(r.ok);
  assert.equal(nonFinitePath(r.ir), undefined);
  // What a NaN becomes in JSON violates the schema (a number is required): the reason for the check.
  const broken = JSON.parse(JSON.stringify({ ...r.ir, populations: [{ ...r.ir.populations[0], init: { v: { kind: 'const', value: NaN } } }, ...r.ir.populations.slice(1)] }));
  assert.equal(validate(broken), false);
});

test('simulate { threads } lowers to simulate.threads, schema-valid; absent when not written', () => {
  const model = (sim: string) => `population a = LIF[4]\nsimulate { dt: 0.1 ms; duration: 10 ms${sim} }\n`;
  const written = lowerText('threads.snn', model('; threads: 3'));
  assert.ok(written.ok, !written.ok ? JSON.stringify(written.diagnostics) : '');
  assert.equal(written.ir.simulate.threads, 3);
  assert.ok(validate(JSON.parse(JSON.stringify(written.ir))), JSON.stringify(validate.errors?.slice(0, 3)));
  const bare = lowerText('threads-absent.snn', model(''));
  assert.ok(bare.ok);
  assert.ok(!('threads' in bare.ir.simulate), `threads: ${JSON.stringify(bare.ir.simulate)}`);
  // The schema refuses what the checker refuses (an IR written by hand or by another tool).
  for (const bad of [0, 2.5, 1025]) {
    assert.equal(validate({ ...JSON.parse(JSON.stringify(bare.ir)), simulate: { ...bare.ir.simulate, threads: bad } }), false, `threads ${bad} passed the schema`);
  }
  const refused = lowerText('threads-bad.snn', model('; threads: 0'));
  assert.ok(!refused.ok, 'threads: 0 lowered');
});
