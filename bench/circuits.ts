// `npm run bench:circuits`: circuit discovery end to end on the planted two-task network
// (examples/two_task_circuits.snn, sim-host/src/analysis/circuits/planted.ts) on a pool of
// worker threads, against a peer measured in the same run: the same silencing runs made the
// naive way, planning and compiling a fresh Simulation for every run, next to the one reused
// plan with masks changed between runs. Prints the discovery's time, runs and runs/s, each
// task's F1 against the planted circuit, both per-run times and their ratio; ends with
// {"bench":"circuits",…}. Goal: under 60 s.
import * as path from 'node:path';
import { modelComponents, PLANTED_CIRCUITS } from '../sim-host/src/analysis/circuits/index';
import { SimulationEngine } from '../sim-host/src/circuits-engine';
import { Simulation } from '../sim-host/src/engine';
import { startCircuits } from '../sim-host/src/host';
import { ensureBuilt, repoRoot } from '../test/helpers/build';
import { irOf } from '../test/helpers/model';

ensureBuilt();
const ir = irOf({ file: 'examples/two_task_circuits.snn' });
const workers = Number(process.env.WORKERS ?? 2);
const f1 = (got: string[], want: string[]) => {
  const hit = got.filter((x) => want.includes(x)).length;
  return hit === 0 ? 0 : (2 * hit) / (got.length + want.length);
};

void (async () => {
  const t0 = performance.now();
  const r = await startCircuits(ir, { workers, seed: 1, source: 'two_task_circuits.snn' }, undefined, path.join(repoRoot, 'dist', 'sim-worker.js')).result;
  const wall = (performance.now() - t0) / 1000;
  const f1s = r.tasks.map((t) => f1(t.components, PLANTED_CIRCUITS[t.task]));

  // The peer: N runs, each silencing one population, with a model rebuilt per run (the
  // population's outgoing connections removed, planned and compiled again), against the reused engine.
  const set = modelComponents(ir);
  const pops = set.searchable.filter((c) => c.kind === 'population').slice(0, 12);
  const t1 = performance.now();
  for (const c of pops) new Simulation({ ...ir, probes: [], connections: ir.connections.filter((k) => !k.sources.some((s) => s.name === c.population)) }).run();
  const rebuildMs = (performance.now() - t1) / pops.length;
  const engine = new SimulationEngine(ir);
  const t2 = performance.now();
  for (const c of pops) engine.run({ cut: [], replace: [{ population: c.population, mask: new Uint8Array(c.size).fill(1), steps: new Int32Array(0), neurons: new Int32Array(0) }] });
  const reuseMs = (performance.now() - t2) / pops.length;

  console.log(`model: ${ir.name}, ${r.components.length} components, ${r.tasks.length} tasks, ${workers} workers`);
  console.log(`discovery: ${wall.toFixed(2)} s wall, ${r.runs} runs, ${(r.runs / wall).toFixed(1)} runs/s; F1 vs planted: ${r.tasks.map((t, k) => `${t.task} ${f1s[k].toFixed(2)}`).join(', ')}; reuse Jaccard ${r.reuse[0]?.jaccard.toFixed(2)}, overlap ${r.reuse[0]?.overlap.toFixed(2)}`);
  console.log(`one silencing run, rebuilt (plan + compile + run): ${rebuildMs.toFixed(1)} ms`);
  console.log(`one silencing run, one plan with masks (reset + run): ${reuseMs.toFixed(1)} ms`);
  console.log(`ratio rebuilt / masked: ${(rebuildMs / reuseMs).toFixed(2)}`);
  console.log(JSON.stringify({ bench: 'circuits', components: r.components.length, workers, seconds: +wall.toFixed(2), runs: r.runs, runs_per_s: +(r.runs / wall).toFixed(1), f1_min: +Math.min(...f1s).toFixed(3), rebuild_ms: +rebuildMs.toFixed(1), masked_ms: +reuseMs.toFixed(1), ratio: +(rebuildMs / reuseMs).toFixed(2), under_60s: wall < 60 }));
})();
