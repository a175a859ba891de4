// The SFQ target (sim-host/src/targets/sfq, issue 16): the deep XOR example's truth table over
// seeds 1-5 with its margin; an independent replay of the pulse-level rule written here from
// protocol/targets.md (not from our code) that matches the emulation pulse for pulse and counts
// the junction switchings itself for the energy (switchings × I_c·Φ0 + static bias × time);
// reproducibility by seed; refusals with their reasons; the CLI.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { complete } from '../language-server/src/features/completion';
import { hover } from '../language-server/src/features/hover';
import { TARGET_KINDS } from '../language-server/src/schema';
import { freshProgram } from './helpers/corpus';
import { buildPlan } from '../sim-host/src/core/plan';
import { philox } from '../sim-host/src/core/rng';
import { sfqBackend } from '../sim-host/src/targets/sfq/backend';
import { emulateSfq } from '../sim-host/src/targets/sfq/emulate';
import { SFQ_DEFAULTS, sfqParams } from '../sim-host/src/targets/sfq/params';
import { emulateOnTarget, type Emulation, type RunResult } from '../sim-host/src/engine';
import { distCli, ensureBuilt } from './helpers/build';
import { irOf } from './helpers/model';

const XOR = { file: 'examples/sfq_xor.snn' };
const WINDOW_STEPS = 200; // 4 ns at dt = 20 ps
const LABELS = ['00', '01', '10', '11'];
const XOR_OUT = [0, 1, 1, 0];

/** Output spikes per neuron per window, in GHz. */
function windowRates(r: RunResult, pop: string): number[] {
  const s = r.spikes.find((x) => x.name === pop)!;
  const n = [0, 0, 0, 0];
  for (const t of s.steps) n[Math.floor(t / WINDOW_STEPS)]++;
  return n.map((c) => c / s.size / (WINDOW_STEPS * 20e-12) / 1e9);
}

describe('examples/sfq_xor.snn on the sfq target', () => {
  const ir = irOf(XOR);
  it('the XOR truth table holds on seeds 1-5: every "1" window fires more than every "0" window, by a margin', () => {
    const margins: string[] = [];
    for (const seed of [1, 2, 3, 4, 5]) {
      const em = emulateOnTarget(ir, { seed }, 'chip');
      const r = windowRates(em.emulated, 'out');
      const ones = r.filter((_, k) => XOR_OUT[k] === 1);
      const zeros = r.filter((_, k) => XOR_OUT[k] === 0);
      const lo1 = Math.min(...ones);
      const hi0 = Math.max(...zeros);
      assert.equal(r[0], 0, `seed ${seed}: no input, no output`);
      assert.ok(lo1 >= 2 * hi0 && lo1 - hi0 >= 0.25, `seed ${seed}: rates ${LABELS.map((l, k) => `${l} ${r[k].toFixed(2)}`).join(', ')} GHz`);
      margins.push(`seed ${seed}: 1 ≥ ${lo1.toFixed(2)} GHz, 0 ≤ ${hi0.toFixed(2)} GHz`);
    }
    console.log(`sfq_xor output rate margin: ${margins.join('; ')}`);
  });
  it('the same seed gives the same pulses; another seed other pulses', () => {
    const a = emulateOnTarget(ir, { seed: 7 }, 'chip');
    const b = emulateOnTarget(ir, { seed: 7 }, 'chip');
    const c = emulateOnTarget(ir, { seed: 8 }, 'chip');
    const flat = (e: Emulation) => e.emulated.spikes.map((s) => [s.name, Array.from(s.steps), Array.from(s.neurons)]);
    assert.deepEqual(flat(a), flat(b));
    assert.deepEqual(a.targetJson, b.targetJson);
    assert.notDeepEqual(flat(a), flat(c));
  });
});

// ---- an independent replay of protocol/targets.md's SFQ rule --------------------------------

