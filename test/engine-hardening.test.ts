// The engine under hostile or extreme input (issue 12, items 4-8 and 10): NaN inside exp on
// the scalar paths, tiny connection probabilities, bounded build work with progress, the
// step limit whatever set the duration, recordings inside the memory limit, event files and
// edge lists that are not regular files or lie outside the allowed folders.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { ModelIR } from '../protocol/ir';
import type { RunOptions, RunOutput } from '../protocol/sim';
import { MAX_KERNEL_PAIRS, PlanError, Simulation, SPIKE_RECORD_BYTES, spikesOf } from '../sim-host/src/engine';
import { RunRefused, RunTerminated, startRun, type ProgressCallback } from '../sim-host/src/host';
import { distWorker, ensureBuilt } from './helpers/build';
import { irOf as lowerText, READ_ONLY_HOST } from './helpers/model';

// The engine's own file handling is under test: the IR names files the plan reads from another
// folder (baseDir), so the checker's stat of run files (a Host with `stat`) is left out here.
let n = 0;

function irOf(text: string): ModelIR {
  return lowerText(text, { at: `.scratch/engine-hardening-${n++}.snn`, host: READ_ONLY_HOST });
}

/** Runs `f` and fails the test when it takes longer than `ms` (a hang shows as a failure). */
function within<T>(ms: number, what: string, f: () => T): T {
  const t0 = performance.now();
  const r = f();
  const took = performance.now() - t0;
  assert.ok(took < ms, `${what} took ${took.toFixed(0)} ms (limit ${ms} ms)`);
  return r;
}

/**
 * Runs in the worker (dist/sim-worker.js) and ends it after `ms`: a build or run that would
 * loop forever fails the test instead of hanging it.
 */
