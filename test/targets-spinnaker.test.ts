// The SpiNNaker 2 emulation target (sim-host/src/targets/spinnaker2, issue 15): the s16.15
// operations against closed form, an independent reference of sPyNNaker's LIF / exponential
// synapse update written here from the equations (not from our code) matched spike for spike over
// 10,000 steps on a recurrent network of 1,000 neurons, and refusals.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { buildPlan } from '../sim-host/src/core/plan';
import { convertPlanSpinnaker, type SpinProgram } from '../sim-host/src/targets/spinnaker2/convert';
import { emulateSpinnaker } from '../sim-host/src/targets/spinnaker2/emulate';
import { decayS1615, mulRN, toS1615, toU032 } from '../sim-host/src/targets/spinnaker2/fixed';
import { distCli, ensureBuilt } from './helpers/build';
import { irOf } from './helpers/model';
import { spikeKeys } from './helpers/targets';

describe('s16.15 arithmetic', () => {
  it('round-to-nearest multiply: exact products, halves rounded up, saturation', () => {
    assert.equal(mulRN(toS1615(1.5), toS1615(2.25)), toS1615(3.375));
    assert.equal(mulRN(toS1615(-1.5), toS1615(2.25)), toS1615(-3.375));
    assert.equal(mulRN(1, 1), 0, '2^-30 rounds to 0');
    assert.equal(mulRN(1, 16384), 1, 'exactly half an ulp rounds up');
    assert.equal(mulRN(-1, 16384), 0, '−half an ulp rounds up (towards +∞)');
    assert.equal(mulRN(toS1615(60000), toS1615(60000)), 2 ** 31 - 1, 'saturates');
  });
  it('decay_s1615: (x · d) >> 32', () => {
    assert.equal(decayS1615(toS1615(10), toU032(0.5)), toS1615(5));
    assert.equal(decayS1615(-3, toU032(0.5)), -2, 'floor for negatives');
    assert.equal(decayS1615(2 ** 31 - 1, 2 ** 32 - 1), 2 ** 31 - 2);
  });
});

const NET = `
population exc = LIF[800] {
  tau_m = 20 ms; R_m = 100 Mohm; E_l = -49 mV; V_th = -50 mV; V_reset = -60 mV; t_ref = 5 ms; tau_syn = 5 ms
  v = uniform(-60 mV, -50 mV)
}
population inh = LIF[200] {
  tau_m = 10 ms; R_m = 100 Mohm; E_l = -49 mV; V_th = -50 mV; V_reset = -60 mV; t_ref = 2 ms; tau_syn = 8 ms
  v = uniform(-60 mV, -50 mV)
}
connect exc -> exc, inh { rule: random(p = 0.05); weight: uniform(5 pA, 25 pA); target: I_syn }
connect inh -> exc { rule: random(p = 0.1); weight: -150 pA; target: I_syn; delay: 1.5 ms }
connect inh -> inh { rule: random(p = 0.1); weight: uniform(-200 pA, 20 pA); target: I_syn }
probe spikes(exc, inh)
simulate { dt: 0.1 ms; duration: 1 s; seed: 3 }`;

/**
 * sPyNNaker's IF_curr_exp per tick, from the equations: the tick's ring-buffer sum of each
 * connection (16-bit magnitudes, excitatory and inhibitory apart) times 2^shift is added to the
 * buffer times init (x·init/2^32, floored); unless the refractory timer is positive (then it
 * counts down): I = exc − inh + I_offset, α = I·R/2^15 + V_rest, V = α − exp_TC·(α − V)/2^15,
 * products rounded to nearest (half up); V ≥ V_thresh spikes: V = V_reset, timer = T_refract;
 * then both buffers are multiplied by the decay (floored). A spike reaches its target `delay`
 * ticks later.
 */
