// `npm run bench:engine -- --backend webgpu`: the WebGPU backend beside the WASM engine, in one
// process, on the same models and seeds: COBA-4000, Brunel scaled to 100,000 neurons and the
// Potjans–Diesmann microcircuit (bench/microcircuit.ts) at SPIKEWORKS_BENCH_MC_SCALE (default
// 0.1; 1 = 77,169 neurons and ~0.3 billion synapses, only where memory allows: WASM addresses
// 4 GiB at most). Simulated times are short for the big models (stated in the output) so that
// the bench takes minutes on a software adapter. Times are time stepping only (run_s), planning
// and compilation are printed beside them. On a software adapter (SwiftShader: this machine has
// no GPU) the WebGPU figures are NOT GPU figures.
// Ends with one JSON line: {"bench":"engine-webgpu","adapter","coba4k_sim_s","brunel100k_sim_s",
// "microcircuit_rtf", the WASM figures of the same runs (wasm_…), simulated durations, scale}.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { lowerModel } from '../language-server/src/ide';
import { nodeHost, preludeAt } from '../language-server/src/ide-node';
import type { ModelIR } from '../protocol/ir';
import { getGpu, Simulation, sizeOf, spikesOf, SWIFTSHADER_ICD, WebGPUSimulation, type RunResult } from '../sim-host/src/engine';
import { EXPECTED_E, microcircuitSnn, POPS } from './microcircuit';

const repoRoot = path.resolve(__dirname, '..');
const prelude = preludeAt(path.join(repoRoot, 'language-server'));

function irOfText(text: string, name: string): ModelIR {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'swk-bench-gpu-'));
  const file = path.join(dir, `${name}.snn`);
  fs.writeFileSync(file, text);
  const r = lowerModel({ file }, { host: nodeHost, prelude });
  if (!r.ok) throw new Error(`${name} does not lower`);
  return r.ir;
}

function coba4k(): ModelIR {
  const ir = irOfText(fs.readFileSync(path.join(repoRoot, 'examples/coba.snn'), 'utf8'), 'coba');
  ir.probes = ir.probes.filter((p) => p.variable === 'spikes');
  ir.simulate.seed = 16; // active on WASM (bench/engine.ts's first 4k seed)
  return ir;
}

