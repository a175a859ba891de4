// bench/microcircuit-plan.ts, what bench:microcircuit prices and hands to Brian2: Brian2's memory
// for a synapse count, and the JSON spec of the network, checked against the paper's rules
// (Potjans & Diesmann 2014, tables 4-5: J = 87.8 pA, g = -4, L4e → L2/3e doubled, d_e 1.5 ms / d_i 0.75 ms means, 8 Hz × K_ext
// background) written out here rather than read from bench/microcircuit.ts; a spec the Brian2
// script does not mirror is refused naming the connection, by the TypeScript side and by the
// script itself.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { microcircuitSnn } from '../bench/microcircuit';
import { brian2Memory, brian2Spec, BRIAN2_BYTES_PER_SYNAPSE, lateRates } from '../bench/microcircuit-plan';
import { repoRoot } from './helpers/build';
import { irOf } from './helpers/model';
import { pythonHas } from './helpers/python';

describe('brian2Memory', () => {
  it('is synapses × bytes per synapse + neuron state + overhead', () => {
    const m = brian2Memory(1e6, 1000);
    assert.equal(BRIAN2_BYTES_PER_SYNAPSE, 52);
    assert.equal(m.bytes, 1e6 * 52 + 1000 * 8 * 45 + 512 * 2 ** 20);
  });
});

describe('lateRates', () => {
  it('counts the spikes from step round(steps / 2) on, per neuron and second', () => {
    // 10 steps of 0.1 s: the second half is steps 5..9 (0.5 s); 4 neurons
    const r = lateRates([{ name: 'a', size: 4, steps: Int32Array.from([0, 4, 5, 5, 9, 9]) }, { name: 'b', size: 2, steps: new Int32Array(0) }], 10, 0.1);
    assert.equal(r.a, 4 / 4 / 0.5);
    assert.equal(r.b, 0);
    // an odd step count: round(11 / 2) = 6, steps 6..10 (0.5 s)
    assert.equal(lateRates([{ name: 'a', size: 1, steps: Int32Array.from([5, 6, 10]) }], 11, 0.1).a, 2 / 0.5);
  });
});