function reference(program: SpinProgram, steps: number): string[] {
  const rn = (a: number, b: number) => Math.round((a * b) / 32768);
  // floor(x·d / 2^32), splitting x instead of d (a different exact route from the emulator's)
  const dec = (x: number, d: number) => {
    const xh = Math.floor(x / 65536);
    const xl = x - xh * 65536;
    return Math.floor((xh * d + Math.floor((xl * d) / 65536)) / 65536);
  };
  const S = program.pops.map((p) => ({ v: [...p.v0], exc: [...p.exc0], inh: [...p.inh0], timer: new Array(p.size).fill(0) }));
  const pending = new Map<string, number>(); // `${proj}:${tick}:${target}:${type}` → Σ weights
  const out: string[] = [];
  for (let t = 0; t < steps; t++) {
    const fired: number[][] = program.pops.map(() => []);
    program.pops.forEach((p, k) => {
      if (p.kind !== 'lif') return;
      const s = S[k];
      program.projs.forEach((pr, j) => {
        if (pr.target !== k) return;
        for (let i = 0; i < pr.tgt[1] - pr.tgt[0] + 1; i++) {
          for (const type of [0, 1]) {
            const key = `${j}:${t}:${i}:${type}`;
            const sum = pending.get(key);
            if (sum === undefined) continue;
            pending.delete(key);
            const add = dec(sum * 2 ** pr.shift, p.synInit);
            if (type === 0) s.exc[pr.tgt[0] + i] += add;
            else s.inh[pr.tgt[0] + i] += add;
          }
        }
      });
      for (let i = 0; i < p.size; i++) {
        if (s.timer[i] > 0) s.timer[i]--;
        else {
          const alpha = rn(s.exc[i] - s.inh[i] + p.iOffset[i], p.rMembrane) + p.vRest;
          s.v[i] = alpha - rn(p.expTC, alpha - s.v[i]);
        }
        if (s.v[i] >= p.vThresh) {
          s.v[i] = p.vReset;
          s.timer[i] = p.tRefract;
          fired[k].push(i);
          out.push(`${k}:${t}:${i}`);
        }
        s.exc[i] = dec(s.exc[i], p.synDecay);
        s.inh[i] = dec(s.inh[i], p.synDecay);
      }
    });
    program.projs.forEach((pr, j) => {
      for (const src of fired[pr.source]) {
        if (src < pr.src[0] || src > pr.src[1]) continue;
        const ls = src - pr.src[0];
        for (let q = pr.rowptr[ls]; q < pr.rowptr[ls + 1]; q++) {
          const d = typeof pr.delay === 'number' ? pr.delay : pr.delay[q];
          const key = `${j}:${t + d}:${pr.col[q]}:${pr.type[q]}`;
          pending.set(key, (pending.get(key) ?? 0) + pr.weights[q]);
        }
      }
    });
  }
  return out;
}

describe('SpiNNaker 2 emulation against an independent reference of the update rule', () => {
  it('1,000 recurrent neurons, 10,000 steps: spike for spike', () => {
    const plan = buildPlan(irOf(NET), {});
    const run = emulateSpinnaker(plan);
    assert.equal(run.result.stepsDone, 10000);
    const mine = spikeKeys(plan, run.result);
    const ref = reference(run.program, plan.steps);
    ref.sort();
    assert.ok(ref.length > 1000, `the network must be active (${ref.length} spikes)`);
    assert.ok(run.program.projs.some((p) => p.type.some((x) => x === 1)) && run.program.projs.some((p) => p.type.some((x) => x === 0)));
    assert.ok(run.program.projs.some((p) => p.maxDelay > 1));
    assert.deepEqual(mine, ref);
  });
});

/** Spikes as `pop:tick:neuron`, sorted, and the final state per population, of a run. */
function runSignature(plan: ReturnType<typeof buildPlan>, run: ReturnType<typeof emulateSpinnaker>) {
  const state = run.states.map((s) => (s ? { v: [...s.v], exc: [...s.exc], inh: [...s.inh], timer: [...s.timer] } : undefined));
  return { spikes: spikeKeys(plan, run.result), state };
}

