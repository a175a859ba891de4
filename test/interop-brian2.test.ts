// Brian2 export (interop/brian2.ts, `spikeworks export FILE --to brian2`): the generated script
// runs in Brian2 (Debian python3-brian, numpy code generation) and its spikes are compared with
// our engine's run of the same file — single neurons within one dt, spike for spike; Brunel's
// network by its rates and CV(ISI) within the network tests' tolerances (test/network.test.ts:
// 3 % and 0.02). Ground truth is Brian2 running code we generated, never our own output.
// Every example is either exported and run, or refused at file:line:column with a reason.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { toBrian2 } from '../interop/brian2';
import { Simulation, spikesOf, type RunResult } from '../sim-host/src/engine';
import { ensureBuilt, repoRoot } from './helpers/build';
import { irOf } from './helpers/model';
import { pythonHas } from './helpers/python';

const PY = '/usr/bin/python3';
const hasBrian = pythonHas('brian2');
const skip = !hasBrian && !process.env.CI ? 'Brian2 not installed (apt-get install python3-brian)' : false;
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'swk-b2x-'));

interface B2Out {
  dt: number;
  spikes: Record<string, { i: number[]; t: number[] }>;
  traces: Record<string, { t: number[]; neurons: number[]; values: number[][] }>;
}

/** Exports `file` through the exporter and runs the script in Brian2. */
function runExported(file: string, extra: string[] = [], timeout = 300_000): B2Out {
  const r = toBrian2(irOf({ file }), path.basename(file));
  assert.ok(r.ok, `${file} refused: ${!r.ok && r.refusals.map((x) => x.message).join('; ')}`);
  const dir = tmp();
  const script = path.join(dir, 'model.py');
  fs.writeFileSync(script, r.text);
  const out = path.join(dir, 'out.json');
  const p = spawnSync(PY, [script, '--out', out, ...extra], { encoding: 'utf8', timeout });
  assert.equal(p.status, 0, `Brian2 script of ${file} failed:\n${p.stderr.slice(-3000)}`);
  return JSON.parse(fs.readFileSync(out, 'utf8'));
}

function byNeuron(ns: ArrayLike<number>, ts: ArrayLike<number>): Map<number, number[]> {
  const m = new Map<number, number[]>();
  for (let k = 0; k < ns.length; k++) m.set(ns[k], [...(m.get(ns[k]) ?? []), ts[k]]);
  return m;
}

/** Same spike count per neuron, every spike within one dt; returns the number of spikes. */
function sameSpikes(a: RunResult, b: B2Out, pop: string): number {
  const s = spikesOf(a, pop)!;
  const mine = byNeuron(s.neurons, [...s.steps].map((x) => x * a.dt));
  const ref = b.spikes[pop];
  assert.ok(ref, `no spikes of ${pop} in the script's output`);
  const theirs = byNeuron(ref.i, ref.t);
  let n = 0;
  for (const k of new Set([...mine.keys(), ...theirs.keys()])) {
    const x = mine.get(k) ?? [];
    const y = theirs.get(k) ?? [];
    assert.equal(x.length, y.length, `${pop}[${k}]: ${x.length} spikes here, ${y.length} in Brian2 (here ${x.slice(0, 4)}, Brian2 ${y.slice(0, 4)})`);
    x.forEach((t, q) => assert.ok(Math.abs(t - y[q]) <= a.dt + 1e-9, `${pop}[${k}] spike ${q}: ${t} here, ${y[q]} in Brian2`));
    n += x.length;
  }
  return n;
}

/** Rate (Hz per neuron) and mean CV(ISI) over neurons with ≥ 3 spikes, of spikes after `from`. */
function stats(ns: ArrayLike<number>, ts: ArrayLike<number>, size: number, from: number, to: number): { rate: number; cv: number } {
  const m = new Map<number, number[]>();
  for (let k = 0; k < ns.length; k++) if (ts[k] >= from) m.set(ns[k], [...(m.get(ns[k]) ?? []), ts[k]]);
  let count = 0;
  const cvs: number[] = [];
  for (const t of m.values()) {
    count += t.length;
    if (t.length < 3) continue;
    const isi = t.slice(1).map((x, k) => x - t[k]);
    const mean = isi.reduce((s, x) => s + x, 0) / isi.length;
    const sd = Math.sqrt(isi.reduce((s, x) => s + (x - mean) ** 2, 0) / isi.length);
    cvs.push(sd / mean);
  }
  return { rate: count / size / (to - from), cv: cvs.reduce((s, x) => s + x, 0) / Math.max(1, cvs.length) };
}

