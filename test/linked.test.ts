// Linked variables (issue 14, item 6): `I_mod = linked(drive.v)` makes a population's parameter
// read another population's variable at the start of every step (Brian2's linked_var). Planted
// cases with answers known in closed form; the Brian2 comparison (test/engine/linked.snn) is in
// brian2.test.ts, the misuse errors in test/corpus/invalid/linked_misuse.snn.
import Ajv2020 from 'ajv/dist/2020';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { Simulation } from '../sim-host/src/engine';
import { trace } from './examples/helpers';
import { webgpuRefusal } from '../sim-host/src/webgpu/backend';
import { parseAxis, SweepError } from '../sim-host/src/sweep/spec';
import { parseQuantity } from '../language-server/src/ide';
import { irOf } from './helpers/model';
import { repoRoot } from './helpers/build';
import { freshProgram } from './helpers/corpus';
import { complete } from '../language-server/src/features/completion';
import { hover } from '../language-server/src/features/hover';
import { semanticTokens, TOKEN_TYPES } from '../language-server/src/features/tokens';
import { LineIndex } from '../language-server/src/text';

// A source whose v is closed form (v = 10 mV · e^{-t/10 ms}, exact under exponential Euler) and
// readers that only show what they read: seen = I_mod, a named expression of the parameter.
const DECAY = `
model planted_link
neuron Decay {
  parameters { tau = 10 ms }
  state { v: mV = 10 mV + i * 1 mV }
  equations { dv/dt = -v / tau }
}
neuron Reader {
  parameters { tau = 5 ms; I_mod: mV }
  state { u: mV = 0 mV; got: mV = 0 mV }
  equations { du/dt = (I_mod - u) / tau; seen = I_mod }
}
population one = Decay[1]
population many = Decay[6]
population wide = Reader[4] { I_mod = linked(one.v); every 0.1 ms { got = I_mod } }
population pair = Reader[6] { I_mod = linked(many.v) }
population fold = Reader[6] { I_mod = linked(many.v, index = 5 - i / 2) }
probe seen(wide, pair, fold) every 0.1 ms
probe u(wide) every 0.1 ms
probe got(wide) every 0.1 ms
simulate { dt: 0.1 ms; duration: 20 ms; seed: 1 }
`;

describe('linked variables', () => {
  const r = new Simulation(irOf(DECAY)).run();
  const v = (k: number, i: number) => (10 + i) * 1e-3 * Math.exp(-(k * 1e-4) / 10e-3);
  const close = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) <= 2e-6 * Math.abs(b) + 1e-12, `${what}: ${a} vs ${b}`);

  it('broadcast a source of one neuron to every reader neuron, each step (start-of-step value)', () => {
    for (let m = 0; m < 4; m++) trace(r, 'wide', 'seen', m).forEach((x, k) => close(x, v(k, 0), `wide[${m}] step ${k}`));
  });

  it('lower to schema-valid IR: links with the index as whole source neurons (⌊i / 10⌋)', () => {
    const validate = new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(fs.readFileSync(path.join(repoRoot, 'protocol/ir.schema.json'), 'utf8')));
    const ir = irOf({ file: 'test/engine/linked.snn' });
    assert.ok(validate(ir), JSON.stringify(validate.errors?.slice(0, 3)));
    const groups = ir.populations.find((p) => p.name === 'groups')!;
    assert.deepEqual(groups.links, [{ parameter: 'v_drive', source: 'pace', variable: 'v', index: Array.from({ length: 100 }, (_, i) => Math.floor(i / 10)) }]);
    assert.deepEqual(ir.populations.find((p) => p.name === 'shared')!.links, [{ parameter: 'v_drive', source: 'one', variable: 'v' }]);
    assert.equal(groups.parameters.v_drive, undefined);
  });

  it('the engine refuses links the checker would refuse (IR from elsewhere): self, chained, sizes, index, unknown variable', () => {
    const refuse = (edit: (ir: ReturnType<typeof irOf>) => void, re: RegExp) => {
      const ir = irOf(DECAY);
      edit(ir);
      assert.throws(() => new Simulation(ir), re);
    };
    const pop = (ir: ReturnType<typeof irOf>, name: string) => ir.populations.find((p) => p.name === name)!;
    refuse((ir) => (pop(ir, 'wide').links![0].source = 'wide'), /reads another population/);
    refuse((ir) => (pop(ir, 'pair').links![0] = { parameter: 'I_mod', source: 'wide', variable: 'I_mod' }), /wide has 4 neurons and pair 6|is linked itself/);
    refuse((ir) => (pop(ir, 'wide').links![0] = { parameter: 'I_mod', source: 'pair', variable: 'I_mod' }), /pair\.I_mod is linked itself/);
    refuse((ir) => (pop(ir, 'wide').links![0].source = 'many'), /many has 6 neurons and wide 4; give an index/);
    refuse((ir) => (pop(ir, 'fold').links![0].index![2] = 6), /the index needs 6 whole numbers in 0\.\.5/);
    refuse((ir) => (pop(ir, 'wide').links![0].variable = 'w'), /w is not a state variable or parameter of Decay/);
  });

  it('a scheduled operation reading a linked parameter sees the value of this step', () => {
    trace(r, 'wide', 'got', 1).forEach((x, k) => close(x, v(k, 0), `got step ${k}`));
  });

  it('read neuron i of a source of the same size, or neuron ⌊index⌋', () => {
    for (let m = 0; m < 6; m++) {
      trace(r, 'pair', 'seen', m).forEach((x, k) => close(x, v(k, m), `pair[${m}] step ${k}`));
      trace(r, 'fold', 'seen', m).forEach((x, k) => close(x, v(k, Math.floor(5 - m / 2)), `fold[${m}] step ${k}`));
    }
  });

  it('the reader integrates the linked value held over each step (exact solution of du/dt = (I_k − u)/τ)', () => {
    const a = Math.exp(-1e-4 / 5e-3);
    let u = 0;
    trace(r, 'wide', 'u', 0).forEach((x, k) => {
      close(x, u, `u step ${k}`);
      u = v(k, 0) + (u - v(k, 0)) * a;
    });
  });

  it('the WebGPU backend refuses links with a reason (the run falls back to WASM)', () => {
    assert.match(webgpuRefusal(irOf(DECAY.replace('; every 0.1 ms { got = I_mod }', ''))) ?? '', /linked variables \(population wide: I_mod = linked\(one\.v\)\)/);
  });

  it('a sweep refuses a linked parameter and sets the source\'s', () => {
    const ir = irOf(DECAY);
    assert.throws(() => parseAxis(ir, 'wide.I_mod=0mV:1mV:3', parseQuantity), (e: unknown) => e instanceof SweepError && /wide\.I_mod is linked to one\.v .*a sweep cannot set it/.test(e.message));
    assert.equal(parseAxis(ir, 'one.tau=5ms:10ms:2', parseQuantity).values.length, 2);
  });

  it('a source population listed after its reader, and a link from a spiking source, read the same', () => {
    // Integration order does not matter: the reader below is declared before its source.
    const text = `
neuron Tick {
  parameters { I = 2 }
  state { x = 0 }
  equations { dx/dt = I / (10 ms) }
  spike when x > 1
  reset { x = 0 }
}
neuron R { parameters { p: 1 }; state { y = 0 }; equations { dy/dt = 0 / (1 ms); seen = p } }
population r = R[3] { p = linked(t.x) }
population t = Tick[1]
probe seen(r)
probe x(t)
simulate { dt: 0.1 ms; duration: 12 ms; seed: 1 }
`;
    const run = new Simulation(irOf(text)).run();
    const x = trace(run, 't', 'x', 0);
    assert.ok(run.spikes.find((s) => s.name === 't')!.steps.length >= 2);
    for (let m = 0; m < 3; m++) assert.deepEqual(trace(run, 'r', 'seen', m), x);
  });
});

