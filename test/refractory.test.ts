// Refractoriness forms (issue 14, item 4): `refractory t_ref holding [...]` (which variables are
// held; `holding []` blocks spiking only) and `refractory when cond` (Brian2's boolean
// refractory). The IR, the checker's fixes, completion and hover, the engine (SIMD and scalar,
// against a model written out by hand), WebGPU's stated fallback. The Brian2 comparison of
// test/engine/refractory_forms.snn is in brian2.test.ts; the errors are in the corpus
// (invalid/refractory_misuse.snn, invalid/refractory_syntax.snn).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { complete } from '../language-server/src/features/completion';
import { hover } from '../language-server/src/features/hover';
import { Simulation, spikesOf, type RunResult } from '../sim-host/src/engine';
import { webgpuRefusal } from '../sim-host/src/webgpu/backend';
import { freshProgram } from './helpers/corpus';
import { irOf } from './helpers/model';

const neuron = (name: string, refractory: string, reset = 'v = -65 mV; w += 20 pA') => `
neuron ${name} {
  parameters { tau = 10 ms; tau_w = 50 ms; V_th = -50 mV }
  state { v: mV = -70 mV; w: pA = 0 pA; I_e: mV = 30 mV }
  equations {
    dv/dt = (-70 mV + I_e - v - w * 100 Mohm) / tau
    dw/dt = -w / tau_w
  }
  spike when v > V_th
  reset { ${reset} }
  ${refractory}
}`;

const net = (refractory: string, size = 1, reset?: string) =>
  `${neuron('N', refractory, reset)}\npopulation p = N[${size}] { I_e = 25 mV + i * 3 mV }\nprobe spikes(p)\nprobe v(p) every 0.1 ms\nprobe w(p) every 0.1 ms\nsimulate { dt: 0.1 ms; duration: 300 ms; seed: 1 }\n`;

const run = (text: string, simd = true): RunResult => new Simulation(irOf(text), { simd }).run();
const steps = (r: RunResult) => [...spikesOf(r, 'p')!.steps];
const trace = (r: RunResult, v: string) => [...r.traces.find((t) => t.variable === v)!.data];

describe('refractory forms: IR', () => {
  it('the plain form lowers as before (no new keys: results and digests unchanged)', () => {
    const m = irOf(net('refractory 2 ms')).models.N;
    assert.deepEqual(m.refractory, { op: 'const', value: 0.002 });
    assert.ok(!('refractory_when' in m) && !('refractory_holds' in m));
  });
  it('holding and when lower to refractory_holds and refractory_when', () => {
    assert.deepEqual(irOf(net('refractory 2 ms holding [w]')).models.N.refractory_holds, ['w']);
    assert.deepEqual(irOf(net('refractory 2 ms holding []')).models.N.refractory_holds, []);
    const m = irOf(net('refractory when v > -60 mV')).models.N;
    assert.equal(m.refractory, null);
    assert.deepEqual(m.refractory_when, { op: 'gt', args: [{ op: 'state', name: 'v' }, { op: 'neg', args: [{ op: 'const', value: 0.06 }] }] });
    assert.ok(!('refractory_holds' in m));
  });
});

