// The memristive crossbar target (sim-host/src/targets/memristor, issue 16): the weight →
// conductance → weight map against a reference written here from the definitions (linear map,
// L levels, SA0 = G_min, SA1 = G_max), stuck-at counts, positions and nesting, the log-normal
// variation's statistics, read noise per read, dead and saturated neurons, the fault map's
// reproducibility (two runs, two worker counts), the report, bad settings in the editor and in a
// sweep, and the fault study's SA0 curve.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { buildPlan } from '../sim-host/src/core/plan';
import { emulateOnTarget, runOnCrossbar, Simulation, spikesOf } from '../sim-host/src/engine';
import { evaluateReadouts, isReadoutScore } from '../sim-host/src/analysis/readout';
import { applyCrossbar, FAULT, mapCrossbar } from '../sim-host/src/targets/memristor/crossbar';
import { CROSSBAR_DEFAULTS, crossbarConfig, type CrossbarConfig } from '../sim-host/src/targets/memristor/device';
import { crossbarStep } from '../sim-host/src/targets/memristor/step';
import { targetReport } from '../sim-host/src/target-report';
import { isTargetReport } from '../protocol/target-report';
import { crossbarRows } from '../webviews/target-report/model';
import { distCli, ensureBuilt, repoRoot } from './helpers/build';
import { outcomeOf, irOf } from './helpers/model';

/** n sources → m targets, all to all, weights given row by row (pA), into I_syn. */
function net(n: number, m: number, weights: number[] | string, target = '', extra = ''): string {
  const w = typeof weights === 'string' ? weights : `[${weights.map((x) => `${x} pA`).join(', ')}]`;
  return `
population post = LIF[${m}]
input pre = spike_array[${n}] { times: [1 ms]; indices: [0] }
connect c: pre -> post { rule: all_to_all; weight: ${w}; target: I_syn }
${extra}
target xbar = memristor { ${target} }
simulate { dt: 0.1 ms; duration: 5 ms; seed: 7 }
`;
}

const cfg = (o: Partial<CrossbarConfig>): CrossbarConfig => ({ ...CROSSBAR_DEFAULTS, ...o });
const planOf = (text: string, seed = 7) => buildPlan(irOf(text), { seed });

/** The reference map of one weight (no variation, no IR drop), from the definitions. */
function reference(w: number, wMax: number, c: CrossbarConfig, stuck?: { type: 'sa0' | 'sa1'; device: 0 | 1 }): number {
  const span = c.gMax - c.gMin;
  const q = (g: number) => c.gMin + Math.round(((g - c.gMin) / span) * (c.levels - 1)) * (span / (c.levels - 1));
  const at = (g: number, d: 0 | 1) => (stuck && stuck.device === d ? (stuck.type === 'sa0' ? c.gMin : c.gMax) : q(g));
  const a = Math.abs(w) / wMax;
  if (c.mapping === 'single') return Math.sign(w || 1) * (at(c.gMin + span * a, 0) - c.gMin) * (wMax / span);
  return (at(c.gMin + span * (w > 0 ? a : 0), 0) - at(c.gMin + span * (w < 0 ? a : 0), 1)) * (wMax / span);
}