describe('Brian2 export: generated scripts against our engine', { skip }, () => {
  const single: [string, string[]][] = [
    ['test/engine/lif_step.snn', ['n']],
    ['test/engine/izhikevich_step.snn', ['n']],
    ['test/engine/adex_step.snn', ['n']],
    ['test/engine/refractory_forms.snn', ['cross', 'blocked', 'held', 'dip', 'adapt']],
    ['test/engine/lif_spiketrain.snn', ['cells', 'train']],
    ['test/engine/ring_chain.snn', ['ring']],
    ['test/engine/pathways.snn', ['cells']],
    ['test/engine/linked.snn', ['pace', 'one', 'shared', 'groups']],
    ['test/engine/schedule_lif.snn', ['n']],
    ['examples/gap_junctions.snn', ['neurons']],
    ['examples/two_compartment.snn', ['cell']],
  ];
  for (const [file, pops] of single) {
    it(`${file}: the exported script spikes as our engine, within one dt`, () => {
      const ir = irOf({ file });
      const a = new Simulation(ir, { seed: ir.simulate.seed }).run();
      const b = runExported(file);
      const counts = pops.map((p) => sameSpikes(a, b, p));
      console.log(`  ${path.basename(file)}: ${pops.map((p, k) => `${p} ${counts[k]}`).join(', ')} spikes, all within one dt`);
      assert.ok(counts.reduce((s, x) => s + x, 0) > 0);
    });
  }

  it('Brunel (5000 LIF, fixed in-degree, Poisson drive, delays): rates within 3 % and CV(ISI) within 0.02 of our run', () => {
    const file = 'test/engine/brunel.snn';
    const duration = 0.4;
    const ir = irOf({ file });
    ir.simulate.duration = duration;
    const a = new Simulation(ir, { seed: 1 }).run();
    const b = runExported(file, ['--duration', String(duration), '--seed', '1'], 600_000);
    for (const [pop, size] of [['exc', 4000], ['inh', 1000]] as const) {
      const s = spikesOf(a, pop)!;
      const x = stats(s.neurons, [...s.steps].map((k) => k * a.dt), size, 0.1, duration);
      const y = stats(b.spikes[pop].i, b.spikes[pop].t, size, 0.1, duration);
      console.log(`  brunel ${pop}: ${x.rate.toFixed(2)} Hz, CV ${x.cv.toFixed(3)} here; ${y.rate.toFixed(2)} Hz, CV ${y.cv.toFixed(3)} in the exported Brian2 script`);
      assert.ok(y.rate > 10, `Brian2 rate ${y.rate}`);
      assert.ok(Math.abs(x.rate - y.rate) < 0.03 * y.rate, `${pop}: rate ${x.rate} here, ${y.rate} in Brian2`);
      assert.ok(Math.abs(x.cv - y.cv) < 0.02, `${pop}: CV ${x.cv} here, ${y.cv} in Brian2`);
    }
  });
});

describe('Brian2 export: every example is exported and runs, or is refused at its line with the reason', { skip }, () => {
  it('walks examples/', () => {
    ensureBuilt();
    const files = fs.readdirSync(path.join(repoRoot, 'examples')).filter((f) => f.endsWith('.snn')).sort();
    const exported: string[] = [];
    const refused: string[] = [];
    for (const f of files) {
      const rel = `examples/${f}`;
      const dir = tmp();
      const out = path.join(dir, 'model.py');
      const r = spawnSync(process.execPath, [path.join(repoRoot, 'dist/cli.js'), 'export', rel, '--to', 'brian2', '--out', out], { cwd: repoRoot, encoding: 'utf8' });
      if (r.status === 0) {
        exported.push(f);
        // A short run: the script is valid Brian2 and records what the model probes.
        const res = path.join(dir, 'out.json');
        // (sfq_xor.snn steps at 20 ps: its whole 16 ns run, not 20 ms = 10^9 steps)
        const p = spawnSync(PY, [out, '--out', res, '--duration', f === 'sfq_xor.snn' ? '1.6e-8' : '0.02'], { encoding: 'utf8', timeout: 300_000 });
        assert.equal(p.status, 0, `${rel}: the exported script fails in Brian2:\n${p.stderr.slice(-3000)}`);
        const ir = irOf({ file: rel });
        const spikeTargets = ir.probes.filter((q) => q.variable === 'spikes').flatMap((q) => q.targets.map((t) => t.name));
        assert.deepEqual(Object.keys(JSON.parse(fs.readFileSync(res, 'utf8')).spikes).sort(), [...new Set(spikeTargets)].sort(), rel);
        continue;
      }
      assert.equal(r.status, 1, `${rel}: exit ${r.status}\n${r.stderr}`);
      assert.ok(!fs.existsSync(out), `${rel}: a refused export must write nothing`);
      const errors = r.stderr.split('\n').filter((l) => / error: /.test(l));
      assert.ok(errors.length > 0, `${rel}: refused without a message:\n${r.stderr}`);
      const text = fs.readFileSync(path.join(repoRoot, rel), 'utf8').split('\n');
      for (const e of errors) {
        const m = /^(.+?):(\d+):(\d+): error: (.{20,})$/.exec(e);
        assert.ok(m, `${rel}: not "file:line:column: error: reason": ${e}`);
        // The place is the item the refusal is about (in this file or the prelude).
        if (m[1] === rel) assert.match(text[Number(m[2]) - 1], /^\s*(population|connect|input|probe|neuron|synapse|readout)\b/, `${rel}:${m[2]} is not an item: ${text[Number(m[2]) - 1]}`);
      }
      refused.push(`${f}: ${errors[0].replace(/^.*? error: /, '')}`);
    }
    console.log(`  exported and run: ${exported.join(', ')}\n  refused:\n    ${refused.join('\n    ')}`);
    assert.ok(exported.length >= 8, `only ${exported.length} examples exported`);
  });
});