/** test/engine/brunel.snn at N = 100,000 (80,000 + 20,000): in-degrees kept (400/100/400), a pool of 100,000 Poisson sources. */
function brunel100k(): ModelIR {
  let text = fs.readFileSync(path.join(repoRoot, 'test/engine/brunel.snn'), 'utf8');
  text = text.replace('LIF[4000]', 'LIF[80000]').replace('LIF[1000]', 'LIF[20000]').replace('poisson[20000]', 'poisson[100000]').replace(/^probe v\(.*$/m, '');
  return irOfText(text, 'brunel100k');
}

interface Row { wasm: RunResult; gpu: RunResult; gpuPlan: number; identical: boolean }

async function both(ir: ModelIR, duration: number): Promise<Row> {
  const wasm = new Simulation(ir, { duration }).run();
  const g = await getGpu();
  if (typeof g === 'string') throw new Error(g);
  const sim = await WebGPUSimulation.create(ir, { duration, gpu: g });
  try {
    const gpu = await sim.run();
    let identical = true;
    for (const s of wasm.spikes) {
      const name = s.name;
      const t = spikesOf(gpu, name);
      identical &&= !!t && t.steps.length === s.steps.length && t.steps.every((x, k) => x === s.steps[k] && t.neurons[k] === s.neurons[k]);
    }
    return { wasm, gpu, gpuPlan: gpu.timings.plan_s + gpu.timings.compile_s, identical };
  } finally {
    sim.destroy();
  }
}

const rateOf = (r: RunResult, pop: string, fromS: number) => {
  const s = spikesOf(r, pop)!;
  const from = Math.round(fromS / r.dt);
  const n = s.steps.filter((x) => x >= from).length;
  return n / sizeOf(r, pop)! / ((r.stepsDone - from) * r.dt);
};

export async function benchWebGPU(): Promise<void> {
  if (!process.env.VK_ICD_FILENAMES && fs.existsSync(SWIFTSHADER_ICD) && !process.env.SPIKEWORKS_BENCH_CHILD) {
    // The Vulkan loader is looked for at process start: re-run with SwiftShader's driver.
    const r = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
      stdio: 'inherit', env: { ...process.env, VK_ICD_FILENAMES: SWIFTSHADER_ICD, LD_LIBRARY_PATH: '/usr/lib/chromium', SPIKEWORKS_BENCH_CHILD: '1' },
    });
    process.exit(r.status ?? 1);
  }
  const g = await getGpu();
  if (typeof g === 'string') {
    console.error(`bench:engine --backend webgpu: no WebGPU adapter (${g})`);
    process.exit(1);
  }
  const software = g.name.endsWith('(software)');
  console.log(`WebGPU adapter: ${g.name}; WASM: one thread of this process. node ${process.version}, ${os.cpus()[0]?.model ?? '?'} × ${os.cpus().length}`);
  if (software) console.log('NOTE: a software adapter (no GPU on this machine): the WebGPU figures below are NOT GPU figures, only a check that the backend runs these sizes and agrees with WASM.');
  const f = (x: number, d = 2) => x.toFixed(d);
  const line = (name: string, dur: number, r: Row) =>
    console.log(`${name}: ${r.wasm.synapses.toLocaleString('en-US')} synapses, ${f(dur * 1000, 0)} ms simulated\n  WASM   run ${f(r.wasm.timings.run_s)} s (plan ${f(r.wasm.timings.plan_s)} s)\n  WebGPU run ${f(r.gpu.timings.run_s)} s (plan + kernels ${f(r.gpuPlan)} s); spike trains identical to WASM: ${r.identical}; WebGPU/WASM time ${f(r.gpu.timings.run_s / r.wasm.timings.run_s, 1)}×`);

  const cobaDur = 0.2;
  const coba = await both(coba4k(), cobaDur);
  line('COBA-4000 (seed 16)', cobaDur, coba);

  const brDur = Number(process.env.SPIKEWORKS_BENCH_BRUNEL_S ?? 0.02);
  const br = await both(brunel100k(), brDur);
  line('Brunel, N = 100,000 (100,000 Poisson sources, in-degree 400/100/400)', brDur, br);
  console.log(`  rates: exc ${f(rateOf(br.wasm, 'exc', 0))} Hz (WASM) / ${f(rateOf(br.gpu, 'exc', 0))} Hz (WebGPU)`);

  const scale = Number(process.env.SPIKEWORKS_BENCH_MC_SCALE ?? 0.1);
  const mcDur = Number(process.env.SPIKEWORKS_BENCH_MC_S ?? 0.2);
  const mc = await both(irOfText(microcircuitSnn(scale, { duration: mcDur }), 'microcircuit'), mcDur);
  line(`Potjans–Diesmann microcircuit at scale ${scale}`, mcDur, mc);
  const skip = Math.min(0.1, mcDur / 2);
  console.log(`  rates after the first ${skip * 1000} ms (Hz), WASM / WebGPU, [published full-scale range]:`);
  for (const p of POPS) console.log(`    ${p.padEnd(5)} ${f(rateOf(mc.wasm, p, skip)).padStart(6)} / ${f(rateOf(mc.gpu, p, skip)).padStart(6)}${EXPECTED_E[p] ? `   [${EXPECTED_E[p][0]}–${EXPECTED_E[p][1]}]` : ''}`);
  if (scale < 1) console.log('  (a downscaled network with DC compensation keeps mean inputs, not the full-scale rates exactly)');
  console.log(`  real-time factor (run time / simulated time): WASM ${f(mc.wasm.timings.run_s / mcDur)}, WebGPU ${f(mc.gpu.timings.run_s / mcDur)}`);

  console.log(JSON.stringify({
    bench: 'engine-webgpu', adapter: g.name,
    coba4k_sim_s: coba.gpu.timings.run_s, brunel100k_sim_s: br.gpu.timings.run_s, microcircuit_rtf: mc.gpu.timings.run_s / mcDur,
    wasm_coba4k_sim_s: coba.wasm.timings.run_s, wasm_brunel100k_sim_s: br.wasm.timings.run_s, wasm_microcircuit_rtf: mc.wasm.timings.run_s / mcDur,
    coba4k_duration_s: cobaDur, brunel100k_duration_s: brDur, microcircuit_duration_s: mcDur, microcircuit_scale: scale,
    identical: { coba4k: coba.identical, brunel100k: br.identical, microcircuit: mc.identical }, software_adapter: software,
  }));
}