describe('memristor: weights → conductances → weights', () => {
  const W = [100, -40, 7, 0, 63, -100, 25, 90];
  it('differential and single column, 4 and 32 levels, match the reference map weight by weight', () => {
    for (const mapping of ['differential', 'single'] as const) {
      for (const levels of [4, 32]) {
        const plan = planOf(net(2, 4, W));
        const c = cfg({ mapping, levels });
        const map = mapCrossbar(plan, c);
        const p = map.projs[0];
        assert.ok(Math.abs(p.wMax - 100e-12) < 1e-6 * 100e-12, 'w_max: the largest |w| (float32)');
        W.forEach((w, k) => {
          const ref = reference(w * 1e-12, 100e-12, c);
          assert.ok(Math.abs(p.mapped[k] - ref) <= 1e-6 * 100e-12, `${mapping} L=${levels} w=${w}: ${p.mapped[k]} vs ${ref}`);
        });
        // 32 levels: 100/31 pA steps, so every weight is within half a step
        if (levels === 32) W.forEach((w, k) => assert.ok(Math.abs(p.mapped[k] - w * 1e-12) <= (100e-12 / 31) / 2 + 1e-20));
      }
    }
  });

  it('stuck-at faults: round(ratio·n) synapses, SA0 → G_min and SA1 → G_max on the chosen device, as the reference says', () => {
    for (const mapping of ['differential', 'single'] as const) {
      for (const faultType of ['sa0', 'sa1'] as const) {
        const weights = Array.from({ length: 400 }, (_, k) => ((k * 37) % 201) - 100);
        const plan = planOf(net(20, 20, weights));
        const c = cfg({ mapping, levels: 32, faultRatio: 0.25, faultType });
        const p = mapCrossbar(plan, c).projs[0];
        const faulty = [...p.fault.keys()].filter((k) => p.fault[k] !== FAULT.none);
        assert.equal(faulty.length, 100);
        for (const k of faulty) {
          assert.equal(p.fault[k], FAULT[faultType]);
          const ref = reference(weights[k] * 1e-12, p.wMax, c, { type: faultType, device: p.faultDevice[k] as 0 | 1 });
          assert.ok(Math.abs(p.mapped[k] - ref) <= 1e-6 * p.wMax, `${mapping} ${faultType} synapse ${k}`);
        }
        if (mapping === 'single') for (const k of faulty) assert.ok(Math.abs(p.mapped[k] - (faultType === 'sa0' ? 0 : Math.sign(weights[k] || 1) * p.wMax)) <= 1e-6 * p.wMax, `synapse ${k}`);
        if (mapping === 'differential') {
          const minus = faulty.filter((k) => p.faultDevice[k] === 1).length;
          assert.ok(minus > 30 && minus < 70, `the stuck device is G⁻ about half the time (${minus} of 100)`);
        }
      }
    }
  });

  it('important positions are the largest |w|; random positions are nested across ratios; mixed is about 1.75 : 9.04', () => {
    const weights = Array.from({ length: 900 }, (_, k) => ((k * 7919) % 1801) / 9 - 100);
    const plan = planOf(net(30, 30, weights.map((x) => +x.toFixed(3))));
    const imp = mapCrossbar(plan, cfg({ faultRatio: 0.1, faultPosition: 'important' })).projs[0];
    const sorted = [...weights.map((x) => Math.abs(+x.toFixed(3)))].sort((a, b) => b - a);
    const cut = sorted[89];
    for (let k = 0; k < 900; k++) {
      const a = Math.abs(+weights[k].toFixed(3));
      if (a > cut) assert.notEqual(imp.fault[k], FAULT.none, `|w| ${a} above the 90th largest must be faulty`);
      if (a < cut) assert.equal(imp.fault[k], FAULT.none);
    }
    const at = (r: number) => mapCrossbar(plan, cfg({ faultRatio: r })).projs[0].fault;
    const f1 = at(0.1);
    const f2 = at(0.2);
    for (let k = 0; k < 900; k++) if (f1[k]) assert.ok(f2[k], `synapse ${k}: faulty at 0.1, so at 0.2`);
    const mixed = mapCrossbar(plan, cfg({ faultRatio: 1, faultType: 'mixed' })).projs[0].fault;
    const sa0 = mixed.filter((x) => x === FAULT.sa0).length;
    const expected = 900 * (1.75 / 10.79);
    assert.ok(Math.abs(sa0 - expected) < 4 * Math.sqrt(expected), `SA0 share ${sa0} of 900, expected ≈ ${expected.toFixed(0)}`);
  });

  it('device variation: ln(G / G_level) is N(0, σ²) per device', () => {
    const plan = planOf(net(60, 60, '80 pA'));
    const c = cfg({ mapping: 'single', levels: 2, variability: 0.25 });
    const p = mapCrossbar(plan, c).projs[0];
    // every weight is the largest: programmed to G_max; w' = (G − G_min)·w_max/span
    const span = c.gMax - c.gMin;
    const logs = [...p.mapped].map((w) => Math.log((w / (p.wMax / span) + c.gMin) / c.gMax));
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length;
    const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / (logs.length - 1));
    assert.equal(logs.length, 3600);
    assert.ok(Math.abs(mean) < 4 * (0.25 / 60), `mean ${mean}`);
    assert.ok(Math.abs(sd - 0.25) < 0.02, `sd ${sd}`);
  });

  it('first-order IR drop: G/(1 + G·r·(j + 1 + rows − i)) for every device', () => {
    const plan = planOf(net(3, 4, '50 pA'));
    const c = cfg({ mapping: 'single', levels: 2, rWire: 10 });
    const p = mapCrossbar(plan, c).projs[0];
    const span = c.gMax - c.gMin;
    for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) {
      const G = c.gMax / (1 + c.gMax * 10 * (j + 1 + 3 - i));
      assert.ok(Math.abs(p.mapped[i * 4 + j] - (G - c.gMin) * (50e-12 / span)) < 1e-6 * 50e-12, `row ${i} col ${j}: ${p.mapped[i * 4 + j]} vs ${(G - c.gMin) * (50e-12 / span)}`);
    }
  });

  it('read noise: each read delivers w′ + σ_r·G·N(0, 1) in weight units, drawn per (synapse, step)', () => {
    const plan = planOf(net(1, 2, [100, -50]));
    const c = cfg({ mapping: 'single', levels: 32, readNoise: 0.1 });
    const map = mapCrossbar(plan, c);
    applyCrossbar(plan, map);
    const hook = crossbarStep(plan, map)!;
    const pr = plan.projs[0];
    const src = pr.source;
    const m32 = new Int32Array(plan.memory.buffer);
    const w = new Float32Array(plan.memory.buffer, pr.weightOffset, 2);
    const got: number[][] = [[], []];
    for (let t = 0; t < 4000; t++) {
      m32[src.countOffset >> 2] = 1;
      m32[src.listOffset >> 2] = 0;
      hook(t);
      got[0].push(w[0]);
      got[1].push(w[1]);
    }
    const span = c.gMax - c.gMin;
    [100, -50].forEach((x, k) => {
      const G = c.gMin + (span * Math.abs(x)) / 100;
      const sdRef = 0.1 * G * (100e-12 / span);
      const mean = got[k].reduce((a, b) => a + b, 0) / got[k].length;
      const sd = Math.sqrt(got[k].reduce((a, b) => a + (b - mean) ** 2, 0) / (got[k].length - 1));
      assert.ok(Math.abs(mean - map.projs[0].mapped[k]) < 4 * sdRef / Math.sqrt(4000), `synapse ${k} mean ${mean}`);
      assert.ok(Math.abs(sd / sdRef - 1) < 0.06, `synapse ${k}: sd ${sd} vs ${sdRef}`);
    });
    // without a spike the weights are not read: unchanged
    const before = [...w];
    m32[src.countOffset >> 2] = 0;
    hook(5000);
    assert.deepEqual([...w], before);
  });
});