async function runInWorker(ir: ModelIR, options: RunOptions, ms: number, onProgress?: ProgressCallback): Promise<RunOutput> {
  ensureBuilt();
  const h = startRun(ir, options, onProgress, distWorker);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void h.terminate();
      reject(new Error(`the run did not end within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([h.result, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('NaN inside exp on the scalar paths stops the run with its place (item 10)', () => {
  // Neuron 4 is the scalar tail after one group of four (f32x4) or two pairs (f64x2); its x
  // reaches 0 first (x0 = 100 - 24·i), then sqrt(x) is NaN and exp(NaN) used to trap in the
  // i32/i64 conversion of exp's 2^k ("float unrepresentable in integer range", no results).
  const model = (method: string, eq: string) => `
neuron ExpNaN {
  parameters { tau = 1 ms }
  state { x: 1 = 100 - 24 * i; v: 1 = 1 }
  equations {
    dx/dt = -1 / tau
    ${eq}
  }
  method ${method}
}
population p = ExpNaN[5]
probe v(p) every 0.1 ms
simulate { dt: 0.1 ms; duration: 10 ms }
`;
  for (const [method, eq, what] of [
    ['exponential', 'dv/dt = -v * sqrt(x) / tau', 'exponential Euler (f32 scalar tail, expm1 of NaN)'],
    ['euler', 'dv/dt = exp(sqrt(x)) / tau', 'euler (f64 scalar tail, exp of NaN)'],
    ['rk4', 'dv/dt = sigmoid(sqrt(x)) / tau', 'rk4 (f64 scalar tail, sigmoid of NaN)'],
  ] as const) {
    it(what, () => {
      const r = new Simulation(irOf(model(method, eq))).run();
      assert.equal(r.stopReason, 'nan-inf', r.error);
      assert.match(r.error!, /population p, variable v, neuron 4, step 4\d/);
      assert.ok(r.stepsDone > 40 && r.stepsDone < 50, `stopped at ${r.stepsDone}`);
      // results kept: the samples up to the stop
      assert.equal(r.traces[0].data.length, 5 * r.stepsDone);
      assert.ok(Number.isFinite(r.traces[0].data[0]));
    });
  }
});

describe('random(p) with tiny p terminates with the right number of synapses (item 6)', () => {
  const net = (p: string) => irOf(`population a = LIF[2000]\nconnect a -> a { rule: random(p = ${p}); weight: 1 pA; target: I_syn }\nsimulate { dt: 0.1 ms; duration: 1 ms }\n`);
  for (const p of ['1e-17', '1e-300', '5e-324', '1.1e-16']) {
    it(`p = ${p}: no synapse among 4 million pairs, at once`, async () => {
      const out = await runInWorker(net(p), {}, 10_000);
      assert.equal(out.synapses, 0);
    });
  }
  it('p = 1e-6 draws about p·pairs (4 expected), p = 0 none, p = 1 all', () => {
    const tiny = new Simulation(net('1e-6')).plan.projs[0].synapses;
    assert.ok(tiny >= 0 && tiny <= 20, `${tiny} synapses`);
    assert.equal(new Simulation(irOf('population a = LIF[300]\nconnect a -> a { rule: random(p = 0); weight: 1 pA; target: I_syn }\nsimulate { dt: 0.1 ms; duration: 1 ms }\n')).plan.projs[0].synapses, 0);
    assert.equal(new Simulation(irOf('population a = LIF[300]\nconnect a -> a { rule: random(p = 1); weight: 1 pA; target: I_syn; autapses: true }\nsimulate { dt: 0.1 ms; duration: 1 ms }\n')).plan.projs[0].synapses, 300 * 300);
  });
});

describe('the step limit holds whatever set the duration (item 8)', () => {
  const model = 'population a = LIF[10]\nsimulate { dt: 0.1 ms; duration: 10 ms }\n';
  it('the engine refuses a duration override above 2e9 steps, naming duration, dt and steps', () => {
    // 2^31 + a few steps: spike steps (i32) would wrap negative in spikes.bin
    const duration = ((2 ** 31 + 10) * 1e-4);
    assert.throws(() => new Simulation(irOf(model), { duration }), (e: unknown) => e instanceof PlanError && e.code === 'limit' && /duration 214748 s at dt 0.1 ms is 2.15e\+9 steps, more than the 2e\+9/.test(e.message));
  });
  it('the host API (worker) refuses it as a RunRefused, at once', async () => {
    await assert.rejects(runInWorker(irOf(model), { duration: 1e7 }, 10_000), (e: unknown) => e instanceof RunRefused && e.code === 'limit' && /1.00e\+11 steps/.test(e.message));
  });
  it('a duration at the limit is not refused for its steps (2e9 steps: refused by nothing but time)', () => {
    assert.doesNotThrow(() => new Simulation(irOf(model), { duration: 2e9 * 1e-4 }));
  });
});

describe('build work is bounded, shown and cancellable (item 7)', () => {
  it('a periodic spike array over a long run keeps one period (not every repetition)', async () => {
    // 1 ms period over 10^5 s: 10^8 repetitions of 3 spikes. Expanded in full this was
    // "Map maximum size exceeded" after minutes; now the build is immediate and the run is
    // cancelled once it has started.
    const ir = irOf(`
input beat = spike_array[3] { times: [0 ms, 0.3 ms, 0.7 ms]; indices: [0, 2, 1]; period: 1 ms }
population a = LIF[3]
connect beat -> a { rule: one_to_one; weight: 1 mV; target: v }
probe spikes(beat)
simulate { dt: 0.1 ms; duration: 100000 s }
`);
    const sim = within(2000, 'building', () => new Simulation(ir));
    assert.equal(sim.plan.pops.find((p) => p.name === 'beat')!.arraySpikes!.size, 3);
    let h: ReturnType<typeof startRun> | undefined;
    const out = await new Promise<RunOutput>((resolve, reject) => {
      const timer = setTimeout(() => (void h?.terminate(), reject(new Error('no progress within 10 s'))), 10_000);
      h = startRun(ir, { progressEveryMs: 50 }, () => h!.cancel(), distWorker);
      h.result.then((r) => (clearTimeout(timer), resolve(r)), reject);
    });
    assert.ok(out.cancelled && out.stepsDone > 100);
    const s = out.spikes.find((p) => p.name === 'beat')!;
    // every period: neuron 0 at step 0, 2 at 3, 1 at 7 (mod 10)
    assert.equal(s.steps.length, 3 * Math.ceil(out.stepsDone / 10) - (out.stepsDone % 10 > 0 && out.stepsDone % 10 <= 3 ? 2 : out.stepsDone % 10 > 3 && out.stepsDone % 10 <= 7 ? 1 : 0));
    for (let k = 0; k < s.steps.length; k++) assert.equal(s.neurons[k], [0, 2, 1][k % 3]);
    for (let k = 0; k < s.steps.length; k++) assert.equal(s.steps[k], Math.floor(k / 3) * 10 + [0, 3, 7][k % 3]);
  });

  it('a distance rule over 200,000 neurons is refused at once with the estimate and the bound', () => {
    const ir = irOf(`
population a = LIF[200000] { layout: grid(rows = 500, cols = 400); spacing: 20 um }
connect ee: a -> a { rule: distance(sigma = 20 um, p_max = 0.0001); weight: 1 pA; target: I_syn }
simulate { dt: 0.1 ms; duration: 1 ms }
`);
    within(2000, 'the refusal', () =>
      assert.throws(() => new Simulation(ir), (e: unknown) => e instanceof PlanError && e.code === 'limit' && /ee \(distance\) would test 4.00e\+10 neuron pairs/.test(e.message) && e.message.includes(MAX_KERNEL_PAIRS.toExponential(0))),
    );
  });

  const moderate = () => irOf(`
population a = LIF[3000] { layout: ring }
connect ring: a -> a { rule: ring_kernel(sigma = 0.3, p_max = 0.05); weight: 1 pA; target: I_syn }
simulate { dt: 0.1 ms; duration: 1 ms }
`);
  it('a moderate kernel build reports its progress through the progress channel', async () => {
    const build: { done: number; total: number; label: string }[] = [];
    const out = await runInWorker(moderate(), { buildProgress: true }, 60_000, (done, total, _s, _d, b) => {
      if (b) build.push({ done, total, label: b.label });
    });
    assert.ok(out.synapses > 0);
    assert.ok(build.length >= 2, `${build.length} build progress messages`);
    assert.ok(build.every((b) => b.total === 3000 && /building connections ring \(ring_kernel\)/.test(b.label)));
    assert.ok(build.every((b, k) => k === 0 || b.done > build[k - 1].done), 'progress goes forward');
  });

  it('a cancel during the build stops it promptly (PlanError cancelled)', async () => {
    let h: ReturnType<typeof startRun> | undefined;
    let cancelledAt = 0;
    h = startRun(moderate(), { buildProgress: true }, (_d, _t, _s, _delta, b) => {
      if (b && !cancelledAt) {
        cancelledAt = performance.now();
        h!.cancel();
      }
    }, distWorker);
    const timer = setTimeout(() => void h!.terminate(), 30_000);
    await assert.rejects(h.result, (e: unknown) => e instanceof RunRefused && e.code === 'cancelled');
    clearTimeout(timer);
    assert.ok(performance.now() - cancelledAt < 500, `stopped ${(performance.now() - cancelledAt).toFixed(0)} ms after the cancel`);
  });


  it('terminate() during the build ends the worker promptly (a sync build loop does not hold it)', async () => {
    let h: ReturnType<typeof startRun> | undefined;
    let ended: Promise<void> | undefined;
    let t0 = 0;
    h = startRun(moderate(), { buildProgress: true }, (_d, _t, _s, _delta, b) => {
      if (b && !ended) {
        t0 = performance.now();
        ended = h!.terminate();
      }
    }, distWorker);
    await assert.rejects(h.result, (e: unknown) => e instanceof RunTerminated);
    await ended;
    assert.ok(performance.now() - t0 < 1000, `ended ${(performance.now() - t0).toFixed(0)} ms after terminate()`);
  });
});

describe('recordings count against the memory limit (item 4)', () => {
  it('probes that alone exceed the limit are refused before the run, with their size', () => {
    const ir = irOf('population a = LIF[1000]\nprobe v(a) every 0.1 ms\nprobe I_syn(a) every 0.1 ms\nsimulate { dt: 0.1 ms; duration: 10 s }\n');
    // 2 × 1000 neurons × 100,000 samples × 4 B = 763 MiB
    within(2000, 'the refusal', () =>
      assert.throws(() => new Simulation(ir, { memoryLimit: 300 * 2 ** 20 }), (e: unknown) => e instanceof PlanError && e.code === 'memory' && /probes would record about 762.9 MiB/.test(e.message) && /300.0 MiB/.test(e.message)),
    );
  });

  it('a spike flood stops cleanly at the limit, keeping what was recorded', () => {
    const ir = irOf('population a = LIF[2000] { I_e = 2 nA; v = uniform(-70 mV, -50 mV) }\nsimulate { dt: 0.1 ms; duration: 100 s }\n');
    const limit = 16 * 2 ** 20;
    const sim = new Simulation(ir, { memoryLimit: limit });
    const r = within(20_000, 'the run', () => sim.run());
    assert.equal(r.stopReason, 'recording-limit');
    const spikes = spikesOf(r, 'a')!;
    const budget = limit - sim.plan.memory.buffer.byteLength;
    assert.ok(spikes.steps.length <= budget / SPIKE_RECORD_BYTES && spikes.steps.length > budget / SPIKE_RECORD_BYTES - 2000, `${spikes.steps.length} spikes`);
    assert.ok(r.stepsDone < r.steps && r.stepsDone > 0);
    assert.equal(spikes.steps[spikes.steps.length - 1], r.stepsDone - 1, 'the spikes of every step run are kept, none after');
    assert.match(r.error!, new RegExp(`memory limit of 16.0 MiB .* at step ${r.stepsDone} \\(t = [\\d.]+ s\\).*--memory-limit`));
  });
});

describe('event files and edge lists: regular files only, bounded, inside the allowed folders (item 5)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-inputs-'));
  const eventModel = (file: string) => `input dvs = event_file[8] { file: "${file}" }\npopulation a = LIF[8]\nconnect dvs -> a { rule: one_to_one; weight: 1 mV; target: v }\nsimulate { dt: 0.1 ms; duration: 10 ms }\n`;
  const edgeModel = (file: string) => `population a = LIF[8]\nconnect a -> a { rule: from_file("${file}"); weight: 1 mV; target: v }\nsimulate { dt: 0.1 ms; duration: 10 ms }\n`;
  const refused = (ir: ModelIR, opts: { readRoots?: string[]; memoryLimit?: number }, code: string, re: RegExp) =>
    within(2000, 'the refusal', () => assert.throws(() => new Simulation(ir, { baseDir: dir, ...opts }), (e: unknown) => e instanceof PlanError && e.code === code && re.test(e.message)));

  it('a FIFO as event file or edge list is refused at once (opening it used to block)', () => {
    execFileSync('mkfifo', [path.join(dir, 'pipe')]);
    refused(irOf(eventModel('pipe')), {}, 'input', /pipe \(FIFO\); only regular files/);
    refused(irOf(edgeModel('pipe')), {}, 'input', /pipe \(FIFO\); only regular files/);
  });
  it('/dev/zero is refused (it grew memory without bound): outside the folders, and a device when allowed', () => {
    refused(irOf(eventModel('/dev/zero')), {}, 'input', /outside the folders a run may read/);
    refused(irOf(eventModel('/dev/zero')), { readRoots: ['/dev'] }, 'input', /a device; only regular files/);
  });
  it('a symlink out of the allowed folders is refused; inside them it is read', () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-outside-'));
    fs.writeFileSync(path.join(outside, 'ev.csv'), '0.001,1\n');
    fs.symlinkSync(path.join(outside, 'ev.csv'), path.join(dir, 'link.csv'));
    refused(irOf(eventModel('link.csv')), {}, 'input', /outside the folders a run may read/);
    const r = new Simulation(irOf(eventModel('link.csv')), { baseDir: dir, readRoots: [dir, outside] }).run();
    assert.deepEqual([...spikesOf(r, 'dvs')!.steps], [10]);
  });
  it('a file over the memory left, or over 256 MiB, is refused before reading (sparse files)', () => {
    const big = path.join(dir, 'big.csv');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 20 * 2 ** 20);
    refused(irOf(eventModel('big.csv')), { memoryLimit: 8 * 2 ** 20 }, 'memory', /is 20.0 MiB, more than the .* left for input files/);
    fs.truncateSync(big, 300 * 2 ** 20);
    refused(irOf(edgeModel('big.csv')), {}, 'memory', /is 300.0 MiB/);
  });
});

describe('selectors outside their population are refused, not clamped', () => {
  // The checker reports these with their place; IR from elsewhere (a file, another tool) could
  // still carry them. Clamped, n[4..7] of a 3-neuron population was an empty range from 4 to 2,
  // and the synapse drawing wrote outside its arrays (a WASM memory fault).
  const text = 'population n = LIF[3]\ninput step = current_step { target: n[0..2].I_e; times: [1 ms]; values: [1 nA] }\nconnect n -> n { rule: all_to_all; weight: 1 mV; target: v }\nprobe v(n) every 1 ms\nsimulate { dt: 0.1 ms; duration: 10 ms }\n';
  it('the unchanged model runs', () => {
    assert.equal(new Simulation(irOf(text)).run().stepsDone, 100);
  });
  const cases: [string, (ir: ModelIR) => void, RegExp][] = [
    ['a connection source', (ir) => Object.assign(ir.connections[0].sources[0], { from: 4, to: 7 }), /connection 1, source: n\[4\.\.7\] is not a slice of n \(size 3, indices 0\.\.2\)/],
    ['a connection target', (ir) => Object.assign(ir.connections[0].targets[0], { from: 0, to: 3 }), /connection 1, target: n\[0\.\.3\]/],
    ['a current_step target', (ir) => Object.assign((ir.inputs[0] as { target: { to: number } }).target, { to: 20 }), /current_step step: n\[0\.\.20\]/],
    ['a probe', (ir) => Object.assign(ir.probes.find((p) => p.variable === 'v')!.targets[0], { from: -1 }), /probe v\(n\): n\[-1\.\.2\]/],
  ];
  for (const [what, spoil, message] of cases) {
    it(`${what}`, () => {
      const ir = irOf(text);
      spoil(ir);
      assert.throws(() => new Simulation(ir), (e: unknown) => e instanceof PlanError && message.test(e.message));
    });
  }
});
