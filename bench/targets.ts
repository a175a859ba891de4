// Emulation speed against the float WASM engine on the same model: `npm run bench:targets`
// (node --import tsx bench/targets.ts [--seeds 1,2,3]).
//
// examples/cuba.snn (4000 LIF, p = 0.02, 1 s at dt 0.1 ms): the same plan (built once per seed)
// is run on the WASM backend, on the Loihi 2 emulation (sim-host/src/targets/loihi2: a
// WebAssembly int32 compartment kernel, delivery into the delay rings in generated WebAssembly:
// targets/common/delivery-kernel.ts) and on the SpiNNaker 2 emulation (targets/spinnaker2: a
// WebAssembly i32x4/i64x2 neuron kernel, the same WebAssembly delivery, the rows drained in
// TypeScript; also with its TypeScript neuron update, the implementation before the kernel),
// alternately, in this one process. Times are the backends' run_s (stepping only), the fastest of
// --reps (default 3) alternating runs each; ratio = emulation / WASM per seed, median over the
// seeds. The goal (issue 15) is a ratio ≤ 2. Then examples/sfq_xor.snn on its sfq target (issue 16), seeds 1-5:
// the pulse-level run's time, the energy per inference (without and with the cryocooler) and the
// XOR margin (the output's rate in the "1" windows against the "0" windows).
//
// Then (issue 16; skipped with --no-sweep) the fault sweep of examples/xbar_fault_study.snn on the
// memristor target: fault_ratio 0…0.3 (7) × fault_type sa0, sa1 × position random, important × 5
// seeds = 140 runs on the sweep pool (dist/sim-worker.js: `node esbuild.mjs` first; --workers N,
// default the cores less one, at least 2), each run on the crossbar; each seed's fault-free crossbar runs once
// for the readout's training (shared by its faulty runs). Reported: wall time (goal < 5 minutes), the process's CPU time (all worker threads),
// and the ratio of the wall time to 140 float WASM runs of the same model measured here.
// Ends with one JSON line.
import * as path from 'node:path';
import { buildPlan } from '../sim-host/src/core/plan';
import { Simulation } from '../sim-host/src/wasm/simulation';
import { emulateLoihi } from '../sim-host/src/targets/loihi2/emulate';
import { convertPlan as convertPlanLoihi } from '../sim-host/src/targets/loihi2/convert';
import { convertPlanSpinnaker } from '../sim-host/src/targets/spinnaker2/convert';
import { emulateSpinnaker } from '../sim-host/src/targets/spinnaker2/emulate';
import * as os from 'node:os';
import { irOf } from '../test/helpers/model';
import { emulateOnTarget } from '../sim-host/src/engine';
import { startSweep } from '../sim-host/src/sweep-pool';
import { parseAxis, sweepRuns, type SweepSpec } from '../sim-host/src/sweep/spec';
import { parseQuantity } from '../language-server/src/ide';