const DRIVEN = `
population n = LIF[50] { v = uniform(-70 mV, -55 mV) }
input drive = poisson[50] { rate: 40 Hz }
connect drive -> n { rule: one_to_one; weight: 900 pA; target: I_syn }
connect n -> n { rule: random(p = 0.1); weight: 50 pA; target: I_syn }
target xbar = memristor { neuron_fault_ratio: 0.2; neuron_fault_type: dead; variability: 0.1; fault_ratio: 0.2 }
target sat = memristor { neuron_fault_ratio: 0.1; neuron_fault_type: saturated }
simulate { dt: 0.1 ms; duration: 200 ms; seed: 3 }
`;

describe('memristor: runs', () => {
  const ir = irOf(DRIVEN);
  it('dead neurons never spike, saturated neurons spike every step, the others as the engine says', () => {
    const dead = runOnCrossbar(ir, {}, 'xbar');
    const deadSet = new Set(dead.map.neurons[0].dead);
    assert.equal(deadSet.size, 10);
    const sp = spikesOf(dead.result, 'n')!;
    for (const i of sp.neurons) assert.ok(!deadSet.has(i), `dead neuron ${i} spiked`);
    assert.ok(sp.steps.length > 100, 'the others still fire');
    const sat = runOnCrossbar(ir, {}, 'sat');
    const s = spikesOf(sat.result, 'n')!;
    for (const i of sat.map.neurons[0].saturated) {
      const steps = [...s.steps].filter((_, k) => s.neurons[k] === i);
      assert.equal(steps.length, sat.result.steps, `saturated neuron ${i} spikes every step`);
    }
  });

  it('the same fault map and spikes for the same seed on every run; another seed, another map', () => {
    const a = runOnCrossbar(ir, { seed: 11 }, 'xbar');
    const b = runOnCrossbar(ir, { seed: 11 }, 'xbar');
    const c = runOnCrossbar(ir, { seed: 12 }, 'xbar');
    assert.equal(a.map.digest, b.map.digest);
    assert.deepEqual([...a.map.projs[1].fault], [...b.map.projs[1].fault]);
    assert.deepEqual([...a.map.projs[1].mapped], [...b.map.projs[1].mapped]);
    assert.deepEqual([...spikesOf(a.result, 'n')!.neurons], [...spikesOf(b.result, 'n')!.neurons]);
    assert.notEqual(a.map.digest, c.map.digest);
  });

  it('the report: crossbars, fault counts and digest, checked by isTargetReport and shown by the panel model', () => {
    const em = emulateOnTarget(ir, {}, 'xbar');
    const r = targetReport(em, 'driven.snn');
    assert.ok(isTargetReport(r));
    assert.equal(r.target.kind, 'memristor');
    const x = r.crossbar!;
    assert.equal(x.crossbars.length, 2);
    const rec = x.crossbars[1];
    assert.equal(rec.sa0, Math.round(0.2 * rec.synapses));
    assert.equal(x.neurons[0].dead, 10);
    const rows = crossbarRows(r);
    assert.equal(rows.rows.length, 2);
    assert.ok(rows.lines.some((l) => l.includes(x.digest)));
    assert.ok(em.fidelity.some((f) => f.population === 'n'));
    assert.ok(!isTargetReport({ ...r, crossbar: { ...x, digest: 3 } }), 'a malformed crossbar is refused');
  });
});