interface TJPop { name: string; index: number; size: number; kind?: 'source'; threshold?: number; leak?: number; c0?: number[] }
interface TJConn { index: number; source: string; target: string; source_range: [number, number]; target_range: [number, number]; rowptr: number[]; col: number[]; prob: number[]; sign: number[]; delay_ticks: number | number[] }
interface TJ { seed: number; ticks_per_step: number; i_c: number; populations: TJPop[]; connections: TJConn[] }

/** P(Binomial(n, λ) ≤ k), from the definition. */
function binomCdf(n: number, lam: number, k: number): number {
  let s = 0;
  for (let j = 0; j <= k; j++) {
    let c = 1;
    for (let m = 0; m < j; m++) c = (c * (n - m)) / (m + 1);
    s += c * lam ** j * (1 - lam) ** (n - j);
  }
  return s;
}

function replay(tj: TJ, steps: number, sourceSpikes: Map<string, { steps: Int32Array; neurons: Int32Array }>) {
  const K = tj.ticks_per_step;
  const k0 = tj.seed >>> 0;
  const k1 = Math.floor(tj.seed / 2 ** 32) >>> 0;
  const w = new Uint32Array(4);
  const c = new Map(tj.populations.filter((p) => !p.kind).map((p) => [p.name, [...p.c0!]]));
  const pending = new Map<number, [TJConn, number][]>();
  const counts = { input_pulses: 0, synapse_arrivals: 0, synapse_passes: 0, leaks: 0, neuron_pulses: 0 };
  const spikes = new Map(tj.populations.map((p) => [p.name, [] as [number, number][]]));
  const send = (pop: string, i: number, tick: number) => {
    for (const cn of tj.connections) {
      if (cn.source !== pop || i < cn.source_range[0] || i > cn.source_range[1]) continue;
      const l = i - cn.source_range[0];
      for (let q = cn.rowptr[l]; q < cn.rowptr[l + 1]; q++) {
        const at = tick + (typeof cn.delay_ticks === 'number' ? cn.delay_ticks : cn.delay_ticks[q]);
        if (!pending.has(at)) pending.set(at, []);
        pending.get(at)!.push([cn, q]);
      }
    }
  };
  const srcAt = new Map<string, Map<number, number[]>>();
  for (const [name, s] of sourceSpikes) {
    const m = new Map<number, number[]>();
    for (let k = 0; k < s.steps.length; k++) {
      if (!m.has(s.steps[k])) m.set(s.steps[k], []);
      m.get(s.steps[k])!.push(s.neurons[k]);
    }
    srcAt.set(name, m);
  }
  for (let t = 0; t < steps; t++) {
    for (let j = 0; j < K; j++) {
      const tick = t * K + j;
      if (j === 0) {
        for (const p of tj.populations) {
          if (p.kind !== 'source') continue;
          for (const i of srcAt.get(p.name)?.get(t) ?? []) {
            counts.input_pulses++;
            spikes.get(p.name)!.push([t, i]);
            send(p.name, i, tick);
          }
        }
      }
      for (const [cn, q] of pending.get(tick) ?? []) {
        counts.synapse_arrivals++;
        philox(q, tick, 12, cn.index, k0, k1, w);
        if (w[0] / 2 ** 32 < cn.prob[q]) {
          counts.synapse_passes++;
          c.get(cn.target)![cn.target_range[0] + cn.col[q]] += cn.sign[q];
        }
      }
      pending.delete(tick);
      for (const p of tj.populations) {
        if (p.kind) continue;
        const cc = c.get(p.name)!;
        for (let i = 0; i < p.size; i++) {
          if (cc[i] !== 0 && p.leak! > 0) {
            philox(i, tick, 13, p.index, k0, k1, w);
            const u = ((w[0] >>> 5) * 2 ** 26 + (w[1] >>> 6)) / 2 ** 53;
            const n = Math.abs(cc[i]);
            let k = 0;
            while (k < n && u >= binomCdf(n, p.leak!, k)) k++;
            counts.leaks += k;
            cc[i] -= Math.sign(cc[i]) * k;
          }
          if (cc[i] >= p.threshold!) {
            cc[i] = 0;
            counts.neuron_pulses++;
            const list = spikes.get(p.name)!;
            if (!list.some(([s, n]) => s === t && n === i)) list.push([t, i]);
            send(p.name, i, tick);
          }
        }
      }
    }
  }
  return { counts, spikes };
}

