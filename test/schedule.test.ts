// Scheduled operations (issue 14, item 7): `every <interval> { … }` and `at <time | [times]> { … }`
// in a population. Parser recovery, the checker's rounding fix, the IR, and the engine's
// semantics on small models (which steps, order, parameters per neuron, refractory drops,
// random streams). Against Brian2: test/brian2.test.ts (schedule_lif, schedule_noise) and
// test/reliability.test.ts.
import Ajv2020 from 'ajv/dist/2020';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { complete } from '../language-server/src/features/completion';
import { repoRoot } from './helpers/build';
import { Simulation } from '../sim-host/src/engine';
import { webgpuRefusal } from '../sim-host/src/webgpu/backend';
import { parse } from '../language-server/src/parser';
import { freshProgram } from './helpers/corpus';
import { irOf, outcomeOf } from './helpers/model';

const CELL = `
neuron Cell {
  parameters { tau = 10 ms; b = 0 mV }
  state { v: mV = 0 mV; c = 0; u = 0 }
  equations { dv/dt = (b - v) / tau }
}
`;

function trace(ir: ReturnType<typeof irOf>, variable: string) {
  const r = new Simulation(ir).run();
  assert.ok(!r.error, r.error);
  const tr = r.traces.find((t) => t.variable === variable)!;
  const n = tr.neurons.length;
  return { r, n, at: (step: number, m = 0) => tr.data[step * n + m] };
}