describe('memristor: bad settings', () => {
  const diag = (target: string) => {
    const o = outcomeOf(net(2, 2, '10 pA', target));
    return o.ok ? [] : o.diagnostics.map((d) => ({ line: d.line, column: d.column, message: d.message }));
  };
  const at = (target: string, key: string) => {
    const text = net(2, 2, '10 pA', target);
    const line = text.split('\n').findIndex((l) => l.includes('target xbar')) + 1;
    return { line, column: text.split('\n')[line - 1].indexOf(key) + key.length + 3 };
  };
  it('fault ratios outside [0, 1], levels < 2, G_min ≥ G_max, unknown fault type or position: located errors', () => {
    const cases: [string, string, RegExp][] = [
      ['fault_ratio: 1.5', 'fault_ratio', /fault_ratio must be ≤ 1/],
      ['neuron_fault_ratio: -0.1', 'neuron_fault_ratio', /neuron_fault_ratio must be ≥ 0/],
      ['levels: 1', 'levels', /levels must be ≥ 2/],
      ['g_min: 2 mS', 'g_min', /g_min \(2000 µS\) must be below g_max \(1000 µS, the default\)/],
      ['fault_type: sa2', 'fault_type', /fault_type must be one of sa0, sa1, mixed \(did you mean 'sa0'\?\)/],
      ['fault_position: importnt', 'fault_position', /fault_position must be one of random, important \(did you mean 'important'\?\)/],
    ];
    for (const [setting, key, re] of cases) {
      const d = diag(setting);
      const hit = d.find((x) => re.test(x.message));
      assert.ok(hit, `${setting}: ${JSON.stringify(d)}`);
      const want = at(setting, key);
      assert.equal(hit.line, want.line, setting);
      assert.equal(hit.column, want.column, `${setting}: column`);
    }
    assert.deepEqual(diag('g_min: 10 uS; g_max: 200 uS; levels: 8; fault_type: sa1; fault_position: important; mapping: single'), []);
  });
  it('the engine refuses bad settings an IR may still carry (from another tool), naming the target', () => {
    const ir = irOf(net(2, 2, '10 pA'));
    const bad = (o: Partial<(typeof ir.targets)[number]>) => ({ ...ir, targets: [{ ...ir.targets[0], ...o }] });
    assert.throws(() => runOnCrossbar(bad({ settings: { levels: 1 } }), {}, 'xbar'), /target xbar: levels must be a whole number ≥ 2, got 1/);
    assert.throws(() => runOnCrossbar(bad({ settings: { fault_ratio: 2 } }), {}, 'xbar'), /fault_ratio must be within \[0, 1\], got 2/);
    assert.throws(() => runOnCrossbar(bad({ options: { fault_type: 'sa7' } }), {}, 'xbar'), /fault_type must be one of sa0, sa1, mixed, got sa7/);
    assert.throws(() => crossbarConfig({ name: 'x', kind: 'memristor', settings: { g_min: 1e-3, g_max: 1e-4 } }), /g_min .* must be ≥ 0 and below g_max/);
  });
});