const arg = (k: string) => {
  const i = process.argv.indexOf(k);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const seeds = (arg('--seeds') ?? '1,2,3').split(',').map(Number);
const file = arg('--file') ?? 'examples/cuba.snn';
const REPS = Number(arg('--reps') ?? 3);
const ir = irOf({ file: path.resolve(file) });
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const rows: { seed: number; wasm_s: number; loihi_s: number; ratio: number; wasm_spikes: number; loihi_spikes: number; spinnaker_s: number; spinnaker_ratio: number; spinnaker_spikes: number; spinnaker_ts_s: number; spinnaker_ts_ratio: number; wasm_cpu_s: number; spinnaker_cpu_s: number; spinnaker_cpu_ratio: number; loihi_cpu_s: number; loihi_cpu_ratio: number }[] = [];
for (const seed of seeds) {
  const s = { ...ir, simulate: { ...ir.simulate, seed } };
  // Each backend REPS times, alternately; the fastest of each (the machine is shared: the minimum is the least disturbed).
  // CPU seconds of the stepping alone (the float engine's run(), the Loihi and SpiNNaker emulations on
  // converted programs): steadier than wall time on a shared machine; the least of the repetitions
  let wCpu = Infinity;
  let spCpu = Infinity;
  let loCpu = Infinity;
  const cpuOf = <T>(f: () => T): [T, number] => {
    const c0 = process.cpuUsage();
    const r = f();
    const c = process.cpuUsage(c0);
    return [r, (c.user + c.system) / 1e6];
  };
  const sim0 = new Simulation(s, { seed });
  const [w0, c0] = cpuOf(() => sim0.run());
  let w = w0;
  wCpu = Math.min(wCpu, c0);
  const loPlan = buildPlan(s, { seed });
  const loProgram = convertPlanLoihi(loPlan);
  const [loRun, cl] = cpuOf(() => emulateLoihi(loPlan, {}, loProgram));
  let e = loRun.result;
  loCpu = Math.min(loCpu, cl);
  const spPlan = buildPlan(s, { seed });
  const spProgram = convertPlanSpinnaker(spPlan);
  const [spRun, c1] = cpuOf(() => emulateSpinnaker(spPlan, {}, spProgram));
  let sp = spRun.result;
  spCpu = Math.min(spCpu, c1);
  // the same emulation with its neuron update in TypeScript (the implementation before the kernel)
  let spTs = emulateSpinnaker(buildPlan(s, { seed }), {}, undefined, { update: 'ts' }).result;
  for (let r = 1; r < REPS; r++) {
    const sim2 = new Simulation(s, { seed });
    const [w2, c2] = cpuOf(() => sim2.run());
    wCpu = Math.min(wCpu, c2);
    if (w2.timings.run_s < w.timings.run_s) w = w2;
    const loPlan2 = buildPlan(s, { seed });
    const loProgram2 = convertPlanLoihi(loPlan2);
    const [loRun2, cl2] = cpuOf(() => emulateLoihi(loPlan2, {}, loProgram2));
    const e2 = loRun2.result;
    loCpu = Math.min(loCpu, cl2);
    if (e2.timings.run_s < e.timings.run_s) e = e2;
    const plan2 = buildPlan(s, { seed });
    const program2 = convertPlanSpinnaker(plan2);
    const [spRun2, c3] = cpuOf(() => emulateSpinnaker(plan2, {}, program2));
    const sp2 = spRun2.result;
    spCpu = Math.min(spCpu, c3);
    if (sp2.timings.run_s < sp.timings.run_s) sp = sp2;
    const spTs2 = emulateSpinnaker(buildPlan(s, { seed }), {}, undefined, { update: 'ts' }).result;
    if (spTs2.timings.run_s < spTs.timings.run_s) spTs = spTs2;
  }
  const count = (r: typeof w) => r.spikes.reduce((a, x) => a + x.steps.length, 0);
  const row = { seed, wasm_s: w.timings.run_s, loihi_s: e.timings.run_s, ratio: e.timings.run_s / w.timings.run_s, wasm_spikes: count(w), loihi_spikes: count(e), spinnaker_s: sp.timings.run_s, spinnaker_ratio: sp.timings.run_s / w.timings.run_s, spinnaker_spikes: count(sp), spinnaker_ts_s: spTs.timings.run_s, spinnaker_ts_ratio: spTs.timings.run_s / w.timings.run_s, wasm_cpu_s: wCpu, spinnaker_cpu_s: spCpu, spinnaker_cpu_ratio: spCpu / wCpu, loihi_cpu_s: loCpu, loihi_cpu_ratio: loCpu / wCpu };
  rows.push(row);
  console.log(`seed ${seed}: wasm ${row.wasm_s.toFixed(3)} s, loihi2-emu ${row.loihi_s.toFixed(3)} s, ratio ${row.ratio.toFixed(2)} (spikes ${row.wasm_spikes} / ${row.loihi_spikes}); spinnaker2-emu ${row.spinnaker_s.toFixed(3)} s, ratio ${row.spinnaker_ratio.toFixed(2)} (spikes ${row.spinnaker_spikes}; TypeScript update ${row.spinnaker_ts_s.toFixed(3)} s, ratio ${row.spinnaker_ts_ratio.toFixed(2)})`);
}
const ratio = median(rows.map((r) => r.ratio));
console.log(`median ratio loihi2-emu / wasm: ${ratio.toFixed(2)} (goal ≤ 2: ${ratio <= 2 ? 'met' : 'not met'})`);
const spinRatio = median(rows.map((r) => r.spinnaker_ratio));
const spinTsRatio = median(rows.map((r) => r.spinnaker_ts_ratio));
console.log(`median ratio spinnaker2-emu / wasm: ${spinRatio.toFixed(2)} (goal ≤ 2: ${spinRatio <= 2 ? 'met' : 'not met'}; with the TypeScript update ${spinTsRatio.toFixed(2)})`);
const spinCpuRatio = median(rows.map((r) => r.spinnaker_cpu_ratio));
console.log(`median CPU-time ratio spinnaker2-emu / wasm (stepping only): ${spinCpuRatio.toFixed(2)}`);
const loihiCpuRatio = median(rows.map((r) => r.loihi_cpu_ratio));
console.log(`median CPU-time ratio loihi2-emu / wasm (stepping only): ${loihiCpuRatio.toFixed(2)}`);
const spinnaker = { target: 'spinnaker2-emu', implementation: 'wasm i32x4/i64x2 neuron kernel + wasm ring delivery, TypeScript drain', median_ratio: spinRatio, goal_met: spinRatio <= 2, ts_update_median_ratio: spinTsRatio, cpu_median_ratio: spinCpuRatio };

// SFQ: the deep XOR example, four input pairs (windows of the task `xor`), expected output 0 1 1 0.
const xorIr = irOf({ file: path.resolve('examples/sfq_xor.snn') });
const win = xorIr.tasks[0].windows;
const sfqRows: { seed: number; emu_s: number; float_s: number; j_per_inference: number; j_per_inference_cooled: number; dynamic_j_per_inference: number; rate_1_min_ghz: number; rate_0_max_ghz: number; truth_table: boolean }[] = [];
for (const seed of [1, 2, 3, 4, 5]) {
  const em = emulateOnTarget(xorIr, { seed }, 'chip');
  const out = em.emulated.spikes.find((x) => x.name === 'out')!;
  const rates = win.map((w) => {
    let n = 0;
    for (const t of out.steps) if (t * em.emulated.dt >= w.from - 1e-15 && t * em.emulated.dt < w.to - 1e-15) n++;
    return n / out.size / (w.to - w.from) / 1e9;
  });
  const one = rates.filter((_, k) => win[k].label === '01' || win[k].label === '10');
  const zero = rates.filter((_, k) => win[k].label === '00' || win[k].label === '11');
  const e = em.energy as { j_per_inference: number; j_per_inference_cooled: number; dynamic_j: number; inferences: number };
  const row = { seed, emu_s: em.emulated.timings.run_s, float_s: em.float.timings.run_s, j_per_inference: e.j_per_inference, j_per_inference_cooled: e.j_per_inference_cooled, dynamic_j_per_inference: e.dynamic_j / e.inferences, rate_1_min_ghz: Math.min(...one), rate_0_max_ghz: Math.max(...zero), truth_table: Math.min(...one) > Math.max(...zero) };
  sfqRows.push(row);
  console.log(`sfq_xor seed ${seed}: ${(row.emu_s * 1e3).toFixed(1)} ms (float ${(row.float_s * 1e3).toFixed(1)} ms), ${(row.j_per_inference * 1e12).toFixed(3)} pJ per inference (of which switchings ${(row.dynamic_j_per_inference * 1e15).toFixed(2)} fJ; ${(row.j_per_inference_cooled * 1e9).toFixed(3)} nJ with cooling), output ${row.rate_1_min_ghz.toFixed(2)} GHz (1) vs ${row.rate_0_max_ghz.toFixed(2)} GHz (0): truth table ${row.truth_table ? 'holds' : 'fails'}`);
}
const sfq = { model: 'examples/sfq_xor.snn', target: 'sfq-emu', seeds: sfqRows.map((r) => r.seed), rows: sfqRows, median_emu_s: median(sfqRows.map((r) => r.emu_s)), j_per_inference: median(sfqRows.map((r) => r.j_per_inference)), j_per_inference_cooled: median(sfqRows.map((r) => r.j_per_inference_cooled)), margin_ghz: Math.min(...sfqRows.map((r) => r.rate_1_min_ghz - r.rate_0_max_ghz)), truth_table_all_seeds: sfqRows.every((r) => r.truth_table) };

async function faultSweep() {
  const study = irOf({ file: path.resolve('examples/xbar_fault_study.snn') });
  // default: the cores less one, at least 2 (the 2-core machine the goal is stated for)
  const workers = Number(arg('--workers') ?? Math.max(2, (typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length) - 1));
  const spec: SweepSpec = { axes: ['fault_ratio=0:0.3:7', 'fault_type=sa0,sa1', 'position=random,important'].map((a) => parseAxis(study, `xbar.${a}`, parseQuantity)), seeds: 5, baseSeed: 1 };
  const runs = sweepRuns(spec);
  // the peer: one float WASM run of the same model, this process
  const float = new Simulation(study, { seed: 1 });
  const t1 = performance.now();
  float.run();
  const floatS = (performance.now() - t1) / 1000;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let last = -1;
  const handle = startSweep(study, spec, runs, {
    workers, target: 'xbar', metric: true, baseDir: path.resolve('examples'), workerFile: path.resolve('dist/sim-worker.js'),
    onProgress: (done, total) => {
      if (done !== last && done % 14 === 0) console.log(`  fault sweep: ${done}/${total} runs, ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      last = done;
    },
  });
  const res = await handle.result;
  const wallS = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  console.log(`fault sweep 7 × 2 × 2 × 5 = ${runs.length} runs on ${workers} workers: ${wallS.toFixed(1)} s wall (goal < 300 s: ${wallS < 300 ? 'met' : 'not met'}), ${cpuS.toFixed(1)} s CPU; ×${(wallS / (runs.length * floatS)).toFixed(2)} of ${runs.length} float runs of ${floatS.toFixed(3)} s`);
  return { runs: runs.length, done: res.rows.length, workers, wall_s: wallS, cpu_s: cpuS, float_run_s: floatS, ratio_to_float_runs: wallS / (runs.length * floatS), goal_met: wallS < 300, load_avg_1m: os.loadavg()[0] };
}

void (async () => {
  const sweep = process.argv.includes('--no-sweep') ? undefined : await faultSweep();
  console.log(JSON.stringify({ bench: 'targets', model: file, target: 'loihi2-emu', implementation: 'wasm i32x4 compartment kernel + wasm ring delivery', reps: REPS, seeds, rows, median_ratio: ratio, goal_met: ratio <= 2, cpu_median_ratio: loihiCpuRatio, spinnaker, sfq, ...(sweep ? { fault_sweep: sweep } : {}) }));
})();
