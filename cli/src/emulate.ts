// `spikeworks emulate FILE --target NAME [--format json] [--out DIR]`: runs the model on the
// hardware target its `target NAME = KIND { … }` block names (Loihi 2 or SpiNNaker 2, bit-accurate emulation)
// and on the float engine with the same seed, and prints the fidelity (per population rate
// error, spike-count correlation), the resources (cores, axons and synapse memory per core,
// what does not fit), an energy/time estimate per simulated second (labelled with its source)
// and each quantisation step with its error. --out DIR writes the emulated run's usual result
// files plus target.json (protocol/targets.md). Exit codes: 0 done, 1 refused or does not fit,
// 3 a result file could not be written.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { emulateOnTarget, PlanError, type Emulation } from '../../sim-host/src/engine';
import { summarize, writeResults } from '../../sim-host/src/output';
import { traceUnit } from '../../protocol/units';
import { loadModel } from './load';
import { readRoots } from './run';

export interface EmulateArgs {
  file: string;
  target: string;
  format: 'human' | 'json';
  out?: string;
  seed?: number;
  duration?: number;
}

export function emulateCommand(a: EmulateArgs): number {
  const t0 = performance.now();
  const ir = loadModel(a.file, 'not emulated');
  if (!ir) return 1;
  let em: Emulation;
  try {
    em = emulateOnTarget(ir, { seed: a.seed, duration: a.duration, baseDir: path.dirname(path.resolve(a.file)), readRoots: readRoots(a.file) }, a.target);
  } catch (e) {
    if (e instanceof PlanError) {
      process.stderr.write(`spikeworks: not emulated: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  const wall = (performance.now() - t0) / 1000;
  const summary = summarize({ ...em.emulated, backend: em.target.backend }, wall, em.target.backend);
  const r = em.resources;
  const resources =
    r.kind === 'loihi2'
      ? { neurons_per_core: r.loihi.neuronsPerCore, cores: r.loihi.cores.length, chips: r.loihi.chips, bits_per_synapse_estimate: r.loihi.bitsPerSynapse, per_core: r.loihi.cores, violations: em.violations }
      : { neurons_per_core: r.spinnaker.neuronsPerCore, cores: r.spinnaker.cores.length, chips: r.spinnaker.chips, per_core: r.spinnaker.cores, delay_extensions: r.spinnaker.delayExtensions, realtime_slowdown: r.spinnaker.realtimeSlowdown, violations: em.violations };
  const report = {
    target: em.target,
    seed: em.emulated.seed,
    implementation: em.target.kind === 'loihi2' ? 'WebAssembly i32x4 compartment kernel + TypeScript dense delivery (bit-accurate to Lava PyLifModelBitAcc / PyDenseModelBitAcc)' : 'TypeScript integer arithmetic (sPyNNaker IF_curr_exp in s16.15)',
    fidelity: em.fidelity,
    resources,
    energy: { ...em.energy, label: 'estimate' },
    quantisation: em.quantisation,
    approximations: em.approximations,
    timings: { float_run_s: em.float.timings.run_s, emulated_run_s: em.emulated.timings.run_s, wall_s: wall },
  };
  let failed: { file: string; message: string }[] = [];
  if (a.out) {
    failed = writeResults(a.out, { ...em.emulated, backend: em.target.backend }, summary, { units: (p, v) => traceUnit(ir, p, v) }).failed;
    try {
      fs.writeFileSync(path.join(a.out, 'target.json'), JSON.stringify(em.targetJson));
      fs.writeFileSync(path.join(a.out, 'target-report.json'), JSON.stringify(report, null, 1));
    } catch (e) {
      failed.push({ file: path.join(a.out, 'target.json'), message: (e as Error).message });
    }
  }
  if (a.format === 'json') process.stdout.write(JSON.stringify(report) + '\n');
  else process.stdout.write(human(em));
  for (const f of failed) process.stderr.write(`spikeworks: could not write ${f.file}: ${f.message}\n`);
  if (failed.length) return 3;
  return em.violations.length ? 1 : 0;
}

const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(2)} %`);

function human(em: Emulation): string {
  const l: string[] = [];
  l.push(`${em.target.name} = ${em.target.kind}: emulated bit-accurately (${em.target.backend}), seed ${em.emulated.seed}, ${(em.emulated.stepsDone * em.emulated.dt).toFixed(3)} s simulated`);
  l.push('fidelity against the float run (same seed):');
  l.push(`  ${'population'.padEnd(12)} ${'float Hz'.padStart(9)} ${'chip Hz'.padStart(9)} ${'rate err'.padStart(9)} ${'count r'.padStart(8)} ${'van Rossum'.padStart(10)}`);
  for (const f of em.fidelity) l.push(`  ${f.population.padEnd(12)} ${f.rate_float_hz.toFixed(3).padStart(9)} ${f.rate_target_hz.toFixed(3).padStart(9)} ${pct(f.rate_error).padStart(9)} ${(f.count_correlation === null ? '-' : f.count_correlation.toFixed(3)).padStart(8)} ${f.van_rossum.toFixed(3).padStart(10)}`);
  l.push(`  (van Rossum: mean over neurons, τ = 10 ms, dimensionless; 0 = identical trains, √(n/2) for n spikes against none)`);
  const r = em.resources;
  if (r.kind === 'loihi2') {
    l.push(`resources: ${r.loihi.cores.length} cores (${r.loihi.neuronsPerCore} neurons per core), ${r.loihi.chips} chip(s)`);
    for (const c of r.loihi.cores) l.push(`  core ${String(c.core).padStart(3)} ${c.population}[${c.neurons[0]}..${c.neurons[1]}]: ${c.inAxons} in axons, ${c.outAxons} out axons, ${c.synapses.toLocaleString('en-US')} synapses = ${c.synapseBits.toLocaleString('en-US')} bits`);
  } else {
    l.push(`resources: ${r.spinnaker.cores.length} cores (${r.spinnaker.neuronsPerCore} neurons per core), ${r.spinnaker.chips} chip(s); real-time slow-down ×${r.spinnaker.realtimeSlowdown.toFixed(0)} at dt ${(em.emulated.dt * 1e3).toPrecision(3)} ms${r.spinnaker.delayExtensions.length ? `; delay extensions for ${r.spinnaker.delayExtensions.join(', ')}` : ''}`);
  }
  for (const v of em.violations) l.push(`  does not fit: ${v.message}`);
  if ('energy_j_per_sim_s' in em.energy) l.push(`energy (estimate, ${em.energy.source}): ${(em.energy.energy_j_per_sim_s * 1e6).toFixed(2)} µJ and ${(em.energy.time_s_per_sim_s * 1e3).toFixed(2)} ms of chip time per simulated second`);
  else l.push(`energy: ${em.energy.source}`);
  l.push('quantisation:');
  for (const q of em.quantisation) l.push(`  ${q.where}: ${q.what}: ideal ${+q.ideal.toPrecision(6)}, used ${+q.used.toPrecision(6)}, error ${pct(q.error)}${q.note ? ` (${q.note})` : ''}`);
  for (const a of em.approximations) l.push(`approximation: ${a}`);
  return l.join('\n') + '\n';
}