describe('the SFQ rule replayed independently from target.json', () => {
  // All populations recorded (no probe), so that the replay can compare every one; two ticks per step.
  const text = fs.readFileSync('examples/sfq_xor.snn', 'utf8').replace(/^probe .*$/m, '').replace('dt: 20 ps', 'dt: 40 ps').replace('target chip = sfq { clock: 50 GHz;', 'target chip = sfq { clock: 50 GHz; bias_step: 0.5 uA;');
  const ir = irOf(text, { at: 'examples/sfq_xor_replay.snn' });
  const em = emulateOnTarget(ir, { seed: 3 }, 'chip');
  const tj = em.targetJson as TJ;
  // source spikes as the float WASM engine drew them (every backend draws them alike)
  const src = new Map(em.float.spikes.filter((s) => tj.populations.some((p) => p.name === s.name && p.kind === 'source')).map((s) => [s.name, s]));
  const rep = replay(tj, em.emulated.stepsDone, src);

  it('spike for spike: every population, two clock ticks per step, bias currents rounded to 0.5 µA', () => {
    assert.equal(tj.ticks_per_step, 2);
    for (const s of em.emulated.spikes) {
      const mine = rep.spikes.get(s.name)!.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      const theirs = Array.from(s.steps, (t, k) => [t, s.neurons[k]] as [number, number]);
      assert.deepEqual(theirs, mine, s.name);
    }
    assert.ok(rep.counts.neuron_pulses > 50 && rep.counts.synapse_passes > 500, JSON.stringify(rep.counts));
  });

  it('energy = switchings counted from the pulses × I_c·Φ0 + static bias × time; per inference; × (1 + 400) with cooling', () => {
    const PHI0 = 2.067833848e-15; // Wb, h/2e exactly
    // protocol/targets.md: switchings per event 3 (input), 3 (pulse reaching a synapse), 2 (passed), 1 (leaked quantum), 3 (neuron pulse)
    const n = rep.counts;
    const sw = 3 * n.input_pulses + 3 * n.synapse_arrivals + 2 * n.synapse_passes + 1 * n.leaks + 3 * n.neuron_pulses;
    const dynamic = sw * 100e-6 * PHI0;
    // junctions: 3 per input, 5 per synapse, 6 per neuron, each biased at 0.7 I_c from 2.5 mV
    const inputs = 12;
    const neurons = 8 + 32 + 8;
    const synapses = 12 * 8 + 12 * 32 + 8 * 8 + 32 * 8;
    const staticW = (3 * inputs + 5 * synapses + 6 * neurons) * 0.7 * 100e-6 * 2.5e-3;
    const total = dynamic + staticW * 16e-9;
    const e = em.energy as { switchings: number; dynamic_j: number; total_j: number; j_per_inference: number; j_per_inference_cooled: number; inferences: number };
    assert.equal(e.switchings, sw);
    assert.ok(Math.abs(e.dynamic_j - dynamic) <= 1e-12 * dynamic, `${e.dynamic_j} vs ${dynamic}`);
    assert.ok(Math.abs(e.total_j - total) <= 1e-9 * total, `${e.total_j} vs ${total}`);
    assert.equal(e.inferences, 4);
    assert.ok(Math.abs(e.j_per_inference - total / 4) <= 1e-9 * total);
    assert.ok(Math.abs(e.j_per_inference_cooled - (401 * total) / 4) <= 1e-9 * total * 401);
  });
});