describe('memristor: fault sweeps from the CLI', () => {
  before(() => ensureBuilt());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xbar-'));
  const file = path.join(dir, 'driven.snn');
  fs.writeFileSync(file, DRIVEN);
  const sweep = (...args: string[]) => spawnSync(process.execPath, [distCli, 'emulate', file, '--target', 'xbar', ...args, '--format', 'json'], { encoding: 'utf8', cwd: dir });

  it('the same rows with 1 and 2 workers (the fault maps do not depend on the pool)', () => {
    const runs = (workers: string) => {
      const r = sweep('--sweep', 'fault_ratio=0,0.3', '--sweep', 'fault_type=sa0,sa1', '--seeds', '2', '--workers', workers, '--duration', '0.1');
      assert.equal(r.status, 0, r.stderr);
      const j = JSON.parse(r.stdout) as { runs: { values: number[]; seed: number; metric: { value: number }; populations: { spikes: number }[] }[]; axes: { labels?: string[] }[] };
      assert.deepEqual(j.axes[1].labels, ['sa0', 'sa1']);
      return j.runs.map((x) => ({ values: x.values, seed: x.seed, metric: x.metric.value, spikes: x.populations.map((p) => p.spikes) }));
    };
    const one = runs('1');
    assert.equal(one.length, 8);
    assert.deepEqual(one, runs('2'));
    assert.ok(one.every((r) => r.metric > 0), 'no readout: the metric is the mean rate');
  });

  it('refuses a bad sweep value or setting before any run, naming it', () => {
    const a = sweep('--sweep', 'fault_type=sa0,sa2');
    assert.equal(a.status, 1);
    assert.match(a.stderr, /xbar\.fault_type is one of sa0, sa1, mixed, not 'sa2'/);
    const b = sweep('--sweep', 'fault_ratio=0:1.5:3');
    assert.equal(b.status, 1);
    assert.match(b.stderr, /target xbar: fault_ratio must be within \[0, 1\], got 1\.5/);
    const c = sweep('--sweep', 'fault_ration=0,0.1');
    assert.equal(c.status, 1);
    assert.match(c.stderr, /memristor target 'xbar' has no setting 'fault_ration'.*fault_ratio/);
  });
});

