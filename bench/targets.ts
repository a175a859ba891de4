// Emulation speed against the float WASM engine on the same model: `npm run bench:targets`
// (node --import tsx bench/targets.ts [--seeds 1,2,3]).
//
// examples/cuba.snn (4000 LIF, p = 0.02, 1 s at dt 0.1 ms): the same plan (built once per seed)
// is run on the WASM backend, on the Loihi 2 emulation (sim-host/src/targets/loihi2: a
// WebAssembly int32 compartment kernel, dense delivery in TypeScript) and on the SpiNNaker 2
// emulation (targets/spinnaker2: a WebAssembly i64 neuron kernel, ring buffers in TypeScript),
// alternately, in this one process. Times are the backends' run_s (stepping only), the fastest of
// --reps (default 3) alternating runs each; ratio = emulation / WASM per seed, median over the
// seeds. The goal (issue 15) is a ratio ≤ 2. Ends with one JSON line.
import * as path from 'node:path';
import { buildPlan } from '../sim-host/src/core/plan';
import { Simulation } from '../sim-host/src/wasm/simulation';
import { emulateLoihi } from '../sim-host/src/targets/loihi2/emulate';
import { emulateSpinnaker } from '../sim-host/src/targets/spinnaker2/emulate';
import { irOf } from '../test/helpers/model';

const arg = (k: string) => {
  const i = process.argv.indexOf(k);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const seeds = (arg('--seeds') ?? '1,2,3').split(',').map(Number);
const file = arg('--file') ?? 'examples/cuba.snn';
const REPS = Number(arg('--reps') ?? 3);
const ir = irOf({ file: path.resolve(file) });
const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const rows: { seed: number; wasm_s: number; loihi_s: number; ratio: number; wasm_spikes: number; loihi_spikes: number; spinnaker_s: number; spinnaker_ratio: number; spinnaker_spikes: number; spinnaker_ts_s: number; spinnaker_ts_ratio: number }[] = [];
for (const seed of seeds) {
  const s = { ...ir, simulate: { ...ir.simulate, seed } };
  // Each backend REPS times, alternately; the fastest of each (the machine is shared: the minimum is the least disturbed).
  let w = new Simulation(s, { seed }).run();
  let e = emulateLoihi(buildPlan(s, { seed })).result;
  let sp = emulateSpinnaker(buildPlan(s, { seed })).result;
  // the same emulation with its neuron update in TypeScript (the implementation before the kernel)
  let spTs = emulateSpinnaker(buildPlan(s, { seed }), {}, undefined, { update: 'ts' }).result;
  for (let r = 1; r < REPS; r++) {
    const w2 = new Simulation(s, { seed }).run();
    if (w2.timings.run_s < w.timings.run_s) w = w2;
    const e2 = emulateLoihi(buildPlan(s, { seed })).result;
    if (e2.timings.run_s < e.timings.run_s) e = e2;
    const sp2 = emulateSpinnaker(buildPlan(s, { seed })).result;
    if (sp2.timings.run_s < sp.timings.run_s) sp = sp2;
    const spTs2 = emulateSpinnaker(buildPlan(s, { seed }), {}, undefined, { update: 'ts' }).result;
    if (spTs2.timings.run_s < spTs.timings.run_s) spTs = spTs2;
  }
  const count = (r: typeof w) => r.spikes.reduce((a, x) => a + x.steps.length, 0);
  const row = { seed, wasm_s: w.timings.run_s, loihi_s: e.timings.run_s, ratio: e.timings.run_s / w.timings.run_s, wasm_spikes: count(w), loihi_spikes: count(e), spinnaker_s: sp.timings.run_s, spinnaker_ratio: sp.timings.run_s / w.timings.run_s, spinnaker_spikes: count(sp), spinnaker_ts_s: spTs.timings.run_s, spinnaker_ts_ratio: spTs.timings.run_s / w.timings.run_s };
  rows.push(row);
  console.log(`seed ${seed}: wasm ${row.wasm_s.toFixed(3)} s, loihi2-emu ${row.loihi_s.toFixed(3)} s, ratio ${row.ratio.toFixed(2)} (spikes ${row.wasm_spikes} / ${row.loihi_spikes}); spinnaker2-emu ${row.spinnaker_s.toFixed(3)} s, ratio ${row.spinnaker_ratio.toFixed(2)} (spikes ${row.spinnaker_spikes}; TypeScript update ${row.spinnaker_ts_s.toFixed(3)} s, ratio ${row.spinnaker_ts_ratio.toFixed(2)})`);
}
const ratio = median(rows.map((r) => r.ratio));
console.log(`median ratio loihi2-emu / wasm: ${ratio.toFixed(2)} (goal ≤ 2: ${ratio <= 2 ? 'met' : 'not met'})`);
const spinRatio = median(rows.map((r) => r.spinnaker_ratio));
const spinTsRatio = median(rows.map((r) => r.spinnaker_ts_ratio));
console.log(`median ratio spinnaker2-emu / wasm: ${spinRatio.toFixed(2)} (goal ≤ 2: ${spinRatio <= 2 ? 'met' : 'not met'}; with the TypeScript update ${spinTsRatio.toFixed(2)})`);
console.log(JSON.stringify({ bench: 'targets', model: file, target: 'loihi2-emu', implementation: 'wasm i32x4 compartment kernel + TypeScript dense delivery', reps: REPS, seeds, rows, median_ratio: ratio, goal_met: ratio <= 2, spinnaker: { target: 'spinnaker2-emu', implementation: 'wasm i32x4/i64x2 neuron kernel + TypeScript ring buffers', median_ratio: spinRatio, goal_met: spinRatio <= 2, ts_update_median_ratio: spinTsRatio } }));
