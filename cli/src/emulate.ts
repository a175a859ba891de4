// `spikeworks emulate FILE --target NAME [--format json] [--out DIR]`: runs the model on the
// hardware target its `target NAME = KIND { … }` block names (Loihi 2 or SpiNNaker 2, bit-accurate emulation; an SFQ chip, pulse by pulse)
// and on the float engine with the same seed, and prints the fidelity (per population rate
// error, spike-count correlation), the resources (cores, axons and synapse memory per core,
// what does not fit), an energy/time estimate per simulated second (labelled with its source)
// and each quantisation step with its error. --out DIR writes the emulated run's usual result
// files plus target.json (protocol/targets.md). Exit codes: 0 done, 1 refused or does not fit,
// 3 a result file could not be written.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { emulateOnTarget, PlanError, type Emulation } from '../../sim-host/src/engine';
import { emulationText } from '../../sim-host/src/emulation-text';
import { summarize, writeResults } from '../../sim-host/src/output';
import { traceUnit } from '../../protocol/units';
import { refusalPlace } from './export';
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
      // a refusal about a population or connection (a NaN in conversion, a delay beyond the chip's range): at its line
      if (e.where) process.stderr.write(`${refusalPlace(a.file, { where: e.where, message: e.message })}: error: ${e.message}\n`);
      process.stderr.write(`spikeworks: not emulated${e.where ? '' : `: ${e.message}`}\n`);
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
      : r.kind === 'sfq'
        ? { ...r.sfq, violations: em.violations }
        : r.kind === 'memristor'
          ? { ...r.crossbar, violations: em.violations }
          : { neurons_per_core: r.spinnaker.neuronsPerCore, cores: r.spinnaker.cores.length, chips: r.spinnaker.chips, per_core: r.spinnaker.cores, delay_extensions: r.spinnaker.delayExtensions, realtime_slowdown: r.spinnaker.realtimeSlowdown, violations: em.violations };
  const report = {
    target: em.target,
    seed: em.emulated.seed,
    implementation: em.target.kind === 'loihi2' ? 'WebAssembly i32x4 compartment kernel + TypeScript dense delivery (bit-accurate to Lava PyLifModelBitAcc / PyDenseModelBitAcc)' : em.target.kind === 'sfq' ? 'TypeScript clock-tick loop (flux counters, stochastic synapses drawn from Philox by synapse and tick)' : em.target.kind === 'memristor' ? 'the float WASM engine on crossbar-mapped weights, with per-step neuron faults and read noise' : 'WebAssembly i32x4/i64x2 neuron kernel + TypeScript ring buffers (bit-accurate to sPyNNaker IF_curr_exp in s16.15)',
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
  else process.stdout.write(emulationText(em));
  for (const f of failed) process.stderr.write(`spikeworks: could not write ${f.file}: ${f.message}\n`);
  if (failed.length) return 3;
  return em.violations.length ? 1 : 0;
}