describe('the generated WebAssembly neuron kernel equals the TypeScript update', () => {
  it('1,000 recurrent neurons, 10,000 steps: spike for spike and state for state', () => {
    const plan = buildPlan(irOf(NET), {});
    const wasm = emulateSpinnaker(plan);
    const ts = emulateSpinnaker(plan, {}, undefined, { update: 'ts' });
    assert.equal(wasm.result.stepsDone, 10000);
    const a = runSignature(plan, wasm);
    const b = runSignature(plan, ts);
    assert.ok(a.spikes.length > 1000, `the network must be active (${a.spikes.length} spikes)`);
    assert.deepEqual(a.spikes, b.spikes);
    assert.deepEqual(a.state, b.state);
  });
  it('the 64-bit route: buffers beyond ±2^28, saturating products, R ≠ 2^15, sizes that are not multiples of 4', () => {
    // 20 nA per spike through 100 MΩ: 2 V of drive, buffers far beyond 2^28 s16.15 units
    const big = `
population a = LIF[37] {
  tau_m = 20 ms; R_m = 100 Mohm; E_l = -49 mV; V_th = -50 mV; V_reset = -60 mV; t_ref = 2 ms; tau_syn = 5 ms
  v = uniform(-60 mV, -50 mV)
}
population b = LIF[1001] {
  tau_m = 10 ms; R_m = 100 Mohm; E_l = -60 mV; V_th = -50 mV; V_reset = -60 mV; t_ref = 1 ms; tau_syn = 8 ms
  v = uniform(-60 mV, -50 mV)
}
connect a -> b { rule: random(p = 0.5); weight: uniform(1 nA, 20 nA); target: I_syn }
connect b -> b { rule: random(p = 0.05); weight: uniform(-20 nA, 10 nA); target: I_syn; delay: 0.3 ms }
connect b -> a { rule: random(p = 0.2); weight: uniform(-5 nA, 5 nA); target: I_syn }
probe spikes(a, b)
simulate { dt: 0.1 ms; duration: 200 ms; seed: 5 }`;
    const plan = buildPlan(irOf(big), {});
    const program = convertPlanSpinnaker(plan);
    const wasm = emulateSpinnaker(plan, {}, program);
    const ts = emulateSpinnaker(plan, {}, program, { update: 'ts' });
    const a = runSignature(plan, wasm);
    assert.ok(a.spikes.length > 1000, `active (${a.spikes.length} spikes)`);
    assert.ok(wasm.states.some((s) => s && s.exc.some((x) => Math.abs(x) >= 2 ** 28)), 'some buffer is beyond the 32-bit route');
    assert.deepEqual(a, runSignature(plan, ts));
    // the kernel's general route: R = 1.5 (so mulRN(I, R) rounds and saturates)
    const odd = { ...program, pops: program.pops.map((p) => ({ ...p, rMembrane: 3 * 2 ** 14 })) };
    const w2 = emulateSpinnaker(plan, {}, odd);
    assert.deepEqual(runSignature(plan, w2), runSignature(plan, emulateSpinnaker(plan, {}, odd, { update: 'ts' })));
    assert.notDeepEqual(runSignature(plan, w2).spikes, a.spikes, 'R changes the run');
  });
});

describe('what SpiNNaker cannot express is refused with the reason', () => {
  it('voltage jumps (input into v)', () => {
    const ir = irOf(`population a = LIF[2]\npopulation b = LIF[2]\nconnect a -> b { rule: all_to_all; weight: 1 mV; target: v }\nsimulate { dt: 0.1 ms; duration: 1 ms }`);
    assert.throws(() => emulateSpinnaker(buildPlan(ir, {})), /delta input type/);
  });
  it('a delay above 16 + 8 × 16 ticks', () => {
    const ir = irOf(`population a = LIF[2]\npopulation b = LIF[2]\nconnect a -> b { rule: all_to_all; weight: 1 pA; target: I_syn; delay: 20 ms }\nsimulate { dt: 0.1 ms; duration: 1 ms }`);
    assert.throws(() => emulateSpinnaker(buildPlan(ir, {})), /a delay of 201 ticks exceeds SpiNNaker's 16 \+ 8 × 16 = 144/);
  });
});

describe('spikeworks emulate --target (spinnaker2)', () => {
  it('examples/cuba.snn: report, target.json with the s16.15 constants and 16-bit weights', () => {
    ensureBuilt();
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-spin-'));
    const r = spawnSync(process.execPath, [distCli, 'emulate', 'examples/cuba.snn', '--target', 'spin', '--format', 'json', '--duration', '0.2', '--out', out], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const rep = JSON.parse(r.stdout);
    assert.equal(rep.target.kind, 'spinnaker2');
    assert.equal(rep.resources.cores, 17, '3200/256 → 13 cores + 800/256 → 4 cores');
    assert.equal(rep.resources.realtime_slowdown, 10);
    for (const f of rep.fidelity) assert.ok(Math.abs(f.rate_error) < 0.2 && f.count_correlation > 0.5, JSON.stringify(f));
    assert.match(rep.energy.source, /not estimated/);
    const tj = JSON.parse(fs.readFileSync(path.join(out, 'target.json'), 'utf8'));
    assert.equal(tj.target, 'spinnaker2');
    assert.ok(tj.connections.every((c: { weights: number[] }) => c.weights.every((w) => Number.isInteger(w) && w >= 0 && w < 65536)));
    assert.equal(tj.populations[0].exp_tc, Math.round(Math.exp(-0.1 / 20) * 2 ** 15));
  });
});