describe('refractory forms: the engine', () => {
  it('holding [v, w] is the default for reset { v = …; w += … }: the same run', () => {
    assert.deepEqual(trace(run(net('refractory 5 ms holding [v, w]')), 'v'), trace(run(net('refractory 5 ms')), 'v'));
  });

  it('holding [v] lets w decay while refractory; holding [] lets v integrate from the reset (earlier spikes)', () => {
    const both = run(net('refractory 5 ms'));
    const onlyV = run(net('refractory 5 ms holding [v]'));
    const none = run(net('refractory 5 ms holding []'));
    const w0 = trace(both, 'w');
    const w1 = trace(onlyV, 'w');
    // After the first spike, w is held at 20 pA by default and decays under holding [v].
    const k = steps(both)[0];
    assert.ok(k > 0 && steps(onlyV)[0] === k, 'same first spike');
    assert.ok(Math.abs(w0[k + 20] - 20e-12) < 1e-15 && w1[k + 20] < 19.5e-12, `w at +2 ms: ${w0[k + 20]} vs ${w1[k + 20]}`);
    // v: held at -65 mV for 5 ms by default; under holding [] it rises during the refractory period.
    const v0 = trace(both, 'v');
    const v2 = trace(run(net('refractory 5 ms holding []')), 'v');
    assert.ok(Math.abs(v0[k + 40] + 0.065) < 1e-6 && v2[k + 40] > -0.0645, `v at +4 ms: ${v0[k + 40]} vs ${v2[k + 40]}`);
    assert.ok(steps(none).length > steps(both).length, `${steps(none).length} spikes without holding vs ${steps(both).length}`);
  });

  it('holding [] under drive that crosses threshold within the period: spikes exactly t_ref apart', () => {
    const s = steps(run(net('refractory 5 ms holding []', 1, 'v = -55 mV').replace('I_e = 25 mV + i * 3 mV', 'I_e = 60 mV')));
    assert.ok(s.length > 50 && s.slice(1).every((k, j) => k - s[j] === 50), `${s.slice(0, 8)}`);
  });

  it('refractory when: one spike per excursion above the condition, as a hand-written reference does', () => {
    // No reset: v rises to its steady state -70 + I_e and stays; with `refractory when v > -60 mV`
    // a neuron above -60 mV never leaves refractoriness: exactly one spike each. A smaller drive
    // (steady state below threshold) gives none.
    const text = net('refractory when v > -60 mV', 7, 'w += 0 pA');
    const r = run(text);
    const s = spikesOf(r, 'p')!;
    assert.deepEqual([...s.neurons].sort(), [0, 1, 2, 3, 4, 5, 6]);
    // The reference: the same model by exponential Euler in f64, spike at the first step whose
    // update takes v above -50 mV (the condition holds from then on).
    for (let n = 0; n < 7; n++) {
      const target = -0.07 + 0.025 + n * 0.003;
      let v = -0.07;
      let step = -1;
      for (let k = 0; k < 3000 && step < 0; k++) {
        v = target + (v - target) * Math.exp(-1e-4 / 1e-2);
        if (v > -0.05) step = k;
      }
      const mine = [...s.steps].filter((_, j) => s.neurons[j] === n);
      assert.equal(mine.length, target > -0.05 ? 1 : 0, `neuron ${n}`);
      if (mine.length) assert.ok(Math.abs(mine[0] - step) <= 1, `neuron ${n}: step ${mine[0]}, reference ${step}`);
    }
  });

  it('refractory when re-arms when a step begins with the condition false (and SIMD or not, the same run)', () => {
    // A reset below the condition's bound: the neuron leaves refractoriness on the next step, so
    // the condition form behaves as no refractory period at all here…
    const text = net('refractory when v > -60 mV', 7);
    const a = run(text, true);
    const b = run(text, false);
    assert.deepEqual(steps(a), steps(b));
    assert.deepEqual(trace(a, 'v'), trace(b, 'v'));
    const plain = run(net('refractory 0 ms', 7));
    assert.deepEqual(steps(a), steps(plain));
    // …and a reset above it keeps the neuron refractory (and v held) until v falls below -60 mV,
    // which it never does while held: one spike per neuron.
    const stuck = run(net('refractory when v > -60 mV', 7, 'v = -55 mV'));
    assert.equal(steps(stuck).length, 7);
    assert.ok(trace(stuck, 'v').slice(-7).every((x) => Math.abs(x + 0.055) < 1e-6));
  });

  it('WebGPU refuses refractory when with the reason (the run falls back to WASM), and runs holding', () => {
    assert.equal(webgpuRefusal(irOf(net('refractory when v > -60 mV'))), 'the WebGPU backend does not run refractory conditions (refractory when) yet');
    assert.equal(webgpuRefusal(irOf(net('refractory 2 ms holding []'))), undefined);
  });
});

describe('refractory forms: checker fixes, completion, hover', () => {
  const uri = 'file:///virtual/refractory.snn';
  const analyze = (text: string) => {
    const program = freshProgram();
    program.setText(uri, text);
    return program.analyze(uri);
  };
  const applyFirst = (text: string, code: string) => {
    const d = analyze(text).diagnostics.find((x) => x.code === code);
    const fix = d?.fixes?.[0];
    assert.ok(fix && fix.kind === 'replace', `a fix for ${code}`);
    return text.slice(0, fix.start) + fix.text + text.slice(fix.end);
  };
  const errors = (text: string) => analyze(text).diagnostics.filter((d) => d.severity === 1);

  it('a condition written without when: the fix inserts when, and the result checks clean', () => {
    const fixed = applyFirst(net('refractory v > -60 mV'), 'not-time');
    assert.match(fixed, /refractory when v > -60 mV/);
    assert.deepEqual(errors(fixed), []);
  });
  it('a period written with when: the fix removes when', () => {
    const fixed = applyFirst(net('refractory when 2 ms'), 'not-boolean');
    assert.match(fixed, /refractory 2 ms\n/);
    assert.deepEqual(errors(fixed), []);
  });
  it('held names: a misspelling is changed, a parameter or variable without equation removed with its comma', () => {
    assert.match(applyFirst(net('refractory 2 ms holding [vv, w]'), 'unknown-name'), /holding \[v, w\]/);
    assert.match(applyFirst(net('refractory 2 ms holding [v, tau, w]'), 'bad-hold'), /holding \[v, w\]/);
    assert.match(applyFirst(net('refractory 2 ms holding [v, I_e]'), 'bad-hold'), /holding \[v\]/);
    assert.deepEqual(errors(applyFirst(net('refractory 2 ms holding [I_e]'), 'bad-hold')), []);
  });
  it('completion offers when after refractory, holding after the period, and only variables with an equation in the list', () => {
    const at = (text: string, marker: string) => {
      const a = analyze(text.replace(marker, ''));
      return complete(a, text.indexOf(marker)).map((c) => c.label);
    };
    assert.ok(at(net('refractory |'), '|').includes('when'));
    assert.ok(at(net('refractory 2 ms |'), '|').includes('holding'));
    const inList = at(net('refractory 2 ms holding [v, |]'), '|');
    assert.deepEqual(inList.sort(), ['v', 'w']);
  });
  it('hover explains holding and refractory', () => {
    const text = net('refractory 2 ms holding [v]');
    const a = analyze(text);
    assert.match(hover(a, text.indexOf('holding') + 2)?.markdown ?? '', /held .* while refractory/);
    assert.match(hover(a, text.indexOf('refractory') + 2)?.markdown ?? '', /refractory when/);
    // A held name is a reference to the state variable.
    assert.match(hover(a, text.indexOf('holding [v]') + 9)?.markdown ?? '', /state N\.v/);
  });
});