describe('brian2Spec of the microcircuit', () => {
  const scale = 0.02;
  const spec = brian2Spec(irOf(microcircuitSnn(scale, { duration: 0.5, seed: 7 })));
  const J = 87.8e-12;
  const pops = ['L23e', 'L23i', 'L4e', 'L4i', 'L5e', 'L5i', 'L6e', 'L6i'];

  it('carries the run: dt 0.1 ms, the duration and seed asked for, eight LIF populations at scale', () => {
    assert.equal(spec.dt, 1e-4);
    assert.equal(spec.duration, 0.5);
    assert.equal(spec.seed, 7);
    assert.deepEqual(spec.populations.map((p) => p.name), pops);
    // paper table 5, N per population, times the scale
    assert.deepEqual(spec.populations.map((p) => p.size), [20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948].map((n) => Math.round(n * scale)));
    for (const p of spec.populations) {
      assert.equal(p.model, 'LIF');
      assert.ok(Math.abs(p.params.tau_m - 0.01) < 1e-12 && Math.abs(p.params.V_th + 0.05) < 1e-12 && Math.abs(p.params.t_ref - 0.002) < 1e-12, JSON.stringify(p.params));
      assert.ok(Math.abs(p.params.tau_m / p.params.R_m - 250e-12) < 1e-18, 'C_m = 250 pF');
      assert.deepEqual(p.v, { dist: 'normal', args: [-0.058, 0.01] });
    }
  });

  it('has the paper\'s weights and delays on its random connections', () => {
    const rec = spec.connections.filter((c) => c.rule.kind === 'random');
    assert.ok(rec.length > 40, `${rec.length} recurrent connections`);
    for (const c of rec) {
      const srcInh = c.source.endsWith('i');
      const doubled = c.source === 'L4e' && c.target === 'L23e';
      const mean = ((srcInh ? -4 : doubled ? 2 : 1) * J) / Math.sqrt(scale);
      assert.equal(c.weight.kind, 'normal');
      if (c.weight.kind !== 'normal') continue;
      assert.ok(Math.abs(c.weight.mean - mean) < 1e-3 * Math.abs(mean), `${c.source} -> ${c.target}: ${c.weight.mean} vs ${mean}`);
      assert.ok(Math.abs(c.weight.sd - 0.1 * Math.abs(mean)) < 1e-3 * Math.abs(mean));
      // uniform delays with the paper's means (d_e 1.5 ms, d_i 0.75 ms)
      assert.ok(c.delay && Math.abs((c.delay.lo + c.delay.hi) / 2 - (srcInh ? 0.75e-3 : 1.5e-3)) < 1e-9, JSON.stringify(c.delay));
    }
    const l4 = rec.find((c) => c.source === 'L4e' && c.target === 'L23e');
    assert.equal(l4?.rule.kind === 'random' && l4.rule.p, 0.0437);
  });

  it('drives every population from the Poisson pool with K_ext · 8 Hz of input', () => {
    const kExt = [1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100];
    for (const [k, p] of pops.entries()) {
      const c = spec.connections.find((x) => x.source === spec.pool.name && x.target === p);
      assert.ok(c && c.rule.kind === 'fixed_indegree' && c.weight.kind === 'const' && c.delay === null, p);
      if (c.rule.kind !== 'fixed_indegree' || c.weight.kind !== 'const') continue;
      assert.ok(Math.abs(c.rule.k * spec.pool.rate - kExt[k] * 8) <= spec.pool.rate / 2, `${p}: ${c.rule.k} × ${spec.pool.rate} Hz vs ${kExt[k]} × 8 Hz`);
      assert.ok(Math.abs(c.weight.value - J) < 1e-15);
    }
  });

  it('refuses what the Brian2 script does not mirror, naming the connection', () => {
    const text = `population a = LIF[10] { v = normal(-58 mV, 10 mV) }
population b = LIF[10] { v = normal(-58 mV, 10 mV) }
input bg = poisson[20] { rate: 400 Hz }
connect bg -> a { rule: fixed_indegree(k = 2); weight: 10 pA; target: I_syn }
connect a -> b { rule: all_to_all; weight: 10 pA; target: I_syn }
simulate { dt: 0.1 ms; duration: 10 ms }
`;
    assert.throws(() => brian2Spec(irOf(text)), /a -> b: rule all_to_all not mirrored/);
    assert.throws(() => brian2Spec(irOf(text.replace('rule: all_to_all; weight: 10 pA;', 'rule: random(p = 0.1); weight: normal(10 pA, 1 pA); delay: 1 ms;'))), /a -> b: delay must be absent or uniform/);
    assert.throws(() => brian2Spec(irOf(text.replace('v = normal(-58 mV, 10 mV) }\npopulation b', 'v = -58 mV }\npopulation b'))), /a: v must start at normal/);
  });

  it('is refused by the Brian2 script too when it holds what the script does not mirror', { skip: pythonHas('brian2') ? false : 'Brian2 not installed' }, () => {
    const bad = structuredClone(spec);
    bad.connections[bad.connections.length - 1].rule = { kind: 'fixed_indegree', k: 3 };
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swk-micro-spec-'));
    try {
      fs.writeFileSync(path.join(dir, 'spec.json'), JSON.stringify(bad));
      const r = spawnSync('/usr/bin/python3', [path.join(repoRoot, 'bench/brian2/microcircuit_standalone.py'), '--spec', path.join(dir, 'spec.json'), '--build-dir', path.join(dir, 'p')], { encoding: 'utf8' });
      assert.equal(r.status, 2, r.stderr);
      const last = bad.connections[bad.connections.length - 1];
      assert.ok(r.stderr.includes(`${last.source} -> ${last.target}: only random(p)`), r.stderr);
      assert.ok(!fs.existsSync(path.join(dir, 'p')), 'nothing was generated');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