describe('the fault study (examples/xbar_fault_study.snn)', () => {
  before(() => ensureBuilt());
  it('the SA0 curve falls with the fault ratio, monotonically within error bars (4 ratios × 3 seeds)', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'xbar-study-'));
    const r = spawnSync(process.execPath, [distCli, 'emulate', path.join(repoRoot, 'examples/xbar_fault_study.snn'), '--target', 'xbar', '--sweep', 'fault_ratio=0:0.3:4', '--sweep', 'fault_type=sa0', '--seeds', '3', '--format', 'json', '--out', out], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const j = JSON.parse(r.stdout) as { points: { values: number[]; metric: { mean: number; sd: number; n: number } }[] };
    const m = j.points.map((p) => p.metric);
    assert.equal(m.length, 4);
    for (const x of m) assert.equal(x.n, 3);
    for (let k = 1; k < m.length; k++) assert.ok(m[k].mean <= m[k - 1].mean + m[k].sd + m[k - 1].sd, `point ${k}: ${m[k].mean} after ${m[k - 1].mean}`);
    assert.ok(m[3].mean < m[0].mean - Math.max(m[0].sd, m[3].sd), `falls: ${m[0].mean} → ${m[3].mean}`);
    const head = fs.readFileSync(path.join(out, 'sweep.csv'), 'utf8').split('\n')[0];
    assert.ok(head.startsWith('xbar.fault_ratio,xbar.fault_type,seed,"accuracy of readout r (trained fault-free, tested with faults)",retrained accuracy,'), head);
  });
});

describe('the resistive-memory zero-shot LSM (examples/xbar_zero_shot.snn)', () => {
  it('device-random liquid vs a software-random liquid of the same size vs the same crossbar without variation', () => {
    // Compared: the cross-validated accuracy of the readout r (4 classes, 64 windows) over seeds
    // 1–5, of (a) the liquid on the crossbar `rram`, whose weights are all one programmed value per
    // connection made random by the devices' log-normal variation (σ 0.6); (b) the same text with
    // every weight drawn by the engine's RNG as lognormal(w, 0.6) on the float engine (software
    // random, same size, same connections, the same distribution family and median); (c) the
    // crossbar without variation (every weight equal: nothing random but the initial v).
    const text = fs.readFileSync(path.join(repoRoot, 'examples/xbar_zero_shot.snn'), 'utf8');
    const ir = irOf(text);
    const software = irOf(text.replace(/weight: (-?\d+) pA;/g, (_m, w: string) => `weight: lognormal(${w} pA, 0.6);`));
    assert.equal(software.connections.filter((c) => c.weight.kind === 'dist').length, 4);
    const flat = { ...ir, targets: ir.targets.map((t) => ({ ...t, settings: { ...t.settings, variability: 0 } })) };
    const acc = (m: typeof ir, r: Parameters<typeof evaluateReadouts>[1]) => {
      const s = evaluateReadouts(m, r)[0];
      assert.ok(isReadoutScore(s), JSON.stringify(s));
      return s.value;
    };
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const seeds = [1, 2, 3, 4, 5];
    const device = mean(seeds.map((seed) => acc(ir, runOnCrossbar(ir, { seed }, 'rram').result)));
    const sw = mean(seeds.map((seed) => acc(software, new Simulation(software, { seed }).run())));
    const uniform = mean(seeds.map((seed) => acc(ir, runOnCrossbar(flat, { seed }, 'rram').result)));
    const chance = evaluateReadouts(ir, runOnCrossbar(flat, { seed: 1 }, 'rram').result)[0] as { chance: number };
    process.stdout.write(`# zero-shot LSM accuracy over 5 seeds: device ${device.toFixed(3)}, software ${sw.toFixed(3)}, no variation ${uniform.toFixed(3)}, chance ${chance.chance.toFixed(3)}\n`);
    assert.ok(device > chance.chance + 0.2, `the device liquid classifies: ${device}`);
    assert.ok(device > uniform + 0.2, `the devices' randomness does the work: ${device} vs ${uniform} without variation`);
    assert.ok(Math.abs(device - sw) < 0.15, `device-random and software-random liquids are comparable: ${device} vs ${sw}`);
  });
});