describe('what the sfq target refuses, with the reason', () => {
  const run = (body: string) => () => emulateOnTarget(irOf(`${body}\ntarget chip = sfq { clock: 50 GHz }\nsimulate { dt: 20 ps; duration: 1 ns }`), {}, 'chip');
  const COUNTER = 'neuron C {\n  parameters { theta = 2.5; tau = 1 ns }\n  state { v = 0 }\n  equations { dv/dt = -v / tau }\n  spike when v > theta\n  reset { v = 0 }\n}\n';
  it('a weight above one flux quantum per pulse', () => {
    assert.throws(run(`${COUNTER}input i = poisson[2] { rate: 1 GHz }\npopulation a = C[2]\nconnect i -> a { rule: one_to_one; weight: 1.5; target: v }`), /weight 1\.5 is 1\.5 flux quanta per pulse; an SFQ synapse passes at most one quantum per pulse/);
  });
  it('a synaptic current (the prelude LIF)', () => {
    assert.throws(run('population a = LIF[2] { tau_m = 1 ns; R_m = 1 Mohm; E_l = -60 mV; V_th = -50 mV; V_reset = -60 mV; tau_syn = 1 ns }'), /synaptic current I_syn; an SFQ neuron is a flux counter/);
  });
  it('a constant drive', () => {
    assert.throws(run(COUNTER.replace('-v / tau', '(1.2 - v) / tau') + 'population a = C[2]'), /constant drive, which a flux counter lacks/);
  });
  it('a refractory period', () => {
    assert.throws(run(COUNTER.replace('reset { v = 0 }', 'reset { v = 0 }\n  refractory 40 ps') + 'population a = C[2]'), /refractory period, which the flux counter lacks/);
  });
  it('a probe of the counter', () => {
    assert.throws(run(`${COUNTER}population a = C[2]\nprobe v(a)`), /only spikes are read back/);
  });
  it('a clock slower than dt (the engine refuses what the checker marks)', () => {
    const ir = irOf(`${COUNTER}population a = C[2]\ntarget chip = sfq { clock: 50 GHz }\nsimulate { dt: 20 ps; duration: 1 ns }`);
    ir.targets[0].settings.clock = 10e9;
    assert.throws(() => emulateOnTarget(ir, {}, 'chip'), /clock period 100 ps is longer than the model's dt 20 ps/);
  });
});

describe('spikeworks emulate --target (sfq)', () => {
  it('examples/sfq_xor.snn: the report with energy per inference with and without cooling, target.json', () => {
    ensureBuilt();
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-sfq-'));
    const r = spawnSync(process.execPath, [distCli, 'emulate', 'examples/sfq_xor.snn', '--target', 'chip', '--format', 'json', '--out', out], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const rep = JSON.parse(r.stdout);
    assert.equal(rep.target.kind, 'sfq');
    assert.equal(rep.energy.inferences, 4);
    assert.ok(Math.abs(rep.energy.j_per_inference_cooled / rep.energy.j_per_inference - 401) < 1e-9);
    const tj = JSON.parse(fs.readFileSync(path.join(out, 'target.json'), 'utf8'));
    assert.equal(tj.target, 'sfq');
    assert.equal(tj.phi0, 2.067833848e-15);
    assert.ok(tj.connections.every((c: { prob: number[] }) => c.prob.every((p) => p >= 0 && p <= 1)));
    assert.ok(fs.existsSync(path.join(out, 'spikes.bin')));
  });
});

describe('the flux counter and the stochastic synapse against closed forms', () => {
  const COUNTER = (body: string) => `neuron C {\n  parameters { theta = 999.5; tau = 1 ns }\n  state { v = 0 }\n  equations { dv/dt = -v / tau }\n  spike when v > theta\n  reset { v = 0 }\n}\n${body}`;

  it('a threshold on the target: one quantum = (θ − V_r)/(threshold − ½); p = 1 synapses, no leak: fires on exactly every 4th pulse, as the float model does', () => {
    // V in mV, θ − V_r = 10 mV, threshold 4 → q = 10/3.5 mV; weight q passes every pulse (p = 1)
    const q = 10 / 3.5;
    const times = Array.from({ length: 12 }, (_, k) => `${(k * 5 + 2) * 20} ps`).join(', ');
    const text = `neuron M {\n  parameters { th = -50 mV; vr = -60 mV }\n  state { v = -60 mV }\n  spike when v > th\n  reset { v = vr }\n}\n`
      + `input pulses = spike_array[1] { times: [${times}]; indices: [${Array(12).fill(0).join(', ')}] }\npopulation m = M[1]\n`
      + `connect pulses -> m { rule: all_to_all; weight: ${q} mV; target: v }\ntarget chip = sfq { clock: 50 GHz; threshold: 4 }\nsimulate { dt: 20 ps; duration: 2 ns }`;
    const em = emulateOnTarget(irOf(text), {}, 'chip');
    const tj = em.targetJson as { populations: { name: string; threshold?: number; quantum?: number; leak?: number }[]; connections: { prob: number[] }[] };
    const m = tj.populations.find((p) => p.name === 'm')!;
    assert.equal(m.threshold, 4);
    assert.ok(Math.abs(m.quantum! - q * 1e-3) < 1e-12, String(m.quantum));
    assert.equal(m.leak, 0);
    assert.ok(Math.abs(tj.connections[0].prob[0] - 1) < 1e-6);
    // pulse k arrives one step after step 5k + 2: the 4th, 8th and 12th arrive at steps 18, 38, 58
    const chip = Array.from(em.emulated.spikes.find((s) => s.name === 'm')!.steps);
    const float = Array.from(em.float.spikes.find((s) => s.name === 'm')!.steps);
    assert.deepEqual(chip, [18, 38, 58]);
    assert.deepEqual(float, chip, 'the float model crosses θ on the same pulses');
  });

  it('the leak: quanta escape with 1 − e^(−T/τ) per clock — the leaked total after one τ matches N·c0·(1 − 1/e) within 5 σ', () => {
    const ir = irOf(COUNTER('population c = C[2000] { v = 50 }\ntarget chip = sfq { clock: 50 GHz }\nsimulate { dt: 20 ps; duration: 1 ns }'));
    const plan = buildPlan(ir, { seed: 4 });
    const run = emulateSfq(plan, sfqParams(ir.targets[0].settings));
    const n = 2000 * 50;
    const p = 1 - Math.exp(-1);
    const sd = Math.sqrt(n * p * (1 - p));
    assert.ok(Math.abs(run.activity.leaks - n * p) < 5 * sd, `${run.activity.leaks} leaked, expected ${(n * p).toFixed(0)} ± ${sd.toFixed(0)}`);
    assert.equal(run.activity.neuron_pulses, 0);
  });

  it('the synapse passes a fraction p of its pulses (binomial, within 5 σ), blocks the rest', () => {
    const ir = irOf(COUNTER('input s = poisson[50] { rate: 10 GHz }\npopulation c = C[20]\nconnect s -> c { rule: all_to_all; weight: 0.3; target: v }\ntarget chip = sfq { clock: 50 GHz }\nsimulate { dt: 20 ps; duration: 2 ns }'));
    const plan = buildPlan(ir, { seed: 9 });
    const run = emulateSfq(plan, sfqParams(ir.targets[0].settings));
    const a = run.activity.synapse_arrivals;
    const src = run.result.spikes.find((x) => x.name === 's')!;
    const arrived = src.steps.filter((t) => t < plan.steps - 1).length;
    assert.equal(a, arrived * 20, 'every input pulse reaches its 20 synapses one clock later (the last step\'s are still in flight)');
    const sd = Math.sqrt(a * 0.3 * 0.7);
    assert.ok(Math.abs(run.activity.synapse_passes - 0.3 * a) < 5 * sd, `${run.activity.synapse_passes} of ${a}`);
  });

  it('the language offers exactly the parameters the emulation reads', () => {
    const keys = Object.keys(sfqParams({ threshold: 1, leak: 0, static_power: 0 })).sort();
    assert.deepEqual(Object.keys(TARGET_KINDS.sfq.schema).sort(), keys);
    assert.equal(SFQ_DEFAULTS.clock, 50e9);
    assert.equal(SFQ_DEFAULTS.i_c, 100e-6);
  });
});

describe('the sfq backend under the run contract', () => {
  const ir = irOf({ file: 'examples/sfq_xor.snn' });
  const params = sfqParams(ir.targets[0].settings);
  it('cannotRun gives the reason from the IR alone; run resolves with the same spikes as emulateSfq', async () => {
    const b = sfqBackend(params);
    assert.equal(b.name, 'sfq-emu');
    assert.equal(b.cannotRun(ir), undefined);
    assert.match(b.cannotRun(irOf('population a = LIF[2]\nsimulate { dt: 0.1 ms; duration: 1 ms }')) ?? '', /synaptic current/);
    const r = await b.run(buildPlan(ir, { seed: 3 }), {});
    const direct = emulateSfq(buildPlan(ir, { seed: 3 }), params).result;
    assert.deepEqual(r.spikes.map((s) => Array.from(s.steps)), direct.spikes.map((s) => Array.from(s.steps)));
    assert.equal(r.stepsDone, 800);
  });
  it('progress is reported and a stop request ends the run between chunks, keeping what was recorded', async () => {
    let calls = 0;
    let polls = 0;
    const r = await sfqBackend(params).run(buildPlan(ir, { seed: 3 }), { progressEveryMs: 0, onProgress: () => calls++, shouldStop: () => ++polls > 2 });
    assert.ok(r.cancelled, 'stopped');
    assert.ok(r.stepsDone > 0 && r.stepsDone < 800, String(r.stepsDone));
    assert.ok(r.spikes.every((s) => s.steps.every((t) => t < r.stepsDone)));
    assert.ok(calls >= 1);
  });
});

describe('the sfq target in the editor', () => {
  const uri = 'file:///tmp/sfq-editor.snn';
  const analyze = (text: string) => {
    const program = freshProgram();
    program.setText(uri, text);
    return program.analyze(uri);
  };
  const MODEL = 'target chip = sfq { clock: 50 GHz; bias_p50: 70 uA; static_power: 2 uW }\nsimulate { dt: 20 ps; duration: 1 ns }\n';
  it('hover documents its properties; completion offers them and the kind; W is a unit', () => {
    const a = analyze(MODEL);
    assert.deepEqual(a.diagnostics.filter((d) => d.severity === 1).map((d) => d.message), []);
    assert.match(hover(a, MODEL.indexOf('bias_p50') + 2)?.markdown ?? '', /passes with probability ½.*logistic/);
    assert.match(hover(a, MODEL.indexOf('clock') + 1)?.markdown ?? '', /One clock period must not exceed the model's dt/);
    const inBlock = 'target chip = sfq { |}\nsimulate { dt: 20 ps; duration: 1 ns }\n';
    const labels = complete(analyze(inBlock.replace('|', '')), inBlock.indexOf('|')).map((c) => c.label);
    for (const k of ['clock', 'i_c', 'bias_p50', 'leak', 'threshold', 'cryo_overhead']) assert.ok(labels.includes(k), `${k} in ${labels.join(', ')}`);
    const kind = 'target chip = |\n';
    assert.ok(complete(analyze(kind.replace('|', '')), kind.indexOf('|')).map((c) => c.label).includes('sfq'));
  });
});