describe('scheduled operations: language', () => {
  it('parses every/at blocks next to initial values; a parameter named every or at stays a parameter', () => {
    const f = parse('population p = LIF[2] {\n  v = -60 mV\n  every 1 ms { v += 1 mV }\n  at [1 ms, 2 ms] { I_e = 1 pA; v = -70 mV }\n}\n');
    assert.deepEqual(f.errors, []);
    const p = f.items[0];
    assert.ok(p.kind === 'population');
    assert.equal(p.inits.length, 1);
    assert.deepEqual(p.schedules?.map((s) => [s.keyword.name, s.when.kind, s.statements.length]), [['every', 'number', 1], ['at', 'list', 2]]);
    const g = parse('population p = X[2] { every = 3; at = 2 }\n');
    assert.deepEqual(g.errors, []);
    assert.equal(g.items[0].kind === 'population' && g.items[0].inits.length, 2);
  });

  it('a block without braces is a located syntax error and the rest of the file still parses', () => {
    const text = 'population p = LIF[2] {\n  every 1 ms v += 1 mV\n  v = -60 mV\n}\nprobe spikes(p)\n';
    const f = parse(text);
    assert.equal(f.errors.length, 1, JSON.stringify(f.errors));
    assert.match(f.errors[0].message, /expected '\{' and the statements to run every interval/);
    assert.equal(text.slice(0, f.errors[0].start).split('\n').length, 2);
    assert.equal(f.items.length, 2);
  });

  it("the fix for a time that is not a whole number of steps rounds it to dt, and the fixed text checks clean", () => {
    const uri = 'file:///virtual/sched.snn';
    const text = 'population p = LIF[2] {\n  every 0.25 ms { v += 1 mV }\n  at 10.04 ms { I_e = 1 pA }\n}\nsimulate { dt: 0.1 ms; duration: 50 ms }\n';
    const program = freshProgram();
    program.setText(uri, text);
    const errs = program.analyze(uri).diagnostics.filter((d) => d.code === 'not-multiple-of-dt');
    assert.equal(errs.length, 2, JSON.stringify(errs));
    let fixed = text;
    for (const d of [...errs].sort((x, y) => y.start - x.start)) {
      const fix = d.fixes?.[0];
      assert.ok(fix && fix.kind === 'replace');
      fixed = fixed.slice(0, fix.start) + fix.text + fixed.slice(fix.end);
    }
    assert.match(fixed, /every 0\.3 ms \{/);
    assert.match(fixed, /at 10 ms \{/);
    program.setText(uri, fixed);
    assert.deepEqual(program.analyze(uri).diagnostics.filter((d) => d.severity === 1), []);
  });

  it('lowers to PopulationIR.schedules (times in seconds; parameters as param targets)', () => {
    const ir = irOf(`${CELL}population p = Cell[2] {\n  every 2 ms { v += 1 mV; b = i * 1 mV }\n  at [3 ms, 1 ms] { c = t / (1 ms) }\n}\nsimulate { dt: 0.1 ms; duration: 10 ms }\n`);
    const s = ir.populations[0].schedules!;
    assert.equal(s[0].every, 0.002);
    assert.deepEqual(s[0].statements.map((x) => x.target), [{ kind: 'state', name: 'v' }, { kind: 'param', name: 'b' }]);
    assert.deepEqual(s[1].at, [0.003, 0.001]);
    assert.match(webgpuRefusal(ir) ?? '', /does not run scheduled operations/);
    // schema-valid, as the valid corpus's file with every form of block
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(fs.readFileSync(path.join(repoRoot, 'protocol/ir.schema.json'), 'utf8')));
    for (const x of [ir, irOf({ file: 'test/corpus/valid/scheduled_operations.snn' })]) assert.ok(validate(x), JSON.stringify(validate.errors));
    const broken = structuredClone(ir);
    delete broken.populations[0].schedules![0].every;
    assert.equal(validate(broken), false, 'a block with neither every nor at is not valid IR');
  });

  it('completion offers every and at in a population body', () => {
    const uri = 'file:///virtual/complete.snn';
    const text = 'population p = LIF[2] {\n  \n}\n';
    const program = freshProgram();
    program.setText(uri, text);
    const labels = complete(program.analyze(uri), text.indexOf('\n  \n') + 3).map((c) => c.label);
    assert.ok(labels.includes('every') && labels.includes('at') && labels.includes('I_e'), labels.join(' '));
  });
});

describe('scheduled operations: engine', () => {
  it('every runs at t = 0, k, 2k, … before probes sample; at runs on its steps only; blocks in order', () => {
    const ir = irOf(`${CELL}population p = Cell[3] {\n  tau = 1e9 s\n  every 1 ms { c += 1 }\n  every 2 ms { c *= 10 }\n  at [0.5 ms, 0.7 ms] { u = t / (0.1 ms) + i }\n}\nprobe c(p) every 0.1 ms\nprobe u(p) every 0.1 ms\nsimulate { dt: 0.1 ms; duration: 5 ms }\n`);
    const c = trace(ir, 'c');
    // step 0: c = (0 + 1) * 10 = 10; steps 1-9: 10; step 10: 11; step 20: (11 + 1) * 10 = 120
    assert.deepEqual([0, 9, 10, 19, 20, 30, 40, 49].map((s) => c.at(s)), [10, 10, 11, 11, 120, 121, 1220, 1220]);
    const u = trace(ir, 'u');
    assert.deepEqual([4, 5, 6, 7, 8, 49].map((s) => u.at(s, 2)), [0, 7, 7, 9, 9, 9]);
  });

  it('a parameter a block assigns is stored per neuron and drives the equations from then on', () => {
    const ir = irOf(`${CELL}population p = Cell[2] {\n  at 1 ms { b = 10 mV + i * 10 mV }\n}\nprobe v(p) every 0.1 ms\nsimulate { dt: 0.1 ms; duration: 100 ms }\n`);
    const v = trace(ir, 'v');
    assert.equal(v.at(10, 0), 0);
    assert.ok(Math.abs(v.at(999, 0) - 0.01) < 1e-5 && Math.abs(v.at(999, 1) - 0.02) < 1e-5, `${v.at(999, 0)} ${v.at(999, 1)}`);
  });

  it('as Brian2: writes to a variable the reset holds are dropped while refractory; others are not', () => {
    const ir = irOf(`
neuron Fire {
  parameters { tau = 10 ms }
  state { v: mV = 0 mV; w = 0 }
  equations { dv/dt = (40 mV - v) / tau }
  spike when v > 10 mV
  reset { v = 0 mV }
  refractory 5 ms
}
population p = Fire[1] {
  every 1 ms { v -= 1 mV; w += 1 }
}
probe spikes(p)
probe v(p) every 0.1 ms
probe w(p) every 0.1 ms
simulate { dt: 0.1 ms; duration: 30 ms }
`);
    const r = new Simulation(ir).run();
    const spike = r.spikes[0].steps[0];
    const v = r.traces.find((t) => t.variable === 'v')!.data;
    const w = r.traces.find((t) => t.variable === 'w')!.data;
    // the first kick after the spike, while refractory (counter > 0 up to spike + 50 steps)
    const kick = Math.ceil((spike + 1) / 10) * 10;
    assert.ok(kick < spike + 50);
    assert.equal(v[kick + 1], 0, 'v held at its reset value: the kick was dropped');
    assert.equal(w[kick + 1] - w[kick - 1], 1, 'w (not held) still counts');
  });

  it('rand()/randn() draw per neuron and step from their own stream: not the equations', () => {
    const src = (extra: string) => irOf(`
neuron R {
  state { x = 0; y = 0 }
  equations { dy/dt = 0 / (1 s) ${extra} }
}
population p = R[500] { every 1 ms { x = randn() } }
probe x(p) every 1 ms
simulate { dt: 0.1 ms; duration: 10 ms; seed: 3 }
`);
    const a = trace(src(''), 'x');
    const b = trace(src('+ rand() / (1 s)'), 'x'); // an equation's rand() (stream 6) leaves x's draws unchanged
    let sum = 0;
    let sq = 0;
    for (let s = 0; s < 10; s++) {
      for (let m = 0; m < 500; m++) {
        assert.equal(a.at(s, m), b.at(s, m));
        sum += a.at(s, m);
        sq += a.at(s, m) ** 2;
      }
    }
    assert.ok(Math.abs(sum / 5000) < 0.05 && Math.abs(sq / 5000 - 1) < 0.06, `mean ${sum / 5000}, var ${sq / 5000}`);
    assert.notEqual(a.at(0, 0), a.at(1, 0));
    assert.notEqual(a.at(0, 0), a.at(0, 1));
  });

  it('refused in the IR engine path only where impossible: a plan error, never a silent default', () => {
    const ir = irOf(`${CELL}population p = Cell[2] { every 1 ms { v += 1 mV } }\nsimulate { dt: 0.1 ms; duration: 5 ms }\n`);
    ir.populations[0].schedules![0].every = 0.00025; // not a whole number of steps (the checker refuses it)
    assert.throws(() => new Simulation(ir).run(), /not a whole number of steps/);
    assert.equal(outcomeOf(`${CELL}population p = Cell[2] { every 0.25 ms { v += 1 mV } }\nsimulate { dt: 0.1 ms; duration: 5 ms }\n`).ok, false);
    // without a simulate block, against the defaults (dt 0.1 ms, 1 s)
    const bare = outcomeOf(`${CELL}population p = Cell[2] {\n  every 0.25 ms { v += 1 mV }\n  at 1 s { v = 0 mV }\n}\n`);
    assert.ok(!bare.ok);
    assert.deepEqual(bare.diagnostics.map((d) => [d.line, d.code]), [[8, 'not-multiple-of-dt'], [9, 'out-of-range']]);
  });
});