describe('linked variables in the editor', () => {
  const uri = 'file:///tmp/linked-editor.snn';
  const analyze = (text: string) => {
    const program = freshProgram();
    program.setText(uri, text);
    return program.analyze(uri);
  };
  const MODEL = `
neuron Src { parameters { tau = 10 ms; g = 1 nS }; state { v: mV = 0 mV }; equations { dv/dt = -v / tau; half = v / 2 } }
neuron Rd { parameters { tau = 10 ms; I_mod: mV }; state { u: mV = 0 mV }; equations { du/dt = (I_mod - u) / tau } }
population src = Src[10]
population rd = Rd[10] { I_mod = linked(src.v) }
simulate { dt: 0.1 ms; duration: 10 ms }
`;
  const at = (marker: string) => {
    const text = MODEL.replace('linked(src.v)', marker);
    const k = text.indexOf('|');
    return complete(analyze(text.replace('|', '')), k).map((c) => c.label);
  };

  it('completion offers linked after =, other populations inside linked(, and their variables after the dot', () => {
    assert.ok(at('|').includes('linked'));
    assert.deepEqual(at('linked(|'), ['src']);
    assert.deepEqual(at('linked(src.|').sort(), ['g', 'tau', 'v']);
  });

  it('hover explains linked and names the source population and variable; tokens mark linked as a function', () => {
    const a = analyze(MODEL);
    assert.deepEqual(a.diagnostics.filter((d) => d.severity === 1), []);
    assert.match(hover(a, MODEL.indexOf('linked(') + 2)?.markdown ?? '', /start of each step.*linked_var/);
    assert.match(hover(a, MODEL.indexOf('src.v)') + 1)?.markdown ?? '', /population src = Src\[10\]/);
    assert.match(hover(a, MODEL.indexOf('src.v)') + 4)?.markdown ?? '', /state Src\.v/);
    const data = semanticTokens(a, new LineIndex(MODEL), () => false);
    const lines = new LineIndex(MODEL);
    const pos = lines.position(MODEL.indexOf('linked('));
    let line = 0;
    let col = 0;
    let found: string | undefined;
    for (let k = 0; k < data.length; k += 5) {
      line += data[k];
      col = data[k] === 0 ? col + data[k + 1] : data[k + 1];
      if (line === pos.line && col === pos.character) found = TOKEN_TYPES[data[k + 3]];
    }
    assert.equal(found, 'function');
  });

  it('a size mismatch offers index = … as the fix, which checks clean', () => {
    const text = MODEL.replace('Rd[10]', 'Rd[4]');
    const d = analyze(text).diagnostics.find((x) => x.code === 'size-mismatch');
    const fix = d?.fixes?.[0];
    assert.ok(fix && fix.kind === 'replace');
    const fixed = text.slice(0, fix.start) + fix.text + text.slice(fix.end);
    assert.match(fixed, /linked\(src\.v, index = i \* 10 \/ 4\)/);
    assert.deepEqual(analyze(fixed).diagnostics.filter((x) => x.severity === 1), []);
  });
});
